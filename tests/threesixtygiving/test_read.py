"""Reading real 360Giving files: every grant and amount accounted for, every quirk a located problem."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import sharedoutcomes
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.threesixtygiving import EXTENSION, GrantStream, iter_grants, sample_path

DATA = Path(__file__).parent / "data"


def _source_sum_json(path: Path) -> Decimal:
    grants = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)["grants"]
    return sum((Decimal(str(g["amountAwarded"])) for g in grants), Decimal(0))


def _source_sum_xlsx(path: Path, heading: str = "Amount Awarded") -> tuple[int, Decimal]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    column = rows[0].index(heading)
    values = [row[column] for row in rows[1:] if any(cell is not None for cell in row)]
    return len(values), sum((Decimal(str(v)) for v in values), Decimal(0))


def _package_sum(result: sharedoutcomes.ConversionResult) -> Decimal:
    return sum((Decimal(str(a.funding[0].amount.amount)) for a in result.package.activities
                if a.funding[0].amount is not None), Decimal(0))


def test_a_real_json_file_converts_with_every_grant_and_the_same_total() -> None:
    path = DATA / "abct-grants.json"

    result = sharedoutcomes.convert(path, format="360giving")

    assert result.ok
    assert len(result.package.activities) == 40
    assert _package_sum(result) == _source_sum_json(path) == Decimal(940000)
    assert result.coverage is not None
    assert result.coverage.complete
    assert result.package.publisher == "GB-CHC-1000147"
    assert {o.id for o in result.package.organisations} >= {"GB-CHC-1000147", "GB-CHC-1126147"}


def test_fields_outside_the_schema_are_kept_and_reported_once_each() -> None:
    result = sharedoutcomes.convert(DATA / "abct-grants.json", format="360giving")

    unknown = [p for p in result.problems if p.rule == "threesixtygiving.unknown-field"]
    prefix = f"$.activities[0].extension_data.{EXTENSION}"
    assert sorted(p.path.removeprefix(prefix) for p in unknown) == sorted(
        [".Website", "['Award Date - website format']", "['Amount Awarded - website format']"])
    kept = result.package.activities[0].extension_data[EXTENSION]
    assert kept["Website"]["Decision Notes"].startswith("A restricted grant of £30,000")
    assert kept["Amount Awarded - website format"] == 30000
    assert unknown[0].source is not None
    assert unknown[0].source.section.startswith("$.grants[0].")


def test_the_published_xlsx_gives_the_same_grants_as_its_json_conversion() -> None:
    from_json = sharedoutcomes.convert(DATA / "abct-grants.json", format="360giving").package
    from_xlsx = sharedoutcomes.convert(DATA / "abct-grants.xlsx", format="360giving").package

    assert [a.funding for a in from_xlsx.activities] == [a.funding for a in from_json.activities]
    assert [a.title for a in from_xlsx.activities] == [a.title for a in from_json.activities]
    assert from_xlsx.activities[0].extension_data[EXTENSION]["awardDate"] == "2021-01-26T00:00:00+00:00"


def test_a_real_xlsx_with_a_first_sheet_of_another_name_and_spaced_titles() -> None:
    path = DATA / "alwf-grants.xlsx"

    result = sharedoutcomes.convert(path, format="360giving")

    count, total = _source_sum_xlsx(path)
    assert len(result.package.activities) == count == 30
    assert _package_sum(result) == total
    assert result.coverage is not None
    assert result.coverage.complete
    # 'Grant Programme: Title' (a space after the colon) is still the programme's title
    assert result.package.activities[0].funding[0].fund == "Music"
    assert not [p for p in result.problems if p.rule == "threesixtygiving.unknown-field"]


def test_every_value_has_its_cell_in_the_source_map() -> None:
    result = sharedoutcomes.convert(DATA / "alwf-grants.xlsx", format="360giving")

    amount = result.source_map["$.activities[0].funding[0].amount.amount"]
    assert (amount.sheet, amount.row, amount.column, amount.header) == ("Sheet1", 2, "F", "Amount Awarded")
    city = result.source_map[f"$.activities[0].extension_data.{EXTENSION}.recipientOrganization[0].addressLocality"]
    assert (city.row, city.column) == (2, "N")


def test_the_template_with_sub_sheets_and_meta() -> None:
    result = sharedoutcomes.convert(DATA / "template-grants.xlsx", format="360giving")

    package = result.package
    assert package.title == "A B Charitable Trust grants (three, trimmed)"
    assert package.publisher == "GB-CHC-1000147"
    assert package.extension_data[EXTENSION]["version"] == "1.4"
    assert package.extension_data[EXTENSION]["license"] == "https://creativecommons.org/licenses/by/4.0/"
    places = package.activities[0].extension_data[EXTENSION]["beneficiaryLocation"]
    assert [p["name"] for p in places] == ["UK Wide", "Greater London"]
    assert package.activities[0].locality == "UK Wide; Greater London"
    orphans = [p for p in result.problems if p.rule == "conversion.not-read"]
    assert {p.source.row for p in orphans if p.source} == {4}
    assert result.coverage is not None
    assert dict(result.coverage.not_read) == {"Beneficiary Location": 3}
    assert result.coverage.read["Meta"] == 8


def test_scottish_quirks_are_each_reported_where_they_are_and_the_originals_kept() -> None:
    result = sharedoutcomes.convert(DATA / "scottish-quirks.csv", format="360giving")

    rules = Counter(p.rule for p in result.problems)
    assert rules == {"threesixtygiving.date-format": 3, "threesixtygiving.unknown-field": 1,
                     "threesixtygiving.local-id-colon": 1, "threesixtygiving.placeholder-text": 1,
                     "threesixtygiving.org-id-typo": 1, "org-id-shape": 1}
    typo = next(p for p in result.problems if p.rule == "threesixtygiving.org-id-typo")
    assert "360G-RSMCT:2021:017" in typo.message
    assert "did you mean 'GB-SC-SC045223'" in typo.message
    assert (typo.source.row, typo.source.column) == (3, "I")
    first, second = result.package.activities
    assert first.period is not None
    assert first.period.start.isoformat() == "2020-10-05"
    assert first.extension_data[EXTENSION]["awardDate"] == "05/10/2020"
    assert first.extension_data[EXTENSION]["plannedDates"][0]["startDate"] == "05/10/2020"
    assert second.funding[0].grant_id == "360G-RSMCT:2021:017"
    assert second.description == "Dummy"
    assert "GB-SC-SCO45223" in {o.id for o in result.package.organisations}


def test_a_grant_to_an_individual_never_brings_the_name_in(tmp_path: Path) -> None:
    grant = json.loads(sample_path().read_text(encoding="utf-8"))["grants"][0]
    del grant["recipientOrganization"]
    grant["recipientIndividual"] = {"id": "360G-ABCT-IND-0001", "name": "Jane Example"}
    path = tmp_path / "individual.json"
    path.write_text(json.dumps({"grants": [grant]}), encoding="utf-8")

    result = sharedoutcomes.convert(path, format="360giving")

    assert "Jane Example" not in json.dumps(dict(result.document), default=str)
    assert [p.rule for p in result.problems if p.rule == "threesixtygiving.personal-data"] == [
        "threesixtygiving.personal-data"]
    assert result.coverage is not None
    assert result.coverage.total_not_read == 1
    assert result.package.activities[0].extension_data[EXTENSION]["recipientIndividual"] == {
        "id": "360G-ABCT-IND-0001"}


def test_bad_amounts_duplicates_and_missing_ids_are_reported_and_nothing_is_dropped(tmp_path: Path) -> None:
    grants = json.loads(sample_path().read_text(encoding="utf-8"))["grants"]
    grants[1]["amountAwarded"] = "£30,000"
    grants[2]["id"] = grants[0]["id"]
    del grants[3]["id"]
    path = tmp_path / "messy.json"
    path.write_text(json.dumps({"grants": grants}), encoding="utf-8")

    result = sharedoutcomes.convert(path, format="360giving")

    ids = [a.id for a in result.package.activities]
    assert ids == [grants[0]["id"], grants[1]["id"], grants[0]["id"] + "#2", "grant-4"]
    assert result.package.activities[1].funding[0].amount is None
    assert result.package.activities[1].extension_data[EXTENSION]["amountAwarded"] == "£30,000"
    rules = Counter(p.rule for p in result.problems)
    assert rules["threesixtygiving.bad-amount"] == rules["threesixtygiving.duplicate-id"] == 1
    assert rules["threesixtygiving.missing-field"] == 1


def test_what_is_not_a_360giving_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "empty.json").write_text('{"grants": []}', encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"grants": [{"id": ', encoding="utf-8")
    (tmp_path / "other.csv").write_text("Name,Age\nx,1\n", encoding="utf-8")

    for name, words in [("list.json", "not an object"), ("empty.json", "no 360Giving grants"),
                        ("broken.json", "malformed"), ("other.csv", "no sheet of grants")]:
        with pytest.raises(ConversionError, match=words):
            sharedoutcomes.convert(tmp_path / name, format="360giving")


def test_streaming_holds_one_grant_at_a_time_and_gives_the_same_grants() -> None:
    streamed = [grant.activity for grant in iter_grants(DATA / "abct-grants.json")]
    stream = GrantStream(DATA / "abct-grants.json")
    mapped = [grant.activity for grant in stream]

    assert streamed == mapped
    assert len(streamed) == 40
    assert stream.counter.coverage().complete


def test_cp1252_csv_from_excel_is_read(tmp_path: Path) -> None:
    text = (DATA / "scottish-quirks.csv").read_text(encoding="utf-8").replace("Mary's Meals,Dummy",
                                                                              "Mary's Meals,Caf\u00e9 costs")
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))

    result = sharedoutcomes.convert(path, format="360giving")

    assert result.package.activities[1].description == "Caf\u00e9 costs"
    assert len(result.package.activities) == 2


def test_field_path_headings_read_as_the_titles_do(tmp_path: Path) -> None:
    titles = (DATA / "scottish-quirks.csv").read_text(encoding="utf-8")
    paths = ("id,title,description,currency,amountAwarded,awardDate,plannedDates/0/startDate,plannedDates/0/endDate,"
             "recipientOrganization/0/id,recipientOrganization/0/name,recipientOrganization/0/charityNumber,"
             "recipientOrganization/0/addressLocality,beneficiaryLocation/0/name,fundingOrganization/0/id,"
             "fundingOrganization/0/name,grantProgramme/0/title,Internal Ref")
    path = tmp_path / "paths.csv"
    path.write_text(paths + "\n" + titles.split("\n", 1)[1], encoding="utf-8")

    by_title = sharedoutcomes.convert(DATA / "scottish-quirks.csv", format="360giving")
    by_path = sharedoutcomes.convert(path, format="360giving")

    assert by_path.package.activities == by_title.package.activities
    assert [p.rule for p in by_path.problems] == [p.rule for p in by_title.problems]
