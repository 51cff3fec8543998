"""
The catalogue of every problem id the library can emit, read from the TOML files in ``catalogue/``.

One file per family (``schema.toml``, ``semantic.toml``, ``form.toml`` …): a ``[family]`` table
(its name, title, id prefix, which code emits it, a description) and one ``[[problem]]`` table per
id with its default severity, a one-line summary, an explanation, an example and what to do. The
loader checks every file: every field present and non-empty, severities valid, ids unique and
starting with their family's prefix. Nothing else in the library declares a problem id: the
semantic rules' table (`sharedoutcomes.validation.rules`) is a view of this one.
"""

from __future__ import annotations

import functools
import os
import pkgutil
import re
import tomllib
import warnings
from collections.abc import Mapping
from importlib.metadata import entry_points
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, get_args

import attrs
from attrs import frozen

from sharedoutcomes.problems._problem import Severity

__all__ = [
    "DOCS_URL",
    "ENTRY_POINT_GROUP",
    "FAMILY_ORDER",
    "ProblemFamily",
    "ProblemType",
    "catalogue",
    "families",
    "load_catalogue",
    "load_plugin_family",
]

FAMILY_ORDER: Final = ("schema", "input", "semantic", "form", "star", "star-analysis", "tables", "merge", "rollup",
                           "conversion", "instrument", "survey", "indigo", "privacy", "threesixtygiving")
"""The families, in the order they are listed: one ``<family>.toml`` file each."""

ENTRY_POINT_GROUP: Final = "sharedoutcomes.problems"
"""Plugins declare their problem families under this entry-point group: ``name = "module:FILE"``,
where ``FILE`` is the path (or `importlib.resources` file) of a TOML file shaped like ``form.toml``."""

DOCS_URL: Final = "https://sharedoutcomes.readthedocs.io/en/latest/reference/problems/"
"""Where the generated reference pages are published: ``<family>.html``, an anchor per id."""

_PROBLEM_FIELDS: Final = ("id", "severity", "summary", "explanation", "example", "action")
_FAMILY_FIELDS: Final = ("name", "title", "prefix", "emitted_by", "description")
_ID = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z][A-Za-z0-9-]*)?$")


@frozen(kw_only=True)
class ProblemType:
    """
    What one problem id means: its family, default severity, summary, explanation, example and remedy.

    Attributes:
        id: The stable rule id a `Problem` carries, such as ``form.not-a-number``.
        family: The family it belongs to (``schema``, ``semantic``, ``form`` …).
        severity: The severity it has unless a validation profile changes it.
        summary: One line saying what is wrong.
        explanation: What the problem means, in a few sentences.
        example: A concrete case: a value, a cell, and what the library says about it.
        action: What to do about it.

    Example:
        >>> kind = catalogue()["form.not-a-number"]
        >>> kind.family, kind.severity
        ('form', 'error')
        >>> kind.url
        'https://sharedoutcomes.readthedocs.io/en/latest/reference/problems/form.html#problem-form-not-a-number'
    """

    id: str
    family: str
    severity: Severity
    summary: str
    explanation: str
    example: str
    action: str
    docs: str = ""
    """The page that documents its family (built-in families: ``DOCS_URL`` + ``<family>.html``)."""

    @property
    def anchor(self) -> str:
        """The label of its entry in the reference pages (``problem-form.not-a-number``)."""
        return f"problem-{self.id}"

    @property
    def url(self) -> str:
        """The address of its entry in the reference pages (a plugin's own, or ``""`` if it has none)."""
        if not self.docs:
            return ""
        fragment = re.sub(r"[^a-z0-9]+", "-", self.anchor.lower()).strip("-")  # as docutils makes ids
        return f"{self.docs}#{fragment}"

    def to_dict(self) -> dict[str, str]:
        """
        The entry as JSON-ready data, with its ``url``.

        Example:
            >>> sorted(catalogue()["period-order"].to_dict())
            ['action', 'example', 'explanation', 'family', 'id', 'severity', 'summary', 'url']
        """
        return {"id": self.id, "family": self.family, "severity": self.severity, "summary": self.summary,
                "explanation": self.explanation, "example": self.example, "action": self.action,
                "url": self.url}


