"""
Distance travelled, cohort change and snapshots of Outcomes Star readings, as Polars queries.

The same figures as `sharedoutcomes.star_analysis` (tested equal): readings ordered by date,
then reading number, then their place in the source; the first and latest reading *with a score
in the area* of the same edition; a person with one reading of an edition, or an area scored
once, listed in ``excluded`` with the reason; means beside medians.

The public names are exported from `sharedoutcomes.columnar_analysis`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
from attrs import field, frozen

from sharedoutcomes import columnar
from sharedoutcomes._examples import example_package
from sharedoutcomes.columnar_analysis import _editions
from sharedoutcomes.columnar_analysis._frames import dataframe, frames, polars
from sharedoutcomes.columnar_analysis._readings import StarTables, names, star_tables
from sharedoutcomes.exceptions import Problem
from sharedoutcomes.model import Extension, Period
from sharedoutcomes.serialization import from_json_data
from sharedoutcomes.star_analysis import COUNTED_STATUSES, MixedReadings, example_evidence
from sharedoutcomes.stars import EXTENSION_DECLARATION, StarRegistry

if TYPE_CHECKING:
    import polars as pl

DISTANCE_COLUMNS: Final = ("person", "edition", "area", "label", "first_date", "latest_date", "first_score",
                           "latest_score", "change", "first_stage", "latest_stage", "stage_change", "readings")
"""The columns of `StarDistance.rows` (those of ``star_analysis.DistanceTravelled.to_dataframe()``)."""
EXCLUDED_COLUMNS: Final = ("person", "edition", "area", "reason")
COHORT_COLUMNS: Final = ("area", "label", "n", "mean_first", "mean_latest", "mean_change", "median_first",
                         "median_latest", "median_change", "improved", "same", "worse", "moved_up_stage",
                         "pct_improved", "pct_same", "pct_worse", "pct_moved_up_stage")
"""The columns of `StarCohort.table`: one row per area, then ``All areas`` (area null)."""

_ONE_READING: Final = "only one counted reading of this edition"
_ONE_AREA: Final = "the area is scored in only one reading"


@frozen(kw_only=True)
class Selection:
    """The readings an analysis works from (after the filters), their editions, areas, and notes for the reader."""

    star: str
    readings: pl.DataFrame
    scores: pl.DataFrame
    editions: Mapping[str, _editions.Edition]
    areas: Mapping[str, str]
    notes: tuple[str, ...]
    problems: tuple[Problem, ...]


@frozen(kw_only=True)
class StarDistance:
    """
    Distance travelled on columns: per person, edition and area, the first and latest counted reading.

    Attributes:
        star: The Star's id.
        rows: One row per person, edition and area with two readings or more (`DISTANCE_COLUMNS`),
            in the order of ``star_analysis.distance_travelled``.
        excluded: People (area null) and areas left out, with the reason.
        areas: Area code → label, in the Star's order.
        stages: Edition → its Journey of Change stage names.
        notes: What else a reader should know.
        problems: Problems with the evidence (as ``star_analysis.readings`` reports them).
    """

    star: str
    rows: pl.DataFrame
    excluded: pl.DataFrame
    areas: Mapping[str, str] = field(factory=dict, repr=False)
    stages: Mapping[str, tuple[str, ...]] = field(factory=dict, repr=False)
    notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=(), repr=False)

    def people(self) -> tuple[str, ...]:
        """The people with at least one change, sorted."""
        return tuple(sorted(set(self.rows["person"].to_list())))

    def to_arrow(self) -> Any:
        """The rows as a ``pyarrow.Table``."""
        return self.rows.to_arrow()

    def __repr__(self) -> str:
        return (f"<StarDistance {self.star}: {len(self.people())} people, {self.rows.height} person-area changes, "
                f"{self.excluded.height} excluded>")


@frozen(kw_only=True)
class StarCohort:
    """
    Cohort change on columns: per area and over all areas, means beside medians.

    Attributes:
        star, edition: The Star and edition analysed.
        table: One row per area in the Star's order, then ``All areas`` (`COHORT_COLUMNS`).
        people: People with at least one change.
        people_improved_any_area: People whose score rose in at least one area.
        notes: What else a reader should know (people with one reading, readings not counted, problems).
        distance: The per-person changes the summary was made from.
    """

    star: str
    edition: str
    table: pl.DataFrame
    people: int
    people_improved_any_area: int
    notes: tuple[str, ...] = ()
    distance: StarDistance = field(repr=False, eq=False)

    def to_arrow(self) -> Any:
        """The table as a ``pyarrow.Table``."""
        return self.table.to_arrow()

    def __repr__(self) -> str:
        return f"<StarCohort {self.star}/{self.edition}: {self.people} people, {self.table.height - 1} areas>"


@frozen(kw_only=True)
class StarSnapshot:
    """
    A snapshot on columns: per area, how many people were at each Journey of Change stage.

    Attributes:
        table: One row per area: ``area``, ``label``, ``n``, ``counts`` (a list, stage 1 first) and ``percents``.
    """

    star: str
    edition: str
    at: Literal["first", "latest"]
    stages: tuple[str, ...]
    table: pl.DataFrame
    people: int
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (f"<StarSnapshot {self.star}/{self.edition} at {self.at} reading: {self.people} people, "
                f"{self.table.height} areas>")


Window = Period | tuple[dt.date | None, dt.date | None]


def _window(period: Window | None) -> tuple[dt.date | None, dt.date | None]:
    if period is None:
        return None, None
    if isinstance(period, Period):
        return period.start, period.end
    return period


def _filter(readings: pl.DataFrame, *, star: str | None, edition: str | None, service: Any, worker: Any,
            period: Window | None, person: Any = None) -> pl.DataFrame:
    pl = polars()
    start, end = _window(period)
    conditions = []
    if star is not None:
        conditions.append(pl.col("star") == star)
    if edition is not None:
        conditions.append(pl.col("edition") == str(edition))
    for column, wanted in (("service", names(service)), ("worker", names(worker)), ("person", names(person))):
        if wanted is not None:
            conditions.append(pl.col(column).is_in(wanted).fill_null(value=False))
    if start is not None:
        conditions.append(pl.col("date") >= start)
    if end is not None:
        conditions.append(pl.col("date") <= end)
    return readings.filter(*conditions) if conditions else readings


def _label(star: str, edition: str) -> str:
    return f"{star}/{edition}" if edition else star


def choose_star(star_counts: Counter[str], edition_counts: Counter[str], star: str | None,
                single_edition: bool) -> str | None:
    """The Star analysed, or `MixedReadings` as ``star_analysis`` raises it (counts are of the chosen readings)."""
    if len(star_counts) > 1:
        raise MixedReadings("star", star_counts)
    star_id = star or next(iter(star_counts), None)
    if single_edition and len(edition_counts) > 1:
        raise MixedReadings("edition", edition_counts, star=star_id)
    return star_id


def selection_notes(star_id: str, looked_up: Mapping[str, _editions.Edition], left_out: Counter[str],
                    problems: int) -> tuple[str, ...]:
    """What a reader should know: unconfirmed editions, readings not counted (status → number), problems."""
    notes = []
    for edition_id, star_edition in looked_up.items():
        what = _editions.unsure(star_edition)
        if what is not None:
            notes.append(f"{_label(star_id, edition_id)}: not confirmed in a public source ({what}); "
                         "stage figures are indicative.")
    if left_out:
        notes.append("Not counted for their status: " + ", ".join(f"{n} {s}" for s, n in sorted(left_out.items()))
                     + ".")
    if problems:
        notes.append(f"{problems} problems with the evidence: see .problems.")
    return tuple(notes)


def choose(readings: pl.DataFrame, not_counted: pl.DataFrame, *, star: str | None, edition: str | None,
           service: Any, worker: Any, period: Window | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The readings (and the readings not counted) that pass the filters."""
    return (_filter(readings, star=star, edition=edition, service=service, worker=worker, period=period),
            _filter(not_counted, star=star, edition=edition, service=service, worker=worker, period=period))


