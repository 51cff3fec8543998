"""
The package `EvidenceTables` hold, built straight from their columns (`package_of`).

The reference route, `EvidenceTables.to_json_data` then cattrs' `from_json_data`, makes a JSON
object for every evidence item, value, subject and provenance and then structures each one.
Here each table's columns are read once, and the model objects are built from them:

- an object made of scalars only (an `EvidenceValue`, an `EvidenceSubject`, a `Period`) is built
  once per distinct row of its columns: the rows are grouped by their raw columns in Arrow (a
  Star export's 200,000 values are some hundred distinct ones), so equal rows share one frozen
  object, as `from_json_data`'s own memo and trusted structuring (`_structure`) share them. A row
  with a float is never shared (``-0.0`` equals ``0.0``, but is not the same value); the value's
  JSON type is a column of its own, so ``1`` and ``True`` are never one group;
- a column that is null in every row is not read at all, and a date column makes one
  ``datetime.date`` per distinct day;
- evidence items and provenance (one per source row) are built row by row.

Two modes. By default (``trusted=False``, what `EvidenceTables.to_package` uses) every object is
made by its class, so every attrs validator runs, as cattrs runs them; anything the fast route
does not take exactly as the reference does (a repeated ``evidence_index``, a value whose
evidence is missing, text that is not JSON, a validator that refuses a value …) makes
`package_of` return ``None`` and the caller takes the reference route, which then says what is
wrong exactly as it always has. ``trusted=True`` is for tables that `sharedoutcomes.columnar.validate`
has just found free of ``schema.*`` errors (the conversion route of the ``outcomes-star`` format):
their every field has passed the package schema, which states the constraints the attrs
validators check (both are made from the model's one field spec), so — as `build_result` does
with `_structure.build_package` after `validate_data` — the objects are made without re-running
them, and an absent ``extension_data`` is the shared empty one.
"""

from __future__ import annotations

import functools
import json
import re
import typing
from collections.abc import Callable, Iterator
from typing import Any, Final

import attrs

from sharedoutcomes._optional import require
from sharedoutcomes._structure import EMPTY_EXTENSION_DATA, build_package
from sharedoutcomes.columnar._fields import field_readers, in_item_order
from sharedoutcomes.columnar._layout import TableName
from sharedoutcomes.model import Evidence, EvidenceSubject, EvidenceValue, Package, Provenance
from sharedoutcomes.serialization import _FLAT, _copy_json, from_json_data

__all__ = ["package_of"]

_DIGITS: Final = re.compile(r"-?[0-9]+")
_CLASSES: Final[dict[TableName, type[Any]]] = {"evidence": Evidence, "values": EvidenceValue,
                                                "subjects": EvidenceSubject, "provenance": Provenance}
_CHILD: Final[dict[TableName, str]] = {"subjects": "subject", "provenance": "provenance"}
_REQUIRED: Final = object()


class _Irregular(Exception):  # a signal inside this module, never raised to a caller
    """Tables the fast route does not take exactly as the reference route does: the caller takes that one."""


def _pa() -> Any:
    return require("pyarrow", extra="columnar", purpose="columnar evidence")


def _pc() -> Any:
    return require("pyarrow.compute", extra="columnar", purpose="columnar evidence")


# -- columns → the values of each field ---------------------------------------------------------


def _scalars(table: Any, columns: tuple[str, ...]) -> list[Any]:
    """A ``value``-like field held in a type column and one typed column per JSON type (None: absent)."""
    kinds_column, ints_column = table.column(columns[0]), table.column(columns[1])
    kinds = {k for k in kinds_column.unique().to_pylist() if k is not None}
    if kinds == {"integer"} and kinds_column.null_count == 0 and ints_column.null_count == 0:
        return list(ints_column.to_pylist())  # the usual case: every value an integer of 64 bits
    kind_list, ints, floats, texts, bools = (table.column(c).to_pylist() for c in columns)
    out: list[Any] = []
    for kind, i, f, t, b in zip(kind_list, ints, floats, texts, bools, strict=True):
        if kind is None:
            out.append(None)
        elif kind == "boolean":
            out.append(b)
        elif kind == "number":
            out.append(f)
        elif kind == "string":
            out.append(t)
        elif i is not None or t is None:
            out.append(i)
        elif _DIGITS.fullmatch(t) is None:
            raise _Irregular  # the reference route says which column and row
        else:
            out.append(int(t))  # an integer beyond 64 bits, kept as its digits
    return out


