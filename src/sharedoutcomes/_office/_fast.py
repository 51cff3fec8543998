"""
`open_rows`: a workbook's rows as openpyxl's read-only ``values_only`` rows, read by python-calamine.

The workbook is checked first (`check`), exactly as `open_workbook` does; only then does
python-calamine (a Rust reader, several times faster) read a sheet. Its cells are made into
what openpyxl gives for the same sheet: the same row numbers and column positions (calamine's
range starts at the first cell with a value; openpyxl's rows start at ``A1``), ``None`` for an
empty cell (calamine gives ``""``), ``int`` for a whole number written without a point,
``datetime`` for a date (calamine gives ``date`` at midnight), the same trailing rows and the
same padding (openpyxl pads every row to the sheet's declared extent; without a ``<dimension>``
each row is as wide as its last cell).

Where the two readers would not agree, the sheet is read with openpyxl instead, never
differently. That is decided before calamine reads anything, from the parts themselves: error
cells (calamine gives ``""``), ISO date cells, empty strings (shared or inline: openpyxl keeps
``""``), numbers written ``5.0``, ``1E+20`` or with 16 digits or more (whose type or value a
float cannot keep), a number format that the two readers class differently (date, duration or
number), a number in a date style that is negative or past the year 9999, the 1904 date system,
a sheet whose extent openpyxl would not know, a cell without a value in a sheet without a
``<dimension>`` (openpyxl counts it in its row's width). Then, once calamine has read the sheet
and before any row is given: a date, time or duration with a fraction of a second (the two
round to the millisecond from different sums, and can fall a millisecond apart); and anything
calamine raises. Without python-calamine every sheet is read with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any, Final

from sharedoutcomes._office._archive import Source, source_name
from sharedoutcomes._office._check import OfficeFile, SheetInfo, check
from sharedoutcomes._office._limits import Limits
from sharedoutcomes._office._workbook import _opened, load_checked
from sharedoutcomes._office._xml import local_name, scan
from sharedoutcomes._optional import require
from sharedoutcomes.exceptions import ConversionError, MissingDependency

__all__ = ["RowBook", "open_rows"]

Value = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None
"""A cell as openpyxl's ``values_only`` rows give it."""

_CHUNK: Final = 1 << 20
_OVERLAP: Final = 256
_PREFIXED: Final = re.compile(rb":(?:[cvtf][\s>/]|is>|row|si[\s>/])")
"""Tags with a namespace prefix, which the patterns below do not follow: such a part is read with openpyxl."""
_SHEET_LITERALS: Final = (b"<rPh",)  # a phonetic run
_SHEET_PATTERNS: Final = (
    re.compile(rb"""=(?:\s|["'][ed]["'])"""),  # t="e" (an error cell), t="d" (an ISO date); or white space after =
)
_INLINE_LITERALS: Final = (b"<t/>", b"></t>")  # an empty inline string (looked for where there is a <t)
_INLINE_PATTERNS: Final = (re.compile(rb"<t\s[^>]*/>"),)
_NUMBER: Final = re.compile(rb"<v>(?:(\s|[-+]?(?:\d+\.0*<|[\d.]+[eE]|\d{16})|[^<]*\s<)|(-|\d{7}[\d.]*))")
"""A value starting or ending with white space, a whole number with a point, a number with an exponent, a
16-digit integer (group 1: calamine reads it apart); a negative number or one of seven digits or more (group 2:
a date calamine reads apart, if its style is a date's)."""
_STRINGS_LITERALS: Final = (b"<t/>", b"></t>", b"<si/>", b"<si></si>", b"<rPh")
_STRINGS_PATTERNS: Final = (re.compile(rb"<t\s[^>]*/>"), re.compile(rb"<si\s+/>"))
_VALUELESS_LITERALS: Final = (b"<v></v>",)
_VALUELESS_PATTERNS: Final = (re.compile(rb"<c\b[^>]*(?:/>|>\s*</)"), re.compile(rb"<v\s*/>"),
                              re.compile(rb"</f>\s*</c>"), re.compile(rb"<f\b[^>]*/>\s*</c>"))
