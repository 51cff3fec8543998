"""
INDIGO's project schema, vendored (``indigo/data/project.schema.json``): its fields, their titles, and validation.

The flat tables GO Lab publishes name their columns by the schema's titles joined with
``" - "`` (``Outcome Definition - (Value)``, ``Period - Start - (Value)``), so the column
titles of every table are derived here from the schema, not typed out by hand.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from jsonschema import Draft7Validator

__all__ = [
    "LISTS",
    "SCHEMA_PATH",
    "Field",
    "fields",
    "list_titles",
    "project_titles",
    "schema",
    "schema_errors",
]

SCHEMA_PATH: Final = Path(__file__).resolve().parent / "data" / "project.schema.json"
"""The vendored INDIGO project schema (INDIGO-Initiative/indigo-data-standard, ``schema/project.json``)."""

Field = tuple[str, ...]
"""A path of member names into a project (list indices left out)."""


@functools.cache
def schema() -> Mapping[str, Any]:
    """
    The INDIGO project schema.

    Example:
        >>> schema()["$schema"]
        'http://json-schema.org/draft-07/schema#'
    """
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    target = dict(schema()["definitions"][ref.rsplit("/", 1)[-1]])
    target.update({k: v for k, v in node.items() if k != "$ref"})
    return target


def _leaves(node: Mapping[str, Any], titles: tuple[str, ...], path: Field) -> Iterator[tuple[str, Field]]:
    node = _resolve(node)
    properties = node.get("properties")
    if isinstance(properties, Mapping):
        for name, given in properties.items():
            child = _resolve(given)
            yield from _leaves(child, (*titles, str(child.get("title", name))), (*path, name))
    else:
        yield " - ".join(titles), path


def _list_names() -> tuple[str, ...]:
    return tuple(name for name, node in schema()["properties"].items() if _resolve(node).get("type") == "array")


LISTS: Final = _list_names()
"""The project's lists (``outcome_metrics``, ``results`` …), in the schema's order."""


@functools.cache
def project_titles() -> Mapping[str, Field]:
    """
    Column title → field, for the project table (one row per project, its single-valued fields).

    Example:
        >>> project_titles()["Impact Bond Name - (Value)"]
        ('name', 'value')
    """
    out: dict[str, Field] = {}
    for name, given in schema()["properties"].items():
        node = _resolve(given)
        if node.get("type") != "array":
            out.update(_leaves(node, (str(node.get("title", name)),), (name,)))
    return out


@functools.cache
def list_titles(name: str) -> Mapping[str, Field]:
    """
    Column title → field within one item, for the table of the project list *name*.

    Example:
        >>> list_titles("outcome_metrics")["Outcome Definition - (Value)"]
        ('definition', 'value')
    """
    node = _resolve(schema()["properties"][name])
    return dict(_leaves(node["items"], (), ()))


@functools.cache
def fields() -> frozenset[Field]:
    """
    Every field the schema defines: the project's own, then ``(list, *field)`` for list items.

    Example:
        >>> ("results", "period", "start_date", "value") in fields()
        True
    """
    out = set(project_titles().values())
    for name in LISTS:
        out.update((name, *path) for path in list_titles(name).values())
    return frozenset(out)


@functools.cache
def _validator() -> Draft7Validator:
    return Draft7Validator(schema())


def schema_errors(project: Mapping[str, Any]) -> list[str]:
    """
    Where *project* breaks INDIGO's schema, as ``"$.path: message"`` lines (empty when it validates).

    Example:
        >>> schema_errors({"name": {"value": "Ways to Wellness"}})
        []
        >>> schema_errors({"results": [{"period": {"start_date": {"value": "13/2018"}}}]})[0][:38]
        '$.results[0].period.start_date.value: '
    """
    errors = sorted(_validator().iter_errors(project), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{error.json_path}: {error.message[:200]}" for error in errors]
