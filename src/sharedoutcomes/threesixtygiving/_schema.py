"""
The vendored 360Giving schemas, and what the readers learn from them.

From the grant schema: which heading (a title such as ``Recipient Org:Identifier`` or a field
path such as ``recipientOrganization/0/id``) is which field, what type each field holds, and which
members are part of the standard at all (so that anything else is reported, and kept). From the
package schema: the same for the ``Meta`` sheet. The writer validates against the two, offline.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Mapping
from importlib.resources import files
from typing import Any, Final

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

__all__ = [
    "GRANT_SCHEMA_ID",
    "PACKAGE_SCHEMA_ID",
    "Path",
    "field_type",
    "grant_schema",
    "heading_paths",
    "known_members",
    "member_tree",
    "meta_paths",
    "normalise_heading",
    "package_validator",
]

Path = tuple[str | int, ...]
"""A place inside a grant: member names and array indexes, ``("recipientOrganization", 0, "id")``."""

GRANT_SCHEMA_ID: Final = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json"
PACKAGE_SCHEMA_ID: Final = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-package-schema.json")
_OLD_GRANT_ID: Final = GRANT_SCHEMA_ID.replace("1.4.3", "1.4.2")  # what the package schema's grants refer to

# Fields whose schema gives no title of their own (a bare $ref): the titles 360Giving's template uses.
_TITLES: Final = {"currency": "Currency", "applicationTransaction": "Application Transaction",
                  "commitmentTransaction": "Commitment Transaction",
                  "disbursementTransaction": "Disbursement Transaction"}


def _load(name: str) -> dict[str, Any]:
    text = files("sharedoutcomes.threesixtygiving").joinpath("schema", name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@functools.cache
def grant_schema() -> Mapping[str, Any]:
    """
    The 360Giving grant schema (1.4.3), as vendored.

    Example:
        >>> grant_schema()["$id"].endswith("/1.4.3/schema/360-giving-schema.json")
        True
    """
    return _load("360-giving-schema.json")


@functools.cache
def _package_schema() -> Mapping[str, Any]:
    return _load("360-giving-package-schema.json")


def normalise_heading(heading: str) -> str:
    """
    A heading as the readers compare it: case and spacing around ``:`` and ``/`` ignored.

    Example:
        >>> normalise_heading("Grant Programme: Title"), normalise_heading("From an open call?")
        ('grant programme:title', 'from an open call?')
    """
    flat = " ".join(str(heading).split()).casefold()
    return re.sub(r"\s*([:/])\s*", r"\1", flat)


def _resolve(node: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return {**defs[ref.removeprefix("#/$defs/")], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _walk(properties: Mapping[str, Any], defs: Mapping[str, Any], path: Path,
          titles: tuple[str, ...]) -> Iterator[tuple[Path, tuple[str, ...], Mapping[str, Any]]]:
    """Every leaf field below *properties*: its path, its titles and its schema."""
    for name, raw in properties.items():
        node = _resolve(raw, defs)
        title = node.get("title") or _TITLES.get(name) or name
        here, named = (*path, name), (*titles, title)
        if node.get("type") == "array" and isinstance(node.get("items"), Mapping):
            items = _resolve(node["items"], defs)
            if "properties" in items:
                yield from _walk(items["properties"], defs, (*here, 0), named)
                continue
        if "properties" in node:
            yield from _walk(node["properties"], defs, here, named)
            continue
        yield here, named, node


@functools.cache
def _grant_fields() -> tuple[tuple[Path, tuple[str, ...], Mapping[str, Any]], ...]:
    schema = grant_schema()
    return tuple(_walk(schema["properties"], schema["$defs"], (), ()))


def _headings(fields: tuple[tuple[Path, tuple[str, ...], Mapping[str, Any]], ...]) -> dict[str, Path]:
    table: dict[str, Path] = {}
    for path, titles, _node in fields:
        table.setdefault(normalise_heading(":".join(titles)), path)
        table.setdefault(normalise_heading("/".join(str(part) for part in path)), path)
        table.setdefault(normalise_heading("/".join(str(part) for part in path if isinstance(part, str))), path)
    return table


@functools.cache
def heading_paths() -> Mapping[str, Path]:
    """
    Normalised heading → the grant field it names: titles and field paths, with or without indexes.

    Example:
        >>> heading_paths()[normalise_heading("Recipient Org:Identifier")]
        ('recipientOrganization', 0, 'id')
        >>> heading_paths()["plannedDates/0/startDate".casefold()]
        ('plannedDates', 0, 'startDate')
    """
    return _headings(_grant_fields())


@functools.cache
def meta_paths() -> Mapping[str, Path]:
    """
    Normalised ``Meta`` sheet heading → the package metadata field it names.

    Example:
        >>> meta_paths()[normalise_heading("Publisher:Identifier")]
        ('publisher', 'identifier')
    """
    schema = _package_schema()
    properties = {k: v for k, v in schema["properties"].items() if k != "grants"}
    return _headings(tuple(_walk(properties, {}, (), ())))


@functools.cache
def _types() -> Mapping[Path, str]:
    out = {}
    for path, _titles, node in _grant_fields():
        kinds = node.get("type", "string")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        out[path] = "number" if "number" in kinds else "array" if "array" in kinds else "string"
    return out


def field_type(path: Path) -> str | None:
    """
    ``"number"``, ``"string"`` or ``"array"`` (of strings) for a grant leaf field; ``None`` if not one.

    Array indexes in *path* may be any number.

    Example:
        >>> field_type(("beneficiaryLocation", 3, "latitude")), field_type(("title",)), field_type(("x",))
        ('number', 'string', None)
    """
    return _types().get(tuple(0 if isinstance(part, int) else part for part in path))


@functools.cache
def _members() -> Mapping[Path, frozenset[str]]:
    """Object path (indexes as 0) → the member names the schema defines there."""
    out: dict[Path, set[str]] = {}
    for path, _titles, _node in _grant_fields():
        for depth, part in enumerate(path):
            if isinstance(part, str):
                out.setdefault(path[:depth], set()).add(part)
    return {path: frozenset(names) for path, names in out.items()}


@functools.cache
def member_tree() -> Mapping[str, Any]:
    """
    The grant's members as a tree: name → the tree of its members (arrays are passed through), ``None`` for a leaf.

    Example:
        >>> member_tree()["recipientOrganization"]["location"]["geoCode"] is None
        True
    """
    tree: dict[str, Any] = {}
    for path, _titles, _node in _grant_fields():
        names = [part for part in path if isinstance(part, str)]
        node = tree
        for name in names[:-1]:
            child = node.get(name)
            if child is None:
                child = node[name] = {}
            node = child
        node.setdefault(names[-1], None)
    return tree


def known_members(path: Path) -> frozenset[str] | None:
    """
    The member names the schema defines for the object at *path*, or ``None`` if it is no object of the schema.

    Example:
        >>> "charityNumber" in known_members(("recipientOrganization", 2))
        True
        >>> known_members(("Website",)) is None
        True
    """
    return _members().get(tuple(0 if isinstance(part, int) else part for part in path))


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", value):
        return False
    try:
        dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


def _uri(value: object) -> bool:
    return not isinstance(value, str) or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value) is not None


@functools.cache
def package_validator() -> Draft202012Validator:
    """
    A validator of 360Giving packages: the vendored package and grant schemas, offline, formats checked.

    ``date-time`` is checked as RFC 3339 and ``uri`` as an absolute URI: without a format check the
    schema's ``oneOf`` of a date-time and a date pattern could never be told apart.

    Example:
        >>> package_validator().is_valid({"grants": []})
        False
    """
    grant = DRAFT202012.create_resource(dict(grant_schema()))  # its $schema is the http:// spelling
    registry: Registry[Any] = Registry().with_resources([(GRANT_SCHEMA_ID, grant), (_OLD_GRANT_ID, grant)])
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_date_time)
    checker.checks("uri")(_uri)
    return Draft202012Validator(dict(_package_schema()), registry=registry, format_checker=checker)
