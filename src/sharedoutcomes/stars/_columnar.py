"""
The columnar Star reader: a Star export straight into Arrow tables, with the object reader's problems.

`read_columnar` is the ``outcomes-star`` reader of `sharedoutcomes.columnar` (registered by
import string in ``columnar/_registry.py``). It takes the object format's source and options.

How it stays identical to the object reader (`ReadingStream`) while doing the per-row work on
columns: the header, column roles, edition inference and personal-data refusal are the object
reader's own (they work on the header row). The rows are parsed in chunks (`_csvchunks`), and in
each chunk a row that the object reader's fast path would take (a clean id, a date it can read,
a known edition, every score a whole number on the scale, nothing in a column it does not read)
is converted by column operations: per distinct value for ids, dates, Star names and metadata
(a file has few distinct dates and Stars), by array operations for everything else. Every other
row goes, in row order, through the object reader's general path, which reports what is wrong
exactly as it always does. The checks across rows (exact duplicates, people on two editions,
repeated ids) run over both kinds of row in row order, with the object reader's own state for
the rows they concern, and remember the ids and people of earlier chunks by hash (`_seen`).

The next chunk is parsed in a second thread while a chunk is converted, and each batch's tables
(and its values table) are built in a third (pyarrow and numpy do that work without the GIL);
the batches, problems and notes come in the same order as without them.

An XLSX workbook or a long-layout export is read by the object reader and its evidence turned
into tables (same problems, not faster). (python-calamine is not used: an XLSX export goes
through the one safe way into Office files, `sharedoutcomes._office`, which opens it with openpyxl.)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._arrow import constant_text, nulls, repeated
from sharedoutcomes._csvchunks import CHUNK_BYTES, ParsedChunk, data_offset, iter_chunks, read_ahead
from sharedoutcomes._optional import require
from sharedoutcomes.columnar import EvidenceTables, arrow_schema
from sharedoutcomes.converters import Coverage
from sharedoutcomes.exceptions import Problem
from sharedoutcomes.stars._arrays import ValueColumns, filled_mask, scale_scores
from sharedoutcomes.stars._convention import (
    EXTENSION,
    PLACEHOLDER_ORGANISATION,
    converter_version,
    meta_value,
    reading_id_suffix,
)
from sharedoutcomes.stars._dates import parse_date
from sharedoutcomes.stars._edition import StarEdition
from sharedoutcomes.stars._format import (
    _READ_OPTIONS,
    DEFAULT_SHARING_LEVEL,
    _check_options,
    package_document,
)
from sharedoutcomes.stars._reader import ReadingStream, _clean_person
from sharedoutcomes.stars._rows import GROUPS, shown
from sharedoutcomes.stars._seen import HashIndex, pack, reading_hashes, text_hashes, unpack, value_hashes
from sharedoutcomes.stars._sourcemap import Reading, StarSourceMap
from sharedoutcomes.stars._table import Cell, _open_text

__all__ = ["ColumnarStarReader", "StarTables", "iter_reading_tables", "read_columnar"]

_NUL: Final = "\x00"
_PURPOSE: Final = "reading Star exports into Arrow tables"


class _Recorder:
    """Stands in for the reader's tally while a row is read, so that its notes can be replayed in row order."""

    def __init__(self) -> None:
        self.notes: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def note(self, *args: Any, **kwargs: Any) -> None:
        self.notes.append((args, kwargs))


class _NoCount:
    """A coverage counter that counts nothing (the accounting of a row is replayed once its fate is known)."""

    def read(self, part: str, n: int = 1) -> None:
        """Count nothing."""

    def not_read(self, part: str, n: int = 1) -> None:
        """Count nothing."""


_NO_COUNT: Final = _NoCount()


class StarTables:
    """
    One batch of converted readings as Arrow arrays (the makings of the four layout tables).

    Attributes:
        evidence: ``row``, ``id``, ``person``, ``date`` (ISO text), ``instrument``, ``extension_data``
            (the reading's ``extension_data``, the ``outcomes-star`` metadata, as JSON text): one entry per reading.
        values: ``reading`` (the position of its reading in the batch), ``value_index``, ``code``,
            ``label``, ``value``, ``scale_min``, ``scale_max``: one entry per value. (It may be
            given as a function that makes them, called once, when they are first needed: the
            columnar reader builds them in the thread that builds the tables.)
        problems: The problems found while reading the batch's rows, in row order.
        first_index: The evidence index of the batch's first reading.
    """

    def __init__(self, evidence: Mapping[str, Any], values: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
                 problems: list[Problem], *, first_index: int, provenance: Mapping[str, Any],
                 organisation_id: str | None) -> None:
        self.evidence = evidence
        self._values = values
        self.problems = problems
        self.first_index = first_index
        self.provenance = provenance
        self.organisation_id = organisation_id

    def __len__(self) -> int:
        return len(self.evidence["id"])

    @property
    def values(self) -> Mapping[str, Any]:
        """The values' arrays (made on first use when they were given as a function)."""
        if callable(self._values):
            self._values = self._values()
        return self._values

    def evidence_dicts(self) -> Iterator[dict[str, Any]]:
        """The readings as the object reader's evidence dicts (for a package, and to compare)."""
        ev = {k: v.to_pylist() for k, v in self.evidence.items()}
        vals = {k: v.to_pylist() for k, v in self.values.items()}
        grouped: list[list[dict[str, Any]]] = [[] for _ in range(len(self))]
        for reading, code, label, value, low, high in zip(vals["reading"], vals["code"], vals["label"],
                                                          vals["value"], vals["scale_min"], vals["scale_max"],
                                                          strict=True):
            grouped[reading].append({"code": code, "label": label, "value": value, "scale_min": low,
                                     "scale_max": high})
        provenance = dict(self.provenance)
        for row, ident, person, iso, instrument, extension, values in zip(
                ev["row"], ev["id"], ev["person"], ev["date"], ev["instrument"], ev["extension_data"], grouped,
                strict=True):
            evidence: dict[str, Any] = {
                "id": ident, "kind": "assessment", "date": iso, "subject": {"type": "person", "id": person},
                "instrument": instrument, "values": values, "provenance": {**provenance, "row": row},
                "extension_data": json.loads(extension)}
            if self.organisation_id:
                evidence["collected_by"] = self.organisation_id
            yield evidence

    def tables(self, package_json: str | None = None) -> EvidenceTables:
        """The batch in the columnar layout, *package_json* (the package around it) in the evidence table's metadata."""
        return EvidenceTables(**self.arrow(package_json), problems=tuple(self.problems))

    def arrow(self, package_json: str | None = None) -> dict[str, Any]:
        """The four tables of the columnar layout (``evidence``, ``values``, ``subjects``, ``provenance``)."""
        pa = require("pyarrow", extra="columnar", purpose=_PURPOSE)
        pc = require("pyarrow.compute", extra="columnar", purpose=_PURPOSE)

        n = len(self)
        ev, vals = self.evidence, self.values
        index = pa.array(np_arange(self.first_index, self.first_index + n), type=pa.int64())
        ids = ev["id"]

        def constant(value: Any, length: int) -> Any:
            return nulls(pa, pa.string(), length) if value is None else constant_text(pa, str(value), length)

        def table(name: Any, columns: dict[str, Any], length: int) -> Any:
            schema = arrow_schema(name, package_json=package_json if name == "evidence" else None)
            arrays = [columns[f.name] if f.name in columns else nulls(pa, f.type, length) for f in schema]
            return pa.Table.from_arrays(arrays, schema=schema)

        evidence = table("evidence", {
            "evidence_index": index, "id": ids, "kind": constant("assessment", n),
            "date": pc.cast(ev["date"], pa.date32()), "collected_by": constant(self.organisation_id, n),
            "instrument": ev["instrument"],
            "extension_data": ev["extension_data"],
        }, n)
        m = len(vals["code"])
        reading = vals["reading"]
        values = table("values", {
            "evidence_index": pc.add(reading, self.first_index), "evidence_id": repeated(ids, reading),
            "value_index": vals["value_index"], "code": vals["code"],
            "value_type": pa.DictionaryArray.from_arrays(pa.array(np_ones(m), type=pa.int8()),
                                                         pa.array(["boolean", "integer", "number", "string"])),
            "value_int": vals["value"], "label": vals["label"],
            "scale_min_int": vals["scale_min"], "scale_max_int": vals["scale_max"],
        }, m)
        subjects = table("subjects", {"evidence_index": index, "evidence_id": ids,
                                      "subject_type": constant("person", n), "subject_id": ev["person"]}, n)
        prov = {key: constant(value, n) for key, value in self.provenance.items()}
        provenance = table("provenance", {"evidence_index": index, "evidence_id": ids, **prov, "row": ev["row"]}, n)
        return {"evidence": evidence, "values": values, "subjects": subjects, "provenance": provenance}


