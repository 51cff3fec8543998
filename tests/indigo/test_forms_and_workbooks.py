"""INDIGO's spreadsheet forms (blank ones refused, filled ones read) and the flat tables as one XLSX workbook."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sharedoutcomes._devtools import indigo_forms
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.indigo import FORMS_DIR, PLACEHOLDER, IndigoFormat, sample_path

DATA = Path(__file__).parent / "data"
FORMS = DATA / "forms"
PUBLISHER = "GB-EDU-133808"


@pytest.mark.parametrize("form", ["project_public_v019.xlsx", "simple_project_v001.xlsx"])
def test_a_blank_form_is_refused_as_holding_no_data(form: str) -> None:
    with pytest.raises(ConversionError, match="blank") as caught:
        IndigoFormat().read(FORMS / form)

    assert PLACEHOLDER in str(caught.value)
    assert caught.value.source is not None
    assert caught.value.source.file == form


@pytest.mark.parametrize("form", ["project_public_v019.xlsx", "simple_project_v001.xlsx"])
def test_the_bundled_layouts_are_the_blank_forms(form: str) -> None:
    assert (FORMS_DIR / form.replace(".xlsx", ".json")).read_text(encoding="utf-8") == indigo_forms.render(FORMS / form)


def _value(data: Any, path: list[str]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _fill(target: Path) -> dict[str, Any]:
    """The blank public form filled with the sample project's data, as INDIGO's database app fills it."""
    project = json.loads(sample_path().read_text(encoding="utf-8"))["project"]
    data = project["data"]
    book = openpyxl.load_workbook(FORMS / "project_public_v019.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text = str(cell.value or "")
                if not text.startswith(PLACEHOLDER):
                    continue
                parts = text[len(PLACEHOLDER):].split(":")
                if parts[0] == "SINGLE":
                    cell.value = project["id"] if parts[1] == "id" else _value(data, parts[1].split("/"))
                    continue
                items = data.get(parts[1], [])
                for index in range(len(items) - 1, -1, -1):
                    sheet.cell(row=cell.row + index, column=cell.column).value = \
                        _value(items[index], parts[2].split("/"))
                if not items:
                    cell.value = None
    book.save(target)
    return data


def test_a_filled_form_is_read_like_the_project_json(tmp_path: Path) -> None:
    path = tmp_path / "norfolk-carers-form.xlsx"
    data = _fill(path)

    form = IndigoFormat().read(path, publisher=PUBLISHER)
    json_read = IndigoFormat().read(sample_path(), publisher=PUBLISHER)

    assert form.ok
    assert form.package.activities[0].id == "INDIGO-POJ-0200"
    assert [i.title for i in form.package.indicators] == [i.title for i in json_read.package.indicators]
    assert [[(v.code, v.value) for v in e.values] for e in form.package.evidence] == \
        [[(v.code, v.value) for v in e.values] for e in json_read.package.evidence]
    assert len(form.package.activities[0].funding) == len(data["outcome_payments"])
    assert form.coverage is not None
    assert form.coverage.complete
    source = form.source_map["$.indicators[0].title"]
    assert (source.file, source.sheet, source.column) == ("norfolk-carers-form.xlsx", "Outcome Metrics", "B")


def test_a_note_written_beside_a_filled_form_is_reported_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    _fill(path)
    book = openpyxl.load_workbook(path)
    book["Outcome Metrics"]["Z40"] = "Checked with the council in March"
    book.save(path)

    result = IndigoFormat().read(path, publisher=PUBLISHER)

    problems = [p for p in result.problems if p.rule == "conversion.not-read"]
    assert [str(p.source) for p in problems] == ["form.xlsx, sheet 'Outcome Metrics', row 40, column Z"]
    assert result.coverage is not None
    assert result.coverage.not_read == {"Outcome Metrics": 1}


def test_the_flat_tables_as_one_workbook_read_as_the_folder(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table in sorted((DATA / "flat").glob("*.csv")):
        sheet = book.create_sheet(table.stem[:31])  # Excel cuts sheet names to 31 characters
        with table.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                sheet.append(row)
    path = tmp_path / "indigo-all-data-by-type.xlsx"
    book.save(path)

    workbook = IndigoFormat().read(path, publisher=PUBLISHER)
    folder = IndigoFormat().read(DATA / "flat", publisher=PUBLISHER)

    assert workbook.coverage is not None
    assert folder.coverage is not None
    assert (workbook.coverage.total_read, workbook.coverage.total_not_read) == \
        (folder.coverage.total_read, folder.coverage.total_not_read)
    assert [e.values for e in workbook.package.evidence] == [e.values for e in folder.package.evidence]
    assert str(workbook.source_map["$.evidence[5].values[0].value"]) == \
        "indigo-all-data-by-type.xlsx, sheet 'projects_results', row 7, column H ('Number engaged In impact bond - (Value)')"
