"""
Building the package: a matched form becomes a validated package document.

`convert_grids` matches the readers' grids and checks that they are this form; `build`
places the questions' answers in the package, its organisation, activity and funding
(following the mapping language, see ``_targets``), has the builders of each kind of row
(``_rows``) add outcomes, indicators and evidence, keeps what has no field in the ``form``
extension, and validates the result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from attrs import define, field

from sharedoutcomes._util.meta import package_version
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.converters import ConversionResult, build_result
from sharedoutcomes.exceptions import ConversionError, SourceLocation
from sharedoutcomes.forms import _values as fv
from sharedoutcomes.forms._accounting import account
from sharedoutcomes.forms._builder import Builder, Parts
from sharedoutcomes.forms._grid import Grid
from sharedoutcomes.forms._match import Matched, match
from sharedoutcomes.forms._profile import FormProfile, Funder, Question
from sharedoutcomes.forms._prose import read_prose
from sharedoutcomes.forms._rows import add_evidence_rows, add_records, add_unmapped
from sharedoutcomes.forms._targets import EXTENSION, EXTENSION_DECLARATION, SLOT_PATHS

__all__ = ["build", "convert_grids"]

_ATTRIBUTES: Final = {"oscr": "id", "funder": "funder_id", "amount": "amount"}
"""The model attribute of a question field, where the two differ."""

_DOCUMENT_KEYS: Final = ("schema_version", "id", "title", "description", "publisher", "produced", "period",
                         "sharing_level", "extensions")
"""The package's own keys, in the order the schema lists them."""


def convert_grids(grids: Sequence[Grid], profile: FormProfile, *, file: str, format_name: str,
                  **options: Any) -> ConversionResult:
    """Match, check that it is this form, build the package document, and validate it."""
    matched = match(grids, profile, prose=read_prose)
    if matched.found < 3:
        labels = ", ".join(repr(q.label) for _s, q in list(profile.questions())[:3])
        msg = (f"this does not look like the {profile.title} ({profile.name} form profile): none of its "
               f"questions ({labels} …) or tables were found")
        raise ConversionError(msg, source=SourceLocation(file=file))
    _check_anchors(matched, profile, file)
    return build(matched, profile, file=file, format_name=format_name, **options)


def _check_anchors(matched: Matched, profile: FormProfile, file: str) -> None:
    """Refuse a file in which too few of the profile's anchors (the questions that identify it) are found."""
    if not profile.anchors or matched.declared == profile.name:
        return
    needed = profile.anchors_needed or min(2, len(profile.anchors))
    found = [a for a in profile.anchors if a in matched.anchors]
    if len(found) >= needed:
        return
    missing = ", ".join(repr(_anchor_label(profile, a)) for a in profile.anchors if a not in found)
    seen = f" (found only {', '.join(repr(_anchor_label(profile, a)) for a in found)})" if found else ""
    msg = (f"this does not look like the {profile.title} ({profile.name} form profile): some of its labels match, "
           f"but not the questions and headings that identify it: {missing}{seen}. Check that this is a "
           f"{profile.title}, or read it with its own form profile")
    raise ConversionError(msg, source=SourceLocation(file=file))


def _anchor_label(profile: FormProfile, anchor: str) -> str:
    kind, _, name = anchor.rpartition(":")
    if kind == "section":
        return profile.section(name).title
    if kind == "table":
        return profile.table(name).title
    return profile.question(name).label


