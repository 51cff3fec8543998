"""Grids to and from CSV files, XLSX workbooks and pandas DataFrames, with cell locations."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
from attrs import define, field

from sharedoutcomes._office import Budget, open_workbook
from sharedoutcomes._optional import require
from sharedoutcomes._util.paths import column_letter
from sharedoutcomes._util.progress import Progress
from sharedoutcomes._util.text import one_line
from sharedoutcomes.converters import CoverageCounter, not_read
from sharedoutcomes.exceptions import ConversionError, Problem, SourceLocation
from sharedoutcomes.tables._cells import (
    ABSENT,
    CellError,
    decode,
    encode,
    from_frame_cell,
    to_frame_cell,
)
from sharedoutcomes.tables._flat import Grid, ReadRow
from sharedoutcomes.tables._layout import (
    EXTENSION_PREFIX,
    OTHER,
    PARENT_ID,
    PARENT_ROW,
    Column,
    Layout,
    Sheet,
)

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

VERTICAL_HEADER: Final = ("Field", "Key", "Value")
_DYNAMIC: Final = (PARENT_ID, PARENT_ROW, OTHER)


@define
class Where:
    """Locates cells in one source: per sheet, each key's column (or, for the package, its row)."""

    file_of: Callable[[str], str | None]
    sheet_of: Callable[[str], str | None]
    columns: dict[str, dict[str, tuple[str, str]]] = field(factory=dict)
    vertical_rows: dict[str, tuple[int, str]] = field(factory=dict)
    vertical_column: str = "C"

    def __call__(self, sheet: str, row: int, key: str | None) -> SourceLocation:
        file, name = self.file_of(sheet), self.sheet_of(sheet)
        if sheet == "package" and key is not None and key in self.vertical_rows:
            number, title = self.vertical_rows[key]
            return SourceLocation(file=file, sheet=name, row=number, column=self.vertical_column, header=title)
        if key is None or key not in self.columns.get(sheet, {}):
            return SourceLocation(file=file, sheet=name, row=row or None)
        column, title = self.columns[sheet][key]
        return SourceLocation(file=file, sheet=name, row=row or None, column=column, header=title)


def _titles(sheet: Sheet, keys: Iterable[str]) -> dict[str, str]:
    """Title → key for every column the sheet may have (plus the given keys)."""
    out: dict[str, str] = {}
    for key in (*(c.key for c in sheet.columns), *_DYNAMIC, *keys):
        out.setdefault(sheet.column(key).title.casefold(), key)
    return out


def _is_key(text: Any, sheet: Sheet) -> bool:
    if not isinstance(text, str) or not text:
        return False
    return (text in _DYNAMIC or text.startswith(EXTENSION_PREFIX)
            or any(c.key == text for c in sheet.columns))


def _key_for(title: Any, sheet: Sheet, by_title: Mapping[str, str]) -> str | None:
    if title is None or title == "":
        return None
    text = str(title).strip()
    if _is_key(text, sheet):
        return text
    if text.endswith(")") and "(" in text:  # "Title (key)"
        inner = text[text.rindex("(") + 1:-1].strip()
        if _is_key(inner, sheet):
            return inner
    found = by_title.get(text.casefold())
    if found is not None:
        return found
    if text.casefold().startswith("extension data:"):
        return EXTENSION_PREFIX + text.split(":", 1)[1].strip()
    return text


def _filled(cells: Sequence[Any]) -> int:
    """How many cells of a row hold something."""
    return sum(1 for c in cells if c is not None and c != "")


