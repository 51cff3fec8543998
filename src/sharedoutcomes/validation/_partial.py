"""
The ``partial`` extension: a package written from a conversion that had errors says so in itself.

`sharedoutcomes convert --write-partial` (and ``write(result, …, partial=True)``) records, under
``extension_data.partial``, the format that read the source and every problem the conversion had;
`validate` then reports ``conversion.partial``, and the HTML report carries a caveat.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sharedoutcomes.problems import Problem, render_value

__all__ = ["PARTIAL_EXTENSION", "PARTIAL_EXTENSION_URL", "partial_problem", "partial_record"]

PARTIAL_EXTENSION: Final = "partial"
"""The name of the extension a partially written package declares."""

PARTIAL_EXTENSION_URL: Final = "https://sharedoutcomes.readthedocs.io/en/latest/reference/partial-extension.html"
"""Where the extension is documented."""


def partial_record(data: Any) -> Mapping[str, Any] | None:
    """
    The ``partial`` record of package *data* (a dict, or a `Package`), or ``None`` when it is complete.

    Only a declared extension counts: data under an undeclared name is reported as such.

    Example:
        >>> partial_record({"extensions": [{"name": "partial", "version": "1.0"}],
        ...                 "extension_data": {"partial": {"errors": 2}}})
        {'errors': 2}
        >>> partial_record({"extension_data": {"partial": {"errors": 2}}}) is None
        True
    """
    extensions = data.get("extensions", ()) if isinstance(data, Mapping) else getattr(data, "extensions", ())
    extension_data = (data.get("extension_data", {}) if isinstance(data, Mapping)
                      else getattr(data, "extension_data", {}))
    declared = any((e.get("name") if isinstance(e, Mapping) else getattr(e, "name", None)) == PARTIAL_EXTENSION
                   for e in extensions)
    record = extension_data.get(PARTIAL_EXTENSION) if isinstance(extension_data, Mapping) else None
    return record if declared and isinstance(record, Mapping) else None


def partial_problem(record: Mapping[str, Any]) -> Problem:
    """
    The ``conversion.partial`` warning of a package carrying *record*.

    Example:
        >>> print(partial_problem({"format": "north-ayrshire", "errors": 15}).message[:72])
        this package is partial: it was written from a conversion (format 'north
    """
    errors = record.get("errors")
    count = f"{errors} error{'' if errors == 1 else 's'}" if type(errors) is int else "errors"
    fmt = record.get("format")
    via = f" (format {render_value(fmt)})" if isinstance(fmt, str) and fmt else ""
    return Problem(
        rule="conversion.partial", severity="warning", path=f"$.extension_data.{PARTIAL_EXTENSION}",
        message=f"this package is partial: it was written from a conversion{via} that had {count}, so the values "
        "those errors concern are missing from it; the problems are listed in extension_data.partial.problems. "
        "Fix the source and convert it again for a complete package",
    )
