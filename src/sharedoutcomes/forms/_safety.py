"""
Checks a form file before any parser sees it.

Office files are zip archives of XML. Before python-docx or openpyxl opens one, this
module refuses: files over a size limit, macro-enabled documents (``.docm``/``.xlsm``, a
``vbaProject.bin`` or a macro-enabled content type), decompression bombs (member sizes and
compression ratios are read from the zip directory, before anything is inflated), external
relationships (``TargetMode="External"``: linked templates, OLE links, external workbook
links; plain hyperlinks are allowed), and XML with a DTD or entities (every XML member is
parsed with defusedxml first).

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "notes.docx"
    >>> _ = path.write_bytes(b"just text")
    >>> check_file(path, kind="docx")
    Traceback (most recent call last):
    ...
    sharedoutcomes.exceptions.ConversionError: notes.docx: this is not a Word document (.docx): it is not a zip archive
"""

from __future__ import annotations

import xml.parsers.expat
import zipfile
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._optional import require
from sharedoutcomes.exceptions import ConversionError, SourceLocation

__all__ = ["MAX_FILE_BYTES", "MAX_MEMBER_RATIO", "MAX_UNZIPPED_BYTES", "check_file"]

MAX_FILE_BYTES: Final = 20 * 1024 * 1024
"""The largest form file accepted (20 MB): a filled form is a few hundred kilobytes."""

MAX_UNZIPPED_BYTES: Final = 200 * 1024 * 1024
"""The most an Office file may inflate to, in total."""

MAX_MEMBER_RATIO: Final = 200
"""The highest compression ratio allowed for a member bigger than 1 MB unzipped."""

MAX_MEMBERS: Final = 5000

_KIND_NAMES: Final = {"docx": "Word document (.docx)", "xlsx": "Excel workbook (.xlsx)", "json": "JSON file"}
_MACRO_TYPES: Final = ("macroEnabled", "vbaProject", "application/vnd.ms-office.activeX")
_ALLOWED_EXTERNAL: Final = ("/hyperlink",)


def _fail(path: Path, message: str) -> ConversionError:
    return ConversionError(message, source=SourceLocation(file=path.name))


def check_file(path: Path, *, kind: str, max_bytes: int = MAX_FILE_BYTES) -> None:
    """
    Refuse *path* if it is unsafe or not the kind of file expected; return quietly if it is fine.

    Raises:
        ConversionError: With one clear message naming what is wrong and what was expected.
    """
    try:
        size = path.stat().st_size
    except OSError as error:
        raise _fail(path, f"cannot read the file: {error.strerror or error}") from None
    if size > max_bytes:
        raise _fail(path, f"the file is {size / 1_048_576:.1f} MB; forms over {max_bytes / 1_048_576:.0f} MB "
                    "are not read")
    if kind == "json":
        return
    expected = _KIND_NAMES[kind]
    if not zipfile.is_zipfile(path):
        raise _fail(path, f"this is not a {expected}: it is not a zip archive")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_members(path, members)
            names = {m.filename for m in members}
            marker = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
            if marker not in names:
                other = ("an Excel workbook" if "xl/workbook.xml" in names
                         else "a Word document" if "word/document.xml" in names else "another kind of file")
                raise _fail(path, f"this is not a {expected}: it is {other}")
            for member in members:
                if member.filename.endswith(".rels") or member.filename == "[Content_Types].xml":
                    _check_xml(path, member.filename, archive.read(member))
                elif member.filename.endswith(".xml"):
                    _check_prolog(path, member.filename, archive.open(member))
    except zipfile.BadZipFile as error:
        raise _fail(path, f"this is not a {expected}: the archive is damaged ({error})") from None


def _check_members(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise _fail(path, f"the file holds {len(members)} parts; this looks like a decompression bomb")
    total = 0
    for member in members:
        name = member.filename.lower()
        if name.endswith("vbaproject.bin") or (name.endswith(".bin") and "vba" in name):
            raise _fail(path, "the document contains macros (vbaProject.bin); save it as a plain .docx or .xlsx "
                        "without macros")
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1_048_576 and ratio > MAX_MEMBER_RATIO:
            raise _fail(path, f"the part {member.filename!r} inflates {ratio:.0f} times; this looks like a "
                        "decompression bomb")
    if total > MAX_UNZIPPED_BYTES:
        raise _fail(path, f"the file would inflate to {total / 1_048_576:.0f} MB; this looks like a "
                    "decompression bomb")


class _RootReached(Exception):
    pass


def _check_prolog(path: Path, name: str, stream: Any) -> None:
    """Refuse a DTD or entity declaration: they can only come before the root element, so stop there."""
    parser = xml.parsers.expat.ParserCreate()

    def refuse(*_args: Any) -> None:
        raise _fail(path, f"the part {name!r} declares a DTD or entities, which forms never need; it is "
                    "refused for safety")

    def stop(*_args: Any) -> None:
        raise _RootReached

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = stop
    try:
        with stream:
            while chunk := stream.read(4096):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _RootReached:
        return
    except xml.parsers.expat.ExpatError as error:
        raise _fail(path, f"the part {name!r} is not well-formed XML ({error})") from None


def _check_xml(path: Path, name: str, data: bytes) -> None:
    require("defusedxml.ElementTree", extra="docx", purpose="reading forms safely")
    # defusedxml is optional: imported only when a form is read
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise _fail(path, f"the part {name!r} declares a DTD or entities, which forms never need; it is "
                    "refused for safety") from None
    except ParseError as error:
        raise _fail(path, f"the part {name!r} is not well-formed XML ({error})") from None
    if name == "[Content_Types].xml":
        for element in root.iter():
            content_type = element.get("ContentType", "")
            if any(marker in content_type for marker in _MACRO_TYPES):
                raise _fail(path, "the document is macro-enabled; save it as a plain .docx or .xlsx without macros")
    if name.endswith(".rels"):
        for element in root.iter():
            if element.get("TargetMode") == "External" and not element.get("Type", "").endswith(_ALLOWED_EXTERNAL):
                kind = element.get("Type", "").rsplit("/", 1)[-1] or "relationship"
                raise _fail(path, f"the document refers to an external {kind} ({element.get('Target')!r}); "
                            "forms with external references are refused for safety")
