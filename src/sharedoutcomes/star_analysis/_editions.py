"""
The Star editions the analyses read scores against: the registry's, or a stand-in for a Star it does not know.

The analyses need only an edition's areas, scale and Journey of Change stages (`_Edition`);
a Star the registry does not know is analysed with the scale its values declare and five
generic stages (`sharedoutcomes.stars.InferredEdition`, shared with the columnar analyses).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sharedoutcomes.model import EvidenceValue
from sharedoutcomes.stars import StarRegistry, edition_or_inferred


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


def _lookup_edition(star: str, edition: str | None, values: Sequence[EvidenceValue],
                    stars: StarRegistry | None = None) -> _Edition:
    """The registry's edition, or a stand-in with the readings' scale when the registry does not know it."""
    return edition_or_inferred(star, edition, lows=[int(v.scale_min) for v in values if v.scale_min is not None],
                               highs=[int(v.scale_max) for v in values if v.scale_max is not None], stars=stars)
