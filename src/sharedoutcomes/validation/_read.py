"""Reading a package to validate: a path, JSON text or bytes, parsed data, or a `Package`."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.model import Package
from sharedoutcomes.problems import Problem, Report, SourceLocation
from sharedoutcomes.serialization import dump
from sharedoutcomes.validation import _fast

__all__ = ["read", "read_json", "unreadable"]


def read_json(source: Any) -> tuple[Any, str | None]:
    """
    Read JSON from a path, JSON text or bytes, or pass parsed data through.

    Returns the data and a name for the source (the path, or ``None``).

    Raises:
        ConversionError: The file cannot be read, is not UTF-8, or is not JSON; the
            error says where (line and column).

    Example:
        >>> read_json('{"a": 1}')
        ({'a': 1}, None)
    """
    data, name, _parsed = read(source, fast=False)
    return data, name


def read(source: Any, *, fast: bool) -> tuple[Any, str | None, bool]:
    """`read_json`, with orjson when *fast*; the third value says that we parsed the data ourselves."""
    if isinstance(source, Package):
        return dump(source), None, False
    if isinstance(source, Mapping):
        return source, None, False
    raw, name = _raw(source)
    if fast:
        parsed, data = _fast.parse(raw)
        if parsed:
            return data, name, True
    return _parse(raw, name), name, True


def _raw(source: Any) -> tuple[str | bytes, str | None]:
    """The text or bytes of *source*, and the file's name when it is a path."""
    if isinstance(source, os.PathLike) or (isinstance(source, str) and not source.lstrip().startswith(("{", "["))):
        path = Path(source)
        try:
            return path.read_bytes(), str(path)
        except OSError as error:
            reason = error.strerror or str(error)
            msg = f"cannot read the file: {reason}"
            raise ConversionError(msg, source=SourceLocation(file=str(path))) from None
    if isinstance(source, str | bytes | bytearray):
        return (bytes(source) if isinstance(source, bytearray) else source), None
    msg = f"cannot read a package from a {type(source).__name__}; give a path, JSON text or a dict"
    raise TypeError(msg)


def _parse(raw: str | bytes, name: str | None) -> Any:
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        return json.loads(text)
    except UnicodeDecodeError as error:
        msg = f"the file is not UTF-8 text (byte {error.start})"
        raise ConversionError(msg, source=SourceLocation(file=name)) from None
    except json.JSONDecodeError as error:
        msg = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise ConversionError(msg, source=SourceLocation(file=name, row=error.lineno,
                                                         column=str(error.colno))) from None


def unreadable(error: ConversionError) -> Report:
    """
    The report of a source that could not be read: one ``json-syntax`` or ``file-unreadable`` problem.

    Example:
        >>> unreadable(ConversionError("not valid JSON: Expecting value at line 1, column 1")).problems[0].rule
        'json-syntax'
    """
    rule = "json-syntax" if error.message.startswith("not valid JSON") else "file-unreadable"
    problem = Problem(rule=rule, severity="error", path="$", message=error.message, source=error.source)
    return Report(problems=(problem,), source=error.source.file if error.source else None)
