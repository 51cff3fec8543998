"""
The edition readings of a Star are scored against: the registry's, or a stand-in for one it does not know.

The Star analyses (`sharedoutcomes.star_analysis`, and their columnar twins in
`sharedoutcomes.columnar_analysis`) need an edition's areas, scale and Journey of Change stages.
A Star (or an edition) the registry does not know is analysed with the scale its readings declare
and five generic stages: an `InferredEdition`, which says it is not confirmed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from attrs import frozen

from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.stars._edition import StarArea, StarEdition
from sharedoutcomes.stars._registry import StarRegistry, registry

__all__ = ["InferredEdition", "edition_or_inferred"]


@frozen(kw_only=True)
class InferredEdition:
    """
    A stand-in for a Star (or edition) the registry does not know: the readings' scale, five generic stages.

    It has what the analyses read of a `StarEdition` (``id``, ``name``, ``edition``, ``areas``,
    ``scale_min``, ``scale_max``, ``stages``, ``stage_of``), and is never ``confirmed``.

    Example:
        >>> edition = InferredEdition(id="my-star", name="My star", edition="", scale_min=1, scale_max=5)
        >>> [edition.stage_of(score) for score in range(1, 6)], edition.confirmed
        ([1, 2, 3, 4, 5], False)
    """

    id: str
    name: str
    edition: str
    areas: tuple[StarArea, ...] = ()
    scale_min: int = 1
    scale_max: int = 10
    stages: tuple[str, ...] = ("Stage 1", "Stage 2", "Stage 3", "Stage 4", "Stage 5")
    confirmed: bool = False

    def stage_of(self, score: int) -> int:
        """The generic stage (1 to 5) of a score: the scale cut in five equal parts."""
        span = self.scale_max - self.scale_min + 1
        return max(1, min(5, math.ceil(5 * (score - self.scale_min + 1) / span)))


def edition_or_inferred(star: str, edition: str | None, *, lows: Iterable[int] = (), highs: Iterable[int] = (),
                        stars: StarRegistry | None = None) -> StarEdition | InferredEdition:
    """
    The registry's edition of *star*, or a stand-in with the scale the readings declare (*lows*, *highs*).

    *lows* and *highs* are the ``scale_min`` and ``scale_max`` of the readings' values: the
    stand-in's scale runs from the lowest to the highest (1–10 when they say nothing).

    Example:
        >>> edition_or_inferred("recovery-star", None).instrument
        'outcomes-star/recovery-star/4'
        >>> edition_or_inferred("my-star", "2", lows=[0, 1], highs=[4]).scale_max
        4
    """
    try:
        return (stars or registry()).get(star, edition)
    except UnknownName:
        return InferredEdition(id=star, name=star.replace("-", " ").capitalize(), edition=edition or "",
                               scale_min=min(lows, default=1), scale_max=max(highs, default=10))
