"""Fixtures for the contribution story tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import sharedoutcomes
from sharedoutcomes.model import Package

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def example() -> Package:
    return sharedoutcomes.example_package()


@pytest.fixture(scope="session")
def kirkton() -> Package:
    """A crafted package with a gap of every kind, consent of every kind and one person seen by two organisations."""
    return sharedoutcomes.load(DATA / "kirkton-locality.json")


@pytest.fixture
def kirkton_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "kirkton-locality.json").read_text(encoding="utf-8"))
    return data
