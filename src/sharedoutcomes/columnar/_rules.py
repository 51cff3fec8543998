"""
The semantic rules on evidence, as Polars expressions over the tables.

Each rule finds its offending rows with one vectorised filter over a whole column (or a join);
only the rows found are turned into `Problem` objects, worded exactly as the object path
(`sharedoutcomes.validation`) words them. The rules and their order follow
``validation/_evidence.py``; `check_evidence_rules` is their single entry point.

Two families are found by a vectorised filter that proves the common row fine, then checked by
the object rule on the remaining rows only: the instrument rules (a registered instrument's
items, answers and totals: `sharedoutcomes.instruments.check_values`) and the free-text rule
(``privacy.identifier-in-text``: only text holding a digit or an ``@`` can hold an identifier).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

from sharedoutcomes._optional import require
from sharedoutcomes._rule_words import (
    SMALL_COHORT,
    identifier_in_text,
    identifies,
    problem,
    quantity_problem,
    unresolved_message,
    value_problem,
)
from sharedoutcomes._util.hashes import SEED, HashIndex
from sharedoutcomes._util.identifiers import find_identifiers
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.columnar._json import ExtensionScan
from sharedoutcomes.instruments import TOLERANCE, Instrument, check_values
from sharedoutcomes.instruments import registry as instrument_registry
from sharedoutcomes.problems import Problem, render_value

__all__ = ["COLLECTIONS", "EvidenceIds", "PackageIds", "check_evidence_rules"]

COLLECTIONS: Final = {
    "organisation": "organisations", "activity": "activities", "outcome": "outcomes", "indicator": "indicators",
    "contribution": "contributions", "evidence": "evidence", "link": "links",
}
"""Each kind of entity and the package's list of them, in the order the object path names them."""

_PERSONAL_SENSITIVITY: Final = ("personal", "special-category")
_SHARED_TEXT: Final = frozenset({"partners", "public"})
_MAYBE_IDENTIFIER: Final = r"[\d@]"  # every identifier the free-text detectors find holds a digit or an @
_EXACT: Final = 2**53
# Rust regexes that match at least what _CHI_OR_NHS, _EMAIL and _PHONE match (Python's \s also holds U+001C–U+001F,
# its $ a final newline): only the ids they match are checked with Python's own.
_MAYBE_PERSONAL: Final = "|".join((r"^\d{3}[\s\x1C-\x1F-]?\d{3}[\s\x1C-\x1F-]?\d{4}\n?\z", r"^[^@\s]+@[^@\s]+\.[^@\s]+\n?\z",
                                   r"^\+?\d[\d\s\x1C-\x1F-]{9,}\n?\z"))


def _pl() -> Any:
    return require("polars", extra="columnar", purpose="validating columnar evidence")


class PackageIds:
    """
    The ids of each kind of entity in the package; whether a text is an evidence id is asked of *evidence_has*.

    The evidence's ids are in the tables (batch after batch, when validating a stream: `EvidenceIds`),
    the others in the package's own part.
    """

    def __init__(self, data: Mapping[str, Any], evidence_has: Callable[[str], bool]) -> None:
        self._data = data
        self._evidence_has = evidence_has
        self._ids: dict[str, set[str]] | None = None

    def known(self, kind: str) -> list[str]:
        """The ids of *kind* outside the evidence (for an ``is_in``)."""
        collection = COLLECTIONS[kind]
        return [item["id"] for item in self._data.get(collection, ()) if isinstance(item, dict) and "id" in item]

    def is_evidence(self, identifier: str) -> bool:
        """Whether *identifier* is the id of an evidence item."""
        return self._evidence_has(identifier)

    def kind_of(self, identifier: str) -> str | None:
        """The kind of entity *identifier* is the id of, if any (the first in the object path's order of kinds)."""
        if self._ids is None:
            self._ids = {kind: set(self.known(kind)) for kind in COLLECTIONS if kind != "evidence"}
        for kind in COLLECTIONS:
            found = self._evidence_has(identifier) if kind == "evidence" else identifier in self._ids[kind]
            if found:
                return kind
        return None


