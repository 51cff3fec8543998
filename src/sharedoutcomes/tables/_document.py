"""
A package to and from tables: the functions of `sharedoutcomes.tables`, and the document they read.

Writing flattens the package into one grid per sheet (`flatten`) and hands the grids to the
CSV, XLSX or DataFrame writer; reading does the reverse (`unflatten`), keeping every value's
cell in the source map. The public names are exported from `sharedoutcomes.tables`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs
from attrs import field, frozen

from sharedoutcomes.converters import ConversionResult, Coverage, CoverageCounter, build_result
from sharedoutcomes.exceptions import Problem, SourceLocation
from sharedoutcomes.model import SCHEMA_VERSION, Package
from sharedoutcomes.serialization import dump
from sharedoutcomes.tables import _io as _tables_io
from sharedoutcomes.tables._flat import flatten, unflatten
from sharedoutcomes.tables._layout import layout
from sharedoutcomes.validation import Report, validate_data

if TYPE_CHECKING:
    import pandas as pd


@frozen(kw_only=True)
class TablesDocument:
    """
    A package document read from tables, exactly as the tables hold it (not yet validated).

    Attributes:
        document: The package as JSON data.
        source_map: JSONPath → the cell it came from (also for empty cells of known columns,
            so that "is required" problems point at the cell to fill in).
        problems: Problems of the tables themselves (a row whose parent is missing, a
            ``json:`` cell that is not JSON, a sheet that is not part of the layout).
        format: ``tables-csv``, ``tables-xlsx`` or ``tables-dataframes``.
        coverage: The non-empty cells read and not read, by sheet (``None`` for DataFrames).

    Example:
        >>> doc = read_dataframes(to_dataframes({"id": "p", "title": ""}))
        >>> doc.document
        {'id': 'p', 'title': ''}
    """

    document: dict[str, Any]
    source_map: Mapping[str, SourceLocation] = field(factory=dict, repr=False)
    problems: tuple[Problem, ...] = ()
    format: str = "tables"
    coverage: Coverage | None = None

    def validate(self) -> Report:
        """
        Validate the document; problems point at cells.

        Example:
            >>> read_dataframes(to_dataframes({"id": "p"})).validate().ok
            False
        """
        report = validate_data(self.document, source_map=self.source_map)
        problems = sorted((*self.problems, *report.problems), key=lambda p: p.severity != "error")
        return Report(problems=tuple(problems), source=report.source)

    def result(self) -> ConversionResult:
        """
        Validate and build the package, as a converter does.

        Raises:
            InvalidDocument: The tables do not hold a package of the right shape; every problem
                in its report is located in a cell.

        Example:
            >>> import sharedoutcomes
            >>> read_dataframes(to_dataframes(sharedoutcomes.example_package())).result().ok
            True
        """
        return build_result(self.document, format=self.format, problems=self.problems,
                            source_map=self.source_map, coverage=self.coverage)

    def __repr__(self) -> str:
        return (f"<TablesDocument {self.format}: {len(self.document)} package fields, "
                f"{len(self.problems)} table problems>")


def _read(rows: Any, where: Any, problems: list[Problem], format: str,
          counter: CoverageCounter | None = None) -> TablesDocument:
    document, source_map, more = unflatten(rows, where, layout(), counter)
    paths = {location: path for path, location in source_map.items()}
    located = tuple(
        attrs.evolve(p, path=paths[p.source]) if p.path == "$" and p.source in paths else p
        for p in (*problems, *more)
    )
    return TablesDocument(document=document, source_map=source_map, problems=located, format=format,
                          coverage=counter.coverage() if counter is not None else None)


def _document(package: Package | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(package, Package):
        return dump(package)
    if isinstance(package, Mapping):
        return package
    msg = f"expected a Package or a package document (dict), not {type(package).__name__}"
    raise TypeError(msg)


def sheet_names() -> tuple[str, ...]:
    """
    The sheets (CSV files, DataFrames) of the layout, in order.

    Example:
        >>> sheet_names()[:3]
        ('package', 'extensions', 'organisations')
    """
    return layout().names()


def to_csv(package: Package | Mapping[str, Any], folder: str | os.PathLike[str]) -> list[Path]:
    """
    Write *package* (a `Package` or a package document) as one CSV file per sheet into *folder*.

    Returns the files written (every sheet, even when empty, so the folder doubles as a template).

    Example:
        >>> import tempfile, sharedoutcomes
        >>> [p.name for p in to_csv(sharedoutcomes.example_package(), tempfile.mkdtemp())][:2]
        ['package.csv', 'extensions.csv']
    """
    return _tables_io.write_csv(flatten(_document(package)), folder)


def read_csv(folder: str | os.PathLike[str]) -> TablesDocument:
    """
    Read a folder of CSV files in the tables layout.

    Raises:
        ConversionError: The folder does not exist or holds no CSV files.

    Example:
        >>> import tempfile, sharedoutcomes
        >>> folder = tempfile.mkdtemp()
        >>> _ = to_csv({"id": "p", "title": "007"}, folder)
        >>> read_csv(folder).document
        {'id': 'p', 'title': '007'}
    """
    counter = CoverageCounter()
    rows, where, problems = _tables_io.read_csv(folder, layout(), counter)
    return _read(rows, where, problems, "tables-csv", counter)


def to_xlsx(package: Package | Mapping[str, Any], path: str | os.PathLike[str], *,
            progress: bool | None = None) -> Path:
    """
    Write *package* as one XLSX workbook (needs the ``xlsx`` extra).

    A progress bar (one step a sheet) shows on standard error when it is a terminal, or
    when *progress* is ``True``.

    Example:
        >>> import tempfile, pathlib, sharedoutcomes
        >>> to_xlsx(sharedoutcomes.example_package(), pathlib.Path(tempfile.mkdtemp()) / "p.xlsx").suffix
        '.xlsx'
    """
    return _tables_io.write_xlsx(flatten(_document(package)), path, progress=progress)


def read_xlsx(path: str | os.PathLike[str], *, progress: bool | None = None) -> TablesDocument:
    """
    Read an XLSX workbook in the tables layout (needs the ``xlsx`` extra).

    A progress bar shows on standard error when it is a terminal, or when *progress* is ``True``.

    Raises:
        ConversionError: The file does not exist or is not an XLSX workbook.

    Example:
        >>> import tempfile, pathlib
        >>> path = to_xlsx({"id": "p", "extension_data": {"nacvs": {"hours": 7.0}}},
        ...                pathlib.Path(tempfile.mkdtemp()) / "p.xlsx")
        >>> read_xlsx(path).document
        {'id': 'p', 'extension_data': {'nacvs': {'hours': 7.0}}}
    """
    counter = CoverageCounter()
    rows, where, problems = _tables_io.read_xlsx(path, layout(), progress=progress, counter=counter)
    return _read(rows, where, problems, "tables-xlsx", counter)


def to_dataframes(package: Package | Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """
    One pandas DataFrame per sheet (needs the ``analysis`` extra).

    Columns are the JSON keys; cells hold Python values (lists for lists of text, dicts for
    extension data) and ``None`` where a property is absent.

    Example:
        >>> import sharedoutcomes
        >>> frames = to_dataframes(sharedoutcomes.example_package())
        >>> frames["evidence.values"][["_parent_id", "code", "value"]].iloc[0].tolist()
        ['ev-shed-members-q4', 'members', 43]
    """
    return _tables_io.to_frames(flatten(_document(package)))


def read_dataframes(frames: Mapping[str, pd.DataFrame]) -> TablesDocument:
    """
    Rebuild a package document from DataFrames named like the sheets (see `to_dataframes`).

    Example:
        >>> import sharedoutcomes
        >>> package = sharedoutcomes.example_package()
        >>> read_dataframes(to_dataframes(package)).document == sharedoutcomes.dump(package)
        True
    """
    rows, where, problems = _tables_io.read_frames(frames, layout())
    return _read(rows, where, problems, "tables-dataframes")


def template(destination: str | os.PathLike[str], *, format: Literal["xlsx", "csv"] = "xlsx") -> Path:
    """
    Write a blank spreadsheet template of a package: every sheet and column, no data.

    Only the schema version is filled in.
    The XLSX template marks required columns in red, has each column's description as a
    comment on its title, and offers the codes of closed codelists as a drop-down list.

    Example:
        >>> import tempfile, pathlib
        >>> template(pathlib.Path(tempfile.mkdtemp()) / "blank.xlsx").name
        'blank.xlsx'
    """
    grids = flatten({"schema_version": SCHEMA_VERSION})
    for grid in grids.values():
        if not grid.sheet.vertical:
            grid.rows.clear()
        if grid.sheet.parent is not None:
            grid.keys.insert(0, "_parent_id")
    if format == "csv":
        _tables_io.write_csv(grids, destination)
        return Path(destination)
    if format == "xlsx":
        return _tables_io.write_xlsx(grids, destination, template=True)
    msg = f"a template is 'xlsx' or 'csv', not {format!r}"
    raise ValueError(msg)
