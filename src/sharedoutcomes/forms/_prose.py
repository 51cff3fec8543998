"""
Prose: a form written as paragraphs under headings, read into the sections they belong to.

People often answer a Word form by writing under its headings rather than in its tables
(the Harmonising Reporting template is a list of headings with "what goes here?"). Each
paragraph is one of: a section heading; a question's label (``Key learning points``, or
``Key learning points: …`` with the answer after it); a table's title (``Planned
differences or changes``); an outcome sub-heading (``Outcome 1: …``); or a body
paragraph, which goes where the last of those points: the question's answer, a row of the
table (a planned outcome, a story), or, under a section whose profile says
``prose: <table>.<column>``, that column of the outcome named by the sub-heading. A
paragraph in quotation marks is a quote. A body paragraph with nowhere to go is left for
the accounting to report as not read, with why.
"""

from __future__ import annotations

import re
from typing import Final

from attrs import define, field

from sharedoutcomes.forms import _values as fv
from sharedoutcomes.forms._grid import Cell, Grid
from sharedoutcomes.forms._match import (
    Answer,
    Matched,
    RowAnswers,
    _add_answer,
    _find_question,
    _Index,
    _plain,
    part_name,
)
from sharedoutcomes.forms._profile import Question, Section, Table

__all__ = ["read_prose"]

_OUTCOME_HEADING: Final = re.compile(r"^\s*outcome\s+(\d+[a-z]?)\s*(?:[:.)\-–—]\s*(.*))?$", re.IGNORECASE | re.DOTALL)
_NUMBERED: Final = re.compile(r"^\s*(?:outcome\s+)?(\d+[a-z]?)\s*[:.)\-–—]\s+(.+)$", re.IGNORECASE | re.DOTALL)
_QUOTE: Final = re.compile(r"^\s*[\"“‘'«]")


@define
class _Target:
    """Where body paragraphs go: a question, a table, or a column of the outcome table."""

    question: Question | None = None
    table: Table | None = None
    column: Question | None = None


@define
class _State:
    section: Section | None
    target: _Target = field(factory=_Target)
    outcome_ref: str | None = None
    label: Cell | None = None
    body: list[Cell] = field(factory=list)
    question_section: Section | None = None
    """The section of the question the target names."""


def read_prose(matched: Matched, index: _Index, grid: Grid, section: Section | None) -> Section | None:
    """
    Read a prose grid (one paragraph a row) into *matched*; the section it ends in.

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> from sharedoutcomes.forms._match import match
        >>> def paragraph(text, n):
        ...     return (Cell(text=text, value=text, row=n, column="", where=f"paragraph {n}"),)
        >>> grid = Grid(name="paragraphs", prose=True, rows=(paragraph("Learning for the future", 1),
        ...             paragraph("Key learning points: men come for the woodwork.", 2)))
        >>> found = match([grid], get_profile("harmonising-reporting"), prose=read_prose)
        >>> found.answers["learning"].cell.text
        'men come for the woodwork.'
    """
    state = _State(section=section, target=_default(index, section), question_section=section)
    for row in grid.rows:
        for cell in row:
            if cell.text:
                _paragraph(matched, index, grid, state, cell)
    _flush(matched, state)
    return state.section


def _default(index: _Index, section: Section | None) -> _Target:
    """The section's ``prose`` target."""
    if section is None or section.prose is None:
        return _Target()
    head, _, column = section.prose.partition(".")
    tables = {t.id: t for _s, t in index.profile.tables()}
    if head in tables:
        table = tables[head]
        return _Target(table=table, column=next((c for c in table.columns if c.id == column), None))
    question = next((q for _s, q in index.profile.questions() if q.id == head), None)
    return _Target(question=question)


def _paragraph(matched: Matched, index: _Index, grid: Grid, state: _State, cell: Cell) -> None:
    matched.part[id(cell)] = part_name(grid, state.section)
    heading = index.section(cell.text)
    if heading is not None and index.question(cell.text, None, {}) is None:
        _flush(matched, state)
        state.section, state.target, state.outcome_ref = heading, _default(index, heading), None
        state.question_section = heading
        matched.use(cell)
        matched.anchors.add(f"section:{heading.id}")
        matched.part[id(cell)] = part_name(grid, heading)
        return
    if _plain(cell.text) in index.known_text:
        matched.use(cell)
        return
    if _structure(matched, index, state, cell):
        return
    if _QUOTE.match(cell.text) and _story_table(index) is not None:
        _flush(matched, state)
        _story(matched, index, state, cell, kind="Quote")
        return
    _body(matched, index, state, cell)


def _structure(matched: Matched, index: _Index, state: _State, cell: Cell) -> bool:
    """A label, a table title or an outcome sub-heading: where the next paragraphs go."""
    outcome = _OUTCOME_HEADING.match(cell.text)
    if outcome is not None and (cell.heading or not (outcome.group(2) or "").strip()
                                or state.target.column is not None):
        _flush(matched, state)
        state.outcome_ref = outcome.group(1)
        matched.use(cell)
        return True
    found, inline = _find_question(index, cell, state.section, matched.answers)
    if found is not None:
        _flush(matched, state)
        state.target = _Target(question=found[1])
        state.question_section = found[0]
        state.label = cell
        matched.use(cell)
        matched.anchors.add(found[1].id)
        if inline is not None:
            state.body.append(inline)
            matched.members[id(inline)] = [id(cell)]
        return True
    titled = index.titles.get(fv.normalise_label(cell.text))
    if titled is not None and titled[1].row in ("outcome", "story"):
        _flush(matched, state)
        state.target = _Target(table=titled[1])
        matched.use(cell)
        matched.anchors.add(f"table:{titled[1].id}")
        return True
    return False


