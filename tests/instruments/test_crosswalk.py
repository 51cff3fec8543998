"""The instruments → National Health and Wellbeing Outcomes crosswalk, and evidence on an instrument reaching them."""

from __future__ import annotations

import json
from pathlib import Path

import sharedoutcomes
from sharedoutcomes.frameworks import get_framework
from sharedoutcomes.frameworks.crosswalks import get_crosswalk, link_instrument_responses, national_outcomes
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


def test_responses_on_instruments_are_linked_to_national_outcomes_and_contributions() -> None:
    package = sharedoutcomes.load(KIRKTON)
    linked = link_instrument_responses(package, asserted_by="GB-SC-SC099001")
    new = linked.links[len(package.links):]
    swemwbs = {e.id for e in package.evidence if e.instrument == "SWEMWBS"}
    assert {link.evidence_id for link in new} == swemwbs
    to_outcome_1 = [link for link in new if link.target_type == "outcome" and link.target_id.endswith("-1")]
    assert {link.relation for link in to_outcome_1} == {"supports"}
    assert all(link.rationale.startswith("Crosswalk instruments-to-scot-nhwo: swemwbs → scot-nhwo 1 (broad)")
               for link in to_outcome_1)
    assert sharedoutcomes.validate(linked).ok
    assert link_instrument_responses(linked).links == linked.links  # links are not repeated
