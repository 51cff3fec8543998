"""The documentation builds with warnings as errors and nitpicky cross-references (as CI builds it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx", reason="the docs extra is not installed")
pytest.importorskip("myst_parser", reason="the docs extra is not installed")
pytest.importorskip("furo", reason="the docs extra is not installed")

DOCS = Path(__file__).parents[1] / "docs"


# The build runs as in a fresh venv with only `.[docs]`: hypothesis (the `testing` extra) cannot be imported.
_WITHOUT_HYPOTHESIS = """
import importlib.abc, sys

class _NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "hypothesis" or name.startswith("hypothesis."):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden: the docs extra does not install it)")
        return None

sys.meta_path.insert(0, _NotInstalled())
sys.argv = ["sphinx", *sys.argv[1:]]
from sphinx.cmd.build import main
raise SystemExit(main(sys.argv[1:]))
"""


def test_docs_build_without_warnings(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", _WITHOUT_HYPOTHESIS, "-W", "--keep-going", "-n", "-q", "-j", "auto", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")],
        capture_output=True, text=True, check=False, timeout=600,
    )

    assert run.returncode == 0, run.stderr
    assert (tmp_path / "html" / "reference" / "schema-properties.html").exists()
    generated = (tmp_path / "html" / "reference" / "formats.html").read_text(encoding="utf-8")
    assert "tables-xlsx" in generated
    api = (tmp_path / "html" / "reference" / "api.html").read_text(encoding="utf-8")
    assert "sharedoutcomes.testing.packages" in api, "the strategies are documented without hypothesis installed"
