"""``validate`` and ``convert`` write the problem list with ``--problems PATH``; their exit codes do not change."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from sharedoutcomes import example_package_path
from sharedoutcomes.cli import main

TESTS = Path(__file__).resolve().parent.parent
CRM_LONG = TESTS / "stars" / "data" / "crm-long.csv"
HAND_MADE = TESTS / "tables" / "data" / "hand-made"


def _run(*argv: str) -> int:
    return main(list(argv), out=io.StringIO())


def test_validate_writes_the_list_and_keeps_its_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "q3.json"
    data = json.loads(example_package_path().read_text(encoding="utf-8"))
    data["period"] = {"start": "2025-06-30", "end": "2025-04-01"}
    broken.write_text(json.dumps(data), encoding="utf-8")
    assert _run("validate", str(broken), "--problems", str(tmp_path / "back.csv")) == 1
    rows = list(csv.DictReader(io.StringIO((tmp_path / "back.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["file"], r["rule"], r["severity"]) for r in rows] == [("q3.json", "period-order", "Error")]
    assert "wrote the problem list (1 error, 0 warnings)" in capsys.readouterr().err
    assert _run("validate", str(example_package_path()), "--problems", str(tmp_path / "ok.html")) == 0
    assert "No problems found." in (tmp_path / "ok.html").read_text(encoding="utf-8")


def test_convert_writes_the_list_in_the_format_asked(tmp_path: Path) -> None:
    target = tmp_path / "to-send-back.data"
    code = _run("convert", str(CRM_LONG), "--from", "outcomes-star", "-o", str(tmp_path / "star.json"),
                "--problems", str(target), "--problems-format", "xlsx")
    assert code == 1  # the export has errors: exit 1, as without the list
    sheet = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))["Problems"]
    rules = {sheet.cell(row=n, column=9).value for n in range(2, sheet.max_row + 1)}
    assert {"star.unknown-area", "star.conflicting-scores", "star.score-not-a-number"} <= rules
    assert {sheet.cell(row=n, column=1).value for n in range(2, sheet.max_row + 1)} == {"crm-long.csv"}


def test_a_conversion_that_builds_no_package_still_writes_its_list(tmp_path: Path) -> None:
    target = tmp_path / "problems.json"
    assert _run("convert", str(HAND_MADE), "--from", "tables-csv", "--problems", str(target)) == 1
    listed = json.loads(target.read_text(encoding="utf-8"))
    assert {p["rule"] for p in listed["problems"]} >= {"tables.cell", "tables.parent-missing", "schema.enum"}
    assert {p["file"] for p in listed["problems"]} == {"hand-made/evidence.values.csv", "hand-made/notes.csv",
                                                       "hand-made/evidence.csv"}


def test_an_unknown_list_format_is_refused_before_any_work(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = _run("convert", str(CRM_LONG), "--from", "outcomes-star", "-o", str(tmp_path / "star.json"),
                "--problems", str(tmp_path / "problems.txt"))
    assert code == 2
    assert "name the file .html, .xlsx, .csv or .json" in capsys.readouterr().err
    assert not (tmp_path / "star.json").exists()
