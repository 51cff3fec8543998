"""
A worksheet's extent, found from its row numbers and cell addresses as they stream past.

Readers go through every row and column up to a sheet's last cell, so one cell at
``XFD1048576`` makes a 16 KB file into seventeen billion cells. The scan finds the last
row and column actually used (and the ``<dimension>`` the file declares, which may be
stale) and refuses a sheet whose extent is beyond the limits before any reader starts.

Two ways to the same numbers: `SheetScan.start`, an expat handler that numbers rows and
cells exactly as openpyxl does (a ``<row>`` or ``<c>`` without ``r`` follows the one before);
and `SheetScan.feed`, plain patterns over the raw bytes of a part in an ASCII-compatible
encoding, ten times faster, used when every row and cell starts with its address and no
prefix (``<c r="A1"``, as Excel, LibreOffice, POI and openpyxl write them). `feed` starts
again with `start` wherever that does not hold, so the two always agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final

from sharedoutcomes._office._limits import Limits, damaged, shown, unsafe
from sharedoutcomes._office._xml import local_name, scan

__all__ = ["SheetScan", "ascii_compatible", "column_letters", "column_number"]

_ADDRESS: Final = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,9})")
_CELL: Final = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,9})"')
_ROW: Final = re.compile(rb'<row r="([0-9]{1,9})"')
_DIMENSION: Final = re.compile(rb"""<dimension\s[^>]*?(?<=\s)ref\s*=\s*["']([^"']*)["']""")
_PREFIXED: Final = (b":c ", b":c>", b":c/", b":row ", b":row>", b":row/", b":dimension")
_ASCII_ENCODINGS: Final = frozenset(("utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1",
                                     "windows-1252", "cp1252"))
_DECLARED: Final = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_COLUMNS: dict[str, int] = {}


def column_number(letters: str) -> int:
    """
    The 1-based number of a column from its letters.

    Example:
        >>> column_number("A"), column_number("xfd")
        (1, 16384)
    """
    number = _COLUMNS.get(letters)
    if number is None:
        number = 0
        for letter in letters.upper():
            number = number * 26 + ord(letter) - 64
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = number
    return number


def column_letters(number: int) -> str:
    """
    The letters of a 1-based column number.

    Example:
        >>> column_letters(1), column_letters(16384)
        ('A', 'XFD')
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def ascii_compatible(head: bytes) -> bool:
    r"""
    Whether a part starting with *head* is in UTF-8 or another encoding where ``<c r="A1">`` is plain ASCII.

    Example:
        >>> ascii_compatible(b'<?xml version="1.0" encoding="UTF-8"?><worksheet>'), ascii_compatible(b"\xff\xfe<\x00")
        (True, False)
    """
    text = head.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in text or not text.lstrip().startswith(b"<"):
        return False
    declared = _DECLARED.match(text.lstrip())
    return declared is None or declared.group(1).decode("ascii", "replace").lower() in _ASCII_ENCODINGS


def _corner(ref: str) -> tuple[int, int] | None:
    """The last (row, column) of a range such as ``A1:D20``, or None when it cannot be read."""
    match = _ADDRESS.fullmatch(ref.strip().rsplit(":", 1)[-1])
    if match is None:
        return None
    return int(match.group(2)), column_number(match.group(1))


class _Unaddressed(Exception):
    """A row or cell without its address: the fast path cannot number it."""


