"""Fuzzing the 360giving reader: any JSON, CSV or bytes give a result or a library error, never another exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.exceptions import SharedOutcomesError
from sharedoutcomes.threesixtygiving import sample_path

GRANT = json.loads(sample_path().read_text(encoding="utf-8"))["grants"][0]
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                 max_size=4), max_leaves=20)
FIELDS = st.sampled_from([*sorted(GRANT), "recipientIndividual", "plannedDates", "beneficiaryLocation", "id"])


def _read(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            result = sharedoutcomes.convert(path, format="360giving")
        except SharedOutcomesError:
            return
        assert result.coverage is not None


@given(changes=st.dictionaries(FIELDS, JSON, max_size=5), extra=JSON)
def test_a_grant_with_any_values_in_its_fields(changes: dict[str, Any], extra: Any) -> None:
    grant = {**GRANT, **changes}
    _read("grants.json", json.dumps({"grants": [grant, extra], "version": extra}).encode())


@given(document=JSON)
def test_any_json_document(document: Any) -> None:
    _read("grants.json", json.dumps(document).encode())


@given(content=st.binary(max_size=300))
def test_any_bytes_as_json_or_csv(content: bytes) -> None:
    _read("grants.json", content)
    _read("grants.csv", b"Identifier,Title,Amount Awarded,Award Date\n" + content)