def _numbers(table: Any, columns: tuple[str, str]) -> list[Any]:
    ints, floats = table.column(columns[0]), table.column(columns[1])
    if floats.null_count == table.num_rows:
        return list(ints.to_pylist())
    if ints.null_count == table.num_rows:
        return list(floats.to_pylist())
    return [i if i is not None else f for i, f in zip(ints.to_pylist(), floats.to_pylist(), strict=True)]


def _dates(column: Any) -> list[Any]:
    """A date column's values, one ``datetime.date`` per distinct day (immutable, so rows may share it)."""
    encoded = _pc().dictionary_encode(column).combine_chunks()
    days = [*encoded.dictionary.to_pylist(), None]
    return [days[i] for i in _pc().fill_null(encoded.indices, len(days) - 1).to_pylist()]


def _copier(value: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """A maker of deep copies of the JSON object *value*: quick for the usual extension data, objects of scalars."""
    def flat(x: Any) -> bool:
        return type(x) in _FLAT or (type(x) is dict and _FLAT.issuperset(map(type, x.values())))

    if not all(map(flat, value.values())):
        return functools.partial(_copy_json, value)
    if len(value) == 1:
        ((key, inner),) = value.items()
        if type(inner) is dict:
            return lambda: {key: inner.copy()}  # {"outcomes-star": {...}}: two dicts, no loop
    items = list(value.items())
    return lambda: {k: x.copy() if type(x) is dict else x for k, x in items}


def _json_objects(values: list[Any]) -> list[Any]:
    """Each JSON text's object, a new one per row (parsed once per distinct text, then copied)."""
    copiers: dict[str, Callable[[], dict[str, Any]]] = {}
    out: list[Any] = []
    for text in values:
        if text is None:
            out.append(None)
            continue
        copy = copiers.get(text)
        if copy is None:
            try:
                value = json.loads(text)
            except ValueError:
                raise _Irregular from None
            if type(value) is not dict:
                raise _Irregular  # JSON text, but not an object: the reference route says what is wrong
            copy = copiers[text] = _copier(value)
        out.append(copy())  # every item its own extension data, as the reference route gives
    return out


def _fields(table: Any, name: TableName) -> list[tuple[tuple[str, ...], list[Any]]]:
    """Each field with a value in some row: its path below the table's object, and its value in each row."""
    n = table.num_rows
    out: list[tuple[tuple[str, ...], list[Any]]] = []
    for parts, how, columns in field_readers(name):
        first = columns[0] if isinstance(columns, tuple) else columns
        if table.column(first).null_count == n and (
                how != "number" or table.column(columns[1]).null_count == n):
            continue  # absent from every row (a scalar's type column is null where the value is absent)
        if len(parts) > 2:  # the layout holds fields of an object and of one nested object
            raise _Irregular
        if how == "scalar":
            values = _scalars(table, columns)
        elif how == "number":
            values = _numbers(table, columns)
        elif how == "date":
            values = _dates(table.column(columns))
        else:
            values = table.column(columns).to_pylist()
            if how == "json":
                values = _json_objects(values)
        out.append((parts, values))
    return out


# -- making the objects -------------------------------------------------------------------------------


_MAKERS: Final[dict[tuple[type[Any], tuple[str, ...], bool], Callable[[tuple[Any, ...]], Any]]] = {}


def _row_maker(cls: type[Any], names: tuple[str, ...], *, trusted: bool) -> Callable[[tuple[Any, ...]], Any]:
    """
    A maker of *cls* from a row of its fields *names* (``None``: absent), generated once per class and fields.

    Untrusted, the class makes it (every attrs validator runs, as when cattrs structures it);
    trusted (checked tables only; see the module), it is made without them, each slot set directly.
    """
    key = (cls, names, trusted)
    made = _MAKERS.get(key)
    if made is None:
        made = _MAKERS[key] = _generate(cls, names, trusted=trusted)
    return made


def _generate(cls: type[Any], names: tuple[str, ...], *, trusted: bool) -> Callable[[tuple[Any, ...]], Any]:
    fields = {field.name: field for field in attrs.fields(cls)}
    arguments = [f"a{i}" for i in range(len(names))]
    lines = ["def make(row):"]
    if names:
        lines.append(f"    {', '.join(arguments)}, = row")
    namespace: dict[str, Any] = {"cls": cls, "new": object.__new__, "Irregular": _Irregular,
                                 "EMPTY": EMPTY_EXTENSION_DATA}
    if not trusted:
        lines.append("    kw = {}")
        lines += [f"    if {a} is not None: kw[{name!r}] = {a}" for a, name in zip(arguments, names, strict=True)]
        lines += ["    try:", "        return cls(**kw)", "    except (TypeError, ValueError):",
                  "        raise Irregular from None"]
    else:
        lines.append("    self = new(cls)")
        given = dict(zip(names, arguments, strict=True))
        for name, field in fields.items():
            namespace[f"set_{name}"] = vars(cls)[name].__set__
            default = field.default
            value = given.get(name)
            if default is attrs.NOTHING:
                lines += [f"    if {value or 'None'} is None: raise Irregular", f"    set_{name}(self, {value})"]
                continue
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                if not field.metadata.get("extension_data"):
                    msg = f"{cls.__name__}.{name}: trusted building knows no default factory but extension_data's"
                    raise TypeError(msg)
                missing = "EMPTY"
            else:
                namespace[f"default_{name}"] = default
                missing = f"default_{name}"
            lines.append(f"    set_{name}(self, {missing if value is None else f'{missing} if {value} is None else {value}'})")
        lines.append("    return self")
    exec(compile("\n".join(lines), f"<sharedoutcomes columnar {cls.__name__}>", "exec"), namespace)  # noqa: S102 - code generated from the model's own fields
    return typing.cast("Callable[[tuple[Any, ...]], Any]", namespace["make"])


def _nested_class(cls: type[Any], name: str) -> type[Any]:
    hint = typing.get_type_hints(cls)[name]
    found = [arg for arg in typing.get_args(hint) if attrs.has(arg)] if not attrs.has(hint) else [hint]
    if len(found) != 1:
        raise _Irregular
    return typing.cast("type[Any]", found[0])


def _objects(table: Any, name: TableName, *, trusted: bool, cls: type[Any] | None = None) -> list[Any]:
    """The object of each row of *table* (``None`` for a row with no field at all, a nested object absent)."""
    cls = cls or _CLASSES[name]
    fields = _fields(table, name)
    direct = [(parts[0], values) for parts, values in fields if len(parts) == 1]
    nested: dict[str, list[tuple[str, list[Any]]]] = {}
    for parts, values in fields:
        if len(parts) == 2:
            nested.setdefault(parts[0], []).append((parts[1], values))
    for attribute, members in nested.items():
        direct.append((attribute, _nested(members, _nested_class(cls, attribute), trusted=trusted)))
    make = _row_maker(cls, tuple(n for n, _ in direct), trusted=trusted)
    rows = zip(*(values for _, values in direct), strict=True) if direct else ([()] * table.num_rows)
    return list(map(make, rows))


def _nested(members: list[tuple[str, list[Any]]], cls: type[Any], *, trusted: bool) -> list[Any]:
    """A nested object (an evidence item's period) in each row: absent where all its fields are."""
    make = _row_maker(cls, tuple(n for n, _ in members), trusted=trusted)
    out: list[Any] = []
    memo: dict[tuple[Any, ...], Any] = {}
    for row in zip(*(values for _, values in members), strict=True):
        if all(v is None for v in row):
            out.append(None)
            continue
        key = (*row, *map(type, row))
        hit = memo.get(key)
        if hit is None:
            hit = make(row)
            if float not in key:
                memo[key] = hit
        out.append(hit)
    return out


def _groups(table: Any, name: TableName) -> tuple[list[int], list[int]]:
    """
    Rows of equal raw columns, found in Arrow: the group of each row, and the first row of each group.

    Each column is dictionary-encoded, and the codes are combined into one key per row as the digits
    of a number in mixed radix (re-encoded to fewer than *n* distinct keys before it could overflow).
    A row with a float in any column is a group of its own (``-0.0`` and ``0.0`` are not one value).
    """
    import numpy as np

    pa, pc = _pa(), _pc()
    n = table.num_rows
    columns = [c for _, _, cs in field_readers(name) for c in (cs if isinstance(cs, tuple) else (cs,))]
    key: Any = None
    radix = 1
    for column_name in columns:
        column = table.column(column_name)
        if column.null_count == n:
            continue
        encoded = pc.dictionary_encode(column).combine_chunks()
        size = len(encoded.dictionary) + 1  # the codes, and one more for null
        codes = pc.fill_null(encoded.indices.cast(pa.int64()), size - 1).to_numpy()
        if key is None:
            key, radix = codes, size
            continue
        if radix * size >= 2**62:  # the next digit could overflow: number the keys seen so far 0, 1, 2 …
            densed = pc.dictionary_encode(pa.array(key))
            key, radix = densed.indices.cast(pa.int64()).to_numpy(), len(densed.dictionary)
        key = key * size + codes
        radix *= size
    if key is None:
        return [0] * n, [0] if n else []
    floats = [table.column(c) for c in columns if pa.types.is_floating(table.schema.field(c).type)]
    floated = [pc.is_valid(c).to_numpy(zero_copy_only=False) for c in floats if c.null_count < n]
    if floated:
        key = np.where(np.logical_or.reduce(floated), -np.arange(1, n + 1, dtype=np.int64), key)
    keys = pa.array(key)
    encoded = pc.dictionary_encode(keys)
    groups = encoded.indices.to_pylist()
    firsts = pc.index_in(encoded.dictionary, value_set=keys).to_pylist()
    return groups, firsts


def _shared_objects(table: Any, name: TableName, *, trusted: bool) -> list[Any]:
    """The object of each row, one object per group of equal rows (see `_groups`)."""
    groups, firsts = _groups(table, name)
    built = _objects(table.take(firsts), name, trusted=trusted) if firsts else []
    return [built[g] for g in groups]


# -- the package ---------------------------------------------------------------------------------------


def _runs(owners: Any) -> Iterator[tuple[int, int]]:
    """The (owner, length) runs of a sorted column of owners (two lists zipped: no tuple kept per run)."""
    counts = _pc().value_counts(owners)  # in the order the owners first appear: the order of the runs
    return zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)


