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
from sharedoutcomes._util.paths import json_path
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
        self._evidence: _EvidenceProblems | None = None

    def kind_of(self, identifier: str) -> str | None:
        for kind, ids in self.ids.items():
            if identifier in ids:
                return kind
        return None

    @property
    def evidence(self) -> _EvidenceProblems:
        """The problems of every rule that looks at evidence, found in one pass over it."""
        if self._evidence is None:
            self._evidence = _check_evidence(self)
        return self._evidence


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
        items = ctx.data.get(collection, ())
        if len(ctx.ids[kind]) == len(items):
            continue  # as many distinct ids as items: no duplicates
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
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


class _EvidenceProblems:
    """What one pass over the evidence finds, kept per rule so that each rule reports in its turn."""

    __slots__ = ("dates", "extensions", "periods", "personal", "refs", "values")

    def __init__(self) -> None:
        self.refs: list[Problem] = []
        self.periods: list[Problem] = []
        self.values: list[Problem] = []
        self.personal: list[Problem] = []
        self.extensions: list[Problem] = []
        self.dates: list[Problem] = []


def _check_evidence(ctx: _Context) -> _EvidenceProblems:
    """
    Every evidence-level check in a single pass.

    The order of problems within each rule is the order of a pass per rule: by evidence, then
    by value.
    """
    found = _EvidenceProblems()
    activities, organisations, indicators = ctx.ids["activity"], ctx.ids["organisation"], ctx.ids["indicator"]
    public = ctx.sharing_level == "public"
    shared = ctx.sharing_level != "personal"
    declared = {extension["name"] for extension in ctx.data.get("extensions", ())}
    produced = ctx.data["produced"][:10]
    identifiable: dict[str, str | None] = {}
    for i, evidence in enumerate(ctx.data.get("evidence", ())):
        # ref-unresolved
        if "activity_id" in evidence and evidence["activity_id"] not in activities:
            found.refs.append(_unresolved(ctx, "activity", evidence["activity_id"],
                                          json_path(["evidence", i, "activity_id"])))
        if "collected_by" in evidence and evidence["collected_by"] not in organisations:
            found.refs.append(_unresolved(ctx, "organisation", evidence["collected_by"],
                                          json_path(["evidence", i, "collected_by"])))
        if "values" in evidence:
            for j, value in enumerate(evidence["values"]):
                if "indicator_id" in value and value["indicator_id"] not in indicators:
                    found.refs.append(_unresolved(ctx, "indicator", value["indicator_id"],
                                                  json_path(["evidence", i, "values", j, "indicator_id"])))
                if "scale_min" in value or "scale_max" in value:
                    low, high, number = value.get("scale_min"), value.get("scale_max"), value["value"]
                    kind = type(number)
                    if ((kind is int or kind is float) and low is not None and high is not None
                            and low <= high and low <= number <= high):
                        continue  # the usual case: a number inside a well-formed scale
                    _check_value(value, i, j, found.values)
        # period-order
        if "period" in evidence:
            problem = _period_problem(evidence["period"], ["evidence", i, "period"])
            if problem is not None:
                found.periods.append(problem)
        # person-data-in-public, consent-refused-shared, person-id-identifiable, small-cohort-in-public
        subject = evidence.get("subject", _EMPTY)
        subject_type = subject.get("type")
        if public and subject_type == "person":
            found.personal.append(_problem(
                "person-data-in-public", json_path(["evidence", i, "subject", "type"]),
                "person-level evidence cannot be in a package whose sharing_level is 'public'", "person"))
        if public and evidence.get("sensitivity") in _PERSONAL_SENSITIVITY:
            found.personal.append(_problem(
                "person-data-in-public", json_path(["evidence", i, "sensitivity"]),
                f"{evidence['sensitivity']} data cannot be in a package whose sharing_level is 'public'",
                evidence["sensitivity"]))
        if shared and "consent" in evidence and evidence["consent"] == "refused":
            found.personal.append(_problem(
                "consent-refused-shared", json_path(["evidence", i, "consent"]),
                f"the person refused consent, so this evidence cannot be shared in a {ctx.sharing_level!r} package",
                "refused"))
        if subject_type == "person" and "id" in subject:
            identifier = subject["id"]
            if identifier in identifiable:
                what = identifiable[identifier]
            else:
                what = identifiable[identifier] = _identifies(identifier)
            if what:
                found.personal.append(_problem(
                    "person-id-identifiable", json_path(["evidence", i, "subject", "id"]),
                    f"the person id looks like {what}; use a pseudonymous id instead", "(redacted)"))
        if public and subject_type == "cohort" and 0 < subject.get("size", SMALL_COHORT) < SMALL_COHORT:
            found.personal.append(_problem(
                "small-cohort-in-public", json_path(["evidence", i, "subject", "size"]),
                f"a cohort of {subject['size']} people may identify them in a public package; "
                f"publish cohorts of {SMALL_COHORT} or more, or suppress the figure", subject["size"]))
        # extension-undeclared
        if "extension_data" in evidence:
            found.extensions.extend(_undeclared(evidence["extension_data"], declared, ["evidence", i]))
        # evidence-after-produced
        if "date" in evidence and evidence["date"] > produced:
            found.dates.append(_problem(
                "evidence-after-produced", json_path(["evidence", i, "date"]),
                f"the evidence is dated {evidence['date']}, after the package was produced ({produced})",
                evidence["date"]))
    return found


