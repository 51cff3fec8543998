"""
Reading and writing the answers people type into forms: UK money, numbers, percentages, dates, yes/no.

Every parser takes what a cell holds (text, or a number or date from a spreadsheet) and
returns the value, or raises `FormValueError` with a reason in a project officer's words.
Every formatter writes a value so that its parser reads the same value back.

Example:
    >>> parse_money("£5,000")
    5000
    >>> parse_date("1 April 2024")
    datetime.date(2024, 4, 1)
    >>> parse_date("01/04/2024")
    datetime.date(2024, 4, 1)
    >>> parse_percentage("50%")
    50
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Final

__all__ = [
    "FormValueError",
    "format_date",
    "format_money",
    "format_number",
    "is_blank",
    "normalise_label",
    "parse_date",
    "parse_money",
    "parse_number",
    "parse_percentage",
    "parse_yes_no",
    "slug",
    "to_text",
]

Number = int | float


class FormValueError(ValueError):
    """
    An answer is not the kind of value its question asks for.

    Attributes:
        rule: The stable problem rule id, such as ``form.not-a-number``.
        reason: What is wrong, completing "target '20 people' …", e.g. "is not a number".

    Example:
        >>> FormValueError("form.not-a-number", "is not a number").reason
        'is not a number'
    """

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


_MONTHS: Final = {name: number for number, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH_NAMES: Final = ("January", "February", "March", "April", "May", "June", "July", "August",
                       "September", "October", "November", "December")

_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+Z?)?$")
_WORDY_DATE = re.compile(r"^(?:[a-z]+day,?\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+([a-z]+)\.?,?\s+(\d{2}|\d{4})$")
_MONTH_FIRST_DATE = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


UNWRITABLE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters a Word or Excel file (XML 1.0) cannot hold."""

FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
"""How text that a spreadsheet would run as a formula starts (OWASP, CSV injection)."""


def writable(text: str) -> str:
    r"""
    *text* without the characters a Word or Excel file cannot hold.

    Example:
        >>> writable("less\x0cisolated")
        'lessisolated'
    """
    return UNWRITABLE.sub("", text)


def is_blank(value: Any) -> bool:
    """
    Whether a cell holds no answer (nothing, spaces, or a dash).

    Example:
        >>> is_blank("  "), is_blank("-"), is_blank(0)
        (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in ("", "-", "–", "—", "n/a", "N/A")
    return False


def to_text(value: Any) -> str:
    """
    A cell's value as the text a person sees.

    Example:
        >>> to_text(dt.date(2024, 4, 1)), to_text(1200.0), to_text(None)
        ('01/04/2024', '1200', '')
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number_text(value: Any) -> str:
    return to_text(value).replace(",", "").replace("\u00a0", "").replace(" ", "")


def _as_number(text: str) -> Number | None:
    if not _NUMBER.match(text):
        return None
    if re.match(r"^[+-]?\d+$", text):
        return int(text)
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):  # noqa: PLR0124 - NaN check
        return None
    return number


