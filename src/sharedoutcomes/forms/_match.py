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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final

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
    pieces: list[Cell] = field(factory=list)
    """Every non-empty piece of the source (cells and paragraphs), in document order."""
    part: dict[int, str] = field(factory=dict)
    """A piece's id → the part of the form it is in (``Section F``, else its table or sheet)."""
    used: set[int] = field(factory=set)
    """The ids of the pieces read: the form's own text, labels, answers, kept unmapped answers."""
    members: dict[int, list[int]] = field(factory=dict)
    """A cell made from several pieces (paragraphs of prose) → the ids of those pieces."""
    why: dict[int, str] = field(factory=dict)
    """Why a piece was not read, where more can be said than 'not read'."""
    not_read: list[tuple[Cell, str]] = field(factory=list)
    """Pieces a reader could not read, with why (a malformed row, a JSON member of no use)."""
    anchors: set[str] = field(factory=set)
    """The ids of the questions and sections found by their labels."""
    numbered_titles: list[tuple[Cell, str]] = field(factory=list)
    """Columns of numbers read as outcome numbers, not titles: (header cell, message)."""
    declared: str | None = None
    """The form profile the file says it was written for."""

    def use(self, *cells: Cell | None) -> None:
        """Count *cells* as read."""
        for cell in cells:
            if cell is not None:
                self.used.add(id(cell))


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
                         f"{section.id} {section.title}", section.title, *section.alternatives):
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


ProseReader = Callable[[Matched, "_Index", Grid, Section | None], Section | None]
"""Reads a prose grid into *matched*; returns the section it ends in."""


def part_name(grid: Grid, section: Section | None) -> str:
    """The part of the form a piece is counted in: its section, else its table, sheet or paragraphs."""
    return f"Section {section.id}" if section is not None else grid.name


def match(grids: Iterable[Grid], profile: FormProfile, *, prose: ProseReader | None = None) -> Matched:
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
    section: Section | None = None
    for grid in grids:
        matched.not_read.extend(grid.not_read)
        if grid.declares is not None:
            matched.declared = grid.declares
        if grid.section_hint:
            section = index.section(grid.section_hint) or section
        if grid.prose:
            for row in grid.rows:
                matched.pieces.extend(c for c in row if c.text and c.piece)
            if prose is not None:
                section = prose(matched, index, grid, section)
            continue
        _grid(matched, index, grid, section)
    return matched


def _grid(matched: Matched, index: _Index, grid: Grid, section: Section | None) -> None:
    """Match the rows of one table or sheet."""
    table: tuple[Section, Table, dict[int, Question], list[Cell]] | None = None
    for number, row in enumerate(grid.rows):
        cells = [c for c in row if not c.repeat]
        texts = [c for c in cells if c.text]
        if not texts:
            continue
        for cell in texts:
            if cell.piece:
                matched.pieces.append(cell)
        if len(texts) == 1:
            heading = index.section(texts[0].text)
            if heading is not None and index.question(texts[0].text, None, {}) is None:
                section, table = heading, None
                _note_section(matched, grid, heading, texts[0])
                continue
            titled = index.titles.get(fv.normalise_label(texts[0].text))
            if titled is not None:
                section = titled[0]
                _note_section(matched, grid, section, texts[0])
                continue
        for cell in texts:
            matched.part[id(cell)] = part_name(grid, section)
        header = index.header(row, section)
        if header is not None:
            if header[1].row == "outcome":
                _numbers_are_not_titles(matched, header, row, grid.rows[number + 1:])
            section = header[0]
            table = (header[0], header[1], header[2], list(row))
            matched.found += len(header[2])
            matched.anchors.add(f"table:{header[1].id}")
            matched.use(*(row[position] for position in header[2]))  # other headers: read with their column's answers
            for cell in texts:
                matched.part[id(cell)] = part_name(grid, section)
            continue
        if all(_plain(c.text) in index.known_text for c in texts):
            matched.use(*texts)
            continue
        if table is not None:
            _table_row(matched, table, row)
            continue
        _question_row(matched, index, cells, section)


