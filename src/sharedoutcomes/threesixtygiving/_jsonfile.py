"""
360Giving JSON packages (``{"grants": [...], "version": ..., ...}``), streamed grant by grant.

With the ``threesixtygiving`` extra (ijson, with its C backend), a file of any size is read one grant
at a time: memory holds one grant, never the whole file. Without it, the file is parsed whole with
the standard library, which is as correct but needs memory for all of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Any

from sharedoutcomes.converters import CoverageCounter, not_read
from sharedoutcomes.exceptions import ConversionError, Problem
from sharedoutcomes.problems import SourceLocation
from sharedoutcomes.threesixtygiving._raw import RawGrant

__all__ = ["JsonSource", "streaming"]


def _ijson() -> Any | None:
    try:
        import ijson  # type: ignore[import-untyped]
    except ImportError:
        return None
    return ijson


def streaming() -> bool:
    """
    Whether JSON files are streamed (the ``threesixtygiving`` extra, ijson, is installed).

    Example:
        >>> isinstance(streaming(), bool)
        True
    """
    return _ijson() is not None


class JsonSource:
    """
    The grants of a 360Giving JSON package, streamed, and (after `read_meta`) its other members.

    Attributes:
        meta: The package's members other than ``grants`` (version, publisher, licence …).
        has_grants: Whether the package has a ``grants`` array at all.
    """

    def __init__(self, path: FilePath) -> None:
        self.path = path
        self.file = path.name
        self.meta: dict[str, Any] = {}
        self.has_grants = False
        self.problems: list[Problem] = []
        self.counter: CoverageCounter | None = None

    def _fail(self, what: str) -> ConversionError:
        return ConversionError(f"{self.file} is not a 360Giving JSON package: {what}",
                               source=SourceLocation(file=self.file))

    def _open(self) -> Any:
        try:
            return self.path.open("rb")
        except OSError as error:
            raise ConversionError(f"{self.file} cannot be opened: {error.strerror or error}",
                                  source=SourceLocation(file=self.file)) from None

    def read_meta(self) -> None:
        """Read the package's members other than ``grants`` (a pass that skips the grants)."""
        ijson = _ijson()
        if ijson is None:
            data = self._whole()
            self.meta = {key: value for key, value in data.items() if key != "grants"}
            self.has_grants = isinstance(data.get("grants"), list)
            return
        with self._open() as handle:
            try:
                self._events(ijson, handle)
            except ijson.JSONError as error:
                raise self._fail(f"the JSON is malformed ({error})") from None

    def _events(self, ijson: Any, handle: Any) -> None:
        builder: Any = None
        key, depth, top = "", 0, None
        for prefix, event, value in ijson.parse(handle, use_float=True):
            if top is None:
                top = event
                if event != "start_map":
                    raise self._fail("its top level is not an object")
                continue
            if prefix == "":
                if event == "map_key":
                    key, depth = value, 0
                    builder = None if key == "grants" else ijson.ObjectBuilder()
                continue
            if builder is None:
                if prefix == "grants" and event == "start_array":
                    self.has_grants = True
                continue
            builder.event(event, value)
            depth += 1 if event in {"start_map", "start_array"} else -1 if event in {"end_map", "end_array"} else 0
            if depth == 0:
                self.meta[key] = builder.value

    def _whole(self) -> dict[str, Any]:
        with self._open() as handle:
            try:
                data = json.load(handle)
            except (ValueError, RecursionError) as error:
                raise self._fail(f"the JSON is malformed ({error})") from None
        if not isinstance(data, dict):
            raise self._fail("its top level is not an object")
        return data

    def __iter__(self) -> Iterator[RawGrant]:
        ijson = _ijson()
        if ijson is None:
            grants = self._whole().get("grants")
            items: Any = grants if isinstance(grants, list) else []
            yield from self._raw(items)
            return
        with self._open() as handle:
            try:
                yield from self._raw(ijson.items(handle, "grants.item", use_float=True))
            except ijson.JSONError as error:
                raise self._fail(f"the JSON is malformed ({error})") from None

    def _raw(self, items: Any) -> Iterator[RawGrant]:
        for index, grant in enumerate(items):
            if isinstance(grant, dict):
                yield RawGrant(grant, index=index, file=self.file)
            elif grant is not None:
                base = SourceLocation(file=self.file, section=f"$.grants[{index}]")
                self.problems.append(not_read(base, json.dumps(grant, default=str)[:200],
                                              why="a grant must be a JSON object"))
                if self.counter is not None:
                    self.counter.not_read("grants")
