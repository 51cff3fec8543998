"""
Recognising identifiers of people: CHI and NHS numbers (by their check digit), emails, phone numbers, postcodes, dates of birth.

A leaf module (it imports nothing of the library's), so that the validation rules, the
pseudonymiser and the publisher all use the same detectors.

CHI and NHS numbers are ten digits whose last is a modulus-11 check digit over the first nine
(weights 10 down to 2; 11 − the remainder, 11 meaning 0 and 10 meaning the number is not valid).
A CHI number starts with its holder's date of birth (DDMMYY), so it is below 320 000 000 0; NHS
numbers (and Northern Ireland's health and care numbers) are issued from 320 000 000 0 upwards, so
the ranges do not overlap [I: the ranges are general knowledge, not re-verified against NHS
Digital's allocation tables].
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Final, Literal, NamedTuple

__all__ = [
    "KIND_WORDS",
    "Found",
    "HealthNumberKind",
    "IdentifierKind",
    "find_identifiers",
    "health_number",
    "health_number_kind",
    "is_full_postcode",
    "mod11_check_digit",
    "postcode_district",
    "redact",
]

HealthNumberKind = Literal["chi", "nhs"]
IdentifierKind = Literal["chi", "nhs", "email", "phone", "postcode", "date-of-birth"]

KIND_WORDS: Final[dict[str, str]] = {
    "chi": "a CHI number", "nhs": "an NHS number", "email": "an email address", "phone": "a phone number",
    "postcode": "a full postcode", "date-of-birth": "a date of birth",
}
"""Each kind of identifier, in words."""

_WEIGHTS: Final = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_NHS_FROM: Final = 3_200_000_000
_SEPARATORS = re.compile(r"[\s\-–]+")
_TEN_DIGITS = re.compile(r"^\d{10}$")

# In free text: ten digits, grouped 3-3-4 or 6-4 or not at all, not inside a longer run of digits.
_HEALTH_IN_TEXT = re.compile(r"(?<![\d+])(\d{3}[ \-]?\d{3}[ \-]?\d{4}|\d{6}[ \-]?\d{4})(?![\d])")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9])")
# UK numbers: +44 or 0, then 9 or 10 more digits, spaced or hyphenated as people write them.
_PHONE_IN_TEXT = re.compile(r"(?<![\w+])(?:\+44[\s\-]?(?:\(0\))?[\s\-]?|\(?0)\d{2,4}\)?(?:[\s\-]?\d){6,8}(?![\d])")
_POSTCODE = r"(?:[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?)\s*\d[ABD-HJLNP-UW-Z]{2}"
_POSTCODE_IN_TEXT = re.compile(rf"(?<![A-Za-z0-9])({_POSTCODE})(?![A-Za-z0-9])", re.IGNORECASE)
_POSTCODE_WHOLE = re.compile(rf"^\s*({_POSTCODE})\s*$", re.IGNORECASE)
_OUTWARD = re.compile(r"^\s*([A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?)(?:\s*\d[A-Z]{2})?\s*$", re.IGNORECASE)
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
           "september|october|november|december")
_A_DATE = (rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
           rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})")
_DOB_IN_TEXT = re.compile(
    rf"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)\s*[:\-]?\s*(?:on\s+)?({_A_DATE})",
    re.IGNORECASE)
_CLUES: Final = ("@", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
_ASCII_DIGITS: Final = "0123456789"


class Found(NamedTuple):
    """An identifier found in a text: its kind and where it is (``text[start:end]``)."""

    kind: IdentifierKind
    start: int
    end: int


def mod11_check_digit(nine: str) -> int | None:
    """
    The modulus-11 check digit of nine digits, or ``None`` when no ten-digit number can end them.

    Example:
        >>> mod11_check_digit("943476591")
        9
        >>> mod11_check_digit("120456129") is None   # no ten-digit number starts with these nine
        True
    """
    total = sum(int(d) * w for d, w in zip(nine, _WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    return None if digit == 10 else digit


def health_number(text: str) -> str | None:
    """
    The ten digits of *text* when it is written as a ten-digit number (spaces and dashes ignored), else ``None``.

    The check digit is not looked at: see `health_number_kind`.

    Example:
        >>> health_number(" 943 476 5919 ")
        '9434765919'
        >>> health_number("C-101") is None
        True
    """
    digits = _SEPARATORS.sub("", text)
    return digits if _TEN_DIGITS.match(digits) else None


def _dob_prefix(digits: str) -> bool:
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    try:
        dt.date(2000 + year, month, day)  # a leap year for 29 February in any century ending 00
    except ValueError:
        return False
    return True


def health_number_kind(digits: str) -> HealthNumberKind | None:
    """
    ``"chi"`` or ``"nhs"`` for ten digits with a valid modulus-11 check digit; ``None`` otherwise.

    A valid number below the NHS ranges (from 320 000 000 0, Northern Ireland's first) is a CHI number when it
    begins with a possible date of birth (DDMMYY), and neither otherwise.

    Example:
        >>> health_number_kind("9434765919"), health_number_kind("0101011234") is None
        ('nhs', True)
        >>> health_number_kind("1204561230")
        'chi'
    """
    if not _TEN_DIGITS.match(digits) or mod11_check_digit(digits[:9]) != int(digits[9]):
        return None
    if int(digits) < _NHS_FROM:
        return "chi" if _dob_prefix(digits) else None
    return "nhs"


def postcode_district(text: str) -> str | None:
    """
    The postcode district (the outward code) of a UK postcode, full or already coarsened; ``None`` if it is not one.

    Example:
        >>> postcode_district("ka12 8xx"), postcode_district("KA12"), postcode_district("Irvine")
        ('KA12', 'KA12', None)
    """
    match = _OUTWARD.match(text)
    return match.group(1).upper() if match else None


def find_identifiers(text: str) -> list[Found]:
    """
    Every CHI or NHS number, email address, phone number, full postcode and date of birth in free *text*.

    Ten-digit numbers count only when their check digit is valid; a date counts as a date of birth
    only when the text says so ("born", "DOB", "date of birth"). Found spans do not overlap.

    Example:
        >>> text = "Mrs B (DOB 12/04/1956, CHI 120456 1230) on 01294 555 123, KA12 8XX"
        >>> [(f.kind, text[f.start:f.end]) for f in find_identifiers(text)]
        [('date-of-birth', '12/04/1956'), ('chi', '120456 1230'), ('phone', '01294 555 123'), ('postcode', 'KA12 8XX')]
        >>> find_identifiers("Seen on 12/04/2024 at the shed")
        []
    """
    if not any(clue in text for clue in _CLUES):
        return []  # the common case: prose with no digit and no @ holds none of them
    # Each detector needs a number of digits (\d: any decimal digit, which in ASCII text is 0-9): a text with
    # fewer is not searched for it. Other text is searched for everything.
    digits = sum(map(text.count, _ASCII_DIGITS)) if text.isascii() else 10
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def add(kind: IdentifierKind, start: int, end: int) -> None:
        if all(end <= s or start >= e for s, e in taken):
            taken.append((start, end))
            found.append(Found(kind, start, end))

    for match in _EMAIL_IN_TEXT.finditer(text) if "@" in text else ():
        add("email", match.start(), match.end())
    for match in _DOB_IN_TEXT.finditer(text) if digits >= 4 else ():  # 1/2/56, 3rd May 1956 …
        add("date-of-birth", match.start(1), match.end(1))
    for match in _HEALTH_IN_TEXT.finditer(text) if digits >= 10 else ():
        kind = health_number_kind(_SEPARATORS.sub("", match.group(1)))
        if kind is not None:
            add(kind, match.start(1), match.end(1))
    for match in _PHONE_IN_TEXT.finditer(text) if digits >= 9 else ():  # 0 and at least 8 more
        number = re.sub(r"\D", "", match.group())
        if len(set(number.removeprefix("44"))) > 2:  # "00000000000" is a placeholder, not a number
            add("phone", match.start(), match.end())
    for match in _POSTCODE_IN_TEXT.finditer(text) if digits >= 2 else ():  # KA1 2AB
        add("postcode", match.start(1), match.end(1))
    return sorted(found, key=lambda f: f.start)


def redact(text: str, found: list[Found] | None = None) -> str:
    """
    *text* with each identifier in it replaced by ``[removed: <kind>]``.

    Example:
        >>> redact("Call Ann on 07700 900123 or ann@example.org")
        'Call Ann on [removed: phone] or [removed: email]'
    """
    spans = find_identifiers(text) if found is None else found
    return "".join(_pieces(text, spans))


def _pieces(text: str, spans: list[Found]) -> Iterator[str]:
    position = 0
    for span in spans:
        yield text[position:span.start]
        yield f"[removed: {span.kind}]"
        position = span.end
    yield text[position:]


def is_full_postcode(text: str) -> bool:
    """
    Whether *text* is a full UK postcode (outward and inward code).

    Example:
        >>> is_full_postcode("KA12 8XX"), is_full_postcode("KA12")
        (True, False)
    """
    return _POSTCODE_WHOLE.match(text) is not None
