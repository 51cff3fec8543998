"""
The one safe way into Office files: every reader refuses every attack, and the check survives byte mutations.

The attack files are built by `tests.fuzz.attacks`. The readers are found in the format
registry (every format whose reader takes ``.docx`` or ``.xlsx``), so a format added later
is held to the same attacks without touching this file.
"""

from __future__ import annotations

import io
import itertools
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes._office import Budget, Limits, OfficeFile, check, open_document, open_workbook
from sharedoutcomes.converters import default_registry
from sharedoutcomes.exceptions import ConversionError, SharedOutcomesError, UnsafeFile
from tests.fuzz.attacks import ATTACKS, base, built, rezip, rows_beyond_excel

READER_OPTIONS: dict[str, dict[str, Any]] = {"form": {"profile": "north-ayrshire"}}
"""Options a reader needs before it opens a file at all."""

CHECK_BUDGET_SECONDS = 20.0
"""No mutated file may keep the check busy longer than this (a hang, not a benchmark)."""


def _readers(kind: str) -> list[str]:
    registry = default_registry()
    return [name for name in registry.names() if f".{kind}" in registry[name].extensions]


CASES = [pytest.param(attack.name, kind, reader, attack.expect, id=f"{attack.name}-{reader}-{kind}")
         for attack in ATTACKS for kind in attack.kinds for reader in _readers(kind)]


def test_every_office_format_is_covered() -> None:
    assert {"form", "north-ayrshire", "harmonising-reporting"} <= set(_readers("docx"))
    assert {"form", "outcomes-star", "tables-xlsx"} <= set(_readers("xlsx"))


@pytest.mark.parametrize(("attack", "kind", "reader", "expect"), CASES)
def test_every_office_reader_refuses_every_attack(tmp_path: Path, attack: str, kind: str, reader: str,
                                                  expect: str) -> None:
    path = tmp_path / f"{attack}.{kind}"
    path.write_bytes(built(attack, kind))

    with pytest.raises(ConversionError) as raised:
        sharedoutcomes.convert(path, format=reader, **READER_OPTIONS.get(reader, {}))

    message = str(raised.value)
    assert message.startswith(f"{path.name}: "), message
    assert re.search(expect, message), message
    assert "Traceback" not in message
    assert len(message) < 600


@pytest.mark.parametrize("attack", [a for a in ATTACKS if "docx" in a.kinds and "xlsx" in a.kinds],
                         ids=lambda a: a.name)
def test_the_refusals_that_are_about_safety_are_unsafe_file(attack: Any) -> None:
    for kind in attack.kinds:
        with pytest.raises(ConversionError) as raised:
            check(built(attack.name, kind), kind, name=f"x.{kind}")
        damaged = attack.name in ("truncated", "not-a-zip", "old-binary-or-encrypted")
        assert isinstance(raised.value, UnsafeFile) is not damaged, (attack.name, raised.value)


def test_a_sheet_beyond_excels_rows_is_refused_after_one_streaming_pass() -> None:
    with pytest.raises(UnsafeFile, match=r"cells as far as row 1,048,577 and column A \(1\), beyond the 1,048,576"):
        check(rows_beyond_excel("xlsx"), "xlsx", name="long.xlsx")


# -- what passes -----------------------------------------------------------------------------

REAL = Path("/work/shared/realdata")


@pytest.mark.parametrize("path", sorted(REAL.glob("*/*.xlsx")), ids=lambda p: p.name)
def test_real_published_workbooks_pass(path: Path) -> None:
    found = check(path, "xlsx")
    assert found.sheets
    assert all(sheet.title for sheet in found.sheets)
    assert found.parts > 5
    assert found.unzipped > found.size


def test_the_plain_files_pass_with_what_was_found() -> None:
    book = check(base("xlsx"), "xlsx", name="plain.xlsx")
    assert isinstance(book, OfficeFile)
    assert (book.kind, book.name) == ("xlsx", "plain.xlsx")
    assert [(s.title, s.rows, s.columns, s.cells) for s in book.sheets] == [("Data", 4, 3, 12)]
    assert book.sheet("Data") is book.sheets[0]
    assert book.sheet("Nope") is None
    assert check(base("docx"), "docx").sheets == ()


def test_web_and_mail_hyperlinks_pass() -> None:
    rels = "xl/_rels/workbook.xml.rels"
    with zipfile.ZipFile(io.BytesIO(base("xlsx"))) as archive:
        text = archive.read(rels)
    links = (b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             b'hyperlink" Target="https://www.gov.scot/" TargetMode="External"/><Relationship Id="rId91" Type="http:'
             b'//schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="mailto:a@b.org" '
             b'TargetMode="External"/></Relationships>')
    check(rezip(base("xlsx"), replace={rels: text.replace(b"</Relationships>", links)}), "xlsx")


