"""Shared test configuration: Hypothesis profiles and common fixtures."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# "dev" is quick; CI selects "ci" (more examples, no deadline: CI machines are slow and shared).
settings.register_profile("dev", max_examples=40, deadline=None)
settings.register_profile(
    "ci", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

TESTS = Path(__file__).parent


@pytest.fixture
def example_data() -> dict[str, Any]:
    """The bundled example package as parsed JSON (a fresh copy for each test)."""
    from sharedoutcomes import example_package_path

    data: dict[str, Any] = json.loads(example_package_path().read_text(encoding="utf-8"))
    return data
