"""The fast rows reader (python-calamine) gives exactly openpyxl's read-only ``values_only`` rows, or is not used."""

from __future__ import annotations

import datetime as dt
import io
import sys
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fuzz.attacks import ATTACKS, built

import sharedoutcomes
from sharedoutcomes._office import Budget, Limits, open_rows, open_workbook
from sharedoutcomes._office._fast import calamine_class, openpyxl_class
from sharedoutcomes.exceptions import ConversionError, UnsafeFile

python_calamine = pytest.importorskip("python_calamine")

ROOT = Path(__file__).parents[2]
REAL = Path("/work/shared/realdata")
FIXTURES = sorted({*ROOT.glob("tests/**/*.xlsx"), *(REAL.glob("**/*.xlsx") if REAL.is_dir() else [])})


def openpyxl_rows(source: Any, sheet: str | None = None) -> tuple[str, list[tuple[Any, ...]]]:
    book = open_workbook(source)
    try:
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "marked as a date but … outside the limits for dates": '#VALUE!'
            return str(worksheet.title), [tuple(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()


def fast_rows(source: Any, sheet: str | None = None) -> tuple[str, list[tuple[Any, ...]], str]:
    book = open_rows(source)
    try:
        title = sheet if sheet is not None else book.worksheets[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl, where it reads the sheet
            rows = [tuple(row) for row in book.rows(title)]
        return title, rows, book.readers[title]
    finally:
        book.close()


def typed(rows: list[tuple[Any, ...]]) -> list[tuple[tuple[type, Any], ...]]:
    """Rows with each cell's type beside it: ``5 == 5.0 == True`` must not hide a difference."""
    return [tuple((type(cell), cell) for cell in row) for row in rows]


def sheets_of(path: Path) -> list[str]:
    book = open_workbook(path)
    try:
        return [str(sheet.title) for sheet in book.worksheets]
    finally:
        book.close()


# -- every workbook in the repository and in the real data ------------------------------------


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: str(path.relative_to(path.parents[2])))
def test_every_fixture_workbook_reads_the_same(path: Path) -> None:
    for title in sheets_of(path):
        _, expected = openpyxl_rows(path, title)
        _, got, reader = fast_rows(path, title)
        assert typed(got) == typed(expected), title
        assert reader == "calamine", title  # the fixtures are plain: the fast path is the one tested


def test_there_are_fixtures() -> None:
    assert len(FIXTURES) >= 5
    assert ROOT / "tests/stars/data/home-star-merged.xlsx" in FIXTURES


# -- generated workbooks ----------------------------------------------------------------------

FORMATS = ["General", "0", "0.00", "#,##0.00", "0%", "dd/mm/yyyy", "yyyy-mm-dd", "d-mmm-yy", "yyyy-mm-dd hh:mm:ss",
           "dd/mm/yyyy hh:mm", "hh:mm", "h:mm AM/PM", "mm:ss", "[h]:mm:ss", "[mm]:ss", '0.00" m"', '"Y"0',
           "[$-409]mmmm d, yyyy;@", "[Red]0.00", "@", "0.00E+00", '#,##0\\ "days"', "ddd", "yyyy"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=12).filter(
    lambda text: not text.startswith("=")) | st.sampled_from([" padded ", "O'Brien", "naïve café", "日本語", "  ", "'"])
WHEN = st.datetimes(min_value=dt.datetime(1899, 12, 31), max_value=dt.datetime(9999, 12, 31))
VALUES = st.one_of(
    st.none(),
    st.integers(-(10**15), 10**15),
    st.integers(-3, 3_000_000),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.integers(-1000, 1000).map(float),
    TEXT,
    st.booleans(),
    WHEN,
    WHEN.map(lambda when: when.date()),
    st.times(),
)
SECONDS = st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2200, 12, 31)).map(
    lambda when: when.replace(microsecond=0))
Grid = tuple[int, int, list[list[tuple[Any, str | None]]], int | None]
GRIDS = st.tuples(st.integers(0, 4), st.integers(0, 3),
                  st.lists(st.lists(st.tuples(VALUES, st.none() | st.sampled_from(FORMATS)), max_size=6), max_size=8),
                  st.none() | st.integers(1, 3))