@frozen(kw_only=True)
class ProblemFamily:
    """
    A family of problem ids: the problems one part of the library reports.

    Attributes:
        name: The family's name, which is also its catalogue file's (``form`` for ``form.toml``).
        title: A heading for it, such as "Form problems".
        prefix: What its ids start with (``form.``, ``merge-``), or nothing for the semantic rules.
        emitted_by: Which functions and formats report its problems.
        description: What its problems have in common, in a paragraph or two.
        ids: Its problem ids, in the catalogue's order.
        plugin: For a family a plugin declares, the plugin's entry point (``""`` for the library's own).

    Example:
        >>> family = families()["merge"]
        >>> family.prefix, family.ids[0]
        ('merge-', 'merge-organisation-conflict')
    """

    name: str
    title: str
    prefix: str
    emitted_by: str
    description: str
    ids: tuple[str, ...]
    plugin: str = ""


@functools.cache
def _loaded() -> tuple[Mapping[str, ProblemFamily], Mapping[str, ProblemType]]:
    built_in, kinds = load_catalogue(files("sharedoutcomes.problems").joinpath("catalogue"))
    return _with_plugins(built_in, kinds)


def _with_plugins(built_in: Mapping[str, ProblemFamily],
                  kinds: Mapping[str, ProblemType]) -> tuple[Mapping[str, ProblemFamily], Mapping[str, ProblemType]]:
    """The built-in catalogue and every family a plugin declares; a plugin's faulty file is skipped, with a warning."""
    all_families, all_kinds = dict(built_in), dict(kinds)
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda point: point.name):
        try:
            family, declared = load_plugin_family(point.name, _plugin_file(point.value),
                                                  taken=all_families, plugin=point.value)
        except (ImportError, AttributeError, ValueError) as error:
            warnings.warn(f"the problems of the plugin {point.name!r} ({point.value}) were not loaded: {error}",
                          RuntimeWarning, stacklevel=3)
            continue
        all_families[family.name] = family
        all_kinds.update((kind.id, kind) for kind in declared)
    return MappingProxyType(all_families), MappingProxyType(all_kinds)


def _plugin_file(reference: str) -> Traversable:
    target = pkgutil.resolve_name(reference)
    if isinstance(target, str | os.PathLike):
        return Path(target)
    if isinstance(target, Traversable):
        return target
    msg = f"{reference} is a {type(target).__name__}, not the path of a TOML file"
    raise ValueError(msg)


