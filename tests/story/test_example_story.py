"""The hand-worked example (docs/explanation/contribution-story.md), checked figure by figure."""

from __future__ import annotations

import json

import pytest

from sharedoutcomes.frameworks import get_framework
from sharedoutcomes.model import Package
from sharedoutcomes.story import ContributionStory, contribution_story, partnership_story

# code -> [(contribution, rating)], people reached; worked out by hand in the docs page.
EXPECTED = {
    "1": ([("con-shed-connected", "moderate"), ("con-shed-active", "none"), ("con-hscp-shed", "moderate")], 43),
    "2": ([], 0),
    "3": ([], 0),
    "4": ([("con-shed-connected", "moderate"), ("con-shed-active", "none"), ("con-hscp-shed", "moderate")], 43),
    "5": ([], 0),
    "6": ([("con-carers-wellbeing", "moderate"), ("con-carers-breaks", "strong"), ("con-hscp-carers", "none")], 164),
    "7": ([], 0),
    "8": ([], 0),
    "9": ([], 0),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_national_outcome_matches_the_hand_worked_story(example: Package, code: str) -> None:
    story = contribution_story(example, code, framework="scot-nhwo")
    contributions, reached = EXPECTED[code]

    assert [(e.id, e.rating.rating) for e in story.contributions] == contributions
    assert story.reach.total == reached
    assert story.title == get_framework("scot-nhwo").item(code).title
    if not contributions:
        assert [(g.kind, g.subject_id) for g in story.gaps] == [("no-contribution", f"scot-nhwo:{code}")]


def test_partnership_story_has_all_nine_outcomes_in_order(example: Package) -> None:
    story = partnership_story(example)

    assert [s.code for s in story] == [str(n) for n in range(1, 10)]
    assert story.reach.total == 207
    assert sorted((g.kind, g.subject_id) for g in story.gaps) == sorted(
        [("no-evidence", "con-shed-active"), ("no-evidence", "con-hscp-carers")]
        + [("no-contribution", f"scot-nhwo:{c}") for c in "235789"])


def test_partnership_and_single_stories_agree(example: Package) -> None:
    story = partnership_story(example)

    for code in "146":
        single = contribution_story(example, code, framework="scot-nhwo")
        assert story[code].to_dict() == single.to_dict()


def test_the_challenge_is_answered_by_the_later_survey(example: Package) -> None:
    entry = contribution_story(example, "out-connected").contributions[0]

    assert [(c.item.evidence_id, c.answered_by) for c in entry.challenges] == [("ev-shed-winter", ("ev-shed-survey",))]
    assert [i.evidence_id for i in entry.illustrating] == ["ev-shed-case", "ev-shed-quote"]


def test_paths_show_the_broader_route(example: Package) -> None:
    story = contribution_story(example, "6", framework="scot-nhwo")
    breaks = next(e for e in story.contributions if e.id == "con-carers-breaks")

    assert [str(p) for p in breaks.paths] == [
        "out-carer-breaks ⇒ scot-nhwo 6 (broad)",
        "out-carer-breaks → out-carer-wellbeing ⇒ scot-nhwo 6 (close)",
    ]


def test_outcome_evidence_includes_indicator_and_context_links(example: Package) -> None:
    story = contribution_story(example, "6", framework="scot-nhwo")

    assert sorted((i.evidence_id, i.relation) for i in story.outcome_evidence) == [
        ("ev-carers-supported", "supports"), ("ev-carers-survey-national", "contextualises")]


def test_local_story_takes_in_narrower_outcomes(example: Package) -> None:
    story = contribution_story(example, "out-carer-wellbeing")

    assert [e.id for e in story.contributions] == ["con-carers-wellbeing", "con-carers-breaks", "con-hscp-carers"]
    assert [o.id for o in story.outcomes] == ["out-carer-wellbeing", "out-carer-breaks"]
    assert [e.id for e in contribution_story(example, "out-carer-breaks").contributions] == [
        "con-carers-breaks"]


def test_unknown_local_outcome_suggests_a_name(example: Package) -> None:
    with pytest.raises(LookupError, match="Did you mean 'out-connected'"):
        contribution_story(example, "out-conected")


def test_unknown_framework_code_is_an_empty_story_with_a_gap(example: Package) -> None:
    story = contribution_story(example, "42", framework="scot-nhwo")

    assert story.contributions == ()
    assert story.title == "scot-nhwo 42"
    assert story.gaps[0].kind == "no-contribution"


def test_to_dict_is_json_and_keeps_model_objects_canonical(example: Package) -> None:
    data = partnership_story(example).to_dict()
    text = json.dumps(data)

    six = data["stories"][5]
    assert six["code"] == "6"
    assert six["contributions"][0]["contribution"]["outcome_id"] == "out-carer-wellbeing"
    assert six["contributions"][0]["paths"][0]["text"] == "out-carer-wellbeing ⇒ scot-nhwo 6 (close)"
    assert six["contributions"][1]["rating"] == {
        "rating": "strong", "rank": 3,
        "reasons": [{"rule": "best-link", "effect": "set",
                     "text": "strongest supporting link is strong (lnk-9: ev-carers-breaks-q1, count)"}]}
    assert "null" not in json.dumps(six["contributions"][0]["contribution"])
    assert '"period": {"start": "2024-04-01", "end": "2025-03-31"}' in text


def test_dataframes(example: Package) -> None:
    story = partnership_story(example)
    frame = story.to_dataframe()

    assert len(frame) == 15
    assert frame.loc[frame["contribution"] == "con-carers-breaks", "rating"].tolist() == ["strong"]
    assert {"organisation", "activity", "outcome", "paths", "reasons", "unanswered_challenges"} <= set(frame.columns)
    assert story.gaps_dataframe()["kind"].tolist().count("no-evidence") == 2
    single = story["1"].to_dataframe()
    assert single["contribution"].tolist() == ["con-shed-connected", "con-shed-active", "con-hscp-shed"]


def test_dataframe_without_pandas_names_the_extra(example: Package, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"sharedoutcomes\[analysis\]"):
        partnership_story(example).to_dataframe()


def test_reprs_are_short_and_html_views_render(example: Package) -> None:
    story = partnership_story(example)

    assert repr(story) == "<PartnershipStory scot-nhwo: 3 of 9 outcomes have contributions, 8 gaps>"
    for item in (story, story["6"], story["6"].contributions[0]):
        assert len(repr(item)) < 130
    assert "<table" in story._repr_html_()
    html = story["1"]._repr_html_()
    assert "Garnock Valley Men&#x27;s Shed" in html
    assert "no evidence" in html
    assert isinstance(story["2"], ContributionStory)
    assert "<table" not in story["2"]._repr_html_()


def test_partnership_story_for_another_framework_is_empty_but_lists_every_item(example: Package) -> None:
    story = partnership_story(example, "scot-core-suite")

    assert len(story) == 23
    assert not any(s.contributions for s in story)
    assert sum(g.kind == "not-mapped" for g in story.gaps) == 6
