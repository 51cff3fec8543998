"""Snapshots: the percentage of people at each Journey of Change stage in each area."""

from __future__ import annotations

import pytest

from sharedoutcomes import Evidence
from sharedoutcomes.star_analysis import MixedReadings, snapshot


def test_snapshot_at_first_reading_counts_everyone_with_a_counted_reading(cohort: list[Evidence]) -> None:
    result = snapshot(cohort)
    a, b = result.areas

    assert result.stages == ("Stuck", "Accepting help", "Believing", "Learning", "Self-reliance")
    assert result.people == 5
    assert (a.n, a.counts, a.percents) == (5, (2, 1, 1, 1, 0), (40.0, 20.0, 20.0, 20.0, 0.0))
    assert (b.n, b.counts, b.percents) == (5, (0, 2, 2, 0, 1), (0.0, 40.0, 40.0, 0.0, 20.0))


def test_snapshot_at_latest_reading(cohort: list[Evidence]) -> None:
    a, b = snapshot(cohort, at="latest").areas

    assert a.counts == (1, 1, 2, 1, 0)
    assert b.counts == (0, 2, 1, 1, 1)


def test_snapshot_filters(cohort: list[Evidence]) -> None:
    result = snapshot(cohort, service="North")

    assert result.people == 2
    assert result.areas[0].counts == (1, 1, 0, 0, 0)


def test_snapshot_on_a_five_point_star_uses_its_stages(reading) -> None:
    evidence = [reading(p, "2024-01-01", [s], star="well-being-star", edition="2", scale_max=5)
                for p, s in (("P", 1), ("Q", 3), ("R", 5), ("S", 5))]

    result = snapshot(evidence)

    assert result.stages[0] == "Not thinking about it"
    assert result.areas[0].counts == (1, 0, 1, 0, 2)


def test_snapshot_needs_one_edition(reading) -> None:
    evidence = [reading("P", "2024-01-01", [2], star="recovery-star", edition="3"),
                reading("Q", "2024-01-01", [2], star="recovery-star", edition="4")]

    with pytest.raises(MixedReadings):
        snapshot(evidence)
    assert snapshot(evidence, edition="3").people == 1


def test_snapshot_rejects_a_bad_point(cohort: list[Evidence]) -> None:
    with pytest.raises(ValueError, match="'first' or 'latest'"):
        snapshot(cohort, at="middle")  # type: ignore[arg-type]


def test_snapshot_views(cohort: list[Evidence]) -> None:
    result = snapshot(cohort)

    assert repr(result) == "<Snapshot homelessness-star/3 at first reading: 5 people, 2 areas>"
    frame = result.to_dataframe()
    assert list(frame.columns) == ["n", *result.stages]
    assert frame.loc["A", "Stuck"] == 40.0
    assert result.to_dataframe(counts=True).loc["B", "Self-reliance"] == 1
    html = result._repr_html_()
    assert "Self-reliance" in html
    assert "40% (2)" in html


def test_an_empty_snapshot(reading) -> None:
    result = snapshot([])

    assert (result.people, result.areas, result.stages) == (0, (), ())