def load_plugin_family(name: str, entry: Traversable, *, taken: Mapping[str, ProblemFamily],
                       plugin: str = "") -> tuple[ProblemFamily, tuple[ProblemType, ...]]:
    """
    Read the problem family a plugin declares in one TOML file shaped like the library's own.

    The family is named after its entry point, has a prefix of its own (no family in *taken*
    may claim its ids), and may give the address of its documentation as ``docs``.

    Raises:
        ValueError: The file is unreadable or malformed, or it claims a name, prefix or id that is taken.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "visits.toml"
        >>> _ = path.write_text('''
        ... [family]
        ... name = "visits"
        ... title = "Visit log problems"
        ... prefix = "visits."
        ... emitted_by = "the visits-csv format"
        ... description = "Rows of a befriending service's visit log that could not be read."
        ... [[problem]]
        ... id = "visits.bad-row"
        ... severity = "error"
        ... summary = "A row of the visit log could not be read."
        ... explanation = "The row lacks a visit id, a date or whole minutes."
        ... example = "Row 5: minutes is 'forty'."
        ... action = "Correct the row and read the file again."
        ... ''', encoding="utf-8")
        >>> family, kinds = load_plugin_family("visits", path, taken=families())
        >>> family.prefix, [kind.id for kind in kinds]
        ('visits.', ['visits.bad-row'])
    """
    data = _read(entry)
    table = dict(data["family"]) if isinstance(data.get("family"), dict) else data.get("family")
    docs = table.pop("docs", "") if isinstance(table, dict) else ""
    if not isinstance(docs, str):
        msg = f"{name}.toml [family]: 'docs' must be the address of the family's documentation"
        raise ValueError(msg)
    data = {**data, "family": table}
    info = _family_table(name, data)
    prefix = info["prefix"]
    if name in taken:
        msg = f"{name}.toml: the family {name!r} is already declared"
        raise ValueError(msg)
    clash = [other.name for other in taken.values() if not prefix or (other.prefix and (
        prefix.startswith(other.prefix) or other.prefix.startswith(prefix)))]
    if clash:
        msg = f"{name}.toml: a plugin's ids need a prefix of their own; {prefix!r} is taken by {clash[0]!r}"
        raise ValueError(msg)
    prefixes = {**{other.name: other.prefix for other in taken.values()}, name: prefix}
    kinds = tuple(attrs.evolve(_problem_type(name, entry, prefixes), docs=docs)
                  for entry in _problem_tables(name, data))
    ids = [kind.id for kind in kinds]
    if len(set(ids)) != len(ids):
        msg = f"{name}.toml: an id is declared twice"
        raise ValueError(msg)
    family = ProblemFamily(name=name, title=info["title"], prefix=prefix, emitted_by=info["emitted_by"],
                           description=info["description"], ids=tuple(ids), plugin=plugin)
    return family, kinds


def catalogue() -> Mapping[str, ProblemType]:
    """
    Every problem id the library can emit → its `ProblemType` (an unknown id is a `KeyError`).

    Plugins add their own families through the ``sharedoutcomes.problems`` entry-point group
    (see `ENTRY_POINT_GROUP`), so that their ids are listed, explained and re-gradable too.

    Example:
        >>> catalogue()["schema.required"].summary
        'A property the standard requires is missing.'
        >>> "form.not-a-nmber" in catalogue()
        False
    """
    return _loaded()[1]


def families() -> Mapping[str, ProblemFamily]:
    """
    The families of problem ids by name, in `FAMILY_ORDER`, then the plugins' families by name.

    Example:
        >>> list(families())[:3]
        ['schema', 'input', 'semantic']
    """
    return _loaded()[0]


def load_catalogue(folder: Traversable) -> tuple[Mapping[str, ProblemFamily], Mapping[str, ProblemType]]:
    """
    Read and check the catalogue files in *folder*: the families, and every problem type by id.

    Raises:
        ValueError: A file is missing, unreadable or malformed; the message names the file and the id.
    """
    found = {entry.name for entry in folder.iterdir() if entry.name.endswith(".toml")}
    expected = {f"{name}.toml" for name in FAMILY_ORDER}
    if found != expected:
        msg = (f"the problem catalogue needs exactly one file per family; missing {sorted(expected - found)}, "
               f"unexpected {sorted(found - expected)}")
        raise ValueError(msg)
    tables = {name: _read(folder.joinpath(f"{name}.toml")) for name in FAMILY_ORDER}
    prefixes = {name: _family_table(name, data)["prefix"] for name, data in tables.items()}
    kinds: dict[str, ProblemType] = {}
    by_family: dict[str, ProblemFamily] = {}
    for name, data in tables.items():
        info = _family_table(name, data)
        ids = []
        for entry in _problem_tables(name, data):
            kind = _problem_type(name, entry, prefixes)
            if kind.id in kinds:
                msg = f"{name}.toml: {kind.id!r} is declared twice (also in {kinds[kind.id].family}.toml)"
                raise ValueError(msg)
            kinds[kind.id] = kind
            ids.append(kind.id)
        by_family[name] = ProblemFamily(name=name, title=info["title"], prefix=info["prefix"],
                                        emitted_by=info["emitted_by"], description=info["description"],
                                        ids=tuple(ids))
    return MappingProxyType(by_family), MappingProxyType(kinds)