"""A cell without a value: where a sheet has no ``<dimension>``, openpyxl makes a row as wide as its last cell."""
_LAST_DAY: Final = 2958466  # 10000-01-01: openpyxl gives '#VALUE!' for a date from here on
_STYLE: Final = re.compile(rb"""\ss\s*=\s*["'](\d+)["']""")
_DATE1904: Final = re.compile(rb"date1904\s*=\s*[\"'](?:1|true)[\"']", re.IGNORECASE)
_LIMIT: Final = 2**53
_MIDNIGHT: Final = dt.time()

# openpyxl's rules (openpyxl.styles.numbers, 3.1), to class a number format as it does
_STRIP: Final = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_TIMEDELTA: Final = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)
_DATE_LETTER: Final = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_BUILTIN_DATES: Final = {**dict.fromkeys((*range(14, 23), 45, 47), "date"), 46: "duration"}
"""The built-in number formats that openpyxl and calamine both read as dates or durations."""


def openpyxl_class(code: str | None) -> str:
    """
    How openpyxl reads a number stored with the format *code*: ``"date"``, ``"duration"`` or ``"number"``.

    Example:
        >>> openpyxl_class("dd/mm/yyyy"), openpyxl_class("[h]:mm"), openpyxl_class("0.00"), openpyxl_class(None)
        ('date', 'duration', 'number', 'number')
    """
    if code is None:
        return "number"
    first = code.split(";")[0]
    if _DATE_LETTER.search(_STRIP.sub("", first)) is None:
        return "number"
    return "duration" if _TIMEDELTA.search(first) else "date"


def calamine_class(code: str) -> str | None:
    """
    How calamine reads a number stored with the custom format *code*, or None when unsure.

    Calamine's own rules (``detect_custom_number_format``), followed character by character; a
    ``*`` (whose handling changed between calamine versions) makes the answer unsure.

    Example:
        >>> calamine_class("dd/mm/yyyy"), calamine_class("[h]:mm"), calamine_class('0.00" m"'), calamine_class("*-0")
        ('date', 'duration', 'number', None)
    """
    if "*" in code:
        return None
    escaped = quoted = ap = hms = False
    brackets = 0
    previous = " "
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\":
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == ";":
            return "number"
        elif char == "[":
            brackets += 1
        elif char == "]" and brackets == 1 and hms:
            return "duration"
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif char in "aA" and not ap and brackets == 0:
            ap = True
        elif brackets == 0 and ((ap and char in "pm/PM") or (not ap and char in "dmhysDMHYS")):
            return "date"
        elif not (hms and char.lower() == previous.lower()):
            hms = previous == "[" and char in "mhsMHS"
        previous = char
    return "number"


class _Subsecond(Exception):
    """A date, time or duration with a fraction of a second: the readers may round it a millisecond apart."""


def _cell(value: Any) -> Value:
    """One calamine value as openpyxl gives it; `_Subsecond` for a time calamine and openpyxl may round apart."""
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        return int(value) if value.is_integer() and -_LIMIT < value < _LIMIT else value
    if kind is dt.date:
        return dt.datetime.combine(value, _MIDNIGHT)
    if (kind is dt.datetime or kind is dt.time) and value.microsecond:
        raise _Subsecond
    if kind is dt.timedelta and value.microseconds:
        raise _Subsecond
    return value  # type: ignore[no-any-return]


def _found(data: bytes, literals: tuple[bytes, ...], patterns: tuple[re.Pattern[bytes], ...]) -> bool:
    """Whether *data* holds one of *literals*, a match of *patterns*, or a tag with a namespace prefix."""
    return (any(literal in data for literal in literals) or _PREFIXED.search(data) is not None
            or any(pattern.search(data) for pattern in patterns))


