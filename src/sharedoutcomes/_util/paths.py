"""The one formatter of locations: JSONPath strings (``$.evidence[3].values[0].value``) and column letters."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

_T = TypeVar("_T")

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(parts: Iterable[str | int]) -> str:
    """
    Format a sequence of keys and indexes as a JSONPath.

    Example:
        >>> json_path(["evidence", 3, "values", 0, "value"])
        '$.evidence[3].values[0].value'
        >>> json_path(["extension_data", "my ext"])
        "$.extension_data['my ext']"
    """
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            out.append(f".{part}")
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            out.append(f"['{escaped}']")
    return "".join(out)


def child(path: str, *parts: str | int) -> str:
    """
    Extend *path* by more keys and indexes.

    Example:
        >>> child("$.evidence[2]", "values", 0)
        '$.evidence[2].values[0]'
    """
    return path + json_path(parts)[1:]


def column_letter(index: int) -> str:
    """
    The spreadsheet letter of a 0-based column index, without needing openpyxl.

    Example:
        >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
        ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters



def nearest(path: str, by_path: Mapping[str, _T]) -> _T | None:
    """
    The entry of *by_path* at *path*, or at its nearest enclosing path; ``None`` when there is none.

    Example:
        >>> nearest("$.evidence[3].values[0].value", {"$.evidence[3]": "row 5"})
        'row 5'
        >>> nearest("$.outcomes[0]", {"$.evidence[3]": "row 5"}) is None
        True
    """
    while True:
        if path in by_path:
            return by_path[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return None
        path = path[:cut]


_SEGMENT = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")
_ABSENT = object()


def path_key(path: str, data: Any = None) -> tuple[tuple[int, int, str], ...]:
    """
    A sort key putting JSONPaths in document order: a parent before its children, indexes as numbers.

    With *data* (the document the paths point into), the members of an object come in the order the
    document has them, and members it lacks (a missing required property) after them, by name;
    without it, by name.

    Example:
        >>> sorted(["$.evidence[10]", "$.evidence[2].date", "$", "$.evidence[2]"], key=path_key)
        ['$', '$.evidence[2]', '$.evidence[2].date', '$.evidence[10]']
        >>> sorted(["$.id", "$.title"], key=lambda path: path_key(path, {"title": "T", "id": "p"}))
        ['$.title', '$.id']
    """
    key: list[tuple[int, int, str]] = []
    node = data
    position = 1 if path.startswith("$") else 0
    while position < len(path):
        match = _SEGMENT.match(path, position)
        if match is None:  # not a path this module wrote: compare the rest as text
            key.append((2, 0, path[position:]))
            break
        name, index, quoted = match.groups()
        position = match.end()
        if index is not None:
            key.append((1, int(index), ""))
            node = node[int(index)] if isinstance(node, list) and int(index) < len(node) else _ABSENT
            continue
        member = name if name is not None else re.sub(r"\\(.)", r"\1", quoted)
        rank = 0
        if isinstance(node, dict):
            rank = _rank(node, member)
            node = node.get(member, _ABSENT)
        else:
            node = _ABSENT
        key.append((0, rank, member))
    return tuple(key)


def _rank(node: dict[str, Any], member: str) -> int:
    """Where *member* comes among *node*'s members (after all of them when it is not one)."""
    for rank, name in enumerate(node):
        if name == member:
            return rank
    return len(node)
