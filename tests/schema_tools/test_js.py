"""The standard from JavaScript: the conformance corpus run with Ajv (strict), and the Ajv command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from sharedoutcomes import _bundle as bundle
from sharedoutcomes.model import SCHEMA_VERSION, SCHEMA_VERSIONS
from tests.schema_tools._corpus import cases

ROOT = Path(__file__).parents[2]
BUNDLE = ROOT / "schemas" / "bundle" / bundle.bundle_name()
FROZEN = frozenset(SCHEMA_VERSIONS) - {SCHEMA_VERSION}
EXAMPLE = ROOT / "src" / "sharedoutcomes" / "data" / "example-partnership.json"


def test_the_corpus_runs_in_javascript_with_ajv_strict(node: str) -> None:
    done = subprocess.run([node, "tests/js/run-corpus.mjs"], capture_output=True, text=True, check=False, cwd=ROOT,
                          timeout=300)

    assert done.returncode == 0, done.stdout + done.stderr
    frozen = sum(len(group["tests"]) for path in (ROOT / "tests" / "conformance").glob("*.json")
                 for group in json.loads(path.read_text(encoding="utf-8")) if group["schema"] != "package")
    published = [path for path in (ROOT / "schemas").rglob("*.schema.json")
                 if path.relative_to(ROOT / "schemas").parts[0] not in {"bundle", *FROZEN}]
    # the current version's cases with the bundle and with the files, a frozen version's with its files,
    # and every current schema against the dialect
    total = 2 * len(list(cases())) + frozen + len(published)
    assert f"{total} checks agree with the corpus" in done.stdout


def test_the_ajv_command_line_validates_with_the_bundle_and_no_strict_flag(node: str, tmp_path: Path) -> None:
    """The command the docs give: strict mode on (Ajv's default), one schema file, no ``-r``, nothing fetched."""
    ajv = str(ROOT / "node_modules" / "ajv-cli" / "dist" / "index.js")
    bad = next(case for case in cases() if case.rules == {"schema.enum"})
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(bad.data), encoding="utf-8")

    def ajv_validate(data: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([node, ajv, "validate", "--spec=draft2020", "-c", "ajv-formats", "-s", str(BUNDLE),
                               "-d", str(data)], capture_output=True, text=True, check=False, cwd=ROOT, timeout=120)

    good, wrong = ajv_validate(EXAMPLE), ajv_validate(bad_file)

    assert good.returncode == 0, good.stdout + good.stderr
    assert f"{EXAMPLE} valid" in good.stdout + good.stderr
    assert wrong.returncode == 1
    assert "must be equal to one of the allowed values" in wrong.stdout + wrong.stderr
    assert "unknown keyword" not in good.stdout + good.stderr + wrong.stdout + wrong.stderr
