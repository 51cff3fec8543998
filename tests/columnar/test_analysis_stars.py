"""The Star analyses on columns give the figures, exclusions, notes and problems of the object analyses."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharedoutcomes import Evidence, EvidenceSubject, EvidenceValue, Package, Provenance
from sharedoutcomes import star_analysis as objects
from sharedoutcomes.serialization import from_json_data
from sharedoutcomes.star_analysis import MixedReadings, example_evidence
from sharedoutcomes.stars import get_star
from tests.star_analysis.conftest import make_reading
from tests.star_analysis.test_properties import cohorts

pytest.importorskip("polars")
pytest.importorskip("pyarrow")

from sharedoutcomes import columnar_analysis as columns
from sharedoutcomes.columnar import from_package
from sharedoutcomes.columnar_analysis import COHORT_COLUMNS, DISTANCE_COLUMNS

MESSY = Path(__file__).parents[1] / "star_analysis" / "data" / "messy-recovery-star.json"


def package_of(evidence: Iterable[Evidence]) -> Package:
    """A package holding *evidence* (a partnership's minimum around it)."""
    return Package(schema_version="0.2", id="cohort", title="Cohort", publisher="GB-SC-SC000001",
                   produced="2025-04-01T09:00:00Z", sharing_level="personal",
                   evidence=tuple(evidence))


def tables_of(source: Package | Iterable[Evidence]) -> Any:
    return from_package(source if isinstance(source, Package) else package_of(source))


def object_distance(result: objects.DistanceTravelled) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    rows = [tuple(getattr(r, c) for c in DISTANCE_COLUMNS) for r in result.rows]
    return rows, [(e.person, e.edition, e.area, e.reason) for e in result.excluded]


def object_cohort(result: objects.CohortChange) -> list[tuple[Any, ...]]:
    return [tuple(getattr(a, c) for c in COHORT_COLUMNS) for a in (*result.areas, result.overall)]


def object_snapshot(result: objects.Snapshot) -> list[tuple[Any, ...]]:
    return [(a.area, a.label, a.n, list(a.counts), list(a.percents)) for a in result.areas]


def assert_same(source: Package | Sequence[Evidence], **filters: Any) -> None:
    """Every Star analysis on columns equals the object analysis on the same evidence (or both refuse alike)."""
    tables = tables_of(source)
    found = columns.readings(tables)
    reference = objects.readings(source)
    assert found.problems == reference.problems
    assert found.readings["evidence_id"].to_list() == [r.evidence_id for r in reference.readings]
    assert found.not_counted["evidence_id"].to_list() == [r.evidence_id for r in reference.not_counted]

    distance, expected = columns.distance_travelled(found, **filters), objects.distance_travelled(source, **filters)
    assert (distance.rows.rows(), distance.excluded.rows()) == object_distance(expected)
    assert dict(distance.areas) == dict(expected.areas)
    assert (distance.star, distance.notes, distance.problems) == (expected.star, expected.notes, expected.problems)
    assert dict(distance.stages) == dict(expected.stages)
    if len({r.edition for r in objects.readings(source).select(**filters).readings}) > 1:
        with pytest.raises(MixedReadings) as raised:
            columns.cohort_change(found, **filters)
        with pytest.raises(MixedReadings) as expected_error:
            objects.cohort_change(source, **filters)
        assert str(raised.value) == str(expected_error.value)
        return
    cohort_expected = objects.cohort_change(source, **filters)
    cohort = columns.cohort_change(found, **filters)
    assert cohort.table.rows() == object_cohort(cohort_expected)
    assert (cohort.star, cohort.edition, cohort.people, cohort.people_improved_any_area, cohort.notes) == (
        cohort_expected.star, cohort_expected.edition, cohort_expected.people,
        cohort_expected.people_improved_any_area, cohort_expected.notes)
    for at in ("first", "latest"):
        snap, snap_expected = columns.snapshot(found, at=at, **filters), objects.snapshot(source, at=at, **filters)
        assert snap.table.rows() == object_snapshot(snap_expected)
        assert (snap.stages, snap.people, snap.edition, snap.notes) == (
            snap_expected.stages, snap_expected.people, snap_expected.edition, snap_expected.notes)


def test_the_example_cohort_gives_the_object_figures() -> None:
    evidence = example_evidence()

    assert_same(evidence)
    assert_same(evidence, worker="Ann")
    assert_same(evidence, service="Irvine", period=(None, dt.date(2024, 12, 31)))
    cohort = columns.cohort_change(tables_of(evidence))
    overall = cohort.table.row(-1, named=True)
    assert (overall["n"], overall["mean_change"], overall["median_change"]) == (12, 1.75, 2.0)


def test_the_messy_recovery_star_package_gives_the_object_figures_and_problems() -> None:
    package = from_json_data(json.loads(MESSY.read_text(encoding="utf-8")), Package)

    assert objects.readings(package).problems  # the fixture is messy: there is something to report
    assert_same(package)
    assert_same(package, edition="4")


def test_statuses_are_chosen_once_and_counted_alike() -> None:
    evidence = example_evidence()
    found = columns.readings(tables_of(evidence), statuses={"approved", "In Progress"}, include_unstated=False)
    reference = objects.readings(evidence, statuses={"approved", "In Progress"}, include_unstated=False)

    assert found.readings.height == len(reference.readings) == 9
    assert columns.distance_travelled(found).rows.rows() == object_distance(objects.distance_travelled(reference))[0]


def test_bad_scores_unknown_stars_and_missing_people_are_the_same_problems() -> None:
    located = Provenance(file="export.csv", row=7)
    evidence = [
        make_reading("P1", "2024-01-10", [2, 5.0, "7"], status="approved"),
        make_reading("P1", "2024-03-10", [3, 11, True], status="Approved"),
        make_reading("P1", "2024-05-10", {"a": 4, "b": 6, "a ": 9}),
        Evidence(id="no-star", kind="assessment", instrument="outcomes-star/", date=dt.date(2024, 1, 1),
                 subject=EvidenceSubject(type="person", id="P2"), provenance=located),
        Evidence(id="no-person", kind="assessment", instrument="outcomes-star/homelessness-star/3",
                 date=dt.date(2024, 1, 1), subject=EvidenceSubject(type="cohort", size=12)),
        Evidence(id="no-date", kind="assessment", instrument="outcomes-star/homelessness-star/3",
                 subject=EvidenceSubject(type="person", id="P3"), provenance=located),
        Evidence(id="twice", kind="assessment", instrument="outcomes-star/homelessness-star/3",
                 date=dt.date(2024, 6, 1), subject=EvidenceSubject(type="person", id="P1"),
                 values=(EvidenceValue(code="a", value=8), EvidenceValue(code="a", value=2.5),
                         EvidenceValue(code="a", value=3))),
    ]

    found = columns.readings(tables_of(evidence))

    assert [p.rule for p in found.problems] == [p.rule for p in objects.readings(evidence).problems]
    assert {p.rule for p in found.problems} >= {"star-analysis.score-not-whole", "star-analysis.score-out-of-scale",
                                                "star-analysis.no-star", "star-analysis.no-person",
                                                "star-analysis.no-date", "star-analysis.area-repeated"}
    assert_same(evidence)


def test_an_unknown_star_is_read_on_the_scale_its_first_reading_declares() -> None:
    evidence = [make_reading("P1", "2024-01-10", [2, 5], star="made-up-star", edition="2", scale_max=5),
                make_reading("P1", "2024-05-10", [4, 5], star="made-up-star", edition="2", scale_max=10),
                make_reading("P2", "2024-05-10", [7, 1], star="made-up-star", edition="2", scale_max=10)]

    found = columns.readings(tables_of(evidence))

    assert [p.rule for p in found.problems] == ["star-analysis.score-out-of-scale"]  # 7 is above the first's 5
    assert_same(evidence)


def test_editions_are_kept_apart_and_mixed_stars_refused_alike() -> None:
    star = get_star("homelessness-star", "3")
    areas = star.area_codes[:2]
    evidence = [make_reading("P1", "2024-01-10", [2, 5], areas=areas),
                make_reading("P1", "2024-04-10", [3, 6], areas=areas, edition="3rd edition"),
                make_reading("P1", "2024-06-10", [4, 6], areas=areas, star="recovery-star", edition="4")]

    assert_same(evidence, star="homelessness-star")
    with pytest.raises(MixedReadings) as raised:
        columns.distance_travelled(tables_of(evidence))
    with pytest.raises(MixedReadings) as expected:
        objects.distance_travelled(evidence)
    assert str(raised.value) == str(expected.value)


def test_same_day_readings_are_ordered_by_reading_number_then_source_order() -> None:
    evidence = [make_reading("P1", "2024-01-10", [5, 5], reading_number=2, evidence_id="second"),
                make_reading("P1", "2024-01-10", [2, 2], reading_number=1, evidence_id="first"),
                make_reading("P1", "2024-01-10", [7, 1], evidence_id="unnumbered"),
                make_reading("P2", "2024-02-01", [3, 3], evidence_id="p2-a"),
                make_reading("P2", "2024-02-01", [6, 4], evidence_id="p2-b")]

    assert_same(evidence)
    rows = columns.distance_travelled(tables_of(evidence)).rows
    assert rows.filter(rows["person"] == "P1")["first_score"].to_list() == [7, 1]  # no number sorts as 0


@given(cohorts)
def test_any_cohort_gives_the_object_figures(evidence: list[Evidence]) -> None:
    assert_same(evidence)


@given(cohorts, st.sampled_from([None, "North", "South"]), st.sampled_from([None, (dt.date(2023, 6, 1), None)]))
def test_any_cohort_and_filter_gives_the_object_figures(evidence: list[Evidence], service: str | None,
                                                        period: tuple[dt.date, None] | None) -> None:
    assert_same(evidence, service=service, period=period)


def test_importing_the_analyses_imports_neither_polars_nor_pyarrow_nor_dask() -> None:
    code = ("import sys, sharedoutcomes.columnar_analysis; "
            "print(sorted(m for m in ('polars', 'pyarrow', 'dask', 'distributed', 'pandas') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