def build(matched: Matched, profile: FormProfile, *, file: str, format_name: str, produced: str | None = None,
          sharing_level: str = "partners", package_id: str | None = None) -> ConversionResult:
    """Build and validate the package document from a matched form."""
    b = Builder(profile, matched, file=file, format_name=format_name,
                version=package_version())
    answers = _question_answers(b)
    org, act, fund, pkg = (answers.fields[slot] for slot in ("organisation", "activity", "funding", "package"))
    org_id = _organisation_id(b, org)
    org_name = org.get("name") or "Organisation name not given"
    project = act.get("title") or "Project name not given"
    key = "-".join(filter(None, (fv.slug(org_id.removeprefix("GB-SC-"), limit=20),
                                 fv.slug(fund.get("grant_id") or project, limit=30)))) or "form"
    period_start: dt.date | None = pkg.get("period.start")
    evkey = f"{key}-{period_start:%Y%m%d}" if period_start else key
    document: dict[str, Any] = {
        "schema_version": "0.2",
        "id": package_id or f"{profile.name}-{evkey}",
        "title": pkg.get("title") or f"{profile.title}: {org_name}, {project}",
        "publisher": org_id,
        "produced": produced or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sharing_level": sharing_level,
    }
    if pkg.get("description"):
        document["description"] = pkg["description"]
    period = _period(period_start, pkg.get("period.end"))
    if period:
        document["period"] = period
    organisations = [_organisation(org, org_id, org_name)]
    activity = _activity(act, f"act-{key}", project, org_id)
    _add_funding(profile, fund, answers.ext["activity"], organisations, activity)
    common: dict[str, Any] = {"activity_id": activity["id"], "collected_by": org_id}
    if period:
        common["period"] = period
    parts = Parts(key=key, evkey=evkey, org_id=org_id, activity_id=activity["id"], common=common)
    add_evidence_rows(b, parts, answers.people)
    add_records(b, answers.ext)
    if parts.unplaced:
        answers.ext["package"]["unplaced_rows"] = parts.unplaced
    add_unmapped(b, answers.ext)
    ordered = _assemble(document, organisations, activity, parts, answers.ext)
    coverage = account(b, matched)
    return build_result(ordered, format=format_name, problems=list(b.problems), source_map=b.source_map,
                        coverage=coverage)


# -- the questions -----------------------------------------------------------------------------


@define
class _Answers:
    """The questions' answers by slot: model fields, extension data, and the people counts."""

    fields: dict[str, dict[str, Any]] = field(
        factory=lambda: {"package": {}, "organisation": {}, "activity": {}, "funding": {}})
    ext: dict[str, dict[str, Any]] = field(factory=lambda: {"package": {}, "organisation": {}, "activity": {}})
    people: list[tuple[Question, Any]] = field(factory=list)


def _question_answers(b: Builder) -> _Answers:
    """Every question's parsed answer, in form order, placed by its target."""
    answers = _Answers()
    for _section, question in b.profile.questions():
        slot, _, rest = question.to.partition(".")
        if slot == "people":
            value = b.answer(question, json_path(["evidence"]))
            if value is not None:
                answers.people.append((question, value))
        elif rest.startswith("ext."):
            key = rest[4:]
            value = b.answer(question, json_path([*SLOT_PATHS[slot], "extension_data", EXTENSION, key]))
            if value is not None:
                answers.ext[slot][key] = fv.json_ready(value)
        elif rest == "period":
            value = b.answer(question, json_path([*SLOT_PATHS[slot], "period"]))
            if value is not None:
                answers.fields[slot]["period.start"], answers.fields[slot]["period.end"] = value
        else:
            attribute = _ATTRIBUTES.get(rest, rest)
            value = b.answer(question, json_path([*SLOT_PATHS[slot], *attribute.split(".")]))
            if value is not None:
                answers.fields[slot][rest] = value
    return answers


def _period(start: dt.date | None, end: dt.date | None) -> dict[str, str] | None:
    if start is None:
        return None
    out = {"start": start.isoformat()}
    if end is not None:
        out["end"] = end.isoformat()
    return out


