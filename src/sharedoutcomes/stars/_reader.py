"""
The engine of the Outcomes Star converter: find the columns, turn rows into readings.

Readings come out as JSON-ready evidence dicts (the Star convention of the standard), one
at a time, with every problem located in the file. `ReadingStream` is used both by the
``outcomes-star`` format (which collects the evidence into a package) and by
`sharedoutcomes.stars.iter_readings` (which streams it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from sharedoutcomes._util.paths import child, column_letter, json_path
from sharedoutcomes.exceptions import ConversionError, Problem, Severity, SourceLocation, UnknownName
from sharedoutcomes.stars import StarEdition, StarRegistry, normalise_label, registry
from sharedoutcomes.stars._table import (
    Cell,
    cell_text,
    is_xlsx,
    iter_csv,
    iter_xlsx,
    parse_date,
    source_name,
)

FORMAT: Final = "outcomes-star"
EXTENSION: Final = "outcomes-star"

ROLES: Final = ("person", "date", "star", "edition", "reading_number", "worker", "service", "organisation",
                "status", "completion_type", "area", "score")
"""The columns the converter understands besides the per-area scores (the keys of a ``column_map``)."""

META_ROLES: Final = ("reading_number", "worker", "service", "organisation", "status", "completion_type")
"""Reading metadata kept under ``extension_data["outcomes-star"]``."""

DEFAULT_HEADERS: Final[Mapping[str, tuple[str, ...]]] = {
    "person": ("Service user ID", "Service user", "Service user ref", "Service user reference", "SU ID",
               "Client ID", "Client", "Client ref", "Client reference", "Person ID", "Participant ID",
               "Customer ID", "User ID", "Unique ID", "Individual ID", "Case ID"),
    "date": ("Reading date", "Date of reading", "Star date", "Date", "Assessment date", "Date completed",
             "Completed date", "Completion date", "Review date", "Date of star"),
    "star": ("Star", "Star type", "Star name", "Outcomes Star", "Outcome Star", "Star used", "Tool"),
    "edition": ("Edition", "Star edition", "Version", "Star version"),
    "reading_number": ("Reading number", "Reading no", "Reading #", "Reading", "Reading num",
                       "Reading sequence", "Star number", "Review number"),
    "worker": ("Worker", "Worker ID", "Worker name", "Keyworker", "Key worker", "Support worker",
               "Completed by", "Staff", "Staff member", "Practitioner"),
    "service": ("Service", "Service name", "Project", "Project name", "Team"),
    "organisation": ("Organisation", "Organization", "Organisation name", "Org", "Provider"),
    "status": ("Status", "Reading status", "Approval status", "Star status"),
    "completion_type": ("Completion type", "Completion", "Completed with", "Reading type", "Type of reading",
                        "How completed", "Type"),
    "area": ("Area", "Outcome area", "Star area", "Scale", "Domain", "Area name", "Scale name"),
    "score": ("Score", "Value", "Rating", "Area score", "Reading score"),
}
"""The headings recognised for each column, before a ``column_map`` (case, spacing, punctuation ignored)."""

_HEADER_INDEX: Final = {normalise_label(h): role for role, hs in DEFAULT_HEADERS.items() for h in hs}

STATUS_VALUES: Final = {
    "approved": "approved", "workerapproved": "approved", "approve": "approved",
    "inprogress": "in-progress", "incomplete": "in-progress", "draft": "in-progress", "pending": "in-progress",
    "notapproved": "in-progress", "complete": "complete", "completed": "complete",
}
COMPLETION_VALUES: Final = {
    "collaborative": "collaborative", "agreed": "collaborative", "joint": "collaborative",
    "together": "collaborative", "withserviceuser": "collaborative",
    "workeronly": "worker-only", "worker": "worker-only", "retrospective": "retrospective",
    "serviceuseronly": "service-user-only", "selfcompleted": "service-user-only",
}

_HEADER_SCAN_ROWS: Final = 30
_UNSET: Final[Any] = object()
_WHITESPACE = re.compile(r"\s+")


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold()))


def coded(value: str, table: Mapping[str, str]) -> str:
    """A status or completion type as a code: known spellings mapped, others as a hyphenated slug."""
    return table.get(normalise_label(value)) or _slug(value) or value


class ReadingStream:
    """
    Readings from one Star export, read lazily: iterate for evidence dicts, then see `problems`.

    Memory stays flat with the size of a wide file when ``cross_row_checks`` is off (with it
    on, one small entry per reading is kept to find exact duplicates and mixed editions).
    """

    fast_path: bool = True
    """Use the cached fast path for clean CSV rows (switched off only to measure it)."""

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
        self.registry = _registry(stars)
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
        self.source_map: dict[str, SourceLocation] = {}
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
        self._fixed = self._fixed_edition()
        self._find_header()

    # -- set-up -------------------------------------------------------------------------------

    def _fixed_edition(self) -> StarEdition | None:
        if self.star_option is None:
            if self.edition_option is not None:
                raise ConversionError("the edition= option needs star= too (which Star is it an edition of?)")
            return None
        try:
            return self.registry.get(self.star_option, self.edition_option)
        except UnknownName as error:
            found = self.registry.find(self.star_option, self.edition_option)
            if found is None:
                raise ConversionError(f"star={self.star_option!r}: {error}") from None
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

    def _roles_of(self, headers: list[str]) -> dict[str, int]:
        roles: dict[str, int] = {}
        overridden = {normalise_label(h): role for role, h in self.column_map.items() if role in ROLES}
        for index, header in enumerate(headers):
            key = normalise_label(header)
            role = overridden.get(key)
            if role is None and key in _HEADER_INDEX and _HEADER_INDEX[key] not in self.column_map:
                role = _HEADER_INDEX[key]
            if role is not None and role not in roles:
                roles[role] = index
        return roles

    def _find_header(self) -> None:
        seen: list[list[str]] = []
        for number, cells in self._rows:
            headers = [cell_text(c) for c in cells]
            if not any(headers):
                continue
            seen.append(headers)
            roles = self._roles_of(headers)
            long = "area" in roles and "score" in roles
            areas = 0 if long or "person" not in roles else self._area_like(headers, roles)
            if "person" in roles and (long or areas >= 2 or (areas and ("star" in roles or self._fixed))):
                self.header_row = number
                self.headers = headers
                self.roles = roles
                self.long = long
                self._prepare()
                return
            if len(seen) >= _HEADER_SCAN_ROWS:
                break
        found = "; ".join(", ".join(repr(h) for h in row if h)[:200] for row in seen[:3]) or "nothing"
        msg = ("this does not look like an Outcomes Star export: expected a header row with a service-user id "
               "column (such as 'Service user ID'), a reading date column and either one score column per Star "
               "area (wide layout) or 'Area' and 'Score' columns (long layout); pass column_map= if the headings "
               f"differ. Found: {found}")
        raise ConversionError(msg, source=SourceLocation(file=self.file, sheet=self.sheet))

    def _area_like(self, headers: list[str], roles: dict[str, int]) -> int:
        """How many headings name areas of the best-fitting edition (or are mapped to areas)."""
        taken = set(roles.values())
        mapped = {normalise_label(h) for code, h in self.column_map.items() if code not in ROLES}
        candidates = [h for i, h in enumerate(headers) if i not in taken and h]
        if any(normalise_label(h) in mapped for h in candidates):
            return len(candidates)
        editions = [self._fixed] if self._fixed is not None else list(self.registry)
        return max(sum(e.match_area(h) is not None for h in candidates) for e in editions)

    def _prepare(self) -> None:
        roles = self.roles
        if "date" not in roles:
            msg = ("the export has no reading date column (expected a heading such as 'Reading date' or "
                   "'Date'); pass column_map={'date': '<heading>'}")
            raise ConversionError(msg, source=self._loc(self.header_row))
        for role, header in self.column_map.items():
            if role in ROLES and role not in roles:
                msg = f"column_map names {header!r} for {role!r}, but the header row has no such column"
                raise ConversionError(msg, source=self._loc(self.header_row))
        self._meta = [(role, roles[role]) for role in META_ROLES if role in roles]
        self._taken = set(roles.values())
        self._score_columns = [i for i in range(len(self.headers)) if i not in self._taken]
        self._header_edition: StarEdition | None = None
        if self._fixed is None and "star" not in roles:
            self._header_edition = self._guess_edition()
        self._plans: dict[str, tuple[list[tuple[int, Any, dict[str, Any]]], int, list[int]]] = {}
        self._ids: dict[str, int] = {}
        self._seen: dict[int, int] = {}
        self._person_editions: dict[tuple[str, str], tuple[str, int]] = {}
        self._flagged_mixed: set[tuple[str, str, str]] = set()

    def _guess_edition(self) -> StarEdition | None:
        if self.long:
            return None
        headers = [self.headers[i] for i in self._score_columns if self.headers[i]]
        scored = sorted(((sum(e.match_area(h) is not None for h in headers), -len(e.areas), i, e)
                         for i, e in enumerate(self.registry)), key=lambda t: t[:3], reverse=True)
        best = scored[0]
        ties = [e for n, size, _, e in sorted(scored, key=lambda t: t[2]) if (n, size) == best[:2]]
        if len(ties) > 1:
            names = ", ".join(e.title for e in ties)
            msg = (f"the area columns fit several Stars equally well ({names}) and the export has no Star column; "
                   "pass star= (and edition=)")
            raise ConversionError(msg, source=self._loc(self.header_row))
        return best[3]

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
                         f"{header!r} is an area of the {elsewhere.title}, not of the {edition.title}; its "
                         f"scores in readings on the {edition.title} are not converted (check the Star edition)",
                         row=number, column=index, value=cell_text(cell))
        elif header:
            self.problem("star.column-ignored", "warning",
                         f"the column {header!r} is not a Star area of the {edition.title} or a reading field, "
                         "so it is not converted (map it with column_map= if it should be)",
                         row=number, column=index, value=cell_text(cell))
        else:
            self.problem("star.column-ignored", "warning",
                         f"column {column_letter(index)} has values but no heading, so it is not converted",
                         row=number, column=index, value=cell_text(cell))

    def _other_edition_with(self, header: str, edition: StarEdition) -> StarEdition | None:
        same_star = [e for e in self.registry if e.id == edition.id and e is not edition]
        others = [e for e in self.registry if e.id != edition.id]
        for candidate in (*same_star, *others):
            if candidate.match_area(header) is not None:
                return candidate
        return None

    # -- rows ---------------------------------------------------------------------------------

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
                found = self._best_edition(star_id)
            else:
                try:
                    found = self.registry.get(star_id, wanted)
                except UnknownName:
                    found = None
        cache[key] = found
        if found is None:
            what = f"{star_text!r}" + (f" edition {edition_text!r}" if edition_text else "")
            if not star_text:
                what = "an empty Star cell"
            self.problem("star.unknown-star", "error",
                         f"{what} is not a known Outcomes Star edition, so readings with it are not converted "
                         "(add it with stars=, or pass star= and edition=)",
                         row=number, column=star_col, value=star_text)
        return found

    def _best_edition(self, star_id: str) -> StarEdition:
        editions = self.registry.editions_of(star_id)
        if self.long or len(editions) == 1:
            return editions[-1]
        headers = [self.headers[i] for i in self._score_columns if self.headers[i]]
        scores = [sum(e.match_area(h) is not None for h in headers) for e in editions]
        best = max(scores)
        return [e for e, s in zip(editions, scores, strict=True) if s == best][-1]

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
        if _WHITESPACE.search(person):
            fixed = _WHITESPACE.sub("-", person)
            self.problem("star.person-id-changed", "warning",
                         f"the service-user id {person!r} contains spaces; it is written as {fixed!r}",
                         row=number, column=person_col, value=person)
            person = fixed
        date_col = roles["date"]
        raw = cells[date_col] if date_col < width else None
        if raw is None or raw == "":
            self.problem("star.missing-date", "error", "the reading date is empty", row=number, column=date_col)
            self._skip(number, "no reading date")
            return None
        date = parse_date(raw)
        if date is None:
            self.problem("star.bad-date", "error",
                         f"{cell_text(raw)!r} is not a date (expected dd/mm/yyyy, d Month yyyy, yyyy-mm-dd or an "
                         "Excel date)", row=number, column=date_col, value=raw)
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
        meta: dict[str, Any] = {"star": edition.id, "edition": edition.edition}
        for role, col in self._meta:
            value = self._meta_value(role, cells[col]) if col < width else ""
            if value != "":
                meta[role] = value
        return person, date, edition, meta

    def _score(self, cell: Cell, edition: StarEdition, area: Any, number: int, column: int) -> int | None:
        if isinstance(cell, str):
            text = cell.strip()
            if text.isdigit():
                value: float = int(text)
            elif not text:
                return None
            else:
                try:
                    value = float(text)
                except ValueError:
                    self.problem("star.score-not-a-number", "error",
                                 f"the {area.label} score {text!r} is not a number", row=number, column=column,
                                 value=text)
                    return None
        elif cell is None:
            return None
        elif isinstance(cell, bool) or not isinstance(cell, int | float):
            self.problem("star.score-not-a-number", "error",
                         f"the {area.label} score {cell_text(cell)!r} is not a number", row=number, column=column,
                         value=cell_text(cell))
            return None
        else:
            value = cell
        if value != int(value) or not edition.scale_min <= value <= edition.scale_max:
            shown = int(value) if value == int(value) else value
            self.problem("star.score-out-of-scale", "error",
                         f"the {area.label} score {shown} is outside the {edition.title} scale of "
                         f"{edition.scale_min} to {edition.scale_max} (whole numbers)", row=number, column=column,
                         value=shown)
            return None
        return int(value)

    def _evidence(self, person: str, date: dt.date, edition: StarEdition, *, meta: dict[str, Any],
                  values: list[dict[str, Any]], number: int, columns: list[int]) -> dict[str, Any] | None:
        if not values:
            self._skip(number, "it has no valid area score")
            return None
        iso = date.isoformat()
        base = f"star-{person}-{iso}"
        if "reading_number" in meta:
            number_text = meta["reading_number"]
            base += f"-{number_text}" if type(number_text) is int else f"-{_slug(number_text) or 'x'}"
        if self.cross_row_checks:
            key = hash((person, iso, edition.instrument, tuple(meta.items()),
                        tuple((v["code"], v["value"]) for v in values)))
            first = self._seen.get(key)
            if first is not None:
                self.problem("star.duplicate-reading", "warning",
                             f"row {number} repeats the reading in row {first} exactly; it is converted once",
                             row=number)
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
                         f"service user {person!r} has readings on edition {first[0]} (row {first[1]}) and edition "
                         f"{edition.edition} (row {number}) of the {edition.name}; change is only measured "
                         "between readings of one edition", row=number, value=edition.edition)

    def _map(self, evidence: dict[str, Any], number: int, columns: list[int]) -> None:
        base = json_path(["evidence", self.readings])
        smap = self.source_map
        fields, values = self._map_suffixes()
        file, sheet = self.file, self.sheet
        letters, headers = self._letters, self.headers
        meta = evidence["extension_data"][EXTENSION]
        for role, suffix, col in fields:
            if role is None or role in meta:
                smap[base + suffix] = SourceLocation(file=file, sheet=sheet, row=number, column=letters[col],
                                                     header=headers[col] or None)
        for suffix, col in zip(values, columns, strict=False):
            smap[base + suffix] = SourceLocation(file=file, sheet=sheet, row=number, column=letters[col],
                                                 header=headers[col] or None)

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

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._iter_long() if self.long else self._iter_wide()

    def _plan(self, edition: StarEdition) -> tuple[list[tuple[int, Any, dict[str, Any]]], int, list[int]]:
        plan = self._plans.get(edition.instrument)
        if plan is None:
            pairs, extra_columns = self._columns_for(edition)
            plan = ([(col, area, {"code": area.code, "label": area.label, "value": 0, "scale_min": edition.scale_min,
                                  "scale_max": edition.scale_max}) for col, area in pairs],
                    edition.scale_max, extra_columns)
            self._plans[edition.instrument] = plan
        return plan

    def _wide_row(self, number: int, cells: list[Cell]) -> dict[str, Any] | None:
        """One row of a wide export, checked cell by cell: the general path."""
        if not any(c is not None and c != "" for c in cells):
            return None
        common = self._common(cells, number)
        if common is None:
            return None
        person, date, edition, meta = common
        columns, _, extras = self._plan(edition)
        if extras:
            width = len(cells)
            for col in [c for c in extras if c < width and cells[c] is not None and cells[c] != ""]:
                if cell_text(cells[col]):
                    extras.remove(col)
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
            self.problem("star.missing-score", "warning",
                         f"the reading has no score for {', '.join(blank)}", row=number, value=blank)
        return self._evidence(person, date, edition, meta=meta, values=values, number=number, columns=used)

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
        unusual goes to `_wide_row`, which finds and reports the problem as it always does.
        """
        roles = self.roles
        person_col, date_col = roles["person"], roles["date"]
        star_col, edition_col = roles.get("star"), roles.get("edition")
        width_needed = max(self._taken | set(self._score_columns)) + 1 if self._score_columns else 0
        meta_cols: list[tuple[str, int, dict[Any, Any]]] = [(role, col, {}) for role, col in self._meta]
        today = self.today
        dates: dict[Any, dt.date] = {}  # raw text -> date, for dates that passed every check
        isos: dict[dt.date, str] = {}
        checks = self.cross_row_checks
        organisation_id = self.organisation_id
        provenance = self._provenance(0)
        fixed = self._fixed or self._header_edition
        # per Star cell text: the edition, its (column, {score text: finished value dict}) pairs,
        # the columns it does not use, and its instrument
        editions: dict[Any, tuple[StarEdition, list[tuple[int, dict[Any, dict[str, Any]]]], list[int], str,
                                  list[int]]] = {}

        def plan_for(edition: StarEdition) -> tuple[StarEdition, list[tuple[int, dict[Any, dict[str, Any]]]],
                                                    list[int], str, list[int]]:
            columns, _, extras = self._plan(edition)
            scores = range(edition.scale_min, edition.scale_max + 1)
            return (edition, [(col, {str(n): {**template, "value": n} for n in scores}) for col, _, template in columns],
                    extras, edition.instrument, [col for col, _, _ in columns])

        fixed_plan = plan_for(fixed) if fixed is not None else None
        simple_provenance = set(provenance) == {"original_format", "file", "row", "converted_by", "converter_version"}
        file, version = self.file, self.converter_version
        evidence_of = self._evidence
        slow = self._wide_row
        want_map = self.want_source_map
        for number, cells in self._rows:
            if len(cells) < width_needed:
                evidence = slow(number, cells)
                if evidence is not None:
                    yield evidence
                continue
            person = cells[person_col].strip()  # type: ignore[union-attr]  # CSV cells are text
            raw_date = cells[date_col]
            date = dates.get(raw_date) if person and " " not in person and person.isprintable() else _UNSET
            if date is None:
                parsed = parse_date(raw_date) if raw_date else None
                if parsed is not None and parsed <= today:
                    if len(dates) >= 4096:  # bounded, so memory stays flat
                        dates.clear()
                        isos.clear()
                    date = dates[raw_date] = parsed
                    isos[parsed] = parsed.isoformat()
            plan = fixed_plan
            if plan is None and date is not None and date is not _UNSET:
                key = cells[star_col] if edition_col is None else (cells[star_col], cells[edition_col])  # type: ignore[index]
                plan = editions.get(key)
                if plan is None:
                    found = self._edition_of(cells, number)
                    if found is not None:
                        editions[key] = plan = plan_for(found)
            if date is None or date is _UNSET or plan is None:
                evidence = slow(number, cells)  # the general path finds and reports what is wrong
                if evidence is not None:
                    yield evidence
                continue
            edition, columns_fast, extras, instrument, value_columns = plan
            if extras and any(cells[c] for c in extras):
                evidence = slow(number, cells)
                if evidence is not None:
                    yield evidence
                continue
            try:  # a copy of the finished value dict for that score: the cheapest way to build it
                values = [table[cells[col]].copy() for col, table in columns_fast]
            except KeyError:
                values = []
            if values:
                meta: dict[str, Any] = {"star": edition.id, "edition": edition.edition}
                for role, col, cache in meta_cols:
                    raw = cells[col]
                    if raw:
                        cached = cache.get(raw)
                        if cached is None:
                            cached = self._meta_value(role, raw)
                            if len(cache) < 4096:  # bounded: worker and service names repeat, ids do not
                                cache[raw] = cached
                        if cached != "":
                            meta[role] = cached
                if checks:
                    evidence = evidence_of(person, date, edition, meta=meta, values=values, number=number,
                                           columns=value_columns)
                    if evidence is not None:
                        yield evidence
                    continue
                iso = isos[date]
                number_text = meta.get("reading_number")
                identifier = f"star-{person}-{iso}" if number_text is None else \
                    f"star-{person}-{iso}-{number_text}" if type(number_text) is int else \
                    f"star-{person}-{iso}-{_slug(number_text) or 'x'}"
                evidence = {"id": identifier, "kind": "assessment", "date": iso,
                            "subject": {"type": "person", "id": person}, "instrument": instrument,
                            "values": values,
                            "provenance": {"original_format": FORMAT, "file": file, "row": number,
                                           "converted_by": FORMAT, "converter_version": version}
                            if simple_provenance else {**provenance, "row": number},
                            "extension_data": {EXTENSION: meta}}
                if organisation_id:
                    evidence["collected_by"] = organisation_id
                if want_map:
                    self._map(evidence, number, value_columns)
                self.readings += 1
                yield evidence
                continue
            evidence = slow(number, cells)  # a blank, odd or bad score: the general path reports it
            if evidence is not None:
                yield evidence

    def _meta_value(self, role: str, raw: Cell) -> Any:
        """A reading-metadata cell as stored: "" when empty."""
        text = cell_text(raw)
        if not text:
            return ""
        if role == "reading_number":
            return int(text) if text.isdigit() and int(text) > 0 else text
        if role == "status":
            return coded(text, STATUS_VALUES)
        if role == "completion_type":
            return coded(text, COMPLETION_VALUES)
        return text

    def _iter_long(self) -> Iterator[dict[str, Any]]:
        area_col, score_col = self.roles["area"], self.roles["score"]
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        for number, cells in self._rows:
            if not any(c is not None and c != "" for c in cells):
                continue
            common = self._common(cells, number)
            if common is None:
                continue
            person, date, edition, meta = common
            key = (person, date, edition.instrument, tuple(meta.items()))
            group = groups.setdefault(key, {"common": common, "row": number, "values": {}, "columns": {}})
            label = cell_text(cells[area_col]) if area_col < len(cells) else ""
            area = edition.match_area(label) if label else None
            if area is None:
                elsewhere = self._other_edition_with(label, edition) if label else None
                hint = f" (it is an area of the {elsewhere.title})" if elsewhere else ""
                self.problem("star.unknown-area", "error",
                             f"{label!r} is not an area of the {edition.title}{hint}; the score is not converted",
                             row=number, column=area_col, value=label)
                continue
            cell = cells[score_col] if score_col < len(cells) else None
            score = self._score(cell, edition, area, number, score_col)
            if score is None:
                continue
            previous = group["values"].get(area.code)
            if previous is not None:
                if previous != score:
                    self.problem("star.conflicting-scores", "error",
                                 f"the reading already has {area.label} = {previous} (row "
                                 f"{group['columns'][area.code][0]}); row {number} says {score}, which is not "
                                 "converted", row=number, column=score_col, value=score)
                else:
                    self.problem("star.duplicate-reading", "warning",
                                 f"row {number} repeats the {area.label} score of row "
                                 f"{group['columns'][area.code][0]}; it is converted once", row=number)
                continue
            group["values"][area.code] = score
            group["columns"][area.code] = (number, score_col)
        for group in groups.values():
            person, date, edition, meta = group["common"]
            values = [{"code": a.code, "label": a.label, "value": group["values"][a.code],
                       "scale_min": edition.scale_min, "scale_max": edition.scale_max}
                      for a in edition.areas if a.code in group["values"]]
            cells_used = [group["columns"][v["code"]] for v in values]
            missing = [a.label for a in edition.areas if a.code not in group["values"]]
            if missing and values:
                self.problem("star.missing-score", "warning",
                             f"the reading has no score for {', '.join(missing)}", row=group["row"], value=missing)
            evidence = self._evidence(person, date, edition, meta=meta, values=values, number=group["row"],
                                      columns=[])
            if evidence is None:
                continue
            if self.want_source_map:
                for j, (row, col) in enumerate(cells_used):
                    self.source_map[json_path(["evidence", self.readings - 1, "values", j, "value"])] = \
                        self._loc(row, col)
            yield evidence


def _registry(stars: Any) -> StarRegistry:
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
