"""
`check`: every safety check on one DOCX or XLSX file, in one pass, before any parser sees it.

The order: the file's size and zip signature; the zip directory (part count, macro parts
by name, sizes and compression ratios); ``[Content_Types].xml`` (macro-enabled and linked
content types); every relationship part (external targets, linked and embedded objects,
macro projects); the main part's content type (the kind of document); then every other
part that a parser could take as XML, for a DTD or entities, and each worksheet's extent.
"""

from __future__ import annotations

import dataclasses
import functools
import posixpath
import zipfile
from collections.abc import Callable
from typing import Literal

from sharedoutcomes._office import _policy as policy
from sharedoutcomes._office._archive import KIND_NAMES, READ_ERRORS, Archive, Source, parse_error
from sharedoutcomes._office._limits import Limits, damaged, shown, unsafe
from sharedoutcomes._office._sheets import SheetScan
from sharedoutcomes._office._xml import ElementHandler, local_name, looks_like_xml, scan
from sharedoutcomes.exceptions import SharedOutcomesError

__all__ = ["OfficeFile", "SheetInfo", "check"]

Kind = Literal["docx", "xlsx"]

_CONTENT_TYPES = "[content_types].xml"
_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_OTHER = {"docx": "an Excel workbook", "xlsx": "a Word document"}


@dataclasses.dataclass(frozen=True)
class SheetInfo:
    """
    One worksheet as the check found it: its last row and column with a cell, and the extent it declares.

    ``declared`` is the last (row, column) of the sheet's ``<dimension>``, or None when it has
    none or it cannot be read; `stale` says whether readers bounded by it would miss cells.

    Example:
        >>> SheetInfo(title="Data", part="xl/worksheets/sheet1.xml", rows=12, columns=4, cells=40,
        ...           declared=(10, 4), dimension_readable=True).stale
        True
    """

    title: str | None
    part: str
    rows: int
    columns: int
    cells: int
    declared: tuple[int, int] | None
    dimension_readable: bool

    @property
    def stale(self) -> bool:
        """Whether the declared dimension is wrong: unreadable, smaller than the cells, or past the limits."""
        if self.declared is None:
            return not self.dimension_readable
        return self.declared[0] < self.rows or self.declared[1] < self.columns


@dataclasses.dataclass(frozen=True)
class OfficeFile:
    """
    What `check` found in a file that passed: its size, parts, and (for a workbook) its sheets.

    Example:
        >>> OfficeFile(name="a.xlsx", kind="xlsx", size=5000, parts=9, unzipped=20000, sheets=()).sheet("Data")
    """

    name: str
    kind: str
    size: int
    parts: int
    unzipped: int
    sheets: tuple[SheetInfo, ...]

    def sheet(self, title: str) -> SheetInfo | None:
        """The sheet called *title*, or None."""
        return next((sheet for sheet in self.sheets if sheet.title == title), None)


def _source_part(rels: str) -> str:
    """The part a relationship part belongs to: ``xl/_rels/workbook.xml.rels`` → ``xl/workbook.xml``."""
    folder, base = posixpath.split(rels)
    parent = posixpath.dirname(folder) if posixpath.basename(folder) == "_rels" else folder
    return posixpath.join(parent, base[: -len(".rels")] if base.endswith(".rels") else base)


def resolve(source_part: str, target: str) -> str:
    """
    The part name a relationship's internal target points at, lower case, without a leading slash.

    Example:
        >>> resolve("xl/workbook.xml", "worksheets/sheet1.xml"), resolve("", "/xl/workbook.xml")
        ('xl/worksheets/sheet1.xml', 'xl/workbook.xml')
    """
    joined = target if target.startswith("/") else posixpath.join(posixpath.dirname(source_part), target)
    return posixpath.normpath(joined).lstrip("/").lower()


