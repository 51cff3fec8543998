"""
Reading reference-data files: JSON files that follow a schema of the library's, shipped or the user's own.

One loader for every kind of reference data (instruments, Outcomes Stars): read the JSON, check it
against its schema, and say which file and which JSON path is wrong when it is not.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib.resources import files
from os import PathLike
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import ConversionError, SourceLocation

__all__ = ["check_file", "json_files", "packaged", "read_json", "reference_schema"]


@functools.cache
def reference_schema(folder: str, name: str) -> dict[str, Any]:
    """
    The schema ``schemas/<folder>/<name>`` shipped with the library.

    Example:
        >>> reference_schema("instruments", "instrument.schema.json")["title"]
        'Instrument reference data'
    """
    text = files("sharedoutcomes").joinpath("schemas", folder, name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def read_json(path: Path, what: str) -> Any:
    """
    The JSON in *path*; a `ConversionError` naming the file when it cannot be read.

    Example:
        >>> read_json(Path("no-such-file.json"), "instrument")
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.ConversionError: no-such-file.json: cannot read the instrument file: ...
    """
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConversionError(f"cannot read the {what} file: {error}", source=SourceLocation(file=path.name)) from None


def check_file(data: Any, schema: dict[str, Any], name: str, what: str) -> None:
    """
    Raise a `ConversionError` naming *name* and the JSON path of the first fault, unless *data* follows *schema*.

    Example:
        >>> check_file({"id": "x"}, reference_schema("instruments", "instrument.schema.json"), "x.json", "instrument")
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.ConversionError: x.json: not a valid instrument file: $: 'name' is a required property (and 6 more)
    """
    validator = Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    message = first.message
    choices = first.validator_value if first.validator == "oneOf" else None
    if isinstance(choices, list) and all(isinstance(c, dict) and "const" in c for c in choices):
        message = f"{first.instance!r} is not one of {', '.join(repr(c['const']) for c in choices)}"
    if len(message) > 300:
        message = message[:299] + "…"
    msg = f"not a valid {what} file: {json_path(list(first.absolute_path))}: {message}{more}"
    raise ConversionError(msg, source=SourceLocation(file=name))


def json_files(path: str | PathLike[str]) -> tuple[Path, ...]:
    """
    *path* itself, or every ``*.json`` file of a directory (not the ``*.schema.json`` ones), sorted.

    Example:
        >>> json_files("my-instrument.json")
        (PosixPath('my-instrument.json'),)
    """
    path = Path(path)
    if not path.is_dir():
        return (path,)
    return tuple(child for child in sorted(path.glob("*.json")) if not child.name.endswith(".schema.json"))


def packaged(folder: str) -> Iterator[tuple[str, Any]]:
    """
    The name and JSON of every reference-data file shipped under ``schemas/<folder>/``, by name.

    Example:
        >>> [name for name, _ in packaged("instruments")][:2]
        ['gad7.json', 'ons4.json']
    """
    root = files("sharedoutcomes").joinpath("schemas", folder)
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json") and not entry.name.endswith(".schema.json"):
            yield entry.name, json.loads(entry.read_text(encoding="utf-8"))
