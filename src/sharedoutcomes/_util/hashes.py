"""
Texts met so far, across batches, by 64-bit hashes: `HashIndex` and the `text_hashes` it is keyed by.

Filling a Python dict with a string per row is slow for millions of rows (a quarter of the
columnar Star reader's time, when it did); hashes are computed on whole columns (Polars'
``hash``), kept in sorted numpy runs and searched with ``searchsorted``, and the texts stay in
the Arrow arrays they came in, to confirm a hash that matches: a text is found only when it is
equal (two texts with one hash are kept apart, not merged). The columnar Star reader remembers
its evidence ids and people with it, and `sharedoutcomes.columnar`'s batch-by-batch validation
the evidence ids of earlier batches.

An index whose texts are seldom looked at (an evidence id comes back only when it repeats) keeps
them `packed`: Arrow IPC, compressed with Zstandard, each chunk's texts unpacked only when one of
them is compared: of the 57 bytes an evidence id of the benchmark's Star export cost the
validation's index unpacked, 34 were its text (packed, 6). The index's arrays get memory
mappings of their own (`_lasting`), and a place, a row or an index takes 4 bytes while it fits.
"""

from __future__ import annotations

import bisect
import importlib
import mmap
from typing import Any, Final

__all__ = ["SEED", "HashIndex", "pack", "text_hashes", "unpack"]

SEED: Final = 0x5EED_0F_57A5
"""The seed of every hash here (and of the Star reader's own): equal texts hash alike across batches."""


def text_hashes(pl: Any, texts: Any) -> Any:
    """A 64-bit hash (``numpy.uint64``) of each string of the Arrow array *texts*, equal for equal texts (*pl*: Polars)."""
    return pl.Series(values=texts).hash(seed=SEED).to_numpy()


def _pa() -> Any:
    """pyarrow, which every caller of this module has already required (with the install hint of its extra)."""
    return importlib.import_module("pyarrow")


_CODEC: Final = "zstd"  # in every pyarrow wheel; without it, `pack` keeps the arrays uncompressed


def pack(*columns: Any) -> Any:
    """
    Arrow arrays (or numpy arrays) of one length as one compressed buffer (Arrow IPC, Zstandard; `unpack` reverses it).

    The buffer holds only what the arrays show (a slice does not carry its parent).
    """
    pa = _pa()

    arrays = [column.combine_chunks() if isinstance(column, pa.ChunkedArray)
              else column if isinstance(column, pa.Array) else pa.array(column) for column in columns]
    batch = pa.record_batch(arrays, names=[str(k) for k in range(len(arrays))])
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression=_CODEC if pa.Codec.is_available(_CODEC) else None)
    with pa.ipc.new_stream(sink, batch.schema, options=options) as writer:
        writer.write_batch(batch)
    return sink.getvalue()


def unpack(packed: Any) -> tuple[Any, ...]:
    """The Arrow arrays `pack` packed, in order."""
    pa = _pa()

    return tuple(pa.ipc.open_stream(packed).read_next_batch().columns)


_OWN_MAPPING: Final = 16 * mmap.PAGESIZE  # arrays of at least this many bytes get a mapping of their own


def _lasting(np: Any, length: int, dtype: Any) -> Any:
    """
    An empty numpy array for what an index keeps: in an anonymous memory mapping of its own, when it is large.

    An index's arrays outlive the batches whose working arrays are allocated around them; on
    the C heap they would pin it, so that the memory of every batch that came before could not
    be handed back (measured over a 1,000,000-reading Star stream, pyarrow on the system
    allocator: glibc's arena grew by 111 MiB while what was in use grew by 46). A mapping of its
    own is returned whole when the array is dropped.
    """
    dtype = np.dtype(dtype)
    if length * dtype.itemsize < _OWN_MAPPING:
        return np.empty(length, dtype=dtype)
    return np.frombuffer(mmap.mmap(-1, length * dtype.itemsize), dtype=dtype, count=length)


def _kept(np: Any, array: Any) -> Any:
    """A copy of the one-dimensional *array* in `_lasting` memory."""
    array = np.asarray(array)
    out = _lasting(np, len(array), array.dtype)
    out[...] = array
    return out


def _narrowed(np: Any, column: Any) -> Any:
    """*column* in 4 bytes a value when its values are whole numbers from 0 to 2**32 - 1 (places, rows, indexes)."""
    if column.dtype.kind in "iu" and column.dtype.itemsize > 4 and len(column) and column.min() >= 0 \
            and column.max() < 2**32:
        return column.astype(np.uint32)
    return column


def _grown(np: Any, kept: Any, filled: int, column: Any) -> Any:
    """
    *kept* (an array of which *filled* values are in use; ``None`` for none yet) with *column*'s values after them.

    Grown by doubling, in `_lasting` memory (a few mappings for the whole index, not one an addition,
    well inside the kernel's limit on mappings however long the stream; the pages not yet filled
    are not resident). Whole numbers from 0 to 2**32 - 1 are kept in 4 bytes, and the array is
    widened when values need more.
    """
    need = filled + len(column)
    column = _narrowed(np, column)
    if kept is None:
        kept = _lasting(np, 0, column.dtype)
    dtype = np.result_type(kept.dtype, column.dtype)
    if dtype.kind not in "iub":  # int64 with uint64 would be float64: rounded
        msg = f"an index's data are integers that one integer type holds, not {kept.dtype} and {column.dtype}"
        raise TypeError(msg)
    if need > len(kept) or dtype != kept.dtype:
        grown = _lasting(np, max(need, 2 * len(kept)), dtype)
        grown[:filled] = kept[:filled]
        kept = grown
    kept[filled:need] = column
    return kept


