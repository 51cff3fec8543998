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


def cells_of(plan: Layout, data: list[tuple[int, list[Cell]]]) -> dict[int, int]:
    """The number of cells that are not empty in each column of *plan* that is not read."""
    return {column.index: sum(1 for _, c in data if as_text(_cell(c, column)))
            for column in plan.columns if column.role not in _USED}


def columns_not_read(found: Responses, plan: Layout, cells_by_column: Mapping[int, int]) -> None:
    """
    One problem per personal or unused column, with the count of its cells, which are not read.

    Reported before the rows' problems (the counts are the whole file's); a column without a
    heading whose cells are all empty is not a column of the export, and is left out.
    """
    name = plan.instrument.name if plan.instrument is not None else "the instrument"
    for column in plan.columns:
        if column.role in _USED:
            continue
        cells = cells_by_column.get(column.index, 0)
        if not column.heading and not cells:
            continue
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

    __slots__ = ("date", "instrument", "items", "person", "slug", "used")

    def __init__(self, plan: Layout) -> None:
        instrument = plan.instrument
        assert instrument is not None
        self.instrument = instrument
        self.slug = instrument.id.replace("/", "-")
        self.used = tuple(c for c in plan.columns if c.role in _USED)
        self.person = next(iter(plan.of("person")), None)
        self.date = next(iter(plan.of("date")), None)
        self.items = {c.code: instrument.item(c.code or "") for c in plan.columns if c.role == "item"}


def answer_of(column: Column, cell: Cell, items: Mapping[str | None, Item | None]) -> float | int | None:
    """The answer in an item or score cell, or ``None`` when it is not a possible one."""
    if column.role == "score":
        try:
            number = float(as_text(cell)) if not isinstance(cell, int | float) or isinstance(cell, bool) \
                else float(cell)
        except ValueError:
            return None
        if math.isfinite(number):
            return int(number) if number.is_integer() else number
        return None
    item = items[column.code]  # every item column's, worked out once
    answer = whole(cell if not isinstance(cell, str) else as_text(cell))
    if item is not None and answer is not None and item.allows(answer):
        return answer
    return None


def _answer(found: Responses, column: Column, cell: Cell, row: int, *,
            items: Mapping[str | None, Item | None]) -> float | int | None:
    """The answer in an item or score cell, or ``None`` (reported) when it is not a possible one."""
    answer = answer_of(column, cell, items)
    if answer is not None:
        return answer
    text = as_text(cell)
    if column.role == "score":
        found.problems.append(_problem("survey.bad-value", f"{text[:40]!r} is not a number, so the {column.code} "
                                       "is not converted", found.where(row, column)))
        return None
    item = items[column.code]
    scale = f" (a whole number {item.minimum}–{item.maximum})" if item is not None else ""
    found.problems.append(_problem("survey.bad-value", f"{text[:40]!r} is not a possible answer to {column.code}"
                                   f"{scale}", found.where(row, column)))
    return None


def is_person_id(text: str) -> bool:
    """Whether *text* (a trimmed cell) is a pseudonymous id the reader takes: not empty, no spaces, at most 64 characters."""
    return len(text) <= _MAX_PERSON and text.split() == [text]  # split: at every character that isspace()


class Candidate:
    """A row that passed every check of its own, with the answers read: evidence unless an earlier row has its key."""

    __slots__ = ("columns", "date", "number", "person", "values")

    def __init__(self, number: int, person: str, date: dt.date, values: list[dict[str, Any]],
                 columns: list[Column]) -> None:
        self.number = number
        self.person = person
        self.date = date
        self.values = values
        self.columns = columns


