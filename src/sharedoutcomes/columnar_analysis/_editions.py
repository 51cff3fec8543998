"""
The Star editions readings are scored against, looked up once per Star and stated edition.

The same rules as `sharedoutcomes.star_analysis`: the registry's edition (its id replaces the
edition the reading states, so ``"3rd edition"`` and ``"3"`` are one edition), or, for a Star or
edition the registry does not know, a stand-in (`sharedoutcomes.stars.edition_or_inferred`) with the scale
that the *first* reading of it declares (the lowest ``scale_min`` and highest ``scale_max`` of its values)
and five generic stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sharedoutcomes.stars import InferredEdition


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
