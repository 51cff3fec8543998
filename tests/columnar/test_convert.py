"""`sharedoutcomes.columnar.convert`: the formats and options of `sharedoutcomes.convert`, into tables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest

import sharedoutcomes
from sharedoutcomes.exceptions import UnknownFormat, UnknownOption

pytest.importorskip("pyarrow")
pytest.importorskip("polars")

from sharedoutcomes import columnar
from sharedoutcomes.columnar import ColumnarRead, EvidenceTables, from_package
from sharedoutcomes.converters import Coverage


def _problems(problems: Any) -> list[tuple[Any, ...]]:
    return [(p.rule, p.severity, p.path, p.message, p.source) for p in problems]


def test_a_format_without_a_columnar_reader_is_read_by_its_converter() -> None:
    path = sharedoutcomes.example_package_path()
    result = columnar.convert(path, format="package")
    reference = sharedoutcomes.convert(path, format="package")
    assert not result.columnar
    assert result.to_package() == reference.package
    assert _problems(result.problems) == _problems(reference.problems)
    assert result.coverage == reference.coverage
    assert result.evidence.num_rows == len(reference.package.evidence)
    assert result.values.column_names[:3] == ["evidence_index", "evidence_id", "value_index"]


def test_unknown_formats_and_options_are_the_errors_of_convert() -> None:
    path = sharedoutcomes.example_package_path()
    with pytest.raises(UnknownFormat) as ours:
        columnar.convert(path, format="pakage")
    with pytest.raises(UnknownFormat) as theirs:
        sharedoutcomes.convert(path, format="pakage")
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(UnknownOption) as ours_option:
        columnar.convert(path, format="outcomes-star", edtion="4")
    with pytest.raises(UnknownOption) as theirs_option:
        sharedoutcomes.convert(path, format="outcomes-star", edtion="4")
    assert str(ours_option.value) == str(theirs_option.value)


def _split(tables: EvidenceTables, at: int) -> list[EvidenceTables]:
    """Two batches, as a streaming reader yields them (evidence_index counts across both)."""
    import pyarrow.compute as pc

    out = []
    for keep in (lambda c: pc.less(c, at), lambda c: pc.greater_equal(c, at)):
        parts = {name: table.filter(keep(table.column("evidence_index"))) for name, table in tables.tables().items()}
        out.append(EvidenceTables(**parts))
    return out


class _Streamed:
    """A reader's result whose problems and coverage are complete only once its batches are consumed."""

    def __init__(self, batches: list[EvidenceTables]) -> None:
        self._batches = batches
        self.problems: list[sharedoutcomes.Problem] = []
        self.coverage: Coverage | None = None

    def __iter__(self) -> Iterator[EvidenceTables]:
        yield from self._batches
        self.problems.append(sharedoutcomes.Problem(rule="conversion.not-read", severity="warning", path="$",
                                                    message="a footer line was not read"))
        self.coverage = Coverage(read={"rows": 9}, not_read={"footer": 1})


def test_a_registered_columnar_reader_is_used_and_its_batches_joined() -> None:
    package = sharedoutcomes.example_package()
    wrong = attrs.evolve(package.evidence[3], activity_id="act-none")
    package = attrs.evolve(package, evidence=(*package.evidence[:3], wrong, *package.evidence[4:]))
    calls: list[tuple[Any, dict[str, Any]]] = []

    def read_columnar(source: Any, /, **options: Any) -> _Streamed:
        calls.append((source, options))
        return _Streamed(_split(from_package(package), 2))

    columnar.register_columnar_reader("package", read_columnar)
    try:
        result = columnar.convert("ignored.json", format="package")
    finally:
        columnar.unregister_columnar_reader("package")
    assert result.columnar
    assert calls == [("ignored.json", {})]
    assert result.to_package() == package
    assert [p.rule for p in result.problems] == ["conversion.not-read", "ref-unresolved"]
    assert result.problems[1].path == "$.evidence[3].activity_id"
    assert result.coverage == Coverage(read={"rows": 9}, not_read={"footer": 1})
    assert columnar.columnar_reader("package") is None


def test_a_reader_that_returns_no_batch_is_an_error() -> None:
    columnar.register_columnar_reader("package", lambda source, **options: ColumnarRead())
    try:
        with pytest.raises(columnar.ColumnarError, match="returned no batch"):
            columnar.convert("x.json", format="package")
    finally:
        columnar.unregister_columnar_reader("package")


def test_a_named_reader_that_cannot_be_imported_is_a_plugin_error() -> None:
    from sharedoutcomes.converters import PluginError

    columnar.register_columnar_reader("package", "no_such_module_here:read")
    try:
        with pytest.raises(PluginError, match="no_such_module_here"):
            columnar.convert(sharedoutcomes.example_package_path(), format="package")
    finally:
        columnar.unregister_columnar_reader("package")
