"""
One row of a Star export at a time: the checks of every cell, and the evidence of a reading.

`RowReader` opens the export, finds its header (`find_header`) and converts a row by the
general path, which checks each cell and reports every problem located in the file.
`ReadingStream` builds on it to iterate the readings of wide and long exports.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any, Final

from sharedoutcomes._util.paths import child, column_letter
from sharedoutcomes._util.personal import looks_like_health_number, looks_like_name
from sharedoutcomes.converters import CoverageCounter, excerpt, not_read
from sharedoutcomes.exceptions import ConversionError, Problem, Severity, SourceLocation, UnknownName
from sharedoutcomes.stars._convention import EXTENSION, FORMAT, ROLES, meta_value, reading_id_suffix
from sharedoutcomes.stars._dates import date_problem, parse_date
from sharedoutcomes.stars._edition import StarEdition
from sharedoutcomes.stars._header import ExportHeader, find_header
from sharedoutcomes.stars._labels import normalise_label
from sharedoutcomes.stars._registry import StarRegistry, registry
from sharedoutcomes.stars._sourcemap import StarSourceMap
from sharedoutcomes.stars._table import Cell, cell_text, is_xlsx, iter_csv, iter_xlsx, source_name
from sharedoutcomes.stars._tally import RowTally

__all__ = ["RowReader"]

_WHITESPACE: Final = re.compile(r"\s+")
_FOOTER: Final = re.compile(
    r"^(?:(?:grand\s+)?(?:sub-?)?totals?\b|(?:average|mean|median|count|sum|number\s+of|no\.\s+of)\b|"
    r"(?:report|export|data)\s+(?:run|generated|printed|created|exported|produced)\b|"
    r"(?:generated|printed|exported|produced|run)\s+(?:on|by|at)\b|page\s+\d|end\s+of\s+(?:report|export|data)|"
    r"(?:filters?|source|notes?)\s*:)", re.IGNORECASE)
"""The first words of a footer or totals row (``Total readings: 9``, ``Report generated on …``)."""


def shown(text: object) -> str:
    """A value of the file for a message: one line, quoted, at most 40 characters."""
    return excerpt(text, limit=40)


GROUPS: Final = {"fields": "reading fields", "scores": "score columns", "personal": "personal data",
                 "unheaded": "columns without a heading", "header": "header", "preamble": "rows before the header",
                 "footer": "footer rows"}
"""The parts of an export its coverage is counted by (each prefixed with the sheet's name in a workbook)."""


class RowReader:
    """
    The general path of the Star reader: one row at a time, every cell checked, every problem located.

    The options are those of the ``outcomes-star`` format (see `ReadingStream`).
    """

    def __init__(
        self,
        source: Any,
        *,
        star: str | None = None,
        edition: str | None = None,
        column_map: Mapping[str, str] | None = None,
        stars: StarRegistry | str | Any = None,
        sheet: str | None = None,
        organisation_id: str | None = None,
        today: dt.date | str | None = None,
        source_system: str | None = None,
        converter_version: str = "",
        cross_row_checks: bool = True,
        source_map: bool = False,
    ) -> None:
        self.file = source_name(source)
        self.registry = _star_registry(stars)
        self.star_option = star
        self.edition_option = edition
        self.column_map = dict(column_map or {})
        self.organisation_id = organisation_id
        self.today = _today(today)
        self.source_system = source_system
        self.converter_version = converter_version
        self.cross_row_checks = cross_row_checks
        self.want_source_map = source_map
        self.problems: list[Problem] = []
        self.source_map: StarSourceMap = StarSourceMap(file=self.file, sheet=None, headers=[], fields=[])
        self.readings = 0
        self.skipped = 0
        self.headers: list[str] = []
        self._suffixes: tuple[list[tuple[str | None, str, int]], list[str]] | None = None
        self._letters: list[str] = []
        self._edition_cache: dict[tuple[str, str], StarEdition | None] = {}
        if is_xlsx(source, self.file):
            self.sheet: str | None
            self.sheet, self._rows = iter_xlsx(source, self.file, sheet)
        else:
            self.sheet, self._rows = None, iter_csv(source, self.file)
        try:
            self._fixed = self._fixed_edition()
            header = find_header(self._rows, column_map=self.column_map, registry=self.registry, fixed=self._fixed,
                                 file=self.file, sheet=self.sheet)
        except ConversionError:
            self._rows.close()  # type: ignore[attr-defined]  # a generator: closes the file now, not at collection
            raise
        self.header_row = header.row
        self.headers = header.headers
        self.counter = CoverageCounter()
        self.tally = RowTally()
        self._personal = header.personal
        self._groups = [GROUPS["fields"] if i in header.taken else GROUPS["personal"] if i in header.personal
                        else GROUPS["scores"] if h else GROUPS["unheaded"] for i, h in enumerate(self.headers)]
        self._beyond: set[int] = set()
        self._releases: dict[str, dt.date | None] = {}
        self.roles = header.roles
        self.long = header.long
        self._meta = header.meta
        self._taken = header.taken
        self._score_columns = header.score_columns
        self._header_edition = header.edition
        self._plans: dict[str, tuple[list[tuple[int, Any, dict[str, Any]]], int, list[int]]] = {}
        self._ids: dict[str, int] = {}
        self._seen: dict[int, int] = {}
        self._person_editions: dict[tuple[str, str], tuple[str, int]] = {}
        self._flagged_mixed: set[tuple[str, str, str]] = set()
        self._flagged_extras: set[tuple[str, int]] = set()
        self._report_header(header)
        self.source_map = StarSourceMap(file=self.file, sheet=self.sheet, headers=self.headers,
                                        fields=self._map_suffixes()[0])

    # -- set-up ---------------------------------------------------------------------------------

    def _fixed_edition(self) -> StarEdition | None:
        self._assumed = ""
        if self.star_option is None:
            if self.edition_option is not None:
                raise ConversionError("the edition= option needs star= too (which Star is it an edition of?)")
            return None
        try:
            found = self.registry.get(self.star_option, self.edition_option)
        except UnknownName as error:
            named = self.registry.find(self.star_option, self.edition_option)
            if named is None:
                raise ConversionError(f"star={self.star_option!r}: {error}") from None
            found = named
        editions = self.registry.editions_of(found.id)
        if self.edition_option is None and len(editions) > 1:
            self._assumed = (f"star={self.star_option!r} names no edition, so the latest, the {found.title}, is "
                             f"assumed (the registry has {len(editions)}: "
                             f"{', '.join(e.edition for e in editions)}); pass edition= to say which")
        return found

    def _loc(self, row: int | None = None, column: int | None = None, header: str | None = None) -> SourceLocation:
        letter = column_letter(column) if column is not None else None
        if header is None and column is not None and column < len(self.headers):
            header = self.headers[column] or None
        return SourceLocation(file=self.file, sheet=self.sheet, row=row, column=letter, header=header)

    def problem(self, rule: str, severity: Severity, message: str, *, row: int | None = None,
                column: int | None = None, path: str = "$", value: Any = None) -> None:
        """Record a problem located in the file."""
        self.problems.append(Problem(rule=rule, severity=severity, path=path, message=message,
                                     source=self._loc(row, column), value=value))

    # -- what was read, and what was not --------------------------------------------------------

    def _part(self, group: str) -> str:
        return f"{self.sheet}: {group}" if self.sheet else group

    def _report_header(self, header: ExportHeader) -> None:
        """Count the header; report the rows above it, the personal-data columns and an inferred edition."""
        self.counter.read(self._part(GROUPS["header"]), sum(1 for h in header.headers if h))
        for number, texts in header.preamble:
            filled = [t for t in texts if t]
            self.counter.not_read(self._part(GROUPS["preamble"]), len(filled))
            self.problems.append(not_read(self._loc(number), " | ".join(filled),
                                          why="above the header row, so not a reading"))
        for column, what in header.personal.items():
            self.problem("star.personal-data", "warning",
                         f"the column {shown(header.headers[column])} holds {what}: personal data is never read into a "
                         "package, so it is not converted. Remove the column from the export before the file is "
                         "shared (a pseudonymous service-user id is all a package needs)",
                         row=header.row, column=column)
        if self._assumed:
            self.problem("star.edition-inferred", "warning", self._assumed)
        if header.edition is not None:
            self.problem("star.edition-inferred", "warning",
                         f"the export has no Star column and no star= was given, so the Star was inferred from the "
                         f"area headings: the {header.edition.title} ({header.guessed}); pass star= and edition= "
                         "to say which", row=header.row)

    def _account(self, number: int, cells: list[Cell], read: set[int] | None) -> None:
        """Count a row's non-empty cells: those in *read* as read, the others as not read (each one reported)."""
        groups, width = self._groups, len(self._groups)
        for index, cell in enumerate(cells):
            if cell is None or cell == "" or cell_text(cell) == "":
                continue
            if index >= width:
                self.counter.not_read(self._part(GROUPS["unheaded"]))
                if index not in self._beyond:
                    self._beyond.add(index)
                    self.problem("star.column-ignored", "warning",
                                 f"column {column_letter(index)} has values but no heading (it is beyond the header "
                                 "row), so it is not converted", row=number, column=index)
            elif read is not None and index in read:
                self.counter.read(self._part(groups[index]))
            else:
                self.counter.not_read(self._part(groups[index]))

    def _footer(self, number: int, cells: list[Cell]) -> bool:
        """Whether the row is a footer or totals line (reported as not read), not a reading."""
        texts = [t for t in map(cell_text, cells) if t]
        person_col, date_col = self.roles["person"], self.roles["date"]
        person = cell_text(cells[person_col]) if person_col < len(cells) else ""
        date = cells[date_col] if date_col < len(cells) else None
        if texts and _FOOTER.match(texts[0]) and parse_date(date) is None:
            why = "a footer or totals row, not a reading"
        elif 0 < len(texts) <= 2 and not person and cell_text(date) == "":  # a note below the table
            why = "the row has no service-user id and no reading date, so it is not a reading"
        else:
            return False
        self.counter.not_read(self._part(GROUPS["footer"]), len(texts))
        self.problems.append(not_read(self._loc(number), " | ".join(texts), why=why))
        return True

    def _release(self, edition: StarEdition) -> dt.date | None:
        """The first day an edition's readings can be from (its release year or month), when known."""
        if edition.instrument not in self._releases:
            match = re.match(r"^(\d{4})(?:-(\d{2}))?", edition.released or "")
            self._releases[edition.instrument] = dt.date(int(match.group(1)), int(match.group(2) or 1), 1) \
                if match else None
        return self._releases[edition.instrument]

    def _check_release(self, edition: StarEdition, date: dt.date, number: int) -> None:
        released = self._release(edition)
        if released is None or date >= released:
            return
        hedge = " (that release date is not confirmed)" if "released" in edition.unconfirmed else ""
        self.tally.note("star.before-release", edition.instrument, number,
                       f"the reading is dated {date.isoformat()}, before the {edition.title} was released "
                       f"({edition.released}){hedge}; check the edition and the date",
                       plural=f"readings on the {edition.title} are dated before it was released "
                              f"({edition.released}){hedge}; check the edition and the dates",
                       column=self.roles["date"], value=date.isoformat())

    def finish(self) -> None:
        """Add the gathered warnings (one per kind, with a count and the first rows) to `problems`."""
        for rule, message, row, column, value, severity in self.tally.entries():
            self.problem(rule, severity, message, row=row, column=column, value=value)  # type: ignore[arg-type]

    # -- the columns of an edition --------------------------------------------------------------

    def _columns_for(self, edition: StarEdition) -> tuple[list[tuple[int, Any]], list[int]]:
        """The (column, area) pairs of a wide export for *edition*, and the columns it does not use."""
        by_header = {normalise_label(h): code for code, h in self.column_map.items() if code not in ROLES}
        columns: list[tuple[int, Any]] = []
        extras: list[int] = []
        for index in self._score_columns:
            header = self.headers[index]
            code = by_header.get(normalise_label(header)) if header else None
            area = edition.area(code) if code is not None else edition.match_area(header) if header else None
            if area is not None:
                columns.append((index, area))
            else:
                extras.append(index)
        order = {code: i for i, code in enumerate(edition.area_codes)}
        columns.sort(key=lambda pair: order[pair[1].code])  # values follow the Star's order, not the file's
        found = {area.code for _, area in columns}
        missing = [a.label for a in edition.areas if a.code not in found]
        if missing and not self.long:
            self.problem("star.missing-area-column", "warning",
                         f"the export has no column for {len(missing)} area(s) of the {edition.title}: "
                         f"{', '.join(missing)}", row=self.header_row, value=missing)
        return columns, extras

    def _flag_extra(self, edition: StarEdition, index: int, number: int, cell: Cell) -> None:
        """A value in a column that is not an area of *edition*: reported once per column and edition."""
        header = self.headers[index]
        elsewhere = self._other_edition_with(header, edition) if header else None
        if elsewhere is not None:
            self.problem("star.unknown-area", "error",
                         f"{shown(header)} is an area of the {elsewhere.title}, not of the {edition.title}; its "
                         f"scores in readings on the {edition.title} are not converted (check the Star edition)",
                         row=number, column=index, value=cell_text(cell)[:200])
        elif header:
            self.problem("star.column-ignored", "warning",
                         f"the column {shown(header)} is not a Star area of the {edition.title} or a reading field, "
                         "so it is not converted (map it with column_map= if it should be)",
                         row=number, column=index, value=cell_text(cell)[:200])
        else:
            self.problem("star.column-ignored", "warning",
                         f"column {column_letter(index)} has values but no heading, so it is not converted",
                         row=number, column=index, value=cell_text(cell)[:200])

    def _other_edition_with(self, header: str, edition: StarEdition) -> StarEdition | None:
        same_star = [e for e in self.registry if e.id == edition.id and e is not edition]
        others = [e for e in self.registry if e.id != edition.id]
        for candidate in (*same_star, *others):
            if candidate.match_area(header) is not None:
                return candidate
        return None

    def _plan(self, edition: StarEdition) -> tuple[list[tuple[int, Any, dict[str, Any]]], int, list[int]]:
        plan = self._plans.get(edition.instrument)
        if plan is None:
            pairs, extra_columns = self._columns_for(edition)
            plan = ([(col, area, {"code": area.code, "label": area.label, "value": 0, "scale_min": edition.scale_min,
                                  "scale_max": edition.scale_max}) for col, area in pairs],
                    edition.scale_max, extra_columns)
            self._plans[edition.instrument] = plan
        return plan


    def value_columns(self) -> dict[str, dict[str, int]] | None:
        """
        For each edition met so far (by instrument), the column of each area's values in a wide export.

        ``None`` when an edition has two columns for one area, so that a value's code does not say its column.
        """
        out: dict[str, dict[str, int]] = {}
        for instrument, (pairs, _, _) in self._plans.items():
            columns = {area.code: col for col, area, _ in pairs}
            if len(columns) < len(pairs):
                return None
            out[instrument] = columns
        return out

    # -- rows -----------------------------------------------------------------------------------

    def _edition_of(self, cells: list[Cell], number: int) -> StarEdition | None:
        if self._fixed is not None:
            return self._fixed
        if self._header_edition is not None:
            return self._header_edition
        star_col = self.roles.get("star")
        edition_col = self.roles.get("edition")
        star_text = cell_text(cells[star_col]) if star_col is not None and star_col < len(cells) else ""
        edition_text = cell_text(cells[edition_col]) if edition_col is not None and edition_col < len(cells) else ""
        key = (star_text, edition_text)
        cache = self._edition_cache
        if key in cache:
            return cache[key]
        found: StarEdition | None = None
        parts = self.registry.split_name(star_text) if star_text else None
        if parts is not None:
            star_id, written = parts
            wanted = edition_text or written
            if wanted is None:
                found = self._best_edition(star_id, star_text, number, star_col)
            else:
                try:
                    found = self.registry.get(star_id, wanted)
                except UnknownName:
                    found = None
        cache[key] = found
        if found is None:
            what = f"{shown(star_text)}" + (f" edition {shown(edition_text)}" if edition_text else "")
            if not star_text:
                what = "an empty Star cell"
            self.problem("star.unknown-star", "error",
                         f"{what} is not a known Outcomes Star edition, so readings with it are not converted "
                         "(add it with stars=, or pass star= and edition=)",
                         row=number, column=star_col, value=star_text[:200])
        return found

    def _best_edition(self, star_id: str, star_text: str, number: int, column: int | None) -> StarEdition:
        """The edition a Star cell without one means: the only one, or the best fit (said in a warning)."""
        editions = self.registry.editions_of(star_id)
        if len(editions) == 1:
            return editions[-1]
        if self.long:
            chosen, why = editions[-1], "the latest"
        else:
            headers = [self.headers[i] for i in self._score_columns if self.headers[i]]
            scores = [sum(e.match_area(h) is not None for h in headers) for e in editions]
            best = max(scores)
            chosen = [e for e, s in zip(editions, scores, strict=True) if s == best][-1]
            ties = scores.count(best) > 1
            why = (f"the latest of those whose areas fit the headings equally ({best} headings)" if ties
                   else f"its areas fit the headings best ({best} headings)")
        known = ", ".join(e.edition for e in editions)
        self.problem("star.edition-inferred", "warning",
                     f"the Star cell {shown(star_text)} names no edition, so the {chosen.title} was assumed ({why}; "
                     f"the registry has editions {known}); add an Edition column or pass star= and edition=",
                     row=number, column=column, value=star_text[:200])
        return chosen

    def _skip(self, number: int, reason: str) -> None:
        self.skipped += 1
        self.problem("star.reading-not-converted", "error", f"row {number} is not converted: {reason}",
                     row=number)

    def _common(self, cells: list[Cell], number: int) -> tuple[str, dt.date, StarEdition,
                                                              dict[str, Any]] | None:
        """The person, date, edition and metadata of a row, or None (with problems) when it cannot be read."""
        roles = self.roles
        width = len(cells)
        person_col = roles["person"]
        person = cell_text(cells[person_col]) if person_col < width else ""
        if not person:
            self.problem("star.missing-person", "error", "the service-user id is empty", row=number,
                         column=person_col)
            self._skip(number, "no service-user id")
            return None
        if looks_like_health_number(person) or looks_like_name(person):
            one, many = (("a CHI or NHS number", "CHI or NHS numbers") if looks_like_health_number(person)
                         else ("a person's name", "people's names"))
            self.skipped += 1
            self.tally.note("star.personal-id", many, number,
                           f"the service-user id looks like {one}, which is personal data; the reading is not "
                           "converted (replace the ids by pseudonymous ones first)",
                           plural=f"service-user ids look like {many}, which are personal data; those readings are "
                                  "not converted (replace the ids by pseudonymous ones first)",
                           column=person_col, severity="error")
            return None
        if _WHITESPACE.search(person):
            fixed = _WHITESPACE.sub("-", person)
            self.tally.note("star.person-id-changed", None, number,
                           f"the service-user id {shown(person)} contains spaces; it is written as {shown(fixed)}",
                           plural="service-user ids contain spaces; each is written with hyphens instead",
                           column=person_col, value=person[:200])
            person = fixed
        date_col = roles["date"]
        raw = cells[date_col] if date_col < width else None
        if raw is None or raw == "":
            self.problem("star.missing-date", "error", "the reading date is empty", row=number, column=date_col)
            self._skip(number, "no reading date")
            return None
        date = parse_date(raw)
        if date is None:
            self.problem("star.bad-date", "error", f"reading date {date_problem(raw)}", row=number, column=date_col,
                         value=cell_text(raw)[:40])
            self._skip(number, "the reading date cannot be read")
            return None
        if date > self.today:
            self.problem("star.future-date", "error",
                         f"the reading is dated {date.isoformat()}, in the future (today is "
                         f"{self.today.isoformat()})", row=number, column=date_col, value=date.isoformat())
            self._skip(number, "the reading date is in the future")
            return None
        edition = self._edition_of(cells, number)
        if edition is None:
            self._skip(number, "the Star edition is not known")
            return None
        self._check_release(edition, date, number)
        meta: dict[str, Any] = {"star": edition.id, "edition": edition.edition}
        for role, col in self._meta:
            value = meta_value(role, cells[col]) if col < width else ""
            if value != "":
                meta[role] = value
        return person, date, edition, meta

    def _score(self, cell: Cell, edition: StarEdition, area: Any, number: int, column: int) -> int | None:
        if isinstance(cell, str):
            text = cell.strip()
            if text.isascii() and text.isdigit():
                value: float = int(text)
            elif not text:
                return None
            else:
                try:
                    value = float(text) if text.isascii() else math.nan  # not "²", "٣" or other digits
                    if not math.isfinite(value):
                        raise ValueError(text)  # "inf", "NaN", "1e999": not a score
                except ValueError:
                    self.problem("star.score-not-a-number", "error",
                                 f"the {area.label} score {shown(text)} is not a number", row=number, column=column,
                                 value=text[:200])
                    return None
        elif cell is None:
            return None
        elif isinstance(cell, bool) or not isinstance(cell, int | float) or not math.isfinite(cell):
            self.problem("star.score-not-a-number", "error",
                         f"the {area.label} score {shown(cell_text(cell))} is not a number", row=number, column=column,
                         value=cell_text(cell)[:200])
            return None
        else:
            value = cell
        if value != int(value) or not edition.scale_min <= value <= edition.scale_max:
            score = int(value) if value == int(value) else value
            self.problem("star.score-out-of-scale", "error",
                         f"the {area.label} score {score} is outside the {edition.title} scale of "
                         f"{edition.scale_min} to {edition.scale_max} (whole numbers)", row=number, column=column,
                         value=score)
            return None
        return int(value)

    def _evidence(self, person: str, date: dt.date, edition: StarEdition, *, meta: dict[str, Any],
                  values: list[dict[str, Any]], number: int, columns: list[int]) -> dict[str, Any] | None:
        if not values:
            self._skip(number, "it has no valid area score")
            return None
        iso = date.isoformat()
        base = f"star-{person}-{iso}{reading_id_suffix(meta.get('reading_number'))}"
        if self.cross_row_checks:
            key = hash((person, iso, edition.instrument, tuple(meta.items()),
                        tuple((v["code"], v["value"]) for v in values)))
            first = self._seen.get(key)
            if first is not None:
                self.tally.note("star.duplicate-reading", "exact", number,
                               f"row {number} repeats the reading in row {first} exactly; it is converted once",
                               plural="rows repeat an earlier reading exactly; each is converted once")
                return None
            self._seen[key] = number
            self._check_editions(person, edition, number)
            count = self._ids.get(base, 0) + 1
            self._ids[base] = count
            if count > 1:
                base += f"-{count}"
        provenance = self._provenance(number)
        evidence: dict[str, Any] = {"id": base, "kind": "assessment", "date": iso,
                                    "subject": {"type": "person", "id": person}, "instrument": edition.instrument,
                                    "values": values, "provenance": provenance,
                                    "extension_data": {EXTENSION: meta}}
        if self.organisation_id:
            evidence["collected_by"] = self.organisation_id
        if self.want_source_map:
            self._map(evidence, number, columns)
        self.readings += 1
        return evidence

    def _provenance(self, number: int) -> dict[str, Any]:
        provenance: dict[str, Any] = {"original_format": FORMAT, "file": self.file, "row": number,
                                      "converted_by": FORMAT}
        if self.sheet is not None:
            provenance["sheet"] = self.sheet
        if self.source_system:
            provenance["source_system"] = self.source_system
        if self.converter_version:
            provenance["converter_version"] = self.converter_version
        return provenance

    def _check_editions(self, person: str, edition: StarEdition, number: int) -> None:
        key = (person, edition.id)
        first = self._person_editions.get(key)
        if first is None:
            self._person_editions[key] = (edition.edition, number)
            return
        if first[0] != edition.edition and (person, edition.id, edition.edition) not in self._flagged_mixed:
            self._flagged_mixed.add((person, edition.id, edition.edition))
            self.problem("star.mixed-editions", "warning",
                         f"service user {shown(person)} has readings on edition {first[0]} (row {first[1]}) and edition "
                         f"{edition.edition} (row {number}) of the {edition.name}; change is only measured "
                         "between readings of one edition", row=number, value=edition.edition)

    def _map(self, evidence: dict[str, Any], number: int, columns: list[int]) -> None:
        """Where the reading's fields and values came from (worked out when a path is looked up)."""
        self.source_map.add(self.readings, row=number, columns=columns,
                            roles=tuple(evidence["extension_data"][EXTENSION]))

    def _map_suffixes(self) -> tuple[list[tuple[str | None, str, int]], list[str]]:
        """The JSONPath suffixes of a reading's fields and values, built once."""
        cached = self._suffixes
        if cached is None:
            roles = self.roles
            fields: list[tuple[str | None, str, int]] = [
                (None, child("$", "subject", "id")[1:], roles["person"]), (None, child("$", "date")[1:], roles["date"])]
            if "star" in roles:
                fields.append((None, child("$", "instrument")[1:], roles["star"]))
            fields += [(role, child("$", "extension_data", EXTENSION, role)[1:], col) for role, col in self._meta]
            values = [child("$", "values", j, "value")[1:] for j in range(len(self.headers))]
            cached = self._suffixes = (fields, values)
            self._letters = [column_letter(i) for i in range(len(self.headers))]
        return cached

    def _wide_row(self, number: int, cells: list[Cell]) -> dict[str, Any] | None:
        """One row of a wide export, checked cell by cell: the general path."""
        if not any(c is not None and c != "" for c in cells) or self._footer(number, cells):
            return None
        common = self._common(cells, number)
        if common is None:
            self._account(number, cells, None)
            return None
        person, date, edition, meta = common
        columns, _, extras = self._plan(edition)
        if extras:
            width = len(cells)
            flagged = self._flagged_extras
            for col in [c for c in extras if c < width and cells[c] is not None and cells[c] != ""]:
                if cell_text(cells[col]) and (edition.instrument, col) not in flagged:
                    flagged.add((edition.instrument, col))  # reported once; its values are never read
                    self._flag_extra(edition, col, number, cells[col])
        values: list[dict[str, Any]] = []
        used: list[int] = []
        width = len(cells)
        blank: list[str] = []
        for col, area, template in columns:
            cell = cells[col] if col < width else None
            score = self._score(cell, edition, area, number, col)
            if score is None:
                if cell is None or cell_text(cell) == "":
                    blank.append(area.label)
                continue
            value = template.copy()
            value["value"] = score
            values.append(value)
            used.append(col)
        if blank and values:
            areas = ", ".join(blank)
            self.tally.note("star.missing-score", areas, number, f"the reading has no score for {areas}",
                           plural=f"readings have no score for {areas}", value=blank)
        evidence = self._evidence(person, date, edition, meta=meta, values=values, number=number, columns=used)
        if evidence is None:
            self._account(number, cells, None)
        else:
            self._account(number, cells, {*self._taken, *used})
        return evidence



def _star_registry(stars: Any) -> StarRegistry:
    if stars is None:
        return registry()
    if isinstance(stars, StarRegistry):
        return stars
    return registry().with_file(stars)


def _today(today: dt.date | str | None) -> dt.date:
    if today is None:
        return dt.date.today()
    if isinstance(today, str):
        return dt.date.fromisoformat(today)
    return today
