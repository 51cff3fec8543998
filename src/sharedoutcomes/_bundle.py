"""
The single-file bundle of the published schemas: ``schemas/bundle/sharedoutcomes-<version>.schema.json``.

Every schema of the standard goes into the bundle's ``$defs`` under a type-like name (``Package``,
``Evidence``, the common value objects as ``Period``, ``MonetaryAmount`` …, and a reference-data
schema's own definitions prefixed with its name, as ``StarArea``), and every ``$ref`` is rewritten
to a JSON Pointer inside the file (``#/$defs/Period``): no embedded ``$id``, nothing to resolve
outside the file, so Ajv (CLI and API), check-jsonschema, jsonschema-rs, python-jsonschema and the
type generators (which do not all follow embedded ``$id`` values) read it offline with no other file.
The bundle's root is the package schema (``"$ref": "#/$defs/Package"``). The dialect's
meta-schemas (``meta/``) describe schemas, not packages: they are not in the bundle.

The bundle is a build artefact of the published standard only (the library validates with the
separate files it ships); a test regenerates it and fails when the committed copy differs.

`sharedoutcomes.schema.bundle` builds it from the shipped schemas; ``schemagen`` writes the published
copy (``schemagen.published_bundle``)::

    python -m sharedoutcomes._devtools.schemagen
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

from sharedoutcomes import model

_META = ("meta/dialect.schema.json", "meta/codelists.schema.json")
"""The meta-schemas of the dialect: not in the bundle."""

_NAMES = {"forms/form-profile.schema.json": "FormProfile"}
"""Bundle names that the file names do not spell (the rest: ``stars/star.schema.json`` → ``Star``)."""


def bundle_name(version: str = model.SCHEMA_VERSION) -> str:
    """
    The bundle's file name, below ``schemas/bundle/``.

    Example:
        >>> bundle_name("9.9")
        'sharedoutcomes-9.9.schema.json'
    """
    return f"sharedoutcomes-{version}.schema.json"


def _pascal(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def _name(relative: str) -> str:
    """The bundle name of a schema file (``""`` for common, whose definitions are already type names)."""
    if relative == "common.schema.json":
        return ""
    return _NAMES.get(relative) or _pascal(posixpath.basename(relative).removesuffix(".schema.json"))


def _definition(relative: str, key: str) -> str:
    """The bundle name of the definition *key* of the schema file *relative*."""
    return _name(relative) + (key if relative == "common.schema.json" else _pascal(key))


def _target(relative: str, ref: str, schemas: Mapping[str, Any]) -> str:
    """The bundle pointer a ``$ref`` of the schema file *relative* becomes."""
    file, _, pointer = ref.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), file)) if file else relative
    if target not in schemas:
        msg = f"{relative}: $ref {ref!r} names {target!r}, which is not a published schema"
        raise ValueError(msg)
    parts = pointer.split("/")[1:] if pointer else []
    if len(parts) >= 2 and parts[0] == "$defs":
        return "/".join(["#", "$defs", _definition(target, parts[1]), *parts[2:]])
    if parts:
        msg = f"{relative}: $ref {ref!r} points inside a schema other than through $defs"
        raise ValueError(msg)
    return f"#/$defs/{_name(target)}"


def _rewrite(node: Any, relative: str, schemas: Mapping[str, Any], *, in_data: bool = False) -> Any:
    """*node* with every ``$ref`` pointing into the bundle (examples, enums and consts are data: untouched)."""
    if isinstance(node, list):
        return [_rewrite(item, relative, schemas, in_data=in_data) for item in node]
    if not isinstance(node, dict) or in_data:
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = _target(relative, value, schemas)
        elif key in ("properties", "patternProperties", "$defs", "dependentSchemas"):
            out[key] = {name: _rewrite(sub, relative, schemas) for name, sub in value.items()}
        else:
            out[key] = _rewrite(value, relative, schemas, in_data=key in ("examples", "enum", "const", "default"))
    return out


def bundle(schemas: Mapping[str, Any], version: str = model.SCHEMA_VERSION) -> dict[str, Any]:
    """
    The single-file bundle of *schemas* (relative path → schema, as `schemagen` writes them) of standard *version*.

    The ``$id`` base comes from the package schema's own ``$id``, so a frozen older version's files
    make that version's bundle (pass its *version* too).

    Example:
        >>> import json
        >>> from sharedoutcomes import schema
        >>> published = {path: json.loads(text) for path, text in schema.schema_files().items()
        ...              if path.endswith(".schema.json") and not path.startswith("0.1/")}  # the frozen 0.1 aside
        >>> one = bundle(published)
        >>> one["$ref"], one["$defs"]["Evidence"]["properties"]["subject"]["$ref"]
        ('#/$defs/Package', '#/$defs/EvidenceSubject')
    """
    defs: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        if name in defs:
            msg = f"two schemas would both be {name!r} in the bundle"
            raise ValueError(msg)
        defs[name] = value

    for relative in sorted(schemas, key=lambda path: ("/" in path, path)):
        if relative in _META:
            continue
        document = _rewrite(schemas[relative], relative, schemas)
        inner = document.pop("$defs", {})
        for key in ("$schema", "$id"):
            document.pop(key, None)
        if relative != "common.schema.json":
            put(_name(relative), document)
        for key, value in inner.items():
            put(_definition(relative, key), value)
    package = schemas["package.schema.json"]
    return {
        "$schema": package["$schema"],
        "$id": package["$id"].rsplit("/", 1)[0] + "/bundle/" + bundle_name(version),
        "title": f"The sharedoutcomes standard {version}, every schema in one file",
        "description": f"Every schema of the sharedoutcomes standard {version} in one file, each under `$defs` "
        "with every `$ref` inside the file: validate a package "
        "against this file (its root is the package schema) with any Draft 2020-12 validator, offline. "
        "Generated from the separate schema files; the codelists stay separate files (see each `$comment`).",
        "$ref": "#/$defs/Package",
        "$defs": defs,
    }
