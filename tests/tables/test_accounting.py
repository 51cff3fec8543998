"""Every cell of a tables folder or workbook is read or reported (issue 10); damaged and foreign files are clear (17)."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes import ConversionError, tables

DATA = Path(__file__).parent / "data"
PAYLOADS = ["=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1", '=HYPERLINK("http://example.org/x","Click")',
            "-2+3+cmd|' /C calc'!A0"]


def csv_cells(folder: Path) -> int:
    total = 0
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            total += sum(1 for row in csv.reader(handle) for cell in row if cell != "")
    return total


def test_a_round_trip_reads_every_cell(tmp_path: Path) -> None:
    tables.to_csv(sharedoutcomes.example_package(), tmp_path / "csv")
    read = tables.read_csv(tmp_path / "csv")

    assert read.coverage is not None
    assert read.coverage.complete
    assert read.coverage.total_read == csv_cells(tmp_path / "csv")
    assert sharedoutcomes.convert(tmp_path / "csv", format="tables-csv").coverage == read.coverage


def test_hand_made_tables_say_what_was_not_read(tmp_path: Path) -> None:
    read = tables.read_csv(DATA / "hand-made")
    coverage = read.coverage

    assert coverage is not None
    assert coverage.total_read + coverage.total_not_read == csv_cells(DATA / "hand-made")
    assert coverage.not_read["notes"] == 4  # the unknown notes.csv, all four cells
    assert coverage.not_read["evidence.values"] >= 1  # the row whose evidence does not exist
    rules = {p.rule for p in read.problems}
    assert {"tables.unknown-sheet", "tables.parent-missing"} <= rules


def test_a_value_beyond_the_headed_columns_is_not_read_and_located(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    tables.to_csv(sharedoutcomes.example_package(), folder)
    path = folder / "organisations.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[2] += ",checked by Jim"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    read = tables.read_csv(folder)
    (stray,) = [p for p in read.problems if p.rule == "tables.column"]

    assert read.coverage is not None
    assert read.coverage.not_read == {"organisations": 1}
    assert stray.source is not None
    assert stray.source.row == 3
    assert stray.value == "checked by Jim"


def test_a_foreign_workbook_is_not_a_tables_workbook() -> None:
    with pytest.raises(ConversionError, match=r"this is not a tables workbook: none of its sheets \('Meta'") as caught:
        sharedoutcomes.convert(DATA / "foreign" / "360-giving-schema-titles-with-meta-tab-2023.xlsx",
                               format="tables-xlsx")
    assert "package" not in str(caught.value).split("layout")[0]  # no "required field on sheet 'package'"


def test_a_foreign_csv_folder_is_not_a_tables_folder(tmp_path: Path) -> None:
    (tmp_path / "grants.csv").write_text("Identifier,Title,Amount Awarded\n360G-1,Men's shed,5000\n", encoding="utf-8")

    with pytest.raises(ConversionError, match="this is not a tables folder"):
        tables.read_csv(tmp_path)


def _rewrite(source: Path, target: Path, member: str, change: Any) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, change(data) if item.filename == member else data)
    return target


def _sheet_member(path: Path, title: str) -> str:
    with zipfile.ZipFile(path) as book:
        workbook = book.read("xl/workbook.xml").decode()
        rels = book.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet[^>]*name="{re.escape(title)}"[^>]*r:id="([^"]+)"', workbook)
    assert rid is not None
    target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    assert target is not None
    return "xl/" + (target.group(1) or target.group(2)).lstrip("/").removeprefix("xl/")


def test_a_damaged_sheet_is_a_located_problem_not_a_traceback(tmp_path: Path) -> None:
    good = tables.to_xlsx(sharedoutcomes.example_package(), tmp_path / "good.xlsx")
    member = _sheet_member(good, "evidence.values")
    broken = _rewrite(good, tmp_path / "broken.xlsx", member, lambda xml: xml[: len(xml) // 2])

    read = tables.read_xlsx(broken)
    (damaged,) = [p for p in read.problems if p.rule == "tables.unreadable-sheet"]

    assert damaged.severity == "error"
    assert damaged.source is not None
    assert damaged.source.sheet == "evidence.values"
    assert damaged.source.row
    assert "save the workbook again" in damaged.message


def test_rows_beyond_a_stale_dimension_are_read(tmp_path: Path) -> None:
    good = tables.to_xlsx(sharedoutcomes.example_package(), tmp_path / "good.xlsx")
    member = _sheet_member(good, "evidence.values")
    stale = _rewrite(good, tmp_path / "stale.xlsx", member,
                     lambda xml: re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:B3"/>', xml))

    assert tables.read_xlsx(stale).document == tables.read_xlsx(good).document


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_formula_payloads_are_never_written_raw_and_read_back_unchanged(tmp_path: Path, suffix: str) -> None:
    document = sharedoutcomes.dump(sharedoutcomes.example_package())
    for i, payload in enumerate(PAYLOADS):
        document["organisations"][i % len(document["organisations"])]["name"] = payload
        document["evidence"][i % len(document["evidence"])]["summary"] = payload
    if suffix == "csv":
        tables.to_csv(document, tmp_path / "csv")
        back = tables.read_csv(tmp_path / "csv").document
        for path in (tmp_path / "csv").glob("*.csv"):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                cells = [cell for row in csv.reader(handle) for cell in row]
            assert not [c for c in cells if c and (c[0] in "=+@\t\r" or (c[0] == "-" and not _number(c)))], path.name
    else:
        target = tables.to_xlsx(document, tmp_path / "p.xlsx")
        back = tables.read_xlsx(target).document
        with zipfile.ZipFile(target) as book:
            sheets = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in xml for xml in sheets)
    assert back == document


def _number(text: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?([eE][+-]?\d+)?", text) is not None


def _as_workbook(folder: Path) -> Path:
    """The folder's CSV files as the sheets of one workbook, cell for cell (text cells)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                sheet.append([c or None for c in row])
    target = folder.parent / f"{folder.name}.xlsx"
    book.save(target)
    return target


