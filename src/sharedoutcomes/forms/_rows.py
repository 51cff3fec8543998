"""
One builder per kind of table row: outcomes, indicators, outputs, people counts, stories, records.

Each adds what its rows say to the `Parts` of the package: an outcome row becomes an
outcome, this organisation's contribution to it and its progress evidence; an indicator
row an indicator of the outcome it names, and its actual as measurement evidence; output,
people and story rows become evidence linked to the contributions; record rows are kept
in extension data. Answers that fit nowhere are kept as unmapped answers (`add_unmapped`).
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from sharedoutcomes._util.paths import child, json_path
from sharedoutcomes.converters import excerpt
from sharedoutcomes.exceptions import SourceLocation
from sharedoutcomes.forms import _values as fv
from sharedoutcomes.forms._builder import Builder, Parts
from sharedoutcomes.forms._grid import Cell
from sharedoutcomes.forms._match import RowAnswers, Unmapped
from sharedoutcomes.forms._profile import Question, Section
from sharedoutcomes.forms._targets import EXTENSION, SLOT_PATHS

__all__ = ["add_evidence_rows", "add_records", "add_unmapped"]

_PERCENT_UNITS = ("%", "percent", "per cent", "percentage")


def add_evidence_rows(b: Builder, parts: Parts, people: list[tuple[Question, Any]]) -> None:
    """Add the outcomes, indicators, outputs, people counts and stories, in that order."""
    for row in _rows(b, "outcome"):
        _add_outcome(b, parts, row)
    per_outcome: dict[str, int] = {}
    for row in _rows(b, "indicator"):
        _add_indicator(b, parts, row, per_outcome)
    contribution_ids = parts.contribution_ids()
    for number, row in enumerate(_rows(b, "output"), start=1):
        _add_output(b, parts, number, row, contribution_ids)
    if people:
        _add_people(b, parts, people, contribution_ids)
    for number, row in enumerate(_rows(b, "story"), start=1):
        _add_story(b, parts, number, row, contribution_ids)


def _rows(b: Builder, kind: str) -> list[RowAnswers]:
    out: list[RowAnswers] = []
    for _section, table in b.profile.tables():
        if table.row == kind:
            out.extend(b.matched.rows.get(table.id, ()))
    return out


def _ref_key(text: str, fallback: int) -> str:
    return fv.slug(text.strip().rstrip(".")) or str(fallback)


def _row_ext(values: dict[str, Any]) -> dict[str, Any]:
    """The row's ``ext.<key>`` answers, by key."""
    return {k[4:]: fv.json_ready(v) for k, v in values.items() if k.startswith("ext.")}


def _row_label(row: RowAnswers) -> str:
    return f"{row.table.title} row {row.number}"


# -- outcomes ----------------------------------------------------------------------------------


def _add_outcome(b: Builder, parts: Parts, row: RowAnswers) -> None:
    table = row.table
    i = len(parts.outcomes)
    path = json_path(["outcomes", i])
    values = b.row_values(row, path)
    ref_text = values.get("ref")
    own_ref = _ref_key(str(ref_text), i + 1) if ref_text not in (None, "") else str(i + 1)
    ref = own_ref
    while ref in parts.ref_to_outcome:
        ref = f"{ref}-{row.number}"
    outcome_id = f"{parts.key}-out-{ref}"
    title = values.get("title")
    if title is None:
        b.required_missing(row, "title", path)
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
    row_ext = _row_ext(values)
    if row_ext:
        outcome["extension_data"] = {EXTENSION: row_ext}
    parts.outcomes.append(outcome)
    b.mark(path, row.first, row.section, _row_label(row))
    contribution_id = f"{parts.key}-con-{ref}"
    contribution: dict[str, Any] = {"id": contribution_id, "organisation_id": parts.org_id,
                                    "activity_id": parts.activity_id, "outcome_id": outcome_id, "role": "direct"}
    if values.get("pathway"):
        contribution["pathway"] = values["pathway"]
    parts.contributions.append(contribution)
    parts.ref_to_outcome[own_ref] = (outcome_id, contribution_id)
    if values.get("evidence"):
        _add_progress(b, parts, row, values["evidence"], ref=ref, title=title, contribution_id=contribution_id)


