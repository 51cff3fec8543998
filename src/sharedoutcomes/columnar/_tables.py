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
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from attrs import field, frozen

from sharedoutcomes._optional import require
from sharedoutcomes.columnar._layout import (
    LAYOUT_KEY,
    LAYOUT_VERSION,
    PACKAGE_KEY,
    TABLE_KEY,
    TABLES,
    Column,
    TableName,
    arrow_schema,
    layout,
)
from sharedoutcomes.exceptions import InvalidDocument, SharedOutcomesError
from sharedoutcomes.model import Package
from sharedoutcomes.problems import Problem, Report
from sharedoutcomes.serialization import dump, from_json_data

__all__ = ["ColumnarError", "EvidenceTables", "evidence_items", "from_package", "package_json", "read_parquet",
           "with_evidence"]

_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1
_KEY_COLUMNS: Final = frozenset({"evidence_index", "evidence_id", "value_index"})
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


def _parts(column: Column) -> tuple[str, ...]:
    """The field path below the table's own object: ``("period", "start")`` for ``Evidence.period.start``."""
    return tuple(column.field.split(".")[1:])


class _Sink:
    """The column lists of one table, filled row by row by getters derived from the layout."""

    def __init__(self, name: TableName) -> None:
        self.name = name
        self.columns = layout()[name].columns
        self.data: dict[str, list[Any]] = {c.name: [] for c in self.columns}
        self.fillers = self._fillers()

    def _fillers(self) -> list[Callable[[Any, str], None]]:
        fillers: list[Callable[[Any, str], None]] = []
        seen: set[str] = set()
        for column in self.columns:
            if column.name in _KEY_COLUMNS or column.field in seen:
                continue
            if column.type == "value_type" or (column.name.endswith("_int") and column.name[:-4] + "_float" in self.data):
                seen.add(column.field)
            fillers.append(self._filler(column))
        return fillers

    def _filler(self, column: Column) -> Callable[[Any, str], None]:
        parts = _parts(column)
        if column.type == "value_type":
            return self._scalar(column.name[: -len("_type")], parts)
        if column.name.endswith("_int") and column.name[:-4] + "_float" in self.data:
            return self._number(column.name[:-4], parts)
        out = self.data[column.name]
        name = parts[-1]
        kind = column.type

        def get(obj: Any) -> Any:
            for part in parts[:-1]:
                obj = getattr(obj, part)
                if obj is None:
                    return None
            return getattr(obj, name)

        if kind == "string" and column.field.endswith("extension_data"):
            def fill(obj: Any, path: str) -> None:
                value = get(obj)
                out.append(json.dumps(value, ensure_ascii=False, allow_nan=False) if value else None)
        elif kind == "int64":
            def fill(obj: Any, path: str) -> None:
                value = get(obj)
                out.append(None if value is None else _int64(value, f"{path}.{'.'.join(parts)}"))
        else:
            def fill(obj: Any, path: str) -> None:
                out.append(get(obj))
        return fill

    def _scalar(self, base: str, parts: tuple[str, ...]) -> Callable[[Any, str], None]:
        kinds, ints, floats, texts, bools = (self.data[f"{base}_{s}"] for s in ("type", "int", "float", "str", "bool"))
        name = parts[-1]

        def fill(obj: Any, path: str) -> None:
            value = getattr(obj, name)
            kind = type(value)
            if kind is bool:
                kinds.append("boolean"); ints.append(None); floats.append(None); texts.append(None); bools.append(value)  # noqa: E702
            elif kind is int:
                big = not _INT64_MIN <= value <= _INT64_MAX
                kinds.append("integer"); ints.append(None if big else value); floats.append(None)  # noqa: E702
                texts.append(str(value) if big else None); bools.append(None)  # noqa: E702
            elif kind is float:
                kinds.append("number"); ints.append(None); floats.append(value); texts.append(None); bools.append(None)  # noqa: E702
            else:
                kinds.append("string"); ints.append(None); floats.append(None); texts.append(value); bools.append(None)  # noqa: E702

        return fill

    def _number(self, base: str, parts: tuple[str, ...]) -> Callable[[Any, str], None]:
        ints, floats = self.data[f"{base}_int"], self.data[f"{base}_float"]
        name = parts[-1]

        def fill(obj: Any, path: str) -> None:
            value = getattr(obj, name)
            if value is None:
                ints.append(None); floats.append(None)  # noqa: E702
            elif type(value) is float:
                ints.append(None); floats.append(value)  # noqa: E702
            else:
                ints.append(_int64(value, f"{path}.{name}")); floats.append(None)  # noqa: E702

        return fill

    def add(self, obj: Any, path: str) -> None:
        for fill in self.fillers:
            fill(obj, path)

    def table(self, package_json: str | None = None) -> Any:
        pa = _pa()
        schema = arrow_schema(self.name, package_json=package_json)
        return pa.Table.from_pydict(self.data, schema=schema)


