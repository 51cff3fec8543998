"""
Validation in two layers, and the `load` that parses only what passed.

1. The published JSON Schema (jsonschema, with the offline registry of `sharedoutcomes.schema`),
   which finds structural problems at exact paths. Their rule ids are ``schema.<keyword>``.
2. Semantic rules a schema cannot express (`sharedoutcomes.validation._rules.RULES`), each with a
   stable id, run only when the shape is right.

`validate` never raises on bad data: it returns a `Report`. `load` raises `InvalidDocument`
(a `ValueError`) carrying the report. A `ValidationProfile` changes rule severities without
touching the standard.

With the ``fast`` extra installed (orjson, jsonschema-rs), the same problems are found faster:
orjson parses, a jsonschema-rs gate lets valid documents skip the pure-Python schema layer, and
`load` builds the model without re-running the attrs validators. The pure-Python path is the
reference: the fast path reports exactly its problems. Pass ``fast=False``, or set
``SHAREDOUTCOMES_FAST=0`` in the environment, to use the reference path; see
``docs/performance.md``.

Example:
    >>> import sharedoutcomes
    >>> report = sharedoutcomes.validate({"schema_version": "0.1", "id": "p", "title": "T",
    ...     "publisher": "GB-SC-SC012345", "produced": "2025-01-01T00:00:00Z", "sharing_level": "public"})
    >>> report.ok
    False
    >>> print(report.problems[0])
    $.publisher: no organisation in the package has id 'GB-SC-SC012345' [ref-unresolved]
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import functools
import json
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, Literal

import attrs
from attrs import field, frozen
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from sharedoutcomes import schema
from sharedoutcomes._util.paths import child
from sharedoutcomes.exceptions import (
    ConversionError,
    InvalidDocument,
    Problem,
    SourceLocation,
    UnknownRule,
)
from sharedoutcomes.model import Package
from sharedoutcomes.serialization import from_json_data
from sharedoutcomes.validation import _fast, _rules

__all__ = [
    "Report",
    "ValidationProfile",
    "is_valid",
    "iter_problems",
    "load",
    "read_json",
    "rules",
    "validate",
    "validate_data",
]

Action = Literal["error", "warning", "off"]


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(
        schema.get_schema("package"),
        registry=schema.registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


_ENTITY_LISTS: Final = {
    "organisations": "organisation", "activities": "activity", "outcomes": "outcome", "indicators": "indicator",
    "contributions": "contribution", "evidence": "evidence", "links": "link",
}


@functools.cache
def _skeleton_validator() -> Draft202012Validator:
    """The package schema without descending into the items of its entity lists (checked one by one)."""
    package = copy.deepcopy(schema.get_schema("package"))
    for name in _ENTITY_LISTS:
        package["properties"][name]["items"] = True
    return Draft202012Validator(package, registry=schema.registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def _entity_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema.get_schema(name), registry=schema.registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def _schema_problems_item_by_item(data: dict[str, Any]) -> Iterator[Problem]:
    """
    The reference schema layer's problems, found without running it over every item.

    The package is checked without its entity lists' items; then each item the fast gate cannot
    prove valid is checked on its own by the reference, its paths prefixed with its place. A
    package with one bad value among 100,000 records is checked in about the time of a valid one.
    """
    for error in _skeleton_validator().iter_errors(data):
        yield _schema_problem(error)
    for collection, entity in _ENTITY_LISTS.items():
        items = data.get(collection)
        if not isinstance(items, list):
            continue  # the skeleton reported it
        for index, item in enumerate(items):
            if not _fast.item_valid(entity, item):
                prefix = f"$.{collection}[{index}]"
                for error in _entity_validator(entity).iter_errors(item):
                    yield _schema_problem(error, prefix=prefix)


def rules() -> dict[str, str]:
    """
    Every semantic rule id with what it checks (schema rules are ``schema.<keyword>``).

    Example:
        >>> rules()["period-order"]
        'A period does not end before it starts.'
    """
    return {rule.id: rule.description for rule in _rules.RULES.values()}


@frozen(kw_only=True)
class ValidationProfile:
    """
    A consumer's choice of severities: turn a rule into a warning, an error, or off.

    Only semantic rules can be changed. Schema rules (``schema.*``) are the standard
    itself: a document that breaks them cannot become a model object.

    Example:
        >>> profile = ValidationProfile(severities={"org-id-prefix": "off", "small-cohort-in-public": "error"})
        >>> profile.severity_of("org-id-prefix")
        'off'
    """

    name: str = "custom"
    severities: Mapping[str, Action] = field(factory=dict)

    @severities.validator
    def _check(self, _attribute: attrs.Attribute[Any], value: Mapping[str, str]) -> None:
        for rule, action in value.items():
            if rule.startswith("schema."):
                msg = f"{rule!r} is a schema rule; a profile can only change semantic rules"
                raise UnknownRule(rule, known=tuple(_rules.RULES)) from ValueError(msg)
            if rule not in _rules.RULES:
                raise UnknownRule(rule, known=tuple(_rules.RULES))
            if action not in ("error", "warning", "off"):
                msg = f"the action for {rule!r} must be 'error', 'warning' or 'off', not {action!r}"
                raise ValueError(msg)

    def severity_of(self, rule: str) -> Action:
        """The severity a rule has under this profile (its default unless changed)."""
        if rule in self.severities:
            return self.severities[rule]
        default = _rules.RULES.get(rule)
        return default.severity if default is not None else "error"

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ValidationProfile:
        r"""
        Read a profile from JSON or TOML: ``{"name": "...", "severities": {"rule-id": "warning"}}``.

        Example:
            >>> import tempfile, pathlib
            >>> p = pathlib.Path(tempfile.mkdtemp()) / "strict.toml"
            >>> _ = p.write_text('name = "strict"\n[severities]\norg-id-prefix = "error"\n')
            >>> ValidationProfile.from_file(p).severity_of("org-id-prefix")
            'error'
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
        except (OSError, ValueError) as error:
            msg = f"cannot read the validation profile: {error}"
            raise ConversionError(msg, source=SourceLocation(file=str(path))) from None
        if not isinstance(data, dict) or not isinstance(data.get("severities", {}), dict):
            msg = "a validation profile is an object with a 'severities' object of rule id → error|warning|off"
            raise ConversionError(msg, source=SourceLocation(file=str(path)))
        return cls(name=str(data.get("name", path.stem)), severities=data.get("severities", {}))

    def apply(self, problems: Iterable[Problem]) -> Iterator[Problem]:
        """Yield *problems* with this profile's severities; drop those turned off."""
        for problem in problems:
            action = self.severities.get(problem.rule)
            if action is None:
                yield problem
            elif action != "off":
                yield attrs.evolve(problem, severity=action)


