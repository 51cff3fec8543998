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

from sharedoutcomes.converters._api import check_options, convert, formats, write
from sharedoutcomes.converters._coverage import NOT_READ, Coverage, CoverageCounter, excerpt, not_read
from sharedoutcomes.converters._partial import package_to_write
from sharedoutcomes.converters._protocol import Converter, WritableConverter
from sharedoutcomes.converters._registry import (
    ENTRY_POINT_GROUP,
    ConverterRegistry,
    PluginError,
    default_registry,
)
from sharedoutcomes.converters._result import ConversionResult, build_result, unbuildable

__all__ = [
    "ENTRY_POINT_GROUP",
    "NOT_READ",
    "ConversionResult",
    "Converter",
    "ConverterRegistry",
    "Coverage",
    "CoverageCounter",
    "PluginError",
    "WritableConverter",
    "build_result",
    "check_options",
    "convert",
    "default_registry",
    "excerpt",
    "formats",
    "not_read",
    "package_to_write",
    "unbuildable",
    "write",
]