def _organisation_id(b: Builder, org: Mapping[str, Any]) -> str:
    """The organisation's id: as given, else from its OSCR number (``GB-SC-…``), else made from its name."""
    if org.get("id"):
        text = str(org["id"]).strip().replace(" ", "")
        if re.match(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*-[^\s]+$", text):
            return text
    if org.get("oscr"):
        return f"GB-SC-{_oscr_number(b, str(org['oscr']))}"
    name = org.get("name")
    return f"XX-FORM-{fv.slug(str(name), limit=30) or 'unknown'}" if name else "XX-FORM-unknown"


def _oscr_number(b: Builder, raw: str) -> str:
    """An OSCR number (``SC`` and six digits) as written; anything else is a warning, kept as letters and digits."""
    cleaned = re.sub(r"[\s\-.]", "", raw).upper().removeprefix("GBSC")
    if re.fullmatch(r"\d{6}", cleaned):
        cleaned = "SC" + cleaned
    if re.fullmatch(r"SC\d{6}", cleaned):
        return cleaned
    question = b.profile.question_for("organisation.oscr")
    answer = b.matched.answers.get(question.id) if question else None
    cell = answer.cell if answer else None
    section = b.profile.section_of(question) if question else None
    b.problem("form.oscr-number", json_path(["organisations", 0, "id"]),
              f"Section {section.id if section else '?'}: charity number {raw!r} is not an OSCR number "
              f"(SC and six digits, e.g. SC012345) ({cell.where if cell else 'form'})",
              b.loc(cell, section, question.label if question else None), severity="warning", value=raw)
    return re.sub(r"[^A-Za-z0-9]", "", cleaned) or "UNKNOWN"


# -- the organisation, its activity and funding -------------------------------------------------


def _organisation(org: Mapping[str, Any], org_id: str, name: str) -> dict[str, Any]:
    organisation: dict[str, Any] = {"id": org_id, "name": name, "sector": "third"}
    if "oscr" in org or org_id.startswith("GB-SC-"):
        organisation["kind"] = "charity"
    for key in ("locality", "url", "kind"):
        if org.get(key):
            organisation[key] = org[key]
    return organisation


def _activity(act: Mapping[str, Any], activity_id: str, title: str, org_id: str) -> dict[str, Any]:
    activity: dict[str, Any] = {"id": activity_id, "title": title, "kind": act.get("kind") or "project",
                                "participants": [{"organisation_id": org_id, "role": "lead"}]}
    for key in ("description", "locality"):
        if act.get(key):
            activity[key] = act[key]
    period = _period(act.get("period.start"), act.get("period.end"))
    if period:
        activity["period"] = period
    return activity


def _add_funding(profile: FormProfile, fund: Mapping[str, Any], activity_ext: dict[str, Any],
                 organisations: list[dict[str, Any]], activity: dict[str, Any]) -> None:
    """The activity's funding line; the form's funder joins the package when it is the funder."""
    funding = _funding_line(profile, fund, activity_ext)
    if funding is None:
        return
    funder_id = funding.get("funder_id")
    if funder_id and profile.funder is not None and funder_id == profile.funder.id:
        organisations.append(_funder_organisation(profile.funder))
        activity["participants"].append({"organisation_id": funder_id, "role": "funder"})
    activity["funding"] = [funding]


def _funder_organisation(funder: Funder) -> dict[str, Any]:
    organisation: dict[str, Any] = {"id": funder.id, "name": funder.name, "sector": funder.sector}
    if funder.kind:
        organisation["kind"] = funder.kind
    return organisation


def _funding_line(profile: FormProfile, fund: Mapping[str, Any], activity_ext: dict[str, Any]) -> dict[str, Any] | None:
    """The funding answers as a funding line (a funder that is not the form's is kept in *activity_ext*)."""
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


# -- the document ------------------------------------------------------------------------------


def _assemble(document: dict[str, Any], organisations: list[dict[str, Any]], activity: dict[str, Any],
              parts: Parts, ext: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The package document, its keys in the order the schema lists them, with the extension data placed."""
    used = False
    for slot, target in (("package", document), ("organisation", organisations[0]), ("activity", activity)):
        if ext[slot]:
            target["extension_data"] = {EXTENSION: ext[slot]}
            used = True
    used = used or any("extension_data" in x for x in (*parts.outcomes, *parts.indicators, *parts.evidence))
    if used:
        document["extensions"] = [dict(EXTENSION_DECLARATION)]
    ordered: dict[str, Any] = {k: document[k] for k in _DOCUMENT_KEYS if k in document}
    ordered["organisations"] = organisations
    ordered["activities"] = [activity]
    ordered.update({name: items for name, items in (
        ("outcomes", parts.outcomes), ("indicators", parts.indicators), ("contributions", parts.contributions),
        ("evidence", parts.evidence), ("links", parts.links)) if items})
    if "extension_data" in document:
        ordered["extension_data"] = document["extension_data"]
    return ordered
