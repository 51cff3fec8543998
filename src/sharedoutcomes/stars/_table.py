"""Tables in, for the Outcomes Star converter: CSV and XLSX rows, column letters, and dates."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import IO, Any, Final

from sharedoutcomes._office import Budget, open_workbook
from sharedoutcomes._optional import require
from sharedoutcomes.exceptions import ConversionError, SourceLocation

Cell = str | int | float | dt.datetime | dt.date | None
"""A cell as read: text from CSV; text, numbers or dates from XLSX; ``None`` when empty."""

EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1)
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_TEXT_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]+)\.?,?[ -](\d{4})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_SERIAL_RANGE: Final = (20000, 80000)  # 1954 to 2119: anything else is not a plausible reading date


def parse_date(cell: Cell) -> dt.date | None:
    """
    A reading date from a cell: dd/mm/yyyy (UK order), d Month yyyy, ISO, an Excel serial or a date cell.

    ``None`` when the cell is not a date in any of those forms.

    Example:
        >>> parse_date("03/04/2024"), parse_date("3 April 2024"), parse_date("2024-04-03")
        (datetime.date(2024, 4, 3), datetime.date(2024, 4, 3), datetime.date(2024, 4, 3))
        >>> parse_date("45385"), parse_date(45385.0), parse_date("31/02/2024")
        (datetime.date(2024, 4, 3), datetime.date(2024, 4, 3), None)
    """
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, int | float):
        return _from_serial(float(cell))
    text = cell.strip()
    try:
        match = _NUMERIC_DATE.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                year += 2000
            return dt.date(year, month, day)
        match = _ISO_DATE.match(text)
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _TEXT_DATE.match(text)
        if match:
            named = _MONTHS.get(match.group(2).casefold())
            return None if named is None else dt.date(int(match.group(3)), named, int(match.group(1)))
    except ValueError:
        return None
    if _SERIAL.match(text):
        return _from_serial(float(text))
    return None


def _from_serial(serial: float) -> dt.date | None:
    if not _SERIAL_RANGE[0] <= serial < _SERIAL_RANGE[1]:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def cell_text(cell: Cell) -> str:
    """
    A cell as trimmed text ("" when empty); whole floats lose their ".0".

    Example:
        >>> cell_text(None), cell_text(" a "), cell_text(7.0), cell_text(7.5)
        ('', 'a', '7', '7.5')
    """
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.isoformat() if cell.time() != dt.time() else cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def source_name(source: Any) -> str:
    """The file name of a path or file object, for messages and provenance."""
    if isinstance(source, str | PathLike):
        return Path(source).name
    return Path(str(getattr(source, "name", "") or "export")).name


def is_xlsx(source: Any, name: str) -> bool:
    """Whether *source* is an XLSX workbook (by extension, or by its ZIP signature)."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        return True
    if isinstance(source, str | PathLike):
        try:
            with Path(source).open("rb") as handle:
                return handle.read(4) == b"PK\x03\x04"
        except OSError:
            return False
    return False


def _open_text(source: Any, name: str) -> IO[str]:
    if not isinstance(source, str | PathLike):
        if hasattr(source, "read"):
            if isinstance(source, io.TextIOBase):
                return source  # type: ignore[return-value]
            return io.TextIOWrapper(source, encoding="utf-8-sig")
        raise ConversionError(f"cannot read {type(source).__name__} as a Star export: give a path or a file")
    path = Path(source)
    try:
        with path.open("rb") as handle:
            sample = handle.read(65536)
    except OSError as error:
        raise ConversionError(f"cannot open the file: {error.strerror or error}",
                              source=SourceLocation(file=name)) from None
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=False)
    except UnicodeDecodeError:
        encoding = "cp1252"  # what Excel on Windows saves "CSV" as
    return path.open(encoding=encoding, newline="", errors="replace")


def iter_csv(source: Any, name: str) -> Iterator[tuple[int, list[Cell]]]:
    """Yield (row number counting from 1, cells) for every row of a CSV file."""
    handle = _open_text(source, name)
    try:
        sample = handle.read(8192)
        handle.seek(0) if handle.seekable() else None
        delimiter = ","
        if sample:
            counts = {d: sample.count(d) for d in (",", ";", "\t")}
            delimiter = max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","
        if not handle.seekable():  # pragma: no cover - only for unseekable streams
            handle = io.StringIO(sample + handle.read())
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as error:
            raise ConversionError(f"not a readable CSV file: {error}",
                                  source=SourceLocation(file=name, row=reader.line_num)) from None
    finally:
        if isinstance(source, str | PathLike):
            handle.close()


def iter_xlsx(source: Any, name: str, sheet: str | None) -> tuple[str, Iterator[tuple[int, list[Cell]]]]:
    """The sheet's title and an iterator of (row number, cells) for an XLSX workbook."""
    require("openpyxl", extra="xlsx", purpose="reading XLSX Star exports")
    book = open_workbook(source, name=name)
    budget = Budget(name=name)
    if sheet is None:
        worksheet = book.worksheets[0]
    elif sheet in book.sheetnames:
        worksheet = book[sheet]
    else:
        book.close()
        raise ConversionError(f"the workbook has no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})",
                              source=SourceLocation(file=name))

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, row in enumerate(budget.rows(worksheet.iter_rows(values_only=True),
                                                     sheet=worksheet.title), start=1):
                yield number, list(row)
        finally:
            book.close()

    return worksheet.title, rows()
