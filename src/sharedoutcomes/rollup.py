"""
Indicator roll-ups that are right: aggregate actuals over periods and organisations by their declared semantics.

An *actual* is an `EvidenceValue` with an ``indicator_id``. It is dated by its evidence:
the evidence's ``period`` (a count for a quarter) or, failing that, its ``date`` (a survey on
one day). It belongs to the organisation that collected it (``collected_by``; else the first
participant of its activity; else the package's publisher) and to its activity, together its
*reporting unit*.

How values add up depends on the indicator's ``aggregation``:

- ``per-period``: values count what happened in their period, so those whose period lies inside
  the window are **summed**. Two values from one reporting unit whose periods overlap (a quarter
  and the year that contains it) would be counted twice: that is a problem, not a number.
- ``cumulative``: each value is a running total to the end of its period, so the **latest** value
  of each reporting unit inside the window is taken, and those are summed across units, **never
  over time**.
- ``snapshot``: each value is a state on a day (the caseload on 31 March), so the value at the
  **latest date** of each unit is taken and summed across units, never over time.
- **Rates** (an indicator with a ``rate``, or whose unit is ``%``) are **pooled**: numerators are
  summed and divided by the summed denominators (times ``rate.per``), never averaged. A value
  gives its numerator and denominator as values of the same evidence with the same
  ``indicator_id`` and codes ending ``-numerator`` and ``-denominator``; otherwise, for a cohort
  or population subject with a ``size``, the size is the denominator and the numerator is
  ``value × size / per``. A rate with no denominator cannot be pooled: the roll-up has no value
  and says why.

A value inside the window that cannot be used (not a number, undated, a per-period value that
straddles the window's edge) would make the total wrong, so the roll-up then has no value and its
problems say which value and where; nothing is silently dropped. Choose a window or organisations
that leave it out, or fix it.

Example:
    >>> from sharedoutcomes import example_package
    >>> package = example_package()
    >>> rollup(package, "ind-breaks").value  # 27 short breaks in Q1 + 41 in Q2
    68
    >>> rollup(package, "ind-less-isolated").value  # 74.2% of the 31 members who answered
    74.2
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

from attrs import frozen

from sharedoutcomes._util.optional import require
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import Problem, UnknownName
from sharedoutcomes.model import Evidence, EvidenceValue, Indicator, Package, Period

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DENOMINATOR_SUFFIX",
    "NUMERATOR_SUFFIX",
    "Actual",
    "OrganisationFigure",
    "Rollup",
    "actuals",
    "rollup",
    "rollup_periods",
    "rollups",
    "to_dataframe",
]

NUMERATOR_SUFFIX: Final = "-numerator"
"""A value whose code ends with this is the numerator of the rate with the same ``indicator_id``."""
DENOMINATOR_SUFFIX: Final = "-denominator"
"""A value whose code ends with this is the denominator of the rate with the same ``indicator_id``."""

Number = int | float


@frozen(kw_only=True)
class Actual:
    """
    One actual of an indicator, as the roll-up reads it.

    Attributes:
        indicator_id: The indicator.
        evidence_id: The evidence it comes from.
        path: The JSON path of its value (or of its numerator when there is no rate value).
        organisation: The organisation it belongs to.
        activity_id: The activity it comes from, when stated.
        start: The first day it covers.
        end: The last day it covers (its as-of date).
        value: The value (for a rate, the rate).
        numerator: For a rate, its numerator, when known.
        denominator: For a rate, its denominator, when known.

    Example:
        >>> from sharedoutcomes import example_package
        >>> first = actuals(example_package(), "ind-breaks")[0]
        >>> first.organisation, first.start, first.end, first.value
        ('GB-SC-SC038977', datetime.date(2024, 4, 1), datetime.date(2024, 6, 30), 27)
    """

    indicator_id: str
    evidence_id: str
    path: str
    organisation: str
    activity_id: str | None
    start: dt.date
    end: dt.date
    value: Number | None
    numerator: Number | None = None
    denominator: Number | None = None

    @property
    def unit(self) -> tuple[str, str | None]:
        """The reporting unit: (organisation, activity)."""
        return (self.organisation, self.activity_id)


@frozen(kw_only=True)
class OrganisationFigure:
    """
    One organisation's part of a roll-up.

    Example:
        >>> from sharedoutcomes import example_package
        >>> rollup(example_package(), "ind-breaks").organisations[0].value
        68
    """

    organisation: str
    value: Number | None
    numerator: Number | None = None
    denominator: Number | None = None
    as_of: dt.date | None = None
    evidence_ids: tuple[str, ...] = ()


@frozen(kw_only=True)
class Rollup:
    """
    An indicator rolled up over a window and a set of organisations.

    Attributes:
        indicator_id: The indicator.
        aggregation: Its declared aggregation.
        start: The window's first day (``None``: from the earliest actual).
        end: The window's last day (``None``: to the latest actual).
        value: The rolled-up value, or ``None`` when the data cannot support a correct one (see ``problems``).
        numerator: For a rate, the pooled numerator.
        denominator: For a rate, the pooled denominator.
        unit: The indicator's unit.
        method: How the value was formed, in words.
        organisations: Each organisation's figure.
        evidence_ids: The evidence used.
        problems: Why values were left out, or why there is no value.

    Example:
        >>> from sharedoutcomes import example_package
        >>> r = rollup(example_package(), "ind-carers-supported")
        >>> r.value, r.method
        (164, 'cumulative: the latest value of each reporting unit, summed across units (never over time)')
    """

    indicator_id: str
    aggregation: str
    start: dt.date | None
    end: dt.date | None
    value: Number | None
    numerator: Number | None = None
    denominator: Number | None = None
    unit: str | None = None
    method: str = ""
    organisations: tuple[OrganisationFigure, ...] = ()
    evidence_ids: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """``True`` when the roll-up has a value and no error."""
        return self.value is not None and not any(p.severity == "error" for p in self.problems)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per organisation plus a total row (``organisation`` ``"(all)"``); needs pandas."""
        return to_dataframe([self])


