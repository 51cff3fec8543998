"""Validation knows instruments: values checked against items and scales, on the fast and the reference path alike."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharedoutcomes
import sharedoutcomes.instruments

KIRKTON = Path(__file__).parent.parent / "story" / "data" / "kirkton-locality.json"
FAST = [False, True] if importlib.util.find_spec("jsonschema_rs") and importlib.util.find_spec("orjson") else [False]


def _package(*evidence: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": "0.2", "id": "pkg-instruments", "title": "Wellbeing measures", "publisher": "GB-SC-SC099001",
        "produced": "2025-01-31T10:00:00Z", "sharing_level": "personal",
        "organisations": [{"id": "GB-SC-SC099001", "name": "Kirkton Befriending", "sector": "third"}],
        "evidence": list(evidence),
    }


def _evidence(identifier: str, instrument: str, values: list[dict[str, Any]], row: int = 2) -> dict[str, Any]:
    return {"id": identifier, "kind": "survey", "date": "2024-05-02", "subject": {"type": "person", "id": "KB-0001"},
            "instrument": instrument, "values": values,
            "provenance": {"file": "wellbeing.xlsx", "sheet": "Responses", "row": row}}


def _rules(report: sharedoutcomes.Report) -> list[tuple[str, str]]:
    return [(p.rule, p.path) for p in report.problems]


@pytest.mark.parametrize("fast", FAST)
def test_a_wemwbs_total_of_75_is_an_impossible_total_located_in_the_source(fast: bool) -> None:
    data = _package(_evidence("ev-1", "WEMWBS", [{"code": "total", "value": 75}], row=7))
    report = sharedoutcomes.validate(data, fast=fast)
    assert _rules(report) == [("instrument.impossible-total", "$.evidence[0].values[0].value")]
    assert str(report.problems[0].source) == "wellbeing.xlsx, sheet 'Responses', row 7"


@pytest.mark.parametrize("fast", FAST)
def test_items_outside_their_scale_unknown_codes_and_disagreeing_totals(fast: bool) -> None:
    items = [{"code": f"gad7-{i}", "value": 2} for i in range(1, 8)]
    items[3]["value"] = 4
    data = _package(
        _evidence("ev-1", "gad7", [*items, {"code": "gad7-8", "value": 1}]),
        _evidence("ev-2", "phq9", [*({"code": f"phq9-{i}", "value": 1} for i in range(1, 10)),
                                   {"code": "total", "value": 12}]),
        _evidence("ev-3", "SWEMWBS", [{"code": "swemwbs-metric", "value": 17.5}]),
    )
    report = sharedoutcomes.validate(data, fast=fast)
    assert sorted(_rules(report), key=lambda r: r[1]) == [
        ("instrument.impossible-value", "$.evidence[0].values[3].value"),
        ("instrument.unknown-item", "$.evidence[0].values[7].code"),
        ("instrument.total-mismatch", "$.evidence[1].values[9].value"),
        ("instrument.impossible-total", "$.evidence[2].values[0].value"),
    ]
    assert not report.ok


def test_a_value_with_its_own_scale_is_checked_once_not_twice() -> None:
    data = _package(_evidence("ev-1", "wemwbs", [{"code": "wemwbs-1", "value": 6, "scale_min": 1, "scale_max": 5},
                                                 {"code": "wemwbs-2", "value": 3, "scale_min": 0, "scale_max": 4}]))
    assert sorted(_rules(sharedoutcomes.validate(data, fast=False)), key=lambda r: r[1]) == [
        ("value-out-of-scale", "$.evidence[0].values[0].value"),
        ("instrument.scale-mismatch", "$.evidence[0].values[1]"),
    ]


def test_evidence_on_an_unregistered_instrument_is_left_to_the_semantic_rules() -> None:
    data = _package(_evidence("ev-1", "Local mood check", [{"code": "q1", "value": 99}]))
    assert sharedoutcomes.validate(data, fast=False).problems == ()


def test_the_real_shaped_kirkton_package_passes_and_a_planted_fault_is_found() -> None:
    data = json.loads(KIRKTON.read_text(encoding="utf-8"))
    before = [p for p in sharedoutcomes.validate(data, fast=False).problems if p.rule.startswith("instrument.")]
    assert before == []  # its SWEMWBS metrics are values of the published table
    broken = copy.deepcopy(data)
    index = next(i for i, e in enumerate(broken["evidence"]) if e.get("instrument") == "SWEMWBS")
    broken["evidence"][index]["values"][0]["value"] = 17.5
    after = [p for p in sharedoutcomes.validate(broken, fast=False).problems if p.rule.startswith("instrument.")]
    assert [(p.rule, p.path) for p in after] == [("instrument.impossible-total", f"$.evidence[{index}].values[0].value")]


@pytest.mark.skipif(len(FAST) == 1, reason="the fast extra is not installed")
def test_the_fast_and_reference_paths_agree_on_instrument_problems() -> None:
    data = _package(
        _evidence("ev-1", "ons4", [{"code": "life-satisfaction", "value": 11}, {"code": "anxiety", "value": 3}]),
        _evidence("ev-2", "outcomes-star/recovery-star/4", [{"code": "trust-and-hope", "value": 12},
                                                           {"code": "no-such-area", "value": 3}]),
    )
    fast, reference = sharedoutcomes.validate(data, fast=True), sharedoutcomes.validate(data, fast=False)
    assert fast.problems == reference.problems
    assert sorted(p.rule for p in reference.problems) == ["instrument.impossible-value", "instrument.impossible-value",
                                                          "instrument.unknown-item"]


_INSTRUMENTS = ("wemwbs", "SWEMWBS", "ons4", "UCLA-3", "gad7", "phq9", "outcomes-star/recovery-star/4")


@st.composite
def _values(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]]]:
    name = draw(st.sampled_from(_INSTRUMENTS))
    instrument = sharedoutcomes.instruments.get(name)
    codes = st.sampled_from([*(i.code for i in instrument.items), "total", "metric", "not-an-item"])
    number = st.one_of(st.integers(-3, 80), st.floats(-5, 80, allow_nan=False), st.sampled_from(["3", "often"]))
    values = draw(st.lists(st.fixed_dictionaries({"code": codes, "value": number}), min_size=1, max_size=16))
    return name, values


@settings(max_examples=60, suppress_health_check=list(HealthCheck))
@given(_values())
def test_any_values_on_an_instrument_get_the_same_problems_on_both_paths(case: tuple[str, list[dict[str, Any]]]) -> None:
    name, values = case
    data = _package(_evidence("ev-1", name, values))
    reference = sharedoutcomes.validate(data, fast=False)
    assert all(p.path.startswith("$.evidence[0].values[") for p in reference.problems)
    if len(FAST) == 2:
        assert sharedoutcomes.validate(data, fast=True).problems == reference.problems
