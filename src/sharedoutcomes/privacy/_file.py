"""Pseudonymising a file: a package (JSON), a CSV export or a workbook (XLSX), written to a new file (public API: `sharedoutcomes.privacy`)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._optional import require
from sharedoutcomes.converters import convert, write
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.privacy._keys import Pseudonymiser
from sharedoutcomes.privacy._package import pseudonymise_package
from sharedoutcomes.privacy._report import Change, PseudonymisationReport
from sharedoutcomes.privacy._tabular import TableOptions, pseudonymise_rows
from sharedoutcomes.problems import Problem
from sharedoutcomes.serialization import dumps
from sharedoutcomes.validation import read_json

__all__ = ["SUFFIXES", "pseudonymise_file"]

SUFFIXES: Final = (".json", ".csv", ".xlsx")
"""The kinds of file `pseudonymise_file` reads: packages, and exports with a heading row (Star, survey, tables, CRM lists)."""

_TABLES_XLSX: Final = "tables-xlsx"


def _same_file(source: Path, output: Path) -> bool:
    try:
        return output.exists() and os.path.samefile(source, output)
    except OSError:  # pragma: no cover - a file that vanished between the two calls
        return False


def _read_csv_text(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    msg = f"{path.name}: the file is neither UTF-8 nor Windows-1252 text"  # pragma: no cover - cp1252 decodes most bytes
    raise ConversionError(msg)  # pragma: no cover


def _csv(source: Path, output: Path, pseudonymiser: Pseudonymiser,
         options: TableOptions) -> tuple[list[Change], list[Problem]]:
    text = _read_csv_text(source)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    out, changes, problems = pseudonymise_rows(rows, pseudonymiser, file=source.name, options=options)
    with output.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=dialect.delimiter, quotechar='"', lineterminator="\r\n")
        writer.writerows([["" if cell is None else cell for cell in row] for row in out])
    return changes, problems


def _xlsx(source: Path, output: Path, pseudonymiser: Pseudonymiser,
          options: TableOptions) -> tuple[list[Change], list[Problem]]:
    openpyxl = require("openpyxl", extra="xlsx", purpose="pseudonymising a workbook")
    try:
        workbook = openpyxl.load_workbook(source)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        msg = f"{source.name}: not a readable workbook ({type(error).__name__})"
        raise ConversionError(msg) from None
    if _is_tables_workbook(workbook):
        workbook.close()
        return _tables_workbook(source, output, pseudonymiser, options)
    changes: list[Change] = []
    problems: list[Problem] = []
    for sheet in workbook.worksheets:
        cells = [list(row) for row in sheet.iter_rows()]
        values = [[cell.value for cell in row] for row in cells]
        out, sheet_changes, sheet_problems = pseudonymise_rows(values, pseudonymiser, file=source.name,
                                                               sheet=sheet.title, options=options)
        for row, new_row in zip(cells, out, strict=True):
            for cell, new in zip(row, new_row, strict=True):
                if cell.value != new and not isinstance(cell, openpyxl.cell.cell.MergedCell):
                    cell.value = new
                    cell.number_format = "General"  # a year left in a date-formatted cell would show as 1905
        changes.extend(sheet_changes)
        problems.extend(sheet_problems)
    workbook.properties.creator = None  # the author's name is personal data too
    workbook.properties.lastModifiedBy = None
    workbook.save(output)
    return changes, problems


def _is_tables_workbook(workbook: Any) -> bool:
    """A package written as tables (``tables-xlsx``): a person's id sits in "Subject: Identifier" and in evidence ids on several sheets."""
    if "evidence" not in workbook.sheetnames:
        return False
    heading = next(workbook["evidence"].iter_rows(max_row=1, values_only=True), ())
    return "Subject: Identifier" in heading


def _tables_workbook(source: Path, output: Path, pseudonymiser: Pseudonymiser,
                     options: TableOptions) -> tuple[list[Change], list[Problem]]:
    """A package's tables: read as the package, pseudonymised as one (so that every sheet agrees), written back."""
    result = convert(source, format=_TABLES_XLSX)
    package, report = pseudonymise_package(result.package, pseudonymiser, organisation=options.organisation,
                                           source=source.name)
    write(package, output, format=_TABLES_XLSX)
    return list(report.changes), [*result.problems, *report.problems]


def pseudonymise_file(source: str | os.PathLike[str], output: str | os.PathLike[str], pseudonymiser: Pseudonymiser,
                      *, options: TableOptions | None = None) -> PseudonymisationReport:
    r"""
    Pseudonymise the package or export *source* into the new file *output*; the source is never changed.

    A ``.json`` file is a package (`pseudonymise_package`); a ``.csv`` or ``.xlsx`` file is an export
    whose columns are recognised by their headings (`pseudonymise_rows`, every sheet of a workbook). A
    workbook of a package's tables (the ``tables-xlsx`` format) is read as the package, pseudonymised as
    one, and written back as tables, so that a person's pseudonym is the same on every sheet.

    Raises:
        ConversionError: *output* is *source* itself, the suffix is not one of `SUFFIXES`, or the file cannot be read.
        InvalidDocument: A ``.json`` source is not a valid package.

    Example:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     src = pathlib.Path(tmp) / "carers.csv"
        ...     _ = src.write_text("Client ID,Forename,Date of birth,Score\nC-101,Ann,12/04/1956,4\n")
        ...     report = pseudonymise_file(src, pathlib.Path(tmp) / "out.csv",
        ...                                Pseudonymiser(b"k" * 32, organisation="GB-SC-SC038977"))
        ...     (pathlib.Path(tmp) / "out.csv").read_text(encoding="utf-8-sig").splitlines()[1][:2]
        'P-'
        >>> report.counts()
        {'pseudonymised': 1, 'removed': 1, 'coarsened': 1}
    """
    src, out = Path(source), Path(output)
    if src.resolve() == out.resolve() or _same_file(src, out):
        msg = f"{src.name}: the output must be a new file; the original is never changed in place"
        raise ConversionError(msg)
    suffix = src.suffix.lower()
    if suffix not in SUFFIXES:
        msg = (f"{src.name}: cannot pseudonymise a {suffix or 'suffix-less'} file; give a package (.json) or an export "
               "(.csv, .xlsx); convert a Word form to a package first (sharedoutcomes convert FORM -o return.json)")
        raise ConversionError(msg)
    if not src.is_file():
        msg = f"{src.name}: there is no such file"
        raise ConversionError(msg)
    opts = options or TableOptions()
    if suffix == ".json":
        data, _ = read_json(src)
        package, report = pseudonymise_package(data, pseudonymiser, organisation=opts.organisation, source=src.name)
        out.write_text(dumps(package) + "\n", encoding="utf-8")
        return PseudonymisationReport(source=src.name, output=out.name, key_id=report.key_id,
                                      changes=report.changes, problems=report.problems)
    reader = _csv if suffix == ".csv" else _xlsx
    changes, problems = reader(src, out, pseudonymiser, opts)
    return PseudonymisationReport(source=src.name, output=out.name, key_id=pseudonymiser.key_id,
                                  changes=tuple(changes), problems=tuple(problems))
