"""
Warnings that would repeat on row after row, gathered into one: a count and the first rows.

A Star export with no score for one area in 300 readings gets one ``star.missing-score``
warning saying so (``… in 300 rows: 2, 3, 4, 5, 6 …``), located at the first of them, not 300.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Final

from attrs import define, field

__all__ = ["RowTally"]

_SHOWN: Final = 5


@define
class _Entry:
    rule: str
    severity: str
    message: str
    plural: str
    column: int | None
    value: object
    rows: list[int] = field(factory=list)
    count: int = 0


class RowTally:
    """
    The repeated warnings of one export, by rule and key, each with its rows (the first few kept).

    Example:
        >>> tally = RowTally()
        >>> for row in (4, 9, 12):
        ...     tally.note("star.missing-score", ("Home",), row, "the reading has no score for Home",
        ...               plural="readings have no score for Home")
        >>> [(rule, message) for rule, message, *_ in tally.entries()]
        [('star.missing-score', '3 readings have no score for Home (rows 4, 9, 12)')]
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, Hashable], _Entry] = {}

    def note(self, rule: str, key: Hashable, row: int, message: str, *, plural: str, column: int | None = None,
            value: object = None, severity: str = "warning") -> None:
        """Count *row* under (*rule*, *key*): *message* if it stays the only one, *plural* after a count if not."""
        entry = self._entries.get((rule, key))
        if entry is None:
            entry = self._entries[rule, key] = _Entry(rule=rule, severity=severity, message=message,
                                                      plural=plural, column=column, value=value)
        entry.count += 1
        if len(entry.rows) < _SHOWN:
            entry.rows.append(row)

    def entries(self) -> list[tuple[str, str, int, int | None, object, str]]:
        """Each gathered warning: (rule, message, first row, column, value, severity), then forgets them."""
        out = []
        for entry in self._entries.values():
            if entry.count == 1:
                out.append((entry.rule, entry.message, entry.rows[0], entry.column, entry.value, entry.severity))
                continue
            rows = ", ".join(map(str, entry.rows)) + (" …" if entry.count > len(entry.rows) else "")
            message = f"{entry.count} {entry.plural} (rows {rows})"
            out.append((entry.rule, message, entry.rows[0], entry.column, entry.count, entry.severity))
        self._entries.clear()
        return out
