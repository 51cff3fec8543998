"""
The profile-driven middle of form reading and writing.

Readers turn a file into `Grid`s (rows of cells, each knowing where it sits on the form).
`match` finds the answers in them by their labels; `Builder` places the answers in a
package document as the profile's mapping language says; `package_to_content` does the
reverse for writing.

The mapping language (each question's or column's ``to``):

* questions: ``<slot>.<field>`` with slots ``package`` (``period.start``, ``period.end``,
  ``title``, ``description``), ``organisation`` (``name``, ``oscr``, ``id``, ``locality``,
  ``url``, ``kind``), ``activity`` (``title``, ``description``, ``locality``, ``kind``,
  ``period.start``, ``period.end``), ``funding`` (``funder``, ``fund``, ``amount``,
  ``grant_id``, ``period.start``, ``period.end``) and ``people.<code>`` (a value of the
  "people supported" count evidence); ``<slot>.ext.<key>`` keeps an answer in the slot's
  ``extension_data["form"]``;
* columns: a field of the table's row kind (`ROW_FIELDS`), or ``ext.<key>``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from attrs import define, field, frozen

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import ConversionError, Problem, SourceLocation
from sharedoutcomes.forms import _values as fv

if TYPE_CHECKING:
    from sharedoutcomes.converters import ConversionResult
    from sharedoutcomes.forms import BatchResult, FileResult, FormProfile, Question, Section, Table
    from sharedoutcomes.model import Package

EXTENSION: Final = "form"
"""The name of the extension under which answers without a model field are kept."""

EXTENSION_DECLARATION: Final = {
    "name": EXTENSION,
    "version": "0.1",
    "description": "Answers from a funder's monitoring and evaluation form that have no field in the model "
    "(under their question ids), and answers to questions the form profile does not know ('unmapped', "
    "each with where it was found).",
}

QUESTION_FIELDS: Final[Mapping[str, frozenset[str]]] = {
    "package": frozenset({"period.start", "period.end", "title", "description"}),
    "organisation": frozenset({"name", "oscr", "id", "locality", "url", "kind"}),
    "activity": frozenset({"title", "description", "locality", "kind", "period.start", "period.end"}),
    "funding": frozenset({"funder", "fund", "amount", "grant_id", "period.start", "period.end"}),
}
"""The fields each question slot offers (``people.<code>`` and ``<slot>.ext.<key>`` besides)."""

ROW_FIELDS: Final[Mapping[str, frozenset[str]]] = {
    "outcome": frozenset({"ref", "title", "description", "pathway", "evidence"}),
    "indicator": frozenset({"outcome", "title", "description", "unit", "baseline", "target", "actual",
                            "instrument"}),
    "output": frozenset({"title", "planned", "actual", "unit"}),
    "story": frozenset({"kind", "title", "narrative", "outcomes", "consent", "date"}),
}
"""The fields each kind of table row offers (outcomes also ``mappings.<framework>``; all ``ext.<key>``)."""

_NUMERIC_TYPES: Final = frozenset({"number", "money", "percentage"})
_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")


def check_profile(profile: FormProfile) -> list[str]:
    """
    What is wrong with a profile beyond its schema: unknown targets, codelists, duplicate ids.

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> check_profile(get_profile("north-ayrshire"))
        []
    """
    problems: list[str] = []
    seen: set[str] = set()
    for section, question in profile.questions():
        where = f"section {section.id}, question {question.id!r}"
        if question.id in seen:
            problems.append(f"{where}: the id is used twice")
        seen.add(question.id)
        problems.extend(f"{where}: {p}" for p in _check_question(profile, question))
        slot, _, rest = question.to.partition(".")
        if slot == "people":
            if not _KEY.match(rest):
                problems.append(f"{where}: 'people.' must be followed by a code, not {rest!r}")
        elif slot not in QUESTION_FIELDS:
            problems.append(f"{where}: unknown target {question.to!r} (slots: package, organisation, "
                            "activity, funding, people)")
        elif not (rest in QUESTION_FIELDS[slot] or (rest.startswith("ext.") and _KEY.match(rest[4:]))):
            known = ", ".join(sorted(QUESTION_FIELDS[slot]))
            problems.append(f"{where}: unknown target {question.to!r} ({slot} fields: {known}, ext.<key>)")
    table_ids: set[str] = set()
    for section, table in profile.tables():
        if table.id in table_ids:
            problems.append(f"section {section.id}: table id {table.id!r} is used twice")
        table_ids.add(table.id)
        columns: set[str] = set()
        for column in table.columns:
            where = f"table {table.id!r}, column {column.id!r}"
            if column.id in columns:
                problems.append(f"{where}: the id is used twice")
            columns.add(column.id)
            problems.extend(f"{where}: {p}" for p in _check_question(profile, column))
            target = column.to
            if table.row == "record":
                if not _KEY.match(target):
                    problems.append(f"{where}: a record column's target is a plain key, not {target!r}")
                continue
            ok = (target in ROW_FIELDS[table.row] or (target.startswith("ext.") and _KEY.match(target[4:]))
                  or (table.row == "outcome" and target.startswith("mappings.") and _KEY.match(target[9:])))
            if not ok:
                known = ", ".join(sorted(ROW_FIELDS[table.row]))
                problems.append(f"{where}: unknown target {target!r} for {table.row} rows ({known}, ext.<key>)")
        if table.row in ("outcome", "indicator", "output", "story") and table.column_for(
                "narrative" if table.row == "story" else "title") is None:
            problems.append(f"table {table.id!r}: {table.row} rows need a "
                            f"{'narrative' if table.row == 'story' else 'title'} column")
    return problems


def _check_question(profile: FormProfile, question: Question) -> list[str]:
    if question.type == "choice" and question.codelist not in profile.codelists:
        return [f"codelist {question.codelist!r} is not defined in 'codelists'"]
    return []


# -- grids -------------------------------------------------------------------------------------


@frozen(kw_only=True)
class Cell:
    """One cell of a grid: its text, typed value and place on the form."""

    text: str
    value: Any = None
    row: int
    column: str
    where: str
    sheet: str | None = None
    table: int | None = None
    repeat: bool = False

    def location(self, **extra: Any) -> SourceLocation:
        """The cell's place as a `SourceLocation`, with *extra* fields (section, question …)."""
        return SourceLocation(sheet=self.sheet, table=self.table, row=self.row, column=self.column, **extra)


@frozen(kw_only=True)
class Grid:
    """A Word table, a sheet, or a JSON form, as rows of cells."""

    name: str
    rows: tuple[tuple[Cell, ...], ...]
    section_hint: str | None = None


