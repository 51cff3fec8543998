"""
The engine of the Outcomes Star converter: the readings of an export, one at a time.

Readings come out as JSON-ready evidence dicts (the Star convention of the standard), one
at a time, with every problem located in the file. `ReadingStream` is used both by the
``outcomes-star`` format (which collects the evidence into a package) and by
`sharedoutcomes.stars.iter_readings` (which streams it).

A wide CSV goes through a fast path (cached lookups for rows that are clean in every
respect); every other row, and every XLSX or long-layout export, goes through the general
path of `RowReader`, which checks each cell and reports what is wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any, Final

from attrs import define, field

from sharedoutcomes._util.paths import column_letter, json_path
from sharedoutcomes.stars._convention import EXTENSION, FORMAT, meta_value, reading_id_suffix
from sharedoutcomes.stars._dates import parse_date
from sharedoutcomes.stars._edition import StarArea, StarEdition
from sharedoutcomes.stars._rows import GROUPS, RowReader, shown
from sharedoutcomes.stars._table import Cell, cell_text

__all__ = ["ReadingStream"]

_UNSET: Final[Any] = object()
_CACHE_SIZE: Final = 4096  # bounded caches, so memory stays flat

_ScoreTables = list[tuple[int, dict[Any, dict[str, Any]]]]
_FastPlan = tuple[StarEdition, _ScoreTables, list[int], str, list[int], dt.date]
"""An edition, its (column, {score text: finished value dict}) pairs, the columns it does not use,
its instrument, the columns of its values, and the first day its readings can be from."""

_SIMPLE_PROVENANCE: Final = frozenset({"original_format", "file", "row", "converted_by", "converter_version"})


def _getter(columns: list[int]) -> Callable[[list[Cell]], Any]:
    """The cells of *columns* in a row, as one dict key (`operator.itemgetter` for speed)."""
    if not columns:
        return lambda _cells: ()
    return itemgetter(*columns)


def _clean_person(person: str) -> bool:
    """Whether a service-user id needs no check of the general path (no spaces, not a CHI/NHS-like number)."""
    return bool(person) and " " not in person and person.isprintable() and not (
        len(person) in (10, 12) and person.replace("-", "").isdigit())


class _Dates(dict[Any, Any]):
    """Date cells read so far (text → date), bounded; a new one is read, and is `_UNSET` unless a date up to *today*."""

    def __init__(self, today: dt.date) -> None:
        super().__init__()
        self.today = today
        self.isos: dict[dt.date, str] = {}

    def __missing__(self, raw: Any) -> Any:
        parsed = parse_date(raw) if raw else None
        if parsed is None or parsed > self.today:
            return _UNSET
        if len(self) >= _CACHE_SIZE:
            self.clear()
            self.isos.clear()
        self[raw] = parsed
        self.isos[parsed] = parsed.isoformat()
        return parsed


class _Memo(dict[Any, Any]):
    """A function's results by argument, each computed on first use; bounded (`_CACHE_SIZE` entries)."""

    def __init__(self, function: Callable[[Any], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: Any) -> Any:
        value = self.function(key)
        if len(self) < _CACHE_SIZE:  # bounded: worker and service names repeat, ids do not
            self[key] = value
        return value


class _FastCsv:
    """
    The caches of the CSV fast path for one stream, and the plans of the editions its rows are on.

    Every cache is bounded (`_CACHE_SIZE`), so memory stays flat however long the file.
    """

    def __init__(self, stream: ReadingStream) -> None:
        roles = stream.roles
        self.stream = stream
        self.person_col, self.date_col = roles["person"], roles["date"]
        self.width_needed = max(stream._taken | set(stream._score_columns)) + 1 if stream._score_columns else 0
        self.star_key = _getter([roles[role] for role in ("star", "edition") if role in roles])
        self.meta_columns = [(role, col, _Memo(functools.partial(meta_value, role))) for role, col in stream._meta]
        self.id_suffixes = _Memo(reading_id_suffix)  # reading number -> what it adds to the evidence id
        self.dates = _Dates(stream.today)
        self.editions: dict[Any, _FastPlan] = {}  # the Star (and edition) cells -> the plan of that edition
        fixed = stream._fixed or stream._header_edition
        self.fixed_plan = self._plan(fixed) if fixed is not None else None
        self.provenance = stream._provenance(0)
        self.simple_provenance = set(self.provenance) == _SIMPLE_PROVENANCE

    def _plan(self, edition: StarEdition) -> _FastPlan:
        columns, _, extras = self.stream._plan(edition)
        scores = range(edition.scale_min, edition.scale_max + 1)
        return (edition, [(col, {str(n): {**template, "value": n} for n in scores}) for col, _, template in columns],
                extras, edition.instrument, [col for col, _, _ in columns],
                self.stream._release(edition) or dt.date.min)

    @staticmethod
    def values(plan: _FastPlan, cells: list[Cell], date: dt.date) -> list[dict[str, Any]]:
        """The value dicts of a clean row on *plan*'s edition; empty when anything needs the general path."""
        _, score_tables, extras, _, _, released = plan
        if (extras and any(map(cells.__getitem__, extras))) or date < released:
            return []
        try:  # a copy of the finished value dict for that score: the cheapest way to build it
            return [table[cells[col]].copy() for col, table in score_tables]
        except KeyError:
            return []  # a blank, odd or bad score: the general path reports it

    def plan(self, key: Any, cells: list[Cell], number: int) -> _FastPlan | None:
        """The plan of the edition a row's (not yet cached) Star cells name; ``None`` (reported) when unknown."""
        found = self.stream._edition_of(cells, number)
        if found is None:
            return None
        plan = self.editions[key] = self._plan(found)
        return plan


@define
class _LongReading:
    """The rows of one reading in a long-layout export: its fields, first row, and scores by area code."""

    common: tuple[str, dt.date, StarEdition, dict[str, Any]]
    row: int
    values: dict[str, int] = field(factory=dict)
    columns: dict[str, tuple[int, int]] = field(factory=dict)
    rows: list[tuple[int, list[Cell]]] = field(factory=list)
    """The rows whose scores the reading holds (counted as read once the reading is converted)."""


class ReadingStream(RowReader):
    """
    Readings from one Star export, read lazily: iterate for evidence dicts, then see `problems`.

    Memory stays flat with the size of a wide file when ``cross_row_checks`` is off (with it
    on, one small entry per reading is kept to find exact duplicates and mixed editions).
    """

    fast_path: bool = True
    """Use the cached fast path for clean CSV rows (switched off only to measure it)."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        yield from self._iter_long() if self.long else self._iter_wide()
        self.finish()

    # -- wide exports -------------------------------------------------------------------------

    def _iter_wide(self) -> Iterator[dict[str, Any]]:
        if self.sheet is None and self.fast_path:
            yield from self._iter_wide_csv()
            return
        for number, cells in self._rows:
            evidence = self._wide_row(number, cells)
            if evidence is not None:
                yield evidence

    def _iter_wide_csv(self) -> Iterator[dict[str, Any]]:
        """
        The fast path for CSV, where every cell is text.

        A row that is clean in every respect is converted with cached lookups; anything
        unusual goes to `_general_row`, which finds and reports the problem as it always does.
        The lookups are bound to local names once: the loop runs once per row.
        """
        fast = _FastCsv(self)
        person_col, date_col, width_needed = fast.person_col, fast.date_col, fast.width_needed
        dates, isos, editions, fixed_plan = fast.dates, fast.dates.isos, fast.editions, fast.fixed_plan
        star_key, meta_columns, id_suffixes = fast.star_key, fast.meta_columns, fast.id_suffixes
        provenance, general, evidence_of = fast.provenance, self._general_row, self._evidence
        checks, organisation_id, want_map = self.cross_row_checks, self.organisation_id, self.want_source_map
        file, version, simple_provenance = self.file, self.converter_version, fast.simple_provenance
        width, personal = len(self.headers), list(self._personal)
        width_needed = max([width_needed, *(c + 1 for c in personal)])  # shorter rows take the general path
        fields = scores = not_read = 0  # the cells of clean rows, counted here and added to the coverage at the end
        for number, cells in self._rows:
            clean = (len(cells) >= width_needed and not (len(cells) > width and any(cells[width:]))
                     and _clean_person(person := cells[person_col].strip()))  # type: ignore[union-attr]  # text
            date = dates[cells[date_col]] if clean else _UNSET
            plan = None if date is _UNSET else (
                fixed_plan or editions.get(key := star_key(cells)) or fast.plan(key, cells, number))
            values = [] if plan is None else fast.values(plan, cells, date)
            if not values:
                yield from general(number, cells)  # the general path finds and reports what is wrong
                continue
            edition, _, _, instrument, value_columns, _ = plan  # type: ignore[misc]  # values imply a plan
            meta: dict[str, Any] = {"star": edition.id, "edition": edition.edition}
            for role, col, cache in meta_columns:
                raw = cells[col]
                if raw:
                    value = cache[raw]
                    if value != "":
                        meta[role] = value
            if checks:
                evidence = evidence_of(person, date, edition, meta=meta, values=values, number=number,
                                       columns=value_columns)
                if evidence is None:
                    self._account(number, cells, None)
                    continue
            else:
                iso = isos[date]
                evidence = {"id": f"star-{person}-{iso}{id_suffixes[meta.get('reading_number')]}",
                            "kind": "assessment", "date": iso, "subject": {"type": "person", "id": person},
                            "instrument": instrument, "values": values,
                            "provenance": {"original_format": FORMAT, "file": file, "row": number,
                                           "converted_by": FORMAT, "converter_version": version}
                            if simple_provenance else {**provenance, "row": number},
                            "extension_data": {EXTENSION: meta}}
                if organisation_id:
                    evidence["collected_by"] = organisation_id
                if want_map:
                    self._map(evidence, number, value_columns)
                self.readings += 1
            withheld = sum(1 for c in personal if cells[c]) if personal else 0
            fields += len(cells) - cells.count("") - withheld - len(values)
            scores += len(values)
            not_read += withheld
            yield evidence
        self.counter.read(self._part(GROUPS["fields"]), fields)
        self.counter.read(self._part(GROUPS["scores"]), scores)
        self.counter.not_read(self._part(GROUPS["personal"]), not_read)

    def _general_row(self, number: int, cells: list[Cell]) -> Iterator[dict[str, Any]]:
        """The general path for one row of a wide export: its evidence, if it has any."""
        evidence = self._wide_row(number, cells)
        if evidence is not None:
            yield evidence

    # -- long exports -------------------------------------------------------------------------

    def _iter_long(self) -> Iterator[dict[str, Any]]:
        """Group the rows (one per area score) into readings, then give each reading's evidence."""
        groups: dict[tuple[Any, ...], _LongReading] = {}
        for number, cells in self._rows:
            self._add_long_row(groups, number, cells)
        for group in groups.values():
            evidence = self._long_evidence(group)
            if evidence is not None:
                yield evidence

    def _add_long_row(self, groups: dict[tuple[Any, ...], _LongReading], number: int, cells: list[Cell]) -> None:
        if not any(c is not None and c != "" for c in cells) or self._footer(number, cells):
            return
        self._flag_long_extras(number, cells)
        common = self._common(cells, number)
        if common is None:
            self._account(number, cells, None)
            return
        person, date, edition, meta = common
        key = (person, date, edition.instrument, tuple(meta.items()))
        group = groups.setdefault(key, _LongReading(common=common, row=number))
        area = self._long_area(cells, edition, number)
        score_col = self.roles["score"]
        cell = cells[score_col] if score_col < len(cells) else None
        score = None if area is None else self._score(cell, edition, area, number, score_col)
        if area is None or score is None or not self._add_long_score(group, area, score, number):
            self._account(number, cells, None)
        else:
            group.rows.append((number, cells))

    def _flag_long_extras(self, number: int, cells: list[Cell]) -> None:
        """A value in a column of a long export that is no reading field: reported once per column."""
        for col in self._score_columns:
            if col < len(cells) and cell_text(cells[col]) and col not in self._beyond:
                self._beyond.add(col)
                header = self.headers[col]
                what = f"the column {shown(header)} is" if header else f"column {column_letter(col)} has values but"
                self.problem("star.column-ignored", "warning",
                             f"{what} not a reading field of a long export (one row per area score), so it is not "
                             "converted", row=number, column=col, value=cell_text(cells[col])[:40])

    def _long_area(self, cells: list[Cell], edition: StarEdition, number: int) -> StarArea | None:
        """The area a row's ``Area`` cell names, or ``None`` (reported) when it is not one of *edition*'s."""
        area_col = self.roles["area"]
        label = cell_text(cells[area_col]) if area_col < len(cells) else ""
        area = edition.match_area(label) if label else None
        if area is None:
            elsewhere = self._other_edition_with(label, edition) if label else None
            hint = f" (it is an area of the {elsewhere.title})" if elsewhere else ""
            self.problem("star.unknown-area", "error",
                         f"{shown(label)} is not an area of the {edition.title}{hint}; the score is not converted",
                         row=number, column=area_col, value=label[:200])
        return area

    def _add_long_score(self, group: _LongReading, area: StarArea, score: int, number: int) -> bool:
        """Add a score to its reading; a second score for the same area is reported, not converted."""
        score_col = self.roles["score"]
        previous = group.values.get(area.code)
        if previous is None:
            group.values[area.code] = score
            group.columns[area.code] = (number, score_col)
            return True
        if previous != score:
            self.problem("star.conflicting-scores", "error",
                         f"the reading already has {area.label} = {previous} (row "
                         f"{group.columns[area.code][0]}); row {number} says {score}, which is not "
                         "converted", row=number, column=score_col, value=score)
        else:
            self.tally.note("star.duplicate-reading", "area", number,
                           f"row {number} repeats the {area.label} score of row "
                           f"{group.columns[area.code][0]}; it is converted once",
                           plural="rows repeat an area score of their reading; each is converted once")
        return False

    def _long_evidence(self, group: _LongReading) -> dict[str, Any] | None:
        person, date, edition, meta = group.common
        values: list[dict[str, Any]] = [
            {"code": a.code, "label": a.label, "value": group.values[a.code], "scale_min": edition.scale_min,
             "scale_max": edition.scale_max} for a in edition.areas if a.code in group.values]
        cells_used = [group.columns[v["code"]] for v in values]
        missing = [a.label for a in edition.areas if a.code not in group.values]
        if missing and values:
            areas = ", ".join(missing)
            self.tally.note("star.missing-score", areas, group.row, f"the reading has no score for {areas}",
                           plural=f"readings have no score for {areas}", value=missing)
        evidence = self._evidence(person, date, edition, meta=meta, values=values, number=group.row, columns=[])
        read = None if evidence is None else self._taken
        for number, cells in group.rows:
            self._account(number, cells, read)
        if evidence is not None and self.want_source_map:
            for j, (row, col) in enumerate(cells_used):
                self.source_map[json_path(["evidence", self.readings - 1, "values", j, "value"])] = \
                    self._loc(row, col)
        return evidence