def counts(frame: pl.DataFrame, column: str) -> Counter[str]:
    """How many rows have each value of *column* (``no status`` for a missing status)."""
    return Counter({("no status" if key is None else key): n for key, n in frame.group_by(column).len().iter_rows()})


def select(found: StarTables, *, star: str | None, edition: str | None, service: Any, worker: Any,
           period: Window | None, single_edition: bool) -> Selection:
    """The readings an analysis works from, as ``star_analysis`` chooses them (raising `MixedReadings` alike)."""
    pl = polars()
    chosen, left_out = choose(found.readings, found.not_counted, star=star, edition=edition, service=service,
                              worker=worker, period=period)
    star_id = choose_star(counts(chosen, "star"), counts(chosen, "edition"), star, single_edition)
    scores = found.scores.join(chosen.select("evidence_index"), on="evidence_index", how="semi")
    if star_id is None:
        return Selection(star=star or "", readings=chosen, scores=scores, editions={}, areas={},
                         notes=("No readings were selected.",), problems=found.problems)
    looked_up = {e: found.editions[(star_id, e)]
                 for e in chosen.select(pl.col("edition").unique(maintain_order=True))["edition"].to_list()}
    notes = selection_notes(star_id, looked_up, counts(left_out, "status"), len(found.problems))
    return Selection(star=star_id, readings=chosen, scores=scores, editions=looked_up,
                     areas=area_order(looked_up.values(), first_seen(scores)), notes=notes,
                     problems=found.problems)


