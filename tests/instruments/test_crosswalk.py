"""The instruments → National Health and Wellbeing Outcomes crosswalk, and evidence on an instrument reaching them."""

from __future__ import annotations

import json
from pathlib import Path

import sharedoutcomes
from sharedoutcomes.frameworks import get_framework
from sharedoutcomes.frameworks.crosswalks import get_crosswalk, national_outcomes
from sharedoutcomes.instruments import registry

KIRKTON = Path(__file__).parent.parent / "story" / "data" / "kirkton-locality.json"


def test_every_survey_instrument_is_mapped_with_a_rationale_to_outcomes_that_exist() -> None:
    crosswalk = get_crosswalk("instruments-to-scot-nhwo")
    nhwo = get_framework("scot-nhwo")
    survey = {i.id for i in registry() if i.family is None}
    assert set(crosswalk.sources) == survey
    for mapping in crosswalk.mappings:
        assert mapping.target in nhwo
        assert len(mapping.rationale) > 40
        assert not mapping.confirmed  # editorial defaults, not an official mapping
    wellbeing = {m.target for m in crosswalk.mappings if m.source in ("wemwbs", "swemwbs") and m.relation == "broad"}
    assert wellbeing == {"1"}  # mental wellbeing → outcome 1, as the issue asks


def test_evidence_on_swemwbs_reaches_outcome_1_through_the_crosswalk() -> None:
    package = sharedoutcomes.load(json.loads(KIRKTON.read_text(encoding="utf-8")), fast=False)
    evidence = next(e for e in package.evidence if e.instrument == "SWEMWBS")
    paths = [p for p in national_outcomes(package, evidence.id) if any(s.kind == "instrument" for s in p.steps)]
    assert [(p.code, p.relation) for p in paths] == [("1", "broad"), ("4", "related")]
    assert [str(s) for s in paths[0].steps][1:] == [
        "instrument swemwbs", "crosswalk instruments-to-scot-nhwo (swemwbs → 1, broad)"]
    assert paths[0].rationale is not None
    assert "mental wellbeing" in paths[0].rationale
