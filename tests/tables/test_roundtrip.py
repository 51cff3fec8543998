"""The tables round trip is lossless: CSV, XLSX and DataFrames give back the very same document."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import sharedoutcomes
from sharedoutcomes import tables
from sharedoutcomes.tables._cells import same
from sharedoutcomes.testing import packages

from .strategies import documents

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _assert_same(expected: Any, actual: Any) -> None:
    assert expected == actual
    assert same(expected, actual), "equal but of different JSON types (1 vs 1.0 vs True)"


@settings(max_examples=40)
@given(documents())
def test_dataframes_round_trip_any_document(document: dict[str, Any]) -> None:
    read = tables.read_dataframes(tables.to_dataframes(document))

    _assert_same(document, read.document)
    assert read.problems == ()


@settings(max_examples=60)
@given(documents())
def test_csv_round_trip_any_document(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tables.to_csv(document, folder)
        read = tables.read_csv(folder)

    _assert_same(document, read.document)
    assert read.problems == ()


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=30)
@given(documents())
def test_xlsx_round_trip_any_document(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = tables.to_xlsx(document, Path(folder) / "package.xlsx")
        read = tables.read_xlsx(path)

    _assert_same(document, read.document)
    assert read.problems == ()


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=10)
@given(packages(partial=True))
def test_valid_packages_convert_back_to_equal_packages(package: sharedoutcomes.Package) -> None:
    with tempfile.TemporaryDirectory() as folder:
        sharedoutcomes.write(package, Path(folder) / "p.xlsx", format="tables-xlsx")
        sharedoutcomes.write(package, Path(folder) / "csv", format="tables-csv")
        from_xlsx = sharedoutcomes.convert(Path(folder) / "p.xlsx", format="tables-xlsx")
        from_csv = sharedoutcomes.convert(Path(folder) / "csv", format="tables-csv")

    assert package == from_xlsx.package
    assert package == from_csv.package
    # A package that says it is partial (its conversion block, standard 0.2) is reported as such, and nothing else.
    partial = ["conversion.partial"] if package.conversion is not None and package.conversion.partial else []
    assert [p.rule for p in from_xlsx.problems] == [p.rule for p in from_csv.problems] == partial


@pytest.mark.parametrize("value", ["", "007", 7, 7.0, -0.0, True, None, [], {}, [[1, [2]], {"a": None}],
                                   "json:[]", "=1+1", "a\r\nb", 2**70, 1e-7])
def test_awkward_values_survive_every_format(value: Any, tmp_path: Path) -> None:
    document: dict[str, Any] = {
        "id": "p",
        "title": value,
        "extension_data": {"nacvs": value},
        "outcomes": [{"id": "o", "broader": value}],
        "evidence": [{"id": "e", "values": [{"code": "c", "value": value}]}],
    }

    tables.to_csv(document, tmp_path / "csv")
    tables.to_xlsx(document, tmp_path / "p.xlsx")

    for read in (tables.read_csv(tmp_path / "csv"), tables.read_xlsx(tmp_path / "p.xlsx"),
                 tables.read_dataframes(tables.to_dataframes(document))):
        _assert_same(document, read.document)