def _merge(np: Any, a: Any, a_places: Any, b: Any, b_places: Any) -> tuple[Any, Any]:
    """
    Two sorted runs (hashes, places) as one.

    A stable ``argsort`` of the two runs end to end: numpy's stable sort finds the two runs and
    merges them in one pass (measured 15 ms for 960,000 hashes, against 37 ms placing each
    element with ``searchsorted``).
    """
    both = np.concatenate([a, b])
    order = np.argsort(both, kind="stable")
    hashes = np.take(both, order, out=_lasting(np, len(both), both.dtype))
    del both
    places = np.concatenate([a_places, b_places])
    return hashes, np.take(places, order, out=_lasting(np, len(places), places.dtype))


class HashIndex:
    """
    Texts met so far, across chunks, each with a place (its number, from 0) and a few integers of data.

    Looked up and added a whole array at a time. The hashes are kept in a few sorted runs
    (numpy arrays, each at least twice as long as the next, as in a log-structured merge:
    each hash is merged a logarithmic number of times), searched with ``searchsorted``; two
    texts with one hash are both kept. The texts stay in the Arrow arrays they came in, to
    confirm a match; *packed*, each addition's texts are kept compressed (`pack`) and unpacked
    when a hash matches one of them (the matches of one `find` are confirmed addition by
    addition, each unpacked once): for an index whose hashes seldom match, as an index of ids.
    """

    def __init__(self, *, packed: bool = False) -> None:
        self._runs: list[tuple[Any, Any]] = []  # (sorted hashes, the place of each)
        self._starts: list[int] = []
        self._chunks: list[Any] = []  # the texts (or packed texts) added at once
        self._data: list[Any] = []  # each data column, every place's value, in an array with room to grow
        self._packed = packed
        self._unpacked: tuple[int, Any] = (-1, None)  # the addition last unpacked, and its texts
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def find(self, hashes: Any, texts: Any) -> Any:
        """The place of each text (its hash in *hashes*) among those added, or -1 when it has not been met."""
        import numpy as np

        found = np.full(len(hashes), -1, dtype=np.int64)
        if not self._runs or not len(hashes):
            return found
        order = np.argsort(hashes)
        queries = hashes[order]  # in sorted order: the searches stay in cache
        matches: list[tuple[int, int]] = []  # (a place whose hash matches, the text's number in *texts*)
        for run, places in self._runs:
            at = np.searchsorted(run, queries)
            hit = run[np.minimum(at, len(run) - 1)] == queries
            for q in np.flatnonzero(hit).tolist():  # a hash met before: the text must be equal too
                k, query, g = int(at[q]), queries[q], int(order[q])
                while k < len(run) and run[k] == query:
                    matches.append((int(places[k]), g))
                    k += 1
        if self._packed:
            matches.sort()  # addition by addition: each is unpacked once
        wanted: dict[int, str] = {}
        for place, g in matches:  # no two texts added are equal: at most one place can be a text's
            if found[g] < 0:
                want = wanted.get(g)
                if want is None:
                    want = wanted[g] = texts[g].as_py()
                if self.text(place) == want:
                    found[g] = place
        return found

    def add(self, hashes: Any, texts: Any, *data: Any) -> None:
        """Remember *texts* (none met before, no two equal), with their *hashes* and one value of each *data* column."""
        import numpy as np

        n = len(hashes)
        if not n:  # an empty run would have no last hash to compare with
            return
        start = self.count
        kept = self._data if start else [None] * len(data)
        if len(data) != len(kept):
            msg = f"this index keeps {len(kept)} data columns, not {len(data)}"
            raise ValueError(msg)
        self._data = [_grown(np, column_kept, start, np.asarray(column))  # first: it may refuse the data
                      for column_kept, column in zip(kept, data, strict=True)]
        order = np.argsort(hashes)
        places = _narrowed(np, order + start)  # a merge with wider places widens the run
        self._runs.append((_kept(np, hashes[order]), _kept(np, places)))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            self._runs[-2:] = [_merge(np, *self._runs[-2], *self._runs[-1])]
        self._starts.append(start)
        self._chunks.append(pack(texts) if self._packed else texts)
        self.count += n

    def _where(self, place: int) -> tuple[int, int]:
        k = bisect.bisect_right(self._starts, place) - 1
        return k, place - self._starts[k]

    def text(self, place: int) -> str:
        """The text at *place*."""
        k, at = self._where(place)
        texts = self._chunks[k]
        if self._packed:
            if self._unpacked[0] != k:
                self._unpacked = (k, unpack(texts)[0])
            texts = self._unpacked[1]
        return str(texts[at].as_py())

    def data(self, place: int) -> tuple[int, ...]:
        """The data added with the text at *place*."""
        return tuple(int(column[place]) for column in self._data)
