"""
Trusted structuring: model objects built straight from package data that has passed validation.

`sharedoutcomes.serialization.from_json_data` (cattrs) runs every attrs validator, which
re-checks what the schema has just checked. After validation, `build_package` builds the same
objects without those checks, and saves memory where it can without changing equality:

- repeated strings (codes, labels, kinds, units, file names …) are shared, one object per
  distinct value within a package, instead of one per occurrence; identifiers and narratives,
  which rarely repeat, are not looked up;
- equal dates are one ``datetime.date`` object;
- equal values made of scalars only (an `EvidenceValue`, a `Period`, a subject, a participant …)
  are one object: model objects are frozen, so sharing them is as safe as sharing strings, and
  it spares the time and memory of building (and the garbage collector's of traversing) the
  same Star score or questionnaire answer again and again. Types count (``1`` is not ``True``)
  and values holding a float are not shared (``-0.0`` equals ``0``);
- an absent ``extension_data`` is one shared, read-only empty dict instead of a new ``{}``
  per object (it compares equal to ``{}``, prints as ``{}``, serialises, pickles and copies
  like one; only mutating it, which a frozen model never needs, raises ``TypeError``).

The builders are generated once per model class from its attrs fields, so a field added to
the model is built here too, or generation fails loudly on a type it does not know.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final, NoReturn

import attrs

from sharedoutcomes.model import Package
from sharedoutcomes.serialization import _copy_json, _is_entity, _is_leaf, _optional

__all__ = ["EMPTY_EXTENSION_DATA", "build_package"]


class _EmptyExtensionData(dict[str, Any]):
    """The shared, read-only empty ``extension_data``: equal to ``{}`` and a dict in every other respect."""

    __slots__ = ()

    def _refuse(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        msg = "model objects are immutable: build a new one with attrs.evolve(obj, extension_data={...})"
        raise TypeError(msg)

    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (_empty_extension_data, ())

    def __copy__(self) -> _EmptyExtensionData:
        return self

    def __deepcopy__(self, _memo: Any) -> _EmptyExtensionData:
        return self


EMPTY_EXTENSION_DATA: Final = _EmptyExtensionData()
"""The one empty ``extension_data`` that trusted structuring shares between objects."""


def _empty_extension_data() -> _EmptyExtensionData:
    return EMPTY_EXTENSION_DATA


_KEY: Final = "(*o, *o.values(), *map(type, o.values()))"
"""The memo key of a value of scalars ``o`` in the generated builders (see `_builders`)."""

# Fields whose values are (nearly) always distinct: looking them up would cost time and save nothing.
_UNIQUE_TEXT: Final = frozenset({"narrative", "description", "rationale", "pathway", "summary_text"})


def _field_code(cls: type[Any], field: attrs.Attribute[Any], hint: Any, names: dict[type[Any], str]) -> list[str]:
    """Lines that read field *field* from ``o`` and set it on ``self``."""
    name = field.name
    required = field.default is attrs.NOTHING
    base, _ = _optional(hint)
    read = [f"    v = o[{name!r}]"] if required else [f"    v = o.get({name!r})"]
    missing = "None"
    origin = typing.get_origin(base)
    if attrs.has(base):
        names.setdefault(base, f"build_{base.__name__}")
        convert = f"{names[base]}(v, strings, dates, copy, memos)"
    elif origin is tuple:
        item = typing.get_args(base)[0]
        missing = "()"
        if attrs.has(item):
            names.setdefault(item, f"build_{item.__name__}")
            convert = (f"many_{item.__name__}(v, strings, dates, copy, memos)"  # the memo looked up in one loop
                       if _is_leaf(item, typing.get_type_hints(item))
                       else f"tuple([{names[item]}(x, strings, dates, copy, memos) for x in v])")
        elif item is str:
            convert = "tuple([intern(x, x) for x in v])"
        else:
            _unknown(cls, name, hint)
    elif base is dt.date:
        convert = "dates[v] if v in dates else date_of(v, dates)"
    elif field.metadata.get("extension_data"):
        missing = "EMPTY"
        convert = "v if copy is None else copy(v)"
    elif base is str:
        convert = "v" if (name == "id" and _is_entity(cls)) or name in _UNIQUE_TEXT else "intern(v, v)"
    elif base in (int, float, bool, int | float, int | float | str | bool):
        convert = "v if type(v) is not str else intern(v, v)" if base is (int | float | str | bool) else "v"
    else:
        _unknown(cls, name, hint)
    setter = f"set_{cls.__name__}_{name}"  # the slot's own descriptor: faster than object.__setattr__
    if required:
        return [*read, f"    {setter}(self, {convert})"]
    return [*read, f"    {setter}(self, {missing} if v is None else {convert})"]


def _unknown(cls: type[Any], name: str, hint: Any) -> NoReturn:
    msg = f"trusted structuring does not know how to build {cls.__name__}.{name}: {hint!r}"
    raise TypeError(msg)


def _date_of(text: str, dates: dict[str, dt.date]) -> dt.date:
    value = dates[text] = dt.date.fromisoformat(text)
    return value


@functools.cache
def _builders() -> tuple[dict[type[Any], Callable[..., Any]], int]:
    """The builder of each model class, and how many of them share equal instances (each needs a memo)."""
    names: dict[type[Any], str] = {Package: "build_Package"}
    sources: dict[type[Any], str] = {}
    leaves: list[type[Any]] = []
    pending = [Package]
    while pending:
        cls = pending.pop()
        if cls in sources:
            continue
        hints = typing.get_type_hints(cls)
        lines = [f"def {names[cls]}(o, strings, dates, copy, memos):"]
        shared = _is_leaf(cls, hints)
        if shared:
            # The key: the names, the values, then the values' types (1, 1.0 and True are equal, but not the same
            # value); n names make 3n parts, so only dicts of equal names, values and types share a key.
            lines += [f"    memo = memos[{len(leaves)}]", f"    key = {_KEY}",
                      "    hit = memo.get(key)", "    if hit is not None:", "        return hit"]
            leaves.append(cls)
        lines += [f"    self = new({cls.__name__})", "    intern = strings.setdefault"]
        for field in attrs.fields(cls):
            lines.extend(_field_code(cls, field, hints[field.name], names))
        if shared:
            # Not with a float: -0.0 equals 0 (and 0.0) as a key, but is not the same value.
            lines += ["    if float not in key:", "        memo[key] = self"]
        lines.append("    return self")
        if shared:  # a tuple of them (an evidence item's values): equal ones found in the memo without a call each
            lines += ["", "", f"def many_{cls.__name__}(v, strings, dates, copy, memos):",
                      f"    get = memos[{len(leaves) - 1}].get", "    out = []", "    append = out.append",
                      "    for o in v:", f"        hit = get({_KEY})",
                      f"        append({names[cls]}(o, strings, dates, copy, memos) if hit is None else hit)",
                      "    return tuple(out)"]
        sources[cls] = "\n".join(lines)
        pending.extend(other for other in names if other not in sources)
    namespace: dict[str, Any] = {cls.__name__: cls for cls in names}
    for cls in names:
        for field in attrs.fields(cls):
            namespace[f"set_{cls.__name__}_{field.name}"] = vars(cls)[field.name].__set__
    namespace.update(new=object.__new__, date_of=_date_of, EMPTY=EMPTY_EXTENSION_DATA)
    exec(compile("\n\n".join(sources.values()), "<sharedoutcomes trusted structuring>", "exec"), namespace)  # noqa: S102 - code generated from the model's own fields
    return {cls: namespace[names[cls]] for cls in names}, len(leaves)


def build_package(data: Mapping[str, Any], *, owned: bool) -> Package:
    """
    Build a `Package` from *data* that has passed validation, without re-checking it.

    *owned* says that nothing else holds *data* (we parsed it): its extension data is kept as
    it is. Otherwise extension data is deep-copied, as `from_json_data` does.

    Example:
        >>> from sharedoutcomes import dump, example_package
        >>> package = example_package()
        >>> build_package(dump(package), owned=False) == package
        True
    """
    builders, leaves = _builders()
    memos: tuple[dict[tuple[Any, ...], Any], ...] = tuple({} for _ in range(leaves))
    package: Package = builders[Package](data, {}, {}, None if owned else _copy_json, memos)
    return package
