"""
Build the conformance corpus: ``python tests/conformance/build.py``.

Each case is a small package, whether it is valid, and the problems an implementation must
report for it (JSONPath, rule id, severity). The files are written in the shape of the
JSON-Schema-Test-Suite, so that an implementation in any language can run them:

    [{"description": ..., "schema": "package", "tests": [
        {"description": ..., "data": {...}, "valid": true|false,
         "problems": [{"path": "$.evidence[0].kind", "rule": "schema.enum", "severity": "error"}]}]}]

``problems`` lists every problem, errors and warnings; ``valid`` is false when any is an error.
The committed JSON is the corpus; this script is how it was written (a test checks they agree).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

BASE: dict[str, Any] = {
    "schema_version": "0.2",
    "id": "conformance-base",
    "title": "A small package for conformance tests",
    "publisher": "GB-SC-SC000001",
    "produced": "2025-04-30T12:00:00Z",
    "sharing_level": "partners",
    "extensions": [{"name": "local", "version": "1.0"}],
    "organisations": [
        {"id": "GB-SC-SC000001", "name": "Alpha Carers", "sector": "third", "kind": "charity"},
        {"id": "GB-LAS-XYZ", "name": "Example Council", "sector": "public", "kind": "council"},
    ],
    "activities": [
        {"id": "act-1", "title": "Carer support", "participants": [{"organisation_id": "GB-SC-SC000001", "role": "lead"}],
         "period": {"start": "2024-04-01", "end": "2025-03-31"},
         "funding": [{"funder_id": "GB-LAS-XYZ", "amount": {"amount": 12000, "currency": "GBP"}}]},
    ],
    "outcomes": [
        {"id": "out-1", "title": "Carers look after their own wellbeing", "level": "person",
         "mappings": [{"framework": "scot-nhwo", "code": "6", "relation": "close"}]},
        {"id": "out-2", "title": "Carers get a break", "level": "person", "broader": ["out-1"]},
    ],
    "indicators": [
        {"id": "ind-1", "title": "Breaks provided", "outcome_ids": ["out-2"], "direction": "higher-is-better",
         "aggregation": "per-period", "targets": [{"value": 30}]},
    ],
    "contributions": [
        {"id": "con-1", "organisation_id": "GB-SC-SC000001", "activity_id": "act-1", "outcome_id": "out-1",
         "role": "direct"},
    ],
    "evidence": [
        {"id": "ev-1", "kind": "count", "date": "2025-03-31", "subject": {"type": "cohort", "size": 40},
         "values": [{"code": "breaks", "value": 31, "indicator_id": "ind-1"}]},
        {"id": "ev-2", "kind": "assessment", "date": "2024-11-01", "subject": {"type": "person", "id": "P-0001"},
         "values": [{"code": "health", "value": 6, "scale_min": 1, "scale_max": 10}]},
    ],
    "links": [
        {"id": "lnk-1", "evidence_id": "ev-1", "target_type": "contribution", "target_id": "con-1",
         "relation": "supports", "strength": "strong"},
    ],
}

Mutation = Callable[[dict[str, Any]], None]


def case(description: str, mutate: Mutation, problems: list[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    mutate(data)
    expected = [{"path": path, "rule": rule, "severity": severity} for path, rule, severity in problems or []]
    return {
        "description": description,
        "data": data,
        "valid": not any(p["severity"] == "error" for p in expected),
        "problems": expected,
    }


def _set(path: str, value: Any) -> Mutation:
    """A mutation that sets a dotted/indexed path (``evidence.0.kind``) to *value*."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[int(last) if last.isdigit() else last]

    return mutate


def _all(*mutations: Mutation) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for m in mutations:
            m(data)

    return mutate


