"""
No clean bill for a broken conversion (issue 10, item 2).

A conversion with errors writes nothing, from Python or the command line, unless asked explicitly;
a package written that way says in itself that it is partial, and `validate` and `report` say so.
The broken conversion here is the tutorial's one: the blank North Ayrshire Word template (the real
layout, written by `sharedoutcomes template`), which has no answers to its required questions.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import sharedoutcomes
from sharedoutcomes.cli import main
from sharedoutcomes.converters import ConversionResult, convert, package_to_write, write
from sharedoutcomes.exceptions import IncompleteConversion
from sharedoutcomes.report import render_report
from sharedoutcomes.validation import PARTIAL_EXTENSION, partial_record


@pytest.fixture(scope="module")
def blank_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("forms") / "return.docx"
    assert main(["template", "north-ayrshire", "--format", "docx", "-o", str(path)], out=io.StringIO()) == 0
    return path


@pytest.fixture(scope="module")
def broken(blank_form: Path) -> ConversionResult:
    result = convert(blank_form, format="north-ayrshire")
    assert not result.ok
    return result


def test_write_refuses_a_conversion_with_errors(broken: ConversionResult, tmp_path: Path) -> None:
    target = tmp_path / "return.json"

    with pytest.raises(IncompleteConversion, match=r"the conversion has \d+ errors, so nothing was written") as raised:
        write(broken, target, format="package")

    assert not target.exists()
    assert raised.value.problems == broken.problems
    assert "partial=True" in str(raised.value)


def test_a_partial_package_records_its_problems_and_validate_says_so(broken: ConversionResult,
                                                                     tmp_path: Path) -> None:
    target = tmp_path / "return.json"
    write(broken, target, format="package", partial=True)

    data = json.loads(target.read_text(encoding="utf-8"))
    record = partial_record(data)
    assert record is not None
    assert record["format"] == "north-ayrshire"
    assert record["errors"] == len([p for p in broken.problems if p.severity == "error"])
    assert [p["rule"] for p in record["problems"]] == [p.rule for p in broken.problems]
    assert data["conversion"]["partial"] is True  # standard 0.2: the conversion block, not the 0.1 extension
    assert PARTIAL_EXTENSION not in data.get("extension_data", {})

    report = sharedoutcomes.validate(target)
    partial = [p for p in report.problems if p.rule == "conversion.partial"]
    assert len(partial) == 1
    assert partial[0].severity == "warning"
    assert f"had {record['errors']} errors" in partial[0].message
    assert "conversion.partial" in report.to_text()
    assert report.to_text().endswith(f"{target}: valid but partial: 0 errors, {len(report.warnings)} warnings")
    assert "valid but partial" in report._repr_html_()


def test_a_clean_conversion_is_written_as_it_is(tmp_path: Path) -> None:
    result = convert(sharedoutcomes.example_package_path(), format="package")

    assert package_to_write(result) is result.package
    assert package_to_write(result, partial=True) is result.package
    write(result, tmp_path / "copy.json", format="package")
    assert partial_record(json.loads((tmp_path / "copy.json").read_text(encoding="utf-8"))) is None


def test_the_report_of_a_partial_package_carries_a_caveat(broken: ConversionResult) -> None:
    html = render_report(package_to_write(broken, partial=True))

    assert "This package is partial" in html
    assert "form.required" in html
    assert "This package is partial" not in render_report(sharedoutcomes.example_package())


def test_undeclared_partial_data_is_not_taken_for_a_partial_package() -> None:
    assert partial_record({"extension_data": {"partial": {"errors": 1}}}) is None


def test_convert_writes_nothing_and_says_how_to_write_anyway(blank_form: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "return.json"

    code = main(["convert", str(blank_form), "--from", "north-ayrshire", "-o", str(target)])

    err = capsys.readouterr().err
    assert code == 1
    assert not target.exists()
    assert "nothing written: the conversion has" in err
    assert "--write-partial" in err


def test_convert_to_standard_output_writes_nothing_either(blank_form: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()

    assert main(["convert", str(blank_form), "--from", "north-ayrshire"], out=out) == 1
    assert out.getvalue() == ""


def test_convert_with_write_partial_then_validate_and_report_say_it_is_partial(
        blank_form: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target, html = tmp_path / "return.json", tmp_path / "report.html"

    assert main(["convert", str(blank_form), "--from", "north-ayrshire", "-o", str(target), "--write-partial"]) == 1
    assert "wrote a partial package despite" in capsys.readouterr().err

    out = io.StringIO()
    assert main(["validate", str(target)], out=out) == 0
    assert "this package is partial" in out.getvalue()
    assert main(["report", str(target), "-o", str(html)], out=io.StringIO()) == 0
    assert "This package is partial" in html.read_text(encoding="utf-8")


def test_convert_to_another_format_obeys_the_same_rule(blank_form: Path, tmp_path: Path) -> None:
    target = tmp_path / "return.xlsx"

    assert main(["convert", str(blank_form), "--from", "north-ayrshire", "--to", "tables-xlsx",
                 "-o", str(target)]) == 1
    assert not target.exists()

    assert main(["convert", str(blank_form), "--from", "north-ayrshire", "--to", "tables-xlsx",
                 "-o", str(target), "--write-partial"]) == 1
    back = convert(target, format="tables-xlsx")
    assert partial_record(back.package) is not None
    assert any(p.rule == "conversion.partial" for p in back.problems)
