"""
The header row of a Star export: where it is, what each column means, and which Star its area columns fit.

`find_header` reads rows until one looks like the headings of a Star export: a service-user
id column and either score columns named like a Star's areas (the wide layout) or ``Area``
and ``Score`` columns (the long layout). The rows after it are the readings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

import attrs
from attrs import field, frozen

from sharedoutcomes._util.personal import personal_heading
from sharedoutcomes.exceptions import ConversionError, SourceLocation
from sharedoutcomes.stars._convention import HEADER_INDEX, META_ROLES, ROLES
from sharedoutcomes.stars._edition import StarEdition
from sharedoutcomes.stars._labels import normalise_label
from sharedoutcomes.stars._registry import StarRegistry
from sharedoutcomes.stars._table import Cell, cell_text

__all__ = ["ExportHeader", "find_header"]

_HEADER_SCAN_ROWS: Final = 30


@frozen(kw_only=True)
class ExportHeader:
    """
    The header row of a Star export and what its columns mean.

    Attributes:
        row: The header's row number (counting from 1).
        headers: The headings, as text.
        roles: Each reading field found (``person``, ``date`` … see `ROLES`) and its column index.
        long: Whether the export has one row per area score (``Area`` and ``Score`` columns).
        meta: The reading-metadata fields found, with their columns, in the order of `META_ROLES`.
        taken: The columns of reading fields.
        score_columns: The other columns: the area scores of a wide export.
        edition: The edition the area headings fit, when neither ``star=`` nor a Star column says.
        guessed: Why that edition was chosen (for the warning that says it was inferred).
        personal: The columns whose headings name personal data (a name, a date of birth …), and what
            they name: never read, never offered for mapping.
        preamble: The rows before the header that hold something (a title, the export's filters), as text.

    Example:
        >>> from sharedoutcomes.stars import registry
        >>> rows = iter([(1, ["Client ID", "Date", "My money", "Where I am living"]), (2, ["C-1", "03/04/2024", "3", "4"])])
        >>> header = find_header(rows, column_map={}, registry=registry(), fixed=None, file="x.csv", sheet=None)
        >>> header.row, header.roles, header.edition.id
        (1, {'person': 0, 'date': 1}, 'home-star')
    """

    row: int
    headers: list[str]
    roles: dict[str, int]
    long: bool
    meta: list[tuple[str, int]]
    taken: set[int]
    score_columns: list[int]
    edition: StarEdition | None
    guessed: str = ""
    personal: dict[int, str] = field(factory=dict)
    preamble: tuple[tuple[int, tuple[str, ...]], ...] = ()


def _roles_of(headers: list[str], column_map: Mapping[str, str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    overridden = {normalise_label(h): role for role, h in column_map.items() if role in ROLES}
    for index, header in enumerate(headers):
        key = normalise_label(header)
        role = overridden.get(key)
        if role is None and key in HEADER_INDEX and HEADER_INDEX[key] not in column_map:
            role = HEADER_INDEX[key]
        if role is not None and role not in roles:
            roles[role] = index
    return roles


def _area_like(headers: list[str], roles: dict[str, int], column_map: Mapping[str, str],
               editions: list[StarEdition]) -> int:
    """How many headings name areas of the best-fitting edition (or are mapped to areas)."""
    taken = set(roles.values())
    mapped = {normalise_label(h) for code, h in column_map.items() if code not in ROLES}
    candidates = [h for i, h in enumerate(headers) if i not in taken and h]
    if any(normalise_label(h) in mapped for h in candidates):
        return len(candidates)
    return max(sum(e.match_area(h) is not None for h in candidates) for e in editions)


def find_header(rows: Iterator[tuple[int, list[Cell]]], *, column_map: Mapping[str, str], registry: StarRegistry,
                fixed: StarEdition | None, file: str, sheet: str | None) -> ExportHeader:
    """
    Read *rows* up to and including the header row (within the first 30 rows that are not empty).

    Raises:
        ConversionError: No row looks like the header of a Star export, the header has no
            reading date column, a ``column_map`` heading is missing, or the area columns fit
            several Stars equally well and nothing says which.
    """
    seen: list[list[str]] = []
    numbers: list[int] = []
    editions = [fixed] if fixed is not None else list(registry)
    for number, cells in rows:
        headers = [cell_text(c) for c in cells]
        if not any(headers):
            continue
        seen.append(headers)
        numbers.append(number)
        roles = _roles_of(headers, column_map)
        long = "area" in roles and "score" in roles
        areas = 0 if long or "person" not in roles else _area_like(headers, roles, column_map, editions)
        if "person" in roles and (long or areas >= 2 or (areas and ("star" in roles or fixed is not None))):
            header = _checked(number, headers, roles, long, column_map=column_map, registry=registry, fixed=fixed,
                              where=SourceLocation(file=file, sheet=sheet, row=number))
            preamble = tuple((n, tuple(h)) for n, h in zip(numbers[:-1], seen[:-1], strict=True))
            return attrs.evolve(header, preamble=preamble)
        if len(seen) >= _HEADER_SCAN_ROWS:
            break
    found = "; ".join(", ".join(repr(h) for h in row if h)[:200] for row in seen[:3]) or "nothing"
    msg = ("this does not look like an Outcomes Star export: expected a header row with a service-user id "
           "column (such as 'Service user ID'), a reading date column and either one score column per Star "
           "area (wide layout) or 'Area' and 'Score' columns (long layout); pass column_map= if the headings "
           f"differ. Found: {found}")
    raise ConversionError(msg, source=SourceLocation(file=file, sheet=sheet))


def _checked(number: int, headers: list[str], roles: dict[str, int], long: bool, *, column_map: Mapping[str, str],
             registry: StarRegistry, fixed: StarEdition | None, where: SourceLocation) -> ExportHeader:
    """The header found, once it has a date column and every mapped column; with its edition guessed."""
    if "date" not in roles:
        msg = ("the export has no reading date column (expected a heading such as 'Reading date' or "
               "'Date'); pass column_map={'date': '<heading>'}")
        raise ConversionError(msg, source=where)
    for role, header in column_map.items():
        what = personal_heading(str(header))
        if what is not None:
            msg = (f"column_map= maps {header!r} to {role!r}, but a column headed {header!r} holds {what}: personal "
                   "data is never read into a package. Remove the column from the export (replace names and "
                   "health numbers by a pseudonymous id first) and map that id instead")
            raise ConversionError(msg, source=where)
        if role in ROLES and role not in roles:
            msg = f"column_map names {header!r} for {role!r}, but the header row has no such column"
            raise ConversionError(msg, source=where)
    taken = set(roles.values())
    personal = {i: what for i, h in enumerate(headers) if i not in taken and (what := personal_heading(h))}
    score_columns = [i for i in range(len(headers)) if i not in taken and i not in personal]
    edition, guessed = None, ""
    if fixed is None and "star" not in roles and not long:
        edition, guessed = _guess_edition([headers[i] for i in score_columns if headers[i]], registry, where)
    return ExportHeader(row=number, headers=headers, roles=roles, long=long,
                        meta=[(role, roles[role]) for role in META_ROLES if role in roles], taken=taken,
                        score_columns=score_columns, edition=edition, guessed=guessed, personal=personal)


def _guess_edition(headers: list[str], registry: StarRegistry, where: SourceLocation) -> tuple[StarEdition, str]:
    """The edition whose areas the most headings name (on a tie, the one with fewest areas; else an error)."""
    scored = sorted(((sum(e.match_area(h) is not None for h in headers), -len(e.areas), i, e)
                     for i, e in enumerate(registry)), key=lambda t: t[:3], reverse=True)
    best = scored[0]
    ties = [e for n, size, _, e in sorted(scored, key=lambda t: t[2]) if (n, size) == best[:2]]
    if len(ties) > 1:
        names = ", ".join(e.title for e in ties)
        msg = (f"the area columns fit several Stars equally well ({names}) and the export has no Star column; "
               "pass star= (and edition=)")
        raise ConversionError(msg, source=where)
    edition: StarEdition = best[3]
    runner = next((n for n, _, _, e in scored[1:] if n), 0)
    why = (f"{best[0]} of its {len(edition.areas)} areas are headings of the export"
           + (f"; the next best fit has {runner}" if runner else ""))
    return edition, why
