"""Which path runs: the fast one when the extra is installed, the reference otherwise or on request."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest

import sharedoutcomes
from sharedoutcomes.exceptions import MissingDependency
from sharedoutcomes.validation import _fast, _gate

pytest.importorskip("orjson")
pytest.importorskip("jsonschema_rs")


@pytest.fixture
def without_the_extra(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make ``import orjson`` fail, as on an install without the ``fast`` extra."""
    monkeypatch.setitem(sys.modules, "orjson", None)
    _fast._modules.cache_clear()
    _fast.gate.cache_clear()
    yield
    _fast._modules.cache_clear()
    _fast.gate.cache_clear()


@pytest.fixture
def reference_schema_layer_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count how often the pure-Python schema validator runs."""
    calls: list[int] = []
    original = _gate._validator

    def counting() -> Any:
        calls.append(1)
        return original()

    monkeypatch.setattr(_gate, "_validator", counting)
    return calls


def test_a_valid_package_skips_the_pure_python_schema_layer(reference_schema_layer_calls: list[int]) -> None:
    path = sharedoutcomes.example_package_path()

    assert sharedoutcomes.validate(path).ok
    assert sharedoutcomes.load(path) == sharedoutcomes.example_package()
    assert reference_schema_layer_calls == []


def test_an_invalid_package_is_reported_by_the_reference_layer_for_the_bad_items_only(
        reference_schema_layer_calls: list[int], example_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    example_data["evidence"][3]["kind"] = "anecdote"
    checked: list[tuple[str, Any]] = []
    original = _gate._entity_validator

    class Counting:
        def __init__(self, name: str) -> None:
            self.name = name

        def iter_errors(self, item: Any) -> Any:
            checked.append((self.name, item["id"]))
            return original(self.name).iter_errors(item)

    monkeypatch.setattr(_gate, "_entity_validator", Counting)

    report = sharedoutcomes.validate(example_data)

    assert [(p.rule, p.path) for p in report.errors] == [("schema.enum", "$.evidence[3].kind")]
    assert checked == [("evidence", "ev-shed-quote")]  # the other items were proven valid by the gate
    assert reference_schema_layer_calls == []  # no pass of the reference over the whole document
    assert report.problems == sharedoutcomes.validate(example_data, fast=False).problems


def test_fast_false_takes_the_reference_path(reference_schema_layer_calls: list[int]) -> None:
    assert sharedoutcomes.validate(sharedoutcomes.example_package_path(), fast=False).ok
    assert reference_schema_layer_calls == [1]


def test_the_environment_variable_makes_the_reference_path_the_default(
        monkeypatch: pytest.MonkeyPatch, reference_schema_layer_calls: list[int]) -> None:
    monkeypatch.setenv("SHAREDOUTCOMES_FAST", "0")

    package = sharedoutcomes.load(sharedoutcomes.example_package_path())

    assert reference_schema_layer_calls == [1]
    assert type(package.organisations[0].extension_data) is dict  # built by cattrs, not trusted structuring
    assert sharedoutcomes.validate(sharedoutcomes.example_package_path(), fast=True).ok  # an explicit choice wins
    assert reference_schema_layer_calls == [1]


@pytest.mark.usefixtures("without_the_extra")
def test_without_the_extra_the_reference_path_runs_silently(reference_schema_layer_calls: list[int]) -> None:
    assert not _fast.available()
    assert _fast.parse(b"{}") == (False, None)

    package = sharedoutcomes.load(sharedoutcomes.example_package_path())
    report = sharedoutcomes.validate(sharedoutcomes.example_package_path())

    assert report.ok
    assert package == sharedoutcomes.example_package()
    assert reference_schema_layer_calls == [1, 1, 1]  # load, validate, and example_package's own load


@pytest.mark.usefixtures("without_the_extra")
def test_without_the_extra_asking_for_the_fast_path_says_what_to_install() -> None:
    with pytest.raises(MissingDependency, match=r"sharedoutcomes\[fast\]"):
        sharedoutcomes.validate(sharedoutcomes.example_package_path(), fast=True)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_never_touched(enabled: bool, example_data: dict[str, Any],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """No process-wide side effect: the collector stays as the caller left it, during the call too (issue 17)."""
    seen: list[bool] = []
    schema_valid = _fast.schema_valid

    def spying(data: Any) -> bool:
        seen.append(gc.isenabled())
        return schema_valid(data)

    monkeypatch.setattr(_fast, "schema_valid", spying)
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        sharedoutcomes.load(example_data)
        assert gc.isenabled() is enabled
        example_data["links"][0]["target_id"] = "nowhere"
        with pytest.raises(sharedoutcomes.InvalidDocument):
            sharedoutcomes.load(example_data)
        assert gc.isenabled() is enabled
        sharedoutcomes.validate(json.dumps(example_data))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()

    assert seen == [enabled] * 3
    assert not hasattr(_fast, "gc_paused")
