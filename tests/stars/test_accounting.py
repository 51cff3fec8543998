"""The Star reader accounts for every cell and says what it assumed (issue 10), and survives bad workbooks (issue 17)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes import ConversionError, Problem
from sharedoutcomes._util.paths import column_letter
from sharedoutcomes.stars import get_star, iter_readings

DATA = Path(__file__).parent / "data"
ORG = {"organisation_id": "GB-CHC-1234567", "organisation_name": "Northgate Hostel"}
TODAY = "2025-06-30"


def convert(source: str | Path, **options: Any) -> sharedoutcomes.ConversionResult:
    path = source if isinstance(source, Path) else DATA / source
    return sharedoutcomes.convert(path, format="outcomes-star", today=TODAY, **{**ORG, **options})


def of(result: sharedoutcomes.ConversionResult, rule: str) -> list[Problem]:
    return [p for p in result.problems if p.rule == rule]


def non_empty_cells(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for row in csv.reader(handle) for cell in row if cell.strip())


# -- the hostel CRM export: title rows, names and dates of birth, no Star column, a footer ---------------


@pytest.fixture(scope="module")
def hostel() -> sharedoutcomes.ConversionResult:
    return convert("hostel-crm-export.csv")


def test_every_non_empty_cell_is_counted_read_or_not_read(hostel: sharedoutcomes.ConversionResult) -> None:
    coverage = hostel.coverage

    assert coverage is not None
    assert coverage.total_read + coverage.total_not_read == non_empty_cells(DATA / "hostel-crm-export.csv")
    assert coverage.not_read["personal data"] == 18  # 9 names and 9 dates of birth, none of them read
    assert coverage.not_read["rows before the header"] == 2
    assert coverage.not_read["footer rows"] == 2
    assert not coverage.complete


def test_the_inferred_star_is_said_with_why(hostel: sharedoutcomes.ConversionResult) -> None:
    (inferred,) = of(hostel, "star.edition-inferred")

    assert {e.instrument for e in hostel.package.evidence} == {"outcomes-star/homelessness-star/3"}
    assert "Homelessness Star, 3rd edition" in inferred.message
    assert "9 of its 10 areas are headings" in inferred.message
    assert "pass star= and edition=" in inferred.message
    assert inferred.source is not None
    assert inferred.source.row == 4


def test_names_and_dates_of_birth_are_refused_and_never_read(hostel: sharedoutcomes.ConversionResult) -> None:
    personal = of(hostel, "star.personal-data")
    text = sharedoutcomes.dumps(hostel.package)

    assert [(p.source.column, p.source.header) for p in personal if p.source] == [("B", "Client name"), ("C", "DOB")]
    assert all("Remove the column" in p.message and "column_map" not in p.message for p in personal)
    assert "Jane Smith" not in text
    assert "14/02/1979" not in text
    assert "1979-02-14" not in text
    assert not any("Client name" in p.message or "DOB" in p.message for p in of(hostel, "star.column-ignored"))


def test_mapping_a_personal_column_is_refused() -> None:
    with pytest.raises(ConversionError, match=r"'DOB'.*date of birth: personal data is never read"):
        convert("hostel-crm-export.csv", column_map={"person": "DOB"})
    with pytest.raises(ConversionError, match="personal data is never read"):
        convert("hostel-crm-export.csv", column_map={"worker": "Client name"})


def test_impossible_dates_are_named_as_such(hostel: sharedoutcomes.ConversionResult) -> None:
    messages = [(p.source.row, p.message) for p in of(hostel, "star.bad-date") if p.source]

    assert messages == [(8, "reading date '31/04/2014': April has 30 days"),
                        (10, "reading date '29/02/2015': February 2015 has 28 days (2015 is not a leap year)")]


def test_inf_nan_and_superscripts_are_located_problems_not_crashes(hostel: sharedoutcomes.ConversionResult) -> None:
    bad = [(p.source.row, p.source.column, p.value) for p in of(hostel, "star.score-not-a-number") if p.source]

    assert bad == [(11, "F", "inf"), (11, "I", "NaN"), (11, "J", "²")]
    reading = next(e for e in hostel.package.evidence if e.subject and e.subject.id == "NH-0105")
    assert len(reading.values) == 5  # 9 area columns: 3 bad scores left out, Offending blank, the rest converted


def test_footers_are_not_read_as_people(hostel: sharedoutcomes.ConversionResult) -> None:
    footers = [p for p in of(hostel, "conversion.not-read") if p.source and p.source.row in (15, 16)]
    people = {e.subject.id for e in hostel.package.evidence if e.subject}

    assert [p.message for p in footers] == [
        "not read: 'Total readings: 9' (a footer or totals row, not a reading)",
        "not read: 'Report generated on 01/07/2024 by admin' (a footer or totals row, not a reading)"]
    assert not any(p.startswith("Total") for p in people)
    assert not of(hostel, "star.missing-date")
    assert not of(hostel, "star.missing-person")


def test_readings_before_the_editions_release_are_flagged(hostel: sharedoutcomes.ConversionResult) -> None:
    (early,) = of(hostel, "star.before-release")

    assert get_star("homelessness-star", "3").released == "2013-11"
    assert early.message.startswith("the reading is dated 2012-06-12, before the Homelessness Star, 3rd edition was "
                                    "released (2013-11)")
    assert early.source is not None
    assert (early.source.row, early.source.column) == (5, "D")


def test_a_repeated_warning_is_one_warning_with_a_count_and_the_first_rows(
        hostel: sharedoutcomes.ConversionResult) -> None:
    (missing,) = of(hostel, "star.missing-score")

    assert missing.message == "7 readings have no score for Offending (rows 5, 6, 7, 9, 11 …)"
    assert missing.value == 7


def test_a_star_without_an_edition_says_which_edition_was_assumed() -> None:
    result = convert("recovery-no-edition.csv")
    (inferred,) = of(result, "star.edition-inferred")

    assert {e.instrument for e in result.package.evidence} == {"outcomes-star/recovery-star/3"}
    assert "names no edition, so the Recovery Star, 3rd edition was assumed" in inferred.message
    assert result.coverage is not None
    assert result.coverage.complete


def test_the_star_option_without_an_edition_says_the_latest_is_assumed() -> None:
    result = convert("recovery-no-edition.csv", star="recovery-star")

    assert [p.message.split(",")[0] for p in of(result, "star.edition-inferred")] == [
        "star='recovery-star' names no edition"]


def test_ids_that_are_chi_numbers_are_refused_without_repeating_them() -> None:
    result = convert("chi-ids.csv")
    (refused,) = of(result, "star.personal-id")

    assert [e.subject.id for e in result.package.evidence if e.subject] == ["WB-0002"]
    assert refused.severity == "error"
    assert refused.message.startswith("2 service-user ids look like CHI or NHS numbers")
    assert "0101011237" not in str(refused)
    assert "1237" not in sharedoutcomes.dumps(result.package)


def test_streaming_gives_the_same_problems_and_coverage() -> None:
    stream = iter_readings(DATA / "hostel-crm-export.csv", today=TODAY)
    evidence = list(stream)
    result = convert("hostel-crm-export.csv")

    assert len(evidence) == len(result.package.evidence)
    assert {p.rule for p in stream.problems} == {p.rule for p in result.problems if p.rule.startswith(("star.", "conv"))}
    assert stream.counter.coverage() == result.coverage


# -- every cell accounted for, whatever is added to an export ---------------------------------------------

RECOVERY = get_star("recovery-star", "4")
HEADER = ["Service user ID", "Reading date", "Star", "Edition", *(a.label for a in RECOVERY.areas)]
_TOKEN = re.compile(r"^EXTRA-\d+$")


@st.composite
def export_with_extras(draw: st.DrawFn) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """A clean wide export, then extra text put anywhere: in cells, beyond the header, in new rows."""
    rows = [list(HEADER)]
    for i in range(draw(st.integers(1, 6))):
        scores = draw(st.lists(st.integers(1, 10), min_size=len(RECOVERY.areas), max_size=len(RECOVERY.areas)))
        rows.append([f"RS-{i:04d}", f"{i + 1:02d}/03/2024", "Recovery Star", "4", *map(str, scores)])
    width = len(HEADER)
    places: list[tuple[int, int]] = []
    for n in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cell", "beyond", "note", "title"]))
        token = f"EXTRA-{n}"
        if kind == "title":
            rows.insert(0, [token] + [""] * (width - 1))
            places = [(r + 1, c) for r, c in places]
            places.append((0, 0))
            continue
        if kind == "note":
            rows.append([""] * draw(st.integers(0, width - 1)) + [token])
            places.append((len(rows) - 1, len(rows[-1]) - 1))
            continue
        row = draw(st.sampled_from([r for r, cells in enumerate(rows) if cells[:1] and cells[0].startswith("RS-")]))
        col = draw(st.integers(4, width - 1)) if kind == "cell" else width + draw(st.integers(0, 2))  # a score
        rows[row] += [""] * (col + 1 - len(rows[row]))
        rows[row][col] = token
        places.append((row, col))
    return rows, places


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _xlsx(rows: list[list[str]], path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Readings"
    for row in rows:
        sheet.append([int(c) if c.isdigit() else c or None for c in row])  # scores as numbers, as Excel holds them
    book.save(path)
    return path


@given(export_with_extras(), st.sampled_from(["csv", "xlsx"]))
def test_extra_content_ends_in_the_package_or_a_not_read_problem(tmp_path_factory: pytest.TempPathFactory,
                                                                  case: tuple[list[list[str]], list[tuple[int, int]]],
                                                                  kind: str) -> None:
    rows, places = case
    folder = tmp_path_factory.mktemp("extras")
    path = folder / "export.csv"
    path.write_text(_csv_text(rows), encoding="utf-8")
    result = convert(path if kind == "csv" else _xlsx(rows, folder / "export.xlsx"))
    mapped = {(loc.row, loc.column) for loc in result.source_map.values()}

    assert result.coverage is not None
    assert result.coverage.total_read + result.coverage.total_not_read == non_empty_cells(path)
    for row, col in places:
        if rows[row][col] == "" or not _TOKEN.match(rows[row][col]):
            continue  # overwritten by a later extra
        number, letter = row + 1, column_letter(col)
        reported = [p for p in result.problems if p.source and p.source.row == number
                    and p.source.column in (letter, None)]
        columns_reported = [p for p in result.problems if p.source and p.source.column == letter
                            and p.rule == "star.column-ignored"]
        assert (number, letter) not in mapped
        assert reported or columns_reported, (number, letter, [str(p) for p in result.problems])


# -- workbooks that are damaged, stale or empty ------------------------------------------------------------


def _rewrite(source: Path, target: Path, edit: dict[str, Any]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            change = edit.get(item.filename)
            if change is None:
                new.writestr(item, data)
            elif change is not False:
                new.writestr(item, change(data))
    return target


def test_rows_beyond_a_stale_dimension_are_read(tmp_path: Path) -> None:
    stale = _rewrite(DATA / "home-star-merged.xlsx", tmp_path / "stale.xlsx", {
        "xl/worksheets/sheet1.xml": lambda xml: re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:C4"/>', xml)})

    assert b'ref="A1:C4"' in zipfile.ZipFile(stale).read("xl/worksheets/sheet1.xml")
    assert len(convert(stale).package.evidence) == len(convert("home-star-merged.xlsx").package.evidence) == 4


def test_a_workbook_without_a_sheet_is_a_clear_error(tmp_path: Path) -> None:
    def no_sheets(xml: bytes) -> bytes:
        return re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", xml, flags=re.DOTALL)

    empty = _rewrite(DATA / "home-star-merged.xlsx", tmp_path / "empty.xlsx", {"xl/workbook.xml": no_sheets})

    with pytest.raises(ConversionError, match="no worksheet") as caught:
        convert(empty)
    assert caught.value.source is not None
    assert caught.value.source.file == "empty.xlsx"


def test_a_sheet_that_breaks_while_its_rows_are_read_is_located(tmp_path: Path) -> None:
    broken = _rewrite(DATA / "home-star-merged.xlsx", tmp_path / "broken.xlsx", {
        "xl/worksheets/sheet1.xml": lambda xml: xml[: len(xml) * 2 // 3]})

    with pytest.raises(ConversionError, match="the sheet cannot be read beyond row") as caught:
        convert(broken)
    assert caught.value.source is not None
    assert caught.value.source.sheet == "Star data"
