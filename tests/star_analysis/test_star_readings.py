"""Which evidence is a Star reading, which readings count, and what is reported when one cannot be used."""

from __future__ import annotations

import datetime as dt

import pytest

from sharedoutcomes import Evidence, EvidenceSubject, EvidenceValue, Package, example_package
from sharedoutcomes.star_analysis import StarReadings, readings


def test_finds_readings_and_reads_their_metadata(messy: Package) -> None:
    found = readings(messy)

    assert len(found) == 11
    assert found.people() == ("RS-0101", "RS-0102", "RS-0103", "RS-0104", "RS-0106")
    first = found.readings[0]
    assert (first.evidence_id, first.person, first.star, first.edition) == ("rs-0101-1", "RS-0101",
                                                                           "recovery-star", "4")
    assert (first.worker, first.service, first.status, first.reading_number, first.completion_type) == (
        "W-017", "Riverside Recovery Hub", "approved", 1, "collaborative")
    assert first.date == dt.date(2024, 4, 3)
    assert first.scores["managing-mental-health"] == 3
    assert first.labels["managing-mental-health"] == "Managing mental health"
    assert first.instrument == "outcomes-star/recovery-star/4"


def test_evidence_that_is_not_a_star_reading_is_ignored(messy: Package) -> None:
    found = readings(messy)

    assert "wemwbs-1" not in {r.evidence_id for r in (*found.readings, *found.not_counted)}


def test_approved_and_unstated_readings_count_others_do_not(messy: Package) -> None:
    found = readings(messy)

    counted = {r.evidence_id for r in found.readings}
    not_counted = {r.evidence_id: r.status for r in found.not_counted}
    assert not_counted == {"rs-0102-2": "in-progress", "rs-0105-1": "complete", "rs-0105-2": "complete"}
    assert {"rs-0104-1", "rs-0104-2"} <= counted  # no status at all: counted
    assert "rs-0102-1" in counted  # "Approved" with a capital letter


def test_status_policy_can_be_changed(messy: Package) -> None:
    strict = readings(messy, include_unstated=False)
    lenient = readings(messy, statuses=("Approved", "COMPLETE"))

    assert {"rs-0104-1", "rs-0104-2"} <= {r.evidence_id for r in strict.not_counted}
    assert {"rs-0105-1", "rs-0105-2"} <= {r.evidence_id for r in lenient.readings}
    assert len(strict) == 9
    assert len(lenient) == 13


def test_unusable_readings_and_scores_are_problems_located_in_the_source_file(messy: Package) -> None:
    problems = readings(messy).problems

    by_rule = {(p.rule, p.path) for p in problems}
    assert by_rule == {
        ("star-analysis.no-person", "$.evidence[12].subject"),
        ("star-analysis.no-date", "$.evidence[13].date"),
        ("star-analysis.score-out-of-scale", "$.evidence[14].values[0].value"),
        ("star-analysis.score-not-whole", "$.evidence[15].values[0].value"),
        ("star-analysis.score-not-whole", "$.evidence[15].values[1].value"),
    }
    out_of_scale = next(p for p in problems if p.rule == "star-analysis.score-out-of-scale")
    assert out_of_scale.source is not None
    assert (out_of_scale.source.file, out_of_scale.source.sheet, out_of_scale.source.row) == (
        "riverside-star-export.xlsx", "Star data", 16)
    assert "12" in out_of_scale.message
    assert "1–10" in out_of_scale.message
    assert all(p.severity == "warning" for p in problems)


def test_a_whole_float_score_is_accepted_and_the_rest_of_a_reading_is_kept(messy: Package) -> None:
    reading = next(r for r in readings(messy) if r.evidence_id == "rs-0106-2")

    assert reading.scores["living-skills"] == 7  # 7.0 in the file
    assert isinstance(reading.scores["living-skills"], int)
    assert "managing-mental-health" not in reading.scores
    assert len(reading.scores) == 8


