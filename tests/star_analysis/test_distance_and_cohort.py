"""Distance travelled and the cohort "difference between earliest and latest", against hand-computed figures."""

from __future__ import annotations

import datetime as dt

import pytest

from sharedoutcomes import Evidence, Package, Period
from sharedoutcomes.star_analysis import (
    MixedReadings,
    cohort_change,
    distance_travelled,
    readings,
)


def test_distance_travelled_pairs_first_and_latest_per_person_and_area(cohort: list[Evidence]) -> None:
    result = distance_travelled(cohort)

    got = [(r.person, r.area, r.first_score, r.latest_score, r.change, r.first_stage, r.latest_stage,
            r.stage_change, r.readings) for r in result.rows]
    assert got == [
        ("P1", "a", 2, 6, 4, 1, 3, 2, 3),
        ("P1", "b", 5, 4, -1, 3, 2, -1, 3),
        ("P2", "a", 4, 4, 0, 2, 2, 0, 2),
        ("P2", "b", 4, 7, 3, 2, 4, 2, 2),
        ("P3", "a", 1, 2, 1, 1, 1, 0, 2),
        ("P3", "b", 9, 10, 1, 5, 5, 0, 2),
    ]
    assert (result.rows[0].first_date, result.rows[0].latest_date) == (dt.date(2024, 1, 10), dt.date(2024, 7, 10))
    assert [(e.person, e.area) for e in result.excluded] == [("P4", None), ("P5", None)]
    assert result.people() == ("P1", "P2", "P3")
    assert result.notes == ("Not counted for their status: 1 in-progress.",)


def test_cohort_change_matches_hand_computed_figures(cohort: list[Evidence]) -> None:
    result = cohort_change(cohort)
    a, b = result.areas

    assert (a.area, a.n, a.improved, a.same, a.worse, a.moved_up_stage) == ("a", 3, 2, 1, 0, 1)
    assert a.mean_first == pytest.approx(7 / 3)
    assert (a.median_first, a.mean_latest, a.median_latest) == (2.0, 4.0, 4.0)
    assert a.mean_change == pytest.approx(5 / 3)
    assert a.median_change == 1.0
    assert (a.pct_improved, a.pct_same, a.pct_worse) == pytest.approx((200 / 3, 100 / 3, 0.0))
    assert a.pct_moved_up_stage == pytest.approx(100 / 3)

    assert (b.n, b.mean_first, b.median_first, b.mean_latest, b.median_latest) == (3, 6.0, 5.0, 7.0, 7.0)
    assert (b.mean_change, b.median_change, b.improved, b.same, b.worse, b.moved_up_stage) == (1.0, 1.0, 2, 0, 1, 1)

    overall = result.overall
    assert (overall.label, overall.n) == ("All areas", 6)
    assert overall.mean_first == pytest.approx(25 / 6)
    assert overall.median_first == 4.0  # (4 + 4) / 2: an even count takes the midpoint
    assert (overall.mean_latest, overall.median_latest) == (5.5, 5.0)
    assert overall.mean_change == pytest.approx(8 / 6)
    assert overall.median_change == 1.0
    assert (overall.improved, overall.same, overall.worse, overall.moved_up_stage) == (4, 1, 1, 2)
    assert (result.people, result.people_improved_any_area, result.pct_people_improved_any_area) == (3, 3, 100.0)
    assert (result.star, result.edition) == ("homelessness-star", "3")
    assert result.notes == ("2 people with only one counted reading not included.",
                            "Not counted for their status: 1 in-progress.")


def test_a_score_change_inside_one_stage_is_not_a_stage_move(reading) -> None:
    result = cohort_change([reading("P", "2024-01-01", [3]), reading("P", "2024-06-01", [4])])

    assert (result.overall.improved, result.overall.moved_up_stage) == (1, 0)


