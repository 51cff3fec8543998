"""
`EvidenceTables`: a package's evidence as Arrow tables, and the lossless way there and back.

`from_package` flattens the evidence into the four tables of the layout (`_layout`) and puts the
rest of the package, as JSON, in the ``evidence`` table's schema metadata; `EvidenceTables.to_package`
builds the same package back (``==`` the original, and `sharedoutcomes.dumps` identical).
Parquet keeps the tables and their metadata, so package ⇄ Arrow ⇄ Parquet is lossless too.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any, Final

import attrs
from attrs import field, frozen

from sharedoutcomes._optional import require
from sharedoutcomes.columnar._build import package_of
from sharedoutcomes.columnar._fields import field_readers, in_item_order
from sharedoutcomes.columnar._layout import (
    LAYOUT_KEY,
    LAYOUT_VERSION,
    PACKAGE_KEY,
    TABLE_KEY,
    TABLES,
    TableName,
    arrow_schema,
    layout,
)
from sharedoutcomes.exceptions import InvalidDocument, SharedOutcomesError
from sharedoutcomes.model import Package
from sharedoutcomes.problems import Problem, Report
from sharedoutcomes.serialization import dump, from_json_data
from sharedoutcomes.validation import validate_data

__all__ = ["ColumnarError", "EvidenceTables", "evidence_items", "from_package", "package_json", "read_parquet",
           "with_evidence"]

_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1
_DIGITS: Final = re.compile(r"-?[0-9]+")
_CHILD: Final[Mapping[TableName, str]] = {"subjects": "subject", "provenance": "provenance"}


class ColumnarError(SharedOutcomesError, ValueError):
    """
    Tables that do not follow the layout, or a value the layout cannot hold; the message says which and where.

    Example:
        >>> str(ColumnarError("the values table has no column 'code'"))
        "the values table has no column 'code'"
    """


def _pa() -> Any:
    return require("pyarrow", extra="columnar", purpose="columnar evidence")


# -- package → tables ---------------------------------------------------------------------------------


def _int64(value: int, path: str) -> int:
    if _INT64_MIN <= value <= _INT64_MAX:
        return value
    msg = (f"{path}: the integer {value} does not fit in 64 bits, which the columnar layout holds; "
           "keep this package on the object path (sharedoutcomes.load)")
    raise ColumnarError(msg)


def _get(objects: list[Any], parts: tuple[str, ...]) -> list[Any]:
    """The field at *parts* of each object (``None`` where a nested object on the way is absent)."""
    values = list(map(attrgetter(parts[0]), objects))
    for part in parts[1:]:
        getter = attrgetter(part)
        values = [None if v is None else getter(v) for v in values]
    return values


def _checked_ints(values: list[Any], paths: Callable[[int], str], field_name: str) -> list[Any]:
    """*values* (integers or ``None``), or a `ColumnarError` at the first one beyond 64 bits."""
    present = [v for v in values if v is not None]
    if present and (min(present) < _INT64_MIN or max(present) > _INT64_MAX):
        k = next(k for k, v in enumerate(values) if v is not None and not _INT64_MIN <= v <= _INT64_MAX)
        _int64(values[k], f"{paths(k)}.{field_name}")
    return values


def _scalar_columns(base: str, values: list[Any]) -> dict[str, list[Any]]:
    """A value's JSON type and the one typed column that holds it (an integer beyond 64 bits as its digits)."""
    kinds = list(map(type, values))
    pairs = list(zip(values, kinds, strict=True))
    return {
        f"{base}_type": [_JSON_TYPES.get(k, "string") for k in kinds],
        f"{base}_int": [v if k is int and _INT64_MIN <= v <= _INT64_MAX else None for v, k in pairs],
        f"{base}_float": [v if k is float else None for v, k in pairs],
        f"{base}_str": [v if k is str else str(v) if k is int and not _INT64_MIN <= v <= _INT64_MAX else None
                        for v, k in pairs],
        f"{base}_bool": [v if k is bool else None for v, k in pairs],
    }


