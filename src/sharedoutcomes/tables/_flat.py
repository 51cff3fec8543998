"""
A package document ⇄ rows of JSON values, one list of rows per sheet of the layout.

Flattening rules (documented in ``docs/reference/tables.md``):

- Each object in a collection (``evidence``) is a row; each object in a list inside one
  (``evidence[i].values``) is a row of the child sheet, pointing at its parent by
  ``_parent_id`` (the parent's ``id``) or, when ids are missing or repeated, ``_parent_row``.
- Nested objects are columns ``subject/type``; lists of text are one cell, one item a line;
  each extension's data is a JSON cell ``extension_data/<name>``.
- What no column can hold (an empty list or object, an unknown property, a value of the
  wrong shape) goes, as JSON, into the row's ``_json`` cell and is merged back on reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from attrs import define, field

from sharedoutcomes._util.paths import child, json_path
from sharedoutcomes.converters import CoverageCounter
from sharedoutcomes.exceptions import Problem, SourceLocation
from sharedoutcomes.tables._cells import ABSENT
from sharedoutcomes.tables._layout import (
    EXTENSION_PREFIX,
    OTHER,
    PARENT_ID,
    PARENT_ROW,
    Layout,
    Node,
    Sheet,
    layout,
)

_EXTENSION_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\- ]*")


@define
class Grid:
    """The rows of one sheet, as JSON values keyed by column key (absent keys are empty cells)."""

    sheet: Sheet
    keys: list[str] = field(factory=list)
    rows: list[dict[str, Any]] = field(factory=list)

    def add_key(self, key: str) -> None:
        """Make sure *key* is a column."""
        if key not in self.keys:
            self.keys.append(key)


def _flatten_object(obj: Mapping[str, Any], node: Node, prefix: str, cells: dict[str, Any],
                    children: dict[str, list[Any]] | None) -> dict[str, Any]:
    """Put *obj*'s values into *cells*; return what no column can hold."""
    other: dict[str, Any] = {}
    for name, value in obj.items():
        prop = node.props.get(name)
        if prop is None or (prefix and prop.kind in ("extension", "rows")):
            other[name] = value
        elif prop.kind == "object":
            if isinstance(value, dict) and value:
                assert prop.node is not None
                inner = _flatten_object(value, prop.node, f"{prefix}{name}/", cells, None)
                if inner:
                    other[name] = inner
            else:
                other[name] = value
        elif prop.kind == "extension":
            if isinstance(value, dict) and value and all(_EXTENSION_KEY.fullmatch(k) for k in value):
                for key, data in value.items():
                    cells[EXTENSION_PREFIX + key] = data
            else:
                other[name] = value
        elif prop.kind == "rows":
            if children is not None and isinstance(value, list) and value and all(
                    isinstance(item, dict) for item in value):
                children[name] = value
            else:
                other[name] = value
        else:
            assert prop.column is not None
            cells[prop.column.key] = value
    return other


def _row(obj: Mapping[str, Any], sheet: Sheet, children: dict[str, list[Any]] | None) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    other = _flatten_object(obj, sheet.node, "", cells, children)
    if other or (not cells and not sheet.vertical):
        cells[OTHER] = other
    return cells


def flatten(document: Mapping[str, Any], plan: Layout | None = None) -> dict[str, Grid]:
    """
    Split a package document into grids, one per sheet of the layout (every sheet, even empty).

    Example:
        >>> grids = flatten({"id": "p", "evidence": [{"id": "e1", "values": [{"code": "a", "value": 7}]}]})
        >>> grids["evidence.values"].rows
        [{'_parent_id': 'e1', 'code': 'a', 'value': 7}]
    """
    plan = plan or layout()
    grids = {sheet.name: Grid(sheet=sheet, keys=[c.key for c in sheet.columns]) for sheet in plan.sheets}
    package_sheet = plan.sheets[0]
    collections: dict[str, list[Any]] = {}
    grids[package_sheet.name].rows.append(_row(document, package_sheet, collections))
    for name, items in collections.items():
        grid = grids[name]
        child_names: list[str] = []
        for item in items:
            nested: dict[str, list[Any]] = {}
            grid.rows.append(_row(item, grid.sheet, nested))
            child_names.extend(n for n in nested if n not in child_names)
        for child_name in child_names:
            _flatten_children(grids[f"{name}.{child_name}"], items, child_name)
    for grid in grids.values():
        for row in grid.rows:
            for key in row:
                grid.add_key(key)
        _order_keys(grid)
    return grids


