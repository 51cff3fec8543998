"""
The state of building a package from a matched form: problems, the source map, and the parts built so far.

A `Builder` parses answers (recording a located problem for each bad or missing one) and
remembers where every value came from; `Parts` collects the outcomes, indicators,
contributions, evidence and links that the builders of each kind of row (``_rows``) add.
"""

from __future__ import annotations

from typing import Any

from attrs import define, field

from sharedoutcomes._util.paths import child
from sharedoutcomes.exceptions import Problem, SourceLocation
from sharedoutcomes.forms import _values as fv
from sharedoutcomes.forms._answers import parse_answer
from sharedoutcomes.forms._grid import Cell
from sharedoutcomes.forms._match import Matched, RowAnswers
from sharedoutcomes.forms._profile import FormProfile, Question, Section

__all__ = ["Builder", "Parts"]


def _raw(cell: Cell) -> Any:
    """What the cell holds: its typed value, else its text."""
    return cell.value if cell.value is not None else cell.text


class Builder:
    """Places matched answers in a package document, collecting problems and the source map."""

    def __init__(self, profile: FormProfile, matched: Matched, *, file: str, format_name: str,
                 version: str) -> None:
        self.profile = profile
        self.matched = matched
        self.file = file
        self.format_name = format_name
        self.version = version
        self.problems: list[Problem] = []
        self.source_map: dict[str, SourceLocation] = {}
        self.unmapped_problems: list[Problem] = []
        """The unmapped-answer warnings, one per unmapped answer listed."""
        self.rejected: set[int] = set()
        """The ids of the cells whose answers were rejected (each with a problem saying why)."""

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
        try:
            return parse_answer(self.profile, question, _raw(cell))
        except fv.FormValueError as error:
            what = question.label if header is None else question.label.lower()
            subject = f"{context}: {what} " if header is not None else f"{context}: "
            shown = cell.text if header is not None else f"{question.label!r} answer {cell.text!r}"
            text = f"'{shown}'" if header is not None else shown
            message = f"{subject}{text} {error.reason} ({cell.where})"
            self.problem(error.rule, path, message, self.loc(cell, section, question.label, header),
                         value=cell.text)
            self.rejected.add(id(cell))
            return None

    def mark(self, path: str, cell: Cell | None, section: Section, label: str, header: str | None = None) -> None:
        """Record where the value at *path* came from."""
        self.source_map[path] = self.loc(cell, section, label, header)

    def provenance(self, cell: Cell, section: Section, label: str) -> dict[str, Any]:
        """The provenance of evidence read from *cell*."""
        prov: dict[str, Any] = {"original_format": self.profile.name, "file": self.file,
                                "question": f"{section.id}: {label}", "converted_by": self.format_name,
                                "converter_version": self.version}
        if cell.sheet:
            prov["sheet"] = cell.sheet
        elif cell.table is not None:
            prov["sheet"] = f"Table {cell.table}"
        if cell.row >= 1:
            prov["row"] = cell.row
        if cell.column:
            prov["column"] = cell.column
        return prov

    # answers

    def answer(self, question: Question, path: str) -> Any:
        """The parsed answer to *question* (None when blank or bad; required blanks are problems)."""
        found = self.matched.answers.get(question.id)
        section = self.profile.section_of(question)
        context = f"Section {section.id}"
        if found is None or found.cell is None or fv.is_blank(_raw(found.cell)):
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

    def row_values(self, row: RowAnswers, path: str, *, context: str | None = None) -> dict[str, Any]:
        """A table row's parsed answers by column target (blank and bad ones left out, as problems)."""
        values: dict[str, Any] = {}
        context = context or f"Section {row.section.id}, {row.table.title.lower()} row {row.number}"
        for column in row.table.columns:
            cell = row.cells.get(column.id)
            if cell is None or fv.is_blank(_raw(cell)):
                if column.required and column.to not in ("title", "narrative"):
                    self.problem("form.required", path,
                                 f"{context}: {column.label!r} has no answer ({row.first.where})",
                                 self.loc(row.first, row.section, column.label, column.label))
                continue
            if column.to in ("outcome", "outcomes", "ref"):
                values[column.to] = cell.text.strip()
                continue
            value_path = child(path, *column.to.split(".")[:1])
            value = self.parse(column, cell, value_path, context, row.section, header=column.label)
            if value is not None:
                values[column.to] = value
                self.mark(value_path, cell, row.section, column.label, column.label)
        return values

    def required_missing(self, row: RowAnswers, target: str, path: str) -> None:
        """Record that the row's *target* column (its title or narrative) has no answer."""
        column = row.table.column_for(target)
        label = column.label if column else target
        self.problem("form.required", path, f"Section {row.section.id}, {row.table.title.lower()} row {row.number}: "
                     f"{label!r} has no answer ({row.first.where})", self.loc(row.first, row.section, label, label))


@define
class Parts:
    """What the rows add to the package, with the ids every row needs."""

    key: str
    """The form's key in ids (``SC045123-icf-2024-017``)."""
    evkey: str
    """The key of evidence ids (with the period's start date)."""
    org_id: str
    activity_id: str
    common: dict[str, Any]
    """The fields all evidence shares (the activity, who collected it, the period)."""
    outcomes: list[dict[str, Any]] = field(factory=list)
    indicators: list[dict[str, Any]] = field(factory=list)
    contributions: list[dict[str, Any]] = field(factory=list)
    evidence: list[dict[str, Any]] = field(factory=list)
    links: list[dict[str, Any]] = field(factory=list)
    ref_to_outcome: dict[str, tuple[str, str]] = field(factory=dict)
    """An outcome's number on the form → its outcome id and contribution id."""
    unplaced: list[dict[str, Any]] = field(factory=list)
    """Rows that could not be placed (an indicator whose outcome is not known)."""

    def link(self, evidence_id: str, contribution_id: str, relation: str) -> None:
        """Link evidence to a contribution."""
        self.links.append({"id": f"lnk-{evidence_id}-{contribution_id.rsplit('-con-', 1)[-1]}",
                           "evidence_id": evidence_id, "target_type": "contribution", "target_id": contribution_id,
                           "relation": relation})

    def contribution_ids(self) -> list[str]:
        """The ids of every contribution, in order."""
        return [c["id"] for c in self.contributions]
