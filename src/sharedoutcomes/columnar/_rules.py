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

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final

from sharedoutcomes._util.identifiers import KIND_WORDS, find_identifiers
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.instruments import registry as instrument_registry
from sharedoutcomes.problems import Problem, catalogue, render_value

__all__ = ["COLLECTIONS", "PackageIds", "check_evidence_rules", "unresolved_message"]

COLLECTIONS: Final = {
    "organisation": "organisations", "activity": "activities", "outcome": "outcomes", "indicator": "indicators",
    "contribution": "contributions", "evidence": "evidence", "link": "links",
}
"""Each kind of entity and the package's list of them, in the order the object path names them."""

SMALL_COHORT: Final = 5
_CHI_OR_NHS = re.compile(r"^\d{3}[\s-]?\d{3}[\s-]?\d{4}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?\d[\d\s-]{9,}$")
_NOT_QUANTITIES: Final = frozenset({"text", "code", "category", "yes/no", "yes-no", "boolean", "band", "grade"})
_LEADING_NUMBER = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(.*)$", re.DOTALL)
_PERSONAL_SENSITIVITY: Final = ("personal", "special-category")
_SHARED_TEXT: Final = frozenset({"partners", "public"})
_MAYBE_IDENTIFIER: Final = r"[\d@]"  # every identifier the free-text detectors find holds a digit or an @
_EXACT: Final = 2**53


def _pl() -> Any:
    from sharedoutcomes._optional import require

    return require("polars", extra="columnar", purpose="validating columnar evidence")


def _severity(rule: str) -> Any:
    return catalogue()[rule].severity


def problem(rule: str, path: str, message: str, value: Any = None) -> Problem:
    """A problem of *rule* with the catalogue's default severity."""
    return Problem(rule=rule, severity=_severity(rule), path=path, message=message, value=value)


class PackageIds:
    """The ids of each kind of entity in the package, evidence included (from the tables)."""

    def __init__(self, data: Mapping[str, Any], evidence_ids: Sequence[str]) -> None:
        self.ids: dict[str, set[str]] = {
            kind: {item["id"] for item in data.get(collection, ()) if isinstance(item, dict) and "id" in item}
            for kind, collection in COLLECTIONS.items() if kind != "evidence"
        }
        self.ids["evidence"] = set(evidence_ids)
        self.ids = {kind: self.ids[kind] for kind in COLLECTIONS}

    def kind_of(self, identifier: str) -> str | None:
        """The kind of entity *identifier* is the id of, if any."""
        for kind, ids in self.ids.items():
            if identifier in ids:
                return kind
        return None


def unresolved_message(ids: PackageIds, kind: str, identifier: str) -> str:
    """What the object path says of a reference to a *kind* the package does not have."""
    other = ids.kind_of(identifier)
    hint = f" ({render_value(identifier)} is the id of {'an' if other[0] in 'aeiou' else 'a'} {other})" if other else ""
    return f"no {kind} in the package has id {render_value(identifier)}{hint}"


def _unresolved(ids: PackageIds, kind: str, identifier: str, path: str) -> Problem:
    return problem("ref-unresolved", path, unresolved_message(ids, kind, identifier), identifier)


def _number(kind: str | None, integer: int | None, number: float | None, text: str | None) -> Any:
    """A value (or scale bound) as the object path sees it, from its typed columns."""
    if kind == "integer":
        return integer if integer is not None else int(text) if text is not None else None
    if kind == "number":
        return number
    return integer if integer is not None else number


def _scale(low: Any, high: Any) -> str:
    return f"{'' if low is None else low}–{'' if high is None else high}"


# -- the rules ----------------------------------------------------------------------------------------


class _Tables:
    """The Polars frames, with the evidence's columns joined onto the values as the rules need them."""

    def __init__(self, frames: Mapping[str, Any]) -> None:
        pl = _pl()
        self.evidence = frames["evidence"]
        self.values = frames["values"]
        self.subjects = frames["subjects"]
        self.kinds = self.evidence.select("evidence_index", pl.col("kind"), pl.col("instrument"))


