"""Change on any instrument, on columns, gives the rows, exclusions and summaries of `sharedoutcomes.change`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharedoutcomes import Evidence, EvidenceSubject, EvidenceValue
from sharedoutcomes import change as objects
from sharedoutcomes.change import example_responses
from sharedoutcomes.instruments import get
from tests.columnar.test_analysis_stars import tables_of

pytest.importorskip("polars")

from sharedoutcomes import columnar_analysis as columns
from sharedoutcomes.columnar_analysis import CHANGE_COLUMNS, SUMMARY_COLUMNS


def assert_same(evidence: list[Evidence] | tuple[Evidence, ...], instrument: str, **options: Any) -> None:
    expected = objects.change(evidence, instrument, **options)
    found = columns.change(tables_of(evidence), instrument, **options)

    assert found.rows.rows() == [tuple(getattr(r, c) for c in CHANGE_COLUMNS) for r in expected.rows]
    assert dict(found.excluded) == dict(expected.excluded)
    assert found.threshold_source == expected.threshold_source
    for cohort in (None, *expected.cohorts()):
        summary = [tuple(getattr(s, c) for c in SUMMARY_COLUMNS) for s in expected.summary(cohort=cohort).values()]
        assert found.summary(cohort=cohort).rows() == summary
    assert found.cohorts() == expected.cohorts()


def test_the_example_responses_give_the_object_figures() -> None:
    evidence = example_responses()

    assert_same(evidence, "swemwbs")
    assert_same(evidence, "swemwbs", cohort={"SP-1": "walking group", "SP-2": "walking group", "SP-3": "cafe"})
    assert_same(evidence, "swemwbs", people=["SP-1", "SP-3"], since=dt.date(2024, 5, 5))
    metric = columns.change(tables_of(evidence), "swemwbs").summary().filter(score="metric").row(0, named=True)
    assert (metric["n"], metric["mean_change"], metric["pct_meaningful_improvement"]) == (3, 1.99, 66.7)


def test_a_cohort_function_is_refused_with_a_clear_error() -> None:
    with pytest.raises(TypeError, match="mapping of person"):
        columns.change(tables_of(example_responses()), "swemwbs", cohort=lambda e: "x")  # type: ignore[arg-type]


INSTRUMENTS = ("swemwbs", "gad7", "ons4", "ucla3", "wemwbs")


@st.composite
def responses(draw: st.DrawFn) -> tuple[str, list[Evidence]]:
    """A few people's responses to one instrument: some items missing, some answers impossible or text."""
    name = draw(st.sampled_from(INSTRUMENTS))
    instrument = get(name)
    out = []
    for number in range(draw(st.integers(0, 9))):
        values = []
        for item in instrument.items:
            answer = draw(st.one_of(st.integers(item.minimum, item.maximum), st.integers(item.minimum, item.maximum),
                                    st.none(), st.just(item.maximum + 1), st.just("2"), st.just(1.5),
                                    st.just(float(item.minimum))))
            if answer is not None:
                values.append(EvidenceValue(code=item.code, value=answer))
        if draw(st.booleans()) and values:
            values.append(EvidenceValue(code=values[0].code, value=draw(st.integers(item.minimum, item.maximum))))
        day = dt.date(2024, 1, 1) + dt.timedelta(days=draw(st.integers(0, 3)) * 30)
        out.append(Evidence(id=f"e{number}", kind="survey", date=day, instrument=draw(st.sampled_from(
            [name, instrument.name, "phq9"])), subject=EvidenceSubject(type="person", id=f"P{draw(st.integers(1, 3))}"),
            values=tuple(values)))
    return name, out


@given(responses())
def test_any_responses_give_the_object_figures(case: tuple[str, list[Evidence]]) -> None:
    name, evidence = case
    assert_same(evidence, name)
    assert_same(evidence, name, cohort={"P1": "a", "P2": "b"}, until=dt.date(2024, 3, 1))
