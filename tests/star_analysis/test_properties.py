"""Properties that hold for any cohort: percentages add up, changes agree with their parts, order does not matter."""

from __future__ import annotations

import datetime as dt
import math
import random

from hypothesis import given
from hypothesis import strategies as st

from sharedoutcomes import Evidence
from sharedoutcomes.star_analysis import cohort_change, distance_travelled, snapshot
from sharedoutcomes.stars import get_star
from tests.star_analysis.conftest import make_reading

AREAS = get_star("homelessness-star").area_codes[:3]
STATUSES = st.sampled_from(["approved", "approved", "in-progress", "complete", None])


SCORES = st.tuples(*(st.one_of(st.none(), st.integers(1, 10)) for _ in AREAS))
READING = st.tuples(st.integers(0, 720), SCORES, STATUSES)


def _evidence(person: int, number: int, day: int, scores: tuple[int | None, ...], status: str | None) -> Evidence:
    given_scores = {code: score for code, score in zip(AREAS, scores, strict=True) if score is not None}
    date = (dt.date(2023, 1, 1) + dt.timedelta(days=day)).isoformat()
    return make_reading(f"P{person}", date, given_scores or {AREAS[0]: 5}, status=status,
                        evidence_id=f"e{person}-{number}")


# Up to seven people, each with up to four readings on distinct days; some areas left blank.
cohorts = st.lists(st.lists(READING, min_size=1, max_size=4, unique_by=lambda r: r[0]), max_size=7).map(
    lambda people: [_evidence(p, n, *r) for p, found in enumerate(people) for n, r in enumerate(found)])


@given(cohorts)
def test_counts_percentages_means_and_medians_agree(evidence: list[Evidence]) -> None:
    result = cohort_change(evidence)

    for area in (*result.areas, result.overall):
        assert area.improved + area.same + area.worse == area.n
        assert area.moved_up_stage <= area.improved  # a higher stage needs a higher score
        if not area.n:
            assert area.pct_improved is None
            continue
        assert math.isclose(area.pct_improved + area.pct_same + area.pct_worse, 100.0)
        assert math.isclose(area.mean_change, area.mean_latest - area.mean_first, abs_tol=1e-9)
        assert 1 <= area.median_first <= 10
        assert 1 <= area.median_latest <= 10
        assert -9 <= area.median_change <= 9
    assert result.overall.n == sum(area.n for area in result.areas)


@given(cohorts)
def test_only_people_with_two_counted_readings_have_changes(evidence: list[Evidence]) -> None:
    counted: dict[str, int] = {}
    for e in evidence:
        if e.extension_data["outcomes-star"].get("status") in ("approved", None):
            counted[e.subject.id] = counted.get(e.subject.id, 0) + 1  # type: ignore[union-attr]

    result = distance_travelled(evidence)

    assert set(result.people()) <= {p for p, n in counted.items() if n >= 2}
    assert {e.person for e in result.excluded if e.area is None} == {p for p, n in counted.items() if n == 1}
    for row in result.rows:
        assert row.first_date < row.latest_date
        assert row.readings >= 2


@given(cohorts, st.randoms(use_true_random=False))
def test_the_order_of_the_evidence_does_not_matter(evidence: list[Evidence], rng: random.Random) -> None:
    shuffled = list(evidence)
    rng.shuffle(shuffled)

    assert cohort_change(shuffled) == cohort_change(evidence)
    assert snapshot(shuffled, at="latest") == snapshot(evidence, at="latest")


@given(cohorts, st.sampled_from(["first", "latest"]))
def test_snapshot_percentages_add_up_to_100(evidence: list[Evidence], at: str) -> None:
    result = snapshot(evidence, at=at)  # type: ignore[arg-type]

    for area in result.areas:
        assert sum(area.counts) == area.n <= result.people
        assert math.isclose(sum(area.percents), 100.0)