def test_a_file_object_is_read_from_where_it_is_and_put_back() -> None:
    handle = io.BytesIO(b"prefix" + base("xlsx"))
    handle.seek(6)
    assert check(handle, "xlsx").sheets[0].title == "Data"
    assert handle.tell() == 6


def test_a_wrong_kind_and_a_zip_that_is_not_office_are_named() -> None:
    with pytest.raises(ConversionError, match=r"this is not an XLSX workbook: it is a Word document"):
        check(base("docx"), "xlsx", name="a.xlsx")
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ConversionError, match=r"a zip archive without \[Content_Types\]\.xml"):
        check(plain.getvalue(), "docx", name="a.docx")


def test_limits_are_overridable() -> None:
    with pytest.raises(UnsafeFile, match=r"more than the 5 allowed \(Limits.max_cells\)") as raised:
        check(base("xlsx"), "xlsx", limits=Limits(max_cells=5), name="small.xlsx")
    assert raised.value.part == "xl/worksheets/sheet1.xml"
    with pytest.raises(UnsafeFile, match=r"files over 0.0 MB are not read \(Limits.max_file_bytes\)"):
        check(base("docx"), "docx", limits=Limits(max_file_bytes=10))
    assert check(built("many-parts", "docx"), "docx", limits=Limits(max_parts=10_000)).parts > 6_000


# -- open_workbook and the budget ------------------------------------------------------------


def _sheet_with_dimension(dimension: str, last_row: int) -> bytes:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>0</v></c></row>' % (i, i, i, i)
                    for i in range(1, last_row + 1))
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><dimension ref="' + dimension.encode() + b'"/><sheetData>' + rows
             + b"</sheetData></worksheet>")
    return rezip(base("xlsx"), replace={"xl/worksheets/sheet1.xml": sheet})


def test_rows_beyond_a_stale_dimension_are_not_dropped() -> None:
    data = _sheet_with_dimension("A1:B3", 8)
    found = check(data, "xlsx").sheets[0]
    assert (found.declared, found.rows, found.stale) == ((3, 2), 8, True)
    rows = list(open_workbook(data).active.iter_rows(values_only=True))
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5, 6, 7, 8]


def test_a_dimension_past_the_limits_is_bounded_to_the_real_cells() -> None:
    data = _sheet_with_dimension("A1:XFD1048576", 3)
    rows = list(open_workbook(data).active.iter_rows(values_only=True))
    assert rows == [(1, 0), (2, 0), (3, 0)]


def test_open_workbook_refuses_before_openpyxl_sees_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(built("billion-laughs", "xlsx"))
    with pytest.raises(UnsafeFile, match=r"bomb.xlsx: the part 'xl/workbook.xml' declares a DTD"):
        open_workbook(path)


def test_the_budget_stops_a_reader_at_the_rows_allowed() -> None:
    budget = Budget(Limits(max_read_rows=1_000), name="big.xlsx")
    with pytest.raises(UnsafeFile, match=r"more than 1,000 rows to read, reached in the sheet 'Data'"):
        for _ in budget.rows(range(5_000), sheet="Data"):
            pass
    assert budget.rows_read == 1_001


def test_the_budget_stops_a_reader_at_the_time_allowed() -> None:
    budget = Budget(Limits(max_seconds=0.0), name="slow.xlsx")
    budget.started -= 1
    with pytest.raises(UnsafeFile, match=r"reading the file took more than 0 s"):
        budget.charge(rows=300)


# -- byte mutations of the check itself ------------------------------------------------------

MUTATION = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _assert_library_only(data: bytes, kind: str) -> None:
    started = time.monotonic()
    try:
        found = check(data, kind, name=f"mutated.{kind}").name
    except SharedOutcomesError as error:
        found = str(error)
    assert found.startswith(f"mutated.{kind}")
    assert time.monotonic() - started < CHECK_BUDGET_SECONDS


@MUTATION
@given(kind=st.sampled_from(["docx", "xlsx"]), data=st.data())
def test_raw_byte_mutations_end_in_a_result_or_a_library_error(kind: str, data: st.DataObject) -> None:
    original = bytearray(base(kind))
    for _ in range(data.draw(st.integers(1, 8), label="mutations")):
        position = data.draw(st.integers(0, len(original) - 1), label="position")
        action = data.draw(st.sampled_from(["flip", "delete", "insert", "cut"]), label="action")
        if action == "flip":
            original[position] ^= data.draw(st.integers(1, 255))
        elif action == "delete":
            del original[position: position + data.draw(st.integers(1, 64))]
        elif action == "insert":
            original[position:position] = data.draw(st.binary(min_size=1, max_size=64))
        else:
            del original[position:]
        if not original:
            break
    _assert_library_only(bytes(original), kind)


