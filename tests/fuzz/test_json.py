"""
Fuzzing `validate` and `load` on generated and mutated JSON (issue 17): a report or a library error, never another exception.

CI runs the bounded "ci" profile; ``pytest tests/fuzz --fuzz`` runs 10,000 inputs per test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.exceptions import SharedOutcomesError

EXAMPLE = sharedoutcomes.example_package_path().read_bytes()

_ODD = (lambda: 10 ** 5000, lambda: float("nan"), lambda: "\x00", lambda: "\ud800", lambda: float("-inf"))
_odd = st.integers(0, len(_ODD) - 1).map(lambda i: _ODD[i]())  # (a strategy's repr must not show 5,000 digits)

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | _odd,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


def _check(source: Any, fast: bool) -> None:
    report = sharedoutcomes.validate(source, fast=fast)
    assert isinstance(report, sharedoutcomes.Report)
    assert isinstance(report.to_text(), str)
    json.dumps(report.to_dict(), allow_nan=False, default=str)
    message = ""
    try:
        sharedoutcomes.load(source, fast=fast)
    except SharedOutcomesError as error:
        message = str(error)  # printing the error must not raise either
    assert report.ok or message


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(_json, st.booleans())
def test_any_parsed_value(value: Any, fast: bool) -> None:
    _check(value, fast)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(_json, st.booleans())
def test_any_value_as_json_text(value: Any, fast: bool) -> None:
    try:
        text = json.dumps(value)
    except (ValueError, UnicodeEncodeError):
        return
    _check(text, fast)
    _check(text.encode("utf-8", "surrogatepass"), fast)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.booleans())
def test_byte_mutations_of_the_example_package(data: st.DataObject, fast: bool) -> None:
    raw = bytearray(EXAMPLE)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert", "duplicate"]))
        if action == "flip":
            raw[at] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del raw[at:at + data.draw(st.integers(1, 64))]
        elif action == "insert":
            raw[at:at] = data.draw(st.sampled_from([b"[", b"{", b"NaN", b"9" * 5000, b"\x00", b"\xff", b'"', b","]))
        else:
            end = min(len(raw), at + data.draw(st.integers(1, 200)))
            raw[at:at] = raw[at:end]
        if not raw:
            raw = bytearray(b" ")
    _check(bytes(raw), fast)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), _json, st.booleans())
def test_any_value_anywhere_in_the_example_package(data: st.DataObject, value: Any, fast: bool) -> None:
    document: Any = json.loads(EXAMPLE)
    node = document
    while isinstance(node, dict | list) and node and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
        if not isinstance(node[key], dict | list):
            break
        node = node[key]
    if isinstance(node, dict):
        node[data.draw(st.sampled_from([*node, "extra"]))] = value
    elif isinstance(node, list):
        node.append(value)
    _check(document, fast)


@pytest.mark.parametrize("depth", [10, 255, 256, 257, 2000])
def test_nesting_around_the_limit(depth: int) -> None:
    for fast in (False, True):
        _check("[" * depth + "]" * depth, fast)
        _check({"a": json.loads("[" * min(depth, 900) + "]" * min(depth, 900))}, fast)