@given(st.lists(st.tuples(st.sampled_from(["organisations", "evidence", "evidence.values", "notes"]),
                          st.integers(0, 6), st.integers(0, 14)), min_size=1, max_size=4),
       st.sampled_from(["csv", "xlsx"]))
def test_extra_content_ends_in_the_package_or_a_problem(tmp_path_factory: pytest.TempPathFactory,
                                                          places: list[tuple[str, int, int]], kind: str) -> None:
    folder = tmp_path_factory.mktemp("tables")
    tables.to_csv(sharedoutcomes.example_package(), folder)
    tokens: dict[tuple[str, int, int], str] = {}
    for n, (name, offset, col) in enumerate(places):
        path = folder / f"{name}.csv"
        rows = []
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.reader(handle))
        row = min(offset + 2, len(rows) + 1)  # never in the title or key rows
        while len(rows) <= row:
            rows.append([])
        rows[row] += [""] * (col + 1 - len(rows[row]))
        rows[row][col] = f"EXTRA {n}"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        tokens = {k: v for k, v in tokens.items() if k != (name, row, col)}
        tokens[name, row, col] = f"EXTRA {n}"

    read = tables.read_csv(folder) if kind == "csv" else tables.read_xlsx(_as_workbook(folder))
    text = repr(read.document)

    assert read.coverage is not None
    assert read.coverage.total_read + read.coverage.total_not_read == csv_cells(folder)
    for (name, row, col), token in tokens.items():
        in_package = token in text
        reported = any(p.source and (p.source.file == f"{name}.csv" or p.source.sheet == name)
                       and p.source.row in (row + 1, None) for p in read.problems)
        assert in_package or reported, (name, row, col, [str(p) for p in read.problems])
