"""How the layout's columns hold each model field: the readers both routes from tables to a package share."""

from __future__ import annotations

import functools
from typing import Any, Final, Literal

from sharedoutcomes.columnar._layout import Column, TableName, layout

__all__ = ["KEY_COLUMNS", "FieldReader", "field_parts", "field_readers"]

KEY_COLUMNS: Final = frozenset({"evidence_index", "evidence_id", "value_index"})
"""The columns that place a row (its evidence, its position), rather than hold a field."""

How = Literal["scalar", "number", "json", "date", "plain"]
FieldReader = tuple[tuple[str, ...], How, Any]
"""A field's path below its table's object, how its columns hold it, and its column (or columns)."""


def field_parts(column: Column) -> tuple[str, ...]:
    """The field path below the table's own object: ``("period", "start")`` for ``Evidence.period.start``."""
    return tuple(column.field.split(".")[1:])


@functools.cache
def field_readers(name: TableName) -> tuple[FieldReader, ...]:
    """
    For each field of *name*'s table: its path below the table's object, how it is held, and its columns.

    Example:
        >>> field_readers("values")[1]
        (('value',), 'scalar', ('value_type', 'value_int', 'value_float', 'value_str', 'value_bool'))
    """
    out: list[FieldReader] = []
    seen: set[str] = set()
    names = {c.name for c in layout()[name].columns}
    for column in layout()[name].columns:
        if column.name in KEY_COLUMNS or column.field in seen:
            continue
        parts = field_parts(column)
        if column.type == "value_type":
            seen.add(column.field)
            base = column.name[: -len("_type")]
            out.append((parts, "scalar", tuple(f"{base}_{s}" for s in ("type", "int", "float", "str", "bool"))))
        elif column.name.endswith("_int") and column.name[:-4] + "_float" in names:
            seen.add(column.field)
            out.append((parts, "number", (column.name, column.name[:-4] + "_float")))
        elif column.field.endswith("extension_data"):
            out.append((parts, "json", column.name))
        elif column.type == "date32":
            out.append((parts, "date", column.name))
        else:
            out.append((parts, "plain", column.name))
    return tuple(out)
