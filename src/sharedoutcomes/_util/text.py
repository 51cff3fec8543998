"""Text from a file or an error, made fit for a one-line message."""

from __future__ import annotations

__all__ = ["one_line"]


def one_line(text: object, limit: int = 120) -> str:
    r"""
    *text* on one line (runs of whitespace as one space), cut to *limit* characters with an ellipsis.

    Example:
        >>> one_line("Bad zip\n  file: truncated")
        'Bad zip file: truncated'
        >>> one_line("x" * 200, limit=10)
        'xxxxxxxxx…'
    """
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
