"""
INDIGO's spreadsheet forms (the database app's XLSX forms) into `ProjectSource` pieces.

A blank form holds ``SPREADSHEETFORM:`` placeholders where the data goes:
``SPREADSHEETFORM:SINGLE:dates/outcomes_contract_signed/value`` for one value,
``SPREADSHEETFORM:DOWN:outcome_metrics:definition/value`` for a list written down the rows
from there. A filled form has the data in those cells instead, so the places are read from a
layout bundled with the family (``indigo/data/forms/*.json``, made from the blank forms by
``python -m sharedoutcomes._devtools.indigo_forms``). A form that still holds only its
placeholders has no data, and is refused with a clear error rather than read as an empty package.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._office import open_workbook
from sharedoutcomes._optional import require
from sharedoutcomes.converters import CoverageCounter, not_read
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.indigo._schema import LISTS, fields
from sharedoutcomes.indigo._values import Key, ProjectSource, column_letter
from sharedoutcomes.problems import Problem, SourceLocation

__all__ = ["FORMS_DIR", "PLACEHOLDER", "form_layout", "form_layouts", "is_form", "read_form"]

PLACEHOLDER: Final = "SPREADSHEETFORM:"
"""How a blank INDIGO form marks the cells data goes in."""

FORMS_DIR: Final = Path(__file__).resolve().parent / "data" / "forms"
"""The bundled layouts of INDIGO's spreadsheet forms."""

_CELL: Final = re.compile(r"([A-Z]+)(\d+)")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def form_layout(cells: Iterator[tuple[str, str, Any]]) -> dict[str, Any]:
    """
    The layout of a blank form from its cells (sheet, coordinate, value): where each field goes, and its static text.

    Example:
        >>> layout = form_layout(iter([("Introduction", "B2", "SPREADSHEETFORM:SINGLE:id"),
        ...                            ("Introduction", "A2", "INDIGO Project ID")]))
        >>> layout["single"], layout["static"]
        ([['Introduction', 'B2', 'id']], {'Introduction': ['A2']})
    """
    single: list[list[str]] = []
    down: list[list[str]] = []
    static: dict[str, list[str]] = {}
    for sheet, coordinate, value in cells:
        text = str(value)
        if text.startswith(PLACEHOLDER):
            parts = text[len(PLACEHOLDER):].split(":")
            if parts[0] == "SINGLE" and len(parts) == 2:
                single.append([sheet, coordinate, parts[1]])
            elif parts[0] == "DOWN" and len(parts) == 3:
                down.append([sheet, coordinate, parts[1], parts[2]])
        else:
            static.setdefault(sheet, []).append(coordinate)
    return {"single": single, "down": down, "static": static}


@functools.cache
def form_layouts() -> Mapping[str, Mapping[str, Any]]:
    """
    The bundled form layouts, by form name.

    Example:
        >>> sorted(form_layouts())
        ['project_public_v019', 'simple_project_v001']
    """
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(FORMS_DIR.glob("*.json"))}


def _open(path: Path) -> Any:
    """The workbook, checked and opened through the one safe way into Office files (unsafe ones refused)."""
    require("openpyxl", extra="xlsx", purpose="reading INDIGO spreadsheet forms")
    return open_workbook(path, name=path.name)


def is_form(path: Path) -> bool:
    """Whether the workbook at *path* is an INDIGO spreadsheet form (its sheets are a bundled form's)."""
    book = _open(path)
    try:
        names = set(book.sheetnames)
    finally:
        book.close()
    return "Introduction" in names and any(_sheets(layout) <= names for layout in form_layouts().values())


def _sheets(layout: Mapping[str, Any]) -> set[str]:
    return set(layout["static"]) | {s for s, *_ in layout["single"]} | {s for s, *_ in layout["down"]}


def _layout(names: set[str]) -> Mapping[str, Any]:
    """The bundled layout whose sheets are most like the workbook's (Jaccard similarity of the sheet names)."""
    def likeness(layout: Mapping[str, Any]) -> float:
        sheets = _sheets(layout)
        return len(names & sheets) / len(names | sheets)
    return max(form_layouts().values(), key=likeness)


