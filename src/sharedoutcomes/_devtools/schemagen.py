"""
Generate the published JSON Schemas and codelist files from the model.

The model declares every constraint once (see `sharedoutcomes.model._spec`); this module
turns those declarations into Draft 2020-12 schemas. The generated files are committed
twice: as package data (``src/sharedoutcomes/schemas/``, what the library validates
against) and as the published standard (``schemas/`` at the top of the repository).
A test regenerates both and fails on any difference.

Regenerate with::

    python -m sharedoutcomes._devtools.schemagen

Earlier versions of the standard are kept, frozen, in a folder named after the version
(``schemas/0.1/``): before the model moves to a new version, ``--freeze`` copies what the
current version generates (the entity schemas, ``common``, ``package`` and the codelists)
into ``<version>/``. A frozen copy is never written again; regenerating leaves it alone, and a
test checks that it never changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from sharedoutcomes import _bundle as bundle
from sharedoutcomes import _codelists, model

BASE_URI = f"https://schemas.sharedoutcomes.org/{model.SCHEMA_VERSION}/"
"""The base of every ``$id``: the standard's version is part of it, so ids never change meaning."""

DRAFT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema draft the dialect extends."""

DIALECT = BASE_URI + "meta/dialect.schema.json"
"""The sharedoutcomes dialect: Draft 2020-12 plus the codelist vocabulary. Every published schema conforms to it."""

VOCABULARY = BASE_URI + "vocab/codelists"
"""The URI of the codelist vocabulary (an identifier, listed in the dialect's ``$vocabulary``)."""

VOCABULARY_SCHEMA = BASE_URI + "meta/codelists.schema.json"
"""The meta-schema of the codelist vocabulary."""

_DRAFT_VOCABULARIES = ("core", "applicator", "unevaluated", "validation", "meta-data", "format-annotation", "content")

_COMMON_CLASSES: tuple[type[Any], ...] = (
    model.Period,
    model.Extension,
    model.ActivityParticipant,
    model.MonetaryAmount,
    model.FundingLine,
    model.OutcomeMapping,
    model.RateDefinition,
    model.IndicatorValue,
    model.EvidenceSubject,
    model.EvidenceValue,
    model.Provenance,
    model.SourcePlace,
    model.ConversionProblem,
    model.Conversion,
)
_ENTITY_CLASSES: tuple[type[Any], ...] = (*model.ENTITY_CLASSES, model.Package)

_DATE = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$(?!\n)"}


def schema_file(cls: type[Any]) -> str:
    """The file name of an entity's schema."""
    return f"{cls.__schema_name__}.schema.json"


def _ref(cls: type[Any]) -> dict[str, Any]:
    if cls in _COMMON_CLASSES:
        return {"$ref": f"common.schema.json#/$defs/{cls.__name__}"}
    return {"$ref": schema_file(cls)}


def _strip_optional(type_: Any) -> tuple[Any, bool]:
    args = typing.get_args(type_)
    if isinstance(type_, types.UnionType) and type(None) in args:
        rest = tuple(a for a in args if a is not type(None))
        return (rest[0] if len(rest) == 1 else typing.Union[rest]), True  # noqa: UP007
    return type_, False


def _type_schema(type_: Any, meta: Mapping[str, Any]) -> dict[str, Any]:
    if meta.get("extension_data"):
        return {"$ref": "common.schema.json#/$defs/ExtensionData"}
    if attrs.has(type_):
        return _ref(type_)
    origin = typing.get_origin(type_)
    if origin is tuple:
        item, _ellipsis = typing.get_args(type_)
        schema: dict[str, Any] = {"type": "array", "items": _type_schema(item, {**meta, "unique": False,
                                                                              "title": None})}
        if meta.get("unique"):
            schema["uniqueItems"] = True
        if meta.get("min_items"):
            schema["minItems"] = meta["min_items"]
        return schema
    if type_ is str:
        schema = {"type": "string", "minLength": 1}
        if meta.get("const") is not None:
            schema = {"type": "string", "const": meta["const"]}
        if meta.get("pattern"):
            schema["pattern"] = meta["pattern"]
        if meta.get("format"):
            schema["format"] = meta["format"]
        return schema
    if type_ is dt.date:
        return dict(_DATE)
    args = set(typing.get_args(type_))
    if type_ is int:
        schema = {"type": "integer"}
    elif type_ is bool:
        schema = {"type": "boolean"}
    elif args == {int, float}:
        schema = {"type": "number"}
    elif args == {int, float, str, bool}:
        schema = {"type": ["number", "string", "boolean"], "minLength": 1}
    else:  # pragma: no cover - a new field type needs a rule here
        msg = f"no JSON Schema rule for {type_!r}"
        raise TypeError(msg)
    if meta.get("minimum") is not None:
        schema["minimum"] = meta["minimum"]
    if meta.get("maximum") is not None:
        schema["maximum"] = meta["maximum"]
    return schema


def codelist_comment(name: str, *, open_: bool) -> str:
    """
    The ``$comment`` that links a property to its codelist (the codelist vocabulary's one annotation).

    Example:
        >>> codelist_comment("sectors", open_=False).split(": ")[0]
        'codelist sectors (closed)'
    """
    return f"codelist {name} ({'open' if open_ else 'closed'}): {BASE_URI}codelists/{name}.json"


def _property(attribute: attrs.Attribute[Any], type_: Any) -> tuple[dict[str, Any], bool]:
    meta = attribute.metadata
    inner, optional = _strip_optional(type_)
    required = attribute.default is attrs.NOTHING and not optional
    schema: dict[str, Any] = {"title": meta["title"], "description": meta["description"]}
    schema.update(_type_schema(inner, meta))
    if schema.get("type") == "array" and not required:
        schema["minItems"] = 1
    codelist_name = meta.get("codelist")
    if codelist_name is not None:
        codelist = _codelists.CODELISTS[codelist_name]
        schema["$comment"] = codelist_comment(codelist_name, open_=codelist.open)
        if not codelist.open:
            schema["enum"] = [code.code for code in codelist.codes]
        else:
            schema.setdefault("examples", [code.code for code in codelist.codes[:3]])
    if meta.get("examples"):
        schema["examples"] = list(meta["examples"])
    return schema, required


def object_schema(cls: type[Any]) -> dict[str, Any]:
    """The JSON Schema of one model class (without ``$schema`` and ``$id``)."""
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for attribute in attrs.fields(cls):
        schema, is_required = _property(attribute, hints[attribute.name])
        properties[attribute.name] = schema
        if is_required:
            required.append(attribute.name)
    doc = (cls.__doc__ or "").strip().split("\n\n")[0].replace("\n    ", " ").strip()
    result: dict[str, Any] = {"title": cls.__schema_title__, "description": doc, "type": "object"}
    if required:
        result["required"] = required
    result["properties"] = properties
    result["additionalProperties"] = False
    return result


def _common_schema() -> dict[str, Any]:
    defs = {cls.__name__: object_schema(cls) for cls in _COMMON_CLASSES}
    defs["ExtensionData"] = {
        "title": "Extension data",
        "description": "Data defined by extensions: an object whose keys are the names of extensions the package "
        "declares in `extensions`, each holding that extension's data, kept exactly as given.",
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": model.EXTENSION_NAME_PATTERN},
        "examples": [{"nacvs": {"volunteer_hours": 120}}],
    }
    return {
        "$schema": DRAFT,
        "$id": BASE_URI + "common.schema.json",
        "title": "Common definitions",
        "description": "Value objects shared by the entity schemas of the sharedoutcomes standard "
        f"{model.SCHEMA_VERSION}: periods, amounts, mappings, evidence values, provenance.",
        "$defs": defs,
    }


def _entity_schema(cls: type[Any]) -> dict[str, Any]:
    body = object_schema(cls)
    version_note = f" Part of the sharedoutcomes standard {model.SCHEMA_VERSION}."
    return {
        "$schema": DRAFT,
        "$id": BASE_URI + schema_file(cls),
        **body, "description": body["description"] + version_note,
    }


CODELIST_COMMENT_PATTERN = r"^codelist [a-z0-9]+(-[a-z0-9]+)* \((open|closed)\): \S+$"
"""The form of a codelist link: name, open or closed, and the codelist file's URI."""


def _dialect_schema() -> dict[str, Any]:
    vocabularies: dict[str, bool] = {f"https://json-schema.org/draft/2020-12/vocab/{name}": True
                                     for name in _DRAFT_VOCABULARIES}
    vocabularies[VOCABULARY] = False  # annotations only: a validator that does not know it loses nothing
    return {
        "$schema": DRAFT,
        "$id": DIALECT,
        "$vocabulary": vocabularies,
        "$dynamicAnchor": "meta",
        "title": "The sharedoutcomes dialect of JSON Schema",
        "description": f"The dialect of the schemas of the sharedoutcomes standard {model.SCHEMA_VERSION}: JSON "
        "Schema Draft 2020-12 and the codelist vocabulary, whose one annotation links a property to the codelist "
        "its values come from. The vocabulary adds no keyword (the link is a `$comment`), so that validators that "
        "refuse unknown keywords (Ajv in strict mode) accept the schemas as they are; and the schemas declare "
        "`$schema` Draft 2020-12, which every validator knows (python-jsonschema, and so check-jsonschema, "
        "warns on a meta-schema it does not know and will refuse one). Every published schema is valid "
        "against this meta-schema: check a schema of your own (a profile, an extension) against it.",
        "allOf": [{"$ref": DRAFT}, {"$ref": VOCABULARY_SCHEMA.rsplit("/", 1)[-1]}],
    }


def _vocabulary_schema() -> dict[str, Any]:
    comment = {"type": "string", "pattern": "^codelist "}
    closed = {"type": "object", "properties": {"$comment": {"type": "string", "pattern": r" \(closed\): "}}}
    return {
        "$schema": DRAFT,
        "$id": VOCABULARY_SCHEMA,
        "$dynamicAnchor": "meta",
        "title": "The sharedoutcomes codelist vocabulary",
        "description": "A schema whose `$comment` starts with `codelist ` links its values to a codelist: "
        "`codelist <name> (open|closed): <URI of the codelist file>`. A closed codelist's schema also has "
        "the codes as its `enum` (validators enforce that); an open codelist's schema has no `enum` (its "
        "codes are advice, and any value is accepted).",
        "if": {"type": "object", "required": ["$comment"], "properties": {"$comment": comment}},
        "then": {
            "type": "object",
            "properties": {"$comment": {"type": "string", "pattern": CODELIST_COMMENT_PATTERN}},
            "if": closed,
            "then": {"type": "object", "required": ["enum"]},
            "else": {"type": "object", "properties": {"enum": False}},  # an open codelist: no enum
        },
    }


def _codelist_document(codelist: _codelists.Codelist) -> dict[str, Any]:
    return {
        "$id": BASE_URI + f"codelists/{codelist.name}.json",
        "name": codelist.name,
        "title": codelist.title,
        "description": codelist.description,
        "open": codelist.open,
        "codes": [{"code": c.code, "title": c.title, "description": c.description} for c in codelist.codes],
    }


def generate() -> dict[str, Any]:
    """
    Every generated file, as a mapping of relative path → JSON document.

    Example:
        >>> files = generate()
        >>> files["package.schema.json"]["$id"]
        'https://schemas.sharedoutcomes.org/0.2/package.schema.json'
        >>> files["codelists/sectors.json"]["open"]
        False
    """
    files: dict[str, Any] = {"common.schema.json": _common_schema(),
                             "meta/dialect.schema.json": _dialect_schema(),
                             "meta/codelists.schema.json": _vocabulary_schema()}
    for cls in _ENTITY_CLASSES:
        files[schema_file(cls)] = _entity_schema(cls)
    for codelist in _codelists.CODELISTS.values():
        files[f"codelists/{codelist.name}.json"] = _codelist_document(codelist)
    return files


def render(document: Any) -> str:
    """The canonical text of a generated file: two-space indent, UTF-8, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


PACKAGE_SCHEMAS = Path(__file__).parents[1] / "schemas"
"""Where the package's own copy lives."""

_FROZEN = frozenset(version for version in model.SCHEMA_VERSIONS if version != model.SCHEMA_VERSION)
"""The folders of the frozen older versions, which the current version's bundle leaves out."""


def freeze(destination: Path, version: str = model.SCHEMA_VERSION) -> list[Path]:
    """
    Freeze what the model generates as *version* under ``destination/version/``; return the paths written.

    Raises:
        FileExistsError: *version* is frozen already (a frozen copy is never rewritten).
    """
    if version != model.SCHEMA_VERSION:
        msg = f"the model generates {model.SCHEMA_VERSION}, not {version}: freeze before bumping SCHEMA_VERSION"
        raise ValueError(msg)
    folder = destination / version
    if folder.exists():
        msg = f"{folder} exists: a frozen version is never rewritten"
        raise FileExistsError(msg)
    return write(folder)


def write(destination: Path) -> list[Path]:
    """Write every generated file below *destination*; return the paths written."""
    written = []
    for relative, document in generate().items():
        path = destination / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    return written


def published_bundle() -> dict[str, Any]:
    """
    The single-file bundle (see `bundle`) of the generated schemas and the reference-data schemas shipped beside them.

    Example:
        >>> published_bundle()["$defs"]["Package"]["properties"]["period"]["$ref"]
        '#/$defs/Period'
    """
    schemas = {path.relative_to(PACKAGE_SCHEMAS).as_posix(): json.loads(path.read_text(encoding="utf-8"))
               for path in sorted(PACKAGE_SCHEMAS.rglob("*.schema.json"))
               if "__pycache__" not in path.parts and path.relative_to(PACKAGE_SCHEMAS).parts[0] not in _FROZEN}
    schemas.update({path: document for path, document in generate().items() if path.endswith(".schema.json")})
    return bundle.bundle(schemas)


def main(argv: list[str] | None = None) -> int:
    """Regenerate the package's schemas, mirror them to the repository's ``schemas/``, and write the bundle."""
    parser = argparse.ArgumentParser(prog="python -m sharedoutcomes._devtools.schemagen", description=main.__doc__)
    parser.add_argument("published", nargs="?", type=Path, default=Path(__file__).parents[3] / "schemas",
                        help="the published copy to mirror to (default: the repository's schemas/)")
    parser.add_argument("--freeze", action="store_true",
                        help=f"first freeze the version the model generates ({model.SCHEMA_VERSION}) under "
                        f"schemas/{model.SCHEMA_VERSION}/, before the model moves to the next version")
    args = parser.parse_args(argv)
    repo_schemas: Path = args.published
    if args.freeze:
        freeze(PACKAGE_SCHEMAS)
    write(PACKAGE_SCHEMAS)
    if repo_schemas.exists():
        shutil.rmtree(repo_schemas)
    shutil.copytree(PACKAGE_SCHEMAS, repo_schemas, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    written = repo_schemas / "bundle" / bundle.bundle_name()
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text(render(published_bundle()), encoding="utf-8")
    print(f"wrote {PACKAGE_SCHEMAS}, mirrored it to {repo_schemas} and wrote {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
