"""
Survey exports through `sharedoutcomes.columnar.convert`: the ``survey`` format's package, problems and coverage.

A CSV export on disk is read by the columnar survey reader (`surveys/_columnar.py`): its data
rows in chunks, good rows by column and the others through the object reader's path for one row.
Everything else (a file object, XLSX, an export with no instrument) goes through the object
reader and `from_package`. Either way it must come out exactly as `sharedoutcomes.convert` gives
it: on the fixture, on hand-made messy exports, and on Hypothesis-made ones, in one batch and in
chunks small enough that every export spans several.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow")

import sharedoutcomes
from sharedoutcomes import columnar
from sharedoutcomes.columnar import ColumnarError
from sharedoutcomes.surveys._columnar import SurveyColumnarRead, read_columnar
from tests.fuzz.test_surveys import exports

DATA = Path(__file__).parent.parent / "surveys" / "data"
FIXTURE = DATA / "swemwbs-befriending.csv"
TODAY = "2025-06-30"
MESSY = (b"Survey export\n\nClient ref,Date,Satis,Worth,Happy,Anxious,Name\n"
         b"SP-0001,02/05/2024,6,7,5,8,\nSP-0002,31/02/2024,6,7,5,8,\nSP 3,02/05/2024,11,x,,8,Jane Smith\n"
         b"Total,,,,,,\n")
GAD = "Person ID,Date,GAD7 1,GAD7 2,GAD7 3,GAD7 4,GAD7 5,GAD7 6,GAD7 7"


def _dumped(package: Any) -> dict[str, Any]:
    data = sharedoutcomes.dump(package)
    data.pop("produced")
    return data


def _same(source: Any, *, chunk_bytes: int | None = None, columnar_read: bool | None = None, **options: Any) -> Any:
    """`columnar.convert` gives `convert`'s package, problems and coverage (read in chunks of *chunk_bytes*)."""
    options.setdefault("today", TODAY)
    expected = sharedoutcomes.convert(source() if callable(source) else source, format="survey", **options)
    original = SurveyColumnarRead.chunk_bytes
    if chunk_bytes is not None:
        SurveyColumnarRead.chunk_bytes = chunk_bytes
    try:
        got = columnar.convert(source() if callable(source) else source, format="survey", **options)
        read = read_columnar(source() if callable(source) else source, **options)
        batches = [] if read is None else list(read)
    finally:
        SurveyColumnarRead.chunk_bytes = original
    assert _dumped(got.to_package()) == _dumped(expected.package)
    assert [str(p) for p in got.problems] == [str(p) for p in expected.problems]
    assert list(got.problems) == list(expected.problems)
    assert got.coverage == expected.coverage
    if columnar_read is not None:
        assert got.columnar is columnar_read
        assert (read is not None) is columnar_read
    return batches