def _values_rules(t: _Tables, ids: PackageIds, refs: list[Problem], values_out: list[Problem]) -> None:
    """ref-unresolved of the values' indicators; scale-order, value-not-a-number and value-out-of-scale."""
    pl = _pl()
    v = t.values.lazy()
    indicators = list(ids.ids["indicator"])
    for index, j, identifier in (v.filter(pl.col("indicator_id").is_not_null() & ~pl.col("indicator_id").is_in(indicators))
                                 .select("evidence_index", "value_index", "indicator_id").collect().iter_rows()):
        refs.append(_unresolved(ids, "indicator", identifier,
                                json_path(["evidence", index, "values", j, "indicator_id"])))
    kind = pl.col("value_type").cast(pl.String)
    is_number = kind.is_in(["integer", "number"])
    number = pl.coalesce(pl.col("value_int").cast(pl.Float64), pl.col("value_float"))
    low = pl.coalesce(pl.col("scale_min_int").cast(pl.Float64), pl.col("scale_min_float"))
    high = pl.coalesce(pl.col("scale_max_int").cast(pl.Float64), pl.col("scale_max_float"))
    inexact = pl.any_horizontal(*(pl.col(c).abs() > _EXACT for c in ("value_int", "scale_min_int", "scale_max_int")),
                                (kind == "integer") & pl.col("value_int").is_null()).fill_null(False)
    scaled = low.is_not_null() | high.is_not_null()
    inside = is_number & low.is_not_null() & high.is_not_null() & (low <= high) & (number >= low) & (number <= high)
    counted = pl.col("kind") == "count"
    quantity = ~scaled & (counted | pl.col("unit").is_not_null() | pl.col("indicator_id").is_not_null()) & ~is_number
    suspects = (v.join(t.kinds.lazy(), on="evidence_index", how="left")
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
        if lo is not None or hi is not None:
            _check_value(value, lo, hi, parts, values_out)
        elif type(value) is not int and type(value) is not float:
            _check_quantity(row, value, parts, values_out)


def _check_value(number: Any, low: Any, high: Any, parts: list[str | int], out: list[Problem]) -> None:
    if low is not None and high is not None and low > high:
        out.append(problem("scale-order", json_path([*parts, "scale_min"]),
                           f"the scale's minimum {low} is above its maximum {high}", low))
        return
    if isinstance(number, bool) or not isinstance(number, int | float):
        out.append(problem("value-not-a-number", json_path([*parts, "value"]),
                           f"{render_value(number)} is not a number, but the scale is {_scale(low, high)}", number))
    elif (low is not None and number < low) or (high is not None and number > high):
        out.append(problem("value-out-of-scale", json_path([*parts, "value"]),
                           f"{number} is outside the scale {_scale(low, high)}", number))


def _check_quantity(row: Mapping[str, Any], number: Any, parts: list[str | int], out: list[Problem]) -> None:
    unit = row["unit"]
    if isinstance(unit, str) and unit.strip().lower() in _NOT_QUANTITIES:
        return
    if unit is not None:
        why = f"its unit is {render_value(unit)}"
    elif row["indicator_id"] is not None:
        why = f"it is an actual of the indicator {render_value(row['indicator_id'])}"
    else:
        why = "the evidence is a count"
    hint = ""
    match = _LEADING_NUMBER.match(number) if isinstance(number, str) else None
    if match is not None:
        words = " and the words about it in the evidence's summary" if match.group(2).strip() else ""
        hint = f"; write the number alone ({match.group(1).replace(',', '')}){words}"
    out.append(problem("value-not-a-number", json_path([*parts, "value"]),
                       f"{render_value(number)} is not a number, but {why}{hint}", number))


def _evidence_refs(t: _Tables, ids: PackageIds, out: list[Problem]) -> None:
    pl = _pl()
    e = t.evidence.lazy()
    for column, kind in (("activity_id", "activity"), ("collected_by", "organisation")):
        known = list(ids.ids[kind])
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
    import datetime as dt

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
    people = (s.filter((pl.col("subject_type") == "person") & pl.col("subject_id").str.contains(r"[\d@]"))
              .select("evidence_index", "subject_id").collect())
    for index, identifier in people.iter_rows():
        what = _identifies(identifier)
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


def _identifies(identifier: str) -> str | None:
    return ("a CHI or NHS number" if _CHI_OR_NHS.match(identifier)
            else "an email address" if _EMAIL.match(identifier)
            else "a phone number" if _PHONE.match(identifier) else None)


def _extensions(t: _Tables, declared: set[str], out: list[Problem]) -> None:
    pl = _pl()
    rows = t.evidence.lazy().filter(pl.col("extension_data").is_not_null()).select("evidence_index", "extension_data")
    for index, text in rows.collect().iter_rows():
        for name in json.loads(text):
            if name not in declared:
                out.append(problem("extension-undeclared", json_path(["evidence", index, "extension_data", name]),
                                   f"extension {render_value(name)} is not declared in the package's 'extensions'",
                                   name))


def _evidence_ids(t: _Tables, out: list[Problem]) -> None:
    """id-unique among the evidence: each repeat, naming the first evidence with the id."""
    pl = _pl()
    repeats = (t.evidence.lazy().select("evidence_index", "id").filter(pl.col("id").is_duplicated())
               .sort("evidence_index").collect())
    first: dict[str, int] = {}
    for index, identifier in repeats.iter_rows():
        if identifier in first:
            out.append(problem("id-unique", json_path(["evidence", index, "id"]),
                               f"evidence id {render_value(identifier)} is used already, by evidence[{first[identifier]}]",
                               identifier))
        else:
            first[identifier] = index


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
    items = pl.DataFrame(
        [(name, item.code, item.minimum, item.maximum) for name, instrument in registered.items()
         for item in instrument.items],
        schema={"instrument": pl.String, "code": pl.String, "item_min": pl.Float64, "item_max": pl.Float64},
        orient="row")
    on = t.kinds.lazy().filter(pl.col("instrument").is_in(list(registered)))
    values = t.values.lazy().join(on.select("evidence_index", "instrument"), on="evidence_index", how="inner")
    joined = values.join(items.lazy(), on=["instrument", "code"], how="left")
    number = pl.coalesce(pl.col("value_int").cast(pl.Float64), pl.col("value_float"))
    low = pl.coalesce(pl.col("scale_min_int").cast(pl.Float64), pl.col("scale_min_float"))
    high = pl.coalesce(pl.col("scale_max_int").cast(pl.Float64), pl.col("scale_max_float"))
    kind = pl.col("value_type").cast(pl.String)
    usable = (kind.is_in(["integer", "number"]) & (number == number.floor()) & (number >= pl.col("item_min"))
              & (number <= pl.col("item_max")) & (pl.col("value_int").abs().fill_null(0) < _EXACT))
    no_scale = low.is_null() & high.is_null()
    same_scale = (low == pl.col("item_min")) & (high == pl.col("item_max"))
    plain = pl.col("item_min").is_not_null() & ((no_scale & usable) | same_scale)
    doubtful = (joined.filter(~plain.fill_null(False)).select("evidence_index").unique()
                .collect().to_series().to_list())
    if not doubtful:
        return
    instrument_of = dict(t.kinds.filter(pl.col("evidence_index").is_in(doubtful))
                         .select("evidence_index", "instrument").iter_rows())
    by_evidence = values_of(sorted(doubtful))
    from sharedoutcomes.instruments import check_values

    for index in sorted(doubtful):
        values = by_evidence.get(index)
        if values:
            out.extend(check_values(registered[instrument_of[index]], values, ["evidence", index, "values"]))


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
    rows = (t.values.lazy().filter((pl.col("value_type").cast(pl.String) == "string")
                                   & pl.col("value_str").str.contains(_MAYBE_IDENTIFIER))
            .select("evidence_index", "value_index", "value_str").collect())
    texts += [(index, 4 + j, ("values", j, "value"), text) for index, j, text in rows.iter_rows()]
    severity = _severity("privacy.identifier-in-text")
    for index, _, parts, text in sorted(texts, key=lambda x: (x[0], x[1])):
        for found in find_identifiers(text):
            out.append(Problem(
                rule="privacy.identifier-in-text", severity=severity, path=json_path(["evidence", index, *parts]),
                message=f"the text holds {KIND_WORDS[found.kind]} (characters {found.start + 1}–{found.end}); "
                        "remove it before the package is shared"))


def check_evidence_rules(frames: Mapping[str, Any], data: Mapping[str, Any], ids: PackageIds,
                         values_of: Callable[[list[int]], Mapping[int, list[dict[str, Any]]]]) -> Iterator[Problem]:
    """
    Every semantic problem of the evidence, rule by rule in the object path's order.

    *data* is the package without its evidence (it has passed the schema); *values_of* gives
    the JSON values of the evidence items at the positions asked for.
    """
    t = _Tables(frames)
    refs: list[Problem] = []
    values: list[Problem] = []
    _evidence_ids(t, refs)  # id-unique first, as _check_unique runs before _check_refs
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
    _extensions(t, {e["name"] for e in data.get("extensions", ())}, extensions)
    dates: list[Problem] = []
    _dates(t, str(data["produced"])[:10], dates)
    free: list[Problem] = []
    _free_text(t, str(data["sharing_level"]), free)
    for group in (unique, refs, periods, values, instruments, personal, extensions, dates, free):
        yield from group
