"""Forms as people really fill them (issue 10, item 3): prose under headings, the template's own wording, foreign forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.forms.forms_as_filled import (
    foreign_spreadsheet,
    harmonising_report,
    harmonising_table,
    tutorial_blank_word,
)

from sharedoutcomes import validate
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.forms import read_form

HR = "harmonising-reporting"


def test_a_report_written_under_the_six_headings_is_read_into_its_sections(tmp_path: Path) -> None:
    result = read_form(harmonising_report(tmp_path / "garnock-shed-report.docx"), profile=HR)
    package = result.package
    assert [o.title for o in package.outcomes] == ["Older men feel less isolated and more connected",
                                                   "Members are more physically active"]
    activity = package.activities[0]
    assert activity.description.startswith("We set out to reduce isolation among older men")
    form = activity.extension_data["form"]
    assert form["planned_activities"] == "Weekly woodwork sessions, a breakfast club and a walking group."
    assert form["main_activities"].startswith("We ran 34 woodwork sessions")
    assert form["unexpected_outcomes"] == "Members started a repair café for the village."
    assert form["learning"] == "men come for the woodwork and stay for the company."
    assert form["changes_planned"] == "Arrange lifts before winter."
    assert [row["item"] for row in form["finance"]] == ["Coordinator", "Materials"]
    assert (package.period.start.isoformat(), package.period.end.isoformat()) == ("2024-04-01", "2025-03-31")
    # the difference made, outcome by outcome: narrative evidence supporting each contribution
    progress = {e.id.rsplit("-", 1)[-1]: e for e in package.evidence if e.kind == "observation"}
    assert progress["1"].narrative.startswith("Attendance grew from 12 to 31 men")
    assert progress["2"].narrative == "Nine members now walk with the group every week."
    # the quote is a quote, illustrating the outcome it was written under
    (quote,) = [e for e in package.evidence if e.kind == "quote"]
    assert quote.narrative.startswith("“Before the shed I could go a week")
    (link,) = [lk for lk in package.links if lk.evidence_id == quote.id]
    assert link.relation == "illustrates"
    assert link.target_id.endswith("-con-1")
    # challenges written under "Outcome 2" belong to outcome 2
    assert package.outcomes[1].extension_data["form"]["challenges"].startswith("Bus timetable changes")
    assert "form" not in package.outcomes[0].extension_data
    # nothing dropped: the one paragraph not read (the document's own title) is reported, with its place
    (not_read,) = [p for p in result.problems if p.rule == "conversion.not-read"]
    assert not_read.message.startswith("not read: \"Report to funders: Garnock Valley Men's Shed\" (paragraph 1")
    assert result.coverage is not None
    assert result.coverage.total_not_read == 1
    assert result.coverage.total_read >= 25
    assert validate(package).ok


def test_every_paragraph_of_the_report_is_in_the_package_or_reported(tmp_path: Path) -> None:
    import docx

    path = harmonising_report(tmp_path / "report.docx")
    result = read_form(path, profile=HR)
    text = result.document.__repr__()
    reported = " ".join(p.message for p in result.problems)
    for paragraph in docx.Document(str(path)).paragraphs:
        words = paragraph.text.strip()
        if not words:
            continue
        core = re.sub(r"^(Outcome \d+: |Key learning points: |Reporting period: |Organisation name: |"
                      r"Project name: )", "", words)
        if core.startswith(("1 April", "What we", "For each", "Learning", "Planned", "The main", "Unexpected",
                            "Anything", "Outcome 2", "For example")):
            continue  # headings and labels: structure of the form, counted as read
        assert core[:40] in text or core[:40] in reported, words


def test_the_templates_own_table_wording_is_mapped_and_numbers_are_not_titles(tmp_path: Path) -> None:
    result = read_form(harmonising_table(tmp_path / "carers-report.docx"), profile=HR)
    package = result.package
    assert [o.title for o in package.outcomes] == ["Carers have regular breaks from caring", "Carers feel less alone"]
    assert [o.id.rsplit("-", 1)[-1] for o in package.outcomes] == ["1", "2"]
    (warning,) = [p for p in result.problems if p.rule == "form.number-as-title"]
    assert warning.severity == "warning"
    assert warning.message == ("Section 2, outcomes: column 'Outcome' holds numbers (1, 2): read as the outcomes' "
                               "numbers, not their titles; the titles are read from 'Planned differences or changes' "
                               "(Word table 2, row 1)")
    assert package.outcomes[1].extension_data["form"]["challenges"] == (
        "The venue closed in July; we moved to the library.")
    form = package.activities[0].extension_data["form"]
    assert form["unexpected_outcomes"] == "Two carers now run the group."
    assert form["learning"] == "Carers value time together as much as time off."
    assert form["changes_planned"] == "Book venues a year ahead."
    assert (package.period.start.isoformat(), package.period.end.isoformat()) == ("2024-04-01", "2025-03-31")
    assert not [p for p in result.problems if p.rule == "form.unmapped-answer"]


def test_a_foreign_programmes_spreadsheet_is_refused_with_one_clear_error(tmp_path: Path) -> None:
    path = foreign_spreadsheet(tmp_path / "cmhwf-summary.xlsx")
    for profile in (HR, "north-ayrshire"):
        with pytest.raises(ConversionError) as caught:
            read_form(path, profile=profile)
        message = str(caught.value)
        assert message.startswith("cmhwf-summary.xlsx: this does not look like the ")
        assert len(message) < 600
    # its 'Organisation' header matches a Harmonising Reporting label, but the template's headings are absent
    with pytest.raises(ConversionError, match=r"not the questions and headings that identify it: 'What we expected "
                                              r"to do'.*\(found only 'Organisation name'\)"):
        read_form(path, profile=HR)


def test_the_tutorials_blank_word_template_reads_with_nothing_left_over(tmp_path: Path) -> None:
    result = read_form(tutorial_blank_word(tmp_path / "blank.docx"))
    assert result.coverage is not None
    assert result.coverage.complete
    assert {p.rule for p in result.problems if p.rule.startswith(("form.", "conversion."))} == {"form.required"}


def test_a_period_written_badly_is_one_located_error(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for text in ("Organisation name: Shed", "Project name: Sessions", "Reporting period: April to whenever",
                 "What we expected to do", "We planned to meet weekly.", "What we actually did", "We met weekly."):
        document.add_paragraph(text, style="Heading 1" if text.startswith("What") else None)
    path = tmp_path / "period.docx"
    document.save(str(path))
    result = read_form(path, profile=HR)
    (error,) = [p for p in result.problems if p.severity == "error"]
    assert error.rule == "form.not-a-date"
    assert "'Reporting period' answer 'April to whenever'" in error.message
    assert result.coverage is not None
    assert result.coverage.total_not_read == 1  # the rejected answer, reported by its own error


def test_unmapped_answers_are_de_duplicated_and_capped(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = [("Organisation name", "Shed"), ("Project name", "Sessions"), ("Reporting period start", "1/4/2024"),
            ("Reporting period end", "30/6/2024"), ("Amount awarded", "£5,000")]
    paragraph = "Please describe the difference your project makes. " * 60  # a 3 KB placeholder
    rows += [("Notes", paragraph)] * 20
    rows += [(f"Extra question {n}", f"answer {n}") for n in range(70)]
    for r, (label, value) in enumerate(rows, start=1):
        sheet.cell(r, 1, label)
        sheet.cell(r, 2, value)
    path = tmp_path / "extras.xlsx"
    workbook.save(str(path))
    result = read_form(path)
    warnings = [p for p in result.problems if p.rule == "form.unmapped-answer"]
    assert len(warnings) == 51  # 50 listed, one more with the count
    notes = warnings[0]
    assert notes.message.endswith("the same answer is on the form 19 more times (kept once)")
    assert len(notes.message) < 400
    assert warnings[-1].message.startswith("21 more answers the form profile does not know are kept")
    kept = result.package.extension_data["form"]["unmapped"]
    assert len(kept) == 71
    assert kept[0]["times"] == 20