def _firsts(group: Any, groups: int) -> tuple[Any, Any]:
    """The first position of each group code (0 … *groups* - 1) in *group*, and how many times each occurs."""
    import numpy as np

    first = np.empty(groups, dtype=np.int64)
    first[group[::-1]] = np.arange(len(group) - 1, -1, -1, dtype=np.int64)  # the last write is the first place
    return first, np.bincount(group, minlength=groups)


def np_arange(start: int, stop: int) -> Any:
    """``numpy.arange`` of int64 (numpy comes with pyarrow)."""
    import numpy as np

    return np.arange(start, stop, dtype=np.int64)


def np_zeros(length: int) -> Any:
    import numpy as np

    return np.zeros(length, dtype=np.int32)


def np_ones(length: int) -> Any:
    import numpy as np

    return np.ones(length, dtype=np.int8)


class ColumnarStarReader(ReadingStream):
    """
    A Star export read into `StarTables` batches; problems and coverage as the object reader's.

    Iterate `batches` for the tables; `problems` then holds the problems outside every batch
    (the header's, and the gathered warnings, which come after the rows), `counter` the coverage.
    """

    chunk_bytes: int = CHUNK_BYTES

    def __init__(self, source: Any, **options: Any) -> None:
        super().__init__(source, **options)
        self._source = source
        self._recording: list[tuple[int, list[Cell], set[int] | None]] | None = None
        self._account_mark = 0
        self._person_index = HashIndex()  # (person, Star) -> the first edition (its number) and row of their readings
        self._people_waiting: list[Any] = []  # chunks' people not indexed yet, packed (see `_mixed`)
        self._star_editions: dict[str, set[str]] = {}  # the editions of each Star met so far
        self._edition_names: list[str] = []  # the editions met, by number
        self._code_numbers: dict[str, int] = {}  # the area codes met, by number (for `value_hashes`)
        self._dates: dict[str, Any] = {}  # date cells read so far -> the date (None when not a date up to today)
        self._id_index = HashIndex(packed=True)  # the evidence ids given once so far -> the row and `reading_hashes` of it
        self._evidence_index = 0

    def _edition_number(self, name: str) -> int:
        """The number of an edition's name (``"4"``) in `_edition_names`."""
        if name not in self._edition_names:
            self._edition_names.append(name)
        return self._edition_names.index(name)

    def _code_number(self, code: str) -> int:
        """The number of an area code, the same in every chunk."""
        return self._code_numbers.setdefault(code, len(self._code_numbers))

    # -- the object reader's accounting, deferred while a row may still turn out a duplicate ------

    def _account(self, number: int, cells: list[Cell], read: set[int] | None) -> None:
        if self._recording is None:
            super()._account(number, cells, read)
            return
        if not self._recording:
            self._account_mark = len(self.problems)  # the row's later problems follow its checks across rows
        self._recording.append((number, cells, read))
        counter, self.counter = self.counter, _NO_COUNT  # type: ignore[assignment]
        try:
            super()._account(number, cells, read)  # its problems now, in row order; the counts once it is known
        finally:
            self.counter = counter

    # -- batches ----------------------------------------------------------------------------------

    def batches(self) -> Iterator[StarTables]:
        """The readings in batches, in row order; the header's problems come with the first."""
        header_problems = self.problems
        self.problems = []
        first = True
        for batch in self._batches():
            if first:  # the header's problems, and the edition's (a column it lacks) found before the first row
                batch.problems[:0] = [*header_problems, *self.problems]
                self.problems = []
                first = False
            yield batch
        if first:
            self.problems[:0] = header_problems
        self.finish()

    def _batches(self) -> Iterator[StarTables]:
        path = Path(self._source) if isinstance(self._source, str | Path) else None
        offset = data_offset(path, self.header_row) if path is not None and self.sheet is None and not self.long \
            else None
        if offset is None:
            yield from self._object_batches()
            return
        assert path is not None
        self._rows.close()  # type: ignore[attr-defined]  # the csv reader: the chunks read the rest
        handle = _open_text(path, self.file)
        try:
            sample = handle.read(8192)
            encoding = str(getattr(handle, "encoding", "utf-8-sig"))
        finally:
            handle.close()
        counts = {d: sample.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","
        self._start()
        chunks = iter_chunks(path, offset=offset, first_row=self.header_row + 1, width=len(self.headers),
                             delimiter=delimiter, encoding=encoding, name=self.file, purpose=_PURPOSE,
                             unquote_formulas=True, chunk_bytes=self.chunk_bytes)
        for chunk in read_ahead(chunks):
            batch = self._chunk(chunk)
            if batch is not None:
                yield batch

    def _object_batches(self) -> Iterator[StarTables]:
        """XLSX, long layout, or a file object: the object reader's evidence, as tables."""
        evidence = list(ReadingStream.__iter__(self))
        tail = self.problems  # the rows' problems and the gathered warnings (finish() has run)
        self.problems = []
        yield self._from_dicts(evidence, tail)

    def _provenance_constant(self) -> dict[str, Any]:
        provenance = self._provenance(0)
        provenance.pop("row")
        return provenance

    def _from_dicts(self, evidence: list[dict[str, Any]], problems: list[Problem]) -> StarTables:
        columns: dict[str, list[Any]] = {k: [] for k in ("row", "id", "person", "date", "instrument",
                                                         "extension_data")}
        values: dict[str, list[Any]] = {k: [] for k in ("reading", "value_index", "code", "label", "value",
                                                         "scale_min", "scale_max")}
        for position, item in enumerate(evidence):
            columns["row"].append(item["provenance"]["row"])
            columns["id"].append(item["id"])
            columns["person"].append(item["subject"]["id"])
            columns["date"].append(item["date"])
            columns["instrument"].append(item["instrument"])
            columns["extension_data"].append(json.dumps({EXTENSION: item["extension_data"][EXTENSION]},
                                                        ensure_ascii=False, separators=(",", ":")))
            for j, value in enumerate(item["values"]):
                values["reading"].append(position)
                values["value_index"].append(j)
                for key in ("code", "label", "value", "scale_min", "scale_max"):
                    values[key].append(value[key])
        batch = StarTables(_arrays(columns), _arrays(values), problems, first_index=self._evidence_index,
                           provenance=self._provenance_constant(), organisation_id=self.organisation_id)
        self._evidence_index += len(evidence)
        return batch

    # -- one chunk ------------------------------------------------------------------------------

    def _start(self) -> None:
        """What the object reader's fast path does before the first row: the plan of a fixed edition."""
        fixed = self._fixed or self._header_edition
        if fixed is not None:
            self._plan(fixed)
        self._key_columns = [self.roles[role] for role in ("star", "edition") if role in self.roles]
        self._keys_seen: set[tuple[str, ...]] = set()

    def _chunk(self, chunk: ParsedChunk) -> StarTables | None:
        pa = require("pyarrow", extra="columnar", purpose=_PURPOSE)
        columns = [c if chunk.arrow else pa.array(c, type=pa.string()) for c in chunk.columns]
        n = chunk.rows
        if n == 0:
            return None
        return _Classified(self, columns, chunk).run()


class _Classified:
    """The rows of one chunk: which are clean (converted on columns), and the rest (the general path)."""

    def __init__(self, reader: ColumnarStarReader, columns: list[Any], chunk: ParsedChunk) -> None:
        import numpy as np
        pa = require("pyarrow", extra="columnar", purpose=_PURPOSE)
        pc = require("pyarrow.compute", extra="columnar", purpose=_PURPOSE)

        self.np, self.pa, self.pc = np, pa, pc
        self.reader, self.columns, self.chunk = reader, columns, chunk
        self.n = chunk.rows
        roles = reader.roles
        self.person_raw = columns[roles["person"]]
        self.date_raw = columns[roles["date"]]

    # -- per distinct value ---------------------------------------------------------------------------

    def _per_unique(self, array: Any, function: Any) -> tuple[list[Any], Any]:
        """(the function's result for each distinct value, the index of each row's value)."""
        encoded = self.pc.dictionary_encode(array)
        return [function(u) for u in encoded.dictionary.to_pylist()], encoded.indices.to_numpy(zero_copy_only=False)

    def _persons(self) -> tuple[Any, Any, Any]:
        """
        Each distinct service-user id (Arrow), whether it is clean as the fast path means it (numpy), and each row's.

        A plain id (no space, nothing to strip, not CHI/NHS-like) is judged on the column; only
        the others are looked at one by one.
        """
        np, pa, pc = self.np, self.pa, self.pc
        encoded = pc.dictionary_encode(self.person_raw)
        distinct = encoded.dictionary
        plain = pc.match_substring_regex(distinct, r"^[A-Za-z0-9_.:/#-]+$").to_numpy(zero_copy_only=False)
        health = pc.and_(pc.match_substring_regex(distinct, r"^[0-9-]*[0-9][0-9-]*$"),
                         pc.is_in(pc.utf8_length(distinct), value_set=pa.array([10, 12], type=pa.int32())))
        ok = plain & ~health.to_numpy(zero_copy_only=False)
        others = np.flatnonzero(~plain).tolist()
        if others:
            texts = distinct.to_pylist()
            for g in others:
                texts[g] = texts[g].strip()
                ok[g] = _clean_person(texts[g])
            distinct = pa.array(texts, type=pa.string())
        return distinct, ok, encoded.indices.to_numpy(zero_copy_only=False)

    def run(self) -> StarTables:
        np = self.np
        reader, n = self.reader, self.n
        non_empty = [filled_mask(np, c) for c in self.columns]
        filled = np.zeros(n, dtype=np.int64)
        for mask in non_empty:
            filled += mask
        persons, ok, person_index = self._persons()
        person_ok = ok[person_index] if len(ok) else np.zeros(n, bool)

        dates, date_index = self._per_unique(self.date_raw, self._date_of)
        date_ok = np.array([d is not None for d in dates], dtype=bool)[date_index] if dates else np.zeros(n, bool)
        eligible = person_ok & date_ok & (filled > 0)
        personal = list(reader._personal)
        self.withheld = np.zeros(n, dtype=np.int64)
        for col in personal:
            self.withheld += non_empty[col]
        if self.chunk.ragged:  # as the fast path: a row too short, or with something beyond the header, is not clean
            width = len(reader.headers)
            needed = max([*reader._taken, *reader._score_columns, *personal]) + 1
            for index, cells in self.chunk.ragged.items():
                if len(cells) < needed or any(cells[width:]):
                    eligible[index] = False
        clean, key_index, key_values, scores_by_plan = self._by_plan(eligible, non_empty, dates, date_index)
        first_lookup = self._first_lookups(eligible, key_index, key_values)
        general_rows = np.flatnonzero(~clean & (filled > 0))
        events = sorted({*map(int, general_rows), *first_lookup})
        return self._assemble(events, set(map(int, general_rows)), first_lookup, clean=clean, persons=persons,
                              person_index=person_index, dates=dates, date_index=date_index, key_index=key_index,
                              plans=self.plans, scores_by_plan=scores_by_plan, filled=filled, personal=personal)

    def _date_of(self, raw: str) -> Any:
        """A date cell as the fast path reads it: the date, or None when it is not a date up to today."""
        known = self.reader._dates
        if raw in known:
            return known[raw]
        parsed = parse_date(raw) if raw else None
        found = None if parsed is None or parsed > self.reader.today else parsed
        if len(known) < 65536:  # bounded: a file has few distinct dates
            known[raw] = found
        return found

    def _by_plan(self, eligible: Any, non_empty: list[Any], dates: list[Any],
                 date_index: Any) -> tuple[Any, Any, list[Any], dict[int, list[Any]]]:
        """
        The clean rows, each row's edition key, the keys, and the scores of each edition's rows.

        The edition of each key is found without reporting (the report comes at the row where the
        object reader finds it).
        """
        np, pc = self.np, self.pc
        reader, n = self.reader, self.n
        key_columns = reader._key_columns
        fixed = reader._fixed or reader._header_edition
        if fixed is not None or not key_columns:
            key_index = np.zeros(n, dtype=np.int64)
            key_values: list[tuple[str, ...]] = [()]
        else:
            joined = pc.binary_join_element_wise(*[self.columns[c] for c in key_columns], _NUL)
            key_values, key_index = self._per_unique(joined, lambda s: tuple(s.split(_NUL)))
        editions = [fixed if fixed is not None else self._silent_edition(key) for key in key_values]
        plan_of_key = [None if e is None else self._silent_plan(e) for e in editions]
        self.plans = plan_of_key
        clean = eligible.copy()
        scores_by_plan: dict[int, list[Any]] = {}
        for k, plan in enumerate(plan_of_key):
            rows_k = key_index == k
            if plan is None:
                clean[rows_k] = False
                continue
            edition, area_columns, extras, released = plan
            ok = rows_k & clean
            if released is not None:
                released_ok = np.array([d is not None and d >= released for d in dates], dtype=bool)
                ok &= released_ok[date_index] if dates else ok
            for col in extras:
                ok &= ~non_empty[col]
            scores = []
            for col, _area in area_columns:
                score = scale_scores(np, self.columns[col], edition.scale_min, edition.scale_max)
                ok &= score >= 0
                scores.append(score)
            scores_by_plan[k] = scores
            clean[rows_k] = ok[rows_k]
        return clean, key_index, key_values, scores_by_plan

    def _first_lookups(self, eligible: Any, key_index: Any, key_values: list[Any]) -> dict[int, int]:
        """The first eligible row of each edition key not met before: where the fast path looks the edition up."""
        np, reader = self.np, self.reader
        first_lookup: dict[int, int] = {}
        if not (reader._fixed or reader._header_edition) and reader._key_columns:
            seen = reader._keys_seen
            eligible_rows = np.flatnonzero(eligible)
            keys_of_eligible = key_index[eligible_rows]
            _, first_positions = np.unique(keys_of_eligible, return_index=True)
            for position in first_positions:
                row = int(eligible_rows[position])
                key = key_values[int(key_index[row])]
                if key not in seen:
                    seen.add(key)
                    first_lookup[row] = int(key_index[row])
        return first_lookup

    # -- the edition of a key, without reporting ------------------------------------------------------

    def _silent_edition(self, key: tuple[str, ...]) -> StarEdition | None:
        reader = self.reader
        cells: list[Cell] = [""] * len(reader.headers)
        for col, text in zip(reader._key_columns, key, strict=True):
            cells[col] = text
        problems, cache, plans = reader.problems, dict(reader._edition_cache), dict(reader._plans)
        reader.problems = []
        try:
            return reader._edition_of(cells, 0)
        finally:
            reader.problems, reader._edition_cache, reader._plans = problems, cache, plans

    def _silent_plan(self, edition: StarEdition) -> tuple[StarEdition, list[tuple[int, Any]], list[int], Any]:
        reader = self.reader
        problems, plans = reader.problems, dict(reader._plans)
        reader.problems = []
        try:
            columns, _, extras = reader._plan(edition)
        finally:
            reader.problems, reader._plans = problems, plans
        return edition, [(col, area) for col, area, _ in columns], list(extras), reader._release(edition)

    # -- the batch ------------------------------------------------------------------------------------

    def _cells(self, index: int) -> list[Cell]:
        ragged = self.chunk.ragged.get(index)
        if ragged is not None:
            return list(ragged)
        return [c[index].as_py() for c in self.columns]

    def _general(self, events: list[int], general: set[int], first_lookup: dict[int, int]) -> dict[int, Any]:
        """The rows of the general path and the first look-up of each edition key, in row order, recorded."""
        reader = self.reader
        first_row = self.chunk.first_row
        recorded: dict[int, tuple[Any, ...]] = {}
        tally, checks = reader.tally, reader.cross_row_checks
        reader.cross_row_checks = False  # the checks across rows are made for every row below
        try:
            for index in events:
                number = first_row + index
                cells = self._cells(index)
                start = len(reader.problems)
                recorder = _Recorder()
                reader.tally = recorder  # type: ignore[assignment]
                accounts: list[tuple[int, list[Cell], set[int] | None]] = []
                reader._recording = accounts
                reader._account_mark = -1
                evidence = None
                if index in first_lookup:
                    found = reader._edition_of(cells, number)
                    if found is not None:
                        reader._plan(found)
                if index in general:
                    readings = reader.readings
                    evidence = reader._wide_row(number, cells)
                    reader.readings = readings
                mark = len(reader.problems) if reader._account_mark < 0 else reader._account_mark
                recorded[index] = (reader.problems[start:mark], recorder.notes, accounts, evidence,
                                   reader.problems[mark:])
                del reader.problems[start:]
                reader._recording = None
                if evidence is None:  # not converted: its accounting cannot change
                    for row, row_cells, read in accounts:
                        reader._account(row, row_cells, read)
        finally:
            reader.tally = tally
            reader._recording = None
            reader.cross_row_checks = checks
        return recorded

    def _assemble(self, events: list[int], general: set[int], first_lookup: dict[int, int], *, clean: Any,
                  persons: Any, person_index: Any, dates: list[Any], date_index: Any, key_index: Any,
                  plans: list[Any], scores_by_plan: dict[int, list[Any]], filled: Any,
                  personal: list[int]) -> StarTables:
        np, pa, pc = self.np, self.pa, self.pc
        reader = self.reader
        first_row = self.chunk.first_row
        recorded = self._general(events, general, first_lookup)
        parts = self._clean_parts(clean=clean, key_index=key_index, plans=plans, scores_by_plan=scores_by_plan,
                                  persons=persons, person_index=person_index, dates=dates, date_index=date_index)
        parts += self._general_parts(recorded)
        problems: list[Problem] = []
        if not parts:
            self._replay_all(recorded, {}, problems)
            return self._batch(np.zeros(0, dtype=np.int64), [], {}, problems)
        idx = np.concatenate([part["idx"] for part in parts])
        order = np.argsort(idx, kind="stable")
        idx = idx[order]
        take = None if len(parts) == 1 else pa.array(order)  # one part is in row order already

        def in_order(name: str) -> Any:
            arrays = [part[name] for part in parts]
            return arrays[0] if take is None else pa.concat_arrays(arrays).take(take)

        person, iso, extension, suffix = (in_order(name) for name in ("person", "iso", "extension", "suffix"))
        numbers = idx + first_row
        base = pc.binary_join_element_wise("star-", person, "-", iso, suffix, "")
        keep = np.ones(len(idx), dtype=bool)
        cross: dict[int, list[Any]] = {}
        ids = base
        if reader.cross_row_checks:
            counts = np.concatenate([part["count"] for part in parts])[order]
            hashed = np.concatenate([part["values_hash"] for part in parts])[order]
            whole = reading_hashes({"person": person, "date": iso, "extension": extension, "count": counts,
                                    "values": hashed})
            keep, ids = self._repeats(idx, numbers, base, whole, cross)
            codes, editions = self._row_editions(parts, order)
            everything = bool(keep.all())
            self._mixed(idx if everything else idx[keep], numbers if everything else numbers[keep],
                        person if everything else person.filter(pa.array(keep)),
                        codes if everything else codes[keep], editions=editions, cross=cross)
        self._replay_all(recorded, cross, problems)
        return self._finish(parts, order, idx, keep=keep, ids=ids, person=person, iso=iso, extension=extension,
                            numbers=numbers, recorded=recorded, filled=filled, problems=problems)

    def _clean_parts(self, *, clean: Any, key_index: Any, plans: list[Any], scores_by_plan: dict[int, list[Any]],
                     persons: Any, person_index: Any, dates: list[Any], date_index: Any) -> list[dict[str, Any]]:
        """The clean rows of each edition, as columns: id parts, metadata as JSON text, scores."""
        np, pa = self.np, self.pa
        reader = self.reader
        string = pa.string()
        person_text = persons
        iso_text = pa.array([None if d is None else d.isoformat() for d in dates], type=string)
        meta = []
        for role, col in reader._meta:
            values, index = self._per_unique(self.columns[col], lambda raw, role=role: _meta_fragment(role, raw))
            meta.append((role, pa.array([f for f, _ in values], type=string),
                         pa.array([x for _, x in values], type=string), index, [f for f, _ in values]))
        # the converted rows: the clean ones of each edition, then those of the general path
        parts: list[dict[str, Any]] = []
        for k, scores in scores_by_plan.items():
            rows = np.flatnonzero(clean & (key_index == k))
            if not len(rows):
                continue
            edition, area_columns, _, _ = plans[k]
            suffix = next((sfx.take(pa.array(index[rows])) for role, _, sfx, index, _ in meta
                           if role == "reading_number"), None)
            head = f'{{"{EXTENSION}":' + _extension(edition, [])[:-1]  # the whole extension_data, as JSON text
            part_scores = [s[rows] for s in scores]
            if reader.cross_row_checks:
                numbered = np.array([reader._code_number(area.code) for _, area in area_columns], dtype=np.int64)
                hashed = value_hashes(np, np.broadcast_to(numbered, (len(rows), len(numbered))),
                                      np.stack(part_scores, axis=1))
            parts.append({
                "idx": rows, "person": person_text.take(pa.array(person_index[rows])),
                "iso": iso_text.take(pa.array(date_index[rows])),
                "extension": self._extensions(head, meta, rows),
                "suffix": suffix if suffix is not None else constant_text(pa, "", len(rows)),
                "count": np.full(len(rows), len(area_columns), dtype=np.int64),
                "values_hash": hashed if reader.cross_row_checks else None,
                "k": k, "scores": part_scores, "edition": edition,
            })
        return parts

    def _extensions(self, head: str, meta: list[Any], rows: Any) -> Any:
        """
        The ``extension_data`` text of each of *rows*: *head*, the members of its metadata cells, and ``}}``.

        A chunk has few distinct combinations of metadata (reading number, worker, service,
        status …): each is written once, in Python, and taken for its rows; a join over every row
        is only made when most rows differ.
        """
        np, pa, pc = self.np, self.pa, self.pc
        if not meta:
            return constant_text(pa, head + "}}", len(rows))
        places = [index[rows] for _, _, _, index, _ in meta]
        sizes = [len(texts) for _, _, _, _, texts in meta]
        if float(np.prod(np.array(sizes, dtype=np.float64))) < 2.0 ** 62:
            code = np.zeros(len(rows), dtype=np.int64)
            for place, size in zip(places, sizes, strict=True):
                code = code * size + place
            combinations, inverse = np.unique(code, return_inverse=True)
            if 4 * len(combinations) <= len(rows):
                columns = []
                for size in reversed(sizes):  # the place of each member in each combination, last first
                    columns.append((combinations % size).tolist())
                    combinations = combinations // size
                members = [texts for _, _, _, _, texts in meta]
                written = [head + "".join(m[p] for m, p in zip(members, combination, strict=True)) + "}}"
                           for combination in zip(*reversed(columns), strict=True)]
                return pa.array(written, type=pa.string()).take(pa.array(inverse.reshape(-1)))
        fragments = [text.take(pa.array(place)) for (_, text, _, _, _), place in zip(meta, places, strict=True)]
        return pc.binary_join_element_wise(head, *fragments, "}}", "")

    def _general_parts(self, recorded: dict[int, Any]) -> list[dict[str, Any]]:
        """The rows the general path converted, as the same columns."""
        np, pa = self.np, self.pa
        string = pa.string()
        parts: list[dict[str, Any]] = []
        general_items = sorted((i, r[3]) for i, r in recorded.items() if r[3] is not None)
        if general_items:
            items = [e for _, e in general_items]
            metas = [e["extension_data"][EXTENSION] for e in items]
            parts.append({
                "idx": np.array([i for i, _ in general_items], dtype=np.int64),
                "person": pa.array([e["subject"]["id"] for e in items], type=string),
                "iso": pa.array([e["date"] for e in items], type=string),
                "extension": pa.array([json.dumps({EXTENSION: m}, ensure_ascii=False, separators=(",", ":"))
                                       for m in metas], type=string),
                "suffix": pa.array([reading_id_suffix(m.get("reading_number")) for m in metas], type=string),
                "count": np.array([len(e["values"]) for e in items], dtype=np.int64),
                "values_hash": self._values_hashes(items),
                "k": -1, "items": items,
            })
        return parts

    def _row_editions(self, parts: list[dict[str, Any]], order: Any) -> tuple[Any, list[tuple[str, str, str]]]:
        """The edition of each converted row in row order (an index into the list of (star id, edition, Star name))."""
        np = self.np
        known: dict[tuple[str, str, str], int] = {}
        codes: list[Any] = []
        for part in parts:
            if part["k"] >= 0:
                edition = part["edition"]
                key = (edition.id, edition.edition, edition.name)
                codes.append(np.full(len(part["idx"]), known.setdefault(key, len(known)), dtype=np.int64))
            else:
                row_codes = []
                for item in part["items"]:
                    meta = item["extension_data"][EXTENSION]
                    key = (meta["star"], meta["edition"], self._edition_named(item["instrument"], meta).name)
                    row_codes.append(known.setdefault(key, len(known)))
                codes.append(np.array(row_codes, dtype=np.int64))
        return np.concatenate(codes)[order], list(known)

    def _edition_named(self, instrument: str, meta: Mapping[str, Any]) -> StarEdition:
        for edition in self.reader.registry:
            if edition.instrument == instrument:
                return edition
        return self.reader.registry.get(meta["star"], meta["edition"])

    def _values_hashes(self, items: list[dict[str, Any]]) -> Any:
        """`value_hashes` of readings the general path converted (grouped by how many values they have)."""
        np = self.np
        reader = self.reader
        out = np.zeros(len(items), dtype=np.uint64)
        widths: dict[int, list[int]] = {}
        for position, item in enumerate(items):
            widths.setdefault(len(item["values"]), []).append(position)
        for width, positions in widths.items():
            codes = np.array([[reader._code_number(v["code"]) for v in items[p]["values"]] for p in positions],
                             dtype=np.int64).reshape(len(positions), width)
            values = np.array([[v["value"] for v in items[p]["values"]] for p in positions],
                              dtype=np.int64).reshape(len(positions), width)
            out[positions] = value_hashes(np, codes, values)
        return out

    def _repeats(self, idx: Any, numbers: Any, base: Any, whole: Any, cross: dict[int, list[Any]]) -> tuple[Any, Any]:
        """
        Which rows are not exact repeats of an earlier reading, and the evidence ids (``-2``, ``-3`` … on a repeat).

        Both can only happen to readings whose id (person, date, reading number) comes back, so
        only those rows are checked one by one, with the object reader's own logic and state
        (a reading compared by *whole*, its `reading_hashes`); the ids met once are kept, by
        hash, in `HashIndex` for the chunks to come.
        """
        np, pa, pc = self.np, self.pa, self.pc
        reader = self.reader
        encoded = pc.dictionary_encode(base)
        group = encoded.indices.to_numpy(zero_copy_only=False)
        distinct = encoded.dictionary
        first, count = _firsts(group, len(distinct))
        state = reader._id_index
        hashes = text_hashes(distinct)
        before = state.find(hashes, distinct)  # the place of each distinct id among those met before, or -1
        candidate = (count > 1) | (before >= 0)
        keep = np.ones(len(idx), dtype=bool)
        ids = base
        if candidate.any():
            seen, counts = reader._seen, reader._ids
            for g in np.flatnonzero(candidate & (before >= 0)).tolist():
                text = distinct[g].as_py()
                if text not in counts:  # an id met once before comes back: its first reading joins the checks
                    counts[text] = 1
                    row, first_whole = state.data(int(before[g]))
                    seen[first_whole] = row
            rows = np.flatnonzero(candidate[group])
            id_list = base.to_pylist()
            for position, key, text in zip(rows.tolist(), whole[rows].view(np.int64).tolist(),
                                           base.take(pa.array(rows)).to_pylist(), strict=True):
                number = int(numbers[position])
                earlier = seen.get(key)
                if earlier is not None:
                    keep[position] = False
                    cross.setdefault(int(idx[position]), []).append(("note", (
                        "star.duplicate-reading", "exact", number,
                        f"row {number} repeats the reading in row {earlier} exactly; it is converted once"),
                        {"plural": "rows repeat an earlier reading exactly; each is converted once"}))
                    continue
                seen[key] = number
                times = counts.get(text, 0) + 1
                counts[text] = times
                if times > 1:
                    id_list[position] = f"{text}-{times}"
            ids = pa.array(id_list, type=pa.string())
        new = np.flatnonzero(before < 0)
        if len(new):
            rows_new = first[new]
            state.add(hashes[new], distinct.take(pa.array(new)), numbers[rows_new], whole[rows_new].view(np.int64))
        return keep, ids if bool(keep.all()) else ids.filter(pa.array(keep))

    def _mixed(self, idx: Any, numbers: Any, person: Any, edition_codes: Any, *,
               editions: list[tuple[str, str, str]], cross: dict[int, list[Any]]) -> None:
        """People with readings on two editions of a Star: the object reader's warning, at the same rows."""
        np, pa, pc = self.np, self.pa, self.pc
        reader = self.reader
        names = [edition for _, edition, _ in editions]
        numbered = np.array([reader._edition_number(name) for name in names], dtype=np.int64)
        stars = pa.array([star for star, _, _ in editions], type=pa.string()).take(pa.array(edition_codes))
        encoded = pc.dictionary_encode(pc.binary_join_element_wise(person, stars, _NUL))
        group = encoded.indices.to_numpy(zero_copy_only=False)
        keys = encoded.dictionary
        first, _ = _firsts(group, len(keys))
        first_code = edition_codes[first]  # the edition of each person's first reading in this chunk
        for code in np.unique(edition_codes).tolist():
            reader._star_editions.setdefault(editions[code][0], set()).add(editions[code][1])
        if all(len(found) == 1 for found in reader._star_editions.values()):
            # one edition of each Star so far: nobody can be on two, and the people wait to be indexed
            reader._people_waiting.append(pack(keys, numbered[first_code], numbers[first]))
            return
        state = reader._person_index
        for waiting in reader._people_waiting:  # a second edition: the people of earlier chunks, as if indexed then
            keys_then, editions_then, rows_then = unpack(waiting)
            self._index_people(keys_then, editions_then.to_numpy(), rows_then.to_numpy())
        reader._people_waiting.clear()
        hashes = text_hashes(keys)
        prior = state.find(hashes, keys)  # where each (person, Star) met in an earlier chunk is, or -1
        seen = prior >= 0
        suspect = np.zeros(len(keys), dtype=bool)
        earlier: dict[int, tuple[str, int]] = {}
        for g in np.flatnonzero(seen).tolist():  # people whose readings began in an earlier chunk (few)
            name_number, row = state.data(int(prior[g]))
            earlier[g] = (reader._edition_names[name_number], row)
            suspect[g] = earlier[g][0] != names[int(first_code[g])]
        suspect[group[edition_codes != first_code[group]]] = True  # two editions within this chunk
        new = np.flatnonzero(~seen)
        if len(new):
            state.add(hashes[new], keys.take(pa.array(new)), numbered[first_code[new]], numbers[first[new]])
        if not suspect.any():
            return
        flagged = self.reader._flagged_mixed
        persons = person.to_pylist()
        for position in np.flatnonzero(suspect[group]).tolist():
            star, edition, name = editions[int(edition_codes[position])]
            who, number = persons[position], int(numbers[position])
            g = int(group[position])
            first_seen = earlier.get(g) or (names[int(first_code[g])], int(numbers[first[g]]))
            if first_seen[0] != edition and (who, star, edition) not in flagged:
                flagged.add((who, star, edition))
                cross.setdefault(int(idx[position]), []).append(("problem", Problem(
                    rule="star.mixed-editions", severity="warning", path="$",
                    message=f"service user {shown(who)} has readings on edition {first_seen[0]} (row {first_seen[1]}) "
                            f"and edition {edition} (row {number}) of the {name}; change is only measured between "
                            "readings of one edition", source=self.reader._loc(number), value=edition)))

    def _index_people(self, keys: Any, editions: Any, rows: Any) -> None:
        """Add the (person, Star) keys of a chunk not met before to the reader's index, with their first edition and row."""
        np, pa = self.np, self.pa
        state = self.reader._person_index
        hashes = text_hashes(keys)
        new = np.flatnonzero(state.find(hashes, keys) < 0)
        if len(new):
            state.add(hashes[new], keys.take(pa.array(new)), editions[new], rows[new])

    def _replay_all(self, recorded: dict[int, Any], cross: dict[int, list[Any]], problems: list[Problem]) -> None:
        tally = self.reader.tally
        for index in sorted({*recorded, *cross}):
            record = recorded.get(index)
            if record is not None:
                problems.extend(record[0])
                for args, kwargs in record[1]:
                    tally.note(*args, **kwargs)
            for kind, *payload in cross.get(index, ()):
                if kind == "note":
                    args, kwargs = payload
                    tally.note(*args, **kwargs)
                else:
                    problems.append(payload[0])
            if record is not None:
                problems.extend(record[4])  # what its accounting found (a value beyond the header)

    def _finish(self, parts: list[dict[str, Any]], order: Any, idx: Any, *, keep: Any, ids: Any, person: Any,
                iso: Any, extension: Any, numbers: Any, recorded: dict[int, Any], filled: Any,
                problems: list[Problem]) -> StarTables:
        """The batch's arrays, the accounting of its rows, and its readings counted."""
        np, pa = self.np, self.pa
        reader = self.reader
        # where each converted row ends up (-1 when it repeats an earlier reading)
        position_sorted = np.full(len(idx), -1, dtype=np.int64)
        position_sorted[keep] = np.arange(int(keep.sum()), dtype=np.int64)
        position = np.empty(len(idx), dtype=np.int64)
        position[order] = position_sorted  # by the concatenated parts' order
        per_row = np.concatenate([np.full(len(part["idx"]), len(part["scores"]), dtype=np.int64) if part["k"] >= 0
                                  else np.array([len(e["values"]) for e in part["items"]], dtype=np.int64)
                                  for part in parts])  # values of each row, in the parts' order
        kept_counts = per_row[order][keep]
        offsets = np.zeros(len(kept_counts) + 1, dtype=np.int64)
        np.cumsum(kept_counts, out=offsets[1:])
        total = int(offsets[-1])
        writes: list[tuple[Any, ...]] = []  # what fills the values table, in order (done with the tables, later)
        at = 0
        fields = scores_read = withheld_total = 0
        for part in parts:
            n = len(part["idx"])
            where = position[at:at + n]
            at += n
            alive = where >= 0
            rows_alive = where[alive]
            if part["k"] >= 0:
                edition = part["edition"]
                plan_areas = self.plan_areas(part["k"])
                width = len(plan_areas)
                writes.append(("block", rows_alive, offsets[rows_alive], part["scores"], alive, edition, plan_areas))
                chunk_rows = part["idx"][alive]
                withheld = self.withheld[chunk_rows]
                fields += int((filled[chunk_rows] - withheld).sum()) - width * len(chunk_rows)
                scores_read += width * len(chunk_rows)
                withheld_total += int(withheld.sum())
                for index in part["idx"][~alive].tolist():
                    reader._account(self.chunk.first_row + index, self._cells(index), None)
            else:
                for item, slot_row, index in zip(part["items"], where.tolist(), part["idx"].tolist(), strict=True):
                    accounts = recorded[index][2]
                    for row, row_cells, read in accounts:
                        reader._account(row, row_cells, read if slot_row >= 0 else None)
                    if slot_row >= 0:
                        writes.append(("one", slot_row, int(offsets[slot_row]), item["values"]))
        if scores_read:
            reader.counter.read(reader._part(GROUPS["fields"]), fields)
            reader.counter.read(reader._part(GROUPS["scores"]), scores_read)
            reader.counter.not_read(reader._part(GROUPS["personal"]), withheld_total)
        everything = bool(keep.all())
        mask = pa.array(keep)

        def kept(array: Any) -> Any:
            return array if everything else array.filter(mask)

        evidence = {"row": pa.array(numbers if everything else numbers[keep], type=pa.int64()), "id": ids,
                    "person": kept(person), "date": kept(iso), "instrument": kept(self._instruments(parts, order)),
                    "extension_data": kept(extension)}

        def values() -> dict[str, Any]:
            out = ValueColumns(np, total)
            for kind, *write in writes:
                if kind == "block":
                    rows, starts, scores, alive, edition, areas = write
                    out.block(rows, starts, [s[alive] for s in scores], low=edition.scale_min, high=edition.scale_max,
                              codes=[out.code_of(area.code, area.label) for area in areas])
                else:
                    out.one(*write)
            return out.arrays(pa)

        reader.readings += int(keep.sum())
        batch = StarTables(evidence, values, problems, first_index=reader._evidence_index,
                           provenance=reader._provenance_constant(), organisation_id=reader.organisation_id)
        reader._evidence_index += int(keep.sum())
        return batch

    def plan_areas(self, k: int) -> list[Any]:
        plan = self.plans[k]
        assert plan is not None
        return [area for _, area in plan[1]]

    def _instruments(self, parts: list[dict[str, Any]], order: Any) -> Any:
        pa = self.pa
        arrays = []
        for part in parts:
            if part["k"] >= 0:
                arrays.append(constant_text(pa, part["edition"].instrument, len(part["idx"])))
            else:
                arrays.append(pa.array([e["instrument"] for e in part["items"]], type=pa.string()))
        return arrays[0] if len(arrays) == 1 else pa.concat_arrays(arrays).take(pa.array(order))

    def _batch(self, idx: Any, parts: list[Any], recorded: dict[int, Any], problems: list[Problem]) -> StarTables:
        reader = self.reader
        empty: dict[str, list[Any]] = {k: [] for k in ("row", "id", "person", "date", "instrument",
                                                       "extension_data")}
        values: dict[str, list[Any]] = {k: [] for k in ("reading", "value_index", "code", "label", "value",
                                                         "scale_min", "scale_max")}
        return StarTables(_arrays(empty), _arrays(values), problems, first_index=reader._evidence_index,
                          provenance=reader._provenance_constant(), organisation_id=reader.organisation_id)


_TYPES: Final = {"row": "int64", "reading": "int64", "value_index": "int64", "value": "int64", "scale_min": "int64",
                  "scale_max": "int64"}


def _arrays(columns: Mapping[str, list[Any]]) -> dict[str, Any]:
    """Lists as Arrow arrays: the integer columns as int64, the others as strings."""
    pa = require("pyarrow", extra="columnar", purpose=_PURPOSE)

    return {name: pa.array(values, type=pa.int64() if name in _TYPES else pa.string())
            for name, values in columns.items()}


def _meta_fragment(role: str, raw: str) -> tuple[str, str]:
    """(the JSON member of a metadata cell, or "" when it is empty; what a reading number adds to the id)."""
    if not raw:
        return "", ""
    value = meta_value(role, raw)
    if value == "":
        return "", ""
    member = f",{json.dumps(role)}:{json.dumps(value, ensure_ascii=False)}"
    return member, reading_id_suffix(value) if role == "reading_number" else ""


def _extension(edition: StarEdition, fragments: list[tuple[str, str]]) -> str:
    head = f'{{"star":{json.dumps(edition.id, ensure_ascii=False)},"edition":{json.dumps(edition.edition, ensure_ascii=False)}'
    return head + "".join(f for f, _ in fragments) + "}"


# -- the reader of the columnar registry --------------------------------------------------------------


class StarColumnarRead:
    """What `read_columnar` returns: the batches, then the problems outside them and the coverage."""

    def __init__(self, reader: ColumnarStarReader, *, organisation_id: str | None, document: dict[str, Any]) -> None:
        self.reader = reader
        self.organisation_id = organisation_id
        self.document = document
        self._problems: list[Problem] = []
        self._coverage: Coverage | None = None

    def __iter__(self) -> Iterator[EvidenceTables]:
        document = dict(self.document)
        document["evidence"] = []  # the object route's document always lists its evidence: with no reading, an empty list
        text = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        # a batch's tables are built in a second thread while the next chunk is read (pyarrow and numpy
        # do that work without the GIL); the batches come out in order, each once its tables are built
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="star-tables") as pool:
            pending: Future[EvidenceTables] | None = None
            for batch in self.reader.batches():
                built = pool.submit(batch.tables, text)
                if pending is not None:
                    yield pending.result()
                pending = built
            if pending is not None:
                yield pending.result()
        self._problems = list(self.reader.problems)
        if not self.organisation_id:
            self._problems.append(_no_organisation())
        self._coverage = self.reader.counter.coverage()

    def source_map_of(self, tables: EvidenceTables) -> StarSourceMap | None:
        """
        The object route's source map for the evidence of *tables* (one batch, or every batch concatenated).

        The validation of the batch locates its problems with it, at the cell, as the object route
        does. The readings are listed from the tables when the map is first looked at. ``None``
        for a long export, or where an area has two columns (a value's code then does not say its column).
        """
        reader = self.reader
        columns = reader.value_columns()
        if reader.long or columns is None:
            return None

        def readings() -> Iterator[Reading]:
            evidence, values = tables.evidence, tables.values
            rows = dict(zip(tables.provenance.column("evidence_index").to_pylist(),
                            tables.provenance.column("row").to_pylist(), strict=True))
            codes: dict[int, list[str]] = {}
            if values.num_rows:
                values = values.sort_by([("evidence_index", "ascending"), ("value_index", "ascending")])
                for owner, code in zip(values.column("evidence_index").to_pylist(),
                                       values.column("code").to_pylist(), strict=True):
                    codes.setdefault(owner, []).append(code)
            roles: dict[str, frozenset[str]] = {}
            for index, instrument, text in zip(evidence.column("evidence_index").to_pylist(),
                                               evidence.column("instrument").to_pylist(),
                                               evidence.column("extension_data").to_pylist(), strict=True):
                held = roles.get(text)
                if held is None:
                    held = roles[text] = frozenset(json.loads(text)[EXTENSION])
                where = columns[instrument]
                # a reading's evidence_index is its place in the package: the reader numbers them from 0
                yield index, rows[index], tuple(where[code] for code in codes.get(index, ())), held

        return StarSourceMap(file=reader.file, sheet=reader.sheet, headers=reader.headers,
                             fields=reader._map_suffixes()[0], readings=readings)

    @property
    def problems(self) -> list[Problem]:
        return self._problems

    @property
    def coverage(self) -> Coverage | None:
        return self._coverage


