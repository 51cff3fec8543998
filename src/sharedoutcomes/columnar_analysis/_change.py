"""
Change on any instrument (WEMWBS, SWEMWBS, ONS4, GAD-7 …) on columns: first to latest response, per item and score.

The rules are those of `sharedoutcomes.change.change` (tested equal): a response is evidence on
the instrument with a subject's id, a date and values; its items are scored by the instrument's
rules (reversed items, the rule for missing items, proration, the conversion table), all as
Polars expressions over the values table; the change of each person on each score is from the
first to the latest response that has it, judged against the instrument's published threshold.
The per-person rows are rounded and summarised with Python's own arithmetic (``round``,
`statistics.fmean`, `statistics.median`), so the figures are those of the object path to the last digit.

The public names are exported from `sharedoutcomes.columnar_analysis`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from attrs import field, frozen

from sharedoutcomes.columnar_analysis._frames import dataframe, frames, polars
from sharedoutcomes.instruments import Instrument, InstrumentRegistry, registry
from sharedoutcomes.instruments import whole as _whole

if TYPE_CHECKING:
    import polars as pl

CHANGE_COLUMNS: Final = ("person", "cohort", "score", "first_date", "latest_date", "first", "latest", "change",
                         "verdict", "meaningful", "readings")
"""The columns of `InstrumentChange.rows` (those of ``change.Change.to_dataframe()``)."""
SUMMARY_COLUMNS: Final = ("cohort", "score", "n", "mean_first", "mean_latest", "mean_change", "median_change",
                          "pct_improved", "pct_same", "pct_worse", "threshold", "pct_meaningful_improvement",
                          "pct_meaningful_deterioration")
"""The columns of `InstrumentChange.summary` (those of ``change.Change.summary_dataframe()``)."""


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


@frozen(kw_only=True)
class InstrumentChange:
    """
    First-to-latest change per person on every item and on the instrument's score, on columns.

    Attributes:
        instrument: The instrument.
        rows: One row per person and score (`CHANGE_COLUMNS`), items first in the instrument's order,
            then the total or metric; people sorted within each score.
        excluded: Person → why they have no change.
        threshold_source: The publication the meaningful-change threshold comes from, if any.
    """

    instrument: Instrument
    rows: pl.DataFrame
    excluded: Mapping[str, str] = field(factory=dict)
    threshold_source: str | None = None

    def people(self) -> tuple[str, ...]:
        """The people with a change, sorted."""
        return tuple(sorted(set(self.rows["person"].to_list())))

    def summary(self, *, cohort: str | None = None) -> pl.DataFrame:
        """
        The cohort summary (of everyone, or of one *cohort*): one row per score (`SUMMARY_COLUMNS`).

        Example:
            >>> from attrs import evolve
            >>> from sharedoutcomes import example_package
            >>> from sharedoutcomes.change import example_responses
            >>> from sharedoutcomes.columnar_analysis import change
            >>> result = change(evolve(example_package(), evidence=example_responses()), "swemwbs")
            >>> result.summary().filter(score="metric").select("n", "mean_change", "median_change").row(0)
            (3, 1.99, 1.82)
        """
        pl = polars()
        rows = self.rows if cohort is None else self.rows.filter(pl.col("cohort") == cohort)
        rule = self.instrument.meaningful_change
        out: list[dict[str, Any]] = []
        for (score,), group in rows.group_by("score", maintain_order=True):
            changes, verdicts = group["change"].to_list(), group["verdict"].to_list()
            n = len(changes)
            threshold = rule.threshold if rule is not None and rule.score == score else None
            meaningful = group["meaningful"].to_list()
            out.append({
                "cohort": cohort, "score": score, "n": n,
                "mean_first": round(statistics.fmean(group["first"].to_list()), 2),
                "mean_latest": round(statistics.fmean(group["latest"].to_list()), 2),
                "mean_change": round(statistics.fmean(changes), 2),
                "median_change": round(statistics.median(changes), 2),
                "pct_improved": _pct(verdicts.count("improved"), n), "pct_same": _pct(verdicts.count("same"), n),
                "pct_worse": _pct(verdicts.count("worse"), n), "threshold": threshold,
                "pct_meaningful_improvement": None if threshold is None else _pct(
                    sum(1 for m, v in zip(meaningful, verdicts, strict=True) if m and v == "improved"), n),
                "pct_meaningful_deterioration": None if threshold is None else _pct(
                    sum(1 for m, v in zip(meaningful, verdicts, strict=True) if m and v == "worse"), n),
            })
        schema = {"cohort": pl.String, "score": pl.String, "n": pl.Int64, "mean_first": pl.Float64,
                  "mean_latest": pl.Float64, "mean_change": pl.Float64, "median_change": pl.Float64,
                  "pct_improved": pl.Float64, "pct_same": pl.Float64, "pct_worse": pl.Float64,
                  "threshold": pl.Float64, "pct_meaningful_improvement": pl.Float64,
                  "pct_meaningful_deterioration": pl.Float64}
        return dataframe(pl.DataFrame(out, schema=schema))

    def cohorts(self) -> tuple[str, ...]:
        """The cohorts the rows fall in, sorted."""
        return tuple(sorted(set(self.rows["cohort"].drop_nulls().to_list())))

    def __repr__(self) -> str:
        return (f"<InstrumentChange {self.instrument.id}: {len(self.people())} people, {self.rows.height} "
                f"person-score changes, {len(self.excluded)} excluded>")


def _responses(found: Any, chosen: Instrument, known: InstrumentRegistry, *, people: Iterable[str] | None,
               since: dt.date | None, until: dt.date | None) -> pl.DataFrame:
    """The evidence on the instrument with a subject id, a date and values: one row per response."""
    pl = polars()
    evidence = found.evidence.select("evidence_index", "instrument", "date")
    names = evidence["instrument"].drop_nulls().unique().to_list()
    mine = [name for name in names if (hit := known.find(name)) is not None and hit.id == chosen.id]
    subjects = found.subjects.select("evidence_index", pl.col("subject_id").alias("person"))
    responses = (evidence.filter(pl.col("instrument").is_in(mine) & pl.col("date").is_not_null())
                 .join(subjects.filter(pl.col("person").is_not_null()), on="evidence_index", how="inner")
                 .join(found.values.select("evidence_index").unique(), on="evidence_index", how="semi"))
    if people is not None:
        responses = responses.filter(pl.col("person").is_in(list(people)))
    if since is not None:
        responses = responses.filter(pl.col("date") >= since)
    if until is not None:
        responses = responses.filter(pl.col("date") <= until)
    out = responses.select("evidence_index", "person", "date").sort("evidence_index")
    return dataframe(out)


def _answers(found: Any, responses: pl.DataFrame, chosen: Instrument) -> pl.DataFrame:
    """
    Per response and item: the answer used for the total (reversed), and the answer reported for the item.

    As ``change`` reads a response: one entry per code (the last value given for it, at the place
    of the first), codes that name an item (ignoring case and punctuation) scored by the item's
    scale; an item named by several codes is totalled by the last usable one and reported as the first.
    """
    pl = polars()
    values = found.values.join(responses.select("evidence_index"), on="evidence_index", how="semi")
    codes = values["code"].unique().to_list()
    items = {code: item.code for code in codes if (item := chosen.item(code)) is not None}
    strings = values.filter(pl.col("value_type").cast(pl.String) == "string")["value_str"].unique().to_list()
    whole_strings = {text: _whole(text) for text in strings if _whole(text) is not None}
    kind = pl.col("value_type").cast(pl.String)
    number = (pl.when(kind == "integer").then(pl.col("value_int").cast(pl.Float64))
              .when(kind == "number").then(pl.col("value_float"))
              .when(kind == "string").then(pl.col("value_str").replace_strict(whole_strings, default=None,
                                                                               return_dtype=pl.Float64))
              .otherwise(None))
    scales = pl.DataFrame({"item": [i.code for i in chosen.items], "minimum": [i.minimum for i in chosen.items],
                           "maximum": [i.maximum for i in chosen.items], "reverse": [i.reverse for i in chosen.items],
                           "item_position": list(range(len(chosen.items)))},
                          schema={"item": pl.String, "minimum": pl.Int64, "maximum": pl.Int64, "reverse": pl.Boolean,
                                  "item_position": pl.Int64})
    entries = (values.filter(pl.col("code").is_in(list(items)))
               .with_columns(number.alias("number"))
               .group_by("evidence_index", "code")
               .agg(pl.col("value_index").min().alias("position"),
                    pl.col("number").sort_by("value_index").last().alias("number"))
               .with_columns(pl.col("code").replace_strict(items, return_dtype=pl.String).alias("item"))
               .join(scales, on="item", how="inner")
               .with_columns(valid=(pl.col("number") == pl.col("number").floor()).fill_null(value=False)
                             & (pl.col("number") >= pl.col("minimum")) & (pl.col("number") <= pl.col("maximum"))))
    entries = entries.with_columns(valid=pl.col("valid").fill_null(value=False))
    scored = pl.when(pl.col("reverse")).then(pl.col("minimum") + pl.col("maximum") - pl.col("number")).otherwise(
        pl.col("number"))
    out = (entries.group_by("evidence_index", "item", "item_position")
            .agg(scored.filter(pl.col("valid")).sort_by(pl.col("position").filter(pl.col("valid"))).last()
                 .alias("scored"),
                 pl.col("valid").any().alias("answered"), pl.col("number").sort_by("position").first()
                 .alias("reported")))
    return dataframe(out)


def _scores(responses: pl.DataFrame, answers: pl.DataFrame, chosen: Instrument) -> pl.DataFrame:
    """One row per response and score it has: the items answered (as answered), then the total or metric."""
    pl = polars()
    items = (answers.filter(pl.col("answered") & pl.col("reported").is_not_null())
             .select("evidence_index", pl.col("item").alias("score"), pl.col("item_position").alias("score_position"),
                     pl.col("reported").alias("value")))
    n_items = len(chosen.items)
    last = n_items
    parts = [items]
    if chosen.method == "sum":
        totals = (answers.filter(pl.col("answered")).group_by("evidence_index")
                  .agg(pl.col("scored").sum().alias("sum"), pl.len().alias("answered")))
        missing = n_items - pl.col("answered")
        if chosen.missing == "prorate":
            total = (pl.when(missing == 0).then(pl.col("sum"))
                     .when(missing <= chosen.max_missing)
                     .then((pl.col("sum") / pl.col("answered") * n_items).round(0))
                     .otherwise(None))
        elif chosen.missing == "score":  # a response with no usable answer totals 0, as the object path scores it
            totals = (responses.select("evidence_index").join(totals, on="evidence_index", how="left")
                      .with_columns(pl.col("sum").fill_null(0), pl.col("answered").fill_null(0)))
            total = pl.col("sum")
        else:
            total = pl.when(missing == 0).then(pl.col("sum")).otherwise(None)
        totals = totals.select("evidence_index", total.cast(pl.Float64).alias("total")).filter(
            pl.col("total").is_not_null())
        if chosen.metric is not None:
            table = pl.DataFrame({"raw": [float(k) for k in chosen.conversion],
                                  "value": [float(v) for v in chosen.conversion.values()]},
                                 schema={"raw": pl.Float64, "value": pl.Float64})
            parts.append(totals.join(table, left_on="total", right_on="raw", how="inner")
                         .select("evidence_index", pl.lit("metric").alias("score"),
                                 pl.lit(last, dtype=pl.Int64).alias("score_position"), "value"))
        else:
            parts.append(totals.select("evidence_index", pl.lit("total").alias("score"),
                                       pl.lit(last, dtype=pl.Int64).alias("score_position"),
                                       pl.col("total").alias("value")))
    out = pl.concat(parts, how="vertical_relaxed").join(responses, on="evidence_index", how="inner")
    return dataframe(out)


def _verdicts(rows: pl.DataFrame, chosen: Instrument) -> pl.DataFrame:
    """The change rounded as ``change`` rounds it, its verdict in the instrument's sense of better, and meaning."""
    pl = polars()
    rule = chosen.meaningful_change
    deltas = [round(latest - first, 2) for first, latest in zip(rows["first"], rows["latest"], strict=True)]
    lower = [score for score in rows["score"].unique().to_list() if chosen.better_on(score) == "lower"]
    gain = pl.when(pl.col("score").is_in(lower)).then(-pl.col("change")).otherwise(pl.col("change"))
    meaningful = (pl.when(pl.col("score") == rule.score).then(pl.col("change").abs() >= rule.threshold)
                  .otherwise(None) if rule is not None else pl.lit(None, dtype=pl.Boolean))
    return rows.with_columns(pl.Series("change", deltas, dtype=pl.Float64)).with_columns(
        pl.when(gain > 0).then(pl.lit("improved")).when(gain < 0).then(pl.lit("worse")).otherwise(pl.lit("same"))
        .alias("verdict"), meaningful.alias("meaningful"))


