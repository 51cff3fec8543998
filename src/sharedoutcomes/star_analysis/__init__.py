"""
Outcomes Star analyses: distance travelled, cohort change, snapshots, and Star charts.

Pure functions on evidence. A *reading* is one piece of evidence whose instrument is
``outcomes-star/<star>/<edition>`` (one value per outcome area; see the Outcomes Star
convention in the docs). The functions accept a `~sharedoutcomes.Package`, any iterable of
`~sharedoutcomes.Evidence`, or the `StarReadings` returned by `readings`.

Which readings count:

* Only **approved** readings count. A reading's status is read from
  ``extension_data["outcomes-star"]["status"]``; by default a status of ``approved`` counts,
  and so does a reading **with no status at all** (exports that carry no status column, such
  as CRM extracts or Star Online downloads made without in-progress readings, hold approved
  readings only). Pass
  ``statuses=`` and ``include_unstated=False`` to `readings` to change this. Readings left
  out for their status are counted in ``not_counted``, never silently dropped.
* Distance travelled pairs, for each person and area, the **first and latest** counted
  reading of the **same Star edition** (editions have different areas and wording); a
  person needs **at least two** such readings to have a change at all.
* Star scores are **ordinal**: a 6 is above a 4, but the steps are not equal. Every mean
  is reported beside its median, and the percentages improved, same and worse do not
  depend on equal steps at all.

Pandas (``sharedoutcomes[analysis]``) is needed only for ``to_dataframe()``, and
matplotlib (``sharedoutcomes[charts]``) only for the charts; both are imported lazily.

Example:
    >>> from sharedoutcomes.star_analysis import cohort_change, example_readings
    >>> result = cohort_change(example_readings())
    >>> result.overall.n, result.overall.mean_change, result.overall.median_change
    (12, 1.75, 2.0)
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from attrs import field, frozen

from sharedoutcomes.exceptions import Problem
from sharedoutcomes.model import Evidence, Package
from sharedoutcomes.star_analysis import _tables as tables
from sharedoutcomes.star_analysis._readings import (
    COUNTED_STATUSES,
    INSTRUMENT_PREFIX,
    DateWindow,
    MixedReadings,
    Names,
    StarReading,
    StarReadings,
    _Edition,
    _InferredEdition,
    _lookup_edition,
    _pandas,
    example_readings,
    readings,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "COUNTED_STATUSES",
    "INSTRUMENT_PREFIX",
    "AreaChange",
    "AreaStages",
    "CohortChange",
    "DistanceTravelled",
    "Exclusion",
    "MixedReadings",
    "PersonAreaChange",
    "Snapshot",
    "StarReading",
    "StarReadings",
    "cohort_change",
    "cohort_chart",
    "distance_travelled",
    "example_readings",
    "person_chart",
    "readings",
    "snapshot",
]

Source: TypeAlias = "Package | Iterable[Evidence] | StarReadings"
"""What the analyses read: a package, some evidence, or readings already selected."""


# --------------------------------------------------------------------------- selection


@frozen(kw_only=True)
class _Selection:
    star: str
    readings: StarReadings
    editions: Mapping[str, _Edition] = field(hash=False)
    notes: tuple[str, ...] = ()


def _select(source: Source, *, star: str | None, edition: str | None, service: Names, worker: Names,
            period: DateWindow | None, single_edition: bool) -> _Selection:
    found = source if isinstance(source, StarReadings) else readings(source)
    chosen = found.select(star=star, edition=edition, service=service, worker=worker, period=period)
    stars = Counter(r.star for r in chosen.readings)
    if len(stars) > 1:
        raise MixedReadings("star", stars)
    star_id = star or next(iter(stars), None)
    editions = Counter(r.edition for r in chosen.readings)
    if single_edition and len(editions) > 1:
        raise MixedReadings("edition", editions, star=star_id)
    if star_id is None:
        return _Selection(star=star or "", readings=chosen, editions={}, notes=("No readings were selected.",))
    looked_up: dict[str, _Edition] = {}
    for reading in chosen.readings:
        if reading.edition not in looked_up:
            known = chosen.editions.get((star_id, reading.edition))
            looked_up[reading.edition] = known or _lookup_edition(star_id, reading.edition or None, ())
    notes = []
    for edition_id, star_edition in looked_up.items():
        unsure = sorted(set(getattr(star_edition, "unconfirmed", ())) & {"scale", "stages", "stage_starts"})
        if unsure or isinstance(star_edition, _InferredEdition):
            what = ", ".join(unsure) or "the Star is not in the registry: generic stages"
            notes.append(f"{_label(star_id, edition_id)}: not confirmed in a public source ({what}); "
                         "stage figures are indicative.")
    if chosen.not_counted:
        statuses = Counter(r.status or "no status" for r in chosen.not_counted)
        notes.append("Not counted for their status: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
                     + ".")
    if chosen.problems:
        notes.append(f"{len(chosen.problems)} problems with the evidence: see .problems.")
    return _Selection(star=star_id, readings=chosen, editions=looked_up, notes=tuple(notes))


def _area_order(editions: Iterable[_Edition], found: Iterable[StarReading]) -> dict[str, str]:
    """Area code → label: the registry's areas in its order, then areas only the readings have."""
    order: dict[str, str] = {}
    for edition in editions:
        for area in edition.areas:
            order.setdefault(area.code, area.label)
    for reading in found:
        for code in reading.scores:
            if code not in order:
                order[code] = reading.labels.get(code) or code.replace("-", " ").capitalize()
    return order


