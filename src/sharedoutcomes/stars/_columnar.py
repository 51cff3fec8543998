"""
The columnar Star reader: a Star export straight into Arrow tables, with the object reader's problems.

`read_columnar` is the ``outcomes-star`` reader of `sharedoutcomes.columnar` (registered by
import string in ``columnar/_registry.py``). It takes the object format's source and options.

How it stays identical to the object reader (`ReadingStream`) while doing the per-row work on
columns: the header, column roles, edition inference and personal-data refusal are the object
reader's own (they work on the header row). The rows are parsed in chunks (`_chunks`), and in
each chunk a row that the object reader's fast path would take (a clean id, a date it can read,
a known edition, every score a whole number on the scale, nothing in a column it does not read)
is converted by column operations: per distinct value for ids, dates, Star names and metadata
(a file has few distinct dates and Stars), by array operations for everything else. Every other
row goes, in row order, through the object reader's general path, which reports what is wrong
exactly as it always does. The checks across rows (exact duplicates, people on two editions,
repeated ids) run over both kinds of row in row order, with the object reader's own state.

An XLSX workbook or a long-layout export is read by the object reader and its evidence turned
into tables (same problems, not faster).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._optional import require
from sharedoutcomes.columnar import EvidenceTables, arrow_schema
from sharedoutcomes.converters import Coverage
from sharedoutcomes.exceptions import Problem
from sharedoutcomes.stars._chunks import CHUNK_BYTES, ParsedChunk, data_offset, iter_chunks
from sharedoutcomes.stars._convention import (
    EXTENSION,
    FORMAT,
    PLACEHOLDER_ORGANISATION,
    converter_version,
    meta_value,
    reading_id_suffix,
)
from sharedoutcomes.stars._dates import parse_date
from sharedoutcomes.stars._edition import StarEdition
from sharedoutcomes.stars._format import _READ_OPTIONS, DEFAULT_SHARING_LEVEL, _check_options, package_document
from sharedoutcomes.stars._reader import ReadingStream, _clean_person
from sharedoutcomes.stars._rows import GROUPS
from sharedoutcomes.stars._table import Cell, _open_text

__all__ = ["ColumnarStarReader", "StarTables", "read_columnar"]

_NUL: Final = "\x00"


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
    One batch of converted readings as plain columns (the rows of the four layout tables).

    Attributes:
        evidence: The evidence dicts' columns: ``row``, ``id``, ``person``, ``date`` (ISO text),
            ``instrument``, ``extension`` (the ``outcomes-star`` metadata as JSON text).
        values: ``reading`` (the position of its reading in the batch), ``value_index``, ``code``,
            ``label``, ``value``, ``scale_min``, ``scale_max``.
        problems: The problems found while reading the batch's rows, in row order.
        first_index: The evidence index of the batch's first reading.
    """

    def __init__(self, evidence: Mapping[str, Any], values: Mapping[str, Any], problems: list[Problem],
                 first_index: int, provenance: Mapping[str, Any], organisation_id: str | None) -> None:
        self.evidence = evidence
        self.values = values
        self.problems = problems
        self.first_index = first_index
        self.provenance = provenance
        self.organisation_id = organisation_id

    def __len__(self) -> int:
        return len(self.evidence["id"])

    def evidence_dicts(self) -> Iterator[dict[str, Any]]:
        """The readings as the object reader's evidence dicts (for a package, and to compare)."""
        ev, vals = self.evidence, self.values
        grouped: list[list[dict[str, Any]]] = [[] for _ in range(len(self))]
        for reading, code, label, value, low, high in zip(vals["reading"], vals["code"], vals["label"],
                                                          vals["value"], vals["scale_min"], vals["scale_max"],
                                                          strict=True):
            grouped[reading].append({"code": code, "label": label, "value": value, "scale_min": low,
                                     "scale_max": high})
        provenance = dict(self.provenance)
        for row, ident, person, iso, instrument, extension, values in zip(
                ev["row"], ev["id"], ev["person"], ev["date"], ev["instrument"], ev["extension"], grouped,
                strict=True):
            evidence: dict[str, Any] = {
                "id": ident, "kind": "assessment", "date": iso, "subject": {"type": "person", "id": person},
                "instrument": instrument, "values": values, "provenance": {**provenance, "row": row},
                "extension_data": {EXTENSION: json.loads(extension)}}
            if self.organisation_id:
                evidence["collected_by"] = self.organisation_id
            yield evidence

    def tables(self, package_json: str | None = None) -> EvidenceTables:
        """The batch in the columnar layout, *package_json* (the package around it) in the evidence table's metadata."""
        return EvidenceTables(**self.arrow(package_json), problems=self.problems)

    def arrow(self, package_json: str | None = None) -> dict[str, Any]:
        """The four tables of the columnar layout (``evidence``, ``values``, ``subjects``, ``provenance``)."""

        pa = require("pyarrow", extra="columnar", purpose="columnar Star readings")
        import pyarrow.compute as pc

        n = len(self)
        index = pa.array(range(self.first_index, self.first_index + n), type=pa.int64())
        ids = pa.array(self.evidence["id"], type=pa.string())
        nulls = pa.nulls(n, type=pa.string())

        def table(name: Any, columns: dict[str, Any], length: int) -> Any:
            schema = arrow_schema(name, package_json=package_json if name == "evidence" else None)
            arrays = [columns[f.name] if f.name in columns else pa.nulls(length, type=f.type) for f in schema]
            return pa.Table.from_arrays(arrays, schema=schema)

        ev = self.evidence
        evidence = table("evidence", {
            "evidence_index": index, "id": ids, "kind": pa.array(["assessment"] * n, type=pa.string()),
            "date": pa.array([_iso_date(d) for d in ev["date"]], type=pa.date32()),
            "collected_by": pa.array([self.organisation_id] * n, type=pa.string()) if self.organisation_id
            else nulls, "instrument": pa.array(ev["instrument"], type=pa.string()),
            "extension_data": pa.array([f'{{"{EXTENSION}":{e}}}' for e in ev["extension"]], type=pa.string()),
        }, n)
        vals = self.values
        m = len(vals["code"])
        readings = vals["reading"]
        value_index = pa.array(readings, type=pa.int64())
        values = table("values", {
            "evidence_index": pc.add(value_index, self.first_index), "evidence_id": ids.take(value_index),
            "value_index": pa.array(vals["value_index"], type=pa.int64()),
            "code": pa.array(vals["code"], type=pa.string()),
            "value_type": pa.DictionaryArray.from_arrays(pa.array([1] * m, type=pa.int8()),
                                                         pa.array(["boolean", "integer", "number", "string"])),
            "value_int": pa.array(vals["value"], type=pa.int64()), "label": pa.array(vals["label"], type=pa.string()),
            "scale_min_int": pa.array(vals["scale_min"], type=pa.int64()),
            "scale_max_int": pa.array(vals["scale_max"], type=pa.int64()),
        }, m)
        subjects = table("subjects", {"evidence_index": index, "evidence_id": ids,
                                      "subject_type": pa.array(["person"] * n, type=pa.string()),
                                      "subject_id": pa.array(ev["person"], type=pa.string())}, n)
        prov = {key: pa.array([value] * n, type=pa.string()) for key, value in self.provenance.items()}
        provenance = table("provenance", {"evidence_index": index, "evidence_id": ids, **prov,
                                          "row": pa.array(ev["row"], type=pa.int64())}, n)
        return {"evidence": evidence, "values": values, "subjects": subjects, "provenance": provenance}