_EMPTY: Final[Mapping[str, Any]] = {}


def _identifies(identifier: str) -> str | None:
    return ("a CHI or NHS number" if _CHI_OR_NHS.match(identifier)
            else "an email address" if _EMAIL.match(identifier)
            else "a phone number" if _PHONE.match(identifier) else None)


def _check_value(value: Mapping[str, Any], i: int, j: int, out: list[Problem]) -> None:
    low, high = value.get("scale_min"), value.get("scale_max")
    if low is None and high is None:
        return
    path: list[str | int] = ["evidence", i, "values", j]
    if low is not None and high is not None and low > high:
        out.append(_problem("scale-order", json_path([*path, "scale_min"]),
                            f"the scale's minimum {low} is above its maximum {high}", low))
        return
    number = value["value"]
    if isinstance(number, bool) or not isinstance(number, int | float):
        out.append(_problem("value-not-a-number", json_path([*path, "value"]),
                            f"{number!r} is not a number, but the scale is {_scale(low, high)}", number))
    elif (low is not None and number < low) or (high is not None and number > high):
        out.append(_problem("value-out-of-scale", json_path([*path, "value"]),
                            f"{number} is outside the scale {_scale(low, high)}", number))


def _check_refs(ctx: _Context) -> Iterator[Problem]:
    """Every reference resolves; the order is publisher, activities … contributions, evidence, links."""
    data = ctx.data
    ids = ctx.ids
    organisations, outcomes = ids["organisation"], ids["outcome"]

    def check(kind: str, identifier: str, parts: list[str | int]) -> Iterator[Problem]:
        if identifier not in ids[kind]:
            yield _unresolved(ctx, kind, identifier, json_path(parts))

    if data["publisher"] not in organisations:
        yield from check("organisation", data["publisher"], ["publisher"])
    for i, activity in enumerate(data.get("activities", ())):
        for j, participant in enumerate(activity.get("participants", ())):
            yield from check("organisation", participant["organisation_id"],
                             ["activities", i, "participants", j, "organisation_id"])
        for j, line in enumerate(activity.get("funding", ())):
            if "funder_id" in line:
                yield from check("organisation", line["funder_id"], ["activities", i, "funding", j, "funder_id"])
    for i, outcome in enumerate(data.get("outcomes", ())):
        for j, broader in enumerate(outcome.get("broader", ())):
            if broader not in outcomes:
                yield from check("outcome", broader, ["outcomes", i, "broader", j])
    for i, indicator in enumerate(data.get("indicators", ())):
        for j, outcome_id in enumerate(indicator["outcome_ids"]):
            if outcome_id not in outcomes:
                yield from check("outcome", outcome_id, ["indicators", i, "outcome_ids", j])
    for i, contribution in enumerate(data.get("contributions", ())):
        yield from check("organisation", contribution["organisation_id"], ["contributions", i, "organisation_id"])
        yield from check("outcome", contribution["outcome_id"], ["contributions", i, "outcome_id"])
        if "activity_id" in contribution:
            yield from check("activity", contribution["activity_id"], ["contributions", i, "activity_id"])
    yield from ctx.evidence.refs
    evidence = ids["evidence"]
    links = data.get("links", ())
    for i, link in enumerate(links):
        if link["evidence_id"] not in evidence:
            yield from check("evidence", link["evidence_id"], ["links", i, "evidence_id"])
        if "asserted_by" in link and link["asserted_by"] not in organisations:
            yield from check("organisation", link["asserted_by"], ["links", i, "asserted_by"])
    for i, link in enumerate(links):
        kind = link["target_type"]
        if link["target_id"] not in ids[kind]:
            yield _unresolved(ctx, kind, link["target_id"], json_path(["links", i, "target_id"]),
                              rule="link-target-unresolved")


def _check_cycles(ctx: _Context) -> Iterator[Problem]:
    """
    Report each cycle of broader outcomes once, at the first outcome on it.

    Only outcomes inside a cycle can reach themselves, so the search from each outcome is
    limited to its strongly connected component (found once, in linear time), and stops at the
    first cycle it finds.
    """
    outcomes = ctx.data.get("outcomes", ())
    broader = {o["id"]: tuple(o.get("broader", ())) for o in outcomes}
    component = _components(broader)
    reported: set[str] = set()
    for index, outcome in enumerate(outcomes):
        start = outcome["id"]
        if start in reported or start not in component:
            continue
        members = component[start]
        stack: list[str] = [start]
        came_from: dict[str, str] = {}
        visited: set[str] = set()
        found = False
        while stack and not found:
            current = stack.pop()
            for parent in broader.get(current, ()):
                if parent == start:
                    trail = _trail(current, came_from, start)
                    reported.update(trail)
                    yield _problem("outcome-cycle", json_path(["outcomes", index, "broader"]),
                                   "broader outcomes form a cycle: " + " → ".join((*trail, start)))
                    found = True
                    break
                if parent not in visited and parent in members:
                    visited.add(parent)
                    came_from[parent] = current
                    stack.append(parent)


