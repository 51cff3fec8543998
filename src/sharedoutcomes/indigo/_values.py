"""
One INDIGO project as its pieces (`ProjectSource`), and the parsing of INDIGO's values.

Whatever the input (project JSON, a spreadsheet form, the flat tables), a project becomes the same
thing: its non-empty leaves, each keyed by its path in INDIGO's project JSON
(``("results", 3, "period", "start_date", "value")``) with the place in the original file it came
from. The mapping takes the leaves it maps; every leaf it leaves is kept under the ``indigo``
extension, so nothing is lost.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, Final

from attrs import define, field

from sharedoutcomes.problems import SourceLocation

__all__ = [
    "Key",
    "ProjectSource",
    "clean_text",
    "column_letter",
    "jsonpath",
    "nest",
    "parse_month",
    "parse_number",
]

Key = tuple[str | int, ...]
"""A leaf's path in INDIGO project JSON: member names and list indices."""

_NUMBER: Final = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
_NUMBER_WITH_NOTE: Final = re.compile(r"(?P<number>[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?)\s*\((?P<note>[^()]*)\)")
_DATE: Final = re.compile(r"(?P<year>\d{4})(-(?P<month>\d{1,2})(-(?P<day>\d{1,2}))?)?")
_ODD_SPACE: Final = re.compile("[\u00a0\u2007\u202f\t\r\n]")


def jsonpath(key: Key, root: str = "$") -> str:
    """
    The JSONPath of *key*.

    Example:
        >>> jsonpath(("results", 3, "period", "start_date", "value"))
        '$.results[3].period.start_date.value'
    """
    out = root
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if re.fullmatch(r"\w+", part) else f"[{part!r}]"
    return out


def nest(leaves: dict[Key, Any]) -> dict[str, Any]:
    """
    Leaves back into nested JSON (lists where the keys hold indices, in index order).

    Example:
        >>> nest({("a", "value"): 1, ("items", 1, "id"): "x", ("items", 0, "id"): "w"})
        {'a': {'value': 1}, 'items': [{'id': 'w'}, {'id': 'x'}]}
    """
    root: dict[Any, Any] = {}
    for key, value in leaves.items():
        node = root
        for part in key[:-1]:
            node = node.setdefault(part, {})
        node[key[-1]] = value
    nested: dict[str, Any] = _lists(root)
    return nested


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        return [_lists(node[k]) for k in sorted(node)]
    return {k: _lists(v) for k, v in node.items()}


def column_letter(index: int) -> str:
    """
    The spreadsheet letter of the column at 0-based *index*.

    Example:
        >>> column_letter(0), column_letter(27)
        ('A', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def clean_text(text: str) -> tuple[str, bool]:
    r"""
    *text* on one line with ordinary spaces, and whether it held non-breaking spaces, tabs or newlines.

    Example:
        >>> clean_text("Wellbeing\u00a0improvement\n(6 months)")
        ('Wellbeing improvement (6 months)', True)
    """
    odd = bool(_ODD_SPACE.search(text))
    return " ".join(text.split()), odd


def parse_number(value: Any) -> tuple[float | int | None, str | None]:
    """
    A number from an INDIGO cell, and the note written beside it (``"3600 (as of Jan 2019)"``).

    Returns ``(None, None)`` for prose: the caller keeps the text and reports it.

    Example:
        >>> parse_number("3600 (as of Jan 2019)")
        (3600, 'as of Jan 2019')
        >>> parse_number("1,809"), parse_number(12.5), parse_number("about a hundred")
        ((1809, None), (12.5, None), (None, None))
    """
    if isinstance(value, bool):
        return None, None
    if isinstance(value, int | float):
        return value, None
    text = " ".join(str(value).split())
    note = None
    if not _NUMBER.fullmatch(text):
        match = _NUMBER_WITH_NOTE.fullmatch(text)
        if match is None:
            return None, None
        text, note = match["number"], match["note"].strip() or None
    number = float(text.replace(",", ""))
    return (int(number) if number.is_integer() and "." not in text else number), note


def parse_month(value: Any) -> tuple[dt.date, dt.date] | None:
    """
    The first and last day of an INDIGO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), or ``None``.

    ``2018-13`` (a month that does not exist) is ``None``: the caller reports it and keeps the text.

    Example:
        >>> parse_month("2020-02")
        (datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))
        >>> parse_month("2018-13") is None
        True
    """
    if isinstance(value, dt.datetime):
        return value.date(), value.date()
    if isinstance(value, dt.date):
        return value, value
    match = _DATE.fullmatch(str(value).strip())
    if match is None:
        return None
    year = int(match["year"])
    try:
        if match["day"]:
            day = dt.date(year, int(match["month"]), int(match["day"]))
            return day, day
        if match["month"]:
            month = int(match["month"])
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


@define
class ProjectSource:
    """
    One project's pieces: leaf → value, leaf → where it was, leaf → part of the source (for coverage).

    Example:
        >>> p = ProjectSource("INDIGO-POJ-0200", file="project.json")
        >>> p.add(("name", "value"), "Norfolk Carers Partnership", SourceLocation(file="project.json"), "name")
        >>> p.take(("name", "value")), p.left()
        ('Norfolk Carers Partnership', {})
    """

    project_id: str
    file: str
    leaves: dict[Key, Any] = field(factory=dict)
    where: dict[Key, SourceLocation] = field(factory=dict)
    parts: dict[Key, str] = field(factory=dict)
    taken: set[Key] = field(factory=set)

    def add(self, key: Key, value: Any, location: SourceLocation, part: str) -> None:
        """Record the non-empty leaf *key*."""
        self.leaves[key] = value
        self.where[key] = location
        self.parts[key] = part

    def get(self, key: Key) -> Any:
        """The value at *key* (``None`` when absent), without taking it."""
        return self.leaves.get(key)

    def take(self, key: Key) -> Any:
        """The value at *key* (``None`` when absent), marked as mapped."""
        if key in self.leaves:
            self.taken.add(key)
        return self.leaves.get(key)

    def location(self, key: Key) -> SourceLocation:
        """Where *key* came from (the file, when the leaf is absent)."""
        return self.where.get(key) or SourceLocation(file=self.file)

    def indices(self, name: str) -> list[int]:
        """The indices of the items of the list *name*, in order."""
        return sorted({k[1] for k in self.leaves if k[0] == name and len(k) > 1 and isinstance(k[1], int)})

    def left(self, prefix: Key = ()) -> dict[Key, Any]:
        """The leaves under *prefix* nobody took, keyed by their path below it."""
        n = len(prefix)
        return {k[n:]: v for k, v in self.leaves.items() if k[:n] == prefix and k not in self.taken}

    def keep(self, prefix: Key) -> dict[str, Any]:
        """The leaves under *prefix* nobody took, as nested JSON, now taken (kept in an extension)."""
        kept = self.left(prefix)
        self.taken.update((*prefix, *k) for k in kept)
        return nest(kept) if kept else {}

    def __iter__(self) -> Iterator[Key]:
        return iter(self.leaves)
