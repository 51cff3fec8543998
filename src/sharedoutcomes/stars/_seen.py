"""
What the columnar Star reader remembers of earlier chunks for its checks across rows, by 64-bit hashes.

The object reader keeps Python dicts of every evidence id and of every (person, Star) it has
met. Filling such dicts with a Python string per reading was a quarter of the columnar
reader's time, so the columnar reader keys them by 64-bit hashes computed on whole columns
(Polars' ``hash``) and keeps the texts in Arrow arrays, to confirm a hash that matches: a
key is found only when its text is equal (a collision of two texts is kept apart, not merged).

The exact-repeat check compares a whole reading (person, date, metadata and every value) by
`reading_hashes`, as the object reader compares its readings by Python's ``hash`` of them.
"""

from __future__ import annotations

from typing import Any, Final

from sharedoutcomes._optional import require
from sharedoutcomes._util import hashes
from sharedoutcomes._util.hashes import SEED, HashIndex, pack, unpack

__all__ = ["HashIndex", "pack", "reading_hashes", "text_hashes", "unpack", "value_hashes"]

_PURPOSE: Final = "reading Star exports into Arrow tables"


def text_hashes(texts: Any) -> Any:
    """A 64-bit hash (``numpy.uint64``) of each string of the Arrow array *texts*, equal for equal texts."""
    return hashes.text_hashes(require("polars", extra="columnar", purpose=_PURPOSE), texts)


def _mix(np: Any, x: Any) -> Any:
    """SplitMix64's finaliser on an array of ``uint64``: every bit of *x* moves every bit of the result."""
    z = x + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def value_hashes(np: Any, codes: Any, values: Any) -> Any:
    """
    The hash of each row's values, from a (rows, values) matrix of code numbers and one of the values.

    Order-sensitive (the value's place is hashed with it); rows with fewer values are hashed
    separately (`reading_hashes` takes the count too).
    """
    rows, width = codes.shape
    out = np.zeros(rows, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width):
            key = (codes[:, j].astype(np.uint64) << np.uint64(40)) + (np.uint64(j) << np.uint64(56)) + \
                values[:, j].astype(np.int64).view(np.uint64)
            out += _mix(np, key)
    return out


def reading_hashes(columns: dict[str, Any]) -> Any:
    """
    A 64-bit hash of each reading from its columns (Arrow strings and numpy integers), equal for equal readings.

    *columns* hold, for each row: ``person``, ``date``, ``extension`` (texts), ``count`` (how
    many values) and ``values`` (`value_hashes`).
    """
    pl = require("polars", extra="columnar", purpose=_PURPOSE)

    frame = pl.DataFrame({name: pl.Series(values=column) for name, column in columns.items()})
    return frame.hash_rows(seed=SEED).to_numpy()
