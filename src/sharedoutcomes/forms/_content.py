"""
Writing a form back: one organisation's part of a package as the content of a form.

`package_to_content` is the reverse of reading: it fills the profile's questions from the
organisation, its activity and funding, and the ``form`` extension data that reading kept,
and one row of a repeating table per outcome, indicator, output and story. The cells of
each kind of row come from a table of small functions, one per column target (``title``,
``baseline``, ``mappings.<framework>``, ``ext.<key>`` …). What the form has no place for
is reported, never left out silently. The renderers (Word, Excel, JSON) write the
resulting `FormContent`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, TypeVar

from attrs import define, field, frozen

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import Problem, UnknownName
from sharedoutcomes.forms._profile import FormProfile, Question
from sharedoutcomes.forms._targets import EXTENSION
from sharedoutcomes.model import (
    Activity,
    Contribution,
    Evidence,
    EvidenceValue,
    FundingLine,
    Indicator,
    Organisation,
    Outcome,
    Package,
)

__all__ = ["FormContent", "package_to_content"]


@define
class FormContent:
    """The answers to write into a form: typed values by question id, table rows, unmapped answers."""

    answers: dict[str, Any] = field(factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(factory=dict)
    unmapped: list[tuple[str, str]] = field(factory=list)


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
    part = _part_of(package, profile, organisation_id)
    _put_organisation(part)
    _put_package(part)
    if part.activity is not None:
        _put_activity(part, part.activity)
    _put_records(part)
    _put_outcomes(part)
    _put_indicators(part)
    _put_evidence(part)
    return part.content, _not_written(part)


@define
class _Part:
    """One organisation's part of a package, the form it goes into, and how much of it is written."""

    package: Package
    profile: FormProfile
    organisation: Organisation
    activity: Activity | None
    contributions: list[Contribution]
    evidence: list[Evidence]
    contribution_ids: dict[str, Contribution]
    """The organisation's contributions by id."""
    links: dict[str, list[str]]
    """Evidence id → the ids of the organisation's contributions it is linked to."""
    content: FormContent = field(factory=FormContent)
    refs: dict[str, str] = field(factory=dict)
    """Each written outcome's id → its number on the form."""
    used: set[str] = field(factory=set)
    """The ids of the evidence written."""

    def put(self, target: str, value: Any) -> None:
        """Answer the question mapped to *target* (if the form asks it) with *value* (unless blank)."""
        question = self.profile.question_for(target)
        if question is not None and value is not None and value not in ("", [], ()):
            self.content.answers[question.id] = value


def _part_of(package: Package, profile: FormProfile, organisation_id: str | None) -> _Part:
    orgs = {o.id: o for o in package.organisations}
    if organisation_id is None:
        organisation_id = _default_organisation(package, orgs)
    if organisation_id not in orgs:
        raise UnknownName(str(organisation_id), known=list(orgs), what="organisation")
    org = orgs[organisation_id]
    contributions = [c for c in package.contributions if c.organisation_id == org.id]
    activity = _activity_of(package, org, contributions)
    evidence = [e for e in package.evidence if e.collected_by == org.id
                or (activity is not None and e.activity_id == activity.id and e.collected_by is None)]
    contribution_ids = {c.id: c for c in contributions}
    links: dict[str, list[str]] = {}
    for link in package.links:
        if link.target_type == "contribution" and link.target_id in contribution_ids:
            links.setdefault(link.evidence_id, []).append(link.target_id)
    return _Part(package=package, profile=profile, organisation=org, activity=activity,
                 contributions=contributions, evidence=evidence, contribution_ids=contribution_ids, links=links)


def _activity_of(package: Package, org: Organisation, contributions: Sequence[Contribution]) -> Activity | None:
    """The activity the organisation leads or partners in, else the one of its first contribution."""
    activity = next((a for a in package.activities
                     if any(p.organisation_id == org.id and p.role in ("lead", "partner") for p in a.participants)),
                    None)
    if activity is None and contributions:
        activity = next((a for a in package.activities if a.id == contributions[0].activity_id), None)
    return activity


def _default_organisation(package: Package, orgs: Mapping[str, Organisation]) -> str | None:
    """The publisher when it is third-sector, else the first third-sector organisation, else the first."""
    if package.publisher in orgs and orgs[package.publisher].sector == "third":
        return package.publisher
    return next((o.id for o in package.organisations if o.sector == "third"),
                package.organisations[0].id if package.organisations else None)


