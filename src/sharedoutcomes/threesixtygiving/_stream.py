"""
`GrantStream`: the grants of a 360Giving file, mapped one at a time, in constant memory.

JSON is streamed by ijson (the ``threesixtygiving`` extra), CSV by the ``csv`` module, XLSX by
openpyxl's read-only mode; only one grant (and, for XLSX, the rows of the sub-object sheets) is
held at a time. `read` builds a package from the stream; a caller with a file too large for one
package can consume the stream itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Any

from sharedoutcomes.converters import CoverageCounter
from sharedoutcomes.exceptions import ConversionError, Problem
from sharedoutcomes.problems import SourceLocation
from sharedoutcomes.threesixtygiving._grant import GrantMapper, MappedGrant
from sharedoutcomes.threesixtygiving._jsonfile import JsonSource
from sharedoutcomes.threesixtygiving._schema import Path
from sharedoutcomes.threesixtygiving._sheets import SheetSource

__all__ = ["GrantStream", "iter_grants"]


class GrantStream:
    """
    The grants of a 360Giving JSON, CSV or XLSX file, each as a `MappedGrant`, read lazily.

    After (or during) iteration: `problems` holds what the readers found outside any grant (cells not
    read, orphan rows), `counter` the coverage so far, and `meta` the package metadata (the JSON
    package's members other than ``grants``, or the ``Meta`` sheet), with `meta_locations`.

    Example:
        >>> from sharedoutcomes.threesixtygiving import sample_path
        >>> stream = GrantStream(sample_path())
        >>> [grant.activity["funding"][0]["amount"]["amount"] for grant in stream][:2]
        [30000, 30000]
    """

    def __init__(self, source: str | os.PathLike[str], *, source_map: bool = True, meta: bool = True) -> None:
        self.path = FilePath(source)
        self.file = self.path.name
        if not self.path.is_file():
            msg = f"{self.path} is not a file"
            raise ConversionError(msg, source=SourceLocation(file=self.file))
        self.counter = CoverageCounter()
        self.mapper = GrantMapper(self.counter, source_map=source_map, unique_ids=meta)
        self.problems: list[Problem] = []
        self.meta: dict[str, Any] = {}
        self.meta_locations: dict[Path, SourceLocation] = {}
        self.count = 0
        self._want_meta = meta
        suffix = self.path.suffix.lower()
        self._json = suffix == ".json"
        if suffix not in {".json", ".csv", ".xlsx", ".xlsm"}:
            msg = f"{self.file}: a 360Giving file is .json, .csv or .xlsx, not {suffix or 'a file without an extension'}"
            raise ConversionError(msg, source=SourceLocation(file=self.file))

    def __iter__(self) -> Iterator[MappedGrant]:
        if self._json:
            source = JsonSource(self.path)
            source.counter = self.counter
            if self._want_meta:  # a pass of its own: the grants pass never holds more than one grant
                source.read_meta()
                if not source.has_grants:
                    msg = f"{self.file} is not a 360Giving JSON package: it has no 'grants' array"
                    raise ConversionError(msg, source=SourceLocation(file=self.file))
            self.meta = source.meta
            for key, value in self.meta.items():
                self.counter.read(key, _leaves(value))
            raws: Any = source
        else:
            raws = SheetSource(self.path, self.counter)
        for raw in raws:
            yield self.mapper.map(raw, self.count)
            self.count += 1
        self.problems.extend(raws.problems)
        if not self._json:
            self.meta, self.meta_locations = raws.meta, raws.meta_locations

    def locate_meta(self, path: Path) -> SourceLocation:
        """Where the metadata field at *path* came from."""
        if self._json:
            return SourceLocation(file=self.file, section="$." + ".".join(str(p) for p in path))
        return self.meta_locations.get(path, SourceLocation(file=self.file, sheet="Meta"))


def _leaves(node: Any) -> int:
    if isinstance(node, dict):
        return sum(_leaves(value) for value in node.values())
    if isinstance(node, list):
        return sum(_leaves(value) for value in node)
    return 0 if node is None or node == "" else 1


def iter_grants(source: str | os.PathLike[str]) -> Iterator[MappedGrant]:
    """
    Each grant of a 360Giving file, mapped, in constant memory.

    No source map is kept, the file's metadata is not read, and a repeated grant id is not
    looked for (its activity keeps the grant id): `ThreeSixtyGivingFormat.read` does all three.

    Example:
        >>> from sharedoutcomes.threesixtygiving import sample_path
        >>> sum(1 for _ in iter_grants(sample_path()))
        4
    """
    yield from GrantStream(source, source_map=False, meta=False)
