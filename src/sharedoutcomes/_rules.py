"""
Semantic rules: what a JSON Schema cannot say.

Each rule has a stable id, a default severity and a one-line description (`RULES`); a
validation profile may change a rule's severity or turn it off. The checks run on the
parsed JSON after the schema layer has passed, so they may rely on its shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from attrs import frozen

from sharedoutcomes import _codelists
from sharedoutcomes._paths import json_path
from sharedoutcomes.exceptions import Problem, Severity

__all__ = ["RULES", "Rule", "check"]


@frozen
class Rule:
    """A semantic rule: its id, default severity and what it checks."""

    id: str
    severity: Severity
    description: str


RULES: Final[Mapping[str, Rule]] = {
    rule.id: rule
    for rule in (
        Rule("id-unique", "error", "Identifiers are unique within their list (and extension names among the "
             "package's extensions)."),
        Rule("ref-unresolved", "error", "Every reference to an organisation, activity, outcome, indicator or "
             "evidence resolves to an object of that kind in the package."),
        Rule("link-target-unresolved", "error", "An evidence link's target exists and is of the declared type."),
        Rule("outcome-cycle", "error", "Broader outcomes do not form a cycle."),
        Rule("period-order", "error", "A period does not end before it starts."),
        Rule("scale-order", "error", "A scale's minimum is not above its maximum."),
        Rule("value-out-of-scale", "error", "A value lies within its declared scale."),
        Rule("value-not-a-number", "error", "A value with a declared scale is a number."),
        Rule("person-data-in-public", "error", "A public package holds no person-level evidence and no personal "
             "or special category data."),
        Rule("consent-refused-shared", "error", "Evidence whose subject refused consent is not in a package "
             "for sharing (public or partners)."),
        Rule("person-id-identifiable", "error", "A person is identified by a pseudonymous id, never a CHI or NHS "
             "number, an email address or a phone number."),
        Rule("small-cohort-in-public", "warning", "A cohort of fewer than 5 people in a public package may "
             "identify them (disclosure control)."),
        Rule("org-id-prefix", "warning", "An organisation identifier starts with a recognised org-id prefix."),
        Rule("extension-undeclared", "error", "Extension data sits under the name of an extension the package "
             "declares."),
        Rule("evidence-after-produced", "warning", "Evidence is not dated after the package was produced."),
        Rule("contributor-not-participant", "warning", "An organisation contributing through an activity takes "
             "part in that activity."),
    )
}
"""Every semantic rule by id."""

SMALL_COHORT: Final = 5

_COLLECTIONS: Final = {
    "organisation": "organisations",
    "activity": "activities",
    "outcome": "outcomes",
    "indicator": "indicators",
    "contribution": "contributions",
    "evidence": "evidence",
    "link": "links",
}

_CHI_OR_NHS = re.compile(r"^\d{3}[\s-]?\d{3}[\s-]?\d{4}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?\d[\d\s-]{9,}$")
_PERSONAL_SENSITIVITY = frozenset({"personal", "special-category"})


class _Context:
    """The package's indexes, built once for all rules."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.ids: dict[str, set[str]] = {
            kind: {item["id"] for item in data.get(collection, ())} for kind, collection in _COLLECTIONS.items()
        }
        self.sharing_level: str = data["sharing_level"]

    def kind_of(self, identifier: str) -> str | None:
        for kind, ids in self.ids.items():
            if identifier in ids:
                return kind
        return None


def _problem(rule: str, path: str, message: str, value: Any = None) -> Problem:
    return Problem(rule=rule, severity=RULES[rule].severity, path=path, message=message, value=value)


