"""
Cells ⇄ JSON values, losslessly.

An empty cell means "absent". A value is written in its plain form (``7``, ``7.0``,
``true``, ``Community connectors``, one list item a line) when reading that plain form
back gives exactly the same value and type; otherwise it is written as ``json:`` followed
by its JSON text (``json:""`` for an empty string, ``json:"007"`` for a numeric-looking
string in a number column, ``json:null``, ``json:[]``). The writer checks every cell by
reading it back, so the encoding is lossless by construction.

Text that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return: OWASP "CSV injection") is never written plain, in CSV or XLSX: it is written in
the ``json:`` form (``json:"=1+1"``), which no spreadsheet runs and which reads back unchanged.
Numbers stay plain (``-1`` is a number).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any, Final

from sharedoutcomes._util.formulas import is_formula_like
from sharedoutcomes.tables._layout import Kind

PREFIX: Final = "json:"


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()
"""An empty cell: the property is left out."""

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
# C0 controls other than tab and newline are illegal in XLSX (and \r is normalised by XML);
# _xHHHH_ is an XLSX escape sequence.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|_x[0-9A-Fa-f]{4}_")
_MAX_EXACT_INT: Final = 2**53  # Excel holds numbers as doubles


def _json_cell(raw: str) -> Any:
    """The value of a ``json:`` cell."""
    try:
        return json.loads(raw[len(PREFIX):])
    except ValueError as error:
        msg = f"the text after 'json:' is not JSON ({error})"
        raise CellError(msg) from None


def _excel_exact(value: int | float) -> bool:
    """Whether openpyxl (which writes ``%.16g``) and Excel keep *value* and its type exactly."""
    if isinstance(value, int):
        return abs(value) < _MAX_EXACT_INT
    if not math.isfinite(value) or value.is_integer():
        return False  # 7.0 would come back as the integer 7
    text = "%.16g" % value  # noqa: UP031 - the very format openpyxl uses
    return float(text) == value


class CellError(ValueError):
    """A cell could not be read as its column says (the message says why)."""


def same(a: Any, b: Any) -> bool:
    """Equal values of equal JSON types (``1``, ``1.0`` and ``True`` all differ)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if isinstance(a, float) and isinstance(b, float):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a is None and b is None


def _number(text: str) -> int | float | None:
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    if match.group(1) is None and match.group(2) is None:
        return int(text)
    value = float(text)
    return value if math.isfinite(value) else None


def _native_text(value: Any) -> str:
    """A number or date typed into a text column, as the text the person meant."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def decode(raw: Any, kind: Kind) -> Any:
    """
    Read one cell: text (CSV, XLSX text cells) or a native value (XLSX numbers, booleans, dates).

    Returns `ABSENT` for an empty cell. Raises `CellError` for a ``json:`` cell that is not JSON.
    """
    if raw is None or raw == "":
        return ABSENT
    if isinstance(raw, str):
        if raw.startswith(PREFIX):
            return _json_cell(raw)
        return _decode_text(raw, kind)
    if isinstance(raw, dt.datetime | dt.date | dt.time):
        return _native_text(raw)
    if isinstance(raw, bool | int | float):
        if kind in ("string", "date"):
            return _native_text(raw)
        if kind == "lines":
            return [_native_text(raw)]
        return raw
    return raw  # lists and dicts (DataFrames)


def _decode_text(text: str, kind: Kind) -> Any:
    if kind in ("string", "date"):
        return text
    if kind == "lines":
        return text.split("\n")
    if kind == "json":
        try:
            return json.loads(text)
        except ValueError:
            msg = "the cell is not JSON"
            raise CellError(msg) from None
    if kind in ("number", "auto"):
        number = _number(text)
        if number is not None:
            return number
    if kind in ("boolean", "auto") and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def _plain(value: Any, kind: Kind) -> str | None:
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else None
    if isinstance(value, str):
        return value
    if kind == "lines" and isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    return None


def _safe(text: str, value: Any, *, xlsx: bool) -> bool:
    """Whether *text* may be written plain: not ``json:``-like, no control characters, and no formula (OWASP)."""
    formula = is_formula_like(text) and not isinstance(value, int | float)  # -1 is a number, not a formula
    return bool(text) and not text.startswith(PREFIX) and not _UNSAFE.search(text) and not formula


def _iso_date(value: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if day.isoformat() == value and day.year > 1900 else None


def encode(value: Any, kind: Kind, *, xlsx: bool = False) -> Any:
    """
    The cell for *value* (never `ABSENT`): a plain form if it reads back the same, else ``json:…``.

    With *xlsx*, numbers, booleans and dates become native cells where that is exact.
    """
    if xlsx:
        native = _native(value, kind)
        if native is not None and same(decode(native, kind), value):
            return native
    plain = _plain(value, kind)
    if plain is not None and _safe(plain, value, xlsx=xlsx):
        try:
            if same(decode(plain, kind), value):
                return plain
        except CellError:
            pass
    return PREFIX + json.dumps(value, ensure_ascii=False)


def _native(value: Any, kind: Kind) -> Any:
    if isinstance(value, bool):
        return value if kind in ("boolean", "auto") else None
    if isinstance(value, int | float) and kind in ("number", "auto"):
        return value if _excel_exact(value) else None
    if isinstance(value, str) and kind == "date":
        day = _iso_date(value)
        return dt.datetime(day.year, day.month, day.day) if day else None
    return None


# -- DataFrames: native Python values, None for absent --------------------------------------------


def to_frame_cell(value: Any) -> Any:
    """A value as a DataFrame cell: itself, except null and strings that look like ``json:…``."""
    if value is None:
        return PREFIX + "null"
    if isinstance(value, str) and value.startswith(PREFIX):
        return PREFIX + json.dumps(value, ensure_ascii=False)
    return value


def from_frame_cell(raw: Any) -> Any:
    """A DataFrame cell as a value; ``None``, NaN and ``pd.NA`` are absent."""
    if raw is None:
        return ABSENT
    if isinstance(raw, float) and math.isnan(raw):
        return ABSENT
    if type(raw).__name__ in ("NAType", "NaTType"):
        return ABSENT
    if isinstance(raw, str):
        if raw.startswith(PREFIX):
            return _json_cell(raw)
        return raw
    return _plain_python(raw)


def _plain_python(raw: Any) -> Any:
    if isinstance(raw, bool | int | float | str) or raw is None:
        return raw
    if isinstance(raw, list | tuple):
        return [_plain_python(item) for item in raw]
    if isinstance(raw, dict):
        return {str(k): _plain_python(v) for k, v in raw.items()}
    if isinstance(raw, dt.datetime | dt.date):
        return _native_text(raw)
    item = getattr(raw, "item", None)  # numpy scalars
    if callable(item):
        return _plain_python(item())
    tolist = getattr(raw, "tolist", None)  # numpy arrays
    if callable(tolist):
        return _plain_python(tolist())
    return raw
