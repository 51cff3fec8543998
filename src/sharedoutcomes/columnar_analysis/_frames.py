"""
The columnar tables as Polars frames: what the analyses read, whatever form the tables come in.

The analyses take the tables of the columnar layout (`sharedoutcomes.columnar`): an
``EvidenceTables`` (anything with ``evidence``, ``values``, ``subjects`` and ``provenance``
attributes), or a mapping of those names, each a ``pyarrow.Table`` or a ``polars.DataFrame``.
Polars wraps Arrow memory without copying where the types allow.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, cast

from attrs import frozen

from sharedoutcomes import columnar
from sharedoutcomes._optional import require
from sharedoutcomes.exceptions import SourceLocation
from sharedoutcomes.model import Package

if TYPE_CHECKING:
    import polars as pl

_NAMES: Final = ("evidence", "values", "subjects", "provenance")


def polars() -> Any:
    """Polars, or `MissingDependency` naming the extra that installs it."""
    return require("polars", extra="columnar", purpose="columnar analyses")


def dataframe(frame: object) -> pl.DataFrame:
    """*frame* as a Polars DataFrame for the type checker (the analyses import Polars on first use)."""
    return cast("pl.DataFrame", frame)


@frozen
class Frames:
    """The four tables of the layout as Polars frames, and the package's other parts (from the metadata)."""

    evidence: pl.DataFrame
    values: pl.DataFrame
    subjects: pl.DataFrame
    provenance: pl.DataFrame
    package: Mapping[str, Any]


def _get(tables: Any, name: str) -> Any:
    if isinstance(tables, Mapping):
        return tables.get(name)
    return getattr(tables, name, None)


def _package_json(table: Any) -> Mapping[str, Any]:
    schema = getattr(table, "schema", None)
    metadata = getattr(schema, "metadata", None) or {}
    text = metadata.get(columnar.PACKAGE_KEY)
    if not text:
        return {}
    data = json.loads(text)
    return data if isinstance(data, Mapping) else {}


def frames(tables: Any) -> Frames:
    """
    The tables as Polars frames (an ``EvidenceTables``, a mapping of table name → table, or a `Package`).

    A package is turned into tables first (`sharedoutcomes.columnar.from_package`).

    Raises:
        TypeError: *tables* has no ``evidence`` or ``values`` table.
    """
    pl = polars()
    if isinstance(tables, Package):
        tables = columnar.from_package(tables)
    found: dict[str, Any] = {}
    package: Mapping[str, Any] = _get(tables, "package_data") or {}
    for name in _NAMES:
        table = _get(tables, name)
        if table is None:
            if name in ("evidence", "values"):
                msg = (f"the columnar analyses need the {name!r} table of the columnar layout; pass the "
                       "result of sharedoutcomes.columnar.from_package or .convert, or a mapping of tables")
                raise TypeError(msg)
            found[name] = pl.DataFrame({"evidence_index": pl.Series([], dtype=pl.Int64)})
            continue
        if name == "evidence" and not package:
            package = _package_json(table)
        found[name] = table if isinstance(table, pl.DataFrame) else pl.from_arrow(table)
    return Frames(evidence=found["evidence"], values=found["values"], subjects=found["subjects"],
                  provenance=found["provenance"], package=package)


def python_value(row: Mapping[str, Any], prefix: str = "value") -> Any:
    """The JSON value a row of the values table holds (its ``value_type`` and typed columns), as Python."""
    kind = row.get(f"{prefix}_type")
    if kind == "integer":
        number = row.get(f"{prefix}_int")
        return number if number is not None else int(row[f"{prefix}_str"])
    if kind == "number":
        return row.get(f"{prefix}_float")
    if kind == "boolean":
        return row.get(f"{prefix}_bool")
    if kind == "string":
        return row.get(f"{prefix}_str")
    return None


def location(row: Mapping[str, Any]) -> SourceLocation | None:
    """The place in the original file a row's provenance columns give (as the object path reads it)."""
    if row.get("file") is None and row.get("row") is None:
        return None
    return SourceLocation(file=row.get("file"), sheet=row.get("sheet"), row=row.get("row"),
                          column=row.get("column"))


def with_subjects_and_provenance(found: Frames, evidence: pl.DataFrame) -> pl.DataFrame:
    """*evidence* with each item's subject (``subject_*``) and provenance location columns joined on."""
    pl = polars()
    subjects = found.subjects.select(
        [c for c in ("evidence_index", "subject_type", "subject_id", "subject_size") if c in found.subjects.columns])
    for column, dtype in (("subject_type", pl.String), ("subject_id", pl.String), ("subject_size", pl.Int64)):
        if column not in subjects.columns:
            subjects = subjects.with_columns(pl.lit(None, dtype=dtype).alias(column))
    provenance = found.provenance.select(
        [c for c in ("evidence_index", "file", "sheet", "row", "column") if c in found.provenance.columns])
    for column, dtype in (("file", pl.String), ("sheet", pl.String), ("row", pl.Int64), ("column", pl.String)):
        if column not in provenance.columns:
            provenance = provenance.with_columns(pl.lit(None, dtype=dtype).alias(column))
    return (evidence.join(subjects, on="evidence_index", how="left")
            .join(provenance, on="evidence_index", how="left"))