def _unresolved(ctx: _Context, kind: str, identifier: str, path: str, rule: str = "ref-unresolved") -> Problem:
    other = ctx.kind_of(identifier)
    hint = f" ({identifier!r} is the id of {_article(other)} {other})" if other else ""
    return _problem(rule, path, f"no {kind} in the package has id {identifier!r}{hint}", identifier)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _check_unique(ctx: _Context) -> Iterator[Problem]:
    for kind, collection in _COLLECTIONS.items():
        seen: dict[str, int] = {}
        for index, item in enumerate(ctx.data.get(collection, ())):
            identifier = item["id"]
            if identifier in seen:
                yield _problem("id-unique", json_path([collection, index, "id"]),
                               f"{kind} id {identifier!r} is used already, by {collection}[{seen[identifier]}]",
                               identifier)
            else:
                seen[identifier] = index
    names: dict[str, int] = {}
    for index, extension in enumerate(ctx.data.get("extensions", ())):
        if extension["name"] in names:
            yield _problem("id-unique", json_path(["extensions", index, "name"]),
                           f"extension {extension['name']!r} is declared twice", extension["name"])
        names.setdefault(extension["name"], index)


def _refs(ctx: _Context) -> Iterator[tuple[str, str, list[str | int]]]:
    """Every (kind, id, path parts) reference in the package, except link targets."""
    data = ctx.data
    yield "organisation", data["publisher"], ["publisher"]
    for i, activity in enumerate(data.get("activities", ())):
        for j, participant in enumerate(activity.get("participants", ())):
            yield "organisation", participant["organisation_id"], ["activities", i, "participants", j,
                                                                   "organisation_id"]
        for j, line in enumerate(activity.get("funding", ())):
            if "funder_id" in line:
                yield "organisation", line["funder_id"], ["activities", i, "funding", j, "funder_id"]
    for i, outcome in enumerate(data.get("outcomes", ())):
        for j, broader in enumerate(outcome.get("broader", ())):
            yield "outcome", broader, ["outcomes", i, "broader", j]
    for i, indicator in enumerate(data.get("indicators", ())):
        for j, outcome_id in enumerate(indicator["outcome_ids"]):
            yield "outcome", outcome_id, ["indicators", i, "outcome_ids", j]
    for i, contribution in enumerate(data.get("contributions", ())):
        yield "organisation", contribution["organisation_id"], ["contributions", i, "organisation_id"]
        yield "outcome", contribution["outcome_id"], ["contributions", i, "outcome_id"]
        if "activity_id" in contribution:
            yield "activity", contribution["activity_id"], ["contributions", i, "activity_id"]
    for i, evidence in enumerate(data.get("evidence", ())):
        if "activity_id" in evidence:
            yield "activity", evidence["activity_id"], ["evidence", i, "activity_id"]
        if "collected_by" in evidence:
            yield "organisation", evidence["collected_by"], ["evidence", i, "collected_by"]
        for j, value in enumerate(evidence.get("values", ())):
            if "indicator_id" in value:
                yield "indicator", value["indicator_id"], ["evidence", i, "values", j, "indicator_id"]
    for i, link in enumerate(data.get("links", ())):
        yield "evidence", link["evidence_id"], ["links", i, "evidence_id"]
        if "asserted_by" in link:
            yield "organisation", link["asserted_by"], ["links", i, "asserted_by"]


def _check_refs(ctx: _Context) -> Iterator[Problem]:
    for kind, identifier, parts in _refs(ctx):
        if identifier not in ctx.ids[kind]:
            yield _unresolved(ctx, kind, identifier, json_path(parts))
    for i, link in enumerate(ctx.data.get("links", ())):
        kind = link["target_type"]
        if link["target_id"] not in ctx.ids[kind]:
            yield _unresolved(ctx, kind, link["target_id"], json_path(["links", i, "target_id"]),
                              rule="link-target-unresolved")


