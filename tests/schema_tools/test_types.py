"""
The generated bindings (``generated/``): up to date, strictly typed, and in agreement with the corpus.

What the types cannot express is asserted too (`TYPESCRIPT_BLIND`, `PYDANTIC_BLIND`), so that a
change of generator that sees more, or less, fails here and is written down in
``docs/how-to/validate-without-python.md``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest

from sharedoutcomes._devtools import typegen
from tests.schema_tools._corpus import Case, cases

ROOT = Path(__file__).parents[2]
GENERATED = ROOT / "generated"
CASES = list(cases())

TYPESCRIPT_BLIND = frozenset({
    "schema.pattern", "schema.format", "schema.minimum", "schema.maximum", "schema.minLength",
    "schema.uniqueItems", "schema.minProperties", "schema.propertyNames",
})
"""Rules tsc cannot check: a value's form, range or length, unique items, and an open object's keys."""

PYDANTIC_BLIND = frozenset({"schema.uniqueItems"})
"""Rules the pydantic models do not check (a list stays a list; a set would lose the order)."""


def test_the_committed_bindings_are_what_the_schemas_give(node: str) -> None:
    generated = typegen.generate()
    for relative, text in generated.items():
        assert (GENERATED / relative).read_text(encoding="utf-8") == text, (
            f"generated/{relative} is stale: regenerate with python -m sharedoutcomes._devtools.typegen")


def test_the_pydantic_models_pass_mypy_strict() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null",
                           str(GENERATED / typegen.PYDANTIC)], capture_output=True, text=True, check=False, cwd=ROOT,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def _models() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sharedoutcomes_models", GENERATED / typegen.PYDANTIC)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _null_for_an_optional_property(case: Case) -> bool:
    return case.name.endswith("null instead of leaving a property out")


def test_the_pydantic_models_accept_the_valid_documents_and_reject_the_invalid_ones() -> None:
    package: Any = _models().Package
    wrong = []
    for case in CASES:
        try:
            package.model_validate(case.data)
            accepted = True
        except pydantic.ValidationError:
            accepted = False
        if accepted is not case.valid and not (case.rules <= PYDANTIC_BLIND or _null_for_an_optional_property(case)):
            wrong.append(case.name)
    assert wrong == []


def test_the_pydantic_models_are_blind_only_to_what_the_docs_say() -> None:
    package: Any = _models().Package
    missed = set()
    for case in CASES:
        if not case.valid:
            try:
                package.model_validate(case.data)
                missed.add(case.name)
            except pydantic.ValidationError:
                pass
    expected = {case.name for case in CASES if not case.valid and (case.rules <= PYDANTIC_BLIND
                                                                   or _null_for_an_optional_property(case))}
    assert missed == expected


_ERROR = re.compile(r"^(?P<file>[^(]+)\((?P<line>\d+),\d+\): error (?P<code>TS\d+)", re.MULTILINE)


def _tsc(node: str, tmp_path: Path, valid: list[Case], invalid: list[Case]) -> dict[str, set[int]]:
    """Compile the corpus's documents as typed literals; the lines of each file that tsc reports."""
    source = (GENERATED / "typescript" / "sharedoutcomes").as_posix()
    header = f'import type {{ Package }} from "{source}";\n'
    files = {"valid.ts": valid, "invalid.ts": invalid}
    for name, chosen in files.items():
        lines = [f"export const case{index} = {json.dumps(case.data)} satisfies Package;"
                 for index, case in enumerate(chosen)]
        (tmp_path / name).write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    config = {"extends": str(ROOT / "tests" / "js" / "tsconfig.json"), "files": [str(tmp_path / n) for n in files]}
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    tsc = str(ROOT / "node_modules" / "typescript" / "bin" / "tsc")
    done = subprocess.run([node, tsc, "-p", str(tmp_path / "tsconfig.json"), "--pretty", "false"],
                          capture_output=True, text=True, check=False, cwd=ROOT, timeout=600)
    found: dict[str, set[int]] = {name: set() for name in files}
    for match in _ERROR.finditer(done.stdout):
        found[Path(match["file"]).name].add(int(match["line"]) - 1)  # line 1 is the import
    assert done.returncode == 0 or any(found.values()), done.stdout + done.stderr
    return found


def test_the_typescript_types_compile_strictly_and_agree_with_the_corpus(node: str, tmp_path: Path) -> None:
    valid = [case for case in CASES if case.valid]
    invalid = [case for case in CASES if not case.valid]

    found = _tsc(node, tmp_path, valid, invalid)

    assert found["valid.ts"] == set(), [valid[line - 1].name for line in found["valid.ts"]]
    seen = {invalid[line - 1].name for line in found["invalid.ts"]}
    visible = {case.name for case in invalid if case.rules - TYPESCRIPT_BLIND}
    assert seen == visible, {"tsc missed": sorted(visible - seen), "tsc saw, unexpectedly": sorted(seen - visible)}


@pytest.mark.parametrize("rule", sorted(TYPESCRIPT_BLIND | PYDANTIC_BLIND))
def test_every_blind_rule_is_written_down(rule: str) -> None:
    page = (ROOT / "docs" / "how-to" / "validate-without-python.md").read_text(encoding="utf-8")
    assert f"`{rule.removeprefix('schema.')}`" in page
