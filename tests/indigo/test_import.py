"""INDIGO data in: GO Lab's published flat tables and project JSON, every piece and every sum accounted for."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

import sharedoutcomes
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.indigo import IndigoFormat, parse_number, sample_path
from sharedoutcomes.story import contribution_story

DATA = Path(__file__).parent / "data"
FLAT = DATA / "flat"
PUBLISHER = "GB-EDU-133808"


@pytest.fixture(scope="module")
def flat() -> sharedoutcomes.ConversionResult:
    return sharedoutcomes.convert(FLAT, format="indigo", publisher=PUBLISHER, publisher_name="A reader")


def _rows(table: str) -> list[dict[str, str]]:
    with (FLAT / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _non_empty_cells() -> Counter[str]:
    cells: Counter[str] = Counter()
    for path in FLAT.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        cells[path.stem] = sum(1 for row in rows[1:] for cell in row if cell.strip())
    return cells


def test_the_published_tables_convert_to_a_valid_package(flat: sharedoutcomes.ConversionResult) -> None:
    package = flat.package

    assert flat.ok, [str(p) for p in flat.problems if p.severity == "error"]
    assert [a.id for a in package.activities] == ["INDIGO-POJ-0001", "INDIGO-POJ-0120", "INDIGO-POJ-0200",
                                                  "INDIGO-POJ-0228"]
    assert package.activities[2].title == "Norfolk Carers Partnership"
    assert sharedoutcomes.validate(package).ok


def test_every_cell_is_read_or_reported(flat: sharedoutcomes.ConversionResult) -> None:
    cells = _non_empty_cells()
    coverage = flat.coverage
    assert coverage is not None

    assert coverage.total_read + coverage.total_not_read == sum(cells.values())
    for part in cells:
        assert coverage.read.get(part, 0) + coverage.not_read.get(part, 0) == cells[part], part
    not_read = [p for p in flat.problems if p.rule in {"conversion.not-read", "indigo.personal-data"}]
    assert len(not_read) == coverage.total_not_read == 1  # the one contact name, never read


def test_every_metric_and_result_is_accounted_for_and_the_sums_are_the_sources(
        flat: sharedoutcomes.ConversionResult) -> None:
    package = flat.package
    results = _rows("projects_results")
    achieved = [parse_number(r["Outcomes achieved - (Value)"])[0] for r in results]
    engaged = [parse_number(r["Number engaged In impact bond - (Value)"])[0] for r in results]
    values = defaultdict(list)
    for evidence in package.evidence:
        for value in evidence.values:
            values[value.code].append(value.value)

    assert len(package.indicators) == len(package.outcomes) == len(_rows("projects_outcome_metrics"))
    assert len(package.evidence) == len(results)
    assert sum(values["outcomes-achieved"]) == sum(n for n in achieved if n is not None)
    assert len(values["outcomes-achieved"]) == sum(n is not None for n in achieved)
    assert sum(values["engaged"]) == sum(n for n in engaged if n is not None)
    told = [r["Outcomes achieved - (Value)"] for r in results if r["Outcomes achieved - (Value)"]
            and parse_number(r["Outcomes achieved - (Value)"])[0] is None]
    narratives = " ".join(e.narrative or "" for e in package.evidence)
    assert told
    assert all(text in narratives for text in told)


def test_outcome_payments_become_funding_lines_with_the_sources_totals(flat: sharedoutcomes.ConversionResult) -> None:
    source: Counter[str] = Counter()
    for row in _rows("projects_outcome_payments"):
        source[row["Payments - Currency - (Value)"]] += float(row["Payments - Amount - (Value)"])
    funded: Counter[str] = Counter()
    for activity in flat.package.activities:
        for line in activity.funding:
            assert line.amount is not None
            funded[line.amount.currency] += line.amount.amount

    assert set(funded) == set(source) == {"GBP"}
    assert funded["GBP"] == pytest.approx(source["GBP"])
    assert sum(len(a.funding) for a in flat.package.activities) == len(_rows("projects_outcome_payments"))


def test_the_quirks_of_published_data_are_located_problems_and_the_text_is_kept(
        flat: sharedoutcomes.ConversionResult) -> None:
    located = {(p.rule, p.path): str(p.source) for p in flat.problems}
    dumped = json.dumps(sharedoutcomes.dump(flat.package), ensure_ascii=False)

    assert located[("indigo.bad-date", "$.evidence[1].period.start")] == \
        "projects_results.csv, row 3, column E ('Period - Start - (Value)')"
    assert '"2018-13"' in dumped
    engaged = next(e for e in flat.package.evidence if e.id == "ev-INDIGO-POJ-0120-result-1")
    assert [(v.code, v.value) for v in engaged.values] == [("engaged", 3600)]
    assert engaged.extension_data["indigo"]["number_engaged_in_impact_bond"]["value"] == "3600 (as of Jan 2019)"
    assert located[("indigo.prose-in-number", "$.evidence[5].values[0].value")] == \
        "projects_results.csv, row 7, column H ('Number engaged In impact bond - (Value)')"
    assert any(rule == "indigo.whitespace" for rule, _ in located)
    assert any(rule == "indigo.org-id-missing" for rule, _ in located)


def test_contact_details_of_people_never_reach_the_package_or_a_message(
        flat: sharedoutcomes.ConversionResult) -> None:
    name = "(a person's name, removed from the fixture)"
    dumped = json.dumps(sharedoutcomes.dump(flat.package), ensure_ascii=False)

    assert name not in dumped
    assert all(name not in p.message for p in flat.problems)
    assert [str(p.source) for p in flat.problems if p.rule == "indigo.personal-data"] == \
        ["organisations.csv, row 2, column J ('Contact - Name - (Value)')"]


def test_results_are_linked_to_their_indicator_and_to_the_providers_contributions(
        flat: sharedoutcomes.ConversionResult) -> None:
    package = flat.package
    evidence = next(e for e in package.evidence if e.id == "ev-INDIGO-POJ-0228-result-3")
    links = [(link.target_type, link.target_id, link.strength) for link in package.links
             if link.evidence_id == evidence.id]
    providers = {r["Organisation ID - (Value)"] for r in _rows("projects_service_provisions")
                 if r["Project ID"] == "INDIGO-POJ-0228"}

    assert evidence.values[0].indicator_id == "ind-INDIGO-POJ-0228-outcomemetric3"
    assert ("indicator", "ind-INDIGO-POJ-0228-outcomemetric3", "moderate") in links
    assert {t for kind, t, _ in links if kind == "contribution"} == \
        {f"con-INDIGO-POJ-0228-outcomemetric3-{p}" for p in providers}
    assert package.indicators[[i.id for i in package.indicators].index(evidence.values[0].indicator_id)] \
        .instrument == "Well-being Star"


def test_the_contribution_story_rates_contributions_by_their_linked_results(
        flat: sharedoutcomes.ConversionResult) -> None:
    package = flat.package
    story = contribution_story(package, "out-INDIGO-POJ-0228-outcomemetric3")

    assert story.contributions
    for entry in story.contributions:
        assert entry.rating.rating == "moderate"
        assert "ev-INDIGO-POJ-0228-result-3" in entry.rating.explain()
    unlinked = contribution_story(package, "out-INDIGO-POJ-0120-outcomemetric2")
    assert {entry.rating.rating for entry in unlinked.contributions} == {"none"}


def test_projects_are_chosen_by_id(flat: sharedoutcomes.ConversionResult) -> None:
    chosen = sharedoutcomes.convert(FLAT, format="indigo", publisher=PUBLISHER, projects=["INDIGO-POJ-0200"])

    assert [a.id for a in chosen.package.activities] == ["INDIGO-POJ-0200"]
    assert chosen.coverage is not None
    assert flat.coverage is not None
    assert chosen.coverage.total_read + chosen.coverage.total_not_read == \
        flat.coverage.total_read + flat.coverage.total_not_read
    skipped = [p for p in chosen.problems if p.rule == "conversion.not-read" and "projects=" in p.message]
    assert {p.source.sheet for p in skipped if p.source} >= {"projects_results", "projects_outcome_metrics"}
    with pytest.raises(ConversionError, match="INDIGO-POJ-9999"):
        sharedoutcomes.convert(FLAT, format="indigo", projects=["INDIGO-POJ-9999"])


def test_the_sample_project_json_is_read_whole() -> None:
    result = IndigoFormat().read(sample_path(), publisher=PUBLISHER)

    assert result.ok
    assert result.coverage is not None
    assert result.coverage.complete
    assert result.package.indicators[5].title == "Metric 6: Wellbeing improvement (6 months)"
    payers = [p for p in result.problems if p.rule == "indigo.several-payers"]
    assert len(payers) == 56
    assert str(payers[0].source) == \
        "indigo-norfolk-carers.json, section $.project.data.outcome_payments[0].payer_organisation_id.value"


def test_project_json_members_indigo_does_not_define_are_reported(tmp_path: Path) -> None:
    document = json.loads(sample_path().read_text(encoding="utf-8"))
    document["project"]["data"]["outcome_metrics"][0]["colour"] = {"value": "teal"}
    document["project"]["data"]["rating"] = 5
    path = tmp_path / "project.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    result = IndigoFormat().read(path, publisher=PUBLISHER)

    assert result.coverage is not None
    assert result.coverage.not_read == {"outcome_metrics": 1, "rating": 1}
    assert sorted(str(p.source) for p in result.problems if p.rule == "conversion.not-read") == [
        "project.json, section $.project.data.outcome_metrics[0].colour.value",
        "project.json, section $.project.data.rating",
    ]


def test_organisations_for_project_json_come_from_the_organisations_table() -> None:
    result = IndigoFormat().read(sample_path(), publisher=PUBLISHER, organisations=FLAT / "organisations.csv")
    names = {o.extension_data["indigo"]["indigo_id"]: o.name for o in result.package.organisations
             if "indigo" in o.extension_data}

    table = {r["ID"]: " ".join(r["Name"].split()) for r in _rows("organisations")}

    assert names["INDIGO-ORG-0171"] == "Department for Culture, Media and Sport (DCMS)"
    assert names
    assert all(table[i] == name for i, name in names.items())
    assert not [p for p in result.problems if p.rule == "indigo.organisation-unknown"]


def test_an_unreadable_source_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")

    with pytest.raises(ConversionError, match="no INDIGO table"):
        IndigoFormat().read(tmp_path)
    with pytest.raises(ConversionError, match="not valid JSON"):
        IndigoFormat().read(broken)
    with pytest.raises(TypeError, match="does not take 'colour'"):
        IndigoFormat().read(sample_path(), colour="teal")


@pytest.mark.parametrize(("document", "named"), [
    ({"foo": 1, "bar": [1, 2]}, "(foo, bar)"),
    ({"project": {"id": "INDIGO-POJ-0001", "data": {"colour": "red"}}}, "(colour)"),
    ([{"title": "A grant"}, {"amount": 5}], "(title, amount)"),
    ({}, "holds no field"),
])
def test_a_json_file_with_nothing_of_indigo_in_it_is_refused_not_made_an_empty_package(
        tmp_path: Path, document: Any, named: str) -> None:
    # Before, such a file "converted" into a package that held nothing of it, with warnings only: the
    # package then validated clean.
    path = tmp_path / "other.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(ConversionError, match="does not look like an INDIGO project JSON") as caught:
        IndigoFormat().read(path, publisher=PUBLISHER)

    assert named in str(caught.value)
    assert caught.value.source is not None
    assert caught.value.source.file == "other.json"
