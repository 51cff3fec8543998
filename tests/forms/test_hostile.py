"""Hostile and malformed forms (issue 17, forms side): nothing skipped silently, no hang, nothing changed quietly."""

from __future__ import annotations

import time
from pathlib import Path

import attrs
import pytest

from sharedoutcomes import example_package
from sharedoutcomes.exceptions import UnsafeFile
from sharedoutcomes.forms import get_profile, read_form, template, write_form
from sharedoutcomes.forms._content import package_to_content

SHED = "GB-SC-SC045123"

OWASP_PAYLOADS = ["=1+1", "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1", "=HYPERLINK(\"http://x.example\",\"x\")",
                  "=cmd|' /C calc'!A0", "-2 people", "@home"]
"""The OWASP CSV-injection payloads (owasp.org/www-community/attacks/CSV_Injection), and ordinary text like them."""


def test_a_malformed_word_table_row_is_reported_with_its_text_and_place(tmp_path: Path) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    table = document.add_table(rows=0, cols=2)
    for label, value in (("Organisation name", "Shed"), ("OSCR number", "SC045123"), ("Project name", "Sessions"),
                         ("Period from", "1/4/24"), ("Period to", "30/6/24"), ("Locality", "Garnock Valley")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "many")  # not a number: python-docx cannot lay the row out
    table.rows[5]._tr.tc_lst[0].get_or_add_tcPr().append(span)
    path = tmp_path / "broken-row.docx"
    document.save(str(path))
    result = read_form(path)
    (problem,) = [p for p in result.problems if p.rule == "conversion.not-read"]
    assert problem.message == ("not read: 'Locality | Garnock Valley' (Word table 1, row 6: the row is malformed and "
                               "its cells cannot be read (ValueError); retype it in the form)")
    assert problem.source is not None
    assert (problem.source.table, problem.source.row) == (1, 6)
    assert result.package.activities[0].title == "Sessions"  # the other rows are read
    assert result.coverage is not None
    assert result.coverage.total_not_read == 1


def test_one_cell_at_the_far_corner_of_a_sheet_is_refused_at_once_with_what_to_do(tmp_path: Path) -> None:
    """A cell at XFD1048576 once hung the reader; the one safe way into Office files refuses it (FORM_LIMITS)."""
    import openpyxl

    blank = tmp_path / "blank.xlsx"
    template("north-ayrshire", blank)
    workbook = openpyxl.load_workbook(blank)
    workbook["Return"]["XFD1048576"] = "A note in the far corner"
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    started = time.perf_counter()
    with pytest.raises(UnsafeFile, match=r"far\.xlsx: the sheet 'Return' has cells as far as row 1,048,576 and "
                                         r"column XFD .* Delete the far cells") as caught:
        read_form(path)
    assert time.perf_counter() - started < 30  # a hang guard, not a performance target (docs/performance.md)
    assert caught.value.found == "XFD1048576"


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_characters_a_file_cannot_hold_are_reported_when_writing(tmp_path: Path, kind: str) -> None:
    package = example_package()
    activity = next(a for a in package.activities if a.title == "Shed sessions for older men")
    changed = attrs.evolve(package, activities=tuple(
        attrs.evolve(a, description="Woodwork\x0cand a breakfast club\x1b") if a is activity else a
        for a in package.activities))
    path = tmp_path / f"shed.{kind}"
    problems = write_form(changed, path, organisation_id=SHED)
    (problem,) = [p for p in problems if p.rule == "form.text-changed"]
    program = "Word" if kind == "docx" else "Excel"
    assert problem.message == (f"'Project description': 'Woodwork\\x0cand a breakfast club\\x1b' has characters a {program} "
                               "file cannot hold (\\x0c, \\x1b); they are left out of the written form")
    assert problem.path == "$.answers.description"
    assert read_form(path).package.activities[0].description == "Woodworkand a breakfast club"
    assert not [p for p in write_form(changed, tmp_path / "shed.json", organisation_id=SHED)
                if p.rule == "form.text-changed"]  # JSON holds them: nothing changed, nothing to report


def test_an_answer_equal_to_a_question_label_reads_back_as_the_answer(tmp_path: Path) -> None:
    from sharedoutcomes.forms import _xlsx

    profile = get_profile("north-ayrshire")
    content, _ = package_to_content(example_package(), profile, organisation_id=SHED)
    content.answers["contact_name"] = "Description"
    content.answers["tsi"] = "Project name"
    path = tmp_path / "labels.xlsx"
    _xlsx.render(profile, content, path)
    result = read_form(path)
    back, _ = package_to_content(result.package, profile, organisation_id=result.package.organisations[0].id)
    assert back.answers["contact_name"] == "Description"
    assert back.answers["tsi"] == "Project name"
    assert back.answers["description"] == content.answers["description"]  # no guidance text in the description


@pytest.mark.parametrize("payload", OWASP_PAYLOADS)
def test_formula_text_is_written_as_quoted_text_and_reads_back_unchanged(tmp_path: Path, payload: str) -> None:
    import openpyxl

    package = example_package()
    changed = attrs.evolve(package, outcomes=tuple(attrs.evolve(o, title=payload) if o.id == "out-connected" else o
                                                   for o in package.outcomes))
    path = tmp_path / "payload.xlsx"
    write_form(changed, path, organisation_id=SHED)
    workbook = openpyxl.load_workbook(path)
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value == payload]
    assert cells, "the payload is written"
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    titles = [o.title for o in read_form(path).package.outcomes]
    assert payload.strip() in titles
