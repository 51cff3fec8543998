"""
The form profile as data: sections, questions, repeating tables, codelists and the funder.

A `FormProfile` is what a profile file (``schemas/forms/*.json``) says, as frozen value
objects; `sharedoutcomes.forms.get_profile` and `sharedoutcomes.forms.load_profile` build one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

from attrs import field, frozen

from sharedoutcomes.exceptions import UnknownName

__all__ = ["AnswerType", "Choice", "Codelist", "FormProfile", "Funder", "Question", "Section", "Table"]

AnswerType = Literal["text", "long-text", "number", "money", "percentage", "date", "choice", "yes-no", "period"]
"""What kind of answer a question takes."""


@frozen(kw_only=True)
class Choice:
    """
    One allowed answer of a codelist.

    Example:
        >>> Choice(code="green", label="Green", alternatives=("G",)).label
        'Green'
    """

    code: str
    label: str
    alternatives: tuple[str, ...] = ()


@frozen(kw_only=True)
class Codelist:
    """
    A list of allowed answers, for choice questions.

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> get_profile("north-ayrshire").codelists["rag"].labels()
        ('Green', 'Amber', 'Red')
    """

    name: str
    title: str
    values: tuple[Choice, ...]
    open: bool = False

    def labels(self) -> tuple[str, ...]:
        """The labels, in order (what a drop-down offers)."""
        return tuple(c.label for c in self.values)

    def label_of(self, code: str) -> str:
        """The label of *code* (the code itself when the list does not have it)."""
        return next((c.label for c in self.values if c.code == code), code)


@frozen(kw_only=True)
class Question:
    """
    A question of a section, or a column of a repeating table.

    Attributes:
        id: Unique within the profile (within its table, for a column).
        label: The question as the form prints it.
        alternatives: Other labels accepted for it.
        guidance: Short guidance printed with it.
        type: The answer type.
        codelist: For a choice, the name of its codelist.
        multiple: For a choice, whether several answers may be given.
        required: Whether a blank answer is an error.
        to: Where the answer goes in the model (the mapping language).

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> get_profile("north-ayrshire").question("oscr").to
        'organisation.oscr'
    """

    id: str
    label: str
    type: AnswerType
    to: str
    alternatives: tuple[str, ...] = ()
    guidance: str | None = None
    codelist: str | None = None
    multiple: bool = False
    required: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """The label and its alternatives."""
        return (self.label, *self.alternatives)


@frozen(kw_only=True)
class Table:
    """
    A repeating table: outcomes, indicators, activities, case studies, budget lines.

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> get_profile("north-ayrshire").table("indicators").column("target").type
        'number'
    """

    id: str
    title: str
    row: Literal["outcome", "indicator", "output", "story", "record"]
    columns: tuple[Question, ...]
    alternatives: tuple[str, ...] = ()
    guidance: str | None = None
    to: str | None = None
    blank_rows: int = 5

    def column(self, column_id: str) -> Question:
        """The column called *column_id*."""
        for column in self.columns:
            if column.id == column_id:
                return column
        raise UnknownName(column_id, known=[c.id for c in self.columns], what="column")

    def column_for(self, target: str) -> Question | None:
        """The column whose answers go to *target* (``title``, ``target`` …), if any."""
        return next((c for c in self.columns if c.to == target), None)


@frozen(kw_only=True)
class Section:
    """
    A section of a form: questions, then repeating tables.

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> get_profile("north-ayrshire").section("A").questions[0].label
        'Organisation name'
    """

    id: str
    title: str
    guidance: str | None = None
    questions: tuple[Question, ...] = ()
    tables: tuple[Table, ...] = ()
    alternatives: tuple[str, ...] = ()
    """Other headings accepted for the section (the published template's wording)."""
    prose: str | None = None
    """Where paragraphs written under the heading go: a question id, a table id, or ``<table>.<column>``."""

    @property
    def heading(self) -> str:
        """The heading the form prints: ``Section A: Organisation``."""
        return f"Section {self.id}: {self.title}"


@frozen(kw_only=True)
class Funder:
    """The organisation that issues a form."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    sector: str = "public"
    kind: str | None = None


@frozen(kw_only=True)
class FormProfile:
    """
    A declarative description of a funder's form (load one with `get_profile` or `load_profile`).

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> profile = get_profile("harmonising-reporting")
        >>> [s.title for s in profile.sections][:2]
        ['About the project', 'What we expected to do']
    """

    name: str
    title: str
    version: str
    sections: tuple[Section, ...]
    description: str | None = None
    status: str = "example"
    notice: str | None = None
    intro: str | None = None
    sources: tuple[str, ...] = ()
    funder: Funder | None = None
    codelists: Mapping[str, Codelist] = field(factory=dict)
    anchors: tuple[str, ...] = ()
    """Question ids, ``section:<id>`` and ``table:<id>``: a file is this form only when enough of them are found."""
    anchors_needed: int = 0
    """How many anchors must be found (0: two, or every anchor when there are fewer)."""
    path: str | None = field(default=None, eq=False)

    def section(self, section_id: str) -> Section:
        """The section with id *section_id* (``"F"``)."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise UnknownName(section_id, known=[s.id for s in self.sections], what="section")

    def questions(self) -> Iterator[tuple[Section, Question]]:
        """Every question with its section, in form order."""
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def tables(self) -> Iterator[tuple[Section, Table]]:
        """Every repeating table with its section, in form order."""
        for section in self.sections:
            for table in section.tables:
                yield section, table

    def question(self, question_id: str) -> Question:
        """The question with id *question_id*."""
        for _section, question in self.questions():
            if question.id == question_id:
                return question
        raise UnknownName(question_id, known=[q.id for _s, q in self.questions()], what="question")

    def question_for(self, target: str) -> Question | None:
        """The question whose answer goes to *target* (``organisation.name`` …), if any."""
        return next((q for _s, q in self.questions() if q.to == target), None)

    def table(self, table_id: str) -> Table:
        """The repeating table with id *table_id*."""
        for _section, table in self.tables():
            if table.id == table_id:
                return table
        raise UnknownName(table_id, known=[t.id for _s, t in self.tables()], what="table")

    def table_for(self, row: str) -> Table | None:
        """The first table whose rows are of kind *row* (``outcome``, ``story`` …), if any."""
        return next((t for _s, t in self.tables() if t.row == row), None)

    def section_of(self, item: Question | Table) -> Section:
        """The section a question or table belongs to."""
        for section in self.sections:
            if item in section.questions or item in section.tables:
                return section
        raise LookupError(item)  # pragma: no cover - items always come from the profile