def _flatten_children(grid: Grid, parents: list[Any], name: str) -> None:
    ids = [parent.get("id") for parent in parents]
    by_id = all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids)
    for number, parent in enumerate(parents, start=1):
        items = parent.get(name)
        if not (isinstance(items, list) and items and all(isinstance(item, dict) for item in items)):
            continue
        for item in items:
            row = _row(item, grid.sheet, None)
            head: dict[str, Any] = {}
            if isinstance(parent.get("id"), str) and parent["id"]:
                head[PARENT_ID] = parent["id"]
            if not by_id:
                head[PARENT_ROW] = number
            grid.rows.append({**head, **row})


def _order_keys(grid: Grid) -> None:
    def rank(key: str) -> tuple[int, int]:
        if key in (PARENT_ID, PARENT_ROW):
            return (0, (PARENT_ID, PARENT_ROW).index(key))
        if key == OTHER:
            return (3, 0)
        if key.startswith(EXTENSION_PREFIX):
            return (2, 0)
        return (1, 0)

    grid.keys.sort(key=rank)  # stable: schema order, then first appearance


# -- reading ----------------------------------------------------------------------------------------

Locate = Callable[[str, int, str | None], SourceLocation]
"""(sheet name, row number, column key or None) → where that is in the source."""


@define
class ReadRow:
    """One row read from a sheet: its values by column key, and its row number in the source."""

    values: dict[str, Any]
    number: int
    present_keys: tuple[str, ...] = ()