class EvidenceIds:
    """
    The evidence ids met so far, batch after batch: for ``id-unique`` across batches and for `PackageIds`.

    Kept by 64-bit hash with the texts, compressed, to confirm a match (`HashIndex`, packed): 20 to
    30 bytes an evidence item, not a Python string.
    """

    def __init__(self) -> None:
        self._index = HashIndex(packed=True)  # an id's text is looked at only when its hash comes back
        self._known: dict[str, bool] = {}

    def add(self, evidence: Any) -> list[tuple[int, str, int]]:
        """
        Remember the ids of a Polars evidence frame; each of its rows whose id was met before, in evidence order.

        A row met before comes as (its ``evidence_index``, the id, the ``evidence_index`` of the first
        evidence with that id), in this frame or an earlier one.
        """
        import numpy as np

        pl = _pl()
        self._known.clear()
        rows = evidence.select("evidence_index", "id").filter(pl.col("id").is_not_null()).sort("evidence_index")
        if rows.height == 0:
            return []
        hashes = rows["id"].hash(seed=SEED).to_numpy()
        texts = rows["id"].to_arrow()
        places = self._index.find(hashes, texts)
        indexes = rows["evidence_index"].to_numpy()
        repeats = [(int(indexes[k]), str(texts[k].as_py()), self._index.data(int(places[k]))[0])
                   for k in np.flatnonzero(places >= 0).tolist()]
        fresh = places < 0
        new = rows.filter(pl.Series(fresh))
        first = new.select(pl.col("id").is_first_distinct()).to_series().to_numpy()
        if not first.all():
            firsts = dict(new.filter(pl.Series(first)).select("id", "evidence_index").iter_rows())
            repeats += [(index, identifier, firsts[identifier])
                        for index, identifier in new.filter(pl.Series(~first)).iter_rows()]
            repeats.sort()
        kept = np.flatnonzero(fresh)[first]
        self._index.add(hashes[kept], new.filter(pl.Series(first))["id"].to_arrow(), indexes[kept])  # packed: a copy
        return repeats

    def look_up(self, identifiers: Iterable[object]) -> None:
        """
        Find whether each of *identifiers* is an evidence id in one look-up, for the ``in`` tests to come.

        One look-up of many ids unpacks each batch's packed ids at most once; asked one by one,
        ids of many batches would each unpack theirs (a package part's links to evidence, say).
        The answers hold until the next `add`.
        """
        wanted = sorted({i for i in identifiers if isinstance(i, str)} - self._known.keys())
        if not wanted:
            return
        pl = _pl()
        texts = pl.Series(wanted, dtype=pl.String)
        found = self._index.find(texts.hash(seed=SEED).to_numpy(), texts.to_arrow())
        self._known.update(zip(wanted, (found >= 0).tolist(), strict=True))

    def __contains__(self, identifier: object) -> bool:
        if not isinstance(identifier, str):
            return False
        self.look_up((identifier,))
        return self._known[identifier]


def _unresolved(ids: PackageIds, kind: str, identifier: str, path: str) -> Problem:
    return problem("ref-unresolved", path, unresolved_message(kind, identifier, ids.kind_of(identifier)), identifier)


def _number(kind: str | None, integer: int | None, number: float | None, text: str | None) -> Any:
    """A value (or scale bound) as the object path sees it, from its typed columns."""
    if kind == "integer":
        return integer if integer is not None else int(text) if text is not None else None
    if kind == "number":
        return number
    return integer if integer is not None else number


# -- the rules ----------------------------------------------------------------------------------------


class _Tables:
    """The Polars frames, with the evidence's columns joined onto the values as the rules need them."""

    def __init__(self, frames: Mapping[str, Any], *, gathered: bool, offset: int) -> None:
        self.evidence = frames["evidence"]
        self.values = frames["values"]
        self.subjects = frames["subjects"]
        self.kinds = self.evidence.select("evidence_index", "kind", "instrument")
        self.gathered = gathered
        self.offset = offset  # the evidence_index of the evidence table's first row, when gathered

    def per_value(self, name: str, expression: Any) -> Any:
        """*expression* over the evidence, for each value row: gathered by position, or joined when not positional."""
        computed = self.evidence.select("evidence_index", expression.alias(name))
        if self.gathered:
            rows = self.values["evidence_index"]
            return computed[name].gather(rows - self.offset if self.offset else rows)
        joined = self.values.select("evidence_index").join(computed, on="evidence_index", how="left",
                                                           maintain_order="left")
        return joined[name]


