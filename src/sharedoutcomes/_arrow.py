"""
Arrow columns built from numpy and bytes, without a ``take`` of many strings (for the columnar readers).

The values table of a batch has a row per answer or score; its text columns (the evidence id,
the code) and the layout's empty columns are most of the memory a batch writes. The builders here
make them from the offsets and bytes they share: each evidence item's id repeated in place, codes
tiled, empty columns over one block of zeroed memory. Each falls back to ``take`` or
``pyarrow.nulls`` where its shortcut does not apply, and is tested equal to them. The columnar
Star and survey readers both build their tables with them.
"""

from __future__ import annotations

from typing import Any, Final

from sharedoutcomes._optional import require

__all__ = ["constant_text", "nulls", "repeated", "tiled_text"]

_PURPOSE: Final = "reading exports into Arrow tables"


def nulls(pa: Any, kind: Any, length: int) -> Any:
    """
    An all-null array: its buffers all one block of zeroed memory that is never written.

    (``pyarrow.nulls`` fills its buffers with zeros, which costs as much as a column of
    values; a batch has a dozen columns the Star reader leaves empty, ten million rows long.)
    """
    import numpy as np

    fixed = {pa.int64(): 8, pa.float64(): 8, pa.date32(): 4, pa.int32(): 4, pa.int8(): 1}
    if kind in fixed:
        zeros = pa.py_buffer(np.zeros(length * fixed[kind] + 64, dtype=np.uint8))
        return pa.Array.from_buffers(kind, length, [zeros, zeros], null_count=length)
    if kind == pa.string():
        zeros = pa.py_buffer(np.zeros((length + 1) * 4 + 64, dtype=np.uint8))
        return pa.Array.from_buffers(kind, length, [zeros, zeros, zeros[:0]], null_count=length)
    return pa.nulls(length, type=kind)


def constant_text(pa: Any, value: str, length: int) -> Any:
    """*value* *length* times, as a string array built from its bytes (no take): `tiled_text` of one text."""
    return tiled_text(pa, [value], length)


def tiled_text(pa: Any, texts: list[str], times: int) -> Any:
    """*texts* one after the other, *times* over, as one string array built from their bytes (no take)."""
    import numpy as np

    encoded = [t.encode() for t in texts]
    one = b"".join(encoded)
    if len(one) * times >= 1 << 31 or not texts:
        return pa.array(texts * times, type=pa.string())
    within = np.zeros(len(texts), dtype=np.int64)
    np.cumsum([len(e) for e in encoded[:-1]], out=within[1:])
    offsets = np.empty(len(texts) * times + 1, dtype=np.int32)
    offsets[:-1].reshape(times, len(texts))[:] = np.arange(times, dtype=np.int64)[:, None] * len(one) + within
    offsets[-1] = len(one) * times
    return pa.Array.from_buffers(pa.string(), len(texts) * times, [None, pa.py_buffer(offsets),
                                                                   pa.py_buffer(one * times)])


def repeated(strings: Any, reading: Any) -> Any:
    """
    ``strings.take(reading)`` for an ascending *reading* (each reading's id once per value), without a take.

    Each string repeated in place (``binary_repeat``) already lays the bytes out as the result
    needs them; only the offsets are computed. Falls back to ``take`` beyond 32-bit offsets.
    """
    import numpy as np

    pa = require("pyarrow", extra="columnar", purpose=_PURPOSE)
    pc = require("pyarrow.compute", extra="columnar", purpose=_PURPOSE)

    strings = strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings
    positions = reading.to_numpy(zero_copy_only=False) if isinstance(reading, pa.Array) else reading
    n = len(strings)
    if not n or not len(positions) or strings.null_count or strings.type != pa.string():
        return strings.take(pa.array(positions))
    counts = np.bincount(positions, minlength=n)
    starts = np.frombuffer(strings.buffers()[1], dtype=np.int32, count=n + 1, offset=strings.offset * 4)
    lengths = np.diff(starts).astype(np.int64)
    size = int(lengths @ counts)
    if not size or size >= 1 << 31 or len(counts) != n or bool((np.diff(positions) < 0).any()):
        return strings.take(pa.array(positions))
    offsets = np.zeros(len(positions) + 1, dtype=np.int32)
    np.cumsum(np.repeat(lengths, counts), out=offsets[1:])
    data = pc.binary_repeat(strings, pa.array(counts)).buffers()[2]
    return pa.StringArray.from_buffers(len(positions), pa.py_buffer(offsets), data)