class SheetScan:
    """
    Follows one worksheet part's rows and cells as openpyxl numbers them, and checks the extent.

    Example:
        >>> scan = SheetScan(name="a.xlsx", part="xl/worksheets/sheet1.xml", title="Data", limits=Limits())
        >>> for tag, attributes in [("dimension", {"ref": "A1:B2"}), ("row", {"r": "1"}), ("c", {"r": "A1"}),
        ...                         ("c", {}), ("row", {}), ("c", {"r": "C2"})]:
        ...     scan.start(tag, attributes)
        >>> scan.rows, scan.columns, scan.cells, scan.declared
        (2, 3, 3, (2, 2))
        >>> fast = SheetScan(name="a.xlsx", part="xl/worksheets/sheet1.xml", title="Data", limits=Limits())
        >>> fast.feed(lambda: [b'<worksheet><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1"><v>1',
        ...                    b'</v></c></row><row r="2" spans="1:3"><c r="C2" t="s"/></row></sheetData></worksheet>'])
        >>> fast.rows, fast.columns, fast.cells, fast.declared
        (2, 3, 2, (2, 2))
    """

    def __init__(self, *, name: str, part: str, title: str | None, limits: Limits) -> None:
        self.name = name
        self.part = part
        self.title = title
        self.limits = limits
        self.rows = 0
        self.columns = 0
        self.cells = 0
        self.declared: tuple[int, int] | None = None
        self.declared_readable = True
        self._row = 0
        self._column = 0
        self._in_data = False

    # -- the exact path: one call per element ------------------------------------------------

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        """The expat start-element handler."""
        local = local_name(tag)
        if local == "c":
            self.cells += 1
            address = attributes.get("r")
            row = self._row
            if address:
                row, self._column = self._address(address)
            else:
                self._column += 1
            self._reach(max(row, 1), self._column)
        elif local == "row":
            number = attributes.get("r")
            row = self._row_number(number) if number else self._row + 1
            if row <= self._row:
                self._out_of_order(row)
            self._row = row
            self._column = 0
            self._reach(self._row, self.columns)
        elif local == "dimension" and self.declared is None:
            self._declare(attributes.get("ref", ""))

    def _row_number(self, text: str) -> int:
        """A row's ``r`` as openpyxl reads it: an integer, or a number such as ``5.0`` that is one."""
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except (ValueError, OverflowError):
            number = 0.5
        if not number.is_integer():
            raise damaged(self.name, f"{self._where()} has a row numbered {shown(text)}, which is not a row "
                          "number; the file is damaged: save it again from Excel")
        return int(number)

    def _out_of_order(self, row: int) -> None:
        """
        Refuse a row that comes after a row with the same or a later number.

        Excel, LibreOffice and every library we know write rows in order. openpyxl's read-only
        reader, which the Star, survey and tables readers use, gives the rows of such a sheet
        wrongly (it drops a row that comes back), so nothing of the sheet could be trusted.
        """
        raise damaged(self.name, f"{self._where()} has row {row:,} after row {self._row:,}: its rows are out of "
                      "order, which Excel and LibreOffice never write; open the file in Excel or LibreOffice and "
                      "save it again")

    def _declare(self, ref: str) -> None:
        self.declared = _corner(ref)
        self.declared_readable = self.declared is not None

    def _address(self, address: str) -> tuple[int, int]:
        match = _ADDRESS.fullmatch(address)
        if match is None:
            raise damaged(self.name, f"{self._where()} has a cell at {shown(address)}, which is not a cell "
                          "address; the file is damaged: save it again from Excel")
        return int(match.group(2)), column_number(match.group(1))

    # -- the fast path: patterns over the bytes ----------------------------------------------

    def feed(self, chunks: Callable[[], Iterable[bytes]]) -> None:
        """
        Follow the part whose bytes *chunks* gives, by patterns.

        Where an address is missing (or the part is not in an ASCII-compatible encoding) it
        starts again from the beginning with `start`.

        (A tag inside a comment is counted too, which can only make the extent bigger.)
        """
        try:
            tail = b""
            for number, chunk in enumerate(chunks()):
                if number == 0 and not ascii_compatible(chunk):
                    raise _Unaddressed
                data = tail + chunk
                cut = data.rfind(b"<")
                self._tags(data[:cut] if cut > 0 else b"")
                tail = data[cut:] if cut > 0 else data
            self._tags(tail)
        except _Unaddressed:
            self.rows = self.columns = self.cells = self._row = self._column = 0
            self.declared, self.declared_readable, self._in_data = None, True, False
            self._exact(chunks)

    def _exact(self, chunks: Callable[[], Iterable[bytes]]) -> None:
        scan(chunks(), name=self.name, part=self.part, choose=lambda _root: self.start)

    def _tags(self, data: bytes) -> None:
        if not data:
            return
        cells = _CELL.findall(data)
        rows = _ROW.findall(data)
        if (len(cells) != data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/")
                or len(rows) != data.count(b"<row ") + data.count(b"<row>") + data.count(b"<row/")
                or any(marker in data for marker in _PREFIXED)):
            raise _Unaddressed
        if not self._in_data:
            start = data.find(b"<sheetData")
            head = data if start < 0 else data[:start]
            if self.declared is None and self.declared_readable and (dimension := _DIMENSION.search(head)):
                self._declare(dimension.group(1).decode("ascii", "replace"))
            self._in_data = start >= 0
        if cells:
            self.cells += len(cells)
            letters, numbers = zip(*cells, strict=True)
            self._reach(max(map(int, set(numbers))), max(column_number(text.decode()) for text in set(letters)))
        if rows:
            row_numbers = list(map(int, rows))
            if row_numbers[0] <= self._row or row_numbers != sorted(set(row_numbers)):  # in order, none twice
                for number in row_numbers:
                    if number <= self._row:
                        self._out_of_order(number)
                    self._row = number
            self._row = row_numbers[-1]
            self._reach(max(row_numbers), self.columns)

    # -- the extent --------------------------------------------------------------------------

    def _where(self) -> str:
        return f"the sheet {shown(self.title)}" if self.title else f"the sheet part {shown(self.part)}"

    def _reach(self, row: int, column: int) -> None:
        if row <= self.rows and column <= self.columns:
            return
        limits = self.limits
        rows, columns = max(self.rows, row), max(self.columns, column)
        far = f"cells as far as row {rows:,} and column {column_letters(columns)} ({columns:,})"
        if rows > limits.max_rows or columns > limits.max_columns:
            raise unsafe(self.name, f"{self._where()} has {far}, beyond the {limits.max_rows:,} rows and "
                         f"{limits.max_columns:,} columns allowed (Limits.max_rows, Limits.max_columns)",
                         found=f"{column_letters(columns)}{rows}", part=self.part)
        self.rows, self.columns = rows, columns
        if rows * columns > limits.max_cells:
            raise unsafe(self.name, f"{self._where()} has {far}: {rows * columns:,} cells to go through, more than "
                         f"the {limits.max_cells:,} allowed (Limits.max_cells). Delete the far cells (or the rows "
                         "and columns beyond the data) and save again", found=f"{column_letters(columns)}{rows}",
                         part=self.part)
