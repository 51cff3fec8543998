"""Small, dependency-free text and HTML tables for the Star analysis results (``_repr_html_``)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

_TABLE = "border-collapse:collapse;font-size:90%"
_CELL = "padding:2px 8px;border-bottom:1px solid #ccc"
_MISSING = "–"


def number(value: float | None, *, places: int = 1, sign: bool = False) -> str:
    """
    Format a figure for people: one decimal place by default, an en dash when there is none.

    Example:
        >>> number(1.25), number(2.0, sign=True), number(None)
        ('1.2', '+2.0', '–')
    """
    if value is None:
        return _MISSING
    return f"{value:+.{places}f}" if sign else f"{value:.{places}f}"


def percent(value: float | None) -> str:
    """
    Format a percentage with one decimal place.

    Example:
        >>> percent(66.666), percent(None)
        ('66.7%', '–')
    """
    return _MISSING if value is None else f"{value:.1f}%"


def html_table(caption: str, header: Sequence[str], rows: Sequence[Sequence[object]],
               *, note: str = "", max_rows: int = 60) -> str:
    """
    Render an HTML table; numbers are right-aligned, and long tables are cut with a note.

    Example:
        >>> html_table("Title", ["a", "b"], [["x", 1]]).count("<tr>")
        2
    """
    def cell(value: object, tag: str = "td") -> str:
        align = "right" if isinstance(value, int | float) or _looks_numeric(value) else "left"
        return f"<{tag} style='{_CELL};text-align:{align}'>{escape(str(value))}</{tag}>"

    shown = rows[:max_rows]
    head = "".join(cell(h, "th") for h in header)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in shown)
    more = f"<p>… and {len(rows) - max_rows} more rows (use <code>to_dataframe()</code>).</p>" if len(
        rows) > max_rows else ""
    foot = f"<p style='font-size:85%;color:#555'>{escape(note)}</p>" if note else ""
    return (f"<p><strong>{escape(caption)}</strong></p><table style='{_TABLE}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>{more}{foot}")


def _looks_numeric(value: object) -> bool:
    if not isinstance(value, str) or not value:
        return False
    first = value.split()[0]  # "33% (2)" is a number with its count
    stripped = first.replace("%", "").replace("+", "").replace("−", "-").replace(_MISSING, "0")
    try:
        float(stripped)
    except ValueError:
        return False
    return True