def _values_rules(t: _Tables, ids: PackageIds, refs: list[Problem], values_out: list[Problem]) -> None:
    """ref-unresolved of the values' indicators; scale-order, value-not-a-number and value-out-of-scale."""
    pl = _pl()
    v = t.values.lazy()
    indicators = ids.known("indicator")
    for index, j, identifier in (v.filter(pl.col("indicator_id").is_not_null() & ~pl.col("indicator_id").is_in(indicators))
                                 .select("evidence_index", "value_index", "indicator_id").collect().iter_rows()):
        refs.append(_unresolved(ids, "indicator", identifier,
                                json_path(["evidence", index, "values", j, "indicator_id"])))
    kind = pl.col("value_type")
    is_number = kind.is_in(["integer", "number"])
    number = pl.coalesce(pl.col("value_int").cast(pl.Float64), pl.col("value_float"))
    low = pl.coalesce(pl.col("scale_min_int").cast(pl.Float64), pl.col("scale_min_float"))
    high = pl.coalesce(pl.col("scale_max_int").cast(pl.Float64), pl.col("scale_max_float"))
    inexact = pl.any_horizontal(*(pl.col(c).abs() > _EXACT for c in ("value_int", "scale_min_int", "scale_max_int")),
                                (kind == "integer") & pl.col("value_int").is_null()).fill_null(False)
    scaled = low.is_not_null() | high.is_not_null()
    inside = is_number & low.is_not_null() & high.is_not_null() & (low <= high) & (number >= low) & (number <= high)
    counted = pl.col("counted")
    quantity = ~scaled & (counted | pl.col("unit").is_not_null() | pl.col("indicator_id").is_not_null()) & ~is_number
    suspects = (v.with_columns(t.per_value("kind", pl.col("kind") == "count").alias("counted"))
                .filter((scaled & (~inside.fill_null(False) | inexact)) | quantity.fill_null(False))
                .sort("evidence_index", "value_index").collect())
    for row in suspects.iter_rows(named=True):
        value = _number(row["value_type"], row["value_int"], row["value_float"], row["value_str"])
        if row["value_type"] == "string":
            value = row["value_str"]
        elif row["value_type"] == "boolean":
            value = row["value_bool"]
        lo = _number(None, row["scale_min_int"], row["scale_min_float"], None)
        hi = _number(None, row["scale_max_int"], row["scale_max_float"], None)
        parts: list[str | int] = ["evidence", row["evidence_index"], "values", row["value_index"]]
        found = (value_problem(value, lo, hi, parts) if lo is not None or hi is not None
                 else quantity_problem(value, row["unit"], row["indicator_id"], counted=row["counted"], parts=parts)
                 if type(value) is not int and type(value) is not float else None)
        if found is not None:
            values_out.append(found)


def _evidence_refs(t: _Tables, ids: PackageIds, out: list[Problem]) -> None:
    pl = _pl()
    e = t.evidence.lazy()
    for column, kind in (("activity_id", "activity"), ("collected_by", "organisation")):
        known = ids.known(kind)
        for index, identifier in (e.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(known))
                                  .select("evidence_index", column).collect().iter_rows()):
            out.append(_unresolved(ids, kind, identifier, json_path(["evidence", index, column])))


def _periods(t: _Tables, out: list[Problem]) -> None:
    pl = _pl()
    rows = (t.evidence.lazy().filter(pl.col("period_end") < pl.col("period_start"))
            .select("evidence_index", "period_start", "period_end").collect())
    for index, start, end in rows.iter_rows():
        out.append(problem("period-order", json_path(["evidence", index, "period", "end"]),
                           f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})",
                           end.isoformat()))


def _dates(t: _Tables, produced: str, out: list[Problem]) -> None:
    pl = _pl()
    try:
        day = dt.date.fromisoformat(produced)
    except ValueError:  # the schema checks produced; text compared as the object path does
        rows = [(i, d) for i, d in t.evidence.select("evidence_index", "date").iter_rows()
                if d is not None and d.isoformat() > produced]
    else:
        rows = list(t.evidence.lazy().filter(pl.col("date") > day).select("evidence_index", "date").collect().iter_rows())
    for index, date in rows:
        out.append(problem("evidence-after-produced", json_path(["evidence", index, "date"]),
                           f"the evidence is dated {date.isoformat()}, after the package was produced ({produced})",
                           date.isoformat()))


