"""Reading completed forms: well-filled and messy, Word, Excel and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sharedoutcomes import convert, validate
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.forms import read_form, template

PRODUCED = "2024-07-20T00:00:00Z"


@pytest.mark.parametrize("fixture", ["well_filled_docx", "well_filled_xlsx"])
def test_a_well_filled_form_converts_into_a_valid_package(fixture: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(fixture)
    result = read_form(path, produced=PRODUCED)
    assert result.problems == ()
    assert validate(result.package).ok
    package = result.package
    shed = package.organisations[0]
    assert (shed.id, shed.name, shed.kind) == ("GB-SC-SC045123", "Garnock Valley Men's Shed", "charity")
    assert package.organisations[1].id == "GB-NHS-NAHSCP"  # the funder, from 'NAHSCP'
    activity = package.activities[0]
    assert activity.title == "Shed sessions for older men"
    assert str(activity.period.start) == "2024-04-01"
    assert str(activity.period.end) == "2025-03-31"
    line = activity.funding[0]
    assert (line.funder_id, line.fund, line.amount.amount, line.grant_id) == (
        "GB-NHS-NAHSCP", "Integrated Care Fund", 18500, "ICF-2024-017")
    assert str(package.period.start) == "2024-04-01"
    assert str(package.period.end) == "2024-06-30"
    form_ext = activity.extension_data["form"]
    assert form_ext["amount_spent"] == 4200.5
    assert form_ext["national_outcomes"] == ["1", "4"]
    assert form_ext["finance"][1] == {"item": "Materials", "budget": 2500, "actual": 1200.5}
    assert package.extension_data["form"]["report_type"] == "quarterly"
    assert package.extension_data["form"]["signed_on"] == "2024-07-15"
    assert [e.name for e in package.extensions] == ["form"]


def test_outcomes_map_to_the_national_outcomes_ticked(well_filled_docx: Path) -> None:
    package = read_form(well_filled_docx, produced=PRODUCED).package
    first, second = package.outcomes
    assert first.title == "Older men feel less isolated and more connected"
    assert [(m.framework, m.code, m.relation) for m in first.mappings] == [
        ("scot-nhwo", "1", "broad"), ("scot-nhwo", "4", "broad")]
    assert [m.code for m in second.mappings] == ["1"]
    assert first.extension_data["form"] == {"rag_status": "green"}


def test_indicators_have_baseline_target_and_actual_as_evidence(well_filled_docx: Path) -> None:
    package = read_form(well_filled_docx, produced=PRODUCED).package
    attending = package.indicators[0]
    assert attending.title == "Men attending at least monthly"
    assert attending.baseline.value == 12
    assert attending.targets[0].value == 40
    assert attending.outcome_ids == (package.outcomes[0].id,)
    isolated = package.indicators[1]
    assert isolated.unit == "%"
    assert isolated.targets[0].value == 70
    actuals = {v.indicator_id: v.value for e in package.evidence for v in e.values if v.indicator_id}
    assert actuals == {attending.id: 31, isolated.id: 74, package.indicators[2].id: 9}


def test_contributions_and_links_tie_evidence_to_outcomes(well_filled_docx: Path) -> None:
    package = read_form(well_filled_docx, produced=PRODUCED).package
    con1, con2 = package.contributions
    assert con1.organisation_id == "GB-SC-SC045123"
    assert con1.outcome_id == package.outcomes[0].id
    assert con1.pathway == "Regular sessions give men a reason to leave the house and make friends."
    by_evidence: dict[str, set[tuple[str, str]]] = {}
    for link in package.links:
        by_evidence.setdefault(link.evidence_id, set()).add((link.target_id, link.relation))
    evidence = {e.id: e for e in package.evidence}
    # every piece of evidence is linked to a contribution
    assert set(by_evidence) == set(evidence)
    quote = next(e for e in package.evidence if e.kind == "quote")
    assert by_evidence[quote.id] == {(con1.id, "illustrates"), (con2.id, "illustrates")}
    assert quote.consent == "given"
    case = next(e for e in package.evidence if e.kind == "case-study")
    assert by_evidence[case.id] == {(con1.id, "illustrates")}
    assert str(case.date) == "2024-06-02"
    assert case.summary == "Rebuilding a routine"
    people = next(e for e in package.evidence if e.summary == "People supported")
    assert {v.code: v.value for v in people.values} == {
        "new-people": 14, "existing-people": 29, "carers": 3, "volunteers": 6, "volunteer-hours": 1260}


def test_evidence_records_where_it_came_from(well_filled_docx: Path) -> None:
    package = read_form(well_filled_docx, produced=PRODUCED).package
    actual = next(e for e in package.evidence if e.kind == "measurement")
    assert actual.provenance.file == well_filled_docx.name
    assert actual.provenance.original_format == "north-ayrshire"
    assert actual.provenance.sheet
    assert actual.provenance.row == 2
    assert actual.provenance.question == "F: Actual"


def _by_rule(result: object) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in result.problems:  # type: ignore[attr-defined]
        out.setdefault(problem.rule, []).append(problem.message)
    return out


def test_errors_point_at_the_form_in_a_project_officers_words(messy_docx_path: Path) -> None:
    result = read_form(messy_docx_path, produced=PRODUCED)
    rules = _by_rule(result)
    assert rules["form.not-a-number"] == [
        "Section H: 'Volunteers' answer 'five' is not a number (Word table 4, row 4)",
        "Section F, outcome 2, indicator 'People reporting less isolation': target '20 people' is not a number "
        "(Word table 6, row 3)",
    ]
    assert rules["form.impossible-date"] == [
        "Section B: 'Project start date' answer '31/02/2024' is not a real date (Word table 1, row 3)"]
    assert rules["form.percentage-over-100"] == [
        "Section F, outcome 1, indicator 'Participants who feel more confident': actual '120%' is a percentage "
        "over 100 (Word table 6, row 4)"]
    assert rules["form.actual-without-target"] == [
        "Section F, outcome 1, indicator 'Exhibitions held': has an actual (2) but no target (Word table 6, row 5)"]
    assert "'12', which is not on the National Health and Wellbeing Outcomes list (1–9)" in rules[
        "form.choice-unknown"][0]
    assert "outcome no(s). '9' is not an outcome on this form (outcomes: 1, 2)" in rules["form.outcome-unknown"][0]
    target = next(p for p in result.problems if "20 people" in p.message)
    assert target.severity == "error"
    assert target.path.startswith("$.indicators[")
    assert target.path.endswith(".target")
    assert target.source is not None
    assert (target.source.file, target.source.section, target.source.table, target.source.row,
            target.source.question) == (messy_docx_path.name, "F", 6, 3, "Target")


def test_everything_else_in_a_messy_form_still_converts(messy_docx_path: Path) -> None:
    package = read_form(messy_docx_path, produced=PRODUCED).package
    organisation = package.organisations[0]
    assert (organisation.id, organisation.name) == ("GB-SC-SC038977", "Irvine Community Arts")
    activity = package.activities[0]
    assert activity.title == "Connect & Create"  # from a merged label cell
    assert activity.funding[0].grant_id == "ICF/2024/031"  # label, spacer cell, answer
    assert activity.funding[0].amount.amount == 12000  # '£12k'
    assert activity.funding[0].funder_id == "GB-NHS-NAHSCP"  # 'North Ayrshire HSCP'
    assert str(package.period.start) == "2024-04-01"  # '1st April 2024', two questions in one row
    assert [o.title for o in package.outcomes] == ["People feel more confident", "People feel less isolated"]
    assert [m.code for m in package.outcomes[0].mappings] == ["1", "5"]
    assert [m.code for m in package.outcomes[1].mappings] == ["4"]  # 'NHWO 4'
    # the vertically merged outcome number belongs to both indicators
    assert [i.title for i in package.indicators if i.outcome_ids == (package.outcomes[1].id,)] == [
        "People attending weekly", "People reporting less isolation"]
    bad = next(i for i in package.indicators if i.title == "People reporting less isolation")
    assert bad.targets == ()  # the bad target is a problem, the rest converts
    refusal = next(e for e in package.evidence if e.narrative and e.narrative.startswith("She told us"))
    assert refusal.consent == "refused"


def test_unknown_questions_are_kept_with_their_location(messy_docx_path: Path) -> None:
    result = read_form(messy_docx_path, produced=PRODUCED)
    unmapped = result.package.extension_data["form"]["unmapped"]
    assert {"label": "Number of referrals from GPs", "value": "14",
            "location": {"file": messy_docx_path.name, "table": 2, "row": 4, "column": "2",
                         "section": "A", "question": "Number of referrals from GPs"}} in unmapped
    notes = next(u for u in unmapped if u["label"] == "Notes")
    assert notes["value"] == "Referral pathway with GPs started in May"
    warnings = [p for p in result.problems if p.rule == "form.unmapped-answer"]
    assert len(warnings) == len(unmapped)
    assert all(p.severity == "warning" for p in warnings)
    assert any(p.path == "$.extension_data.form.unmapped[0]" for p in warnings)


def test_a_messy_spreadsheet_with_merged_labels_and_gaps(messy_xlsx_path: Path) -> None:
    result = read_form(messy_xlsx_path, produced=PRODUCED)
    package = result.package
    assert package.organisations[0].id == "GB-SC-SC012345"
    assert str(package.period.start) == "2024-04-01"
    assert str(package.period.end) == "2024-06-30"
    assert package.activities[0].funding[0].amount.amount == 5000
    assert [o.title for o in package.outcomes] == ["Older people feel less lonely", "Volunteers feel valued"]
    assert [m.code for m in package.outcomes[1].mappings] == ["8"]
    purple = next(p for p in result.problems if p.rule == "form.choice-unknown")
    assert purple.message == ("Section F, outcomes row 2: rag status 'Purple' is not on the RAG status list "
                              "(Green, Amber, Red) (sheet 'Q1 return', cell E15)")
    assert purple.source.sheet == "Q1 return"
    assert purple.source.column == "E"
    assert purple.source.row == 15
    biscuit = package.extension_data["form"]["unmapped"][0]
    assert biscuit["label"] == "Favourite biscuit"
    assert biscuit["value"] == "Tunnock's teacake"
    assert biscuit["location"]["column"] == "D"
    assert biscuit["location"]["row"] == 9


def test_a_blank_form_reports_the_missing_required_answers(tmp_path: Path) -> None:
    blank = tmp_path / "blank.docx"
    template("north-ayrshire", blank)
    result = read_form(blank)
    messages = [p.message for p in result.problems if p.rule == "form.required"]
    assert "Section A: 'Organisation name' has no answer (Word table 1, row 1)" in messages
    assert len(messages) == 5  # name, OSCR number, project name, period from and to


def test_a_required_question_missing_from_the_form(tmp_path: Path) -> None:
    path = tmp_path / "form.json"
    path.write_text(json.dumps({"answers": {"Organisation name": "Shed", "Project name": "Sessions",
                                            "OSCR number": "SC045123", "Period from": "1/4/24"}}))
    result = read_form(path)
    missing = [p for p in result.problems if p.rule == "form.required"]
    assert [p.message for p in missing] == ["Section D: the question 'Reporting period to' is missing from the form"]
    assert missing[0].source.section == "D"


def test_json_forms_by_id_or_label(tmp_path: Path) -> None:
    path = tmp_path / "form.json"
    path.write_text(json.dumps({
        "form": "north-ayrshire",
        "answers": {"org_name": "Shed", "OSCR charity number": "045123", "project_name": "Sessions",
                    "period_start": "2024-04-01", "period_end": "30/06/2024", "Tea preference": "strong"},
        "tables": {"outcomes": [{"number": "1", "title": "Men feel less isolated", "nhwo": ["1", "4"]}],
                   "Indicators": [{"Outcome no.": "1", "Indicator": "Members", "Target": 40, "Actual": "31"}]},
    }))
    result = read_form(path, produced=PRODUCED)
    package = result.package
    assert package.organisations[0].id == "GB-SC-SC045123"  # six digits become SC045123
    assert [m.code for m in package.outcomes[0].mappings] == ["1", "4"]
    assert package.indicators[0].targets[0].value == 40
    unmapped = package.extension_data["form"]["unmapped"]
    assert unmapped[0]["label"] == "Tea preference"
    assert unmapped[0]["location"]["sheet"] == "answers"


def test_a_file_that_is_not_this_form_gets_one_clear_message(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Menu"
    table.cell(1, 0).text = "Soup of the day"
    path = tmp_path / "minutes.docx"
    document.save(str(path))
    with pytest.raises(ConversionError, match=r"minutes.docx: this does not look like the Integrated Care Fund "
                       r"monitoring and evaluation return \(north-ayrshire form profile\)"):
        read_form(path)


def test_an_odd_charity_number_is_a_warning_and_still_converts(tmp_path: Path) -> None:
    path = tmp_path / "form.json"
    path.write_text(json.dumps({"answers": {"org_name": "Shed", "oscr": "CHC 1234567", "project_name": "P",
                                            "period_start": "1/4/2024", "period_end": "30/6/2024"}}))
    result = read_form(path)
    (problem,) = [p for p in result.problems if p.rule == "form.oscr-number"]
    assert problem.severity == "warning"
    assert "'CHC 1234567' is not an OSCR number" in problem.message
    assert result.package.organisations[0].id == "GB-SC-CHC1234567"


def test_registered_formats_read_forms(well_filled_docx: Path) -> None:
    result = convert(well_filled_docx, format="north-ayrshire", produced=PRODUCED)
    assert result.format == "north-ayrshire"
    assert result.ok
    generic = convert(well_filled_docx, format="form", profile="north-ayrshire", produced=PRODUCED)
    assert generic.ok
    assert generic.package.outcomes == result.package.outcomes
    assert generic.package.evidence[0].provenance.converted_by == "form"
    with pytest.raises(ConversionError, match="needs a profile"):
        convert(well_filled_docx, format="form")



def test_a_question_answered_twice_keeps_both_answers(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=0, cols=2)
    for label, value in (("Organisation name", "Shed"), ("OSCR number", "SC045123"), ("Project name", "Sessions"),
                         ("Project name", "Walking group"), ("Period from", "1/4/24"), ("Period to", "30/6/24")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    path = tmp_path / "twice.docx"
    document.save(str(path))
    result = read_form(path)
    assert result.package.activities[0].title == "Sessions"
    (problem,) = [p for p in result.problems if p.rule == "form.duplicate-answer"]
    assert problem.message == ("Section B: 'Project name' is answered twice; the second answer 'Walking group' is "
                               "kept as an unmapped answer (Word table 1, row 4)")
    assert result.package.extension_data["form"]["unmapped"][0]["value"] == "Walking group"
