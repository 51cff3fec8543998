"""
Scoring a response and checking recorded values against an instrument: one set of rules for both.

`score_response` scores a mapping of item → answer; `check_values` checks the values of a piece
of evidence (item answers, and the totals recorded beside them). Both report the problems of
the ``instrument`` family (``problems/catalogue/instrument.toml``), each with a JSONPath.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Protocol

from attrs import field, frozen

from sharedoutcomes._rule_words import problem
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.problems import Problem

__all__ = ["TOLERANCE", "Score", "check_values", "score_response", "whole"]

TOLERANCE: Final = 0.005
"""How far a recorded total or metric may be from the one the items give before it is a ``total-mismatch``."""
_TOLERANCE: Final = TOLERANCE
"""How far a recorded metric may be from the conversion table (it is published to two decimals)."""


def whole(value: object) -> int | None:
    """
    *value* as a whole number, or ``None`` (``True`` is not a number; ``"3"`` is read as 3).

    Example:
        >>> whole(3.0), whole("4"), whole(2.5), whole(True)
        (3, 4, None, None)
    """
    if type(value) is int:
        return value  # the usual case, first
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.isdecimal() and len(text) < 6 else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value)


class _Item(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def minimum(self) -> int: ...
    @property
    def maximum(self) -> int: ...
    @property
    def reverse(self) -> bool: ...

    def allows(self, value: object) -> bool: ...


class _Summary(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def minimum(self) -> float: ...
    @property
    def maximum(self) -> float: ...


class _Instrument(Protocol):
    """What scoring needs of an `Instrument` (declared here, so that this module does not import the model)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def items(self) -> Sequence[_Item]: ...
    @property
    def method(self) -> str: ...
    @property
    def missing(self) -> str: ...
    @property
    def max_missing(self) -> int: ...
    @property
    def total(self) -> _Summary | None: ...
    @property
    def metric(self) -> _Summary | None: ...
    @property
    def conversion(self) -> Mapping[int, float]: ...
    @property
    def bands(self) -> Sequence[Any]: ...

    def item(self, code: str) -> _Item | None: ...
    def summary(self, code: str) -> _Summary | None: ...
    def convert(self, total: float | None) -> float | None: ...
    def band_of(self, value: float | None, score: str = "") -> str | None: ...


def _frozen_map(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(mapping))


