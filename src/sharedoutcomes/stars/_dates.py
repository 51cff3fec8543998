"""
Reading dates in Star exports: the forms they come in, and, when a cell is not a date, exactly why.

UK exports write dates day first (``03/04/2024`` is 3 April). A cell in one of the accepted
forms that names no real day (``31/04/2024``) is reported as such (`date_problem`), not as
"not a date".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, Final

__all__ = ["EXCEL_EPOCH", "date_problem", "parse_date"]

EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1)
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$", re.ASCII)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$", re.ASCII)
_TEXT_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]+)\.?,?[ -](\d{4})$", re.ASCII)
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$", re.ASCII)
_SERIAL_RANGE: Final = (20000, 80000)  # 1954 to 2119: anything else is not a plausible reading date
_EXPECTED: Final = "expected dd/mm/yyyy, d Month yyyy, yyyy-mm-dd or an Excel date"


def _parts(text: str) -> tuple[int, int, int, str] | None:
    """(year, month, day, the form) of a text in one of the accepted forms, whether or not the day exists."""
    match = _NUMERIC_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return (year + 2000 if len(match.group(3)) == 2 else year), month, day, "dd/mm/yyyy"
    match = _ISO_DATE.match(text)
    if match:
        return int(match.group(1)), int(match.group(2)), int(match.group(3)), "yyyy-mm-dd"
    match = _TEXT_DATE.match(text)
    if match:
        named = _MONTHS.get(match.group(2).casefold())
        return (int(match.group(3)), named, int(match.group(1)), "d Month yyyy") if named else None
    return None


def parse_date(cell: Any) -> dt.date | None:
    """
    A reading date from a cell: dd/mm/yyyy (UK order), d Month yyyy, ISO, an Excel serial or a date cell.

    ``None`` when the cell is not a date in any of those forms (`date_problem` says why).

    Example:
        >>> parse_date("03/04/2024"), parse_date("3 April 2024"), parse_date("2024-04-03")
        (datetime.date(2024, 4, 3), datetime.date(2024, 4, 3), datetime.date(2024, 4, 3))
        >>> parse_date("45385"), parse_date(45385.0), parse_date("31/02/2024")
        (datetime.date(2024, 4, 3), datetime.date(2024, 4, 3), None)
    """
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, int | float):
        return _from_serial(float(cell))
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    parts = _parts(text)
    if parts is not None:
        try:
            return dt.date(parts[0], parts[1], parts[2])
        except ValueError:
            return None
    if _SERIAL.match(text):
        return _from_serial(float(text))
    return None


def _from_serial(serial: float) -> dt.date | None:
    if not _SERIAL_RANGE[0] <= serial < _SERIAL_RANGE[1]:  # also False for NaN
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def date_problem(cell: Any) -> str:
    """
    Why *cell* is not a reading date, for a message: the impossible day named as such.

    Example:
        >>> date_problem("31/04/2024")
        "'31/04/2024': April has 30 days"
        >>> date_problem("29/02/2023")
        "'29/02/2023': February 2023 has 28 days (2023 is not a leap year)"
        >>> date_problem("04/13/2024")
        "'04/13/2024': there is no month 13 (dates are read day first, dd/mm/yyyy)"
        >>> date_problem("5th of Smarch")
        "'5th of Smarch' is not a date (expected dd/mm/yyyy, d Month yyyy, yyyy-mm-dd or an Excel date)"
    """
    text = " ".join(str(cell).split()) if isinstance(cell, str) else str(cell)
    shown = repr(text if len(text) <= 40 else text[:39] + "…")
    parts = _parts(text) if isinstance(cell, str) else None
    if parts is not None:
        year, month, day, form = parts
        if not 1 <= month <= 12:
            order = " (dates are read day first, dd/mm/yyyy)" if form == "dd/mm/yyyy" else ""
            return f"{shown}: there is no month {month}{order}"
        if year < 1:
            return f"{shown}: there is no year {year}"
        last = calendar.monthrange(year, month)[1]
        name = calendar.month_name[month]
        if day == 0:
            return f"{shown}: there is no day 0"
        if month == 2 and day == 29:
            return f"{shown}: February {year} has 28 days ({year} is not a leap year)"
        return f"{shown}: {name} has {last} days"
    if (isinstance(cell, int | float) and not isinstance(cell, bool)) or (isinstance(cell, str) and _SERIAL.match(text)):
        return (f"{shown} is not a plausible Excel date (an Excel date between {_SERIAL_RANGE[0]} and "
                f"{_SERIAL_RANGE[1]}, 1954 to 2119, was expected)")
    return f"{shown} is not a date ({_EXPECTED})"