def _problem(rule: str, path: str, message: str, severity: str = "warning", value: Any = None) -> Problem:
    return Problem(rule=rule, severity="error" if severity == "error" else "warning", path=path, message=message,
                   value=value)


def _number(value: Any) -> Number | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _per(indicator: Indicator) -> int:
    if indicator.rate is not None and indicator.rate.per is not None:
        return indicator.rate.per
    return 100 if indicator.unit == "%" else 1


def _is_rate(indicator: Indicator) -> bool:
    return indicator.rate is not None or indicator.unit == "%"


def _organisation(package: Package, evidence: Evidence) -> str:
    if evidence.collected_by is not None:
        return evidence.collected_by
    for activity in package.activities:
        if activity.id == evidence.activity_id and activity.participants:
            return activity.participants[0].organisation_id
    return package.publisher


_Reject = tuple[Problem, str, dt.date | None, dt.date | None]
"""A value that cannot be used: the problem, its organisation, and the days it covers (if known)."""


def _read(package: Package, indicator: Indicator, rejects: list[_Reject]) -> Iterator[Actual]:
    per = _per(indicator)
    rate = _is_rate(indicator)
    for i, evidence in enumerate(package.evidence):
        mine = [(j, v) for j, v in enumerate(evidence.values) if v.indicator_id == indicator.id]
        if not mine:
            continue
        base: list[str | int] = ["evidence", i, "values"]
        organisation = _organisation(package, evidence)
        if evidence.period is not None:
            start, end = evidence.period.start, evidence.period.end
            if end is None:
                end = evidence.date or start
        elif evidence.date is not None:
            start = end = evidence.date
        else:
            rejects.append((_problem("rollup-undated", json_path(["evidence", i]),
                                     f"evidence {evidence.id!r} has no date or period, so its value for "
                                     f"{indicator.id!r} cannot be placed in time", "error"), organisation, None, None))
            continue

        def reject(problem: Problem) -> None:
            rejects.append((problem, organisation, start, end))  # noqa: B023 - used at once, in this iteration

        numerators = [(j, v) for j, v in mine if v.code.endswith(NUMERATOR_SUFFIX)]
        denominators = [(j, v) for j, v in mine if v.code.endswith(DENOMINATOR_SUFFIX)]
        values = [(j, v) for j, v in mine if (j, v) not in numerators and (j, v) not in denominators]
        if not rate:
            for j, v in mine:
                number = _number(v.value)
                if number is None:
                    reject(_not_a_number(indicator, v, [*base, j, "value"]))
                    continue
                yield Actual(indicator_id=indicator.id, evidence_id=evidence.id, path=json_path([*base, j, "value"]),
                             organisation=organisation, activity_id=evidence.activity_id,
                             start=start, end=end, value=number)
            continue
        if len(values) > 1 or len(numerators) > 1 or len(denominators) > 1:
            reject(_problem("rollup-ambiguous-rate", json_path(base), f"evidence {evidence.id!r} has more "
                            f"than one rate, numerator or denominator for {indicator.id!r}", "error"))
            continue
        path = json_path([*base, values[0][0], "value"]) if values else json_path(base)
        read = [_first_number(found, indicator, base) for found in (values, numerators, denominators)]
        problem = next((p for _, p in read if p is not None), None)  # the first bad one, as it was read
        if problem is not None:
            reject(problem)
            continue
        (number, _), (numerator, _), (denominator, _) = read
        subject = evidence.subject
        if denominator is None and subject is not None and subject.type in ("cohort", "population") \
                and subject.size is not None:
            denominator = subject.size
        if numerator is None and number is not None and denominator is not None:
            numerator = number * denominator / per
        if number is None and numerator is not None and denominator:
            number = numerator / denominator * per
        if number is not None and numerator is not None and denominator:
            implied = numerator / denominator * per
            if abs(implied - number) > per * 0.005:
                reject(_problem("rollup-rate-inconsistent", path, f"evidence {evidence.id!r} gives "
                                         f"{number} for {indicator.id!r}, but its numerator and denominator make "
                                         f"{implied:.4g}; the numerator and denominator are used", value=number))
                number = implied
        yield Actual(indicator_id=indicator.id, evidence_id=evidence.id, path=path,
                     organisation=organisation, activity_id=evidence.activity_id,
                     start=start, end=end, value=number, numerator=numerator, denominator=denominator)


