"""`open_workbook`, `open_document`: check, then open with openpyxl or python-docx; `Budget`: what readers spend."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sharedoutcomes._office._archive import Source, source_name
from sharedoutcomes._office._check import OfficeFile, check
from sharedoutcomes._office._limits import Limits, damaged, shown, unsafe
from sharedoutcomes._optional import require

__all__ = ["Budget", "load_checked", "open_document", "open_workbook"]

T = TypeVar("T")

_EVERY = 256
"""How many rows pass between two looks at the clock."""


class Budget:
    """
    The rows and the time a reader may spend on one file; the reader charges it as it goes.

    Example:
        >>> budget = Budget(Limits(max_read_rows=2), name="big.xlsx")
        >>> budget.charge()
        >>> list(budget.rows(["header", "row"], sheet="Data"))
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.UnsafeFile: big.xlsx: the file has more than 2 rows to read, reached in the sheet 'Data' (Limits.max_read_rows); split it, or read it with a larger limit if you trust it
    """

    def __init__(self, limits: Limits | None = None, *, name: str = "the file") -> None:
        self.limits = limits or Limits()
        self.name = name
        self.rows_read = 0
        self.started = time.monotonic()

    def charge(self, rows: int = 1, *, sheet: str | None = None) -> None:
        """Count *rows* more rows read; raise `UnsafeFile` once the rows or the time allowed are spent."""
        before = self.rows_read
        self.rows_read += rows
        limits = self.limits
        where = f", reached in the sheet {shown(sheet)}" if sheet else ""
        if self.rows_read > limits.max_read_rows:
            raise unsafe(self.name, f"the file has more than {limits.max_read_rows:,} rows to read{where} "
                         "(Limits.max_read_rows); split it, or read it with a larger limit if you trust it",
                         found=f"{self.rows_read} rows")
        if before // _EVERY != self.rows_read // _EVERY and time.monotonic() - self.started > limits.max_seconds:
            raise unsafe(self.name, f"reading the file took more than {limits.max_seconds:g} s{where} "
                         "(Limits.max_seconds); split it, or read it with a larger limit if you trust it",
                         found="time")

    def rows(self, rows: Iterable[T], *, sheet: str | None = None) -> Iterator[T]:
        """Each of *rows*, charged one by one."""
        for row in rows:
            self.charge(sheet=sheet)
            yield row


def _bound(workbook: Any, found: OfficeFile, max_cells: int) -> None:
    """Give each read-only sheet whose ``<dimension>`` is stale or past the limits the extent of its real cells."""
    for worksheet in workbook.worksheets:
        sheet = found.sheet(worksheet.title)
        if sheet is None or not hasattr(worksheet, "reset_dimensions"):
            continue
        declared = sheet.declared
        if sheet.stale or (declared is not None and declared[0] * declared[1] > max_cells):
            worksheet.reset_dimensions()
            if sheet.cells:
                # openpyxl 3.1 keeps a read-only sheet's extent in these two (reset_dimensions() clears them)
                worksheet._max_row, worksheet._max_column = sheet.rows, sheet.columns


def _close_with(workbook: Any, handle: Any, *, read_only: bool) -> None:
    """Close the file we opened for *workbook*: now (it is loaded whole) or with the workbook (read-only)."""
    if not read_only:
        handle.close()
        return
    close = workbook.close

    def closing() -> None:
        try:
            close()
        finally:
            handle.close()

    workbook.close = closing


def _opened(source: Source) -> Any:
    """*source* as openpyxl and python-docx take it: a path string or a binary file."""
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source))
    if isinstance(source, os.PathLike):
        return os.fspath(source)
    return source


def open_document(source: Source, *, limits: Limits | None = None, name: str | None = None) -> Any:
    """
    Check the Word document *source* (see `check`), then open it with python-docx.

    Raises:
        UnsafeFile: The check refused the file.
        ConversionError: The file is not a Word document, is damaged, or python-docx cannot open it.

    Example:
        >>> import docx, io
        >>> document = docx.Document()
        >>> _ = document.add_paragraph("Section 1")
        >>> data = io.BytesIO()
        >>> document.save(data)
        >>> [p.text for p in open_document(data.getvalue(), name="return.docx").paragraphs]
        ['Section 1']
    """
    check(source, "docx", limits=limits or Limits(), name=name)
    docx = require("docx", extra="docx", purpose="reading Word documents", distribution="python-docx")
    try:
        return docx.Document(_opened(source))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors …
        raise damaged(source_name(source, name), f"this Word document cannot be read ({type(error).__name__}: "
                      f"{shown(error)})") from None


def open_workbook(source: Source, *, limits: Limits | None = None, name: str | None = None,
                  read_only: bool = True, data_only: bool = True) -> Any:
    """
    Check the workbook *source* (see `check`), then open it with openpyxl, read-only by default.

    A read-only sheet whose ``<dimension>`` is stale (smaller than its cells, or unreadable)
    or spans more than the limits is given the extent of its real cells, so that iterating
    it neither misses rows nor walks a billion empty cells.

    Raises:
        UnsafeFile: The check refused the file.
        ConversionError: The file is not a workbook, is damaged, or openpyxl cannot open it.

    Example:
        >>> import openpyxl, io
        >>> book = openpyxl.Workbook()
        >>> book.active.append(["id", "score"])
        >>> data = io.BytesIO()
        >>> book.save(data)
        >>> [list(row) for row in open_workbook(data.getvalue(), name="scores.xlsx").active.iter_rows(values_only=True)]
        [['id', 'score']]
    """
    chosen = limits or Limits()
    found = check(source, "xlsx", limits=chosen, name=name)
    return load_checked(source, found, limits=chosen, name=source_name(source, name), read_only=read_only,
                        data_only=data_only)


def load_checked(source: Source, found: OfficeFile, *, limits: Limits, name: str, read_only: bool = True,
                 data_only: bool = True) -> Any:
    """
    Open with openpyxl the workbook *source* that `check` has passed (*found*); the second half of `open_workbook`.

    Raises:
        ConversionError: openpyxl cannot open it (named *name*).
    """
    openpyxl = require("openpyxl", extra="xlsx", purpose="reading XLSX workbooks")
    handle = open(source, "rb") if isinstance(source, str | os.PathLike) else None  # noqa: SIM115 - closed below
    try:
        workbook = openpyxl.load_workbook(handle or _opened(source), read_only=read_only, data_only=data_only)
    except Exception as error:  # openpyxl raises zipfile, KeyError, TypeError, InvalidFileException …
        if handle is not None:
            handle.close()  # openpyxl does not close a file it failed to read
        raise damaged(name, f"this XLSX workbook cannot be read ({type(error).__name__}: {shown(error)})") from None
    if handle is not None:
        _close_with(workbook, handle, read_only=read_only)
    if read_only:
        _bound(workbook, found, limits.max_cells)
    return workbook
