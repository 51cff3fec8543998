"""
The published JSON Schemas and codelists, shipped as package data.

The schemas are exposed as an offline `referencing.Registry`: every ``$ref`` resolves
inside the bundle and nothing is ever fetched from the network. The registry holds every
version of the standard this library reads: the current one (``schemas/``) and the earlier
ones, frozen (``schemas/0.1/``).

Example:
    >>> from sharedoutcomes import schema
    >>> schema.get_schema("package")["$id"]
    'https://schemas.sharedoutcomes.org/0.2/package.schema.json'
    >>> schema.get_schema("package", version="0.1")["$id"]
    'https://schemas.sharedoutcomes.org/0.1/package.schema.json'
    >>> "evidence" in schema.schema_names()
    True
    >>> schema.codelist("sharing-levels")["open"]
    False
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from referencing import Registry
from referencing.jsonschema import DRAFT202012

from sharedoutcomes import _bundle
from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.model import SCHEMA_VERSION, SCHEMA_VERSIONS

__all__ = [
    "BASE_URI", "base_uri", "bundle", "codelist", "codelist_names", "codelist_of", "get_schema", "registry", "schema_files",
    "schema_names",
]

BASE_URI = f"https://schemas.sharedoutcomes.org/{SCHEMA_VERSION}/"
"""The base of every schema ``$id`` in the current version of the standard."""


def base_uri(version: str = SCHEMA_VERSION) -> str:
    """
    The base of every schema ``$id`` of *version* of the standard.

    Example:
        >>> base_uri("0.1")
        'https://schemas.sharedoutcomes.org/0.1/'
    """
    if version not in SCHEMA_VERSIONS:
        raise UnknownName(version, known=SCHEMA_VERSIONS, what="version of the standard")
    return f"https://schemas.sharedoutcomes.org/{version}/"


_FROZEN = frozenset(v for v in SCHEMA_VERSIONS if v != SCHEMA_VERSION)


def _root() -> Traversable:
    return files("sharedoutcomes").joinpath("schemas")


@functools.cache
def _schemas(version: str = SCHEMA_VERSION) -> dict[str, dict[str, Any]]:
    """Every ``*.schema.json`` of *version*, named by its path without the suffix (``stars/star``)."""
    prefix = "" if version == SCHEMA_VERSION else f"{version}/"
    result = {}
    for relative, text in _files().items():
        if not relative.startswith(prefix) or not relative.endswith(".schema.json"):
            continue
        name = relative.removeprefix(prefix).removesuffix(".schema.json")
        if version == SCHEMA_VERSION and name.split("/")[0] in _FROZEN:
            continue
        result[name] = json.loads(text)
    return dict(sorted(result.items(), key=lambda item: ("/" in item[0], item[0])))


def schema_names(version: str = SCHEMA_VERSION) -> tuple[str, ...]:
    """
    The names of the published schemas of *version* (those in subfolders as ``folder/name``).

    Example:
        >>> schema_names()[:3]
        ('activity', 'common', 'contribution')
        >>> "stars/star" in schema_names("0.1")  # reference data is not frozen with the standard
        False
    """
    base_uri(version)
    return tuple(_schemas(version))


def get_schema(name: str, *, version: str = SCHEMA_VERSION) -> dict[str, Any]:
    """
    One published schema of *version* by name (``package``, ``evidence`` …), as parsed JSON.

    Raises:
        LookupError: There is no schema of that name, or no such version.

    Example:
        >>> get_schema("evidence")["title"]
        'Evidence'
    """
    try:
        return _schemas(version)[name]
    except KeyError:
        raise UnknownName(name, known=schema_names(version), what="schema") from None


def schema_files() -> dict[str, str]:
    """
    Every file of the published bundle (schemas, codelists, reference data) as relative path → text.

    Example:
        >>> "codelists/sectors.json" in schema_files()
        True
    """
    return dict(_files())


@functools.cache
def _files() -> dict[str, str]:
    out: dict[str, str] = {}

    def walk(entry: Traversable, prefix: str) -> None:
        for child in sorted(entry.iterdir(), key=lambda e: e.name):
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".json"):
                out[prefix + child.name] = child.read_text(encoding="utf-8")

    walk(_root(), "")
    return out


@functools.cache
def registry() -> Registry[Any]:
    """
    An offline registry of every published schema of every version this library reads, keyed by ``$id``.

    Example:
        >>> registry()["https://schemas.sharedoutcomes.org/0.1/common.schema.json"].contents["title"]
        'Common definitions'
        >>> registry()["https://schemas.sharedoutcomes.org/0.2/common.schema.json"].contents["title"]
        'Common definitions'
    """
    resources = [DRAFT202012.create_resource(contents)
                 for version in SCHEMA_VERSIONS for contents in _schemas(version).values()]
    return Registry().with_resources((resource.id() or "", resource) for resource in resources).crawl()


@functools.cache
def _codelists() -> dict[str, dict[str, Any]]:
    directory = _root().joinpath("codelists")
    return {
        entry.name.removesuffix(".json"): json.loads(entry.read_text(encoding="utf-8"))
        for entry in directory.iterdir()
        if entry.name.endswith(".json")
    }


def codelist_names() -> tuple[str, ...]:
    """
    The names of the published codelists.

    Example:
        >>> "evidence-kinds" in codelist_names()
        True
    """
    return tuple(sorted(_codelists()))


def codelist(name: str) -> dict[str, Any]:
    """
    One published codelist by name: ``open``, ``codes`` (each with code, title, description).

    Example:
        >>> [c["code"] for c in codelist("link-strengths")["codes"]]
        ['weak', 'moderate', 'strong']
    """
    try:
        return _codelists()[name]
    except KeyError:
        raise UnknownName(name, known=codelist_names(), what="codelist") from None



_CODELIST_LINK = re.compile(r"codelist (?P<name>[a-z0-9]+(?:-[a-z0-9]+)*) \((?P<kind>open|closed)\): \S+")


def codelist_of(subschema: Mapping[str, Any] | Any) -> str | None:
    """
    The name of the codelist a (sub)schema draws its values from, or ``None``.

    The link is the codelist vocabulary's one annotation, a ``$comment`` of the form
    ``codelist <name> (open|closed): <URI>`` (a ``$comment``, so that Ajv in strict mode
    accepts the schemas; see ``meta/codelists.schema.json``).

    Example:
        >>> sector = get_schema("organisation")["properties"]["sector"]
        >>> codelist_of(sector)
        'sectors'
        >>> codelist_of({"type": "string"}) is None
        True
    """
    comment = subschema.get("$comment") if isinstance(subschema, Mapping) else None
    match = _CODELIST_LINK.fullmatch(comment) if isinstance(comment, str) else None
    return match["name"] if match else None


def bundle() -> dict[str, Any]:
    """
    The current version's single-file bundle: every schema under ``$defs``, every ``$ref`` inside the file.

    The same document as the published ``schemas/bundle/sharedoutcomes-<version>.schema.json``, built from
    the schemas this library ships; any Draft 2020-12 validator reads it offline with no other file.

    Example:
        >>> one = bundle()
        >>> one["$id"], one["$ref"]
        ('https://schemas.sharedoutcomes.org/0.2/bundle/sharedoutcomes-0.2.schema.json', '#/$defs/Package')
    """
    schemas = {path: json.loads(text) for path, text in _files().items()
               if path.endswith(".schema.json") and path.split("/")[0] not in _FROZEN}
    return _bundle.bundle(schemas)