def workbook(grid: Grid) -> bytes:
    """A workbook whose first sheet holds *grid*: (empty rows, empty columns, rows of (value, format), a styled row)."""
    top, left, rows, styled = grid
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=top + 1):
        for c, (value, number_format) in enumerate(row, start=left + 1):
            if value is None and number_format is None:
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if number_format is not None:
                cell.number_format = number_format
    if styled is not None:  # a styled empty cell below the data: openpyxl gives its row
        sheet.cell(row=top + len(rows) + styled, column=1).font = openpyxl.styles.Font(bold=True)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(GRIDS)
def test_generated_workbooks_read_the_same(grid: Grid) -> None:
    data = workbook(grid)
    _, expected = openpyxl_rows(data)
    _, got, _reader = fast_rows(data)
    assert typed(got) == typed(expected)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-(10**9), 10**9) | TEXT | SECONDS | st.none(), max_size=5), min_size=1,
                max_size=6))
def test_plain_generated_workbooks_take_the_fast_path(rows: list[list[Any]]) -> None:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    _, expected = openpyxl_rows(data.getvalue())
    _, got, reader = fast_rows(data.getvalue())
    assert typed(got) == typed(expected)
    assert reader == "calamine"


CODES = [*FORMATS, "[h]", "[ss]", "[s].000", "[Blue]\\+[h]:mm;[Red]\\-[h]:mm", "ha/p\\\\m", '#,##0.0####" YMD"',
         "\\Y000000", "0_ ;[Red]\\-0\\ ", 'm"M"d"D";@', "[>=100][Magenta][s].00", "#,##0*y", "am/pm", "General;dd"]


@pytest.mark.parametrize("code", CODES)
def test_the_format_classes_are_those_of_openpyxl_and_of_calamine(code: str) -> None:
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format

    expected = ("duration" if is_timedelta_format(code) else "date") if is_date_format(code) else "number"
    assert openpyxl_class(code) == expected
    book = openpyxl.Workbook()
    book.active["A1"] = 45000.25
    book.active["A1"].number_format = code
    data = io.BytesIO()
    book.save(data)
    value = python_calamine.CalamineWorkbook.from_object(io.BytesIO(data.getvalue())).get_sheet_by_index(0)
    read = value.to_python()[0][0]
    calamine = "duration" if isinstance(read, dt.timedelta) else "number" if isinstance(read, float) else "date"
    assert calamine_class(code) in (calamine, None)  # None: unsure, and the sheet is read with openpyxl


def test_the_builtin_date_formats_are_openpyxls() -> None:
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    from sharedoutcomes._office._fast import _BUILTIN_DATES

    assert {number: openpyxl_class(code) for number, code in BUILTIN_FORMATS.items()
            if openpyxl_class(code) != "number"} == _BUILTIN_DATES


# -- hand-made sheets: formulas, errors and what makes the fast path step aside ----------------

_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
          'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
          'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = (f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK_RELS = (f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
              f'relationships"><Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
              f'<Relationship Id="rId2" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def hand_made(cells: str, *, dimension: str | None = "A1:D4", strings: tuple[str, ...] = ("Person", "Score"),
              book_pr: str = "") -> bytes:
    """A workbook of one sheet 'Data' whose ``<sheetData>`` is *cells*."""
    shared = "".join(f"<si><t>{text}</t></si>" if text else "<si><t/></si>" for text in strings)
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="{_R}">{book_pr}'
                         '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        archive.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{_MAIN}">{shared}</sst>')
        archive.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}">{dim}'
                         f"<sheetData>{cells}</sheetData></worksheet>")
    return data.getvalue()


PLAIN = ('<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c></row>'
         '<row r="3"><c r="B3" t="str"><f>"SP-"&amp;1</f><v>SP-1</v></c><c r="C3"><f>1+2</f><v>3</v></c>'
         '<c r="D3"><f>1/2</f><v>0.5</v></c></row><row r="4" ht="20" customHeight="1"/>')


