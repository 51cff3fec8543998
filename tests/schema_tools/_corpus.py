"""The conformance corpus as schema cases: each test's package and whether the schemas accept it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

CORPUS = Path(__file__).parents[1] / "conformance"


class Case(NamedTuple):
    """One test of the corpus: *valid* is ``True`` when the corpus expects no ``schema.*`` error."""

    name: str
    data: Any
    valid: bool
    rules: frozenset[str]


def cases() -> Iterator[Case]:
    """Every test of every corpus file (the semantic rules aside: a JSON Schema does not check them)."""
    for path in sorted(CORPUS.glob("*.json")):
        for group in json.loads(path.read_text(encoding="utf-8")):
            if group["schema"] != "package":
                # A frozen version's group ("0.1/package"): the bundle and the generated bindings are the
                # current version's, so only the JavaScript runner checks it, against that version's files.
                assert group["schema"].endswith("/package"), path
                continue
            for test in group["tests"]:
                rules = frozenset(p["rule"] for p in test["problems"]
                                  if p["rule"].startswith("schema.") and p["severity"] == "error")
                yield Case(f"{path.stem}: {test['description']}", test["data"], not rules, rules)
