"""The shortcuts the fast object path takes (issue 13) give the answers of the long way round."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharedoutcomes import example_package, schema
from sharedoutcomes.instruments import check_values, registry
from sharedoutcomes.serialization import dump
from sharedoutcomes.validation import _evidence as evidence_pass
from sharedoutcomes.validation import load, validate
from sharedoutcomes.validation._context import Context
from sharedoutcomes.validation._evidence import check_evidence
from sharedoutcomes.validation._shape import MAX_DEPTH

pytest.importorskip("orjson")
pytest.importorskip("jsonschema_rs")


# -- the depth of a package the gate has proven valid -------------------------------------------


def _free_places(node: Any, where: str, seen: set[int], resolver: Any) -> list[str]:
    """Where a subschema allows values of any depth: an object open to other properties, an array of untyped items."""
    if not isinstance(node, dict) or id(node) in seen:
        return []
    seen.add(id(node))
    found = []
    if "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        found += _free_places(resolved.contents, where, seen, resolved.resolver)
    kinds = node.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    if "object" in kinds and node.get("additionalProperties") is not False and node.get("title") != "Extension data":
        found.append(where)
    if "array" in kinds and not (isinstance(node.get("items"), dict) and ({"type", "$ref"} & set(node["items"]))):
        found.append(where)
    for name, sub in node.get("properties", {}).items():
        found += _free_places(sub, f"{where}.{name}", seen, resolver)
    if isinstance(node.get("items"), dict):
        found += _free_places(node["items"], f"{where}[]", seen, resolver)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for k, sub in enumerate(node.get(keyword, ())):
            found += _free_places(sub, f"{where}/{keyword}/{k}", seen, resolver)
    return found


def test_the_schema_bounds_the_depth_of_everything_but_extension_data() -> None:
    # What extension_depth_problems relies on: outside extension data, a valid package cannot nest deeply.
    package = schema.get_schema("package")
    assert _free_places(package, "$", set(), schema.registry().resolver(package["$id"])) == []


def _nested(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize("where", ["package", "evidence"])
def test_deep_extension_data_of_a_valid_package_is_found_on_both_paths(where: str) -> None:
    data = dump(example_package())
    data["extensions"] = [*data.get("extensions", []), {"name": "local", "version": "1"}]
    # The package is level 1, its extension_data 2, the extension's value 3 (an evidence item's: 3 more).
    offset = 3 if where == "package" else 5
    for levels, expected in ((MAX_DEPTH - offset + 1, []), (MAX_DEPTH - offset + 2, ["json-too-deep"])):
        owner = data if where == "package" else data["evidence"][0]
        owner["extension_data"] = {"local": _nested(levels)}
        text = json.dumps(data)
        fast, reference = validate(text, fast=True), validate(text, fast=False)
        assert [p.rule for p in fast.problems if p.severity == "error"] == expected
        assert [(p.rule, p.path, p.message) for p in fast.problems] == [
            (p.rule, p.path, p.message) for p in reference.problems]


# -- values on a registered instrument -------------------------------------------------------------

def _instrument_ids() -> list[str]:
    known = registry()
    return sorted(known.ids())


@st.composite
def _values(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]]]:
    """An instrument, and values that are mostly its items' codes and answers, sometimes not."""
    instrument_id = draw(st.sampled_from(_instrument_ids()))
    instrument = registry().find(instrument_id)
    assert instrument is not None
    codes = [item.code for item in instrument.items]
    extra = [s.code for s in (instrument.total, instrument.metric) if s is not None] + ["unknown-area"]
    values = []
    for _ in range(draw(st.integers(1, len(codes) + 1))):
        code = draw(st.sampled_from(codes) if draw(st.integers(0, 9)) else st.sampled_from(extra))
        item = instrument.item(code)
        low, high = (item.minimum, item.maximum) if item is not None else (0, 100)
        value: dict[str, Any] = {"code": code, "value": draw(st.one_of(
            st.integers(low - 1, high + 1), st.floats(low - 1, high + 1), st.sampled_from([True, "3"])))}
        scale = draw(st.sampled_from([None, (low, high), (low, high + 1), (float(low), float(high)), (None, high)]))
        if scale is not None:
            if scale[0] is not None:
                value["scale_min"] = scale[0]
            value["scale_max"] = scale[1]
        values.append(value)
    return instrument_id, values


def _instrument_problems(instrument_id: str, values: list[dict[str, Any]]) -> list[Any]:
    data = {"sharing_level": "personal", "produced": "2026-01-01T00:00:00Z", "evidence": [
        {"id": "ev-1", "kind": "assessment", "instrument": instrument_id, "values": values}]}
    return Context(data, check_evidence).evidence.instruments