def _append(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        for part in path.split("."):
            node = node[int(part)] if part.isdigit() else node[part]
        node.append(copy.deepcopy(value))

    return mutate


E, W = "error", "warning"

GROUPS: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "valid": ("Packages that are valid", [
        case("the base package is valid", lambda d: None),
        case("a package with only the required properties is valid", _all(
            *(_delete(k) for k in ("extensions", "activities", "outcomes", "indicators", "contributions", "evidence",
                                   "links")),
            _set("organisations", [{"id": "GB-SC-SC000001", "name": "Alpha Carers", "sector": "third"}]))),
        case("declared extension data is kept", _set("organisations.0.extension_data", {"local": {"any": [None, []]}})),
        case("an open codelist accepts a new code", _set("organisations.0.kind", "tenants-association")),
        case("a value may be text or yes/no", _all(_set("evidence.0.kind", "survey"),
                                                   _set("evidence.0.values", [{"code": "q1", "value": "often"},
                                                                              {"code": "q2", "value": True}]))),
        case("a unit that names a kind of answer allows text",
             _set("evidence.1.values", [{"code": "band", "value": "high", "unit": "category"}])),
        case("an ongoing period has no end", _delete("activities.0.period.end")),
    ]),
    "schema": ("Structural problems found by the JSON Schema", [
        case("a required property is missing", _delete("title"), [("$.title", "schema.required", E)]),
        case("a required property of an entity is missing", _delete("evidence.0.kind"),
             [("$.evidence[0].kind", "schema.required", E)]),
        case("an unknown property", _set("evidence.0.colour", "red"),
             [("$.evidence[0].colour", "schema.additionalProperties", E)]),
        case("a code outside a closed codelist", _set("evidence.0.kind", "anecdote"),
             [("$.evidence[0].kind", "schema.enum", E)]),
        case("a sharing level outside its codelist", _set("sharing_level", "secret"),
             [("$.sharing_level", "schema.enum", E)]),
        case("another version of the standard", _set("schema_version", "0.3"),
             [("$.schema_version", "schema.const", E)]),
        case("an id with white space", _set("outcomes.0.id", "out 1"),
             [("$.outcomes[0].id", "schema.pattern", E)]),
        case("an id ending in a newline", _set("evidence.1.id", "ev-2\n"),
             [("$.evidence[1].id", "schema.pattern", E)]),
        case("an organisation id that is not in org-id form", _set("organisations.1.id", "council"),
             [("$.organisations[1].id", "schema.pattern", E)]),
        case("an impossible date", _set("evidence.0.date", "2025-02-30"),
             [("$.evidence[0].date", "schema.format", E)]),
        case("a date in another notation", _set("evidence.0.date", "31/03/2025"),
             [("$.evidence[0].date", "schema.format", E)]),
        case("an empty string", _set("outcomes.0.title", ""), [("$.outcomes[0].title", "schema.minLength", E)]),
        case("null instead of leaving a property out", _set("evidence.0.summary", None),
             [("$.evidence[0].summary", "schema.type", E)]),
        case("an empty list instead of leaving it out", _set("outcomes.0.mappings", []),
             [("$.outcomes[0].mappings", "schema.minItems", E)]),
        case("an indicator that measures no outcome", _set("indicators.0.outcome_ids", []),
             [("$.indicators[0].outcome_ids", "schema.minItems", E)]),
        case("the same broader outcome twice", _set("outcomes.1.broader", ["out-1", "out-1"]),
             [("$.outcomes[1].broader", "schema.uniqueItems", E)]),
        case("a number given as text", _set("activities.0.funding.0.amount.amount", "12,000"),
             [("$.activities[0].funding[0].amount.amount", "schema.type", E)]),
        case("a negative amount", _set("activities.0.funding.0.amount.amount", -5),
             [("$.activities[0].funding[0].amount.amount", "schema.minimum", E)]),
        case("an evidence level above 5", _set("evidence.0.evidence_level", 6),
             [("$.evidence[0].evidence_level", "schema.maximum", E)]),
        case("a lower-case currency", _set("activities.0.funding.0.amount.currency", "gbp"),
             [("$.activities[0].funding[0].amount.currency", "schema.pattern", E)]),
        case("extension data with an invalid name", _set("extension_data", {"Local Data": 1}),
             [("$.extension_data", "schema.propertyNames", E)]),
        case("empty extension data", _set("extension_data", {}), [("$.extension_data", "schema.minProperties", E)]),
        case("a list where an object belongs", _set("period", ["2024-04-01", "2025-03-31"]),
             [("$.period", "schema.type", E)]),
    ]),
    "references": ("References between objects", [
        case("an unknown publisher", _set("publisher", "GB-SC-SC999999"), [("$.publisher", "ref-unresolved", E)]),
        case("a contribution to an unknown outcome", _set("contributions.0.outcome_id", "out-9"),
             [("$.contributions[0].outcome_id", "ref-unresolved", E)]),
        case("a contribution through an unknown activity", _set("contributions.0.activity_id", "act-9"),
             [("$.contributions[0].activity_id", "ref-unresolved", E)]),
        case("a reference to an object of the wrong kind", _set("indicators.0.outcome_ids", ["con-1"]),
             [("$.indicators[0].outcome_ids[0]", "ref-unresolved", E)]),
        case("a value for an unknown indicator", _set("evidence.0.values.0.indicator_id", "ind-9"),
             [("$.evidence[0].values[0].indicator_id", "ref-unresolved", E)]),
        case("a link from unknown evidence", _set("links.0.evidence_id", "ev-9"),
             [("$.links[0].evidence_id", "ref-unresolved", E)]),
        case("a link to a missing target", _set("links.0.target_id", "con-9"),
             [("$.links[0].target_id", "link-target-unresolved", E)]),
        case("a link whose target is of another type", _set("links.0.target_type", "outcome"),
             [("$.links[0].target_id", "link-target-unresolved", E)]),
        case("an unknown participant", _set("activities.0.participants.0.organisation_id", "GB-SC-SC000002"),
             [("$.activities[0].participants[0].organisation_id", "ref-unresolved", E),
              ("$.contributions[0].organisation_id", "contributor-not-participant", W)]),
        case("two outcomes with one id", _append("outcomes", {"id": "out-1", "title": "Again", "level": "person"}),
             [("$.outcomes[2].id", "id-unique", E)]),
        case("an extension declared twice", _append("extensions", {"name": "local", "version": "2.0"}),
             [("$.extensions[1].name", "id-unique", E)]),
        case("broader outcomes in a cycle", _set("outcomes.0.broader", ["out-2"]),
             [("$.outcomes[0].broader", "outcome-cycle", E)]),
        case("a contributor who takes no part in the activity", _set("contributions.0.organisation_id", "GB-LAS-XYZ"),
             [("$.contributions[0].organisation_id", "contributor-not-participant", W)]),
    ]),
    "values": ("Periods, dates and values", [
        case("a period that ends before it starts", _set("activities.0.period.end", "2024-03-31"),
             [("$.activities[0].period.end", "period-order", E)]),
        case("a target period that ends before it starts",
             _set("indicators.0.targets.0.period", {"start": "2025-01-01", "end": "2024-12-31"}),
             [("$.indicators[0].targets[0].period.end", "period-order", E)]),
        case("a score above its scale", _set("evidence.1.values.0.value", 11),
             [("$.evidence[1].values[0].value", "value-out-of-scale", E)]),
        case("a score below its scale", _set("evidence.1.values.0.value", 0),
             [("$.evidence[1].values[0].value", "value-out-of-scale", E)]),
        case("text where a scale needs a number", _set("evidence.1.values.0.value", "six"),
             [("$.evidence[1].values[0].value", "value-not-a-number", E)]),
        case("text in a count", _set("evidence.0.values.0", {"code": "breaks", "value": "31 breaks"}),
             [("$.evidence[0].values[0].value", "value-not-a-number", E)]),
        case("text with a unit", _set("evidence.1.values.0", {"code": "people", "value": "46 men", "unit": "people"}),
             [("$.evidence[1].values[0].value", "value-not-a-number", E)]),
        case("text as an indicator's actual",
             _all(_set("evidence.0.kind", "statistic"), _set("evidence.0.values.0.value", "3600 (as of Jan 2019)")),
             [("$.evidence[0].values[0].value", "value-not-a-number", E)]),
        case("a scale upside down", _set("evidence.1.values.0.scale_min", 12),
             [("$.evidence[1].values[0].scale_min", "scale-order", E)]),
        case("evidence dated after the package was produced", _set("evidence.0.date", "2025-05-01"),
             [("$.evidence[0].date", "evidence-after-produced", W)]),
        case("undeclared extension data", _set("evidence.0.extension_data", {"other": {"x": 1}}),
             [("$.evidence[0].extension_data.other", "extension-undeclared", E)]),
        case("an unrecognised org-id prefix", _all(_set("organisations.1.id", "ZZ-ABC-1"),
                                                    _set("activities.0.funding.0.funder_id", "ZZ-ABC-1")),
             [("$.organisations[1].id", "org-id-prefix", W)]),
        case("a company number that lost its leading zero", _all(_set("organisations.1.id", "GB-COH-9506232"),
                                                                 _set("activities.0.funding.0.funder_id",
                                                                      "GB-COH-9506232")),
             [("$.organisations[1].id", "org-id-shape", W)]),
    ]),
    "personal-data": ("Personal data and sharing levels", [
        case("person-level evidence in a public package", _set("sharing_level", "public"),
             [("$.evidence[1].subject.type", "person-data-in-public", E)]),
        case("personal data in a public package", _all(_set("sharing_level", "public"), _delete("evidence.1"),
                                                      _set("evidence.0.sensitivity", "special-category")),
             [("$.evidence[0].sensitivity", "person-data-in-public", E)]),
        case("a small cohort in a public package", _all(_set("sharing_level", "public"), _delete("evidence.1"),
                                                       _set("evidence.0.subject.size", 3)),
             [("$.evidence[0].subject.size", "small-cohort-in-public", W)]),
        case("refused consent in a partners package", _set("evidence.1.consent", "refused"),
             [("$.evidence[1].consent", "consent-refused-shared", E)]),
        case("refused consent is kept in a personal package",
             _all(_set("sharing_level", "personal"), _set("evidence.1.consent", "refused"))),
        case("a CHI number as a person id", _set("evidence.1.subject.id", "0101701234"),
             [("$.evidence[1].subject.id", "person-id-identifiable", E)]),
        case("an email address as a person id", _set("evidence.1.subject.id", "jo@example.org"),
             [("$.evidence[1].subject.id", "person-id-identifiable", E)]),
    ]),
}


