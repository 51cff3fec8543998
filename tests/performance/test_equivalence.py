"""The fast path reports exactly the problems of the pure-Python reference path."""

from __future__ import annotations

import copy
import enum
import json
import math
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.validation import _fast, iter_problems, validate, validate_data

pytest.importorskip("orjson")
pytest.importorskip("jsonschema_rs")

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).parents[1] / "conformance"


def _key(report: sharedoutcomes.Report) -> list[tuple[Any, ...]]:
    return [(p.rule, p.severity, p.path, p.message, p.source, repr(p.value)) for p in report.problems]


def assert_same(data: Any, *, text: bool = True) -> list[tuple[Any, ...]]:
    """Both paths give the same problems in the same order: on parsed data and (if *text*) on its JSON text."""
    reference = _key(validate_data(data, fast=False))
    assert _key(validate_data(data, fast=True)) == reference
    if text:
        try:
            document = json.dumps(data, ensure_ascii=False, allow_nan=True)
        except (TypeError, ValueError):
            return reference
        assert _key(validate(document, fast=True)) == _key(validate(document, fast=False))
    return reference


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of *data* with the value at *path* ("evidence.0.values.1.code") replaced, or deleted if value is DELETE."""
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is DELETE:
        del node[key]
    else:
        node[key] = value
    return data


DELETE = object()


class Colour(enum.Enum):
    RED = "person"


class Level(enum.IntEnum):
    TWO = 2


class Text(str):
    pass


# (path, value): one case per schema keyword the standard uses, and per known difference between
# jsonschema and jsonschema-rs.
CASES: list[tuple[str, Any]] = [
    ("schema_version", "0.3"),                                # const
    ("sharing_level", "open-data"),                           # enum
    ("evidence.0.kind", "anecdote"),                          # enum, with a did-you-mean
    ("evidence.0.id", DELETE),                                # required
    ("evidence.0.colour", "red"),                             # additionalProperties
    ("organisations.0.extension_data", {}),                   # minProperties
    ("organisations.1.extension_data", {"Bad Name": 1}),      # propertyNames
    ("evidence.0.summary", ""),                               # minLength
    ("evidence.0.values", []),                                # minItems
    ("outcomes.1.broader", ["out-connected", "out-connected"]),  # uniqueItems
    ("evidence.1.evidence_level", 6),                         # maximum
    ("evidence.1.evidence_level", 0),                         # minimum
    ("evidence.1.evidence_level", 2.0),                       # an integral float is an integer
    ("evidence.1.evidence_level", 2.5),                       # type integer
    ("evidence.0.subject.size", -1),                          # minimum in a $ref'd definition
    ("evidence.0.values.0.value", None),                      # type, null
    ("evidence.0.values.0.value", ""),                        # minLength on a union type
    ("evidence.0", "ev-1"),                                   # type object, inside items
    ("links", {"id": "l"}),                                   # type array
    ("publisher", "NHS"),                                     # pattern (org-id)
    ("id", "pkg 1"),                                          # pattern (white space)
    ("id", "pkg-1\n"),                                        # pattern: a trailing newline
    ("id", "pkg\x1c1"),                                       # \s in Python, not in Rust
    ("id", "pkg\x1f1"),
    ("id", "pkg\x851"),                                       # NEL
    ("id", "pkg\u20281"),                                     # LINE SEPARATOR
    ("id", "pkg\ufeff1"),                                     # \s in Rust, not in Python: valid
    ("id", "pkg\u180e1"),                                     # MONGOLIAN VOWEL SEPARATOR: not space in either
    ("activities.0.funding.0.amount.currency", "gbp"),        # pattern (currency)
    ("extensions.0.name", "NACVS"),                           # pattern (extension name)
    ("produced", "2025-05-14 10:30"),                         # pattern (date-time)
    ("produced", "2025-05-14T25:61:00Z"),                     # format date-time: not checked by the reference
    ("licence", "OGL v3"),                                    # format uri: not checked by the reference
    ("organisations.0.url", "not a url"),
    ("evidence.1.date", "0000-01-01"),                        # format date: year 0000
    ("evidence.1.date", "2023-02-29"),                        # format date: not a leap year
    ("evidence.1.date", "2024-02-29"),                        # a leap day: valid
    ("evidence.1.date", "2024-02-30"),
    ("evidence.1.date", "2024-13-01"),
    ("evidence.1.date", "2024-1-01"),
    ("evidence.1.date", "２０２４-01-01"),                       # full-width digits
    ("evidence.1.date", "2024-01-01\n"),
    ("period.start", "1900-02-29"),
    # values Python may hold that JSON cannot
    ("outcomes.1.broader", ("out-connected",)),               # a tuple is not an array to jsonschema
    ("evidence.0.subject.type", Colour.RED),                  # an Enum member is not a string
    ("evidence.1.evidence_level", Level.TWO),                 # an IntEnum is an int: valid
    ("evidence.0.id", Text("ev-text")),                       # a str subclass is a str: valid
    ("evidence.0.values.0.value", math.nan),                  # NaN is a number to jsonschema
    ("evidence.0.values.0.value", math.inf),
    ("evidence.0.subject.size", 10**30),                      # beyond 64 bits
    ("evidence.0.summary", "\ud800 lone surrogate"),
    ("evidence.0.extension_data", {"nacvs": {1: "int key"}}),
    ("evidence.0.extension_data", {"nacvs": (1, 2)}),         # unconstrained: a tuple is fine there
    ("evidence.0.subject", OrderedDict(type="person", id="P-1")),
    # semantic rules, after a clean schema layer
    ("links.0.target_id", "nowhere"),
    ("evidence.0.values.0.scale_max", 0),
    ("sharing_level", "public"),
]


FOUND: dict[str, set[str]] = {}


@pytest.mark.parametrize(("path", "value"), CASES, ids=[f"{p}={v!r}" for p, v in CASES])
def test_hand_written_cases_give_the_same_problems(example_data: dict[str, Any], path: str, value: Any) -> None:
    problems = assert_same(_set(example_data, path, value))

    FOUND[f"{path}={value!r}"] = {problem[0] for problem in problems}


def test_the_cases_find_problems_of_every_schema_keyword(example_data: dict[str, Any]) -> None:
    """The cases are not vacuous: together they break every schema keyword the standard uses."""
    rules = set().union(*FOUND.values()) if len(FOUND) == len(CASES) else {
        problem.rule for path, value in CASES for problem in validate_data(_set(example_data, path, value), fast=False)}

    keywords = {"const", "enum", "required", "additionalProperties", "minProperties", "propertyNames",
                "minLength", "minItems", "uniqueItems", "maximum", "minimum", "type", "pattern", "format"}
    assert {f"schema.{k}" for k in keywords} <= rules


def _corpus() -> list[Any]:
    return [pytest.param(test["data"], id=f"{file.stem}: {test['description']}")
            for file in sorted(CORPUS.glob("*.json"))
            for group in json.loads(file.read_text(encoding="utf-8")) for test in group["tests"]]


@pytest.mark.parametrize("data", _corpus())
def test_the_conformance_corpus_gives_the_same_problems_on_both_paths(data: dict[str, Any]) -> None:
    assert_same(data, text=False)
    assert [(p.rule, p.path, p.message) for p in iter_problems(data, fast=True)] == \
           [(p.rule, p.path, p.message) for p in iter_problems(data, fast=False)]


@pytest.mark.parametrize("name", ["awkward-package.json", "big-numbers-package.json"])
def test_awkward_but_valid_files_read_the_same_on_both_paths(name: str) -> None:
    raw = (DATA / name).read_bytes()

    assert validate(raw, fast=True).problems == validate(raw, fast=False).problems == ()
    fast, reference = sharedoutcomes.load(raw, fast=True), sharedoutcomes.load(raw, fast=False)
    assert fast == reference
    assert sharedoutcomes.dump(fast) == sharedoutcomes.dump(reference)


NASTY = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
    st.sampled_from(["", " ", "x\n", "ev-1", "GB-SC-SC045123", "out-connected", "0000-01-01", "2024-02-30",
                     "refused", "public", "person", "a\x1cb", "a\u2028b", "\ud800"]),
    st.text(max_size=5), st.lists(st.integers(0, 3), max_size=2), st.dictionaries(st.text(max_size=3), st.none(),
                                                                                  max_size=2),
)


def _paths(node: Any, prefix: str = "") -> list[str]:
    paths = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        path = f"{prefix}{key}"
        paths.append(path)
        paths.extend(_paths(value, path + "."))
    return paths


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_mutations_of_the_example_give_the_same_problems(data: st.DataObject) -> None:
    document = json.loads(sharedoutcomes.example_package_path().read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        path = data.draw(st.sampled_from(_paths(document)), label="path")
        value = data.draw(st.one_of(st.just(DELETE), NASTY), label="value")
        document = _set(document, path, value)
    assert_same(document, text=data.draw(st.booleans(), label="as text"))


# -- the parts of the proof, one by one ------------------------------------------------------------


def test_the_gate_is_built_for_the_published_schemas() -> None:
    assert _fast.gate() is not None


def test_translated_whitespace_is_exactly_pythons_for_every_code_point() -> None:
    """Bisect the whole of Unicode: wherever either engine sees white space, both must, down to each character."""
    import jsonschema_rs

    outside = jsonschema_rs.validator_for({"pattern": _fast.translate_pattern(r"\s")})
    inside = jsonschema_rs.validator_for({"pattern": _fast.translate_pattern(r"^[^\s]*$")})
    python = re.compile(r"\s")
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    pending, leaves = [everything], 0
    while pending:
        chunk = pending.pop()
        in_python = python.search(chunk) is not None
        assert outside.is_valid(chunk) is in_python
        assert inside.is_valid(chunk) is not in_python
        if in_python and len(chunk) > 1:
            middle = len(chunk) // 2
            pending += [chunk[:middle], chunk[middle:]]
        leaves += in_python and len(chunk) == 1
    assert leaves == 29  # Python's white space, every one of them seen by the translated pattern


def test_patterns_the_gate_cannot_translate_make_it_defer_to_the_reference() -> None:
    for pattern in (r"^\d+$", r"\w", r"\bx", r"[]a]"):
        with pytest.raises(_fast.Untranslatable):
            _fast.translate_pattern(pattern)


def test_the_gate_refuses_every_date_the_reference_refuses() -> None:
    from jsonschema import Draft202012Validator

    checker = Draft202012Validator.FORMAT_CHECKER
    days = ("01-01", "02-28", "02-29", "02-30", "04-30", "04-31", "12-31", "00-10", "13-01", "01-00", "01-32")
    years = [*range(30), 100, 400, 1600, 1700, 1900, 2000, 2023, 2024, 2100, 9999]
    dates = [f"{year:04d}-{day}" for year in years for day in days]
    dates += [f"{year:04d}-02-29" for year in range(10_000)]
    gate = _fast.gate()
    assert gate is not None
    base = json.loads(sharedoutcomes.example_package_path().read_text(encoding="utf-8"))
    base["evidence"] = [{"id": f"e{i}", "kind": "count", "date": date} for i, date in enumerate(dates)]
    errors = {int(e.instance_path[1]) for e in gate.iter_errors(base) if e.instance_path[:1] == ["evidence"]}
    for i, date in enumerate(dates):
        assert (i not in errors) == checker.conforms(date, "date"), date


@given(st.recursive(
    st.none() | st.booleans() | st.integers(-(2**80), 2**80) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=12,
), st.booleans())
def test_orjson_parses_like_json_or_hands_over(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    parsed, data = _fast.parse(text)
    if parsed:
        assert _typed(data) == _typed(json.loads(text))
    parsed, data = _fast.parse(text.encode("utf-8"))
    if parsed:
        assert _typed(data) == _typed(json.loads(text))


@pytest.mark.parametrize("text", ["[NaN]", "[Infinity]", "[1e400]", "[18446744073709551616]", "[-9223372036854775809]",
                                  '["\\ud800"]', "\ufeff[1]", "[1] x", "{'a': 1}"])
def test_what_orjson_would_read_differently_is_left_to_json(text: str) -> None:
    assert _fast.parse(text) == (False, None)


def test_a_byte_order_mark_is_read_as_the_reference_reads_it(example_data: dict[str, Any]) -> None:
    raw = b"\xef\xbb\xbf" + json.dumps(example_data).encode("utf-8")

    assert _fast.parse(raw)[0]
    assert validate(raw, fast=True).problems == validate(raw, fast=False).problems == ()
    assert _key(validate(raw.decode("utf-8"), fast=True)) == _key(validate(raw.decode("utf-8"), fast=False))


def _typed(value: Any) -> Any:
    """A value with the type of every scalar made explicit (1 == 1.0 == True would hide differences)."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, repr(value))
