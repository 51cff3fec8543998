"""
The layout of a package as tables, derived from the published schemas.

One sheet for the package's own fields (``package``), one per collection of entities
(``organisations``, ``evidence`` …, and ``extensions``) and one per list of objects inside
an entity (``activities.participants``, ``evidence.values`` …). Nested objects become
columns whose keys join the property names with ``/`` (``subject/type``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final, Literal, TypeAlias

from attrs import field, frozen

from sharedoutcomes import schema

Kind: TypeAlias = Literal["string", "date", "number", "boolean", "auto", "lines", "json"]

PARENT_ID: Final = "_parent_id"
PARENT_ROW: Final = "_parent_row"
OTHER: Final = "_json"
EXTENSION_PREFIX: Final = "extension_data/"
PACKAGE_SHEET: Final = "package"


@frozen(kw_only=True)
class Column:
    """One column: its JSON key path (``subject/type``), human title and how cells are read."""

    key: str
    title: str
    kind: Kind
    description: str = ""
    required: bool = False
    codes: tuple[str, ...] = ()
    codelist: str | None = None

    @property
    def path(self) -> tuple[str, ...]:
        """The keys from the row's object down to the value."""
        if self.key.startswith(EXTENSION_PREFIX):
            return ("extension_data", self.key[len(EXTENSION_PREFIX):])
        return tuple(self.key.split("/"))


@frozen(kw_only=True)
class Node:
    """An object schema: what each property becomes in a table."""

    props: Mapping[str, Prop] = field(factory=dict)


@frozen(kw_only=True)
class Prop:
    """A property of an object: a nested object, a child sheet, extension data, or one column."""

    kind: Literal["object", "rows", "extension", "cell"]
    node: Node | None = None
    sheet: str | None = None
    column: Column | None = None


@frozen(kw_only=True)
class Sheet:
    """One sheet (or CSV file, or DataFrame) of the layout."""

    name: str
    title: str
    path: tuple[str, ...]
    """Where its rows live: ``()`` for the package, ``("evidence",)``, or ``("evidence", "values")``."""
    node: Node
    columns: tuple[Column, ...]
    parent: str | None = None
    parent_title: str | None = None

    @property
    def vertical(self) -> bool:
        """The package sheet lists one field a row (field, key, value) instead of one object a row."""
        return self.name == PACKAGE_SHEET

    def column(self, key: str) -> Column:
        """The column with *key*, including the dynamic ones (parent, extension data, other data)."""
        for column in self.columns:
            if column.key == key:
                return column
        if key == PARENT_ID:
            return Column(key=key, title=f"{self.parent_title} identifier", kind="string",
                          description=f"The `id` of the {self.parent_title} row this row belongs to.")
        if key == PARENT_ROW:
            return Column(key=key, title=f"{self.parent_title} #", kind="number",
                          description=f"Which {self.parent_title} row this row belongs to (1 = the first), "
                          "used when identifiers are missing or repeated.")
        if key == OTHER:
            return Column(key=key, title="Other data (JSON)", kind="json",
                          description="Anything the other columns cannot hold (empty lists, unknown "
                          "properties …) as a JSON object, merged into the row.")
        if key.startswith(EXTENSION_PREFIX):
            return Column(key=key, title=f"Extension data: {key[len(EXTENSION_PREFIX):]}", kind="json",
                          description="The data of one extension, as JSON.")
        return Column(key=key, title=key, kind="auto")


@frozen(kw_only=True)
class Layout:
    """Every sheet, in the order they are written."""

    sheets: tuple[Sheet, ...]

    def __getitem__(self, name: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)

    def names(self) -> tuple[str, ...]:
        """The sheet names, in order."""
        return tuple(s.name for s in self.sheets)


def _resolve(node: Mapping[str, Any], base: str) -> tuple[Mapping[str, Any], str]:
    """Follow ``$ref`` to the schema it names (refs are relative to the bundle's file names)."""
    while "$ref" in node:
        ref = node["$ref"]
        file, _, pointer = ref.partition("#")
        file = file or base
        target: Any = schema.get_schema(file.removesuffix(".schema.json"))
        for part in filter(None, pointer.split("/")):
            target = target[part]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        node, base = merged, file
    return node, base