def change(tables: Any, instrument: str | Instrument, *, instruments: InstrumentRegistry | None = None,
           cohort: Mapping[str, str] | None = None, people: Iterable[str] | None = None,
           since: dt.date | None = None, until: dt.date | None = None) -> InstrumentChange:
    """
    Each person's change from their first to their latest response on *instrument*, on columns.

    The arguments and figures are those of `sharedoutcomes.change.change`, but *cohort* is a
    mapping person → cohort (a function of each piece of evidence needs the objects: use the
    object path for that).

    Example:
        >>> from attrs import evolve
        >>> from sharedoutcomes import example_package
        >>> from sharedoutcomes.change import example_responses
        >>> from sharedoutcomes.columnar import from_package
        >>> tables = from_package(evolve(example_package(), evidence=example_responses()))
        >>> result = change(tables, "swemwbs")
        >>> result
        <InstrumentChange swemwbs: 3 people, 24 person-score changes, 1 excluded>
        >>> result.rows.filter(score="metric")["change"].to_list()
        [1.82, 4.14, 0.0]
    """
    pl = polars()
    known = instruments or registry()
    chosen = known.get(instrument) if isinstance(instrument, str) else instrument
    if cohort is not None and not isinstance(cohort, Mapping):
        msg = ("on columns, cohort= is a mapping of person → cohort; a function of the evidence needs the "
               "objects (sharedoutcomes.change.change)")
        raise TypeError(msg)
    found = frames(tables)
    responses = _responses(found, chosen, known, people=people, since=since, until=until)
    per_person = (responses.group_by("person")
                  .agg(pl.len().alias("n"), pl.col("date").min().alias("first"), pl.col("date").max().alias("last")))
    excluded = {person: "only one response" if n < 2 else "all responses on one day"
                for person, n, first, last in per_person.iter_rows() if n < 2 or first == last}
    kept = responses.filter(~pl.col("person").is_in(list(excluded)))
    scores = _scores(kept, _answers(found, kept, chosen), chosen)
    by_date = [pl.col("date"), pl.col("evidence_index")]  # a stable sort by date, as the object path sorts
    pairs = (scores.group_by("person", "score", "score_position")
             .agg(pl.col("date").sort_by(by_date).first().alias("first_date"),
                  pl.col("date").sort_by(by_date).last().alias("latest_date"),
                  pl.col("value").sort_by(by_date).first().alias("first"),
                  pl.col("value").sort_by(by_date).last().alias("latest"),
                  pl.len().cast(pl.Int64).alias("readings"))
             .filter((pl.col("readings") >= 2) & (pl.col("first_date") != pl.col("latest_date")))
             .sort("score_position", "person"))
    groups = cohort or {}
    pairs = pairs.with_columns(pl.col("person").replace_strict(groups, default=None, return_dtype=pl.String)
                               .alias("cohort"))
    rows = _verdicts(pairs, chosen).select(CHANGE_COLUMNS)
    with_rows = set(rows["person"].to_list())
    for person in sorted(set(kept["person"].to_list()) - with_rows):
        excluded[person] = "no score answered both first and last"
    rule = chosen.meaningful_change
    return InstrumentChange(instrument=chosen, rows=rows, excluded=dict(sorted(excluded.items())),
                            threshold_source=None if rule is None else rule.source)