def parse_number(value: Any) -> Number:
    """
    Read a count or measurement: ``"1,200"``, ``"12.5"``, ``1200`` (a spreadsheet number).

    A trailing ``%`` is allowed (the value is the percentage); use `parse_percentage` to
    know that it was one.

    Raises:
        FormValueError: ``form.not-a-number``.

    Example:
        >>> parse_number("1,200"), parse_number(" 12.5 "), parse_number(7)
        (1200, 12.5, 7)
        >>> parse_number("20 people")
        Traceback (most recent call last):
        ...
        sharedoutcomes.forms._values.FormValueError: is not a number
    """
    if isinstance(value, bool):
        raise FormValueError("form.not-a-number", "is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):  # noqa: PLR0124 - NaN check
            raise FormValueError("form.not-a-number", "is not a number")
        return value
    text = _number_text(value).removesuffix("%")
    number = _as_number(text)
    if number is None:
        raise FormValueError("form.not-a-number", "is not a number")
    return number


def parse_percentage(value: Any) -> Number:
    """
    Read a percentage: ``"50%"``, ``"50"``, ``"12.5 %"``; over 100 is refused.

    Raises:
        FormValueError: ``form.not-a-number`` or ``form.percentage-over-100``.

    Example:
        >>> parse_percentage("12.5 %")
        12.5
        >>> parse_percentage("120%")
        Traceback (most recent call last):
        ...
        sharedoutcomes.forms._values.FormValueError: is a percentage over 100
    """
    try:
        number = parse_number(value)
    except FormValueError:
        raise FormValueError("form.not-a-number", "is not a percentage") from None
    if number > 100:
        raise FormValueError("form.percentage-over-100", "is a percentage over 100")
    if number < 0:
        raise FormValueError("form.not-a-number", "is a negative percentage")
    return number


def parse_money(value: Any) -> Number:
    """
    Read an amount of money in pounds: ``"£5,000"``, ``"5000.50"``, ``"£12k"``, ``"GBP 300"``.

    Raises:
        FormValueError: ``form.not-money``.

    Example:
        >>> parse_money("£18,500.00"), parse_money("£12k"), parse_money(300)
        (18500, 12000, 300)
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0:
            raise FormValueError("form.not-money", "is a negative amount of money")
        return value
    text = _number_text(value).lower()
    for token in ("£", "gbp", "pounds", "pound"):
        text = text.replace(token, "")
    multiplier = 1
    if text.endswith("k"):
        text, multiplier = text[:-1], 1000
    number = _as_number(text)
    if number is None:
        raise FormValueError("form.not-money", "is not an amount of money")
    if number < 0:
        raise FormValueError("form.not-money", "is a negative amount of money")
    if isinstance(number, float) and number.is_integer() and text.endswith((".00", ".0")):
        number = int(number)
    number = number * multiplier
    if isinstance(number, float) and multiplier != 1 and number.is_integer():
        number = int(number)
    return number


def _make_date(year: int, month: int, day: int) -> dt.date:
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise FormValueError("form.impossible-date", "is not a real date") from None


def parse_date(value: Any) -> dt.date:
    """
    Read a UK date: ``"1 April 2024"``, ``"1st Apr 24"``, ``"01/04/2024"``, ``"2024-04-01"``.

    Numeric dates are day first, as in the UK. A spreadsheet date cell is taken as it is.

    Raises:
        FormValueError: ``form.not-a-date``, or ``form.impossible-date`` for a date such as
            31/02/2024.

    Example:
        >>> parse_date("1st Apr 24")
        datetime.date(2024, 4, 1)
        >>> parse_date("31/02/2024")
        Traceback (most recent call last):
        ...
        sharedoutcomes.forms._values.FormValueError: is not a real date
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = " ".join(to_text(value).lower().split())
    if match := _NUMERIC_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if match := _WORDY_DATE.match(text):
        day_text, month_text, year_text = match.groups()
        if month_text in _MONTHS:
            return _make_date(int(year_text), _MONTHS[month_text], int(day_text))
    if match := _MONTH_FIRST_DATE.match(text):
        month_text, day_text, year_text = match.groups()
        if month_text in _MONTHS:
            return _make_date(int(year_text), _MONTHS[month_text], int(day_text))
    raise FormValueError("form.not-a-date", "is not a date")


_PERIOD_SPLIT: Final = re.compile(r"\s+(?:to|until|till)\s+|\s*[–—]\s*|\s+-\s+", re.IGNORECASE)


def parse_period(value: Any) -> tuple[dt.date, dt.date]:
    """
    Read a period written as one answer: ``"1 April 2024 to 31 March 2025"``, ``"01/04/2024 - 31/03/2025"``.

    Raises:
        FormValueError: ``form.not-a-date`` when it is not two dates, from and to (or the end
            is before the start), or ``form.impossible-date``.

    Example:
        >>> parse_period("1 April 2024 to 31 March 2025")
        (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
    """
    text = " ".join(to_text(value).split())
    text = re.sub(r"^(?:from\s+)", "", text, flags=re.IGNORECASE)
    parts = _PERIOD_SPLIT.split(text, maxsplit=1)
    if len(parts) != 2:
        raise FormValueError("form.not-a-date", "is not a period: write it as two dates, e.g. 1 April 2024 to "
                             "31 March 2025")
    start, end = parse_date(parts[0]), parse_date(parts[1])
    if end < start:
        raise FormValueError("form.not-a-date", "ends before it starts")
    return start, end


_YES: Final = frozenset({"yes", "y", "true", "x", "✓", "✔", "☒", "ticked", "agreed", "given", "consent given"})
_NO: Final = frozenset({"no", "n", "false", "☐", "not given", "refused", "declined"})


def parse_yes_no(value: Any) -> bool:
    """
    Read a yes/no answer: ``"Yes"``, ``"y"``, ``"X"`` or a tick mean yes; ``"No"`` means no.

    Raises:
        FormValueError: ``form.not-yes-no``.

    Example:
        >>> parse_yes_no("Yes"), parse_yes_no("✓"), parse_yes_no("no")
        (True, True, False)
    """
    if isinstance(value, bool):
        return value
    text = " ".join(to_text(value).lower().strip(" .!").split())
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise FormValueError("form.not-yes-no", "is not yes or no")


def format_number(value: Number) -> str:
    """
    Write a number so that `parse_number` reads it back exactly.

    Example:
        >>> format_number(1200), format_number(12.5)
        ('1,200', '12.5')
    """
    if isinstance(value, float) and ("e" in repr(value) or "E" in repr(value)):
        return repr(value)
    return f"{value:,}"


def format_money(value: Number) -> str:
    """
    Write pounds as a UK form shows them.

    Example:
        >>> format_money(18500), format_money(250.5)
        ('£18,500', '£250.5')
    """
    return "£" + format_number(value)


def format_date(value: dt.date) -> str:
    """
    Write a date day first, as a UK form shows it.

    Example:
        >>> format_date(dt.date(2024, 4, 1))
        '01/04/2024'
    """
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def long_date(value: dt.date) -> str:
    """
    Write a date in words.

    Example:
        >>> long_date(dt.date(2024, 4, 1))
        '1 April 2024'
    """
    return f"{value.day} {_MONTH_NAMES[value.month - 1]} {value.year}"


_LEADING_NUMBER = re.compile(r"^(?:q(?:uestion)?\s*)?(?:[a-l]\d+[a-z]?|\d+(?:\.\d+)*[a-z]?)[.):]?\s+|^[a-l][.)]\s+")


def normalise_label(text: str) -> str:
    """
    A question label reduced for matching: case, spacing, punctuation and numbering ignored.

    Example:
        >>> normalise_label("  A1.  Organisation NAME:* ")
        'organisation name'
        >>> normalise_label("Amount awarded (£)")
        'amount awarded'
    """
    text = unicodedata.normalize("NFKC", text).lower().strip()
    text = text.split("\n", 1)[0] if "\n" in text else text
    text = text.replace("&", " and ").replace("’", "'")
    text = _LEADING_NUMBER.sub("", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\b(optional|required)\b", " ", text)
    return " ".join(text.replace("_", " ").split())


def slug(text: str, *, limit: int = 40) -> str:
    """
    A lower-case, hyphenated identifier made from text.

    Example:
        >>> slug("Garnock Valley Men's Shed!")
        'garnock-valley-men-s-shed'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return out[:limit].strip("-")


def split_choices(value: Any) -> list[str]:
    """
    Split a multiple-choice answer: ``"1, 4 and 6"`` or ``"1; 4"`` or one per line.

    Example:
        >>> split_choices("1, 4 and 6")
        ['1', '4', '6']
    """
    if isinstance(value, list | tuple):
        return [to_text(v) for v in value if not is_blank(v)]
    text = to_text(value)
    parts = re.split(r"\s*(?:[,;\n/]|\band\b|&)\s*", text)
    return [p.strip() for p in parts if p.strip()]


def match_choice(text: str, choices: Sequence[tuple[str, str, Sequence[str]]]) -> str | None:
    """
    The code of the choice *text* names: its code, its label, an alternative, or a leading number.

    *choices* are (code, label, alternatives).

    Example:
        >>> nhwo = [(str(n), f"Outcome {n}", ()) for n in range(1, 10)]
        >>> match_choice("NHWO 4", nhwo), match_choice("4. Services improve quality of life", nhwo)
        ('4', '4')
        >>> match_choice("12", nhwo) is None
        True
    """
    wanted = normalise_label(text)
    raw = text.strip().lower()
    for code, label, alternatives in choices:
        names = {normalise_label(code), normalise_label(label), *(normalise_label(a) for a in alternatives)}
        if wanted in names or raw == code.lower():
            return code
    number = re.match(r"^(?:national\s+outcome|nhwo|outcome|no\.?)?\s*(\d+)\b", raw)
    if number:
        codes = {code for code, _label, _alts in choices}
        if number.group(1) in codes:
            return number.group(1)
    return None


def json_ready(value: Any) -> Any:
    """
    A parsed answer as JSON data: dates become ISO strings, tuples lists.

    Example:
        >>> json_ready({"on": dt.date(2024, 4, 1), "codes": ("1", "4")})
        {'on': '2024-04-01', 'codes': ['1', '4']}
    """
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value
