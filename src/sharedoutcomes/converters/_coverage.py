"""How much of its source a converter read: `Coverage`, and `CoverageCounter`, which builds it.

Every converter accounts for every non-empty piece of its input (a cell, a paragraph, a table row,
a JSON member): either it is mapped into the package (and its source location is recorded against
the JSON path it became) or it is reported as not read (a ``conversion.not-read`` warning with its
location and the start of its text). The coverage is the tally of the two, by part of the source
(a sheet, a section of a form, a top-level JSON member), so that a user sees at a glance whether
anything was left behind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from attrs import field, frozen

from sharedoutcomes.problems import Problem, SourceLocation

__all__ = ["NOT_READ", "Coverage", "CoverageCounter", "excerpt", "not_read"]

NOT_READ: Final = "conversion.not-read"
"""The rule id of a piece of the source that was not read into the package."""

_EXCERPT: Final = 60


def excerpt(text: object, limit: int = _EXCERPT) -> str:
    r"""
    The start of *text* for a message: one line, at most *limit* characters, quoted.

    Example:
        >>> print(excerpt("Key learning points:\n  the café is where people come first " * 3, limit=30))
        'Key learning points: the café…'
    """
    flat = " ".join(str(text).split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…")


def not_read(location: SourceLocation, text: object, *, why: str = "", path: str = "$") -> Problem:
    """
    The ``conversion.not-read`` warning for the piece at *location* whose text is *text*.

    *why*, when given, says why it was not read (``"no column of the export is called 'Notes'"``).

    Example:
        >>> from sharedoutcomes.problems import SourceLocation
        >>> print(not_read(SourceLocation(file="readings.csv", row=212, column="A"),
        ...                "Readings checked by J. at the team meeting").message)
        not read: 'Readings checked by J. at the team meeting'
    """
    message = f"not read: {excerpt(text)}" + (f" ({why})" if why else "")
    return Problem(rule="conversion.not-read", severity="warning", path=path, message=message,
                   source=location)


def _frozen_counts(counts: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType({part: n for part, n in counts.items() if n})


@frozen(kw_only=True)
class Coverage:
    """
    The pieces of a source that were read into the package and those that were not, by part.

    Attributes:
        read: Part of the source (sheet, section, JSON member …) → non-empty pieces mapped.
        not_read: Part → non-empty pieces reported as not read (each one a ``conversion.not-read``
            problem, or a problem of the format's own that says why).

    Example:
        >>> coverage = Coverage(read={"Readings": 120, "Meta": 2}, not_read={"Readings": 3})
        >>> coverage.complete, coverage.total_read, coverage.total_not_read
        (False, 122, 3)
        >>> print(coverage)
        read 122 of 125 pieces; not read: 3 (Readings: 3)
    """

    read: Mapping[str, int] = field(factory=dict, converter=_frozen_counts)
    not_read: Mapping[str, int] = field(factory=dict, converter=_frozen_counts)

    @property
    def total_read(self) -> int:
        """How many pieces were read, over every part."""
        return sum(self.read.values())

    @property
    def total_not_read(self) -> int:
        """How many pieces were not read, over every part."""
        return sum(self.not_read.values())

    @property
    def complete(self) -> bool:
        """``True`` when every non-empty piece of the source was read."""
        return not self.not_read

    def parts(self) -> tuple[str, ...]:
        """Every part, in the order first seen (read parts first)."""
        return tuple(dict.fromkeys((*self.read, *self.not_read)))

    def __str__(self) -> str:
        total = self.total_read + self.total_not_read
        text = f"read {self.total_read} of {total} pieces"
        if self.not_read:
            parts = ", ".join(f"{part}: {n}" for part, n in self.not_read.items())
            text += f"; not read: {self.total_not_read} ({parts})"
        return text

    def __add__(self, other: object) -> Coverage:
        if not isinstance(other, Coverage):
            return NotImplemented
        read, not_read = Counter(self.read), Counter(self.not_read)
        read.update(other.read)
        not_read.update(other.not_read)
        return Coverage(read=read, not_read=not_read)


class CoverageCounter:
    """
    Tallies pieces as a reader goes: `read(part)` for each mapped, `not_read(part)` for each not.

    Example:
        >>> counter = CoverageCounter()
        >>> counter.read("Section A", 3)
        >>> counter.not_read("Section B")
        >>> print(counter.coverage())
        read 3 of 4 pieces; not read: 1 (Section B: 1)
    """

    def __init__(self) -> None:
        self._read: Counter[str] = Counter()
        self._not_read: Counter[str] = Counter()

    def read(self, part: str, n: int = 1) -> None:
        """Count *n* pieces of *part* as read into the package."""
        self._read[part] += n

    def not_read(self, part: str, n: int = 1) -> None:
        """Count *n* pieces of *part* as not read (each must also be reported as a problem)."""
        self._not_read[part] += n

    def coverage(self) -> Coverage:
        """The tally so far."""
        return Coverage(read=self._read, not_read=self._not_read)