_NUMBER: Final = re.compile(r"^\s*(?:outcome\s*|no\.?\s*)?\d+[a-z]?[.)]?\s*$", re.IGNORECASE)


def _numbers_are_not_titles(matched: Matched, found: tuple[Section, Table, dict[int, Question]],
                            header: Sequence[Cell], rows: Sequence[Sequence[Cell]]) -> None:
    """
    A column of numbers is never the outcomes' titles: it is their numbers, and the titles are beside it.

    When the column read as titles holds only numbers ("1", "Outcome 2"), it becomes the ref
    column (if the table has none), and the titles come from the column whose header is
    another of the title's labels, else the first other column with text (*mapping* is
    changed in place, with a warning).
    """
    section, table, mapping = found
    title = table.column_for("title")
    position = next((p for p, c in mapping.items() if c is title), None)
    if title is None or position is None:
        return
    values = _column_texts(rows, position)
    if not values or not all(_NUMBER.match(v) for v in values):
        return
    labels = {fv.normalise_label(label) for label in title.labels}
    free = [p for p in range(len(header)) if p not in mapping and header[p].text]
    better = next((p for p in free if fv.normalise_label(header[p].text) in labels), free[0] if free else None)
    ref = table.column_for("ref")
    del mapping[position]
    if ref is not None and ref not in mapping.values():
        mapping[position] = ref
    if better is not None:
        mapping[better] = title
    shown = ", ".join(dict.fromkeys(values[:5])) + (" …" if len(values) > 5 else "")
    titles = f"the titles are read from {header[better].text!r}" if better is not None else "no column has the titles"
    matched.numbered_titles.append((header[position],
                            f"Section {section.id}, {table.title.lower()}: column {header[position].text!r} holds "
                            f"numbers ({shown}): read as the outcomes' numbers, not their titles; {titles} "
                            f"({header[position].where})"))


def _column_texts(rows: Sequence[Sequence[Cell]], position: int, limit: int = 50) -> list[str]:
    """The texts in column *position* of the rows under a header (at most *limit*)."""
    values = []
    for row in rows:
        if position < len(row) and row[position].text and not row[position].repeat:
            values.append(row[position].text)
        if len(values) >= limit:
            break
    return values


def _note_section(matched: Matched, grid: Grid, section: Section, cell: Cell) -> None:
    """A section heading (or table title) found: it is read, and the section is an anchor."""
    matched.use(cell)
    matched.anchors.add(f"section:{section.id}")
    matched.part[id(cell)] = part_name(grid, section)


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
        matched.use(*found.values())
    for position, cell in extra:
        matched.use(cell)
        if position < len(header):
            matched.use(header[position])
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
        matched.use(cell, inline or answer_cell)
        if inline is not None:
            matched.members[id(inline)] = [id(cell)]
        matched.anchors.add(found[1].id)
    elif _plain(cell.text) not in index.known_text:
        _add_unmapped(matched, index, cells, cell, answer_cell=answer_cell, section=section)
    else:
        matched.use(cell)
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
            and _plain(answer_cell.text) not in index.known_text and i + 2 < len(cells)
            and cells[i + 2].text and _plain(cells[i + 2].text) not in index.known_text):
        answer_cell = None  # the next cell is another question's label (not an answer followed by guidance)
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
        matched.use(value_cell)
        value_cell = None
    if value_cell is None and len([c for c in cells if c.text]) == 1 and _heading_like(cell.text):
        return  # a heading or title of the project's own, not an answer: reported as not read
    matched.use(cell, value_cell)
    matched.unmapped.append(Unmapped(label=cell.text, cell=value_cell, label_cell=cell,
                                     section=section.id if section else None))


def _heading_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and not text.rstrip().endswith((".", "?", "!")) and ":" not in text


def _inline_cell(cell: Cell, text: str) -> Cell:
    return Cell(text=text, value=text, row=cell.row, column=cell.column, where=cell.where, sheet=cell.sheet,
                table=cell.table)
