"""
The batch checks and the Star analyses on Dask: one task per part of a dataset, run by ``dask.distributed``.

Every table of a dataset is a Dask DataFrame with one partition per part (`Dataset.frame`); a
task gets the four partitions of one part, which hold the same evidence items, and runs the
in-process code on them (`sharedoutcomes.columnar.validate`, the Star readings of
`sharedoutcomes.columnar_analysis`). What needs the whole dataset is done by Dask between the
tasks, never by gathering the tables:

* **checks**: evidence ids used twice anywhere (each part is given the first item of every id
  repeated from an earlier part, so that its checks name the right one); references from the
  package's links to evidence in any part; and the rule of the object path that the semantic
  rules run only when the schema finds nothing, anywhere. The problems are sorted as the object
  path sorts them.
* **Star analyses**: the edition of each Star (looked up once, with its first reading), which
  Stars and editions were chosen, the order of the areas; then the scores are **shuffled by
  person** (a Dask shuffle), so that every person's readings meet in one partition, where the
  first and latest readings are found. Only the per-person changes come back.

A task holds one part at a time (and the shuffle one partition of scores), so the memory a
worker needs is bounded by the part size chosen in `write_dataset`, not by the dataset.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any, Final

from sharedoutcomes import columnar
from sharedoutcomes._optional import require
from sharedoutcomes._util.paths import path_key
from sharedoutcomes.columnar_analysis import _readings, _stars
from sharedoutcomes.columnar_analysis._dataset import TABLE_NAMES, Dataset, part_tables, read_dataset
from sharedoutcomes.columnar_analysis._frames import frames, polars
from sharedoutcomes.exceptions import Problem
from sharedoutcomes.problems import Report
from sharedoutcomes.star_analysis import COUNTED_STATUSES
from sharedoutcomes.stars import StarRegistry

_EVIDENCE_PATH: Final = re.compile(r"^\$\.evidence\[(\d+)\]")
_LINK_EVIDENCE: Final = re.compile(r"^\$\.links\[\d+\]\.evidence_id$")
_SHAPE: Final = frozenset({"json-too-deep", "json-number-too-large", "number-not-finite"})


def _dask() -> Any:
    return require("dask", extra="dask", purpose="running on Dask")


def _dataset(source: Dataset | Any) -> Dataset:
    return source if isinstance(source, Dataset) else read_dataset(source)


def _partitions(dataset: Dataset) -> list[list[Any]]:
    """Per part, the delayed pandas partitions of its four tables."""
    delayed = [dataset.frame(name).to_delayed() for name in TABLE_NAMES]
    return [list(group) for group in zip(*delayed, strict=True)]


def _compute(client: Any, *items: Any) -> list[Any]:
    """Compute on *client* (a ``distributed.Client``), or on Dask's default scheduler when it is ``None``."""
    if client is not None:
        return list(client.gather(client.compute(list(items))))
    return list(_dask().compute(*items))


def _shuffle_method(client: Any) -> str:
    """Dask's peer-to-peer shuffle on a distributed cluster, its task shuffle on any other scheduler."""
    return "p2p" if client is not None else "tasks"


def _persist(client: Any, items: list[Any]) -> list[Any]:
    if client is not None:
        return list(client.persist(items))
    return list(_dask().persist(*items))


# --------------------------------------------------------------------------- checks