def read_table(sheet: Sheet, raw: Iterable[Sequence[Any]], where: Where, *,
               decode_cell: Callable[[Any, Column], Any], problems: list[Problem],
               counter: CoverageCounter | None = None) -> list[ReadRow]:
    """
    Read one sheet's raw rows (header rows included) into `ReadRow`s, recording locations in *where*.

    *raw* is consumed once, row by row (a workbook's rows are never all held at once). Every
    non-empty cell is counted in *counter*: read, or not read (a value in a column without a key).
    """
    counter = counter or CoverageCounter()
    rows = iter(raw)
    if sheet.vertical:
        return _read_vertical(sheet, list(rows), where, decode_cell=decode_cell, problems=problems, counter=counter)
    first = next(rows, None)
    if first is None:
        return []
    second = next(rows, None)
    header, has_keys = _read_header(sheet, first, second, where, problems)
    counter.read(sheet.name, _filled(first) + (_filled(second or ()) if has_keys else 0))
    if not has_keys and second is not None:
        rows = itertools.chain([second], rows)
    out: list[ReadRow] = []
    present = tuple(k for k in header if k is not None)
    for number, cells in enumerate(rows, start=3 if has_keys else 2):
        if all(c is None or c == "" for c in cells):
            continue
        values = _row_values(sheet, cells, header, number, where, decode_cell=decode_cell, problems=problems,
                             counter=counter)
        out.append(ReadRow(values={k: v for k, v in values.items() if v is not ABSENT}, number=number,
                           present_keys=present))
    return out


def _read_header(sheet: Sheet, first: Sequence[Any], second_row: Sequence[Any] | None, where: Where,
                 problems: list[Problem]) -> tuple[list[str | None], bool]:
    """
    The key of each column (``None`` for a column without one), and whether row 2 holds the keys.

    Row 2 holds the keys when every cell of it is a key (or empty); otherwise the keys are
    found from the titles in row 1. Each key's column is recorded in *where*.
    """
    titles = list(first)
    second = list(second_row) if second_row is not None else []
    has_keys = any(c not in (None, "") for c in second) and all(
        c in (None, "") or _is_key(c, sheet) for c in second)
    by_title = _titles(sheet, ())
    header: list[str | None] = []
    located = where.columns.setdefault(sheet.name, {})
    for index in range(max(len(titles), len(second))):
        key_cell = second[index] if has_keys and index < len(second) else None
        title = titles[index] if index < len(titles) else None
        key = str(key_cell) if key_cell not in (None, "") else _key_for(title, sheet, by_title)
        if key is not None and key in located:
            problems.append(Problem(
                rule="tables.duplicate-column", severity="error", path="$",
                message=f"two columns are {key!r}; only the first was read",
                source=where(sheet.name, 0, None)))
            key = None
        header.append(key)
        if key is not None:
            located[key] = (column_letter(index), str(title) if title not in (None, "") else sheet.column(key).title)
    return header, has_keys


def _row_values(sheet: Sheet, cells: Sequence[Any], header: list[str | None], number: int, where: Where, *,
                decode_cell: Callable[[Any, Column], Any], problems: list[Problem],
                counter: CoverageCounter) -> dict[str, Any]:
    """The decoded values of one row's cells, by key; a value in a column without a key is reported."""
    values: dict[str, Any] = {}
    read = 0
    for index, cell in enumerate(cells):
        if cell is None or cell == "":
            continue
        key = header[index] if index < len(header) else None
        if key is None:
            counter.not_read(sheet.name)
            problems.append(Problem(
                rule="tables.column", severity="error", path="$",
                message=f"column {column_letter(index)} has a value but no heading; the value was not read",
                source=SourceLocation(file=where.file_of(sheet.name), sheet=where.sheet_of(sheet.name),
                                      row=number, column=column_letter(index)), value=cell))
            continue
        read += 1
        values[key] = _decode(cell, sheet.column(key), decode_cell, functools.partial(where, sheet.name, number, key),
                              problems)
    counter.read(sheet.name, read)
    return values


def _decode(cell: Any, column: Column, decode_cell: Callable[[Any, Column], Any],
            source: Callable[[], SourceLocation], problems: list[Problem]) -> Any:
    try:
        return decode_cell(cell, column)
    except CellError as error:
        problems.append(Problem(rule="tables.cell", severity="error", path="$",
                                message=f"{error}; the text was kept as it is", source=source(), value=cell))
        return str(cell)


