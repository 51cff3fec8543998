"""
Fuzzing the command line (issue 17): any file given to any reading command ends with a documented exit code and no traceback.

In-process (``main``) so that thousands of runs stay affordable; `tests/cli/test_cli_odd_inputs.py`
runs a few in a real process too.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main

EXAMPLE = sharedoutcomes.example_package_path().read_bytes()
STAR = (Path(sharedoutcomes.__file__).parent / "data" / "star-sample.csv").read_bytes()

_COMMANDS = [
    ["validate", "FILE"],
    ["validate", "FILE", "--format", "json"],
    ["convert", "FILE", "--from", "package", "-o", "OUT"],
    ["convert", "FILE", "--from", "outcomes-star", "-o", "OUT"],
    ["report", "FILE", "-o", "OUT"],
]


def _mutated(data: st.DataObject, seed: bytes) -> bytes:
    raw = bytearray(seed)
    for _ in range(data.draw(st.integers(0, 6))):
        at = data.draw(st.integers(0, max(0, len(raw) - 1)))
        kind = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if kind == "flip" and raw:
            raw[at] = data.draw(st.integers(0, 255))
        elif kind == "cut":
            del raw[at:at + data.draw(st.integers(1, 500))]
        else:
            raw[at:at] = data.draw(st.binary(max_size=8) | st.sampled_from([b"[" * 300, b"NaN", b"9" * 5000]))
    return bytes(raw)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_reading_command_survives_any_file(data: st.DataObject, capsys: pytest.CaptureFixture[str]) -> None:
    seed = data.draw(st.sampled_from([EXAMPLE, STAR, b"", b"[]"]))
    raw = _mutated(data, seed) if data.draw(st.booleans()) else data.draw(st.binary(max_size=200))
    command = data.draw(st.sampled_from(_COMMANDS))
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "input.json", Path(folder) / "out"
        source.write_bytes(raw)
        argv = [str(source) if a == "FILE" else str(target) if a == "OUT" else a for a in command]

        code = main(argv, out=io.StringIO())

    err = capsys.readouterr().err
    assert code in (EXIT_OK, EXIT_INVALID, EXIT_USAGE)
    assert "internal error" not in err, err
