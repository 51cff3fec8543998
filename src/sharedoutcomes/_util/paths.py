"""The one formatter of locations: JSONPath strings (``$.evidence[3].values[0].value``) and column letters."""

from __future__ import annotations

import re
from collections.abc import Iterable

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