def _vertical_positions(raw: Sequence[Sequence[Any]]) -> tuple[int, list[int | None]]:
    """Where the package sheet's data starts, and the columns of its Field, Key and Value."""
    head = [str(c).strip().casefold() if c is not None else "" for c in (raw[0] if raw else [])]
    start = 1 if "value" in head else 0
    positions: list[int | None] = [0, 1, 2]
    if start:
        positions = [head.index(n) if n in head else None for n in ("field", "key", "value")]
    if start and positions[0] is None and positions[1] is None:
        positions[0] = 0
    if positions[2] is None:
        positions[2] = 2
    return start, positions


def _read_vertical(sheet: Sheet, raw: Sequence[Sequence[Any]], where: Where, *,
                   decode_cell: Callable[[Any, Column], Any], problems: list[Problem],
                   counter: CoverageCounter) -> list[ReadRow]:
    by_title = _titles(sheet, ())
    values: dict[str, Any] = {}
    start, positions = _vertical_positions(raw)
    value_letter = column_letter(positions[2] or 0)
    used = {i for i in positions if i is not None}
    counter.read(sheet.name, _filled(raw[0]) if start and raw else 0)
    for number, cells in enumerate(raw[start:], start=start + 1):
        here = SourceLocation(file=where.file_of(sheet.name), sheet=where.sheet_of(sheet.name), row=number)
        stray = [c for i, c in enumerate(cells) if i not in used and c not in (None, "")]
        if stray:
            counter.not_read(sheet.name, len(stray))
            problems.append(not_read(here, " | ".join(map(str, stray)),
                                     why="the package sheet has only Field, Key and Value columns"))
        title, key_cell, value = (cells[i] if i is not None and i < len(cells) else None for i in positions)
        key = str(key_cell) if key_cell not in (None, "") else _key_for(title, sheet, by_title)
        filled = _filled([c for i, c in enumerate(cells) if i in used])
        if key is None or key in where.vertical_rows:
            counter.not_read(sheet.name, filled)
            _vertical_not_read(key, value, here, value_letter, problems)
            continue
        where.vertical_rows[key] = (number, str(title) if title not in (None, "") else sheet.column(key).title)
        where.vertical_column = value_letter
        counter.read(sheet.name, filled)
        if value is None or value == "":
            continue
        decoded = _decode(value, sheet.column(key), decode_cell, functools.partial(where, sheet.name, 0, key), problems)
        if decoded is not ABSENT:
            values[key] = decoded
    return [ReadRow(values=values, number=0, present_keys=tuple(where.vertical_rows))]


def _vertical_not_read(key: str | None, value: Any, here: SourceLocation, value_letter: str,
                       problems: list[Problem]) -> None:
    """The problem of a package-sheet row that is not read: no field name, or a field given twice."""
    if key is not None:
        problems.append(Problem(rule="tables.duplicate-column", severity="error", path="$",
                                message=f"two rows are {key!r}; only the first was read", source=here))
    elif value not in (None, ""):
        problems.append(Problem(
            rule="tables.column", severity="error", path="$",
            message="the row has a value but no field name; the value was not read",
            source=attrs.evolve(here, column=value_letter), value=value))


def _text_cell(cell: Any, column: Column) -> Any:
    return decode(cell, column.kind)


def _grid_table(grid: Grid, *, xlsx: bool) -> list[list[Any]]:
    """The grid as the rows of a sheet or CSV file: header rows, then one row per object."""
    sheet = grid.sheet
    if sheet.vertical:
        rows: list[list[Any]] = [list(VERTICAL_HEADER)]
        values = grid.rows[0] if grid.rows else {}
        for key in grid.keys:
            value = values.get(key, ABSENT)
            cell = "" if value is ABSENT else encode(value, sheet.column(key).kind, xlsx=xlsx)
            rows.append([sheet.column(key).title, key, cell])
        return rows
    rows = [[sheet.column(k).title for k in grid.keys], list(grid.keys)]
    for values in grid.rows:
        rows.append(["" if (v := values.get(k, ABSENT)) is ABSENT else encode(v, sheet.column(k).kind, xlsx=xlsx)
                     for k in grid.keys])
    return rows


