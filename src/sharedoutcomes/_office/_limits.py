"""
The limits an Office file must keep within, and the error that says which one it broke.

Every limit is a field of `Limits`; a reader that needs other values passes its own
(``Limits(max_file_bytes=20 * 2**20)``), and a caller can widen one for a file they trust.
"""

from __future__ import annotations

import dataclasses
from typing import Final

from sharedoutcomes.exceptions import ConversionError, SourceLocation, UnsafeFile

__all__ = ["Limits", "damaged", "shown", "unsafe"]

MIB: Final = 1024 * 1024

_SHOWN: Final = 80
"""The most characters of a name or target taken from a file that a message shows."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Limits:
    """
    What an Office file may hold before it is refused; every field can be changed.

    The defaults accept any workbook Excel itself can save of up to a million rows of a
    few dozen columns, and refuse what no real export needs: parts that inflate hundreds
    of times, a cell at ``XFD1048576`` (a sheet whose cells span more than
    ``max_cells``), more parts than a real document has.

    Example:
        >>> Limits().max_cells
        50000000
        >>> Limits(max_file_bytes=20 * 1024 * 1024).max_file_bytes
        20971520
    """

    max_file_bytes: int = 100 * MIB
    """The largest file accepted, as stored (zipped)."""
    max_parts: int = 5_000
    """The most parts (zip members) a file may hold."""
    max_unzipped_bytes: int = 1024 * MIB
    """The most all the parts together may inflate to."""
    max_part_ratio: float = 200.0
    """The highest compression ratio of one part bigger than ``ratio_floor_bytes`` unzipped."""
    max_total_ratio: float = 100.0
    """The highest compression ratio of the whole file, once it inflates to more than ``ratio_floor_bytes``."""
    ratio_floor_bytes: int = MIB
    """Parts (and files) smaller than this unzipped are not held to the ratio limits."""
    max_rows: int = 1_048_576
    """The highest row number a cell may have (Excel's own limit)."""
    max_columns: int = 16_384
    """The highest column number a cell may have (Excel's own limit, column ``XFD``)."""
    max_cells: int = 50_000_000
    """The most cells a sheet's extent (its last row times its last column) may span; readers iterate it all."""
    max_read_rows: int = 5_000_000
    """The most rows a reader may charge to one file's `Budget`."""
    max_seconds: float = 600.0
    """The longest the check, and then a reader charging a `Budget`, may take on one file."""


def shown(text: object, limit: int = _SHOWN) -> str:
    """
    *text* from a file, quoted, on one line and at most *limit* characters long.

    Example:
        >>> shown("evil " * 40, limit=12)
        "'evil evil e…'"
    """
    flat = " ".join(str(text).split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def unsafe(name: str, message: str, *, found: str, part: str | None = None) -> UnsafeFile:
    """The `UnsafeFile` error for the file *name*: *found* names what was found (a part, a type, a ratio)."""
    return UnsafeFile(message, source=SourceLocation(file=name), found=found, part=part)


def damaged(name: str, message: str) -> ConversionError:
    """The `ConversionError` for a file that is not what it should be, or is damaged."""
    return ConversionError(message, source=SourceLocation(file=name))
