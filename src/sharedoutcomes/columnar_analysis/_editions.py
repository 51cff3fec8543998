"""
The Star editions readings are scored against, looked up once per Star and stated edition.

The same rules as `sharedoutcomes.star_analysis`: the registry's edition (its id replaces the
edition the reading states, so ``"3rd edition"`` and ``"3"`` are one edition), or, for a Star or
edition the registry does not know, a stand-in with the scale that the *first* reading of it
declares (the lowest ``scale_min`` and highest ``scale_max`` of its values) and five generic stages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from attrs import frozen

from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.stars import StarRegistry, registry


class Area(Protocol):
    """An area of an edition: its code and label."""

    @property
    def code(self) -> str: ...
    @property
    def label(self) -> str: ...


class Edition(Protocol):
    """What the analyses need of a `sharedoutcomes.stars.StarEdition`."""

    @property
    def name(self) -> str: ...
    @property
    def edition(self) -> str: ...
    @property
    def areas(self) -> Sequence[Area]: ...
    @property
    def scale_min(self) -> int: ...
    @property
    def scale_max(self) -> int: ...
    @property
    def stages(self) -> Sequence[str]: ...
    def stage_of(self, score: int) -> int: ...


@frozen(kw_only=True)
class InferredEdition:
    """A stand-in for a Star (or edition) the registry does not know: the readings' scale, generic stages."""

    id: str
    name: str
    edition: str
    areas: tuple[Area, ...] = ()
    scale_min: int = 1
    scale_max: int = 10
    stages: tuple[str, ...] = ("Stage 1", "Stage 2", "Stage 3", "Stage 4", "Stage 5")

    def stage_of(self, score: int) -> int:
        """The generic stage (1 to 5) of a score: the scale cut in five equal parts."""
        span = self.scale_max - self.scale_min + 1
        return max(1, min(5, math.ceil(5 * (score - self.scale_min + 1) / span)))


def lookup(star: str, edition: str | None, lows: Sequence[int], highs: Sequence[int],
           stars: StarRegistry | None = None) -> Edition:
    """The registry's edition, or a stand-in with the scale *lows* / *highs* declare."""
    try:
        return (stars or registry()).get(star, edition)
    except UnknownName:
        return InferredEdition(id=star, name=star.replace("-", " ").capitalize(), edition=edition or "",
                               scale_min=min(lows, default=1), scale_max=max(highs, default=10))


def stated_edition(star: str, edition: str | None, found: Edition) -> str:
    """The edition id a reading is counted under: the registry's id, else the edition it states."""
    if edition and not isinstance(found, InferredEdition):
        return found.edition
    return edition or ""


def unsure(found: Edition) -> str | None:
    """What a reader should be told is not confirmed about an edition (``None`` when all is confirmed)."""
    facts = sorted(set(getattr(found, "unconfirmed", ())) & {"scale", "stages", "stage_starts"})
    if facts or isinstance(found, InferredEdition):
        return ", ".join(facts) or "the Star is not in the registry: generic stages"
    return None


def stage_table(found: Edition) -> dict[int, int]:
    """Score → stage for every score on the edition's scale."""
    return {score: found.stage_of(score) for score in range(found.scale_min, found.scale_max + 1)}