def _columns_of(name: TableName, objects: list[Any], paths: Callable[[int], str]) -> dict[str, list[Any]]:
    """The layout's columns of *name* (its key columns left out) for *objects*, one list per column."""
    data: dict[str, list[Any]] = {}
    types = {column.name: column.type for column in layout()[name].columns}
    for parts, how, columns in field_readers(name):  # the columns of each field, as the readers take them
        values = _get(objects, parts)
        if how == "scalar":
            data.update(_scalar_columns(columns[0][: -len("_type")], values))
        elif how == "number":
            ints = [v if v is not None and type(v) is not float else None for v in values]
            data[columns[0]] = _checked_ints(ints, paths, parts[-1])
            data[columns[1]] = [v if type(v) is float else None for v in values]
        elif how == "json":
            data[columns] = [json.dumps(v, ensure_ascii=False, allow_nan=False) if v else None for v in values]
        elif types[columns] == "int64":
            data[columns] = _checked_ints(values, paths, ".".join(parts))
        else:
            data[columns] = values
    return data


_JSON_TYPES: Final = {bool: "boolean", int: "integer", float: "number", str: "string"}


def _child_path(having: list[int], attribute: str) -> Callable[[int], str]:
    return lambda k: f"$.evidence[{having[k]}].{attribute}"


def package_json(package: Package) -> str:
    """The package without its evidence, as the JSON text the tables carry in their metadata."""
    data = dump(attrs.evolve(package, evidence=()))
    data.pop("evidence", None)
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def from_package(package: Package) -> EvidenceTables:
    """
    A package's evidence as Arrow tables; the rest of the package travels in their metadata.

    Raises:
        ColumnarError: An integer field (not a value) beyond 64 bits, which no column holds.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.columnar import from_package
        >>> package = sharedoutcomes.example_package()
        >>> tables = from_package(package)
        >>> tables.evidence.num_rows == len(package.evidence), tables.values.column_names[:3]
        (True, ['evidence_index', 'evidence_id', 'value_index'])
        >>> tables.to_package() == package
        True
    """
    pa = _pa()
    items = list(package.evidence)
    ids = [e.id for e in items]
    owners: list[int] = []
    positions: list[int] = []
    values: list[Any] = []
    for i, item in enumerate(items):
        n = len(item.values)
        if n:
            owners += [i] * n
            positions += range(n)
            values += item.values
    value_paths: Callable[[int], str] = lambda k: f"$.evidence[{owners[k]}].values[{positions[k]}]"  # noqa: E731
    tables: dict[str, Any] = {}
    evidence_columns = {"evidence_index": list(range(len(items))),
                        **_columns_of("evidence", items, lambda k: f"$.evidence[{k}]")}
    tables["evidence"] = pa.Table.from_pydict(evidence_columns, schema=arrow_schema(
        "evidence", package_json=package_json(package)))
    value_columns = {"evidence_index": owners, "evidence_id": [ids[i] for i in owners], "value_index": positions,
                     **_columns_of("values", values, value_paths)}
    tables["values"] = pa.Table.from_pydict(value_columns, schema=arrow_schema("values"))
    for name, attribute in _CHILD.items():
        having = [i for i, item in enumerate(items) if getattr(item, attribute) is not None]
        children = [getattr(items[i], attribute) for i in having]
        columns = {"evidence_index": having, "evidence_id": [ids[i] for i in having],
                   **_columns_of(name, children, _child_path(having, attribute))}
        tables[name] = pa.Table.from_pydict(columns, schema=arrow_schema(name))
    return EvidenceTables(**tables)


# -- tables → JSON → package --------------------------------------------------------------------------