@given(_values())
def test_the_evidence_pass_reports_what_check_values_reports(case: tuple[str, list[dict[str, Any]]]) -> None:
    # The pass decides in its one loop over the values when check_values has nothing to say; whatever it decides,
    # its instrument problems are check_values's own.
    instrument = registry().find(case[0])
    assert instrument is not None
    assert _instrument_problems(*case) == check_values(instrument, case[1], ["evidence", 0, "values"])


def test_the_usual_star_reading_is_decided_in_scale_and_a_wrong_one_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    instrument = registry().find("outcomes-star/recovery-star/4")
    assert instrument is not None
    calls: list[int] = []

    def counted(*args: Any) -> list[Any]:
        calls.append(1)
        return check_values(*args)

    monkeypatch.setattr(evidence_pass, "check_values", counted)
    reading = [{"code": item.code, "value": 5, "scale_min": 1, "scale_max": 10} for item in instrument.items]
    assert _instrument_problems(instrument.id, reading) == []
    assert calls == []
    bare = [{"code": value["code"], "value": value["value"]} for value in reading]  # no scale of their own
    assert _instrument_problems(instrument.id, bare) == []
    assert calls == []
    wrong = _instrument_problems(instrument.id, [*bare[:-1], {**bare[-1], "value": 11}])
    assert [p.rule for p in wrong] == ["instrument.impossible-value"]
    assert len(calls) == 1
    # An item by its label rather than its own code: left to check_values (which knows it), not decided in the loop.
    by_label = _instrument_problems(instrument.id, [*reading[:-1], {**reading[-1], "code": "Trust and hope"}])
    assert by_label == []
    assert len(calls) == 2
    unknown = _instrument_problems(instrument.id, [*bare[:-1], {**bare[-1], "code": "not-an-area"}])
    assert [p.rule for p in unknown] == ["instrument.unknown-item"]
    assert len(calls) == 3


# -- equal scalar-only values shared by trusted structuring ------------------------------------


@pytest.mark.parametrize("fast", [True, False], ids=["trusted structuring", "reference (cattrs)"])
def test_equal_values_are_one_object_but_equal_numbers_of_other_types_are_not_conflated(fast: bool) -> None:
    data = dump(example_package())
    data["sharing_level"] = "personal"
    answers: list[Any] = [1, 1.0, True, 0, -0.0, 0.0, "1", 1, True, -0.0, 0]
    data["evidence"] = [
        {"id": f"ev-{k}", "kind": "measurement", "values": [{"code": "steps", "value": answer},
                                                             {"code": "steps", "value": 1}]}
        for k, answer in enumerate(answers)]
    data.pop("links", None)
    text = json.dumps(data)

    built, other = load(text, fast=fast), load(text, fast=not fast)

    assert built == other
    assert [repr(e.values[0].value) for e in built.evidence] == [repr(answer) for answer in answers]
    assert json.dumps(dump(built)) == json.dumps(dump(other)) == json.dumps(data)
    ones = [e.values[1] for e in built.evidence]
    assert all(value is ones[0] for value in ones)  # built once, shared: model objects are frozen
    assert built.evidence[0].values[0] is ones[0]  # the first answer is the integer 1 too
    assert built.evidence[2].values[0] is not ones[0]  # True is equal to 1, but another value
    zeros = [e.values[0] for e in built.evidence if repr(e.values[0].value) in ("-0.0", "0.0")]
    assert len({id(value) for value in zeros}) == len(zeros)  # a value holding a float is never shared


# -- free text searched once per distinct text -------------------------------------------------------


def test_a_repeated_text_with_an_identifier_is_reported_wherever_it_occurs() -> None:
    data = dump(example_package())
    data["sharing_level"] = "partners"
    phone = "Call me on 07700 900461"
    for evidence in data["evidence"][:3]:
        evidence["summary"] = phone
        evidence["subject"] = {"type": "cohort", "size": 12, "description": phone}
        evidence["values"] = [{"code": "said", "value": phone}, {"code": "score", "value": 3}]
        evidence.pop("instrument", None)
    found = [p.path for p in validate(data).problems if p.rule == "privacy.identifier-in-text"]
    assert found == [f"$.evidence[{i}].{place}" for i in range(3)
                     for place in ("summary", "subject.description", "values[0].value")]


def test_the_reference_structuring_remembers_nothing_between_calls() -> None:
    from sharedoutcomes.model import EvidenceValue
    from sharedoutcomes.serialization import from_json_data

    data = {"code": "steps", "value": 1}
    assert from_json_data(data, EvidenceValue) is not from_json_data(data, EvidenceValue)
    with pytest.raises(ValueError, match="code"):  # the attrs validators still run on what is built
        from_json_data({"code": "", "value": 1}, EvidenceValue)