def _set(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        nxt = target.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            target[part] = nxt
        target = nxt
    target[path[-1]] = value


def _merge(target: dict[str, Any], other: Mapping[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and value:
            _merge(target[key], value)
        elif key not in target or not (isinstance(value, dict) and not value):
            target[key] = value


def _path_of(key: str, sheet: Sheet) -> tuple[str, ...]:
    return sheet.column(key).path


def _build(row: ReadRow, sheet: Sheet, base: str, where: Callable[[str | None], SourceLocation], *,
           source_map: dict[str, SourceLocation], problems: list[Problem]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    source_map[base] = where(None)
    for key in row.present_keys:
        if key in (PARENT_ID, PARENT_ROW, OTHER):
            continue
        path = _path_of(key, sheet)
        source_map[child(base, *path)] = where(key)
    for key, value in row.values.items():
        if key in (PARENT_ID, PARENT_ROW, OTHER):
            continue
        _set(obj, _path_of(key, sheet), value)
    other = row.values.get(OTHER, ABSENT)
    if other is not ABSENT:
        if isinstance(other, dict):
            for key in other:
                source_map.setdefault(child(base, key), where(OTHER))
            _merge(obj, other)
        else:
            problems.append(Problem(
                rule="tables.other-data", severity="error", path=base,
                message="the 'Other data (JSON)' cell must hold a JSON object", source=where(OTHER),
                value=other))
    return obj


def _locator(locate: Locate, sheet: str, row: int) -> Callable[[str | None], SourceLocation]:
    def where(key: str | None) -> SourceLocation:
        return locate(sheet, row, key)

    return where


def unflatten(rows: Mapping[str, list[ReadRow]], locate: Locate, plan: Layout | None = None,
              counter: CoverageCounter | None = None,
              ) -> tuple[dict[str, Any], dict[str, SourceLocation], list[Problem]]:
    """
    Rebuild a package document from the rows read from each sheet.

    Returns the document, the source map (JSONPath → cell) and the problems (rows whose
    parent cannot be found, bad ``_json`` cells …). The cells of a row that cannot be placed
    move from read to not read in *counter*.
    """
    plan = plan or layout()
    source_map: dict[str, SourceLocation] = {}
    problems: list[Problem] = []
    package_sheet = plan.sheets[0]
    document: dict[str, Any] = {}
    for row in rows.get(package_sheet.name, []):
        document.update(_build(row, package_sheet, "$", _locator(locate, package_sheet.name, row.number),
                               source_map=source_map, problems=problems))
    source_map["$"] = locate(package_sheet.name, 0, None)
    collections: dict[str, list[dict[str, Any]]] = {}
    for sheet in plan.sheets[1:]:
        if sheet.parent is not None or not rows.get(sheet.name):
            continue
        items = collections[sheet.name] = []
        for index, row in enumerate(rows[sheet.name]):
            base = json_path([sheet.name, index])
            items.append(_build(row, sheet, base, _locator(locate, sheet.name, row.number),
                                source_map=source_map, problems=problems))
        if sheet.name not in document:
            document[sheet.name] = items
            source_map[json_path([sheet.name])] = locate(sheet.name, 0, None)
        else:
            problems.append(Problem(
                rule="tables.duplicate-data", severity="error", path=json_path([sheet.name]),
                message=f"the package sheet's other data also holds {sheet.name!r}; the sheet's rows were used",
                source=locate(sheet.name, 0, None)))
            document[sheet.name] = items
    for sheet in plan.sheets[1:]:
        if sheet.parent is None or not rows.get(sheet.name):
            continue
        _attach(sheet, rows[sheet.name], collections.get(sheet.parent, []), locate, source_map=source_map,
                problems=problems, counter=counter or CoverageCounter())
    return document, source_map, problems


def _attach(sheet: Sheet, rows: list[ReadRow], parents: list[dict[str, Any]], locate: Locate, *,
            source_map: dict[str, SourceLocation], problems: list[Problem], counter: CoverageCounter) -> None:
    assert sheet.parent is not None
    name = sheet.path[-1]
    positions: dict[str, list[int]] = {}
    for index, parent in enumerate(parents):
        if isinstance(parent.get("id"), str):
            positions.setdefault(parent["id"], []).append(index)
    for row in rows:
        where = _locator(locate, sheet.name, row.number)
        found = _parent_index(row, positions, len(parents), sheet, where=where, problems=problems)
        if found is None:
            counter.read(sheet.name, -len(row.values))  # the row's cells were counted read: they are not
            counter.not_read(sheet.name, len(row.values))
            continue
        index = found
        parent = parents[index]
        items = parent.get(name)
        if not isinstance(items, list):
            items = parent[name] = []
        base = json_path([sheet.parent, index, name, len(items)])
        items.append(_build(row, sheet, base, where, source_map=source_map, problems=problems))


def _parent_index(row: ReadRow, positions: Mapping[str, list[int]], count: int, sheet: Sheet, *,
                  where: Callable[[str | None], SourceLocation], problems: list[Problem]) -> int | None:
    parent_title = sheet.parent_title or "parent"
    number = row.values.get(PARENT_ROW, ABSENT)
    if number is not ABSENT:
        if isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= count:
            return number - 1
        problems.append(Problem(
            rule="tables.parent-missing", severity="error", path=json_path([sheet.parent or ""]),
            message=f"{number!r} is not the number of a {parent_title} row (1 to {count}); the row was not read",
            source=where(PARENT_ROW), value=number))
        return None
    ident = row.values.get(PARENT_ID, ABSENT)
    if ident is ABSENT:
        problems.append(Problem(
            rule="tables.parent-missing", severity="error", path=json_path([sheet.parent or ""]),
            message=f"the row does not say which {parent_title} it belongs to (fill in the "
            f"{parent_title} identifier); the row was not read", source=where(PARENT_ID)))
        return None
    found = positions.get(ident) if isinstance(ident, str) else None
    if not found:
        problems.append(Problem(
            rule="tables.parent-missing", severity="error", path=json_path([sheet.parent or ""]),
            message=f"no {parent_title} row has the identifier {ident!r}; the row was not read",
            source=where(PARENT_ID), value=ident))
        return None
    if len(found) > 1:
        problems.append(Problem(
            rule="tables.parent-ambiguous", severity="error", path=json_path([sheet.parent or ""]),
            message=f"{len(found)} {parent_title} rows have the identifier {ident!r}; the row was added to the "
            f"first (use the {parent_title} # column to say which)", source=where(PARENT_ID), value=ident))
    return found[0]
