"""The single-file bundle: generated from the schemas, self-contained, and read offline by every validator."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from sharedoutcomes import _bundle as bundle
from sharedoutcomes import schema
from sharedoutcomes._devtools import schemagen
from tests.schema_tools._corpus import cases

ROOT = Path(__file__).parents[2]
BUNDLE = ROOT / "schemas" / "bundle" / bundle.bundle_name()
EXAMPLE = ROOT / "src" / "sharedoutcomes" / "data" / "example-partnership.json"
CASES = list(cases())


def _document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(BUNDLE.read_text(encoding="utf-8"))
    return document


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key not in ("examples", "enum", "const", "default"):
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_the_committed_bundle_is_what_the_schemas_give() -> None:
    assert BUNDLE.read_text(encoding="utf-8") == schemagen.render(schemagen.published_bundle()), (
        "regenerate with: python -m sharedoutcomes._devtools.schemagen")


def test_the_library_gives_the_published_bundle() -> None:
    assert schema.bundle() == schemagen.published_bundle()


def test_every_ref_is_inside_the_bundle_and_resolves_with_nothing_else() -> None:
    document = _document()
    registry: Registry[Any] = Registry().with_resource(document["$id"], DRAFT202012.create_resource(document))
    resolver = registry.resolver(base_uri=document["$id"])  # no retrieve: a ref outside the file cannot resolve
    refs = set(_refs(document))
    assert refs, "the bundle has no $ref at all"
    for ref in refs:
        assert ref.startswith("#/$defs/"), ref
        assert resolver.lookup(ref).contents, ref
    assert "$id" not in json.dumps(document["$defs"]), "an embedded $id: a type generator would not follow it"


def test_the_bundle_holds_every_published_schema_but_the_meta_schemas() -> None:
    names = set(_document()["$defs"])
    assert {"Package", "Evidence", "Period", "ExtensionData", "Star", "StarArea", "Crosswalk", "FormProfile",
            "Framework", "Instrument"} <= names
    assert not {name for name in names if "Meta" in name}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_python_jsonschema_with_the_bundle_agrees_with_the_corpus(case: Any) -> None:
    validator = Draft202012Validator(_document(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert validator.is_valid(case.data) is case.valid


def test_jsonschema_rs_with_the_bundle_agrees_with_the_corpus_offline() -> None:
    validator = jsonschema_rs.validator_for(_document(), offline=True, validate_formats=True)
    assert [case.name for case in CASES if validator.is_valid(case.data) is not case.valid] == []


_NO_NETWORK = (
    "import socket, sys\n"
    "def refuse(*args, **kwargs):\n"
    "    raise OSError('networking is blocked in this test')\n"
    "socket.socket.connect = refuse\n"
    "socket.create_connection = refuse\n"
    "socket.getaddrinfo = refuse\n"
    "from check_jsonschema import main\n"
    "sys.argv = ['check-jsonschema', *sys.argv[1:]]\n"
    "main()\n"
)


def _check_jsonschema(*args: str) -> subprocess.CompletedProcess[str]:
    """check-jsonschema, the command line, in a Python whose sockets refuse to connect (and a dead proxy)."""
    dead = "http://127.0.0.1:9"
    env = {"HTTP_PROXY": dead, "HTTPS_PROXY": dead, "http_proxy": dead, "https_proxy": dead, "PATH": ""}
    return subprocess.run([sys.executable, "-c", _NO_NETWORK, "--no-cache", *args], capture_output=True, text=True,
                          check=False, env=env, cwd=ROOT, timeout=120)


def test_check_jsonschema_validates_with_the_bundle_with_networking_blocked(tmp_path: Path) -> None:
    bad = next(case for case in CASES if case.rules == {"schema.format"})
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(bad.data), encoding="utf-8")

    good = _check_jsonschema("--schemafile", str(BUNDLE), str(EXAMPLE))
    wrong = _check_jsonschema("--schemafile", str(BUNDLE), str(bad_file))

    assert good.returncode == 0, good.stdout + good.stderr
    assert "ok -- validation done" in good.stdout
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert "is not a 'date'" in wrong.stdout


def test_check_jsonschema_resolves_the_separate_files_offline_with_a_base_uri(tmp_path: Path) -> None:
    bad = next(case for case in CASES if case.rules == {"schema.format"})  # a date inside common.schema.json
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(bad.data), encoding="utf-8")
    folder = (ROOT / "schemas").as_uri() + "/"
    package = str(ROOT / "schemas" / "package.schema.json")

    good = _check_jsonschema("--schemafile", package, "--base-uri", folder, str(EXAMPLE))
    wrong = _check_jsonschema("--schemafile", package, "--base-uri", folder, str(bad_file))

    assert good.returncode == 0, good.stdout + good.stderr
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert "is not a 'date'" in wrong.stdout
