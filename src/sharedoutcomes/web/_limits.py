"""How much one request may upload, and how long results are kept: `Limits`."""

from __future__ import annotations

from typing import Final

from attrs import frozen

__all__ = ["MEBIBYTE", "Limits"]

MEBIBYTE: Final = 1024 * 1024


def _size(n: int) -> str:
    return f"{n / MEBIBYTE:g} MB" if n >= MEBIBYTE else f"{n:,} bytes"


@frozen(kw_only=True)
class Limits:
    """
    The limits of the validator page: what one upload may hold, and what the server keeps.

    Attributes:
        file_bytes: The largest file accepted (default 20 MB).
        files: The most files in one upload (default 100).
        total_bytes: The most bytes in one upload, all files together (default 200 MB).
        workers: How many files are converted at once (default 2; the rest wait their turn).
        sessions: How many browser sessions the server remembers; the oldest is forgotten first.
        checks_per_session: How many checked sets one session keeps for downloading (the oldest goes first).
        checks: How many checked sets the server keeps in all, over every session (the oldest goes first), so
            that memory stays bounded however many people use the page.
        keep_seconds: How long a checked set is kept for downloading after it was made (default 30 minutes).
        session_seconds: How long a session (its upload token) lasts without being used (default 4 hours).

    Example:
        >>> limits = Limits(file_bytes=5 * MEBIBYTE)
        >>> limits.describe()
        'up to 100 files, 5 MB each and 200 MB in all'
    """

    file_bytes: int = 20 * MEBIBYTE
    files: int = 100
    total_bytes: int = 200 * MEBIBYTE
    workers: int = 2
    sessions: int = 50
    checks_per_session: int = 5
    checks: int = 20
    keep_seconds: int = 30 * 60
    session_seconds: int = 4 * 3600

    def describe(self) -> str:
        """The upload limits in words, as the page shows them."""
        return f"up to {self.files} files, {_size(self.file_bytes)} each and {_size(self.total_bytes)} in all"