def read_form(path: Path, counter: CoverageCounter, problems: list[Problem]) -> ProjectSource:
    """
    The project in the filled INDIGO form at *path*.

    Raises:
        ConversionError: The form is blank (it holds only its ``SPREADSHEETFORM:`` placeholders).
    """
    book = _open(path)
    try:
        grid = {sheet.title: {(r, c): v for r, row in enumerate(sheet.iter_rows(values_only=True), start=1)
                              for c, v in enumerate(row) if v is not None and str(v).strip()}
                for sheet in book.worksheets}
    finally:
        book.close()
    layout = _layout(set(grid))
    used: set[tuple[str, int, int]] = {(s, *_rc(coordinate)) for s, coords in layout["static"].items()
                                       for coordinate in coords}
    placeholders = sum(str(v).startswith(PLACEHOLDER) for cells in grid.values() for v in cells.values())
    source = ProjectSource("", file=path.name)
    for sheet, coordinate, spec in layout["single"]:
        row, column = _rc(coordinate)
        if _add(source, grid, sheet=sheet, row=row, column=column, key=tuple(spec.split("/")), file=path.name):
            used.add((sheet, row, column))
    for sheet, coordinate, name, spec in layout["down"]:
        _down(source, grid, layout, used, sheet=sheet, coordinate=coordinate, name=name, spec=spec, file=path.name)
    if not list(source) and not source.project_id:
        msg = (f"this INDIGO spreadsheet form is blank: its {placeholders} data cells still hold their "
               f"'{PLACEHOLDER}' placeholders, so there is no project to read; fill the form in (or download "
               "the project's filled form from the INDIGO database) and convert it again")
        raise ConversionError(msg, source=SourceLocation(file=path.name))
    source.project_id = source.project_id or path.stem
    for sheet, cells in grid.items():
        for (row, column), value in cells.items():
            if (sheet, row, column) in used or str(value).startswith(PLACEHOLDER):
                continue
            problems.append(not_read(SourceLocation(file=path.name, sheet=sheet, row=row,
                                                    column=column_letter(column)), value,
                                     why="the cell is not one of the form's data cells"))
            counter.not_read(sheet)
    return source


def _down(source: ProjectSource, grid: Mapping[str, Mapping[tuple[int, int], Any]], layout: Mapping[str, Any],
          used: set[tuple[str, int, int]], *, sheet: str, coordinate: str, name: str, spec: str, file: str) -> None:
    first, column = _rc(coordinate)
    columns = [_rc(c)[1] for s, c, n, _ in layout["down"] if s == sheet and n == name]
    cells = grid.get(sheet, {})
    row, index = first, 0
    while any(not str(cells.get((row, c), "")).startswith(PLACEHOLDER) and (row, c) in cells for c in columns):
        if _add(source, grid, sheet=sheet, row=row, column=column, key=(name, index, *spec.split("/")), file=file):
            used.add((sheet, row, column))
        row, index = row + 1, index + 1


def _add(source: ProjectSource, grid: Mapping[str, Mapping[tuple[int, int], Any]], *, sheet: str, row: int,
         column: int, key: Key, file: str) -> bool:
    """Add the cell's value as the leaf *key*; ``False`` when the vendored schema has no such field."""
    value = grid.get(sheet, {}).get((row, column))
    if value is None or str(value).startswith(PLACEHOLDER):
        return True
    if key == ("id",):
        source.project_id = " ".join(str(value).split())
        return True
    schema_path = tuple(k for k in key if not isinstance(k, int))
    if schema_path not in fields():
        return False
    part = str(key[0]) if key[0] in LISTS else sheet
    source.add(key, value, SourceLocation(file=file, sheet=sheet, row=row, column=column_letter(column)), part)
    return True


def _rc(coordinate: str) -> tuple[int, int]:
    match = _CELL.fullmatch(coordinate)
    if match is None:  # pragma: no cover - the bundled layouts hold coordinates only
        msg = f"not a cell coordinate: {coordinate!r}"
        raise ValueError(msg)
    return int(match[2]), _column_index(match[1])