def _no_organisation() -> Problem:
    return Problem(
        rule="star.no-organisation", severity="warning", path="$.publisher",
        message=f"no organisation_id= was given, so the package is published by the placeholder "
                f"{PLACEHOLDER_ORGANISATION!r}; pass organisation_id= (an org-id such as GB-SC-SC012345) "
                "and organisation_name=")


def open_reader(source: Any, *, cross_row_checks: bool = True,
                **options: Any) -> tuple[ColumnarStarReader, dict[str, Any]]:
    """The reader of *source* with the ``outcomes-star`` format's options, and the package around its evidence."""
    _check_options(options, _READ_OPTIONS, "reading")
    organisation_id = options.get("organisation_id")
    reader = ColumnarStarReader(
        source, star=options.get("star"), edition=options.get("edition"), column_map=options.get("column_map"),
        stars=options.get("stars"), sheet=options.get("sheet"),
        organisation_id=organisation_id or PLACEHOLDER_ORGANISATION, today=options.get("today"),
        source_system=options.get("source_system"), converter_version=converter_version(),
        cross_row_checks=cross_row_checks)
    document = package_document(
        [], file=reader.file, organisation_id=organisation_id or PLACEHOLDER_ORGANISATION,
        organisation_name=options.get("organisation_name"), sector=options.get("sector", "third"),
        sharing_level=options.get("sharing_level", DEFAULT_SHARING_LEVEL), package_id=options.get("package_id"),
        title=options.get("title"))
    return reader, document


