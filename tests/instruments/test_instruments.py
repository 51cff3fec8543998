"""The instrument registry and scoring, against the authors' published tables and bands (cited beside each test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharedoutcomes import instruments, stars
from sharedoutcomes.exceptions import ConversionError, UnknownName
from sharedoutcomes.instruments import get, registry

SCHEMAS = Path(instruments.__file__).parent.parent / "schemas" / "instruments"
SURVEY_IDS = ("gad7", "ons4", "phq9", "swemwbs", "ucla3", "wemwbs")


def _all(prefix: str, n: int, value: int) -> dict[str, int]:
    return {f"{prefix}-{i}": value for i in range(1, n + 1)}


def test_every_instrument_of_the_issue_is_registered_with_cited_sources() -> None:
    for identifier in SURVEY_IDS:
        instrument = get(identifier)
        assert instrument.facts, identifier
        assert {"items", "scale", "scoring", "licence"} <= {fact.fact for fact in instrument.facts}
        assert all(fact.source.strip() for fact in instrument.facts)
        assert all(fact.confirmed for fact in instrument.facts if fact.fact in ("items", "scale"))


def test_the_contract_items_with_code_minimum_and_maximum() -> None:
    expected = {"wemwbs": (14, 1, 5), "swemwbs": (7, 1, 5), "ons4": (4, 0, 10), "ucla3": (3, 1, 3),
                "gad7": (7, 0, 3), "phq9": (9, 0, 3)}
    for identifier, (n, low, high) in expected.items():
        items = get(identifier).items
        assert len(items) == n
        assert {(item.minimum, item.maximum) for item in items} == {(low, high)}
        assert len({item.code for item in items}) == n


def test_every_star_edition_is_an_instrument_with_its_areas_as_items() -> None:
    editions = stars.stars()
    for edition in editions:
        instrument = get(edition.instrument)
        assert [item.code for item in instrument.items] == [area.code for area in edition.areas]
        assert {(i.minimum, i.maximum) for i in instrument.items} == {(edition.scale_min, edition.scale_max)}
        assert instrument.family == "outcomes-star"
    assert get("recovery-star").id == stars.get_star("recovery-star").instrument  # the latest edition


def test_names_are_matched_as_exports_write_them() -> None:
    assert get("SWEMWBS").id == "swemwbs"
    assert get("GAD-7").id == "gad7"
    assert get("Warwick-Edinburgh Mental Well-being Scale").id == "wemwbs"
    with pytest.raises(UnknownName, match="Did you mean 'phq9'"):
        get("phq-8")


# Warwick Medical School, SWEMWBS raw score to metric score conversion table (scoring guidance,
# https://warwick.ac.uk/fac/med/research/platform/wemwbs/researchers/guidance/).
WARWICK_TABLE = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32, 15: 15.84, 16: 16.36,
    17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21,
    27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}


def test_swemwbs_converts_every_raw_total_as_the_published_table_does() -> None:
    swemwbs = get("swemwbs")
    assert dict(swemwbs.conversion) == WARWICK_TABLE
    for raw, metric in WARWICK_TABLE.items():
        # build a response whose items sum to *raw*: as many 5s as fit, the rest 1s, one in between
        answers = [1] * 7
        left = raw - 7
        for i in range(7):
            step = min(4, left)
            answers[i] += step
            left -= step
        score = swemwbs.score({f"swemwbs-{i + 1}": a for i, a in enumerate(answers)})
        assert (score.total, score.metric, score.problems) == (raw, metric, ())


def test_wemwbs_totals_run_14_to_70_and_a_missing_item_refuses_the_total() -> None:
    # Warwick: "The scoring range for each item is from 1 - 5 and the total score is from 14-70."
    wemwbs = get("wemwbs")
    assert wemwbs.score(_all("wemwbs", 14, 1)).total == 14
    assert wemwbs.score(_all("wemwbs", 14, 5)).total == 70
    partial = _all("wemwbs", 14, 4)
    del partial["wemwbs-9"]
    score = wemwbs.score(partial)
    assert score.total is None
    assert [p.rule for p in score.problems] == ["instrument.incomplete"]
    assert "wemwbs-9" in score.problems[0].message


@pytest.mark.parametrize(("total", "band"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "severe"), (21, "severe")])
def test_gad7_bands_are_spitzer_2006_cut_points_5_10_15(total: int, band: str) -> None:
    # Spitzer et al. (2006), Arch Intern Med 166:1092: "Scores of 5, 10, and 15 represent cut points for
    # mild, moderate, and severe anxiety, respectively."
    answers = [min(3, max(0, total - 3 * i)) for i in range(7)]
    score = get("gad7").score({f"gad7-{i + 1}": a for i, a in enumerate(answers)})
    assert (score.total, score.band) == (total, band)


@pytest.mark.parametrize(("total", "band"), [
    (4, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately severe"), (19, "moderately severe"),
    (20, "severe"), (27, "severe")])
def test_phq9_bands_are_kroenke_2001_cut_points_5_10_15_20(total: int, band: str) -> None:
    # Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16:606: 5, 10, 15 and 20 represent mild, moderate,
    # moderately severe and severe depression.
    answers = [min(3, max(0, total - 3 * i)) for i in range(9)]
    score = get("phq9").score({f"phq9-{i + 1}": a for i, a in enumerate(answers)})
    assert (score.total, score.band) == (total, band)


def test_ons4_is_banded_per_question_and_anxiety_the_other_way_round() -> None:
    # ONS thresholds: life satisfaction, worthwhile, happiness 0-4 low, 5-6 medium, 7-8 high, 9-10 very high;
    # anxiety 0-1 very low, 2-3 low, 4-5 medium, 6-10 high.
    ons4 = get("ons4")
    score = ons4.score({"life-satisfaction": 4, "worthwhile": 6, "happiness": 9, "anxiety": 6})
    assert score.total is None
    assert score.band is None
    assert dict(score.item_bands) == {"life-satisfaction": "low", "worthwhile": "medium", "happiness": "very high",
                                      "anxiety": "high"}
    assert ons4.better_on("anxiety") == "lower"
    assert ons4.better_on("happiness") == "higher"
    assert ons4.score({"anxiety": 1}).item_bands["anxiety"] == "very low"


def test_ons4_scores_each_answered_question_when_others_are_missing() -> None:
    score = get("ons4").score({"satis": 7, "anxious": "2"})
    assert dict(score.items) == {"life-satisfaction": 7, "anxiety": 2}
    assert [p.rule for p in score.problems] == ["instrument.incomplete"]


def test_ucla3_totals_3_to_9_and_its_bands_are_marked_unconfirmed() -> None:
    ucla = get("ucla3")
    assert ucla.score({"ucla-1": 3, "ucla-2": 3, "ucla-3": 2}).total == 8
    assert ucla.score({"ucla-1": 1, "ucla-2": 1, "ucla-3": 1}).band == "not lonely"
    assert "bands" in ucla.unconfirmed()


def test_impossible_answers_and_unknown_items_are_problems_not_exceptions() -> None:
    score = get("wemwbs").score({**_all("wemwbs", 14, 3), "wemwbs-2": 6, "wemwbs-15": 3, "wemwbs-4": 2.5})
    assert sorted(p.rule for p in score.problems) == [
        "instrument.impossible-value", "instrument.impossible-value", "instrument.incomplete",
        "instrument.unknown-item"]
    assert score.total is None


def test_a_recorded_total_is_compared_with_the_items() -> None:
    score = get("phq9").score({**_all("phq9", 9, 1), "total": 10})
    assert score.total == 9
    assert [p.rule for p in score.problems] == ["instrument.total-mismatch"]


def test_reverse_scored_items_and_prorating_from_a_user_file(tmp_path: Path) -> None:
    mine = {
        "id": "local-mood", "name": "Local mood check", "version": "2", "publisher": "Kirkton HSCP",
        "licence": "Our own form", "better": "higher",
        "items": [{"code": "m1", "minimum": 1, "maximum": 5}, {"code": "m2", "minimum": 1, "maximum": 5, "reverse": True},
                  {"code": "m3", "minimum": 1, "maximum": 5}],
        "scoring": {"method": "sum", "missing": "prorate", "max_missing": 1},
        "facts": [{"fact": "items", "source": "Kirkton HSCP form, 2024", "confirmed": True}],
    }
    path = tmp_path / "local-mood.json"
    path.write_text(json.dumps(mine), encoding="utf-8")
    local = registry().with_file(path).get("local-mood")
    assert local.score({"m1": 4, "m2": 1, "m3": 3}).total == 4 + 5 + 3
    prorated = local.score({"m1": 4, "m2": 2})
    assert (prorated.total, prorated.prorated) == (round((4 + 4) / 2 * 3), True)
    assert local.score({"m1": 4}).total is None  # two missing: more than max_missing
    with pytest.raises(UnknownName):
        registry().get("local-mood")  # the default registry is never changed


def test_a_broken_user_file_names_the_file_and_the_json_path(tmp_path: Path) -> None:
    data = json.loads((SCHEMAS / "gad7.json").read_text(encoding="utf-8"))
    data["items"][2]["maximum"] = "three"
    path = tmp_path / "gad7-broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConversionError, match=r"gad7-broken.json: not a valid instrument file: \$\.items\[2\]\.maximum"):
        instruments.load_instruments(path)


def test_no_licensed_item_wording_is_shipped() -> None:
    """Item labels are short topic names or 'Item n', never a question; no file holds a sentence-long label."""
    for path in SCHEMAS.glob("*.json"):
        if path.name.endswith(".schema.json"):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["items"]:
            words = [*item.get("label", "").split(), *(w for alias in item.get("aliases", ()) for w in alias.split())]
            assert "?" not in item.get("label", "")
            assert len(item.get("label", "").split()) <= 5, (path.name, item["code"])
            assert "feeling" not in [w.casefold() for w in words], (path.name, item["code"])


@given(st.sampled_from(SURVEY_IDS).flatmap(
    lambda name: st.tuples(st.just(name), st.lists(st.integers(-1, 11), min_size=len(get(name).items),
                                                   max_size=len(get(name).items)))))
def test_a_complete_response_of_possible_answers_always_scores_within_range(case: tuple[str, list[int]]) -> None:
    name, answers = case
    instrument = get(name)
    responses = {item.code: answer for item, answer in zip(instrument.items, answers, strict=True)}
    score = instrument.score(responses)
    possible = all(item.allows(a) for item, a in zip(instrument.items, answers, strict=True))
    assert (score.problems == ()) == possible
    if possible and instrument.total is not None:
        assert score.total is not None
        assert instrument.total.minimum <= score.total <= instrument.total.maximum
        if instrument.bands and instrument.method == "sum":
            assert score.band is not None  # the published bands cover every possible total
    if possible and instrument.metric is not None:
        assert score.metric in instrument.conversion.values()
    if not possible and instrument.method == "sum":
        assert score.total is None
