"""
Registered formats: read files into packages, and write packages back out.

Formats are a registry (`ConverterRegistry`): the built-ins plus plugins installed under
the ``sharedoutcomes.converters`` entry-point group. Each converter returns a
`ConversionResult` with the package, every problem it found (each with the place in the
original file it came from) and a source map of JSONPath → original location.

Example:
    >>> import sharedoutcomes
    >>> "package" in sharedoutcomes.formats()
    True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from attrs import field, frozen

from sharedoutcomes._structure import build_package
from sharedoutcomes.converters._registry import (
    ENTRY_POINT_GROUP,
    ConverterRegistry,
    PluginError,
    default_registry,
)
from sharedoutcomes.exceptions import InvalidDocument, Problem, SourceLocation
from sharedoutcomes.model import Package
from sharedoutcomes.validation import Report, ValidationProfile, validate_data

__all__ = [
    "ENTRY_POINT_GROUP",
    "ConversionResult",
    "ConverterRegistry",
    "PluginError",
    "build_result",
    "convert",
    "default_registry",
    "formats",
    "write",
]


@frozen(kw_only=True)
class ConversionResult:
    """
    What a converter made of a source: the package, the problems, and where values came from.

    Attributes:
        package: The converted package (rows or answers that could not be converted are
            left out of it and reported in `problems`, never silently dropped).
        problems: Every problem: the converter's own (bad cells, unknown areas …) and the
            validation of the package, each with its source location where known.
        source_map: JSONPath in the package → location in the original file.
        format: The name of the format that read the source.
        document: The package as JSON-ready data.
    """

    package: Package
    problems: tuple[Problem, ...] = ()
    source_map: Mapping[str, SourceLocation] = field(factory=dict, repr=False)
    format: str = ""
    document: Mapping[str, Any] = field(factory=dict, repr=False, eq=False)

    @property
    def ok(self) -> bool:
        """``True`` when no problem is an error."""
        return not any(p.severity == "error" for p in self.problems)

    @property
    def report(self) -> Report:
        """The problems as a validation `Report`."""
        return Report(problems=self.problems)

    def __repr__(self) -> str:
        errors = sum(p.severity == "error" for p in self.problems)
        warnings = len(self.problems) - errors
        return (f"<ConversionResult {self.format!r}: {len(self.package.evidence)} evidence, "
                f"{errors} errors, {warnings} warnings>")

    def _repr_html_(self) -> str:
        from sharedoutcomes._util.html import result_html

        return result_html(self)


def build_result(
    document: Mapping[str, Any],
    *,
    format: str,
    problems: Iterable[Problem] = (),
    source_map: Mapping[str, SourceLocation] | None = None,
    profile: ValidationProfile | None = None,
) -> ConversionResult:
    """
    Validate a converter's *document* and build the result: the helper every converter ends with.

    The converter's own problems come first, then the validation problems, located in the
    original file through *source_map*.

    Raises:
        InvalidDocument: The document does not even have the shape of a package (a bug in
            the converter, or input it should have rejected).

    Example:
        >>> from sharedoutcomes import dump, example_package
        >>> result = build_result(dump(example_package()), format="package")
        >>> result.ok
        True
    """
    source_map = dict(source_map or {})
    problems = tuple(problems)
    report = validate_data(document, profile=profile, source_map=source_map)
    if any(p.rule.startswith("schema.") for p in report.errors):
        # the converter's own problems (bad cells, rows it could not place) belong in the report too
        raise InvalidDocument(Report(problems=(*problems, *report.problems), source=report.source,
                                     profile=report.profile))
    package = build_package(document, owned=False)  # the schema passed: no need to re-run attrs validators
    return ConversionResult(
        package=package,
        problems=(*problems, *report.problems),
        source_map=source_map,
        format=format,
        document=document,
    )


@functools.cache
def _registry() -> ConverterRegistry:
    return default_registry()


def formats() -> tuple[str, ...]:
    """
    The names of every registered format (built-ins and installed plugins).

    Example:
        >>> "package" in formats()
        True
    """
    return _registry().names()


def convert(source: Any, *, format: str, registry: ConverterRegistry | None = None,
            **options: Any) -> ConversionResult:
    """
    Read *source* with the converter registered as *format*.

    Args:
        source: What the converter reads: usually a path.
        format: A registered format name (see `formats`).
        registry: Use this registry instead of the default one.
        **options: Passed to the converter (a column map, a Star edition …).

    Raises:
        UnknownFormat: No format has that name (the message suggests the closest).
        ConversionError: The source cannot be read at all.

    Example:
        >>> from sharedoutcomes import example_package_path
        >>> result = convert(example_package_path(), format="package")
        >>> result.package.title
        'North Ayrshire third sector partnership returns, 2024-25'
    """
    converter = (registry or _registry())[format]
    return converter.read(source, **options)


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
    from sharedoutcomes.exceptions import ConversionError

    converter = (registry or _registry())[format]
    writer = getattr(converter, "write", None)
    if writer is None:
        msg = f"the format {format!r} can read files but not write them"
        raise ConversionError(msg)
    writer(package, destination, **options)
