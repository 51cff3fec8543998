"""
Moving a package between versions of the standard: `migrate` upgrades 0.1 to 0.2 and downgrades 0.2 to 0.1.

A migration works on the parsed JSON (a dict), never on the model, so that it can read a version the
model no longer builds. It never changes its input; it returns a `Migration`: the migrated document
and every change it made, each at the JSON path of the input it concerns.

Upgrading 0.1 → 0.2 is lossless: 0.2 only adds optional members. Its one move is the ``partial``
extension (``extension_data.partial`` with its declaration in ``extensions``), which 0.2 makes the
core ``conversion`` block. A record that the block cannot hold exactly (a member the block does not
have, or a declaration other than the one `sharedoutcomes` writes) stays an extension, which 0.2
still allows, and the change list says so. Downgrading 0.2 → 0.1 puts the ``conversion`` block back
as the ``partial`` extension (or, for a complete conversion, as a ``conversion`` extension), so that
``downgrade(upgrade(x)) == x`` for every valid 0.1 document.

Example:
    >>> from sharedoutcomes.migration import migrate
    >>> m = migrate({"schema_version": "0.1", "id": "p", "title": "T", "publisher": "GB-SC-SC012345",
    ...              "produced": "2025-04-20T09:30:00Z", "sharing_level": "public"}, to="0.2")
    >>> m.document["schema_version"], m.lossless
    ('0.2', True)
    >>> print(m.changes[0])
    $.schema_version: '0.1' becomes '0.2'
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

from attrs import frozen

from sharedoutcomes.exceptions import SharedOutcomesError, UnknownName
from sharedoutcomes.model import SCHEMA_VERSION, SCHEMA_VERSIONS
from sharedoutcomes.problems import render_value

__all__ = ["PARTIAL_DECLARATION", "Change", "Migration", "MigrationError", "migrate"]

Action = Literal["changed", "moved", "kept", "lost"]

PARTIAL_DECLARATION: Final[Mapping[str, str]] = {
    "name": "partial", "version": "1.0",
    "url": "https://sharedoutcomes.readthedocs.io/en/latest/reference/partial-extension.html",
    "description": "Written from a conversion that had errors: the values they concern are missing; "
    "extension_data.partial lists the problems.",
}
"""The declaration of the 0.1 ``partial`` extension, as `sharedoutcomes` 0.1 wrote it."""

_CONVERSION_DECLARATION: Final[Mapping[str, str]] = {
    "name": "conversion", "version": "0.2",
    "url": "https://sharedoutcomes.readthedocs.io/en/latest/reference/standard-changelog.html",
    "description": "The conversion block of standard 0.2, kept by a downgrade to 0.1.",
}
"""Where a downgrade keeps the ``conversion`` block of a complete conversion (0.1 has no place for it)."""

_PROBLEM_MEMBERS: Final = frozenset({"rule", "severity", "path", "message", "source"})
_SOURCE_MEMBERS: Final = {"file": str, "sheet": str, "table": int, "row": int, "column": str, "header": str,
                          "section": str, "question": str}


@frozen(kw_only=True)
class Change:
    """
    One change a migration made, or could not make.

    Attributes:
        path: The JSONPath in the input document it concerns.
        action: ``changed`` (a value rewritten), ``moved`` (to *new_path*), ``kept`` (left where it
            was, and why), ``lost`` (the target version has no place for it).
        message: What happened, in words.
        new_path: Where it is in the migrated document, when it moved.
    """

    path: str
    action: Action
    message: str
    new_path: str | None = None

    def __str__(self) -> str:
        """The change on one line: path, then what happened."""
        return f"{self.path}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """
        The change as a JSON-ready dict.

        Example:
            >>> Change(path="$.a", action="kept", message="m").to_dict()
            {'path': '$.a', 'action': 'kept', 'message': 'm'}
        """
        data: dict[str, Any] = {"path": self.path, "action": self.action, "message": self.message}
        if self.new_path is not None:
            data["new_path"] = self.new_path
        return data


@frozen(kw_only=True)
class Migration:
    """
    The result of `migrate`: the migrated document and what changed.

    Attributes:
        document: The migrated document (a new dict; the input is not changed).
        source_version: The version the input followed.
        target_version: The version the document now follows.
        changes: Every change, in document order.
    """

    document: dict[str, Any]
    source_version: str
    target_version: str
    changes: tuple[Change, ...]

    @property
    def lossless(self) -> bool:
        """True when nothing was lost (every change is ``changed``, ``moved`` or ``kept``)."""
        return not self.lost

    @property
    def lost(self) -> tuple[Change, ...]:
        """The changes that lost something."""
        return tuple(c for c in self.changes if c.action == "lost")


class MigrationError(SharedOutcomesError, ValueError):
    """The document cannot be migrated: it is not a package, or says no version this library knows."""


def migrate(document: Mapping[str, Any], to: str = SCHEMA_VERSION) -> Migration:
    """
    Migrate package *document* (parsed JSON) to version *to* of the standard, one version at a time.

    The document should be valid in its own version (``sharedoutcomes validate``); a migration moves
    what it knows and leaves everything else as it is.

    Raises:
        MigrationError: *document* is not a JSON object or has no known ``schema_version``.
        UnknownName: *to* is not a version this library knows.

    Example:
        >>> doc = {"schema_version": "0.2", "id": "p", "title": "T", "publisher": "GB-SC-SC012345",
        ...        "produced": "2025-04-20T09:30:00Z", "sharing_level": "public",
        ...        "conversion": {"format": "north-ayrshire", "partial": True, "errors": 1, "warnings": 0}}
        >>> down = migrate(doc, to="0.1")
        >>> down.document["extension_data"]["partial"]
        {'format': 'north-ayrshire', 'errors': 1, 'warnings': 0}
        >>> migrate(down.document, to="0.2").document == doc
        True
    """
    if to not in SCHEMA_VERSIONS:
        raise UnknownName(to, known=SCHEMA_VERSIONS, what="version of the standard")
    if not isinstance(document, Mapping):
        msg = f"a package is a JSON object, not {render_value(document)}"
        raise MigrationError(msg)
    source = document.get("schema_version")
    if source not in SCHEMA_VERSIONS:
        known = ", ".join(SCHEMA_VERSIONS)
        msg = (f"$.schema_version is {render_value(source)}: this library migrates between versions {known} "
               "of the standard; give the package its schema_version")
        raise MigrationError(msg)
    data = copy.deepcopy(dict(document))
    changes: list[Change] = []
    here, target = SCHEMA_VERSIONS.index(source), SCHEMA_VERSIONS.index(to)
    while here != target:
        step = 1 if target > here else -1
        _STEPS[(SCHEMA_VERSIONS[here], SCHEMA_VERSIONS[here + step])](data, changes)
        here += step
    return Migration(document=data, source_version=source, target_version=to, changes=tuple(changes))


def _set_version(data: dict[str, Any], version: str, changes: list[Change]) -> None:
    changes.append(Change(path="$.schema_version", action="changed",
                          message=f"{render_value(data['schema_version'])} becomes {render_value(version)}"))
    data["schema_version"] = version


def _fits_conversion(record: Any) -> str | None:
    """Why the 0.1 ``partial`` record cannot be the 0.2 ``conversion`` block exactly, or ``None`` if it can."""
    if not isinstance(record, Mapping):
        return "it is not an object"
    extra = sorted(set(record) - {"format", "errors", "warnings", "problems"})
    if extra:
        return f"the block has no member {', '.join(map(render_value, extra))}"
    if not (isinstance(record.get("format"), str) and record["format"]):
        return "it has no format"
    for name in ("errors", "warnings"):
        if type(record.get(name)) is not int or record[name] < 0:
            return f"its {name} is not a count"
    problems = record.get("problems", [])
    if not isinstance(problems, list) or ("problems" in record and not problems):
        return "its problems are not a non-empty list"
    for problem in problems:
        if not (isinstance(problem, Mapping) and set(problem) <= _PROBLEM_MEMBERS
                and all(isinstance(problem.get(k), str) and problem[k] for k in ("rule", "path", "message"))
                and problem.get("severity") in ("error", "warning") and _fits_source(problem.get("source", {}))):
            return "one of its problems has members or values the block does not hold"
    return None


def _fits_source(source: Any) -> bool:
    if not isinstance(source, Mapping):
        return False
    for key, value in source.items():
        kind = _SOURCE_MEMBERS.get(key)
        if kind is None or type(value) is not kind or not value:
            return False
        if type(value) is int and key == "row" and value < 1:
            return False
    return True


def _up_0_1(data: dict[str, Any], changes: list[Change]) -> None:
    """0.1 → 0.2: the version, and the ``partial`` (or ``conversion``) extension into the ``conversion`` block."""
    _set_version(data, "0.2", changes)
    extensions: list[Any] = data.get("extensions", [])
    extension_data: Any = data.get("extension_data", {})  # not trusted: the input may be invalid
    for name, declaration, partial in (("partial", PARTIAL_DECLARATION, True),
                                       ("conversion", _CONVERSION_DECLARATION, False)):
        if not isinstance(extension_data, dict) or name not in extension_data:
            continue
        path = f"$.extension_data.{name}"
        record = extension_data[name]
        why = "the package already has a conversion block" if "conversion" in data else _fits_conversion(record)
        if why is None and not (extensions and extensions[-1] == dict(declaration)):
            why = ("its declaration in $.extensions is not the one sharedoutcomes writes (or not the last), so "
                   "removing it would lose it")
        if why is not None:
            changes.append(Change(path=path, action="kept", message=f"kept as the {render_value(name)} extension, "
                                  f"which 0.2 still allows: it cannot become the conversion block exactly ({why})"))
            continue
        data["extensions"] = extensions = extensions[:-1]
        if not extensions:
            del data["extensions"]
        del extension_data[name]
        if not extension_data:
            del data["extension_data"]
        data["conversion"] = {"format": record["format"], "partial": partial,
                              **{k: v for k, v in record.items() if k != "format"}}
        changes.append(Change(path=path, action="moved", new_path="$.conversion",
                              message=f"the {render_value(name)} extension becomes the conversion block "
                              f"(partial: {str(partial).lower()}), and its declaration is removed from $.extensions"))


def _down_0_2(data: dict[str, Any], changes: list[Change]) -> None:
    """0.2 → 0.1: the version, and the ``conversion`` block back into an extension."""
    _set_version(data, "0.1", changes)
    block = data.pop("conversion", None)
    if block is None:
        return
    if not isinstance(block, dict):
        data["conversion"] = block
        changes.append(Change(path="$.conversion", action="lost", message="is not an object, so it cannot be kept "
                              "as an extension; validate the package first"))
        return
    partial = block.get("partial") is True
    name, declaration = ("partial", PARTIAL_DECLARATION) if partial else ("conversion", _CONVERSION_DECLARATION)
    extension_data = data.setdefault("extension_data", {})
    extensions = data.setdefault("extensions", [])
    if name in extension_data or any(e.get("name") == name for e in extensions):
        data["conversion"] = block
        changes.append(Change(path="$.conversion", action="lost", message="0.1 has no conversion block, and "
                              f"the package already uses the extension name {render_value(name)}; the block is left "
                              "in place, so the document is not valid 0.1 until one of them is removed"))
        return
    extensions.append(dict(declaration))
    extension_data[name] = {k: v for k, v in block.items() if k != "partial"}
    changes.append(Change(path="$.conversion", action="moved", new_path=f"$.extension_data.{name}",
                          message=f"0.1 has no conversion block: it becomes the {render_value(name)} extension, "
                          "declared in $.extensions"))


_STEPS: Final[dict[tuple[str, str], Callable[[dict[str, Any], list[Change]], None]]] = {
    ("0.1", "0.2"): _up_0_1,
    ("0.2", "0.1"): _down_0_2,
}
"""One migrator per pair of neighbouring versions; `migrate` composes them."""
