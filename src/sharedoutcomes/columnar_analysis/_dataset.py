"""
A partitioned Parquet dataset of columnar evidence: a folder of parts, each the four tables of some evidence.

``write_dataset`` cuts the tables by evidence position into parts of at most
*evidence_per_part* evidence items; each part is a folder ``part-00000`` … holding the four
tables (``evidence.parquet``, ``values.parquet``, ``subjects.parquet``, ``provenance.parquet``,
as `sharedoutcomes.columnar.EvidenceTables.write_parquet` writes them), so the *n*-th
partition of every table holds the same evidence items, with their positions in the whole
package (``evidence_index``). ``dataset.json`` lists the parts and the positions they hold.
Any one part can be read on its own with `sharedoutcomes.columnar.read_parquet`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from sharedoutcomes import columnar
from sharedoutcomes._optional import require
from sharedoutcomes.exceptions import SharedOutcomesError
from sharedoutcomes.model import Package

MANIFEST: Final = "dataset.json"
"""The file of a dataset that lists its parts."""
TABLE_NAMES: Final = ("evidence", "values", "subjects", "provenance")


class DatasetError(SharedOutcomesError, ValueError):
    """A folder is not a dataset `write_dataset` wrote (no manifest, a part missing, another layout)."""


@frozen
class Part:
    """One part of a dataset: its folder, and the first and last evidence positions it holds."""

    path: Path
    first: int
    last: int
    evidence: int
    values: int


@frozen
class Dataset:
    """
    A partitioned Parquet dataset of columnar evidence (see `write_dataset`).

    Attributes:
        directory: The dataset's folder.
        parts: Its parts, in evidence order.
        package_json: The package without its evidence, as JSON text (as every part carries it).
    """

    directory: Path
    parts: tuple[Part, ...]
    package_json: str

    @property
    def evidence_count(self) -> int:
        """How many evidence items the dataset holds."""
        return sum(part.evidence for part in self.parts)

    @property
    def value_count(self) -> int:
        """How many values the dataset holds."""
        return sum(part.values for part in self.parts)

    def files(self, table: str) -> list[str]:
        """The Parquet file of *table* in every part, in order."""
        return [str(part.path / f"{table}.parquet") for part in self.parts]

    def frame(self, table: str) -> Any:
        """
        One table as a Dask DataFrame: one partition per part, Arrow-backed columns.

        Example:
            >>> import sharedoutcomes, tempfile
            >>> from sharedoutcomes.columnar_analysis import write_dataset
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     dataset = write_dataset(sharedoutcomes.example_package(), folder, evidence_per_part=2)
            ...     frame = dataset.frame("values")
            ...     frame.npartitions, len(frame.compute())
            (6, 20)
        """
        dd = require("dask.dataframe", extra="dask", purpose="reading a dataset with Dask", distribution="dask")
        schema = columnar.arrow_schema(table)  # type: ignore[arg-type]
        meta = schema.empty_table().to_pandas(types_mapper=_arrow_dtype)
        return dd.from_map(read_part, self.files(table), meta=meta, enforce_metadata=False,
                           label=f"read-{table}")

    def __repr__(self) -> str:
        return f"<Dataset {self.directory}: {self.evidence_count} evidence, {self.value_count} values, " \
               f"{len(self.parts)} parts>"


def _tables_of(source: Any) -> Any:
    if isinstance(source, Package):
        return columnar.from_package(source)
    return source


def write_dataset(tables: Any, directory: str | os.PathLike[str], *, evidence_per_part: int = 100_000) -> Dataset:
    """
    Write columnar evidence (or a package) as a partitioned Parquet dataset in *directory*.

    Each part holds at most *evidence_per_part* evidence items and all their values, subjects and
    provenance, which bounds the memory a Dask worker needs for one task.

    Raises:
        ValueError: *evidence_per_part* is below 1.
        DatasetError: *directory* already holds a dataset (write to a new folder).

    Example:
        >>> import sharedoutcomes, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     write_dataset(sharedoutcomes.example_package(), folder, evidence_per_part=2).parts[1].first
        2
    """
    if evidence_per_part < 1:
        msg = f"evidence_per_part must be at least 1, not {evidence_per_part}"
        raise ValueError(msg)
    pc = require("pyarrow.compute", extra="columnar", purpose="writing a dataset", distribution="pyarrow")
    tables = _tables_of(tables)
    folder = Path(directory)
    if (folder / MANIFEST).exists():
        msg = f"{folder} already holds a dataset ({MANIFEST}); write to a new folder"
        raise DatasetError(msg)
    folder.mkdir(parents=True, exist_ok=True)
    positions = tables.evidence.column("evidence_index").to_pylist()
    cuts = [positions[i:i + evidence_per_part] for i in range(0, len(positions), evidence_per_part)] or [[]]
    parts = []
    for number, chunk in enumerate(cuts):
        wanted = {}
        for name in TABLE_NAMES:
            table = getattr(tables, name)
            if chunk:
                index = table.column("evidence_index")
                keep = pc.and_(pc.greater_equal(index, chunk[0]), pc.less_equal(index, chunk[-1]))
                table = table.filter(keep)
            wanted[name] = table
        part = columnar.EvidenceTables(**wanted)
        path = part.write_parquet(folder / f"part-{number:05d}")
        parts.append(Part(path=path, first=chunk[0] if chunk else 0, last=chunk[-1] if chunk else -1,
                          evidence=part.evidence.num_rows, values=part.values.num_rows))
    manifest = {"layout": columnar.LAYOUT_VERSION,
                "parts": [{"path": p.path.name, "first": p.first, "last": p.last, "evidence": p.evidence,
                           "values": p.values} for p in parts]}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return Dataset(directory=folder, parts=tuple(parts), package_json=tables.package_json)


def read_dataset(directory: str | os.PathLike[str]) -> Dataset:
    """
    Open a dataset `write_dataset` wrote (the tables are read only when an analysis or check runs).

    Raises:
        DatasetError: *directory* has no ``dataset.json``, names a missing part, or is of another layout.

    Example:
        >>> import sharedoutcomes, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = write_dataset(sharedoutcomes.example_package(), folder, evidence_per_part=4)
        ...     read_dataset(folder).evidence_count
        11
    """
    folder = Path(directory)
    path = folder / MANIFEST
    if not path.is_file():
        msg = f"{folder}: not a dataset (no {MANIFEST}); write one with write_dataset"
        raise DatasetError(msg)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        layout = manifest["layout"]
        listed = manifest["parts"]
        parts = tuple(Part(path=folder / entry["path"], first=int(entry["first"]), last=int(entry["last"]),
                           evidence=int(entry["evidence"]), values=int(entry["values"])) for entry in listed)
    except (ValueError, KeyError, TypeError) as error:
        msg = f"{path}: not a dataset manifest ({error.__class__.__name__}: {error})"
        raise DatasetError(msg) from None
    if str(layout).split(".")[0] != columnar.LAYOUT_VERSION.split(".")[0]:
        msg = f"{path}: layout {layout!r}, but this version reads layout {columnar.LAYOUT_VERSION}"
        raise DatasetError(msg)
    for part in parts:
        for name in TABLE_NAMES:
            if not (part.path / f"{name}.parquet").is_file():
                msg = f"{part.path / (name + '.parquet')}: missing; the dataset is incomplete"
                raise DatasetError(msg)
    pq = require("pyarrow.parquet", extra="columnar", purpose="reading a dataset", distribution="pyarrow")
    first = parts[0].path / "evidence.parquet" if parts else None
    metadata: Mapping[bytes, bytes] = (pq.read_schema(first).metadata or {}) if first is not None else {}
    package_json = metadata.get(columnar.PACKAGE_KEY, b"{}").decode()
    return Dataset(directory=folder, parts=parts, package_json=package_json)


def _arrow_dtype(arrow_type: Any) -> Any:
    pd = require("pandas", extra="analysis", purpose="running on Dask")
    return pd.ArrowDtype(arrow_type)


def read_part(path: str) -> Any:
    """One table of one part as a pandas DataFrame with Arrow-backed columns (no copy, nulls kept)."""
    pq = require("pyarrow.parquet", extra="columnar", purpose="reading a dataset", distribution="pyarrow")
    return pq.read_table(path).to_pandas(types_mapper=_arrow_dtype)


def part_tables(frames: Mapping[str, Any], package_json: str) -> Any:
    """The `EvidenceTables` of one partition (pandas DataFrames, as Dask hands them over), with the package."""
    pa = require("pyarrow", extra="columnar", purpose="columnar evidence")
    tables = {}
    for name in TABLE_NAMES:
        frame = frames[name]
        schema = columnar.arrow_schema(name, package_json=package_json if name == "evidence" else None)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        tables[name] = table.select(schema.names).cast(schema)
    return columnar.EvidenceTables(**tables)