def candidate(found: Responses, plan: _Plan, number: int, cells: list[Cell], *, today: dt.date) -> Candidate | None:
    """
    Read one row: its answers as a `Candidate`, or ``None`` with the reason reported; every used cell is counted.

    The cells of a candidate are counted when it is placed (`_place`), as evidence or as a repeat.
    """
    used = [(c, cell) for c in plan.used if as_text(cell := _cell(cells, c))]
    if not used:
        return None  # a blank row (cells of unused columns are reported with their column)
    person_col, date_col = plan.person, plan.date
    answers = [(c, cell) for c, cell in used if c.role in ("item", "score")]
    if not answers:
        _not_read_cells(found, number, used, "not a response: no answers in the row")
        return None
    person = as_text(_cell(cells, person_col)) if person_col else ""
    if not is_person_id(person):
        what = "has no person id" if not person else "has a person id with spaces or over 64 characters"
        found.problems.append(_problem("survey.missing-person", f"the response {what}, so it is not converted",
                                       found.where(number, person_col)))
        found.skip(len(used))
        return None
    date = read_date(_cell(cells, date_col)) if date_col else None
    if date is None or date > today:
        text = as_text(_cell(cells, date_col)) if date_col else ""
        why = ("has no date" if not text else f"{text[:40]!r} is after today" if date else
               f"{text[:40]!r} is not a date (day/month/year)")
        found.problems.append(_problem("survey.bad-date", f"the response {why}, so it is not converted",
                                       found.where(number, date_col)))
        found.skip(len(used))
        return None
    values: list[dict[str, Any]] = []
    columns: list[Column] = []
    for column, cell in answers:
        answer = _answer(found, column, cell, number, items=plan.items)
        if answer is None:
            found.skip()
            continue
        values.append({"code": column.code, "value": answer})
        columns.append(column)
    if not values:
        found.problems.append(not_read(found.where(number), f"{person} {date.isoformat()}",
                                       why="no answer in the row could be read, so the response is not converted"))
        found.skip(2)
        return None
    return Candidate(number, person, date, values, columns)


def _not_read_cells(found: Responses, number: int, used: list[tuple[Column, Cell]], why: str) -> None:
    for column, cell in used:
        found.problems.append(not_read(found.where(number, column), as_text(cell), why=why))
        found.skip()


def answers_of(values: list[dict[str, Any]]) -> tuple[Any, ...]:
    """A response's answers in one order, to compare two responses of one person and date."""
    return tuple(sorted((v["code"], v["value"]) for v in values))


def repeat_problem(found: Responses, number: int, *, first: int, same: bool, person: str, date: dt.date) -> Problem:
    """The problem of a row whose person and date an earlier row (*first*) has: a repeat when *same*, else a conflict."""
    if same:
        return _problem("survey.duplicate-response", f"the response repeats row {first} (same person, date and "
                        "answers), so it is not converted again", found.where(number))
    return _problem("survey.conflicting-response", f"person {person!r} already has a different response dated "
                    f"{date.isoformat()} (row {first}), so this row is not converted", found.where(number))


def _place(found: Responses, plan: _Plan, row: Candidate,
           seen: dict[tuple[str, str], tuple[int, tuple[Any, ...]]]) -> None:
    """Add the response as evidence, unless it repeats or contradicts an earlier row."""
    key = (row.person, row.date.isoformat())
    answers = answers_of(row.values)
    if key in seen:
        first, earlier = seen[key]
        found.problems.append(repeat_problem(found, row.number, first=first, same=earlier == answers,
                                             person=row.person, date=row.date))
        found.skip(len(row.values) + 2)
        return
    seen[key] = (row.number, answers)
    k = len(found.evidence)
    found.evidence.append(evidence_dict(found, plan, row))
    found.source_map[f"$.evidence[{k}]"] = found.where(row.number)
    found.source_map[f"$.evidence[{k}].subject.id"] = found.where(row.number, plan.person)
    found.source_map[f"$.evidence[{k}].date"] = found.where(row.number, plan.date)
    for j, column in enumerate(row.columns):
        found.source_map[f"$.evidence[{k}].values[{j}].value"] = found.where(row.number, column)
    found.read(len(row.values) + 2)


def evidence_dict(found: Responses, plan: _Plan, row: Candidate) -> dict[str, Any]:
    """The evidence a placed response becomes (without ``collected_by``, which the format adds)."""
    date = row.date.isoformat()
    return {
        "id": f"ev-{plan.slug}-{row.person}-{date}", "kind": "survey", "date": date,
        "subject": {"type": "person", "id": row.person}, "instrument": plan.instrument.id, "values": row.values,
        "provenance": {"original_format": "survey", "file": found.file, **({"sheet": found.sheet.name}
                       if found.sheet.name else {}), "row": row.number, "converted_by": "sharedoutcomes.survey"},
    }


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
    for column in plan.columns:
        if column.role in _USED:
            found.read()  # the heading
    columns_not_read(found, plan, cells_of(plan, data))
    seen: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
    today = today or dt.datetime.now(dt.UTC).date()
    prepared = _Plan(plan)
    for number, cells in data:
        row = candidate(found, prepared, number, cells, today=today)
        if row is not None:
            _place(found, prepared, row, seen)
    return found