def _add_progress(b: Builder, parts: Parts, row: RowAnswers, narrative: Any, *, ref: str, title: Any,
                  contribution_id: str) -> None:
    """An outcome row's progress as observation evidence supporting the contribution."""
    evidence_id = f"{parts.evkey}-progress-{ref}"
    evidence_column = row.table.column_for("evidence")
    cell = row.cells[evidence_column.id] if evidence_column else row.first
    label = evidence_column.label if evidence_column else row.table.title
    parts.evidence.append({"id": evidence_id, "kind": "observation", "summary": f"Progress towards: {title}"[:200],
                           **parts.common, "narrative": narrative,
                           "provenance": b.provenance(cell, row.section, label)})
    parts.link(evidence_id, contribution_id, "supports")


def _resolve(b: Builder, parts: Parts, ref_text: Any, row: RowAnswers, *, column_target: str,
             path: str) -> list[tuple[str, str]] | None:
    """The outcomes (outcome id, contribution id) a row names; None when it names none; unknown ones are problems."""
    if ref_text in (None, ""):
        return None
    refs = fv.split_choices(ref_text) if column_target == "outcomes" else [str(ref_text)]
    found = []
    for text in refs:
        key = _ref_key(re.sub(r"^(outcome|no\.?)\s*", "", text.strip(), flags=re.IGNORECASE), 0)
        if key in parts.ref_to_outcome:
            found.append(parts.ref_to_outcome[key])
        else:
            column = row.table.column_for(column_target)
            cell = row.cells.get(column.id) if column else None
            label = column.label if column else column_target
            known = ", ".join(parts.ref_to_outcome) or "none"
            b.problem("form.outcome-unknown", path,
                      f"Section {row.section.id}, {row.table.title.lower()} row {row.number}: {label.lower()} "
                      f"{text!r} is not an outcome on this form (outcomes: {known})"
                      f" ({(cell or row.first).where})",
                      b.loc(cell or row.first, row.section, label, label), value=text)
    return found


# -- indicators --------------------------------------------------------------------------------


def _add_indicator(b: Builder, parts: Parts, row: RowAnswers, per_outcome: dict[str, int]) -> None:
    table, section = row.table, row.section
    i = len(parts.indicators)
    path = json_path(["indicators", i])
    title_column = table.column_for("title")
    title_cell = row.cells.get(title_column.id) if title_column else None
    title = title_cell.text.strip() if title_cell is not None else None
    outcome_column = table.column_for("outcome")
    ref_raw = row.cells[outcome_column.id].text if outcome_column and outcome_column.id in row.cells else None
    context_ref = ref_raw.strip() if ref_raw else "?"
    context = (f"Section {section.id}, outcome {context_ref}, indicator {title!r}" if title
               else f"Section {section.id}, outcome {context_ref}, indicator in row {row.number}")
    values = b.row_values(row, path, context=context)
    targets = _indicator_outcomes(b, parts, row, ref_raw, path=json_path(["indicators", i, "outcome_ids"]),
                                  context=context)
    if not targets:
        parts.unplaced.append({"table": table.id, "row": row.number,
                               "answers": {k: fv.json_ready(v) for k, v in values.items()}})
        return
    outcome_id, contribution_id = targets[0]
    if title is None:
        b.required_missing(row, "title", path)
        title = f"Indicator in row {row.number}"
    outcome_ref = outcome_id.rsplit("-out-", 1)[-1]
    per_outcome[outcome_ref] = per_outcome.get(outcome_ref, 0) + 1
    number = f"{outcome_ref}-{per_outcome[outcome_ref]}"
    indicator_id = f"{parts.key}-ind-{number}"
    unit = _indicator_unit(row, values)
    _drop_percentages_over_100(b, row, values, unit=unit, i=i, context=context)
    indicator: dict[str, Any] = {"id": indicator_id, "title": title, "outcome_ids": [outcome_id]}
    if values.get("description"):
        indicator["description"] = values["description"]
    if unit:
        indicator["unit"] = unit
    if values.get("instrument"):
        indicator["instrument"] = values["instrument"]
    indicator["direction"] = "higher-is-better"
    indicator["aggregation"] = "per-period"
    if values.get("baseline") is not None:
        indicator["baseline"] = {"value": values["baseline"]}
    if values.get("target") is not None:
        indicator["targets"] = [{"value": values["target"]}]
    row_ext = _row_ext(values)
    if row_ext:
        indicator["extension_data"] = {EXTENSION: row_ext}
    parts.indicators.append(indicator)
    b.mark(path, row.first, section, _row_label(row))
    if values.get("actual") is not None:
        _add_actual(b, parts, row, values, path=path, title=title, unit=unit, indicator_id=indicator_id,
                    evidence_id=f"{parts.evkey}-actual-{number}", contribution_id=contribution_id,
                    context=context)


