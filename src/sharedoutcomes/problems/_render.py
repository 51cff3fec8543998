"""Values shown in messages: a bounded, safe rendering of any value, however large, deep or odd."""

from __future__ import annotations

import math
from typing import Any, Final

__all__ = ["render_value"]

_LIMIT: Final = 80
_DIGITS: Final = 30


def render_value(value: Any, limit: int = _LIMIT) -> str:
    """
    *value* as a message shows it: like `repr` for short values, cut to about *limit* characters.

    Never raises and never walks more of *value* than it shows: integers of any length (the digit
    count instead of the digits), nesting of any depth, any object (its type name when its own
    `repr` fails). NaN and infinities are named as JSON would not write them.

    Example:
        >>> render_value("46 men"), render_value(10 ** 5000), render_value([[[[[[[[1]]]]]]]])
        ("'46 men'", 'an integer of 5001 digits', '[[[[[[[[1]]]]]]]]')
        >>> render_value("x" * 200, limit=40)
        "'xxxxxxxxxxxxxxxxxx…' (200 characters)"
        >>> render_value(float("nan")), render_value({"a": [1, 2]})
        ('NaN', "{'a': [1, 2]}")
    """
    limit = max(limit, 24)
    if type(value) is str and len(value) > limit:
        return _string(value, limit - 22)
    out: list[str] = []
    _render(value, out, limit)
    text = "".join(out)
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return text


def _render(value: Any, out: list[str], budget: int) -> None:
    """Append *value*'s rendering to *out*, stopping once *budget* characters are written."""
    if sum(map(len, out)) > budget:
        out.append("…")
        return
    kind = type(value)
    if kind is bool or value is None:
        out.append(repr(value))
    elif kind is int:
        out.append(_integer(value))
    elif kind is float:
        out.append(_float(value))
    elif kind is str:
        out.append(_string(value, budget))
    elif kind is dict:
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            if n:
                out.append(", ")
            if sum(map(len, out)) > budget:
                out.append("…")
                break
            _render(key, out, budget)
            out.append(": ")
            _render(item, out, budget)
        out.append("}")
    elif kind is list or kind is tuple:
        opening, closing = ("[", "]") if kind is list else ("(", ")")
        out.append(opening)
        for n, item in enumerate(value):
            if n:
                out.append(", ")
            if sum(map(len, out)) > budget:
                out.append("…")
                break
            _render(item, out, budget)
        out.append(closing)
    else:
        out.append(_other(value, budget))


def _integer(value: int) -> str:
    digits = _digit_count(value)
    if digits > _DIGITS:
        return f"an integer of {digits} digits"
    return str(value)


def _digit_count(value: int) -> int:
    """The number of decimal digits of *value*, without converting it to text (which fails past 4,300 digits)."""
    magnitude = abs(value)
    if magnitude < 10 ** _DIGITS:
        return len(str(magnitude))
    estimate = int(magnitude.bit_length() * math.log10(2))
    return estimate + (1 if magnitude >= 10 ** estimate else 0)


def _float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _string(value: str, budget: int) -> str:
    if len(value) <= budget:
        return repr(value)
    return repr(value[:budget])[:-1] + f"…' ({len(value)} characters)"


def _other(value: Any, budget: int) -> str:
    try:
        text = repr(value)
    except Exception:  # a foreign object whose repr fails (or recurses): name its type instead
        return f"<{type(value).__name__}>"
    return text if len(text) <= budget else text[:budget] + "…"
