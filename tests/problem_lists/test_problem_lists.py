"""Problem lists to send back: one row per problem, every file named, in HTML, XLSX, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from tests.forms.conftest import messy_docx

from sharedoutcomes import convert, example_package, example_package_path, validate
from sharedoutcomes.exceptions import InvalidDocument, SharedOutcomesError
from sharedoutcomes.forms import convert_folder, read_form, write_form
from sharedoutcomes.problem_lists import (
    CSV_COLUMNS,
    JSON_SHAPE,
    ProblemRow,
    format_for_path,
    problem_list,
    problem_rows,
    render_problem_list,
    write_problem_list,
)
from sharedoutcomes.problems import Problem, Report, SourceLocation, catalogue

TESTS = Path(__file__).resolve().parent.parent
STARS = TESTS / "stars" / "data"
HAND_MADE = TESTS / "tables" / "data" / "hand-made"


def _hand_made() -> InvalidDocument:
    with pytest.raises(InvalidDocument) as raised:
        convert(HAND_MADE, format="tables-csv")
    return raised.value


@pytest.fixture(scope="module")
def returns() -> dict[str, object]:
    """Real files of the test corpus: a tables folder that cannot be built, two Star exports, a valid package."""
    return {
        "hand-made": _hand_made(),
        "crm-long.csv": convert(STARS / "crm-long.csv", format="outcomes-star"),
        "hostel-crm-export.csv": convert(STARS / "hostel-crm-export.csv", format="outcomes-star"),
        "example-partnership.json": validate(example_package_path()),
    }


def test_a_row_has_the_catalogues_words_and_the_place(returns: dict[str, object]) -> None:
    rows = problem_rows(returns)
    cell = next(r for r in rows if r.rule == "tables.cell")
    assert cell.file == "hand-made/evidence.values.csv"
    assert (cell.row, cell.column, cell.cell, cell.header) == (4, "C", "C4", "Value")
    assert cell.place == "row 4, column C ('Value')"
    assert cell.path == "$.evidence[2].values[0].value"
    assert cell.value == "'json:[oops'"
    kind = catalogue()["tables.cell"]
    assert (cell.problem, cell.url) == (kind.summary, kind.url)
    assert cell.action == ("Correct the JSON in the cell (keys and strings in double quotes), or remove the json: "
                           "prefix if the value is plain text.")  # the catalogue's words, as plain text
    assert "not JSON" in cell.details
    assert cell.severity_words == "Error"


def test_every_problem_is_one_row_and_every_file_is_named(returns: dict[str, object]) -> None:
    listed = problem_list(returns)
    hand_made = returns["hand-made"]
    assert isinstance(hand_made, InvalidDocument)
    expected = len(hand_made.problems) + sum(len(returns[name].problems)  # type: ignore[attr-defined]
                                             for name in ("crm-long.csv", "hostel-crm-export.csv"))
    assert len(listed.rows) == expected
    assert listed.files == ("hand-made/evidence.values.csv", "hand-made/notes.csv", "hand-made/evidence.csv",
                            "crm-long.csv", "hostel-crm-export.csv", "example-partnership.json")
    assert listed.by_file()["example-partnership.json"] == ()  # a file with no problems is still listed


def test_rows_are_grouped_by_file_then_in_reading_order() -> None:
    def at(row: int | None, column: str | None = None) -> Problem:
        return Problem(rule="star.bad-date", severity="error", path="$", message="m",
                       source=SourceLocation(file="a.csv", row=row, column=column))
    problems = [at(9, "B"), at(3, "AA"), at(3, "C"), at(None), Problem(rule="period-order", severity="error",
                                                                       path="$.period", message="m")]
    rows = problem_rows({"b.json": problems[4:], "a.csv": problems[:4]})
    assert [(r.file, r.row, r.column) for r in rows] == [
        ("b.json", None, None), ("a.csv", None, None), ("a.csv", 3, "C"), ("a.csv", 3, "AA"), ("a.csv", 9, "B")]
    assert rows[1].place == "the whole file"
    assert rows[0].where == "in the package at $.period"


def test_a_folder_of_returns_names_each_file_inside_it(tmp_path: Path) -> None:
    folder = tmp_path / "q3-returns"
    folder.mkdir()
    write_form(example_package(), folder / "shed.docx", organisation_id="GB-SC-SC045123")
    shutil.copy(folder / "shed.docx", folder / "shed (1).docx")
    (folder / "notes.txt").write_text("Phoned Alex about Q4.", encoding="utf-8")
    batch = convert_folder(folder, progress=False)
    listed = problem_list({"q3-returns": batch})
    assert set(listed.files) >= {"q3-returns/shed.docx", "q3-returns/shed (1).docx", "q3-returns/notes.txt"}
    by_rule = {row.rule: row for row in listed.rows}
    assert by_rule["form.file-unsupported"].file == "q3-returns/notes.txt"
    assert by_rule["form.duplicate-return"].file == "q3-returns/shed (1).docx"
    assert listed.by_file()["q3-returns/shed.docx"] == ()


def test_an_unknown_rule_keeps_its_message_and_says_there_is_no_advice() -> None:
    row = ProblemRow.of(Problem(rule="visits.bad-row", severity="warning", path="$", message="row 5 is odd"))
    assert (row.problem, row.url) == ("row 5 is odd", "")
    assert "no advice" in row.action


def test_the_docs_address_can_point_at_a_local_copy(returns: dict[str, object]) -> None:
    rows = problem_rows(returns, docs="/docs/reference/problems/")
    assert all(r.url.startswith("/docs/reference/problems/") for r in rows if r.url)


def test_something_else_is_refused_with_words() -> None:
    with pytest.raises(TypeError, match="not int"):
        problem_list(3)


def test_csv_is_utf8_with_a_bom_one_row_per_problem_and_no_formulas() -> None:
    problems = {"Men’s Shed.csv": [
        Problem(rule="star.bad-date", severity="error", path="$", message="reading date '=HYPERLINK(1)'",
                value="=HYPERLINK(1)", source=SourceLocation(file="Men’s Shed.csv", row=2, column="D")),
        Problem(rule="star.score-not-a-number", severity="warning", path="$", message="-3 is not a score",
                value=-3, source=SourceLocation(file="Men’s Shed.csv", row=3, column="E"))]}
    data = render_problem_list(problems, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 2
    assert rows[0]["file"] == "Men’s Shed.csv"
    assert rows[0]["value"] == "'=HYPERLINK(1)'"  # the rendered value (quoted) is text, not a formula
    assert rows[1]["details"] == "'-3 is not a score"  # Excel would read a leading minus as a formula
    assert (rows[0]["cell"], rows[0]["severity"]) == ("D2", "Error")


def test_json_has_a_stable_documented_shape(returns: dict[str, object]) -> None:
    data = json.loads(render_problem_list(returns, "json"))
    assert list(data) == ["shape", "title", "errors", "warnings", "files", "problems"]
    assert data["shape"] == JSON_SHAPE
    assert data["errors"] + data["warnings"] == len(data["problems"])
    assert set(data["problems"][0]) == {"file", "place", "path", "value", "problem", "details", "action", "severity",
                                         "rule", "url", "sheet", "table", "row", "column", "cell", "header", "section",
                                         "question"}
    assert {"file": "example-partnership.json", "errors": 0, "warnings": 0} in data["files"]


def test_xlsx_has_filters_a_frozen_header_and_words(returns: dict[str, object]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_problem_list(returns, "xlsx")))
    sheet = book["Problems"]
    rows = problem_rows(returns)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:J{len(rows) + 1}"
    assert [c.value for c in sheet[1]][:8] == ["File", "Where", "Cell", "Value found", "What is wrong", "Details",
                                               "What to do", "Severity"]
    assert sheet.max_row == len(rows) + 1
    assert {sheet.cell(row=n, column=8).value for n in range(2, sheet.max_row + 1)} == {"Error", "Warning"}
    assert all(sheet.cell(row=2, column=n).alignment.wrap_text for n in range(1, 11))
    assert all((sheet.column_dimensions[letter].width or 0) >= 7 for letter in "ABCDEFGHIJ")
    first = rows[0]
    assert sheet["I2"].value == first.rule
    assert sheet["I2"].hyperlink.target == first.url
    assert sheet.row_dimensions[2].height >= 15
    files = book["Files"]
    assert [c.value for c in files[1]] == ["File", "Errors", "Warnings"]
    assert ["example-partnership.json", 0, 0] in [[c.value for c in row] for row in files.iter_rows(min_row=2)]


def test_html_is_standalone_grouped_and_escaped() -> None:
    problems = {"<b>x</b>.csv": [Problem(rule="tables.column", severity="error", path="$", message="<script>",
                                         source=SourceLocation(file="<b>x</b>.csv", sheet="evidence", row=4,
                                                               column="H"))],
                "clean.json": Report(problems=())}
    html = render_problem_list(problems, "html").decode("utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;.csv" in html
    assert "<h3>Sheet evidence</h3>" in html
    assert catalogue()["tables.column"].url in html
    assert "No problems found." in html
    assert "http" not in html.replace(catalogue()["tables.column"].url, "")  # nothing else is fetched or linked


def test_the_format_comes_from_the_suffix(tmp_path: Path) -> None:
    assert format_for_path("a.HTM") == "html"
    with pytest.raises(SharedOutcomesError, match=r"name the file \.html, \.xlsx, \.csv or \.json"):
        format_for_path("problems.txt")
    written = write_problem_list({"a.json": Report(problems=())}, tmp_path / "list.data", "json")
    assert json.loads(written.read_text(encoding="utf-8"))["files"] == [{"file": "a.json", "errors": 0,
                                                                          "warnings": 0}]


def test_a_word_forms_problems_are_listed_by_section_and_question(tmp_path: Path) -> None:
    form = messy_docx(tmp_path / "connect-create-q1.docx")
    listed = problem_list({form.name: read_form(form)})
    sections = [row.section for row in listed.rows if row.section]
    assert sections == sorted(sections)  # grouped by section, in the form's order
    volunteers = next(row for row in listed.rows if row.question == "Volunteers")
    assert (volunteers.section, volunteers.table, volunteers.row, volunteers.cell) == ("H", 4, 4, None)
    assert volunteers.place == "section H, question 'Volunteers', table 4, row 4, column 2"
    assert volunteers.value == "'five'"
    html = render_problem_list(listed, "html").decode("utf-8")
    assert "<h3>Section B</h3>" in html
    assert html.index("<h3>Section B</h3>") < html.index("<h3>Section H</h3>")
