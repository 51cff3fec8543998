"""Reading the actuals of an indicator from a package: dated, owned, and (for a rate) with numerator and denominator."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

from attrs import frozen

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import Problem, UnknownName
from sharedoutcomes.model import Evidence, EvidenceValue, Indicator, Package
from sharedoutcomes.rollup._records import (
    DENOMINATOR_SUFFIX,
    NUMERATOR_SUFFIX,
    Actual,
    Number,
    _problem,
    _Reject,
)


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


@frozen(kw_only=True)
class _Source:
    """One piece of evidence with values of the indicator: where it is, whose it is, the days it covers."""

    indicator: Indicator
    evidence: Evidence
    base: list[str | int]  # the JSON path of its values
    organisation: str
    start: dt.date
    end: dt.date
    values: list[tuple[int, EvidenceValue]]  # (index, value) for each value of the indicator

    def actual(self, path: str, value: Number | None, numerator: Number | None = None,
               denominator: Number | None = None) -> Actual:
        return Actual(indicator_id=self.indicator.id, evidence_id=self.evidence.id, path=path,
                      organisation=self.organisation, activity_id=self.evidence.activity_id,
                      start=self.start, end=self.end, value=value, numerator=numerator, denominator=denominator)

    def reject(self, problem: Problem) -> _Reject:
        return (problem, self.organisation, self.start, self.end)


def _days(evidence: Evidence) -> tuple[dt.date, dt.date] | None:
    """The days a piece of evidence covers: its period (open-ended: to its date, or its start), else its date."""
    if evidence.period is not None:
        start, end = evidence.period.start, evidence.period.end
        return start, end if end is not None else (evidence.date or start)
    if evidence.date is not None:
        return evidence.date, evidence.date
    return None


def _sources(package: Package, indicator: Indicator, rejects: list[_Reject]) -> Iterator[_Source]:
    """The evidence with values of the indicator, in package order; undated evidence is rejected."""
    for i, evidence in enumerate(package.evidence):
        mine = [(j, v) for j, v in enumerate(evidence.values) if v.indicator_id == indicator.id]
        if not mine:
            continue
        organisation = _organisation(package, evidence)
        days = _days(evidence)
        if days is None:
            rejects.append((_problem("rollup-undated", json_path(["evidence", i]),
                                     f"evidence {evidence.id!r} has no date or period, so its value for "
                                     f"{indicator.id!r} cannot be placed in time", "error"), organisation, None, None))
            continue
        yield _Source(indicator=indicator, evidence=evidence, base=["evidence", i, "values"],
                      organisation=organisation, start=days[0], end=days[1], values=mine)


def _count_actuals(source: _Source, rejects: list[_Reject]) -> Iterator[Actual]:
    """Every value of an indicator that is not a rate is an actual of its own."""
    for j, v in source.values:
        number = _number(v.value)
        if number is None:
            rejects.append(source.reject(_not_a_number(source.indicator, v, [*source.base, j, "value"])))
            continue
        yield source.actual(json_path([*source.base, j, "value"]), number)


def _completed_rate(source: _Source, path: str, rejects: list[_Reject], *, number: Number | None,
                    numerator: Number | None, denominator: Number | None) -> Actual:
    """Fill in what a rate's value, numerator and denominator imply of each other; prefer the two counts."""
    per = _per(source.indicator)
    subject = source.evidence.subject
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
            rejects.append(source.reject(_problem(
                "rollup-rate-inconsistent", path, f"evidence {source.evidence.id!r} gives {number} for "
                f"{source.indicator.id!r}, but its numerator and denominator make {implied:.4g}; the numerator "
                "and denominator are used", value=number)))
            number = implied
    return source.actual(path, number, numerator, denominator)


def _rate_actuals(source: _Source, rejects: list[_Reject]) -> Iterator[Actual]:
    """A rate's value, numerator (``…-numerator``) and denominator (``…-denominator``) make one actual."""
    mine, base = source.values, source.base
    numerators = [(j, v) for j, v in mine if v.code.endswith(NUMERATOR_SUFFIX)]
    denominators = [(j, v) for j, v in mine if v.code.endswith(DENOMINATOR_SUFFIX)]
    values = [(j, v) for j, v in mine if (j, v) not in numerators and (j, v) not in denominators]
    if len(values) > 1 or len(numerators) > 1 or len(denominators) > 1:
        rejects.append(source.reject(_problem(
            "rollup-ambiguous-rate", json_path(base), f"evidence {source.evidence.id!r} has more than one rate, "
            f"numerator or denominator for {source.indicator.id!r}", "error")))
        return
    path = json_path([*base, values[0][0], "value"]) if values else json_path(base)
    read = [_first_number(found, source.indicator, base) for found in (values, numerators, denominators)]
    problem = next((p for _, p in read if p is not None), None)  # the first bad one, as it was read
    if problem is not None:
        rejects.append(source.reject(problem))
        return
    (number, _), (numerator, _), (denominator, _) = read
    yield _completed_rate(source, path, rejects, number=number, numerator=numerator, denominator=denominator)


def _read(package: Package, indicator: Indicator, rejects: list[_Reject]) -> Iterator[Actual]:
    """The usable actuals of *indicator*, in package order; what cannot be used goes to *rejects*."""
    actuals_of = _rate_actuals if _is_rate(indicator) else _count_actuals
    for source in _sources(package, indicator, rejects):
        yield from actuals_of(source, rejects)


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
        >>> from sharedoutcomes.rollup import actuals
        >>> a = actuals(example_package(), "ind-less-isolated")[0]
        >>> a.value, a.denominator, round(a.numerator, 3)
        (74.2, 31, 23.002)
    """
    return tuple(_read(package, _indicator(package, indicator_id), []))