def _personal(t: _Tables, sharing_level: str, out: list[Problem]) -> None:
    """person-data-in-public, consent-refused-shared, person-id-identifiable, small-cohort-in-public."""
    pl = _pl()
    public, shared = sharing_level == "public", sharing_level != "personal"
    s = t.subjects.lazy()
    e = t.evidence.lazy()
    found: list[tuple[int, int, Problem]] = []  # (evidence, order within the evidence's checks, problem)
    if public:
        for (index,) in s.filter(pl.col("subject_type") == "person").select("evidence_index").collect().iter_rows():
            found.append((index, 0, problem(
                "person-data-in-public", json_path(["evidence", index, "subject", "type"]),
                "person-level evidence cannot be in a package whose sharing_level is 'public'", "person")))
        for index, sensitivity in (e.filter(pl.col("sensitivity").is_in(list(_PERSONAL_SENSITIVITY)))
                                   .select("evidence_index", "sensitivity").collect().iter_rows()):
            found.append((index, 1, problem(
                "person-data-in-public", json_path(["evidence", index, "sensitivity"]),
                f"{sensitivity} data cannot be in a package whose sharing_level is 'public'", sensitivity)))
    if shared:
        for (index,) in e.filter(pl.col("consent") == "refused").select("evidence_index").collect().iter_rows():
            found.append((index, 2, problem(
                "consent-refused-shared", json_path(["evidence", index, "consent"]),
                f"the person refused consent, so this evidence cannot be shared in a {render_value(sharing_level)} "
                "package", "refused")))
    people = (s.filter((pl.col("subject_type") == "person") & pl.col("subject_id").str.contains(_MAYBE_PERSONAL))
              .select("evidence_index", "subject_id").collect())
    for index, identifier in people.iter_rows():
        what = identifies(identifier)
        if what:
            found.append((index, 3, problem(
                "person-id-identifiable", json_path(["evidence", index, "subject", "id"]),
                f"the person id looks like {what}; use a pseudonymous id instead", "(redacted)")))
    if public:
        small = s.filter((pl.col("subject_type") == "cohort") & (pl.col("subject_size") > 0)
                         & (pl.col("subject_size") < SMALL_COHORT))
        for index, size in small.select("evidence_index", "subject_size").collect().iter_rows():
            found.append((index, 4, problem(
                "small-cohort-in-public", json_path(["evidence", index, "subject", "size"]),
                f"a cohort of {size} people may identify them in a public package; "
                f"publish cohorts of {SMALL_COHORT} or more, or suppress the figure", size)))
    out.extend(p for _, _, p in sorted(found, key=lambda f: (f[0], f[1])))


def _extensions(t: _Tables, declared: set[str], scan: ExtensionScan, out: list[Problem]) -> None:
    """extension-undeclared: only the rows that hold a name the package does not declare are read."""
    pl = _pl()
    rows = scan.rows_with(scan.names - declared)
    if not rows:
        return
    texts = t.evidence.lazy().filter(pl.col("evidence_index").is_in(rows)).select("evidence_index", "extension_data")
    for index, text in texts.sort("evidence_index").collect().iter_rows():
        out.extend(problem("extension-undeclared", json_path(["evidence", index, "extension_data", name]),
                           f"extension {render_value(name)} is not declared in the package's 'extensions'", name)
                   for name in json.loads(text) if name not in declared)


def _evidence_ids(t: _Tables, seen: EvidenceIds, out: list[Problem]) -> None:
    """id-unique among the evidence: each repeat (in this table or an earlier batch), naming the first evidence with the id."""
    for index, identifier, first in seen.add(t.evidence):
        out.append(problem("id-unique", json_path(["evidence", index, "id"]),
                           f"evidence id {render_value(identifier)} is used already, by evidence[{first}]", identifier))


# -- the two families checked by their object rule, on the rows a vectorised filter could not clear ----------