def _iso_date(iso: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(iso)


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
        self._evidence_index = 0

    # -- the object reader's accounting, deferred while a row may still turn out a duplicate ------

    def _account(self, number: int, cells: list[Cell], read: set[int] | None) -> None:
        if self._recording is None:
            super()._account(number, cells, read)
            return
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
        self._rows.close()  # type: ignore[attr-defined]  # the csv reader: the chunks read the rest
        handle = _open_text(path, self.file)
        try:
            sample = handle.read(8192)
            encoding = handle.encoding
        finally:
            handle.close()
        counts = {d: sample.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","
        self._start()
        for chunk in iter_chunks(path, offset=offset, first_row=self.header_row + 1, width=len(self.headers),
                                 delimiter=delimiter, encoding=encoding, name=self.file,
                                 chunk_bytes=self.chunk_bytes):
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
        columns: dict[str, list[Any]] = {k: [] for k in ("row", "id", "person", "date", "instrument", "extension")}
        values: dict[str, list[Any]] = {k: [] for k in ("reading", "value_index", "code", "label", "value",
                                                         "scale_min", "scale_max")}
        for position, item in enumerate(evidence):
            columns["row"].append(item["provenance"]["row"])
            columns["id"].append(item["id"])
            columns["person"].append(item["subject"]["id"])
            columns["date"].append(item["date"])
            columns["instrument"].append(item["instrument"])
            columns["extension"].append(json.dumps(item["extension_data"][EXTENSION], ensure_ascii=False,
                                                   separators=(",", ":")))
            for j, value in enumerate(item["values"]):
                values["reading"].append(position)
                values["value_index"].append(j)
                for key in ("code", "label", "value", "scale_min", "scale_max"):
                    values[key].append(value[key])
        batch = StarTables(columns, values, problems, self._evidence_index, self._provenance_constant(),
                           self.organisation_id)
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
        pa = require("pyarrow", extra="columnar", purpose="columnar Star readings")
        columns = [c if chunk.arrow else pa.array(c, type=pa.string()) for c in chunk.columns]
        n = chunk.rows
        if n == 0:
            return None
        classified = _Classified(self, columns, chunk)
        return classified.run()


class _Classified:
    """The rows of one chunk: which are clean (converted on columns), and the rest (the general path)."""

    def __init__(self, reader: ColumnarStarReader, columns: list[Any], chunk: ParsedChunk) -> None:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

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

    def run(self) -> StarTables:
        np, pa, pc = self.np, self.pa, self.pc
        reader, n = self.reader, self.n
        today = reader.today
        non_empty = [pc.not_equal(pc.binary_length(c), 0) for c in self.columns]
        filled = np.zeros(n, dtype=np.int64)
        for mask in non_empty:
            filled += mask.to_numpy(zero_copy_only=False)
        persons, person_index = self._per_unique(
            self.person_raw, lambda raw: (raw.strip(), _clean_person(raw.strip())))
        person_ok = np.array([ok for _, ok in persons], dtype=bool)[person_index] if persons else np.zeros(n, bool)

        def date_of(raw: str) -> Any:
            parsed = parse_date(raw) if raw else None
            return None if parsed is None or parsed > today else parsed

        dates, date_index = self._per_unique(self.date_raw, date_of)
        date_ok = np.array([d is not None for d in dates], dtype=bool)[date_index] if dates else np.zeros(n, bool)
        eligible = person_ok & date_ok & (filled > 0)
        personal = list(reader._personal)
        self.withheld = np.zeros(n, dtype=np.int64)
        for col in personal:
            self.withheld += non_empty[col].to_numpy(zero_copy_only=False)
        if self.chunk.ragged:  # as the fast path: a row too short, or with something beyond the header, is not clean
            width = len(reader.headers)
            needed = max([*reader._taken, *reader._score_columns, *personal]) + 1
            for index, cells in self.chunk.ragged.items():
                if len(cells) < needed or any(cells[width:]):
                    eligible[index] = False
        # the edition of each row, found without reporting (the report comes at the row the object reader finds it)
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
        clean = eligible.copy()
        plan_ids = np.full(n, -1, dtype=np.int64)
        scores_by_plan: dict[int, list[Any]] = {}
        for k, plan in enumerate(plan_of_key):
            rows_k = key_index == k
            if plan is None:
                clean[rows_k] = False
                continue
            edition, area_columns, extras, released = plan
            ok = rows_k & clean
            plan_ids[rows_k] = k
            if released is not None:
                released_ok = np.array([d is not None and d >= released for d in dates], dtype=bool)
                ok &= released_ok[date_index] if dates else ok
            for col in extras:
                ok &= ~non_empty[col].to_numpy(zero_copy_only=False)
            valid = {str(v): v for v in range(edition.scale_min, edition.scale_max + 1)}
            scores = []
            for col, _area in area_columns:
                values, value_index = self._per_unique(self.columns[col], valid.get)
                score = np.array([-1 if v is None else v for v in values], dtype=np.int64)[value_index] \
                    if values else np.zeros(0, dtype=np.int64)
                ok &= score >= 0
                scores.append(score)
            scores_by_plan[k] = scores
            clean[rows_k] = ok[rows_k]
        # the rows the general path reads, and the first eligible row of each edition key (where it is looked up)
        first_lookup: dict[int, int] = {}
        if fixed is None and key_columns:
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
        general_rows = np.flatnonzero(~clean & (filled > 0))
        events = sorted({*map(int, general_rows), *first_lookup})
        return self._assemble(events, set(map(int, general_rows)), first_lookup, clean, persons, person_index, dates,
                              date_index, key_values, key_index, plan_of_key, scores_by_plan, filled, personal,
                              non_empty)

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

    def _assemble(self, events: list[int], general: set[int], first_lookup: dict[int, int], clean: Any,
                  persons: list[Any], person_index: Any, dates: list[Any], date_index: Any,
                  key_values: list[Any], key_index: Any, plans: list[Any], scores_by_plan: dict[int, list[Any]],
                  filled: Any, personal: list[int], non_empty: list[Any]) -> StarTables:
        np = self.np
        reader = self.reader
        first_row = self.chunk.first_row
        # 1. the general path, in row order, with its problems, notes and accounting recorded per row
        recorded: dict[int, tuple[list[Problem], list[Any], list[Any], dict[str, Any] | None]] = {}
        tally = reader.tally
        checks = reader.cross_row_checks
        reader.cross_row_checks = False
        try:
            for index in events:
                number = first_row + index
                cells = self._cells(index)
                start = len(reader.problems)
                recorder = _Recorder()
                reader.tally = recorder  # type: ignore[assignment]
                reader._recording = accounts = []
                evidence = None
                if index in first_lookup:
                    found = reader._edition_of(cells, number)
                    if found is not None:
                        reader._plan(found)
                if index in general:
                    readings_before = reader.readings
                    evidence = reader._wide_row(number, cells)
                    reader.readings = readings_before
                recorded[index] = (reader.problems[start:], recorder.notes, accounts, evidence)
                del reader.problems[start:]
                if evidence is None:  # not converted: its accounting cannot change
                    reader._recording = None
                    for row, row_cells, read in accounts:
                        reader._account(row, row_cells, read)
        finally:
            reader.tally = tally
            reader._recording = None
            reader.cross_row_checks = checks
        # 2. the converted rows, clean and general, in row order
        clean_rows = np.flatnonzero(clean)
        general_converted = sorted(i for i, (_, _, _, e) in recorded.items() if e is not None)
        order = np.sort(np.concatenate([clean_rows, np.array(general_converted, dtype=np.int64)]))
        meta_roles = reader._meta
        meta_maps = []
        for role, col in meta_roles:
            values, index = self._per_unique(self.columns[col], lambda raw, role=role: _meta_fragment(role, raw))
            meta_maps.append((role, values, index))
        reading_number = next(((values, index) for role, values, index in meta_maps if role == "reading_number"),
                              None)
        ev: dict[str, list[Any]] = {k: [] for k in ("row", "id", "person", "date", "instrument", "extension")}
        vals: dict[str, list[Any]] = {k: [] for k in ("reading", "value_index", "code", "label", "value",
                                                       "scale_min", "scale_max")}
        problems: list[Problem] = []
        seen, ids = reader._seen, reader._ids
        clean_set = set(map(int, clean_rows))
        plan_values = {k: self._plan_templates(plans[k]) for k in scores_by_plan}
        isos = [None if d is None else d.isoformat() for d in dates]
        dup_rows: list[int] = []
        event_iter = iter(events)
        pending = next(event_iter, None)

        def flush(upto: int) -> None:
            nonlocal pending
            while pending is not None and pending <= upto:
                self._replay(recorded[pending], problems, tally)
                pending = next(event_iter, None)

        for index in map(int, order):
            number = first_row + index
            if index in clean_set:
                person = persons[int(person_index[index])][0]
                iso = isos[int(date_index[index])]
                k = int(key_index[index])
                edition = plans[k][0]
                fragments = [values[int(mi[index])] for _, values, mi in meta_maps]
                extension = _extension(edition, fragments)
                templates = plan_values[k]
                scores = [int(s[index]) for s in scores_by_plan[k]]
                suffix = reading_number[0][int(reading_number[1][index])][1] if reading_number else ""
                value_items = [(t[0], score) for t, score in zip(templates, scores, strict=True)]
            else:
                flush(index - 1)
                _, _, _, item = recorded[index]
                assert item is not None
                person, iso = item["subject"]["id"], item["date"]
                meta = item["extension_data"][EXTENSION]
                extension = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
                value_items = [(v["code"], v["value"]) for v in item["values"]]
                suffix = reading_id_suffix(meta.get("reading_number"))
                templates = None
            flush(index - 1)
            # the checks across rows, as the object reader's `_evidence` makes them
            extra: list[Problem] = []
            if checks:
                key = hash((person, iso, extension, tuple(value_items)))
                first = seen.get(key)
                if first is not None:
                    flush(index)
                    tally.note("star.duplicate-reading", "exact", number,
                               f"row {number} repeats the reading in row {first} exactly; it is converted once",
                               plural="rows repeat an earlier reading exactly; each is converted once")
                    dup_rows.append(index)
                    self._account_row(recorded.get(index), index, number, read=False, clean=index in clean_set,
                                      filled=filled, personal=personal, n_values=len(value_items))
                    continue
                seen[key] = number
            base = f"star-{person}-{iso}{suffix}"
            if checks:
                instrument_edition = plans[int(key_index[index])][0] if index in clean_set else \
                    self._edition_of_item(recorded[index][3])
                start = len(reader.problems)
                reader._check_editions(person, instrument_edition, number)
                extra = reader.problems[start:]
                del reader.problems[start:]
                count = ids.get(base, 0) + 1
                ids[base] = count
                if count > 1:
                    base += f"-{count}"
            flush(index)
            problems.extend(extra)
            self._account_row(recorded.get(index), index, number, read=True, clean=index in clean_set,
                              filled=filled, personal=personal, n_values=len(value_items))
            position = len(ev["row"])
            ev["row"].append(number)
            ev["id"].append(base)
            ev["person"].append(person)
            ev["date"].append(iso)
            if index in clean_set:
                ev["instrument"].append(plans[int(key_index[index])][0].instrument)
                ev["extension"].append(extension)
                assert templates is not None
                for j, ((code, label, low, high), score) in enumerate(zip(templates, scores, strict=True)):
                    vals["reading"].append(position)
                    vals["value_index"].append(j)
                    vals["code"].append(code)
                    vals["label"].append(label)
                    vals["value"].append(score)
                    vals["scale_min"].append(low)
                    vals["scale_max"].append(high)
            else:
                item = recorded[index][3]
                assert item is not None
                ev["instrument"].append(item["instrument"])
                ev["extension"].append(extension)
                for j, value in enumerate(item["values"]):
                    vals["reading"].append(position)
                    vals["value_index"].append(j)
                    for name in ("code", "label", "value", "scale_min", "scale_max"):
                        vals[name].append(value[name])
            reader.readings += 1
        flush(self.n)
        batch = StarTables(ev, vals, problems, reader._evidence_index, reader._provenance_constant(),
                           reader.organisation_id)
        reader._evidence_index += len(ev["row"])
        return batch

    def _edition_of_item(self, item: dict[str, Any] | None) -> StarEdition:
        assert item is not None
        meta = item["extension_data"][EXTENSION]
        reader = self.reader
        for edition in reader.registry:
            if edition.instrument == item["instrument"]:
                return edition
        return reader.registry.get(meta["star"], meta["edition"])

    @staticmethod
    def _plan_templates(plan: Any) -> list[tuple[str, str, int, int]]:
        edition, area_columns, _, _ = plan
        return [(area.code, area.label, edition.scale_min, edition.scale_max) for _, area in area_columns]

    def _replay(self, record: tuple[list[Problem], list[Any], list[Any], Any], problems: list[Problem],
                tally: Any) -> None:
        found, notes, _, _ = record
        problems.extend(found)
        for args, kwargs in notes:
            tally.note(*args, **kwargs)

    def _account_row(self, record: Any, index: int, number: int, *, read: bool, clean: bool, filled: Any,
                     personal: list[int], n_values: int) -> None:
        reader = self.reader
        if not clean:
            assert record is not None
            for row, cells, which in record[2]:
                reader._account(row, cells, which if read else None)
            return
        if not read:
            reader._account(number, self._cells(index), None)
            return
        cells_filled = int(filled[index])
        withheld = int(self.withheld[index]) if personal else 0
        reader.counter.read(reader._part(GROUPS["fields"]), cells_filled - withheld - n_values)
        reader.counter.read(reader._part(GROUPS["scores"]), n_values)
        reader.counter.not_read(reader._part(GROUPS["personal"]), withheld)


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
        document.pop("evidence", None)
        text = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        for batch in self.reader.batches():
            yield batch.tables(text)
        self._problems = list(self.reader.problems)
        if not self.organisation_id:
            self._problems.append(_no_organisation())
        self._coverage = self.reader.counter.coverage()

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


def open_reader(source: Any, **options: Any) -> tuple[ColumnarStarReader, dict[str, Any]]:
    """The reader of *source* with the ``outcomes-star`` format's options, and the package around its evidence."""
    _check_options(options, _READ_OPTIONS, "reading")
    organisation_id = options.get("organisation_id")
    reader = ColumnarStarReader(
        source, star=options.get("star"), edition=options.get("edition"), column_map=options.get("column_map"),
        stars=options.get("stars"), sheet=options.get("sheet"),
        organisation_id=organisation_id or PLACEHOLDER_ORGANISATION, today=options.get("today"),
        source_system=options.get("source_system"), converter_version=converter_version())
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