def _indicator_outcomes(b: Builder, parts: Parts, row: RowAnswers, ref_raw: str | None, *, path: str,
                        context: str) -> list[tuple[str, str]]:
    """The outcome an indicator measures: the one it names, else the form's only outcome."""
    targets = _resolve(b, parts, ref_raw, row, column_target="outcome", path=path)
    if targets is not None:
        return targets
    targets = [next(iter(parts.ref_to_outcome.values()))] if len(parts.ref_to_outcome) == 1 else []
    if not targets and parts.ref_to_outcome:
        outcome_column = row.table.column_for("outcome")
        b.problem("form.outcome-unknown", path,
                  f"{context}: say which outcome it measures in "
                  f"{outcome_column.label if outcome_column else 'Outcome no.'!r} ({row.first.where})",
                  b.loc(row.first, row.section, row.table.title))
    return targets


def _indicator_unit(row: RowAnswers, values: dict[str, Any]) -> Any:
    """The indicator's unit: its answer, else ``%`` when a baseline, target or actual is written as one."""
    unit = values.get("unit")
    percent = any(row.cells.get(c.id) is not None and row.cells[c.id].text.strip().endswith("%")
                  for c in row.table.columns if c.to in ("baseline", "target", "actual"))
    if unit is None and percent:
        unit = "%"
    return unit


def _drop_percentages_over_100(b: Builder, row: RowAnswers, values: dict[str, Any], *, unit: Any, i: int,
                               context: str) -> None:
    """A percentage over 100 is a problem, and is left out."""
    if unit is None or unit.strip() not in _PERCENT_UNITS:
        return
    for name in ("baseline", "target", "actual"):
        if isinstance(values.get(name), int | float) and values[name] > 100:
            column = row.table.column_for(name)
            cell = row.cells[column.id] if column else row.first
            label = column.label if column else name
            b.problem("form.percentage-over-100",
                      json_path(["indicators", i, name if name == "baseline" else "targets", 0]),
                      f"{context}: {label.lower()} '{cell.text}' is a percentage over 100 ({cell.where})",
                      b.loc(cell, row.section, label, label), value=cell.text)
            values[name] = None


def _add_actual(b: Builder, parts: Parts, row: RowAnswers, values: dict[str, Any], *, path: str, title: str,
                unit: Any, indicator_id: str, evidence_id: str, contribution_id: str, context: str) -> None:
    """An indicator's actual as measurement evidence supporting the contribution."""
    table, section = row.table, row.section
    actual_column = table.column_for("actual")
    cell = row.cells[actual_column.id] if actual_column else row.first
    label = actual_column.label if actual_column else "Actual"
    target_column = table.column_for("target")
    if values.get("target") is None and not (target_column is not None and target_column.id in row.cells):
        b.problem("form.actual-without-target", path,
                  f"{context}: has an actual ({cell.text}) but no target ({cell.where})",
                  b.loc(cell, section, label), severity="warning", value=cell.text)
    actual_value: dict[str, Any] = {"code": fv.slug(title) or "actual", "value": values["actual"],
                                    "label": title, "indicator_id": indicator_id}
    if unit:
        actual_value["unit"] = unit
    parts.evidence.append({"id": evidence_id, "kind": "measurement", "summary": f"Actual: {title}"[:200],
                           **parts.common, "values": [actual_value],
                           "provenance": b.provenance(cell, section, label)})
    b.mark(json_path(["evidence", len(parts.evidence) - 1, "values", 0, "value"]), cell, section, label)
    parts.link(evidence_id, contribution_id, "supports")


