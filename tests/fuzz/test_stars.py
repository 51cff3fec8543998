"""Fuzzing the Outcomes Star reader (issue 17): any CSV text, any mutated workbook, only a result or a library error."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.exceptions import SharedOutcomesError
from sharedoutcomes.stars import get_star, sample_path

from ._mutate import byte_mutation, xml_mutation

RECOVERY = get_star("recovery-star", "4")
HEADER = ["Service user ID", "Reading date", "Star", "Edition", "Name", *(a.label for a in RECOVERY.areas)]
ODD = st.sampled_from(["", " ", "inf", "-inf", "NaN", "nan", "1e999", "²", "٣", "3.5", "-1", "11", "0", "007",
                       "31/04/2024", "29/02/2023", "00/00/0000", "2024-13-01", "99999", "45385", "Total readings: 9",
                       "Recovery Star", "4th", "v3.1", "943 476 5919", "Jane Smith", "=1+1", "'=1+1", "\x00", "\r",
                       "𝟘", "x" * 300])
CELL = ODD | st.text(max_size=12)


def _convert(path: Path) -> None:
    try:
        result = sharedoutcomes.convert(path, format="outcomes-star", organisation_id="GB-CHC-1234567",
                                        today="2025-06-30")
    except SharedOutcomesError:
        return
    assert result.coverage is not None
    for problem in result.problems:
        str(problem)  # every message renders


@given(st.lists(st.lists(CELL, max_size=len(HEADER) + 2), max_size=8), st.booleans())
def test_any_csv_is_a_result_or_a_library_error(rows: list[list[str]], with_header: bool) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    if with_header:
        writer.writerow(HEADER)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_text(out.getvalue(), encoding="utf-8", errors="replace")
        _convert(path)


@given(st.binary(max_size=400))
def test_any_bytes_named_csv_are_a_result_or_a_library_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(b"Service user ID,Reading date,Star,Edition,Home\r\n" + data)
        _convert(path)


def _workbook() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        result = sharedoutcomes.convert(sample_path(), format="outcomes-star", today="2025-06-30")
        target = Path(folder) / "readings.xlsx"
        sharedoutcomes.write(result.package, target, format="outcomes-star")
        return target.read_bytes()


WORKBOOK = _workbook()


@given(st.one_of(byte_mutation(WORKBOOK), xml_mutation(WORKBOOK)))
def test_any_mutated_workbook_is_a_result_or_a_library_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "readings.xlsx"
        path.write_bytes(data)
        _convert(path)
