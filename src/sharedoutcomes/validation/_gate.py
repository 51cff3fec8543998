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
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, Final, NamedTuple

from jsonschema import Draft202012Validator, _keywords, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

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


# -- the reference validators, with a memory of what they have found valid -------------------------
#
# A package repeats the same small values many times over: a Star score of 7 on one area, a period,
# a subject, a participant. Whether a value is valid against a subschema depends on nothing else,
# so the validators remember, for the length of one document, each small value (a scalar, or an
# object of scalars; types included) they have found valid at a place of the schema (behind a
# ``$ref``, as a property, as an item), and do not check it there again. Errors are never
# remembered: a value with a problem is checked, and reported, every time it occurs. The keywords
# are jsonschema's own, with that memory added; nothing else changes.

_SCALAR_TYPES: Final = frozenset({str, int, float, bool, type(None)})
_VALID: Final[ContextVar[set[tuple[Any, ...]] | None]] = ContextVar("sharedoutcomes_valid_refs", default=None)


def _key(place: Any, instance: Any) -> tuple[Any, ...] | None:
    """What identifies *instance* checked at *place* (a subschema): its value and types; ``None`` if not small."""
    kind = type(instance)
    if kind is dict:
        if _SCALAR_TYPES.issuperset(map(type, instance.values())):
            return (id(place), *instance.items(), *map(type, instance.values()))
        return None
    return (id(place), instance, kind) if kind in _SCALAR_TYPES else None


