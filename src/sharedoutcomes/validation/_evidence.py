"""
The evidence pass: every evidence-level check of the semantic rules, in one pass over the evidence.

The evidence is by far the largest part of a package, so it is read once for all rules; the
problems are kept per rule (`EvidenceProblems`) and each rule reports its own in turn. The order
of problems within each rule is the order of a pass per rule: by evidence, then by value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from sharedoutcomes._rule_words import SMALL_COHORT, identifies, problem, quantity_problem, value_problem
from sharedoutcomes._util.identifiers import Found
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.instruments import Instrument, check_values, registry
from sharedoutcomes.problems import Problem, render_value
from sharedoutcomes.validation._context import Context, EvidenceProblems, unresolved
from sharedoutcomes.validation._freetext import Places, field_texts, text_problems
from sharedoutcomes.validation._freetext import search as search_text
from sharedoutcomes.validation._freetext import shared as free_text_applies
from sharedoutcomes.validation._instruments import item_scales

__all__ = ["SMALL_COHORT", "check_evidence", "period_problem", "undeclared"]


_PERSONAL_SENSITIVITY = frozenset({"personal", "special-category"})
_EMPTY: Final[Mapping[str, Any]] = {}
_NO_SCALE: Final = (1, 0)  # no number is inside it: a code that is not an item's own


class _Scan:
    """What the pass needs to know about the package, worked out once before it starts."""

    __slots__ = ("activities", "declared", "identifiable", "indicators", "instruments", "known", "organisations",
                 "produced", "public", "seen", "shared", "sharing_level", "texts")

    def __init__(self, ctx: Context) -> None:
        self.activities, self.organisations = ctx.ids["activity"], ctx.ids["organisation"]
        self.indicators = ctx.ids["indicator"]
        self.sharing_level = ctx.sharing_level
        self.public = ctx.sharing_level == "public"
        self.shared = ctx.sharing_level != "personal"
        self.declared = {extension["name"] for extension in ctx.data.get("extensions", ())}
        self.produced: str = ctx.data["produced"][:10]
        self.identifiable: dict[str, str | None] = {}
        # The instrument rules: each instrument named, looked up once (None: not a registered one).
        self.known = registry()
        self.instruments: dict[str, tuple[Instrument, Mapping[str, tuple[Any, Any]]] | None] = {}
        # The free-text rule, in a package shared beyond the organisation: each distinct text searched once.
        self.texts = free_text_applies(ctx.data)
        self.seen: dict[str, list[Found]] = {}

    def instrument(self, name: str) -> tuple[Instrument, Mapping[str, tuple[Any, Any]]] | None:
        """The registered instrument *name* means, with each item's scale by its own code."""
        if name not in self.instruments:
            found = self.known.find(name)
            self.instruments[name] = None if found is None else (found, item_scales(found))
        return self.instruments[name]


def check_evidence(ctx: Context) -> EvidenceProblems:
    """Every evidence-level check in a single pass (the values of each evidence item read once for all rules)."""
    found = EvidenceProblems()
    scan = _Scan(ctx)
    for i, evidence in enumerate(ctx.data.get("evidence", ())):
        _references(ctx, scan, i, evidence, found)  # ref-unresolved, the values' scales, instruments, free text
        if "period" in evidence:  # period-order
            period = period_problem(evidence["period"], ["evidence", i, "period"])
            if period is not None:
                found.periods.append(period)
        _personal(scan, i, evidence, found.personal)
        if "extension_data" in evidence and not scan.declared.issuperset(evidence["extension_data"]):
            found.extensions.extend(undeclared(evidence["extension_data"], scan.declared, ["evidence", i]))
        if "date" in evidence and evidence["date"] > scan.produced:  # evidence-after-produced
            found.dates.append(problem(
                "evidence-after-produced", json_path(["evidence", i, "date"]),
                f"the evidence is dated {evidence['date']}, after the package was produced ({scan.produced})",
                evidence["date"]))
    return found


def _references(ctx: Context, scan: _Scan, i: int, evidence: Mapping[str, Any], found: EvidenceProblems) -> None:
    """ref-unresolved for the evidence's activity and collector; then everything about its values (`_values`)."""
    if "activity_id" in evidence and evidence["activity_id"] not in scan.activities:
        found.refs.append(unresolved(ctx, "activity", evidence["activity_id"],
                                     json_path(["evidence", i, "activity_id"])))
    if "collected_by" in evidence and evidence["collected_by"] not in scan.organisations:
        found.refs.append(unresolved(ctx, "organisation", evidence["collected_by"],
                                     json_path(["evidence", i, "collected_by"])))
    places = field_texts(evidence, scan.seen) if scan.texts else None
    values = evidence.get("values", ())
    if values:
        places = _values(ctx, scan, i, evidence, values=values, found=found, places=places)
    if places:
        found.texts.extend(text_problems(i, places, scan.seen))


