"""The aggregation semantics table: which values of each kind of aggregation are inside a window, and which are used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Final

from attrs import frozen

from sharedoutcomes.exceptions import Problem
from sharedoutcomes.model import Indicator
from sharedoutcomes.rollup._records import Actual, _problem, _Reject

_METHODS: Final = {
    "per-period": "per-period: the values of every period inside the window, summed",
    "cumulative": "cumulative: the latest value of each reporting unit, summed across units (never over time)",
    "snapshot": "snapshot: the value at the latest date of each reporting unit, summed across units (never "
                "over time)",
}


def _periods_overlap(a: Actual, b: Actual) -> bool:
    return a.start <= b.end and b.start <= a.end


_Window = tuple[dt.date | None, dt.date | None]
"""A roll-up's first and last day (``None``: open on that side)."""


def _after_start(day: dt.date, window: _Window) -> bool:
    return window[0] is None or day >= window[0]


def _before_end(day: dt.date, window: _Window) -> bool:
    return window[1] is None or day <= window[1]


def _window_rejects(rejects: Sequence[_Reject], chosen: set[str] | None, window: _Window,
                    as_of: bool) -> list[Problem]:
    """The problems of unusable values of the chosen organisations that (as far as is known) fall in the window."""
    return [problem for problem, organisation, first, last in rejects
            if (chosen is None or organisation in chosen) and (
                first is None or last is None
                or (_after_start(last, window) and _before_end(last if as_of else first, window)))]


def _as_of_inside(found: Sequence[Actual], window: _Window, problems: list[Problem]) -> list[Actual]:
    """Cumulative and snapshot values: those whose as-of date (their last day) is inside the window."""
    del problems  # a value true on one day never straddles the window's edge
    return [a for a in found if _after_start(a.end, window) and _before_end(a.end, window)]


def _periods_inside(found: Sequence[Actual], window: _Window, problems: list[Problem]) -> list[Actual]:
    """Per-period values: those whose whole period is inside; one that straddles an edge is a problem."""
    inside: list[Actual] = []
    for actual in found:
        if _after_start(actual.start, window) and _before_end(actual.end, window):
            inside.append(actual)
        elif _after_start(actual.end, window) and _before_end(actual.start, window):
            problems.append(_problem("rollup-period-straddles", actual.path, f"{actual.evidence_id!r} covers "
                                     f"{actual.start} to {actual.end}, which is partly outside the window; a "
                                     "per-period value cannot be split, so the window's total cannot be formed",
                                     "error"))
    return inside


def _latest_of_each(indicator: Indicator, units: Iterable[list[Actual]], problems: list[Problem]) -> list[Actual]:
    """Cumulative and snapshot values: the latest of each reporting unit, never added over time."""
    used: list[Actual] = []
    for unit_actuals in units:
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
    return used


def _every_period(indicator: Indicator, units: Iterable[list[Actual]], problems: list[Problem]) -> list[Actual]:
    """Per-period values: all of them, unless two of one reporting unit overlap (counted twice)."""
    del indicator
    used: list[Actual] = []
    for unit_actuals in units:
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
    return used


@frozen
class _Semantics:
    """How one kind of aggregation reads its values: which are inside a window, and which of those are used."""

    as_of: bool  # a value is true at the end of its period (not over it)
    inside: Callable[[Sequence[Actual], _Window, list[Problem]], list[Actual]]
    use: Callable[[Indicator, Iterable[list[Actual]], list[Problem]], list[Actual]]


_PER_PERIOD: Final = _Semantics(as_of=False, inside=_periods_inside, use=_every_period)
_AS_OF: Final = _Semantics(as_of=True, inside=_as_of_inside, use=_latest_of_each)
_SEMANTICS: Final = {"per-period": _PER_PERIOD, "cumulative": _AS_OF, "snapshot": _AS_OF}
"""Each aggregation's semantics (see the module's docs); the sum or pooling is `_combine`'s."""
