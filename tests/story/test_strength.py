"""The strength rating rules, one by one, then through a real package."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sharedoutcomes.model import Package
from sharedoutcomes.story import RATING_RULES as RULES
from sharedoutcomes.story import RATINGS, Challenge, EvidenceItem, StrengthRating, contribution_story, rate


def item(key: str, kind: str = "count", relation: str = "supports", strength: str | None = "moderate",
         level: int | None = None, date: dt.date | None = None) -> EvidenceItem:
    return EvidenceItem(evidence_id=key, kind=kind, link_id=f"l-{key}", relation=relation, strength=strength,
                        evidence_level=level, date=date)


def rules(rating: StrengthRating) -> list[str]:
    return [r.rule for r in rating.reasons]


def test_no_evidence() -> None:
    rating = rate((), (), ())

    assert (rating.rating, rules(rating), rating.rank) == ("none", ["no-evidence"], 0)


def test_challenges_alone_are_still_no_evidence() -> None:
    assert rate((), (), (Challenge(item=item("c", relation="challenges")),)).rating == "none"


def test_illustration_only() -> None:
    rating = rate((), (item("case", "case-study", "illustrates", "strong"),), ())

    assert (rating.rating, rules(rating)) == ("weak", ["illustration-only"])


@pytest.mark.parametrize(("strength", "expected"), [("weak", "weak"), ("moderate", "moderate"), (None, "weak")])
def test_best_link(strength: str | None, expected: str) -> None:
    rating = rate((item("a", strength=strength),), (), ())

    assert (rating.rating, rules(rating)) == (expected, ["best-link"])
    if strength is None:
        assert "1 link with no strength counted as weak" in rating.reasons[0].text


def test_best_link_takes_the_strongest() -> None:
    rating = rate((item("a", strength="weak"), item("b", strength="moderate"), item("c", strength=None)), (), ())

    assert rating.rating == "moderate"
    assert "(l-b: b, count)" in rating.reasons[0].text


def test_single_source_caps_strong() -> None:
    assert rules(rate((item("a", strength="strong"),), (), ())) == ["best-link", "single-source"]
    assert rate((item("a", strength="strong"),), (), ()).rating == "moderate"
    assert rate((item("a", strength="strong"), item("b", strength="weak")), (), ()).rating == "strong"


def test_triangulation_needs_two_kinds_and_two_solid_links() -> None:
    same_kind = rate((item("a", "assessment"), item("b", "assessment")), (), ())
    two_kinds = rate((item("a", "assessment"), item("b", "survey")), (), ())
    one_weak = rate((item("a", "assessment"), item("b", "survey", strength="weak")), (), ())

    assert same_kind.rating == "moderate"
    assert (two_kinds.rating, rules(two_kinds)) == ("strong", ["best-link", "triangulation"])
    assert one_weak.rating == "moderate"


def test_triangulation_when_already_strong_is_a_note() -> None:
    rating = rate((item("a", "count", strength="strong"), item("b", "survey", strength="strong")), (), ())

    assert rating.rating == "strong"
    assert rating.reasons[1].effect == "note"


def test_causal_design_raises_one_step() -> None:
    assert rate((item("a", strength="weak", level=3),), (), ()).rating == "moderate"
    assert rate((item("a", strength="weak", level=2),), (), ()).rating == "weak"
    rating = rate((item("a", strength="moderate", level=4),), (), ())
    assert (rating.rating, rules(rating)) == ("strong", ["best-link", "causal-design"])


def test_unanswered_challenges_lower_one_step_each_but_not_below_weak() -> None:
    support = (item("a", "count", strength="strong"), item("b", "survey", strength="strong"))
    one = (Challenge(item=item("c1", relation="challenges")),)
    two = (*one, Challenge(item=item("c2", relation="challenges")))
    three = (*two, Challenge(item=item("c3", relation="challenges")))

    assert rate(support, (), one).rating == "moderate"
    assert rate(support, (), two).rating == "weak"
    floored = rate(support, (), three)
    assert floored.rating == "weak"
    assert floored.reasons[-1].effect == "note"


def test_answered_challenge_is_noted_only() -> None:
    rating = rate((item("a"),), (), (Challenge(item=item("c", relation="challenges"), answered_by=("a",)),))

    assert (rating.rating, rules(rating)) == ("moderate", ["best-link", "challenge-answered"])


def test_illustrations_alongside_support_are_noted_only() -> None:
    rating = rate((item("a", strength="weak"),), (item("q", "quote", "illustrates", "strong"),), ())

    assert (rating.rating, rules(rating)) == ("weak", ["best-link", "illustrated"])


def test_every_rule_is_documented() -> None:
    fired = set()
    cases = [
        rate((), (), ()), rate((), (item("q", "quote", "illustrates"),), ()),
        rate((item("a", strength="strong"),), (), ()),
        rate((item("a", "survey"), item("b", "count")), (item("q", "quote", "illustrates"),), ()),
        rate((item("a", level=3),), (), (Challenge(item=item("c")), Challenge(item=item("d"), answered_by=("a",)))),
    ]
    for rating in cases:
        fired.update(rules(rating))
    text = (Path(__file__).parents[2] / "docs" / "explanation" / "strength-rating.md").read_text(encoding="utf-8")

    assert fired == set(RULES)
    for rule in RULES:
        assert f"`{rule}`" in text
    assert RATINGS == ("none", "weak", "moderate", "strong")


def test_ratings_in_a_package(kirkton: Package) -> None:
    by_id = {e.id: e.rating for e in contribution_story(kirkton, "out-lonely").contributions}

    assert rules(by_id["con-befriend-lonely"]) == ["best-link", "unanswered-challenge", "illustrated"]
    assert by_id["con-befriend-lonely"].rating == "weak"
    assert rules(by_id["con-council-befriend"]) == ["best-link", "causal-design"]
    assert by_id["con-council-befriend"].rating == "moderate"


def test_explain_lists_every_reason(example: Package) -> None:
    entry = contribution_story(example, "out-connected").contributions[0]

    assert entry.rating.explain().splitlines() == [
        "moderate",
        "  - best-link: strongest supporting link is moderate (lnk-2: ev-shed-survey, survey)",
        "  - challenge-answered: challenge ev-shed-winter is answered by later supporting evidence (ev-shed-survey)",
        "  - illustrated: illustrated by 2 items (case-study, quote: ev-shed-case, ev-shed-quote)",
    ]
