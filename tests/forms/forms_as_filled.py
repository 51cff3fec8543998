"""
Forms as people really fill them, built at test time with python-docx and openpyxl.

Each builder imitates a real document (named in its docstring and in data/README.md); the
organisations, people and figures are made up, and no licensed wording is copied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _heading(document: Any, text: str, level: int = 1) -> None:
    document.add_paragraph(text, style=f"Heading {level}")


def harmonising_report(path: Path, *, budget_table: bool = True) -> Path:
    """
    A report in the Harmonising Reporting template's real layout: paragraphs under its six headings.

    Imitates the reporting template of the Scotland Funders' Forum and ESS as the Scottish
    Government reproduces it (Third Sector Interface outcome framework, 2018, page 8): the
    headings "What we expected to do", "What we actually did", "For each outcome: what difference
    we actually made", "For each outcome challenges and changes", "Learning for the future:" and
    "For example – budget details", each answered in prose, as a project writes its report in Word.
    """
    import docx

    document = docx.Document()
    document.add_paragraph("Report to funders: Garnock Valley Men's Shed", style="Title")
    document.add_paragraph("Organisation name: Garnock Valley Men's Shed")
    document.add_paragraph("Project name: Shed sessions for older men")
    document.add_paragraph("Reporting period: 1 April 2024 to 31 March 2025")
    _heading(document, "What we expected to do")
    document.add_paragraph("We set out to reduce isolation among older men in the Garnock Valley by giving them "
                           "somewhere to go, something to do and people to do it with.")
    document.add_paragraph("Planned differences or changes")
    document.add_paragraph("Older men feel less isolated and more connected", style="List Number")
    document.add_paragraph("Members are more physically active", style="List Number")
    document.add_paragraph("The main activities or services")
    document.add_paragraph("Weekly woodwork sessions, a breakfast club and a walking group.")
    _heading(document, "What we actually did")
    document.add_paragraph("We ran 34 woodwork sessions and 13 breakfast clubs, and worked with 43 men, "
                           "14 of them new this year.")
    _heading(document, "For each outcome: what difference we actually made")
    _heading(document, "Outcome 1: Older men feel less isolated and more connected", level=2)
    document.add_paragraph("Attendance grew from 12 to 31 men; in our survey 74% said they feel less alone.")
    document.add_paragraph("“Before the shed I could go a week without speaking to anybody.” (member, 71)")
    _heading(document, "Outcome 2: Members are more physically active", level=2)
    document.add_paragraph("Nine members now walk with the group every week.")
    _heading(document, "For each outcome challenges and changes")
    _heading(document, "Outcome 2", level=2)
    document.add_paragraph("Bus timetable changes left two villages without an evening service, so we moved "
                           "the walks to the mornings.")
    _heading(document, "Learning for the future:")
    document.add_paragraph("Unexpected outcomes (positive or negative)")
    document.add_paragraph("Members started a repair café for the village.")
    document.add_paragraph("Key learning points: men come for the woodwork and stay for the company.")
    document.add_paragraph("Anything we will do differently in the future")
    document.add_paragraph("Arrange lifts before winter.")
    if budget_table:
        _heading(document, "For example – budget details")
        table = document.add_table(rows=3, cols=3)
        for r, texts in enumerate((("Item", "Budget", "Actual spend"), ("Coordinator", "£12,000", "£11,800"),
                                   ("Materials", "£2,500", "£2,650"))):
            for c, text in enumerate(texts):
                table.cell(r, c).text = text
    document.save(str(path))
    return path


def harmonising_table(path: Path) -> Path:
    """
    The template's headings as a table, in its own wording: numbers in an "Outcome" column.

    Imitates a funder's Word version of the Harmonising Reporting template laid out as a grid
    (as several Scottish funders issue it): a first column "Outcome" numbering the rows, then
    "Planned differences or changes", "What difference we actually made" and "Challenges and
    changes"; then "Reporting period" and the learning points as label/answer rows.
    """
    import docx

    document = docx.Document()
    document.add_paragraph("Report to funders", style="Title")
    about = document.add_table(rows=0, cols=2)
    for label, value in (("Organisation name", "Three Towns Carers"), ("Project name", "Carers' breaks"),
                         ("Reporting period", "01/04/2024 - 31/03/2025")):
        cells = about.add_row().cells
        cells[0].text, cells[1].text = label, value
    _heading(document, "What we expected to do")
    outcomes = document.add_table(rows=3, cols=4)
    rows = (("Outcome", "Planned differences or changes", "What difference we actually made",
             "Challenges and changes"),
            ("1", "Carers have regular breaks from caring", "41 carers had at least one break a month.", ""),
            ("2", "Carers feel less alone", "Carers say the group is where they are understood.",
             "The venue closed in July; we moved to the library."))
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            outcomes.cell(r, c).text = text
    _heading(document, "Learning for the future")
    learning = document.add_table(rows=0, cols=2)
    for label, value in (("Unexpected outcomes (positive or negative)", "Two carers now run the group."),
                         ("Key learning points", "Carers value time together as much as time off."),
                         ("Anything we will do differently in the future", "Book venues a year ahead.")):
        cells = learning.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.save(str(path))
    return path


def foreign_spreadsheet(path: Path) -> Path:
    """
    Another programme's spreadsheet form, not a Harmonising Reporting or ICF return.

    Imitates the Scottish Government's Communities Mental Health and Wellbeing Fund local
    partnership summary reporting form (Year 1 monitoring summary, Annex D): lead partner and
    contact, grant amount, partnership and governance, a plan summary, key priorities, and a
    table of funded interventions, with placeholder text repeated down the sheet as such forms
    ship it. Its headers "Organisation", "Outcomes" and "Budget" match the profile's labels by
    chance; its anchors (the template's headings) are absent.
    """
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Summary form"
    sheet["A1"] = "Communities Mental Health and Wellbeing Fund: local partnership summary"
    labels = ("Lead funding partner organisation", "Lead contact", "Grant amount awarded 2021-22",
              "Local Partnership Group partners", "Approach to collaboration and governance", "Plan summary",
              "Key priorities")
    placeholder = ("Please describe, in no more than 300 words, how the partnership will work together, "
                   "who it will reach and what difference it expects to make. ") * 4
    for r, label in enumerate(labels, start=3):
        sheet.cell(r, 1, label)
        sheet.cell(r, 2, placeholder)
    sheet.cell(12, 1, "Intervention")
    sheet.cell(12, 2, "Organisation")
    sheet.cell(12, 3, "Outcomes")
    sheet.cell(12, 4, "Budget")
    for r in range(13, 33):
        sheet.cell(r, 1, "Intervention")
        sheet.cell(r, 2, "[organisation]")
        sheet.cell(r, 3, placeholder)
        sheet.cell(r, 4, "£")
    workbook.save(str(path))
    return path


def tutorial_blank_word(path: Path) -> Path:
    """The blank Word template of the tutorial (``sharedoutcomes template north-ayrshire blank.docx``)."""
    from sharedoutcomes.forms import template

    template("north-ayrshire", path, format="docx")
    return path
