"""Tables written by people: read by their titles, and every problem points at a cell."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import sharedoutcomes
from sharedoutcomes import tables

DATA = Path(__file__).parent / "data"


def _located(report: sharedoutcomes.Report) -> dict[str, str]:
    return {p.rule + " " + p.path: str(p.source) for p in report.problems}


def test_hand_made_csv_folder_is_read_by_titles_and_problems_point_at_cells() -> None:
    read = tables.read_csv(DATA / "hand-made")

    located = _located(read.validate())

    assert located["schema.enum $.evidence[2].kind"] == "evidence.csv, row 4, column B ('Kind')"
    assert located["schema.additionalProperties $.evidence[1].Notes"] == "evidence.csv, row 3, column H ('Notes')"
    assert located["tables.parent-missing $.evidence"] == "evidence.values.csv, row 5, column A ('Evidence identifier')"
    assert located["tables.cell $.evidence[2].values[0].value"] == "evidence.values.csv, row 4, column C ('Value')"
    assert located["tables.unknown-sheet $"] == "notes.csv"


def test_hand_made_values_keep_their_types() -> None:
    document = tables.read_csv(DATA / "hand-made").document

    values = document["evidence"][0]["values"]
    assert [v["value"] for v in values] == [46, "007"]
    assert "unit" not in values[1]  # an empty cell is an absent property
    assert document["evidence"][2]["values"][0]["value"] == "json:[oops"  # kept, and reported


def test_converting_bad_tables_raises_with_cell_locations(tmp_path: Path) -> None:
    shutil.copytree(DATA / "hand-made", tmp_path / "return")

    with pytest.raises(sharedoutcomes.InvalidDocument) as caught:
        sharedoutcomes.convert(tmp_path / "return", format="tables-csv")

    sources = {p.path: str(p.source) for p in caught.value.problems}
    assert sources["$.evidence[2].kind"] == "evidence.csv, row 4, column B ('Kind')"


def test_a_missing_required_value_points_at_the_empty_cell(tmp_path: Path) -> None:
    document = sharedoutcomes.dump(sharedoutcomes.example_package())
    del document["evidence"][1]["kind"]
    tables.to_xlsx(document, tmp_path / "p.xlsx")

    report = tables.read_xlsx(tmp_path / "p.xlsx").validate()

    problem = next(p for p in report.errors if p.path == "$.evidence[1].kind")
    assert str(problem.source) == "p.xlsx, sheet 'evidence', row 4, column B ('Kind')"


def test_package_fields_point_at_the_value_column(tmp_path: Path) -> None:
    document = sharedoutcomes.dump(sharedoutcomes.example_package())
    document["sharing_level"] = "partner"
    tables.to_xlsx(document, tmp_path / "p.xlsx")

    report = tables.read_xlsx(tmp_path / "p.xlsx").validate()

    problem = next(p for p in report.errors if p.path == "$.sharing_level")
    assert problem.source is not None
    assert (problem.source.sheet, problem.source.column, problem.source.header) == ("package", "C", "Sharing level")


def test_repeated_ids_fall_back_to_parent_row_numbers(tmp_path: Path) -> None:
    document = {"evidence": [{"id": "e", "values": [{"code": "a", "value": 1}]},
                             {"id": "e", "values": [{"code": "b", "value": 2}]}]}
    tables.to_csv(document, tmp_path)

    assert "_parent_row" in (tmp_path / "evidence.values.csv").read_text(encoding="utf-8-sig")
    assert document == tables.read_csv(tmp_path).document


def test_unreadable_sources_are_conversion_errors(tmp_path: Path) -> None:
    (tmp_path / "not.xlsx").write_text("hello", encoding="utf-8")

    with pytest.raises(sharedoutcomes.ConversionError, match="not an XLSX workbook"):
        tables.read_xlsx(tmp_path / "not.xlsx")
    with pytest.raises(sharedoutcomes.ConversionError, match="no such folder"):
        tables.read_csv(tmp_path / "missing")


def test_blank_templates_hold_only_the_schema_version(tmp_path: Path) -> None:
    xlsx = tables.template(tmp_path / "blank.xlsx")
    csv_folder = tables.template(tmp_path / "blank", format="csv")

    assert tables.read_xlsx(xlsx).document == {"schema_version": "0.2"}
    assert tables.read_csv(csv_folder).document == {"schema_version": "0.2"}
    assert sorted(p.stem for p in csv_folder.glob("*.csv")) == sorted(tables.sheet_names())


def test_a_filled_in_template_converts(tmp_path: Path) -> None:
    import openpyxl

    path = tables.template(tmp_path / "blank.xlsx")
    workbook = openpyxl.load_workbook(path)
    package = workbook["package"]
    fields = {package.cell(row, 2).value: row for row in range(2, package.max_row + 1)}
    for key, value in {"id": "shed-q1", "title": "Shed Q1", "publisher": "GB-SC-SC045123",
                       "produced": "2025-07-04T16:20:00Z", "sharing_level": "partners"}.items():
        package.cell(fields[key], 3).value = value
    workbook["organisations"].append(["GB-SC-SC045123", "Garnock Valley Men's Shed", "third"])
    evidence = workbook["evidence"]
    evidence.append(["ev-1", "count", "Members", None])
    workbook["evidence.values"].append(["ev-1", "members", 46])
    workbook.save(path)

    result = sharedoutcomes.convert(path, format="tables-xlsx")

    assert result.ok
    assert result.package.evidence[0].values[0].value == 46


def test_progress_bars_only_when_asked_or_on_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = sharedoutcomes.example_package()

    tables.to_xlsx(package, tmp_path / "quiet.xlsx")
    tables.read_xlsx(tmp_path / "quiet.xlsx")
    quiet = capsys.readouterr().err
    tables.read_xlsx(tmp_path / "quiet.xlsx", progress=True)
    shown = capsys.readouterr().err

    assert quiet == ""
    assert "Reading [" in shown
    assert "14/14 links" in shown