def _stage_table(edition: _Edition) -> dict[int, int]:
    """Score → stage for every score on the edition's scale (looked up once, used for every reading)."""
    return {score: edition.stage_of(score) for score in range(edition.scale_min, edition.scale_max + 1)}


# --------------------------------------------------------------------------- distance travelled


@frozen(kw_only=True)
class PersonAreaChange:
    """
    One person's change in one area: their first and latest counted readings of one edition.

    Example:
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
        >>> distance_travelled(example_readings()).excluded[0]
        Exclusion(person='D', edition='1', area=None, reason='only one counted reading of this edition')
    """

    person: str
    edition: str
    area: str | None
    reason: str


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
            >>> distance_travelled(example_readings(), service="Irvine").people()
            ('C',)
        """
        return tuple(sorted({row.person for row in self.rows}))

    def cohort(self) -> CohortChange:
        """
        The cohort summary of these changes (see `cohort_change`).

        Example:
            >>> distance_travelled(example_readings()).cohort().overall.improved
            10
        """
        return _summarise(self)

    def to_dataframe(self) -> pd.DataFrame:
        """
        One row per person and area, with scores, stages and changes.

        Example:
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


@frozen(kw_only=True)
class AreaChange:
    """
    A cohort's difference between earliest and latest readings in one area (or all areas).

    Counts are people (person-area pairs for the overall row); percentages are of ``n``.
    Means and medians are given side by side: Star scores are ordinal.

    Example:
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


# --------------------------------------------------------------------------- snapshot


@frozen(kw_only=True)
class AreaStages:
    """
    How many people were at each Journey of Change stage in one area.

    Example:
        >>> area = snapshot(example_readings()).areas[0]
        >>> area.label, area.n, area.counts, area.percents
        ('Home', 4, (1, 2, 1, 0, 0), (25.0, 50.0, 25.0, 0.0, 0.0))
    """

    area: str
    label: str
    n: int
    counts: tuple[int, ...]

    @property
    def percents(self) -> tuple[float, ...]:
        """The percentage of the ``n`` people at each stage (all 0 when ``n`` is 0)."""
        return tuple(100 * c / self.n if self.n else 0.0 for c in self.counts)


@frozen(kw_only=True)
class Snapshot:
    """
    The percentage of people at each Journey of Change stage in each area, at one point in support.

    Attributes:
        at: ``"first"`` or ``"latest"``: each person's first or latest counted reading (per area).
        stages: The edition's stage names, stage 1 first.
        areas: One `AreaStages` per area.

    Example:
        >>> snapshot(example_readings(), at="latest")
        <Snapshot example-star/1 at latest reading: 4 people, 4 areas>
    """

    star: str
    edition: str
    at: Literal["first", "latest"]
    stages: tuple[str, ...]
    areas: tuple[AreaStages, ...]
    people: int
    notes: tuple[str, ...] = ()

    def to_dataframe(self, *, counts: bool = False) -> pd.DataFrame:
        """
        One row per area and one column per stage: percentages, or counts with ``counts=True``.

        Example:
            >>> print(*snapshot(example_readings()).to_dataframe(counts=True).loc["Home"])
            4 1 2 1 0 0
        """
        pandas = _pandas()
        data = [[a.n, *(a.counts if counts else a.percents)] for a in self.areas]
        frame: pd.DataFrame = pandas.DataFrame(data, columns=["n", *self.stages],
                                           index=pandas.Index([a.label for a in self.areas], name="area"))
        return frame

    def __repr__(self) -> str:
        return (f"<Snapshot {_label(self.star, self.edition)} at {self.at} reading: {self.people} people, "
                f"{len(self.areas)} areas>")

    def _repr_html_(self) -> str:
        rows = [[a.label, a.n, *(f"{p:.0f}% ({c})" for p, c in zip(a.percents, a.counts, strict=True))]
                for a in self.areas]
        return tables.html_table(f"Snapshot at {self.at} reading: {_label(self.star, self.edition)}",
                                 ["area", "n", *self.stages], rows, note=" ".join(self.notes))


def snapshot(source: Source, *, at: Literal["first", "latest"] = "first", star: str | None = None,
             edition: str | None = None, service: Names = None, worker: Names = None,
             period: DateWindow | None = None) -> Snapshot:
    """
    The percentage of people at each Journey of Change stage in each area, at their first or latest reading.

    Everyone with a counted reading is included (one reading is enough). For each area, a
    person's first (or latest) reading with a score in that area is used.

    Raises:
        MixedReadings: The readings span several Stars or editions and *star* / *edition*
            was not given.
        ValueError: *at* is not ``"first"`` or ``"latest"``.

    Example:
        >>> entry = snapshot(example_readings(), at="first")
        >>> entry.stages[:2], [a.counts[0] for a in entry.areas]
        (('Stage 1', 'Stage 2'), [1, 2, 0, 2])
    """
    if at not in ("first", "latest"):
        msg = f"at must be 'first' or 'latest', not {at!r}"
        raise ValueError(msg)
    chosen = _select(source, star=star, edition=edition, service=service, worker=worker, period=period,
                     single_edition=True)
    edition_id, star_edition = next(iter(chosen.editions.items()), ("", None))
    stage_names = tuple(star_edition.stages) if star_edition is not None else ()
    areas = _area_order(chosen.editions.values(), chosen.readings)
    by_person: dict[str, list[StarReading]] = defaultdict(list)
    for reading in chosen.readings:
        by_person[reading.person].append(reading)
    for found in by_person.values():
        found.sort(key=lambda r: r.order, reverse=at == "latest")
    result: list[AreaStages] = []
    stages = _stage_table(star_edition) if star_edition is not None else {}
    for area, label in areas.items():
        counts = [0] * len(stage_names)
        for found in by_person.values():
            score = next((r.scores[area] for r in found if area in r.scores), None)
            if score is not None and star_edition is not None:
                counts[(stages.get(score) or star_edition.stage_of(score)) - 1] += 1
        if sum(counts):
            result.append(AreaStages(area=area, label=label, n=sum(counts), counts=tuple(counts)))
    return Snapshot(star=chosen.star, edition=edition_id, at=at, stages=stage_names, areas=tuple(result),
                    people=len(by_person), notes=chosen.notes)


# --------------------------------------------------------------------------- charts


ChartPath: TypeAlias = "str | PathLike[str] | Iterable[str | PathLike[str]] | None"


def person_chart(source: Source, person: str, *, star: str | None = None, edition: str | None = None,
                 service: Names = None, worker: Names = None, period: DateWindow | None = None,
                 title: str | None = None, path: ChartPath = None) -> Figure:
    """
    A person's first and latest counted readings as a Star chart.

    The areas are labelled around the star, with rings for the scale and shaded bands for the
    Journey of Change stages; the first reading is dashed, the latest filled, and the legend
    gives each reading's date. With only one reading, that one is drawn.

    Args:
        source: A package, evidence, or `StarReadings`.
        person: The person's pseudonymous id.
        star: As for `distance_travelled`.
        edition: As for `distance_travelled`.
        service: As for `distance_travelled`.
        worker: As for `distance_travelled`.
        period: As for `distance_travelled`.
        title: The chart title (by default the Star, edition and person).
        path: Save the chart here too: one path or several (``"star.png"``, ``"star.svg"``);
            the format follows the suffix.

    Returns:
        The matplotlib `~matplotlib.figure.Figure` (Jupyter shows it inline).

    Raises:
        MissingDependency: matplotlib is not installed.
        MixedReadings: The person's readings span several editions and *edition* was not given.
        LookupError: The person has no counted reading in the selection.

    Example:
        >>> figure = person_chart(example_readings(), "A")
        >>> [text.get_text() for text in figure.axes[0].texts][:2]
        ['Home', 'Money']
    """
    from sharedoutcomes.star_analysis import _charts as _star_charts

    chosen = _select(source, star=star, edition=edition, service=service, worker=worker, period=period,
                     single_edition=False)
    mine = chosen.readings.select(person=person)
    if not mine.readings:
        msg = f"no counted Outcomes Star reading for person {person!r} in the selection"
        raise LookupError(msg)
    mine_editions = Counter(r.edition for r in mine.readings)
    if len(mine_editions) > 1:
        raise MixedReadings("edition", mine_editions, star=chosen.star)
    edition_id = next(iter(mine_editions))
    star_edition = chosen.editions[edition_id]
    ordered = sorted(mine.readings, key=lambda r: r.order)
    shown = [ordered[0], ordered[-1]] if len(ordered) > 1 else ordered
    areas = _area_order([star_edition], ordered)
    if not any(area.code in r.scores for r in ordered for area in star_edition.areas):
        areas = _area_order([], ordered)  # none of the edition's areas is scored: show what is
    series = [
        _star_charts.Series(label=f"{('First' if i == 0 else 'Latest') if len(shown) > 1 else 'Only'} reading, {_date(r.date)}",
                            values=tuple(float(r.scores[a]) if a in r.scores else math.nan for a in areas),
                            style="first" if i == 0 and len(shown) > 1 else "latest")
        for i, r in enumerate(shown)
    ]
    heading = title or f"{_star_name(star_edition, edition_id)}: {person}"
    figure = _star_charts.star_chart(tuple(areas.values()), series, edition=star_edition, title=heading,
                                     subtitle=_person_subtitle(ordered))
    _star_charts.save(figure, path)
    return figure


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
        >>> figure = cohort_chart(example_readings(), statistic="median")
        >>> figure.axes[0].get_legend_handles_labels()[1]
        ['First reading (median)', 'Latest reading (median)']
    """
    from sharedoutcomes.star_analysis import _charts as _star_charts

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


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _star_name(edition: _Edition, stated: str) -> str:
    """The Star's name, with the edition the readings state (none when they do not say)."""
    return f"{edition.name}, edition {stated}" if stated else edition.name


def _person_subtitle(ordered: Sequence[StarReading]) -> str:
    n = len(ordered)
    if n == 1:
        return "One counted reading"
    return f"{n} counted readings, {_date(ordered[0].date)} to {_date(ordered[-1].date)}"


def _label(star: str, edition: str) -> str:
    return f"{star}/{edition}" if edition else star