def _first_number(found: list[tuple[int, EvidenceValue]], indicator: Indicator,
                  base: list[str | int]) -> tuple[Number | None, Problem | None]:
    """The first of *found* as a number, or the problem that it is not one (``None, None`` when none)."""
    if not found:
        return None, None
    j, value = found[0]
    number = _number(value.value)
    return number, None if number is not None else _not_a_number(indicator, value, [*base, j, "value"])


def _not_a_number(indicator: Indicator, value: EvidenceValue, parts: list[str | int]) -> Problem:
    return _problem("rollup-value-not-a-number", json_path(parts),
                    f"{value.value!r} is not a number, so it cannot be rolled up into {indicator.id!r}",
                    "error", value=value.value)


def _indicator(package: Package, indicator_id: str) -> Indicator:
    for indicator in package.indicators:
        if indicator.id == indicator_id:
            return indicator
    raise UnknownName(indicator_id, known=[i.id for i in package.indicators], what="indicator")


def actuals(package: Package, indicator_id: str) -> tuple[Actual, ...]:
    """
    Every usable actual of an indicator, in package order (`rollup` reports the unusable ones).

    Raises:
        UnknownName: The package has no indicator with that id.

    Example:
        >>> from sharedoutcomes import example_package
        >>> a = actuals(example_package(), "ind-less-isolated")[0]
        >>> a.value, a.denominator, round(a.numerator, 3)
        (74.2, 31, 23.002)
    """
    return tuple(_read(package, _indicator(package, indicator_id), []))


_METHODS: Final = {
    "per-period": "per-period: the values of every period inside the window, summed",
    "cumulative": "cumulative: the latest value of each reporting unit, summed across units (never over time)",
    "snapshot": "snapshot: the value at the latest date of each reporting unit, summed across units (never "
                "over time)",
}


def _sum(numbers: Iterable[Number]) -> Number:
    items = list(numbers)
    if all(isinstance(n, int) for n in items):
        return sum(items)
    return math.fsum(items)


def _periods_overlap(a: Actual, b: Actual) -> bool:
    return a.start <= b.end and b.start <= a.end