def test_a_repeated_area_is_a_problem_and_the_first_score_is_used() -> None:
    evidence = Evidence(id="e", kind="assessment", date=dt.date(2024, 1, 1),
                        subject=EvidenceSubject(type="person", id="P"), instrument="outcomes-star/carers-star/1",
                        values=(EvidenceValue(code="health", value=3), EvidenceValue(code="health", value=8)))

    found = readings([evidence])

    assert found.readings[0].scores == {"health": 3}
    assert [p.rule for p in found.problems] == ["star-analysis.area-repeated"]


def test_edition_comes_from_the_extension_when_the_instrument_has_none_and_is_normalised() -> None:
    evidence = Evidence(id="e", kind="assessment", date=dt.date(2024, 1, 1),
                        subject=EvidenceSubject(type="person", id="P"), instrument="outcomes-star/recovery-star",
                        values=(EvidenceValue(code="home", value=3),),
                        extension_data={"outcomes-star": {"edition": "4th edition"}})

    assert readings([evidence]).readings[0].edition == "4"


def test_a_reading_known_only_from_its_extension_data_is_recognised() -> None:
    evidence = Evidence(id="e", kind="assessment", date=dt.date(2024, 1, 1),
                        subject=EvidenceSubject(type="person", id="P"),
                        values=(EvidenceValue(code="health", value=3),),
                        extension_data={"outcomes-star": {"star": "carers-star", "edition": "1"}})

    assert readings([evidence]).readings[0].instrument == "outcomes-star/carers-star/1"


def test_an_instrument_without_a_star_is_a_problem() -> None:
    evidence = Evidence(id="e", kind="assessment", date=dt.date(2024, 1, 1),
                        subject=EvidenceSubject(type="person", id="P"), instrument="outcomes-star/",
                        values=(EvidenceValue(code="health", value=3),))

    found = readings([evidence])

    assert len(found) == 0
    assert [p.rule for p in found.problems] == ["star-analysis.no-star"]


def test_a_star_the_registry_does_not_know_uses_the_scale_its_values_declare(reading) -> None:
    local = [reading("P", "2024-01-01", [1, 5], star="our-local-star", edition="1", scale_max=5),
             reading("P", "2024-06-01", [6, 2], star="our-local-star", edition="1", scale_max=5)]

    found = readings(local)

    assert [p.rule for p in found.problems] == ["star-analysis.score-out-of-scale"]
    assert found.editions[("our-local-star", "1")].stages[0] == "Stage 1"


def test_the_example_package_readings_count() -> None:
    found = readings(example_package())

    assert len(found) == 2
    assert found.instruments() == {"outcomes-star/carers-star": 2}


def test_select_filters_by_each_field(messy: Package) -> None:
    found = readings(messy)

    assert {r.person for r in found.select(worker="W-031")} == {"RS-0104"}
    assert {r.person for r in found.select(worker=["W-022", "W-031"])} == {"RS-0102", "RS-0104", "RS-0106"}
    assert {r.person for r in found.select(service="Northfield Outreach")} == {"RS-0104"}
    assert len(found.select(edition="3")) == 2
    assert len(found.select(period=(dt.date(2024, 10, 9), dt.date(2024, 10, 9)))) == 2  # both ends inclusive
    assert len(found.select(person="RS-0101")) == 3
    assert found.select(worker="nobody").readings == ()


def test_readings_table_views(messy: Package) -> None:
    found = readings(messy)

    frame = found.to_dataframe()
    assert len(frame) == sum(len(r.scores) for r in found)
    assert set(frame["person"]) == set(found.people())
    assert repr(found) == "<StarReadings: 11 readings of 5 people, 3 not counted, 5 problems>"
    html = found._repr_html_()
    assert "<table" in html
    assert "outcomes-star/recovery-star/4" in html


def test_an_empty_source_gives_empty_readings() -> None:
    assert readings([]) == StarReadings()


@pytest.mark.parametrize("status", ["in progress", "IN_PROGRESS", " In-Progress "])
def test_status_spellings_compare_ignoring_case_spaces_and_underscores(reading, status: str) -> None:
    found = readings([reading("P", "2024-01-01", [3], status=status)], statuses=("in-progress",))

    assert len(found) == 1
