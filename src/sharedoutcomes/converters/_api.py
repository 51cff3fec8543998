"""Reading and writing through the registry: `convert`, `write`, `formats`."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from sharedoutcomes.converters._partial import package_to_write
from sharedoutcomes.converters._protocol import Converter
from sharedoutcomes.converters._registry import ConverterRegistry, default_registry
from sharedoutcomes.converters._result import ConversionResult
from sharedoutcomes.exceptions import ConversionError, UnknownOption
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
        UnknownOption: The format takes no such option (the message names those it takes).
        ConversionError: The source cannot be read at all.

    Example:
        >>> from sharedoutcomes import example_package_path
        >>> result = convert(example_package_path(), format="package")
        >>> result.package.title
        'North Ayrshire third sector partnership returns, 2024-25'
    """
    converter = (registry or _cached_registry())[format]
    check_options(format, converter.read, options)
    result: ConversionResult = converter.read(source, **options)
    return result if validation_profile is None else result.with_profile(validation_profile)


def check_options(format: str, function: Any, options: dict[str, Any], *, skip: int = 1) -> None:
    """
    Raise `UnknownOption` when *function* (a converter's ``read`` or ``write``) takes none of *options*' names.

    A function taking ``**options`` checks its own; the first *skip* parameters (the source) are not options.

    Example:
        >>> def read(source, *, sheet=None): ...
        >>> check_options("demo", read, {"sheets": 1})
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.UnknownOption: the 'demo' format does not take 'sheets' (did you mean 'sheet'?); it takes: sheet
    """
    if not options:
        return
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):  # a callable without a signature: let it check for itself
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return
    accepted = [p.name for p in parameters[skip:]
                if p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise UnknownOption(format, unknown, accepted=accepted)


def write(source: Package | ConversionResult, destination: Any, *, format: str,
          registry: ConverterRegistry | None = None, partial: bool = False, **options: Any) -> None:
    """
    Write a package, or the package of a conversion *source*, to *destination* in the format *format*.

    A conversion that had errors is not written, unless *partial*: then the package written
    declares that it is partial and lists the conversion's problems (see `package_to_write`).

    Raises:
        UnknownFormat: No format has that name.
        IncompleteConversion: *source* is a conversion with errors and *partial* is false.
        UnknownOption: The format takes no such option.
        ConversionError: The format can read but not write.

    Example:
        >>> import tempfile, pathlib
        >>> from sharedoutcomes import example_package
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "copy.json"
        >>> write(example_package(), target, format="package")
        >>> target.exists()
        True
    """
    package = package_to_write(source, partial=partial) if isinstance(source, ConversionResult) else source
    converter: Converter = (registry or _cached_registry())[format]
    writer = getattr(converter, "write", None)
    if writer is None:
        msg = f"the format {format!r} can read files but not write them"
        raise ConversionError(msg)
    check_options(format, writer, options, skip=2)
    writer(package, destination, **options)
