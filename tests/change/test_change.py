"""Change on any instrument: first and latest per person, direction of better, meaningful change, cohorts, views."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import sharedoutcomes
from sharedoutcomes import Evidence, EvidenceSubject, EvidenceValue
from sharedoutcomes.change import change, change_chart, example_responses

BEFRIENDING = Path(__file__).parent.parent / "surveys" / "data" / "swemwbs-befriending.csv"


def _response(person: str, date: dt.date, instrument: str, **values: int) -> Evidence:
    return Evidence(id=f"ev-{instrument}-{person}-{date.isoformat()}", kind="survey", date=date, instrument=instrument,
                    subject=EvidenceSubject(type="person", id=person),
                    values=tuple(EvidenceValue(code=code.replace("_", "-"), value=v) for code, v in values.items()))


def _gad7(person: str, date: dt.date, answers: tuple[int, ...]) -> Evidence:
    return _response(person, date, "GAD-7", **{f"gad7_{i}": a for i, a in enumerate(answers, start=1)})


def test_a_fall_in_gad7_is_an_improvement_judged_by_the_cited_threshold() -> None:
    evidence = [
        _gad7("P-1", dt.date(2024, 3, 1), (3, 3, 2, 2, 2, 2, 2)),  # 16, severe
        _gad7("P-1", dt.date(2024, 9, 1), (1, 1, 1, 2, 1, 1, 1)),  # 8: -8, meaningful
        _gad7("P-2", dt.date(2024, 3, 8), (1, 1, 1, 1, 1, 1, 1)),  # 7
        _gad7("P-2", dt.date(2024, 9, 8), (1, 1, 1, 1, 2, 2, 1)),  # 9: +2, worse, not meaningful
    ]
    result = change(evidence, "gad7")
    total = result.summary()["total"]
    assert (total.n, total.mean_change, total.median_change) == (2, -3.0, -3.0)
    assert (total.pct_improved, total.pct_worse, total.threshold) == (50.0, 50.0, 4)
    assert (total.pct_meaningful_improvement, total.pct_meaningful_deterioration) == (50.0, 0.0)
    assert result.threshold_source is not None
    assert "Toussaint" in result.threshold_source
    rows = {r.person: r for r in result.rows if r.score == "total"}
    assert (rows["P-1"].verdict, rows["P-1"].meaningful) == ("improved", True)
    assert (rows["P-2"].verdict, rows["P-2"].meaningful) == ("worse", False)


def test_ons4_is_read_per_question_and_less_anxiety_is_better() -> None:
    evidence = [
        _response("P-1", dt.date(2024, 1, 10), "ONS4", life_satisfaction=4, worthwhile=5, happiness=4, anxiety=8),
        _response("P-1", dt.date(2024, 7, 10), "ONS4", life_satisfaction=6, worthwhile=5, happiness=7, anxiety=3),
    ]
    result = change(evidence, "ons4")
    assert result.headline is None
    verdicts = {r.score: (r.change, r.verdict) for r in result.rows}
    assert verdicts == {"life-satisfaction": (2, "improved"), "worthwhile": (0, "same"), "happiness": (3, "improved"),
                        "anxiety": (-5, "improved")}
    assert result.threshold_source is None


def test_first_and_latest_are_paired_and_one_response_is_excluded_with_the_reason() -> None:
    result = change(example_responses(), "swemwbs")
    sp1 = next(r for r in result.rows if r.person == "SP-1" and r.score == "metric")
    assert (sp1.first_date, sp1.latest_date, sp1.readings) == (dt.date(2024, 5, 2), dt.date(2024, 11, 28), 3)
    assert (sp1.first, sp1.latest, sp1.change) == (17.43, 19.25, 1.82)  # raw 18 → 21 on Warwick's table
    assert dict(result.excluded) == {"SP-4": "only one response"}
    assert "total" not in {r.score for r in result.rows}  # SWEMWBS is compared on the metric only


def test_medians_sit_beside_means_when_one_person_moves_a_lot() -> None:
    evidence = [_gad7(f"P-{n}", dt.date(2024, 1, 1), (1,) * 7) for n in range(5)]
    evidence += [_gad7(f"P-{n}", dt.date(2024, 6, 1), (1,) * 6 + (0,)) for n in range(4)]
    evidence.append(_gad7("P-4", dt.date(2024, 6, 1), (3,) * 7))
    total = change(evidence, "gad7").summary()["total"]
    assert (total.mean_change, total.median_change) == (2.0, -1.0)  # the mean says worse; most people improved
    assert total.pct_improved == 80.0


def test_cohorts_and_filters() -> None:
    cohort = {"SP-1": "walking group", "SP-2": "walking group", "SP-3": "befriending"}
    result = change(example_responses(), "swemwbs", cohort=cohort)
    assert result.cohorts() == ("befriending", "walking group")
    assert result.summary(cohort="walking group")["metric"].n == 2
    assert change(example_responses(), "swemwbs", people=["SP-3"]).people() == ("SP-3",)
    late = change(example_responses(), "swemwbs", since=dt.date(2024, 6, 1))
    assert late.people() == ("SP-1", "SP-3")  # SP-2 keeps one response only
    assert next(r for r in late.rows if r.person == "SP-1").first_date == dt.date(2024, 8, 1)
    assert late.excluded["SP-2"] == "only one response"


def test_from_a_converted_survey_export() -> None:
    result = sharedoutcomes.convert(BEFRIENDING, format="survey", organisation_id="GB-SC-SC099001",
                                    today="2024-12-31")
    found = change(result.package, "SWEMWBS")
    assert found.people() == ("KB-0001",)
    metric = next(r for r in found.rows if r.score == "metric")
    assert (metric.first, metric.latest) == (17.43, 21.54)


def test_dataframes_html_and_the_chart(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    result = change(example_responses(), "swemwbs", cohort={"SP-1": "a", "SP-2": "a", "SP-3": "b"})
    frame = result.to_dataframe()
    assert len(frame) == len(result.rows)
    summary = result.summary_dataframe()
    assert {"mean_change", "median_change", "pct_improved"} <= set(summary.columns)
    assert sorted(summary["cohort"].dropna().unique()) == ["a", "b"]
    html = result._repr_html_()
    assert "median change" in html
    assert "Shah" in html
    path = tmp_path / "change.png"
    figure = change_chart(result, path=path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()][-1] == "swemwbs-1"