def test_cohort_from_a_distance_result_is_the_same(cohort: list[Evidence]) -> None:
    assert distance_travelled(cohort).cohort() == cohort_change(cohort)
    assert cohort_change(distance_travelled(cohort)) == cohort_change(cohort)


@pytest.mark.parametrize(("filters", "people"), [
    ({"service": "North"}, ("P1", "P2")),
    ({"service": ["South"]}, ("P3",)),
    ({"worker": "W1"}, ("P1",)),
    ({"period": (dt.date(2024, 4, 10), None)}, ("P1",)),  # P1's 10 April and 10 July readings
    ({"period": Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 4, 10))}, ("P1",)),
    ({"period": (None, dt.date(2024, 12, 31)), "worker": "W2"}, ("P2", "P3")),
])
def test_filters(cohort: list[Evidence], filters: dict, people: tuple[str, ...]) -> None:
    assert distance_travelled(cohort, **filters).people() == people


def test_a_period_filter_changes_which_reading_is_first(cohort: list[Evidence]) -> None:
    rows = distance_travelled(cohort, period=(dt.date(2024, 4, 1), None)).rows

    assert [(r.person, r.area, r.first_score, r.latest_score) for r in rows] == [("P1", "a", 3, 6), ("P1", "b", 5, 4)]


def test_an_in_progress_latest_reading_is_never_the_latest(reading) -> None:
    evidence = [reading("P", "2024-01-01", [2], status="approved"),
                reading("P", "2024-03-01", [4], status="approved"),
                reading("P", "2024-09-01", [9], status="in-progress")]

    assert distance_travelled(evidence).rows[0].latest_score == 4


def test_same_day_readings_are_ordered_by_reading_number_then_source_order(reading) -> None:
    numbered = [reading("P", "2024-05-01", [6], reading_number=2, evidence_id="second"),
                reading("P", "2024-05-01", [3], reading_number=1, evidence_id="first")]
    unnumbered = [reading("Q", "2024-05-01", [6], evidence_id="q1"),
                  reading("Q", "2024-05-01", [3], evidence_id="q2")]

    assert [(r.first_score, r.latest_score) for r in distance_travelled(numbered).rows] == [(3, 6)]
    assert [(r.first_score, r.latest_score) for r in distance_travelled(unnumbered).rows] == [(6, 3)]


def test_editions_are_never_paired_with_each_other(reading) -> None:
    evidence = [reading("P", "2023-01-01", [2], star="recovery-star", edition="3"),
                reading("P", "2023-07-01", [5], star="recovery-star", edition="3"),
                reading("P", "2024-01-01", [9], star="recovery-star", edition="4"),
                reading("Q", "2024-01-01", [4], star="recovery-star", edition="4"),
                reading("Q", "2024-06-01", [6], star="recovery-star", edition="4")]

    result = distance_travelled(evidence)

    assert [(r.person, r.edition, r.first_score, r.latest_score) for r in result.rows] == [
        ("P", "3", 2, 5), ("Q", "4", 4, 6)]
    assert [(e.person, e.edition, e.reason) for e in result.excluded] == [
        ("P", "4", "only one counted reading of this edition")]
    with pytest.raises(MixedReadings, match=r"2 editions of 'recovery-star': '3' \(2 readings\), '4' \(3 readings\)"):
        cohort_change(evidence)
    assert cohort_change(evidence, edition="4").overall.n == 1
    assert cohort_change(evidence, edition="3").overall.mean_change == 3.0
    with pytest.raises(MixedReadings):
        distance_travelled(evidence).cohort()


def test_several_stars_need_a_choice(reading) -> None:
    evidence = [reading("P", "2024-01-01", [2], star="recovery-star", edition="4"),
                reading("P", "2024-02-01", [3], star="recovery-star", edition="4"),
                reading("P", "2024-01-01", [2], star="carers-star", edition="1")]

    with pytest.raises(MixedReadings, match="2 Stars") as caught:
        distance_travelled(evidence)
    assert isinstance(caught.value, ValueError)
    assert distance_travelled(evidence, star="recovery-star").rows[0].change == 1