def _write(tmp_path: Path, text: str | bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


@pytest.mark.parametrize("chunk_bytes", [None, 64, 300], ids=["one batch", "64 bytes", "300 bytes"])
@pytest.mark.parametrize("organisation", [None, "GB-SC-SC012345"])
def test_the_fixture_reads_as_the_survey_format_reads_it(chunk_bytes: int | None, organisation: str | None) -> None:
    options = {"organisation_id": organisation} if organisation else {}
    batches = _same(FIXTURE, chunk_bytes=chunk_bytes, columnar_read=True, **options)
    if chunk_bytes == 64:
        assert len(batches) > 3  # several batches: the checks across rows carried over


def test_the_validation_locates_its_problems_at_the_cell(tmp_path: Path) -> None:
    result = columnar.convert(FIXTURE, format="survey", today=TODAY, organisation_id="GB-SC-SC012345")
    mismatch = next(p for p in result.problems if p.rule == "instrument.total-mismatch")
    assert (mismatch.source.row, mismatch.source.column) == (16, "L")  # type: ignore[union-attr]
    assert result.columnar


def test_a_file_object_and_a_messy_export_give_the_same_problems_and_coverage(tmp_path: Path) -> None:
    _same(lambda: io.BytesIO(MESSY), organisation_id="GB-SC-SC012345", columnar_read=False)
    _same(_write(tmp_path, MESSY), organisation_id="GB-SC-SC012345", columnar_read=True)
    _same(_write(tmp_path, MESSY), organisation_id="GB-SC-SC012345", chunk_bytes=40)


@pytest.mark.parametrize("chunk_bytes", [None, 50])
def test_repeats_across_chunks_are_duplicates_or_conflicts_as_convert_says(tmp_path: Path,
                                                                          chunk_bytes: int | None) -> None:
    rows = [GAD, *(f"P-{n % 7},0{1 + n % 3}/05/2024,{n % 4},1,2,3,0,1,{(n // 7) % 4}" for n in range(30))]
    rows += [rows[1], rows[3], rows[25]]  # exact repeats, chunks after the first
    path = _write(tmp_path, "\n".join(rows) + "\n")
    _same(path, chunk_bytes=chunk_bytes, organisation_id="GB-SC-SC012345", columnar_read=True)
    result = columnar.convert(path, format="survey", today=TODAY)
    rules = {p.rule for p in result.problems}
    assert {"survey.duplicate-response", "survey.conflicting-response"} <= rules


@pytest.mark.parametrize("text", [
    # ragged rows: short, long (a cell beyond the header), a blank line, quoted fields with newlines
    GAD + "\nP-1,02/05/2024,1,2\nP-2,02/05/2024,1,2,3,0,1,2,1,extra\n\nP-3,\"02/05/2024\",\"1\",2,3,0,1,2,1\n",
    GAD + ",Comments\nP-1,02/05/2024,1,2,3,0,1,2,1,\"a\nnote\"\nP-2,02/05/2024,1,2,3,0,1,2,1,\n",
    # cells with spaces around them, Unicode digits, a float total, NUL-free odd text, a future date
    GAD + ",GAD7 total\nP-1 , 02/05/2024 , 1 ,2,3,0,1,2,1, 10.0\nP-2,02/05/2030,1,2,3,0,1,2,1,10\n"
          "P-3,2 May 2024,\u0663,2,3,0,1,2,1,12.5\nP-4,45414,1,2,3,0,1,2,1,1e3\nP-5,02/05/2024,1,2,3,0,1,2,1,1e17\n"
          "P-6,02/05/2024,1,2,3,0,1,2,1,1e17\n",
    # an empty-headed column with cells, one without, and a title above the header
    "Wellbeing export\n" + GAD + ",,\nP-1,02/05/2024,1,2,3,0,1,2,1,x,\nP-2,02/05/2024,1,2,3,0,1,2,1,,\n",
    # semicolons, and an apostrophe-quoted cell read as it stands
    GAD.replace(",", ";") + "\n'P-1;02/05/2024;1;2;3;0;1;2;1\nP-2;02/05/2024;1;2;3;0;1;2;1\n",
    # CRLF line ends
    (GAD + "\nP-1,02/05/2024,1,2,3,0,1,2,1\nP-2,03/05/2024,0,0,0,0,0,0,0\n").replace("\n", "\r\n"),
], ids=["ragged", "quoted newline", "odd cells", "empty headings", "semicolons", "crlf"])
@pytest.mark.parametrize("chunk_bytes", [None, 30])
def test_messy_exports_read_as_convert_reads_them(tmp_path: Path, text: str, chunk_bytes: int | None) -> None:
    _same(_write(tmp_path, text), chunk_bytes=chunk_bytes, organisation_id="GB-SC-SC012345", columnar_read=True)


def test_encodings_are_decided_on_the_whole_file_as_convert_decides_them(tmp_path: Path) -> None:
    rows = GAD + "\n" + "\n".join(f"P-{n},02/05/2024,1,2,3,0,1,2,1" for n in range(200)) + "\nP-é,02/05/2024,1\n"
    _same(_write(tmp_path, rows.encode("cp1252"), "cp1252.csv"), chunk_bytes=100)  # not UTF-8 only at the end
    _same(_write(tmp_path, b"\xef\xbb\xbf" + rows.encode("utf-8"), "bom.csv"), chunk_bytes=100, columnar_read=True)


def test_exports_the_columns_cannot_be_read_from_go_through_the_object_reader(tmp_path: Path) -> None:
    _same(_write(tmp_path, "Person ID,Date,Mood\nP-1,02/05/2024,3\n"), columnar_read=False)  # no instrument
    _same(_write(tmp_path, "Person ID,Date,Mood\nP-1,02/05/2024,3\n"), instrument="gad7", columnar_read=False)
    _same(_write(tmp_path, ""), columnar_read=False)
    _same(_write(tmp_path, "Note\rline\n" + GAD + "\nP-1,02/05/2024,1,2,3,0,1,2,1\n"), columnar_read=False)


def test_an_export_of_blank_rows_gives_one_empty_batch(tmp_path: Path) -> None:
    batches = _same(_write(tmp_path, GAD + "\n,,,,,,,,\n,,,,,,,,\n"), columnar_read=True)
    assert [b.evidence.num_rows for b in batches] == [0]


def test_a_total_too_large_for_the_layout_is_refused_as_from_package_refuses_it(tmp_path: Path) -> None:
    path = _write(tmp_path, GAD + ",GAD7 total\nP-1,02/05/2024,1,2,3,0,1,2,1,1e20\n")
    with pytest.raises(ColumnarError, match=r"\$\.evidence\[0\]\.values\[7\]\.value: the integer"):
        columnar.convert(path, format="survey", today=TODAY)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=exports(), chunk_bytes=st.sampled_from([None, 24, 90]))
def test_generated_messy_exports_read_as_convert_reads_them(tmp_path: Path, rows: list[list[str]],
                                                            chunk_bytes: int | None) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = _write(tmp_path, buffer.getvalue())
    try:
        sharedoutcomes.convert(path, format="survey", today=TODAY)
    except sharedoutcomes.SharedOutcomesError as error:
        refused = error
    else:
        _same(path, chunk_bytes=chunk_bytes)
        return
    with pytest.raises(type(refused)) as raised:
        columnar.convert(path, format="survey", today=TODAY)
    assert str(raised.value) == str(refused)


@pytest.mark.parametrize("chunk_bytes", [None, 200])
def test_the_source_map_of_each_batch_is_the_converters_for_its_evidence(chunk_bytes: int | None) -> None:
    expected = sharedoutcomes.convert(FIXTURE, format="survey", today=TODAY).source_map
    original = SurveyColumnarRead.chunk_bytes
    if chunk_bytes is not None:
        SurveyColumnarRead.chunk_bytes = chunk_bytes
    try:
        read = read_columnar(FIXTURE, today=TODAY)
        assert read is not None
        found: dict[str, Any] = {}
        for batch in read:
            smap = read.source_map_of(batch)
            assert smap is not None
            assert len(smap) == len(list(smap))
            assert bool(smap) is (batch.evidence.num_rows > 0)
            found.update((path, smap[path]) for path in smap)
            assert "$.evidence[99].date" not in smap
            assert "$.evidence[0].values[99].value" not in smap
    finally:
        SurveyColumnarRead.chunk_bytes = original
    assert found == dict(expected)