def _ext_of(item: Any) -> dict[str, Any]:
    """A copy of *item*'s ``form`` extension data."""
    data = getattr(item, "extension_data", {}) or {}
    value = data.get(EXTENSION, {})
    return dict(value) if isinstance(value, Mapping) else {}


# -- questions ---------------------------------------------------------------------------------


def _put_organisation(part: _Part) -> None:
    org = part.organisation
    part.put("organisation.name", org.name)
    if part.profile.question_for("organisation.oscr") is not None and org.id.startswith("GB-SC-"):
        part.put("organisation.oscr", org.id.removeprefix("GB-SC-"))
    elif not org.id.startswith("XX-FORM-"):
        part.put("organisation.id", org.id)
    part.put("organisation.locality", org.locality)
    part.put("organisation.url", org.url)
    for key, value in _ext_of(org).items():
        part.put(f"organisation.ext.{key}", value)


def _put_package(part: _Part) -> None:
    package = part.package
    if package.period is not None:
        part.put("package.period.start", package.period.start)
        part.put("package.period.end", package.period.end)
        if package.period.end is not None:
            part.put("package.period", (package.period.start, package.period.end))
    ext = _ext_of(package)
    for key, value in ext.items():
        if key not in ("unmapped", "unplaced_rows"):
            part.put(f"package.ext.{key}", value)
    for entry in ext.get("unmapped", ()):
        if isinstance(entry, Mapping):
            part.content.unmapped.append((str(entry.get("label", "")), str(entry.get("value", ""))))


def _put_activity(part: _Part, activity: Activity) -> None:
    part.put("activity.title", activity.title)
    part.put("activity.description", activity.description)
    part.put("activity.locality", activity.locality)
    if activity.period is not None:
        part.put("activity.period.start", activity.period.start)
        part.put("activity.period.end", activity.period.end)
    activity_ext = _ext_of(activity)
    if activity.funding:
        _put_funding(part, activity.funding[0], activity_ext)
    elif "funder" in activity_ext:
        part.put("funding.funder", activity_ext.pop("funder"))
    for _section, table in part.profile.tables():
        if table.row == "record" and table.to and table.to.startswith("activity.ext."):
            key = table.to.removeprefix("activity.ext.")
            if isinstance(activity_ext.get(key), list):
                part.content.rows[table.id] = [dict(r) for r in activity_ext.pop(key)]
    for key, value in activity_ext.items():
        part.put(f"activity.ext.{key}", value)


def _put_funding(part: _Part, line: FundingLine, activity_ext: dict[str, Any]) -> None:
    funder = activity_ext.pop("funder", None)
    if funder is None and line.funder_id:
        funder = _funder_name(part, line.funder_id)
    part.put("funding.funder", funder)
    part.put("funding.fund", line.fund)
    part.put("funding.amount", line.amount.amount if line.amount else None)
    part.put("funding.grant_id", line.grant_id)
    if line.period is not None:
        part.put("funding.period.start", line.period.start)
        part.put("funding.period.end", line.period.end)


def _funder_name(part: _Part, funder_id: str) -> str:
    funder = part.profile.funder
    if funder is not None and funder_id == funder.id:
        return funder.name
    orgs = {o.id: o for o in part.package.organisations}
    return orgs[funder_id].name if funder_id in orgs else funder_id


def _put_records(part: _Part) -> None:
    """The record tables kept in the package's or the organisation's extension data."""
    for _section, table in part.profile.tables():
        if table.row == "record" and table.to:
            slot, _, key = table.to.partition(".ext.")
            source = (_ext_of(part.package) if slot == "package" else _ext_of(part.organisation)
                      if slot == "organisation" else {})
            if isinstance(source.get(key), list):
                part.content.rows[table.id] = [dict(r) for r in source[key]]


# -- table rows: one function per column target ------------------------------------------------

_BLANK: Final = object()
"""What a cell function returns for a cell left blank."""

_Source = TypeVar("_Source")
_Cells = Mapping[str, Callable[[_Source, Question], Any]]


def _row(columns: Sequence[Question], cells: _Cells[_Source], source: _Source) -> dict[str, Any]:
    """
    A table row: each column's cell from the function for its target, or for its prefix (``ext.``).

    Columns without a function, and cells a function leaves blank, are not in the row.
    """
    row: dict[str, Any] = {}
    for column in columns:
        head, dot, _ = column.to.partition(".")
        fill = cells.get(column.to) or (cells.get(head + dot) if dot else None)
        value = _BLANK if fill is None else fill(source, column)
        if value is not _BLANK:
            row[column.id] = value
    return row


