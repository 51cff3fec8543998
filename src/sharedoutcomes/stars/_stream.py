"""
Streaming a Star export: evidence dicts one at a time, or JSON Lines, in constant memory.

The public names are exported from `sharedoutcomes.stars`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from os import PathLike
from pathlib import Path
from typing import IO, Any

from attrs import field, frozen

from sharedoutcomes.converters import Coverage
from sharedoutcomes.exceptions import Problem
from sharedoutcomes.stars._convention import PLACEHOLDER_ORGANISATION, converter_version
from sharedoutcomes.stars._reader import ReadingStream
from sharedoutcomes.stars._registry import StarRegistry

__all__ = ["JsonlSummary", "iter_readings", "to_jsonl"]


def iter_readings(
    source: str | PathLike[str] | IO[Any],
    *,
    star: str | None = None,
    edition: str | None = None,
    column_map: Mapping[str, str] | None = None,
    stars: StarRegistry | str | PathLike[str] | None = None,
    sheet: str | None = None,
    organisation_id: str | None = None,
    today: Any = None,
    source_system: str | None = None,
    cross_row_checks: bool = False,
) -> ReadingStream:
    """
    Stream the readings of a Star export as evidence dicts, one at a time.

    Iterating gives one JSON-ready evidence dict per reading (the same evidence the
    ``outcomes-star`` format puts in a package, without the source map); the stream's
    ``problems`` list fills as it goes, and ``readings`` / ``skipped`` count them. Each
    reading passes the converter's own checks (scores whole numbers within the scale,
    dates real and not in the future, ids without spaces), which cover what the evidence
    schema requires of it.

    A wide CSV streams in constant memory. ``cross_row_checks=True`` also finds exact
    duplicate readings and people on two editions, at the cost of one small entry per
    reading; a long-layout file is grouped into readings in memory.

    Options are those of the ``outcomes-star`` format (see `OutcomesStarFormat`).

    Example:
        >>> from sharedoutcomes.stars import sample_path
        >>> stream = iter_readings(sample_path(), organisation_id="GB-SC-SC012345", today="2025-06-30")
        >>> [e["subject"]["id"] for e in stream][:3]
        ['RS-0001', 'RS-0001', 'RS-0002']
        >>> stream.readings, stream.problems
        (6, [])
    """
    return ReadingStream(source, star=star, edition=edition, column_map=column_map, stars=stars, sheet=sheet,
                         organisation_id=organisation_id or PLACEHOLDER_ORGANISATION, today=today,
                         source_system=source_system, converter_version=converter_version(),
                         cross_row_checks=cross_row_checks)


@frozen(kw_only=True)
class JsonlSummary:
    """
    What `to_jsonl` wrote: how many readings, how many rows were not converted, every problem, and the coverage.

    Example:
        >>> JsonlSummary(readings=2, skipped=0, problems=()).ok
        True
    """

    readings: int
    skipped: int
    problems: tuple[Problem, ...]
    coverage: Coverage | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """``True`` when no problem is an error."""
        return not any(p.severity == "error" for p in self.problems)


def to_jsonl(source: str | PathLike[str] | IO[Any], destination: str | PathLike[str] | IO[str],
             **options: Any) -> JsonlSummary:
    r"""
    Convert a Star export to JSON Lines of evidence (one object per line) in constant memory.

    *options* are those of `iter_readings`. Uses orjson when it is installed.

    Example:
        >>> import io
        >>> from sharedoutcomes.stars import sample_path
        >>> out = io.StringIO()
        >>> summary = to_jsonl(sample_path(), out, organisation_id="GB-SC-SC012345", today="2025-06-30")
        >>> summary.readings, summary.problems, str(summary.coverage)
        (6, (), 'read 119 of 119 pieces')
        >>> out.getvalue().count("\n")
        6
    """
    stream = iter_readings(source, **options)
    lines = _jsonl_lines(stream)
    if isinstance(destination, str | PathLike):
        with Path(destination).open("wb") as binary:
            binary.writelines(lines)
    else:
        destination.writelines(line.decode() for line in lines)
    return JsonlSummary(readings=stream.readings, skipped=stream.skipped, problems=tuple(stream.problems),
                        coverage=stream.counter.coverage())


def _jsonl_lines(items: Iterable[Any]) -> Iterator[bytes]:
    """Each item as one line of UTF-8 JSON (orjson when installed)."""
    try:
        import orjson  # the optional `fast` extra: several times quicker than the json module
    except ImportError:  # pragma: no cover - orjson is optional
        return ((json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n").encode() for item in items)
    return map(functools.partial(orjson.dumps, option=orjson.OPT_APPEND_NEWLINE), items)

