"""Gaps, found on crafted packages: one kind at a time."""

from __future__ import annotations

from typing import Any

import attrs

import sharedoutcomes
from sharedoutcomes.model import Package
from sharedoutcomes.story import contribution_story, partnership_story


def _gaps(package: Package) -> set[tuple[str, str]]:
    return {(g.kind, g.subject_id) for g in partnership_story(package).gaps}


def test_every_kind_of_gap_in_the_crafted_package(kirkton: Package) -> None:
    gaps = _gaps(kirkton)

    assert gaps == {
        ("no-evidence", "con-walks-fitter"),
        ("untested-assumption", "con-walks-fitter"),
        ("unanswered-challenge", "con-befriend-lonely"),
        ("weak-evidence-only", "con-befriend-safe"),
        ("weak-evidence-only", "con-council-befriend"),
        ("not-mapped", "con-advice-income"),
        ("no-contribution", "out-volunteers"),
        *{("no-contribution", f"scot-nhwo:{c}") for c in "235689"},
    }


def test_each_assumption_without_evidence_is_its_own_gap(kirkton: Package) -> None:
    messages = [g.message for g in partnership_story(kirkton).gaps if g.kind == "untested-assumption"]

    assert len(messages) == 2
    assert "'Routes are step-free'" in messages[1]


def test_assumptions_with_supporting_evidence_are_not_gaps(kirkton: Package) -> None:
    story = contribution_story(kirkton, "out-lonely")

    assert story.contributions[0].contribution.assumptions == ("Volunteers stay for at least six months",)
    assert "untested-assumption" not in {g.kind for g in story.gaps}


def test_answering_the_challenge_removes_the_gap(kirkton_data: dict[str, Any]) -> None:
    kirkton_data["evidence"].append(
        {"id": "ev-bef-survey-2", "kind": "survey", "date": "2025-03-10", "activity_id": "act-befriend",
         "subject": {"type": "cohort", "size": 24}})
    kirkton_data["links"].append(
        {"id": "l-99", "evidence_id": "ev-bef-survey-2", "target_type": "contribution",
         "target_id": "con-befriend-lonely", "relation": "supports", "strength": "moderate"})
    package = sharedoutcomes.load(kirkton_data)

    entry = contribution_story(package, "out-lonely").contributions[0]
    assert entry.challenges[0].answered_by == ("ev-bef-survey-2",)
    assert ("unanswered-challenge", "con-befriend-lonely") not in _gaps(package)
    # two moderate surveys are one kind of evidence: no triangulation, so moderate
    assert entry.rating.rating == "moderate"


def test_a_weak_later_link_does_not_answer_a_challenge(kirkton_data: dict[str, Any]) -> None:
    kirkton_data["evidence"].append({"id": "ev-late", "kind": "quote", "date": "2025-03-10", "narrative": "Better now."})
    kirkton_data["links"].append({"id": "l-99", "evidence_id": "ev-late", "target_type": "contribution",
                                  "target_id": "con-befriend-lonely", "relation": "supports", "strength": "weak"})
    package = sharedoutcomes.load(kirkton_data)

    assert ("unanswered-challenge", "con-befriend-lonely") in _gaps(package)


def test_an_outcome_served_only_through_a_narrower_outcome_is_not_a_gap(kirkton_data: dict[str, Any]) -> None:
    kirkton_data["outcomes"].append({"id": "out-confident-walkers", "title": "Volunteer walk leaders feel confident",
                                     "level": "person", "broader": ["out-volunteers"]})
    kirkton_data["contributions"].append({"id": "con-leaders", "organisation_id": "GB-COH-SC777001",
                                          "outcome_id": "out-confident-walkers", "role": "direct"})
    package = sharedoutcomes.load(kirkton_data)
    gaps = _gaps(package)

    assert ("no-contribution", "out-volunteers") not in gaps
    assert ("no-contribution", "scot-nhwo:8") not in gaps  # out-volunteers maps to 8
    assert [e.id for e in contribution_story(package, "8", framework="scot-nhwo").contributions] == ["con-leaders"]


def test_crosswalk_paths_reach_a_national_outcome(kirkton: Package) -> None:
    story = contribution_story(kirkton, "7", framework="scot-nhwo")

    assert [e.id for e in story.contributions] == ["con-befriend-safe"]
    path = story.contributions[0].paths[0]
    assert (path.via, path.relation) == ("crosswalk", "broad")
    assert "talking-points-to-scot-nhwo" in str(path)


def test_a_package_with_no_contributions(example: Package) -> None:
    empty = attrs.evolve(example, contributions=(), links=())
    story = partnership_story(empty)

    assert all(not s.contributions for s in story)
    assert story.reach.total == 0
    assert {g.kind for g in story.gaps} == {"no-contribution"}
    assert len(story.gaps) == 9 + 4  # nine national outcomes and four local ones


def test_a_broader_cycle_does_not_hang(example: Package) -> None:
    outcomes = tuple(attrs.evolve(o, broader=("out-active",)) if o.id == "out-connected" else o
                     for o in example.outcomes)
    cyclic = attrs.evolve(example, outcomes=outcomes)  # invalid data (validation reports the cycle), still handled

    story = contribution_story(cyclic, "out-active")
    assert {e.id for e in story.contributions} == {"con-shed-connected", "con-shed-active", "con-hscp-shed"}