def _instruments(t: _Tables, values_of: Callable[[list[int]], Mapping[int, list[dict[str, Any]]]],
                 out: list[Problem]) -> None:
    """The instrument problems: evidence whose values are all plain, in-range items of its instrument has none."""
    pl = _pl()
    known = instrument_registry()
    names = t.evidence.lazy().select("instrument").drop_nulls().unique().collect().to_series().to_list()
    found = {name: known.find(name) for name in names}
    registered = {name: instrument for name, instrument in found.items() if instrument is not None}
    if not registered:
        return
    numbered = {name: k for k, name in enumerate(registered)}
    instruments = t.per_value("instrument_number", pl.col("instrument").replace_strict(
        numbered, default=-1, return_dtype=pl.Int32))
    kind = pl.col("value_type")
    number = pl.coalesce(pl.col("value_int").cast(pl.Float64), pl.col("value_float"))
    low = pl.coalesce(pl.col("scale_min_int").cast(pl.Float64), pl.col("scale_min_float"))
    high = pl.coalesce(pl.col("scale_max_int").cast(pl.Float64), pl.col("scale_max_float"))
    doubtful_rows = []
    frame = t.values.lazy().with_columns(instruments)
    for name, instrument in registered.items():
        lows = {item.code: float(item.minimum) for item in instrument.items}
        highs = {item.code: float(item.maximum) for item in instrument.items}
        item_min, item_max = pl.col("_item_min"), pl.col("_item_max")
        usable = (kind.is_in(["integer", "number"]) & (number == number.floor()) & (number >= item_min)
                  & (number <= item_max) & (pl.col("value_int").abs().fill_null(0) < _EXACT))
        no_scale = low.is_null() & high.is_null()
        same_scale = (low == item_min) & (high == item_max)
        plain = item_min.is_not_null() & ((no_scale & usable) | same_scale)
        scales = set(zip(lows.values(), highs.values(), strict=True))
        if len(scales) == 1:  # one scale for every item (a Star): membership is the only lookup
            (only_low, only_high), = scales
            is_item = pl.col("code").is_in(list(lows))
            bounds = (pl.when(is_item).then(pl.lit(only_low)).alias("_item_min"),
                      pl.when(is_item).then(pl.lit(only_high)).alias("_item_max"))
        else:
            bounds = (pl.col("code").replace_strict(lows, default=None, return_dtype=pl.Float64).alias("_item_min"),
                      pl.col("code").replace_strict(highs, default=None, return_dtype=pl.Float64).alias("_item_max"))
        on = frame.filter(pl.col("instrument_number") == numbered[name]).with_columns(*bounds)
        doubtful_rows.append(_doubtful(on, instrument, plain=plain.fill_null(False), usable=usable.fill_null(False),
                                       number=number, kind=kind))
    doubtful = sorted({i for frame in doubtful_rows for i in frame["evidence_index"].to_list()})
    if not doubtful:
        return
    instrument_of = dict(t.kinds.filter(pl.col("evidence_index").is_in(doubtful))
                         .select("evidence_index", "instrument").iter_rows())
    by_evidence = values_of(sorted(doubtful))
    for index in sorted(doubtful):
        values = by_evidence.get(index)
        if values:
            out.extend(check_values(registered[instrument_of[index]], values, ["evidence", index, "values"]))


def _doubtful(on: Any, instrument: Instrument, *, plain: Any, usable: Any, number: Any, kind: Any) -> Any:
    """
    The evidence of *instrument* whose values `check_values` could find a problem in (the others have none).

    A value is plain when it is an item's plain answer (*plain*) or a recorded total or metric in
    its range. Evidence is cleared when all its values are plain, no code repeats, and a recorded
    total agrees with its items (when all are answered) and a recorded metric with the
    conversion of its raw total, as `check_values` decides: anything else is checked by it (so
    is every recorded score of an instrument with reverse-scored items).
    """
    pl = _pl()
    summaries = {s.code: s for s in (instrument.total, instrument.metric) if s is not None}
    code = pl.col("code")
    is_item = pl.col("_item_min").is_not_null()
    in_range = pl.lit(False)
    for summary in summaries.values():
        in_range = in_range | ((code == summary.code) & (number >= summary.minimum) & (number <= summary.maximum))
    plain_summary = kind.is_in(["integer", "number"]) & in_range & (pl.col("value_int").abs().fill_null(0) < _EXACT)
    counted = is_item & usable
    total_code = instrument.total.code if instrument.total is not None else None
    metric_code = instrument.metric.code if instrument.metric is not None else None
    groups = on.group_by("evidence_index").agg(
        (~(plain | plain_summary.fill_null(False))).any().alias("_odd"),
        (pl.len() != code.n_unique()).alias("_repeat"),
        counted.sum().alias("_answered"),
        number.filter(counted).sum().alias("_sum"),
        number.filter(code == pl.lit(total_code)).first().alias("_total"),
        number.filter(code == pl.lit(metric_code)).first().alias("_metric"))
    complete = (instrument.method == "sum") & (pl.col("_answered") == len(instrument.items))
    mismatch = complete & ((pl.col("_total") - pl.col("_sum")).abs() > TOLERANCE).fill_null(False)
    doubtful = pl.col("_odd") | pl.col("_repeat") | mismatch
    if any(item.reverse for item in instrument.items):  # its totals are left to check_values, which reverses
        doubtful = doubtful | pl.col("_total").is_not_null() | pl.col("_metric").is_not_null()
    if instrument.conversion:
        raw = pl.coalesce(pl.col("_total"), pl.when(complete).then(pl.col("_sum")))
        whole_raw = pl.when(raw == raw.floor()).then(raw).cast(pl.Int64, strict=False)
        expected = whole_raw.replace_strict(dict(instrument.conversion), default=None, return_dtype=pl.Float64)
        metric = pl.col("_metric")
        off_table = raw.is_null() & ~metric.is_in(list(instrument.conversion.values()))
        doubtful = doubtful | (metric.is_not_null() & (((metric - expected).abs() > TOLERANCE).fill_null(False)
                                                       | off_table))
    return groups.filter(doubtful).select("evidence_index").collect()