def test_formulas_give_their_cached_values_and_trailing_empty_rows_are_kept() -> None:
    _, expected = openpyxl_rows(hand_made(PLAIN))
    _, got, reader = fast_rows(hand_made(PLAIN))
    assert typed(got) == typed(expected)
    assert got[2] == (None, "SP-1", 3, 0.5)
    assert got[3] == (None, None, None, None)  # a <row> with no cells: openpyxl gives it, and so do we
    assert reader == "calamine"


@pytest.mark.parametrize(("why", "cells", "options"), [
    ("an error cell", '<row r="1"><c r="A1" t="e"><v>#N/A</v></c></row>', {}),
    ("an ISO date cell", '<row r="1"><c r="A1" t="d"><v>2024-05-02T00:00:00</v></c></row>', {}),
    ("a whole number with a point", '<row r="1"><c r="A1"><v>5.0</v></c></row>', {}),
    ("a number with an exponent", '<row r="1"><c r="A1"><v>1E+20</v></c></row>', {}),
    ("a 17-digit integer", '<row r="1"><c r="A1"><v>12345678901234567</v></c></row>', {}),
    ("an empty inline string", '<row r="1"><c r="A1" t="inlineStr"><is><t></t></is></c></row>', {}),
    ("an empty shared string", '<row r="1"><c r="A1" t="s"><v>2</v></c></row>', {"strings": ("a", "b", "")}),
    ("the 1904 date system", '<row r="1"><c r="A1"><v>5</v></c></row>', {"book_pr": '<workbookPr date1904="1"/>'}),
    ("a value with white space", '<row r="1"><c r="A1"><v> 5</v></c><c r="B1" t="str"><v>a </v></c></row>', {}),
    ("white space around '='", '<row r="1"><c r="A1" t = "e"><v>#N/A</v></c></row>', {}),
    ("a valueless cell and no dimension", '<row r="1"><c r="A1"><v>5</v></c><c r="C1"/></row><row r="3"/>',
     {"dimension": None}),
])
def test_what_calamine_would_read_differently_is_read_with_openpyxl(why: str, cells: str, options: Any) -> None:
    data = hand_made(cells, **options)
    _, expected = openpyxl_rows(data)
    _, got, reader = fast_rows(data)
    assert typed(got) == typed(expected), why
    assert reader == "openpyxl", why


def test_a_sheet_with_prefixed_tags_is_read_with_openpyxl() -> None:
    data = hand_made('<row r="1"><c r="A1"><v>5</v></c></row>')
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        for info in archive.infolist():
            body = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = (f'<?xml version="1.0"?><x:worksheet xmlns:x="{_MAIN}"><x:dimension ref="A1:B1"/><x:sheetData>'
                        '<x:row r="1"><x:c r="A1"><x:v>5</x:v></x:c><x:c r="B1" t="e"><x:v>#N/A</x:v></x:c></x:row>'
                        "</x:sheetData></x:worksheet>").encode()
            new.writestr(info, body)
    _, expected = openpyxl_rows(out.getvalue())
    _, got, reader = fast_rows(out.getvalue())
    assert got == expected == [(5, "#N/A")]
    assert reader == "openpyxl"


def test_a_sheet_without_a_dimension_has_rows_as_wide_as_their_last_cell() -> None:
    cells = ('<row r="2"><c r="B2" t="s"><v>0</v></c><c r="D2"><v>4</v></c></row><row r="3"/>'
             '<row r="5"><c r="A5"><v>1</v></c></row>')
    data = hand_made(cells, dimension=None)
    _, expected = openpyxl_rows(data)
    _, got, reader = fast_rows(data)
    assert typed(got) == typed(expected)
    assert got == [(), (None, "Person", None, 4), (), (), (1,)]
    assert reader == "calamine"


