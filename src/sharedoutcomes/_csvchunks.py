"""
The rows of a CSV export in chunks, parsed by pyarrow where that gives exactly what `csv` gives.

The columnar readers of Star exports and of survey exports read their data rows with it. Their
object readers split rows with the standard library's `csv` module; that is the
reference. A chunk of the file is handed to ``pyarrow.csv`` only when nothing in it can be
read differently: whole records (cut at a newline outside quotes), no quote in the middle of
a field, no NUL, no lone carriage return, valid text and every row as wide as the header.
Any other chunk is split by `csv` itself, so a messy file is read exactly as before, only
more slowly. Either way a chunk is a list of string columns (`ParsedChunk`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

from attrs import define

from sharedoutcomes._optional import require
from sharedoutcomes._util.formulas import unquote
from sharedoutcomes.exceptions import ConversionError, SourceLocation

__all__ = ["CHUNK_BYTES", "ParsedChunk", "data_offset", "iter_chunks", "read_ahead"]

CHUNK_BYTES: Final = 4 << 20
"""About how many bytes of the file one chunk holds (the unit of flat memory when streaming)."""

_BLOCK_BYTES: Final = 1 << 20
"""The block of a large chunk that one of pyarrow's threads parses."""

_MID_QUOTE: Final = re.compile(rb'[^,;\t\r\n"]"[^,;\t\r\n"]')
"""A quote inside a field (``ab"c``): `csv` and pyarrow may split such a field differently."""


@define
class ParsedChunk:
    """
    Rows of the export, as columns of text.

    Attributes:
        first_row: The row number (counting from 1, as the object reader does) of the first row.
        columns: One list (or pyarrow array) of strings per column of the header, every row padded.
        ragged: The rows whose width is not the header's, by index in the chunk: their cells as `csv` read them.
        arrow: Whether *columns* are pyarrow arrays.
    """

    first_row: int
    columns: list[Any]
    ragged: dict[int, list[str]]
    rows: int
    arrow: bool


def data_offset(path: Path, header_row: int) -> int | None:
    """
    The byte offset just after the *header_row*-th record of the file, or ``None`` when it cannot be known safely.

    A record ends at a newline with an even number of quotes before it (a newline inside quotes
    is part of a field); a lone carriage return (which `csv` also ends a record at) gives ``None``.
    """
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    position, quotes, records = 0, 0, 0
    while records < header_row:
        newline = head.find(b"\n", position)
        if newline < 0:
            return None
        piece = head[position:newline + 1]
        if piece.count(b"\r") != piece.count(b"\r\n"):
            return None
        quotes += piece.count(b'"')
        position = newline + 1
        if quotes % 2 == 0:
            records += 1
    return position


def _record_cut(buffer: bytes) -> int:
    """The end of the last whole record in *buffer* (0 when there is none): a newline outside quotes."""
    end = len(buffer)
    if b'"' not in buffer:  # no quoted field: every newline ends a record
        return buffer.rfind(b"\n") + 1
    total = buffer.count(b'"')
    while True:
        newline = buffer.rfind(b"\n", 0, end)
        if newline < 0:
            return 0
        if (total - buffer.count(b'"', newline + 1)) % 2 == 0:
            return newline + 1
        end = newline


def iter_chunks(path: Path, *, offset: int, first_row: int, width: int, delimiter: str, encoding: str,
                name: str, purpose: str, unquote_formulas: bool, chunk_bytes: int = CHUNK_BYTES) -> Iterator[ParsedChunk]:
    """
    The rows of *path* from byte *offset* on, in chunks of about *chunk_bytes* bytes.

    *purpose* names the work in the install hint when pyarrow is missing; with *unquote_formulas*,
    a cell written ``'=1+1`` is read as ``=1+1`` (the formula-injection convention, as the Star
    object reader reads it); without, as it stands (as the survey object reader reads it).
    """
    row = first_row
    with path.open("rb") as handle:
        handle.seek(offset)
        carry = b""
        while True:
            block = handle.read(chunk_bytes)
            buffer = carry + block
            if not buffer:
                return
            cut = len(buffer) if not block else _record_cut(buffer)
            if cut == 0:
                carry = buffer  # one record longer than a chunk: read on
                continue
            piece, carry = buffer[:cut], buffer[cut:]
            chunk = _parse(piece, first_row=row, width=width, delimiter=delimiter, encoding=encoding, name=name,
                           purpose=purpose, unquote_formulas=unquote_formulas)
            row += chunk.rows
            yield chunk
            if not block:
                return