class _Parts:
    """The zip parts the decision needs, read in chunks (the check has already bounded what they inflate to)."""

    def __init__(self, source: Source) -> None:
        self.handle: IO[bytes] = (open(source, "rb") if isinstance(source, str | os.PathLike)  # noqa: SIM115
                                  else io.BytesIO(bytes(source)) if isinstance(source, bytes | bytearray | memoryview)
                                  else source)
        self.position = None if isinstance(source, str | os.PathLike | bytes | bytearray | memoryview) else \
            self.handle.tell()
        self.zip = zipfile.ZipFile(self.handle)
        self.names = {info.filename.lower(): info for info in self.zip.infolist()}

    def close(self) -> None:
        self.zip.close()
        if self.position is None:
            self.handle.close()
        else:
            self.handle.seek(self.position)

    def chunks(self, part: str) -> Iterator[bytes]:
        with self.zip.open(self.names[part.lower()]) as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk

    def search(self, part: str, literals: tuple[bytes, ...], patterns: tuple[re.Pattern[bytes], ...]) -> bool:
        """Whether one of *literals* or *patterns*, or a prefixed tag, is in the part (within `_OVERLAP` bytes)."""
        tail = b""
        for chunk in self.chunks(part):
            data = tail + chunk
            if _found(data, literals, patterns):
                return True
            tail = data[-_OVERLAP:]
        return False

    def head(self, part: str) -> bytes:
        return next(self.chunks(part), b"") if part.lower() in self.names else b""


def _styles(parts: _Parts, name: str) -> frozenset[int] | None:
    """
    The cell styles (``s``) whose numbers openpyxl reads as dates or durations; None when the readers disagree.

    They disagree when a number format the cells use is a date, a duration or a number for
    one reader and not the other.
    """
    if "xl/styles.xml" not in parts.names:
        return None if any(part.endswith("styles.xml") for part in parts.names) else frozenset()
    custom: dict[int, str] = {}
    used: list[int] = []
    where = [""]

    def element(tag: str, attributes: dict[str, str]) -> None:
        local = local_name(tag)
        if local in ("cellXfs", "cellStyleXfs", "cellStyles", "dxfs"):
            where[0] = local
        elif local == "numFmt":
            custom[int(attributes.get("numFmtId", "0"))] = attributes.get("formatCode", "")
        elif local == "xf" and where[0] == "cellXfs":
            used.append(int(attributes.get("numFmtId", "0")))

    try:
        scan(parts.chunks("xl/styles.xml"), name=name, part="xl/styles.xml", choose=lambda _root: element)
    except (ValueError, ConversionError):
        return None
    dates = set()
    for style, number in enumerate(used):
        code = custom.get(number)
        mine = calamine_class(code) if code is not None else _BUILTIN_DATES.get(number, "number")
        theirs = openpyxl_class(code) if code is not None else _BUILTIN_DATES.get(number, "number")
        if mine != theirs:
            return None
        if theirs != "number":
            dates.add(style)
    return frozenset(dates)


def _far(number: bytes) -> bool:
    """Whether the number *number* (``-`` for any negative one) is a date openpyxl and calamine read apart."""
    try:
        return number == b"-" or float(number) >= _LAST_DAY
    except ValueError:
        return True


def _sheet_differs(parts: _Parts, part: str, dates: frozenset[int], *, ragged: bool) -> bool:
    """
    Whether the sheet *part* holds a cell calamine would read differently (see the module).

    Besides what `_SHEET_PATTERNS`, `_INLINE_PATTERNS` and `_NUMBER` find, a number in a date style that is negative
    (openpyxl: a datetime before 1900; calamine: a time) or past the year 9999 (openpyxl:
    ``#VALUE!``; calamine: the number); and, in a *ragged* sheet (no ``<dimension>``), a cell
    without a value.
    """
    tail = b""
    for chunk in parts.chunks(part):
        data = tail + chunk
        if (_found(data, _SHEET_LITERALS, _SHEET_PATTERNS)
                or (b"<t" in data and _found(data, _INLINE_LITERALS, _INLINE_PATTERNS))
                or (ragged and _found(data, _VALUELESS_LITERALS, _VALUELESS_PATTERNS))):
            return True
        for found in _NUMBER.finditer(data):
            if found.group(1) is not None:
                return True
            if not dates or not _far(found.group(2)):
                continue
            cell = data.rfind(b"<c", 0, found.start())
            style = _STYLE.search(data, cell, data.find(b">", cell)) if cell >= 0 else None
            if cell < 0 or (int(style.group(1)) if style else 0) in dates:
                return True
        tail = data[-_OVERLAP:]
    return False


