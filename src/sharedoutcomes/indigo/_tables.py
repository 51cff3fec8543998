"""
The INDIGO dataset's flat tables (a folder of CSV files, or an XLSX workbook) into `ProjectSource` pieces.

GO Lab publishes the impact bond dataset "by type": one table per kind of thing, ``projects``,
``organisations``, and one per project list (``projects_outcome_metrics``, ``projects_results`` …),
with INDIGO's titles as column headings (``Outcome Definition - (Value)``). Every non-empty cell
becomes a piece located by file, sheet, row and column; a cell no INDIGO field is titled for is
reported as not read.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

from attrs import define, field

from sharedoutcomes._office import Budget, open_workbook
from sharedoutcomes._optional import require
from sharedoutcomes.converters import CoverageCounter, excerpt, not_read
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.indigo._orgs import OrgRecord
from sharedoutcomes.indigo._schema import LISTS, list_titles, project_titles
from sharedoutcomes.indigo._values import Key, ProjectSource, column_letter
from sharedoutcomes.problems import Problem, SourceLocation

__all__ = ["FlatTables", "column_titles", "read_tables", "table_kind"]

_ORG_COLUMNS: Final = {"ID": "indigo_id", "Name": "name", "Type - (Value)": "type", "ORG-Ids - Primary": "org_id",
                       "Website": "url"}
_PERSONAL_PREFIX: Final = "contact - "
_TRUNCATED: Final = 10


def table_kind(name: str) -> str | None:
    """
    What a table holds, from its file or sheet name: ``project``, ``organisations``, a project list, or ``None``.

    Example:
        >>> table_kind("original_projects_outcome_metrics.csv"), table_kind("projects_outcome_payment_commitm")
        ('outcome_metrics', 'outcome_payment_commitments')
        >>> table_kind("Projects"), table_kind("funds") is None
        ('project', True)
    """
    stem = name.rsplit(".", 1)[0] if name.lower().endswith((".csv", ".tsv")) else name
    stem = "_".join(stem.strip().lower().replace("-", " ").split())
    stem = stem.removeprefix("original_")
    if stem == "projects":
        return "project"
    if stem in {"organisations", "orgs"}:
        return "organisations"
    if stem.startswith("projects_"):
        rest = stem.removeprefix("projects_")
        if rest in LISTS:
            return rest
        candidates = [name for name in LISTS if name.startswith(rest)]
        if len(rest) >= _TRUNCATED and len(candidates) == 1:  # a sheet name cut to Excel's 31 characters
            return candidates[0]
    return None


def column_titles(table: str) -> list[str]:
    """
    The column titles the INDIGO table *table* (``projects``, ``organisations``, ``projects_results`` …) may have.

    Example:
        >>> column_titles("projects_results")[:3]
        ['Project ID', 'Outcome Metric Id - (Value)', 'Result level - (Value)']
    """
    kind = table_kind(table)
    if kind is None:
        msg = f"{table!r} is not an INDIGO table"
        raise ValueError(msg)
    if kind == "organisations":
        return list(_ORG_COLUMNS)
    if kind == "project":
        return ["ID", *project_titles()]
    return ["Project ID", *list_titles(kind)]


@define
class FlatTables:
    """What the tables hold: each project's pieces, the organisations, and what was not read."""

    file: str
    projects: dict[str, ProjectSource] = field(factory=dict)
    organisations: dict[str, OrgRecord] = field(factory=dict)
    organisation_cells: Counter[str] = field(factory=Counter)
    organisation_part: str = "organisations"
    problems: list[Problem] = field(factory=list)
    counter: CoverageCounter = field(factory=CoverageCounter)
    skipped: Counter[tuple[str, str]] = field(factory=Counter)  # (table, project id) -> cells not selected
    _items: Counter[tuple[str, str]] = field(factory=Counter)

    def project(self, project_id: str) -> ProjectSource:
        """The pieces of *project_id*, created on first use."""
        if project_id not in self.projects:
            self.projects[project_id] = ProjectSource(project_id, file=self.file)
        return self.projects[project_id]


def read_tables(source: Path, selected: set[str] | None) -> FlatTables:
    """
    Read the tables in *source* (a folder of CSV files, or an XLSX workbook), keeping the *selected* projects.

    Raises:
        ConversionError: *source* holds no INDIGO table.
    """
    tables = FlatTables(file=source.name)
    found = 0
    for name, file, sheet, rows in _tables(source):
        kind = table_kind(name)
        header = next(rows, None)
        if header is None:
            continue
        titles = [" ".join(str(t).split()) if t is not None else "" for t in header]
        where = _Where(file=file, sheet=sheet, part=sheet or name.rsplit(".", 1)[0])
        if kind is None:
            _unknown_table(tables, where, rows)
            continue
        found += 1
        if kind == "organisations":
            _organisations(tables, where, titles, rows)
        else:
            _project_rows(tables, where, kind, titles, rows, selected=selected)
    if not found:
        msg = ("no INDIGO table here: expected files or sheets named like the dataset's (projects, organisations, "
               "projects_outcome_metrics, projects_results …)")
        raise ConversionError(msg, source=SourceLocation(file=source.name))
    for (table, _project), cells in sorted(tables.skipped.items()):
        tables.counter.not_read(table, cells)
    _skipped_problems(tables)
    return tables


@define
class _Where:
    file: str
    sheet: str | None
    part: str

    def at(self, row: int, column: int | None = None, header: str | None = None) -> SourceLocation:
        return SourceLocation(file=self.file, sheet=self.sheet, row=row,
                              column=column_letter(column) if column is not None else None, header=header or None)


