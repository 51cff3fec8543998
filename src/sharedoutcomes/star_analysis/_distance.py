"""
Distance travelled and cohort change: per person and area, then summarised for a cohort, as tables and charts.

The public names are exported from `sharedoutcomes.star_analysis`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from attrs import field, frozen

from sharedoutcomes.exceptions import Problem
from sharedoutcomes.star_analysis import _charts as _star_charts
from sharedoutcomes.star_analysis import _tables as tables
from sharedoutcomes.star_analysis._editions import _lookup_edition
from sharedoutcomes.star_analysis._person import ChartPath, person_chart
from sharedoutcomes.star_analysis._readings import (
    DateWindow,
    MixedReadings,
    Names,
    StarReading,
    StarReadings,
    _pandas,
)
from sharedoutcomes.star_analysis._rows import AreaChange, Exclusion, PersonAreaChange, _area_change, _pct
from sharedoutcomes.star_analysis._selection import (
    Source,
    _area_order,
    _label,
    _select,
    _stage_table,
    _star_name,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


_ROW_COLUMNS = ("person", "edition", "area", "label", "first_date", "latest_date", "first_score",
                "latest_score", "change", "first_stage", "latest_stage", "stage_change", "readings")


@frozen(kw_only=True)
class DistanceTravelled:
    """
    Per person and area, the change from the first to the latest counted reading of one edition.

    Attributes:
        star: The Star's id.
        rows: One `PersonAreaChange` per person, edition and area with at least two readings.
        excluded: People (and areas) with fewer than two readings, with the reason.
        areas: Area code → label, in the Star's order.
        stages: Edition → its Journey of Change stage names.
        notes: What else a reader should know (readings not counted, problems).
        problems: Problems with the evidence (see `StarReadings.problems`).
        selection: The readings the changes were worked out from.

    Example:
        >>> from sharedoutcomes.star_analysis import example_readings
        >>> result = distance_travelled(example_readings())
        >>> result
        <DistanceTravelled example-star: 3 people, 12 person-area changes, 1 excluded>
        >>> result.people()
        ('A', 'B', 'C')
    """

    star: str
    rows: tuple[PersonAreaChange, ...] = ()
    excluded: tuple[Exclusion, ...] = ()
    areas: Mapping[str, str] = field(factory=dict, hash=False, repr=False)
    stages: Mapping[str, tuple[str, ...]] = field(factory=dict, hash=False, repr=False)
    notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=(), repr=False)
    selection: StarReadings = field(factory=StarReadings, repr=False, eq=False)

    def people(self) -> tuple[str, ...]:
        """
        The people with at least one change, sorted.

        Example:
            >>> from sharedoutcomes.star_analysis import example_readings
            >>> distance_travelled(example_readings(), service="Irvine").people()
            ('C',)
        """
        return tuple(sorted({row.person for row in self.rows}))

    def cohort(self) -> CohortChange:
        """
        The cohort summary of these changes (see `cohort_change`).

        Example:
            >>> from sharedoutcomes.star_analysis import example_readings
            >>> distance_travelled(example_readings()).cohort().overall.improved
            10
        """
        return _summarise(self)

    def to_dataframe(self) -> pd.DataFrame:
        """
        One row per person and area, with scores, stages and changes.

        Example:
            >>> from sharedoutcomes.star_analysis import example_readings
            >>> print(*distance_travelled(example_readings()).to_dataframe().loc[0, ["person", "area", "change"]])
            A home 4
        """
        pandas = _pandas()
        frame: pd.DataFrame = pandas.DataFrame([[getattr(row, name) for name in _ROW_COLUMNS] for row in self.rows],
                                           columns=list(_ROW_COLUMNS))
        return frame

    def plot(self, person: str, **options: Any) -> Figure:
        """
        A person's first and latest readings as a Star chart (see `person_chart`).

        Example:
            >>> from sharedoutcomes.star_analysis import example_readings
            >>> distance_travelled(example_readings()).plot("B").get_suptitle()
            'Example star, edition 1: B'
        """
        return person_chart(self.selection, person, star=self.star, **options)

    def __repr__(self) -> str:
        return (f"<DistanceTravelled {self.star}: {len(self.people())} people, {len(self.rows)} person-area "
                f"changes, {len(self.excluded)} excluded>")

    def _repr_html_(self) -> str:
        rows = [[r.person, r.edition, self.areas.get(r.area, r.area), str(r.first_date), r.first_score,
                 str(r.latest_date), r.latest_score, f"{r.change:+d}", f"{r.stage_change:+d}"] for r in self.rows]
        header = ["person", "edition", "area", "first", "score", "latest", "score", "change", "stage change"]
        return tables.html_table(f"Distance travelled: {self.star}", header, rows,
                                 note=" ".join((f"{len(self.excluded)} excluded (fewer than two readings).",
                                                *self.notes)))


def distance_travelled(source: Source, *, star: str | None = None, edition: str | None = None,
                       service: Names = None, worker: Names = None,
                       period: DateWindow | None = None) -> DistanceTravelled:
    """
    Per person and area: the first and latest counted reading of the same edition, and the change.

    Readings are ordered by date, then reading number, then their order in the source. For each
    person, edition and area, the first and latest readings *with a score in that area* are
    compared; a person with only one reading of an edition, or an area scored only once, is
    listed in ``excluded`` with the reason. A person with readings on two editions gets a
    change for each edition that has at least two readings (never one across editions).

    Args:
        source: A package, evidence, or `StarReadings` (to choose which statuses count).
        star: The Star's id; needed only when the evidence holds readings of several Stars.
        edition: Keep only this edition.
        service: Keep only readings by this service (a name, or a collection of names).
        worker: Keep only readings by this worker (a name, or a collection of names).
        period: Keep only readings dated in this window (a `Period` or a ``(start, end)`` pair).

    Raises:
        MixedReadings: The readings are of more than one Star and *star* was not given.

    Example:
        >>> from sharedoutcomes.star_analysis import example_readings
        >>> result = distance_travelled(example_readings(), worker="Ann")
        >>> [(row.person, row.area, row.change) for row in result.rows][:2]
        [('A', 'home', 4), ('A', 'money', 3)]
    """
    chosen = _select(source, star=star, edition=edition, service=service, worker=worker, period=period,
                     single_edition=False)
    areas = _area_order(chosen.editions.values(), chosen.readings)
    groups: dict[tuple[str, str], list[StarReading]] = defaultdict(list)
    for reading in chosen.readings:
        groups[(reading.person, reading.edition)].append(reading)
    rows: list[PersonAreaChange] = []
    excluded: list[Exclusion] = []
    stage_tables: dict[str, dict[int, int]] = {}
    for (person, edition_id), found in sorted(groups.items()):
        if len(found) < 2:
            excluded.append(Exclusion(person=person, edition=edition_id, area=None,
                                      reason="only one counted reading of this edition"))
            continue
        found.sort(key=lambda r: r.order)
        star_edition = chosen.editions[edition_id]
        if edition_id not in stage_tables:
            stage_tables[edition_id] = _stage_table(star_edition)
        stages = stage_tables[edition_id]
        for area in areas:
            scored = [r for r in found if area in r.scores]
            if not scored:
                continue
            if len(scored) < 2:
                excluded.append(Exclusion(person=person, edition=edition_id, area=area,
                                          reason="the area is scored in only one reading"))
                continue
            first, latest = scored[0], scored[-1]
            rows.append(PersonAreaChange(
                person=person, edition=edition_id, area=area, label=areas[area], first_date=first.date,
                latest_date=latest.date, first_score=first.scores[area], latest_score=latest.scores[area],
                first_stage=stages.get(first.scores[area]) or star_edition.stage_of(first.scores[area]),
                latest_stage=stages.get(latest.scores[area]) or star_edition.stage_of(latest.scores[area]),
                readings=len(scored)))
    return DistanceTravelled(star=chosen.star, rows=tuple(rows), excluded=tuple(excluded), areas=areas,
                             stages={k: tuple(e.stages) for k, e in chosen.editions.items()},
                             notes=chosen.notes, problems=chosen.readings.problems, selection=chosen.readings)


# --------------------------------------------------------------------------- cohort change


_COHORT_COLUMNS = ("area", "label", "n", "mean_first", "median_first", "mean_latest", "median_latest",
                   "mean_change", "median_change", "pct_improved", "pct_same", "pct_worse", "pct_moved_up_stage")


@frozen(kw_only=True)
class CohortChange:
    """
    The "difference between earliest and latest" for a cohort, per area and over all areas.

    Attributes:
        star, edition: The Star and edition analysed.
        areas: One `AreaChange` per area, in the Star's order.
        overall: All person-area changes pooled (``n`` counts person-area pairs).
        people: People with at least one change.
        people_improved_any_area: People whose score rose in at least one area.
        distance: The per-person changes the summary was made from.

    Example:
        >>> from sharedoutcomes.star_analysis import example_readings
        >>> result = cohort_change(example_readings())
        >>> result
        <CohortChange example-star/1: 3 people, 4 areas, mean change +1.8, median +2.0, 83.3% improved>
        >>> result.people, result.people_improved_any_area
        (3, 3)
    """

    star: str
    edition: str
    areas: tuple[AreaChange, ...]
    overall: AreaChange
    people: int
    people_improved_any_area: int
    distance: DistanceTravelled = field(repr=False, eq=False)

    @property
    def pct_people_improved_any_area(self) -> float | None:
        """Percentage of people whose score rose in at least one area."""
        return _pct(self.people_improved_any_area, self.people)

    @property
    def notes(self) -> tuple[str, ...]:
        """What else a reader should know (people excluded, readings not counted, problems)."""
        people_out = sorted({e.person for e in self.distance.excluded if e.area is None})
        word = "person" if len(people_out) == 1 else "people"
        out = (f"{len(people_out)} {word} with only one counted reading not included.",) if people_out else ()
        return (*out, *self.distance.notes)

    def to_dataframe(self) -> pd.DataFrame:
        """
        One row per area, and a last row for all areas, with means beside medians.

        Example:
            >>> from sharedoutcomes.star_analysis import example_readings
            >>> frame = cohort_change(example_readings()).to_dataframe()
            >>> print(*frame.iloc[-1][["label", "n", "mean_change", "median_change"]], sep=" | ")
            All areas | 12 | 1.75 | 2.0
        """
        pandas = _pandas()
        frame: pd.DataFrame = pandas.DataFrame(
            [[getattr(a, name) for name in _COHORT_COLUMNS] for a in (*self.areas, self.overall)],
            columns=list(_COHORT_COLUMNS))
        return frame

    def plot(self, **options: Any) -> Figure:
        """
        The cohort's average first and latest scores as a Star chart (see `cohort_chart`).

        Example:
            >>> from sharedoutcomes.star_analysis import example_readings
            >>> len(cohort_change(example_readings()).plot(statistic="median").axes[0].texts)
            4
        """
        return cohort_chart(self, **options)

    def __repr__(self) -> str:
        o = self.overall
        return (f"<CohortChange {_label(self.star, self.edition)}: {self.people} people, {len(self.areas)} areas, "
                f"mean change {tables.number(o.mean_change, sign=True)}, median "
                f"{tables.number(o.median_change, sign=True)}, {tables.percent(o.pct_improved)} improved>")

    def _repr_html_(self) -> str:
        header = ["area", "n", "first mean", "first median", "latest mean", "latest median", "change mean",
                  "change median", "improved", "same", "worse", "up ≥1 stage"]
        rows = [[a.label, a.n, tables.number(a.mean_first), tables.number(a.median_first),
                 tables.number(a.mean_latest), tables.number(a.median_latest),
                 tables.number(a.mean_change, sign=True), tables.number(a.median_change, sign=True),
                 tables.percent(a.pct_improved), tables.percent(a.pct_same), tables.percent(a.pct_worse),
                 tables.percent(a.pct_moved_up_stage)] for a in (*self.areas, self.overall)]
        note = ("Star scores are ordinal: read medians beside means. "
                f"{self.people} people; n counts people per area and person-area pairs for all areas. "
                + " ".join(self.notes))
        return tables.html_table(f"Difference between earliest and latest: {_label(self.star, self.edition)}",
                                 header, rows, note=note)


def cohort_change(source: Source | DistanceTravelled, *, star: str | None = None, edition: str | None = None,
                  service: Names = None, worker: Names = None, period: DateWindow | None = None) -> CohortChange:
    """
    The cohort's difference between earliest and latest readings, per area and overall.

    For each area: the number of people with data (at least two readings), the mean and
    median first, latest and change, and the percentages improved, the same, worse, and
    moved up at least one Journey of Change stage. The overall row pools every person-area
    change. Filters are those of `distance_travelled`.

    Raises:
        MixedReadings: The readings span several Stars or editions and *star* / *edition*
            was not given (areas differ between editions, so they are never pooled).

    Example:
        >>> from sharedoutcomes.star_analysis import example_readings
        >>> result = cohort_change(example_readings(), service="Garnock")
        >>> [(a.label, a.n, a.mean_change) for a in result.areas]
        [('Home', 2, 2.0), ('Money', 2, 2.0), ('Health', 2, 1.0), ('Work', 2, 3.0)]
    """
    if isinstance(source, DistanceTravelled):
        distance = source
        editions = sorted({row.edition for row in distance.rows})
        if len(editions) > 1:
            raise MixedReadings("edition", Counter(row.edition for row in distance.rows), star=distance.star)
        edition_id = editions[0] if editions else ""
    else:
        chosen = _select(source, star=star, edition=edition, service=service, worker=worker, period=period,
                         single_edition=True)
        distance = distance_travelled(chosen.readings, star=chosen.star)
        edition_id = next(iter(chosen.editions), "")
    return _summarise(distance, edition_id)


def _summarise(distance: DistanceTravelled, edition: str | None = None) -> CohortChange:
    if edition is None:
        editions = sorted({row.edition for row in distance.rows})
        if len(editions) > 1:
            raise MixedReadings("edition", Counter(row.edition for row in distance.rows), star=distance.star)
        edition = editions[0] if editions else ""
    by_area: dict[str, list[PersonAreaChange]] = defaultdict(list)
    for row in distance.rows:
        by_area[row.area].append(row)
    areas = tuple(_area_change(code, label, by_area[code]) for code, label in distance.areas.items()
                  if by_area[code])
    improved_people = {row.person for row in distance.rows if row.change > 0}
    return CohortChange(star=distance.star, edition=edition, areas=areas,
                        overall=_area_change(None, "All areas", distance.rows), people=len(distance.people()),
                        people_improved_any_area=len(improved_people), distance=distance)


def cohort_chart(source: Source | CohortChange, *, statistic: Literal["mean", "median"] = "mean",
                 star: str | None = None, edition: str | None = None, service: Names = None,
                 worker: Names = None, period: DateWindow | None = None, title: str | None = None,
                 path: ChartPath = None) -> Figure:
    """
    A cohort's average first and latest scores in each area as a Star chart.

    Each area label carries its ``n`` (people with at least two readings).

    Args:
        source: A package, evidence, `StarReadings`, or a `CohortChange` already computed.
        statistic: ``"mean"`` (the familiar Star Online chart) or ``"median"`` (better suited
            to ordinal scores).
        star: As for `cohort_change` (ignored when *source* is a `CohortChange`, as are the next four).
        edition: As for `cohort_change`.
        service: As for `cohort_change`.
        worker: As for `cohort_change`.
        period: As for `cohort_change`.
        title: The chart title.
        path: Save the chart here too (one path or several; the suffix gives the format).

    Example:
        >>> from sharedoutcomes.star_analysis import example_readings
        >>> figure = cohort_chart(example_readings(), statistic="median")
        >>> figure.axes[0].get_legend_handles_labels()[1]
        ['First reading (median)', 'Latest reading (median)']
    """
    if statistic not in ("mean", "median"):
        msg = f"statistic must be 'mean' or 'median', not {statistic!r}"
        raise ValueError(msg)
    result = source if isinstance(source, CohortChange) else cohort_change(
        source, star=star, edition=edition, service=service, worker=worker, period=period)
    star_edition = result.distance.selection.editions.get((result.star, result.edition)) or _lookup_edition(
        result.star, result.edition or None, ())
    first = [a.mean_first if statistic == "mean" else a.median_first for a in result.areas]
    latest = [a.mean_latest if statistic == "mean" else a.median_latest for a in result.areas]
    series = [
        _star_charts.Series(label=f"First reading ({statistic})", values=tuple(_nan(v) for v in first),
                            style="first"),
        _star_charts.Series(label=f"Latest reading ({statistic})", values=tuple(_nan(v) for v in latest),
                            style="latest"),
    ]
    labels = tuple(a.label for a in result.areas)
    heading = title or f"{_star_name(star_edition, result.edition)}: {statistic} first and latest readings"
    subtitle = (f"{result.people} people with at least two readings; "
                f"{tables.percent(result.overall.pct_improved)} of person-area scores improved")
    figure = _star_charts.star_chart(labels, series, edition=star_edition, title=heading, subtitle=subtitle,
                                     area_notes=tuple(f"n = {a.n}" for a in result.areas))
    _star_charts.save(figure, path)
    return figure


def _nan(value: float | None) -> float:
    return math.nan if value is None else value

