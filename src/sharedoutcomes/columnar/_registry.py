"""
The registry of columnar readers: the formats that read straight into Arrow tables.

A columnar reader is a callable ``read_columnar(source, /, **options) -> ColumnarBatches | None``.
It takes the same source and options as the format's object converter (so that
`sharedoutcomes.columnar.convert` accepts exactly what `sharedoutcomes.convert` accepts) and
returns ``None`` for a source it leaves to the object converter (read, then laid out as tables
by `from_package`, as for a format with no columnar reader), or the evidence as one or more
`EvidenceTables` batches in the `_layout`:

- ``evidence_index`` counts evidence across the whole read (the first row of the second batch
  follows the last row of the first), and every problem's JSONPath uses the same positions
  (``$.evidence[1200].values[3].value``), with its source location;
- each batch holds the values, subject and provenance of its own evidence items (so that it is
  validated as it comes, `sharedoutcomes.columnar.iter_convert`; `convert` validates batches
  that do not together, as one table);
- each batch carries the package's non-evidence JSON in its metadata (the same on every
  batch) and the problems found while reading its rows (``EvidenceTables.problems``);
- after the batches are consumed, ``problems`` holds the problems of the source that belong
  to no batch (a header that was not read, a file-level problem), and ``coverage`` says how
  many pieces of the source were read and not read (as the object converter's does).

Built-in readers are named by import string and imported on first use, like the formats of
`sharedoutcomes.converters`; `register_columnar_reader` adds one for a plugin.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

from attrs import field, frozen

from sharedoutcomes.converters import Coverage, PluginError
from sharedoutcomes.exceptions import Problem

if TYPE_CHECKING:
    from sharedoutcomes.columnar._tables import EvidenceTables

__all__ = [
    "BUILT_IN_READERS",
    "ColumnarBatches",
    "ColumnarRead",
    "ColumnarReader",
    "columnar_reader",
    "register_columnar_reader",
    "unregister_columnar_reader",
]

BUILT_IN_READERS: Final[Mapping[str, str]] = {
    "outcomes-star": "sharedoutcomes.stars._columnar:read_columnar",
    "survey": "sharedoutcomes.surveys._columnar:read_columnar",
}
"""Format name → ``"module:function"`` of its columnar reader, imported on first use.

The other formats are read by their object converter and laid out as tables, which gives the
same tables, problems and coverage."""

@runtime_checkable
class ColumnarBatches(Protocol):
    """
    What a columnar reader returns: batches of tables, then the read's own problems and coverage.

    A reader may also offer ``source_map_of(tables)``: JSONPath → location in the source for the
    evidence of a batch (or of its batches concatenated), as its object converter's source map
    gives it. The validation then locates its problems there (a person id at its cell); without
    it, at the row the evidence's provenance names. It may also offer ``leading_problems``:
    problems of the source that its object converter reports before the rows' (a survey's
    columns that are not read, with the count of their cells), complete once the batches are
    consumed; `convert` puts them first.
    """

    def __iter__(self) -> Iterator[EvidenceTables]:
        """The batches, in source order (a reader may stream them)."""
        ...

    @property
    def problems(self) -> Sequence[Problem]:
        """Problems of the source outside every batch; complete once the batches are consumed."""
        ...

    @property
    def coverage(self) -> Coverage | None:
        """How much of the source was read; complete once the batches are consumed."""
        ...

class ColumnarReader(Protocol):
    """A format's columnar reader: the object converter's source and options in, batches out."""

    def __call__(self, source: Any, /, **options: Any) -> ColumnarBatches | None:
        """Read *source* into `EvidenceTables` batches (``None``: leave it to the object converter)."""
        ...

@frozen(kw_only=True)
class ColumnarRead:
    """
    A ready-made `ColumnarBatches` for a reader that has everything at hand.

    Attributes:
        batches: The `EvidenceTables` batches (a list, or an iterator to stream them).
        problems: Problems outside every batch.
        coverage: How much of the source was read.
    """

    batches: Iterable[EvidenceTables] = field(default=())
    problems: Sequence[Problem] = ()
    coverage: Coverage | None = None

    def __iter__(self) -> Iterator[EvidenceTables]:
        return iter(self.batches)

_PLUGINS: dict[str, ColumnarReader | str] = {}
_LOADED: dict[str, ColumnarReader] = {}

def register_columnar_reader(name: str, reader: ColumnarReader | str) -> None:
    """
    Make *reader* the columnar reader of the format *name* (a callable, or ``"module:function"``).

    The format must also be known to `sharedoutcomes.convert` (built in or a plugin): the
    columnar reader reads the same sources with the same options.

    Example:
        >>> from sharedoutcomes.columnar import ColumnarRead, register_columnar_reader, unregister_columnar_reader
        >>> register_columnar_reader("my-format", lambda source, **options: ColumnarRead())
        >>> columnar_reader("my-format") is not None
        True
        >>> unregister_columnar_reader("my-format")
        >>> columnar_reader("my-format") is None
        True
    """
    _PLUGINS[name] = reader
    _LOADED.pop(name, None)

def unregister_columnar_reader(name: str) -> None:
    """Forget the columnar reader registered for *name* (a built-in one comes back)."""
    _PLUGINS.pop(name, None)
    _LOADED.pop(name, None)

def columnar_reader(name: str) -> ColumnarReader | None:
    """
    The columnar reader of the format *name*, imported on first use; ``None`` when it has none.

    Raises:
        PluginError: The reader is named but cannot be imported.

    Example:
        >>> columnar_reader("package") is None
        True
    """
    if name in _LOADED:
        return _LOADED[name]
    entry = _PLUGINS.get(name, BUILT_IN_READERS.get(name))
    if entry is None:
        return None
    if isinstance(entry, str):
        try:
            loaded = pkgutil.resolve_name(entry)
        except (ImportError, AttributeError, ValueError) as error:
            raise PluginError(name, entry, f"{type(error).__name__}: {error}") from error
        if not callable(loaded):
            raise PluginError(name, entry, "it is not callable")
        reader: ColumnarReader = loaded
    else:
        reader = entry
    _LOADED[name] = reader
    return reader