def _extent(info: SheetInfo | None, limits: Limits) -> tuple[int, int | None] | None:
    """
    The (rows, columns) openpyxl's read-only rows span for this sheet; None when it would not know them.

    The columns are None for a sheet without a ``<dimension>``: openpyxl then makes each row as
    wide as its own last cell, and a row without cells empty.
    """
    if info is None:
        return None
    declared = info.declared
    if info.stale or (declared is not None and declared[0] * declared[1] > limits.max_cells):
        return (info.rows, info.columns) if info.cells else None  # as `open_workbook` bounds it
    if declared is None:
        return info.rows, None
    return info.rows, declared[1]


class RowBook:
    """
    A checked workbook whose sheets give openpyxl's read-only ``values_only`` rows, read by calamine where it can.

    ``sheetnames`` are every sheet's title, ``worksheets`` those of worksheets (not chart
    sheets), as openpyxl lists them; `rows` gives one sheet's rows; ``readers`` says which
    reader read each sheet so far (``"calamine"`` or ``"openpyxl"``).

    Example:
        >>> import openpyxl, io
        >>> book = openpyxl.Workbook()
        >>> book.active.append(["id", "score", None])
        >>> book.active.append([None, 7, 7.5])
        >>> data = io.BytesIO()
        >>> book.save(data)
        >>> rows = open_rows(data.getvalue(), name="scores.xlsx")
        >>> [list(row) for row in rows.rows("Sheet")]
        [['id', 'score', None], [None, 7, 7.5]]
        >>> rows.close()
    """

    def __init__(self, source: Source, found: OfficeFile, limits: Limits, name: str) -> None:
        self.source = source
        self.found = found
        self.limits = limits
        self.name = name
        self.readers: dict[str, str] = {}
        self.sheetnames: list[str] = []
        self.worksheets: list[str] = []
        self._openpyxl: Any = None
        self._calamine: Any = None
        self._parts: _Parts | None = None
        self._plain = False  # whether styles, strings and the date system let calamine read any sheet
        self._dates: frozenset[int] = frozenset()
        try:
            calamine = require("python_calamine", extra="xlsx", purpose="reading XLSX workbooks fast",
                               distribution="python-calamine")
            self._parts = _Parts(source)
            self._plain = self._book_agrees()
            if self._plain:
                if self._parts.position is not None:
                    self._parts.handle.seek(self._parts.position)  # a file object: calamine reads from there
                self._calamine = calamine.CalamineWorkbook.from_object(_opened(self.source) if not isinstance(
                    source, str | os.PathLike) else os.fspath(source))
                kinds = [str(sheet.typ).rsplit(".", 1)[-1] for sheet in self._calamine.sheets_metadata]
                self.sheetnames = list(self._calamine.sheet_names)
                self.worksheets = [title for title, kind in zip(self.sheetnames, kinds, strict=True)
                                   if kind == "WorkSheet"]
                if any(kind not in ("WorkSheet", "ChartSheet") for kind in kinds):
                    self._plain = False
        except MissingDependency:
            self._plain = False
        except Exception:  # calamine or zipfile on a file openpyxl may still read: let openpyxl say
            self._plain = False
        if not self._plain:
            self._close_fast()
            book = self._open_openpyxl()
            self.sheetnames = list(book.sheetnames)
            self.worksheets = [str(sheet.title) for sheet in book.worksheets]

    def _book_agrees(self) -> bool:
        parts = self._parts
        assert parts is not None
        if "xl/workbook.xml" not in parts.names or _DATE1904.search(parts.head("xl/workbook.xml")):
            return False  # the main part elsewhere (its date system unseen here), or the 1904 date system
        strings = [part for part in parts.names if part.endswith("sharedstrings.xml")]
        if any(parts.search(part, _STRINGS_LITERALS, _STRINGS_PATTERNS) for part in strings):
            return False
        dates = _styles(parts, self.name)
        self._dates = dates or frozenset()
        return dates is not None

    def _open_openpyxl(self) -> Any:
        if self._openpyxl is None:
            self._openpyxl = load_checked(self.source, self.found, limits=self.limits, name=self.name)
        return self._openpyxl

    def _close_fast(self) -> None:
        if self._calamine is not None:
            self._calamine.close()
            self._calamine = None
        if self._parts is not None:
            self._parts.close()
            self._parts = None

    def close(self) -> None:
        """Close the workbook (and the file, if it was opened from a path)."""
        self._close_fast()
        if self._openpyxl is not None:
            self._openpyxl.close()
            self._openpyxl = None

    def rows(self, title: str) -> Iterator[tuple[Value, ...]]:
        """The rows of the sheet *title*, as openpyxl's ``iter_rows(values_only=True)`` gives them."""
        fast = self._fast_rows(title)
        if fast is not None:
            self.readers[title] = "calamine"
            return fast
        self.readers[title] = "openpyxl"
        return iter(self._open_openpyxl()[title].iter_rows(values_only=True))

    def _fast_rows(self, title: str) -> Iterator[tuple[Value, ...]] | None:
        if not self._plain or self._parts is None or title not in self.worksheets:
            return None
        info = self.found.sheet(title)
        extent = _extent(info, self.limits)
        if info is None or extent is None or _sheet_differs(self._parts, info.part, self._dates,
                                                               ragged=extent[1] is None):
            return None
        try:
            sheet = self._calamine.get_sheet_by_name(title)
            start = sheet.start
            read = sheet.to_python(skip_empty_area=True) if start is not None else []
            values = [tuple(map(_cell, row)) for row in read]
        except _Subsecond:
            return None
        except Exception:  # a sheet calamine cannot read: openpyxl reads it, or says where it fails
            return None
        return _padded(values, start or (0, 0), extent)


