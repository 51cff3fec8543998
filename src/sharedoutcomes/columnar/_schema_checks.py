"""
The schema layer on tables: which evidence items the published schema could find fault with, found by Polars.

Each column's constraints are read from the published schema (``evidence.schema.json`` and the
definitions it refers to): required, ``enum``, ``pattern``, ``minLength``, ``minimum`` and
``maximum``, and for a value its JSON type. Every row that breaks one is flagged, as a vectorised
expression over the whole column; the flagged evidence items (and only those) are then checked by
the reference schema layer itself, which words each problem exactly as `sharedoutcomes.validate`
does. A flag may be a false alarm (the reference layer then finds nothing), never a miss: where
Polars' regular expressions could differ from Python's, the expression flags more, not less.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any, Final

from sharedoutcomes import schema
from sharedoutcomes.columnar._layout import VALUE_TYPES, Column, TableName, layout

__all__ = ["flagged_evidence", "polars_pattern"]

_OWNER_SCHEMA: Final[Mapping[str, tuple[str, str | None]]] = {
    "Evidence": ("evidence", None),
    "EvidenceValue": ("common", "EvidenceValue"),
    "EvidenceSubject": ("common", "EvidenceSubject"),
    "Provenance": ("common", "Provenance"),
}
_JSON_LIMIT: Final = 2**53  # beyond it a float64 comparison may be inexact: such numbers are checked one by one


def _pl() -> Any:
    from sharedoutcomes._optional import require

    return require("polars", extra="columnar", purpose="validating columnar evidence")


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    document, _, pointer = ref.partition("#")
    target: Any = schema.get_schema(document.removesuffix(".schema.json") if document else "evidence")
    for part in pointer.strip("/").split("/") if pointer else ():
        target = target[part]
    return _resolve(target)


def _object_schema(owner: str) -> Mapping[str, Any]:
    name, definition = _OWNER_SCHEMA[owner]
    root = schema.get_schema(name)
    return root["$defs"][definition] if definition else root


def _property(column: Column) -> tuple[Mapping[str, Any], bool]:
    """The schema of *column*'s field, and whether its object requires it."""
    owner, *parts = column.field.split(".")
    node = _object_schema(owner)
    required = False
    for part in parts:
        required = part in node.get("required", ())
        node = _resolve(node["properties"][part])
    return node, required


def polars_pattern(pattern: str) -> str | None:
    """
    A JSON-Schema (Python ``re``) pattern as a Rust regex that matches at least the same strings, or ``None``.

    Python's ``$`` also matches before a final newline and its ``\\s`` also holds U+001C–U+001F; a
    look-ahead Rust cannot run makes it ``None`` (the column is then checked with Python's ``re``).

    Example:
        >>> polars_pattern(r"^[^\\s]+$(?!\\n)")
        '^[^\\\\s\\\\x1C-\\\\x1F]+\\\\z'
    """
    translated = pattern.replace(r"$(?!\n)", r"\z").replace(r"[^\s]", r"[^\s\x1C-\x1F]")
    if "(?" in translated:
        return None
    if translated.endswith("$"):
        translated = translated[:-1] + r"\n?\z"
    return translated


@functools.cache
def _column_checks(table: TableName) -> tuple[tuple[Column, Mapping[str, Any], bool], ...]:
    out = []
    for column in layout()[table].columns:
        if not column.field or column.name in ("evidence_id",):
            continue
        node, required = _property(column)
        out.append((column, node, required))
    return tuple(out)


def _string_faults(pl: Any, name: str, node: Mapping[str, Any]) -> list[Any]:
    col = pl.col(name)
    faults = []
    if "minLength" in node:
        faults.append(col.str.len_chars() < node["minLength"])
    if "enum" in node:
        faults.append(~col.is_in([v for v in node["enum"] if isinstance(v, str)]))
    if "pattern" in node:
        translated = polars_pattern(node["pattern"])
        if translated is not None:
            faults.append(~col.str.contains(translated))
        else:
            compiled = re.compile(node["pattern"])
            faults.append(col.map_elements(lambda s: compiled.search(s) is None, return_dtype=pl.Boolean))
    return faults


