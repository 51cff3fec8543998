"""Property: in a generated export, no raw identifier, name or date of birth survives pseudonymising."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from sharedoutcomes._util.identifiers import mod11_check_digit
from sharedoutcomes.privacy import ROLE_HEADERS, Pseudonymiser, TableOptions, pseudonymise_rows

from .conftest import CARERS, KEY

NAMES = ("Margaret", "Boyd", "Stephen", "McLean", "Aisha", "Rahman", "Siobhan", "O'Neill", "Wojciech", "Kowalczyk",
         "Ngozi", "Adeyemi", "Eilidh", "MacLeod")


@st.composite
def chi_numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(dt.date(1920, 1, 1), dt.date(2024, 12, 31)))
    while True:
        nine = born.strftime("%d%m%y") + f"{draw(st.integers(0, 999)):03d}"
        digit = mod11_check_digit(nine)
        if digit is not None:
            return nine + str(digit)


def _written(digits: str, style: int) -> str:
    return (digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}", f"{digits[:6]}-{digits[6:]}", f"{digits[:3]}-{digits[3:6]}-{digits[6:]}")[style]


def _heading(draw: st.DrawFn, role: str) -> str:
    heading = draw(st.sampled_from(ROLE_HEADERS[role]))  # type: ignore[index]
    return draw(st.sampled_from((heading, heading.upper(), heading.lower(), f" {heading} ")))


@st.composite
def exports(draw: st.DrawFn) -> tuple[list[list[object]], set[str], set[str]]:
    """A table with identifier, name and date-of-birth columns in any order, and notes mentioning identifiers."""
    roles = draw(st.lists(st.sampled_from(("identifier", "name", "date-of-birth", "postcode", "contact", "score", "notes")),
                          min_size=1, max_size=7).map(lambda r: ["identifier", "name", "date-of-birth", *r]))
    roles = draw(st.permutations(roles))
    headers = [_heading(draw, r) if r in ROLE_HEADERS else {"score": "Physical health", "notes": "Notes"}[r] for r in roles]
    rows: list[list[object]] = [headers]
    raw_digits: set[str] = set()
    raw_text: set[str] = set()
    for _ in range(draw(st.integers(1, 8))):
        chi = draw(chi_numbers())
        raw_digits.add(chi)
        born = dt.datetime.strptime(chi[:6], "%d%m%y").date()
        row: list[object] = []
        for role in roles:
            if role == "identifier":
                row.append(_written(chi, draw(st.integers(0, 3))))
            elif role == "name":
                name = " ".join(draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2)))
                raw_text.add(name)
                row.append(name)
            elif role == "date-of-birth":
                text = draw(st.sampled_from((born.strftime("%d/%m/%Y"), born.isoformat(), born.strftime("%d.%m.%Y"))))
                raw_text.add(text)
                row.append(draw(st.sampled_from((text, dt.datetime(born.year, born.month, born.day)))))
            elif role == "postcode":
                row.append("KA12 8RT")
            elif role == "contact":
                row.append(draw(st.sampled_from(("07700 900461", "ann@example.org", "01294 555123"))))
                raw_text.add(str(row[-1]))
            elif role == "score":
                row.append(draw(st.integers(1, 10)))
            else:
                other = draw(chi_numbers())
                raw_digits.add(other)
                note = draw(st.sampled_from(("Brother's CHI is {}", "{} seen again", "DOB {dob} per GP, ref {}")))
                text = note.format(_written(other, draw(st.integers(0, 3))), dob=born.strftime("%d/%m/%Y"))
                raw_text.add(born.strftime("%d/%m/%Y"))
                row.append(text)
        rows.append(row)
    return rows, raw_digits, raw_text


@given(exports(), st.sampled_from(("year", "age-band", "remove")))
def test_no_raw_identifier_name_or_date_of_birth_survives(export: tuple[list[list[object]], set[str], set[str]],
                                                          birth: str) -> None:
    rows, raw_digits, raw_text = export
    out, changes, problems = pseudonymise_rows(rows, Pseudonymiser(KEY, organisation=CARERS), file="export.csv",
                                               options=TableOptions(birth=birth, as_of=dt.date(2025, 1, 1)))  # type: ignore[arg-type]

    cells = [str(cell) for row in out[1:] for cell in row if cell is not None]
    digits = re.sub(r"[\s\-]", "", " ".join(cells))
    for chi in raw_digits:
        assert chi not in digits
    for text in raw_text:
        assert all(text not in cell for cell in cells), text
    assert not any(isinstance(cell, dt.date) for row in out[1:] for cell in row)
    # headings stay in their places; an identifier column headed as personal data says it holds pseudonyms now
    for heading, new in zip(rows[0], out[0], strict=True):
        assert new in (heading, f"Pseudonym (from {heading.strip()})")
    assert not [p for p in problems if p.rule == "privacy.identifier-refused"]
    identifier_columns = sum(c.what == "identifier" for c in changes)
    assert sum(c.count for c in changes if c.what == "identifier") == (len(rows) - 1) * identifier_columns
