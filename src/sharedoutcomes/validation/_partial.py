"""
A package written from a conversion that had errors says so in itself.

`sharedoutcomes convert --write-partial` (and ``write(result, …, partial=True)``) records, in the
package's ``conversion`` block (standard 0.2; the ``partial`` extension, ``extension_data.partial``,
in 0.1), the format that read the source and every problem the conversion had; `validate` then
reports ``conversion.partial``, and the HTML report carries a caveat.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sharedoutcomes.problems import Problem, render_value
from sharedoutcomes.serialization import to_json_data

__all__ = ["PARTIAL_EXTENSION", "PARTIAL_EXTENSION_URL", "partial_problem", "partial_record"]

PARTIAL_EXTENSION: Final = "partial"
"""The name of the extension a partially written package declares."""

PARTIAL_EXTENSION_URL: Final = "https://sharedoutcomes.readthedocs.io/en/latest/reference/partial-extension.html"
"""Where the extension is documented."""


def partial_record(data: Any) -> Mapping[str, Any] | None:
    """
    The ``partial`` record of package *data* (a dict, or a `Package`), or ``None`` when it is complete.

    The record is the ``conversion`` block when it says ``partial`` (standard 0.2), else the data of a
    declared ``partial`` extension (0.1, and packages that keep it): data under an undeclared name is
    reported as such.

    Example:
        >>> partial_record({"conversion": {"format": "north-ayrshire", "partial": True, "errors": 1,
        ...                                "warnings": 0}})["errors"]
        1
        >>> partial_record({"extensions": [{"name": "partial", "version": "1.0"}],
        ...                 "extension_data": {"partial": {"errors": 2}}})
        {'errors': 2}
        >>> partial_record({"extension_data": {"partial": {"errors": 2}}}) is None
        True
    """
    block = data.get("conversion") if isinstance(data, Mapping) else getattr(data, "conversion", None)
    if block is not None and not isinstance(block, Mapping):
        block = _as_mapping(block)
    if isinstance(block, Mapping) and block.get("partial") is True:
        return block
    extensions = data.get("extensions", ()) if isinstance(data, Mapping) else getattr(data, "extensions", ())
    extension_data = (data.get("extension_data", {}) if isinstance(data, Mapping)
                      else getattr(data, "extension_data", {}))
    declared = any((e.get("name") if isinstance(e, Mapping) else getattr(e, "name", None)) == PARTIAL_EXTENSION
                   for e in extensions)
    record = extension_data.get(PARTIAL_EXTENSION) if isinstance(extension_data, Mapping) else None
    return record if declared and isinstance(record, Mapping) else None


def _as_mapping(block: Any) -> Mapping[str, Any]:
    """A model `Conversion` as the JSON it would be written as."""
    return to_json_data(block)  # type: ignore[no-any-return]


def partial_problem(record: Mapping[str, Any], *, block: bool = False) -> Problem:
    """
    The ``conversion.partial`` warning of a package carrying *record*.

    The record is the package's ``conversion`` *block*, or else the data of the ``partial`` extension.

    Example:
        >>> print(partial_problem({"format": "north-ayrshire", "errors": 15}).message[:72])
        this package is partial: it was written from a conversion (format 'north
    """
    errors = record.get("errors")
    count = f"{errors} error{'' if errors == 1 else 's'}" if type(errors) is int else "errors"
    fmt = record.get("format")
    via = f" (format {render_value(fmt)})" if isinstance(fmt, str) and fmt else ""
    where = "conversion" if block else f"extension_data.{PARTIAL_EXTENSION}"
    return Problem(
        rule="conversion.partial", severity="warning", path=f"$.{where}",
        message=f"this package is partial: it was written from a conversion{via} that had {count}, so the values "
        f"those errors concern are missing from it; the problems are listed in {where}.problems. "
        "Fix the source and convert it again for a complete package",
    )