# -- matching ----------------------------------------------------------------------------------


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
        cell = cells[i]
        if not cell.text:
            i += 1
            continue
        label_text, inline = cell.text, None
        found = index.question(label_text, section, matched.answers)
        if found is None and ":" in cell.text:
            head, _, tail = cell.text.partition(":")
            candidate = index.question(head, section, matched.answers)
            if candidate is not None and tail.strip():
                found, inline = candidate, _inline_cell(cell, tail.strip())
        if found is None and "\n" in cell.text:
            found = index.question(cell.text.split("\n", 1)[0], section, matched.answers)
        answer_cell = inline if inline is not None else (cells[i + 1] if i + 1 < len(cells) else None)
        rest = [c for c in cells[i + 2:] if c.text and _plain(c.text) not in index.known_text]
        if (inline is None and answer_cell is not None and not answer_cell.text and len(rest) == 1
                and index.question(rest[0].text, section, {}) is None):
            answer_cell = rest[0]  # label, empty spacer cell, answer
            i = cells.index(rest[0]) - 1
        if answer_cell is not None and inline is None and answer_cell.text and (
                index.question(answer_cell.text, section, {}) is not None
                and _plain(answer_cell.text) not in index.known_text and i + 2 < len(cells)):
            answer_cell = None  # the next cell is another question's label
        step = 1 if inline is not None or answer_cell is None else 2
        if found is not None:
            qsection, question = found
            answer = Answer(question=question, section=qsection, label_cell=cell, cell=answer_cell)
            matched.found += 1
            if question.id in matched.answers and answer_cell is not None and answer_cell.text:
                previous = matched.answers[question.id]
                if previous.cell is None or not previous.cell.text:
                    matched.answers[question.id] = answer
                else:
                    matched.duplicates.append(answer)
            elif question.id not in matched.answers:
                matched.answers[question.id] = answer
        elif _plain(cell.text) not in index.known_text:
            value_cell = answer_cell if answer_cell is not None and answer_cell.text else None
            if value_cell is not None and _plain(value_cell.text) in index.known_text:
                value_cell = None
            if value_cell is None and len([c for c in cells if c.text]) == 1 and _heading_like(cell.text):
                i += step
                continue  # a heading or title of the project's own, not an answer
            matched.unmapped.append(Unmapped(label=cell.text, cell=value_cell, label_cell=cell,
                                             section=section.id if section else None))
        i += step


def _heading_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and not text.rstrip().endswith((".", "?", "!")) and ":" not in text


def _inline_cell(cell: Cell, text: str) -> Cell:
    return Cell(text=text, value=text, row=cell.row, column=cell.column, where=cell.where, sheet=cell.sheet,
                table=cell.table)


