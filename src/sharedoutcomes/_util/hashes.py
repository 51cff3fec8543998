"""
Texts met so far, across batches, by 64-bit hashes: `HashIndex` and the `text_hashes` it is keyed by.

Filling a Python dict with a string per row is slow for millions of rows (a quarter of the
columnar Star reader's time, when it did); hashes are computed on whole columns (Polars'
``hash``), kept in sorted numpy runs and searched with ``searchsorted``, and the texts stay in
the Arrow arrays they came in, to confirm a hash that matches: a text is found only when it is
equal (two texts with one hash are kept apart, not merged). The columnar Star reader remembers
its evidence ids and people with it, and `sharedoutcomes.columnar`'s batch-by-batch validation
the evidence ids of earlier batches.
"""

from __future__ import annotations

import bisect
from typing import Any, Final

__all__ = ["SEED", "HashIndex", "text_hashes"]

SEED: Final = 0x5EED_0F_57A5
"""The seed of every hash here (and of the Star reader's own): equal texts hash alike across batches."""


def text_hashes(pl: Any, texts: Any) -> Any:
    """A 64-bit hash (``numpy.uint64``) of each string of the Arrow array *texts*, equal for equal texts (*pl*: Polars)."""
    return pl.Series(values=texts).hash(seed=SEED).to_numpy()


def _merge(np: Any, a: Any, a_places: Any, b: Any, b_places: Any) -> tuple[Any, Any]:
    """
    Two sorted runs (hashes, places) as one.

    A stable ``argsort`` of the two runs end to end: numpy's stable sort finds the two runs and
    merges them in one pass (measured 15 ms for 960,000 hashes, against 37 ms placing each
    element with ``searchsorted``).
    """
    both = np.concatenate([a, b])
    order = np.argsort(both, kind="stable")
    return both[order], np.concatenate([a_places, b_places])[order]


class HashIndex:
    """
    Texts met so far, across chunks, each with a place (its number, from 0) and a few integers of data.

    Looked up and added a whole array at a time. The hashes are kept in a few sorted runs
    (numpy arrays, each at least twice as long as the next, as in a log-structured merge:
    each hash is merged a logarithmic number of times), searched with ``searchsorted``; two
    texts with one hash are both kept. The texts stay in the Arrow arrays they came in, to
    confirm a match.
    """

    def __init__(self) -> None:
        self._runs: list[tuple[Any, Any]] = []  # (sorted hashes, the place of each)
        self._starts: list[int] = []
        self._chunks: list[tuple[Any, tuple[Any, ...]]] = []  # (texts, data columns) added at once
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
        for run, places in self._runs:
            at = np.searchsorted(run, queries)
            hit = run[np.minimum(at, len(run) - 1)] == queries
            for q in np.flatnonzero(hit).tolist():  # a hash met before: the text must be equal too
                g = int(order[q])
                if found[g] >= 0:
                    continue
                want = texts[g].as_py()
                k = int(at[q])
                while k < len(run) and run[k] == queries[q]:
                    place = int(places[k])
                    if self.text(place) == want:
                        found[g] = place
                        break
                    k += 1
        return found

    def add(self, hashes: Any, texts: Any, *data: Any) -> None:
        """Remember *texts* (none met before, no two equal), with their *hashes* and one value of each *data* column."""
        import numpy as np

        n = len(hashes)
        if not n:  # an empty run would have no last hash to compare with
            return
        start = self.count
        order = np.argsort(hashes)
        self._runs.append((hashes[order], np.arange(start, start + n, dtype=np.int64)[order]))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            self._runs[-2:] = [_merge(np, *self._runs[-2], *self._runs[-1])]
        self._starts.append(start)
        self._chunks.append((texts, data))
        self.count += n

    def _where(self, place: int) -> tuple[int, tuple[Any, tuple[Any, ...]]]:
        k = bisect.bisect_right(self._starts, place) - 1
        return place - self._starts[k], self._chunks[k]

    def text(self, place: int) -> str:
        """The text at *place*."""
        at, (texts, _) = self._where(place)
        return str(texts[at].as_py())

    def data(self, place: int) -> tuple[int, ...]:
        """The data added with the text at *place*."""
        at, (_, data) = self._where(place)
        return tuple(int(column[at]) for column in data)
