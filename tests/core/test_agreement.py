"""The attrs model and the published JSON Schemas never disagree, in either direction."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

import sharedoutcomes
from sharedoutcomes import model, testing
from sharedoutcomes.serialization import from_json_data, to_json_data
from sharedoutcomes.validation import iter_problems

from ._bundle import bundled

ENTITIES = {cls.__schema_name__: cls for cls in (*model.ENTITY_CLASSES,)}


@given(testing.packages())
def test_every_model_package_is_valid_json_that_parses_back_equal(package: sharedoutcomes.Package) -> None:
    data = sharedoutcomes.dump(package)
    text = sharedoutcomes.dumps(package)

    assert sharedoutcomes.validate(data).problems == ()
    assert from_json_data(data, sharedoutcomes.Package) == package
    assert sharedoutcomes.load(text) == package


@given(testing.packages(sharing_level="public"))
def test_generated_public_packages_hold_no_person_level_data(package: sharedoutcomes.Package) -> None:
    assert all(e.subject is None or e.subject.type != "person" for e in package.evidence)
    assert sharedoutcomes.validate(package).ok


@pytest.mark.parametrize("name", sorted(ENTITIES))
def test_every_document_an_entity_schema_accepts_parses_and_serialises_back_unchanged(name: str) -> None:
    cls = ENTITIES[name]

    @settings(suppress_health_check=list(HealthCheck), max_examples=60)
    @given(from_schema(bundled(name)))
    def check(document: dict[str, Any]) -> None:
        obj = from_json_data(document, cls)
        assert to_json_data(obj) == document

    check()


@settings(suppress_health_check=list(HealthCheck), max_examples=40)
@given(from_schema(bundled("package")))
def test_every_document_the_package_schema_accepts_parses_and_serialises_back_unchanged(document: dict[str, Any]) -> None:
    assert not [p for p in iter_problems(document) if p.rule.startswith("schema.")]
    package = from_json_data(document, sharedoutcomes.Package)

    assert sharedoutcomes.dump(package) == document
    assert json.loads(sharedoutcomes.dumps(package)) == document


@given(st.sampled_from(["", " ", "a b", "ev-1\n"]))
def test_the_model_rejects_what_the_schema_rejects_for_ids(bad: str) -> None:
    with pytest.raises(ValueError, match="'id'"):
        sharedoutcomes.Outcome(id=bad, title="t", level="person")


def test_the_model_rejects_empty_text_like_the_schema() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        sharedoutcomes.Outcome(id="o", title="", level="person")
    with pytest.raises(ValueError, match="items of 'assumptions'"):
        sharedoutcomes.Contribution(id="c", organisation_id="GB-SC-1", outcome_id="o", role="direct",
                                    assumptions=("",))


def test_the_model_rejects_closed_codes_like_the_schema() -> None:
    with pytest.raises(ValueError, match="'kind' must be in"):
        sharedoutcomes.Evidence(id="e", kind="anecdote")


def test_model_objects_are_frozen_and_hashable() -> None:
    package = sharedoutcomes.example_package()

    with pytest.raises(AttributeError):
        package.title = "changed"  # type: ignore[misc]
    assert hash(package.outcomes[0]) == hash(package.outcomes[0])
    assert isinstance(package.evidence, tuple)


# -- the fast and reference paths agree on odd input too (issue 17) ------------------------------------


def _problems(source: Any, *, fast: bool) -> list[tuple[Any, ...]]:
    return [(p.rule, p.severity, p.path, p.message, p.source) for p in sharedoutcomes.validate(source, fast=fast).problems]


_ODD_TEXTS = [
    "[]", "1", "null", '"x"', "true", "{}", "[" * 2000 + "]" * 2000, '{"a":' * 300 + "1" + "}" * 300,
    '{"a": ' + "9" * 5000 + "}", '{"a": NaN}', '{"a": [Infinity, -Infinity, 1e400]}', "\x00ÿ", "{\"a\": 1,}",
]


@pytest.mark.parametrize("text", _ODD_TEXTS, ids=range(len(_ODD_TEXTS)))
def test_both_paths_report_odd_text_alike(text: str) -> None:
    pytest.importorskip("orjson")
    assert _problems(text, fast=True) == _problems(text, fast=False)
    if not text.startswith("\x00"):
        raw = text.encode()
        assert _problems(raw, fast=True) == _problems(raw, fast=False)


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every object and array in *node*."""
    found = [path]
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, item in items:
        if isinstance(item, dict | list):
            found.extend(_containers(item, (*path, key)))
    return found


@given(st.data(), st.sampled_from(["nan", "inf", "-inf", "long"]).map(lambda k: 10 ** 5000 if k == "long" else float(k)))
def test_both_paths_find_numbers_json_cannot_hold_alike(data: st.DataObject, odd: Any) -> None:
    """Wherever the number is put (replacing a value, or added to an object or an array), both paths say the same."""
    pytest.importorskip("orjson")
    document = sharedoutcomes.dump(sharedoutcomes.example_package())
    path = data.draw(st.sampled_from(_containers(document)))
    node: Any = document
    for key in path:
        node = node[key]
    if isinstance(node, list):
        node.insert(data.draw(st.integers(0, len(node))), odd)
    else:
        node[data.draw(st.sampled_from([*node, "added"]))] = odd

    fast, reference = _problems(document, fast=True), _problems(document, fast=False)

    assert fast == reference
    assert [p[0] for p in reference] == ["number-not-finite" if isinstance(odd, float) else "json-number-too-large"]