def json_grids(path: Path, profile: FormProfile) -> list[Grid]:
    """
    Read a form saved as JSON: ``{"form": name, "answers": {label or id: value}, "tables": {title or id: [rows]}}``.

    Raises:
        ConversionError: The file is not JSON or not shaped like a form.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        msg = f"not a JSON form: {error}"
        raise ConversionError(msg, source=SourceLocation(file=path.name)) from None
    if not isinstance(data, dict) or not ({"answers", "tables"} & set(data)):
        msg = (f"this is not a {profile.title} saved as JSON: expected an object with 'answers' and "
               "'tables' (write one with sharedoutcomes.forms.write_form)")
        raise ConversionError(msg, source=SourceLocation(file=path.name))
    ids = {q.id: q for _s, q in profile.questions()}
    grids: list[Grid] = []
    rows: list[tuple[Cell, ...]] = []
    answers = data.get("answers") or {}
    for number, (key, value) in enumerate(answers.items() if isinstance(answers, dict) else (), start=1):
        where = f"JSON {json_path(['answers', key])}"
        label = ids[key].label if key in ids else str(key)
        rows.append((Cell(text=label, value=label, row=number, column="label", where=where, sheet="answers"),
                     _json_cell(value, number, "value", where, "answers")))
    grids.append(Grid(name="answers", rows=tuple(rows)))
    tables = data.get("tables") or {}
    table_ids = {t.id: t for _s, t in profile.tables()}
    for key, items in (tables.items() if isinstance(tables, dict) else ()):
        spec = table_ids.get(key)
        title = spec.title if spec else str(key)
        if not isinstance(items, list):
            continue
        columns: list[str] = []
        for item in items:
            for name in (item if isinstance(item, dict) else {}):
                if name not in columns:
                    columns.append(name)
        labels = [spec.column(c).label if spec and c in {x.id for x in spec.columns} else c for c in columns]
        header = tuple(Cell(text=label, value=label, row=0, column=c, where=f"JSON {json_path(['tables', key])}",
                            sheet=title) for label, c in zip(labels, columns, strict=True))
        grid_rows = [(Cell(text=title, value=title, row=0, column="", where="", sheet=title),), header]
        for number, item in enumerate(items, start=1):
            values = item if isinstance(item, dict) else {}
            grid_rows.append(tuple(
                _json_cell(values.get(c), number, c, f"JSON {json_path(['tables', key, number - 1, c])}", title)
                for c in columns))
        grids.append(Grid(name=title, rows=tuple(grid_rows)))
    return grids


def _json_cell(value: Any, row: int, column: str, where: str, sheet: str) -> Cell:
    if isinstance(value, list):
        text = ", ".join(fv.to_text(v) for v in value)
    elif isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        text = value
    else:
        text = fv.to_text(value)
    return Cell(text=text, value=value if not isinstance(value, list) else text, row=row, column=column,
                where=where, sheet=sheet)


# -- building the package ----------------------------------------------------------------------


def _ref_key(text: str, fallback: int) -> str:
    return fv.slug(text.strip().rstrip(".")) or str(fallback)


class Builder:
    """Places matched answers in a package document, collecting problems and the source map."""

    def __init__(self, profile: FormProfile, matched: Matched, *, file: str, format_name: str) -> None:
        self.profile = profile
        self.matched = matched
        self.file = file
        self.format_name = format_name
        self.problems: list[Problem] = []
        self.source_map: dict[str, SourceLocation] = {}

    # problems and locations

    def loc(self, cell: Cell | None, section: Section | None, label: str | None, header: str | None = None) -> SourceLocation:
        """Where *cell* is, with the section and question."""
        sid = section.id if section else None
        if cell is None:
            return SourceLocation(file=self.file, section=sid, question=label)
        return SourceLocation(file=self.file, sheet=cell.sheet, table=cell.table, row=cell.row,
                              column=cell.column, header=header, section=sid, question=label)

    def problem(self, rule: str, path: str, message: str, location: SourceLocation, *,
                severity: str = "error", value: Any = None) -> None:
        """Record a problem."""
        self.problems.append(Problem(rule=rule, severity="warning" if severity == "warning" else "error",
                                     path=path, message=message, source=location, value=value))

    def parse(self, question: Question, cell: Cell, path: str, context: str, section: Section, *,
              header: str | None = None) -> Any:
        """Parse *cell* as *question* asks; on a bad answer record a problem and return None."""
        raw = cell.value if cell.value is not None else cell.text
        try:
            return parse_answer(self.profile, question, raw)
        except fv.FormValueError as error:
            what = question.label if header is None else question.label.lower()
            subject = f"{context}: {what} " if header is not None else f"{context}: "
            shown = cell.text if header is not None else f"{question.label!r} answer {cell.text!r}"
            text = f"'{shown}'" if header is not None else shown
            message = f"{subject}{text} {error.reason} ({cell.where})"
            self.problem(error.rule, path, message, self.loc(cell, section, question.label, header),
                         value=cell.text)
            return None

    def mark(self, path: str, cell: Cell | None, section: Section, label: str, header: str | None = None) -> None:
        """Record where the value at *path* came from."""
        self.source_map[path] = self.loc(cell, section, label, header)

    # answers

    def answer(self, question: Question, path: str) -> Any:
        """The parsed answer to *question* (None when blank or bad; required blanks are problems)."""
        found = self.matched.answers.get(question.id)
        section = self.profile.section_of(question)
        context = f"Section {section.id}"
        if found is None or found.cell is None or fv.is_blank(found.cell.value if found.cell.value is not None else found.cell.text):
            if question.required:
                if found is None:
                    message = f"{context}: the question {question.label!r} is missing from the form"
                    location = self.loc(None, section, question.label)
                else:
                    message = f"{context}: {question.label!r} has no answer ({(found.cell or found.label_cell).where})"
                    location = self.loc(found.cell or found.label_cell, section, question.label)
                self.problem("form.required", path, message, location)
            return None
        value = self.parse(question, found.cell, path, context, section)
        if value is not None:
            self.mark(path, found.cell, section, question.label)
        return value

    def target_answer(self, target: str, path: str) -> Any:
        """The answer to the question mapped to *target*, if the profile has one."""
        question = self.profile.question_for(target)
        return None if question is None else self.answer(question, path)


def parse_answer(profile: FormProfile, question: Question, raw: Any) -> Any:
    """
    Parse one non-blank answer by its question's type.

    Raises:
        FormValueError: The answer is not of that type (the rule id says how).

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> profile = get_profile("north-ayrshire")
        >>> parse_answer(profile, profile.question("nhwo"), "1, 4 and 6")
        ['1', '4', '6']
    """
    kind = question.type
    if kind in ("text", "long-text"):
        return fv.to_text(raw) if not isinstance(raw, str) else raw.strip()
    if kind == "number":
        return fv.parse_number(raw)
    if kind == "money":
        return fv.parse_money(raw)
    if kind == "percentage":
        return fv.parse_percentage(raw)
    if kind == "date":
        return fv.parse_date(raw)
    if kind == "yes-no":
        return fv.parse_yes_no(raw)
    codelist = profile.codelists[question.codelist or ""]
    choices = [(c.code, c.label, c.alternatives) for c in codelist.values]
    parts = fv.split_choices(raw) if question.multiple else [fv.to_text(raw)]
    codes: list[str] = []
    for part in parts:
        code = fv.match_choice(part, choices)
        if code is None and question.multiple and " " in part:
            code = fv.match_choice(part.split()[0], choices)
        if code is None:
            if codelist.open:
                code = part
            else:
                allowed = (f"{codelist.values[0].code}–{codelist.values[-1].code}"
                           if all(c.code.isdigit() for c in codelist.values)
                           else ", ".join(codelist.labels()))
                reason = f"is not on the {codelist.title} list ({allowed})"
                if len(parts) > 1:
                    reason = f"has {part!r}, which is not on the {codelist.title} list ({allowed})"
                raise fv.FormValueError("form.choice-unknown", reason)
        if code not in codes:
            codes.append(code)
    return codes if question.multiple else codes[0]


def _set(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def convert_grids(grids: Sequence[Grid], profile: FormProfile, *, file: str, format_name: str,
                  **options: Any) -> ConversionResult:
    """Match, check that it is this form, build the package document, and validate it."""
    matched = match(grids, profile)
    if matched.found < 3:
        labels = ", ".join(repr(q.label) for _s, q in list(profile.questions())[:3])
        msg = (f"this does not look like the {profile.title} ({profile.name} form profile): none of its "
               f"questions ({labels} …) or tables were found")
        raise ConversionError(msg, source=SourceLocation(file=file))
    return build(matched, profile, file=file, format_name=format_name, **options)


def build(matched: Matched, profile: FormProfile, *, file: str, format_name: str, produced: str | None = None,
          sharing_level: str = "partners", package_id: str | None = None) -> ConversionResult:
    """Build and validate the package document from a matched form."""
    from sharedoutcomes import __version__ as version
    from sharedoutcomes.converters import build_result

    b = Builder(profile, matched, file=file, format_name=format_name)
    ext: dict[str, dict[str, Any]] = {"package": {}, "organisation": {}, "activity": {}}
    fields: dict[str, dict[str, Any]] = {"package": {}, "organisation": {}, "activity": {}, "funding": {}}
    people: list[tuple[Question, Any]] = []
    slot_paths: dict[str, list[str | int]] = {"package": [], "organisation": ["organisations", 0], "activity": ["activities", 0],
                  "funding": ["activities", 0, "funding", 0]}
    for _section, question in profile.questions():
        slot, _, rest = question.to.partition(".")
        if slot == "people":
            value = b.answer(question, json_path(["evidence"]))
            if value is not None:
                people.append((question, value))
            continue
        if rest.startswith("ext."):
            key = rest[4:]
            path = json_path([*slot_paths[slot], "extension_data", EXTENSION, key])
            value = b.answer(question, path)
            if value is not None:
                ext[slot][key] = fv.json_ready(value)
            continue
        attr = {"oscr": "id", "funder": "funder_id", "amount": "amount"}.get(rest, rest)
        value = b.answer(question, json_path([*slot_paths[slot], *attr.split(".")]))
        if value is not None:
            fields[slot][rest] = value

    org = fields["organisation"]
    act = fields["activity"]
    fund = fields["funding"]
    pkg = fields["package"]
    org_id = _organisation_id(b, org)
    org_name = org.get("name") or "Organisation name not given"
    project = act.get("title") or "Project name not given"
    key = "-".join(filter(None, (fv.slug(org_id.removeprefix("GB-SC-"), limit=20),
                                 fv.slug(fund.get("grant_id") or project, limit=30)))) or "form"
    period_start: dt.date | None = pkg.get("period.start")
    period_end: dt.date | None = pkg.get("period.end")
    evkey = f"{key}-{period_start:%Y%m%d}" if period_start else key
    activity_id = f"act-{key}"

    document: dict[str, Any] = {
        "schema_version": "0.1",
        "id": package_id or f"{profile.name}-{evkey}",
        "title": pkg.get("title") or f"{profile.title}: {org_name}, {project}",
        "publisher": org_id,
        "produced": produced or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sharing_level": sharing_level,
    }
    if pkg.get("description"):
        document["description"] = pkg["description"]
    period = _period(period_start, period_end)
    if period:
        document["period"] = period
    organisation: dict[str, Any] = {"id": org_id, "name": org_name, "sector": "third"}
    if "oscr" in org or org_id.startswith("GB-SC-"):
        organisation["kind"] = "charity"
    for name in ("locality", "url", "kind"):
        if org.get(name):
            organisation[name] = org[name]
    organisations = [organisation]
    activity: dict[str, Any] = {"id": activity_id, "title": project, "kind": act.get("kind") or "project",
                                "participants": [{"organisation_id": org_id, "role": "lead"}]}
    for name in ("description", "locality"):
        if act.get(name):
            activity[name] = act[name]
    act_period = _period(act.get("period.start"), act.get("period.end"))
    if act_period:
        activity["period"] = act_period
    funding = _funding_line(profile, fund, ext["activity"])
    if funding is not None:
        funder_id = funding.get("funder_id")
        if funder_id and profile.funder is not None and funder_id == profile.funder.id:
            funder_org: dict[str, Any] = {"id": profile.funder.id, "name": profile.funder.name,
                                          "sector": profile.funder.sector}
            if profile.funder.kind:
                funder_org["kind"] = profile.funder.kind
            organisations.append(funder_org)
            activity["participants"].append({"organisation_id": funder_id, "role": "funder"})
        activity["funding"] = [funding]
    document["organisations"] = organisations
    document["activities"] = [activity]

    common: dict[str, Any] = {"activity_id": activity_id, "collected_by": org_id}
    if period:
        common["period"] = period

    def provenance(cell: Cell, section: Section, label: str) -> dict[str, Any]:
        prov: dict[str, Any] = {"original_format": profile.name, "file": file, "question": f"{section.id}: {label}",
                                "converted_by": format_name, "converter_version": version}
        if cell.sheet:
            prov["sheet"] = cell.sheet
        elif cell.table is not None:
            prov["sheet"] = f"Table {cell.table}"
        if cell.row >= 1:
            prov["row"] = cell.row
        if cell.column:
            prov["column"] = cell.column
        return prov

    outcomes: list[dict[str, Any]] = []
    contributions: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    ref_to_outcome: dict[str, tuple[str, str]] = {}
    unplaced: list[dict[str, Any]] = []

    def link(evidence_id: str, contribution_id: str, relation: str) -> None:
        links.append({"id": f"lnk-{evidence_id}-{contribution_id.rsplit('-con-', 1)[-1]}", "evidence_id": evidence_id,
                      "target_type": "contribution", "target_id": contribution_id, "relation": relation})

    # outcomes
    for row in _rows(profile, matched, "outcome"):
        table, section = row.table, row.section
        i = len(outcomes)
        path = json_path(["outcomes", i])
        values = _row_values(b, row, path)
        ref_text = values.get("ref")
        ref = _ref_key(str(ref_text), i + 1) if ref_text not in (None, "") else str(i + 1)
        while ref in ref_to_outcome:
            ref = f"{ref}-{row.number}"
        outcome_id = f"{key}-out-{ref}"
        title = values.get("title")
        if title is None:
            _required_missing(b, row, "title", path)
            title = f"Outcome {ref} (no statement given)"
        outcome: dict[str, Any] = {"id": outcome_id, "title": title, "level": "person"}
        if values.get("description"):
            outcome["description"] = values["description"]
        mappings = []
        for column in table.columns:
            if column.to.startswith("mappings.") and values.get(column.to):
                codes = values[column.to] if isinstance(values[column.to], list) else [values[column.to]]
                mappings += [{"framework": column.to[9:], "code": code, "relation": "broad"} for code in codes]
        if mappings:
            outcome["mappings"] = mappings
        row_ext = {k[4:]: fv.json_ready(v) for k, v in values.items() if k.startswith("ext.")}
        if row_ext:
            outcome["extension_data"] = {EXTENSION: row_ext}
        outcomes.append(outcome)
        b.mark(path, row.first, section, f"{table.title} row {row.number}")
        contribution_id = f"{key}-con-{ref}"
        contribution: dict[str, Any] = {"id": contribution_id, "organisation_id": org_id, "activity_id": activity_id,
                                        "outcome_id": outcome_id, "role": "direct"}
        if values.get("pathway"):
            contribution["pathway"] = values["pathway"]
        contributions.append(contribution)
        ref_to_outcome[_ref_key(str(ref_text), i + 1) if ref_text not in (None, "") else str(i + 1)] = (
            outcome_id, contribution_id)
        if values.get("evidence"):
            evidence_id = f"{evkey}-progress-{ref}"
            evidence_column = table.column_for("evidence")
            cell = row.cells[evidence_column.id] if evidence_column else row.first
            evidence.append({"id": evidence_id, "kind": "observation", "summary": f"Progress towards: {title}"[:200],
                             **common, "narrative": values["evidence"],
                             "provenance": provenance(cell, section, evidence_column.label if evidence_column
                                                      else table.title)})
            link(evidence_id, contribution_id, "supports")

    outcome_refs = list(ref_to_outcome)

    def resolve(ref_text: Any, row: RowAnswers, column_target: str, path: str) -> list[tuple[str, str]] | None:
        if ref_text in (None, ""):
            return None
        refs = fv.split_choices(ref_text) if column_target == "outcomes" else [str(ref_text)]
        found = []
        for text in refs:
            key_ = _ref_key(re.sub(r"^(outcome|no\.?)\s*", "", text.strip(), flags=re.IGNORECASE), 0)
            if key_ in ref_to_outcome:
                found.append(ref_to_outcome[key_])
            else:
                column = row.table.column_for(column_target)
                cell = row.cells.get(column.id) if column else None
                label = column.label if column else column_target
                known = ", ".join(outcome_refs) or "none"
                b.problem("form.outcome-unknown", path,
                          f"Section {row.section.id}, {row.table.title.lower()} row {row.number}: {label.lower()} "
                          f"{text!r} is not an outcome on this form (outcomes: {known})"
                          f" ({(cell or row.first).where})",
                          b.loc(cell or row.first, row.section, label, label), value=text)
        return found

    # indicators
    per_outcome: dict[str, int] = {}
    for row in _rows(profile, matched, "indicator"):
        table, section = row.table, row.section
        i = len(indicators)
        path = json_path(["indicators", i])
        title_column = table.column_for("title")
        title_cell = row.cells.get(title_column.id) if title_column else None
        title = title_cell.text.strip() if title_cell is not None else None
        outcome_cell_col = table.column_for("outcome")
        ref_raw = row.cells[outcome_cell_col.id].text if outcome_cell_col and outcome_cell_col.id in row.cells else None
        context_ref = ref_raw.strip() if ref_raw else "?"
        context = (f"Section {section.id}, outcome {context_ref}, indicator {title!r}" if title
                   else f"Section {section.id}, outcome {context_ref}, indicator in row {row.number}")
        values = _row_values(b, row, path, context=context)
        targets = resolve(ref_raw, row, "outcome", json_path(["indicators", i, "outcome_ids"]))
        if targets is None:
            targets = [next(iter(ref_to_outcome.values()))] if len(ref_to_outcome) == 1 else []
            if not targets and ref_to_outcome:
                b.problem("form.outcome-unknown", json_path(["indicators", i, "outcome_ids"]),
                          f"{context}: say which outcome it measures in {outcome_cell_col.label if outcome_cell_col else 'Outcome no.'!r} "
                          f"({row.first.where})", b.loc(row.first, section, table.title))
        if not targets:
            unplaced.append({"table": table.id, "row": row.number,
                             "answers": {k: fv.json_ready(v) for k, v in values.items()}})
            continue
        outcome_id, contribution_id = targets[0]
        if title is None:
            _required_missing(b, row, "title", path)
            title = f"Indicator in row {row.number}"
        outcome_ref = outcome_id.rsplit("-out-", 1)[-1]
        per_outcome[outcome_ref] = per_outcome.get(outcome_ref, 0) + 1
        indicator_id = f"{key}-ind-{outcome_ref}-{per_outcome[outcome_ref]}"
        unit = values.get("unit")
        percent = any(row.cells.get(c.id) is not None and row.cells[c.id].text.strip().endswith("%")
                      for c in table.columns if c.to in ("baseline", "target", "actual"))
        if unit is None and percent:
            unit = "%"
        indicator: dict[str, Any] = {"id": indicator_id, "title": title, "outcome_ids": [outcome_id]}
        if values.get("description"):
            indicator["description"] = values["description"]
        if unit:
            indicator["unit"] = unit
        if values.get("instrument"):
            indicator["instrument"] = values["instrument"]
        indicator["direction"] = "higher-is-better"
        indicator["aggregation"] = "per-period"
        for name in ("baseline", "target", "actual"):
            if unit is not None and unit.strip() in ("%", "percent", "per cent", "percentage") and isinstance(
                    values.get(name), int | float) and values[name] > 100:
                bad_column = table.column_for(name)
                cell = row.cells[bad_column.id] if bad_column else row.first
                label = bad_column.label.lower() if bad_column else name
                b.problem("form.percentage-over-100",
                          json_path(["indicators", i, name if name == "baseline" else "targets", 0]),
                          f"{context}: {label} '{cell.text}' is a percentage over 100 ({cell.where})",
                          b.loc(cell, section, bad_column.label if bad_column else name,
                                bad_column.label if bad_column else name),
                          value=cell.text)
                values[name] = None
        if values.get("baseline") is not None:
            indicator["baseline"] = {"value": values["baseline"]}
        if values.get("target") is not None:
            indicator["targets"] = [{"value": values["target"]}]
        row_ext = {k[4:]: fv.json_ready(v) for k, v in values.items() if k.startswith("ext.")}
        if row_ext:
            indicator["extension_data"] = {EXTENSION: row_ext}
        indicators.append(indicator)
        b.mark(path, row.first, section, f"{table.title} row {row.number}")
        if values.get("actual") is not None:
            actual_column = table.column_for("actual")
            cell = row.cells[actual_column.id] if actual_column else row.first
            if values.get("target") is None and not (table.column_for("target") is not None
                                                     and table.column_for("target").id in row.cells):  # type: ignore[union-attr]
                b.problem("form.actual-without-target", path,
                          f"{context}: has an actual ({cell.text}) but no target ({cell.where})",
                          b.loc(cell, section, actual_column.label if actual_column else "Actual"), severity="warning",
                          value=cell.text)
            evidence_id = f"{evkey}-actual-{outcome_ref}-{per_outcome[outcome_ref]}"
            actual_value: dict[str, Any] = {"code": fv.slug(title) or "actual", "value": values["actual"],
                                            "label": title, "indicator_id": indicator_id}
            if unit:
                actual_value["unit"] = unit
            evidence.append({"id": evidence_id, "kind": "measurement", "summary": f"Actual: {title}"[:200],
                             **common, "values": [actual_value],
                             "provenance": provenance(cell, section, actual_column.label if actual_column else "Actual")})
            b.mark(json_path(["evidence", len(evidence) - 1, "values", 0, "value"]), cell, section,
                   actual_column.label if actual_column else "Actual")
            link(evidence_id, contribution_id, "supports")

    all_contributions = [c["id"] for c in contributions]

    # outputs
    for number, row in enumerate(_rows(profile, matched, "output"), start=1):
        table, section = row.table, row.section
        path = json_path(["evidence", len(evidence)])
        values = _row_values(b, row, path, context=f"Section {section.id}, {table.title.lower()} row {row.number}")
        title = values.get("title")
        if title is None:
            _required_missing(b, row, "title", path)
            title = f"{table.title} row {row.number}"
        evidence_id = f"{evkey}-output-{number}"
        item: dict[str, Any] = {"id": evidence_id, "kind": "count", "summary": title, **common}
        if values.get("actual") is not None:
            value = {"code": "actual-output", "value": values["actual"]}
            if values.get("unit"):
                value["unit"] = values["unit"]
            item["values"] = [value]
        row_ext = {k[4:]: fv.json_ready(v) for k, v in values.items() if k.startswith("ext.")}
        if values.get("planned") is not None:
            row_ext["planned_output"] = values["planned"]
        if values.get("unit") and values.get("actual") is None:
            row_ext["unit"] = values["unit"]
        if row_ext:
            item["extension_data"] = {EXTENSION: row_ext}
        item["provenance"] = provenance(row.first, section, table.title)
        evidence.append(item)
        for contribution_id in all_contributions:
            link(evidence_id, contribution_id, "contextualises")

    # people
    if people:
        evidence_id = f"{evkey}-people"
        values_out = []
        first_cell: Cell | None = None
        first_section: Section | None = None
        for question, value in people:
            values_out.append({"code": question.to.partition(".")[2], "value": value, "label": question.label})
            answer = matched.answers[question.id]
            if first_cell is None and answer.cell is not None:
                first_cell, first_section = answer.cell, answer.section
            b.mark(json_path(["evidence", len(evidence), "values", len(values_out) - 1, "value"]), answer.cell,
                   answer.section, question.label)
        item = {"id": evidence_id, "kind": "count", "summary": "People supported", **common,
                "values": values_out}
        if first_cell is not None and first_section is not None:
            item["provenance"] = provenance(first_cell, first_section, first_section.title)
        evidence.append(item)
        for contribution_id in all_contributions:
            link(evidence_id, contribution_id, "contextualises")

    # stories
    for number, row in enumerate(_rows(profile, matched, "story"), start=1):
        table, section = row.table, row.section
        i = len(evidence)
        path = json_path(["evidence", i])
        context = f"Section {section.id}, {table.title.lower()} row {row.number}"
        values = _row_values(b, row, path, context=context)
        narrative = values.get("narrative")
        if narrative is None:
            _required_missing(b, row, "narrative", path)
        kind = values.get("kind") or "case-study"
        evidence_id = f"{evkey}-story-{number}"
        item = {"id": evidence_id, "kind": kind if kind in ("case-study", "quote") else "case-study"}
        if values.get("title"):
            item["summary"] = values["title"]
        if values.get("date") is not None:
            item["date"] = values["date"].isoformat()
        item.update(common)
        if narrative:
            item["narrative"] = narrative
        consent = values.get("consent")
        item["consent"] = "unknown" if consent is None else "given" if consent else "refused"
        row_ext = {k[4:]: fv.json_ready(v) for k, v in values.items() if k.startswith("ext.")}
        if row_ext:
            item["extension_data"] = {EXTENSION: row_ext}
        item["provenance"] = provenance(row.first, section, table.title)
        evidence.append(item)
        b.mark(path, row.first, section, f"{table.title} row {row.number}")
        outcomes_column = table.column_for("outcomes")
        raw_refs = row.cells[outcomes_column.id].text if outcomes_column and outcomes_column.id in row.cells else None
        targets = resolve(raw_refs, row, "outcomes", child_path(path, "links"))
        chosen = [c for _o, c in targets] if targets else all_contributions
        for contribution_id in chosen:
            link(evidence_id, contribution_id, "illustrates")

    # records
    for _section, table in profile.tables():
        if table.row != "record" or table.to is None:
            continue
        slot, _, ext_key = table.to.partition(".ext.")
        items: list[dict[str, Any]] = []
        for row in matched.rows.get(table.id, ()):
            values = _row_values(b, row, json_path([*slot_paths[slot], "extension_data", EXTENSION, ext_key, len(items)]),
                                 context=f"Section {row.section.id}, {table.title.lower()} row {row.number}")
            items.append({k: fv.json_ready(v) for k, v in values.items() if v is not None})
        if items:
            ext[slot][ext_key] = items

    # extension data, unmapped answers
    if unplaced:
        ext["package"]["unplaced_rows"] = unplaced
    unmapped: list[dict[str, Any]] = []
    for item_ in [*matched.unmapped, *(Unmapped(label=d.label_cell.text, cell=d.cell, label_cell=d.label_cell,
                                                 section=d.section.id) for d in matched.duplicates)]:
        value_cell = item_.cell
        value_text = value_cell.text if value_cell is not None else ""
        location = b.loc(value_cell or item_.label_cell, None, item_.label)
        if item_.section:
            location = SourceLocation(**{**location.to_dict(), "section": item_.section})
        entry = {"label": item_.label, "value": value_text, "location": location.to_dict()}
        path = json_path(["extension_data", EXTENSION, "unmapped", len(unmapped)])
        unmapped.append(entry)
        where = (value_cell or item_.label_cell).where
        is_duplicate = any(d.label_cell is item_.label_cell for d in matched.duplicates)
        message = (f"{'Section ' + item_.section + ': ' if item_.section else ''}{item_.label!r} is answered twice; "
                   f"the second answer {value_text!r} is kept as an unmapped answer ({where})") if is_duplicate else (
            f"{'Section ' + item_.section + ': ' if item_.section else ''}the form profile does not know "
            f"{item_.label!r}; its answer {value_text!r} is kept as an unmapped answer ({where})")
        b.problem("form.duplicate-answer" if is_duplicate else "form.unmapped-answer", path, message, location,
                  severity="warning", value=value_text)
        b.source_map[path] = location
    if unmapped:
        ext["package"]["unmapped"] = unmapped

    used = False
    for slot, target in (("package", document), ("organisation", organisation), ("activity", activity)):
        if ext[slot]:
            target["extension_data"] = {EXTENSION: ext[slot]}
            used = True
    used = used or any("extension_data" in x for x in (*outcomes, *indicators, *evidence))
    if used:
        document["extensions"] = [dict(EXTENSION_DECLARATION)]
    # keys in the order the schema lists them
    ordered: dict[str, Any] = {k: document[k] for k in ("schema_version", "id", "title", "description", "publisher", "produced",
                                        "period", "sharing_level", "extensions") if k in document}
    ordered["organisations"] = organisations
    ordered["activities"] = [activity]
    ordered.update({name: items_ for name, items_ in (
        ("outcomes", outcomes), ("indicators", indicators), ("contributions", contributions),
        ("evidence", evidence), ("links", links)) if items_})
    if "extension_data" in document:
        ordered["extension_data"] = document["extension_data"]
    problems = list(b.problems)
    return build_result(ordered, format=format_name, problems=problems, source_map=b.source_map)


def child_path(path: str, *parts: str | int) -> str:
    """Extend a JSONPath."""
    from sharedoutcomes._util.paths import child

    return child(path, *parts)


def _period(start: dt.date | None, end: dt.date | None) -> dict[str, str] | None:
    if start is None:
        return None
    out = {"start": start.isoformat()}
    if end is not None:
        out["end"] = end.isoformat()
    return out


def _organisation_id(b: Builder, org: Mapping[str, Any]) -> str:
    if org.get("id"):
        text = str(org["id"]).strip().replace(" ", "")
        if re.match(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*-[^\s]+$", text):
            return text
    if org.get("oscr"):
        raw = str(org["oscr"])
        cleaned = re.sub(r"[\s\-.]", "", raw).upper().removeprefix("GBSC")
        if re.fullmatch(r"\d{6}", cleaned):
            cleaned = "SC" + cleaned
        if not re.fullmatch(r"SC\d{6}", cleaned):
            question = b.profile.question_for("organisation.oscr")
            answer = b.matched.answers.get(question.id) if question else None
            cell = answer.cell if answer else None
            section = b.profile.section_of(question) if question else None
            b.problem("form.oscr-number", json_path(["organisations", 0, "id"]),
                      f"Section {section.id if section else '?'}: charity number {raw!r} is not an OSCR number "
                      f"(SC and six digits, e.g. SC012345) ({cell.where if cell else 'form'})",
                      b.loc(cell, section, question.label if question else None), severity="warning", value=raw)
            cleaned = re.sub(r"[^A-Za-z0-9]", "", cleaned) or "UNKNOWN"
        return f"GB-SC-{cleaned}"
    name = org.get("name")
    return f"XX-FORM-{fv.slug(str(name), limit=30) or 'unknown'}" if name else "XX-FORM-unknown"


def _funding_line(profile: FormProfile, fund: Mapping[str, Any], activity_ext: dict[str, Any]) -> dict[str, Any] | None:
    line: dict[str, Any] = {}
    funder_text = fund.get("funder")
    if profile.funder is not None:
        names = {fv.normalise_label(n) for n in (profile.funder.name, *profile.funder.aliases, profile.funder.id)}
        if funder_text is None or fv.normalise_label(str(funder_text)) in names:
            if funder_text is not None or any(k in fund for k in ("fund", "amount", "grant_id")):
                line["funder_id"] = profile.funder.id
        else:
            activity_ext["funder"] = funder_text
    elif funder_text is not None:
        activity_ext["funder"] = funder_text
    if fund.get("fund"):
        line["fund"] = fund["fund"]
    if fund.get("amount") is not None:
        line["amount"] = {"amount": fund["amount"], "currency": "GBP"}
    if fund.get("grant_id"):
        line["grant_id"] = fund["grant_id"]
    period = _period(fund.get("period.start"), fund.get("period.end"))
    if period:
        line["period"] = period
    if not line:
        return None
    if funder_text is not None and "funder_id" not in line:
        activity_ext["funder"] = funder_text
    return line


def _rows(profile: FormProfile, matched: Matched, kind: str) -> list[RowAnswers]:
    out: list[RowAnswers] = []
    for _section, table in profile.tables():
        if table.row == kind:
            out.extend(matched.rows.get(table.id, ()))
    return out


def _row_values(b: Builder, row: RowAnswers, path: str, *, context: str | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    context = context or f"Section {row.section.id}, {row.table.title.lower()} row {row.number}"
    for column in row.table.columns:
        cell = row.cells.get(column.id)
        if cell is None or fv.is_blank(cell.value if cell.value is not None else cell.text):
            if column.required and column.to not in ("title", "narrative"):
                b.problem("form.required", path, f"{context}: {column.label!r} has no answer ({row.first.where})",
                          b.loc(row.first, row.section, column.label, column.label))
            continue
        if column.to in ("outcome", "outcomes", "ref"):
            values[column.to] = cell.text.strip()
            continue
        value_path = child_path(path, *column.to.split(".")[:1])
        value = b.parse(column, cell, value_path, context, row.section, header=column.label)
        if value is not None:
            values[column.to] = value
            b.mark(value_path, cell, row.section, column.label, column.label)
    return values


def _required_missing(b: Builder, row: RowAnswers, target: str, path: str) -> None:
    column = row.table.column_for(target)
    label = column.label if column else target
    b.problem("form.required", path, f"Section {row.section.id}, {row.table.title.lower()} row {row.number}: "
              f"{label!r} has no answer ({row.first.where})", b.loc(row.first, row.section, label, label))


# -- writing -----------------------------------------------------------------------------------


@define
class FormContent:
    """The answers to write into a form: typed values by question id, table rows, unmapped answers."""

    answers: dict[str, Any] = field(factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(factory=dict)
    unmapped: list[tuple[str, str]] = field(factory=list)


def display(profile: FormProfile, question: Question, value: Any) -> str:
    """
    An answer as the text a form shows (the readers parse it back to the same value).

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> profile = get_profile("north-ayrshire")
        >>> display(profile, profile.question("amount_awarded"), 18500)
        '£18,500'
        >>> display(profile, profile.question("report_type"), "quarterly")
        'Quarterly'
    """
    if value is None:
        return ""
    kind = question.type
    if kind == "money" and isinstance(value, int | float):
        return fv.format_money(value)
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return fv.format_number(value)
    if kind == "percentage" and isinstance(value, int | float):
        return fv.format_number(value) + "%"
    if kind == "date" and isinstance(value, dt.date):
        return fv.format_date(value)
    if kind == "date" and isinstance(value, str):
        try:
            return fv.format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if kind == "yes-no" and isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "choice" and question.codelist in profile.codelists:
        codelist = profile.codelists[question.codelist or ""]
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return codelist.label_of(str(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def content_to_json(profile: FormProfile, content: FormContent) -> dict[str, Any]:
    """A form's content as the JSON form format (keys are question and column ids)."""
    answers = {q.id: fv.json_ready(content.answers.get(q.id)) for _s, q in profile.questions()}
    tables = {t.id: [fv.json_ready(r) for r in content.rows.get(t.id, [])] for _s, t in profile.tables()}
    out: dict[str, Any] = {"form": profile.name, "profile_version": profile.version, "answers": answers,
                           "tables": tables}
    if content.unmapped:
        out["answers"].update(dict(content.unmapped))
    return out