def _number_faults(pl: Any, col: Any, node: Mapping[str, Any]) -> list[Any]:
    faults = []
    if "minimum" in node:
        faults.append(col < node["minimum"])
    if "maximum" in node:
        faults.append(col > node["maximum"])
    if "exclusiveMinimum" in node:
        faults.append(col <= node["exclusiveMinimum"])
    if "exclusiveMaximum" in node:
        faults.append(col >= node["exclusiveMaximum"])
    return faults


def _faults(pl: Any, table: TableName, names: set[str]) -> list[Any]:
    """One boolean expression per constraint: true where a row may break it (null counts as not)."""
    faults: list[Any] = []
    period_present = pl.col("period_start").is_not_null() | pl.col("period_end").is_not_null()
    done: set[str] = set()
    for column, node, required in _column_checks(table):
        if column.field in done:
            continue
        if column.type == "value_type":
            done.add(column.field)
            base = column.name[: -len("_type")]
            kind = pl.col(f"{base}_type").cast(pl.String)
            faults.append(kind.is_null() if required else pl.lit(False))
            faults.append(~kind.is_in(list(VALUE_TYPES)))
            for suffix, json_type in (("bool", "boolean"), ("float", "number"), ("str", "string")):
                faults.append((kind == json_type) & pl.col(f"{base}_{suffix}").is_null())
            floats = pl.col(f"{base}_float")
            faults.append(floats.is_nan() | floats.is_infinite())
            faults.append((kind == "integer") & pl.col(f"{base}_int").is_null())  # beyond 64 bits
            faults.append((kind == "string") & (pl.col(f"{base}_str").str.len_chars() < node.get("minLength", 0)))
            faults.append(pl.col(f"{base}_int").abs() > _JSON_LIMIT)
            continue
        if column.name.endswith("_int") and column.name[:-4] + "_float" in names:
            done.add(column.field)
            base = column.name[:-4]
            ints, floats = pl.col(f"{base}_int"), pl.col(f"{base}_float")
            if required:
                faults.append(ints.is_null() & floats.is_null())
            faults.append(floats.is_nan() | floats.is_infinite())
            faults += _number_faults(pl, ints, node) + _number_faults(pl, floats, node)
            continue
        col = pl.col(column.name)
        if required:
            missing = col.is_null()
            faults.append(missing & period_present if column.field.startswith("Evidence.period.") else missing)
        if column.field.endswith("extension_data"):
            continue  # JSON text: its names are checked one by one (flagged_evidence)
        if column.type == "string":
            faults += _string_faults(pl, column.name, node)
        elif column.type == "int64":
            faults += _number_faults(pl, col, node)
    return faults


_EXTENSION_NAME: Final = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$(?!\n)")


def _extension_ok(text: str) -> bool:
    try:
        data = json.loads(text)
    except ValueError:
        return False  # reported by the reference layer's check of the rebuilt item
    return isinstance(data, dict) and bool(data) and all(_EXTENSION_NAME.search(name) for name in data)


def flagged_evidence(frames: Mapping[TableName, Any]) -> list[int]:
    """
    The ``evidence_index`` of every evidence item the schema layer may find fault with, in order.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.columnar import from_package
        >>> flagged_evidence(from_package(sharedoutcomes.example_package()).to_polars())
        []
    """
    pl = _pl()
    found: set[int] = set()
    for table in ("evidence", "values", "subjects", "provenance"):
        frame = frames[table]
        if frame.height == 0:
            continue
        faults = _faults(pl, table, set(frame.columns))
        bad = frame.lazy().filter(pl.any_horizontal(*faults).fill_null(False))
        found.update(bad.select("evidence_index").collect().to_series().to_list())
        if table == "evidence":
            rows = frame.lazy().filter(pl.col("extension_data").is_not_null())
            for index, text in rows.select("evidence_index", "extension_data").collect().iter_rows():
                if not _extension_ok(text):
                    found.add(index)
    return sorted(found)