def test_an_area_scored_once_is_listed_as_excluded(reading) -> None:
    evidence = [reading("P", "2024-01-01", {"a": 3, "b": 4}), reading("P", "2024-06-01", {"a": 5})]

    result = distance_travelled(evidence)

    assert [r.area for r in result.rows] == ["a"]
    assert [(e.area, e.reason) for e in result.excluded] == [("b", "the area is scored in only one reading")]


def test_areas_follow_the_registry_order_whatever_the_evidence_order(reading) -> None:
    codes = ["offending", "physical-health", "motivation-and-taking-responsibility"]
    evidence = [reading("P", "2024-01-01", [1, 2, 3], areas=codes), reading("P", "2024-06-01", [2, 3, 4], areas=codes)]

    assert [a.area for a in cohort_change(evidence).areas] == [
        "motivation-and-taking-responsibility", "physical-health", "offending"]
    assert cohort_change(evidence).areas[0].label == "Motivation and taking responsibility"


def test_nobody_with_two_readings_gives_an_empty_result_not_an_error(reading) -> None:
    result = cohort_change([reading("P", "2024-01-01", [3])])

    assert result.areas == ()
    assert (result.overall.n, result.overall.mean_change, result.overall.pct_improved) == (0, None, None)
    assert result.pct_people_improved_any_area is None
    assert cohort_change([]).overall.n == 0


def test_the_messy_export(messy: Package) -> None:
    result = distance_travelled(messy)
    rs_0101 = [r for r in result.rows if r.person == "RS-0101"]

    assert {r.first_date for r in rs_0101} == {dt.date(2024, 4, 3)}
    assert [r.latest_score for r in rs_0101][:3] == [5, 5, 6]  # reading 3 (same day as reading 2)
    assert {r.person for r in result.rows} == {"RS-0101", "RS-0103", "RS-0104", "RS-0106"}
    assert len(result.problems) == 5
    with pytest.raises(MixedReadings):
        cohort_change(messy)
    four = cohort_change(messy, edition="4")
    assert four.people == 3  # RS-0101, RS-0104, RS-0106
    assert any("complete" in note for note in four.notes)


def test_result_views(cohort: list[Evidence]) -> None:
    distance, result = distance_travelled(cohort), cohort_change(cohort)

    assert repr(distance) == "<DistanceTravelled homelessness-star: 3 people, 6 person-area changes, 2 excluded>"
    assert repr(result) == ("<CohortChange homelessness-star/3: 3 people, 2 areas, mean change +1.3, median +1.0, "
                            "66.7% improved>")
    frame = distance.to_dataframe()
    assert frame.shape == (6, 13)
    assert frame["change"].tolist() == [4, -1, 0, 3, 1, 1]
    cohort_frame = result.to_dataframe()
    assert cohort_frame["label"].tolist() == ["A", "B", "All areas"]
    assert cohort_frame.loc[2, "pct_moved_up_stage"] == pytest.approx(100 / 3)
    for html in (distance._repr_html_(), result._repr_html_()):
        assert html.count("<tr>") >= 3
    assert "ordinal" in result._repr_html_()
    assert "+1.3" in result._repr_html_()
    assert "66.7%" in result._repr_html_()


def test_html_escapes_what_the_data_says(reading) -> None:
    evidence = [reading("<b>P</b>", "2024-01-01", {"<i>x</i>": 3}), reading("<b>P</b>", "2024-06-01", {"<i>x</i>": 4})]

    html = distance_travelled(evidence)._repr_html_() + cohort_change(evidence)._repr_html_()

    assert "<b>" not in html
    assert "<i>" not in html


def test_readings_already_selected_can_be_analysed(cohort: list[Evidence]) -> None:
    strict = readings(cohort, include_unstated=False)

    assert cohort_change(strict).overall.n == 0  # only P5 has a status, and one counted reading