def _read(entry: Traversable) -> dict[str, Any]:
    try:
        return tomllib.loads(entry.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        msg = f"{entry.name}: cannot read the problem catalogue: {error}"
        raise ValueError(msg) from None


def _fields(where: str, table: Any, names: tuple[str, ...], *, may_be_empty: tuple[str, ...] = ()) -> dict[str, str]:
    """*table*'s fields, checked: exactly *names*, each a string, non-empty unless in *may_be_empty*."""
    if not isinstance(table, dict):
        msg = f"{where}: expected a table"
        raise ValueError(msg)
    missing, extra = set(names) - set(table), set(table) - set(names)
    if missing or extra:
        msg = f"{where}: missing fields {sorted(missing)}, unknown fields {sorted(extra)}"
        raise ValueError(msg)
    for name in names:
        value = table[name]
        if not isinstance(value, str) or (not value.strip() and name not in may_be_empty):
            msg = f"{where}: {name!r} must be a non-empty string"
            raise ValueError(msg)
    return {name: table[name].strip() for name in names}


def _family_table(name: str, data: dict[str, Any]) -> dict[str, str]:
    info = _fields(f"{name}.toml [family]", data.get("family"), _FAMILY_FIELDS, may_be_empty=("prefix",))
    if info["name"] != name:
        msg = f"{name}.toml: the family is called {info['name']!r}; it must be named after its file"
        raise ValueError(msg)
    return info


def _problem_tables(name: str, data: dict[str, Any]) -> list[Any]:
    extra = set(data) - {"family", "problem"}
    entries = data.get("problem")
    if extra or not isinstance(entries, list) or not entries:
        msg = f"{name}.toml: expected a [family] table and [[problem]] tables only (found {sorted(data)})"
        raise ValueError(msg)
    return entries


def _problem_type(family: str, entry: Any, prefixes: Mapping[str, str]) -> ProblemType:
    where = f"{family}.toml [[problem]] {entry.get('id', '?')!r}" if isinstance(entry, dict) else f"{family}.toml"
    fields = _fields(where, entry, _PROBLEM_FIELDS)
    rule = fields["id"]
    if not _ID.match(rule):
        msg = f"{where}: an id is lower-case words joined by hyphens, after an optional 'family.' prefix"
        raise ValueError(msg)
    _check_prefix(where, rule, family, prefixes)
    if fields["severity"] not in get_args(Severity):
        msg = f"{where}: the severity must be 'error' or 'warning', not {fields['severity']!r}"
        raise ValueError(msg)
    if "\n" in fields["summary"] or not fields["summary"].endswith("."):
        msg = f"{where}: the summary is one sentence on one line, ending with a full stop"
        raise ValueError(msg)
    severity: Severity = "error" if fields["severity"] == "error" else "warning"
    return ProblemType(id=rule, family=family, severity=severity, docs=f"{DOCS_URL}{family}.html",
                       summary=fields["summary"], explanation=fields["explanation"], example=fields["example"],
                       action=fields["action"])


def _check_prefix(where: str, rule: str, family: str, prefixes: Mapping[str, str]) -> None:
    prefix = prefixes[family]
    if prefix and not rule.startswith(prefix):
        msg = f"{where}: the ids of the {family!r} family start with {prefix!r}"
        raise ValueError(msg)
    claimed = [other for other, start in prefixes.items() if other != family and start and rule.startswith(start)
               and len(start) > len(prefix)]
    if claimed or (not prefix and "." in rule):
        msg = f"{where}: the id looks like one of the {claimed[0] if claimed else 'prefixed'!r} family's"
        raise ValueError(msg)
