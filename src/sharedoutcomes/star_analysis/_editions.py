"""
The Star editions the analyses read scores against: the registry's, or a stand-in for a Star it does not know.

The analyses need only an edition's areas, scale and Journey of Change stages (`_Edition`);
a Star the registry does not know is analysed with the scale its values declare and five
generic stages (`_InferredEdition`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from attrs import frozen

from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.model import EvidenceValue
from sharedoutcomes.stars import StarRegistry, registry


class _Area(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def label(self) -> str: ...


class _Edition(Protocol):
    """What the analyses need from `sharedoutcomes.stars.StarEdition`."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def edition(self) -> str: ...
    @property
    def areas(self) -> Sequence[_Area]: ...
    @property
    def scale_min(self) -> int: ...
    @property
    def scale_max(self) -> int: ...
    @property
    def stages(self) -> Sequence[str]: ...
    def stage_of(self, score: int) -> int: ...


@frozen(kw_only=True)
class _InferredArea:
    code: str
    label: str


@frozen(kw_only=True)
class _InferredEdition:
    """A stand-in for a Star the registry does not know: scale from the readings, generic stages."""

    id: str
    name: str
    edition: str
    areas: tuple[_InferredArea, ...] = ()
    scale_min: int = 1
    scale_max: int = 10
    stages: tuple[str, ...] = ("Stage 1", "Stage 2", "Stage 3", "Stage 4", "Stage 5")
    confirmed: bool = False

    def stage_of(self, score: int) -> int:
        span = self.scale_max - self.scale_min + 1
        return max(1, min(5, math.ceil(5 * (score - self.scale_min + 1) / span)))


def _lookup_edition(star: str, edition: str | None, values: Sequence[EvidenceValue],
                    stars: StarRegistry | None = None) -> _Edition:
    """The registry's edition, or a stand-in with the readings' scale when the registry does not know it."""
    try:
        return (stars or registry()).get(star, edition)
    except UnknownName:
        lows = [int(v.scale_min) for v in values if v.scale_min is not None]
        highs = [int(v.scale_max) for v in values if v.scale_max is not None]
        return _InferredEdition(id=star, name=star.replace("-", " ").capitalize(), edition=edition or "",
                                scale_min=min(lows, default=1), scale_max=max(highs, default=10))

