"""
One grant as its source gave it: its JSON data, and where each of its values came from.

The spreadsheet reader builds a grant from the cells of a row (and rows of other sheets), the JSON
reader takes it as it is; both hand the grant mapper a `RawGrant`, so the mapping is written once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from typing import Any, Final

from attrs import frozen

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.problems import SourceLocation
from sharedoutcomes.threesixtygiving._schema import Path, field_type

__all__ = ["Cell", "RawGrant", "json_value", "merge", "set_path", "unwrap"]

_NUMBER: Final = re.compile(r"^-?\d+(\.\d+)?$(?!\n)")


@frozen
class Cell:
    """A value from a spreadsheet cell, and where it was."""

    value: Any
    location: SourceLocation


class RawGrant:
    """
    One grant's data as JSON, with the location of each value.

    Attributes:
        data: The grant as 360Giving JSON (fields outside the schema included).
        locations: Leaf path → location, for a grant built from cells (``None`` for JSON, where the
            location is the JSON path itself, ``$.grants[index]…``).
        file: The file's name.
    """

    __slots__ = ("_base", "data", "file", "index", "locations")

    def __init__(self, data: Mapping[str, Any], *, base: SourceLocation | None = None, index: int = 0,
                 locations: Mapping[Path, SourceLocation] | None = None, file: str = "") -> None:
        self.data = data
        self._base = base
        self.index = index
        self.locations = locations
        self.file = file

    @property
    def base(self) -> SourceLocation:
        """Where the grant is: its row, or ``$.grants[i]`` in a JSON file."""
        if self._base is None:
            self._base = SourceLocation(file=self.file or None, section=f"$.grants[{self.index}]")
        return self._base

    def locate(self, path: Path) -> SourceLocation:
        """Where the value at *path* (inside the grant) came from."""
        if self.locations is None:
            return SourceLocation(file=self.file or None, section=f"$.grants[{self.index}]" + json_path(path)[1:])
        return self.locations.get(path, self.base)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def json_value(value: Any, path: Path | None) -> Any:
    """
    A cell's value as the grant field at *path* holds it (``None`` for an empty cell).

    Numbers stay numbers in number fields (and a plain number written as text becomes one: CSV has
    nothing else); in text fields a number becomes its digits; a date cell becomes an RFC 3339
    date-time in UTC, as 360Giving's own converter (flatten-tool) writes it. Anything else is kept
    exactly as it is.

    Example:
        >>> json_value("30000", ("amountAwarded",)), json_value(1126147, ("recipientOrganization", 0, "charityNumber"))
        (30000, '1126147')
        >>> json_value(dt.datetime(2021, 1, 26), ("awardDate",)), json_value("£30,000", ("amountAwarded",))
        ('2021-01-26T00:00:00+00:00', '£30,000')
    """
    if _is_empty(value):
        return None
    if isinstance(value, dt.datetime):  # as flatten-tool (and so 360Giving's own tools) converts a date cell
        return value.isoformat() if value.tzinfo is not None else value.isoformat() + "+00:00"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    kind = field_type(path) if path is not None else None
    if kind == "number":
        if isinstance(value, str) and _NUMBER.match(value.strip()):
            number = float(value)
            return int(number) if number.is_integer() and "." not in value else number
        return value
    if kind == "string" and not isinstance(value, str):
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return value


def set_path(target: dict[str, Any], path: Path, cell: Cell) -> bool:
    """Put *cell* at *path* in *target*, creating objects and arrays; ``False`` when the place is taken."""
    node: Any = target
    for here, after in itertools.pairwise(path):
        empty: Any = [] if isinstance(after, int) else {}
        if isinstance(here, int):
            while len(node) <= here:
                node.append({} if not isinstance(after, int) else [])
            if not isinstance(node[here], type(empty)):
                return False
            node = node[here]
        else:
            existing = node.setdefault(here, empty)
            if not isinstance(existing, type(empty)):
                return False
            node = existing
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        if node[last] is not None:
            return False
        node[last] = cell
        return True
    if last in node:
        return False
    node[last] = cell
    return True


def _same_id(a: Any, b: Any) -> bool:
    left, right = a.get("id"), b.get("id")
    return isinstance(left, Cell) and isinstance(right, Cell) and left.value == right.value


def merge(target: dict[str, Any], fragment: Mapping[str, Any], clashes: list[Cell]) -> None:
    """
    Merge a row of a sub-object sheet into a grant, as flatten-tool does.

    An array item with the ``id`` of an item already there is merged into it; any other item is
    appended. A value for a place that is already taken is not merged: it goes to *clashes*.
    """
    for key, value in fragment.items():
        if key not in target:
            target[key] = value
        elif isinstance(value, dict) and isinstance(target[key], dict):
            merge(target[key], value, clashes)
        elif isinstance(value, list) and isinstance(target[key], list):
            for item in value:
                match = next((old for old in target[key] if isinstance(old, dict) and isinstance(item, dict)
                              and _same_id(old, item)), None)
                if match is not None:
                    merge(match, item, clashes)
                elif item is not None:
                    target[key].append(item)
        else:
            clashes.extend(_cells(value))


def _cells(node: Any) -> list[Cell]:
    if isinstance(node, Cell):
        return [node]
    if isinstance(node, dict):
        return [c for value in node.values() for c in _cells(value)]
    if isinstance(node, list):
        return [c for value in node for c in _cells(value)]
    return []


def unwrap(node: Any, path: Path, locations: dict[Path, SourceLocation]) -> Any:
    """The plain JSON of a tree of cells; each leaf's location goes to *locations*."""
    if isinstance(node, Cell):
        locations[path] = node.location
        return node.value
    if isinstance(node, dict):
        return {key: unwrap(value, (*path, key), locations) for key, value in node.items()}
    if isinstance(node, list):
        out: list[Any] = []
        for value in node:
            if value is not None and value != {}:
                out.append(unwrap(value, (*path, len(out)), locations))
        return out
    return node