class _Checker:
    def __init__(self, archive: Archive, kind: Kind) -> None:
        self.archive = archive
        self.name = archive.name
        self.kind = kind
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        self.main: str | None = None
        self.worksheets: set[str] = set()
        self.titles: dict[str, str] = {}  # relationship id of the workbook → sheet title
        self.workbook_targets: dict[str, str] = {}  # relationship id → part
        self.sheets: list[SheetScan] = []
        self.done: set[str] = set()

    def full(self, member: zipfile.ZipInfo, handler: ElementHandler) -> None:
        scan(self.archive.chunks(member), name=self.name, part=member.filename, choose=lambda _root: handler)
        self.done.add(member.filename.lower())

    # -- [Content_Types].xml -----------------------------------------------------------------

    def content_types(self) -> None:
        member = self.archive.member(_CONTENT_TYPES)
        if member is None:
            raise damaged(self.name, f"this is not {KIND_NAMES[self.kind]}: it is a zip archive without "
                          "[Content_Types].xml, so another kind of file")

        def element(tag: str, attributes: dict[str, str]) -> None:
            local = local_name(tag)
            content_type = attributes.get("ContentType", "")
            if local == "Default":
                self.defaults[attributes.get("Extension", "").lower()] = content_type
            elif local == "Override":
                self.overrides[attributes.get("PartName", "").lstrip("/").lower()] = content_type
            else:
                return
            self._content_type(content_type, attributes.get("PartName") or attributes.get("Extension", ""))

        self.full(member, element)

    def _content_type(self, content_type: str, where: str) -> None:
        normal = policy.normal_content_type(content_type)
        if normal in policy.MACRO_CONTENT_TYPES or "macroenabled" in normal:
            raise unsafe(self.name, f"the document is macro-enabled (content type {shown(content_type)} for "
                         f"{shown(where)}); save it as a plain .docx or .xlsx without macros",
                         found=content_type, part="[Content_Types].xml")
        if normal in policy.REFUSED_CONTENT_TYPES:
            what = "an embedded OLE object" if "oleobject" in normal else "a link to another workbook"
            raise unsafe(self.name, f"the document holds {what} (content type {shown(content_type)} for "
                         f"{shown(where)}); documents that link to or embed other files are refused for safety: "
                         "remove it (in Excel: Data > Edit Links > Break Link) and save again",
                         found=content_type, part="[Content_Types].xml")

    def content_type_of(self, part: str) -> str:
        lower = part.lower()
        extension = posixpath.splitext(lower)[1].lstrip(".")
        return policy.normal_content_type(self.overrides.get(lower, self.defaults.get(extension, "")))

    # -- relationships -----------------------------------------------------------------------

    def relationships(self) -> None:
        for member in self.archive.members:
            if member.filename.lower().endswith(".rels"):
                source = _source_part(member.filename)
                self.full(member, self._relationship_handler(member.filename, source))

    def _relationship_handler(self, rels: str, source: str) -> ElementHandler:
        def element(tag: str, attributes: dict[str, str]) -> None:
            if local_name(tag) == "Relationship":
                self._relationship(rels, source, attributes)
        return element

    def _relationship(self, rels: str, source: str, attributes: dict[str, str]) -> None:
        kind = attributes.get("Type", "").strip()
        target = attributes.get("Target", "")
        mode = attributes.get("TargetMode")
        short = kind.rstrip("/").rsplit("/", 1)[-1] or "relationship"
        if kind in policy.MACRO_RELATIONSHIP_TYPES:
            raise unsafe(self.name, f"the document contains macros (a {short} relationship in the part "
                         f"{shown(rels)}); save it as a plain .docx or .xlsx without macros", found=kind, part=rels)
        external = mode is not None and mode != "Internal"
        if kind in policy.REFUSED_RELATIONSHIP_TYPES or (external and kind not in policy.HYPERLINK_TYPES):
            place = "an external" if external else "a linked or embedded"
            raise unsafe(self.name, f"the document refers to {place} {short} ({shown(target)}) in the part "
                         f"{shown(rels)} (relationship type {shown(kind, 200)}); documents with external references "
                         "or embedded objects are refused for safety: remove it and save again",
                         found=kind, part=rels)
        if external and not policy.harmless_hyperlink(target):
            raise unsafe(self.name, f"the document has a hyperlink to {shown(target)} in the part {shown(rels)}; "
                         "links to files, network shares or scripts are refused for safety (web and mail links are "
                         "fine): remove the link and save again", found=target, part=rels)
        if external:
            return
        part = resolve(source, target)
        if source.lower() == "" and kind in policy.OFFICE_DOCUMENT_TYPES and self.main is None:
            self.main = part
        if kind in policy.WORKSHEET_TYPES:
            self.worksheets.add(part)
            self.workbook_targets[attributes.get("Id", "")] = part

    # -- the main part -----------------------------------------------------------------------

    def main_part(self) -> zipfile.ZipInfo:
        part = self.main or next((m for m in _MARKERS.values() if self.archive.member(m)), None)
        member = self.archive.member(part) if part else None
        content_type = self.content_type_of(part) if part else ""
        if member is not None and content_type in policy.MAIN_CONTENT_TYPES[self.kind]:
            return member
        other = "docx" if self.kind == "xlsx" else "xlsx"
        if member is not None and content_type in policy.MAIN_CONTENT_TYPES[other]:
            raise damaged(self.name, f"this is not {KIND_NAMES[self.kind]}: it is {_OTHER[self.kind]}")
        found = f" (its main part is {shown(part)}, of content type {shown(content_type)})" if member else ""
        raise damaged(self.name, f"this is not {KIND_NAMES[self.kind]}: it is another kind of file{found}")

    def workbook(self, member: zipfile.ZipInfo) -> None:
        def element(tag: str, attributes: dict[str, str]) -> None:
            if local_name(tag) == "sheet":
                ids = [value for key, value in attributes.items() if key.endswith(":id") or key == "id"]
                if ids:
                    self.titles[ids[0]] = attributes.get("name", "")
        self.full(member, element)

    # -- every other part --------------------------------------------------------------------

    def parts(self) -> None:
        titles = {part: self.titles[rid] for rid, part in self.workbook_targets.items() if rid in self.titles}
        for member in self.archive.members:
            lower = member.filename.lower()
            if lower in self.done or member.is_dir():
                continue
            head = self.archive.head(member)
            if not looks_like_xml(head):
                continue
            roots: list[str] = []
            scan(self.archive.chunks(member), name=self.name, part=member.filename, choose=_stop_at_root(roots))
            listed = lower in self.worksheets or self.content_type_of(lower).endswith("spreadsheetml.worksheet+xml")
            if self.kind != "xlsx" or not (listed or roots == ["worksheet"]):
                continue
            sheet = SheetScan(name=self.name, part=member.filename, title=titles.get(lower),
                              limits=self.archive.limits)
            sheet.feed(functools.partial(self.archive.chunks, member))
            self.sheets.append(sheet)


