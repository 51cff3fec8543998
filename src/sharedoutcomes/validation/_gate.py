"""
The schema layer: the published JSON Schema, run by jsonschema, and its errors as problems.

Each error becomes a `Problem` whose rule id is ``schema.`` and the keyword that failed, with a
message written for the person who has to fix the data (one function per keyword that needs its
own words, in `_MESSAGES`, as jsonschema wires its keywords).
"""

from __future__ import annotations

import copy
import difflib
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, NamedTuple

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from sharedoutcomes import schema
from sharedoutcomes._util.paths import child
from sharedoutcomes.model import SCHEMA_VERSION, SCHEMA_VERSIONS
from sharedoutcomes.problems import Problem, render_value
from sharedoutcomes.validation import _fast

__all__ = ["ENTITY_LISTS", "schema_problem", "schema_problems"]

_LONG: Final = 300

ENTITY_LISTS: Final = {
    "organisations": "organisation", "activities": "activity", "outcomes": "outcome", "indicators": "indicator",
    "contributions": "contribution", "evidence": "evidence", "links": "link",
}
"""The package's lists of entities, each with the schema of its items."""


@functools.cache
def _validator(version: str = SCHEMA_VERSION) -> Draft202012Validator:
    return Draft202012Validator(
        schema.get_schema("package", version=version),
        registry=schema.registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@functools.cache
def _skeleton_validator() -> Draft202012Validator:
    """The package schema without descending into the items of its entity lists (checked one by one)."""
    package = copy.deepcopy(schema.get_schema("package"))
    for name in ENTITY_LISTS:
        package["properties"][name]["items"] = True
    return Draft202012Validator(package, registry=schema.registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def _entity_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema.get_schema(name), registry=schema.registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_problems(data: Any, *, item_by_item: bool, version: str = SCHEMA_VERSION) -> Iterator[Problem]:
    """
    Every problem the reference schema layer finds in *data*, in its order.

    *item_by_item* checks the package without its entity lists' items, then only the items the
    fast gate cannot prove valid, each on its own (the same problems, found much faster).
    *version* is the version of the standard whose schemas check it (an earlier one is checked
    against its frozen schemas, whole).

    Example:
        >>> [p.rule for p in schema_problems({"schema_version": "0.2"}, item_by_item=False)][:2]
        ['schema.required', 'schema.required']
    """
    if version != SCHEMA_VERSION:
        return _one_per_fault(map(schema_problem, _validator(version).iter_errors(data)))
    return _one_per_fault(_schema_problems(data, item_by_item=item_by_item))


def _schema_problems(data: Any, *, item_by_item: bool) -> Iterator[Problem]:
    if not item_by_item:
        yield from map(schema_problem, _validator().iter_errors(data))
        return
    yield from map(schema_problem, _skeleton_validator().iter_errors(data))
    for collection, entity in ENTITY_LISTS.items():
        items = data.get(collection)
        if not isinstance(items, list):
            continue  # the skeleton reported it
        for index, item in enumerate(items):
            if not _fast.item_valid(entity, item):
                prefix = f"$.{collection}[{index}]"
                for error in _entity_validator(entity).iter_errors(item):
                    yield schema_problem(error, prefix=prefix)


_SAME_FAULT: Final = frozenset({"schema.format", "schema.pattern"})


def _one_per_fault(problems: Iterator[Problem]) -> Iterator[Problem]:
    """
    One problem per fault: a date such as ``31/03/2025`` fails both ``format`` and ``pattern``; only ``format`` is kept.

    The two keywords of one value are checked one after the other, so their problems are neighbours.
    """
    previous: Problem | None = None
    for problem in problems:
        if (previous is not None and problem.path == previous.path
                and {problem.rule, previous.rule} == _SAME_FAULT):
            if problem.rule == "schema.format":
                previous = problem
            continue
        if previous is not None:
            yield previous
        previous = problem
    if previous is not None:
        yield previous


class _Detail(NamedTuple):
    """What a problem says: its message, the offending value, and the property it is about (if a child)."""

    message: str
    value: Any
    name: str | None = None


def schema_problem(error: ValidationError, *, prefix: str = "$") -> Problem:
    """The problem a jsonschema error means, its path prefixed with *prefix* (where the checked item sits)."""
    path = prefix + error.json_path[1:]
    # jsonschema reports propertyNames' inner keyword (``pattern``) at the object: name the real rule.
    keyword = "propertyNames" if "propertyNames" in error.relative_schema_path else str(error.validator)
    detail = _MESSAGES.get(keyword, _as_given)(error)
    if detail.name:
        path = child(path, detail.name)
    return Problem(rule=f"schema.{keyword}", severity="error", path=path, message=detail.message,
                   value=detail.value)


def _as_given(error: ValidationError) -> _Detail:
    """The message of jsonschema, with the value it begins with rendered bounded (it may be a huge list or string)."""
    message = error.message
    if len(message) > _LONG:
        shown = repr(error.instance)  # jsonschema's own message was built from the same repr
        if message.startswith(shown):
            message = render_value(error.instance) + message[len(shown):]
        if len(message) > _LONG:
            message = message[:_LONG - 1] + "…"
    return _Detail(message, error.instance)


def _property_names(error: ValidationError) -> _Detail:
    return _Detail(f"{render_value(error.instance)} is not a valid name here (lower-case words joined by hyphens, such as "
                   "'local-data')", error.instance)


def _required(error: ValidationError) -> _Detail:
    missing = _quoted(error.message)
    return _Detail(f"{render_value(missing)} is required" if missing else error.message, None, missing or None)


def _additional_properties(error: ValidationError) -> _Detail:
    known = tuple(error.schema.get("properties", {})) if isinstance(error.schema, dict) else ()
    extras = sorted(set(error.instance) - set(known)) if isinstance(error.instance, dict) else []
    if not extras:
        return _as_given(error)
    name = extras[0]
    close = difflib.get_close_matches(name, known, n=1)
    hint = (f"; did you mean {render_value(close[0])}?" if close
            else "; data of an extension goes under 'extension_data', named after an extension the "
            "package declares" if "extension_data" in known else "")
    others = f" (and {', '.join(map(repr, extras[1:]))})" if len(extras) > 1 else ""
    value = error.instance[name] if isinstance(error.instance, dict) else None
    return _Detail(f"unknown property {render_value(name)}{others}{hint}", value, name)


def _enum(error: ValidationError) -> _Detail:
    value = error.instance
    options = list(error.validator_value) if isinstance(error.validator_value, list) else []
    close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1)
    codelist = error.schema.get("codelist", "") if isinstance(error.schema, dict) else ""
    where = f" of codelist {render_value(Path(codelist).stem)}" if codelist else ""
    hint = f"; did you mean {render_value(close[0])}?" if close else f"; use one of {', '.join(map(str, options))}"
    return _Detail(f"{render_value(value)} is not a code{where}{hint}", value)


def _const(error: ValidationError) -> _Detail:
    message = f"{render_value(error.instance)} must be {render_value(error.validator_value)}"
    if error.path and error.path[-1] == "schema_version":
        message += (f" (this version of sharedoutcomes reads standard {', '.join(SCHEMA_VERSIONS)} and writes "
                    f"{SCHEMA_VERSION})")
    return _Detail(message, error.instance)


def _pattern(error: ValidationError) -> _Detail:
    return _Detail(f"{render_value(error.instance)} is not in the expected form ({_pattern_hint(error)})", error.instance)


def _format(error: ValidationError) -> _Detail:
    return _Detail(f"{render_value(error.instance)} is not a valid {error.validator_value}", error.instance)


def _when(offending: Callable[[Any], bool], message: str) -> Callable[[ValidationError], _Detail]:
    """*message* for an empty or null value (which *offending* recognises), jsonschema's for any other."""

    def detail(error: ValidationError) -> _Detail:
        return _Detail(message, error.instance) if offending(error.instance) else _as_given(error)

    return detail


_MESSAGES: Final[dict[str, Callable[[ValidationError], _Detail]]] = {
    "propertyNames": _property_names,
    "required": _required,
    "additionalProperties": _additional_properties,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "format": _format,
    "minLength": _when(lambda value: value == "", "must not be empty (leave the property out instead)"),
    "minItems": _when(lambda value: value == [], "must not be an empty list (leave the property out instead)"),
    "type": _when(lambda value: value is None, "must not be null (leave the property out instead)"),
}
"""The keywords whose problems are put in words of their own; the others keep jsonschema's message."""


def _quoted(message: str) -> str:
    if message.startswith("'") and "'" in message[1:]:
        return message[1:message.index("'", 1)]
    return ""


def _pattern_hint(error: ValidationError) -> str:
    title = error.schema.get("title", "") if isinstance(error.schema, dict) else ""
    examples = error.schema.get("examples") if isinstance(error.schema, dict) else None
    if examples:
        return f"for example {render_value(examples[0])}"
    return f"{title or 'value'} must match {error.validator_value}"
