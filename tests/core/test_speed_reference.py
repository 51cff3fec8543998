"""The reference schema layer's memory of valid values (issue 13) finds exactly what plain jsonschema finds."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import sharedoutcomes
from sharedoutcomes import schema
from sharedoutcomes.validation import _gate
from tests.performance.test_equivalence import CASES, DELETE, NASTY, _paths, _set


def _plain(name: str = "package") -> Draft202012Validator:
    return Draft202012Validator(schema.get_schema(name), registry=schema.registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def _described(errors: list[Any]) -> list[tuple[Any, ...]]:
    return [(e.json_path, e.message, e.validator, list(e.schema_path), repr(e.instance)) for e in errors]


def assert_same_errors(data: Any) -> None:
    expected = _described(list(_plain().iter_errors(data)))
    assert _described(_gate._errors(_gate._validator(), data)) == expected
    if isinstance(data, dict):
        for collection, entity in _gate.ENTITY_LISTS.items():
            for item in data.get(collection, []) if isinstance(data.get(collection), list) else []:
                assert _described(_gate._errors(_gate._entity_validator(entity), item)) == _described(
                    list(_plain(entity).iter_errors(item)))


def _repeated(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """*data* with the mutation at *path* made in every evidence item when it is an evidence path."""
    parts = path.split(".")
    if parts[0] != "evidence" or len(parts) < 3:
        return _set(data, path, value)
    for index in range(len(data["evidence"])):
        try:
            data = _set(data, ".".join(["evidence", str(index), *parts[2:]]), value)
        except (KeyError, IndexError, TypeError):
            continue
    return data


@pytest.mark.parametrize(("path", "value"), CASES, ids=[f"{p}={v!r}" for p, v in CASES])
def test_every_case_gives_jsonschemas_errors_each_time_it_occurs(
        example_data: dict[str, Any], path: str, value: Any) -> None:
    assert_same_errors(_set(example_data, path, value))
    assert_same_errors(_repeated(example_data, path, value))


def test_a_value_valid_in_one_place_is_still_checked_in_another(example_data: dict[str, Any]) -> None:
    # "person" is a valid subject type, but not an evidence kind; 7 is a valid score, not a valid level.
    data = copy.deepcopy(example_data)
    data["evidence"][1]["kind"] = data["evidence"][0]["subject"]["type"]
    data["evidence"][1]["evidence_level"] = 7
    data["evidence"].append(copy.deepcopy(data["evidence"][0]))
    data["evidence"][-1]["values"] = [*data["evidence"][0]["values"], {**data["evidence"][0]["values"][0], "value": []}]
    assert_same_errors(data)
    assert len(_gate._errors(_gate._validator(), data)) >= 3


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_mutations_give_jsonschemas_errors(data: st.DataObject) -> None:
    document = json.loads(sharedoutcomes.example_package_path().read_text(encoding="utf-8"))
    document["evidence"] = document["evidence"] * 2  # every value occurs at least twice
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        path = data.draw(st.sampled_from(_paths(document)), label="path")
        value = data.draw(st.one_of(st.just(DELETE), NASTY), label="value")
        document = _set(document, path, value)
    assert_same_errors(document)


def test_nothing_is_remembered_between_documents() -> None:
    assert _gate._VALID.get() is None
    _gate._errors(_gate._validator(), json.loads(sharedoutcomes.example_package_path().read_text(encoding="utf-8")))
    assert _gate._VALID.get() is None


# -- the compiled tests of simple property schemas ---------------------------------------------------


def _property_schemas() -> list[tuple[str, str, Any]]:
    """Every property subschema of the published schemas: (schema, property, subschema)."""
    found = []

    def walk(name: str, node: Any) -> None:
        if isinstance(node, dict):
            for prop, sub in (node.get("properties") or {}).items():
                if isinstance(sub, dict):
                    found.append((name, prop, sub))
            for value in node.values():
                walk(name, value)
        elif isinstance(node, list):
            for value in node:
                walk(name, value)

    for name in schema.schema_names():
        walk(name, schema.get_schema(name))
    return found


PROPERTY_SCHEMAS = _property_schemas()
SCALARS = (st.text(max_size=40) | st.from_regex(r"[A-Z]{2}-[A-Z]{2,4}-[0-9A-Za-z]{1,8}", fullmatch=True)
           | st.dates().map(str) | st.sampled_from(["2025-04-01", "2025-04-01T09:30:00Z", "https://example.org/x",
                                                    "person", "partners", "given", "P-1", " ", "", "0.2"])
           | st.integers(-5, 200) | st.floats(allow_nan=True) | st.booleans() | st.none())


def _small_objects() -> list[dict[str, Any]]:
    """Every object of scalars in the example package (subjects, periods, values, provenance …)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if all(not isinstance(v, dict | list) for v in node.values()):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(sharedoutcomes.dump(sharedoutcomes.example_package()))
    return found


