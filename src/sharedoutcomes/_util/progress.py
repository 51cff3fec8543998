r"""
A tiny progress bar for the command line: standard error, only on a terminal, no dependency.

Example:
    >>> import io
    >>> stream = io.StringIO()
    >>> bar = Progress(2, label="Reading", stream=stream, enabled=True)
    >>> bar.update(note="a.docx")
    >>> bar.update(note="b.docx")
    >>> bar.close()
    >>> stream.getvalue().rstrip().rsplit("\r", 1)[-1]
    'Reading [##############################] 2/2 b.docx'
    >>> Progress(2, stream=io.StringIO()).enabled  # not a terminal: silent
    False
"""

from __future__ import annotations

import sys
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """
    Counts steps and redraws one line on *stream* (standard error by default).

    Args:
        total: How many steps there are.
        label: Printed before the bar.
        stream: Where to draw.
        enabled: Draw at all (default: only when *stream* is a terminal).
        width: The bar's width in characters.
    """

    def __init__(self, total: int, *, label: str = "", stream: TextIO | None = None, enabled: bool | None = None,
                 width: int = 30) -> None:
        self.total = max(total, 0)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty()) if callable(isatty) else False
        self.enabled = enabled
        self.width = width
        self.done = 0
        self._drawn = False

    def update(self, steps: int = 1, *, note: str = "") -> None:
        """Advance by *steps* and redraw, with a short *note* (such as the file name)."""
        self.done = min(self.done + steps, self.total) if self.total else self.done + steps
        if not self.enabled:
            return
        filled = self.width if not self.total else int(self.width * self.done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"{self.label} [{bar}] {self.done}/{self.total} {note}".strip()
        self.stream.write("\r" + line[:150].ljust(80))
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the line (call once, when done)."""
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
        self._drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
