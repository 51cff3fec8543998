"""Publishing without disclosure: counts, suppression that survives totals and differences, a valid public package."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.model import (
    Activity,
    Contribution,
    Evidence,
    EvidenceLink,
    EvidenceSubject,
    EvidenceValue,
    Organisation,
    Outcome,
    Package,
)
from sharedoutcomes.privacy import CATEGORIES, Sum, publishable, recoverable, suppress
from sharedoutcomes.report import render_report

ORG = "GB-SC-SC038977"
AREAS = ("health", "the-caring-role", "managing-at-home")


def _package(readings: list[tuple[int, int, list[int]]], cohort: int, counted: int) -> Package:
    """People's readings (person, activity, scores per area), and a cohort count; dates one month apart."""
    evidence, seen = [], defaultdict(int)
    for person, activity, scores in readings:
        seen[person] += 1
        evidence.append(Evidence(
            id=f"ev-{person}-{seen[person]}", kind="assessment", subject=EvidenceSubject(type="person", id=f"P-{person:04d}"),
            date=dt.date(2024, 1, 1) + dt.timedelta(days=31 * seen[person]), activity_id=f"act-{activity}",
            collected_by=ORG, instrument="outcomes-star/carers-star/1", sensitivity="special-category",
            values=tuple(EvidenceValue(code=a, value=s, scale_min=1, scale_max=10) for a, s in zip(AREAS, scores, strict=True))))
    evidence.append(Evidence(id="ev-members", kind="count", subject=EvidenceSubject(type="cohort", size=cohort),
                             collected_by=ORG, values=(EvidenceValue(code="members", value=counted, unit="people"),)))
    links = [EvidenceLink(id=f"l-{e.id}", evidence_id=e.id, target_type="contribution", target_id="con-1",
                          relation="supports") for e in evidence[:3]]
    return Package(
        schema_version="0.2", id="carers-2024", title="Carers 2024", publisher=ORG, produced="2025-03-01T00:00:00Z",
        sharing_level="partners", organisations=(Organisation(id=ORG, name="Three Towns Carers", sector="third"),),
        activities=(Activity(id="act-0", title="Breaks"), Activity(id="act-1", title="Support groups")),
        outcomes=(Outcome(id="out-1", title="Carers feel supported", level="person"),),
        contributions=(Contribution(id="con-1", organisation_id=ORG, outcome_id="out-1", role="direct"),),
        evidence=tuple(evidence), links=tuple(links))


people = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 1), st.lists(st.integers(1, 10), min_size=3, max_size=3)),
                  min_size=1, max_size=120)


