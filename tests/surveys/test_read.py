"""The survey format: messy exports in, every cell accounted for, personal data never read."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.exceptions import ConversionError, UnknownName

DATA = Path(__file__).parent / "data"
BEFRIENDING = DATA / "swemwbs-befriending.csv"


def _convert(source: object, **options: object) -> sharedoutcomes.ConversionResult:
    options.setdefault("organisation_id", "GB-SC-SC099001")
    options.setdefault("today", "2024-12-31")
    return sharedoutcomes.convert(source, format="survey", **options)


def _non_empty_cells(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for row in csv.reader(handle) for cell in row if cell.strip())


@pytest.fixture(scope="module")
def befriending() -> sharedoutcomes.ConversionResult:
    return _convert(BEFRIENDING)


def test_the_instrument_is_detected_and_each_response_becomes_survey_evidence(
        befriending: sharedoutcomes.ConversionResult) -> None:
    evidence = befriending.package.evidence
    assert [(e.subject.id, e.date.isoformat()) for e in evidence] == [
        ("KB-0001", "2024-05-02"), ("KB-0002", "2024-05-02"), ("KB-0003", "2024-05-03"), ("KB-0001", "2024-11-28"),
        ("KB-0005", "2024-05-20"), ("KB-0006", "2024-05-21"), ("KB-0007", "2024-05-21")]
    assert {e.instrument for e in evidence} == {"swemwbs"}
    assert {e.kind for e in evidence} == {"survey"}
    first = evidence[0]
    assert [(v.code, v.value) for v in first.values] == [
        *((f"swemwbs-{i}", a) for i, a in enumerate((2, 3, 2, 3, 2, 3, 3), start=1)), ("metric", 17.43)]
    assert (first.provenance.file, first.provenance.row) == ("swemwbs-befriending.csv", 5)


def test_every_cell_is_read_or_reported(befriending: sharedoutcomes.ConversionResult) -> None:
    coverage = befriending.coverage
    assert coverage is not None
    assert coverage.total_read + coverage.total_not_read == _non_empty_cells(BEFRIENDING)
    located = {(s.row, s.column) for s in befriending.source_map.values()}
    assert (14, "F") not in located  # the text answer 'often' is reported, not mapped
    assert ("$.evidence[4].values[0].value") in befriending.source_map
    assert str(befriending.source_map["$.evidence[4].values[1].value"]) == \
        "swemwbs-befriending.csv, row 14, column G ('SWEMWBS 3')"


def test_the_messy_rows_are_each_reported_where_they_are(befriending: sharedoutcomes.ConversionResult) -> None:
    found = [(p.rule, p.source.row if p.source else None, p.source.column if p.source else None)
             for p in befriending.problems if not p.rule.startswith("conversion.")]
    assert found == [
        ("survey.personal-data-column", 4, "C"),
        ("survey.personal-data-column", 4, "D"),
        ("survey.column-not-read", 4, "M"),
        ("survey.column-not-read", 4, "N"),
        ("survey.duplicate-response", 10, None),
        ("survey.conflicting-response", 11, None),
        ("survey.bad-date", 12, "B"),
        ("survey.missing-person", 13, "A"),
        ("survey.bad-value", 14, "F"),
        ("instrument.total-mismatch", 16, "L"),  # found by validation, located through the source map
    ]
    not_read = [(p.source.row, p.message) for p in befriending.problems if p.rule == "conversion.not-read"]
    assert [row for row, _ in not_read] == [1, 2, 18]
    assert "Total responses: 11" in not_read[-1][1]


def test_personal_data_never_reaches_the_package_or_the_messages(befriending: sharedoutcomes.ConversionResult) -> None:
    text = sharedoutcomes.dumps(befriending.package) + "\n".join(p.message for p in befriending.problems)
    for personal in ("Jean Example", "Sam Example", "01/02/1950", "1950-02-01"):
        assert personal not in text


def test_a_column_map_cannot_map_a_personal_column() -> None:
    result = _convert(BEFRIENDING, column_map={"person": "Full name"})
    rules = Counter(p.rule for p in result.problems)
    assert rules["survey.personal-data-column"] == 2
    assert {e.subject.id for e in result.package.evidence} >= {"KB-0001"}


def test_headings_by_position_once_the_instrument_is_given_and_a_column_map() -> None:
    text = ("Participant,Submitted,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9,Total\n"
            "P-101,14/03/2024 09:12,1,1,2,0,1,1,0,2,0,8\n"
            "P-101,13/06/2024 10:40,0,1,1,0,0,1,0,1,0,4\n")
    result = _convert(io.BytesIO(text.encode()), instrument="PHQ-9")
    assert [e.instrument for e in result.package.evidence] == ["phq9", "phq9"]
    assert result.package.evidence[0].values[-1].code == "total"
    assert result.coverage is not None
    assert result.coverage.complete
    mapped = _convert(io.BytesIO(b"Who,When,Lonely A,Lonely B,Lonely C\nP-9,01/07/2024,1,2,3\n"), instrument="ucla3",
                      column_map={"person": "Who", "date": "When", "ucla-1": "Lonely A", "ucla-2": "Lonely B",
                                  "ucla-3": "Lonely C"})
    assert [(v.code, v.value) for v in mapped.package.evidence[0].values] == [("ucla-1", 1), ("ucla-2", 2),
                                                                             ("ucla-3", 3)]


def test_an_xlsx_export_of_ons4_with_date_cells(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["Person ID", "Date", "Satis", "Worth", "Happy", "Anxious", "Postcode"])
    sheet.append(["SP-0001", dt.datetime(2024, 5, 2, 10, 30), 4, 5, 3, 8, "KA1 1AA"])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["SP-0001", dt.datetime(2024, 11, 20), 7, 7, 6, 11, None])
    path = tmp_path / "ons4.xlsx"
    book.save(path)
    result = _convert(path)
    evidence = result.package.evidence
    assert [e.instrument for e in evidence] == ["ons4", "ons4"]
    assert [(v.code, v.value) for v in evidence[0].values][-1] == ("anxiety", 8)
    assert str(result.source_map["$.evidence[0].values[0].value"]) == "ons4.xlsx, sheet 'Responses', row 2, column C ('Satis')"
    assert [(p.rule, p.source.row if p.source else None) for p in result.problems] == [
        ("survey.personal-data-column", 1), ("survey.bad-value", 4)]
    assert "KA1 1AA" not in sharedoutcomes.dumps(result.package)


def test_no_instrument_found_is_one_located_error_and_nothing_is_invented() -> None:
    result = _convert(io.BytesIO(b"Person ID,Date,Mood,Sleep\nP-1,01/02/2024,3,4\n"))
    assert [p.rule for p in result.problems] == ["survey.no-instrument"]
    assert result.package.evidence == ()
    assert result.coverage is not None
    assert result.coverage.total_not_read == 8


def test_an_instrument_given_with_none_of_its_columns_is_one_located_error_not_an_empty_package() -> None:
    # Before, every cell was reported as not read with warnings only, and the empty package validated clean.
    result = _convert(io.BytesIO(b"Person ID,Date,Mood,Sleep\nP-1,01/02/2024,3,4\nP-2,03/02/2024,2,5\n"),
                      instrument="wemwbs")

    assert [p.rule for p in result.problems] == ["survey.no-items"]
    assert not result.ok
    assert "(wemwbs)" in result.problems[0].message
    assert str(result.problems[0].source) == "survey.csv, row 1"
    assert result.package.evidence == ()
    assert result.coverage is not None
    assert (result.coverage.total_read, result.coverage.total_not_read) == (0, 12)
    # An item column is enough to read, even with nothing else known.
    some = _convert(io.BytesIO(b"Person ID,Date,WEMWBS 1,Mood\nP-1,01/02/2024,3,4\n"), instrument="wemwbs")
    assert "survey.no-items" not in [p.rule for p in some.problems]


def test_future_dates_are_refused_and_unknown_instruments_are_a_library_error() -> None:
    result = _convert(io.BytesIO(b"Person ID,Date,GAD7 1,GAD7 2,GAD7 3,GAD7 4,GAD7 5,GAD7 6,GAD7 7\n"
                                 b"P-1,01/02/2030,1,1,1,1,1,1,1\n"))
    assert [p.rule for p in result.problems] == ["survey.bad-date"]
    assert "after today" in result.problems[0].message
    with pytest.raises(UnknownName):
        _convert(io.BytesIO(b"a,b\n"), instrument="K10")


def test_a_broken_workbook_is_a_library_error(tmp_path: Path) -> None:
    path = tmp_path / "responses.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ConversionError, match=r"responses\.xlsx: this is not an XLSX workbook: the zip archive is damaged"):
        _convert(path)


def test_without_an_organisation_the_placeholder_is_reported() -> None:
    result = sharedoutcomes.convert(BEFRIENDING, format="survey", today="2024-12-31")
    assert "survey.no-organisation" in {p.rule for p in result.problems}
    assert result.package.publisher == "XX-UNKNOWN-survey-export"


@given(st.text(max_size=70))
def test_a_person_id_is_any_text_without_spaces_up_to_64_characters(text: str) -> None:
    from sharedoutcomes.surveys._reader import is_person_id

    assert is_person_id(text) == (bool(text) and not any(ch.isspace() for ch in text) and len(text) <= 64)
