"""The free-text rule: identifiers in the text of evidence shared as partners or public are located problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import sharedoutcomes
from sharedoutcomes.serialization import to_json_data
from sharedoutcomes.validation import ValidationProfile, validate

KIRKTON = Path(__file__).parents[1] / "story" / "data" / "kirkton-locality.json"


def _with_texts(level: str) -> dict[str, Any]:
    data: dict[str, Any] = to_json_data(sharedoutcomes.example_package())
    data["sharing_level"] = level
    evidence = {e["id"]: e for e in data["evidence"]}
    evidence["ev-shed-case"]["narrative"] += " His daughter (DOB 3rd March 1990) rings on 07700 900461."
    evidence["ev-shed-quote"]["narrative"] = "Write to me at jim.shed@example.org, KA15 1BZ."
    evidence["ev-shed-winter"]["summary"] = "Bus changes; ref CHI 120456 0110"
    return data


@pytest.mark.parametrize("fast", [True, False])
def test_each_identifier_is_located_in_a_partners_package(fast: bool) -> None:
    report = validate(_with_texts("partners"), fast=fast)

    found = [(p.path, p.message.split(" (")[0]) for p in report.problems if p.rule == "privacy.identifier-in-text"]
    case = next(i for i, e in enumerate(_with_texts("partners")["evidence"]) if e["id"] == "ev-shed-case")
    assert found == [
        (f"$.evidence[{case}].narrative", "the text holds a date of birth"),
        (f"$.evidence[{case}].narrative", "the text holds a phone number"),
        (f"$.evidence[{case + 1}].narrative", "the text holds an email address"),
        (f"$.evidence[{case + 1}].narrative", "the text holds a full postcode"),
        (f"$.evidence[{case + 2}].summary", "the text holds a CHI number"),
    ]
    assert not report.ok
    rendered = report.to_text()
    for raw in ("07700 900461", "jim.shed@example.org", "120456 0110", "1990", "KA15 1BZ"):
        assert raw not in rendered  # the problems say where, never what


def test_the_same_problems_on_both_paths_and_for_public() -> None:
    data = _with_texts("public")
    assert [p.to_dict() for p in validate(data, fast=True).problems] == \
           [p.to_dict() for p in validate(data, fast=False).problems]
    assert sum(p.rule == "privacy.identifier-in-text" for p in validate(data).problems) == 5


def test_a_personal_package_is_not_checked() -> None:
    assert not [p for p in validate(_with_texts("personal")).problems if p.rule == "privacy.identifier-in-text"]


def test_real_shaped_narratives_raise_nothing() -> None:
    """The crafted locality package and the example are written the way services write: dates and numbers, no identifiers."""
    for package in (sharedoutcomes.example_package(), json.loads(KIRKTON.read_text(encoding="utf-8"))):
        assert not [p for p in validate(package).problems if p.rule == "privacy.identifier-in-text"]


def test_a_rule_a_profile_can_regrade() -> None:
    profile = ValidationProfile(name="pilot", severities={"privacy.identifier-in-text": "warning"})
    report = validate(_with_texts("partners"), profile=profile)
    assert {p.severity for p in report.problems if p.rule == "privacy.identifier-in-text"} == {"warning"}