def _extra(frames_: Mapping[str, Any], extras: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The part's partitions with *extras* (rows of evidence from earlier parts) put first."""
    if not extras:
        return frames_
    pd = require("pandas", extra="analysis", purpose="running on Dask")
    return {name: pd.concat([extras[name], frames_[name]], ignore_index=True) if len(extras[name]) else frames_[name]
            for name in TABLE_NAMES}


def _check_part(evidence: Any, values: Any, subjects: Any, provenance: Any, *, package_json: str, first: bool,
                extras: Mapping[str, Any] | None, linked: Collection[str]) -> list[Problem]:
    """The problems of one part (the package's own only for the first part), with their global paths."""
    parts = {"evidence": evidence, "values": values, "subjects": subjects, "provenance": provenance}
    added = set(extras["evidence"]["evidence_index"].tolist()) if extras else set()
    report = columnar.validate(part_tables(_extra(parts, extras), package_json))
    out = []
    for problem in report.problems:
        match = _EVIDENCE_PATH.match(problem.path)
        if match is None:
            if not first:
                continue  # the package's own problems are the first part's to report
            if problem.rule == "ref-unresolved" and _LINK_EVIDENCE.match(problem.path) and problem.value in linked:
                continue  # the link's evidence is in another part
        elif int(match.group(1)) in added:
            continue  # an earlier part's evidence, there only to be named by the id check
        out.append(problem)
    return out


def _repeated_firsts(dataset: Dataset, client: Any) -> Any:
    """The first evidence item of every id used more than once: a pandas Series id → evidence_index, or ``None``."""
    ids = dataset.frame("evidence")[["evidence_index", "id"]]
    grouped = ids.groupby("id")["evidence_index"].agg(["count", "min"], split_out=max(1, ids.npartitions),
                                                      shuffle_method=_shuffle_method(client))
    (found,) = _compute(client, grouped[grouped["count"] > 1]["min"])
    return found if len(found) else None


def _rows_at(dataset: Dataset, client: Any, indexes: list[int]) -> dict[str, Any]:
    """The rows of every table for the evidence at *indexes* (a few), as pandas DataFrames."""
    frames_ = [dataset.frame(name) for name in TABLE_NAMES]
    found = _compute(client, *(frame[frame["evidence_index"].isin(indexes)] for frame in frames_))
    return dict(zip(TABLE_NAMES, found, strict=True))


def _linked_evidence(dataset: Dataset, client: Any) -> set[str]:
    """The evidence ids the package's links name that some part holds."""
    data = json.loads(dataset.package_json)
    named = sorted({str(link["evidence_id"]) for link in data.get("links", ()) if isinstance(link, Mapping)
                    and isinstance(link.get("evidence_id"), str)})
    if not named:
        return set()
    ids = dataset.frame("evidence")["id"]
    (found,) = _compute(client, ids[ids.isin(named)])  # no more rows than the links name (and their repeats)
    return set(found.tolist())


def _gate(problems: list[Problem]) -> list[Problem]:
    """As on the object path: problems of shape only, else of the schema only, else all."""
    shape = [p for p in problems if p.rule in _SHAPE]
    if shape:
        return shape
    schema = [p for p in problems if p.rule.startswith("schema.")]
    return schema or problems


def _sorted(parts: list[list[Problem]], package_json: str) -> list[Problem]:
    """The object path's order: errors first, then document order (each part's own order kept within an item)."""
    data = json.loads(package_json)
    document = {**{k: v for k, v in data.items() if k != "evidence"}, "evidence": []}
    keyed = []
    for number, problems in enumerate(parts):
        for rank, problem in enumerate(problems):
            match = _EVIDENCE_PATH.match(problem.path)
            top = match.group(0) if match is not None else problem.path
            keyed.append(((problem.severity != "error", path_key(top, document), number, rank), problem))
    return [problem for _, problem in sorted(keyed, key=lambda item: item[0])]


def validate_dataset(dataset: Dataset | Any, *, client: Any = None) -> Report:
    """
    Run the batch checks of `sharedoutcomes.columnar.validate` over a dataset, one Dask task per part.

    The problems are those `sharedoutcomes.validate` reports for the whole package, in the same
    order (tested equal): repeated evidence ids and link references are checked across parts.

    Args:
        dataset: A `Dataset`, or the folder of one.
        client: The ``distributed.Client`` to run on (a ``LocalCluster``'s, or a real cluster's:
            ``Client("tcp://scheduler:8786")``); ``None`` uses Dask's default scheduler.

    Example:
        >>> import sharedoutcomes, tempfile
        >>> from sharedoutcomes.columnar_analysis import write_dataset
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     dataset = write_dataset(sharedoutcomes.example_package(), folder, evidence_per_part=2)
        ...     validate_dataset(dataset).ok
        True
    """
    dataset = _dataset(dataset)
    delayed = _dask().delayed
    firsts = _repeated_firsts(dataset, client)
    linked = _linked_evidence(dataset, client)
    earlier: dict[str, Any] = {}
    if firsts is not None:
        earlier = _rows_at(dataset, client, sorted(int(i) for i in firsts.tolist()))
    tasks = []
    for number, (part, frames_) in enumerate(zip(dataset.parts, _partitions(dataset), strict=True)):
        extras = None
        if earlier:
            before = earlier["evidence"]["evidence_index"] < part.first
            keep = set(earlier["evidence"].loc[before, "evidence_index"].tolist())
            if keep:
                extras = {name: frame[frame["evidence_index"].isin(keep)] for name, frame in earlier.items()}
        tasks.append(delayed(_check_part)(*frames_, package_json=dataset.package_json, first=number == 0,
                                          extras=extras, linked=linked if number == 0 else ()))
    parts = _compute(client, *tasks)
    gated = set(map(id, _gate([p for found in parts for p in found])))
    return Report(problems=tuple(_sorted([[p for p in found if id(p) in gated] for found in parts],
                                         dataset.package_json)))


# --------------------------------------------------------------------------- Star analyses


def _requests_part(evidence: Any, values: Any, subjects: Any, provenance: Any) -> Any:
    found = frames(part_tables({"evidence": evidence, "values": values, "subjects": subjects,
                                "provenance": provenance}, "{}"))
    usable, _ = _readings.usable_readings(found)
    return _readings.edition_requests(usable, found.values).to_pandas()


def _stars_part(evidence: Any, values: Any, subjects: Any, provenance: Any, *, editions_table: Any,
                editions: Mapping[tuple[str, str], Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """One part's readings that pass the filters: the small summaries, and the scores to shuffle by person."""
    pl = polars()
    found = frames(part_tables({"evidence": evidence, "values": values, "subjects": subjects,
                                "provenance": provenance}, "{}"))
    usable, problems = _readings.usable_readings(found)
    tables = _readings.counted_readings(found, usable, problems, pl.from_pandas(editions_table), editions,
                                        statuses=options["statuses"], include_unstated=options["include_unstated"])
    chosen, left_out = _stars.choose(tables.readings, tables.not_counted, **options["filters"])
    scores = tables.scores.join(chosen.select("evidence_index"), on="evidence_index", how="semi")
    first_editions = chosen.group_by("edition").agg(pl.col("evidence_index").min())
    scored = _stars.scored_readings(chosen, scores).select("person", "edition", "area", "score", "date",
                                                           "reading_order", "evidence_index")
    marks = chosen.select("person", "edition", pl.lit(None, dtype=pl.String).alias("area"),
                          pl.lit(None, dtype=pl.Int64).alias("score"), "date",
                          pl.col("reading_number").fill_null(0).alias("reading_order"), "evidence_index")
    return {"problems": list(tables.problems), "stars": _stars.counts(chosen, "star"),
            "editions": _stars.counts(chosen, "edition"), "left_out": _stars.counts(left_out, "status"),
            "first_editions": dict(first_editions.iter_rows()), "seen": _stars.first_seen(scores).to_pandas(),
            "rows": pl.concat([marks, scored], how="vertical").to_pandas(use_pyarrow_extension_array=True)}


def _pairs_part(rows: Any, areas: Mapping[str, str], editions: Mapping[str, Any]) -> Any:
    """The person-area changes and exclusions of the people in one shuffled partition (all their readings)."""
    pl = polars()
    frame = pl.from_pandas(rows)
    readings = frame.filter(pl.col("area").is_null()).select("person", "edition")
    scored = frame.filter(pl.col("area").is_not_null())
    found, excluded = _stars.pairs(readings, scored, areas, editions)
    both = pl.concat([found.with_columns(pl.lit(None, dtype=pl.String).alias("reason")),
                      excluded.with_columns(*(pl.lit(None, dtype=found.schema[c]).alias(c)
                                              for c in found.columns if c not in excluded.columns))
                      .select(*found.columns, "reason")], how="vertical")
    return both.to_pandas(use_pyarrow_extension_array=True)


def _stars_prepare(dataset: Dataset, client: Any, *, statuses: Collection[str], include_unstated: bool,
                   stars: StarRegistry | None, filters: Mapping[str, Any], single_edition: bool) -> Any:
    pl = polars()
    delayed = _dask().delayed
    partitions = _partitions(dataset)
    requests = _compute(client, *(delayed(_requests_part)(*p) for p in partitions))
    editions_table, editions = _readings.resolve_editions(
        pl.concat([pl.from_pandas(r) for r in requests if len(r)], how="vertical_relaxed") if any(
            len(r) for r in requests) else pl.DataFrame(schema={"evidence_index": pl.Int64, "star": pl.String,
                                                                "stated_edition": pl.String,
                                                                "lows": pl.List(pl.Int64),
                                                                "highs": pl.List(pl.Int64)}), stars)
    options = {"statuses": statuses, "include_unstated": include_unstated, "filters": filters}
    table = editions_table.to_pandas()
    staged = _persist(client, [delayed(_stars_part)(*p, editions_table=table, editions=editions, options=options) for p in partitions])
    small = _compute(client, *(delayed(lambda s: {k: v for k, v in s.items() if k != "rows"})(s) for s in staged))
    star_counts: Counter[str] = sum((s["stars"] for s in small), Counter())
    edition_counts: Counter[str] = sum((s["editions"] for s in small), Counter())
    star_id = _stars.choose_star(star_counts, edition_counts, filters["star"], single_edition)
    problems = tuple(p for s in small for p in s["problems"])
    first_editions: dict[str, int] = {}
    for s in small:
        for edition, index in s["first_editions"].items():
            first_editions[edition] = min(index, first_editions.get(edition, index))
    if star_id is None:
        return None, staged, problems, {}, {}, ("No readings were selected.",), filters["star"] or ""
    looked_up = {e: editions[(star_id, e)] for e in sorted(first_editions, key=first_editions.__getitem__)}
    seen = [pl.from_pandas(s["seen"]) for s in small if len(s["seen"])]
    areas = _stars.area_order(looked_up.values(), pl.concat(seen, how="vertical_relaxed") if seen else
                              pl.DataFrame(schema={"evidence_index": pl.Int64, "value_index": pl.Int64,
                                                   "area": pl.String, "label": pl.String}))
    left_out: Counter[str] = sum((s["left_out"] for s in small), Counter())
    notes = _stars.selection_notes(star_id, looked_up, left_out, len(problems))
    return star_id, staged, problems, looked_up, areas, notes, star_id


def _distance_on_dask(dataset: Dataset, client: Any, *, single_edition: bool, statuses: Collection[str],
                      include_unstated: bool, stars: StarRegistry | None, filters: Mapping[str, Any],
                      ) -> tuple[_stars.StarDistance, Mapping[str, Any]]:
    pl = polars()
    dd = require("dask.dataframe", extra="dask", purpose="running on Dask", distribution="dask")
    delayed = _dask().delayed
    star_id, staged, problems, looked_up, areas, notes, star = _stars_prepare(
        dataset, client, statuses=statuses, include_unstated=include_unstated, stars=stars, filters=filters,
        single_edition=single_edition)
    empty_rows = _stars.pairs(pl.DataFrame(schema={"person": pl.String, "edition": pl.String}),
                              pl.DataFrame(schema={"person": pl.String, "edition": pl.String, "area": pl.String,
                                                   "score": pl.Int64, "date": pl.Date, "reading_order": pl.Int64,
                                                   "evidence_index": pl.Int64}), {}, {})[0]
    if star_id is None:
        distance = _stars.distance_result(star, empty_rows, pl.DataFrame(schema={
            "person": pl.String, "edition": pl.String, "area": pl.String, "reason": pl.String,
            "area_position": pl.Int64}), areas={}, editions={}, notes=notes, problems=problems)
        return distance, looked_up
    rows_meta = _stars_part_meta()
    scattered = dd.from_delayed([delayed(lambda s: s["rows"])(s) for s in staged], meta=rows_meta,
                                verify_meta=False)
    shuffled = scattered.shuffle(on="person", npartitions=max(1, scattered.npartitions),
                                 method=_shuffle_method(client))
    meta = _pairs_part(rows_meta, areas, looked_up)
    changes = shuffled.map_partitions(_pairs_part, areas, looked_up, meta=meta)
    (found,) = _compute(client, changes)
    frame = pl.from_pandas(found)
    reasons = pl.col("reason")
    rows = frame.filter(reasons.is_null()).drop("reason")
    excluded = frame.filter(reasons.is_not_null()).select("person", "edition", "area", "reason", "area_position")
    return _stars.distance_result(star_id, rows, excluded, areas=areas, editions=looked_up, notes=notes,
                                  problems=problems), looked_up


def _stages_part(rows: Any, at: str, editions: Mapping[str, Any], edition_id: str) -> Any:
    """The stage counts of the people in one shuffled partition, and a row (area null) counting its people."""
    pl = polars()
    frame = pl.from_pandas(rows)
    counts = _stars.stage_counts(frame.filter(pl.col("area").is_not_null()), at,  # type: ignore[arg-type]
                                 editions, edition_id)
    people = pl.DataFrame({"area": [None], "stage": [None], "count": [frame["person"].n_unique()]},
                          schema={"area": pl.String, "stage": pl.Int64, "count": pl.Int64})
    return pl.concat([counts.select("area", "stage", "count"), people], how="vertical").to_pandas(
        use_pyarrow_extension_array=True)


def dask_snapshot(dataset: Dataset | Any, *, at: str = "first", client: Any = None, star: str | None = None,
                  edition: str | None = None, service: Any = None, worker: Any = None, period: Any = None,
                  statuses: Collection[str] = COUNTED_STATUSES, include_unstated: bool = True,
                  stars: StarRegistry | None = None) -> _stars.StarSnapshot:
    """
    A snapshot over a dataset on Dask: the figures of `snapshot` on the whole package.

    Raises:
        MixedReadings: The readings span several Stars or editions and *star* / *edition* was not given.
        ValueError: *at* is not ``"first"`` or ``"latest"``.

    Example:
        >>> import tempfile
        >>> from sharedoutcomes.columnar_analysis import example_tables, write_dataset
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     result = dask_snapshot(write_dataset(example_tables(), folder, evidence_per_part=2), at="latest")
        >>> result.table.select("label", "counts").row(0)
        ('Home', [0, 1, 3, 0, 0])
    """
    if at not in ("first", "latest"):
        msg = f"at must be 'first' or 'latest', not {at!r}"
        raise ValueError(msg)
    pl = polars()
    dd = require("dask.dataframe", extra="dask", purpose="running on Dask", distribution="dask")
    delayed = _dask().delayed
    data = _dataset(dataset)
    star_id, staged, _, looked_up, areas, notes, star_name = _stars_prepare(
        data, client, statuses=statuses, include_unstated=include_unstated, stars=stars,
        filters=_filters(star, edition, service, worker, period), single_edition=True)
    edition_id, star_edition = next(iter(looked_up.items()), ("", None))
    if star_id is None:
        empty = pl.DataFrame(schema={"area": pl.String, "stage": pl.Int64, "count": pl.Int64})
        return _stars.snapshot_result(star_name, "", at, star_edition=None, counts=empty,  # type: ignore[arg-type]
                                      areas={}, people=0, notes=notes)
    rows_meta = _stars_part_meta()
    scattered = dd.from_delayed([delayed(lambda s: s["rows"])(s) for s in staged], meta=rows_meta,
                                verify_meta=False)
    shuffled = scattered.shuffle(on="person", npartitions=max(1, scattered.npartitions),
                                 method=_shuffle_method(client))
    meta = _stages_part(rows_meta, at, looked_up, edition_id)
    (found,) = _compute(client, shuffled.map_partitions(_stages_part, at, looked_up, edition_id, meta=meta))
    frame = pl.from_pandas(found)
    people = int(frame.filter(pl.col("area").is_null())["count"].sum())
    counts = frame.filter(pl.col("area").is_not_null())
    return _stars.snapshot_result(star_id, edition_id, at, star_edition=star_edition,  # type: ignore[arg-type]
                                  counts=counts, areas=areas, people=people, notes=notes)


def _stars_part_meta() -> Any:
    pl = polars()
    return pl.DataFrame(schema={"person": pl.String, "edition": pl.String, "area": pl.String, "score": pl.Int64,
                                "date": pl.Date, "reading_order": pl.Int64, "evidence_index": pl.Int64}
                        ).to_pandas(use_pyarrow_extension_array=True)


def _filters(star: str | None, edition: str | None, service: Any, worker: Any, period: Any) -> dict[str, Any]:
    return {"star": star, "edition": edition, "service": service, "worker": worker, "period": period}


def dask_distance_travelled(dataset: Dataset | Any, *, client: Any = None, star: str | None = None,
                            edition: str | None = None, service: Any = None, worker: Any = None, period: Any = None,
                            statuses: Collection[str] = COUNTED_STATUSES, include_unstated: bool = True,
                            stars: StarRegistry | None = None) -> _stars.StarDistance:
    """
    Distance travelled over a dataset on Dask: the figures of `distance_travelled` on the whole package.

    The arguments are those of `distance_travelled`, and *client* that of `validate_dataset`.

    Raises:
        MixedReadings: The readings are of more than one Star and *star* was not given.

    Example:
        >>> import tempfile
        >>> from sharedoutcomes.columnar_analysis import example_tables, write_dataset
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     dataset = write_dataset(example_tables(), folder, evidence_per_part=3)
        ...     result = dask_distance_travelled(dataset, worker="Ann")
        >>> result.rows.select("person", "area", "change").head(2).rows()
        [('A', 'home', 4), ('A', 'money', 3)]
    """
    distance, _ = _distance_on_dask(_dataset(dataset), client, single_edition=False, statuses=statuses,
                                    include_unstated=include_unstated, stars=stars,
                                    filters=_filters(star, edition, service, worker, period))
    return distance


def dask_cohort_change(dataset: Dataset | Any, *, client: Any = None, star: str | None = None,
                       edition: str | None = None, service: Any = None, worker: Any = None, period: Any = None,
                       statuses: Collection[str] = COUNTED_STATUSES, include_unstated: bool = True,
                       stars: StarRegistry | None = None) -> _stars.StarCohort:
    """
    Cohort change over a dataset on Dask: the figures of `cohort_change` on the whole package.

    Raises:
        MixedReadings: The readings span several Stars or editions and *star* / *edition* was not given.

    Example:
        >>> import tempfile
        >>> from sharedoutcomes.columnar_analysis import example_tables, write_dataset
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     result = dask_cohort_change(write_dataset(example_tables(), folder, evidence_per_part=2))
        >>> result.table.row(-1, named=True)["median_change"]
        2.0
    """
    distance, looked_up = _distance_on_dask(_dataset(dataset), client, single_edition=True, statuses=statuses,
                                            include_unstated=include_unstated, stars=stars,
                                            filters=_filters(star, edition, service, worker, period))
    return _stars.summarise(distance, next(iter(looked_up), ""))
