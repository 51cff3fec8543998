"""
The columnar table layout (version `LAYOUT_VERSION`), derived from the attrs model.

A package's evidence is four Arrow tables:

``evidence``
    One row per evidence item, in package order: ``evidence_index`` (the item's position in
    the package) and the scalar fields of `Evidence`; ``period`` flattened to
    ``period_start`` / ``period_end``; ``extension_data`` as JSON text (null when empty).
``values``
    One row per value: ``evidence_index``, ``evidence_id``, ``value_index`` (the value's
    position in its evidence) and the fields of `EvidenceValue`. The value itself, a JSON
    number, string or boolean, is kept losslessly as ``value_type`` (``"integer"``,
    ``"number"``, ``"string"``, ``"boolean"``) beside one typed column that holds it
    (``value_int``, ``value_float``, ``value_str``, ``value_bool``); an integer beyond 64 bits
    is ``"integer"`` with its decimal digits in ``value_str``. An ``int | float`` field such as
    ``scale_min`` is two columns, ``scale_min_int`` and ``scale_min_float``.
``subjects``
    One row per evidence item that has a subject: ``evidence_index``, ``evidence_id`` and the
    fields of `EvidenceSubject`, each prefixed ``subject_``.
``provenance``
    One row per evidence item that has provenance: ``evidence_index``, ``evidence_id`` and
    the fields of `Provenance`.

Everything else of the package (its own fields, organisations, activities, outcomes,
indicators, contributions, links) travels as JSON in the schema metadata of the
``evidence`` table, under `PACKAGE_KEY`; every table carries `LAYOUT_KEY` (the layout
version) and `TABLE_KEY` (its name).

The columns are computed from ``attrs.fields`` of the model classes, so a field added to
the model gets its column without a change here. This module imports pyarrow only inside
`arrow_schema`, so the layout can be read (and documented) without the extra.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, Final, Literal

import attrs
from attrs import frozen

from sharedoutcomes._optional import require
from sharedoutcomes.model import Evidence, EvidenceSubject, EvidenceValue, Provenance

__all__ = [
    "CARRIED_ELSEWHERE",
    "LAYOUT_KEY",
    "LAYOUT_VERSION",
    "PACKAGE_KEY",
    "TABLES",
    "TABLE_KEY",
    "VALUE_TYPES",
    "Column",
    "TableLayout",
    "arrow_schema",
    "layout",
]

LAYOUT_VERSION: Final = "1"
"""The version of the table layout; a reader refuses tables of another major version."""

LAYOUT_KEY: Final = b"sharedoutcomes.layout"
PACKAGE_KEY: Final = b"sharedoutcomes.package"
TABLE_KEY: Final = b"sharedoutcomes.table"

TableName = Literal["evidence", "values", "subjects", "provenance"]
TABLES: Final[tuple[TableName, ...]] = ("evidence", "values", "subjects", "provenance")

VALUE_TYPES: Final = ("boolean", "integer", "number", "string")
"""The dictionary of ``values.value_type``: the JSON type of each value."""

ArrowType = Literal["string", "int64", "float64", "bool", "date32", "value_type"]

CARRIED_ELSEWHERE: Final[Mapping[str, str]] = {
    "Evidence.values": "the values table",
    "Evidence.subject": "the subjects table",
    "Evidence.provenance": "the provenance table",
}
"""Model fields that are not a column of their class's table, and where they are."""


@frozen
class Column:
    """
    One column of the layout.

    Attributes:
        name: The column name.
        type: The Arrow type: ``string``, ``int64``, ``float64``, ``bool``, ``date32``, or
            ``value_type`` (a ``dictionary<int8, string>`` over `VALUE_TYPES`).
        field: The model field it holds (``"Evidence.period.start"``), or ``""`` for a key column.
        description: What it holds.
    """

    name: str
    type: ArrowType
    field: str
    description: str


@frozen
class TableLayout:
    """The columns of one table, in order."""

    name: TableName
    model: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(c.name for c in self.columns)


_KEYS: Final = {
    "evidence_index": Column("evidence_index", "int64", "", "The evidence item's position in the package, from 0."),
    "evidence_id": Column("evidence_id", "string", "Evidence.id", "The `id` of the evidence item."),
    "value_index": Column("value_index", "int64", "", "The value's position in its evidence's `values`, from 0."),
}