# -- outputs, people, stories ------------------------------------------------------------------


def _add_output(b: Builder, parts: Parts, number: int, row: RowAnswers, contribution_ids: list[str]) -> None:
    path = json_path(["evidence", len(parts.evidence)])
    values = b.row_values(row, path)
    title = values.get("title")
    if title is None:
        b.required_missing(row, "title", path)
        title = _row_label(row)
    evidence_id = f"{parts.evkey}-output-{number}"
    item: dict[str, Any] = {"id": evidence_id, "kind": "count", "summary": title, **parts.common}
    if values.get("actual") is not None:
        value = {"code": "actual-output", "value": values["actual"]}
        if values.get("unit"):
            value["unit"] = values["unit"]
        item["values"] = [value]
    row_ext = _row_ext(values)
    if values.get("planned") is not None:
        row_ext["planned_output"] = values["planned"]
    if values.get("unit") and values.get("actual") is None:
        row_ext["unit"] = values["unit"]
    if row_ext:
        item["extension_data"] = {EXTENSION: row_ext}
    item["provenance"] = b.provenance(row.first, row.section, row.table.title)
    parts.evidence.append(item)
    for contribution_id in contribution_ids:
        parts.link(evidence_id, contribution_id, "contextualises")


def _add_people(b: Builder, parts: Parts, people: list[tuple[Question, Any]], contribution_ids: list[str]) -> None:
    """The ``people.<code>`` answers as one count of the people supported."""
    evidence_id = f"{parts.evkey}-people"
    values_out = []
    first: tuple[Cell, Section] | None = None
    for question, value in people:
        values_out.append({"code": question.to.partition(".")[2], "value": value, "label": question.label})
        answer = b.matched.answers[question.id]
        if first is None and answer.cell is not None:
            first = (answer.cell, answer.section)
        b.mark(json_path(["evidence", len(parts.evidence), "values", len(values_out) - 1, "value"]), answer.cell,
               answer.section, question.label)
    item = {"id": evidence_id, "kind": "count", "summary": "People supported", **parts.common, "values": values_out}
    if first is not None:
        item["provenance"] = b.provenance(first[0], first[1], first[1].title)
    parts.evidence.append(item)
    for contribution_id in contribution_ids:
        parts.link(evidence_id, contribution_id, "contextualises")


def _add_story(b: Builder, parts: Parts, number: int, row: RowAnswers, contribution_ids: list[str]) -> None:
    table = row.table
    path = json_path(["evidence", len(parts.evidence)])
    values = b.row_values(row, path)
    narrative = values.get("narrative")
    if narrative is None:
        b.required_missing(row, "narrative", path)
    kind = values.get("kind") or "case-study"
    evidence_id = f"{parts.evkey}-story-{number}"
    item: dict[str, Any] = {"id": evidence_id, "kind": kind if kind in ("case-study", "quote") else "case-study"}
    if values.get("title"):
        item["summary"] = values["title"]
    if values.get("date") is not None:
        item["date"] = values["date"].isoformat()
    item.update(parts.common)
    if narrative:
        item["narrative"] = narrative
    consent = values.get("consent")
    item["consent"] = "unknown" if consent is None else "given" if consent else "refused"
    row_ext = _row_ext(values)
    if row_ext:
        item["extension_data"] = {EXTENSION: row_ext}
    item["provenance"] = b.provenance(row.first, row.section, table.title)
    parts.evidence.append(item)
    b.mark(path, row.first, row.section, _row_label(row))
    outcomes_column = table.column_for("outcomes")
    raw_refs = row.cells[outcomes_column.id].text if outcomes_column and outcomes_column.id in row.cells else None
    targets = _resolve(b, parts, raw_refs, row, column_target="outcomes", path=child(path, "links"))
    for contribution_id in [c for _o, c in targets] if targets else contribution_ids:
        parts.link(evidence_id, contribution_id, "illustrates")