def _kind(node: Mapping[str, Any]) -> Kind:
    type_ = node.get("type")
    if isinstance(type_, list) or "anyOf" in node or "oneOf" in node:
        return "auto"
    if type_ == "string":
        return "date" if node.get("format") == "date" else "string"
    if type_ in ("integer", "number"):
        return "number"
    if type_ == "boolean":
        return "boolean"
    return "json"


def _codes(node: Mapping[str, Any]) -> tuple[str, ...]:
    enum = node.get("enum")
    return tuple(str(code) for code in enum) if isinstance(enum, list) else ()


def _node(obj: Mapping[str, Any], base: str, *, prefix: tuple[str, ...], titles: tuple[str, ...],
          columns: list[Column], children: list[tuple[str, Mapping[str, Any], str, str]] | None) -> Node:
    props: dict[str, Prop] = {}
    required = set(obj.get("required", ()))
    for name, raw in obj.get("properties", {}).items():
        sub, sub_base = _resolve(raw, base)
        title = raw.get("title") or sub.get("title") or name
        key_path = (*prefix, name)
        title_path = (*titles, title)
        if name == "extension_data" and not prefix:
            props[name] = Prop(kind="extension")
            continue
        if "properties" in sub:
            inner = _node(sub, sub_base, prefix=key_path, titles=title_path, columns=columns, children=None)
            props[name] = Prop(kind="object", node=inner)
            continue
        if sub.get("type") == "array":
            items, items_base = _resolve(sub.get("items", {}), sub_base)
            if "properties" in items and children is not None:
                children.append((name, items, items_base, title))
                props[name] = Prop(kind="rows", sheet=name)
                continue
            kind: Kind = "lines" if items.get("type") == "string" else "json"
        else:
            kind = _kind(sub)
        codelist = schema.codelist_of(sub)
        column = Column(
            key="/".join(key_path),
            title=": ".join(title_path),
            kind=kind,
            description=str(raw.get("description") or sub.get("description") or ""),
            required=name in required and not prefix,
            codes=_codes(sub) or _codes(items if kind == "lines" else {}),
            codelist=codelist,
        )
        columns.append(column)
        props[name] = Prop(kind="cell", column=column)
    return Node(props=props)


def _sheet(name: str, title: str, path: tuple[str, ...], obj: Mapping[str, Any], base: str, *,
           parent: str | None = None, parent_title: str | None = None,
           nested: list[Sheet] | None = None) -> tuple[Sheet, list[tuple[str, Mapping[str, Any], str, str]]]:
    columns: list[Column] = []
    children: list[tuple[str, Mapping[str, Any], str, str]] = []
    node = _node(obj, base, prefix=(), titles=(), columns=columns, children=children if nested is not None else None)
    return Sheet(name=name, title=title, path=path, node=node, columns=tuple(columns), parent=parent,
                 parent_title=parent_title), children


@functools.cache
def layout() -> Layout:
    """The layout of the current schemas (cached)."""
    package, base = _resolve({"$ref": "package.schema.json"}, "package.schema.json")
    package_columns: list[Column] = []
    collections: list[tuple[str, Mapping[str, Any], str, str]] = []
    package_node = _node(package, base, prefix=(), titles=(), columns=package_columns, children=collections)
    sheets = [Sheet(name=PACKAGE_SHEET, title=str(package.get("title", "Package")), path=(), node=package_node,
                    columns=tuple(package_columns))]
    for name, items, items_base, title in collections:
        sheet, children = _sheet(name, title, (name,), items, items_base, nested=[])
        sheets.append(sheet)
        singular = str(items.get("title") or title)
        for child_name, child_items, child_base, child_title in children:
            child, _ = _sheet(f"{name}.{child_name}", f"{singular}: {child_title}", (name, child_name),
                              child_items, child_base, parent=name, parent_title=singular)
            sheets.append(child)
    return Layout(sheets=tuple(sheets))