@st.composite
def _objects(draw: st.DrawFn) -> dict[str, Any]:
    """An object of the example package, sometimes with a property dropped, added or changed."""
    value = dict(draw(st.sampled_from(_small_objects())))
    change = draw(st.sampled_from(["none", "drop", "add", "set"]))
    if change == "drop" and value:
        value.pop(draw(st.sampled_from(sorted(value))))
    elif change == "add":
        value[draw(st.sampled_from(["type", "id", "size", "start", "end", "row", "code", "value", "extra"]))] = (
            draw(SCALARS))
    elif change == "set" and value:
        value[draw(st.sampled_from(sorted(value)))] = draw(SCALARS)
    return value


def _compiled(name: str, subschema: Any) -> Any:
    # A validator rooted at the subschema's own document, so that its relative references resolve as they do there.
    validator = _gate._Reference(_gate._undeclared(schema.get_schema(name)), registry=_gate._registry(),
                                 format_checker=Draft202012Validator.FORMAT_CHECKER)
    return _gate._simple_test(validator._resolver, validator.format_checker, subschema)


def test_the_usual_scalar_properties_have_a_compiled_test() -> None:
    compiled = [(n, p) for n, p, sub in PROPERTY_SCHEMAS if _compiled(n, sub) is not None]
    # ids, dates, codelist values, texts, numbers, and objects of them: most properties of the evidence are simple.
    assert {("evidence", "id"), ("evidence", "date"), ("evidence", "kind"), ("package", "sharing_level"),
            ("evidence", "subject"), ("evidence", "provenance"), ("evidence", "period")} <= set(compiled)
    assert len(compiled) > 50


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(PROPERTY_SCHEMAS), value=SCALARS | _objects())
def test_a_compiled_test_passes_only_what_jsonschema_finds_valid(case: tuple[str, str, Any], value: Any) -> None:
    name, _prop, subschema = case
    test = _compiled(name, subschema)
    if test is not None and test(value):
        document = _plain(name)
        plain = document.evolve(schema=subschema, _resolver=document._resolver)
        assert list(plain.iter_errors(value)) == [], (case, value)


def _mutations(value: dict[str, Any]) -> list[dict[str, Any]]:
    out = [value]
    for name in value:
        out.append({k: v for k, v in value.items() if k != name})  # a property dropped
        out.extend({**value, name: other} for other in ("", " ", 0, -1, True, None, "x y", "2025-13-01"))
    out.extend({**value, extra: "x"} for extra in ("extra", "type", "end"))
    return out


def test_the_compiled_tests_of_objects_pass_only_what_jsonschema_finds_valid() -> None:
    objects = [m for value in _small_objects() for m in _mutations(value)]
    passed = 0
    for name, _prop, subschema in PROPERTY_SCHEMAS:
        test = _compiled(name, subschema)
        if test is None:
            continue
        document = _plain(name)
        plain = document.evolve(schema=subschema, _resolver=document._resolver)
        for value in objects:
            if test(value):
                passed += 1
                assert list(plain.iter_errors(value)) == [], (name, _prop, value)
    assert passed > 100  # the tests did pass objects: subjects, periods, values, provenance of the example
