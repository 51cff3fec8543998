"""The report of a validation: every problem, errors first, and its views (text, JSON, notebook)."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

from attrs import frozen

from sharedoutcomes._util.html import BAD, MAX_ROWS, OK, WARN, table
from sharedoutcomes.problems._problem import Problem

__all__ = ["Report", "report_html"]


@frozen(kw_only=True)
class Report:
    """
    The outcome of validating a document: every problem, errors first.

    Example:
        >>> report = Report(problems=())
        >>> report.ok, len(report)
        (True, 0)
    """

    problems: tuple[Problem, ...] = ()
    source: str | None = None
    profile: str | None = None

    @property
    def ok(self) -> bool:
        """``True`` when there are no errors (warnings do not count)."""
        return not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of severity ``error``."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems of severity ``warning``."""
        return tuple(p for p in self.problems if p.severity == "warning")

    def __len__(self) -> int:
        return len(self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __bool__(self) -> bool:
        return True  # a report is always truthy; use .ok

    def by_rule(self) -> dict[str, tuple[Problem, ...]]:
        """
        The problems grouped by rule id.

        Example:
            >>> Report(problems=()).by_rule()
            {}
        """
        groups: dict[str, list[Problem]] = {}
        for problem in self.problems:
            groups.setdefault(problem.rule, []).append(problem)
        return {rule: tuple(items) for rule, items in groups.items()}

    def to_dict(self) -> dict[str, Any]:
        """
        The report as JSON-ready data: ``ok``, counts and every problem.

        Example:
            >>> Report(problems=()).to_dict()
            {'ok': True, 'errors': 0, 'warnings': 0, 'problems': []}
        """
        data: dict[str, Any] = {}
        if self.source is not None:
            data["source"] = self.source
        if self.profile is not None:
            data["profile"] = self.profile
        data.update({
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
        })
        return data

    def to_text(self) -> str:
        """
        The report as lines of text, one problem a line, and a summary.

        Example:
            >>> print(Report(problems=()).to_text())
            valid: 0 errors, 0 warnings
        """
        lines = [f"{p.severity}: {p}" for p in self.problems]
        verdict = _verdict(self)
        prefix = f"{self.source}: " if self.source else ""
        lines.append(f"{prefix}{verdict}: {_count(len(self.errors), 'error')}, "
                     f"{_count(len(self.warnings), 'warning')}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Report {'ok' if self.ok else 'invalid'}: {len(self.errors)} errors, {len(self.warnings)} warnings>"

    def _repr_html_(self) -> str:
        return report_html(self)


_PARTIAL = "conversion.partial"


def _verdict(report: Report) -> str:
    """``valid`` or ``invalid``, and ``partial`` for a package written from a conversion with errors."""
    verdict = "valid" if report.ok else "invalid"
    return f"{verdict} but partial" if any(p.rule == _PARTIAL for p in report.problems) else verdict


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def report_html(report: Report) -> str:
    """
    A report as an HTML table: severity, rule, where in the data, message, where in the source.

    Example:
        >>> report_html(Report(problems=(), source="a.json"))
        "<p><strong style='color:#1b7f3b'>valid</strong>: 0 errors, 0 warnings in a.json</p>"
    """
    verdict = _verdict(report)
    colour = BAD if not report.ok else WARN if verdict.endswith("partial") else OK
    source = escape(" in " + report.source) if report.source else ""
    profile = escape(f" (profile {report.profile})") if report.profile else ""
    head = (f"<p><strong style='color:{colour}'>{verdict}</strong>: {len(report.errors)} errors, "
            f"{len(report.warnings)} warnings{source}{profile}</p>")
    if not report.problems:
        return head
    rows = [(f"<span style='color:{BAD if p.severity == 'error' else WARN}'>{escape(p.severity)}</span>",
             f"<code>{escape(p.rule)}</code>", f"<code>{escape(p.path)}</code>", escape(p.message),
             escape(str(p.source)) if p.source else "")
            for p in report.problems[:MAX_ROWS]]
    return head + table(("severity", "rule", "path", "message", "source"), rows, len(report.problems))