def _body(matched: Matched, index: _Index, state: _State, cell: Cell) -> None:
    target = state.target
    if target.question is not None:
        state.body.append(cell)
    elif target.table is not None and target.column is not None:
        _outcome_column(matched, state, cell)
    elif target.table is not None and target.table.row == "outcome":
        _outcome(matched, index, state, target.table, cell)
    elif target.table is not None:
        _story(matched, index, state, cell, kind=None)
    else:
        where = f"Section {state.section.id}" if state.section else "before the first heading"
        matched.why[id(cell)] = f"{cell.where}, {where}: a paragraph under no question this form asks"


def _made(text: str, like: Cell, pieces: list[Cell]) -> Cell:
    """A cell made by the reader from *pieces* (not itself a piece of the source)."""
    return Cell(text=text, value=text, row=like.row, column=like.column,
                where=like.where if len(pieces) < 2 else f"paragraphs {pieces[0].row}-{pieces[-1].row}",
                sheet=like.sheet, table=like.table, piece=False)


def _flush(matched: Matched, state: _State) -> None:
    """Give the question collected so far its answer (its paragraphs, joined)."""
    question, body = state.target.question, state.body
    if question is not None and body:
        cell = body[0] if len(body) == 1 else _made("\n\n".join(c.text for c in body), body[0], body)
        ids = [i for c in body for i in matched.members.get(id(c), [id(c)])]
        matched.members[id(cell)] = ids
        section = state.section if state.section is not None and question in state.section.questions else (
            state.question_section)
        if section is not None:
            _add_answer(matched, Answer(question=question, section=section, label_cell=state.label or body[0],
                                        cell=cell))
            matched.used.update(ids)
    state.body = []


def _rows(matched: Matched, table: Table) -> list[RowAnswers]:
    return matched.rows.setdefault(table.id, [])


def _outcome(matched: Matched, index: _Index, state: _State, table: Table, cell: Cell) -> None:
    """A paragraph listing a planned outcome: a row of the outcome table (``1. …`` gives its number)."""
    title_column, ref_column = table.column_for("title"), table.column_for("ref")
    if title_column is None:
        return
    numbered = _NUMBERED.match(cell.text)
    title = cell if numbered is None else _made(numbered.group(2).strip(), cell, [cell])
    cells = {title_column.id: title}
    if ref_column is not None:
        ref = numbered.group(1) if numbered else str(len(_rows(matched, table)) + 1)
        cells[ref_column.id] = _made(ref, cell, [cell])
    matched.members[id(title)] = [id(cell)]
    section = index.profile.section_of(table)
    _rows(matched, table).append(RowAnswers(table=table, section=section, number=len(_rows(matched, table)) + 1,
                                            cells=cells, first=title))
    matched.use(cell)


def _outcome_column(matched: Matched, state: _State, cell: Cell) -> None:
    """A paragraph about one outcome: added to that outcome's column (``what difference we made``)."""
    table, column = state.target.table, state.target.column
    assert table is not None
    assert column is not None
    rows = _rows(matched, table)
    ref_column = table.column_for("ref")
    row = None
    if state.outcome_ref is not None and ref_column is not None:
        row = next((r for r in rows if ref_column.id in r.cells
                    and r.cells[ref_column.id].text.strip().rstrip(".") == state.outcome_ref), None)
    elif len(rows) == 1:
        row = rows[0]
    if row is None:
        where = f"outcome {state.outcome_ref}" if state.outcome_ref else "no outcome"
        matched.why[id(cell)] = (f"{cell.where}: it is about {where}, which is not among the planned outcomes; "
                                 "start the paragraphs about each outcome with a sub-heading such as 'Outcome 1'")
        return
    previous = row.cells.get(column.id)
    pieces = [*(matched.members.get(id(previous), [id(previous)]) if previous is not None else []), id(cell)]
    text = cell.text if previous is None else f"{previous.text}\n\n{cell.text}"
    made = _made(text, cell, [cell])
    row.cells[column.id] = made
    matched.members[id(made)] = pieces
    matched.use(cell)


def _story_table(index: _Index) -> Table | None:
    return index.profile.table_for("story")


def _story(matched: Matched, index: _Index, state: _State, cell: Cell, *, kind: str | None) -> None:
    """A quote (in quotation marks) or a case study: a row of the story table, about the current outcome."""
    table = state.target.table if state.target.table is not None and state.target.table.row == "story" else (
        _story_table(index))
    assert table is not None
    narrative = table.column_for("narrative")
    if narrative is None:
        return
    cells = {narrative.id: cell}
    kind_column, outcomes_column = table.column_for("kind"), table.column_for("outcomes")
    if kind_column is not None:
        cells[kind_column.id] = _made(kind or "Case study", cell, [cell])
    if outcomes_column is not None and state.outcome_ref is not None:
        cells[outcomes_column.id] = _made(state.outcome_ref, cell, [cell])
    section = index.profile.section_of(table)
    rows = _rows(matched, table)
    rows.append(RowAnswers(table=table, section=section, number=len(rows) + 1, cells=cells, first=cell))
    matched.use(cell)
