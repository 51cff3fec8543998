"""Fixtures for the privacy tests: a partnership key, and the two organisations' exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from sharedoutcomes.privacy import Pseudonymiser

DATA = Path(__file__).parent / "data"
STARS = Path(__file__).parent.parent / "stars" / "data"
RIVERSIDE = "GB-SC-SC000001"  # the org-ids the fixtures' organisations are given in these tests
CARERS = "GB-SC-SC038977"
KEY = bytes.fromhex("6f1c2b9a" * 8)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "partnership.key"
    path.write_text(f"# test key\n{KEY.hex()}\n", encoding="ascii")
    return path


@pytest.fixture
def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser(KEY)
