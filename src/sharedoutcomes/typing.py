"""
Public type aliases and protocols.

``JSONData`` is parsed JSON; ``Converter`` is what a format plugin implements.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:
    from sharedoutcomes.converters import ConversionResult
    from sharedoutcomes.model import Package

__all__ = ["Converter", "JSONData", "Source", "WritableConverter"]

JSONData: TypeAlias = Any
"""Parsed JSON: dicts, lists, strings, numbers, booleans and ``None``."""

Source: TypeAlias = "str | PathLike[str] | bytes | Mapping[str, Any]"
"""Something to read a package or a file from: a path, JSON text or bytes, or a parsed dict."""


@runtime_checkable
class Converter(Protocol):
    """
    A registered format that reads files into packages.

    Plugins implement this and register it under the ``sharedoutcomes.converters``
    entry-point group.

    Attributes:
        name: The format name, such as ``"outcomes-star"``.
        description: One line for ``sharedoutcomes formats``.
        extensions: File name endings it reads, such as ``(".csv", ".xlsx")``.
    """

    name: str
    description: str
    extensions: tuple[str, ...]

    def read(self, source: Any, **options: Any) -> ConversionResult:
        """Read *source* into a package; bad values are problems, not exceptions."""
        ...


@runtime_checkable
class WritableConverter(Converter, Protocol):
    """A converter that can also write packages back to its format."""

    def write(self, package: Package, destination: Any, **options: Any) -> None:
        """Write *package* to *destination* in this format."""
        ...
