"""Messy package documents for the lossless round-trip tests: valid shapes and every awkward value."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from sharedoutcomes.tables._layout import Column, layout

AWKWARD_TEXT = st.sampled_from([
    "", "007", "7", "7.0", "-0", "1e5", "true", "TRUE", "False", "null", "json:", "json:null", "=SUM(A1:A3)",
    " padded ", "a\nb", "a\r\nb", "line\n", "\n", "_x0041_", "tab\there", "£25 — “quoted”", "[1, 2]", "{}",
])
TEXT = AWKWARD_TEXT | st.text(max_size=12)
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**64), max_value=2**64)
           | st.floats(allow_nan=False, allow_infinity=False) | TEXT)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(TEXT, inner, max_size=3), max_leaves=6)
IDS = st.sampled_from(["a", "b", "c", "ev-1", "GB-SC-SC012345"])


def _typed(column: Column) -> st.SearchStrategy[Any]:
    if column.kind in ("number",):
        return st.integers(-1000, 2**60) | st.floats(allow_nan=False, allow_infinity=False)
    if column.kind == "boolean":
        return st.booleans()
    if column.kind == "date":
        return st.dates().map(lambda d: d.isoformat())
    if column.kind == "lines":
        return st.lists(TEXT, max_size=3)
    if column.kind == "auto":
        return st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.booleans() | TEXT
    if column.codes:
        return st.sampled_from(column.codes)
    if column.key == "id":
        return IDS
    return TEXT


def _set(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {}) if isinstance(target.get(part, {}), dict) else target
    target[path[-1]] = value


@st.composite
def objects(draw: st.DrawFn, sheet_name: str, *, children: bool = True) -> dict[str, Any]:
    """One object of a sheet: some of its columns, well typed or not, plus awkward extras."""
    plan = layout()
    sheet = plan[sheet_name]
    obj: dict[str, Any] = {}
    for column in sheet.columns:
        if draw(st.integers(0, 3)) == 0:
            _set(obj, column.path, draw(_typed(column) if draw(st.integers(0, 5)) else JSON))
    if draw(st.integers(0, 4)) == 0:
        obj["extension_data"] = draw(st.dictionaries(st.sampled_from(["nacvs", "outcomes-star", "x"]), JSON,
                                                     max_size=2))
    if draw(st.integers(0, 8)) == 0:
        obj[draw(st.sampled_from(["sumary", "notes", "period"]))] = draw(JSON)
    if children:
        for child in plan.sheets:
            if child.parent == sheet_name and draw(st.integers(0, 2)) == 0:
                name = child.path[-1]
                obj[name] = draw(st.lists(objects(child.name, children=False), max_size=3)
                                 if draw(st.integers(0, 6)) else JSON)
    return obj


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A package document of any shape the tables must keep: valid-looking, empty, odd or wrong."""
    plan = layout()
    document = draw(objects("package", children=False))
    for sheet in plan.sheets[1:]:
        if sheet.parent is None and draw(st.integers(0, 2)) == 0:
            document[sheet.name] = draw(st.lists(objects(sheet.name), max_size=3)
                                        if draw(st.integers(0, 6)) else JSON)
    return document
