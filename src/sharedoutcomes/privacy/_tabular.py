"""
Pseudonymising a table by its column headings, whatever the file it came from (CSV, a sheet of a workbook, a survey export).

The table is a list of rows of cell values. The heading row is the first (of the first 30) that
names at least one personal column (`column_role`) among two or more short text cells. Outside it,
a personal label with its answer beside it, as forms lay them out ("Contact name | Jim Paterson"),
has its answer treated as the label says. Identifier columns are replaced by keyed
pseudonyms, workers' columns by pseudonyms namespaced to the organisation, names and contact
details removed, dates of birth coarsened to the year or an age band (or removed), addresses to
their locality (or removed), full postcodes to the postcode district. Every other text cell is
searched for CHI and NHS numbers, emails, phone numbers, full postcodes and dates of birth, and
each found is removed from the text. Removed values leave an empty cell, so the columns keep
their places and headings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Final

from attrs import frozen

from sharedoutcomes._util.identifiers import (
    KIND_WORDS,
    find_identifiers,
    is_full_postcode,
    postcode_district,
    redact,
)
from sharedoutcomes._util.paths import column_letter
from sharedoutcomes._util.personal import personal_heading
from sharedoutcomes.privacy._columns import (
    AddressMode,
    BirthMode,
    Role,
    age_band,
    birth_date,
    column_role,
    locality_of,
)
from sharedoutcomes.privacy._keys import IdentifierError, Pseudonymiser, is_pseudonym
from sharedoutcomes.privacy._report import Change, privacy_problem
from sharedoutcomes.problems import Problem, SourceLocation

__all__ = ["TableOptions", "pseudonymise_rows"]

_HEADER_SEARCH: Final = 30
_SHORTEST_IDENTIFIER: Final = 6  # "G1 1AA", "a@b.co"
_HEADING_CELLS: Final = 2
_ANSWER = re.compile(r"[\s@\d]")  # a name has a space, an email an @, a phone or a date digits
_HEADING_LENGTH: Final = 80
_CLEAN_CACHE: Final = 100_000


@frozen(kw_only=True)
class TableOptions:
    """
    How personal columns are treated.

    Attributes:
        birth: Dates of birth to the ``year`` (the default), an ``age-band`` on *as_of*, or ``remove``.
        address: Addresses to their ``locality`` (the default) or ``remove``.
        as_of: The day ages are worked out on (today by default).
        organisation: The org-id local identifiers are namespaced by (the pseudonymiser's own by default).

    Example:
        >>> TableOptions().birth, TableOptions().address
        ('year', 'locality')
    """

    birth: BirthMode = "year"
    address: AddressMode = "locality"
    as_of: dt.date | None = None
    organisation: str | None = None


class _Column:
    """One personal column and the tally of what was done to its values."""

    __slots__ = ("header", "index", "role", "tally")

    def __init__(self, index: int, header: str, role: Role) -> None:
        self.index, self.header, self.role = index, header, role
        self.tally: Counter[tuple[str, str]] = Counter()


class _Table:
    """The state of one pass: the pseudonymiser, options, where the table is, and what was found."""

    def __init__(self, pseudonymiser: Pseudonymiser, options: TableOptions, file: str, sheet: str | None) -> None:
        self.pseudonymiser, self.options, self.file, self.sheet = pseudonymiser, options, file, sheet
        self.today = options.as_of or dt.date.today()
        self.renamed: list[tuple[_Column, str]] = []  # identifier columns whose heading named personal data
        self.problems: list[Problem] = []
        self.redacted: Counter[tuple[int, str]] = Counter()
        self.cache: dict[tuple[str, str | None], str | IdentifierError] = {}
        self.labelled: list[tuple[_Column, int]] = []
        self.clean: set[str] = set()

    def where(self, row: int, column: int, header: str | None) -> SourceLocation:
        return SourceLocation(file=self.file, sheet=self.sheet, row=row + 1, column=column_letter(column),
                              header=header)

    def pseudonym(self, value: str, organisation: str | None) -> str:
        key = (value, organisation)
        found = self.cache.get(key)
        if found is None:
            try:
                found = self.pseudonymiser.pseudonym(value, organisation=organisation)
            except IdentifierError as error:
                found = error
            self.cache[key] = found
        if isinstance(found, IdentifierError):
            raise found
        return found


def _text(value: Any) -> str | None:
    """A cell as identifier text: numbers as their digits (a CHI number that lost its leading zero gets it back)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        return digits.zfill(10) if len(digits) == 9 else digits
    text = str(value).strip()
    return text or None


def _identifier(table: _Table, column: _Column, value: Any, row: int) -> Any:
    text = _text(value)
    if text is None:
        return value
    if is_pseudonym(text):
        column.tally["kept", ""] += 1
        return text
    organisation = table.options.organisation or table.pseudonymiser.organisation
    if column.role == "worker":
        organisation = f"{organisation or 'this-organisation'}/worker"
    try:
        result = table.pseudonym(text, organisation)
    except IdentifierError as error:
        column.tally["removed", "(not a usable identifier)"] += 1
        table.problems.append(privacy_problem(
            "privacy.identifier-refused", f"{error}; the cell was emptied so that the identifier does not leave",
            source=table.where(row, column.index, column.header)))
        return None
    column.tally["pseudonymised", ""] += 1
    return result


def _birth(table: _Table, column: _Column, value: Any, row: int) -> Any:
    if _text(value) is None:
        return value
    mode = table.options.birth
    born = birth_date(value, today=table.today)
    if mode == "remove" or born is None:
        column.tally["removed", ""] += 1
        if born is None and mode != "remove":
            table.problems.append(privacy_problem(
                "privacy.value-removed", "the date of birth could not be read as a date, so it was removed rather "
                "than coarsened", source=table.where(row, column.index, column.header)))
        return None
    if mode == "year":
        column.tally["coarsened", "to the year of birth"] += 1
        return born.year if not isinstance(value, str) else str(born.year)
    column.tally["coarsened", f"to the age band on {table.today.isoformat()}"] += 1
    return age_band(born, table.today)


def _address(table: _Table, column: _Column, value: Any, row: int) -> Any:
    text = _text(value)
    if text is None:
        return value
    locality = locality_of(text) if table.options.address == "locality" else None
    if locality is None:
        column.tally["removed", ""] += 1
        return None
    column.tally["coarsened", "to the locality"] += 1
    return locality


def _postcode(table: _Table, column: _Column, value: Any, row: int) -> Any:
    text = _text(value)
    if text is None:
        return value
    district = postcode_district(text)
    if district is None:
        column.tally["removed", ""] += 1
        table.problems.append(privacy_problem(
            "privacy.value-removed", "the postcode is not a UK postcode, so it was removed rather than "
            "coarsened to its district", source=table.where(row, column.index, column.header)))
        return None
    column.tally["coarsened" if is_full_postcode(text) else "kept", "to the postcode district"] += 1
    return district


def _remove(table: _Table, column: _Column, value: Any, row: int) -> Any:
    if _text(value) is None:
        return value
    column.tally["removed", ""] += 1
    return None


_HANDLERS: Final[dict[Role, Callable[[_Table, _Column, Any, int], Any]]] = {
    "identifier": _identifier, "worker": _identifier, "date-of-birth": _birth, "address": _address,
    "postcode": _postcode, "name": _remove, "contact": _remove,
}


def _answer_like(row: Sequence[Any]) -> bool:
    """A form's "label | answer" row: two cells, a personal label, then something that reads as a value, not a heading."""
    filled = [h for h in row if h is not None and str(h).strip()]
    if len(filled) != 2 or column_role(filled[0]) is None or column_role(filled[1]) is not None:
        return False
    return bool(_ANSWER.search(str(filled[1])))


def _header_row(rows: Sequence[Sequence[Any]]) -> tuple[int, list[_Column]]:
    """The heading row: the first with a personal column's heading among two or more short text cells, not a form's label and answer."""
    for r, row in enumerate(rows[:_HEADER_SEARCH]):
        filled = [h for h in row if h is not None and str(h).strip()]
        if (len(filled) < _HEADING_CELLS or _answer_like(row)
                or not all(isinstance(h, str) and len(h) <= _HEADING_LENGTH for h in filled)):
            continue
        columns = [_Column(c, str(h).strip(), role) for c, h in enumerate(row) if (role := column_role(h))]
        if columns:
            return r, columns
    return -1, []


def _labelled(table: _Table, row: Sequence[Any], new: list[Any], r: int, skip: dict[int, _Column]) -> set[int]:
    """Label and answer side by side, as forms lay them out ("Contact name | Jane Smith"): the answer is treated as its label says."""
    done: set[int] = set()
    for c, label in enumerate(row[:-1]):
        role = column_role(label) if c not in skip else None
        if role is None or c + 1 in skip or _text(row[c + 1]) is None:
            continue
        column = _Column(c + 1, str(label).strip(), role)
        new[c + 1] = _HANDLERS[role](table, column, row[c + 1], r)
        table.labelled.append((column, r))
        done.add(c + 1)
    return done


def _free_text(table: _Table, value: str, row: int, column: int, header: str | None) -> str:
    if value in table.clean:  # exports repeat their values (dates, service names): look at each once
        return value
    found = find_identifiers(value)
    if not found:
        if len(table.clean) < _CLEAN_CACHE:
            table.clean.add(value)
        return value
    kinds = ", ".join(dict.fromkeys(KIND_WORDS[f.kind] for f in found))
    table.problems.append(privacy_problem(
        "privacy.identifier-redacted", f"the text held {kinds}; removed from the text",
        source=table.where(row, column, header)))
    table.redacted[column, header or ""] += 1
    return redact(value, found)


def pseudonymise_rows(rows: Sequence[Sequence[Any]], pseudonymiser: Pseudonymiser, *, file: str,
                      sheet: str | None = None, options: TableOptions | None = None,
                      ) -> tuple[list[list[Any]], list[Change], list[Problem]]:
    """
    A pseudonymised copy of a table (a list of rows of cell values), what was changed, and the values refused.

    *file* and *sheet* name the table in the report and the problems' locations. The input is not changed.

    Example:
        >>> p = Pseudonymiser(b"k" * 32, organisation="GB-SC-SC038977")
        >>> rows = [["Client ID", "Name", "DOB", "Postcode", "Notes"],
        ...         ["C-101", "Ann Smith", "12/04/1956", "KA21 5AB", "call 07700 900123"]]
        >>> out, changes, problems = pseudonymise_rows(rows, p, file="carers.csv")
        >>> out[1][0].startswith("P-"), out[1][1:]
        (True, [None, '1956', 'KA21', 'call [removed: phone]'])
        >>> print(changes[0])
        carers.csv, column A 'Client ID': identifier replaced by keyed pseudonyms (1 values)
        >>> print(problems[0].message)
        the text held a phone number; removed from the text
    """
    table = _Table(pseudonymiser, options or TableOptions(), file, sheet)
    header_at, columns = _header_row(rows)
    by_index = {c.index: c for c in columns}
    headers = [str(h).strip() if h is not None else None for h in rows[header_at]] if header_at >= 0 else []
    out: list[list[Any]] = []
    for r, row in enumerate(rows):
        new = list(row)
        if r != header_at:
            columns_here = by_index if r > header_at else {}
            done = _labelled(table, row, new, r, columns_here)
            for c, value in enumerate(row):
                column = columns_here.get(c)
                if column is not None:
                    new[c] = _HANDLERS[column.role](table, column, value, r)
                elif c not in done and isinstance(value, str) and len(value) >= _SHORTEST_IDENTIFIER:
                    header = headers[c] if r > header_at and c < len(headers) else None
                    new[c] = _free_text(table, value, r, c, header)
        out.append(new)
    if header_at >= 0:
        _rename_identifier_headings(table, out[header_at], columns)
    return out, _changes(table, columns), table.problems


def _rename_identifier_headings(table: _Table, header: list[Any], columns: list[_Column]) -> None:
    """
    Rename an identifier column whose heading names personal data (``CHI Number``): ``Pseudonym (from CHI Number)``.

    Its values are pseudonyms now; the readers refuse a column headed as a CHI number, an NHS
    number or a name, so the heading must say what the column holds.
    """
    for column in columns:
        if column.role == "identifier" and personal_heading(column.header) is not None:
            header[column.index] = renamed = f"Pseudonym (from {column.header})"
            table.renamed.append((column, renamed))


def _changes(table: _Table, columns: list[_Column]) -> list[Change]:
    place = table.file + (f", sheet {table.sheet!r}" if table.sheet else "")
    changes = [Change(where=f"{place}, column {column_letter(c.index)} {c.header!r}", what=c.role, action=action,
                      detail=detail, count=n)
               for c in columns for (action, detail), n in c.tally.items()]
    changes.extend(Change(where=f"{place}, column {column_letter(c)}" + (f" {h!r}" if h else ""), what="free text",
                          action="redacted", count=n) for (c, h), n in table.redacted.items())
    changes.extend(Change(where=f"{place}, row {r + 1}, column {column_letter(c.index)} (the answer to {c.header!r})",
                          what=c.role, action=action, detail=detail, count=n)
                   for c, r in table.labelled for (action, detail), n in c.tally.items())
    changes.extend(Change(where=f"{place}, column {column_letter(c.index)} {c.header!r}", what="heading",
                          action="heading renamed", detail=f"to {new!r}", count=1) for c, new in table.renamed)
    return changes