def rollup(
    package: Package,
    indicator_id: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    organisations: Iterable[str] | None = None,
) -> Rollup:
    """
    Roll an indicator up over the window *start*–*end* and the *organisations* (all by default).

    An actual is inside the window when its whole period is (for ``per-period``), or when its
    as-of date is (for ``cumulative`` and ``snapshot``). A ``per-period`` actual that straddles the
    window's edge cannot be apportioned, so it is left out with a problem.

    Raises:
        UnknownName: The package has no indicator with that id.

    Example:
        >>> import datetime as dt
        >>> from sharedoutcomes import example_package
        >>> package = example_package()
        >>> rollup(package, "ind-breaks", start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30)).value
        27
        >>> r = rollup(package, "ind-members")
        >>> r.value, r.method.split(":")[0], r.organisations[0].as_of
        (43, 'snapshot', datetime.date(2025, 3, 31))
    """
    indicator = _indicator(package, indicator_id)
    chosen = None if organisations is None else set(organisations)
    rejects: list[_Reject] = []
    found = [a for a in _read(package, indicator, rejects) if chosen is None or a.organisation in chosen]
    cumulative_like = indicator.aggregation in ("cumulative", "snapshot")
    problems = [problem for problem, organisation, first, last in rejects
                if (chosen is None or organisation in chosen) and (
                    first is None or last is None
                    or ((start is None or last >= start) and (end is None or (last if cumulative_like else first) <= end)))]
    inside: list[Actual] = []
    for actual in found:
        if cumulative_like:
            if (start is None or actual.end >= start) and (end is None or actual.end <= end):
                inside.append(actual)
        elif (start is None or actual.start >= start) and (end is None or actual.end <= end):
            inside.append(actual)
        elif (start is None or actual.end >= start) and (end is None or actual.start <= end):
            problems.append(_problem("rollup-period-straddles", actual.path, f"{actual.evidence_id!r} covers "
                                     f"{actual.start} to {actual.end}, which is partly outside the window; a "
                                     "per-period value cannot be split, so the window's total cannot be formed",
                                     "error"))
    units: dict[tuple[str, str | None], list[Actual]] = {}
    for actual in inside:
        units.setdefault(actual.unit, []).append(actual)
    used: list[Actual] = []
    if cumulative_like:
        for unit_actuals in units.values():
            latest = max(a.end for a in unit_actuals)
            at_latest = [a for a in unit_actuals if a.end == latest]
            if len(at_latest) > 1:
                problems.append(_problem(
                    "rollup-duplicate-date", at_latest[1].path,
                    f"{unit_actuals[0].organisation!r} has {len(at_latest)} values of {indicator.id!r} as of "
                    f"{latest} ({', '.join(a.evidence_id for a in at_latest)}); {indicator.aggregation} values "
                    "cannot be added, so there is no roll-up", "error"))
            used.append(at_latest[0])
        dates = sorted({a.end for a in used})
        if len(dates) > 1:
            problems.append(_problem("rollup-dates-differ", "$", f"the organisations' latest values of "
                                     f"{indicator.id!r} are as of different dates ({dates[0]} to {dates[-1]}); "
                                     "the sum mixes dates"))
    else:
        for unit_actuals in units.values():
            ordered = sorted(unit_actuals, key=lambda a: (a.start, a.end))
            reach = ordered[0]  # the actual seen so far that reaches furthest
            for b in ordered[1:]:
                if _periods_overlap(reach, b):
                    a = reach
                    problems.append(_problem(
                        "rollup-overlapping-periods", b.path,
                        f"{a.evidence_id!r} ({a.start} to {a.end}) and {b.evidence_id!r} ({b.start} to {b.end}) "
                        f"from {a.organisation!r} overlap; adding per-period values would count the overlap "
                        "twice, so there is no roll-up", "error"))
                if b.end > reach.end:
                    reach = b
            used.extend(unit_actuals)
    return _combine(indicator, start, end, used, problems)


