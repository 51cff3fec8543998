"""Fuzzing the tables readers (issue 17): any CSV cells, any mutated workbook, only a result or a library error."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes import tables
from sharedoutcomes.exceptions import SharedOutcomesError

from ._mutate import byte_mutation, xml_mutation

CELL = st.sampled_from(["", "json:", "json:{", "json:null", "json:[1,", "=1+1", "inf", "NaN", "1e999", "-0",
                        "_parent_id", "_parent_row", "0", "-1", "99999999999999999999", "true", "\x00", "x" * 300,
                        "ev-shed-members-q4", "GB-SC-SC038977"]) | st.text(max_size=10)
SHEETS = st.sampled_from(["package", "organisations", "evidence", "evidence.values", "outcomes", "links", "notes"])


def _read(path: Path, format: str) -> None:
    try:
        result = sharedoutcomes.convert(path, format=format)
    except SharedOutcomesError:
        return
    assert result.coverage is not None
    for problem in result.problems:
        str(problem)


@given(st.dictionaries(SHEETS, st.lists(st.lists(CELL, max_size=8), max_size=6), min_size=1, max_size=4))
def test_any_csv_folder_is_a_result_or_a_library_error(files: dict[str, list[list[str]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        tables.to_csv(sharedoutcomes.example_package(), root)
        for name, rows in files.items():
            with (root / f"{name}.csv").open("a", encoding="utf-8", newline="", errors="replace") as handle:
                csv.writer(handle).writerows(rows)
        _read(root, "tables-csv")


def _workbook() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return tables.to_xlsx(sharedoutcomes.example_package(), Path(folder) / "p.xlsx").read_bytes()


WORKBOOK = _workbook()


@given(st.one_of(byte_mutation(WORKBOOK), xml_mutation(WORKBOOK)))
def test_any_mutated_workbook_is_a_result_or_a_library_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "package.xlsx"
        path.write_bytes(data)
        _read(path, "tables-xlsx")
