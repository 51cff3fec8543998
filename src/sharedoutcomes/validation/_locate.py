"""Pointing problems at the original file: from a converter's source map, or from the evidence's provenance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from sharedoutcomes._util.paths import nearest
from sharedoutcomes.problems import Problem, SourceLocation

__all__ = ["locate"]


def locate(problems: Iterable[Problem], data: Any, source_map: Mapping[str, SourceLocation] | None,
           file: str | None) -> Iterator[Problem]:
    """
    Attach source locations: from a converter's map, or from the evidence's own provenance.

    Example:
        >>> problem = Problem(rule="period-order", severity="error", path="$.period.end", message="m")
        >>> str(next(locate([problem], {}, None, "return.json")).source)
        'return.json'
    """
    evidence = data.get("evidence") if isinstance(data, dict) else None
    for problem in problems:
        if problem.source is None:
            location = nearest(problem.path, source_map) if source_map else None
            if location is None and isinstance(evidence, list) and problem.path.startswith("$.evidence["):
                location = _provenance_location(evidence, problem.path)
            if location is None and file is not None:
                location = SourceLocation(file=file)
            if location is not None:
                problem = attrs.evolve(problem, source=location)  # noqa: PLW2901
        yield problem



def _provenance_location(evidence: list[Any], path: str) -> SourceLocation | None:
    try:
        index = int(path[len("$.evidence["):path.index("]")])
        provenance = evidence[index].get("provenance")
    except (ValueError, IndexError, AttributeError):
        return None
    if not isinstance(provenance, dict) or not isinstance(provenance.get("file"), str):
        return None  # no provenance, or one the schema reports as malformed: nothing to point at
    row = provenance.get("row")
    return SourceLocation(
        file=provenance["file"],
        sheet=_text(provenance.get("sheet")),
        row=row if type(row) is int else None,
        column=_text(provenance.get("column")),
        question=_text(provenance.get("question")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
