"""
What an instrument is: its items and scales, how it is scored, its bands and meaningful change, and its sources.

The objects are built from the reference-data files under ``schemas/instruments/`` (and from
the Outcomes Star files, one instrument per edition) by `sharedoutcomes.instruments.registry`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, Literal

from attrs import field, frozen

from sharedoutcomes.instruments._scoring import Score, score_response, whole

__all__ = ["Band", "Fact", "Instrument", "Item", "MeaningfulChange", "Summary", "normalise"]

Better = Literal["higher", "lower"]
Method = Literal["sum", "separate", "none"]
Missing = Literal["refuse", "prorate", "score"]

_NOT_ALNUM: Final = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """
    A name or heading folded for matching: lower case, '&' as 'and', only letters and digits kept.

    Example:
        >>> normalise("  GAD-7 (total) "), normalise("Life Satisfaction")
        ('gad7total', 'lifesatisfaction')
    """
    return _NOT_ALNUM.sub("", text.casefold().replace("&", "and"))


def _frozen_map(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(mapping))


@frozen
class Item:
    """
    One item (question, area) of an instrument: its code and the answers it allows.

    Example:
        >>> item = Item(code="anxiety", minimum=0, maximum=10, better="lower")
        >>> item.allows(7), item.allows(11), item.allows(2.5)
        (True, False, False)
    """

    code: str
    minimum: int
    maximum: int
    label: str | None = None
    aliases: tuple[str, ...] = ()
    reverse: bool = False
    better: Better | None = None

    def allows(self, value: object) -> bool:
        """Whether *value* is a possible answer: a whole number within the item's scale."""
        answer = whole(value)
        return answer is not None and self.minimum <= answer <= self.maximum


@frozen
class Summary:
    """A score made of the items: the ``total`` or the converted ``metric``, with its range and other codes."""

    code: str
    minimum: float
    maximum: float
    aliases: tuple[str, ...] = ()


@frozen
class Band:
    """
    A published band of a score (``total``, ``metric`` or an item's code): its name and range.

    Example:
        >>> Band(score="total", name="mild", minimum=5, maximum=9).holds(9.5)
        False
    """

    score: str
    name: str
    minimum: float
    maximum: float

    def holds(self, value: float) -> bool:
        """Whether *value* falls in the band."""
        return self.minimum <= value <= self.maximum


@frozen
class MeaningfulChange:
    """The smallest change in a score that counts as meaningful for one person, and who says so."""

    score: str
    threshold: float
    source: str
    confirmed: bool = True
    notes: str | None = None


@frozen
class Fact:
    """Where one fact about an instrument comes from, and whether a public source confirms it."""

    fact: str
    source: str
    confirmed: bool


