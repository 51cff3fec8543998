"""
Small, dependency-free pieces of HTML for notebook views (``_repr_html_``); all cheap.

Each object renders itself next to its own class (a package in `sharedoutcomes.model`, a
report in `sharedoutcomes.problems`, a conversion result in `sharedoutcomes.converters`);
this module holds only what they share: the table, the colours and plurals.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

__all__ = ["BAD", "CELL", "MAX_ROWS", "OK", "TABLE", "WARN", "plural", "table"]

TABLE: Final = "border-collapse:collapse;font-size:90%;margin:4px 0"
"""The style of every table."""
CELL: Final = "text-align:left;padding:2px 8px;border-bottom:1px solid #ccc;vertical-align:top"
"""The style of every cell."""
OK: Final = "#1b7f3b"
BAD: Final = "#b00020"
WARN: Final = "#8a6d00"
MAX_ROWS: Final = 25
"""Rows shown before "… and N more": a notebook view must stay cheap for huge reports."""

_SINGULAR: Final = {"organisations": "organisation", "activities": "activity", "outcomes": "outcome",
                     "indicators": "indicator", "contributions": "contribution", "evidence": "evidence",
                     "links": "link"}


def plural(n: int, word: str) -> str:
    """
    *n* and *word*, in the singular when *n* is 1.

    Example:
        >>> plural(1, "activities"), plural(3, "links")
        ('1 activity', '3 links')
    """
    return f"{n} {_SINGULAR.get(word, word) if n == 1 else word}"


def table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], total: int | None = None, *,
          table_style: str = TABLE, cell_style: str = CELL) -> str:
    """
    An HTML table of *rows* (cells already escaped) under *header*; "… and N more" past *total*.

    Example:
        >>> table(("a",), [("1",)], total=3).count("<tr>")
        3
    """
    head = "".join(f"<th style='{cell_style}'>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='{cell_style}'>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    more = ""
    if total is not None and total > len(rows):
        more = (f"<tr><td style='{cell_style}' colspan='{len(header)}'><em>… and {total - len(rows)} more</em>"
                "</td></tr>")
    return f"<table style='{table_style}'><thead><tr>{head}</tr></thead><tbody>{body}{more}</tbody></table>"

