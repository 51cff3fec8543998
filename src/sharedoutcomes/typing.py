"""
Public type aliases and protocols.

``JSONData`` is parsed JSON; ``Source`` is what a package or file is read from;
``Converter`` is what a format plugin implements (it is defined with the registry, in
`sharedoutcomes.converters`, and listed here for annotations).
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from typing import Any, TypeAlias

from sharedoutcomes.converters import Converter, WritableConverter

__all__ = ["Converter", "JSONData", "Source", "WritableConverter"]

JSONData: TypeAlias = Any
"""Parsed JSON: dicts, lists, strings, numbers, booleans and ``None``."""

Source: TypeAlias = "str | PathLike[str] | bytes | Mapping[str, Any]"
"""Something to read a package or a file from: a path, JSON text or bytes, or a parsed dict."""
