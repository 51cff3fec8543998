"""Which columns of an export hold what personal data, and how each kind is coarsened (dates of birth, addresses, postcodes)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any, Final, Literal

from sharedoutcomes._util.identifiers import is_full_postcode, postcode_district
from sharedoutcomes.stars import DEFAULT_HEADERS, normalise_label

__all__ = [
    "AGE_BANDS",
    "ROLE_HEADERS",
    "AddressMode",
    "BirthMode",
    "Role",
    "age_band",
    "birth_date",
    "column_role",
    "locality_of",
]

Role = Literal["identifier", "worker", "name", "date-of-birth", "address", "postcode", "contact"]
BirthMode = Literal["year", "age-band", "remove"]
AddressMode = Literal["locality", "remove"]

ROLE_HEADERS: Final[Mapping[Role, tuple[str, ...]]] = {
    "identifier": (*DEFAULT_HEADERS["person"], "CHI", "CHI number", "CHI no", "CHI no.", "Community Health Index",
                   "NHS number", "NHS no", "NHS no.", "Health and care number", "Person", "Service user number",
                   "Carer ID", "Respondent ID", "Member ID"),
    "worker": DEFAULT_HEADERS["worker"],
    "name": ("Name", "Full name", "First name", "Forename", "Forenames", "Given name", "Surname", "Last name",
             "Family name", "Client name", "Service user name", "Person name", "Participant name", "Carer name",
             "Preferred name", "Known as", "Respondent name", "Member name", "Next of kin", "Emergency contact",
             "Contact name", "Worker's name", "Key worker name", "Keyworker name", "Staff name"),
    "date-of-birth": ("Date of birth", "DOB", "D.O.B.", "Birth date", "Birthdate", "Date of birth (dd/mm/yyyy)",
                      "Born"),
    "address": ("Address", "Home address", "Address line 1", "Address line 2", "Address line 3", "Address 1",
                "Address 2", "Address 3", "Street", "Street address", "House number", "House name", "Full address"),
    "postcode": ("Postcode", "Post code", "Postal code", "Home postcode", "Zip", "Zip code"),
    "contact": ("Email", "Email address", "E-mail", "E-mail address", "Phone", "Phone number", "Telephone",
                "Telephone number", "Tel", "Tel no", "Mobile", "Mobile number", "Mobile phone", "Contact number",
                "Home phone", "Landline"),
}
"""The headings recognised for each kind of personal column (case, spacing and punctuation ignored)."""

_INDEX: Final = {normalise_label(h): role for role, hs in ROLE_HEADERS.items() for h in hs}
_LONGEST_HEADING: Final = 60

AGE_BANDS: Final = ((0, 15), (16, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, 84), (85, None))
"""The age bands a date of birth is coarsened to (``age-band``): ten-year bands from 25, as many public statistics use."""

_DATE_FORMATS: Final = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y",
                        "%Y/%m/%d")
_TIME_PART = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?$")


def column_role(header: Any) -> Role | None:
    """
    The kind of personal data a column holds, from its heading; ``None`` for any other column.

    Example:
        >>> column_role("Service user ID"), column_role("CHI No."), column_role("d.o.b"), column_role("Reading date")
        ('identifier', 'identifier', 'date-of-birth', None)
    """
    if not isinstance(header, str) or not header.strip() or len(header) > _LONGEST_HEADING:
        return None
    return _role_of(header)


@functools.lru_cache(maxsize=8192)
def _role_of(header: str) -> Role | None:
    return _INDEX.get(normalise_label(header))


def birth_date(value: Any, *, today: dt.date) -> dt.date | None:
    """
    A date of birth as a spreadsheet or export holds it (a date, or text in a common UK form), or ``None``.

    Two-digit years are in the past century when they would otherwise be after *today*.

    Example:
        >>> birth_date("12/04/56", today=dt.date(2025, 1, 1)), birth_date("1956-04-12 00:00:00", today=dt.date(2025, 1, 1))
        (datetime.date(1956, 4, 12), datetime.date(1956, 4, 12))
        >>> birth_date("unknown", today=dt.date(2025, 1, 1)) is None
        True
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    return _parsed(value, today)


@functools.lru_cache(maxsize=65536)
def _parsed(value: str, today: dt.date) -> dt.date | None:
    text = _TIME_PART.sub("", value.strip())
    for pattern in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if day > today:
            day = day.replace(year=day.year - 100)
        return day
    return None


def age_band(born: dt.date, on: dt.date) -> str:
    """
    The age band of someone born on *born*, on the day *on*: ``"65-74"``, ``"85+"``.

    Example:
        >>> age_band(dt.date(1956, 4, 12), dt.date(2025, 4, 11)), age_band(dt.date(1930, 1, 1), dt.date(2025, 1, 1))
        ('65-74', '85+')
    """
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for low, high in AGE_BANDS:
        if high is None or age <= high:
            return f"{low}+" if high is None else f"{max(low, 0)}-{high}"
    return "85+"  # pragma: no cover - the last band is open


def locality_of(address: str) -> str | None:
    """
    The locality of an address written on one line: its last part that is not a postcode or a house number.

    Example:
        >>> locality_of("14 Harbour Road, Saltcoats, KA21 5AB"), locality_of("14 Harbour Road") is None
        ('Saltcoats', True)
    """
    parts = [p.strip() for p in re.split(r"[,\n]+", address) if p.strip()]
    for part in reversed(parts[1:]):
        if not is_full_postcode(part) and postcode_district(part) is None and not re.search(r"\d", part):
            return str(part)
    return None
