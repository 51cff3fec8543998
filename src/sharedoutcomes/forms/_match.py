"""
Matching: find a form's answers in its grids by their labels.

Sections, questions and table columns are recognised by their printed labels (and the
alternatives a profile lists), so a form whose sections are reordered, whose labels are
reworded or whose cells are merged still matches. A row is either a table's header, a
row of the table under it, or label/answer pairs; what matches no question is kept as
an `Unmapped` answer, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from attrs import define, field

from sharedoutcomes.forms import _values as fv
from sharedoutcomes.forms._grid import Cell, Grid
from sharedoutcomes.forms._profile import FormProfile, Question, Section, Table

__all__ = ["Answer", "Matched", "RowAnswers", "Unmapped", "match"]


@define
class Answer:
    """A question found on the form, with its answer cell (None when the answer cell is missing)."""

    question: Question
    section: Section
    label_cell: Cell
    cell: Cell | None


@define
class RowAnswers:
    """One filled row of a repeating table."""

    table: Table
    section: Section
    number: int
    cells: dict[str, Cell]
    first: Cell


@define
class Unmapped:
    """An answer to a question the profile does not know."""

    label: str
    cell: Cell | None
    label_cell: Cell
    section: str | None


@define
class Matched:
    """Everything found on a form."""

    answers: dict[str, Answer] = field(factory=dict)
    rows: dict[str, list[RowAnswers]] = field(factory=dict)
    unmapped: list[Unmapped] = field(factory=list)
    duplicates: list[Answer] = field(factory=list)
    found: int = 0


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower().replace("&", " and ")).split())


class _Index:
    """Label lookups for one profile."""

    def __init__(self, profile: FormProfile) -> None:
        self.profile = profile
        self.questions: dict[str, list[tuple[Section, Question]]] = {}
        for section, question in profile.questions():
            for label in question.labels:
                self.questions.setdefault(fv.normalise_label(label), []).append((section, question))
        self.sections: dict[str, Section] = {}
        for section in profile.sections:
            for text in (f"section {section.id} {section.title}", f"section {section.id}",
                         f"{section.id} {section.title}", section.title):
                self.sections.setdefault(_plain(text), section)
        self.titles: dict[str, tuple[Section, Table]] = {}
        for section, table in profile.tables():
            for text in (table.title, *table.alternatives):
                self.titles.setdefault(fv.normalise_label(text), (section, table))
        self.known_text = {_plain(t) for t in _printed_texts(profile)}

    def question(self, text: str, section: Section | None, taken: Mapping[str, Answer]) -> tuple[Section, Question] | None:
        candidates = self.questions.get(fv.normalise_label(text))
        if not candidates:
            return None
        if section is not None:
            for candidate in candidates:
                if candidate[0] is section:
                    return candidate
        free = [c for c in candidates if c[1].id not in taken]
        return (free or candidates)[0]

    def section(self, text: str) -> Section | None:
        return self.sections.get(_plain(text))

    def header(self, cells: Sequence[Cell], section: Section | None) -> tuple[Section, Table, dict[int, Question]] | None:
        best: tuple[int, int, Section, Table, dict[int, Question]] | None = None
        for tsection, table in self.profile.tables():
            by_label = {fv.normalise_label(label): column for column in table.columns for label in column.labels}
            mapping: dict[int, Question] = {}
            used: set[str] = set()
            for position, cell in enumerate(cells):
                if cell.repeat or not cell.text:
                    continue
                column = by_label.get(fv.normalise_label(cell.text))
                if column is not None and column.id not in used:
                    mapping[position] = column
                    used.add(column.id)
            needed = min(2, len(table.columns))
            if len(mapping) >= needed:
                score = (len(mapping), 1 if tsection is section else 0)
                if best is None or score > (best[0], best[1]):
                    best = (score[0], score[1], tsection, table, mapping)
        return None if best is None else (best[2], best[3], best[4])


def _printed_texts(profile: FormProfile) -> list[str]:
    """Text the templates print that is not an answer (titles, guidance), so readers skip it."""
    texts = [profile.title, profile.notice or "", profile.intro or "", "Other information",
             "Answers to questions this form does not ask", "Question", "Answer", "Guidance",
             "Add rows if you need more.", "Questions marked * must be answered."]
    if profile.funder is not None:
        texts.append(profile.funder.name)
    for section in profile.sections:
        texts += [section.heading, section.title, section.guidance or ""]
        for question in section.questions:
            texts.append(question.guidance or "")
        for table in section.tables:
            texts += [table.title, table.guidance or ""]
            texts += [c.guidance or "" for c in table.columns]
    tables = [spec.title for _section, spec in profile.tables()]
    texts.append(f"The tables are on their own sheets: {', '.join(tables)}.")
    return [t for t in texts if t]


def match(grids: Iterable[Grid], profile: FormProfile) -> Matched:
    """
    Find the answers in *grids* by their labels.

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> def cell(text, column):
        ...     return Cell(text=text, value=text, row=1, column=column, where="test")
        >>> grid = Grid(name="t", rows=((cell("ORGANISATION NAME:", "A"), cell("Shed", "B")),))
        >>> match([grid], get_profile("north-ayrshire")).answers["org_name"].cell.text
        'Shed'
    """
    index = _Index(profile)
    matched = Matched()
    for grid in grids:
        section = index.section(grid.section_hint) if grid.section_hint else None
        table: tuple[Section, Table, dict[int, Question], list[Cell]] | None = None
        for row in grid.rows:
            cells = [c for c in row if not c.repeat]
            texts = [c for c in cells if c.text]
            if not texts:
                continue
            if len(texts) == 1:
                heading = index.section(texts[0].text)
                if heading is not None and index.question(texts[0].text, None, {}) is None:
                    section, table = heading, None
                    continue
                titled = index.titles.get(fv.normalise_label(texts[0].text))
                if titled is not None:
                    section = titled[0]
                    continue
            header = index.header(row, section)
            if header is not None:
                section = header[0]
                table = (header[0], header[1], header[2], list(row))
                matched.found += len(header[2])
                continue
            if all(_plain(c.text) in index.known_text for c in texts):
                continue
            if table is not None:
                _table_row(matched, table, row)
                continue
            _question_row(matched, index, cells, section)
    return matched


def _table_row(matched: Matched, table: tuple[Section, Table, dict[int, Question], list[Cell]],
               row: Sequence[Cell]) -> None:
    section, spec, mapping, header = table
    found: dict[str, Cell] = {}
    for position, column in mapping.items():
        if position < len(row):
            cell = row[position]
            if (not cell.repeat and cell.text) or (cell.repeat and cell.text and position > 0 and row[position - 1].text != cell.text):
                found[column.id] = cell
    rows = matched.rows.setdefault(spec.id, [])
    extra = [(position, c) for position, c in enumerate(row)
             if position not in mapping and c.text and not c.repeat]
    if not found and not extra:
        return
    number = len(rows) + 1
    order = [c.id for c in spec.columns]
    first = found[min(found, key=order.index)] if found else extra[0][1]
    if found:
        rows.append(RowAnswers(table=spec, section=section, number=number, cells=found, first=first))
    for position, cell in extra:
        label = header[position].text if position < len(header) and header[position].text else f"{spec.title} column {cell.column}"
        matched.unmapped.append(Unmapped(label=label, cell=cell, label_cell=cell, section=section.id))


def _question_row(matched: Matched, index: _Index, cells: Sequence[Cell], section: Section | None) -> None:
    i = 0
    while i < len(cells):
        i = _question_cell(matched, index, cells, i, section) if cells[i].text else i + 1


def _question_cell(matched: Matched, index: _Index, cells: Sequence[Cell], i: int, section: Section | None) -> int:
    """Match the label in ``cells[i]`` and its answer; the position of the next label."""
    cell = cells[i]
    found, inline = _find_question(index, cell, section, matched.answers)
    if inline is not None:
        answer_cell: Cell | None = inline
    else:
        answer_cell, i = _answer_cell(index, cells, i, section)
    if found is not None:
        _add_answer(matched, Answer(question=found[1], section=found[0], label_cell=cell, cell=answer_cell))
    elif _plain(cell.text) not in index.known_text:
        _add_unmapped(matched, index, cells, cell, answer_cell=answer_cell, section=section)
    return i + (1 if inline is not None or answer_cell is None else 2)


def _find_question(index: _Index, cell: Cell, section: Section | None,
                   taken: Mapping[str, Answer]) -> tuple[tuple[Section, Question] | None, Cell | None]:
    """The question *cell* is the label of, and its answer when it is in the same cell (``Label: answer``)."""
    found = index.question(cell.text, section, taken)
    inline = None
    if found is None and ":" in cell.text:
        head, _, tail = cell.text.partition(":")
        candidate = index.question(head, section, taken)
        if candidate is not None and tail.strip():
            found, inline = candidate, _inline_cell(cell, tail.strip())
    if found is None and "\n" in cell.text:
        found = index.question(cell.text.split("\n", 1)[0], section, taken)
    return found, inline


def _answer_cell(index: _Index, cells: Sequence[Cell], i: int, section: Section | None) -> tuple[Cell | None, int]:
    """The answer cell of the label in ``cells[i]``, and the label's position (moved past a spacer cell)."""
    answer_cell = cells[i + 1] if i + 1 < len(cells) else None
    if answer_cell is not None and not answer_cell.text:
        rest = [c for c in cells[i + 2:] if c.text and _plain(c.text) not in index.known_text]
        if len(rest) == 1 and index.question(rest[0].text, section, {}) is None:
            answer_cell = rest[0]  # label, empty spacer cell, answer
            i = cells.index(rest[0]) - 1
    if answer_cell is not None and answer_cell.text and (
            index.question(answer_cell.text, section, {}) is not None
            and _plain(answer_cell.text) not in index.known_text and i + 2 < len(cells)):
        answer_cell = None  # the next cell is another question's label
    return answer_cell, i


