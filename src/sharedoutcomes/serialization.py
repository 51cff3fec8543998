"""
The wire format: model objects to and from JSON-ready data.

One private, configured cattrs converter owns every decision about the wire format:
keys equal attribute names, dates are ISO 8601 strings, tuples are arrays, and an
optional property is absent rather than ``null`` or ``[]`` (so every document has one
canonical form, and parse → serialise gives back the same JSON).

`to_json_data` and `from_json_data` trust their input. To read untrusted data, use
`sharedoutcomes.load`, which validates first and reports precise paths.

Example:
    >>> from sharedoutcomes.model import Outcome
    >>> data = to_json_data(Outcome(id="o-1", title="Carers feel supported", level="person"))
    >>> data
    {'id': 'o-1', 'title': 'Carers feel supported', 'level': 'person'}
    >>> from_json_data(data, Outcome) == Outcome(id="o-1", title="Carers feel supported", level="person")
    True
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import json
import types
import typing
from collections.abc import Mapping
from typing import Any, Final, TypeVar

import attrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter

from sharedoutcomes._util.numbers import odd_numbers
from sharedoutcomes.exceptions import InvalidDocument
from sharedoutcomes.model import Package
from sharedoutcomes.problems import Problem, Report

__all__ = ["dump", "dumps", "from_json_data", "to_json_data"]

T = TypeVar("T")

_converter = make_converter(forbid_extra_keys=True, detailed_validation=False)
_converter.register_unstructure_hook(dt.date, dt.date.isoformat)
_converter.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))


_FLAT: Final = frozenset({str, int, float, bool, type(None)})


def _copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars): extension data is never shared with the caller."""
    if isinstance(value, dict):
        if _FLAT.issuperset(map(type, value.values())):
            return dict(value)  # the usual extension record: scalars only, one C-level copy
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_copy_json(item) for item in value]
    return value


def _copy_extension_data(value: Any, _: Any) -> dict[str, Any]:
    return {key: _copy_json(item) for key, item in value.items()}


def _is_extension_data(type_: Any) -> bool:
    return bool(type_ == Mapping[str, Any])


_converter.register_structure_hook_func(_is_extension_data, _copy_extension_data)
_converter.register_unstructure_hook_func(_is_extension_data, _copy_json)


def _is_entity(cls: type[Any]) -> bool:
    return "__schema_name__" in vars(cls)


def _optional(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``| None``, and whether ``None`` was part of it."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = typing.get_args(annotation)
        rest = tuple(arg for arg in args if arg is not type(None))
        if len(rest) < len(args):
            return (rest[0] if len(rest) == 1 else functools.reduce(lambda a, b: a | b, rest)), True
    return annotation, False


_SCALARS: Final = frozenset({str, int, float, int | float, int | float | str | bool, dt.date})


def _is_leaf(cls: type[Any], hints: Mapping[str, Any]) -> bool:
    """
    Whether *cls* holds scalars only (text, numbers, dates): its equal instances can be one shared object.

    Entities (with an id and extension data) and provenance (one per source row) are never equal,
    so they are not looked up.
    """
    if _is_entity(cls) or cls.__name__ == "Provenance":
        return False
    return all(_optional(hints[field.name])[0] in _SCALARS and not field.metadata.get("extension_data")
               for field in attrs.fields(cls))


# Within one `from_json_data` call, equal data of a class of scalars only is structured (and its attrs
# validators run) once: model objects are frozen, so the one object stands for every occurrence.
_memos: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar("sharedoutcomes_memos", default=None)


@_converter.register_structure_hook_factory(attrs.has)
def _structure_factory(cls: type[Any]) -> Any:
    build = make_dict_structure_fn(cls, _converter, _cattrs_forbid_extra_keys=True,
                                   _cattrs_detailed_validation=False)
    if not _is_leaf(cls, typing.get_type_hints(cls)):
        return build

    def structure(value: Any, kind: Any) -> Any:
        memo = _memos.get()
        if memo is None or type(value) is not dict:
            return build(value, kind)
        # The key: the names, the values, then the values' types (1, 1.0 and True are equal, but not the same
        # value); n names make 3n parts, so only dicts of equal names, values and types share a key.
        key = (cls, *value, *value.values(), *map(type, value.values()))
        try:
            hit = memo.get(key)
        except TypeError:  # an unhashable value: not valid data, which the attrs validators will say
            return build(value, kind)
        if hit is None:
            hit = build(value, kind)
            if float not in key:  # not with a float: -0.0 equals 0 (and 0.0) as a key, but is not the same value
                memo[key] = hit
        return hit

    return structure


@_converter.register_unstructure_hook_factory(attrs.has)
def _unstructure_factory(cls: type[Any]) -> Any:
    omit = {a.name: override(omit_if_default=True) for a in attrs.fields(cls) if a.default is not attrs.NOTHING}
    return make_dict_unstructure_fn(cls, _converter, **omit)  # type: ignore[arg-type]


def to_json_data(obj: Any) -> Any:
    """
    Turn a model object (or a tuple of them) into JSON-ready data.

    Example:
        >>> from sharedoutcomes.model import Period
        >>> import datetime as dt
        >>> to_json_data(Period(start=dt.date(2024, 4, 1)))
        {'start': '2024-04-01'}
    """
    return _converter.unstructure(obj)


def from_json_data(data: Any, kind: type[T]) -> T:
    """
    Build a *kind* from JSON-ready data that is already known to be valid.

    Use `sharedoutcomes.load` for data that has not been validated: it reports every
    problem with its path instead of failing on the first.

    Example:
        >>> from sharedoutcomes.model import Period
        >>> from_json_data({"start": "2024-04-01", "end": "2024-06-30"}, Period).end
        datetime.date(2024, 6, 30)
    """
    token = _memos.set({})
    try:
        return _converter.structure(data, kind)
    finally:
        _memos.reset(token)


def dump(package: Package) -> dict[str, Any]:
    """
    A package as a JSON-ready dict.

    Example:
        >>> p = Package(schema_version="0.2", id="pkg-1", title="Q4 return", publisher="GB-SC-SC012345",
        ...             produced="2025-04-20T09:30:00Z", sharing_level="partners")
        >>> dump(p)["sharing_level"]
        'partners'
    """
    data: dict[str, Any] = _converter.unstructure(package, Package)
    return data


def dumps(package: Package, *, indent: int | None = 2) -> str:
    """
    A package as JSON text (UTF-8 characters kept as they are).

    Never writes ``NaN`` or ``Infinity``, which strict JSON parsers refuse.

    Raises:
        InvalidDocument: The package holds NaN, an infinity or an integer too long to write
            (``number-not-finite``, ``json-number-too-large``, each at its path).

    Example:
        >>> p = Package(schema_version="0.2", id="pkg-1", title="Q4 return", publisher="GB-SC-SC012345",
        ...             produced="2025-04-20T09:30:00Z", sharing_level="public")
        >>> print(dumps(p, indent=None))
        {"schema_version": "0.2", "id": "pkg-1", "title": "Q4 return", "publisher": "GB-SC-SC012345", "produced": "2025-04-20T09:30:00Z", "sharing_level": "public"}
    """
    data = dump(package)
    try:
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN, an infinity, or an integer too long to write: never written, always said where
        problems = tuple(Problem(rule="number-not-finite" if kind != "long" else "json-number-too-large",
                                 severity="error", path=path,
                                 message=f"{'an integer too long' if kind == 'long' else kind} cannot be written "
                                 "as JSON; correct the value, or leave it out")
                         for path, kind in odd_numbers(data))
        if not problems:
            raise
        raise InvalidDocument(Report(problems=problems)) from None
