"""Trusted structuring builds packages equal to the reference's, sharing what it safely can."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import sharedoutcomes
from sharedoutcomes import testing
from sharedoutcomes._structure import EMPTY_EXTENSION_DATA, build_package
from sharedoutcomes.serialization import from_json_data

DATA = Path(__file__).parent / "data"


@settings(suppress_health_check=list(HealthCheck), max_examples=30)
@given(testing.packages(max_size=3))
def test_trusted_structuring_equals_cattrs_with_the_same_types_and_round_trips(package: sharedoutcomes.Package) -> None:
    data = sharedoutcomes.dump(package)

    built = build_package(data, owned=False)

    assert built == from_json_data(data, sharedoutcomes.Package) == package
    assert _types(built) == _types(package)
    assert sharedoutcomes.dump(built) == data
    assert sharedoutcomes.load(sharedoutcomes.dumps(package)) == package


def _types(obj: Any) -> Any:
    if attrs.has(type(obj)):
        return (type(obj).__name__, {f.name: _types(getattr(obj, f.name)) for f in attrs.fields(type(obj))})
    if isinstance(obj, tuple):
        return ("tuple", [_types(item) for item in obj])
    if isinstance(obj, dict):
        return ("dict", {key: _types(value) for key, value in obj.items()})  # an empty shared dict is a dict
    return type(obj).__name__


def test_repeated_strings_and_dates_are_shared_but_ids_are_not_looked_up() -> None:
    package = sharedoutcomes.load((DATA / "awkward-package.json").read_bytes())
    first, second = package.evidence[0], package.evidence[1]

    assert first.values[0].code is second.values[0].code
    assert first.values[0].label is second.values[0].label
    assert first.subject is not None
    assert second.subject is not None
    assert first.subject.id is second.subject.id  # a person's pseudonymous id repeats across readings
    assert first.date is second.date
    assert first.kind is second.kind


def test_the_shared_empty_extension_data_behaves_like_an_empty_dict() -> None:
    package = sharedoutcomes.load(sharedoutcomes.example_package_path())
    empty = package.organisations[0].extension_data

    assert empty is EMPTY_EXTENSION_DATA
    assert empty == {}
    assert repr(empty) == "{}"
    assert isinstance(empty, dict)
    assert json.dumps(empty) == "{}"
    assert pickle.loads(pickle.dumps(package)) == package
    assert copy.deepcopy(package) == package
    assert attrs.evolve(package.organisations[0], extension_data={"nacvs": {"a": 1}}).extension_data == {
        "nacvs": {"a": 1}}
    assert empty | {"a": 1} == {"a": 1}
    with pytest.raises(TypeError, match="immutable"):
        empty["nacvs"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        empty.update(a=1)  # type: ignore[attr-defined]
    assert empty == {}


def test_extension_data_given_as_a_dict_is_copied_not_shared(example_data: dict[str, Any]) -> None:
    reference = sharedoutcomes.load(copy.deepcopy(example_data), fast=False)
    package = sharedoutcomes.load(example_data)

    example_data["organisations"][1]["extension_data"]["nacvs"]["volunteers"] = 999

    assert package.organisations[1].extension_data["nacvs"]["volunteers"] == 14
    assert package == reference


@pytest.mark.parametrize("name", ["awkward-package.json", "big-numbers-package.json"])
def test_awkward_files_build_equal_packages_with_equal_types(name: str) -> None:
    raw = (DATA / name).read_bytes()

    fast, reference = sharedoutcomes.load(raw, fast=True), sharedoutcomes.load(raw, fast=False)

    assert fast == reference
    assert _types(fast) == _types(reference)
