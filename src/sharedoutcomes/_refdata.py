"""Reading the bundled reference-data files (frameworks, crosswalks, Stars, form profiles) and checking them against their schemas."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import ConversionError, InvalidDocument, Problem, SourceLocation
from sharedoutcomes.validation import Report

__all__ = ["bundled_files", "check", "read", "reference_schema"]


def _folder(folder: str) -> Traversable:
    return files("sharedoutcomes").joinpath("schemas", folder)


def bundled_files(folder: str) -> list[Traversable]:
    """The data files (not the ``*.schema.json``) in a bundled reference-data folder, by name."""
    return sorted(
        (entry for entry in _folder(folder).iterdir()
         if entry.name.endswith(".json") and not entry.name.endswith(".schema.json")),
        key=lambda entry: entry.name,
    )


@functools.cache
def reference_schema(folder: str, name: str) -> dict[str, Any]:
    """The JSON Schema of a reference-data folder, such as ``frameworks/framework.schema.json``."""
    schema: dict[str, Any] = json.loads(_folder(folder).joinpath(name).read_text(encoding="utf-8"))
    return schema


def read(source: str | os.PathLike[str] | Traversable) -> tuple[Any, str]:
    """
    Parse a JSON file; a file that cannot be read or parsed raises `ConversionError` saying where.

    Returns the data and the file's name.
    """
    name = source.name if isinstance(source, Traversable) and not isinstance(source, Path) else str(source)
    try:
        text = (source if isinstance(source, Traversable) else Path(source)).read_text(encoding="utf-8-sig")
    except OSError as error:
        msg = f"cannot read the file: {error.strerror or error}"
        raise ConversionError(msg, source=SourceLocation(file=name)) from None
    except UnicodeDecodeError as error:
        msg = f"the file is not UTF-8 text (byte {error.start})"
        raise ConversionError(msg, source=SourceLocation(file=name)) from None
    try:
        return json.loads(text), name
    except json.JSONDecodeError as error:
        msg = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise ConversionError(msg, source=SourceLocation(file=name, row=error.lineno)) from None


def check(data: Any, schema: dict[str, Any], *, name: str | None, extra: Iterable[Problem] = ()) -> None:
    """Raise `InvalidDocument` listing every schema problem (plus *extra*) in *data*."""
    validator = Draft202012Validator(schema)
    problems = [
        Problem(rule=f"schema.{error.validator}", severity="error",
                path=json_path([p for p in error.absolute_path if isinstance(p, str | int)]),
                message=error.message, source=SourceLocation(file=name) if name else None)
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    problems.extend(extra)
    if problems:
        raise InvalidDocument(Report(problems=tuple(problems), source=name))
