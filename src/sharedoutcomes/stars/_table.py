"""Tables in, for the Outcomes Star converter: CSV and XLSX rows, and cells as text."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import IO, Any

from sharedoutcomes._office import Budget, RowBook, open_rows
from sharedoutcomes._optional import require
from sharedoutcomes._util.formulas import unquote
from sharedoutcomes._util.text import one_line
from sharedoutcomes.exceptions import ConversionError, SourceLocation

Cell = str | int | float | dt.datetime | dt.date | None
"""A cell as read: text from CSV; text, numbers or dates from XLSX; ``None`` when empty."""


def cell_text(cell: Cell) -> str:
    """
    A cell as trimmed text ("" when empty); whole floats lose their ".0".

    Example:
        >>> cell_text(None), cell_text(" a "), cell_text(7.0), cell_text(7.5)
        ('', 'a', '7', '7.5')
    """
    if cell is None:
        return ""
    if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.isoformat() if cell.time() != dt.time() else cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def source_name(source: Any) -> str:
    """The file name of a path or file object, for messages and provenance."""
    if isinstance(source, str | PathLike):
        return Path(source).name
    return Path(str(getattr(source, "name", "") or "export")).name


def is_xlsx(source: Any, name: str) -> bool:
    """Whether *source* is an XLSX workbook (by extension, or by its ZIP signature)."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        return True
    if isinstance(source, str | PathLike):
        try:
            with Path(source).open("rb") as handle:
                return handle.read(4) == b"PK\x03\x04"
        except OSError:
            return False
    return False


def _open_text(source: Any, name: str) -> IO[str]:
    if not isinstance(source, str | PathLike):
        if hasattr(source, "read"):
            if isinstance(source, io.TextIOBase):
                return source  # type: ignore[return-value]
            return io.TextIOWrapper(source, encoding="utf-8-sig")
        raise ConversionError(f"cannot read {type(source).__name__} as a Star export: give a path or a file")
    path = Path(source)
    try:
        with path.open("rb") as handle:
            sample = handle.read(65536)
    except OSError as error:
        raise ConversionError(f"cannot open the file: {error.strerror or error}",
                              source=SourceLocation(file=name)) from None
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=False)
    except UnicodeDecodeError:
        encoding = "cp1252"  # what Excel on Windows saves "CSV" as
    return path.open(encoding=encoding, newline="", errors="replace")


def iter_csv(source: Any, name: str) -> Iterator[tuple[int, list[Cell]]]:
    """Yield (row number counting from 1, cells) for every row of a CSV file (apostrophe-quoted formulas unquoted)."""
    handle = _open_text(source, name)
    try:
        sample = handle.read(8192)
        handle.seek(0) if handle.seekable() else None
        delimiter = ","
        if sample:
            counts = {d: sample.count(d) for d in (",", ";", "\t")}
            delimiter = max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","
        if not handle.seekable():  # pragma: no cover - only for unseekable streams
            handle = io.StringIO(sample + handle.read())
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for number, row in enumerate(reader, start=1):
                # '=1+1 is the text =1+1, written so by the formula-injection convention (_util.formulas)
                yield number, [unquote(c) if c[:1] == "'" else c for c in row]
        except csv.Error as error:
            raise ConversionError(f"not a readable CSV file: {error}",
                                  source=SourceLocation(file=name, row=reader.line_num)) from None
    finally:
        if isinstance(source, str | PathLike):
            handle.close()


def iter_xlsx(source: Any, name: str, sheet: str | None) -> tuple[str, Iterator[tuple[int, list[Cell]]]]:
    """
    The sheet's title and an iterator of (row number, cells) for an XLSX workbook.

    The workbook is checked first (`sharedoutcomes._office`: unsafe files refused, a stale or
    far ``<dimension>`` replaced by the real extent of the cells, so that every row is read).
    The rows are read with python-calamine when it is installed, and give exactly what
    openpyxl's read-only rows give (a sheet where the two would differ is read with openpyxl).
    Anything the reader raises on a damaged workbook, on opening or while the rows are read,
    becomes a `ConversionError` naming the file, the sheet and the row.
    """
    require("openpyxl", extra="xlsx", purpose="reading XLSX Star exports")
    book = open_rows(source, name=name)
    budget = Budget(name=name)
    title = _worksheet(book, name, sheet)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        number = 0
        try:
            for number, row in enumerate(budget.rows(book.rows(title), sheet=title), start=1):
                yield number, list(row)  # type: ignore[arg-type]  # XLSX cells: text, numbers, dates
        except ConversionError:  # the budget spent: the library's own error, as it is
            raise
        except Exception as error:  # a damaged sheet: say where, never a traceback from the reader
            raise ConversionError(f"the sheet cannot be read beyond row {number} ({type(error).__name__}: "
                                  f"{one_line(error)}); the workbook is damaged: save it again from Excel",
                                  source=SourceLocation(file=name, sheet=title, row=number + 1)) from None
        finally:
            book.close()

    return title, rows()


def _worksheet(book: RowBook, name: str, sheet: str | None) -> str:
    """The title of the sheet asked for, or of the first; a `ConversionError` (the book closed) when there is none."""
    names = list(book.sheetnames)
    worksheets = list(book.worksheets)
    if sheet is None and worksheets:
        return worksheets[0]
    if sheet is not None and sheet in worksheets:
        return sheet
    book.close()
    if not worksheets:
        raise ConversionError("the workbook has no worksheet (a workbook of chart sheets only, or a damaged "
                              "file): export the readings again", source=SourceLocation(file=name))
    raise ConversionError(f"the workbook has no sheet {sheet!r} (sheets: {', '.join(names)})",
                          source=SourceLocation(file=name))