def _padded(values: list[tuple[Value, ...]], start: tuple[int, int],
            extent: tuple[int, int | None]) -> Iterator[tuple[Value, ...]]:
    """Calamine's converted *values* (from the 0-based cell *start*) as openpyxl's rows of a sheet of *extent*."""
    last_row, width = extent
    first_row, first_column = start
    empty = (None,) * (width or 0)
    lead = (None,) * first_column
    for _ in range(min(first_row, last_row)):
        yield empty
    count = first_row
    for row in values:
        if count >= last_row:
            return
        cells = lead + row
        if width is None:  # as wide as the row's last cell (the sheet has no cell without a value)
            end = len(cells)
            while end and cells[end - 1] is None:
                end -= 1
            yield cells[:end]
        else:
            yield cells + (None,) * (width - len(cells)) if len(cells) < width else cells[:width]
        count += 1
    for _ in range(count, last_row):
        yield empty


def open_rows(source: Source, *, limits: Limits | None = None, name: str | None = None) -> RowBook:
    """
    Check the workbook *source* (see `check`), then open it for its rows: with calamine where it agrees, else openpyxl.

    Raises:
        UnsafeFile: The check refused the file.
        ConversionError: The file is not a workbook, is damaged, or cannot be opened.

    Example:
        >>> open_rows(b"just text", name="scores.xlsx")
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.ConversionError: scores.xlsx: this is not an XLSX workbook: it is not a zip archive
    """
    chosen = limits or Limits()
    found = check(source, "xlsx", limits=chosen, name=name)
    return RowBook(source, found, chosen, source_name(source, name))