def _json_rows(table: Any, name: TableName, rows: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Each row of *table* (or the *rows* given) as the JSON object of its model class, absent fields left out."""
    if rows is not None:
        table = table.take(rows)
    lists = {c: table.column(c).to_pylist() for c in table.column_names}
    n = table.num_rows
    out: list[dict[str, Any]] = [{} for _ in range(n)]
    for parts, how, columns in field_readers(name):
        if how == "scalar":
            kinds, ints, floats, texts, bools = (lists[c] for c in columns)
            for k in range(n):
                kind = kinds[k]
                if kind is None:
                    continue
                value = (bools[k] if kind == "boolean" else floats[k] if kind == "number"
                         else texts[k] if kind == "string" else ints[k] if ints[k] is not None
                         else None if texts[k] is None else _digits(texts[k], table, k, columns[3]))
                if value is not None:
                    _put(out[k], parts, value)
            continue
        if how == "number":
            ints, floats = lists[columns[0]], lists[columns[1]]
            for k in range(n):
                value = ints[k] if ints[k] is not None else floats[k]
                if value is not None:
                    _put(out[k], parts, value)
            continue
        values = lists[columns]
        for k in range(n):
            value = values[k]
            if value is None:
                continue
            if how == "json":
                value = _json(value, table, k, columns)
            elif how == "date":
                value = value.isoformat()
            _put(out[k], parts, value)
    return out


def _digits(text: str, table: Any, row: int, column: str) -> int:
    """An integer beyond 64 bits, kept as its decimal digits."""
    if _DIGITS.fullmatch(text) is None:
        msg = f"the {column} column at {_where(table, row)} holds {text[:40]!r}, not the digits of an integer"
        raise ColumnarError(msg)
    return int(text)


def _where(table: Any, row: int) -> str:
    if "evidence_index" in table.column_names:
        return f"evidence_index {table.column('evidence_index')[row].as_py()}"
    return f"row {row}"


def _json(text: str, table: Any, row: int, column: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        where = (f"evidence_index {table.column('evidence_index')[row].as_py()}"
                 if "evidence_index" in table.column_names else f"row {row}")
        msg = f"the {column} column at {where} is not JSON text: {text[:40]!r}"
        raise ColumnarError(msg) from None


def _put(target: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def evidence_items(tables: EvidenceTables, indexes: Iterable[int] | None = None) -> tuple[list[int], list[dict[str, Any]]]:
    """
    The evidence items (all, or those at the package positions *indexes*) as JSON objects, with their positions.

    Example:
        >>> import sharedoutcomes
        >>> tables = from_package(sharedoutcomes.example_package())
        >>> positions, items = evidence_items(tables, [1])
        >>> positions, items[0]["id"] == sharedoutcomes.example_package().evidence[1].id
        ([1], True)
    """
    pc = require("pyarrow.compute", extra="columnar", purpose="columnar evidence")
    pa = _pa()
    wanted = None if indexes is None else pa.array(sorted(set(indexes)), pa.int64())

    def rows(table: Any) -> Any:
        if wanted is None:
            return table
        return table.filter(pc.is_in(table.column("evidence_index"), value_set=wanted))

    evidence = rows(tables.evidence)
    items = _json_rows(evidence, "evidence")
    positions = evidence.column("evidence_index").to_pylist()
    where = {index: k for k, index in enumerate(positions)}
    values = rows(tables.values)
    if values.num_rows:
        values = in_item_order(values)
        for index, value in zip(values.column("evidence_index").to_pylist(), _json_rows(values, "values"),
                                strict=True):
            items[where[index]].setdefault("values", []).append(value)
    for name, attribute in _CHILD.items():
        table = rows(getattr(tables, name))
        for index, child in zip(table.column("evidence_index").to_pylist(), _json_rows(table, name), strict=True):
            items[where[index]][attribute] = child
    return positions, items


# -- the tables ---------------------------------------------------------------------------------------


def _conform(table: Any, name: TableName) -> Any:
    """*table* with the layout's columns, in order and of the layout's types, or a `ColumnarError` saying what is off."""
    pa = _pa()
    if not isinstance(table, pa.Table):
        msg = f"the {name} table must be a pyarrow.Table, not {type(table).__name__}"
        raise ColumnarError(msg)
    metadata = table.schema.metadata or {}
    version = metadata.get(LAYOUT_KEY)
    if version is not None and version.decode().split(".")[0] != LAYOUT_VERSION.split(".")[0]:
        msg = (f"the {name} table follows layout {version.decode()}; this version of sharedoutcomes reads "
               f"layout {LAYOUT_VERSION}")
        raise ColumnarError(msg)
    expected = layout()[name].names
    missing = [c for c in expected if c not in table.column_names]
    extra = [c for c in table.column_names if c not in expected]
    if missing or extra:
        said = "; ".join(part for part in (
            f"it has no column {', '.join(map(repr, missing))}" if missing else "",
            f"the layout has no column {', '.join(map(repr, extra))}" if extra else "") if part)
        msg = f"the {name} table does not follow layout {LAYOUT_VERSION}: {said}"
        raise ColumnarError(msg)
    package_text = metadata.get(PACKAGE_KEY)
    schema = arrow_schema(name, package_json=None if package_text is None else package_text.decode())
    table = table.select(list(expected))
    if table.schema.equals(schema, check_metadata=True):
        return table
    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as error:
        wrong = [f"{f.name} is {f.type}, not {schema.field(f.name).type}" for f in table.schema
                 if not f.type.equals(schema.field(f.name).type)]
        msg = f"the {name} table's columns are not of the layout's types ({'; '.join(wrong)}): {error}"
        raise ColumnarError(msg) from None


def _as_evidence(table: Any) -> Any:
    return _conform(table, "evidence")


def _as_values(table: Any) -> Any:
    return _conform(table, "values")


def _as_subjects(table: Any) -> Any:
    return _conform(table, "subjects")


def _as_provenance(table: Any) -> Any:
    return _conform(table, "provenance")


def _problem_tuple(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(problems)


@frozen(kw_only=True, eq=False)
class EvidenceTables:
    """
    A package's evidence as four Arrow tables (see the layout), with the rest of the package as JSON metadata.

    Attributes:
        evidence: One row per evidence item, in package order.
        values: One row per value.
        subjects: One row per evidence item that has a subject.
        provenance: One row per evidence item that has provenance.
        problems: Problems found while the tables were made (by a columnar reader); `validate`
            finds those of the evidence itself.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.columnar import from_package
        >>> tables = from_package(sharedoutcomes.example_package())
        >>> tables.to_polars()["values"].columns[:4]
        ['evidence_index', 'evidence_id', 'value_index', 'code']
    """

    evidence: Any = field(converter=_as_evidence)
    values: Any = field(converter=_as_values)
    subjects: Any = field(converter=_as_subjects)
    provenance: Any = field(converter=_as_provenance)
    problems: tuple[Problem, ...] = field(default=(), converter=_problem_tuple)

    @property
    def package_json(self) -> str:
        """The package without its evidence, as JSON text (``{}`` when the tables carry none)."""
        text = (self.evidence.schema.metadata or {}).get(PACKAGE_KEY)
        return "{}" if text is None else text.decode()

    @property
    def package_data(self) -> dict[str, Any]:
        """The package without its evidence, as JSON-ready data (a new dict each time)."""
        data: dict[str, Any] = json.loads(self.package_json)
        return data

    def tables(self) -> dict[TableName, Any]:
        """The four tables by name."""
        return {"evidence": self.evidence, "values": self.values, "subjects": self.subjects,
                "provenance": self.provenance}

    def to_json_data(self) -> dict[str, Any]:
        """
        The whole package as JSON-ready data, evidence included (as `sharedoutcomes.dump` writes it).

        Example:
            >>> import sharedoutcomes
            >>> from sharedoutcomes.columnar import from_package
            >>> package = sharedoutcomes.example_package()
            >>> from_package(package).to_json_data() == sharedoutcomes.dump(package)
            True
        """
        return with_evidence(self.package_data, evidence_items(self)[1])

    def to_package(self) -> Package:
        """
        The package the tables hold.

        Raises:
            InvalidDocument: The tables hold data that is not a valid package (``.report``
                says what and where; run `validate` for the same report without raising).
        """
        package = package_of(self)  # straight from the columns, every validator run; None: tables it leaves
        if package is not None:  # to the reference route below, which says what is wrong with them
            return package
        data = self.to_json_data()
        try:
            return from_json_data(data, Package)
        except Exception:  # cattrs' own errors: say instead what is wrong, where
            report = validate_data(data)
            if report.ok:
                raise
            raise InvalidDocument(report) from None

    def _checked_package(self) -> Package | None:
        """
        The package, for a converter whose tables `validate` has just found free of ``schema.*`` errors.

        The attrs validators are not re-run (see `columnar._build`: the schema has checked every
        field, as `build_result` trusts `validate_data`); ``None`` where only `to_package` can say.
        """
        return package_of(self, trusted=True)

    def to_polars(self) -> dict[TableName, Any]:
        """The four tables as Polars DataFrames (without copying: Polars reads Arrow memory)."""
        pl = require("polars", extra="columnar", purpose="columnar evidence as Polars DataFrames")
        return {name: pl.from_arrow(table, rechunk=False) for name, table in self.tables().items()}

    def to_pandas(self) -> dict[TableName, Any]:
        """
        The four tables as pandas DataFrames backed by Arrow (``pandas.ArrowDtype``: no copy, nulls kept as nulls).

        Example:
            >>> import sharedoutcomes
            >>> from sharedoutcomes.columnar import from_package
            >>> frames = from_package(sharedoutcomes.example_package()).to_pandas()
            >>> str(frames["evidence"]["id"].dtype)
            'string[pyarrow]'
        """
        pd = require("pandas", extra="analysis", purpose="columnar evidence as pandas DataFrames")
        return {name: table.to_pandas(types_mapper=pd.ArrowDtype) for name, table in self.tables().items()}

    def write_parquet(self, directory: str | os.PathLike[str]) -> Path:
        """
        Write the four tables as ``evidence.parquet``, ``values.parquet`` … in *directory* (made if needed).

        Example:
            >>> import sharedoutcomes, tempfile
            >>> from sharedoutcomes.columnar import from_package, read_parquet
            >>> package = sharedoutcomes.example_package()
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     read_parquet(from_package(package).write_parquet(folder)).to_package() == package
            True
        """
        pq = require("pyarrow.parquet", extra="columnar", purpose="writing Parquet")
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in self.tables().items():
            pq.write_table(table, folder / f"{name}.parquet")
        return folder

    def __repr__(self) -> str:
        return (f"<EvidenceTables: {self.evidence.num_rows} evidence, {self.values.num_rows} values, "
                f"{len(self.problems)} problems>")

    @property
    def report(self) -> Report:
        """The problems found while the tables were made, as a `Report`."""
        return Report(problems=self.problems)


def with_evidence(data: Mapping[str, Any], evidence: list[Any]) -> dict[str, Any]:
    """
    The package *data* with *evidence* in its place (members in the model's order).

    No evidence leaves the member out, unless *data* lists evidence (``"evidence": []``: a reader
    whose object converter always writes the list): it is then an empty list, as that converter gives it.
    """
    rest = dict(data)
    listed = rest.pop("evidence", None) is not None
    ordered: dict[str, Any] = {}
    for name in (a for a in _package_fields() if a in rest or a == "evidence"):
        if name == "evidence":
            if evidence or listed:
                ordered["evidence"] = evidence
        else:
            ordered[name] = rest.pop(name)
    ordered.update(rest)
    return ordered


def _package_fields() -> tuple[str, ...]:
    return tuple(a.name for a in attrs.fields(Package))


def read_parquet(directory: str | os.PathLike[str]) -> EvidenceTables:
    """
    Read the tables `EvidenceTables.write_parquet` wrote.

    Raises:
        ColumnarError: A table is missing, or does not follow the layout.
    """
    pq = require("pyarrow.parquet", extra="columnar", purpose="reading Parquet")
    folder = Path(directory)
    tables: dict[str, Any] = {}
    for name in TABLES:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            msg = f"{path}: no such file; a columnar package is four files: {', '.join(t + '.parquet' for t in TABLES)}"
            raise ColumnarError(msg)
        table = pq.read_table(path)
        stored = (table.schema.metadata or {}).get(TABLE_KEY)
        if stored is not None and stored.decode() != name:
            msg = f"{path}: holds the {stored.decode()} table, not the {name} table"
            raise ColumnarError(msg)
        tables[name] = table
    return EvidenceTables(**tables)

