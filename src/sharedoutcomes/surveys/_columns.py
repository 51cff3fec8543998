"""
The columns of a survey export: which is the person id, the date, an item, a score, personal data, or none of these.

The header row is the first of the top rows with a person-id or date heading, or with item headings;
the instrument is the one given, or the one whose items the headings name (detected).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final, Literal

from attrs import frozen

from sharedoutcomes._util.paths import column_letter
from sharedoutcomes.instruments import Instrument, InstrumentRegistry, normalise
from sharedoutcomes.surveys._table import Cell, as_text

__all__ = ["Column", "Layout", "find_header", "is_personal", "layout"]

Role = Literal["person", "date", "item", "score", "personal", "other"]

PERSON: Final = frozenset(normalise(h) for h in (
    "person id", "person", "service user id", "service user", "client id", "client ref", "client reference",
    "participant id", "participant", "respondent id", "respondent", "pseudonym", "pseudonymous id", "id",
    "user id", "member id", "case id", "reference", "ref"))
DATE: Final = frozenset(normalise(h) for h in (
    "date", "response date", "survey date", "date completed", "completed", "completed on", "submitted",
    "submitted on", "submission date", "timestamp", "assessment date", "date of response", "start date"))
_PERSONAL_WORDS: Final = frozenset({
    "name", "names", "firstname", "lastname", "surname", "forename", "forenames", "fullname", "dob", "birth",
    "birthday", "address", "postcode", "email", "mail", "phone", "telephone", "mobile", "tel", "chi", "nhs"})
_NOT_A_PERSON: Final = frozenset({"service", "project", "organisation", "organization", "team", "site", "survey",
                                  "instrument", "worker", "staff", "group", "venue"})
_POSITION: Final = re.compile(r"^(?:q|question|item|no)?\s*\.?\s*(\d{1,2})$")
_TOP_ROWS: Final = 15


def is_personal(heading: str) -> bool:
    """
    Whether a heading says its column may hold personal data (a name, birth date, address, contact, CHI/NHS number).

    Example:
        >>> is_personal("Date of birth"), is_personal("Client surname"), is_personal("Service name")
        (True, True, False)
        >>> is_personal("NHS No."), is_personal("Person ID")
        (True, False)
    """
    words = set(re.findall(r"[a-z0-9]+", heading.casefold().replace("e-mail", "email")))
    if words & {"name", "names"} and words & _NOT_A_PERSON:
        return False
    return bool(words & _PERSONAL_WORDS) or normalise(heading) in {"dateofbirth", "emailaddress"}


@frozen
class Column:
    """One column: its index, letter, heading, role and, for an item or score, the code it maps to."""

    index: int
    letter: str
    heading: str
    role: Role
    code: str | None = None


@frozen
class Layout:
    """The header row's number, the instrument, and every column with a heading or a value."""

    header_row: int
    instrument: Instrument | None
    columns: tuple[Column, ...]
    detected: bool = False
    candidates: tuple[str, ...] = ()

    def of(self, role: Role) -> tuple[Column, ...]:
        """The columns of one role."""
        return tuple(column for column in self.columns if column.role == role)


def find_header(rows: Sequence[tuple[int, list[Cell]]], known: InstrumentRegistry) -> int:
    """
    The position (in *rows*) of the header row: the first top row with a person, date or item heading.

    Falls back to the first non-empty row.
    """
    first = None
    for position, (_, cells) in enumerate(rows[:_TOP_ROWS]):
        texts = [normalise(as_text(c)) for c in cells if as_text(c)]
        if not texts:
            continue
        first = position if first is None else first
        if len(texts) >= 2 and any(t in PERSON or t in DATE or _names_an_item(t, known) for t in texts):
            return position
    return first if first is not None else 0


def _names_an_item(text: str, known: InstrumentRegistry) -> bool:
    return any(instrument.item(text) is not None for instrument in _survey_instruments(known))


def _survey_instruments(known: InstrumentRegistry) -> tuple[Instrument, ...]:
    return tuple(i for i in known if i.family is None)


def _detect(headings: Sequence[str], known: InstrumentRegistry) -> tuple[Instrument | None, tuple[str, ...]]:
    """The instrument whose items (and scores) most headings name; ``None`` when none, or a tie."""
    counts: dict[str, int] = {}
    for instrument in _survey_instruments(known):
        hits = sum(1 for h in headings if h and (instrument.item(h) is not None or instrument.summary(h) is not None))
        if hits:
            counts[instrument.id] = hits
    if not counts:
        return None, ()
    best = max(counts.values())
    leaders = tuple(sorted(i for i, n in counts.items() if n == best))
    return (known.get(leaders[0]) if len(leaders) == 1 else None), leaders


def _role(heading: str, instrument: Instrument | None, mapped: str | None) -> tuple[Role, str | None]:
    """The role of a column from its heading (and the column map's target, when it names the heading)."""
    if is_personal(heading):
        return "personal", None
    target = mapped if mapped is not None else heading
    folded = normalise(target)
    if mapped is not None and mapped in ("person", "date"):
        return mapped, None  # type: ignore[return-value]
    if mapped is None and folded in PERSON:
        return "person", None
    if mapped is None and folded in DATE:
        return "date", None
    if instrument is not None:
        item = instrument.item(target)
        if item is not None:
            return "item", item.code
        summary = instrument.summary(target)
        if summary is not None:
            return "score", summary.code
        position = _POSITION.match(target.strip().casefold())
        if position and 1 <= int(position.group(1)) <= len(instrument.items):
            return "item", instrument.items[int(position.group(1)) - 1].code
    return "other", None


def layout(rows: Sequence[tuple[int, list[Cell]]], header: int, known: InstrumentRegistry,
           instrument: Instrument | None, column_map: Mapping[str, str], *, every_column: bool = False) -> Layout:
    """
    The layout of the export whose header row is at position *header* of *rows*.

    *column_map* maps a field (``person``, ``date``, an item code, ``total``, ``metric``) to the
    heading that holds it; a personal-data heading is never mapped. A column without a heading
    is one of the layout when a data row has a cell in it; with *every_column*, whatever its
    cells (for a reader that sees the data rows later, and leaves out the columns it finds empty).
    """
    number, cells = rows[header] if rows else (1, [])
    width = max((len(c) for _, c in rows), default=0)
    headings = [as_text(cells[i]) if i < len(cells) else "" for i in range(width)]
    folded_map = {normalise(heading): target for target, heading in column_map.items()}
    detected = False
    candidates: tuple[str, ...] = ()
    if instrument is None:
        targets = [folded_map.get(normalise(h)) or h for h in headings]
        instrument, candidates = _detect([t for t in targets if t], known)
        detected = instrument is not None
    columns = []
    taken: set[str] = set()
    filled = ({index for _, cells in rows[header + 1:] for index, cell in enumerate(cells) if as_text(cell)}
              if not every_column else range(width))
    for index, heading in enumerate(headings):
        if not heading and index not in filled:
            continue
        mapped = folded_map.get(normalise(heading)) if heading else None
        role, code = _role(heading, instrument, mapped) if heading else ("other", None)
        slot = code or role
        if role in ("person", "date", "item", "score") and slot in taken:
            role, code = "other", None  # a second column for the same field: reported, not read
        taken.add(slot)
        columns.append(Column(index=index, letter=column_letter(index), heading=heading, role=role, code=code))
    return Layout(header_row=number, instrument=instrument, columns=tuple(columns), detected=detected,
                  candidates=candidates)