def package_to_content(package: Package, profile: FormProfile, *,
                       organisation_id: str | None = None) -> tuple[FormContent, list[Problem]]:
    """
    One organisation's part of *package* as form content; the problems say what the form has no place for.

    Example:
        >>> from sharedoutcomes import example_package
        >>> from sharedoutcomes.forms import get_profile
        >>> content, left_out = package_to_content(example_package(), get_profile("north-ayrshire"),
        ...                                        organisation_id="GB-SC-SC045123")
        >>> content.answers["org_name"], content.answers["oscr"]
        ("Garnock Valley Men's Shed", 'SC045123')
    """
    from sharedoutcomes.exceptions import UnknownName

    orgs = {o.id: o for o in package.organisations}
    if organisation_id is None:
        if package.publisher in orgs and orgs[package.publisher].sector == "third":
            organisation_id = package.publisher
        else:
            organisation_id = next((o.id for o in package.organisations if o.sector == "third"),
                                   package.organisations[0].id if package.organisations else None)
    if organisation_id not in orgs:
        raise UnknownName(str(organisation_id), known=list(orgs), what="organisation")
    org = orgs[organisation_id]
    content = FormContent()
    problems: list[Problem] = []
    answers = content.answers
    contributions = [c for c in package.contributions if c.organisation_id == org.id]
    activity = next((a for a in package.activities
                     if any(p.organisation_id == org.id and p.role in ("lead", "partner") for p in a.participants)),
                    None)
    if activity is None and contributions:
        activity = next((a for a in package.activities if a.id == contributions[0].activity_id), None)

    def put(target: str, value: Any) -> None:
        question = profile.question_for(target)
        if question is not None and value is not None and value not in ("", [], ()):
            answers[question.id] = value

    def ext_of(item: Any) -> dict[str, Any]:
        data = getattr(item, "extension_data", {}) or {}
        value = data.get(EXTENSION, {})
        return dict(value) if isinstance(value, Mapping) else {}

    put("organisation.name", org.name)
    if profile.question_for("organisation.oscr") is not None and org.id.startswith("GB-SC-"):
        put("organisation.oscr", org.id.removeprefix("GB-SC-"))
    elif not org.id.startswith("XX-FORM-"):
        put("organisation.id", org.id)
    put("organisation.locality", org.locality)
    put("organisation.url", org.url)
    for key, value in ext_of(org).items():
        put(f"organisation.ext.{key}", value)
    if package.period is not None:
        put("package.period.start", package.period.start)
        put("package.period.end", package.period.end)
    for key, value in ext_of(package).items():
        if key not in ("unmapped", "unplaced_rows"):
            put(f"package.ext.{key}", value)
    for entry in ext_of(package).get("unmapped", ()):
        if isinstance(entry, Mapping):
            content.unmapped.append((str(entry.get("label", "")), str(entry.get("value", ""))))
    if activity is not None:
        put("activity.title", activity.title)
        put("activity.description", activity.description)
        put("activity.locality", activity.locality)
        if activity.period is not None:
            put("activity.period.start", activity.period.start)
            put("activity.period.end", activity.period.end)
        activity_ext = ext_of(activity)
        if activity.funding:
            line = activity.funding[0]
            funder = activity_ext.pop("funder", None)
            if funder is None and line.funder_id:
                funder = (profile.funder.name if profile.funder is not None and line.funder_id == profile.funder.id
                          else orgs[line.funder_id].name if line.funder_id in orgs else line.funder_id)
            put("funding.funder", funder)
            put("funding.fund", line.fund)
            put("funding.amount", line.amount.amount if line.amount else None)
            put("funding.grant_id", line.grant_id)
            if line.period is not None:
                put("funding.period.start", line.period.start)
                put("funding.period.end", line.period.end)
        elif "funder" in activity_ext:
            put("funding.funder", activity_ext.pop("funder"))
        for _section, table in profile.tables():
            if table.row == "record" and table.to and table.to.startswith("activity.ext."):
                key = table.to.removeprefix("activity.ext.")
                if isinstance(activity_ext.get(key), list):
                    content.rows[table.id] = [dict(r) for r in activity_ext.pop(key)]
        for key, value in activity_ext.items():
            put(f"activity.ext.{key}", value)
    for _section, table in profile.tables():
        if table.row == "record" and table.to:
            slot, _, key = table.to.partition(".ext.")
            source = ext_of(package) if slot == "package" else ext_of(org) if slot == "organisation" else {}
            if isinstance(source.get(key), list):
                content.rows[table.id] = [dict(r) for r in source[key]]

    # outcomes through this organisation's contributions, in the package's order
    contribution_of = {c.outcome_id: c for c in reversed(contributions)}
    outcomes = [o for o in package.outcomes if o.id in contribution_of]
    refs: dict[str, str] = {}
    outcome_table = profile.table_for("outcome")
    outcome_rows = []
    for number, outcome in enumerate(outcomes, start=1):
        match_ref = re.search(r"-out-([^-].*)$", outcome.id)
        ref = match_ref.group(1) if match_ref else str(number)
        refs[outcome.id] = ref
        row: dict[str, Any] = {}
        if outcome_table is not None:
            for column in outcome_table.columns:
                target = column.to
                contribution = contribution_of[outcome.id]
                if target == "ref":
                    row[column.id] = ref
                elif target == "title":
                    row[column.id] = outcome.title
                elif target == "description" and outcome.description:
                    row[column.id] = outcome.description
                elif target == "pathway" and contribution.pathway:
                    row[column.id] = contribution.pathway
                elif target.startswith("mappings."):
                    codes = [m.code for m in outcome.mappings if m.framework == target[9:]]
                    if codes:
                        row[column.id] = codes if column.multiple else codes[0]
                elif target.startswith("ext.") and target[4:] in ext_of(outcome):
                    row[column.id] = ext_of(outcome)[target[4:]]
        outcome_rows.append((outcome, row))

    evidence = [e for e in package.evidence if e.collected_by == org.id
                or (activity is not None and e.activity_id == activity.id and e.collected_by is None)]
    used: set[str] = set()
    links_by_evidence: dict[str, list[str]] = {}
    contribution_ids = {c.id: c for c in contributions}
    for link in package.links:
        if link.target_type == "contribution" and link.target_id in contribution_ids:
            links_by_evidence.setdefault(link.evidence_id, []).append(link.target_id)
    evidence_column = outcome_table.column_for("evidence") if outcome_table else None
    if evidence_column is not None:
        for outcome, row in outcome_rows:
            contribution = contribution_of[outcome.id]
            for item in evidence:
                if (item.id not in used and item.kind == "observation" and item.narrative
                        and contribution.id in links_by_evidence.get(item.id, ())
                        and not item.values):
                    row[evidence_column.id] = item.narrative
                    used.add(item.id)
                    break
    if outcome_table is not None and outcome_rows:
        content.rows[outcome_table.id] = [row for _o, row in outcome_rows]

    # indicators
    indicator_table = profile.table_for("indicator")
    actual_of: dict[str, Any] = {}
    for item in evidence:
        for value in item.values:
            if value.indicator_id and value.indicator_id not in actual_of:
                actual_of[value.indicator_id] = (item, value)
    if indicator_table is not None:
        rows = []
        for indicator in package.indicators:
            outcome_id = next((o for o in indicator.outcome_ids if o in refs), None)
            if outcome_id is None:
                continue
            row = {}
            for column in indicator_table.columns:
                target = column.to
                value_: Any = None
                if target == "outcome":
                    value_ = refs[outcome_id]
                elif target == "title":
                    value_ = indicator.title
                elif target == "description":
                    value_ = indicator.description
                elif target == "unit":
                    value_ = indicator.unit
                elif target == "instrument":
                    value_ = indicator.instrument
                elif target == "baseline" and indicator.baseline is not None:
                    value_ = indicator.baseline.value
                elif target == "target" and indicator.targets:
                    value_ = indicator.targets[0].value
                elif target == "actual" and indicator.id in actual_of:
                    item, value = actual_of[indicator.id]
                    value_ = value.value
                    if len(item.values) == 1:
                        used.add(item.id)
                elif target.startswith("ext."):
                    value_ = ext_of(indicator).get(target[4:])
                if value_ is not None:
                    row[column.id] = value_
            rows.append(row)
        if rows:
            content.rows[indicator_table.id] = rows

    # people, outputs, stories
    people_codes = {q.to.partition(".")[2]: q for _s, q in profile.questions() if q.to.startswith("people.")}
    output_table = profile.table_for("output")
    story_table = profile.table_for("story")
    output_rows: list[dict[str, Any]] = []
    story_rows: list[dict[str, Any]] = []
    for item in evidence:
        if item.id in used:
            continue
        codes = [v.code for v in item.values]
        if item.kind == "count" and codes and all(c in people_codes for c in codes) and not any(
                people_codes[c].id in answers for c in codes):
            for value in item.values:
                answers[people_codes[value.code].id] = value.value
            used.add(item.id)
        elif output_table is not None and item.kind == "count" and (codes == ["actual-output"] or (
                not codes and "planned_output" in ext_of(item))):
            row = {}
            item_ext = ext_of(item)
            for column in output_table.columns:
                if column.to == "title" and item.summary:
                    row[column.id] = item.summary
                elif column.to == "actual" and item.values:
                    row[column.id] = item.values[0].value
                elif column.to == "unit":
                    unit = item.values[0].unit if item.values else item_ext.get("unit")
                    if unit:
                        row[column.id] = unit
                elif column.to == "planned" and "planned_output" in item_ext:
                    row[column.id] = item_ext["planned_output"]
                elif column.to.startswith("ext.") and column.to[4:] in item_ext:
                    row[column.id] = item_ext[column.to[4:]]
            output_rows.append(row)
            used.add(item.id)
        elif story_table is not None and item.kind in ("case-study", "quote") and item.narrative:
            row = {}
            item_ext = ext_of(item)
            linked = links_by_evidence.get(item.id, [])
            story_refs = [refs[contribution_ids[c].outcome_id] for c in linked
                          if contribution_ids[c].outcome_id in refs]
            for column in story_table.columns:
                target = column.to
                if target == "kind":
                    row[column.id] = item.kind
                elif target == "title" and item.summary:
                    row[column.id] = item.summary
                elif target == "narrative":
                    row[column.id] = item.narrative
                elif target == "outcomes" and story_refs:
                    row[column.id] = ", ".join(dict.fromkeys(story_refs))
                elif target == "consent" and item.consent in ("given", "given-anonymised", "refused"):
                    row[column.id] = item.consent != "refused"
                elif target == "date" and item.date is not None:
                    row[column.id] = item.date
                elif target.startswith("ext.") and target[4:] in item_ext:
                    row[column.id] = item_ext[target[4:]]
            story_rows.append(row)
            used.add(item.id)
    if output_table is not None and output_rows:
        content.rows[output_table.id] = output_rows
    if story_table is not None and story_rows:
        content.rows[story_table.id] = story_rows
    for i, item in enumerate(package.evidence):
        if item in evidence and item.id not in used:
            problems.append(Problem(rule="form.not-written", severity="warning", path=json_path(["evidence", i]),
                                    message=f"the {profile.title} has no place for {item.kind} evidence "
                                    f"{item.id!r}" + (f" ({item.summary})" if item.summary else "")))
    return content, problems


