"""Formula injection (OWASP CSV injection): the Star writers never write a live formula, and read back unchanged."""

from __future__ import annotations

import copy
import csv
import zipfile
from pathlib import Path
from typing import Any

import pytest

import sharedoutcomes
from sharedoutcomes.stars import sample_path

TODAY = "2025-06-30"
# The OWASP payloads (https://owasp.org/www-community/attacks/CSV_Injection), and text that only looks like one.
PAYLOADS = ["=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1", '=HYPERLINK("http://example.org/x","Click")',
            "-2+3+cmd|' /C calc'!A0", "'=1+1", "''@x", "'plain"]


def _package(payloads: list[str]) -> sharedoutcomes.Package:
    """The sample's readings with a payload as each reading's worker and service."""
    result = sharedoutcomes.convert(sample_path(), format="outcomes-star", organisation_id="GB-CHC-1234567",
                                    today=TODAY)
    document: dict[str, Any] = copy.deepcopy(dict(result.document))
    for evidence, payload in zip(document["evidence"], payloads * 2, strict=False):
        evidence["extension_data"]["outcomes-star"]["worker"] = payload
        evidence["extension_data"]["outcomes-star"]["service"] = f"{payload} service"
    return sharedoutcomes.from_json_data(document, sharedoutcomes.Package)


def _workers(result: sharedoutcomes.ConversionResult) -> list[tuple[str, str]]:
    return [(e.extension_data["outcomes-star"]["worker"], e.extension_data["outcomes-star"]["service"])
            for e in result.package.evidence]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_payloads_read_back_unchanged(tmp_path: Path, suffix: str) -> None:
    for start in range(0, len(PAYLOADS), 6):
        chunk = PAYLOADS[start:start + 6]
        package = _package(chunk)
        target = tmp_path / f"readings-{start}{suffix}"
        sharedoutcomes.write(package, target, format="outcomes-star")
        back = sharedoutcomes.convert(target, format="outcomes-star", organisation_id="GB-CHC-1234567", today=TODAY)

        assert _workers(back) == [(p, f"{p} service") for p in (chunk * 2)[:len(back.package.evidence)]]


def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(tmp_path: Path) -> None:
    target = tmp_path / "readings.csv"
    sharedoutcomes.write(_package(PAYLOADS[:6]), target, format="outcomes-star")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    workers = [row[5] for row in rows[1:]]

    assert workers == ["'=1+1", "'+1", "'-1", "'@SUM(1)", "'\t=1", "'\r=1"]
    assert not any(cell[0] in "=+-@\t\r" for row in rows for cell in row if cell)


def test_xlsx_writes_text_cells_with_the_quote_prefix_never_a_formula(tmp_path: Path) -> None:
    target = tmp_path / "readings.xlsx"
    sharedoutcomes.write(_package(PAYLOADS[:6]), target, format="outcomes-star")
    with zipfile.ZipFile(target) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        styles = book.read("xl/styles.xml").decode()

    assert "<f>" not in sheet
    assert "<f " not in sheet
    assert 'quotePrefix="1"' in styles
    assert "=1+1" in sheet
    assert "@SUM(1)" in sheet