def test_a_stale_dimension_is_replaced_by_the_real_extent_as_openpyxl_is_given_it() -> None:
    cells = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="E{n}" t="s"><v>0</v></c></row>' for n in (1, 7))
    data = hand_made(cells, dimension="A1:B2")
    _, expected = openpyxl_rows(data)
    _, got, reader = fast_rows(data)
    assert typed(got) == typed(expected)
    assert (len(got), len(got[0]), reader) == (7, 5, "calamine")


def assert_read_with_openpyxl(book: Any) -> None:
    """The workbook *book*, saved, is read by the fast reader with openpyxl, as openpyxl reads it."""
    data = io.BytesIO()
    book.save(data)
    _, expected = openpyxl_rows(data.getvalue())
    _, got, reader = fast_rows(data.getvalue())
    assert typed(got) == typed(expected)
    assert reader == "openpyxl"


@pytest.mark.parametrize("value", [dt.datetime(2024, 5, 2, 13, 30, 1, 250000), dt.time(9, 0, 0, 1000),
                                   dt.timedelta(hours=30, microseconds=5000), -1, 2958466])
def test_dates_the_readers_may_give_apart_are_read_with_openpyxl(value: Any) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "When"
    book.active["A2"] = value
    if isinstance(value, int):
        book.active["A2"].number_format = "yyyy-mm-dd"  # a serial before 1900, or after 9999
    assert_read_with_openpyxl(book)


def test_a_date_format_the_readers_class_differently_is_read_with_openpyxl() -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = 45000
    book.active["A1"].number_format = "*-yyyy"  # a fill: calamine's versions disagree on it
    assert_read_with_openpyxl(book)


def test_merged_cells_keep_their_value_in_the_first_cell_only() -> None:
    book = openpyxl.Workbook()
    book.active["B2"] = "Home Star readings"
    book.active.merge_cells("B2:E2")
    book.active.append([None, "a", "b"])
    data = io.BytesIO()
    book.save(data)
    _, expected = openpyxl_rows(data.getvalue())
    _, got, reader = fast_rows(data.getvalue())
    assert got == expected
    assert got[1] == (None, "Home Star readings", None, None, None)
    assert reader == "calamine"


