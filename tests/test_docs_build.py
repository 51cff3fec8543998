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


def test_docs_build_without_warnings(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-j", "auto", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")],
        capture_output=True, text=True, check=False, timeout=600,
    )

    assert run.returncode == 0, run.stderr
    assert (tmp_path / "html" / "reference" / "schema-properties.html").exists()
    generated = (tmp_path / "html" / "reference" / "formats.html").read_text(encoding="utf-8")
    assert "tables-xlsx" in generated
