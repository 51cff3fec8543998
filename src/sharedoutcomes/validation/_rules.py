"""
Semantic rules: what a JSON Schema cannot say.

Each rule has a stable id, a default severity and a one-line description, declared in the
problem catalogue (``problems/catalogue/semantic.toml``; `rule_table` is a view of it); a
validation profile may change a rule's severity or turn it off. The checks run on the
parsed JSON after the schema layer has passed, so they may rely on its shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from sharedoutcomes._rule_words import problem
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.model import SCHEMA_VERSION
from sharedoutcomes.problems import Problem, render_value
from sharedoutcomes.validation._context import COLLECTIONS, Context, Rule, rule_table, unresolved
from sharedoutcomes.validation._evidence import SMALL_COHORT, check_evidence, period_problem, undeclared
from sharedoutcomes.validation._instruments import check_instruments
from sharedoutcomes.validation._orgid import check_org_ids
from sharedoutcomes.validation._partial import partial_problem, partial_record

__all__ = ["SMALL_COHORT", "Rule", "check", "rule_table"]

_EMPTY: Final[Mapping[str, Any]] = {}


def _check_unique(ctx: Context) -> Iterator[Problem]:
    for kind, collection in COLLECTIONS.items():
        items = ctx.data.get(collection, ())
        if len(ctx.ids[kind]) == len(items):
            continue  # as many distinct ids as items: no duplicates
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            identifier = item["id"]
            if identifier in seen:
                yield problem("id-unique", json_path([collection, index, "id"]),
                               f"{kind} id {render_value(identifier)} is used already, by {collection}[{seen[identifier]}]",
                               identifier)
            else:
                seen[identifier] = index
    names: dict[str, int] = {}
    for index, extension in enumerate(ctx.data.get("extensions", ())):
        if extension["name"] in names:
            yield problem("id-unique", json_path(["extensions", index, "name"]),
                           f"extension {render_value(extension['name'])} is declared twice", extension["name"])
        names.setdefault(extension["name"], index)


def _check_refs(ctx: Context) -> Iterator[Problem]:
    """Every reference resolves; the order is publisher, activities … contributions, evidence, links."""
    data = ctx.data
    ids = ctx.ids
    organisations, outcomes = ids["organisation"], ids["outcome"]

    def check(kind: str, identifier: str, parts: list[str | int]) -> Iterator[Problem]:
        if identifier not in ids[kind]:
            yield unresolved(ctx, kind, identifier, json_path(parts))

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
            yield unresolved(ctx, kind, link["target_id"], json_path(["links", i, "target_id"]),
                              rule="link-target-unresolved")


def _check_cycles(ctx: Context) -> Iterator[Problem]:
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
                    yield problem("outcome-cycle", json_path(["outcomes", index, "broader"]),
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


def _check_periods(ctx: Context) -> Iterator[Problem]:
    data = ctx.data
    periods: list[tuple[Mapping[str, Any], list[str | int]]] = []
    if "period" in data:
        periods.append((data["period"], ["period"]))
    for collection in ("activities", "contributions"):
        for i, item in enumerate(data.get(collection, ())):
            if "period" in item:
                periods.append((item["period"], [collection, i, "period"]))
    for period, parts in periods:
        found = period_problem(period, parts)
        if found is not None:
            yield found
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
        found = period_problem(period, parts)
        if found is not None:
            yield found


def _check_values(ctx: Context) -> Iterator[Problem]:
    yield from ctx.evidence.values


def _check_personal_data(ctx: Context) -> Iterator[Problem]:
    yield from ctx.evidence.personal


def _check_extensions(ctx: Context) -> Iterator[Problem]:
    data = ctx.data
    declared = {extension["name"] for extension in data.get("extensions", ())}
    yield from undeclared(data.get("extension_data", _EMPTY), declared, [])
    for collection in COLLECTIONS.values():
        if collection == "evidence":
            yield from ctx.evidence.extensions
            continue
        for i, item in enumerate(data.get(collection, ())):
            if "extension_data" in item:
                yield from undeclared(item["extension_data"], declared, [collection, i])


def _check_dates(ctx: Context) -> Iterator[Problem]:
    yield from ctx.evidence.dates


def _check_participants(ctx: Context) -> Iterator[Problem]:
    participants = {
        activity["id"]: {p["organisation_id"] for p in activity.get("participants", ())}
        for activity in ctx.data.get("activities", ())
    }
    for i, contribution in enumerate(ctx.data.get("contributions", ())):
        members = participants.get(contribution.get("activity_id", ""))
        if members and contribution["organisation_id"] not in members:
            yield problem("contributor-not-participant", json_path(["contributions", i, "organisation_id"]),
                           f"{render_value(contribution['organisation_id'])} contributes through activity "
                           f"{render_value(contribution['activity_id'])} but is not one of its participants",
                           contribution["organisation_id"])


def _check_partial(ctx: Context) -> Iterator[Problem]:
    """conversion.partial: the package says that it was written from a conversion with errors."""
    record = partial_record(ctx.data)
    if record is not None:
        yield partial_problem(record, block="conversion" in ctx.data)


def _check_version(ctx: Context) -> Iterator[Problem]:
    """schema-version-old: the package follows an earlier (still supported) version of the standard."""
    version = ctx.data.get("schema_version")
    if version != SCHEMA_VERSION:
        yield problem("schema-version-old", "$.schema_version",
                      f"this package follows standard {version}; the current version is {SCHEMA_VERSION}. "
                      "Upgrade it with: sharedoutcomes migrate FILE -o NEW.json "
                      "(in Python: sharedoutcomes.migrate(data).document)", version)


_CHECKS: Final[tuple[Callable[[Context], Iterator[Problem]], ...]] = (
    _check_partial,
    _check_unique,
    _check_refs,
    _check_cycles,
    _check_periods,
    _check_values,
    check_instruments,
    _check_personal_data,
    check_org_ids,
    _check_extensions,
    _check_dates,
    _check_participants,
    lambda ctx: iter(ctx.evidence.texts),  # the privacy family's rule (validation/_freetext.py), in the evidence pass
    _check_version,
)


def check(data: Mapping[str, Any]) -> Iterator[Problem]:
    """
    Yield every semantic problem in *data*, a package that passed the schema.

    Each rule reports in turn, in a fixed order; the work is linear in the size of the package
    (the evidence, by far the largest part, is read once for all rules).
    """
    ctx = Context(data, check_evidence)
    for rule_check in _CHECKS:
        yield from rule_check(ctx)
