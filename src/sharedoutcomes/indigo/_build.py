"""The package being built from INDIGO projects: its collections, problems, source map and coverage."""

from __future__ import annotations

from typing import Any

from attrs import define, field

from sharedoutcomes.converters import CoverageCounter, excerpt
from sharedoutcomes.indigo._orgs import OrgBook
from sharedoutcomes.indigo._values import Key, ProjectSource, clean_text, jsonpath, parse_month, parse_number
from sharedoutcomes.problems import Problem, SourceLocation

__all__ = ["Build"]


@define
class Build:
    """
    Everything a conversion accumulates, and the small helpers that map one leaf and record where it was.

    Example:
        >>> build = Build(file="project.json")
        >>> source = ProjectSource("INDIGO-POJ-0001", file="project.json")
        >>> source.add(("dates", "start", "value"), "2018-13", SourceLocation(file="project.json"), "dates")
        >>> build.month(source, ("dates", "start", "value"), "$.activities[0].period.start") is None
        True
        >>> build.problems[0].rule
        'indigo.bad-date'
    """

    file: str
    orgs: OrgBook = field(factory=OrgBook)
    activities: list[dict[str, Any]] = field(factory=list)
    outcomes: list[dict[str, Any]] = field(factory=list)
    indicators: list[dict[str, Any]] = field(factory=list)
    contributions: list[dict[str, Any]] = field(factory=list)
    evidence: list[dict[str, Any]] = field(factory=list)
    links: list[dict[str, Any]] = field(factory=list)
    problems: list[Problem] = field(factory=list)
    source_map: dict[str, SourceLocation] = field(factory=dict)
    counter: CoverageCounter = field(factory=CoverageCounter)
    assumed_aggregation: int = 0

    def flag(self, rule: str, path: str, message: str, source: SourceLocation | None, value: Any = None) -> None:
        """Record a warning of the ``indigo`` family."""
        self.problems.append(Problem(rule=rule, severity="warning", path=path, message=message, source=source,
                                     value=value))

    def put(self, path: str, source: ProjectSource, key: Key) -> None:
        """Record that the package's *path* came from the leaf *key*."""
        self.source_map[path] = source.location(key)

    def text(self, source: ProjectSource, key: Key, path: str, *, take: bool = True) -> str | None:
        """The text at *key* as it is (a description keeps line breaks); with ``take=False`` it is also kept."""
        value = source.take(key) if take else source.get(key)
        if value is None:
            return None
        self.put(path, source, key)
        return str(value)

    def title(self, source: ProjectSource, key: Key, path: str, *, take: bool = True) -> str | None:
        """The text at *key* on one line; odd white space is reported, the original is kept elsewhere."""
        value = source.take(key) if take else source.get(key)
        if value is None:
            return None
        cleaned, odd = clean_text(str(value))
        if not cleaned:
            return None
        self.put(path, source, key)
        if odd:
            self.flag("indigo.whitespace", path,
                      f"{jsonpath(key)} holds a non-breaking space, tab or line break; the title is written on "
                      "one line with ordinary spaces (the original text is kept in the package)",
                      source.location(key), value)
        return cleaned

    def number(self, source: ProjectSource, key: Key, path: str) -> float | int | None:
        """
        The number at *key*; prose is reported and left in place.

        Prose stays under the extension as written; a number with a note beside it is read, and its
        text is kept too.
        """
        value = source.get(key)
        if value is None:
            return None
        number, note = parse_number(value)
        if number is None:
            self.flag("indigo.prose-in-number", path,
                      f"{jsonpath(key)} should be a number but holds text {excerpt(value)}; it is not read as a "
                      "number, and the text is kept in the package", source.location(key), value)
            return None
        if note is not None:
            self.flag("indigo.prose-in-number", path,
                      f"{jsonpath(key)} holds {excerpt(value)}: read as the number {number}; the note is kept "
                      "with the original text in the package", source.location(key), value)
        else:
            source.take(key)
        self.put(path, source, key)
        return number

    def month(self, source: ProjectSource, key: Key, path: str, *, last: bool = False) -> str | None:
        """The first (or *last*) day of the INDIGO date at *key*, as ISO 8601; a bad date is reported and kept."""
        value = source.get(key)
        if value is None:
            return None
        days = parse_month(value)
        if days is None:
            self.flag("indigo.bad-date", path,
                      f"{jsonpath(key)} is {excerpt(value)}, which is not a date INDIGO allows (YYYY, YYYY-MM or "
                      "YYYY-MM-DD, with a real month and day); the date is left out and the text kept in the "
                      "package", source.location(key), value)
            return None
        source.take(key)
        self.put(path, source, key)
        return (days[1] if last else days[0]).isoformat()

    def period(self, source: ProjectSource, start: Key, end: Key, path: str) -> dict[str, str] | None:
        """A period from two INDIGO dates (``None`` without a readable start; the validation checks the order)."""
        first = self.month(source, start, f"{path}.start")
        if first is None:
            return None
        last = self.month(source, end, f"{path}.end", last=True)
        return {"start": first} if last is None else {"start": first, "end": last}
