"""What the page generators share: rewriting the generated part of a page between its two markers."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["rewrite_between"]


def rewrite_between(page: Path, begin: str, end: str, generated: str) -> int:
    r"""
    Replace the part of *page* from the line *begin* to the line *end* (both included) with *generated*.

    *generated* starts with *begin* and ends with *end*, so the page can be rewritten again. Returns 0,
    the exit status of the generators' ``main``.

    Example:
        >>> import tempfile
        >>> page = Path(tempfile.mkdtemp()) / "page.md"
        >>> _ = page.write_text("# Title\n<!-- a -->\nold\n<!-- b -->\nEnd\n", encoding="utf-8")
        >>> rewrite_between(page, "<!-- a -->", "<!-- b -->", "<!-- a -->\nnew\n<!-- b -->")  # doctest: +ELLIPSIS
        wrote ...page.md
        0
        >>> page.read_text(encoding="utf-8")
        '# Title\n<!-- a -->\nnew\n<!-- b -->\nEnd\n'
    """
    text = page.read_text(encoding="utf-8")
    start, stop = text.index(begin), text.index(end) + len(end)
    page.write_text(text[:start] + generated + text[stop:], encoding="utf-8")
    sys.stdout.write(f"wrote {page}\n")
    return 0
