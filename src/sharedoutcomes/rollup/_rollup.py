"""Rolling an indicator up: choose the actuals by the aggregation's semantics, then sum or pool them."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence

from sharedoutcomes.exceptions import Problem
from sharedoutcomes.model import Indicator, Package, Period
from sharedoutcomes.rollup._actuals import _indicator, _is_rate, _per, _read
from sharedoutcomes.rollup._records import (
    DENOMINATOR_SUFFIX,
    NUMERATOR_SUFFIX,
    Actual,
    Number,
    _problem,
    _Reject,
)
from sharedoutcomes.rollup._results import OrganisationFigure, Rollup
from sharedoutcomes.rollup._semantics import _METHODS, _PER_PERIOD, _SEMANTICS, _window_rejects


def _sum(numbers: Iterable[Number]) -> Number:
    items = list(numbers)
    if all(isinstance(n, int) for n in items):
        return sum(items)
    return math.fsum(items)


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
    semantics = _SEMANTICS.get(indicator.aggregation, _PER_PERIOD)
    chosen = None if organisations is None else set(organisations)
    window = (start, end)
    rejects: list[_Reject] = []
    found = [a for a in _read(package, indicator, rejects) if chosen is None or a.organisation in chosen]
    problems = _window_rejects(rejects, chosen, window, semantics.as_of)
    units: dict[tuple[str, str | None], list[Actual]] = {}
    for actual in semantics.inside(found, window, problems):
        units.setdefault(actual.unit, []).append(actual)
    used = semantics.use(indicator, units.values(), problems)
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
