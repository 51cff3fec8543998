"""
Outcomes Star readings as columns: one row per reading, one row per usable score, and the problems.

The rules are those of `sharedoutcomes.star_analysis.readings`, applied to whole columns: a
reading is evidence whose instrument starts ``outcomes-star/`` or that carries Star metadata
(``extension_data["outcomes-star"]``); it needs a Star, a person and a date; a score must be a
whole number on the edition's scale, and an area scored twice keeps its first score. Every
reading left out and every score not used is a `Problem` with its JSON path and, for
converted data, the row of the original file, exactly as on the object path.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from attrs import field, frozen

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.columnar_analysis import _editions
from sharedoutcomes.columnar_analysis._frames import (
    Frames,
    location,
    polars,
    python_value,
    with_subjects_and_provenance,
)
from sharedoutcomes.exceptions import Problem
from sharedoutcomes.star_analysis import COUNTED_STATUSES, INSTRUMENT_PREFIX
from sharedoutcomes.stars import StarRegistry, edition_or_inferred

if TYPE_CHECKING:
    import polars as pl

EXTENSION: Final = "outcomes-star"
_META: Final = ("status", "worker", "service", "organisation", "completion_type")

READING_COLUMNS: Final = ("evidence_index", "evidence_id", "person", "star", "edition", "date", "status",
                          "worker", "service", "organisation", "reading_number", "completion_type")
"""The columns of `StarTables.readings`, one row per reading."""
SCORE_COLUMNS: Final = ("evidence_index", "value_index", "area", "score", "label")
"""The columns of `StarTables.scores`, one row per usable score."""


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, Mapping | list | tuple):
        return None
    text = value.strip() if isinstance(value, str) else str(value).strip()
    return text or None


def norm_status(status: str) -> str:
    """A status compared ignoring case, spaces, ``-`` and ``_``."""
    return "-".join(status.strip().lower().replace("_", " ").replace("-", " ").split())


@frozen(kw_only=True)
class StarTables:
    """
    The Star readings found in columnar evidence.

    Attributes:
        readings: One row per reading that counts (`READING_COLUMNS`), in source order.
        not_counted: Readings left out for their status, in the same columns.
        scores: One row per usable score of a counted or not-counted reading (`SCORE_COLUMNS`).
        problems: Readings that cannot be used and scores that cannot be used, in source order.
        editions: (Star, edition) → the edition its scores were read against.
    """

    readings: pl.DataFrame
    not_counted: pl.DataFrame
    scores: pl.DataFrame
    problems: tuple[Problem, ...] = ()
    editions: Mapping[tuple[str, str], _editions.Edition] = field(factory=dict, eq=False, repr=False)


def _meta(text: str | None) -> Mapping[str, Any]:
    if text is None:
        return {}
    data = json.loads(text)
    meta = data.get(EXTENSION) if isinstance(data, Mapping) else None
    return meta if isinstance(meta, Mapping) else {}


def _candidates(found: Frames) -> pl.DataFrame:
    """The evidence that is a Star reading, with its Star, stated edition and Star metadata as columns."""
    pl = polars()
    evidence = found.evidence
    columns = [c for c in ("evidence_index", "id", "instrument", "date", "extension_data") if c in evidence.columns]
    evidence = evidence.select(columns)
    extension = evidence["extension_data"].to_list() if "extension_data" in evidence.columns else []
    metas = [_meta(text) for text in extension] if extension else [{}] * evidence.height
    instruments = evidence["instrument"].to_list() if "instrument" in evidence.columns else [None] * evidence.height
    keep: list[bool] = []
    stars: list[str | None] = []
    editions: list[str | None] = []
    meta_columns: dict[str, list[Any]] = {name: [] for name in (*_META, "reading_number")}
    for named, meta in zip(instruments, metas, strict=True):
        instrument = named or ""
        wanted = instrument.startswith(INSTRUMENT_PREFIX) or bool(meta)
        keep.append(wanted)
        if not wanted:
            continue
        parts = instrument[len(INSTRUMENT_PREFIX):].split("/") if instrument.startswith(INSTRUMENT_PREFIX) else []
        stars.append((parts[0] if parts and parts[0] else None) or _text(meta.get("star")))
        editions.append((parts[1] if len(parts) > 1 and parts[1] else None) or _text(meta.get("edition")))
        for name in _META:
            meta_columns[name].append(_text(meta.get(name)))
        number = meta.get("reading_number")
        meta_columns["reading_number"].append(
            number if isinstance(number, int) and not isinstance(number, bool) and -2**63 <= number < 2**63
            else None)
    chosen = evidence.filter(pl.Series(keep, dtype=pl.Boolean)).drop("extension_data", strict=False)
    chosen = chosen.with_columns(
        pl.Series("star", stars, dtype=pl.String), pl.Series("stated_edition", editions, dtype=pl.String),
        *(pl.Series(name, meta_columns[name], dtype=pl.String) for name in _META),
        pl.Series("reading_number", meta_columns["reading_number"], dtype=pl.Int64),
    )
    return with_subjects_and_provenance(found, chosen).sort("evidence_index")


def _reading_problem(row: Mapping[str, Any], rule: str, where: tuple[str | int, ...], message: str,
                     value: Any = None) -> Problem:
    return Problem(rule=f"star-analysis.{rule}", severity="warning",
                   path=json_path(["evidence", row["evidence_index"], *where]),
                   message=f"evidence {row['id']!r}: {message}", source=location(row), value=value)


def _unusable(candidates: pl.DataFrame) -> tuple[pl.DataFrame, list[tuple[int, int, Problem]]]:
    """The readings with a Star, a person and a date; a problem for each of the others."""
    pl = polars()
    bad = (pl.col("star").is_null() | (pl.col("subject_type") != "person").fill_null(value=True)
           | pl.col("subject_id").is_null() | pl.col("date").is_null())
    problems: list[tuple[int, int, Problem]] = []
    for row in candidates.filter(bad).iter_rows(named=True):
        if row["star"] is None:
            problem = _reading_problem(row, "no-star", ("instrument",), "the instrument does not name a Star",
                                       row["instrument"] or "")
        elif row["subject_type"] != "person" or row["subject_id"] is None:
            problem = _reading_problem(row, "no-person", ("subject",), "a Star reading needs a person's id as its "
                                       "subject")
        else:
            problem = _reading_problem(row, "no-date", ("date",), "a Star reading needs its date")
        problems.append((row["evidence_index"], -1, problem))
    return candidates.filter(~bad), problems


def _scale_columns(values: pl.DataFrame) -> list[pl.Expr]:
    pl = polars()
    out = []
    for name in ("scale_min", "scale_max"):
        ints = pl.col(f"{name}_int") if f"{name}_int" in values.columns else pl.lit(None, dtype=pl.Int64)
        floats = pl.col(f"{name}_float") if f"{name}_float" in values.columns else pl.lit(None, dtype=pl.Float64)
        out.append(pl.coalesce(ints.cast(pl.Float64), floats).alias(name))
    return out


def _score_problems(bad: pl.DataFrame, kind: str) -> list[tuple[int, int, Problem]]:
    out = []
    for row in bad.iter_rows(named=True):
        score = python_value(row)
        if isinstance(score, float) and score.is_integer():
            score = int(score)
        where = ("values", row["value_index"], "value")
        code = row["code"]
        if kind == "score-not-whole":
            message = f"the score for {code!r} is {score!r}, not a whole number"
        elif kind == "score-out-of-scale":
            message = f"the score for {code!r} is {score}, outside the {row['scale_min']}–{row['scale_max']} scale"
        else:
            message = f"the area {code!r} is scored twice; the first score is used"
        out.append((row["evidence_index"], row["value_index"], _reading_problem(row, kind, where, message, score)))
    return out


def _scores(usable: pl.DataFrame, values: pl.DataFrame) -> tuple[pl.DataFrame, list[tuple[int, int, Problem]]]:
    """The usable scores of the readings (first score of each area), and a problem for every other value."""
    pl = polars()
    kind = pl.col("value_type").cast(pl.String)
    number = (pl.when(kind == "integer")
              .then(pl.coalesce(pl.col("value_int").cast(pl.Float64), pl.col("value_str").cast(pl.Float64,
                                                                                              strict=False)))
              .when(kind == "number").then(pl.col("value_float")).otherwise(None))
    keyed = usable.select("evidence_index", "id", "scale_min", "scale_max", "file", "sheet", "row", "column")
    present = [c for c in ("evidence_index", "value_index", "code", "label", "value_type", "value_int",
                           "value_float", "value_str", "value_bool") if c in values.columns]
    joined = (values.select(present).join(keyed, on="evidence_index", how="inner")
              .with_columns(number.alias("number"))
              .with_columns(whole=(pl.col("number") == pl.col("number").floor()).fill_null(value=False)
                            & pl.col("number").is_finite().fill_null(value=False))
              .with_columns(inside=pl.col("whole") & (pl.col("number") >= pl.col("scale_min"))
                            & (pl.col("number") <= pl.col("scale_max")))
              .sort("evidence_index", "value_index"))
    problems = [*_score_problems(joined.filter(~pl.col("whole")), "score-not-whole"),
                *_score_problems(joined.filter(pl.col("whole") & ~pl.col("inside")), "score-out-of-scale")]
    good = joined.filter(pl.col("inside")).with_columns(
        repeat=pl.col("value_index").rank("ordinal").over("evidence_index", "code") > 1)
    problems += _score_problems(good.filter(pl.col("repeat")), "area-repeated")
    scores = (good.filter(~pl.col("repeat"))
              .select("evidence_index", "value_index", pl.col("code").alias("area"),
                      pl.col("number").cast(pl.Int64).alias("score"),
                      pl.when(pl.col("label") != "").then(pl.col("label")).otherwise(None).alias("label")))
    return scores, problems


def usable_readings(found: Frames) -> tuple[pl.DataFrame, list[tuple[int, int, Problem]]]:
    """The evidence that is a usable Star reading (Star, person and date), and the problems of the rest."""
    return _unusable(_candidates(found))


def edition_requests(usable: pl.DataFrame, values: pl.DataFrame) -> pl.DataFrame:
    """Per Star and stated edition: its first reading (``evidence_index``) and the scale bounds its values declare."""
    pl = polars()
    firsts = (usable.select("evidence_index", "star", "stated_edition")
              .with_columns(pl.col("stated_edition").fill_null(""))
              .sort("evidence_index")
              .unique(subset=["star", "stated_edition"], keep="first", maintain_order=True))
    scales = (values.join(firsts.select("evidence_index"), on="evidence_index", how="semi")
              .select("evidence_index", *_scale_columns(values))
              .group_by("evidence_index")
              .agg(pl.col("scale_min").cast(pl.Int64, strict=False).drop_nulls().alias("lows"),
                   pl.col("scale_max").cast(pl.Int64, strict=False).drop_nulls().alias("highs")))
    return firsts.join(scales, on="evidence_index", how="left").sort("evidence_index")


def resolve_editions(requests: pl.DataFrame, stars: StarRegistry | None,
                     ) -> tuple[pl.DataFrame, dict[tuple[str, str], _editions.Edition]]:
    """
    The edition of each Star and stated edition, looked up once with its first reading's values.

    *requests* are `edition_requests` (of all the evidence, or of every partition of it: the
    earliest reading of each Star and edition is the one whose values count).
    """
    pl = polars()
    firsts = requests.sort("evidence_index").unique(subset=["star", "stated_edition"], keep="first",
                                                    maintain_order=True)
    rows: dict[str, list[Any]] = {"star": [], "stated_edition": [], "edition": [], "scale_min": [], "scale_max": []}
    found: dict[tuple[str, str], _editions.Edition] = {}
    for row in firsts.iter_rows(named=True):
        star, stated = row["star"], row["stated_edition"] or None
        edition = edition_or_inferred(star, stated, lows=row["lows"] or (), highs=row["highs"] or (), stars=stars)
        edition_id = _editions.stated_edition(star, stated, edition)
        found[(star, row["stated_edition"])] = edition
        found.setdefault((star, edition_id), edition)
        rows["star"].append(star)
        rows["stated_edition"].append(row["stated_edition"])
        rows["edition"].append(edition_id)
        rows["scale_min"].append(edition.scale_min)
        rows["scale_max"].append(edition.scale_max)
    table = pl.DataFrame(rows, schema={"star": pl.String, "stated_edition": pl.String, "edition": pl.String,
                                       "scale_min": pl.Int64, "scale_max": pl.Int64})
    return table, found


def counted_readings(found: Frames, usable: pl.DataFrame, problems: list[tuple[int, int, Problem]],
                     editions_table: pl.DataFrame, editions: Mapping[tuple[str, str], _editions.Edition], *,
                     statuses: Collection[str] = COUNTED_STATUSES, include_unstated: bool = True) -> StarTables:
    """The readings that count and those that do not, their usable scores, and every problem, in source order."""
    pl = polars()
    usable = (usable.with_columns(pl.col("stated_edition").fill_null(""))
              .join(editions_table, on=["star", "stated_edition"], how="left").sort("evidence_index"))
    scores, score_problems = _scores(usable, found.values)
    problems = sorted([*problems, *score_problems], key=lambda item: (item[0], item[1]))
    wanted = {norm_status(s) for s in statuses}
    counted_statuses = {s: norm_status(s) in wanted for s in usable["status"].drop_nulls().unique().to_list()}
    counts = (pl.col("status").replace_strict(counted_statuses, default=False, return_dtype=pl.Boolean)
              if counted_statuses else pl.lit(value=False))
    usable = usable.with_columns(
        counts=pl.when(pl.col("status").is_null()).then(pl.lit(include_unstated)).otherwise(counts),
        person=pl.col("subject_id"), evidence_id=pl.col("id"))
    readings = usable.filter(pl.col("counts")).select(READING_COLUMNS)
    not_counted = usable.filter(~pl.col("counts")).select(READING_COLUMNS)
    return StarTables(readings=readings, not_counted=not_counted, scores=scores,
                      problems=tuple(p for _, _, p in problems), editions=editions)


def star_tables(found: Frames, *, statuses: Collection[str] = COUNTED_STATUSES, include_unstated: bool = True,
                stars: StarRegistry | None = None) -> StarTables:
    """The Star readings of columnar evidence: those that count, those left out for their status, and the problems."""
    usable, problems = usable_readings(found)
    editions_table, editions = resolve_editions(edition_requests(usable, found.values), stars)
    return counted_readings(found, usable, problems, editions_table, editions, statuses=statuses,
                            include_unstated=include_unstated)


def names(value: str | Iterable[str] | None) -> list[str] | None:
    """A name or several names as a list (``None``: no filter)."""
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)
