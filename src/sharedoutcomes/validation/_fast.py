r"""
The fast path of validation: orjson parsing and a jsonschema-rs gate (the ``fast`` extra).

The reference path (``json`` + ``jsonschema`` + cattrs) defines every answer. The fast path only
skips work whose outcome it can prove:

- **Parsing.** ``orjson.loads`` gives the same data as ``json.loads`` for every document it
  accepts. Whatever it refuses (invalid JSON, ``NaN``, integers beyond 64 bits, lone surrogates,
  a byte-order mark in text) is parsed again by ``json``, so errors and their messages are the
  reference's own.
- **The schema layer.** A jsonschema-rs validator of the same schemas answers one question:
  is the document valid? Only when it says yes is the pure-Python layer skipped; otherwise
  that layer runs and reports the problems. So the gate must never accept what the reference
  rejects. Where the two libraries differ, the gate's copy of the schemas is made stricter or
  exact (see `gate_schema`):

  * Python's ``\\s`` matches characters (U+001C–U+001F, U+0085) that Rust's does not: every
    ``\\s`` becomes an explicit class of exactly Python's whitespace.
  * jsonschema's ``date`` format refuses year 0000, which RFC 3339 (and jsonschema-rs)
    allows: a ``not`` pattern refuses it too.
  * Any other format is checked exactly as the reference checks it: by the reference's own
    format checker when it checks that format (``date-time`` and ``uri`` need optional
    packages), not at all when it does not.
  * For Python data that did not come from our parser, jsonschema-rs reads a tuple as an
    array and an enum member as its value, where jsonschema rejects both: such data is only
    trusted after a walk that finds nothing but JSON types.
  * If the gate cannot decide (it raises, or a pattern uses a construct it cannot translate),
    the reference decides.

Set ``SHAREDOUTCOMES_FAST=0`` in the environment, or pass ``fast=False``, to use the
reference path throughout.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from typing import Any, Final

from jsonschema import Draft202012Validator
from jsonschema._format import is_date

from sharedoutcomes import schema
from sharedoutcomes.exceptions import MissingDependency

__all__ = ["ENV_VAR", "gate", "item_valid", "parse", "schema_valid", "translate_pattern", "use_fast"]

ENV_VAR: Final = "SHAREDOUTCOMES_FAST"
"""Set to ``0`` (or ``false``, ``no``, ``off``) to make the reference path the default."""

_OFF: Final = frozenset({"0", "false", "no", "off"})


@functools.cache
def _modules() -> tuple[Any, Any] | None:
    try:
        import jsonschema_rs
        import orjson
    except ImportError:
        return None
    return orjson, jsonschema_rs


def available() -> bool:
    """Whether the ``fast`` extra (orjson and jsonschema-rs) is installed."""
    return _modules() is not None


def use_fast(fast: bool | None) -> bool:
    """
    Decide whether to take the fast path: *fast* when given, else the environment and the extra.

    Raises:
        MissingDependency: ``fast=True`` and the ``fast`` extra is not installed.
    """
    if fast is None:
        return os.environ.get(ENV_VAR, "").strip().lower() not in _OFF and available()
    if fast and not available():
        raise MissingDependency("orjson and jsonschema-rs", extra="fast", purpose="fast validation")
    return fast


# -- parsing -----------------------------------------------------------------------------------


_BOM: Final = b"\xef\xbb\xbf"
# Every ASCII digit becomes "0" and every other byte a space: a run of 19 digits is then a plain find.
_DIGITS_TO_ZERO: Final = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_LONG_RUN: Final = b"0" * 19
_CHUNK: Final = 1 << 22


def _has_long_digit_run(raw: bytes) -> bool:
    """
    Whether *raw* holds 19 digits in a row: an integer that may not fit in 64 bits.

    orjson reads such an integer as a float, where ``json`` keeps it exact; the caller then
    uses ``json``. (Digits inside strings count too: harmless, only slower.)
    """
    overlap = len(_LONG_RUN) - 1
    for start in range(0, len(raw), _CHUNK):
        chunk = raw[max(0, start - overlap):start + _CHUNK]
        if chunk.translate(_DIGITS_TO_ZERO).find(_LONG_RUN) >= 0:
            return True
    return False


def parse(raw: str | bytes) -> tuple[bool, Any]:
    """
    Parse JSON text with orjson: ``(True, data)``, or ``(False, None)`` when orjson may differ from ``json``.

    Not parsed here: text orjson refuses (``NaN``, ``1e400``, lone surrogates, a byte-order mark
    in text, invalid JSON) and text with an integer that may exceed 64 bits (orjson would make
    it a float). The caller parses those with ``json``, the reference, which may accept them.

    Example:
        >>> parse(b'{"a": [1, 2.5]}'), parse("[NaN]"), parse("[12345678901234567890123]")
        ((True, {'a': [1, 2.5]}), (False, None), (False, None))
    """
    modules = _modules()
    if modules is None:
        return False, None
    orjson = modules[0]
    if isinstance(raw, str):
        try:
            encoded = raw.encode("utf-8")
        except UnicodeEncodeError:
            return False, None  # lone surrogates: json reads them, orjson cannot
        if encoded.startswith(_BOM):
            return False, None  # json refuses a BOM in text, with its own message
    else:
        encoded = raw[len(_BOM):] if raw.startswith(_BOM) else raw  # json decodes bytes as utf-8-sig
    if _has_long_digit_run(encoded):
        return False, None
    try:
        return True, orjson.loads(encoded)
    except orjson.JSONDecodeError:
        return False, None


# -- the schema gate ---------------------------------------------------------------------------

# Exactly the characters Python's ``re`` matches with ``\s`` in a str pattern (tests check every
# code point), written for the Rust regex engine.
_PY_WHITESPACE: Final = (r"\t-\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
                         r"\x{202f}\x{205f}\x{3000}")
# Escapes whose meaning differs between Python and Rust, or that we have not checked: a pattern
# using one makes the gate undecidable, and the reference runs.
_UNTRANSLATED: Final = frozenset("dDwWbBSApzZ")


class Untranslatable(ValueError):
    """A pattern uses a construct whose meaning may differ between Python and Rust."""


def translate_pattern(pattern: str) -> str:
    r"""
    Rewrite a Python ``re`` pattern for jsonschema-rs so that both match the same strings.

    Example:
        >>> translate_pattern(r"^[^\s]+$(?!\n)")
        '^[^\\t-\\r\\x1c-\\x20\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]+$(?!\\n)'
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            if escaped == "s":
                out.append(_PY_WHITESPACE if in_class else f"[{_PY_WHITESPACE}]")
            elif escaped in _UNTRANSLATED:
                raise Untranslatable(pattern)
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            if pattern.startswith("[^]", i) or pattern.startswith("[]", i):
                raise Untranslatable(pattern)  # a literal ']' first in a class: not worth the risk
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def gate_schema(node: Any, formats: dict[str, Callable[[str], bool] | None]) -> Any:
    """
    A copy of a published schema for the gate: patterns translated, formats as the reference checks them.

    *formats* maps each format to its checker: ``None`` keeps jsonschema-rs's own check.
    """
    if isinstance(node, list):
        return [gate_schema(item, formats) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("examples", "enum", "const", "required"):
            result[key] = value  # instances, not schemas
        elif key == "pattern" and isinstance(value, str):
            result[key] = translate_pattern(value)
        elif key in ("properties", "$defs"):
            result[key] = {name: gate_schema(sub, formats) for name, sub in value.items()}
        else:
            result[key] = gate_schema(value, formats)
    if result.get("format") == "date" and formats.get("date") is None:
        # jsonschema (date.fromisoformat) refuses year 0000; RFC 3339 and jsonschema-rs allow it.
        result.setdefault("allOf", []).append({"not": {"type": "string", "pattern": "^0000"}})
    return result


def _format_checkers(used: set[str]) -> dict[str, Callable[[str], bool] | None]:
    checker = Draft202012Validator.FORMAT_CHECKER
    result: dict[str, Callable[[str], bool] | None] = {}
    for name in used:
        known = checker.checkers.get(name)
        if known is None:
            result[name] = _always  # the reference does not check this format
        elif name == "date" and known[0] is is_date:
            result[name] = None  # jsonschema-rs's own, plus the year-0000 guard (see gate_schema)
        else:
            result[name] = functools.partial(_conforms, checker, name)
    return result


def _always(_value: str) -> bool:
    return True


def _conforms(checker: Any, name: str, value: str) -> bool:
    return bool(checker.conforms(value, name))


def _keyword_values(node: Any, keyword: str) -> Iterator[str]:
    """Every string value of *keyword* (``format``, ``$ref``) anywhere in a schema, examples and enums aside."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == keyword and isinstance(value, str):
                yield value
            elif key not in ("examples", "enum", "const"):
                yield from _keyword_values(value, keyword)
    elif isinstance(node, list):
        for item in node:
            yield from _keyword_values(item, keyword)


def _reachable(root: str, get: Callable[[str], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The schema *root* and every bundled schema its ``$ref``s reach (other published schemas are not needed)."""
    found: dict[str, dict[str, Any]] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found[name] = get(name)
        for ref in _keyword_values(found[name], "$ref"):
            target = ref.partition("#")[0].rsplit("/", 1)[-1].removesuffix(".schema.json")
            if target:
                pending.append(target)
    return found


@functools.cache
def gate(root: str = "package") -> Any | None:
    """
    The jsonschema-rs validator of the schema *root*, or ``None`` when no exact gate can be built.

    *root* is ``package`` or an entity schema (``evidence`` …), for checking the items of a
    package one at a time. Every ``$ref`` resolves offline, from the bundled schemas.
    """
    modules = _modules()
    if modules is None:
        return None
    jsonschema_rs = modules[1]
    originals = _reachable(root, schema.get_schema)
    used = {name for document in originals.values() for name in _keyword_values(document, "format")}
    formats = _format_checkers(used)
    try:
        translated = {name: gate_schema(document, formats) for name, document in originals.items()}
    except Untranslatable:
        return None
    registry = jsonschema_rs.Registry([(document["$id"], document) for document in translated.values()])
    custom = {name: check for name, check in formats.items() if check is not None}
    return jsonschema_rs.validator_for(translated[root], registry=registry, offline=True,
                                       validate_formats=True, formats=custom)


def schema_valid(data: Any) -> bool:
    """
    ``True`` only when the reference schema layer would find no problem in *data*.

    For data that holds only JSON's own types: parsed by a JSON parser, or proven so by the shape
    walk (`sharedoutcomes.validation._shape.shape_of`). ``False`` means "not proven valid": run the reference.
    """
    validator = gate()
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(data))
    except Exception:  # whatever the gate cannot decide (lone surrogates …), the reference does
        return False


def item_valid(root: str, item: Any) -> bool:
    """
    ``True`` only when the reference would find no problem in *item* against the schema *root*.

    For data that came from a JSON parser, or that the shape walk found plain. ``False`` means "not proven
    valid": run the reference on this item.
    """
    validator = gate(root)
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(item))
    except Exception:  # whatever the gate cannot decide, the reference does
        return False