def first_seen(scores: pl.DataFrame) -> pl.DataFrame:
    """Each area's first usable score in source order: ``evidence_index``, ``value_index``, ``area``, ``label``."""
    return (scores.sort("evidence_index", "value_index").unique(subset=["area"], keep="first", maintain_order=True)
            .select("evidence_index", "value_index", "area", "label"))


def area_order(editions: Collection[_editions.Edition], seen: pl.DataFrame) -> dict[str, str]:
    """Area code → label: the registry's areas in its order, then areas only the readings have (as first seen)."""
    order: dict[str, str] = {}
    for edition in editions:
        for area in edition.areas:
            order.setdefault(area.code, area.label)
    for code, label in seen.sort("evidence_index", "value_index").select("area", "label").iter_rows():
        if code not in order:
            order[code] = label or code.replace("-", " ").capitalize()
    return order


def _stage_frame(editions: Mapping[str, _editions.Edition]) -> pl.DataFrame:
    pl = polars()
    rows = [(edition_id, score, stage) for edition_id, edition in editions.items()
            for score, stage in _editions.stage_table(edition).items()]
    out = pl.DataFrame(rows, schema={"edition": pl.String, "score": pl.Int64, "stage": pl.Int64},
                                     orient="row")
    return dataframe(out)


def _areas_frame(areas: Mapping[str, str]) -> pl.DataFrame:
    pl = polars()
    out = pl.DataFrame({"area": list(areas), "area_label": list(areas.values()),
                         "area_position": list(range(len(areas)))},
                                     schema={"area": pl.String, "area_label": pl.String,
                                             "area_position": pl.Int64})
    return dataframe(out)


_ORDER: Final = ("date", "reading_order", "evidence_index")


def scored_readings(readings: pl.DataFrame, scores: pl.DataFrame) -> pl.DataFrame:
    """Every usable score of *readings*, with its reading's person, edition and order."""
    pl = polars()
    keyed = readings.select("evidence_index", "person", "edition", "date",
                            pl.col("reading_number").fill_null(0).alias("reading_order"))
    return scores.join(keyed, on="evidence_index", how="inner")


def _scored(chosen: Selection) -> pl.DataFrame:
    return scored_readings(chosen.readings, chosen.scores)


