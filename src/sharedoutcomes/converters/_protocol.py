"""What a format implements: the `Converter` protocol (and `WritableConverter`, for formats that also write)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from sharedoutcomes.converters._result import ConversionResult
from sharedoutcomes.model import Package

__all__ = ["Converter", "WritableConverter"]


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