def _check_cycles(ctx: _Context) -> Iterator[Problem]:
    outcomes = ctx.data.get("outcomes", ())
    broader = {o["id"]: tuple(o.get("broader", ())) for o in outcomes}
    reported: set[str] = set()
    for index, outcome in enumerate(outcomes):
        start = outcome["id"]
        stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
        visited: set[str] = set()
        while stack:
            current, trail = stack.pop()
            for parent in broader.get(current, ()):
                if parent == start and start not in reported:
                    reported.update(trail)
                    yield _problem("outcome-cycle", json_path(["outcomes", index, "broader"]),
                                   "broader outcomes form a cycle: " + " → ".join((*trail, start)))
                elif parent not in visited:
                    visited.add(parent)
                    stack.append((parent, (*trail, parent)))


def _periods(data: Mapping[str, Any]) -> Iterator[tuple[Mapping[str, Any], list[str | int]]]:
    if "period" in data:
        yield data["period"], ["period"]
    for collection in ("activities", "contributions", "evidence"):
        for i, item in enumerate(data.get(collection, ())):
            if "period" in item:
                yield item["period"], [collection, i, "period"]
    for i, activity in enumerate(data.get("activities", ())):
        for j, line in enumerate(activity.get("funding", ())):
            if "period" in line:
                yield line["period"], ["activities", i, "funding", j, "period"]
    for i, indicator in enumerate(data.get("indicators", ())):
        if "period" in indicator.get("baseline", {}):
            yield indicator["baseline"]["period"], ["indicators", i, "baseline", "period"]
        for j, target in enumerate(indicator.get("targets", ())):
            if "period" in target:
                yield target["period"], ["indicators", i, "targets", j, "period"]


def _check_periods(ctx: _Context) -> Iterator[Problem]:
    for period, parts in _periods(ctx.data):
        if "end" in period and period["end"] < period["start"]:  # ISO dates compare as text
            yield _problem("period-order", json_path([*parts, "end"]),
                           f"the period ends ({period['end']}) before it starts ({period['start']})", period["end"])


def _check_values(ctx: _Context) -> Iterator[Problem]:
    for i, evidence in enumerate(ctx.data.get("evidence", ())):
        for j, value in enumerate(evidence.get("values", ())):
            low, high = value.get("scale_min"), value.get("scale_max")
            if low is None and high is None:
                continue
            path: list[str | int] = ["evidence", i, "values", j]
            if low is not None and high is not None and low > high:
                yield _problem("scale-order", json_path([*path, "scale_min"]),
                               f"the scale's minimum {low} is above its maximum {high}", low)
                continue
            number = value["value"]
            if isinstance(number, bool) or not isinstance(number, int | float):
                yield _problem("value-not-a-number", json_path([*path, "value"]),
                               f"{number!r} is not a number, but the scale is {_scale(low, high)}", number)
            elif (low is not None and number < low) or (high is not None and number > high):
                yield _problem("value-out-of-scale", json_path([*path, "value"]),
                               f"{number} is outside the scale {_scale(low, high)}", number)


def _scale(low: float | None, high: float | None) -> str:
    return f"{'' if low is None else low}–{'' if high is None else high}"


def _check_personal_data(ctx: _Context) -> Iterator[Problem]:
    public = ctx.sharing_level == "public"
    for i, evidence in enumerate(ctx.data.get("evidence", ())):
        subject = evidence.get("subject", {})
        if public and subject.get("type") == "person":
            yield _problem("person-data-in-public", json_path(["evidence", i, "subject", "type"]),
                           "person-level evidence cannot be in a package whose sharing_level is 'public'",
                           "person")
        if public and evidence.get("sensitivity") in _PERSONAL_SENSITIVITY:
            yield _problem("person-data-in-public", json_path(["evidence", i, "sensitivity"]),
                           f"{evidence['sensitivity']} data cannot be in a package whose sharing_level is "
                           "'public'", evidence["sensitivity"])
        if evidence.get("consent") == "refused" and ctx.sharing_level != "personal":
            yield _problem("consent-refused-shared", json_path(["evidence", i, "consent"]),
                           f"the person refused consent, so this evidence cannot be shared in a "
                           f"{ctx.sharing_level!r} package", "refused")
        if subject.get("type") == "person" and "id" in subject:
            identifier = subject["id"]
            what = ("a CHI or NHS number" if _CHI_OR_NHS.match(identifier)
                    else "an email address" if _EMAIL.match(identifier)
                    else "a phone number" if _PHONE.match(identifier) else None)
            if what:
                yield _problem("person-id-identifiable", json_path(["evidence", i, "subject", "id"]),
                               f"the person id looks like {what}; use a pseudonymous id instead", "(redacted)")
        if public and subject.get("type") == "cohort" and 0 < subject.get("size", SMALL_COHORT) < SMALL_COHORT:
            yield _problem("small-cohort-in-public", json_path(["evidence", i, "subject", "size"]),
                           f"a cohort of {subject['size']} people may identify them in a public package; "
                           f"publish cohorts of {SMALL_COHORT} or more, or suppress the figure", subject["size"])


