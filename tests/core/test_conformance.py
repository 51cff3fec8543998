"""The conformance corpus (tests/conformance/) run against this implementation."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

import sharedoutcomes
from sharedoutcomes.serialization import from_json_data

CORPUS = Path(__file__).parents[1] / "conformance"


def _cases(*, schema_valid_only: bool = False) -> list[Any]:
    cases = []
    for file in sorted(CORPUS.glob("*.json")):
        for group in json.loads(file.read_text(encoding="utf-8")):
            for test in group["tests"]:
                if schema_valid_only and (group["schema"] != "package"  # the model is the current version
                                          or any(p["rule"].startswith("schema.") for p in test["problems"])):
                    continue
                cases.append(pytest.param(test, id=f"{file.stem}: {test['description']}"))
    return cases


@pytest.mark.parametrize("case", _cases())
def test_reports_exactly_the_expected_problems(case: dict[str, Any]) -> None:
    report = sharedoutcomes.validate(case["data"])

    got = sorted((p.path, p.rule, p.severity) for p in report.problems)
    expected = sorted((p["path"], p["rule"], p["severity"]) for p in case["problems"])
    assert got == expected
    assert report.ok is case["valid"]


@pytest.mark.parametrize("case", _cases(schema_valid_only=True))
def test_what_passes_the_schema_parses_into_the_model(case: dict[str, Any]) -> None:
    """Model and schema agree on the corpus: schema-clean data structures and dumps back unchanged."""
    package = from_json_data(case["data"], sharedoutcomes.Package)

    assert sharedoutcomes.dump(package) == case["data"]


def test_the_corpus_is_what_its_builder_writes() -> None:
    spec = importlib.util.spec_from_file_location("conformance_build", CORPUS / "build.py")
    assert spec is not None
    assert spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)

    for name, text in builder.build().items():
        assert (CORPUS / name).read_text(encoding="utf-8") == text, f"run python tests/conformance/build.py ({name})"


def test_every_rule_is_exercised_by_the_corpus() -> None:
    rules = {p["rule"] for case in _cases() for p in case.values[0]["problems"]}

    assert set(sharedoutcomes.rules()) <= rules
