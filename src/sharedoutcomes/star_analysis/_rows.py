"""
The rows of the analyses' results: one person's change in one area, an exclusion, a cohort's change in one area.

The public names are exported from `sharedoutcomes.star_analysis`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence

from attrs import frozen


@frozen(kw_only=True)
class PersonAreaChange:
    """
    One person's change in one area: their first and latest counted readings of one edition.

    Example:
        >>> from sharedoutcomes.star_analysis import distance_travelled, example_readings
        >>> row = distance_travelled(example_readings()).rows[0]
        >>> row.person, row.area, row.first_score, row.latest_score, row.change, row.stage_change
        ('A', 'home', 2, 6, 4, 2)
    """

    person: str
    edition: str
    area: str
    label: str
    first_date: dt.date
    latest_date: dt.date
    first_score: int
    latest_score: int
    first_stage: int
    latest_stage: int
    readings: int

    @property
    def change(self) -> int:
        """Latest score minus first score."""
        return self.latest_score - self.first_score

    @property
    def stage_change(self) -> int:
        """Latest Journey of Change stage minus first stage."""
        return self.latest_stage - self.first_stage


@frozen(kw_only=True)
class Exclusion:
    """
    A person (or one area of theirs) left out of distance travelled, and why.

    Example:
        >>> from sharedoutcomes.star_analysis import distance_travelled, example_readings
        >>> distance_travelled(example_readings()).excluded[0]
        Exclusion(person='D', edition='1', area=None, reason='only one counted reading of this edition')
    """

    person: str
    edition: str
    area: str | None
    reason: str


@frozen(kw_only=True)
class AreaChange:
    """
    A cohort's difference between earliest and latest readings in one area (or all areas).

    Counts are people (person-area pairs for the overall row); percentages are of ``n``.
    Means and medians are given side by side: Star scores are ordinal.

    Example:
        >>> from sharedoutcomes.star_analysis import cohort_change, example_readings
        >>> area = cohort_change(example_readings()).areas[0]
        >>> area.label, area.n, area.mean_first, area.median_change, area.pct_improved
        ('Home', 3, 3.0, 2.0, 66.66666666666667)
    """

    area: str | None
    label: str
    n: int
    mean_first: float | None
    mean_latest: float | None
    mean_change: float | None
    median_first: float | None
    median_latest: float | None
    median_change: float | None
    improved: int
    same: int
    worse: int
    moved_up_stage: int

    @property
    def pct_improved(self) -> float | None:
        """Percentage with a higher latest score (``None`` when ``n`` is 0)."""
        return _pct(self.improved, self.n)

    @property
    def pct_same(self) -> float | None:
        """Percentage with the same score."""
        return _pct(self.same, self.n)

    @property
    def pct_worse(self) -> float | None:
        """Percentage with a lower latest score."""
        return _pct(self.worse, self.n)

    @property
    def pct_moved_up_stage(self) -> float | None:
        """Percentage whose latest Journey of Change stage is at least one stage higher."""
        return _pct(self.moved_up_stage, self.n)


def _pct(count: int, n: int) -> float | None:
    return 100 * count / n if n else None


def _mean(values: Sequence[int]) -> float | None:
    return float(statistics.fmean(values)) if values else None


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _area_change(area: str | None, label: str, rows: Sequence[PersonAreaChange]) -> AreaChange:
    firsts = [r.first_score for r in rows]
    latests = [r.latest_score for r in rows]
    changes = [r.change for r in rows]
    return AreaChange(
        area=area, label=label, n=len(rows), mean_first=_mean(firsts), mean_latest=_mean(latests),
        mean_change=_mean(changes), median_first=_median(firsts), median_latest=_median(latests),
        median_change=_median(changes), improved=sum(c > 0 for c in changes), same=sum(c == 0 for c in changes),
        worse=sum(c < 0 for c in changes), moved_up_stage=sum(r.stage_change >= 1 for r in rows))