def merge_results(results: Sequence[FileResult], profile: FormProfile, *, id: str | None, title: str | None,
                  publisher: str | None) -> BatchResult:
    """Merge each file's package into one partnership package (with `sharedoutcomes.merge`)."""
    from sharedoutcomes.forms import BatchResult

    problems: list[Problem] = []
    packages = []
    for item in results:
        if item.result is None:
            problems.append(Problem(rule="form.file-unreadable", severity="error", path="$",
                                    message=f"{item.file} was not converted: {item.error}",
                                    source=SourceLocation(file=item.file)))
            continue
        problems.extend(item.result.problems)
        packages.append(item.result.package)
    if not packages:
        return BatchResult(package=None, files=tuple(results), problems=tuple(problems))
    try:
        from sharedoutcomes.merge import merge
    except ImportError:  # pragma: no cover - sharedoutcomes.merge ships with the library
        msg = "merging returns needs sharedoutcomes.merge"
        raise ConversionError(msg) from None
    from sharedoutcomes.model import Organisation

    funder = profile.funder
    chosen: str | Organisation = publisher or (funder.id if funder else packages[0].publisher)
    present = {o.id for p in packages for o in p.organisations}
    if funder is not None and chosen == funder.id and funder.id not in present:
        chosen = Organisation(id=funder.id, name=funder.name, sector=funder.sector, kind=funder.kind)
    merged = merge(packages, id=id or f"{profile.name}-returns",
                   title=title or f"{profile.title}: {len(packages)} returns", publisher=chosen)
    problems.extend(merged.problems)
    return BatchResult(package=merged.package, files=tuple(results), problems=tuple(problems))