def _free_text(t: _Tables, sharing_level: str, out: list[Problem]) -> None:
    """privacy.identifier-in-text, on the texts that hold a digit or an @ (only they can hold an identifier)."""
    if sharing_level not in _SHARED_TEXT:
        return
    pl = _pl()
    texts: list[tuple[int, int, tuple[str | int, ...], str]] = []
    for order, name in enumerate(("summary", "narrative", "method")):
        rows = (t.evidence.lazy().filter(pl.col(name).str.contains(_MAYBE_IDENTIFIER))
                .select("evidence_index", name).collect())
        texts += [(index, order, (name,), text) for index, text in rows.iter_rows()]
    rows = (t.subjects.lazy().filter(pl.col("subject_description").str.contains(_MAYBE_IDENTIFIER))
            .select("evidence_index", "subject_description").collect())
    texts += [(index, 3, ("subject", "description"), text) for index, text in rows.iter_rows()]
    rows = (t.values.lazy().filter((pl.col("value_type") == "string")
                                   & pl.col("value_str").str.contains(_MAYBE_IDENTIFIER))
            .select("evidence_index", "value_index", "value_str").collect())
    texts += [(index, 4 + j, ("values", j, "value"), text) for index, j, text in rows.iter_rows()]
    for index, _, parts, text in sorted(texts, key=lambda x: (x[0], x[1])):
        out.extend(identifier_in_text(["evidence", index, *parts], found) for found in find_identifiers(text))


def check_evidence_rules(frames: Mapping[Any, Any], data: Mapping[str, Any], ids: PackageIds, seen: EvidenceIds,
                         values_of: Callable[[list[int]], Mapping[int, list[dict[str, Any]]]], *,
                         scan: ExtensionScan, gathered: bool = False, offset: int = 0) -> Iterator[Problem]:
    """
    Every semantic problem of the evidence, rule by rule in the object path's order.

    *data* is the package without its evidence (it has passed the schema); *values_of* gives
    the JSON values of the evidence items at the positions asked for. *seen* holds the evidence
    ids of earlier batches (and takes this one's); the hints of ``ref-unresolved`` are worked out
    with the evidence met so far (*ids*). With *gathered*, the evidence table's rows are the
    evidence indexes *offset*, *offset* + 1 … in order.
    """
    t = _Tables(frames, gathered=gathered, offset=offset)
    refs: list[Problem] = []
    values: list[Problem] = []
    _evidence_ids(t, seen, refs)  # id-unique first, as _check_unique runs before _check_refs
    unique, refs = refs, []
    _evidence_refs(t, ids, refs)
    _values_rules(t, ids, refs, values)
    periods: list[Problem] = []
    _periods(t, periods)
    instruments: list[Problem] = []
    _instruments(t, values_of, instruments)
    personal: list[Problem] = []
    _personal(t, str(data["sharing_level"]), personal)
    extensions: list[Problem] = []
    _extensions(t, {e["name"] for e in data.get("extensions", ())}, scan, extensions)
    dates: list[Problem] = []
    _dates(t, str(data["produced"])[:10], dates)
    free: list[Problem] = []
    _free_text(t, str(data["sharing_level"]), free)
    for group in (unique, refs, periods, values, instruments, personal, extensions, dates, free):
        yield from group
