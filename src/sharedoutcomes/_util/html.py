"""Small, dependency-free views for Jupyter (``_repr_html_``) and short ``repr``s; all cheap."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from sharedoutcomes.converters import ConversionResult
    from sharedoutcomes.model import Package
    from sharedoutcomes.validation import Report

_TABLE = "border-collapse:collapse;font-size:90%;margin:4px 0"
_CELL = "text-align:left;padding:2px 8px;border-bottom:1px solid #ccc;vertical-align:top"
_OK, _BAD, _WARN = "#1b7f3b", "#b00020", "#8a6d00"
MAX_ROWS: Final = 25
"""Rows shown before "… and N more": a notebook view must stay cheap for huge reports."""

_COLLECTIONS: Final = ("organisations", "activities", "outcomes", "indicators", "contributions", "evidence",
                       "links")


_SINGULAR: Final = {"organisations": "organisation", "activities": "activity", "outcomes": "outcome",
                     "indicators": "indicator", "contributions": "contribution", "evidence": "evidence",
                     "links": "link"}


def _plural(n: int, word: str) -> str:
    return f"{n} {_SINGULAR.get(word, word) if n == 1 else word}"


def package_repr(package: Package) -> str:
    """
    A one-line summary: id, how many of each entity, sharing level.

    Example:
        >>> import sharedoutcomes
        >>> print(package_repr(sharedoutcomes.example_package()))  # doctest: +ELLIPSIS
        <Package 'na-partnership-2024-25': 3 organisations, 2 activities, ... evidence, ... links, sharing_level='partners'>
    """
    counts = [_plural(len(getattr(package, name)), name) for name in _COLLECTIONS if getattr(package, name)]
    inner = ", ".join([*counts, f"sharing_level={package.sharing_level!r}"])
    return f"<Package {package.id!r}: {inner}>"


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], total: int | None = None) -> str:
    head = "".join(f"<th style='{_CELL}'>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='{_CELL}'>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    more = ""
    if total is not None and total > len(rows):
        more = (f"<tr><td style='{_CELL}' colspan='{len(header)}'><em>… and {total - len(rows)} more</em>"
                "</td></tr>")
    return f"<table style='{_TABLE}'><thead><tr>{head}</tr></thead><tbody>{body}{more}</tbody></table>"


def package_html(package: Package) -> str:
    """A package as a small HTML summary: what it is, how much it holds, who contributes to what."""
    period = ""
    if package.period is not None:
        period = f"{package.period.start.isoformat()} to {package.period.end.isoformat() if package.period.end else '…'}"
    facts = [("Identifier", f"<code>{escape(package.id)}</code>"), ("Publisher", f"<code>{escape(package.publisher)}</code>"),
             ("Sharing level", escape(package.sharing_level)), ("Schema version", escape(package.schema_version))]
    if period:
        facts.insert(2, ("Period", escape(period)))
    counts = ", ".join(_plural(len(getattr(package, n)), n) for n in _COLLECTIONS if getattr(package, n)) or "empty"
    facts.append(("Holds", escape(counts)))
    kinds = Counter(e.kind for e in package.evidence)
    if kinds:
        facts.append(("Evidence", escape(", ".join(f"{n} {k}" for k, n in kinds.most_common()))))
    summary = "".join(f"<tr><th style='{_CELL}'>{escape(k)}</th><td style='{_CELL}'>{v}</td></tr>" for k, v in facts)
    html = f"<div><strong>{escape(package.title)}</strong><table style='{_TABLE}'>{summary}</table>"
    if package.contributions:
        names = {o.id: o.name for o in package.organisations}
        titles = {o.id: o.title for o in package.outcomes}
        linked = Counter(link.target_id for link in package.links if link.target_type == "contribution")
        rows = [(escape(names.get(c.organisation_id, c.organisation_id)), escape(titles.get(c.outcome_id, c.outcome_id)),
                 escape(c.role), str(linked[c.id])) for c in package.contributions[:MAX_ROWS]]
        html += _table(("Organisation", "contributes to", "role", "evidence links"), rows,
                       len(package.contributions))
    return html + "</div>"


def report_html(report: Report) -> str:
    """A validation report as an HTML table: severity, rule, where in the data, message, where in the source."""
    verdict = "valid" if report.ok else "invalid"
    colour = _OK if report.ok else _BAD
    source = escape(" in " + report.source) if report.source else ""
    profile = escape(f" (profile {report.profile})") if report.profile else ""
    head = (f"<p><strong style='color:{colour}'>{verdict}</strong>: {len(report.errors)} errors, "
            f"{len(report.warnings)} warnings{source}{profile}</p>")
    if not report.problems:
        return head
    rows = [(f"<span style='color:{_BAD if p.severity == 'error' else _WARN}'>{escape(p.severity)}</span>",
             f"<code>{escape(p.rule)}</code>", f"<code>{escape(p.path)}</code>", escape(p.message),
             escape(str(p.source)) if p.source else "")
            for p in report.problems[:MAX_ROWS]]
    return head + _table(("severity", "rule", "path", "message", "source"), rows, len(report.problems))


def result_html(result: ConversionResult) -> str:
    """A conversion result: the format, the package's summary and its problems."""
    colour = _OK if result.ok else _BAD
    head = (f"<p>Read with <code>{escape(result.format)}</code>: "
            f"<strong style='color:{colour}'>{'ok' if result.ok else 'has errors'}</strong></p>")
    return head + package_html(result.package) + report_html(result.report)