def _tables(source: Path) -> Iterator[tuple[str, str, str | None, Iterator[list[Any]]]]:
    if source.is_dir():
        for path in sorted(source.iterdir()):
            if path.suffix.lower() == ".csv":
                yield path.name, path.name, None, _csv_rows(path)
        return
    if source.suffix.lower() in {".xlsx", ".xlsm"}:
        yield from _xlsx_tables(source)
        return
    if source.suffix.lower() == ".csv":
        yield source.name, source.name, None, _csv_rows(source)
        return
    msg = "the INDIGO flat tables are a folder of CSV files, an XLSX workbook, or one CSV table"
    raise ConversionError(msg, source=SourceLocation(file=source.name))


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from csv.reader(handle)
    except UnicodeDecodeError:
        msg = "this CSV file is not UTF-8 text; save it as CSV UTF-8 and convert it again"
        raise ConversionError(msg, source=SourceLocation(file=path.name)) from None
    except csv.Error as error:
        msg = f"this CSV file cannot be read ({error})"
        raise ConversionError(msg, source=SourceLocation(file=path.name)) from None


def _xlsx_tables(path: Path) -> Iterator[tuple[str, str, str | None, Iterator[list[Any]]]]:
    require("openpyxl", extra="xlsx", purpose="reading INDIGO tables from XLSX")
    book = open_workbook(path, name=path.name)  # checked first: unsafe workbooks are refused
    budget = Budget(name=path.name)
    try:
        for sheet in book.worksheets:
            rows = budget.rows(sheet.iter_rows(values_only=True), sheet=sheet.title)
            yield sheet.title, path.name, sheet.title, (list(row) for row in rows)
    finally:
        book.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _project_rows(tables: FlatTables, where: _Where, kind: str, titles: list[str],
                  rows: Iterable[list[Any]], *, selected: set[str] | None) -> None:
    fields = project_titles() if kind == "project" else list_titles(kind)
    id_title = "ID" if kind == "project" else "Project ID"
    id_column = titles.index(id_title) if id_title in titles else None
    for number, row in enumerate(rows, start=2):
        cells = [(c, v) for c, v in enumerate(row) if not _blank(v)]
        if not cells:
            continue
        project_id = " ".join(str(row[id_column]).split()) if id_column is not None and id_column < len(row) \
            and not _blank(row[id_column]) else None
        if project_id is None:
            tables.problems.append(not_read(where.at(number), " | ".join(str(v) for _, v in cells),
                                            why=f"the row has no {id_title!r}, so no project it belongs to"))
            tables.counter.not_read(where.part, len(cells))
            continue
        if selected is not None and project_id not in selected:
            tables.skipped[(where.part, project_id)] += len(cells)
            continue
        source = tables.project(project_id)
        index = tables._items[(kind, project_id)]
        tables._items[(kind, project_id)] += 1
        for column, value in cells:
            title = titles[column] if column < len(titles) else ""
            if column == id_column:
                tables.counter.read(where.part)
                continue
            path = fields.get(title)
            if path is None:
                why = f"no INDIGO field is titled {title!r}" if title else "the column has no heading"
                tables.problems.append(not_read(where.at(number, column, title), value, why=why))
                tables.counter.not_read(where.part)
                continue
            key: Key = path if kind == "project" else (kind, index, *path)
            source.add(key, _cell(value), where.at(number, column, title), where.part)


def _organisations(tables: FlatTables, where: _Where, titles: list[str], rows: Iterable[list[Any]]) -> None:
    tables.organisation_part = where.part
    for number, row in enumerate(rows, start=2):
        record = OrgRecord("", location=where.at(number))
        cells = 0
        for column, value in enumerate(row):
            if _blank(value):
                continue
            title = titles[column] if column < len(titles) else ""
            if title.casefold().startswith(_PERSONAL_PREFIX):
                tables.problems.append(Problem(
                    rule="indigo.personal-data", severity="warning", path="$",
                    message=f"not read: the column {title!r} holds a person's contact details, which are never "
                            "read into a package", source=where.at(number, column, title)))
                tables.counter.not_read(where.part)
                continue
            cells += 1
            attribute = _ORG_COLUMNS.get(title)
            text = " ".join(str(value).split()) if attribute in {"indigo_id", "org_id", "url"} else str(value)
            if attribute is None:
                record.kept[title or column_letter(column)] = _cell(value)
            else:
                setattr(record, attribute, text)
        if not record.indigo_id:
            if cells:
                tables.problems.append(not_read(where.at(number), f"{cells} cells",
                                                why="the organisation has no 'ID'"))
                tables.counter.not_read(where.part, cells)
            continue
        tables.organisations[record.indigo_id] = record
        tables.organisation_cells[record.indigo_id] = cells


def _unknown_table(tables: FlatTables, where: _Where, rows: Iterable[list[Any]]) -> None:
    for number, row in enumerate(rows, start=2):
        cells = [str(v) for v in row if not _blank(v)]
        if cells:
            tables.problems.append(not_read(where.at(number), " | ".join(cells),
                                            why=f"{where.part!r} is not a table of INDIGO projects or organisations"))
            tables.counter.not_read(where.part, len(cells))


def _skipped_problems(tables: FlatTables) -> None:
    by_table: dict[str, set[str]] = {}
    for table, project_id in tables.skipped:
        by_table.setdefault(table, set()).add(project_id)
    for table, projects in by_table.items():
        cells = sum(n for (t, _), n in tables.skipped.items() if t == table)
        first = sorted(projects)[0]
        tables.problems.append(not_read(
            SourceLocation(file=tables.file, sheet=table), f"{cells} cells of {len(projects)} projects",
            why=f"those projects ({excerpt(first)}{' …' if len(projects) > 1 else ''}) are not among projects="))
