"""How the layout's columns hold each model field: the readers both routes from tables to a package share."""

from __future__ import annotations

import functools
from typing import Any, Final, Literal

from sharedoutcomes.columnar._layout import Column, TableName, layout

__all__ = ["KEY_COLUMNS", "FieldReader", "field_parts", "field_readers", "in_item_order"]

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


def in_item_order(values: Any) -> Any:
    """
    The values table *values* sorted by evidence item, then by position in the item (as a package lists them).

    A table in that order already (what the readers write) is returned as it is: checking costs a
    pass over two integer columns, sorting 200,000 rows fourteen times that. The sort is stable,
    so rows with the same item and position keep their order either way.

    Example:
        >>> import pyarrow as pa
        >>> table = pa.table({"evidence_index": [1, 0, 0], "value_index": [0, 1, 0]})
        >>> in_item_order(table).to_pydict()
        {'evidence_index': [0, 0, 1], 'value_index': [0, 1, 0]}
        >>> in_item_order(in_item_order(table)).to_pydict()["value_index"]
        [0, 1, 0]
    """
    owners, positions = values.column("evidence_index"), values.column("value_index")
    if values.num_rows <= 1:
        return values
    if not owners.null_count and not positions.null_count:
        import numpy as np

        e, i = owners.to_numpy(), positions.to_numpy()
        if bool(np.all((e[1:] > e[:-1]) | ((e[1:] == e[:-1]) & (i[1:] >= i[:-1])))):
            return values
    return values.sort_by([("evidence_index", "ascending"), ("value_index", "ascending")])
