"""
The columnar survey reader: a survey export straight into Arrow tables, with the object reader's problems.

`read_columnar` is the ``survey`` reader of `sharedoutcomes.columnar` (registered by import
string in ``columnar/_registry.py``). It takes the object format's source and options.

How it stays identical to the object reader (`surveys._reader`): the header row, the instrument
and the columns' roles are the object reader's own, worked out on the top rows. The data rows
are parsed in chunks by pyarrow where that gives exactly what `csv` gives (`_csvchunks`), and
each cell is judged once per distinct text of its column, by the object reader's own functions
(a file has few distinct answers and dates). A row whose used cells are all good (a person id,
a date it can read, not after today, and only possible answers) is converted by column
operations; every other row goes through the object reader's own path for one row, which
reports what is wrong exactly as it always does. Which rows repeat an earlier one (same person
and date) is decided over both kinds of row in row order, the first row of each person and date
remembered by hash across chunks (its text kept, packed, to confirm a hash that matches).

An XLSX workbook, a file object, an export with no instrument or no item column, and a CSV file
whose header cannot be found by bytes (a lone carriage return before it) are left to the object
reader (`read_columnar` gives ``None``; `sharedoutcomes.columnar` then lays the converter's
package out as tables): the same problems, not faster.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from os import PathLike
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from sharedoutcomes._arrow import constant_text, nulls, repeated
from sharedoutcomes._csvchunks import CHUNK_BYTES, ParsedChunk, data_offset, iter_chunks, read_ahead
from sharedoutcomes._optional import require
from sharedoutcomes._util.hashes import HashIndex, text_hashes
from sharedoutcomes._util.paths import column_letter
from sharedoutcomes.columnar import ColumnarError, EvidenceTables, arrow_schema
from sharedoutcomes.converters import Coverage
from sharedoutcomes.exceptions import ConversionError, Problem, SourceLocation
from sharedoutcomes.surveys._columns import Column, Layout, find_header, layout
from sharedoutcomes.surveys._format import Settings
from sharedoutcomes.surveys._reader import (
    _USED,
    Candidate,
    Responses,
    _not_read_rows,
    _Plan,
    answer_of,
    candidate,
    columns_not_read,
    is_person_id,
    repeat_problem,
)
from sharedoutcomes.surveys._table import Cell, Sheet, as_text, delimiter_of, read_date

__all__ = ["SurveyColumnarRead", "read_columnar"]

_PURPOSE: Final = "reading survey exports into Arrow tables"
_TOP_ROWS: Final = 15  # the rows `find_header` looks at
_INT64: Final = 2**63
_SAFE: Final = 2**53  # an answer a float holds exactly: larger ones take the one-row path
_EVIDENCE: Final = re.compile(r"^\$\.evidence\[(\d+)\]")
_VALUE: Final = re.compile(r"^\.values\[(\d+)\]\.value$")
_UTF8_BLOCK: Final = 1 << 22


def _pa() -> Any:
    return require("pyarrow", extra="columnar", purpose=_PURPOSE)


def _pc() -> Any:
    return require("pyarrow.compute", extra="columnar", purpose=_PURPOSE)


def _encoding(path: Path) -> str:
    """What the object reader decodes the file as: UTF-8 (a BOM dropped) when all of it is, else cp1252."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with path.open("rb") as handle:
        try:
            while block := handle.read(_UTF8_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


class SurveySourceMap(Mapping[str, SourceLocation]):
    """
    JSONPath → cell, for the evidence of one batch (or of batches concatenated), computed when a path is looked up.

    A response is one row: its item, its subject's id and date come from the row and the columns of
    its values. Only the evidence a path names is looked at, in the tables (a batch whose problems
    name a few responses does not list the others).
    """

    def __init__(self, *, file: str, plan: _Plan, tables: EvidenceTables) -> None:
        self.file = file
        self.plan = plan
        self.tables = tables
        self._by_code = {c.code: c for c in plan.used if c.role in ("item", "score")}
        self._arrays: tuple[Any, ...] | None = None

    def _index(self) -> tuple[Any, ...]:
        """The evidence and values of the tables in order (made on first use): owners, rows, the values' order."""
        if self._arrays is None:
            import numpy as np

            provenance, values = self.tables.provenance, self.tables.values
            owners = np.asarray(provenance.column("evidence_index").to_numpy(), dtype=np.int64)
            by_owner = np.argsort(owners, kind="stable")
            value_owners = np.asarray(values.column("evidence_index").to_numpy(), dtype=np.int64)
            order = np.lexsort((np.asarray(values.column("value_index").to_numpy()), value_owners))
            self._arrays = (owners[by_owner], by_owner, value_owners[order], order)
        return self._arrays

    def _cell(self, path: str) -> tuple[int, Column | None] | None:
        import numpy as np

        match = _EVIDENCE.match(path)
        if match is None:
            return None
        k = int(match.group(1))
        owners, by_owner, value_owners, order = self._index()
        at = int(np.searchsorted(owners, k))
        if at >= len(owners) or owners[at] != k:
            return None
        row = int(self.tables.provenance.column("row")[int(by_owner[at])].as_py())
        suffix = path[match.end():]
        if suffix == "":
            return row, None
        if suffix == ".subject.id":
            return row, self.plan.person
        if suffix == ".date":
            return row, self.plan.date
        value = _VALUE.match(suffix)
        if value is None:
            return None
        start, end = np.searchsorted(value_owners, k, side="left"), np.searchsorted(value_owners, k, side="right")
        j = int(value.group(1))
        if not start + j < end:
            return None
        code = self.tables.values.column("code")[int(order[start + j])].as_py()
        return row, self._by_code[code]

    def __getitem__(self, path: str) -> SourceLocation:
        found = self._cell(path)
        if found is None:
            raise KeyError(path)
        row, column = found
        return SourceLocation(file=self.file, sheet=None, row=row, column=None if column is None else column.letter,
                              header=None if column is None or not column.heading else column.heading)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self._cell(path) is not None

    def __iter__(self) -> Iterator[str]:
        import numpy as np

        owners, _, value_owners, _ = self._index()
        counts = np.searchsorted(value_owners, owners, side="right") - np.searchsorted(value_owners, owners)
        for index, count in zip(owners.tolist(), counts.tolist(), strict=True):
            base = f"$.evidence[{index}]"
            yield from (base, f"{base}.subject.id", f"{base}.date")
            yield from (f"{base}.values[{j}].value" for j in range(count))

    def __len__(self) -> int:
        return int(3 * self.tables.provenance.num_rows + self.tables.values.num_rows)

    def __bool__(self) -> bool:
        return bool(self.tables.provenance.num_rows)


class _Judged:
    """One column of a chunk judged once per distinct text: each row's index into the distinct texts, and their verdicts."""

    __slots__ = ("filled", "filled_texts", "indices", "texts")

    def __init__(self, column: Any) -> None:
        encoded = _pc().dictionary_encode(column)
        self.texts: list[str] = encoded.dictionary.to_pylist()
        self.indices = _indices(encoded)
        self.filled_texts = [bool(as_text(t)) for t in self.texts]
        self.filled = self.per_text(self.filled_texts, bool)

    def per_text(self, verdicts: list[Any], kind: Any) -> Any:
        """*verdicts* (one per distinct text) for every row."""
        import numpy as np

        return np.asarray(verdicts, dtype=kind)[self.indices] if verdicts else np.zeros(0, dtype=kind)


class SurveyColumnarRead:
    """What `read_columnar` returns: the batches, then the problems outside them and the coverage."""

    chunk_bytes: int = CHUNK_BYTES // 4
    """
    About how many bytes of the export one batch reads (set lower in tests, to read a small file in batches).

    1 MiB: a response is a row of about 55 bytes with 15 values, so a batch holds about 19,000
    responses and 285,000 values, as many values as a Star batch of 4 MiB; the validation of a
    batch works on its values, and four times as many took the peak memory from 600 to 1,050 MiB.
    """

    def __init__(self, export: _Export) -> None:
        self.export = export
        self._leading: list[Problem] = []
        self._problems: list[Problem] = []
        self._coverage: Coverage | None = None
        self._plan = _Plan(export.plan)

    @property
    def leading_problems(self) -> list[Problem]:
        """The problems the object reader reports before the rows': rows above the header, columns not read."""
        return self._leading

    @property
    def problems(self) -> list[Problem]:
        """The format's own problems, after every batch's (the placeholder publisher)."""
        return self._problems

    @property
    def coverage(self) -> Coverage | None:
        """The cells read and not read; complete once the batches are consumed."""
        return self._coverage

    def source_map_of(self, tables: EvidenceTables) -> SurveySourceMap:
        """Where the evidence of *tables* came from, cell by cell, as the object reader's source map says."""
        return SurveySourceMap(file=self.export.settings.file, plan=self._plan, tables=tables)

    def __iter__(self) -> Iterator[EvidenceTables]:
        export = self.export
        settings, plan = export.settings, export.plan
        found = Responses(settings.file, Sheet(None, export.head))
        _not_read_rows(found, export.head[:export.header], "above the header row")
        for column in plan.columns:
            if column.role in _USED:
                found.read()  # the heading
        reader = _Chunks(found, self._plan, plan, today=settings.today or _utc_today(), publisher=settings.publisher,
                         package_json=_package_json(settings.document()))
        chunks = iter_chunks(export.path, offset=export.offset, first_row=plan.header_row + 1, width=reader.width,
                             delimiter=export.delimiter, encoding=export.encoding, name=settings.file,
                             purpose=_PURPOSE, unquote_formulas=False, chunk_bytes=self.chunk_bytes)
        batches = 0
        for chunk in read_ahead(chunks):
            tables = reader.batch(chunk)
            if tables is not None:
                batches += 1
                yield tables
        if not batches:
            yield reader.empty()
        # the rows' problems went with their batch: what is left are those above the header
        columns_not_read(found, reader.final_layout(), reader.cells_not_read)
        self._leading = list(found.problems)
        self._problems = settings.format_problems()
        self._coverage = found.coverage


@frozen(kw_only=True)
class _Export:
    """What the columnar reader needs of a CSV export before its data rows: the head, the layout, where the data starts."""

    settings: Settings
    path: Path
    encoding: str
    delimiter: str
    head: list[tuple[int, list[Any]]]
    header: int  # the header row's place in *head*
    plan: Layout
    offset: int  # the byte just after the header row


def _export(source: Any, options: dict[str, Any]) -> _Export | None:
    """The export, when the columnar reader gives what the object reader gives for it by reading it in chunks."""
    settings = Settings(source, options)
    if not isinstance(source, str | PathLike):
        return None  # a file object: read once, by the object reader
    path = Path(source)
    if _is_workbook(path, settings.file):
        return None
    encoding = _encoding(path)
    head, delimiter = _head(path, encoding, settings.file)
    if not any(as_text(c) for _, cells in head for c in cells):
        return None  # nothing in the top rows: the object reader says what the file holds
    header = find_header(head, settings.known)
    plan = layout(head[:header + 1], header, settings.known, settings.instrument, options.get("column_map") or {},
                  every_column=True)
    offset = data_offset(path, plan.header_row)
    if plan.instrument is None or not (plan.of("item") or plan.of("score")) or offset is None:
        return None
    return _Export(settings=settings, path=path, encoding=encoding, delimiter=delimiter, head=head, header=header,
                   plan=plan, offset=offset)


def _utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _package_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _is_workbook(path: Path, file: str) -> bool:
    """Whether the object reader reads *path* as an XLSX workbook (by its name, or a zip's first bytes)."""
    if file.lower().endswith((".xlsx", ".xlsm")):
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return True  # the object reader says why it cannot be opened


def _head(path: Path, encoding: str, file: str) -> tuple[list[tuple[int, list[Any]]], str]:
    """The top rows (those the header is looked for in) as the object reader splits them, and the delimiter."""
    with path.open(encoding=encoding, newline="", errors="replace") as handle:
        delimiter = delimiter_of(handle.read(8192))
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        rows: list[tuple[int, list[Any]]] = []
        try:
            for number, row in enumerate(reader, start=1):
                rows.append((number, list(row)))
                if number >= _TOP_ROWS:
                    break
        except csv.Error as error:
            raise ConversionError(f"not a readable CSV file: {error}",
                                  source=SourceLocation(file=file, row=reader.line_num)) from None
    return rows, delimiter


class _Chunks:
    """The data rows of one export, chunk by chunk, with what the checks across rows remember of earlier chunks."""

    def __init__(self, found: Responses, prepared: _Plan, plan: Layout, *, today: dt.date, publisher: str,
                 package_json: str) -> None:
        self.found = found
        self.plan = plan
        self.prepared = prepared
        self.today = today
        self.publisher = publisher
        self.package_json = package_json
        self.width = max((c.index for c in plan.columns), default=-1) + 1
        self.answers = tuple(c for c in self.prepared.used if c.role in ("item", "score"))
        self.unused = tuple(c for c in plan.columns if c.role not in _USED)
        self.cells_not_read: dict[int, int] = {}
        self._keys = HashIndex(packed=True)  # "person NUL date" of each response placed → its row
        self._whole = HashIndex(packed=True)  # "person NUL date NUL answers" of each response placed
        self._count = 0  # evidence placed so far: the evidence index of the next

    def final_layout(self) -> Layout:
        """The layout with the columns beyond the header's that a ragged row had cells in (left out when empty)."""
        known = {c.index for c in self.plan.columns}
        extra = tuple(Column(index=i, letter=column_letter(i), heading="", role="other")
                      for i in sorted(self.cells_not_read) if i not in known)
        return Layout(header_row=self.plan.header_row, instrument=self.plan.instrument,
                      columns=(*self.plan.columns, *extra), detected=self.plan.detected,
                      candidates=self.plan.candidates)

    def empty(self) -> EvidenceTables:
        """A batch with no evidence: the one batch of an export whose rows hold no response (nor a problem)."""
        import numpy as np

        none = np.zeros(0, dtype=np.int64)
        return self._tables(_Answers(none, len(self.answers)), none, first_row=0, first_index=self._count, problems=[])

    def _count_not_read(self, index: int, n: int) -> None:
        if n:
            self.cells_not_read[index] = self.cells_not_read.get(index, 0) + n

    def batch(self, chunk: ParsedChunk) -> EvidenceTables | None:
        """The evidence of one chunk's rows, with the problems of those rows in row order."""
        import numpy as np

        pa = _pa()
        n = chunk.rows
        if not n:
            return None
        columns = [c if chunk.arrow else pa.array(c, type=pa.string()) for c in chunk.columns]
        prepared, found = self.prepared, self.found
        regular = np.ones(n, dtype=bool)
        if chunk.ragged:
            regular[list(chunk.ragged)] = False
        judged = {c.index: _Judged(columns[c.index]) for c in (*prepared.used, *self.unused)}
        self._count_unused(chunk, judged, regular)
        used_any = np.zeros(n, dtype=bool)
        for column in prepared.used:
            used_any |= judged[column.index].filled
        good, verdicts = self._good(judged, regular & used_any)
        # the other rows with a used cell go through the object reader's path for one row, in row order
        problems_of: dict[int, list[Problem]] = {}
        general: dict[int, Candidate] = {}
        for i in np.flatnonzero(~good & (used_any | ~regular)).tolist():
            ragged = chunk.ragged.get(i)
            row_cells: list[Cell] = list(ragged) if ragged is not None else [""] * self.width
            if ragged is None:
                for column in prepared.used:
                    j = judged[column.index]
                    row_cells[column.index] = j.texts[j.indices[i]]
            before = len(found.problems)
            row = candidate(found, prepared, chunk.first_row + i, row_cells, today=self.today)
            if len(found.problems) > before:
                problems_of[i] = found.problems[before:]
                del found.problems[before:]
            if row is not None:
                general[i] = row
        answers = self._answers(good, general, verdicts)
        return self._place(chunk, answers, problems_of)

    def _count_unused(self, chunk: ParsedChunk, judged: dict[int, _Judged], regular: Any) -> None:
        """Count the cells of the columns not read (reported with their column once the file is read)."""
        for column in self.unused:
            self._count_not_read(column.index, int(judged[column.index].filled[regular].sum()))
        unused = {c.index for c in self.unused}
        for cells in chunk.ragged.values():  # a ragged row's own cells, beyond the header's width too
            for index, cell in enumerate(cells):
                if (index >= self.width or index in unused) and as_text(cell):
                    self._count_not_read(index, 1)

    def _good(self, judged: dict[int, _Judged], good: Any) -> tuple[Any, _Verdicts]:
        """
        Which of the rows *good* marks (regular, with a used cell) are good, judged once per distinct text.

        A good row has a person id, a date it can read and not after today, an answer, and only
        possible answers. Also what each column's distinct texts were judged to be.
        """
        import numpy as np

        prepared = self.prepared
        answer_any = np.zeros(len(good), dtype=bool)
        verdicts = _Verdicts()
        for column in self.answers:
            j = judged[column.index]
            answers = [answer_of(column, t, prepared.items) for t in j.texts]
            ok = j.per_text([v is not None and abs(v) < _SAFE for v in answers], bool)
            good = good & (~j.filled | ok)
            answer_any |= j.filled
            verdicts.answers.append((j, answers))
        good &= answer_any
        if prepared.person is None or prepared.date is None:
            good[:] = False
            return good, verdicts
        person = verdicts.person = judged[prepared.person.index]
        date = verdicts.date = judged[prepared.date.index]
        verdicts.persons = [as_text(t) for t in person.texts]
        days = [read_date(t) for t in date.texts]
        verdicts.isos = [None if d is None else d.isoformat() for d in days]
        good &= person.per_text([is_person_id(t) for t in verdicts.persons], bool)
        good &= date.per_text([d is not None and d <= self.today for d in days], bool)
        return good, verdicts

    def _answers(self, good: Any, general: dict[int, Candidate], verdicts: _Verdicts) -> _Answers:
        """The chunk's responses in row order: the good rows' from their columns, the candidates' from their values."""
        import numpy as np

        pa = _pa()
        rows = np.flatnonzero(good)
        if general:
            rows = np.union1d(rows, np.fromiter(general, dtype=np.int64, count=len(general)))
        k, width = len(rows), len(self.answers)
        answers = _Answers(rows, width)
        if not k:
            return answers
        at = np.searchsorted(rows, np.fromiter(general, dtype=np.int64, count=len(general)))
        clean = np.ones(k, dtype=bool)
        clean[at] = False
        crows = rows[clean]
        for col, (j, texts_answers) in enumerate(verdicts.answers):
            number = np.asarray([float(v) if v is not None and abs(v) < _SAFE else 0.0 for v in texts_answers],
                                dtype=np.float64)
            whole = np.asarray([isinstance(v, int) for v in texts_answers], dtype=bool)
            idx = j.indices[crows]
            answers.values[clean, col] = number[idx]
            answers.integral[clean, col] = whole[idx]
            answers.filled[clean, col] = j.filled[crows]
            answers.pieces.append([_piece(v) if v is not None and f else ""
                                   for v, f in zip(texts_answers, j.filled_texts, strict=True)])
            answers.piece_of[:, col] = j.indices[rows]
        person, date = verdicts.person, verdicts.date
        if person is None or date is None:  # pragma: no cover - a good row or a candidate has both columns
            raise AssertionError
        persons = pa.array(verdicts.persons, type=pa.string()).take(pa.array(person.indices[rows]))
        isos = pa.array(verdicts.isos, type=pa.string()).take(pa.array(date.indices[rows]))
        position = {c.code: col for col, c in enumerate(self.answers)}
        patched: dict[int, tuple[str, str]] = {}
        for p, i in zip(at.tolist(), general, strict=True):
            row = general[i]
            patched[p] = (row.person, row.date.isoformat())  # a ragged row's cells are not the columns'
            answers.values[p] = 0.0
            answers.filled[p] = False
            for col in range(width):
                answers.piece_of[p, col] = len(answers.pieces[col])
                answers.pieces[col].append("")
            for value in row.values:
                col, v = position[value["code"]], value["value"]
                answers.pieces[col][-1] = _piece(v)
                answers.filled[p, col] = True
                answers.integral[p, col] = isinstance(v, int)
                if isinstance(v, int) and abs(v) >= _SAFE:
                    answers.big[(p, col)] = v
                else:
                    answers.values[p, col] = v
        if any(persons[p].as_py() != who or isos[p].as_py() != day for p, (who, day) in patched.items()):
            who_all, day_all = persons.to_pylist(), isos.to_pylist()
            for p, (who, day) in patched.items():
                who_all[p], day_all[p] = who, day
            persons, isos = pa.array(who_all, type=pa.string()), pa.array(day_all, type=pa.string())
        answers.persons, answers.isos = persons, isos
        return answers

    def _place(self, chunk: ParsedChunk, answers: _Answers, problems_of: dict[int, list[Problem]]) -> EvidenceTables | None:
        """Place the chunk's responses, in row order: the first of each person and date is evidence, a later one is reported."""
        import numpy as np

        pa, pc = _pa(), _pc()
        pl = require("polars", extra="columnar", purpose=_PURPOSE)
        rows, k = answers.rows, len(answers.rows)
        keys = pc.binary_join_element_wise(answers.persons, answers.isos, "\x00")
        wholes = pc.binary_join_element_wise(keys, self._answer_texts(answers), "\x00")
        key_hashes = text_hashes(pl, keys)
        earlier = self._keys.find(key_hashes, keys)
        codes = _indices(pc.dictionary_encode(keys))
        _, first_of = np.unique(codes, return_index=True)
        first = np.zeros(k, dtype=bool)
        first[first_of] = True
        placed = first & (earlier < 0)
        repeats = np.flatnonzero(~placed)
        if len(repeats):
            taken = wholes.take(pa.array(repeats))
            seen_whole = self._whole.find(text_hashes(pl, taken), taken)
            first_in_chunk = first_of[codes]
            for r, whole_seen in zip(repeats.tolist(), seen_whole.tolist(), strict=True):
                if earlier[r] >= 0:
                    first_row = self._keys.data(int(earlier[r]))[0]
                    same = whole_seen >= 0
                else:
                    f = int(first_in_chunk[r])
                    first_row = chunk.first_row + int(rows[f])
                    same = wholes[f].as_py() == wholes[r].as_py()
                i = int(rows[r])
                problems_of.setdefault(i, []).append(repeat_problem(
                    self.found, chunk.first_row + i, first=first_row, same=same, person=answers.persons[r].as_py(),
                    date=_date(answers.isos[r].as_py())))
        per_row = answers.filled.sum(axis=1)
        self.found.read(int(per_row[placed].sum()) + 2 * int(placed.sum()))
        self.found.skip(int(per_row[~placed].sum()) + 2 * int((~placed).sum()))
        place = np.flatnonzero(placed)
        taken = pa.array(place, type=pa.int64())
        self._keys.add(key_hashes[place], keys.take(taken), (chunk.first_row + rows[place]).astype(np.int64))
        placed_wholes = wholes.take(taken)
        self._whole.add(text_hashes(pl, placed_wholes), placed_wholes)
        problems = [p for i in sorted(problems_of) for p in problems_of[i]]
        first_index = self._count
        self._count += len(place)
        if not len(place) and not problems:
            return None
        return self._tables(answers, place, first_row=chunk.first_row, first_index=first_index, problems=problems)

    def _answer_texts(self, answers: _Answers) -> Any:
        """
        Each response's answers as one text, equal when the answers are: a piece per answer column, in order.

        A piece is the answer's number, or empty when the column has none (an answer is never empty text).
        """
        pa, pc = _pa(), _pc()
        pieces = [pa.array(texts, type=pa.string()).take(pa.array(answers.piece_of[:, col]))
                  for col, texts in enumerate(answers.pieces)]
        if not pieces:
            return constant_text(pa, "", len(answers.rows))
        return pc.binary_join_element_wise(*pieces, ";")

    def _tables(self, answers: _Answers, place: Any, *, first_row: int, first_index: int,
                problems: list[Problem]) -> EvidenceTables:
        """The placed responses of a chunk in the columnar layout, built by column."""
        import numpy as np

        pa, pc = _pa(), _pc()
        n = len(place)
        taken = pa.array(place, type=pa.int64())
        persons, isos = answers.persons.take(taken), answers.isos.take(taken)
        ids = pc.binary_join_element_wise(pa.scalar(f"ev-{self.prepared.slug}"), persons, isos, "-")
        filled = answers.filled[place]
        owner, col = np.nonzero(filled)  # row-major: each response's answers in column order
        counts = filled.sum(axis=1)
        starts = np.zeros(n, dtype=np.int64)
        np.cumsum(counts[:-1], out=starts[1:])
        value_index = np.arange(len(owner), dtype=np.int64) - starts[owner]
        integral = answers.integral[place][owner, col]
        numbers = answers.values[place][owner, col]
        ints: Any = pa.array(np.where(integral, numbers, 0).astype(np.int64), mask=~integral)
        if answers.big:
            local = {p: o for o, p in enumerate(place.tolist())}  # a response's place among those placed
            where = {(local[p], c): v for (p, c), v in answers.big.items() if p in local}
            values_list = ints.to_pylist()
            for m, (o, c) in enumerate(zip(owner.tolist(), col.tolist(), strict=True)):
                if (o, c) in where:
                    v = where[(o, c)]
                    if not -_INT64 <= v < _INT64:
                        msg = (f"$.evidence[{first_index + o}].values[{value_index[m]}].value: the integer {v} does "
                               "not fit in 64 bits, which the columnar layout holds; keep this package on the object "
                               "path (sharedoutcomes.load)")
                        raise ColumnarError(msg)
                    values_list[m] = v
            ints = pa.array(values_list, type=pa.int64())
        floats = pa.array(numbers, mask=integral)
        codes = pa.array([c.code for c in self.answers], type=pa.string()).take(pa.array(col))
        kinds = pa.DictionaryArray.from_arrays(pa.array(np.where(integral, 1, 2).astype(np.int8)),
                                               pa.array(list(_VALUE_TYPES)))
        index = pa.array(np.arange(first_index, first_index + n, dtype=np.int64))

        return _laid_out({
            "evidence": {"evidence_index": index, "id": ids, "kind": constant_text(pa, "survey", n),
                         "date": pc.cast(isos, pa.date32()), "collected_by": constant_text(pa, self.publisher, n),
                         "instrument": constant_text(pa, self.prepared.instrument.id, n)},
            "values": {"evidence_index": pa.array(first_index + owner.astype(np.int64)),
                       "evidence_id": repeated(ids, owner), "value_index": pa.array(value_index),
                       "code": codes, "value_type": kinds, "value_int": ints, "value_float": floats},
            "subjects": {"evidence_index": index, "evidence_id": ids, "subject_type": constant_text(pa, "person", n),
                         "subject_id": persons},
            "provenance": {"evidence_index": index, "evidence_id": ids, "original_format": constant_text(pa, "survey", n),
                           "file": constant_text(pa, self.found.file, n),
                           "row": pa.array((first_row + answers.rows[place]).astype(np.int64)),
                           "converted_by": constant_text(pa, "sharedoutcomes.survey", n)},
        }, self.package_json, problems)


def _piece(value: float) -> str:
    """One answer of a response as text (whole numbers without a point); its column says whose answer it is."""
    return str(value) if isinstance(value, int) else repr(float(value))


class _Verdicts:
    """What a chunk's used columns' distinct texts were judged to be (each column's texts in `_Judged.texts` order)."""

    __slots__ = ("answers", "date", "isos", "person", "persons")

    def __init__(self) -> None:
        self.answers: list[tuple[_Judged, list[Any]]] = []  # per answer column: its texts' answers (None: not one)
        self.person: _Judged | None = None
        self.date: _Judged | None = None
        self.persons: list[str] = []  # each person text, trimmed
        self.isos: list[str | None] = []  # each date text's date, ISO (None: not a date)


class _Answers:
    """A chunk's responses in row order: their rows, persons, ISO dates and answers (a matrix, one column per item)."""

    __slots__ = ("big", "filled", "integral", "isos", "persons", "piece_of", "pieces", "rows", "values")

    def __init__(self, rows: Any, width: int) -> None:
        import numpy as np

        pa = _pa()
        k = len(rows)
        self.rows = rows
        self.values = np.zeros((k, width), dtype=np.float64)
        self.integral = np.ones((k, width), dtype=bool)
        self.filled = np.zeros((k, width), dtype=bool)
        self.big: dict[tuple[int, int], int] = {}  # whole answers a float does not hold exactly
        self.pieces: list[list[str]] = []  # per answer column, the texts met (an answer, or "" when empty)
        self.piece_of = np.zeros((k, width), dtype=np.int64)  # each response's piece of each column
        self.persons: Any = pa.array([], type=pa.string())
        self.isos: Any = pa.array([], type=pa.string())


def _indices(encoded: Any) -> Any:
    """The indices of a dictionary array as int64 numpy (they have no nulls: zero copy, no pandas)."""
    import numpy as np

    indices = encoded.indices
    kind = np.dtype(indices.type.to_pandas_dtype())
    return np.frombuffer(indices.buffers()[1], dtype=kind, count=len(indices), offset=indices.offset * kind.itemsize
                         ).astype(np.int64)


def _laid_out(columns: dict[str, dict[str, Any]], package_json: str, problems: list[Problem]) -> EvidenceTables:
    """The four tables of the layout from the arrays given (every other column null)."""
    pa = _pa()

    tables = {}
    for name, arrays in columns.items():
        schema = arrow_schema(name, package_json=package_json if name == "evidence" else None)  # type: ignore[arg-type]
        length = len(next(iter(arrays.values())))
        tables[name] = pa.Table.from_arrays(
            [_as_type(arrays[f.name], f.type) if f.name in arrays else nulls(pa, f.type, length) for f in schema],
            schema=schema)
    return EvidenceTables(**tables, problems=tuple(problems))


def _as_type(array: Any, kind: Any) -> Any:
    """*array* as the layout's type (a no-op when it already is)."""
    return array if array.type == kind else _pc().cast(array, kind)


def _date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


_VALUE_TYPES: Final = ("boolean", "integer", "number", "string")


def read_columnar(source: Any, /, **options: Any) -> SurveyColumnarRead | None:
    r"""
    Read a survey export into batches of tables, with the problems and coverage of the ``survey`` format.

    ``None`` for an export the object reader reads (an XLSX workbook, a file object, no
    instrument or no item column, a header not found by bytes): `sharedoutcomes.columnar`
    then reads it with the ``survey`` converter and lays its package out as tables.

    Raises:
        TypeError: An option the ``survey`` format does not take.
        UnknownName: ``instrument=`` names no registered instrument.

    Example:
        >>> import io, pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> path = folder / "ons4.csv"
        >>> _ = path.write_text("Client ref,Date,Satis,Worth,Happy,Anxious\nSP-1,02/05/2024,6,7,5,8\n"
        ...                     "SP-2,02/05/2024,4,x,5,8\n")
        >>> read = read_columnar(path, organisation_id="GB-SC-SC012345", today="2025-06-30")
        >>> [(batch.evidence.num_rows, batch.values.num_rows, [p.rule for p in batch.problems]) for batch in read]
        [(2, 7, ['survey.bad-value'])]
        >>> str(read.coverage), read_columnar(io.BytesIO(path.read_bytes())) is None
        ('read 17 of 18 pieces; not read: 1 (ons4.csv: 1)', True)
    """
    export = _export(source, dict(options))
    return None if export is None else SurveyColumnarRead(export)