def read_ahead(chunks: Iterator[ParsedChunk]) -> Iterator[ParsedChunk]:
    """
    *chunks*, each read and parsed in a second thread while the caller works on the one before.

    pyarrow parses without holding the GIL, so the parse of a chunk overlaps the conversion of
    the previous one (wall time; the CPU time is the same). At most one chunk is read ahead;
    an error reading a chunk is raised when that chunk is asked for, as without the thread.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="star-chunks") as pool:
        pending = pool.submit(next, chunks, None)
        while True:
            chunk = pending.result()
            if chunk is None:
                return
            pending = pool.submit(next, chunks, None)
            yield chunk


def _parse(piece: bytes, *, first_row: int, width: int, delimiter: str, encoding: str, name: str, purpose: str,
           unquote_formulas: bool) -> ParsedChunk:
    if encoding == "utf-8-sig" and b"\x00" not in piece and (b"\r" not in piece or
                                                             piece.count(b"\r") == piece.count(b"\r\n")) \
            and not (b'"' in piece and _MID_QUOTE.search(piece)) and not piece.startswith(b"\xef\xbb\xbf"):
        parsed = _parse_arrow(piece, first_row=first_row, width=width, delimiter=delimiter, purpose=purpose,
                              unquote_formulas=unquote_formulas)
        if parsed is not None:
            return parsed
    return _parse_csv(piece, first_row=first_row, width=width, delimiter=delimiter, encoding=encoding, name=name,
                      unquote_formulas=unquote_formulas)


def _parse_arrow(piece: bytes, *, first_row: int, width: int, delimiter: str, purpose: str,
                 unquote_formulas: bool) -> ParsedChunk | None:
    """The chunk parsed by pyarrow, or ``None`` when a row is ragged or the text is not valid UTF-8."""
    pa = require("pyarrow", extra="columnar", purpose=purpose)
    pacsv = require("pyarrow.csv", extra="columnar", purpose=purpose)

    ragged: list[Any] = []

    def handler(row: Any) -> str:
        ragged.append(row)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    # a large chunk is parsed on every core, in blocks; a field can only hold a newline inside quotes
    block_size = _BLOCK_BYTES if len(piece) > 4 * _BLOCK_BYTES else len(piece) + 1
    try:
        table = pacsv.read_csv(
            io.BytesIO(piece),
            read_options=pacsv.ReadOptions(column_names=names, block_size=block_size),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=b'"' in piece,
                                             ignore_empty_lines=False, invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if ragged:
        return None  # where a ragged row was is not known: split the chunk with csv instead
    columns = [table.column(i).combine_chunks() for i in range(width)]
    if unquote_formulas:
        columns = [_unquoted(column, purpose) for column in columns]
    return ParsedChunk(first_row=first_row, columns=columns, ragged={}, rows=table.num_rows, arrow=True)


def _unquoted(column: Any, purpose: str) -> Any:
    """A column with apostrophe-quoted formulas unquoted, as the Star object reader does (`unquote`)."""
    pa = require("pyarrow", extra="columnar", purpose=purpose)

    if not _any_apostrophe_first(column, purpose):
        return column
    return pa.array([unquote(c) if c[:1] == "'" else c for c in column.to_pylist()], type=pa.string())


def _any_apostrophe_first(column: Any, purpose: str = "reading CSV exports into Arrow tables") -> bool:
    """Whether a cell of a string column starts with an apostrophe (read from its offsets and bytes)."""
    import numpy as np

    pc = require("pyarrow.compute", extra="columnar", purpose=purpose)

    data = column.buffers()[2]
    if column.null_count or data is None:
        return bool(pc.any(pc.starts_with(column, "'")).as_py())
    n = len(column)
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int32, count=n + 1, offset=column.offset * 4)
    starts = offsets[:-1][offsets[1:] > offsets[:-1]]  # the first byte of each cell that is not empty
    return bool((np.frombuffer(data, dtype=np.uint8)[starts] == ord("'")).any())


def _parse_csv(piece: bytes, *, first_row: int, width: int, delimiter: str, encoding: str,
               name: str, unquote_formulas: bool) -> ParsedChunk:
    """The chunk split by `csv`, exactly as the object reader splits it."""
    text = codecs.decode(piece, "utf-8" if encoding == "utf-8-sig" else encoding, errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: list[list[str]] = [[] for _ in range(width)]
    ragged: dict[int, list[str]] = {}
    index = 0
    try:
        for index, raw in enumerate(reader):
            cells = [unquote(c) if c[:1] == "'" else c for c in raw] if unquote_formulas else raw
            if len(cells) != width:
                ragged[index] = cells
                cells = (cells + [""] * width)[:width]
            for column, cell in zip(columns, cells, strict=True):
                column.append(cell)
    except csv.Error as error:
        raise ConversionError(f"not a readable CSV file: {error}",
                              source=SourceLocation(file=name, row=first_row + reader.line_num - 1)) from None
    rows = len(columns[0]) if columns else index + 1
    return ParsedChunk(first_row=first_row, columns=columns, ragged=ragged, rows=rows, arrow=False)
