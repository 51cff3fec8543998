"""Reading a package to validate: a path, JSON text or bytes, parsed data, or a `Package`."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._util.sniff import sniff
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.model import Package
from sharedoutcomes.problems import Problem, Report, SourceLocation
from sharedoutcomes.serialization import dump
from sharedoutcomes.validation import _fast
from sharedoutcomes.validation._shape import MAX_INTEGER_DIGITS, too_deep

__all__ = ["UnreadableInput", "read", "read_json", "unreadable"]

_MAX_PATH: Final = 4096


class UnreadableInput(ConversionError):
    """A source that is not a package in JSON at all; ``rule`` is the problem id that says why."""

    def __init__(self, message: str, *, rule: str, source: SourceLocation | None = None, value: Any = None) -> None:
        super().__init__(message, source=source)
        self.rule = rule
        self.value = value


def read_json(source: Any) -> tuple[Any, str | None]:
    """
    Read JSON from a path, JSON text or bytes, or pass parsed data through.

    Returns the data and a name for the source (the path, or ``None``).

    Raises:
        ConversionError: The file cannot be read, is not UTF-8, or is not JSON; the
            error says where (line and column), and for a file of another kind (a Word
            document, a spreadsheet, a CSV file, a PDF), what it looks like and what to do.

    Example:
        >>> read_json('{"a": 1}')
        ({'a': 1}, None)
    """
    data, name, _parsed = read(source, fast=False)
    return data, name


def read(source: Any, *, fast: bool) -> tuple[Any, str | None, str]:
    """
    `read_json`, with orjson when *fast*; the third value names the parser when we parsed the data ourselves.

    It is ``"orjson"``, ``"json"``, or ``""`` for data given already parsed. Data orjson parsed holds
    no NaN, no infinity and no integer too long to read (orjson refuses them all, or they go to ``json``).
    """
    if isinstance(source, Package):
        return dump(source), None, ""
    if source is None or isinstance(source, Mapping | list | tuple | bool | int | float):
        # parsed data of any kind: what is not a package is reported, by the shape check
        return source, None, ""
    raw, name = _raw(source)
    if fast:
        parsed, data = _fast.parse(raw)
        if parsed:
            return data, name, "orjson"
    return _parse(raw, name), name, "json"


def _is_path(source: str) -> bool:
    """Whether the text *source* is meant as a path (JSON text starts with a brace or a bracket)."""
    return (not source.lstrip().startswith(("{", "[")) and "\x00" not in source and "\n" not in source
            and len(source) <= _MAX_PATH)


def _raw(source: Any) -> tuple[str | bytes, str | None]:
    """The text or bytes of *source*, and the file's name when it is a path."""
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _is_path(source)):
        path = Path(source)
        try:
            return path.read_bytes(), str(path)
        except (OSError, ValueError) as error:
            if isinstance(source, str) and _json_text(source):
                return source, None  # "1", "null", '"x"': JSON text after all, reported as not a package
            reason = (error.strerror or str(error)) if isinstance(error, OSError) else str(error)
            msg = f"cannot read the file: {reason}"
            rule = "file-unreadable"
            raise UnreadableInput(msg, rule=rule, source=SourceLocation(file=str(path))) from None
    if isinstance(source, str | bytes | bytearray):
        return (bytes(source) if isinstance(source, bytearray) else source), None
    msg = f"cannot read a package from a {type(source).__name__}; give a path, JSON text or a dict"
    raise TypeError(msg)


def _json_text(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _parse(raw: str | bytes, name: str | None) -> Any:
    where = SourceLocation(file=name) if name is not None else None
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        rule = "file-unreadable"
        raise _other_kind(raw if isinstance(raw, bytes) else b"", name) or UnreadableInput(
            f"the file is not UTF-8 text (byte {error.start} is not valid UTF-8); save it as UTF-8",
            rule=rule, source=where) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        other = _other_kind(raw if isinstance(raw, bytes) else raw.encode("utf-8", "replace"), name)
        if other is not None and error.pos == len(text) - len(text.lstrip()):
            raise other from None  # it fails at its very first character: a file of another kind
        msg = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        rule = "json-syntax"
        raise UnreadableInput(msg, rule=rule, source=SourceLocation(
            file=name, row=error.lineno, column=str(error.colno))) from None
    except RecursionError:
        rule = "json-too-deep"
        raise UnreadableInput(too_deep("too deep for the JSON parser").message, rule=rule, source=where) from None
    except ValueError as error:  # an integer beyond Python's limit for converting text to int
        del error  # Python's own words name sys.set_int_max_str_digits, no help to the person with the file
        msg = (f"a number has more than {MAX_INTEGER_DIGITS:,} digits, too long to be read; no value in a "
               "package needs so many")
        rule = "json-number-too-large"
        raise UnreadableInput(msg, rule=rule, source=where) from None


def _other_kind(raw: bytes, name: str | None) -> UnreadableInput | None:
    """For a file of another kind (a Word document, a spreadsheet, a PDF …), the error that says so and what to do."""
    kind = sniff(raw)
    if kind is None:
        return None
    shown = name or "FILE"
    if kind.advice:
        msg = f"the file looks like {kind.description}, not a package in JSON; {kind.advice}"
    else:
        target = Path(name).with_suffix(".json").name if name else "package.json"
        msg = (f"the file looks like {kind.description}, not a package in JSON: convert it first, with "
               f"'sharedoutcomes convert {shown} --from FORMAT -o {target}' ('sharedoutcomes formats' lists the "
               f"formats that read {kind.extension} files)")
    rule = "file-not-json"
    return UnreadableInput(msg, rule=rule, source=SourceLocation(file=name) if name else None, value=kind.extension)


def unreadable(error: ConversionError) -> Report:
    """
    The report of a source that could not be read: one problem (``json-syntax``, ``file-not-json`` …) at ``$``.

    A ``file-not-json`` problem's value is the file ending of the kind of file found (``.docx``).

    Example:
        >>> unreadable(ConversionError("not valid JSON: Expecting value at line 1, column 1")).problems[0].rule
        'json-syntax'
    """
    rule = getattr(error, "rule", None) or (
        "json-syntax" if error.message.startswith("not valid JSON") else "file-unreadable")
    problem = Problem(rule=rule, severity="error", path="$", message=error.message, source=error.source,
                      value=getattr(error, "value", None))
    return Report(problems=(problem,), source=error.source.file if error.source else None)
