"""
INDIGO project JSON into `ProjectSource` pieces: the API's ``{"project": {"id", "data"}}``, a list of them, or bare data.

Every non-empty leaf the INDIGO schema defines becomes a piece, located by its JSONPath in the
file; a member the schema does not define is reported as not read (``conversion.not-read``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from sharedoutcomes.converters import CoverageCounter, not_read
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.indigo._schema import LISTS, fields
from sharedoutcomes.indigo._values import Key, ProjectSource, jsonpath
from sharedoutcomes.problems import Problem, SourceLocation

__all__ = ["json_projects", "load_json", "project_source"]


def load_json(path: Path) -> Any:
    """The parsed JSON of *path*; a file that is not JSON is a `ConversionError`."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        msg = "this is not an INDIGO project JSON file: it is not UTF-8 text"
        raise ConversionError(msg, source=SourceLocation(file=path.name)) from None
    except json.JSONDecodeError as error:
        msg = f"this is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        raise ConversionError(msg, source=SourceLocation(file=path.name)) from None
    except OSError as error:
        msg = f"the file cannot be read ({error.strerror or error})"
        raise ConversionError(msg, source=SourceLocation(file=path.name)) from None


def json_projects(document: Any, file: str,
                  project_id: str | None) -> Iterator[tuple[str, Mapping[str, Any], str, bool]]:
    """
    Each project in *document*: its INDIGO id, its data, the JSONPath of the data, and whether the id is beside it.

    Example:
        >>> [(i, p, beside) for i, _, p, beside in json_projects(
        ...     {"project": {"id": "INDIGO-POJ-0001", "data": {}}}, "p.json", None)]
        [('INDIGO-POJ-0001', '$.project.data', True)]
    """
    items = document if isinstance(document, list) else [document]
    for n, entry in enumerate(items):
        root = f"$[{n}]" if isinstance(document, list) else "$"
        item = entry
        if isinstance(item, Mapping) and isinstance(item.get("project"), Mapping):
            item, root = item["project"], f"{root}.project"
        beside = False
        if isinstance(item, Mapping) and isinstance(item.get("data"), Mapping):
            beside = isinstance(item.get("id"), str) and bool(item["id"].strip())
            pid = item.get("id") or project_id
            data, root = item["data"], f"{root}.data"
        elif isinstance(item, Mapping):
            pid, data = item.get("id") or project_id, item
        else:
            msg = f"{root} is not an INDIGO project (a JSON object with the project's fields)"
            raise ConversionError(msg, source=SourceLocation(file=file))
        if not isinstance(pid, str) or not pid.strip():
            pid = f"project-{n + 1}"
        yield pid.strip(), data, root, beside


def project_source(project_id: str, data: Mapping[str, Any], *, file: str, root: str,
                   counter: CoverageCounter, problems: list[Problem]) -> ProjectSource:
    """
    The pieces of one project's JSON *data*; members INDIGO does not define are reported as not read.

    Example:
        >>> counter, problems = CoverageCounter(), []
        >>> source = project_source("INDIGO-POJ-1", {"name": {"value": "X"}, "colour": "red"}, file="p.json",
        ...                         root="$", counter=counter, problems=problems)
        >>> list(source), problems[0].message
        ([('name', 'value')], "not read: 'red' (INDIGO's project schema has no field colour)")
    """
    source = ProjectSource(project_id, file=file)
    known = fields()
    for key, value in _leaves(data, ()):
        part = str(key[0]) if key else "project"
        where = SourceLocation(file=file, section=jsonpath(key, root))
        if key and key[0] == "id" and len(key) == 1:
            counter.read(part)  # the project's id, mapped to the activity's
            continue
        schema_path = tuple(k for k in key if not isinstance(k, int))
        indices = {i for i, k in enumerate(key) if isinstance(k, int)}
        list_shaped = indices == ({1} if key and key[0] in LISTS else set())
        if schema_path in known and list_shaped:
            source.add(key, value, where, part)
        else:
            field = ".".join(str(k) for k in schema_path) or "(the project itself)"
            problems.append(not_read(where, value, why=f"INDIGO's project schema has no field {field}"))
            counter.not_read(part)
    return source


def _leaves(node: Any, key: Key) -> Iterator[tuple[Key, Any]]:
    if isinstance(node, Mapping):
        for name, child in node.items():
            yield from _leaves(child, (*key, str(name)))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _leaves(child, (*key, i))
    elif node is not None and not (isinstance(node, str) and not node.strip()):
        yield key, node
