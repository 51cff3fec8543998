"""
Survey responses: one evidence item per row, every cell located and accounted for.

Each non-empty cell is read into the package (its location recorded in the source map against
the JSON path it became) or reported: a whole column at once when the column is not read
(personal data, or not a field of the survey), a row when the row is not a response or cannot be
converted, a cell when its answer is impossible.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, Final

from sharedoutcomes._util.paths import column_letter
from sharedoutcomes.converters import Coverage, CoverageCounter, not_read
from sharedoutcomes.exceptions import SourceLocation
from sharedoutcomes.instruments import Instrument, InstrumentRegistry, Item, whole
from sharedoutcomes.problems import Problem, catalogue
from sharedoutcomes.surveys._columns import Column, Layout, find_header, layout
from sharedoutcomes.surveys._table import Cell, Sheet, as_text, read_date, read_sheet

__all__ = ["Responses", "read_responses"]

_USED: Final = ("person", "date", "item", "score")
_MAX_PERSON: Final = 64


def _problem(rule: str, message: str, source: SourceLocation, path: str = "$", value: Any = None) -> Problem:
    return Problem(rule=rule, severity=catalogue()[rule].severity, path=path, message=message, source=source,
                   value=value)


class Responses:
    """What reading an export found: the evidence, the problems, the source map and the coverage."""

    def __init__(self, file: str, sheet: Sheet) -> None:
        self.file = file
        self.sheet = sheet
        self.part = sheet.name or file
        self.evidence: list[dict[str, Any]] = []
        self.problems: list[Problem] = []
        self.source_map: dict[str, SourceLocation] = {}
        self.instrument: Instrument | None = None
        self._counter = CoverageCounter()

    @property
    def coverage(self) -> Coverage:
        """The cells read and not read, by sheet."""
        return self._counter.coverage()

    def where(self, row: int | None = None, column: Column | None = None) -> SourceLocation:
        """The location of a row, or of a cell of a column."""
        return SourceLocation(file=self.file, sheet=self.sheet.name, row=row,
                              column=None if column is None else column.letter,
                              header=None if column is None or not column.heading else column.heading)

    def read(self, n: int = 1) -> None:
        """Count *n* cells as read."""
        self._counter.read(self.part, n)

    def skip(self, n: int = 1) -> None:
        """Count *n* cells as not read (each reported)."""
        self._counter.not_read(self.part, n)


def _cell(cells: list[Cell], column: Column) -> Cell:
    return cells[column.index] if column.index < len(cells) else None


def _not_read_rows(found: Responses, rows: list[tuple[int, list[Cell]]], why: str) -> None:
    for number, cells in rows:
        for index, cell in enumerate(cells):
            if as_text(cell):
                column = Column(index=index, letter=column_letter(index), heading="", role="other")
                found.problems.append(not_read(found.where(number, column), as_text(cell), why=why))
                found.skip()


def _columns_not_read(found: Responses, plan: Layout, data: list[tuple[int, list[Cell]]]) -> None:
    """One problem per personal or unused column, with the count of its cells, which are not read."""
    name = plan.instrument.name if plan.instrument is not None else "the instrument"
    for column in plan.columns:
        if column.role in _USED:
            found.read()  # the heading
            continue
        cells = sum(1 for _, c in data if as_text(_cell(c, column)))
        heading = 1 if column.heading else 0
        found.skip(cells + heading)
        label = repr(column.heading) if column.heading else f"without a heading (column {column.letter})"
        if column.role == "personal":
            found.problems.append(_problem(
                "survey.personal-data-column",
                f"the column {label} may hold personal data, so its {cells} cells are not read",
                found.where(plan.header_row, column)))
        else:
            found.problems.append(_problem(
                "survey.column-not-read",
                f"the column {label} is not an item of {name} or a response field (or repeats one), so its "
                f"{cells} cells are not read (map it with column_map= if it should be)",
                found.where(plan.header_row, column)))


class _Plan:
    """What every row needs of the layout, worked out once: the used columns, the person's and date's, the items."""

    __slots__ = ("date", "items", "person", "used")

    def __init__(self, plan: Layout) -> None:
        instrument = plan.instrument
        assert instrument is not None
        self.used = tuple(c for c in plan.columns if c.role in _USED)
        self.person = next(iter(plan.of("person")), None)
        self.date = next(iter(plan.of("date")), None)
        self.items = {c.code: instrument.item(c.code or "") for c in plan.columns if c.role == "item"}


def _answer(found: Responses, instrument: Instrument, column: Column, cell: Cell, row: int, *,
            items: Mapping[str | None, Item | None]) -> float | int | None:
    """The answer in an item or score cell, or ``None`` (reported) when it is not a possible one."""
    text = as_text(cell)
    if column.role == "score":
        try:
            number = float(text) if not isinstance(cell, int | float) or isinstance(cell, bool) else float(cell)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return int(number) if number.is_integer() else number
        found.problems.append(_problem("survey.bad-value", f"{text[:40]!r} is not a number, so the {column.code} "
                                       "is not converted", found.where(row, column)))
        return None
    item = items[column.code]  # every item column's, worked out once
    answer = whole(cell if not isinstance(cell, str) else text)
    if item is not None and answer is not None and item.allows(answer):
        return answer
    scale = f" (a whole number {item.minimum}–{item.maximum})" if item is not None else ""
    found.problems.append(_problem("survey.bad-value", f"{text[:40]!r} is not a possible answer to {column.code}"
                                   f"{scale}", found.where(row, column)))
    return None


def _response(found: Responses, plan: Layout, number: int, cells: list[Cell], *, today: dt.date,
              seen: dict[tuple[str, str], tuple[int, tuple[Any, ...]]], prepared: _Plan) -> None:
    """Convert one row, or report why not; every used cell is counted."""
    instrument = plan.instrument
    assert instrument is not None
    used = [(c, cell) for c in prepared.used if as_text(cell := _cell(cells, c))]
    if not used:
        return  # a blank row (cells of unused columns are reported with their column)
    person_col, date_col = prepared.person, prepared.date
    answers = [(c, cell) for c, cell in used if c.role in ("item", "score")]
    if not answers:
        _not_read_cells(found, number, used, "not a response: no answers in the row")
        return
    person = as_text(_cell(cells, person_col)) if person_col else ""
    if not person or any(ch.isspace() for ch in person) or len(person) > _MAX_PERSON:
        what = "has no person id" if not person else "has a person id with spaces or over 64 characters"
        found.problems.append(_problem("survey.missing-person", f"the response {what}, so it is not converted",
                                       found.where(number, person_col)))
        found.skip(len(used))
        return
    date = read_date(_cell(cells, date_col)) if date_col else None
    if date is None or date > today:
        text = as_text(_cell(cells, date_col)) if date_col else ""
        why = ("has no date" if not text else f"{text[:40]!r} is after today" if date else
               f"{text[:40]!r} is not a date (day/month/year)")
        found.problems.append(_problem("survey.bad-date", f"the response {why}, so it is not converted",
                                       found.where(number, date_col)))
        found.skip(len(used))
        return
    values: list[dict[str, Any]] = []
    places: list[SourceLocation] = []
    for column, cell in answers:
        answer = _answer(found, instrument, column, cell, number, items=prepared.items)
        if answer is None:
            found.skip()
            continue
        values.append({"code": column.code, "value": answer})
        places.append(found.where(number, column))
    _place(found, instrument, number, person=person, date=date, values=values, places=places,
           fields=(person_col, date_col), seen=seen)


def _not_read_cells(found: Responses, number: int, used: list[tuple[Column, Cell]], why: str) -> None:
    for column, cell in used:
        found.problems.append(not_read(found.where(number, column), as_text(cell), why=why))
        found.skip()


def _place(found: Responses, instrument: Instrument, number: int, *, person: str, date: dt.date,
           values: list[dict[str, Any]], places: list[SourceLocation], fields: tuple[Column | None, Column | None],
           seen: dict[tuple[str, str], tuple[int, tuple[Any, ...]]]) -> None:
    """Add the response as evidence, unless it repeats or contradicts an earlier row."""
    key = (person, date.isoformat())
    answers = tuple(sorted((v["code"], v["value"]) for v in values))
    if not values:
        found.problems.append(not_read(found.where(number), f"{person} {date.isoformat()}",
                                       why="no answer in the row could be read, so the response is not converted"))
        found.skip(2)
        return
    if key in seen:
        first, earlier = seen[key]
        if earlier == answers:
            found.problems.append(_problem("survey.duplicate-response",
                                           f"the response repeats row {first} (same person, date and answers), so it "
                                           "is not converted again", found.where(number)))
        else:
            found.problems.append(_problem("survey.conflicting-response",
                                           f"person {person!r} already has a different response dated "
                                           f"{date.isoformat()} (row {first}), so this row is not converted",
                                           found.where(number)))
        found.skip(len(values) + 2)
        return
    seen[key] = (number, answers)
    k = len(found.evidence)
    slug = instrument.id.replace("/", "-")
    found.evidence.append({
        "id": f"ev-{slug}-{person}-{date.isoformat()}", "kind": "survey", "date": date.isoformat(),
        "subject": {"type": "person", "id": person}, "instrument": instrument.id, "values": values,
        "provenance": {"original_format": "survey", "file": found.file, **({"sheet": found.sheet.name}
                       if found.sheet.name else {}), "row": number, "converted_by": "sharedoutcomes.survey"},
    })
    person_col, date_col = fields
    found.source_map[f"$.evidence[{k}]"] = found.where(number)
    found.source_map[f"$.evidence[{k}].subject.id"] = found.where(number, person_col)
    found.source_map[f"$.evidence[{k}].date"] = found.where(number, date_col)
    for j, place in enumerate(places):
        found.source_map[f"$.evidence[{k}].values[{j}].value"] = place
    found.read(len(values) + 2)


def read_responses(source: Any, *, file: str, known: InstrumentRegistry, instrument: Instrument | None = None,
                   column_map: Mapping[str, str] | None = None, sheet: str | None = None,
                   today: dt.date | None = None) -> Responses:
    r"""
    Read every response of a survey export.

    Raises:
        ConversionError: The file cannot be read at all.

    Example:
        >>> import io
        >>> text = b"Person ID,Date,GAD7 1,GAD7 2,GAD7 3,GAD7 4,GAD7 5,GAD7 6,GAD7 7\nSP-1,02/05/2024,1,2,1,0,1,2,1\n"
        >>> from sharedoutcomes.instruments import registry
        >>> found = read_responses(io.BytesIO(text), file="gad.csv", known=registry())
        >>> found.instrument.id, found.evidence[0]["values"][1], str(found.coverage)
        ('gad7', {'code': 'gad7-2', 'value': 2}, 'read 18 of 18 pieces')
    """
    table = read_sheet(source, file, sheet)
    found = Responses(file, table)
    rows = table.rows
    if not any(as_text(c) for _, cells in rows for c in cells):
        return found
    header = find_header(rows, known)
    plan = layout(rows, header, known, instrument, column_map or {})
    found.instrument = plan.instrument
    _not_read_rows(found, rows[:header], "above the header row")
    data = rows[header + 1:]
    if plan.instrument is None:
        known_ids = ", ".join(i.id for i in known if i.family is None)
        why = (f"the headings fit {', '.join(plan.candidates)} equally" if plan.candidates
               else "no instrument's items are among the headings")
        found.problems.append(_problem("survey.no-instrument", f"{why}; pass instrument= (one of {known_ids}) or "
                                       "a column_map=", found.where(plan.header_row)))
        found.skip(sum(1 for _, cells in rows[header:] for c in cells if as_text(c)))
        return found
    if not plan.of("item") and not plan.of("score"):
        # The instrument was given, but no column holds its items or scores: nothing of the file could be read.
        found.problems.append(_problem(
            "survey.no-items", f"no column is an item or a score of {plan.instrument.name} ({plan.instrument.id}); "
            "check the instrument= given, or map the item columns with column_map= (such as "
            f"{{{plan.instrument.items[0].code!r}: 'Q1'}})", found.where(plan.header_row)))
        found.skip(sum(1 for _, cells in rows[header:] for c in cells if as_text(c)))
        return found
    _columns_not_read(found, plan, data)
    seen: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
    today = today or dt.datetime.now(dt.UTC).date()
    prepared = _Plan(plan)
    for number, cells in data:
        _response(found, plan, number, cells, today=today, seen=seen, prepared=prepared)
    return found