def _checked(valid: set[tuple[Any, ...]], key: tuple[Any, ...] | None,
             errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    """*errors* (lazily, as jsonschema yields them); *key* is remembered as valid once they turn out to be none."""
    found = False
    for error in errors:
        found = True
        yield error
    if not found and key is not None:
        valid.add(key)


def _remembered_ref(validator: Any, ref: str, instance: Any, schema_node: Any) -> Iterator[ValidationError]:
    """The ``$ref`` keyword of jsonschema, skipped for a small value already found valid at the same place of the schema."""
    valid = _VALID.get()
    key = None if valid is None else _key(schema_node, instance)
    if key is not None and key in valid:  # type: ignore[operator]
        return iter(())
    if valid is None:
        return validator._validate_reference(ref=ref, instance=instance)  # type: ignore[no-any-return]
    resolved = _RESOLVED.get(id(schema_node))
    if resolved is None:  # a $ref in a fixed, offline registry always resolves alike: look it up once
        found = validator._resolver.lookup(ref)
        resolved = _RESOLVED[id(schema_node)] = (found.contents, found.resolver, schema_node)
    errors = validator.descend(instance, resolved[0], resolver=resolved[1])
    return _checked(valid, key, errors)


# A property whose subschema is a scalar's type with simple constraints (a string with a length, a pattern, a
# format or an enum; a whole number in a range …) is decided by one compiled test when the value passes it;
# a value that fails it is checked by jsonschema, which words the error. Exactly jsonschema's keywords:
_ANNOTATIONS: Final = frozenset({"title", "description", "$comment", "examples", "default", "deprecated",
                                 "readOnly", "writeOnly"})
_SIMPLE_KEYWORDS: Final = frozenset({"type", "minLength", "maxLength", "pattern", "format", "enum", "const",
                                     "minimum", "maximum"})
_OBJECT_KEYWORDS: Final = frozenset({"type", "required", "properties", "additionalProperties"})
_EXACT_TYPES: Final[dict[str, tuple[type, ...]]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}
# The subschema is kept beside its test, so that its id stays its own.
_SIMPLE: Final[dict[int, tuple[Any, Callable[[Any], bool] | None]]] = {}


def _simple(validator: Any, subschema: Any) -> Callable[[Any], bool] | None:
    """The compiled test of *subschema* (a property's or an array's items), worked out once."""
    known = _SIMPLE.get(id(subschema))
    if known is None:
        known = _SIMPLE[id(subschema)] = (subschema, _simple_test(validator._resolver, validator.format_checker,
                                                                  subschema))
    return known[1]


def _simple_test(resolver: Any, checker: Any, node: Any) -> Callable[[Any], bool] | None:
    """
    A test that passes only values *node* finds valid (``None`` if *node* is not that simple).

    Simple: a scalar's type (or a list of them) with its length, pattern, format, enum or range; an
    object of such properties, with its required ones and nothing else when it allows nothing else;
    or a ``$ref`` to one of these (looked up with *resolver*, as jsonschema would). *checker* is the
    validator's format checker.
    """
    if not isinstance(node, dict):
        return None
    keywords = node.keys() - _ANNOTATIONS
    if keywords == {"$ref"}:
        found = resolver.lookup(node["$ref"])
        return None if "$id" in found.contents else _simple_test(found.resolver, checker, found.contents)
    if node.get("type") == "object":
        return _object_test(resolver, checker, node) if keywords <= _OBJECT_KEYWORDS else None
    declared = node.get("type")
    names = [declared] if isinstance(declared, str) else declared if isinstance(declared, list) else []
    if not names or not keywords <= _SIMPLE_KEYWORDS or not set(names) <= _EXACT_TYPES.keys():
        return None
    kinds = frozenset(kind for name in names for kind in _EXACT_TYPES[name])
    if "enum" in node and "const" in node:
        return None
    choices = node.get("enum", [node["const"]] if "const" in node else None)
    if choices is not None and not (kinds == {str} and all(type(choice) is str for choice in choices)):
        return None  # jsonschema's equality of numbers and booleans is its own: left to it
    shortest, longest = node.get("minLength", 0), node.get("maxLength")
    low, high = node.get("minimum"), node.get("maximum")
    search = re.compile(node["pattern"]).search if "pattern" in node else None
    fmt, conforms = node.get("format"), checker.conforms if checker is not None else None
    allowed = None if choices is None else frozenset(choices)

    def test(value: Any) -> bool:
        kind = type(value)
        if kind not in kinds:
            return False
        if kind is str:  # the string keywords, which jsonschema applies to strings only
            if len(value) < shortest or (longest is not None and len(value) > longest):
                return False
            if (search is not None and search(value) is None) or (allowed is not None and value not in allowed):
                return False
        elif kind is not bool and ((low is not None and not value >= low) or (high is not None and not value <= high)):
            return False  # the number keywords, which jsonschema applies to numbers (not booleans) only
        return fmt is None or conforms is None or bool(conforms(value, fmt))

    return test


def _object_test(resolver: Any, checker: Any, node: dict[str, Any]) -> Callable[[Any], bool] | None:
    """The test of an object whose properties are all simple (see `_simple_test`), or ``None``."""
    closed = node.get("additionalProperties", True)
    if closed not in (True, False) or not isinstance(node.get("properties", {}), dict):
        return None
    tests = {name: _simple_test(resolver, checker, sub) for name, sub in node.get("properties", {}).items()}
    if None in tests.values():
        return None
    required, known = tuple(node.get("required", ())), frozenset(tests)

    def test(value: Any) -> bool:
        if type(value) is not dict or (closed is False and not known.issuperset(value)):
            return False
        for name in required:
            if name not in value:
                return False
        for name, item in value.items():
            check = tests.get(name)
            if check is not None and not check(item):
                return False
        return True

    return test


def _remembered_properties(validator: Any, properties: dict[str, Any], instance: Any,
                           schema_node: Any) -> Iterator[ValidationError]:
    """The ``properties`` keyword of jsonschema, each property's value skipped where it was already found valid."""
    if not validator.is_type(instance, "object"):
        return
    valid = _VALID.get()
    if valid is None:
        plain: Callable[..., Iterator[ValidationError] | None] = _keywords.properties
        yield from plain(validator, properties, instance, schema_node) or ()
        return
    for name, subschema in properties.items():
        if name in instance:
            value = instance[name]
            kind = type(value)
            if kind in _SCALAR_TYPES or kind is dict:
                test = _simple(validator, subschema)
                if test is not None and test(value):
                    continue
            key = (id(subschema), value, kind) if kind in _SCALAR_TYPES else _key(subschema, value)  # _key inlined
            if key is not None and key in valid:
                continue
            yield from _checked(valid, key, validator.descend(value, subschema, path=name, schema_path=name))


def _remembered_items(validator: Any, items: Any, instance: Any, schema_node: Any) -> Iterator[ValidationError]:
    """The ``items`` keyword of jsonschema (after any ``prefixItems``), each item skipped where it was already found valid."""
    if not validator.is_type(instance, "array") or items is False or "prefixItems" in schema_node:
        plain: Callable[..., Iterator[ValidationError] | None] = _keywords.items
        yield from plain(validator, items, instance, schema_node) or ()
        return
    valid = _VALID.get()
    test = None if valid is None else _simple(validator, items)
    for index, item in enumerate(instance):
        if test is not None and test(item):
            continue
        key = None if valid is None else _key(items, item)
        if key is not None and key in valid:  # type: ignore[operator]
            continue
        errors = validator.descend(instance=item, schema=items, path=index)
        yield from (errors if valid is None else _checked(valid, key, errors))


# Where each $ref of the published schemas leads (the schema node is kept, so that its id stays its own).
_RESOLVED: Final[dict[int, tuple[Any, Any, Any]]] = {}

_Reference: Final[Any] = validators.extend(Draft202012Validator, {  # type: ignore[no-untyped-call]
    "$ref": _remembered_ref, "properties": _remembered_properties, "items": _remembered_items})


def _undeclared(document: dict[str, Any]) -> dict[str, Any]:
    """*document* without ``$schema``: jsonschema would otherwise check what it refers to with its own class."""
    return {key: value for key, value in document.items() if key != "$schema"}


@functools.cache
def _registry(version: str = SCHEMA_VERSION) -> Registry[Any]:
    """The published schemas of *version*, every one of them Draft 2020-12 (as they declare), checked by `_Reference` throughout."""
    resources = [DRAFT202012.create_resource(_undeclared(schema.get_schema(name, version=version)))
                 for name in schema.schema_names(version)]
    return Registry().with_resources((resource.id() or "", resource) for resource in resources).crawl()


def _errors(validator: Any, instance: Any) -> list[ValidationError]:
    """Every error of *instance*, in jsonschema's order, remembering valid small values for this document only."""
    token = _VALID.set(set())
    try:
        return list(validator.iter_errors(instance))
    finally:
        _VALID.reset(token)


@functools.cache
def _validator(version: str = SCHEMA_VERSION) -> Any:
    return _Reference(
        _undeclared(schema.get_schema("package", version=version)),
        registry=_registry(version),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@functools.cache
def _skeleton_validator() -> Any:
    """The package schema without descending into the items of its entity lists (checked one by one)."""
    package = _undeclared(copy.deepcopy(schema.get_schema("package")))
    for name in ENTITY_LISTS:
        package["properties"][name]["items"] = True
    return _Reference(package, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def _entity_validator(name: str) -> Any:
    return _Reference(_undeclared(schema.get_schema(name)), registry=_registry(),
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
        yield from map(schema_problem, _errors(_validator(), data))
        return
    yield from map(schema_problem, _errors(_skeleton_validator(), data))
    for collection, entity in ENTITY_LISTS.items():
        items = data.get(collection)
        if not isinstance(items, list):
            continue  # the skeleton reported it
        for index, item in enumerate(items):
            if not _fast.item_valid(entity, item):
                prefix = f"$.{collection}[{index}]"
                for error in _errors(_entity_validator(entity), item):
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
    codelist = schema.codelist_of(error.schema)
    where = f" of codelist {render_value(codelist)}" if codelist else ""
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
