"""Reading and writing through the registry: `convert`, `write`, `formats`."""

from __future__ import annotations

import functools
from typing import Any

from sharedoutcomes.converters._registry import ConverterRegistry, default_registry
from sharedoutcomes.converters._result import ConversionResult
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.model import Package
from sharedoutcomes.validation import ValidationProfile

__all__ = ["convert", "formats", "write"]


@functools.cache
def _cached_registry() -> ConverterRegistry:
    return default_registry()


def formats() -> tuple[str, ...]:
    """
    The names of every registered format (built-ins and installed plugins).

    Example:
        >>> "package" in formats()
        True
    """
    return _cached_registry().names()


def convert(source: Any, *, format: str, registry: ConverterRegistry | None = None,
            validation_profile: ValidationProfile | None = None, **options: Any) -> ConversionResult:
    """
    Read *source* with the converter registered as *format*.

    Args:
        source: What the converter reads: usually a path.
        format: A registered format name (see `formats`).
        registry: Use this registry instead of the default one.
        validation_profile: Re-grade (or turn off) problems by rule id, the converter's own
            (``form.*``, ``star.*`` …) as well as the validation's; see `ValidationProfile`.
        **options: Passed to the converter (a column map, a Star edition, a form profile …).

    Raises:
        UnknownFormat: No format has that name (the message suggests the closest).
        ConversionError: The source cannot be read at all.

    Example:
        >>> from sharedoutcomes import example_package_path
        >>> result = convert(example_package_path(), format="package")
        >>> result.package.title
        'North Ayrshire third sector partnership returns, 2024-25'
    """
    converter = (registry or _cached_registry())[format]
    result: ConversionResult = converter.read(source, **options)
    return result if validation_profile is None else result.with_profile(validation_profile)


def write(package: Package, destination: Any, *, format: str,
          registry: ConverterRegistry | None = None, **options: Any) -> None:
    """
    Write *package* to *destination* with the converter registered as *format*.

    Raises:
        UnknownFormat: No format has that name.
        ConversionError: The format can read but not write.

    Example:
        >>> import tempfile, pathlib
        >>> from sharedoutcomes import example_package
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "copy.json"
        >>> write(example_package(), target, format="package")
        >>> target.exists()
        True
    """
    converter = (registry or _cached_registry())[format]
    writer = getattr(converter, "write", None)
    if writer is None:
        msg = f"the format {format!r} can read files but not write them"
        raise ConversionError(msg)
    writer(package, destination, **options)