@frozen(kw_only=True)
class Report:
    """
    The outcome of validating a document: every problem, errors first.

    Example:
        >>> report = Report(problems=())
        >>> report.ok, len(report)
        (True, 0)
    """

    problems: tuple[Problem, ...] = ()
    source: str | None = None
    profile: str | None = None

    @property
    def ok(self) -> bool:
        """``True`` when there are no errors (warnings do not count)."""
        return not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of severity ``error``."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems of severity ``warning``."""
        return tuple(p for p in self.problems if p.severity == "warning")

    def __len__(self) -> int:
        return len(self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __bool__(self) -> bool:
        return True  # a report is always truthy; use .ok

    def by_rule(self) -> dict[str, tuple[Problem, ...]]:
        """
        The problems grouped by rule id.

        Example:
            >>> Report(problems=()).by_rule()
            {}
        """
        groups: dict[str, list[Problem]] = {}
        for problem in self.problems:
            groups.setdefault(problem.rule, []).append(problem)
        return {rule: tuple(items) for rule, items in groups.items()}

    def to_dict(self) -> dict[str, Any]:
        """
        The report as JSON-ready data: ``ok``, counts and every problem.

        Example:
            >>> Report(problems=()).to_dict()
            {'ok': True, 'errors': 0, 'warnings': 0, 'problems': []}
        """
        data: dict[str, Any] = {}
        if self.source is not None:
            data["source"] = self.source
        if self.profile is not None:
            data["profile"] = self.profile
        data.update({
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
        })
        return data

    def to_text(self) -> str:
        """
        The report as lines of text, one problem a line, and a summary.

        Example:
            >>> print(Report(problems=()).to_text())
            valid: 0 errors, 0 warnings
        """
        lines = [f"{p.severity}: {p}" for p in self.problems]
        verdict = "valid" if self.ok else "invalid"
        prefix = f"{self.source}: " if self.source else ""
        lines.append(f"{prefix}{verdict}: {_count(len(self.errors), 'error')}, "
                     f"{_count(len(self.warnings), 'warning')}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Report {'ok' if self.ok else 'invalid'}: {len(self.errors)} errors, {len(self.warnings)} warnings>"

    def _repr_html_(self) -> str:
        from sharedoutcomes._util.html import report_html

        return report_html(self)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- reading ---------------------------------------------------------------------------------


def read_json(source: Any) -> tuple[Any, str | None]:
    """
    Read JSON from a path, JSON text or bytes, or pass parsed data through.

    Returns the data and a name for the source (the path, or ``None``).

    Raises:
        ConversionError: The file cannot be read, is not UTF-8, or is not JSON; the
            error says where (line and column).

    Example:
        >>> read_json('{"a": 1}')
        ({'a': 1}, None)
    """
    data, name, _parsed = _read(source, fast=False)
    return data, name


def _read(source: Any, *, fast: bool) -> tuple[Any, str | None, bool]:
    """`read_json`, with orjson when *fast*; the third value says that we parsed the data ourselves."""
    if isinstance(source, Package):
        from sharedoutcomes.serialization import dump

        return dump(source), None, False
    if isinstance(source, Mapping):
        return source, None, False
    name: str | None = None
    if isinstance(source, os.PathLike) or (isinstance(source, str) and not source.lstrip().startswith(("{", "["))):
        path = Path(source)
        name = str(path)
        try:
            raw: str | bytes = path.read_bytes()
        except OSError as error:
            reason = error.strerror or str(error)
            msg = f"cannot read the file: {reason}"
            raise ConversionError(msg, source=SourceLocation(file=name)) from None
    elif isinstance(source, str | bytes | bytearray):
        raw = bytes(source) if isinstance(source, bytearray) else source
    else:
        msg = f"cannot read a package from a {type(source).__name__}; give a path, JSON text or a dict"
        raise TypeError(msg)
    if fast:
        parsed, data = _fast.parse(raw)
        if parsed:
            return data, name, True
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        return json.loads(text), name, True
    except UnicodeDecodeError as error:
        msg = f"the file is not UTF-8 text (byte {error.start})"
        raise ConversionError(msg, source=SourceLocation(file=name)) from None
    except json.JSONDecodeError as error:
        msg = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise ConversionError(msg, source=SourceLocation(file=name, row=error.lineno,
                                                         column=str(error.colno))) from None


# -- the schema layer --------------------------------------------------------------------------


def _schema_problem(error: ValidationError, *, prefix: str = "$") -> Problem:
    path = prefix + error.json_path[1:]
    keyword = str(error.validator)
    message = error.message
    value = error.instance
    if "propertyNames" in error.relative_schema_path:
        # jsonschema reports the inner keyword (``pattern``) at the object; name the real rule
        keyword = "propertyNames"
        message = f"{value!r} is not a valid name here (lower-case words joined by hyphens, such as 'local-data')"
    elif keyword == "required":
        missing = _quoted(error.message)
        path = child(path, missing) if missing else path
        message = f"{missing!r} is required" if missing else message
        value = None
    elif keyword == "additionalProperties":
        known = tuple(error.schema.get("properties", {})) if isinstance(error.schema, dict) else ()
        extras = sorted(set(error.instance) - set(known)) if isinstance(error.instance, dict) else []
        if extras:
            name = extras[0]
            path = child(path, name)
            close = difflib.get_close_matches(name, known, n=1)
            hint = (f"; did you mean {close[0]!r}?" if close
                    else "; data of an extension goes under 'extension_data', named after an extension the "
                    "package declares" if "extension_data" in known else "")
            others = f" (and {', '.join(map(repr, extras[1:]))})" if len(extras) > 1 else ""
            message = f"unknown property {name!r}{others}{hint}"
            value = error.instance[name] if isinstance(error.instance, dict) else None
    elif keyword == "enum":
        options = list(error.validator_value) if isinstance(error.validator_value, list) else []
        close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1)
        codelist = error.schema.get("codelist", "") if isinstance(error.schema, dict) else ""
        where = f" of codelist {Path(codelist).stem!r}" if codelist else ""
        hint = f"; did you mean {close[0]!r}?" if close else f"; use one of {', '.join(map(str, options))}"
        message = f"{value!r} is not a code{where}{hint}"
    elif keyword == "const":
        message = f"{value!r} must be {error.validator_value!r}"
        if error.path and error.path[-1] == "schema_version":
            message += " (this version of sharedoutcomes reads standard 0.1)"
    elif keyword == "pattern":
        message = f"{value!r} is not in the expected form ({_pattern_hint(error)})"
    elif keyword == "format":
        message = f"{value!r} is not a valid {error.validator_value}"
    elif keyword == "minLength" and value == "":
        message = "must not be empty (leave the property out instead)"
    elif keyword == "minItems" and value == []:
        message = "must not be an empty list (leave the property out instead)"
    elif keyword == "type" and value is None:
        message = "must not be null (leave the property out instead)"
    return Problem(rule=f"schema.{keyword}", severity="error", path=path, message=message, value=value)


def _quoted(message: str) -> str:
    if message.startswith("'") and "'" in message[1:]:
        return message[1:message.index("'", 1)]
    return ""


def _pattern_hint(error: ValidationError) -> str:
    title = error.schema.get("title", "") if isinstance(error.schema, dict) else ""
    examples = error.schema.get("examples") if isinstance(error.schema, dict) else None
    if examples:
        return f"for example {examples[0]!r}"
    return f"{title or 'value'} must match {error.validator_value}"


# -- the pipeline ------------------------------------------------------------------------------


def iter_problems(data: Any, *, fast: bool | None = None) -> Iterator[Problem]:
    """
    Yield every problem in parsed package *data*: schema problems first, then semantic ones.

    Semantic rules run only when the schema layer found nothing, since they rely on its
    shape. Severities are the defaults; see `validate` for profiles and sources, and for
    *fast*.

    Example:
        >>> [p.rule for p in iter_problems({"schema_version": "0.1"})][:2]
        ['schema.required', 'schema.required']
    """
    return _iter_problems(data, fast=_fast.use_fast(fast), parsed=False)


def _iter_problems(data: Any, *, fast: bool, parsed: bool) -> Iterator[Problem]:
    if fast and _fast.schema_valid(data, plain=parsed):
        # The gate proved that the reference schema layer finds nothing here.
        yield from _rules.check(data)
        return
    shape_ok = True
    item_by_item = fast and isinstance(data, dict) and (parsed or _fast.plain_json(data))
    schema_problems = (_schema_problems_item_by_item(data) if item_by_item
                       else map(_schema_problem, _validator().iter_errors(data)))
    for problem in schema_problems:
        shape_ok = False
        yield problem
    if shape_ok:
        yield from _rules.check(data)


def _sort_key(problem: Problem) -> tuple[int, str]:
    return (0 if problem.severity == "error" else 1, problem.path)


def _locate(problems: Iterable[Problem], data: Any, source_map: Mapping[str, SourceLocation] | None,
            file: str | None) -> Iterator[Problem]:
    """Attach source locations: from a converter's map, or from the evidence's own provenance."""
    evidence = data.get("evidence") if isinstance(data, dict) else None
    for problem in problems:
        if problem.source is None:
            location = _lookup(problem.path, source_map) if source_map else None
            if location is None and isinstance(evidence, list) and problem.path.startswith("$.evidence["):
                location = _provenance_location(evidence, problem.path)
            if location is None and file is not None:
                location = SourceLocation(file=file)
            if location is not None:
                problem = attrs.evolve(problem, source=location)  # noqa: PLW2901
        yield problem


def _lookup(path: str, source_map: Mapping[str, SourceLocation]) -> SourceLocation | None:
    while True:
        if path in source_map:
            return source_map[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return None
        path = path[:cut]


def _provenance_location(evidence: list[Any], path: str) -> SourceLocation | None:
    try:
        index = int(path[len("$.evidence["):path.index("]")])
        provenance = evidence[index].get("provenance")
    except (ValueError, IndexError, AttributeError):
        return None
    if not isinstance(provenance, dict) or "file" not in provenance:
        return None
    row = provenance.get("row")
    return SourceLocation(
        file=provenance.get("file"),
        sheet=provenance.get("sheet"),
        row=row if isinstance(row, int) else None,
        column=provenance.get("column"),
        question=provenance.get("question"),
    )


def validate(
    source: Any,
    *,
    profile: ValidationProfile | None = None,
    source_map: Mapping[str, SourceLocation] | None = None,
    fast: bool | None = None,
) -> Report:
    """
    Check a package completely and report every problem; never raise on bad data.

    Args:
        source: A path, JSON text or bytes, a parsed dict, or a `Package`.
        profile: Severities to use instead of the defaults.
        source_map: JSONPath → original location, as a converter returns it, so that
            problems point at the original file.
        fast: ``None`` (the default) takes the fast path when the ``fast`` extra is
            installed and ``SHAREDOUTCOMES_FAST`` is not ``0``; ``False`` takes the pure-Python
            reference path; ``True`` insists on the fast path (`MissingDependency` without the
            extra). Both paths report the same problems.

    Returns:
        A `Report`; ``report.ok`` is ``True`` when there are no errors. Unreadable input
        (a missing file, text that is not JSON) is reported as one ``json-syntax`` or
        ``file-unreadable`` problem.

    Example:
        >>> from sharedoutcomes import example_package, validate
        >>> validate(example_package()).ok
        True
    """
    use_fast = _fast.use_fast(fast)
    with _fast.gc_paused() if use_fast else contextlib.nullcontext():
        try:
            data, name, parsed = _read(source, fast=use_fast)
        except ConversionError as error:
            return _unreadable(error)
        return _validate(data, name=name, profile=profile, source_map=source_map, fast=use_fast, parsed=parsed)


def _unreadable(error: ConversionError) -> Report:
    rule = "json-syntax" if error.message.startswith("not valid JSON") else "file-unreadable"
    problem = Problem(rule=rule, severity="error", path="$", message=error.message, source=error.source)
    return Report(problems=(problem,), source=error.source.file if error.source else None)


def validate_data(
    data: Any,
    *,
    name: str | None = None,
    profile: ValidationProfile | None = None,
    source_map: Mapping[str, SourceLocation] | None = None,
    fast: bool | None = None,
) -> Report:
    """
    Validate already parsed package *data*; *name* names its source in the report.

    *fast* chooses the path as for `validate`.

    Example:
        >>> validate_data({"schema_version": "0.1"}, name="return.json").source
        'return.json'
    """
    use_fast = _fast.use_fast(fast)
    with _fast.gc_paused() if use_fast else contextlib.nullcontext():
        return _validate(data, name=name, profile=profile, source_map=source_map, fast=use_fast, parsed=False)


def _validate(data: Any, *, name: str | None, profile: ValidationProfile | None,
              source_map: Mapping[str, SourceLocation] | None, fast: bool, parsed: bool) -> Report:
    problems: Iterable[Problem] = _iter_problems(data, fast=fast, parsed=parsed)
    if profile is not None:
        problems = profile.apply(problems)
    located = _locate(problems, data, source_map, name)
    return Report(problems=tuple(sorted(located, key=_sort_key)), source=name,
                  profile=profile.name if profile else None)


def is_valid(source: Any, *, profile: ValidationProfile | None = None, fast: bool | None = None) -> bool:
    """
    Say whether *source* is a package with no errors.

    Example:
        >>> is_valid({"schema_version": "0.1"})
        False
    """
    return validate(source, profile=profile, fast=fast).ok


def load(source: Any, *, profile: ValidationProfile | None = None, fast: bool | None = None) -> Package:
    """
    Validate *source* and build a `Package` from it.

    *fast* chooses the path as for `validate`. On the fast path the objects are built
    without re-running the attrs validators (the schema has just checked the same things),
    and repeated strings and dates are shared; the package is equal to the reference one.

    Raises:
        InvalidDocument: The package has errors (also a `ValueError`); ``.report``
            holds every problem. Warnings do not stop it.

    Example:
        >>> from sharedoutcomes import example_package_path
        >>> package = load(example_package_path())
        >>> package.sharing_level
        'partners'
        >>> load(example_package_path(), fast=False) == package
        True
    """
    use_fast = _fast.use_fast(fast)
    with _fast.gc_paused() if use_fast else contextlib.nullcontext():
        try:
            data, name, parsed = _read(source, fast=use_fast)
        except ConversionError as error:
            raise InvalidDocument(_unreadable(error)) from None
        report = _validate(data, name=name, profile=profile, source_map=None, fast=use_fast, parsed=parsed)
        if not report.ok:
            raise InvalidDocument(report)
        if not use_fast:
            return from_json_data(data, Package)
        from sharedoutcomes._structure import build_package

        return build_package(data, owned=parsed)