def read_columnar(source: Any, /, **options: Any) -> StarColumnarRead:
    """
    Read a Star export into batches of tables, with the problems and coverage of the ``outcomes-star`` format.

    Example:
        >>> from sharedoutcomes.stars import sample_path
        >>> read = read_columnar(sample_path(), organisation_id="GB-SC-SC012345", today="2025-06-30")
        >>> [batch.evidence.num_rows for batch in read], read.problems, str(read.coverage)
        ([6], [], 'read 119 of 119 pieces')
    """
    reader, document = open_reader(source, **options)
    return StarColumnarRead(reader, organisation_id=options.get("organisation_id"), document=document)


def iter_reading_tables(source: Any, *, cross_row_checks: bool = False, **options: Any) -> Iterator[EvidenceTables]:
    """
    Stream a Star export as batches of Arrow tables (the `sharedoutcomes.columnar` layout), in flat memory.

    Each batch is an `EvidenceTables` of about 4 MiB of the file, with the problems of its rows;
    the problems that belong to no batch (the gathered repeated warnings) come with the last.
    *options* are those of the ``outcomes-star`` format. With ``cross_row_checks=False`` (the
    default, as in `iter_readings`) memory stays flat however long the file; ``True`` also finds
    exact repeats, people on two editions and repeated ids across the whole file (what
    ``sharedoutcomes.columnar.convert`` does), keeping one small entry per reading.

    Example:
        >>> from sharedoutcomes.stars import iter_reading_tables, sample_path
        >>> batches = list(iter_reading_tables(sample_path(), organisation_id="GB-SC-SC012345",
        ...                                    today="2025-06-30"))
        >>> [(b.evidence.num_rows, b.values.num_rows) for b in batches], [p.rule for b in batches for p in b.problems]
        ([(6, 60)], [])
    """
    reader, document = open_reader(source, cross_row_checks=cross_row_checks, **options)
    read = StarColumnarRead(reader, organisation_id=options.get("organisation_id"), document=document)
    pending: EvidenceTables | None = None
    for batch in read:
        if pending is not None:
            yield pending
        pending = batch
    if pending is None:
        return
    tail = tuple(read.problems)
    yield pending if not tail else EvidenceTables(evidence=pending.evidence, values=pending.values,
                                                  subjects=pending.subjects, provenance=pending.provenance,
                                                  problems=(*pending.problems, *tail))
