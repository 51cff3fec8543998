"""The installed distribution's metadata: its version, asked for once."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version

__all__ = ["package_version"]


@functools.cache
def package_version(*, fallback: str = "unknown") -> str:
    """
    The installed version of sharedoutcomes, or *fallback* when running from a bare source tree.

    Example:
        >>> package_version().count(".") >= 2
        True
    """
    try:
        return version("sharedoutcomes")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
        return fallback
