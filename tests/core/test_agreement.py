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
