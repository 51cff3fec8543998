"""
What kind of file a byte string is, by its magic bytes, zip members or first line: no heavy imports.

Used to say "this is a Word document: convert it" instead of "not UTF-8 text (byte 10)".
"""

from __future__ import annotations

import io
import zipfile
from typing import Final, NamedTuple

__all__ = ["FileKind", "sniff"]


class FileKind(NamedTuple):
    """A kind of file: how to name it, the file ending formats register for it, and advice when none reads it."""

    description: str
    extension: str
    advice: str = ""


_OLE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MEMBERS: Final = (
    ("word/document.xml", FileKind("a Word document (DOCX)", ".docx")),
    ("xl/workbook.xml", FileKind("an Excel workbook (XLSX)", ".xlsx")),
    ("ppt/presentation.xml", FileKind("a PowerPoint presentation (PPTX)", ".pptx",
                                      "no format reads presentations: put the return in a form or a spreadsheet")),
    ("content.xml", FileKind("an OpenDocument file (ODT or ODS)", ".odt",
                             "save it as .docx or .xlsx in your office program, then convert that")),
)
_MAGIC: Final = (
    (b"%PDF", FileKind("a PDF", ".pdf", "no format reads PDFs: ask for the return as the Word form (.docx) or "
                       "export it to .docx, then convert that")),
    (_OLE, FileKind("an old-style Office file (.doc or .xls)", ".doc",
                    "save it as .docx or .xlsx in your office program, then convert that")),
    (b"{\\rtf", FileKind("a Rich Text (RTF) document", ".rtf", "save it as .docx, then convert that")),
)
_CSV: Final = FileKind("a CSV (comma- or tab-separated) file", ".csv")
_ZIP: Final = FileKind("a zip archive", ".zip", "unpack it and convert the files inside")
_SAMPLE: Final = 4096


def sniff(raw: bytes) -> FileKind | None:
    r"""
    The kind of file *raw* looks like, or ``None`` when it looks like none we know.

    Reads only the magic bytes, a zip's list of members (never their contents) and the first line.

    Example:
        >>> sniff(b"%PDF-1.7 ...").description
        'a PDF'
        >>> sniff(b"Name,Date,Score\n").extension
        '.csv'
        >>> sniff(b'{"id": "p"}') is None
        True
    """
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return kind
    if raw.startswith(b"PK\x03\x04"):
        return _zip_kind(raw)
    return _text_kind(raw[:_SAMPLE])


def _zip_kind(raw: bytes) -> FileKind:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return _ZIP  # a damaged archive: still not JSON
    for member, kind in _ZIP_MEMBERS:
        if member in names:
            return kind
    return _ZIP


def _text_kind(sample: bytes) -> FileKind | None:
    text = sample.decode("utf-8-sig", errors="replace")
    first = text.lstrip().split("\n", 1)[0]
    if not first or first[0] in "{[\"" or first[0].isdigit():
        return None
    separators = max(first.count(","), first.count("\t"), first.count(";"))
    return _CSV if separators >= 2 else None