def _kind(annotation: Any) -> tuple[str, type[Any] | None]:
    """What an annotation is, for the layout: a scalar Arrow type, a number, a value, JSON, or a nested class."""
    args = set(typing.get_args(annotation)) if isinstance(annotation, types.UnionType) else {annotation}
    args.discard(type(None))
    if args == {int, float, str, bool}:
        return "scalar", None
    if args == {int, float}:
        return "number", None
    if len(args) == 1:
        (only,) = args
        if only is str:
            return "string", None
        if only is bool:
            return "bool", None
        if only is int:
            return "int64", None
        if only is float:
            return "float64", None
        if only is dt.date:
            return "date32", None
        if typing.get_origin(only) is Mapping or only is Mapping:
            return "json", None
        if attrs.has(only):
            return "nested", only
    msg = f"the columnar layout has no column type for {annotation!r}"  # a new kind of field: extend _kind
    raise TypeError(msg)


def _columns(cls: type[Any], *, prefix: str = "", owner: str = "") -> list[Column]:
    owner = owner or cls.__name__
    hints = typing.get_type_hints(cls)
    out: list[Column] = []
    for a in attrs.fields(cls):
        where = f"{owner}.{a.name}"
        if where in CARRIED_ELSEWHERE:
            continue
        description = str(a.metadata.get("description", "")) or a.name
        name = prefix + a.name
        kind, nested = _kind(hints[a.name])
        if kind == "scalar":
            out += [
                Column(f"{name}_type", "value_type", where, "The value's JSON type: " + ", ".join(VALUE_TYPES) + "."),
                Column(f"{name}_int", "int64", where, "The value, when it is an integer that fits in 64 bits."),
                Column(f"{name}_float", "float64", where, "The value, when it is a number that is not an integer."),
                Column(f"{name}_str", "string", where,
                       "The value, when it is a string; or the digits of an integer beyond 64 bits."),
                Column(f"{name}_bool", "bool", where, "The value, when it is a boolean."),
            ]
        elif kind == "number":
            out += [Column(f"{name}_int", "int64", where, description + " (when an integer)"),
                    Column(f"{name}_float", "float64", where, description + " (when not an integer)")]
        elif kind == "json":
            out.append(Column(name, "string", where, description + " (JSON text; null when empty)"))
        elif kind == "nested":
            assert nested is not None
            out += _columns(nested, prefix=f"{name}_", owner=where)
        else:
            out.append(Column(name, typing.cast("ArrowType", kind), where, description))
    return out


@cache
def layout() -> Mapping[TableName, TableLayout]:
    """
    The layout of every table, computed from the model.

    Example:
        >>> from sharedoutcomes.columnar._layout import layout
        >>> layout()["evidence"].names[:4]
        ('evidence_index', 'id', 'kind', 'summary')
        >>> [c.name for c in layout()["values"].columns if c.field == "EvidenceValue.value"]
        ['value_type', 'value_int', 'value_float', 'value_str', 'value_bool']
    """
    keyed = (_KEYS["evidence_index"], _KEYS["evidence_id"])
    return {
        "evidence": TableLayout("evidence", "Evidence", (_KEYS["evidence_index"], *_columns(Evidence))),
        "values": TableLayout("values", "EvidenceValue", (*keyed, _KEYS["value_index"], *_columns(EvidenceValue))),
        "subjects": TableLayout("subjects", "EvidenceSubject",
                                (*keyed, *_columns(EvidenceSubject, prefix="subject_"))),
        "provenance": TableLayout("provenance", "Provenance", (*keyed, *_columns(Provenance))),
    }


def _arrow_type(pa: Any, name: ArrowType) -> Any:
    if name == "value_type":
        return pa.dictionary(pa.int8(), pa.string())
    return {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_(),
            "date32": pa.date32()}[name]


def arrow_schema(table: TableName, *, package_json: str | None = None) -> Any:
    """
    The ``pyarrow.Schema`` of *table*, with the layout's metadata (and *package_json* on ``evidence``).

    Example:
        >>> from sharedoutcomes.columnar._layout import arrow_schema
        >>> schema = arrow_schema("values")
        >>> str(schema.field("value_type").type), schema.metadata[b"sharedoutcomes.layout"]
        ('dictionary<values=string, indices=int8, ordered=0>', b'1')
    """
    pa = require("pyarrow", extra="columnar", purpose="columnar evidence")
    metadata = {LAYOUT_KEY: LAYOUT_VERSION.encode(), TABLE_KEY: table.encode()}
    if package_json is not None:
        metadata[PACKAGE_KEY] = package_json.encode()
    fields = [pa.field(c.name, _arrow_type(pa, c.type), nullable=True) for c in layout()[table].columns]
    return pa.schema(fields, metadata=metadata)

