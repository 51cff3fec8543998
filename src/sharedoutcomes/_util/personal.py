"""
Personal data in tabular exports: column headings that name it, and identifiers that are it.

Readers of exports (Outcomes Star, surveys) never read a column of names, dates of birth,
addresses, postcodes, contact details or CHI/NHS numbers into a package, and never offer one
for mapping: they report it and advise removing it before the file is shared. Service-user
ids must be pseudonymous; a CHI or NHS number (ten digits with a valid modulus-11 check digit)
or a person's name in the id column is refused.
"""

from __future__ import annotations

import re
from typing import Final

from sharedoutcomes._util.identifiers import mod11_check_digit

__all__ = ["looks_like_health_number", "looks_like_name", "personal_heading"]

_HEADINGS: Final = (
    ("a date of birth", r"(date|day|year)\s*of\s*birth|d\.?\s*o\.?\s*b\.?|birth\s*date|birthday|born"),
    ("a CHI number", r"chi(\s*(no|number|num|#))?|community\s*health\s*index"),
    ("an NHS number", r"nhs\s*(no|number|num|#|id)?|nhs\s*number"),
    ("a National Insurance number", r"(national\s*insurance|ni)\s*(no|number|num|#)|nino"),
    ("a postcode", r"post\s*code|postal\s*code|zip(\s*code)?"),
    ("an address", r"(home\s*|postal\s*|street\s*|current\s*)?address(\s*line)?\s*\d*|street|house\s*(no|number)"),
    ("an email address", r"e-?mail(\s*address)?"),
    ("a telephone number", r"(tele)?phone(\s*(no|number))?|mobile(\s*(no|number))?|tel(\.|\s*no)?|contact\s*number"),
    ("a name", r"((service\s*user|client|participant|person|customer|patient|young\s*person|carer)'?s?\s*)?"
               r"(full\s*|first\s*|last\s*|sur|fore|given\s*|family\s*|middle\s*|christian\s*)?names?|surname|"
               r"forename"),
)
_PATTERNS: Final = tuple((what, re.compile(rf"^(?:{pattern})$", re.IGNORECASE)) for what, pattern in _HEADINGS)
_NAME: Final = re.compile(r"^[A-Z][A-Za-z'’-]+(?: [A-Z][A-Za-z'’-]+){1,3}$")
_HEALTH: Final = re.compile(r"^\d{3}[ -]?\d{3}[ -]?\d{4}$|^\d{10}$", re.ASCII)


def personal_heading(heading: str) -> str | None:
    """
    What personal data a column *heading* names (``"a date of birth"``), or ``None``.

    Spacing, case and punctuation around the words are ignored; worker and service names are
    not personal data of the people the export is about.

    Example:
        >>> personal_heading("Date of Birth"), personal_heading("DOB"), personal_heading("Client name")
        ('a date of birth', 'a date of birth', 'a name')
        >>> personal_heading("CHI No."), personal_heading("Post code"), personal_heading("Worker name")
        ('a CHI number', 'a postcode', None)
    """
    text = " ".join(re.sub(r"[_.:()\[\]/]+", " ", heading).split())
    for what, pattern in _PATTERNS:
        if pattern.match(text):
            return what
    return None


def looks_like_health_number(text: str) -> bool:
    """
    Whether *text* is ten digits (spaces or dashes allowed) with a valid modulus-11 check digit: a CHI or NHS number.

    Example:
        >>> looks_like_health_number("943 476 5919"), looks_like_health_number("9434765918")
        (True, False)
        >>> looks_like_health_number("SU-1001")
        False
    """
    text = text.strip()
    if not _HEALTH.match(text):
        return False
    digits = "".join(c for c in text if c.isdigit())
    return mod11_check_digit(digits[:9]) == int(digits[9])


def looks_like_name(text: str) -> bool:
    """
    Whether *text* reads as a person's name (two to four capitalised words, no digits).

    Example:
        >>> looks_like_name("Jane Smith"), looks_like_name("Mary-Ann O'Neill"), looks_like_name("SU 1001")
        (True, True, False)
    """
    return bool(_NAME.match(text.strip()))