@frozen
class Score:
    """
    A scored response: the total, the converted metric, the band, and the problems found.

    Attributes:
        instrument: The instrument's id.
        total: The (raw) total, or ``None`` when the instrument has none or it was refused.
        metric: The converted score where the instrument has a conversion table, else ``None``.
        band: The published band of the total (or of the metric), in lower case, else ``None``.
        item_bands: Item code → band, for instruments whose bands are per item (ONS4).
        items: Item code → the answer used (after reversing).
        prorated: True when the total was prorated from the answered items.
        problems: Unknown items, impossible answers, a refused or prorated total, a recorded
            total that disagrees.

    Example:
        >>> from sharedoutcomes.instruments import get
        >>> score = get("ons4").score({"life-satisfaction": 8, "worthwhile": 9, "happiness": 6, "anxiety": 1})
        >>> score.total, dict(score.item_bands)["anxiety"], score.ok
        (None, 'very low', True)
    """

    instrument: str
    total: float | None = None
    metric: float | None = None
    band: str | None = None
    item_bands: Mapping[str, str] = field(factory=dict, converter=_frozen_map)
    items: Mapping[str, int] = field(factory=dict, converter=_frozen_map)
    prorated: bool = False
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def _bounded(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _answers(instrument: _Instrument, responses: Mapping[str, Any], path: str,
             out: list[Problem]) -> tuple[dict[str, int], dict[str, float]]:
    """The usable answers by item code (reversed where the item is), and the totals recorded beside them."""
    answers: dict[str, int] = {}
    given: dict[str, float] = {}
    for key, raw in responses.items():
        where = f"{path}[{key!r}]" if path != "$" else json_path([str(key)])
        item = instrument.item(str(key))
        if item is None:
            summary = instrument.summary(str(key))
            number = _number(raw)
            if summary is not None and number is not None:
                given[summary.code] = number
            elif summary is not None:
                out.append(problem("instrument.impossible-total", where,
                                   f"the {summary.code} {_bounded(raw)} is not a number", raw))
            else:
                out.append(problem("instrument.unknown-item", where,
                                   f"{_bounded(key)} is not an item of {instrument.name}", key))
            continue
        answer = whole(raw)
        if answer is None or not item.allows(answer):
            out.append(problem("instrument.impossible-value", where,
                               f"{_bounded(raw)} is not a possible answer to {item.code} "
                               f"(a whole number {item.minimum}–{item.maximum})", raw))
            continue
        answers[item.code] = item.minimum + item.maximum - answer if item.reverse else answer
    return answers, given


def _number(raw: object) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(raw) else None
    if isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return None


def _total(instrument: _Instrument, answers: Mapping[str, int], path: str,
           out: list[Problem]) -> tuple[float | None, bool]:
    """The total by the instrument's rule for missing items, and whether it was prorated."""
    missing = [item.code for item in instrument.items if item.code not in answers]
    if instrument.method != "sum":
        if missing and answers:
            out.append(problem("instrument.incomplete", path,
                               f"{len(missing)} of {len(instrument.items)} items have no answer "
                               f"({', '.join(missing[:5])}{'…' if len(missing) > 5 else ''}); "
                               "the others are scored on their own", len(missing)))
        return None, False
    if not missing:
        return sum(answers.values()), False
    listed = f"{', '.join(missing[:5])}{'…' if len(missing) > 5 else ''}"
    if instrument.missing == "prorate" and answers and len(missing) <= instrument.max_missing:
        total = round(sum(answers.values()) / len(answers) * len(instrument.items))
        out.append(problem("instrument.incomplete", path,
                           f"{len(missing)} items have no answer ({listed}); the total is prorated from "
                           f"the {len(answers)} answered, as {instrument.name}'s scoring rules allow", len(missing)))
        return total, True
    if instrument.missing == "score":
        out.append(problem("instrument.incomplete", path,
                           f"{len(missing)} items have no answer ({listed}); the total is of the answered "
                           "items only", len(missing)))
        return sum(answers.values()), False
    out.append(problem("instrument.incomplete", path,
                       f"{len(missing)} of {len(instrument.items)} items have no answer ({listed}), so no "
                       f"total is given: {instrument.name} is scored only when every item is answered",
                       len(missing)))
    return None, False


def score_response(instrument: _Instrument, responses: Mapping[str, Any], path: str = "$") -> Score:
    """
    Score one response to *instrument* (see `Instrument.score`).

    Example:
        >>> from sharedoutcomes.instruments import get
        >>> score_response(get("phq9"), {f"phq9-{i}": 2 for i in range(1, 10)}).band
        'moderately severe'
    """
    problems: list[Problem] = []
    answers, given = _answers(instrument, responses, path, problems)
    total, prorated = _total(instrument, answers, path, problems)
    metric = instrument.convert(total) if instrument.conversion else None
    for code, computed in (("total", total), ("metric", metric)):
        if code in given and computed is not None and abs(given[code] - computed) > _TOLERANCE:
            problems.append(problem("instrument.total-mismatch", path,
                                    f"the recorded {code} {_bounded(given[code])} disagrees with the items, "
                                    f"which give {computed}", given[code]))
    band = instrument.band_of(metric if metric is not None else total)
    item_bands = {}
    for code, answer in answers.items():
        named = instrument.band_of(answer, code)
        if named is not None:
            item_bands[code] = named
    return Score(instrument=instrument.id, total=total, metric=metric, band=band, item_bands=item_bands,
                 items=answers, prorated=prorated, problems=tuple(problems))


def _check_summary(summary: _Summary, number: object, path: str, out: list[Problem]) -> float | None:
    value = _number(number) if not isinstance(number, str) else None
    if value is None:
        out.append(problem("instrument.impossible-total", path,
                           f"the {summary.code} {_bounded(number)} is not a number", number))
        return None
    if not summary.minimum <= value <= summary.maximum:
        out.append(problem("instrument.impossible-total", path,
                           f"a {summary.code} of {_bounded(number)} is impossible: it runs "
                           f"{summary.minimum:g}–{summary.maximum:g}", number))
        return None
    return value


def check_values(instrument: _Instrument, values: Iterable[Mapping[str, Any]],
                 parts: Sequence[str | int]) -> list[Problem]:
    """
    The problems of a piece of evidence's *values* (at *parts*) against *instrument*.

    Unknown item codes, answers the item does not allow, a scale of its own that is not the
    item's, impossible totals, and recorded totals (or metrics) that disagree with the items.

    Example:
        >>> from sharedoutcomes.instruments import get
        >>> values = [{"code": f"wemwbs-{i}", "value": 4} for i in range(1, 15)] + [{"code": "total", "value": 55}]
        >>> [p.message for p in check_values(get("wemwbs"), values, ["evidence", 0, "values"])]
        ['the recorded total 55 disagrees with the items, which give 56']
    """
    out: list[Problem] = []
    answers: dict[str, int] = {}
    given: dict[str, tuple[str, float]] = {}
    for j, value in enumerate(values):
        code, number = value["code"], value["value"]
        item = instrument.item(code)
        if item is not None:
            low, high = value.get("scale_min"), value.get("scale_max")
            answer = number if type(number) is int else whole(number) if type(number) is float else None
            usable = answer is not None and item.minimum <= answer <= item.maximum
            if low is not None or high is not None:
                if (low, high) != (item.minimum, item.maximum):
                    out.append(problem("instrument.scale-mismatch", json_path([*parts, j]),
                                       f"the value's own scale {low}–{high} is not {item.code}'s "
                                       f"{item.minimum}–{item.maximum}", [low, high]))
            elif not usable:
                out.append(problem("instrument.impossible-value", json_path([*parts, j, "value"]),
                                   f"{_bounded(number)} is not a possible answer to {item.code} of "
                                   f"{instrument.name} (a whole number {item.minimum}–{item.maximum})", number))
            if usable and answer is not None:
                answers[item.code] = item.minimum + item.maximum - answer if item.reverse else answer
            continue
        summary = instrument.summary(code)
        if summary is None:
            out.append(problem("instrument.unknown-item", json_path([*parts, j, "code"]),
                               f"{_bounded(code)} is not an item or score of {instrument.name}", code))
            continue
        where = json_path([*parts, j, "value"])
        checked = _check_summary(summary, number, where, out)
        if checked is not None:
            given[summary.code] = (where, checked)
    _agree(instrument, answers, given, out)
    return out


def _agree(instrument: _Instrument, answers: Mapping[str, int], given: Mapping[str, tuple[str, float]],
           out: list[Problem]) -> None:
    """total-mismatch: a recorded total that is not the items' sum, or a metric that is not the total's."""
    computed: float | None = None
    if instrument.method == "sum" and len(answers) == len(instrument.items):
        computed = sum(answers.values())
        if "total" in given and abs(given["total"][1] - computed) > _TOLERANCE:
            where, recorded = given["total"]
            out.append(problem("instrument.total-mismatch", where,
                               f"the recorded total {recorded:g} disagrees with the items, which give {computed:g}",
                               recorded))
    if "metric" not in given or not instrument.conversion:
        return
    where, recorded = given["metric"]
    raw = given["total"][1] if "total" in given else computed
    if raw is not None:
        expected = instrument.convert(raw)
        if expected is not None and abs(recorded - expected) > _TOLERANCE:
            out.append(problem("instrument.total-mismatch", where,
                               f"the recorded metric {recorded:g} is not the conversion of the raw total "
                               f"{raw:g}, which is {expected:g}", recorded))
    elif all(abs(recorded - metric) > _TOLERANCE for metric in instrument.conversion.values()):
        out.append(problem("instrument.impossible-total", where,
                           f"a metric of {recorded:g} is impossible: it is not in {instrument.name}'s conversion "
                           "table", recorded))
