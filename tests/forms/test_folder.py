"""Folders of returns (issue 10, item 4): every file accounted for, duplicates counted once, renames named by file."""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest

from sharedoutcomes import example_package
from sharedoutcomes.converters import convert
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.forms import convert_folder, write_form

SHED = "GB-SC-SC045123"
CARERS = "GB-SC-SC038977"


def _returns(folder: Path) -> Path:
    folder.mkdir()
    write_form(example_package(), folder / "garnock-shed.docx", organisation_id=SHED)
    write_form(example_package(), folder / "three-towns-carers.xlsx", organisation_id=CARERS)
    return folder


def test_a_return_sent_twice_is_reported_naming_both_files_and_counted_once(tmp_path: Path) -> None:
    folder = _returns(tmp_path / "returns")
    single = convert_folder(folder, progress=False).package
    shutil.copy(folder / "garnock-shed.docx", folder / "garnock-shed (1).docx")
    batch = convert_folder(folder, progress=False)
    (duplicate,) = [p for p in batch.problems if p.rule == "form.duplicate-return"]
    assert duplicate.message == ("garnock-shed (1).docx is the same return as garnock-shed.docx (the same content); "
                                 "it is counted once (convert with duplicates='keep' to merge both)")
    assert duplicate.source is not None
    assert duplicate.source.file == "garnock-shed (1).docx"
    assert batch.package is not None
    assert single is not None
    assert len(batch.package.evidence) == len(single.evidence)
    assert len(batch.package.links) == len(single.links)
    assert not [p for p in batch.problems if p.rule == "merge-id-renamed"]
    assert "garnock-shed (1).docx: 0 errors, 0 warnings; the same return as garnock-shed.docx" in batch.summary()


def test_the_same_organisation_and_period_in_two_files_is_a_duplicate(tmp_path: Path) -> None:
    folder = _returns(tmp_path / "returns")
    package = example_package()
    changed = attrs.evolve(package, outcomes=(attrs.evolve(package.outcomes[0], title="Men feel less alone"),
                                              *package.outcomes[1:]))
    write_form(changed, folder / "garnock-shed-corrected.xlsx", organisation_id=SHED)
    batch = convert_folder(folder, progress=False)
    (duplicate,) = [p for p in batch.problems if p.rule == "form.duplicate-return"]
    assert duplicate.message.startswith(
        "garnock-shed.docx is the same return as garnock-shed-corrected.xlsx (the same organisation, "
        "Garnock Valley Men's Shed, and reporting period, 2024-")
    kept = convert_folder(folder, progress=False, duplicates="keep")
    assert kept.package is not None
    renamed = [p for p in kept.problems if p.rule == "merge-id-renamed"]
    assert renamed
    for problem in renamed:  # each rename names the files the two objects came from
        assert "from garnock-shed.docx differs from" in problem.message
        assert "from garnock-shed-corrected.xlsx (in its own fields" in problem.message
        assert len(problem.message) < 400
    assert "both are merged, as asked" in next(p.message for p in kept.problems if p.rule == "form.duplicate-return")
    with pytest.raises(ConversionError, match="duplicates must be 'drop' or 'keep'"):
        convert_folder(folder, progress=False, duplicates="twice")  # type: ignore[arg-type]


def test_every_file_of_the_folder_is_in_the_summary_and_the_count(tmp_path: Path) -> None:
    folder = _returns(tmp_path / "returns")
    (folder / "covering-letter.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (folder / "notes.txt").write_text("Phoned Alex about Q4.", encoding="utf-8")
    (folder / "kilwinning.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (folder / "irvine.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (folder / "photos").mkdir()
    seen: list[str] = []
    batch = convert_folder(folder, progress=False, on_file=lambda f: seen.append(f.file))
    assert len(seen) == len(batch.files) == 7  # the progress count includes every file
    lines = dict(line.split(": ", 1) for line in batch.summary().splitlines())
    assert lines["covering-letter.pdf"].startswith("not read: a PDF cannot be read as a form: ask the project for "
                                                   "the Word or Excel form")
    assert lines["notes.txt"].startswith("not read: a text file is not a form")
    assert "save it as a Word document (.docx)" in lines["kilwinning.doc"]
    assert "save it as an Excel workbook (.xlsx)" in lines["irvine.xls"]
    assert lines["photos"].startswith("not read: a folder")
    unsupported = [p for p in batch.problems if p.rule == "form.file-unsupported"]
    assert {p.source.file for p in unsupported if p.source} == {"covering-letter.pdf", "notes.txt", "kilwinning.doc",
                                                               "irvine.xls", "photos"}
    assert all(p.severity == "warning" for p in unsupported)
    assert batch.ok  # the two forms converted; the other files are reported, not errors
    assert batch.coverage is not None
    assert batch.coverage.complete
    assert any(part.startswith("garnock-shed.docx: Section") for part in batch.coverage.read)


def test_a_folder_of_only_old_word_and_excel_files_says_so_per_file(tmp_path: Path) -> None:
    folder = tmp_path / "returns2"
    folder.mkdir()
    for name in ("garnock-shed.doc", "three-towns.xls"):
        (folder / name).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(ConversionError) as caught:
        convert(folder, format="north-ayrshire")
    lines = str(caught.value).splitlines()
    assert lines[0] == "no form in 'returns2' could be read:"
    assert lines[1].startswith("garnock-shed.doc: not read: an old Word document (.doc) cannot be read: open it in "
                               "Word and save it as a Word document (.docx)")
    assert lines[2].startswith("three-towns.xls: not read: an old Excel workbook (.xls) cannot be read")