def _truth(package: Package) -> dict[tuple[str, str], tuple[dict[str, int], list[Sum]]]:
    """The tables as an adversary who knows the method would rebuild them from the original: (activity, instrument) → cells, sums."""
    series: dict[str, dict[str, dict[str, list[tuple[dt.date, float]]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    persons: dict[str, set[str]] = defaultdict(set)
    for e in package.evidence:
        if e.subject and e.subject.type == "person":
            persons[e.activity_id or ""].add(e.subject.id or "")
            for v in e.values:
                series[e.activity_id or ""][v.code][e.subject.id or ""].append((e.date, v.value))  # type: ignore[arg-type]
    tables = {}
    for activity, by_code in series.items():
        cells: dict[str, int] = {"people": len(persons[activity])}
        sums = []
        for code, by_person in by_code.items():
            counts = dict.fromkeys(name for name, _ in CATEGORIES)
            counts = dict.fromkeys(counts, 0)
            for points in by_person.values():
                points.sort()
                first, last = points[0][1], points[-1][1]
                counts["one-reading" if len(points) == 1 else "higher" if last > first
                       else "lower" if last < first else "same"] += 1
            cells.update({f"{code}/{k}": n for k, n in counts.items()})
            cells[f"{code}/people"] = len(by_person)
            sums.append(Sum(f"{code}/people", tuple(f"{code}/{k}" for k in counts)))
            if len(by_person) == cells["people"]:
                sums.append(Sum("people", (f"{code}/people",)))
        tables[activity, "outcomes-star/carers-star/1"] = (cells, sums)
    return tables


def _determined(sums: list[Sum], hidden: list[str]) -> set[str]:
    """Hidden cells fixed by the sums, by matrix rank (numpy; independent of the library's exact elimination)."""
    if not hidden:
        return set()
    matrix = np.array([[(cell in s.parts) - (cell == s.total) for cell in hidden] for s in sums], dtype=float)
    rank = np.linalg.matrix_rank(matrix)
    return {cell for i, cell in enumerate(hidden) if np.linalg.matrix_rank(np.delete(matrix, i, axis=1)) == rank - 1}


@given(readings=people, cohort=st.integers(0, 12), counted=st.integers(0, 12), threshold=st.integers(2, 10))
def test_no_count_below_the_threshold_is_published_or_recoverable(
        readings: list[tuple[int, int, list[int]]], cohort: int, counted: int, threshold: int) -> None:
    original = _package(readings, cohort, counted)
    public, report = publishable(original, threshold=threshold, produced="2025-06-01T00:00:00Z")

    assert public.sharing_level == "public"
    assert report.ok, report.to_text()
    assert not any(e.subject and e.subject.type == "person" for e in public.evidence)
    for e in public.evidence:  # nothing published counts 1 to threshold − 1 people
        assert e.subject is None or e.subject.size is None or not 0 < e.subject.size < threshold
        assert not any(v.unit == "people" and 0 < v.value < threshold for v in e.values)  # type: ignore[operator]
    published = {(e.activity_id, e.instrument): e for e in public.evidence if e.id.startswith("pub-")}
    for key, (cells, sums) in _truth(original).items():
        if cells["people"] < threshold:
            assert key not in published  # the whole table is withheld
            continue
        shown = {v.code: v.value for v in published[key].values}
        if published[key].subject and published[key].subject.size is not None:
            shown["people"] = published[key].subject.size
        assert all(shown[c] == cells[c] for c in shown)  # what is published is true
        hidden = sorted(set(cells) - set(shown))
        assert {c for c in cells if 0 < cells[c] < threshold} <= set(hidden)
        assert _determined(sums, hidden) == set(), (cells, hidden)
        recorded = set(published[key].extension_data["privacy"]["suppressed"]) if hidden else set()  # type: ignore[index,arg-type]
        assert recorded == {"subject.size" if c == "people" else c for c in hidden}


def test_secondary_suppression_of_a_row_and_of_the_total() -> None:
    row = [Sum("h/people", ("h/higher", "h/same", "h/lower", "h/one-reading")), Sum("people", ("h/people",))]
    values = {"people": 20, "h/people": 20, "h/higher": 12, "h/same": 5, "h/lower": 3, "h/one-reading": 0}

    hidden = suppress(values, row, threshold=5)

    assert hidden == {"h/lower": "primary", "h/same": "secondary"}  # the smallest non-zero other cell
    assert recoverable(row, hidden) == set()


def test_differences_between_tables_are_closed() -> None:
    """Two rows share one total: hiding a cell in each row must not let one row's cells give the other's away."""
    sums = [Sum("people", ("a/people",)), Sum("people", ("b/people",)),
            Sum("a/people", ("a/higher", "a/same")), Sum("b/people", ("b/higher", "b/same"))]
    values = {"people": 9, "a/people": 9, "b/people": 9, "a/higher": 7, "a/same": 2, "b/higher": 9, "b/same": 0}
    hidden = suppress(values, sums, threshold=3)
    assert "a/same" in hidden
    assert recoverable(sums, hidden) == set()
    assert _determined(sums, sorted(hidden)) == set()


def test_a_carers_service_published() -> None:
    readings = []
    for person in range(7):  # health: five better, one the same, one worse; the rest all better
        readings.append((person, 0, [4, 3, 3]))
        readings.append((person, 0, [[6, 6, 6, 6, 6, 4, 2][person], 5, 5]))
    original = _package(readings, cohort=12, counted=4)

    public, report = publishable(original, produced="2025-06-01T00:00:00Z")

    assert report.ok
    (table,) = [e for e in public.evidence if e.id.startswith("pub-")]
    assert table.id == "pub-act-0-outcomes-star-carers-star-1"
    assert table.subject is not None
    assert table.subject.size == 7
    shown = {v.code: v.value for v in table.values}
    assert "health/same" not in shown
    assert "health/lower" not in shown
    assert shown["health/higher"] == 5
    assert shown["health/people"] == 7
    assert shown["the-caring-role/higher"] == 7
    # same + lower = 2 is all a reader can work out: neither is known, so no secondary suppression is needed
    assert [(s.evidence_id, s.code, s.reason) for s in report.suppressions] == [
        (table.id, "health/lower", "primary"), (table.id, "health/same", "primary"),
        ("ev-members", "members", "primary")]
    members = next(e for e in public.evidence if e.id == "ev-members")
    assert members.values == ()
    assert members.extension_data["privacy"] == {"suppressed": ["members"]}
    assert {link.target_id for link in public.links if link.evidence_id == table.id} == {"con-1"}
    assert report.aggregated == {table.id: 14}
    text = report.to_text()
    assert "P-0001" not in text
    assert "health/same: suppressed (primary: fewer than the threshold)" in text
    data: dict[str, Any] = report.to_dict()
    assert data["ok"]
    assert data["threshold"] == 5
    assert public.extension_data["privacy"]["threshold"] == 5  # type: ignore[index]


def test_the_example_package_withholds_what_is_about_too_few() -> None:
    public, report = publishable(sharedoutcomes.example_package(), produced="2025-06-01T00:00:00Z")

    assert report.ok
    assert public.sharing_level == "public"
    assert [str(w) for w in report.withheld] == [
        "ev-shed-case: withheld (about one person)",
        "ev-carers-star-1: withheld (its table would describe fewer than 5 people)",
        "ev-carers-star-2: withheld (its table would describe fewer than 5 people)"]


def test_the_html_report_for_publication_has_no_person_in_it() -> None:
    package = sharedoutcomes.example_package()
    assert "GV-0117" not in render_report(package)  # never shown even now
    html = render_report(package, publication=True)
    assert "sharing level: public" in html
    assert "Referred by his GP" not in html  # the case study about one person is withheld
    assert "Before the shed I could go a week" in html  # a quote from a cohort of 31 with consent stays


def test_a_threshold_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="1 or more"):
        publishable(sharedoutcomes.example_package(), threshold=0)