def _given(value: Any) -> Any:
    return _BLANK if value is None else value


def _ext_cell(ext: Mapping[str, Any], key: str) -> Any:
    return ext.get(key, _BLANK)


@frozen(kw_only=True)
class _OutcomeRow:
    outcome: Outcome
    contribution: Contribution
    ref: str
    ext: Mapping[str, Any]


def _outcome_mapping(row: _OutcomeRow, column: Question) -> Any:
    codes = [m.code for m in row.outcome.mappings if m.framework == column.to[9:]]
    if not codes:
        return _BLANK
    return codes if column.multiple else codes[0]


_OUTCOME_CELLS: Final[_Cells[_OutcomeRow]] = {
    "ref": lambda row, _column: row.ref,
    "title": lambda row, _column: row.outcome.title,
    "description": lambda row, _column: row.outcome.description or _BLANK,
    "pathway": lambda row, _column: row.contribution.pathway or _BLANK,
    "mappings.": _outcome_mapping,
    "ext.": lambda row, column: _ext_cell(row.ext, column.to[4:]),
}


@frozen(kw_only=True)
class _IndicatorRow:
    indicator: Indicator
    ref: str
    actual: EvidenceValue | None


_INDICATOR_CELLS: Final[_Cells[_IndicatorRow]] = {
    "outcome": lambda row, _column: row.ref,
    "title": lambda row, _column: _given(row.indicator.title),
    "description": lambda row, _column: _given(row.indicator.description),
    "unit": lambda row, _column: _given(row.indicator.unit),
    "instrument": lambda row, _column: _given(row.indicator.instrument),
    "baseline": lambda row, _column: _BLANK if row.indicator.baseline is None else _given(
        row.indicator.baseline.value),
    "target": lambda row, _column: _given(row.indicator.targets[0].value) if row.indicator.targets else _BLANK,
    "actual": lambda row, _column: _BLANK if row.actual is None else _given(row.actual.value),
    "ext.": lambda row, column: _given(_ext_of(row.indicator).get(column.to[4:])),
}


@frozen(kw_only=True)
class _EvidenceRow:
    item: Evidence
    ext: Mapping[str, Any]
    refs: Sequence[str] = ()


def _output_unit(row: _EvidenceRow, _column: Question) -> Any:
    unit = row.item.values[0].unit if row.item.values else row.ext.get("unit")
    return unit or _BLANK


_OUTPUT_CELLS: Final[_Cells[_EvidenceRow]] = {
    "title": lambda row, _column: row.item.summary or _BLANK,
    "actual": lambda row, _column: row.item.values[0].value if row.item.values else _BLANK,
    "unit": _output_unit,
    "planned": lambda row, _column: _ext_cell(row.ext, "planned_output"),
    "ext.": lambda row, column: _ext_cell(row.ext, column.to[4:]),
}

_STORY_CELLS: Final[_Cells[_EvidenceRow]] = {
    "kind": lambda row, _column: row.item.kind,
    "title": lambda row, _column: row.item.summary or _BLANK,
    "narrative": lambda row, _column: row.item.narrative,
    "outcomes": lambda row, _column: ", ".join(dict.fromkeys(row.refs)) if row.refs else _BLANK,
    "consent": lambda row, _column: (row.item.consent != "refused"
                                     if row.item.consent in ("given", "given-anonymised", "refused") else _BLANK),
    "date": lambda row, _column: _given(row.item.date),
    "ext.": lambda row, column: _ext_cell(row.ext, column.to[4:]),
}


# -- tables ------------------------------------------------------------------------------------


def _put_outcomes(part: _Part) -> None:
    """A row per outcome the organisation contributes to, in the package's order, with its progress."""
    contribution_of = {c.outcome_id: c for c in reversed(part.contributions)}
    outcomes = [o for o in part.package.outcomes if o.id in contribution_of]
    table = part.profile.table_for("outcome")
    rows: list[tuple[Contribution, dict[str, Any]]] = []
    for number, outcome in enumerate(outcomes, start=1):
        found = re.search(r"-out-([^-].*)$", outcome.id)
        ref = found.group(1) if found else str(number)
        part.refs[outcome.id] = ref
        source = _OutcomeRow(outcome=outcome, contribution=contribution_of[outcome.id], ref=ref,
                             ext=_ext_of(outcome))
        rows.append((source.contribution, _row(table.columns, _OUTCOME_CELLS, source) if table else {}))
    evidence_column = table.column_for("evidence") if table else None
    if evidence_column is not None:
        for contribution, row in rows:
            item = _progress_of(part, contribution)
            if item is not None:
                row[evidence_column.id] = item.narrative
                part.used.add(item.id)
    if table is not None and rows:
        part.content.rows[table.id] = [row for _c, row in rows]


