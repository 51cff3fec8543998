"""
The shape of any JSON value, checked before anything else: an object, not too deep, numbers JSON can hold.

`validate` accepts any parsed value (and any Python data): what is not a package is reported, never
raised. The walk goes one nesting level at a time with C-level passes (no recursion), so a document
nested 100,000 levels deep, or cyclic Python data, is reported as too deep rather than crashing.
"""

from __future__ import annotations

import gc
import itertools
import math
import operator
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any, Final

from sharedoutcomes._util.numbers import MAX_INTEGER_BITS, MAX_INTEGER_DIGITS, odd_numbers
from sharedoutcomes.problems import Problem

__all__ = ["MAX_DEPTH", "MAX_INTEGER_DIGITS", "extension_depth_problems", "odd_number_problem", "shape_of",
           "shape_problems", "too_deep"]

MAX_DEPTH: Final = 256
"""The deepest nesting of objects and arrays a package may have (real packages nest fewer than 10)."""

_CONTAINERS: Final = frozenset({dict, list, tuple})
_is_float = partial(operator.is_, float)
_is_int = partial(operator.is_, int)
_is_dict = partial(operator.is_, dict)
_JSON_TYPES: Final = frozenset({dict, list, str, int, float, bool, type(None)})
_STR: Final = frozenset({str})

_NAMES: Final = {list: "an array", tuple: "an array", str: "a string", int: "a number", float: "a number",
                 bool: "a boolean (true or false)", type(None): "null"}


def shape_problems(data: Any, *, numbers: bool = True) -> list[Problem]:
    """
    The problems that stop a value from being checked as a package at all; empty when it can be.

    *numbers* ``False`` skips the search for NaN, infinities and over-long integers, for data from
    a parser that refuses them (orjson): the depth is checked all the same.

    Example:
        >>> [str(p) for p in shape_problems([])]
        ['$: the package must be a JSON object, not an array [schema.type]']
        >>> [str(p) for p in shape_problems({"a": [float("nan")]})]
        ['$.a[0]: NaN is not a number JSON can hold; write a number, or leave the value out [number-not-finite]']
    """
    return shape_of(data, numbers=numbers)[0]


def shape_of(data: Any, *, numbers: bool = True) -> tuple[list[Problem], bool]:
    """
    `shape_problems` of *data*, and whether it holds only the types a JSON parser produces, found in the same walk.

    Plain means exactly dict, list, str, int, float, bool and None, with keys that are exactly str:
    a tuple, an enum member or a subclass of any of these is not.

    Example:
        >>> shape_of({"a": [1, "x", None]}), shape_of({"a": (1, 2)}), shape_of({1: "x"})
        (([], True), ([], False), ([], False))
    """
    depth, odd_numbers, plain = _walk(data, numbers=numbers, plain=True)
    return _problems(data, depth, odd_numbers), plain


def _problems(data: Any, depth: int, odd_numbers: bool) -> list[Problem]:
    if depth > MAX_DEPTH:
        return [Problem(rule="json-too-deep", severity="error", path="$",
                        message=f"the document nests objects and arrays more than {MAX_DEPTH} levels deep; "
                        "a package nests fewer than 10 (is it a package, or was it built by mistake?)")]
    if not isinstance(data, dict):
        what = _NAMES.get(type(data), f"a {type(data).__name__}")
        return [Problem(rule="schema.type", severity="error", path="$",
                        message=f"the package must be a JSON object, not {what}", value=None)]
    return list(_odd_numbers(data)) if odd_numbers else []


def extension_depth_problems(package: Mapping[str, Any]) -> list[Problem]:
    """
    `shape_problems` of a package that the schema gate has proven valid and that orjson parsed.

    Such a package holds no NaN and no over-long integer, and the schema bounds the depth of every
    part but extension data (its objects allow no other properties, its arrays hold typed items:
    a test checks this of the published schemas), so only the extension data is walked: that of
    the package (at depth 1) and that of each entity in its lists (at depth 3).

    Example:
        >>> deep: dict[str, Any] = {}
        >>> for _ in range(300):
        ...     deep = {"x": deep}
        >>> [p.rule for p in extension_depth_problems({"extension_data": {"nacvs": deep}})]
        ['json-too-deep']
        >>> extension_depth_problems({"evidence": [{"id": "e1", "extension_data": {"nacvs": {"hours": 3}}}]})
        []
    """
    entities = [item["extension_data"] for name, items in package.items()
                if type(items) is list and name != "extensions"
                for item in items if type(item) is dict and "extension_data" in item]
    depth = 0
    if "extension_data" in package:
        depth = 1 + _walk(package["extension_data"], numbers=False, plain=False)[0]
    if entities:
        depth = max(depth, 2 + _walk(entities, numbers=False, plain=False)[0])  # package, list, then [entity data …] as one
    if depth > MAX_DEPTH:
        return shape_problems(package, numbers=False)  # the one json-too-deep problem, worded as always
    return []


def too_deep(limit_hit: str) -> Problem:
    """The ``json-too-deep`` problem of text the JSON parser itself could not nest (*limit_hit* says where)."""
    return Problem(rule="json-too-deep", severity="error", path="$",
                   message=f"the document nests objects and arrays more than {MAX_DEPTH} levels deep "
                   f"({limit_hit}); a package nests fewer than 10")


def _walk(data: Any, *, numbers: bool, plain: bool) -> tuple[int, bool, bool]:
    """
    The nesting depth of *data* (stopping past `MAX_DEPTH`), and what it holds.

    Whether it holds a number JSON cannot hold, and (when *plain* is asked for) whether it holds
    only JSON's own types, with keys that are exactly str.
    """
    level: list[Any] = [data]
    depth = 0
    odd = False
    check = numbers
    while level:
        types = list(map(type, level))
        kinds = set(types)
        if plain and not kinds <= _JSON_TYPES:
            plain = False
        if plain and dict in kinds:
            keys = itertools.chain.from_iterable(itertools.compress(level, map(_is_dict, types)))
            plain = set(map(type, keys)) <= _STR
        if check and not odd and float in kinds:
            floats = list(itertools.compress(level, map(_is_float, types)))
            # a sum is finite when every term is (a huge sum that overflows is checked term by term)
            odd = not math.isfinite(sum(floats)) and not all(map(math.isfinite, floats))
        if check and not odd and int in kinds:
            integers = list(itertools.compress(level, map(_is_int, types)))
            odd = max(max(integers).bit_length(), min(integers).bit_length()) > MAX_INTEGER_BITS
        if kinds.isdisjoint(_CONTAINERS):
            break  # scalars only (the usual last level): nothing to go into
        containers = list(itertools.compress(level, map(_CONTAINERS.__contains__, types)))
        depth += 1
        if depth > MAX_DEPTH:
            break
        level = gc.get_referents(*containers)  # the keys and values of every dict, the items of every list
    return depth, odd, plain


def _odd_numbers(data: Any) -> Iterator[Problem]:
    """A problem at each NaN, infinity or over-long integer, in document order (only run when there is one)."""
    for path, kind in odd_numbers(data):
        yield odd_number_problem(path, kind)


def odd_number_problem(path: str, kind: str) -> Problem:
    """The ``number-not-finite`` or ``json-number-too-large`` problem of a number JSON cannot hold, at *path*."""
    if kind == "long":
        return Problem(rule="json-number-too-large", severity="error", path=path,
                       message=f"an integer of more than {MAX_INTEGER_DIGITS:,} digits is too long to be read; "
                       "no value in a package needs so many")
    return Problem(rule="number-not-finite", severity="error", path=path,
                   message=f"{kind} is not a number JSON can hold; write a number, or leave the value out")