_PARTIAL_0_2 = {"format": "north-ayrshire", "partial": True, "errors": 1, "warnings": 0,
                "problems": [{"rule": "form.not-a-number", "severity": "error", "path": "$.indicators[0].targets[0].value",
                              "message": "Section F: target '20 people' is not a number",
                              "source": {"file": "garnock-shed.docx", "section": "F", "table": 6, "row": 2}}]}

GROUPS["conversion"] = ("The conversion block (new in 0.2)", [
    case("a package written from a conversion with errors", _set("conversion", _PARTIAL_0_2),
         [("$.conversion", "conversion.partial", W)]),
    case("a complete conversion", _set("conversion", {"format": "outcomes-star", "partial": False, "errors": 0,
                                                      "warnings": 0})),
    case("a conversion problem of an unknown severity",
         _set("conversion", {**_PARTIAL_0_2, "problems": [{**_PARTIAL_0_2["problems"][0], "severity": "fatal"}]}),
         [("$.conversion.problems[0].severity", "schema.enum", E)]),
])

OLD_GROUPS: dict[str, tuple[str, str, list[dict[str, Any]]]] = {
    "versions": ("Packages of standard 0.1, still read (checked against the frozen 0.1 schemas)", "0.1/package", [
        case("a package of standard 0.1", _set("schema_version", "0.1"),
             [("$.schema_version", "schema-version-old", W)]),
        case("a 0.1 package with a mistake", _all(_set("schema_version", "0.1"), _set("sharing_level", "secret")),
             [("$.sharing_level", "schema.enum", E)]),
        case("a 0.1 package with the 0.2 conversion block",
             _all(_set("schema_version", "0.1"), _set("conversion", _PARTIAL_0_2)),
             [("$.conversion", "schema.additionalProperties", E)]),
        case("a partial 0.1 package (the partial extension)",
             _all(_set("schema_version", "0.1"),
                  _set("extensions", [{"name": "partial", "version": "1.0"}]),
                  _set("extension_data", {"partial": {"format": "north-ayrshire", "errors": 1, "warnings": 0}})),
             [("$.schema_version", "schema-version-old", W), ("$.extension_data.partial", "conversion.partial", W)]),
    ]),
}


def build() -> dict[str, str]:
    """Each corpus file's name and text; ``schema`` names the schema its cases are checked against."""
    files = {
        f"{name}.json": json.dumps([{"description": title, "schema": "package", "tests": tests}], indent=2,
                                   ensure_ascii=False) + "\n"
        for name, (title, tests) in GROUPS.items()
    }
    for name, (title, schema, tests) in OLD_GROUPS.items():
        files[f"{name}.json"] = json.dumps([{"description": title, "schema": schema, "tests": tests}], indent=2,
                                           ensure_ascii=False) + "\n"
    return files


if __name__ == "__main__":
    for file, text in build().items():
        (HERE / file).write_text(text, encoding="utf-8")
        print("wrote", HERE / file)
