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

from sharedoutcomes.converters._api import convert, formats, write
from sharedoutcomes.converters._protocol import Converter, WritableConverter
from sharedoutcomes.converters._registry import (
    ENTRY_POINT_GROUP,
    ConverterRegistry,
    PluginError,
    default_registry,
)
from sharedoutcomes.converters._result import ConversionResult, build_result

__all__ = [
    "ENTRY_POINT_GROUP",
    "ConversionResult",
    "Converter",
    "ConverterRegistry",
    "PluginError",
    "WritableConverter",
    "build_result",
    "convert",
    "default_registry",
    "formats",
    "write",
]
