"""
Pieces of HTML for contribution stories: the rating colours and words, a rating badge, a table.

The Jupyter views (``_repr_html_``) of the story's records, and the report, are built from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Final

from sharedoutcomes._util import html
from sharedoutcomes.story._strength import Reason

__all__ = ["RATING_COLOURS", "RATING_WORDS", "rating_badge", "reasons_html", "table"]

RATING_COLOURS: Final = {"none": "#c0392b", "weak": "#9a5b00", "moderate": "#276bb0", "strong": "#1b7f3b"}
"""Colour of each rating, shared by the report, the Jupyter views and the contribution map; white text on each is at
least 4.5:1 (WCAG 2.2 AA), which a test checks."""

RATING_WORDS: Final = {"none": "no evidence", "weak": "weak", "moderate": "moderate", "strong": "strong"}
"""How each rating is written for readers ("no evidence" for ``none``)."""

_TABLE: Final = "border-collapse:collapse;font-size:90%"
_CELL: Final = "text-align:left;vertical-align:top;padding:3px 8px;border-bottom:1px solid #ddd"


def rating_badge(rating: str) -> str:
    """
    A coloured badge naming a rating, for HTML.

    Example:
        >>> "no evidence" in rating_badge("none") and RATING_COLOURS["none"] in rating_badge("none")
        True
    """
    colour = RATING_COLOURS.get(rating, "#555")
    return (f"<span class='badge' style='display:inline-block;padding:1px 8px;border-radius:9px;color:#fff;"
            f"background:{colour};font-size:85%;white-space:nowrap'>{escape(RATING_WORDS.get(rating, rating))}</span>")


def table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """
    A small inline-styled table: *header* is text, the cells of *rows* are HTML already.

    Example:
        >>> table(("code", "rating"), [("6", rating_badge("strong"))]).count("<tr>")
        2
    """
    return html.table(header, rows, table_style=_TABLE, cell_style=_CELL)


def reasons_html(reasons: Iterable[Reason]) -> str:
    """
    The reasons for a rating as a list, each with its rule id.

    Example:
        >>> reasons_html([Reason(rule="no-evidence", effect="set", text="nothing linked")])
        "<ul style='margin:0;padding-left:18px'><li><code>no-evidence</code> nothing linked</li></ul>"
    """
    items = "".join(f"<li><code>{escape(r.rule)}</code> {escape(r.text)}</li>" for r in reasons)
    return f"<ul style='margin:0;padding-left:18px'>{items}</ul>"