_PREFIXES = sorted(_codelists.values("org-id-prefixes"), key=len, reverse=True)


def _check_org_ids(ctx: _Context) -> Iterator[Problem]:
    for i, organisation in enumerate(ctx.data.get("organisations", ())):
        identifier = organisation["id"]
        if not any(identifier.startswith(prefix + "-") for prefix in _PREFIXES):
            yield _problem("org-id-prefix", json_path(["organisations", i, "id"]),
                           f"{identifier!r} does not start with a recognised org-id prefix "
                           "(such as GB-SC, GB-CHC, GB-COH, GB-LAS, GB-NHS); see https://org-id.guide", identifier)


def _extension_holders(data: Mapping[str, Any]) -> Iterator[tuple[Mapping[str, Any], list[str | int]]]:
    yield data, []
    for collection in _COLLECTIONS.values():
        for i, item in enumerate(data.get(collection, ())):
            yield item, [collection, i]


def _check_extensions(ctx: _Context) -> Iterator[Problem]:
    declared = {extension["name"] for extension in ctx.data.get("extensions", ())}
    for holder, parts in _extension_holders(ctx.data):
        for name in holder.get("extension_data", {}):
            if name not in declared:
                yield _problem("extension-undeclared", json_path([*parts, "extension_data", name]),
                               f"extension {name!r} is not declared in the package's 'extensions'", name)


def _check_dates(ctx: _Context) -> Iterator[Problem]:
    produced = ctx.data["produced"][:10]
    for i, evidence in enumerate(ctx.data.get("evidence", ())):
        if evidence.get("date", "") > produced:
            yield _problem("evidence-after-produced", json_path(["evidence", i, "date"]),
                           f"the evidence is dated {evidence['date']}, after the package was produced ({produced})",
                           evidence["date"])


def _check_participants(ctx: _Context) -> Iterator[Problem]:
    participants = {
        activity["id"]: {p["organisation_id"] for p in activity.get("participants", ())}
        for activity in ctx.data.get("activities", ())
    }
    for i, contribution in enumerate(ctx.data.get("contributions", ())):
        members = participants.get(contribution.get("activity_id", ""))
        if members and contribution["organisation_id"] not in members:
            yield _problem("contributor-not-participant", json_path(["contributions", i, "organisation_id"]),
                           f"{contribution['organisation_id']!r} contributes through activity "
                           f"{contribution['activity_id']!r} but is not one of its participants",
                           contribution["organisation_id"])


_CHECKS: Final[tuple[Callable[[_Context], Iterator[Problem]], ...]] = (
    _check_unique,
    _check_refs,
    _check_cycles,
    _check_periods,
    _check_values,
    _check_personal_data,
    _check_org_ids,
    _check_extensions,
    _check_dates,
    _check_participants,
)


def check(data: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield every semantic problem in *data*, a package that passed the schema."""
    ctx = _Context(data)
    for rule_check in _CHECKS:
        yield from rule_check(ctx)

