"""What pseudonymising changed, and where: `Change` and `PseudonymisationReport` (public API: `sharedoutcomes.privacy`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from attrs import frozen

from sharedoutcomes.problems import Problem, catalogue

__all__ = ["ACTIONS", "Change", "PseudonymisationReport", "privacy_problem"]

ACTIONS: Final = {
    "pseudonymised": "replaced by keyed pseudonyms",
    "removed": "removed",
    "coarsened": "coarsened",
    "redacted": "identifiers in the text removed",
    "kept": "kept: already pseudonyms",
    "heading renamed": "renamed",
}
"""What can be done to a column or field, and how the report says it."""


def privacy_problem(rule: str, message: str, *, path: str = "$", source: Any = None) -> Problem:
    """
    A problem of the ``privacy`` family, at its catalogued severity; never with the personal value itself.

    Example:
        >>> privacy_problem("privacy.identifier-refused", "bad").severity
        'error'
    """
    return Problem(rule=rule, severity=catalogue()[rule].severity, path=path, message=message, source=source)


def _located(problem: Problem) -> str:
    """A problem about a file by its place in the file (``carers.csv, row 8, column F``), one in a package by its path."""
    if problem.source is not None and problem.path == "$":
        return f"{problem.source}: {problem.message} [{problem.rule}]"
    return str(problem)


@frozen(kw_only=True)
class Change:
    """
    One column (of a sheet) or one field (of a package) and what was done to it.

    Attributes:
        where: The sheet or file, and the column letter and heading (``readings.csv, column A 'CHI'``), or a JSONPath pattern.
        what: The kind of data it held (``identifier``, ``name``, ``date-of-birth`` …, or ``free text``).
        action: One of `ACTIONS`.
        detail: How, in words (``to the year of birth``, ``to the postcode district``).
        count: How many values were changed.

    Example:
        >>> print(Change(where="readings.csv, column A 'CHI'", what="identifier", action="pseudonymised", count=12))
        readings.csv, column A 'CHI': identifier replaced by keyed pseudonyms (12 values)
    """

    where: str
    what: str
    action: str
    detail: str = ""
    count: int = 0

    def __str__(self) -> str:
        detail = f" {self.detail}" if self.detail else ""
        return f"{self.where}: {self.what} {ACTIONS[self.action]}{detail} ({self.count} values)"

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        return {"where": self.where, "what": self.what, "action": self.action, "detail": self.detail,
                "count": self.count}


@frozen(kw_only=True)
class PseudonymisationReport:
    """
    Everything pseudonymising did: each column or field changed, and the values it could not use.

    The report never holds a personal value: problems say where, not what.

    Attributes:
        source: The input's name.
        output: Where the result was written (``None`` when only returned).
        key_id: The key's safe name (`Pseudonymiser.key_id`), so that partners can tell they used the same key.
        changes: The columns or fields changed.
        problems: Values refused (an invalid CHI number) or text redacted, each located.

    Example:
        >>> report = PseudonymisationReport(source="x.csv", key_id="abc", changes=(), problems=())
        >>> report.ok
        True
    """

    source: str
    key_id: str
    changes: tuple[Change, ...]
    problems: tuple[Problem, ...]
    output: str | None = None

    @property
    def ok(self) -> bool:
        """``True`` when no problem is an error (every identifier could be pseudonymised)."""
        return not any(p.severity == "error" for p in self.problems)

    def counts(self) -> Mapping[str, int]:
        """How many values each action changed."""
        totals: dict[str, int] = {}
        for change in self.changes:
            totals[change.action] = totals.get(change.action, 0) + change.count
        return totals

    def to_text(self) -> str:
        """The report as lines of text: each change, then each problem."""
        head = f"pseudonymised {self.source}" + (f" to {self.output}" if self.output else "") + f" with key {self.key_id}"
        lines = [head, *(f"  {c}" for c in self.changes)]
        lines.extend(f"  {p.severity}: {_located(p)}" for p in self.problems)
        if not self.changes:
            lines.append("  no personal columns or fields were found")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {"source": self.source, "output": self.output, "key_id": self.key_id, "ok": self.ok,
                "changes": [c.to_dict() for c in self.changes], "problems": [p.to_dict() for p in self.problems]}
