"""
Arrow columns of the columnar Star reader built from numpy: the scores of a scale, and the values table.

The builders of text and empty columns without a ``take`` (`nulls`, `constant_text`,
`tiled_text`, `repeated`) are shared with the survey reader, in `sharedoutcomes._arrow`.
"""

from __future__ import annotations

from typing import Any, Final

from sharedoutcomes._arrow import tiled_text
from sharedoutcomes._optional import require

__all__ = ["ValueColumns", "filled_mask", "scale_scores"]

_PURPOSE: Final = "reading Star exports into Arrow tables"


def filled_mask(np: Any, column: Any) -> Any:
    """Which cells of a string column are not empty (a numpy bool array), from its offsets."""
    if column.null_count or column.type != "string":
        pc = require("pyarrow.compute", extra="columnar", purpose=_PURPOSE)
        return pc.fill_null(pc.not_equal(pc.binary_length(column), 0), value=False).to_numpy(zero_copy_only=False)
    n = len(column)
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int32, count=n + 1, offset=column.offset * 4)
    return offsets[1:] != offsets[:-1]


def scale_scores(np: Any, column: Any, low: int, high: int) -> Any:
    """
    Each cell of a string column as a score of the scale *low* … *high*, or -1 when it is not one.

    A score is a cell that is exactly ``str(v)`` for a whole *v* of the scale (``"7"``, not
    ``" 7"``, ``"07"`` or ``"7.0"``), as the object reader's fast path reads it: the cell's
    place among those texts (``index_in``), plus *low*.
    """
    pa = require("pyarrow", extra="columnar", purpose=_PURPOSE)
    pc = require("pyarrow.compute", extra="columnar", purpose=_PURPOSE)

    valid = pa.array([str(v) for v in range(low, high + 1)], type=pa.string())
    place = pc.fill_null(pc.index_in(column, value_set=valid), -1).to_numpy()
    return np.where(place >= 0, place + low, -1).astype(np.int64)


class ValueColumns:
    """The values table of a batch being filled, a block of rows of one edition at a time."""

    def __init__(self, np: Any, total: int) -> None:
        self.np = np
        self.reading = np.empty(total, dtype=np.int64)
        self.value_index = np.empty(total, dtype=np.int64)
        self.value = np.empty(total, dtype=np.int64)
        self.low = np.empty(total, dtype=np.int64)
        self.high = np.empty(total, dtype=np.int64)
        self.code_id = np.empty(total, dtype=np.int32)
        self.codes: list[str] = []
        self.labels: list[str] = []
        self._code_ids: dict[tuple[str, str], int] = {}
        self.tiled: tuple[list[int], int] | None = None  # (the codes of one reading, readings) of a table of one block

    def code_of(self, code: str, label: str) -> int:
        """The number of a (code, label) pair in the batch's small dictionary of them."""
        found = self._code_ids.get((code, label))
        if found is None:
            found = self._code_ids[code, label] = len(self.codes)
            self.codes.append(code)
            self.labels.append(label)
        return found

    def block(self, readings: Any, starts: Any, scores: list[Any], *, low: int, high: int, codes: list[int]) -> None:
        """
        The values of *readings* (positions, ascending), each with one value per array of *scores*, from *starts* on.

        When the block fills the whole table in order (every reading of the batch on one edition,
        the usual file), each column is written once through a (readings, areas) view of it;
        otherwise each row's slots are scattered.
        """
        np = self.np
        n, width = len(readings), len(scores)
        if not n:
            return
        if n * width == len(self.value) and int(starts[0]) == 0 and int(starts[-1]) == (n - 1) * width:
            self.reading.reshape(n, width)[:] = readings[:, None]
            self.value_index.reshape(n, width)[:] = np.arange(width, dtype=np.int64)
            view = self.value.reshape(n, width)
            for j, score in enumerate(scores):
                view[:, j] = score
            self.low.fill(low)
            self.high.fill(high)
            self.code_id.reshape(n, width)[:] = np.array(codes, dtype=np.int32)
            self.tiled = (codes, n)
            return
        slots = starts[:, None] + np.arange(width, dtype=np.int64)
        self.reading[slots] = readings[:, None]
        self.value_index[slots] = np.arange(width, dtype=np.int64)
        self.value[slots] = np.stack(scores, axis=1)
        self.low[slots] = low
        self.high[slots] = high
        self.code_id[slots] = np.array(codes, dtype=np.int32)

    def one(self, reading: int, start: int, values: list[dict[str, Any]]) -> None:
        """The values of one reading the general path converted."""
        self.tiled = None
        for j, v in enumerate(values):
            slot = start + j
            self.reading[slot] = reading
            self.value_index[slot] = j
            self.value[slot] = v["value"]
            self.low[slot] = v["scale_min"]
            self.high[slot] = v["scale_max"]
            self.code_id[slot] = self.code_of(v["code"], v["label"])

    def arrays(self, pa: Any) -> dict[str, Any]:
        """The columns as Arrow arrays (``code`` and ``label`` taken from the small dictionary)."""
        if self.tiled is not None:  # every reading has the same areas: the text of one reading, repeated
            codes, n = self.tiled
            code = tiled_text(pa, [self.codes[c] for c in codes], n)
            label = tiled_text(pa, [self.labels[c] for c in codes], n)
        else:
            ids = pa.array(self.code_id)
            code = pa.array(self.codes, type=pa.string()).take(ids)
            label = pa.array(self.labels, type=pa.string()).take(ids)
        return {"reading": pa.array(self.reading), "value_index": pa.array(self.value_index),
                "code": code, "label": label, "value": pa.array(self.value),
                "scale_min": pa.array(self.low), "scale_max": pa.array(self.high)}
