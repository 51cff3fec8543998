"""
Completed forms for the tests, built at test time: a well-filled return, and messy ones.

The messy Word form is typed the way projects really fill forms in: sections reordered,
labels reworded, merged cells, extra and blank rows, a question the profile does not know,
and bad values. Each builder returns the path it wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sharedoutcomes.forms._content import FormContent

WELL_FILLED_ANSWERS: dict[str, Any] = {
    "org_name": "Garnock Valley Men's Shed",
    "oscr": "SC045123",
    "contact_name": "Alex Murray",
    "contact_email": "alex@example.org",
    "tsi": "The Ayrshire Community Trust",
    "project_name": "Shed sessions for older men",
    "project_ref": "ICF-2024-017",
    "description": "Woodwork and repair sessions, a breakfast club and a walking group for men over 50.",
    "locality": "Garnock Valley",
    "start_date": "1 April 2024",
    "end_date": "31/03/2025",
    "funder": "NAHSCP",
    "fund": "Integrated Care Fund",
    "amount_awarded": "£18,500",
    "amount_spent": "£4,200.50",
    "other_income": "£1,000",
    "period_start": "01/04/2024",
    "period_end": "30 June 2024",
    "report_type": "Quarterly",
    "nhwo": "1, 4",
    "hscp_priority": "Tackling inequalities; Prevention and early intervention",
    "people_new": "14",
    "people_existing": "29",
    "carers": "3",
    "volunteers": "6",
    "volunteer_hours": "1,260",
    "challenges": "Bus timetable changes left two villages without an evening service.",
    "unexpected": "Members started a repair cafe for the village.",
    "learning": "Men come for the woodwork and stay for the company.",
    "differently": "Arrange lifts before winter.",
    "signed_name": "Alex Murray",
    "signed_role": "Coordinator",
    "signed_date": "15 July 2024",
}

WELL_FILLED_ROWS: dict[str, list[dict[str, Any]]] = {
    "outcomes": [
        {"number": "1", "title": "Older men feel less isolated and more connected", "nhwo": "1, 4",
         "pathway": "Regular sessions give men a reason to leave the house and make friends.",
         "evidence": "Attendance grew from 12 to 31; members say they feel less alone.", "rag": "Green"},
        {"number": "2", "title": "Members are more physically active", "nhwo": "1",
         "pathway": "The walking group and physical work in the shed.", "rag": "Amber"},
    ],
    "indicators": [
        {"outcome": "1", "title": "Men attending at least monthly", "unit": "people", "baseline": "12",
         "target": "40", "actual": "31", "method": "Attendance register"},
        {"outcome": "1", "title": "Members reporting feeling less isolated", "unit": "%", "target": "70%",
         "actual": "74%", "method": "Members' survey"},
        {"outcome": "2", "title": "Members walking weekly", "unit": "people", "baseline": "0", "target": "15",
         "actual": "9", "method": "Walk register"},
    ],
    "outputs": [
        {"activity": "Woodwork sessions", "planned": "36", "actual": "34", "unit": "sessions"},
        {"activity": "Breakfast club", "planned": "12", "actual": "13", "unit": "sessions"},
    ],
    "stories": [
        {"kind": "Case study", "title": "Rebuilding a routine",
         "story": "Referred by his GP after his wife died, J now opens the shed on Tuesdays.", "outcomes": "1",
         "consent": "Yes", "date": "2 June 2024"},
        {"kind": "Quote", "story": "Before the shed I could go a week without speaking to anybody.",
         "outcomes": "1, 2", "consent": "Yes"},
    ],
    "finance": [
        {"item": "Coordinator salary", "budget": "£12,000", "actual": "£3,000"},
        {"item": "Materials", "budget": "£2,500", "actual": "£1,200.50"},
    ],
}


def well_filled(path: Path, *, profile: str = "north-ayrshire") -> Path:
    """A well-filled return, laid out like the template and typed as a person types."""
    from sharedoutcomes.forms import get_profile

    content = FormContent(answers=dict(WELL_FILLED_ANSWERS), rows={k: [dict(r) for r in v]
                                                                     for k, v in WELL_FILLED_ROWS.items()})
    chosen = get_profile(profile)
    if path.suffix == ".docx":
        from sharedoutcomes.forms import _docx as _forms_docx

        _forms_docx.render(chosen, content, path)
    else:
        from sharedoutcomes.forms import _xlsx as _forms_xlsx

        _forms_xlsx.render(chosen, content, path)
    return path


def _row(table: Any, *texts: str) -> Any:
    row = table.add_row()
    for cell, text in zip(row.cells, texts, strict=False):
        cell.text = text
    return row


def messy_docx(path: Path) -> Path:
    """
    A project's own Word return: reordered, reworded, merged, with extras and bad values.

    Tables, in order: 1 project (section B, with a merged label and an impossible date),
    2 organisation (section A, an unknown question), 3 period (two questions a row),
    4 funding and people, 5 outcomes (columns reordered, an extra column, a blank row),
    6 indicators (vertically merged outcome numbers, '20 people' in row 3, 120%, an actual
    with no target), 7 case studies, 8 strategic linkage (National Outcome 12).
    """
    import docx

    document = docx.Document()
    document.add_paragraph("ICF monitoring return – quarter 1", style="Title")
    document.add_paragraph("B. About the project", style="Heading 1")
    t1 = document.add_table(rows=0, cols=3)
    row = _row(t1, "NAME OF PROJECT:", "", "Connect & Create")
    row.cells[0].merge(row.cells[1])
    row.cells[0].text = "NAME OF PROJECT:"
    _row(t1, "Grant Reference", "", "ICF/2024/031")
    _row(t1, "Start date", "", "31/02/2024")
    _row(t1, "End date", "", "31 March 2025")
    document.add_paragraph("Section A – Organisation", style="Heading 1")
    t2 = document.add_table(rows=0, cols=2)
    _row(t2, "Organisation", "Irvine Community Arts")
    _row(t2, "Charity no.", "SC 038 977")
    _row(t2, "Contact email", "")
    _row(t2, "Number of referrals from GPs", "14")
    document.add_paragraph("Reporting period", style="Heading 1")
    t3 = document.add_table(rows=0, cols=4)
    _row(t3, "Period from", "1st April 2024", "Period to", "30/06/2024")
    document.add_paragraph("C. Funding and people", style="Heading 1")
    t4 = document.add_table(rows=0, cols=2)
    _row(t4, "Funded by", "North Ayrshire HSCP")
    _row(t4, "Grant awarded", "£12k")
    _row(t4, "New participants", "23")
    _row(t4, "Volunteers", "five")
    document.add_paragraph("Section F: Outcomes and indicators", style="Heading 1")
    t5 = document.add_table(rows=1, cols=5)
    for cell, text in zip(t5.rows[0].cells, ("Outcome statement", "No.", "National outcomes", "Notes", "RAG"),
                          strict=True):
        cell.text = text
    _row(t5, "People feel more confident", "1", "1 and 5", "", "green")
    _row(t5, "", "", "", "", "")
    _row(t5, "People feel less isolated", "2", "NHWO 4", "Referral pathway with GPs started in May", "A")
    t6 = document.add_table(rows=1, cols=5)
    for cell, text in zip(t6.rows[0].cells, ("Outcome no.", "Indicator", "Target", "Actual", "Unit"),
                          strict=True):
        cell.text = text
    _row(t6, "2", "People attending weekly", "15", "17", "people")
    _row(t6, "", "People reporting less isolation", "20 people", "12", "")
    t6.cell(1, 0).merge(t6.cell(2, 0))
    _row(t6, "1", "Participants who feel more confident", "80%", "120%", "%")
    _row(t6, "1", "Exhibitions held", "", "2", "")
    document.add_paragraph("Case studies and quotes", style="Heading 1")
    t7 = document.add_table(rows=1, cols=3)
    for cell, text in zip(t7.rows[0].cells, ("Quote", "Consent", "Outcome"), strict=True):
        cell.text = text
    _row(t7, "I have somewhere to go on a Thursday now.", "yes", "2")
    _row(t7, "She told us the group was the first thing she had looked forward to in months.", "no", "9")
    document.add_paragraph("E. Strategic linkage", style="Heading 1")
    t8 = document.add_table(rows=0, cols=2)
    _row(t8, "National Outcomes", "1, 12")
    document.save(str(path))
    return path


def messy_xlsx(path: Path) -> Path:
    """A project's own spreadsheet: one sheet, labels in B (merged with C), answers in D, a table below."""
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Q1 return"
    sheet["B1"] = "Quarterly monitoring"
    rows = [
        ("Organisation name", "Kilwinning Befrienders"),
        ("OSCR number", "SC012345"),
        ("Project", "Befriending older people"),
        ("Reporting period start", dt.datetime(2024, 4, 1)),
        ("reporting period END", "30 June 2024"),
        ("Amount awarded (£)", 5000),
        ("Favourite biscuit", "Tunnock's teacake"),
    ]
    for offset, (label, value) in enumerate(rows, start=3):
        sheet.cell(offset, 2, label)
        sheet.merge_cells(start_row=offset, start_column=2, end_row=offset, end_column=3)
        sheet.cell(offset, 4, value)
    header = 12
    for c, text in enumerate(("Ref", "Outcome", "National Outcome(s)", "RAG status"), start=2):
        sheet.cell(header, c, text)
    sheet.cell(13, 2, 1)
    sheet.cell(13, 3, "Older people feel less lonely")
    sheet.cell(13, 4, "1, 4")
    sheet.cell(13, 5, "Red")
    sheet.cell(15, 2, 2)
    sheet.cell(15, 3, "Volunteers feel valued")
    sheet.cell(15, 4, "8")
    sheet.cell(15, 5, "Purple")
    workbook.save(str(path))
    return path


@pytest.fixture
def well_filled_docx(tmp_path: Path) -> Path:
    return well_filled(tmp_path / "garnock-shed-q1.docx")


@pytest.fixture
def well_filled_xlsx(tmp_path: Path) -> Path:
    return well_filled(tmp_path / "garnock-shed-q1.xlsx")


@pytest.fixture
def messy_docx_path(tmp_path: Path) -> Path:
    return messy_docx(tmp_path / "connect-create-q1.docx")


@pytest.fixture
def messy_xlsx_path(tmp_path: Path) -> Path:
    return messy_xlsx(tmp_path / "befrienders-q1.xlsx")