def _add_answer(matched: Matched, answer: Answer) -> None:
    """Keep *answer*; a second answer to the same question is a duplicate unless the first was blank."""
    question_id = answer.question.id
    matched.found += 1
    if question_id in matched.answers and answer.cell is not None and answer.cell.text:
        previous = matched.answers[question_id]
        if previous.cell is None or not previous.cell.text:
            matched.answers[question_id] = answer
        else:
            matched.duplicates.append(answer)
    elif question_id not in matched.answers:
        matched.answers[question_id] = answer


def _add_unmapped(matched: Matched, index: _Index, cells: Sequence[Cell], cell: Cell, *, answer_cell: Cell | None,
                  section: Section | None) -> None:
    """Keep an answer to a question the profile does not know (a lone heading-like text is no answer)."""
    value_cell = answer_cell if answer_cell is not None and answer_cell.text else None
    if value_cell is not None and _plain(value_cell.text) in index.known_text:
        value_cell = None
    if value_cell is None and len([c for c in cells if c.text]) == 1 and _heading_like(cell.text):
        return  # a heading or title of the project's own, not an answer
    matched.unmapped.append(Unmapped(label=cell.text, cell=value_cell, label_cell=cell,
                                     section=section.id if section else None))


def _heading_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and not text.rstrip().endswith((".", "?", "!")) and ":" not in text


def _inline_cell(cell: Cell, text: str) -> Cell:
    return Cell(text=text, value=text, row=cell.row, column=cell.column, where=cell.where, sheet=cell.sheet,
                table=cell.table)
