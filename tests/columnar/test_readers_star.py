"""
The columnar Star reader gives what the object reader gives: the same evidence, problems and coverage.

On every Star fixture, and on messy generated exports (bad cells, footers, duplicates, two
editions, ragged rows, quotes, blank lines), read in chunks small enough that every export
spans several of them.
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

import pyarrow as pa

import sharedoutcomes
from sharedoutcomes.columnar import ColumnarError, EvidenceTables
from sharedoutcomes.stars import ReadingStream, get_star, sample_path
from sharedoutcomes.stars._columnar import ColumnarStarReader, read_columnar

DATA = Path(__file__).parent.parent / "stars" / "data"
FIXTURES = [sample_path(), *sorted(p for p in DATA.iterdir() if p.suffix in {".csv", ".xlsx"}
                                   and p.name != "not-a-star.csv")]
TODAY = "2025-06-30"
FOURTH = get_star("recovery-star", "4")
THIRD = get_star("recovery-star", "3")


def object_read(path: Path, **options: Any) -> tuple[list[dict[str, Any]], list[Any], Any]:
    stream = ReadingStream(path, today=TODAY, cross_row_checks=True, **options)
    evidence = list(stream)
    return evidence, stream.problems, stream.counter.coverage()


def columnar_read(path: Path, chunk_bytes: int | None = None, **options: Any) -> tuple[list[dict[str, Any]],
                                                                                       list[Any], Any]:
    reader = ColumnarStarReader(path, today=TODAY, **options)
    if chunk_bytes is not None:
        reader.chunk_bytes = chunk_bytes
    evidence: list[dict[str, Any]] = []
    problems: list[Any] = []
    for batch in reader.batches():
        evidence += batch.evidence_dicts()
        problems += batch.problems
    problems += reader.problems
    return evidence, problems, reader.counter.coverage()


def assert_same(path: Path, chunk_bytes: int | None = None, **options: Any) -> None:
    evidence, problems, coverage = object_read(path, **options)
    got_evidence, got_problems, got_coverage = columnar_read(path, chunk_bytes, **options)
    assert [str(p) for p in got_problems] == [str(p) for p in problems]
    assert got_problems == problems
    assert got_evidence == evidence
    assert got_coverage == coverage


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_reads_as_the_object_reader_reads_it(path: Path) -> None:
    assert_same(path)
    assert_same(path, chunk_bytes=64)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_the_tables_hold_the_package_that_convert_gives(path: Path) -> None:
    options = {"organisation_id": "GB-SC-SC012345", "today": TODAY}
    expected = sharedoutcomes.convert(path, format="outcomes-star", **options)
    read = read_columnar(path, **options)
    batches = list(read)
    tables = EvidenceTables(**{name: pa.concat_tables([getattr(b, name) for b in batches])
                               for name in ("evidence", "values", "subjects", "provenance")})
    got, want = sharedoutcomes.dump(tables.to_package()), sharedoutcomes.dump(expected.package)
    got.pop("produced")
    want.pop("produced")
    assert got == want
    problems = [p for b in batches for p in b.problems] + list(read.problems)
    assert problems == list(expected.problems)[:len(problems)]  # the validation's problems follow the reader's
    assert read.coverage == expected.coverage


def test_without_an_organisation_the_placeholder_is_said() -> None:
    read = read_columnar(sample_path(), today=TODAY)
    list(read)
    assert [p.rule for p in read.problems] == ["star.no-organisation"]


HEADER = ["Service user ID", "Reading date", "Star", "Edition", "Reading number", "Worker",
          *(a.label for a in FOURTH.areas), "Work", "Notes"]

_CELLS = {
    "score": st.one_of(st.integers(1, 10).map(str), st.sampled_from(["", " 5", "5.0", "11", "0", "x", "NaN", "²"])),
    "person": st.one_of(st.integers(0, 6).map(lambda i: f"SU-{i:03d}"),
                        st.sampled_from(["", "SU 007", "1234567890", "Jane Smith", "SU-\u00e9"])),
    "date": st.one_of(st.sampled_from(["03/04/2024", "2024-04-03", "3 April 2024", "04/05/2023", "45385"]),
                      st.sampled_from(["", "31/04/2024", "13/13/2024", "2030-01-01", "soon", "01/01/2018"])),
    "star": st.sampled_from(["Recovery Star", "Recovery Star", "Recovery Star 3rd edition", "Spaceship Star", ""]),
    "edition": st.sampled_from(["", "", "4", "3"]),
    "number": st.sampled_from(["1", "2", "", "Review #1", "0"]),
    "worker": st.sampled_from(["W-1", "", "'=1+1", "Keyworker, North", "Line\nbreak", 'Say "hi"']),
}


@st.composite
def messy_rows(draw: st.DrawFn) -> list[list[str]]:
    rows: list[list[str]] = []
    if draw(st.booleans()):
        rows.append(["Star readings export"])
        rows.append([])
    rows.append(list(HEADER))
    for _ in range(draw(st.integers(1, 14))):
        kind = draw(st.sampled_from(["reading", "reading", "reading", "repeat", "footer", "blank", "short", "long"]))
        if kind == "repeat" and len(rows) > 2 and len(rows[-1]) == len(HEADER):
            rows.append(list(rows[-1]))
            continue
        if kind == "footer":
            rows.append(draw(st.sampled_from([["Total readings: 9"], ["Report generated on 01/05/2024", "", ""],
                                              ["", "", "a note"]])))
            continue
        if kind == "blank":
            rows.append([])
            continue
        row = [draw(_CELLS["person"]), draw(_CELLS["date"]), draw(_CELLS["star"]), draw(_CELLS["edition"]),
               draw(_CELLS["number"]), draw(_CELLS["worker"]), *(draw(_CELLS["score"]) for _ in FOURTH.areas),
               draw(st.sampled_from(["", "", "4"])), draw(st.sampled_from(["", "", "called twice"]))]
        if kind == "short":
            row = row[:draw(st.integers(2, len(row) - 1))]
        elif kind == "long":
            row += draw(st.sampled_from([[""], ["", ""], ["stray"]]))
        rows.append(row)
    return rows


def _write(rows: list[list[str]], path: Path, newline: str) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(messy_rows(), st.sampled_from(["\n", "\r\n"]), st.sampled_from([None, 40, 200]))
def test_messy_exports_read_as_the_object_reader_reads_them(tmp_path: Path, rows: list[list[str]], newline: str,
                                                            chunk_bytes: int | None) -> None:
    path = _write(rows, tmp_path / "messy.csv", newline)
    refused: sharedoutcomes.ConversionError | None = None
    try:
        object_read(path)
    except sharedoutcomes.ConversionError as error:
        refused = error
    if refused is None:
        assert_same(path, chunk_bytes)
        return
    with pytest.raises(sharedoutcomes.ConversionError) as raised:
        columnar_read(path, chunk_bytes)
    assert str(raised.value) == str(refused)


def test_a_file_object_is_read_through_the_object_rows(tmp_path: Path) -> None:
    with sample_path().open(encoding="utf-8-sig", newline="") as handle:
        read = read_columnar(handle, organisation_id="GB-SC-SC012345", today=TODAY)
        assert sum(batch.evidence.num_rows for batch in read) == 6


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("organisation", [None, "GB-SC-SC012345"])
@pytest.mark.parametrize("chunk_bytes", [None, 64], ids=["one batch", "batches of 64 bytes"])
def test_columnar_convert_gives_the_package_and_problems_of_convert(path: Path, organisation: str | None,
                                                                    chunk_bytes: int | None,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from sharedoutcomes import columnar

    if chunk_bytes is not None:  # validated batch by batch, the checks across batches carried over
        monkeypatch.setattr(ColumnarStarReader, "chunk_bytes", chunk_bytes)
    options: dict[str, Any] = {"today": TODAY}
    if organisation:
        options["organisation_id"] = organisation
    expected = sharedoutcomes.convert(path, format="outcomes-star", **options)
    got = columnar.convert(path, format="outcomes-star", **options)
    assert got.columnar
    a, b = sharedoutcomes.dump(got.to_package()), sharedoutcomes.dump(expected.package)
    a.pop("produced")
    b.pop("produced")
    assert a == b
    assert list(got.problems) == list(expected.problems)  # the reader's, then the validation's, all located
    assert got.coverage == expected.coverage


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(messy_rows())
def test_streamed_batches_hold_what_the_object_stream_gives(tmp_path: Path, rows: list[list[str]]) -> None:
    from sharedoutcomes.stars import iter_reading_tables, iter_readings

    path = _write(rows, tmp_path / "stream.csv", "\n")
    try:
        stream = iter_readings(path, today=TODAY, organisation_id="GB-SC-SC012345")
        expected = list(stream)
    except sharedoutcomes.ConversionError:
        return
    original = ColumnarStarReader.chunk_bytes
    ColumnarStarReader.chunk_bytes = 64  # several batches even for a small file
    try:
        batches = list(iter_reading_tables(path, today=TODAY, organisation_id="GB-SC-SC012345"))
    finally:
        ColumnarStarReader.chunk_bytes = original
    tables = EvidenceTables(**{name: pa.concat_tables([getattr(b, name) for b in batches])
                               for name in ("evidence", "values", "subjects", "provenance")}) if batches else None
    got = [] if tables is None else tables.to_json_data().get("evidence", [])
    assert got == expected  # without the checks across rows, as iter_readings: ids may repeat
    assert [p for b in batches for p in b.problems] == stream.problems


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], max_examples=30,
          deadline=None)
@given(messy_rows())
def test_messy_exports_in_batches_give_the_problems_of_one_table(tmp_path: Path, rows: list[list[str]]) -> None:
    # Batches of 64 bytes, validated one by one, against the reader's batches concatenated and validated whole
    # (each located with the reader's source map, as the object path locates them).
    from sharedoutcomes import columnar

    path = _write(rows, tmp_path / "batches.csv", "\n")
    options = {"today": TODAY, "organisation_id": "GB-SC-SC012345"}
    original = ColumnarStarReader.chunk_bytes
    ColumnarStarReader.chunk_bytes = 64  # several batches even for a small file
    try:
        read = read_columnar(path, **options)
        batches = list(read)
        whole = columnar.concat(batches) if batches else None
        try:
            stream = columnar.iter_convert(path, format="outcomes-star", **options)
            got: Any = (list(stream), list(stream.problems))
        except (sharedoutcomes.ConversionError, sharedoutcomes.InvalidDocument, ColumnarError) as error:
            got = type(error)
    finally:
        ColumnarStarReader.chunk_bytes = original
    if whole is None:
        assert got is ColumnarError  # the reader gave no batch
        return
    report = columnar.validate(whole, source_map=read.source_map_of(whole))
    expected = [*whole.problems, *read.problems, *report.problems]
    if any(p.rule.startswith("schema.") for p in report.errors):
        assert got is sharedoutcomes.InvalidDocument
        return
    assert not isinstance(got, type)
    validated, problems = got
    assert problems == expected
    assert len(validated) == len(batches)
    assert [b.evidence.num_rows for b in validated] == [b.evidence.num_rows for b in batches]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], max_examples=60,
          deadline=None)
@given(messy_rows(), st.sampled_from([None, 64]))
def test_messy_exports_convert_to_the_problems_and_errors_of_convert(tmp_path: Path, rows: list[list[str]],
                                                                     chunk_bytes: int | None) -> None:
    """Every problem as the object path gives it, located alike (a person id at its cell); the same error raised."""
    from sharedoutcomes import columnar

    path = _write(rows, tmp_path / "convert.csv", "\n")
    options = {"today": TODAY, "organisation_id": "GB-SC-SC012345"}

    def outcome(convert: Any) -> Any:
        try:
            return list(convert(path, format="outcomes-star", **options).problems)
        except sharedoutcomes.InvalidDocument as error:  # nothing readable: both refuse, with the same report
            return "InvalidDocument", list(error.report.problems)
        except sharedoutcomes.ConversionError as error:
            return "ConversionError", str(error)

    expected = outcome(sharedoutcomes.convert)
    original = ColumnarStarReader.chunk_bytes
    if chunk_bytes is not None:
        ColumnarStarReader.chunk_bytes = chunk_bytes  # several batches, each validated on its own
    try:
        got = outcome(columnar.convert)
    finally:
        ColumnarStarReader.chunk_bytes = original
    assert got == expected


def test_an_export_with_no_convertible_reading_is_refused_as_convert_refuses_it(tmp_path: Path) -> None:
    """A header and readings all refused: not an empty package that validates clean, on either path."""
    from sharedoutcomes import columnar

    path = _write([list(HEADER), ["SU-003", "01/01/2030", "Recovery Star", "4", "1", "W-1", *["5"] * 10]],
                  tmp_path / "future.csv", "\n")
    options = {"today": TODAY, "organisation_id": "GB-SC-SC012345"}
    with pytest.raises(sharedoutcomes.InvalidDocument) as expected:
        sharedoutcomes.convert(path, format="outcomes-star", **options)
    with pytest.raises(sharedoutcomes.InvalidDocument) as got:
        columnar.convert(path, format="outcomes-star", **options)
    stream = columnar.iter_convert(path, format="outcomes-star", **options)
    with pytest.raises(sharedoutcomes.InvalidDocument) as streamed:
        list(stream)
    assert list(got.value.report.problems) == list(streamed.value.report.problems) == \
        list(expected.value.report.problems)
    assert [p.rule for p in got.value.report.problems][-1] == "schema.minItems"
    assert got.value.report.problems[-1].path == "$.evidence"
