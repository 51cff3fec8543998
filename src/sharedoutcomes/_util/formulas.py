r"""
Formula injection (OWASP "CSV injection"): text that a spreadsheet would run as a formula.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be
taken by Excel, LibreOffice or Google Sheets for a formula (``=HYPERLINK(...)``,
``@SUM(1)``, ``-2+3+cmd|' /C calc'!A0``). The writers never put such text raw into a cell:

- CSV (Star exports): the text is written after a leading apostrophe, ``'=1+1``, the mark
  spreadsheets themselves use for "this is text"; the Star reader removes one leading
  apostrophe from a cell that is apostrophes followed by such a character, so the text reads
  back unchanged (`quote` and `unquote` are inverse: text that already starts with
  apostrophes and a trigger gets one more).
- XLSX: the text is a string cell with the ``quotePrefix`` style, never a formula cell.
- The tables layout writes such text in its lossless ``json:`` form (``json:"=1+1"``).

Example:
    >>> quote("=1+1"), quote("+44 1234"), quote("Recovery Star"), quote("'=x")
    ("'=1+1", "'+44 1234", 'Recovery Star', "''=x")
    >>> all(unquote(quote(t)) == t for t in ["=1", "\t=1", "\r=1", "@SUM(1)", "'=1", "'plain", "-1"])
    True
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["TRIGGERS", "is_formula_like", "quote", "unquote"]

TRIGGERS: Final = "=+-@\t\r"
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""

_FORMULA: Final = re.compile(r"^[=+\-@\t\r]")
_QUOTED: Final = re.compile(r"^'+[=+\-@\t\r]")
_NEEDS_QUOTE: Final = re.compile(r"^'*[=+\-@\t\r]")


def is_formula_like(text: str) -> bool:
    """
    Whether a spreadsheet could run *text* as a formula.

    Example:
        >>> is_formula_like('=HYPERLINK("http://example.org")'), is_formula_like("Home")
        (True, False)
    """
    return bool(_FORMULA.match(text))


def quote(text: str) -> str:
    """*text* as a CSV cell that no spreadsheet runs: an apostrophe before a formula-like start."""
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def unquote(text: str) -> str:
    """The text `quote` was given: one leading apostrophe removed before a formula-like start."""
    return text[1:] if _QUOTED.match(text) else text