def _values(ctx: Context, scan: _Scan, i: int, evidence: Mapping[str, Any], *, values: Sequence[Mapping[str, Any]],
            found: EvidenceProblems, places: Places | None) -> Places | None:
    """
    Everything about an evidence item's values, in one loop over them.

    ref-unresolved for their indicators; scale-order and the values' rules; the instrument family
    (`check_values`, unless every value is an item by its own code, a whole number inside the item's
    scale, with no other scale: then it has nothing to report); and the texts of the free-text
    rule, added to *places* (returned: a new list when there was none and a text holds an identifier).
    """
    name = evidence.get("instrument")
    entry = None if name is None else scan.instrument(name)
    scales = None if entry is None else entry[1]  # None once a value is not plainly in its item's scale
    counted = evidence["kind"] == "count"
    texts = scan.texts
    for j, value in enumerate(values):
        number = value["value"]
        kind = type(number)
        numeric = kind is int or kind is float  # the exact types of JSON numbers (bool is not one)
        if "indicator_id" in value:
            _indicator(ctx, scan, value["indicator_id"], (i, j), found)
        # The schema makes a scale's bounds numbers, so a bound that is None is one that is absent.
        low, high = value.get("scale_min"), value.get("scale_max")
        own = low is not None or high is not None
        if own:
            if not (numeric and low is not None and high is not None and low <= number <= high):
                _check_value(value, i, j, found.values)  # the usual case, inside a well-formed scale, is not
        elif not numeric:  # a quantity (a unit, an indicator's actual, a count's) must be a number
            _check_quantity(value, i, j, counted, found.values)
        if scales is not None:
            item_scale = scales.get(value["code"], _NO_SCALE)
            if (kind is not int or not item_scale[0] <= number <= item_scale[1]
                    or (own and (low != item_scale[0] or high != item_scale[1]))):
                scales = None
        if texts and not numeric:
            places = _text_value(scan, number, j, places)
    if entry is not None and scales is None:
        found.instruments.extend(check_values(entry[0], values, ["evidence", i, "values"]))
    return places


def _indicator(ctx: Context, scan: _Scan, indicator: str, where: tuple[int, int], found: EvidenceProblems) -> None:
    """ref-unresolved for the indicator of the value at *where* (evidence, value)."""
    if indicator not in scan.indicators:
        found.refs.append(unresolved(ctx, "indicator", indicator,
                                     json_path(["evidence", where[0], "values", where[1], "indicator_id"])))


def _text_value(scan: _Scan, text: Any, j: int, places: Places | None) -> Places | None:
    """*places* with the value at *j* added when it is a text that holds an identifier."""
    if isinstance(text, str) and search_text(text, scan.seen):
        places = [] if places is None else places
        places.append((("values", j, "value"), text))
    return places


def _personal(scan: _Scan, i: int, evidence: Mapping[str, Any], out: list[Problem]) -> None:
    """person-data-in-public, consent-refused-shared, person-id-identifiable and small-cohort-in-public."""
    subject = evidence.get("subject", _EMPTY)
    subject_type = subject.get("type")
    if scan.public and subject_type == "person":
        out.append(problem(
            "person-data-in-public", json_path(["evidence", i, "subject", "type"]),
            "person-level evidence cannot be in a package whose sharing_level is 'public'", "person"))
    if scan.public and evidence.get("sensitivity") in _PERSONAL_SENSITIVITY:
        out.append(problem(
            "person-data-in-public", json_path(["evidence", i, "sensitivity"]),
            f"{evidence['sensitivity']} data cannot be in a package whose sharing_level is 'public'",
            evidence["sensitivity"]))
    if scan.shared and "consent" in evidence and evidence["consent"] == "refused":
        out.append(problem(
            "consent-refused-shared", json_path(["evidence", i, "consent"]),
            f"the person refused consent, so this evidence cannot be shared in a {render_value(scan.sharing_level)} package",
            "refused"))
    if subject_type == "person" and "id" in subject:
        identifier = subject["id"]
        if identifier in scan.identifiable:
            what = scan.identifiable[identifier]
        else:
            what = scan.identifiable[identifier] = identifies(identifier)
        if what:
            out.append(problem(
                "person-id-identifiable", json_path(["evidence", i, "subject", "id"]),
                f"the person id looks like {what}; use a pseudonymous id instead", "(redacted)"))
    if scan.public and subject_type == "cohort" and 0 < subject.get("size", SMALL_COHORT) < SMALL_COHORT:
        out.append(problem(
            "small-cohort-in-public", json_path(["evidence", i, "subject", "size"]),
            f"a cohort of {subject['size']} people may identify them in a public package; "
            f"publish cohorts of {SMALL_COHORT} or more, or suppress the figure", subject["size"]))


def _check_value(value: Mapping[str, Any], i: int, j: int, out: list[Problem]) -> None:
    found = value_problem(value["value"], value.get("scale_min"), value.get("scale_max"), ["evidence", i, "values", j])
    if found is not None:
        out.append(found)


def _check_quantity(value: Mapping[str, Any], i: int, j: int, counted: bool, out: list[Problem]) -> None:
    """value-not-a-number for a value that is a quantity (it has a unit, is an indicator's actual, or a count)."""
    found = quantity_problem(value["value"], value.get("unit"), value.get("indicator_id"), counted=counted,
                             parts=["evidence", i, "values", j])
    if found is not None:
        out.append(found)


def period_problem(period: Mapping[str, Any], parts: list[str | int]) -> Problem | None:
    """The period-order problem of *period* at *parts*, if it ends before it starts."""
    if "end" in period and period["end"] < period["start"]:  # ISO dates compare as text
        return problem("period-order", json_path([*parts, "end"]),
                       f"the period ends ({period['end']}) before it starts ({period['start']})", period["end"])
    return None


def undeclared(extension_data: Mapping[str, Any], declared: set[str], parts: list[str | int]) -> Iterator[Problem]:
    """An extension-undeclared problem for each name in *extension_data* the package does not declare."""
    for name in extension_data:
        if name not in declared:
            yield problem("extension-undeclared", json_path([*parts, "extension_data", name]),
                          f"extension {render_value(name)} is not declared in the package's 'extensions'", name)