def _evidence(tables: Any, *, trusted: bool) -> tuple[Any, ...]:
    """The evidence items, in the evidence table's row order, as the reference route places them."""
    evidence = tables.evidence
    positions = evidence.column("evidence_index").to_pylist()
    where = {index: k for k, index in enumerate(positions)}
    if len(where) != len(positions):
        raise _Irregular  # a repeated evidence_index
    n = len(positions)
    children: dict[str, list[Any]] = {}
    values = tables.values
    per_item: list[Any] = [()] * n
    if values.num_rows:
        values = in_item_order(values)
        owners = values.column("evidence_index")
        objects = _shared_objects(values, "values", trusted=trusted)
        start = 0
        for owner, length in _runs(owners):
            k = where.get(owner)
            if k is None:
                raise _Irregular  # a value whose evidence item is not in the evidence table
            per_item[k] = tuple(objects[start:start + length])
            start += length
    for name, attribute in _CHILD.items():
        table = getattr(tables, name)
        slots: list[Any] = [None] * n
        if table.num_rows:
            objects = (_shared_objects(table, name, trusted=trusted) if name == "subjects"
                       else _objects(table, name, trusted=trusted))
            for owner, child in zip(table.column("evidence_index").to_pylist(), objects, strict=True):
                k = where.get(owner)
                if k is None:
                    raise _Irregular
                slots[k] = child  # a repeated evidence_index: the last row, as in the reference route
        children[attribute] = slots
    fields = _fields(evidence, "evidence")
    direct = [(parts[0], column) for parts, column in fields if len(parts) == 1]
    for attribute in {parts[0] for parts, _ in fields if len(parts) == 2}:
        members = [(parts[1], column) for parts, column in fields if len(parts) == 2 and parts[0] == attribute]
        direct.append((attribute, _nested(members, _nested_class(Evidence, attribute), trusted=trusted)))
    direct += [("values", per_item), *children.items()]
    make = _row_maker(Evidence, tuple(name for name, _ in direct), trusted=trusted)
    return tuple(map(make, zip(*(column for _, column in direct), strict=True)))


def package_of(tables: Any, *, trusted: bool = False) -> Package | None:
    """
    The package *tables* hold, equal to the reference route's; ``None`` where the reference route must say why not.

    See the module for *trusted*.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.columnar import from_package
        >>> package = sharedoutcomes.example_package()
        >>> package_of(from_package(package)) == package
        True
    """
    rest = tables.package_data
    rest.pop("evidence", None)
    try:
        items = _evidence(tables, trusted=trusted)
        if trusted:
            package = build_package(rest, owned=True)
            object.__setattr__(package, "evidence", items)
            return package
        shell = from_json_data(rest, Package)
        return attrs.evolve(shell, evidence=items)  # Package's own validators run on the whole, as cattrs runs them
    except Exception:  # irregular tables, or a package refused: the reference route says what and where
        return None
