"""
Survey exports in: the rows of a CSV file or of one sheet of an XLSX workbook, and dates in UK order.

XLSX workbooks are checked and opened through `sharedoutcomes._office` (python-calamine where it gives
what openpyxl's read-only, values-only rows give, else openpyxl; the ``xlsx`` extra).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from os import PathLike
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._office import Budget, open_rows
from sharedoutcomes._optional import require
from sharedoutcomes.exceptions import ConversionError, SourceLocation

__all__ = ["Cell", "Sheet", "as_text", "delimiter_of", "read_date", "read_sheet"]

Cell = str | int | float | dt.datetime | dt.date | None
"""A cell: text from CSV; text, numbers or dates from XLSX; ``None`` when empty."""

_DMY: Final = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD: Final = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_WORDS: Final = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_MONTH_NAMES: Final = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SPREADSHEET_DAY_ONE: Final = dt.date(1899, 12, 30)


def as_text(cell: Cell) -> str:
    """
    A cell as trimmed text ('' when empty; whole floats without '.0'; dates in ISO form).

    Example:
        >>> as_text(4.0), as_text(" SP-01 "), as_text(None), as_text(dt.date(2024, 5, 2))
        ('4', 'SP-01', '', '2024-05-02')
    """
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.date):
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        return day.isoformat()
    return str(cell).strip()


def read_date(cell: Cell) -> dt.date | None:
    """
    A response date: day/month/year (UK order), ISO, '2 May 2024', a spreadsheet date or serial; else ``None``.

    Example:
        >>> read_date("02/05/2024"), read_date("2 May 2024"), read_date("2024-05-02T10:15:00")
        (datetime.date(2024, 5, 2), datetime.date(2024, 5, 2), datetime.date(2024, 5, 2))
        >>> read_date("13/25/2024") is None, read_date(45414), read_date(dt.datetime(2024, 5, 2, 9))
        (True, datetime.date(2024, 5, 2), datetime.date(2024, 5, 2))
    """
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _serial(cell)
    text = as_text(cell)
    parts: tuple[int, int, int] | None = None
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        parts = (year + 2000 if year < 100 else year, month, day)
    elif match := _YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
        parts = (year, month, day)
    elif (match := _WORDS.match(text)) and match.group(2)[:3].casefold() in _MONTH_NAMES:
        parts = (int(match.group(3)), _MONTH_NAMES.index(match.group(2)[:3].casefold()) + 1, int(match.group(1)))
    elif text.isdecimal() and len(text) == 5:
        return _serial(int(text))
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def _serial(number: float) -> dt.date | None:
    if not 20000 <= number <= 80000:  # 1954 to 2119: anything else is not a plausible response date
        return None
    return _SPREADSHEET_DAY_ONE + dt.timedelta(days=int(number))


def delimiter_of(sample: str) -> str:
    r"""
    The delimiter of a CSV export, from its first 8,192 characters: the commonest of comma, semicolon and tab.

    Example:
        >>> delimiter_of("Person;Date\nSP-1;02/05/2024\n"), delimiter_of("Person\n")
        (';', ',')
    """
    return max((",", ";", "\t"), key=sample.count) if any(d in sample for d in ",;\t") else ","


class Sheet:
    """The rows of one table: its name (the sheet's title, or ``None`` for CSV) and (row number, cells)."""

    def __init__(self, name: str | None, rows: list[tuple[int, list[Cell]]]) -> None:
        self.name = name
        self.rows = rows


def _csv_rows(source: Any, file: str) -> list[tuple[int, list[Cell]]]:
    if isinstance(source, str | PathLike):
        try:
            raw = Path(source).read_bytes()
        except OSError as error:
            raise ConversionError(f"cannot open the file: {error.strerror or error}",
                                  source=SourceLocation(file=file)) from None
    elif hasattr(source, "read"):
        data = source.read()
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    else:
        raise ConversionError(f"cannot read {type(source).__name__} as a survey export: give a path or a file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # what Excel on Windows saves as CSV
    delimiter = delimiter_of(text[:8192])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, list(row)) for number, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise ConversionError(f"not a readable CSV file: {error}",
                              source=SourceLocation(file=file, row=reader.line_num)) from None


def _xlsx_rows(source: Any, file: str, sheet: str | None) -> Sheet:
    """The rows of one sheet, through the one safe way into Office files (unsafe workbooks refused)."""
    require("openpyxl", extra="xlsx", purpose="reading XLSX survey exports")
    book = open_rows(source, name=file)
    budget = Budget(name=file)
    number = 0
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ConversionError(f"the workbook has no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})",
                                  source=SourceLocation(file=file))
        if sheet is None and not book.worksheets:
            raise ConversionError("the workbook has no worksheet: export the responses again",
                                  source=SourceLocation(file=file))
        title = sheet if sheet is not None else book.worksheets[0]
        rows: list[tuple[int, list[Cell]]] = []
        for number, row in enumerate(budget.rows(book.rows(title), sheet=title), start=1):
            rows.append((number, list(row)))  # type: ignore[arg-type]  # XLSX cells: text, numbers, dates
        return Sheet(title, rows)
    except ConversionError:
        raise
    except Exception as error:  # openpyxl (or calamine) raises anything at all on a damaged sheet
        raise ConversionError(f"the sheet cannot be read beyond row {number} ({type(error).__name__}); the "
                              "workbook is damaged: save it again from Excel",
                              source=SourceLocation(file=file, row=number + 1)) from None
    finally:
        book.close()


def read_sheet(source: Any, file: str, sheet: str | None = None) -> Sheet:
    r"""
    Every row of a CSV export, or of one sheet (the first unless *sheet* is given) of an XLSX workbook.

    Raises:
        ConversionError: The file cannot be opened or read, or has no such sheet.

    Example:
        >>> rows = read_sheet(io.BytesIO(b"Person,Date\nSP-1,02/05/2024\n"), "s.csv").rows
        >>> rows[1]
        (2, ['SP-1', '02/05/2024'])
    """
    is_zip = False
    if isinstance(source, str | PathLike):
        try:
            with Path(source).open("rb") as handle:
                is_zip = handle.read(4) == b"PK\x03\x04"
        except OSError:
            is_zip = False
    if file.lower().endswith((".xlsx", ".xlsm")) or is_zip:
        return _xlsx_rows(source, file, sheet)
    return Sheet(None, _csv_rows(source, file))
