"""
Small-number suppression with secondary suppression that holds against totals and differences.

A table is a set of named cells (counts of people) and the sums a reader knows hold between them
(``total = part + part + …``, within one table or across tables). Primary suppression hides every
count from 1 to ``threshold − 1``. Secondary suppression then hides more cells until no hidden
cell's value follows from the published ones: a hidden cell is *recoverable* when the sums, with
the published values put in, determine it exactly. That is tested exactly, over the rationals:
the cell is recoverable when its unit vector lies in the row space of the sums restricted to the
hidden cells (Gaussian elimination with `fractions.Fraction`). While one is, the smallest published
non-zero cell of a sum that holds it is hidden too (a zero, only when no sum has a non-zero left).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Literal

from attrs import frozen

__all__ = ["Sum", "SuppressionReason", "recoverable", "suppress"]

SuppressionReason = Literal["primary", "secondary"]


@frozen
class Sum:
    """
    A relation a reader can use: the cell *total* is the sum of the cells *parts*.

    Example:
        >>> Sum("people", ("higher", "same", "lower")).cells
        ('people', 'higher', 'same', 'lower')
    """

    total: str
    parts: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        """Every cell of the relation, the total first."""
        return (self.total, *self.parts)


def _rref(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """The reduced row echelon form of *rows* (each *width* long), zero rows dropped."""
    matrix = [row[:] for row in rows]
    pivot_row = 0
    for column in range(width):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column] != 0), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for r, row in enumerate(matrix):
            if r != pivot_row and row[column] != 0:
                factor = row[column]
                matrix[r] = [a - factor * b for a, b in zip(row, matrix[pivot_row], strict=True)]
        pivot_row += 1
        if pivot_row == len(matrix):
            break
    return matrix[:pivot_row]


def recoverable(sums: Sequence[Sum], hidden: Iterable[str]) -> set[str]:
    """
    The hidden cells whose values follow exactly from the published cells and the *sums*.

    Example:
        >>> table = [Sum("people", ("higher", "same", "lower"))]
        >>> sorted(recoverable(table, {"same"}))       # people − higher − lower gives it
        ['same']
        >>> recoverable(table, {"same", "lower"})      # only their sum is known
        set()
    """
    hidden_cells = sorted(set(hidden))
    index = {cell: i for i, cell in enumerate(hidden_cells)}
    rows = []
    for relation in sums:
        row = [Fraction(0)] * len(hidden_cells)
        for cell, sign in ((relation.total, -1), *((part, 1) for part in relation.parts)):
            if cell in index:
                row[index[cell]] += sign
        if any(row):
            rows.append(row)
    reduced = _rref(rows, len(hidden_cells))
    found = set()
    for row in reduced:
        nonzero = [i for i, value in enumerate(row) if value != 0]
        if len(nonzero) == 1:
            found.add(hidden_cells[nonzero[0]])
    return found


def _complement(cell: str, sums: Sequence[Sum], values: Mapping[str, int], hidden: set[str]) -> str | None:
    """The cell to hide so that *cell* is no longer recoverable: the smallest published non-zero cell of a sum holding it."""
    holding = [s for s in sums if cell in s.cells]
    for allow_zero in (False, True):
        candidates = [(values[c], c) for s in holding for c in s.cells
                      if c not in hidden and c in values and (allow_zero or values[c] > 0)]
        if candidates:
            return min(candidates)[1]
    # every cell of the sums holding it is hidden: the value comes from further sums; widen the search
    linked = {c for s in holding for c in s.cells}
    candidates = [(values[c], c) for s in sums if linked & set(s.cells) for c in s.cells
                  if c not in hidden and c in values]
    return min(candidates)[1] if candidates else None


def suppress(values: Mapping[str, int], sums: Sequence[Sum], threshold: int) -> dict[str, SuppressionReason]:
    """
    Which cells to hide, and why: every count from 1 to ``threshold − 1`` (primary), then enough others that none can be recovered (secondary).

    Example:
        >>> values = {"people": 12, "higher": 7, "same": 3, "lower": 2}
        >>> suppress(values, [Sum("people", ("higher", "same", "lower"))], threshold=5)
        {'lower': 'primary', 'same': 'primary'}
        >>> values = {"people": 12, "higher": 7, "same": 4, "lower": 1}
        >>> suppress({"people": 12, "higher": 6, "same": 5, "lower": 1}, [Sum("people", ("higher", "same", "lower"))], 5)
        {'lower': 'primary', 'same': 'secondary'}
    """
    hidden: dict[str, SuppressionReason] = {c: "primary" for c, v in sorted(values.items()) if 0 < v < threshold}
    while True:
        exposed = sorted(recoverable(sums, hidden))
        if not exposed:
            return hidden
        extra = _complement(exposed[0], sums, values, set(hidden))
        if extra is None:  # pragma: no cover - a recoverable cell always has a published neighbour
            return hidden
        hidden[extra] = "secondary"