# -- records and unmapped answers --------------------------------------------------------------


def add_records(b: Builder, ext: dict[str, dict[str, Any]]) -> None:
    """Each record table's rows, kept under its ``<slot>.ext.<key>``."""
    for _section, table in b.profile.tables():
        if table.row != "record" or table.to is None:
            continue
        slot, _, ext_key = table.to.partition(".ext.")
        items: list[dict[str, Any]] = []
        for row in b.matched.rows.get(table.id, ()):
            values = b.row_values(row, json_path([*SLOT_PATHS[slot], "extension_data", EXTENSION, ext_key,
                                                  len(items)]))
            items.append({k: fv.json_ready(v) for k, v in values.items() if v is not None})
        if items:
            ext[slot][ext_key] = items


def add_unmapped(b: Builder, ext: dict[str, dict[str, Any]]) -> None:
    """
    Answers the profile does not know, and second answers, kept in the package's extension data as warnings.

    The same label and answer in several places is kept once, with how many times it was
    found; no more than `MAX_WARNINGS` are reported one by one, and one more warning says
    how many others there are (all are kept).
    """
    duplicates = [Unmapped(label=d.label_cell.text, cell=d.cell, label_cell=d.label_cell, section=d.section.id)
                  for d in b.matched.duplicates]
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    unmapped: list[dict[str, Any]] = []
    for item in [*b.matched.unmapped, *duplicates]:
        key = (" ".join(item.label.split()), " ".join((item.cell.text if item.cell is not None else "").split()))
        if key in seen:
            seen[key]["times"] = seen[key].get("times", 1) + 1
            continue
        entry = _unmapped_entry(b, item, len(unmapped), warn=len(unmapped) < MAX_WARNINGS)
        seen[key] = entry
        unmapped.append(entry)
    for entry, problem in zip(unmapped, b.unmapped_problems, strict=False):
        if entry.get("times", 1) > 1:
            b.problems[b.problems.index(problem)] = attrs.evolve(
                problem, message=f"{problem.message}; the same answer is on the form {entry['times'] - 1} more "
                                 f"time{'s' * (entry['times'] > 2)} (kept once)")
    if len(unmapped) > MAX_WARNINGS:
        more = len(unmapped) - MAX_WARNINGS
        b.problem("form.unmapped-answer", json_path(["extension_data", EXTENSION, "unmapped"]),
                  f"{more} more answers the form profile does not know are kept as unmapped answers, not listed "
                  f"one by one (see extension_data.form.unmapped; is this the right form profile?)",
                  SourceLocation(file=b.file), severity="warning")
    if unmapped:
        ext["package"]["unmapped"] = unmapped


MAX_WARNINGS = 50
"""At most this many unmapped answers are reported one by one."""


def _unmapped_entry(b: Builder, item: Unmapped, index: int, *, warn: bool) -> dict[str, Any]:
    value_cell = item.cell
    value_text = value_cell.text if value_cell is not None else ""
    location = b.loc(value_cell or item.label_cell, None, item.label)
    if item.section:
        location = SourceLocation(**{**location.to_dict(), "section": item.section})
    path = json_path(["extension_data", EXTENSION, "unmapped", index])
    where = (value_cell or item.label_cell).where
    in_section = f"Section {item.section}: " if item.section else ""
    shown = excerpt(value_text, 120)
    if any(d.label_cell is item.label_cell for d in b.matched.duplicates):
        rule = "form.duplicate-answer"
        message = (f"{in_section}{excerpt(item.label, 80)} is answered twice; "
                   f"the second answer {shown} is kept as an unmapped answer ({where})")
    else:
        rule = "form.unmapped-answer"
        message = (f"{in_section}the form profile does not know "
                   f"{excerpt(item.label, 80)}; its answer {shown} is kept as an unmapped answer ({where})")
    if warn:
        b.problem(rule, path, message, location, severity="warning", value=excerpt(value_text, 200))
        b.unmapped_problems.append(b.problems[-1])
    b.source_map[path] = location
    return {"label": item.label, "value": value_text, "location": location.to_dict()}