def _stop_at_root(roots: list[str]) -> Callable[[str], ElementHandler | None]:
    def choose(root: str) -> None:
        roots.append(root)
    return choose


def check(source: Source, kind: Kind = "xlsx", *, limits: Limits | None = None, name: str | None = None) -> OfficeFile:
    """
    Check the DOCX or XLSX file *source* for safety; return what was found, or raise saying what is wrong.

    *source* is a path, the file's bytes, or a binary file (read from where it is, and put
    back there). *name* is the file name for messages (default: the path's). Nothing is
    parsed by anything but expat with DTDs refused, and nothing is inflated beyond the limits.

    Raises:
        UnsafeFile: The file breaks a limit or holds something refused for safety (macros,
            external links, embedded objects, a DTD, a far cell, a decompression bomb).
        ConversionError: The file is not a zip archive, is damaged, or is not the kind expected.

    Example:
        >>> check(b"just text", "docx", name="notes.docx")
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.ConversionError: notes.docx: this is not a Word document (.docx): it is not a zip archive
    """
    archive = Archive(source, kind=kind, limits=limits or Limits(), name=name)
    try:
        archive.check_directory()
        checker = _Checker(archive, kind)
        checker.content_types()
        checker.relationships()
        main = checker.main_part()
        if kind == "xlsx":
            checker.workbook(main)
        checker.parts()
    except SharedOutcomesError:
        raise
    except READ_ERRORS as error:
        raise damaged(archive.name, f"this is not {KIND_NAMES[kind]}: a part cannot be read, the file is damaged "
                      f"({parse_error(error)}); save or download it again") from None
    finally:
        archive.close()
    sheets = tuple(SheetInfo(title=s.title, part=s.part, rows=s.rows, columns=s.columns, cells=s.cells,
                             declared=s.declared, dimension_readable=s.declared_readable) for s in checker.sheets)
    return OfficeFile(name=archive.name, kind=kind, size=archive.size, parts=len(archive.members),
                      unzipped=archive.unzipped, sheets=sheets)