def _trail(node: str, came_from: Mapping[str, str], start: str) -> tuple[str, ...]:
    trail = [node]
    while node != start:
        node = came_from[node]
        trail.append(node)
    return tuple(reversed(trail))


def _components(graph: Mapping[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    """The strongly connected components that hold a cycle (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: dict[str, frozenset[str]] = {}
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in graph:
                    continue  # an unresolved reference: reported by ref-unresolved
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    members: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    if len(members) > 1 or node in graph.get(node, ()):
                        group = frozenset(members)
                        for member in members:
                            result[member] = group
    return result


def _period_problem(period: Mapping[str, Any], parts: list[str | int]) -> Problem | None:
    if "end" in period and period["end"] < period["start"]:  # ISO dates compare as text
        return _problem("period-order", json_path([*parts, "end"]),
                        f"the period ends ({period['end']}) before it starts ({period['start']})", period["end"])
    return None


def _check_periods(ctx: _Context) -> Iterator[Problem]:
    data = ctx.data
    periods: list[tuple[Mapping[str, Any], list[str | int]]] = []
    if "period" in data:
        periods.append((data["period"], ["period"]))
    for collection in ("activities", "contributions"):
        for i, item in enumerate(data.get(collection, ())):
            if "period" in item:
                periods.append((item["period"], [collection, i, "period"]))
    for period, parts in periods:
        problem = _period_problem(period, parts)
        if problem is not None:
            yield problem
    yield from ctx.evidence.periods
    periods = []
    for i, activity in enumerate(data.get("activities", ())):
        for j, line in enumerate(activity.get("funding", ())):
            if "period" in line:
                periods.append((line["period"], ["activities", i, "funding", j, "period"]))
    for i, indicator in enumerate(data.get("indicators", ())):
        if "period" in indicator.get("baseline", {}):
            periods.append((indicator["baseline"]["period"], ["indicators", i, "baseline", "period"]))
        for j, target in enumerate(indicator.get("targets", ())):
            if "period" in target:
                periods.append((target["period"], ["indicators", i, "targets", j, "period"]))
    for period, parts in periods:
        problem = _period_problem(period, parts)
        if problem is not None:
            yield problem


def _check_values(ctx: _Context) -> Iterator[Problem]:
    yield from ctx.evidence.values


def _scale(low: float | None, high: float | None) -> str:
    return f"{'' if low is None else low}–{'' if high is None else high}"


def _check_personal_data(ctx: _Context) -> Iterator[Problem]:
    yield from ctx.evidence.personal


_PREFIXES = sorted(_codelists.values("org-id-prefixes"), key=len, reverse=True)


def _check_org_ids(ctx: _Context) -> Iterator[Problem]:
    for i, organisation in enumerate(ctx.data.get("organisations", ())):
        identifier = organisation["id"]
        if not any(identifier.startswith(prefix + "-") for prefix in _PREFIXES):
            yield _problem("org-id-prefix", json_path(["organisations", i, "id"]),
                           f"{identifier!r} does not start with a recognised org-id prefix "
                           "(such as GB-SC, GB-CHC, GB-COH, GB-LAS, GB-NHS); see https://org-id.guide", identifier)


def _undeclared(extension_data: Mapping[str, Any], declared: set[str], parts: list[str | int]) -> Iterator[Problem]:
    for name in extension_data:
        if name not in declared:
            yield _problem("extension-undeclared", json_path([*parts, "extension_data", name]),
                           f"extension {name!r} is not declared in the package's 'extensions'", name)


def _check_extensions(ctx: _Context) -> Iterator[Problem]:
    data = ctx.data
    declared = {extension["name"] for extension in data.get("extensions", ())}
    yield from _undeclared(data.get("extension_data", _EMPTY), declared, [])
    for collection in _COLLECTIONS.values():
        if collection == "evidence":
            yield from ctx.evidence.extensions
            continue
        for i, item in enumerate(data.get(collection, ())):
            if "extension_data" in item:
                yield from _undeclared(item["extension_data"], declared, [collection, i])


def _check_dates(ctx: _Context) -> Iterator[Problem]:
    yield from ctx.evidence.dates


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
    """
    Yield every semantic problem in *data*, a package that passed the schema.

    Each rule reports in turn, in a fixed order; the work is linear in the size of the package
    (the evidence, by far the largest part, is read once for all rules).
    """
    ctx = _Context(data)
    for rule_check in _CHECKS:
        yield from rule_check(ctx)