def _progress_of(part: _Part, contribution: Contribution) -> Evidence | None:
    """The first unwritten observation, with a narrative and no values, linked to *contribution*."""
    return next((item for item in part.evidence
                 if item.id not in part.used and item.kind == "observation" and item.narrative
                 and contribution.id in part.links.get(item.id, ()) and not item.values), None)


def _put_indicators(part: _Part) -> None:
    """A row per indicator of a written outcome, with its actual from the evidence."""
    table = part.profile.table_for("indicator")
    if table is None:
        return
    actual_of: dict[str, tuple[Evidence, EvidenceValue]] = {}
    for item in part.evidence:
        for value in item.values:
            if value.indicator_id and value.indicator_id not in actual_of:
                actual_of[value.indicator_id] = (item, value)
    has_actual = any(c.to == "actual" for c in table.columns)
    rows = []
    for indicator in part.package.indicators:
        outcome_id = next((o for o in indicator.outcome_ids if o in part.refs), None)
        if outcome_id is None:
            continue
        actual = actual_of.get(indicator.id)
        rows.append(_row(table.columns, _INDICATOR_CELLS, _IndicatorRow(
            indicator=indicator, ref=part.refs[outcome_id], actual=actual[1] if actual else None)))
        if actual is not None and has_actual and len(actual[0].values) == 1:
            part.used.add(actual[0].id)
    if rows:
        part.content.rows[table.id] = rows


def _put_evidence(part: _Part) -> None:
    """The evidence not yet written: people counts as answers, outputs and stories as rows."""
    people = {q.to.partition(".")[2]: q for _s, q in part.profile.questions() if q.to.startswith("people.")}
    output_table = part.profile.table_for("output")
    story_table = part.profile.table_for("story")
    output_rows: list[dict[str, Any]] = []
    story_rows: list[dict[str, Any]] = []
    for item in part.evidence:
        if item.id in part.used:
            continue
        if _is_people_count(item, people, part.content.answers):
            for value in item.values:
                part.content.answers[people[value.code].id] = value.value
        elif output_table is not None and _is_output(item):
            output_rows.append(_row(output_table.columns, _OUTPUT_CELLS, _EvidenceRow(item=item, ext=_ext_of(item))))
        elif story_table is not None and item.kind in ("case-study", "quote") and item.narrative:
            story_rows.append(_row(story_table.columns, _STORY_CELLS,
                                   _EvidenceRow(item=item, ext=_ext_of(item), refs=_story_refs(part, item))))
        else:
            continue
        part.used.add(item.id)
    if output_table is not None and output_rows:
        part.content.rows[output_table.id] = output_rows
    if story_table is not None and story_rows:
        part.content.rows[story_table.id] = story_rows


def _is_people_count(item: Evidence, people: Mapping[str, Question], answers: Mapping[str, Any]) -> bool:
    """Whether *item* counts people the form asks about (``people.<code>``) and has no answer for yet."""
    codes = [v.code for v in item.values]
    return (item.kind == "count" and bool(codes) and all(c in people for c in codes)
            and not any(people[c].id in answers for c in codes))


def _is_output(item: Evidence) -> bool:
    """Whether *item* is an output row read back: an actual output, or only a planned one."""
    codes = [v.code for v in item.values]
    return item.kind == "count" and (codes == ["actual-output"] or (not codes and "planned_output" in _ext_of(item)))


def _story_refs(part: _Part, item: Evidence) -> list[str]:
    """The numbers on the form of the outcomes a story is linked to (through contributions)."""
    contributions = part.contribution_ids
    return [part.refs[contributions[c].outcome_id] for c in part.links.get(item.id, [])
            if contributions[c].outcome_id in part.refs]


def _not_written(part: _Part) -> list[Problem]:
    return [Problem(rule="form.not-written", severity="warning", path=json_path(["evidence", i]),
                    message=f"the {part.profile.title} has no place for {item.kind} evidence "
                    f"{item.id!r}" + (f" ({item.summary})" if item.summary else ""))
            for i, item in enumerate(part.package.evidence)
            if item in part.evidence and item.id not in part.used]