PART_TEXT = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"<!DOCTYPE x>", b'<?xml version="1.0" encoding="utf-7"?><a/>', b"<a>&undefined;</a>",
                     b'<?xml version="1.0" encoding="no-such"?><a/>', b"\xff\xfe<\x00a\x00/\x00>\x00",
                     b'<row r="99999999999">', b'<c r="ZZZZ1"/>', b'<c r="A0"/>', b'<row r="x">', b"<c/><c/>",
                     b'<dimension ref="nonsense"/>', b'TargetMode="External"', b"]]>", b"\x00"]),
)


@MUTATION
@given(kind=st.sampled_from(["docx", "xlsx"]), data=st.data())
def test_part_mutations_end_in_a_result_or_a_library_error(kind: str, data: st.DataObject) -> None:
    """Mutations inside the parts, re-zipped with valid checksums, so the XML checks themselves are exercised."""
    with zipfile.ZipFile(io.BytesIO(base(kind))) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    name = data.draw(st.sampled_from(sorted(parts)), label="part")
    text = parts[name]
    position = data.draw(st.integers(0, len(text)), label="position")
    cut = data.draw(st.integers(0, 64), label="cut")
    parts[name] = text[:position] + data.draw(PART_TEXT, label="insert") + text[position + cut:]
    method = data.draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2,
                                        zipfile.ZIP_LZMA]), label="compression")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    _assert_library_only(out.getvalue(), kind)


def test_an_unsupported_compression_method_is_a_library_error() -> None:
    data = bytearray(base("xlsx"))
    directory = data.rfind(b"PK\x01\x02")
    data[directory + 10: directory + 12] = (99).to_bytes(2, "little")  # the last part's compression method
    local = data.rfind(b"PK\x03\x04")
    data[local + 8: local + 10] = (99).to_bytes(2, "little")
    with pytest.raises(ConversionError, match=r"mutated\.xlsx: this is not an XLSX workbook"):
        check(bytes(data), "xlsx", name="mutated.xlsx")


def test_open_document_checks_then_opens() -> None:
    assert open_document(base("docx")).tables[0].cell(0, 0).text == "Organisation name"
    with pytest.raises(UnsafeFile, match=r"lol\.docx: the part 'word/document\.xml' declares a DTD"):
        open_document(built("billion-laughs", "docx"), name="lol.docx")


def test_open_workbook_reads_a_file_object_from_where_it_is() -> None:
    handle = io.BytesIO(base("xlsx"))
    book = open_workbook(handle)
    assert next(book.active.iter_rows(values_only=True)) == ("id", "name", "score")


# -- the extent agrees with openpyxl's, on either path ---------------------------------------

CELL = st.tuples(st.booleans(), st.integers(1, 40), st.integers(1, 30))  # (has an address, row, column)
ROW = st.tuples(st.one_of(st.none(), st.integers(1, 40)), st.lists(CELL, min_size=1, max_size=4))


def _letters(number: int) -> str:
    return "" if number == 0 else _letters((number - 1) // 26) + chr(65 + (number - 1) % 26)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=1, max_size=6), prefix=st.sampled_from(["", "x:"]))
def test_the_extent_is_openpyxls_whether_or_not_rows_and_cells_carry_their_address(
        rows: list[tuple[int | None, list[tuple[bool, int, int]]]], prefix: str) -> None:
    body, counter, numbers = [], 0, []
    for number, cells in rows:
        counter = number if number is not None else counter + 1
        numbers.append(counter)
        tag = f'<{prefix}row r="{number}">' if number is not None else f"<{prefix}row>"
        cells_xml = "".join(f'<{prefix}c r="{_letters(column)}{row}"><{prefix}v>1</{prefix}v></{prefix}c>' if has
                            else f"<{prefix}c><{prefix}v>1</{prefix}v></{prefix}c>" for has, row, column in cells)
        body.append(f"{tag}{cells_xml}</{prefix}row>")
    namespace = f'xmlns{":x" if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sheet = (f"<{prefix}worksheet {namespace}><{prefix}sheetData>{''.join(body)}</{prefix}sheetData>"
             f"</{prefix}worksheet>").encode()
    data = rezip(base("xlsx"), replace={"xl/worksheets/sheet1.xml": sheet})

    if any(later <= earlier for earlier, later in itertools.pairwise(numbers)):
        # Rows out of order (or one numbered twice): openpyxl's read-only rows drop one, so the check refuses it.
        with pytest.raises(ConversionError, match=r"the sheet 'Data' has row [\d,]+ after row [\d,]+: its rows are out"):
            check(data, "xlsx")
        return
    found = check(data, "xlsx").sheets[0]

    worksheet = openpyxl.load_workbook(io.BytesIO(data)).active  # the reference: openpyxl's own numbering
    assert found.columns == worksheet.max_column
    assert found.rows == max(worksheet.max_row, *numbers)
