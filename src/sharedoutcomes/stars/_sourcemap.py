"""
The source map of a Star conversion, computed when a path is looked up rather than for every value.

A wide export's reading is one row: where each of its fields and values came from follows from
the row, the columns of its values and which metadata it has. `StarSourceMap` keeps those three
for each reading and answers ``source_map["$.evidence[12].values[3].value"]`` from them, so a
conversion does not build seventeen `SourceLocation` objects a reading that nobody looks at.
Entries set explicitly (the long layout's, whose values come from several rows) are kept as given.
The readings may also be given as a function that lists them, called when the map is first
looked at (the columnar route lists them from the package it built).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Final

from sharedoutcomes._util.paths import column_letter
from sharedoutcomes.problems import SourceLocation

__all__ = ["StarSourceMap"]

_EVIDENCE: Final = re.compile(r"^\$\.evidence\[(\d+)\]")
_VALUE: Final = re.compile(r"^\.values\[(\d+)\]\.value$")

Reading = tuple[int, int, tuple[int, ...], frozenset[str]]
"""A reading's index in the package, its row, the columns of its values, and the metadata roles it has."""


class StarSourceMap(Mapping[str, SourceLocation]):
    """
    JSONPath in the package → location in the export, for every reading's fields and values.

    Example:
        >>> smap = StarSourceMap(file="x.csv", sheet=None, headers=["ID", "Date", "Home"],
        ...                      fields=[(None, ".subject.id", 0), (None, ".date", 1)])
        >>> smap.add(0, row=2, columns=[2], roles=())
        >>> str(smap["$.evidence[0].values[0].value"]), len(smap)
        ("x.csv, row 2, column C ('Home')", 3)
    """

    def __init__(self, *, file: str, sheet: str | None, headers: list[str],
                 fields: list[tuple[str | None, str, int]],
                 readings: Callable[[], Iterable[Reading]] | None = None) -> None:
        self.file, self.sheet, self.headers = file, sheet, headers
        self.fields = fields
        self._suffixes = {suffix: (role, col) for role, suffix, col in fields}
        self._known: dict[int, tuple[int, tuple[int, ...], frozenset[str]]] = {}
        self._pending = readings
        self._given: dict[str, SourceLocation] = {}
        self._letters: list[str] = []

    def add(self, index: int, *, row: int, columns: list[int] | tuple[int, ...], roles: tuple[str, ...]) -> None:
        """Record the reading at *index*: its row, the columns of its values, and the metadata it has."""
        self._known[index] = (row, tuple(columns), frozenset(roles))

    @property
    def _readings(self) -> dict[int, tuple[int, tuple[int, ...], frozenset[str]]]:
        """The readings recorded, with those of the function given listed on first use."""
        pending = self._pending
        if pending is not None:
            self._pending = None
            self._known.update((index, (row, columns, roles)) for index, row, columns, roles in pending())
        return self._known

    def __setitem__(self, path: str, location: SourceLocation) -> None:
        self._given[path] = location

    def _location(self, row: int, column: int) -> SourceLocation:
        header = self.headers[column] if column < len(self.headers) else ""
        return SourceLocation(file=self.file, sheet=self.sheet, row=row, column=column_letter(column),
                              header=header or None)

    def _column(self, path: str) -> tuple[int, int] | None:
        match = _EVIDENCE.match(path)
        if match is None:
            return None
        reading = self._readings.get(int(match.group(1)))
        if reading is None:
            return None
        row, columns, roles = reading
        suffix = path[match.end():]
        field = self._suffixes.get(suffix)
        if field is not None:
            role, col = field
            return (row, col) if role is None or role in roles else None
        value = _VALUE.match(suffix)
        if value is not None and int(value.group(1)) < len(columns):
            return row, columns[int(value.group(1))]
        return None

    def __getitem__(self, path: str) -> SourceLocation:
        given = self._given.get(path)
        if given is not None:
            return given
        found = self._column(path)
        if found is None:
            raise KeyError(path)
        return self._location(*found)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and (path in self._given or self._column(path) is not None)

    def _paths(self) -> Iterator[str]:
        for index, (_, columns, roles) in self._readings.items():
            base = f"$.evidence[{index}]"
            for role, suffix, _ in self.fields:
                if role is None or role in roles:
                    yield base + suffix
            for j in range(len(columns)):
                yield f"{base}.values[{j}].value"

    def __iter__(self) -> Iterator[str]:
        computed = set()
        for path in self._paths():
            computed.add(path)
            yield path
        yield from (p for p in self._given if p not in computed)

    def __len__(self) -> int:
        fields = self.fields
        computed = sum(len(columns) + sum(1 for role, _, _ in fields if role is None or role in roles)
                       for _, columns, roles in self._readings.values())
        return computed + sum(1 for p in self._given if self._column(p) is None)

    def __bool__(self) -> bool:
        return bool(self._readings) or bool(self._given)