def _combine(indicator: Indicator, start: dt.date | None, end: dt.date | None, used: Sequence[Actual],
             problems: list[Problem]) -> Rollup:
    rate = _is_rate(indicator)
    per = _per(indicator)
    method = _METHODS[indicator.aggregation]
    if rate:
        method = method.replace("summed", "pooled (numerators summed, divided by the denominators summed)", 1)
    blocked = any(p.severity == "error" for p in problems)
    by_org: dict[str, list[Actual]] = {}
    for actual in used:
        by_org.setdefault(actual.organisation, []).append(actual)

    def figure(items: Sequence[Actual], path: str) -> tuple[Number | None, Number | None, Number | None]:
        if not items:
            return None, None, None
        if not rate:
            return _sum(a.value for a in items if a.value is not None), None, None
        if len(items) == 1 and items[0].denominator is None:
            return items[0].value, None, None  # one rate on its own needs no pooling
        missing = [a for a in items if not a.denominator or a.numerator is None]
        if missing:
            if path == "$":
                problems.extend(_problem(
                    "rollup-rate-no-denominator", a.path,
                    f"{a.evidence_id!r} gives a rate for {indicator.id!r} without its numerator and denominator "
                    f"(values '…{NUMERATOR_SUFFIX}' and '…{DENOMINATOR_SUFFIX}', or a cohort size); rates "
                    "cannot be averaged, so there is no pooled value", "error") for a in missing)
            return None, None, None
        numerator = _sum(a.numerator for a in items if a.numerator is not None)
        denominator = _sum(a.denominator for a in items if a.denominator is not None)
        value = numerator / denominator * per
        return round(value, 10), numerator, denominator

    figures = []
    for organisation, items in by_org.items():
        value, numerator, denominator = figure(items, "org")
        figures.append(OrganisationFigure(
            organisation=organisation, value=None if blocked else value, numerator=numerator,
            denominator=denominator, as_of=max(a.end for a in items),
            evidence_ids=tuple(a.evidence_id for a in items)))
    value, numerator, denominator = figure(used, "$")
    blocked = any(p.severity == "error" for p in problems)
    if not used and not problems:
        problems.append(_problem("rollup-no-values", "$", f"no values of {indicator.id!r} fall inside the "
                                 "window"))
    return Rollup(
        indicator_id=indicator.id, aggregation=indicator.aggregation, start=start, end=end,
        value=None if blocked else value, numerator=numerator, denominator=denominator, unit=indicator.unit,
        method=method, organisations=tuple(figures), evidence_ids=tuple(a.evidence_id for a in used),
        problems=tuple(problems),
    )


def rollup_periods(package: Package, indicator_id: str, periods: Iterable[Period], *,
                   organisations: Iterable[str] | None = None) -> tuple[Rollup, ...]:
    """
    Roll an indicator up for each of *periods* (quarters, years …).

    Example:
        >>> import datetime as dt
        >>> from sharedoutcomes import Period, example_package
        >>> quarters = [Period(start=dt.date(2024, m, 1), end=dt.date(2024, m + 2, 30 if m in (4, 7) else 31))
        ...             for m in (4, 7, 10)]
        >>> [r.value for r in rollup_periods(example_package(), "ind-breaks", quarters)]
        [27, 41, None]
    """
    chosen = None if organisations is None else tuple(organisations)
    return tuple(rollup(package, indicator_id, start=p.start, end=p.end, organisations=chosen) for p in periods)


def rollups(package: Package, *, start: dt.date | None = None, end: dt.date | None = None) -> tuple[Rollup, ...]:
    """
    Every indicator of the package rolled up over one window.

    Example:
        >>> from sharedoutcomes import example_package
        >>> [(r.indicator_id, r.value) for r in rollups(example_package())]
        [('ind-members', 43), ('ind-less-isolated', 74.2), ('ind-breaks', 68), ('ind-carers-supported', 164)]
    """
    return tuple(rollup(package, indicator.id, start=start, end=end) for indicator in package.indicators)


def to_dataframe(items: Iterable[Rollup]) -> pd.DataFrame:
    """
    Roll-ups as a pandas DataFrame: per roll-up, one row per organisation and a total row (``"(all)"``).

    Raises:
        MissingDependency: pandas is not installed (``pip install 'sharedoutcomes[analysis]'``).

    Example:
        >>> from sharedoutcomes import example_package
        >>> frame = to_dataframe(rollups(example_package()))
        >>> frame.loc[frame.organisation == "(all)", ["indicator_id", "value"]].to_dict("records")[2]
        {'indicator_id': 'ind-breaks', 'value': 68.0}
    """
    require("pandas", extra="analysis", purpose="roll-ups as DataFrames")
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for r in items:
        common = {"indicator_id": r.indicator_id, "aggregation": r.aggregation, "start": r.start, "end": r.end,
                  "unit": r.unit}
        rows.extend({**common, "organisation": f.organisation, "value": f.value, "numerator": f.numerator,
                     "denominator": f.denominator, "as_of": f.as_of, "evidence": len(f.evidence_ids),
                     "problems": ""} for f in r.organisations)
        rows.append({**common, "organisation": "(all)", "value": r.value, "numerator": r.numerator,
                     "denominator": r.denominator, "as_of": max((f.as_of for f in r.organisations if f.as_of),
                                                                default=None),
                     "evidence": len(r.evidence_ids), "problems": "; ".join(p.message for p in r.problems)})
    columns = ["indicator_id", "aggregation", "start", "end", "organisation", "value", "numerator", "denominator",
               "unit", "as_of", "evidence", "problems"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["value"] = frame["value"].astype("float64")
    return frame
