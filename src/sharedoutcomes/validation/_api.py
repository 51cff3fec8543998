"""Validating a package: `validate` reports every problem, `load` builds the model from what passed."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sharedoutcomes._structure import build_package
from sharedoutcomes._util.paths import path_key
from sharedoutcomes.exceptions import ConversionError, InvalidDocument, SharedOutcomesWarning
from sharedoutcomes.migration import migrate
from sharedoutcomes.model import SCHEMA_VERSION, SCHEMA_VERSIONS, Package
from sharedoutcomes.problems import Problem, Report, SourceLocation
from sharedoutcomes.serialization import from_json_data
from sharedoutcomes.validation import _fast, _rules
from sharedoutcomes.validation._gate import schema_problems
from sharedoutcomes.validation._locate import locate
from sharedoutcomes.validation._profile import ValidationProfile
from sharedoutcomes.validation._read import read, unreadable
from sharedoutcomes.validation._shape import extension_depth_problems, shape_of

__all__ = ["is_valid", "iter_problems", "load", "validate", "validate_data"]


def iter_problems(data: Any, *, fast: bool | None = None) -> Iterator[Problem]:
    """
    Yield every problem in parsed package *data*: schema problems first, then semantic ones.

    Semantic rules run only when the schema layer found nothing, since they rely on its
    shape. Severities are the defaults; see `validate` for profiles and sources, and for
    *fast*.

    Example:
        >>> [p.rule for p in iter_problems({"schema_version": "0.2"})][:2]
        ['schema.required', 'schema.required']
    """
    return _iter_problems(data, fast=_fast.use_fast(fast), parsed=False)


def _iter_problems(data: Any, *, fast: bool, parsed: bool, numbers: bool = True) -> Iterator[Problem]:
    """*parsed*: the data came from our JSON parser; *numbers*: it may hold NaN or over-long integers (not orjson's)."""
    if fast and parsed and not numbers and isinstance(data, dict) and _fast.schema_valid(data):
        # Parsed by orjson (no NaN, no long integer, at most 1,024 levels deep) and proven valid by
        # the gate: the schema bounds the depth of everything but extension data, so only that is walked.
        shape = extension_depth_problems(data)
        if shape:
            yield from shape
            return
        yield from _rules.check(data)
        return
    # Not an object, too deep, NaN: nothing else can be checked. The same walk says whether it is plain JSON.
    shape, plain = shape_of(data, numbers=numbers)
    if shape:
        yield from shape
        return
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != SCHEMA_VERSION and version in SCHEMA_VERSIONS:
        # An earlier version, still read: its frozen schemas, then the same rules (schema-version-old among them).
        old_ok = True
        for problem in schema_problems(data, item_by_item=False, version=version):
            old_ok = False
            yield problem
        if old_ok:
            yield from _rules.check(data)
        return
    if fast and (parsed or plain) and _fast.schema_valid(data):
        # The gate proved that the reference schema layer finds nothing here.
        yield from _rules.check(data)
        return
    shape_ok = True
    item_by_item = fast and isinstance(data, dict) and (parsed or plain)
    for problem in schema_problems(data, item_by_item=item_by_item):
        shape_ok = False
        yield problem
    if shape_ok:
        yield from _rules.check(data)


def _sorted(problems: Iterable[Problem], data: Any) -> tuple[Problem, ...]:
    """Errors first, then in document order (``[2]`` before ``[10]``), then by place in the source file."""
    keys: dict[str, Any] = {}

    def key(problem: Problem) -> tuple[Any, ...]:
        path = keys.get(problem.path)
        if path is None:
            path = keys[problem.path] = path_key(problem.path, data)
        where = problem.source
        return (problem.severity != "error", path,
                () if where is None else (where.row if type(where.row) is int else 0, str(where)))

    return tuple(sorted(problems, key=key))


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
    with _path(fast) as use_fast:
        return _read_and_validate(source, profile=profile, source_map=source_map, fast=use_fast)[0]


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
        >>> validate_data({"schema_version": "0.2"}, name="return.json").source
        'return.json'
    """
    with _path(fast) as use_fast:
        return _validate(data, name=name, profile=profile, source_map=source_map, fast=use_fast, parsed=False)


@contextlib.contextmanager
def _path(fast: bool | None) -> Iterator[bool]:
    """Choose the path (see `validate`); nothing process-wide (such as the garbage collector) is touched."""
    yield _fast.use_fast(fast)


def _read_and_validate(source: Any, *, profile: ValidationProfile | None,
                       source_map: Mapping[str, SourceLocation] | None, fast: bool) -> tuple[Report, Any, bool]:
    """The report on *source*, its data, and whether we parsed it; unreadable input is a report of one problem."""
    try:
        data, name, parser = read(source, fast=fast)
    except ConversionError as error:
        return unreadable(error), None, False
    report = _validate(data, name=name, profile=profile, source_map=source_map, fast=fast, parsed=bool(parser),
                       numbers=parser != "orjson")
    return report, data, bool(parser)


def _validate(data: Any, *, name: str | None, profile: ValidationProfile | None,
              source_map: Mapping[str, SourceLocation] | None, fast: bool, parsed: bool,
              numbers: bool = True) -> Report:
    problems: Iterable[Problem] = _iter_problems(data, fast=fast, parsed=parsed, numbers=numbers)
    if profile is not None:
        problems = profile.apply(problems)
    located = locate(problems, data, source_map, name)
    return Report(problems=_sorted(located, data), source=name,
                  profile=profile.name if profile else None)


def is_valid(source: Any, *, profile: ValidationProfile | None = None, fast: bool | None = None) -> bool:
    """
    Say whether *source* is a package with no errors.

    Example:
        >>> is_valid({"schema_version": "0.2"})
        False
    """
    return validate(source, profile=profile, fast=fast).ok


def _upgraded(data: dict[str, Any], report: Report, *, stacklevel: int) -> tuple[dict[str, Any], bool]:
    """*data* of an earlier version, upgraded to the current one; the warning says how to upgrade the file."""
    old = [p for p in report.problems if p.rule == "schema-version-old"]
    where = f" ({report.source})" if report.source else ""
    message = (old[0].message if old else f"this package follows standard {data.get('schema_version')}") + where
    warnings.warn(f"{message}; it was upgraded in memory", SharedOutcomesWarning, stacklevel=stacklevel)
    return migrate(data).document, True


def load(source: Any, *, profile: ValidationProfile | None = None, fast: bool | None = None) -> Package:
    """
    Validate *source* and build a `Package` from it.

    *fast* chooses the path as for `validate`. On the fast path the objects are built
    without re-running the attrs validators (the schema has just checked the same things),
    and repeated strings and dates are shared; the package is equal to the reference one.

    A package of an earlier version of the standard that this library still reads (0.1) is
    checked against that version's schemas, upgraded in memory by `sharedoutcomes.migrate`
    (losslessly) and built as the current version; a `SharedOutcomesWarning` says how to upgrade
    the file. A profile that makes ``schema-version-old`` an error refuses it instead.

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
    with _path(fast) as use_fast:
        report, data, parsed = _read_and_validate(source, profile=profile, source_map=None, fast=use_fast)
        if not report.ok:
            raise InvalidDocument(report)
        if isinstance(data, dict) and data.get("schema_version") != SCHEMA_VERSION:
            data, parsed = _upgraded(data, report, stacklevel=3)
        if not use_fast:
            return from_json_data(data, Package)
        return build_package(data, owned=parsed)