# -- safety, damage, the budget and the sources -----------------------------------------------


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.name)
def test_unsafe_files_are_refused_before_calamine_opens_them(attack: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    if "xlsx" not in attack.kinds:
        pytest.skip("not a workbook attack")
    opened: list[object] = []

    def spy(*args: object, **kwargs: object) -> None:
        opened.append(args)
        raise AssertionError("calamine opened a file before the check refused it")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_object", spy)
    with pytest.raises(ConversionError, match=attack.expect):
        open_rows(built(attack.name, "xlsx"), name="attack.xlsx")
    assert opened == []


def test_a_damaged_sheet_fails_where_openpyxl_fails() -> None:
    data = hand_made('<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>99</v></c></row>')
    with pytest.raises(IndexError):
        openpyxl_rows(data)
    book = open_rows(data)
    rows = book.rows("Data")
    assert next(rows) == ("Person", None, None, None)
    with pytest.raises(IndexError):
        next(rows)  # calamine refused the sheet: openpyxl read it, and fails at the same row
    assert book.readers["Data"] == "openpyxl"
    book.close()


@pytest.mark.parametrize("rows", [
    '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="3"><c r="A3" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>1</v></c></row>',
    '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="B2" t="s"><v>1</v></c></row>',
    '<row r="2"><c r="A2" t="s"><v>0</v></c></row><row><c t="s"><v>1</v></c></row><row r="3"><c t="s"><v>1</v></c></row>',
])
def test_rows_out_of_order_are_refused_by_both_readers(rows: str) -> None:
    # openpyxl's read-only rows drop a row that comes back (row 2 after row 3 gives rows 1, empty, 3): the check
    # refuses the sheet, so that neither reader gives rows that differ from the file, or from each other.
    data = hand_made(rows)
    message = r"x\.xlsx: the sheet 'Data' has row [23] after row [23]: its rows are out of order"
    with pytest.raises(ConversionError, match=message):
        open_rows(data, name="x.xlsx")
    with pytest.raises(ConversionError, match=message):
        open_workbook(data, name="x.xlsx")


def test_not_a_workbook_is_the_same_error_as_open_workbook() -> None:
    with pytest.raises(ConversionError) as fast:
        open_rows(b"PK\x03\x04 truncated", name="x.xlsx")
    with pytest.raises(ConversionError) as slow:
        open_workbook(b"PK\x03\x04 truncated", name="x.xlsx")
    assert str(fast.value) == str(slow.value)


def test_the_budget_still_bounds_the_rows() -> None:
    book = openpyxl.Workbook()
    for number in range(10):
        book.active.append([number])
    data = io.BytesIO()
    book.save(data)
    rows = open_rows(data.getvalue())
    with pytest.raises(UnsafeFile, match="more than 3 rows"):
        list(Budget(Limits(max_read_rows=3), name="a.xlsx").rows(rows.rows("Sheet"), sheet="Sheet"))
    assert rows.readers["Sheet"] == "calamine"
    rows.close()


def test_paths_bytes_and_file_objects_give_the_same_rows(tmp_path: Path) -> None:
    path = ROOT / "tests/stars/data/home-star-merged.xlsx"
    data = path.read_bytes()
    handle = io.BytesIO(data)
    expected = fast_rows(path)
    assert fast_rows(data) == expected
    assert fast_rows(handle) == expected
    assert handle.tell() == 0


# -- the Star and survey conversions, with and without calamine --------------------------------


def without_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails: MissingDependency → openpyxl


def result_of(source: Any, **options: Any) -> tuple[Any, ...]:
    try:
        result = sharedoutcomes.convert(source, **options)
    except ConversionError as error:
        return ("error", str(error))
    return (sharedoutcomes.dumps(result.package), result.problems, dict(result.source_map), result.coverage)


def star_workbooks(tmp_path: Path) -> Iterator[Path]:
    yield ROOT / "tests/stars/data/home-star-merged.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Readings"
    sheet.append(["Readings export"])
    sheet.append([])
    sheet.append(["Client ID", "Date", "Managing money", "Physical health", "Worker"])
    sheet.append(["C-1", dt.datetime(2024, 2, 5), 3, 4.0, "Ann"])
    sheet.append(["C-1", "19/08/2024", "7", 11, None])
    sheet.append([None, 45500, 2.5, None, "O'Neil"])
    path = tmp_path / "star.xlsx"
    book.save(path)
    yield path
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(hand_made('<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s">'
                                  "<v>99</v></c></row>"))
    yield damaged


def test_star_conversions_are_the_same_with_and_without_calamine(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    options = {"format": "outcomes-star", "today": "2025-06-30", "organisation_id": "GB-CHC-1234567"}
    paths = list(star_workbooks(tmp_path))
    fast = [result_of(path, **options) for path in paths]
    without_calamine(monkeypatch)
    assert [result_of(path, **options) for path in paths] == fast
    assert fast[0][0] != "error"
    assert fast[2][0] == "error"
    assert "row 2" in fast[2][1]


def test_survey_conversions_are_the_same_with_and_without_calamine(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["Person ID", "Date", "Satis", "Worth", "Happy", "Anxious", "Postcode"])
    sheet.append(["SP-0001", dt.datetime(2024, 5, 2, 10, 30), 4, 5, 3, 8, "KA1 1AA"])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["SP-0001", dt.datetime(2024, 11, 20), 7, 7.0, "6", 11, None])
    sheet.append(["SP-0002", "02/05/2024", 12, None, 3, 2, None])
    path = tmp_path / "ons4.xlsx"
    book.save(path)
    options = {"format": "survey", "today": "2024-12-31", "organisation_id": "GB-SC-SC099001"}
    fast = result_of(path, **options)
    without_calamine(monkeypatch)
    assert result_of(path, **options) == fast
    assert fast[0] != "error"


def test_import_sharedoutcomes_does_not_import_calamine() -> None:
    import subprocess

    probe = "import sharedoutcomes, sharedoutcomes.stars, sys; print('python_calamine' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