# -- CSV -----------------------------------------------------------------------------------------


def write_csv(grids: Mapping[str, Grid], folder: str | os.PathLike[str]) -> list[Path]:
    """Write one UTF-8 CSV file per grid (with a byte-order mark, so that Excel reads it as UTF-8)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, grid in grids.items():
        path = target / f"{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(_grid_table(grid, xlsx=False))
        written.append(path)
    return written


def read_csv(folder: str | os.PathLike[str], plan: Layout, counter: CoverageCounter | None = None,
             ) -> tuple[dict[str, list[ReadRow]], Where, list[Problem]]:
    """Read a folder of CSV files written by `write_csv` (or by a person following its layout)."""
    counter = counter if counter is not None else CoverageCounter()
    source = Path(folder)
    if not source.is_dir():
        msg = "not a folder of CSV files" if source.exists() else "no such folder"
        raise ConversionError(msg, source=SourceLocation(file=str(source)))
    where = Where(file_of=lambda name: f"{name}.csv", sheet_of=lambda _name: None)
    problems: list[Problem] = []
    rows: dict[str, list[ReadRow]] = {}
    names = plan.names()
    found = sorted(source.glob("*.csv"))
    if not found:
        msg = "the folder holds no CSV files"
        raise ConversionError(msg, source=SourceLocation(file=str(source)))
    _check_tables([p.stem for p in found], names, what="folder", source=SourceLocation(file=source.name))
    for path in found:
        name = path.stem
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                if name not in names:
                    _unknown(counter, problems, csv.reader(handle), name, source=SourceLocation(file=path.name),
                             message=f"{path.name!r} is not one of the package's tables ({', '.join(names)}); "
                                     "it was not read")
                    continue
                rows[name] = read_table(plan[name], csv.reader(handle), where, decode_cell=_text_cell,
                                        problems=problems, counter=counter)
        except (UnicodeDecodeError, csv.Error) as error:
            msg = f"cannot read the CSV file: {one_line(error)}"
            raise ConversionError(msg, source=SourceLocation(file=path.name)) from None
    return rows, where, problems



def _check_tables(found: list[str], names: Sequence[str], *, what: str, source: SourceLocation) -> None:
    """A folder or workbook none of whose sheets is a sheet of the layout is not a tables package at all."""
    if found and not set(found) & set(names):
        shown = ", ".join(map(repr, found[:8])) + (" …" if len(found) > 8 else "")
        msg = (f"this is not a tables {what}: none of its sheets ({shown}) is a sheet of the tables layout "
               f"({', '.join(names[:4])} …). If it is another kind of spreadsheet, convert it with its own format "
               "(`sharedoutcomes formats` lists them); `sharedoutcomes.tables.template()` writes a blank tables "
               "workbook")
        raise ConversionError(msg, source=source)


def _unknown(counter: CoverageCounter, problems: list[Problem], raw: Iterable[Sequence[Any]], name: str, *,
             source: SourceLocation, message: str) -> None:
    """A sheet that is not in the layout: reported, and its cells counted as not read."""
    counter.not_read(name, sum(_filled(cells) for cells in raw))
    problems.append(Problem(rule="tables.unknown-sheet", severity="warning", path="$", message=message,
                            source=source))


# -- XLSX ----------------------------------------------------------------------------------------


def _openpyxl() -> Any:
    return require("openpyxl", extra="xlsx", purpose="reading and writing XLSX files")


def write_xlsx(grids: Mapping[str, Grid], path: str | os.PathLike[str], *, template: bool = False,
               progress: bool | None = None) -> Path:
    """Write one workbook: a sheet per grid, titles in row 1, keys in (hidden) row 2."""
    openpyxl = _openpyxl()
    from openpyxl.styles import Font, PatternFill

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    required_font = Font(bold=True, color="9C0006")
    key_font = Font(italic=True, color="808080", size=8)
    fill = PatternFill("solid", fgColor="DDEBF7")
    bar = Progress(len(grids), label="Writing", enabled=progress)
    for name, grid in grids.items():
        bar.update(note=f"{name} ({len(grid.rows)} rows)")
        sheet = grid.sheet
        ws = workbook.create_sheet(name)
        for row in _grid_table(grid, xlsx=True):
            ws.append(row)
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
        if sheet.vertical:
            _style_vertical(ws, sheet, grid, key_font, required_font)
        else:
            _style_horizontal(ws, sheet, grid, key_font, required_font, template=template)
    bar.close()
    target = Path(path)
    workbook.save(target)
    return target


def _style_vertical(ws: Worksheet, sheet: Sheet, grid: Grid, key_font: Any, required_font: Any) -> None:
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 70
    ws.freeze_panes = "A2"
    for index, key in enumerate(grid.keys, start=2):
        ws.cell(index, 2).font = key_font
        column = sheet.column(key)
        if column.required:
            ws.cell(index, 1).font = required_font
        _date_format(ws.cell(index, 3))


def _style_horizontal(ws: Worksheet, sheet: Sheet, grid: Grid, key_font: Any, required_font: Any, *,
                      template: bool) -> None:
    from openpyxl.comments import Comment
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.freeze_panes = "A3"
    ws.row_dimensions[2].hidden = True
    for index, key in enumerate(grid.keys):
        column = sheet.column(key)
        col = column_letter(index)
        longest = max((len(str(ws.cell(r, index + 1).value or "")) for r in range(3, min(ws.max_row, 200) + 1)),
                      default=0)
        ws.column_dimensions[col].width = max(12, min(40, max(len(column.title), longest) + 3))
        ws[f"{col}2"].font = key_font
        title = ws[f"{col}1"]
        if column.required:
            title.font = required_font
        if column.description and template:
            note = column.description + (" Required." if column.required else "")
            if column.codes:
                note += f" Codes: {', '.join(column.codes)}."
            title.comment = Comment(note, "sharedoutcomes", width=300, height=120)
        if column.codes and column.kind == "string":
            formula = '"' + ",".join(column.codes) + '"'
            if len(formula) <= 255:
                check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
                check.add(f"{col}3:{col}5000")
                ws.add_data_validation(check)
        if column.kind == "date":
            for row in range(3, ws.max_row + 1):
                _date_format(ws[f"{col}{row}"])


def _date_format(cell: Any) -> None:
    if isinstance(cell.value, dt.datetime | dt.date):
        cell.number_format = "yyyy-mm-dd"


def read_xlsx(path: str | os.PathLike[str], plan: Layout, *, progress: bool | None = None,
              counter: CoverageCounter | None = None) -> tuple[dict[str, list[ReadRow]], Where, list[Problem]]:
    """
    Read a workbook written by `write_xlsx` (or by a person following its layout).

    The workbook is checked first (`sharedoutcomes._office`: unsafe files refused, a stale or far
    ``<dimension>`` replaced by the real extent of the cells). The rows of each sheet are streamed
    (openpyxl's read-only mode), so memory holds the package being built, not the workbook. A
    sheet that breaks while it is read is a located ``tables.unreadable-sheet`` problem.
    """
    _openpyxl()
    counter = counter if counter is not None else CoverageCounter()
    source = Path(path)
    workbook = open_workbook(source)
    budget = Budget(name=source.name)
    where = Where(file_of=lambda _name: source.name, sheet_of=lambda name: name)
    problems: list[Problem] = []
    rows: dict[str, list[ReadRow]] = {}
    names = plan.names()
    try:
        sheets = list(workbook.worksheets)
        _check_tables([str(ws.title) for ws in sheets], names, what="workbook",
                      source=SourceLocation(file=source.name))
        bar = Progress(len(sheets), label="Reading", enabled=progress)
        for ws in sheets:
            bar.update(note=ws.title)
            _read_sheet(ws, plan, rows, where, problems=problems, counter=counter, file=source.name, budget=budget)
        bar.close()
    finally:
        workbook.close()
    return rows, where, problems


def _read_sheet(ws: Any, plan: Layout, rows: dict[str, list[ReadRow]], where: Where, *, problems: list[Problem],
                counter: CoverageCounter, file: str, budget: Budget) -> None:
    """
    Stream one worksheet into *rows*; whatever openpyxl raises on a damaged sheet becomes a located problem.

    The *budget* is charged for each row; once it is spent, its `UnsafeFile` error stops the read.
    """
    title = str(ws.title)
    reached = 0
    failure: list[Exception] = []

    def streamed() -> Iterator[list[Any]]:
        nonlocal reached
        try:
            for cells in budget.rows(ws.iter_rows(values_only=True), sheet=title):
                reached += 1
                yield list(cells)
        except ConversionError:  # the budget spent: the library's own error, as it is
            raise
        except Exception as error:  # a damaged sheet: the rows so far are kept, the failure reported below
            failure.append(error)

    if title not in plan.names():
        _unknown(counter, problems, streamed(), title, source=SourceLocation(file=file, sheet=title),
                 message=f"the sheet {title!r} is not one of the package's tables; it was not read")
    else:
        rows[title] = read_table(plan[title], streamed(), where, decode_cell=_text_cell, problems=problems,
                                 counter=counter)
    problems.extend(Problem(
        rule="tables.unreadable-sheet", severity="error", path="$",
        message=f"the sheet cannot be read beyond row {reached} ({type(error).__name__}: {one_line(error)}); "
                "the rest of the sheet was not read: save the workbook again from Excel",
        source=SourceLocation(file=file, sheet=title, row=reached + 1)) for error in failure)


# -- DataFrames ----------------------------------------------------------------------------------


def _pandas() -> Any:
    return require("pandas", extra="analysis", purpose="tables as DataFrames")


def to_frames(grids: Mapping[str, Grid]) -> dict[str, pd.DataFrame]:
    """One DataFrame (object columns named by key) per grid; absent values are ``None``."""
    pandas = _pandas()
    frames = {}
    for name, grid in grids.items():
        data = [[to_frame_cell(row[k]) if k in row else None for k in grid.keys] for row in grid.rows]
        frames[name] = pandas.DataFrame(data, columns=list(grid.keys), dtype=object)
    return frames


def read_frames(frames: Mapping[str, pd.DataFrame], plan: Layout
                ) -> tuple[dict[str, list[ReadRow]], Where, list[Problem]]:
    """Read DataFrames named like the sheets; columns may be keys or titles."""
    where = Where(file_of=lambda _name: None, sheet_of=lambda name: name)
    problems: list[Problem] = []
    rows: dict[str, list[ReadRow]] = {}
    names = plan.names()
    for name, frame in frames.items():
        if name not in names:
            problems.append(Problem(
                rule="tables.unknown-sheet", severity="warning", path="$",
                message=f"the DataFrame {name!r} is not one of the package's tables; it was not read",
                source=SourceLocation(sheet=name)))
            continue
        sheet = plan[name]
        by_title = _titles(sheet, ())
        keys = [_key_for(c, sheet, by_title) or str(c) for c in frame.columns]
        where.columns[name] = {k: (column_letter(i), str(c)) for i, (k, c) in enumerate(zip(keys, frame.columns, strict=True))}
        out: list[ReadRow] = []
        for index, cells in enumerate(frame.astype(object).itertuples(index=False, name=None)):
            values: dict[str, Any] = {}
            for key, cell in zip(keys, cells, strict=True):
                source = where(name, index + 1, key)
                try:
                    value = from_frame_cell(cell)
                except CellError as error:
                    problems.append(Problem(rule="tables.cell", severity="error", path="$",
                                            message=f"{error}; the text was kept as it is", source=source,
                                            value=cell))
                    value = cell
                if value is not ABSENT:
                    values[key] = value
            if values:
                out.append(ReadRow(values=values, number=index + 1, present_keys=tuple(keys)))
        if sheet.vertical:
            merged: dict[str, Any] = {}
            for row in out:
                merged.update(row.values)
            out = [ReadRow(values=merged, number=0, present_keys=tuple(keys))] if out else []
        rows[name] = out
    return rows, where, problems
