"""
Fuzzing the forms readers (issue 17): byte mutations of the library's own Word and Excel forms, and JSON forms.

Each input ends in a result or in one of the library's own errors (`SharedOutcomesError`),
never in an exception from inside a dependency, and within a time budget. ``pytest
tests/fuzz --fuzz`` runs 10,000 inputs per test; CI runs the bounded "ci" profile.
"""

from __future__ import annotations

import functools
import io
import json
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharedoutcomes import example_package
from sharedoutcomes.converters import ConversionResult
from sharedoutcomes.exceptions import SharedOutcomesError
from sharedoutcomes.forms import read_form, write_form

BUDGET_SECONDS = 30
"""No input may take longer than this to read (a hang guard, not a performance target)."""

_FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)


@functools.cache
def _written(kind: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"return.{kind}"
        write_form(example_package(), path, organisation_id="GB-SC-SC045123")
        return path.read_bytes()


def _read(data: bytes, suffix: str) -> ConversionResult | SharedOutcomesError:
    """Read *data* as a form file: its result, or the library error it raised (any other exception fails)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed{suffix}"
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            outcome: ConversionResult | SharedOutcomesError = read_form(path)
        except SharedOutcomesError as error:
            str(error)  # the message itself must build
            outcome = error
        assert time.perf_counter() - started < BUDGET_SECONDS
    if isinstance(outcome, ConversionResult):
        for problem in outcome.problems:
            assert len(problem.message) < 2_000  # bounded, safe renderings
    return outcome


_MUTATION = st.tuples(st.sampled_from(["flip", "insert", "delete"]), st.integers(min_value=0),
                      st.binary(min_size=1, max_size=8))


def _mutate(data: bytes, mutations: list[tuple[str, int, bytes]]) -> bytes:
    buffer = bytearray(data)
    for kind, position, chunk in mutations:
        at = position % max(len(buffer), 1)
        if kind == "flip" and buffer:
            buffer[at] ^= chunk[0] or 1
        elif kind == "insert":
            buffer[at:at] = chunk
        else:
            del buffer[at:at + len(chunk)]
    return bytes(buffer)


@_FUZZ
@given(kind=st.sampled_from(["docx", "xlsx"]), mutations=st.lists(_MUTATION, min_size=1, max_size=6))
def test_mutated_office_files_end_in_a_result_or_a_library_error(kind: str, mutations: list[Any]) -> None:
    _read(_mutate(_written(kind), mutations), f".{kind}")


def _parts(kind: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(_written(kind))) as archive:
        return [n for n in archive.namelist() if n.endswith(".xml")]


@_FUZZ
@given(kind=st.sampled_from(["docx", "xlsx"]), part=st.integers(min_value=0),
       mutations=st.lists(_MUTATION, min_size=1, max_size=6))
def test_mutated_xml_inside_office_files_ends_in_a_result_or_a_library_error(kind: str, part: int,
                                                                             mutations: list[Any]) -> None:
    names = _parts(kind)
    target = names[part % len(names)]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_written(kind))) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name in source.namelist():
            data = source.read(name)
            zipped.writestr(name, _mutate(data, mutations) if name == target else data)
    _read(out.getvalue(), f".{kind}")


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
                     lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children,
                                                                                         max_size=4),
                     max_leaves=30)


@_FUZZ
@given(value=_JSON)
def test_any_json_value_as_a_form_ends_in_a_result_or_a_library_error(value: Any) -> None:
    _read(json.dumps(value).encode(), ".json")


@_FUZZ
@given(answers=st.dictionaries(st.text(max_size=15), _JSON, max_size=6),
       tables=st.dictionaries(st.sampled_from(["outcomes", "indicators", "stories", "finance", "other"]), _JSON,
                              max_size=3))
def test_json_forms_with_odd_answers_and_tables_end_in_a_result_or_a_library_error(answers: dict[str, Any],
                                                                                   tables: dict[str, Any]) -> None:
    data = json.loads(_written("json"))
    data["answers"].update(answers)
    data["tables"].update(tables)
    _read(json.dumps(data).encode(), ".json")


@_FUZZ
@given(mutations=st.lists(_MUTATION, min_size=1, max_size=6))
def test_mutated_json_forms_end_in_a_result_or_a_library_error(mutations: list[Any]) -> None:
    _read(_mutate(_written("json"), mutations), ".json")
