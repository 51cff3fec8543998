"""The Node tools the schema tests run (``npm ci`` at the repository's root installs them)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
NODE_MODULES = ROOT / "node_modules"


@pytest.fixture(scope="session")
def node() -> str:
    """The ``node`` executable, with the root ``package.json``'s tools installed; skipped locally without them.

    In CI (``CI`` set) a missing tool fails the test: CI runs ``npm ci`` first, so it must be there.
    """
    executable = shutil.which("node")
    missing = ("node is not on PATH" if executable is None else
               "node_modules/ is absent: run `npm ci --no-audit --no-fund` at the repository's root"
               if not (NODE_MODULES / "ajv").is_dir() else None)
    if missing is None and executable is not None:
        return executable
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI needs the Node tools: {missing}")
    pytest.skip(missing or "node is missing")
