"""Small, dependency-free HTML views for Jupyter (``_repr_html_``)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sharedoutcomes.validation import Report

_STYLE = ("border-collapse:collapse;font-size:90%",
          "text-align:left;padding:2px 8px;border-bottom:1px solid #ccc")


def report_html(report: Report) -> str:
    """A validation report as an HTML table."""
    verdict = "valid" if report.ok else "invalid"
    colour = "#1b7f3b" if report.ok else "#b00020"
    head = (f"<p><strong style='color:{colour}'>{verdict}</strong>: {len(report.errors)} errors, "
            f"{len(report.warnings)} warnings{escape(' in ' + report.source) if report.source else ''}</p>")
    if not report.problems:
        return head
    rows = "".join(
        f"<tr><td style='{_STYLE[1]}'>{escape(p.severity)}</td><td style='{_STYLE[1]}'><code>{escape(p.rule)}</code>"
        f"</td><td style='{_STYLE[1]}'><code>{escape(p.path)}</code></td><td style='{_STYLE[1]}'>{escape(p.message)}"
        f"</td><td style='{_STYLE[1]}'>{escape(str(p.source)) if p.source else ''}</td></tr>"
        for p in report.problems
    )
    header = "".join(f"<th style='{_STYLE[1]}'>{h}</th>" for h in ("severity", "rule", "path", "message", "source"))
    return f"{head}<table style='{_STYLE[0]}'><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
