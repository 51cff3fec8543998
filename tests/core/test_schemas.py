"""The published schemas: generated from the model, identical to the shipped copies, and well formed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing.exceptions import Unresolvable

from sharedoutcomes import _codelists, schema
from sharedoutcomes._devtools import schemagen as _schemagen

ROOT = Path(__file__).parents[2]
PUBLISHED = ROOT / "schemas"
SHIPPED = _schemagen.PACKAGE_SCHEMAS


def _tree(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): path.read_text(encoding="utf-8")
        for path in sorted(directory.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_shipped_schemas_are_what_the_model_generates() -> None:
    generated = {name: _schemagen.render(doc) for name, doc in _schemagen.generate().items()}
    shipped = _tree(SHIPPED)

    stale = sorted(name for name, text in generated.items() if shipped.get(name) != text)
    assert stale == [], "regenerate with: python -m sharedoutcomes._devtools.schemagen"


def test_the_published_schemas_are_identical_to_the_shipped_copies() -> None:
    published = {name: text for name, text in _tree(PUBLISHED).items() if not name.startswith("bundle/")}
    assert published == _tree(SHIPPED), "regenerate with: python -m sharedoutcomes._devtools.schemagen"


def test_the_package_reads_its_schemas_from_package_data() -> None:
    assert set(schema.schema_files()) == {name for name in _tree(SHIPPED) if name.endswith(".json")}


def _schemas() -> Iterator[tuple[str, dict[str, Any]]]:
    for name in schema.schema_names():
        yield name, schema.get_schema(name)


def _walk(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


@pytest.mark.parametrize(("name", "document"), list(_schemas()))
def test_every_schema_is_valid_draft_2020_12_with_a_versioned_id(name: str, document: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(document)

    assert document["$schema"] == _schemagen.DRAFT  # every validator knows it (see meta/dialect.schema.json)
    if not name.startswith("meta/"):
        dialect = Draft202012Validator(schema.get_schema("meta/dialect"), registry=schema.registry())
        assert [error.message for error in dialect.iter_errors(document)] == []
    assert document["$id"].startswith(schema.BASE_URI)
    assert document["title"]
    assert document["description"]


@pytest.mark.parametrize(("name", "document"), list(_schemas()))
def test_every_property_is_documented(name: str, document: dict[str, Any]) -> None:
    if name.startswith("meta/"):
        pytest.skip("a meta-schema's properties are keywords, documented by the meta-schema's description")
    undocumented = [
        f"{where}/properties/{prop}"
        for where, node in _walk(document)
        if isinstance(node.get("properties"), dict)
        for prop, spec in node["properties"].items()
        if not (spec.get("title") and spec.get("description"))
    ]
    assert undocumented == []


@pytest.mark.parametrize(("name", "document"), list(_schemas()))
def test_every_enum_is_backed_by_a_closed_codelist_file(name: str, document: dict[str, Any]) -> None:
    for where, node in _walk(document):
        listed_name = schema.codelist_of(node)
        if "enum" in node and not name.startswith("meta/"):
            assert listed_name is not None, f"{where}: an enum with no codelist file"
            listed = schema.codelist(listed_name)
            assert listed["open"] is False, where
            assert node["enum"] == [code["code"] for code in listed["codes"]], where
        if listed_name is not None:
            link = f"({'open' if _codelists.CODELISTS[listed_name].open else 'closed'}): "
            assert f"{link}{schema.BASE_URI}codelists/{listed_name}.json" in node["$comment"], where
            assert (SHIPPED / "codelists" / f"{listed_name}.json").is_file(), where


def test_the_codelist_vocabulary_rejects_a_wrong_link() -> None:
    dialect = Draft202012Validator(schema.get_schema("meta/dialect"), registry=schema.registry())
    sector = schema.get_schema("organisation")["properties"]["sector"]
    assert dialect.is_valid(sector)
    assert not dialect.is_valid({k: v for k, v in sector.items() if k != "enum"})  # closed, with no enum
    assert not dialect.is_valid({**sector, "$comment": sector["$comment"].replace("(closed)", "(open)")})
    assert not dialect.is_valid({**sector, "$comment": "codelist sectors"})


@pytest.mark.parametrize(("name", "document"), list(_schemas()))
def test_no_ref_leaves_the_bundle(name: str, document: dict[str, Any]) -> None:
    resolver = schema.registry().resolver(base_uri=document["$id"])
    for where, node in _walk(document):
        if "$ref" in node and node["$ref"] != _schemagen.DRAFT:  # the dialect extends Draft 2020-12
            assert "://" not in node["$ref"], f"{where}: absolute $ref {node['$ref']}"
            try:
                resolver.lookup(node["$ref"])
            except Unresolvable as error:  # pragma: no cover - the assertion message is the point
                pytest.fail(f"{where}: $ref {node['$ref']} does not resolve in the bundle: {error}")


@pytest.mark.parametrize(("name", "document"), list(_schemas()))
def test_every_example_is_valid_against_its_own_property(name: str, document: dict[str, Any]) -> None:
    for where, node in _walk(document):
        for example in node.get("examples", ()) if "type" in node or "$ref" in node else ():
            subschema = {k: v for k, v in node.items() if k != "examples"}
            validator = Draft202012Validator(
                {**subschema, "$id": document["$id"]} if "$ref" in node else subschema,
                registry=schema.registry(),
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
            assert list(validator.iter_errors(example)) == [], f"{where}: example {example!r}"


def test_every_codelist_file_says_whether_it_is_open() -> None:
    for name in schema.codelist_names():
        listed = schema.codelist(name)
        assert isinstance(listed["open"], bool)
        assert listed["codes"], name
        assert all(code["title"] and code["description"] for code in listed["codes"]), name
        assert len({code["code"] for code in listed["codes"]}) == len(listed["codes"]), name


def test_the_example_package_is_valid_against_the_published_files_directly() -> None:
    """A consumer with only the published folder (no sharedoutcomes) can validate with any Draft 2020-12 tool."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    resources = [DRAFT202012.create_resource(json.loads(p.read_text(encoding="utf-8")))
                 for p in PUBLISHED.glob("*.schema.json")]
    registry: Registry[Any] = Registry().with_resources((r.id() or "", r) for r in resources)
    package_schema = json.loads((PUBLISHED / "package.schema.json").read_text(encoding="utf-8"))
    example = json.loads((SHIPPED.parent / "data" / "example-partnership.json").read_text(encoding="utf-8"))

    validator = Draft202012Validator(package_schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(example)) == []
