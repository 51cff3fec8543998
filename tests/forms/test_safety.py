"""Unsafe and wrong files are refused with one clear message, before any parser sees them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from sharedoutcomes.exceptions import ConversionError, UnsafeFile
from sharedoutcomes.forms import convert_folder, read_form, template
from sharedoutcomes.forms._safety import FORM_LIMITS, MAX_FILE_BYTES, check_file


def _rezip(source: Path, target: Path, *, replace: dict[str, bytes] | None = None,
           add: dict[str, bytes] | None = None, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    replace = replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", compression) as new:
        for item in old.infolist():
            new.writestr(item.filename, replace.get(item.filename, old.read(item.filename)))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


@pytest.fixture
def blank_docx(tmp_path: Path) -> Path:
    path = tmp_path / "blank.docx"
    template("north-ayrshire", path)
    return path


@pytest.mark.parametrize("suffix", [".docm", ".xlsm"])
def test_macro_enabled_extensions_are_refused(tmp_path: Path, blank_docx: Path, suffix: str) -> None:
    path = tmp_path / f"return{suffix}"
    path.write_bytes(blank_docx.read_bytes())
    with pytest.raises(ConversionError, match="macro-enabled documents are not accepted"):
        read_form(path)


def test_a_vba_project_inside_a_docx_is_refused(tmp_path: Path, blank_docx: Path) -> None:
    path = _rezip(blank_docx, tmp_path / "sneaky.docx", add={"word/vbaProject.bin": b"\x00" * 64})
    with pytest.raises(ConversionError, match=r"sneaky.docx: the document contains macros \(vbaProject.bin\)"):
        read_form(path)


def test_a_macro_enabled_content_type_is_refused(tmp_path: Path, blank_docx: Path) -> None:
    with zipfile.ZipFile(blank_docx) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"wordprocessingml.document.main+xml", b"document.macroEnabled.main+xml")
    path = _rezip(blank_docx, tmp_path / "macro.docx", replace={"[Content_Types].xml": types})
    with pytest.raises(ConversionError, match="macro-enabled"):
        read_form(path)


def test_external_relationships_are_refused(tmp_path: Path, blank_docx: Path) -> None:
    with zipfile.ZipFile(blank_docx) as archive:
        rels = archive.read("word/_rels/document.xml.rels")
    external = (b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/>'
                b"</Relationships>")
    path = _rezip(blank_docx, tmp_path / "linked.docx",
                  replace={"word/_rels/document.xml.rels": rels.replace(b"</Relationships>", external)})
    with pytest.raises(ConversionError, match=r"refers to an external attachedTemplate \('http://evil.example"):
        read_form(path)


def test_xml_with_entities_is_refused(tmp_path: Path, blank_docx: Path) -> None:
    with zipfile.ZipFile(blank_docx) as archive:
        body = archive.read("word/document.xml")
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>' + body.split(b"?>", 1)[1]
    path = _rezip(blank_docx, tmp_path / "lol.docx", replace={"word/document.xml": bomb})
    with pytest.raises(ConversionError, match="declares a DTD or entities"):
        read_form(path)


def test_a_decompression_bomb_is_refused_before_inflating(tmp_path: Path, blank_docx: Path) -> None:
    path = _rezip(blank_docx, tmp_path / "bomb.docx", add={"word/media/padding.bin": b"\x00" * 30_000_000})
    assert path.stat().st_size < 1_000_000
    with pytest.raises(ConversionError, match=r"inflates \d+ times; this looks like a decompression bomb"):
        read_form(path)


def test_oversized_files_are_refused(blank_docx: Path) -> None:
    with pytest.raises(ConversionError, match="forms over 0 MB are not read"):
        read_form(blank_docx, max_bytes=1000)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("notes.docx", b"plain text, renamed", r"this is not a Word document \(.docx\): it is not a zip archive"),
    ("form.pdf", b"%PDF-1.4", r"a form must be a .docx, .xlsx or .json file, not '.pdf'"),
    ("form.json", b"{not json", "not a JSON form"),
    ("form2.json", b"[1, 2]", "expected an object with 'answers' and 'tables'"),
])
def test_files_that_are_not_forms(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ConversionError, match=message):
        read_form(path)


def test_a_workbook_renamed_docx_names_what_it_is(tmp_path: Path) -> None:
    xlsx = tmp_path / "blank.xlsx"
    template("north-ayrshire", xlsx)
    renamed = tmp_path / "return.docx"
    renamed.write_bytes(xlsx.read_bytes())
    with pytest.raises(ConversionError, match=r"this is not a Word document \(.docx\): it is an Excel workbook"):
        read_form(renamed)


def test_one_bad_file_does_not_stop_a_folder(tmp_path: Path, blank_docx: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    _rezip(blank_docx, folder / "a-macro.docx", add={"word/vbaProject.bin": b"x"})
    template("north-ayrshire", folder / "b-blank.xlsx")
    batch = convert_folder(folder, progress=False)
    assert [f.file for f in batch.files] == ["a-macro.docx", "b-blank.xlsx"]
    assert batch.files[0].result is None
    assert "macros" in (batch.files[0].error or "")
    assert batch.files[1].result is not None
    assert batch.package is not None
    assert not batch.ok


# -- the checks are the one safe way into Office files (sharedoutcomes._office) ---------------


@pytest.fixture
def blank_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "blank.xlsx"
    template("north-ayrshire", path, format="xlsx")
    return path


def test_safety_refusals_are_unsafe_file(tmp_path: Path, blank_docx: Path) -> None:
    path = _rezip(blank_docx, tmp_path / "sneaky.docx", add={"word/vbaProject.bin": b"\x00" * 64})
    with pytest.raises(UnsafeFile) as raised:
        read_form(path)
    assert (raised.value.found, raised.value.part) == ("vbaProject.bin", "word/vbaProject.bin")


def test_a_relationship_type_that_only_ends_in_hyperlink_is_refused(tmp_path: Path, blank_docx: Path) -> None:
    with zipfile.ZipFile(blank_docx) as archive:
        rels = archive.read("word/_rels/document.xml.rels")
    fake = (b'<Relationship Id="rIdX" Type="http://evil.example/ns/hyperlink" Target="http://evil.example/a" '
            b'TargetMode="External"/></Relationships>')
    path = _rezip(blank_docx, tmp_path / "fake.docx",
                  replace={"word/_rels/document.xml.rels": rels.replace(b"</Relationships>", fake)})
    with pytest.raises(UnsafeFile, match=r"relationship type 'http://evil.example/ns/hyperlink'"):
        read_form(path)


def test_a_dtd_in_a_relationship_part_is_refused(tmp_path: Path, blank_docx: Path) -> None:
    with zipfile.ZipFile(blank_docx) as archive:
        rels = archive.read("_rels/.rels")
    rels = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]>' + rels.split(b"?>", 1)[1]
    path = _rezip(blank_docx, tmp_path / "rels.docx", replace={"_rels/.rels": rels})
    with pytest.raises(UnsafeFile, match=r"the part '_rels/.rels' declares a DTD or entities"):
        read_form(path)


def test_a_far_cell_in_an_excel_form_is_refused_before_reading(tmp_path: Path, blank_xlsx: Path) -> None:
    with zipfile.ZipFile(blank_xlsx) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    far = sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    path = _rezip(blank_xlsx, tmp_path / "far.xlsx", replace={"xl/worksheets/sheet1.xml": far})
    with pytest.raises(UnsafeFile, match=r"far.xlsx: the sheet 'Return' has cells as far as row 1,048,576 and "
                                         r"column XFD \(16,384\)"):
        read_form(path)


def test_a_form_within_the_limits_still_reads(blank_xlsx: Path) -> None:
    assert check_file(blank_xlsx, kind="xlsx") is None
    assert FORM_LIMITS.max_file_bytes == MAX_FILE_BYTES
    assert read_form(blank_xlsx).format == "north-ayrshire"