def pairs(readings: pl.DataFrame, scored: pl.DataFrame, areas: Mapping[str, str],
          editions: Mapping[str, _editions.Edition]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """
    The person-area changes and the exclusions of some people's readings (all of each person's readings).

    *readings* needs ``person`` and ``edition``; *scored* is `scored_readings`. The rows keep
    ``area_position`` (the area's place in *areas*) for sorting; they are not sorted.
    """
    pl = polars()
    groups = readings.group_by("person", "edition").agg(pl.len().alias("n"))
    lone = (groups.filter(pl.col("n") < 2)
            .select("person", "edition", pl.lit(None, dtype=pl.String).alias("area"),
                    pl.lit(_ONE_READING).alias("reason"), pl.lit(-1, dtype=pl.Int64).alias("area_position")))
    scored = scored.join(groups.filter(pl.col("n") >= 2).select("person", "edition"), on=["person", "edition"],
                         how="semi")
    by_order = [pl.col(c) for c in _ORDER]
    found = (scored.group_by("person", "edition", "area")
             .agg(pl.col("score").sort_by(by_order).first().alias("first_score"),
                  pl.col("score").sort_by(by_order).last().alias("latest_score"),
                  pl.col("date").sort_by(by_order).first().alias("first_date"),
                  pl.col("date").sort_by(by_order).last().alias("latest_date"),
                  pl.len().cast(pl.Int64).alias("readings"))
             .join(_areas_frame(areas), on="area", how="left"))
    once = (found.filter(pl.col("readings") < 2)
            .select("person", "edition", "area", pl.lit(_ONE_AREA).alias("reason"), "area_position"))
    excluded = pl.concat([lone, once], how="vertical")
    stages = _stage_frame(editions)
    rows = (found.filter(pl.col("readings") >= 2)
            .join(stages.rename({"score": "first_score", "stage": "first_stage"}), on=["edition", "first_score"],
                  how="left")
            .join(stages.rename({"score": "latest_score", "stage": "latest_stage"}),
                  on=["edition", "latest_score"], how="left")
            .with_columns(pl.col("area_label").alias("label"),
                          (pl.col("latest_score") - pl.col("first_score")).alias("change"),
                          (pl.col("latest_stage") - pl.col("first_stage")).alias("stage_change"))
            .select(*DISTANCE_COLUMNS, "area_position"))
    return rows, excluded


def distance_result(star: str, rows: pl.DataFrame, excluded: pl.DataFrame, *, areas: Mapping[str, str],
                    editions: Mapping[str, _editions.Edition], notes: tuple[str, ...],
                    problems: tuple[Problem, ...]) -> StarDistance:
    """The distance travelled of `pairs` (of every person), in the order of ``star_analysis``."""
    return StarDistance(star=star, rows=rows.sort("person", "edition", "area_position").select(DISTANCE_COLUMNS),
                        excluded=excluded.sort("person", "edition", "area_position").select(EXCLUDED_COLUMNS),
                        areas=areas, stages={k: tuple(e.stages) for k, e in editions.items()}, notes=notes,
                        problems=problems)


def _distance(chosen: Selection) -> StarDistance:
    rows, excluded = pairs(chosen.readings, _scored(chosen), chosen.areas, chosen.editions)
    return distance_result(chosen.star, rows, excluded, areas=chosen.areas, editions=chosen.editions,
                           notes=chosen.notes, problems=chosen.problems)


def _source(tables: Any, statuses: Collection[str], include_unstated: bool, stars: StarRegistry | None,
            ) -> StarTables:
    if isinstance(tables, StarTables):
        return tables
    return star_tables(frames(tables), statuses=statuses, include_unstated=include_unstated, stars=stars)


def readings(tables: Any, *, statuses: Collection[str] = COUNTED_STATUSES, include_unstated: bool = True,
             stars: StarRegistry | None = None) -> StarTables:
    """
    The Outcomes Star readings of columnar evidence: one row per reading and one per usable score.

    The same readings, statuses and problems as `sharedoutcomes.star_analysis.readings` on the
    package the tables hold. Pass the result to the other analyses to choose once which
    statuses count.

    Example:
        >>> from sharedoutcomes.columnar_analysis import example_tables
        >>> found = readings(example_tables())
        >>> found.readings.height, found.not_counted.height, found.scores.height
        (8, 1, 36)
    """
    return _source(tables, statuses, include_unstated, stars)


def distance_travelled(tables: Any, *, star: str | None = None, edition: str | None = None, service: Any = None,
                       worker: Any = None, period: Window | None = None, statuses: Collection[str] = COUNTED_STATUSES,
                       include_unstated: bool = True, stars: StarRegistry | None = None) -> StarDistance:
    """
    Per person and area, the first and latest counted reading of the same edition, on columns.

    The arguments and rules are those of `sharedoutcomes.star_analysis.distance_travelled`
    (and *statuses*, *include_unstated* and *stars* those of its ``readings``); *tables* are
    columnar evidence (`sharedoutcomes.columnar.from_package`, ``convert`` or ``read_parquet``)
    or the `StarTables` of `readings`.

    Raises:
        MixedReadings: The readings are of more than one Star and *star* was not given.

    Example:
        >>> from sharedoutcomes.columnar_analysis import example_tables
        >>> result = distance_travelled(example_tables(), worker="Ann")
        >>> result.rows.select("person", "area", "change").head(2).rows()
        [('A', 'home', 4), ('A', 'money', 3)]
    """
    found = _source(tables, statuses, include_unstated, stars)
    return _distance(select(found, star=star, edition=edition, service=service, worker=worker, period=period,
                            single_edition=False))


def _summary(label: str, area: str | None, rows: pl.DataFrame) -> pl.DataFrame:
    pl = polars()
    n = pl.len()
    frame = rows.select(
        pl.lit(area, dtype=pl.String).alias("area"), pl.lit(label).alias("label"), n.cast(pl.Int64).alias("n"),
        pl.col("first_score").mean().alias("mean_first"), pl.col("latest_score").mean().alias("mean_latest"),
        pl.col("change").mean().alias("mean_change"), pl.col("first_score").median().alias("median_first"),
        pl.col("latest_score").median().alias("median_latest"), pl.col("change").median().alias("median_change"),
        (pl.col("change") > 0).sum().cast(pl.Int64).alias("improved"),
        (pl.col("change") == 0).sum().cast(pl.Int64).alias("same"),
        (pl.col("change") < 0).sum().cast(pl.Int64).alias("worse"),
        (pl.col("stage_change") >= 1).sum().cast(pl.Int64).alias("moved_up_stage"))
    return _with_percentages(frame)


def _with_percentages(frame: pl.DataFrame) -> pl.DataFrame:
    pl = polars()
    pct = [(pl.when(pl.col("n") > 0).then(100 * pl.col(c) / pl.col("n")).otherwise(None)).alias(f"pct_{c}")
           for c in ("improved", "same", "worse", "moved_up_stage")]
    return frame.with_columns(*pct).select(COHORT_COLUMNS)


def _by_area(distance: StarDistance) -> pl.DataFrame:
    pl = polars()
    rows = distance.rows
    frame = (rows.group_by("area").agg(
        pl.len().cast(pl.Int64).alias("n"),
        pl.col("first_score").mean().alias("mean_first"), pl.col("latest_score").mean().alias("mean_latest"),
        pl.col("change").mean().alias("mean_change"), pl.col("first_score").median().alias("median_first"),
        pl.col("latest_score").median().alias("median_latest"), pl.col("change").median().alias("median_change"),
        (pl.col("change") > 0).sum().cast(pl.Int64).alias("improved"),
        (pl.col("change") == 0).sum().cast(pl.Int64).alias("same"),
        (pl.col("change") < 0).sum().cast(pl.Int64).alias("worse"),
        (pl.col("stage_change") >= 1).sum().cast(pl.Int64).alias("moved_up_stage"))
        .join(_areas_frame(distance.areas), on="area", how="inner").sort("area_position")
        .with_columns(pl.col("area_label").alias("label")))
    return _with_percentages(frame)


def summarise(distance: StarDistance, edition: str) -> StarCohort:
    """The cohort summary of some distance travelled (one edition)."""
    pl = polars()
    rows = distance.rows
    table = pl.concat([_by_area(distance), _summary("All areas", None, rows)], how="vertical_relaxed")
    people_out = sorted(set(distance.excluded.filter(pl.col("area").is_null())["person"].to_list()))
    word = "person" if len(people_out) == 1 else "people"
    out = (f"{len(people_out)} {word} with only one counted reading not included.",) if people_out else ()
    improved = rows.filter(pl.col("change") > 0)["person"].n_unique()
    return StarCohort(star=distance.star, edition=edition, table=table, people=rows["person"].n_unique(),
                      people_improved_any_area=improved, notes=(*out, *distance.notes), distance=distance)


def cohort_change(tables: Any, *, star: str | None = None, edition: str | None = None, service: Any = None,
                  worker: Any = None, period: Window | None = None, statuses: Collection[str] = COUNTED_STATUSES,
                  include_unstated: bool = True, stars: StarRegistry | None = None) -> StarCohort:
    """
    The cohort's difference between earliest and latest readings, per area and overall, on columns.

    The same figures as `sharedoutcomes.star_analysis.cohort_change`.

    Raises:
        MixedReadings: The readings span several Stars or editions and *star* / *edition* was not given.

    Example:
        >>> from sharedoutcomes.columnar_analysis import example_tables
        >>> result = cohort_change(example_tables())
        >>> result.table.filter(result.table["area"].is_null()).select("n", "mean_change", "median_change").row(0)
        (12, 1.75, 2.0)
    """
    found = _source(tables, statuses, include_unstated, stars)
    chosen = select(found, star=star, edition=edition, service=service, worker=worker, period=period,
                    single_edition=True)
    return summarise(_distance(chosen), next(iter(chosen.editions), ""))


def snapshot(tables: Any, *, at: Literal["first", "latest"] = "first", star: str | None = None,
             edition: str | None = None, service: Any = None, worker: Any = None, period: Window | None = None,
             statuses: Collection[str] = COUNTED_STATUSES, include_unstated: bool = True,
             stars: StarRegistry | None = None) -> StarSnapshot:
    """
    The number of people at each Journey of Change stage in each area, at their first or latest reading.

    The same figures as `sharedoutcomes.star_analysis.snapshot`.

    Raises:
        MixedReadings: The readings span several Stars or editions and *star* / *edition* was not given.
        ValueError: *at* is not ``"first"`` or ``"latest"``.

    Example:
        >>> from sharedoutcomes.columnar_analysis import example_tables
        >>> entry = snapshot(example_tables(), at="first")
        >>> entry.table.select("label", "counts").row(0)
        ('Home', [1, 2, 1, 0, 0])
    """
    if at not in ("first", "latest"):
        msg = f"at must be 'first' or 'latest', not {at!r}"
        raise ValueError(msg)
    found = _source(tables, statuses, include_unstated, stars)
    chosen = select(found, star=star, edition=edition, service=service, worker=worker, period=period,
                    single_edition=True)
    edition_id, star_edition = next(iter(chosen.editions.items()), ("", None))
    counts = stage_counts(_scored(chosen), at, chosen.editions, edition_id)
    return snapshot_result(chosen.star, edition_id, at, star_edition=star_edition, counts=counts,
                           areas=chosen.areas, people=chosen.readings["person"].n_unique(), notes=chosen.notes)


def stage_counts(scored: pl.DataFrame, at: Literal["first", "latest"], editions: Mapping[str, _editions.Edition],
                 edition_id: str) -> pl.DataFrame:
    """How many people are at each stage of each area at their first or latest reading (all of each person's scores)."""
    pl = polars()
    by_order = [pl.col(c) for c in _ORDER]
    pick = pl.col("score").sort_by(by_order)
    per_person = (scored.group_by("person", "area")
                  .agg((pick.first() if at == "first" else pick.last()).alias("score"))
                  .join(_stage_frame(editions).filter(pl.col("edition") == edition_id).drop("edition"),
                        on="score", how="inner"))
    return dataframe(per_person.group_by("area", "stage").agg(pl.len().cast(pl.Int64).alias("count")))


def snapshot_result(star: str, edition_id: str, at: Literal["first", "latest"], *,
                    star_edition: _editions.Edition | None, counts: pl.DataFrame, areas: Mapping[str, str],
                    people: int, notes: tuple[str, ...]) -> StarSnapshot:
    """The snapshot of `stage_counts` (of everyone, or summed over partitions of people)."""
    pl = polars()
    stage_names = tuple(star_edition.stages) if star_edition is not None else ()
    stage_numbers = pl.DataFrame({"stage": list(range(1, len(stage_names) + 1))}, schema={"stage": pl.Int64})
    counts = counts.group_by("area", "stage").agg(pl.col("count").sum())
    full = (_areas_frame(areas).join(stage_numbers, how="cross")
            .join(counts, on=["area", "stage"], how="left").with_columns(pl.col("count").fill_null(0))
            .sort("area_position", "stage")
            .with_columns(n=pl.col("count").sum().over("area_position"))
            .filter(pl.col("n") > 0)
            .with_columns(percent=100 * pl.col("count") / pl.col("n"))  # column by column, as the object path
            .group_by("area_position", maintain_order=True)
            .agg(pl.col("area").first(), pl.col("area_label").first().alias("label"), pl.col("n").first(),
                 pl.col("count").alias("counts"), pl.col("percent").alias("percents"))
            .select("area", "label", "n", "counts", "percents"))
    return StarSnapshot(star=star, edition=edition_id, at=at, stages=stage_names, table=full, people=people,
                        notes=notes)


_STAR_EXTENSION: Final = from_json_data(dict(EXTENSION_DECLARATION), Extension)


def example_tables() -> Any:
    """
    The made-up Star cohort of ``star_analysis.example_readings`` as columnar tables (for examples).

    The bundled example package (`sharedoutcomes.example_package`) with the nine made-up readings
    of `sharedoutcomes.star_analysis.example_evidence` as its evidence (its links, which name the
    example's own evidence, left out; the Outcomes Star extension declared): a valid package.

    Example:
        >>> example_tables()
        <EvidenceTables: 9 evidence, 36 values, 0 problems>
    """
    package = example_package()
    return columnar.from_package(attrs.evolve(package, evidence=example_evidence(), links=(),
                                              extensions=(*package.extensions, _STAR_EXTENSION)))