def package_json(package: Package) -> str:
    """The package without its evidence, as the JSON text the tables carry in their metadata."""
    data = dump(package)
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
    sinks = {name: _Sink(name) for name in TABLES}
    evidence, values, subjects, provenance = (sinks[n] for n in TABLES)
    for i, item in enumerate(package.evidence):
        path = f"$.evidence[{i}]"
        evidence.data["evidence_index"].append(i)
        evidence.add(item, path)
        for j, value in enumerate(item.values):
            values.data["evidence_index"].append(i)
            values.data["evidence_id"].append(item.id)
            values.data["value_index"].append(j)
            values.add(value, f"{path}.values[{j}]")
        for sink, attribute in ((subjects, "subject"), (provenance, "provenance")):
            child = getattr(item, attribute)
            if child is not None:
                sink.data["evidence_index"].append(i)
                sink.data["evidence_id"].append(item.id)
                sink.add(child, f"{path}.{attribute}")
    text = package_json(package)
    return EvidenceTables(evidence=evidence.table(text), values=values.table(), subjects=subjects.table(),
                          provenance=provenance.table())


# -- tables → JSON → package --------------------------------------------------------------------------


def _column_readers(name: TableName) -> list[tuple[tuple[str, ...], str, Any]]:
    """For each field of *name*'s table: its path below the table's object, how it is held, and its columns."""
    out: list[tuple[tuple[str, ...], str, Any]] = []
    seen: set[str] = set()
    names = {c.name for c in layout()[name].columns}
    for column in layout()[name].columns:
        if column.name in _KEY_COLUMNS or column.field in seen:
            continue
        parts = _parts(column)
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
    return out


def _json_rows(table: Any, name: TableName, rows: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Each row of *table* (or the *rows* given) as the JSON object of its model class, absent fields left out."""
    if rows is not None:
        table = table.take(rows)
    lists = {c: table.column(c).to_pylist() for c in table.column_names}
    n = table.num_rows
    out: list[dict[str, Any]] = [{} for _ in range(n)]
    for parts, how, columns in _column_readers(name):
        if how == "scalar":
            kinds, ints, floats, texts, bools = (lists[c] for c in columns)
            for k in range(n):
                kind = kinds[k]
                if kind is None:
                    continue
                value = (bools[k] if kind == "boolean" else floats[k] if kind == "number"
                         else texts[k] if kind == "string" else ints[k] if ints[k] is not None
                         else None if texts[k] is None else int(texts[k]))
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
        values = values.sort_by([("evidence_index", "ascending"), ("value_index", "ascending")])
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

    evidence: Any = field(converter=lambda t: _conform(t, "evidence"))
    values: Any = field(converter=lambda t: _conform(t, "values"))
    subjects: Any = field(converter=lambda t: _conform(t, "subjects"))
    provenance: Any = field(converter=lambda t: _conform(t, "provenance"))
    problems: tuple[Problem, ...] = field(default=(), converter=tuple)

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
        data = self.to_json_data()
        try:
            return from_json_data(data, Package)
        except Exception:  # cattrs' own errors: say instead what is wrong, where
            from sharedoutcomes.validation import validate_data

            report = validate_data(data)
            if report.ok:
                raise
            raise InvalidDocument(report) from None

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
    """The package *data* with *evidence* in its place (members in the model's order; none when it is empty)."""
    rest = dict(data)
    rest.pop("evidence", None)
    ordered: dict[str, Any] = {}
    for name in (a for a in _package_fields() if a in rest or a == "evidence"):
        if name == "evidence":
            if evidence:
                ordered["evidence"] = evidence
        else:
            ordered[name] = rest.pop(name)
    ordered.update(rest)
    return ordered


def _package_fields() -> tuple[str, ...]:
    import attrs

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