@frozen(kw_only=True)
class Instrument:
    """
    A measurement instrument: items with scales, scoring rules, bands, meaningful change and sources.

    Get one with `sharedoutcomes.instruments.get`; score a response with `score`.

    Example:
        >>> from sharedoutcomes.instruments import get
        >>> gad7 = get("gad7")
        >>> len(gad7.items), gad7.items[0].code, (gad7.items[0].minimum, gad7.items[0].maximum)
        (7, 'gad7-1', (0, 3))
        >>> gad7.band_of(12)
        'moderate'
    """

    id: str
    name: str
    version: str
    publisher: str
    licence: str
    items: tuple[Item, ...]
    method: Method = "sum"
    missing: Missing = "refuse"
    max_missing: int = 0
    total: Summary | None = None
    metric: Summary | None = None
    conversion: Mapping[int, float] = field(factory=dict, converter=_frozen_map)
    bands: tuple[Band, ...] = ()
    meaningful_change: MeaningfulChange | None = None
    better: Better = "higher"
    aliases: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    description: str | None = None
    notes: str | None = None
    family: str | None = None
    _codes: Mapping[str, Item | Summary] = field(init=False, eq=False, repr=False, hash=False)
    _exact: Mapping[str, Item | Summary] = field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        codes: dict[str, Item | Summary] = {}
        for summary in (self.total, self.metric):
            if summary is not None:
                for name in (summary.code, *summary.aliases):
                    codes.setdefault(normalise(name), summary)
        for item in self.items:
            for name in (item.code, *item.aliases):
                codes.setdefault(normalise(name), item)
        object.__setattr__(self, "_codes", MappingProxyType(codes))
        exact: dict[str, Item | Summary] = {item.code: item for item in self.items}
        exact.update({s.code: s for s in (self.total, self.metric) if s is not None})
        object.__setattr__(self, "_exact", MappingProxyType(exact))

    def _lookup(self, code: str) -> Item | Summary | None:
        found = self._exact.get(code)
        return found if found is not None else self._codes.get(normalise(code))

    def __repr__(self) -> str:
        return f"<Instrument {self.id!r}: {self.name}, {len(self.items)} items>"

    def item(self, code: str) -> Item | None:
        """
        The item a code or heading names (ignoring case, spacing and punctuation), or ``None``.

        Example:
            >>> from sharedoutcomes.instruments import get
            >>> get("ons4").item("Anxious").code
            'anxiety'
        """
        found = self._lookup(code)
        return found if isinstance(found, Item) else None

    def summary(self, code: str) -> Summary | None:
        """
        The summary score (``total`` or ``metric``) a code names, or ``None``.

        Example:
            >>> from sharedoutcomes.instruments import get
            >>> get("swemwbs").summary("SWEMWBS metric score").code
            'metric'
        """
        found = self._lookup(code)
        return found if isinstance(found, Summary) else None

    def better_on(self, code: str) -> Better:
        """Which way better lies on a score or item: ``"higher"`` or ``"lower"``."""
        item = self.item(code)
        return item.better or self.better if item is not None else self.better

    def convert(self, total: float | None) -> float | None:
        """
        The converted (metric) score of a raw total, or ``None`` when the instrument has no table for it.

        Example:
            >>> from sharedoutcomes.instruments import get
            >>> get("swemwbs").convert(18)
            17.43
        """
        raw = whole(total)
        return None if raw is None else self.conversion.get(raw)

    def band_of(self, value: float | None, score: str = "") -> str | None:
        """
        The published band a score falls in: of the metric (when the bands are on it), else of the total.

        *score* names another score the bands are on (an item's code). ``None`` when the
        instrument publishes no bands for that score, or *value* is ``None``.

        Example:
            >>> from sharedoutcomes.instruments import get
            >>> get("phq9").band_of(15), get("ons4").band_of(6, "anxiety")
            ('moderately severe', 'high')
        """
        if value is None:
            return None
        wanted = score or ("metric" if any(b.score == "metric" for b in self.bands) else "total")
        for band in self.bands:
            if band.score == wanted and band.holds(value):
                return band.name
        return None

    def unconfirmed(self) -> tuple[str, ...]:
        """
        The facts that no public source confirms.

        Example:
            >>> from sharedoutcomes.instruments import get
            >>> get("ucla3").unconfirmed()
            ('missing', 'bands')
        """
        return tuple(fact.fact for fact in self.facts if not fact.confirmed)

    def score(self, responses: Mapping[str, Any], *, path: str = "$") -> Score:
        """
        Score one response: item code (or heading) → answer.

        Reverse-scored items are reversed; the total is summed, converted where the instrument
        has a table, and placed in its band. Missing items follow the instrument's rule
        (refuse, prorate or score); unknown codes and impossible answers are problems, not
        exceptions, each with a JSONPath under *path*.

        Example:
            >>> from sharedoutcomes.instruments import get
            >>> score = get("swemwbs").score({f"swemwbs-{i}": 3 for i in range(1, 8)} | {"swemwbs-7": 4})
            >>> score.total, score.metric, score.band
            (22, 19.98, None)
            >>> get("gad7").score({"gad7-1": 3}).problems[0].rule
            'instrument.incomplete'
        """
        return score_response(self, responses, path)
