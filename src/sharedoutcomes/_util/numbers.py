"""Numbers JSON cannot hold (NaN, infinities, integers too long to read back), found wherever they are."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, Final

from sharedoutcomes._util.paths import child

__all__ = ["MAX_INTEGER_BITS", "MAX_INTEGER_DIGITS", "odd_numbers"]

MAX_INTEGER_DIGITS: Final = 4300
"""The longest integer, in decimal digits, that a package may hold (Python's own limit for converting text)."""

MAX_INTEGER_BITS: Final = int(MAX_INTEGER_DIGITS * math.log2(10))
"""`MAX_INTEGER_DIGITS` in bits (comparing bit lengths never converts an integer to text)."""


def odd_numbers(data: Any) -> Iterator[tuple[str, str]]:
    """
    The JSONPath and kind (``NaN``, ``Infinity``, ``-Infinity``, ``long``) of each number JSON cannot hold, in order.

    Iterative: any depth of nesting is walked without recursion.

    Example:
        >>> list(odd_numbers({"a": [1, float("nan")], "b": {"c": float("-inf")}}))
        [('$.a[1]', 'NaN'), ('$.b.c', '-Infinity')]
    """
    stack: list[tuple[str, Any]] = [("$", data)]
    while stack:
        path, value = stack.pop()
        kind = type(value)
        if kind is dict:
            stack.extend((child(path, str(key)), item) for key, item in reversed(value.items()))
        elif kind is list or kind is tuple:
            stack.extend((child(path, index), item) for index, item in reversed(list(enumerate(value))))
        elif kind is float and not math.isfinite(value):
            yield path, "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
        elif kind is int and value.bit_length() > MAX_INTEGER_BITS:
            yield path, "long"
