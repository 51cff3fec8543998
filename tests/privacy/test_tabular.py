"""Pseudonymising exports by their column headings: CSV and XLSX, messy values, a report of what changed where."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

import sharedoutcomes
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.privacy import Pseudonymiser, TableOptions, pseudonymise_file, pseudonymise_rows

from .conftest import CARERS, DATA, KEY, RIVERSIDE, STARS

RAW_IDENTIFIERS = ("1204560110", "120 456 0110", "120456-0110", "0303790210", "RRH-1001", "TTC-0451")
RAW_PERSONAL = ("Margaret", "Boyd", "12/04/1956", "Harbour Road", "KA21 5AB", "01294 551000", "07700 900461",
                "02/02/1960", "Jo Bloggs")


def _rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def test_a_star_export_with_a_chi_column(tmp_path: Path) -> None:
    source = DATA / "riverside-recovery-star.csv"
    before = source.read_bytes()
    out = tmp_path / "shared.csv"

    report = pseudonymise_file(source, out, Pseudonymiser(KEY, organisation=RIVERSIDE))

    assert source.read_bytes() == before  # the original is never changed
    text = out.read_text(encoding="utf-8-sig")
    for raw in (*RAW_IDENTIFIERS[:5], *RAW_PERSONAL[:8]):
        assert raw not in text, raw
    rows = _rows(out)
    # headings kept in their places; the identifier's says that it holds pseudonyms now (readers refuse "CHI Number")
    assert rows[0] == ["Pseudonym (from CHI Number)" if h == "CHI Number" else h for h in _rows(source)[0]]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Pseudonym (from CHI Number)"] == Pseudonymiser(KEY).pseudonym("1204560110")
    assert (first["Forename"], first["Date of Birth"], first["Postcode"], first["Telephone"]) == ("", "1956", "KA21", "")
    assert first["Reading Date"] == "03/04/2024"
    assert first["Managing mental health"] == "4"
    notes = [dict(zip(rows[0], r, strict=True))["Notes"] for r in rows[1:]]
    assert "Moved to supported flat, new number [removed: phone]" in notes
    assert "Seen with sister (DOB [removed: date-of-birth]) at review" in notes
    assert report.ok
    where = {(c.where, c.action) for c in report.changes}
    assert ("riverside-recovery-star.csv, column A 'CHI Number'", "pseudonymised") in where
    assert ("riverside-recovery-star.csv, column E 'Date of Birth'", "coarsened") in where
    assert [(p.rule, p.source.row, p.source.column) for p in report.problems if p.source] == [
        ("privacy.identifier-redacted", 5, "X"), ("privacy.identifier-redacted", 9, "X")]
    assert report.key_id in report.to_text()
    assert KEY.hex() not in report.to_text()


def test_a_semicolon_crm_export_with_a_mistyped_chi_number(tmp_path: Path) -> None:
    out = tmp_path / "shared.csv"
    report = pseudonymise_file(DATA / "three-towns-carers-star.csv", out, Pseudonymiser(KEY, organisation=CARERS))

    rows = _rows(out, ";")
    assert rows[0][:3] == ["Client Ref", "Pseudonym (from CHI)", "Client name"]
    assert {r[4] for r in rows[1:]} == {"Saltcoats", "Stevenston", "Beith", "Dalry"}  # addresses to localities
    assert not report.ok
    refused = [p for p in report.problems if p.rule == "privacy.identifier-refused"]
    assert [p.source.row for p in refused] == list(range(51, 58))  # the seven area rows of one reading
    assert all(p.source.header == "CHI" and "0101010711" not in p.message for p in refused)
    assert all(r[1] == "" for r in rows[50:57])  # emptied, not left
    text = out.read_text(encoding="utf-8-sig")
    for raw in ("0101010711", "010101-0711", "Fiona Stewart", "Jo Bloggs", "Sam Kaur", "19 New Street"):
        assert raw not in text


@pytest.mark.parametrize(("birth", "expected"), [("year", "1956"), ("age-band", "65-74"), ("remove", None)])
def test_dates_of_birth_as_the_user_chooses(birth: str, expected: str | None) -> None:
    rows = [["Client ID", "DOB"], ["C-1", "12/04/1956"], ["C-2", "not known"], ["C-3", dt.datetime(1956, 4, 12)]]
    options = TableOptions(birth=birth, as_of=dt.date(2025, 4, 1), organisation=CARERS)  # type: ignore[arg-type]

    out, _, problems = pseudonymise_rows(rows, Pseudonymiser(KEY), file="m.csv", options=options)

    assert out[1][1] == expected
    assert out[2][1] is None
    assert out[3][1] == (1956 if birth == "year" else expected)  # a spreadsheet date stays a number
    assert [p.rule for p in problems] == ([] if birth == "remove" else ["privacy.value-removed"])


def test_addresses_removed_when_asked_and_postcodes_that_are_not_postcodes() -> None:
    rows = [["Person ID", "Address", "Post code"], ["P1", "14 Harbour Road, Saltcoats, KA21 5AB", "KA215AB"],
            ["P2", "Lochside Farm", "unknown"]]
    options = TableOptions(address="remove", organisation=CARERS)
    out, changes, problems = pseudonymise_rows(rows, Pseudonymiser(KEY), file="m.csv", options=options)

    assert [r[1:] for r in out[1:]] == [[None, "KA21"], [None, None]]
    assert [p.message for p in problems] == ["the postcode is not a UK postcode, so it was removed rather than "
                                             "coarsened to its district"]
    assert {(c.what, c.action, c.count) for c in changes} >= {("address", "removed", 2), ("postcode", "coarsened", 1)}


def test_a_chi_number_that_lost_its_leading_zero_in_a_spreadsheet(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Members"
    sheet.append(["Shed membership list, Garnock Valley (contact Ann on 07700 900123)"])
    sheet.append([])
    sheet.append(["CHI no.", "First name", "Surname", "Date of birth", "Home postcode", "Sessions"])
    sheet.append([303790210, "Stephen", "McLean", dt.datetime(1979, 3, 3), "KA12 8RT", 14])
    sheet.append(["250190-0316", "Aisha", "Rahman", "25/01/1990", "ka20 3jh", 9])
    workbook.properties.creator = "Ann Smith"
    source = tmp_path / "members.xlsx"
    workbook.save(source)

    report = pseudonymise_file(source, tmp_path / "out.xlsx", Pseudonymiser(KEY, organisation=CARERS))

    out = openpyxl.load_workbook(tmp_path / "out.xlsx")
    values = [[c.value for c in row] for row in out["Members"].iter_rows()]
    p = Pseudonymiser(KEY)
    assert values[0][0] == "Shed membership list, Garnock Valley (contact Ann on [removed: phone])"
    assert values[3] == [p.pseudonym("0303790210"), None, None, 1979, "KA12", 14]
    assert values[4] == [p.pseudonym("2501900316"), None, None, "1990", "KA20", 9]
    assert out.properties.creator != "Ann Smith"  # the author of the original is not carried over
    assert report.ok
    assert {c.where for c in report.changes} >= {"members.xlsx, sheet 'Members', column A 'CHI no.'"}


def test_the_library_s_own_messy_star_fixtures(tmp_path: Path) -> None:
    report = pseudonymise_file(STARS / "star-online-wide.csv", tmp_path / "a.csv", Pseudonymiser(KEY, organisation=RIVERSIDE))
    text = (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert "12/03/1980" not in text
    assert "SU-1001" not in text
    assert any(c.what == "date-of-birth" and c.action == "coarsened" for c in report.changes)

    pseudonymise_file(STARS / "crm-long.csv", tmp_path / "b.csv", Pseudonymiser(KEY, organisation=CARERS))
    text = (tmp_path / "b.csv").read_text(encoding="utf-8-sig")
    assert "Jo Bloggs" not in text
    assert "WTW-0041" not in text
    assert "Looking After Yourself" in text  # the Star areas are not personal


def test_the_original_is_never_overwritten(tmp_path: Path) -> None:
    copy = tmp_path / "export.csv"
    shutil.copy(DATA / "riverside-recovery-star.csv", copy)
    with pytest.raises(ConversionError, match="never changed in place"):
        pseudonymise_file(copy, copy, Pseudonymiser(KEY, organisation=RIVERSIDE))
    with pytest.raises(ConversionError, match=r"cannot pseudonymise a \.docx file"):
        pseudonymise_file(tmp_path / "form.docx", tmp_path / "out.docx", Pseudonymiser(KEY))
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ConversionError, match="not a readable workbook"):
        pseudonymise_file(tmp_path / "broken.xlsx", tmp_path / "out.xlsx", Pseudonymiser(KEY))


def test_a_form_laid_out_as_labels_and_answers() -> None:
    """A monitoring form in a workbook: "label | answer" rows, then a table of case studies."""
    rows = [["North Ayrshire ICF monitoring return"],
            ["Organisation", "Garnock Valley Men's Shed"],
            ["Contact name", "Jim Paterson"],
            ["Email", "jim@gvshed.example.org"],
            ["Telephone", "01505 555 014"],
            [],
            ["Case study", "Person ID", "Consent", "Story"],
            ["1", "GV-0117", "given", "Came to the shed after his wife died; phone 07700 900123"]]
    out, changes, _ = pseudonymise_rows(rows, Pseudonymiser(KEY, organisation=CARERS), file="return.xlsx")

    assert out[1] == ["Organisation", "Garnock Valley Men's Shed"]
    assert [r[1] for r in out[2:5]] == [None, None, None]
    assert [r[0] for r in out[2:5]] == ["Contact name", "Email", "Telephone"]  # labels kept
    assert out[6] == rows[6]
    assert out[7][1].startswith("P-")
    assert out[7][3].endswith("phone [removed: phone]")
    assert "return.xlsx, row 3, column B (the answer to 'Contact name'): name removed (1 values)" in map(str, changes)


def test_a_package_written_as_tables_is_pseudonymised_as_one(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    source = tmp_path / "partnership.xlsx"
    sharedoutcomes.write(sharedoutcomes.example_package(), source, format="tables-xlsx")
    out = tmp_path / "shared.xlsx"

    report = pseudonymise_file(source, out, Pseudonymiser(KEY))

    shared = sharedoutcomes.convert(out, format="tables-xlsx").package
    people = {e.subject.id for e in shared.evidence if e.subject and e.subject.type == "person"}
    assert people == {Pseudonymiser(KEY).pseudonym("TTC-0452", organisation="GB-SC-SC038977"),
                      Pseudonymiser(KEY).pseudonym("GV-0117", organisation="GB-SC-SC045123")}
    assert report.ok
    assert sharedoutcomes.validate(shared).ok
    assert {e.id for e in shared.evidence} == {e.id for e in sharedoutcomes.example_package().evidence}
