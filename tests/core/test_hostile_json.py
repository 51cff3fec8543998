"""
Readers that cannot crash, JSON side (issue 17), and manners (issue 10): any value, any text, any file.

`validate` and `load` accept anything and report what is wrong; nothing is raised from inside a
dependency, messages are bounded, NaN is refused everywhere, problems come in document order, and
one fault is one problem.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import attrs
import pytest

import sharedoutcomes
from sharedoutcomes import InvalidDocument, dumps, load, validate
from sharedoutcomes.cli import main
from sharedoutcomes.model import EvidenceValue
from sharedoutcomes.problems import Problem, SourceLocation, render_value
from sharedoutcomes.validation import read_json

BOTH_PATHS = pytest.mark.parametrize("fast", [False, True], ids=["reference", "fast"])


def _rules(report: sharedoutcomes.Report) -> list[tuple[str, str]]:
    return [(p.path, p.rule) for p in report.problems]


# -- any value, any text -----------------------------------------------------------------------


@BOTH_PATHS
@pytest.mark.parametrize(("value", "what"), [
    ([], "an array"), ([{"id": "p"}], "an array"), (1, "a number"), (2.5, "a number"), ("x", "a string"),
    (None, "null"), (True, "a boolean (true or false)"),
])
def test_any_parsed_value_that_is_not_an_object_is_one_located_problem(value: Any, what: str, fast: bool) -> None:
    for source in ((json.dumps(value),) if isinstance(value, str) else (value, json.dumps(value))):
        report = validate(source, fast=fast)  # (a str is a path, or JSON text: '"x"')

        assert [str(p) for p in report.problems] == [f"$: the package must be a JSON object, not {what} [schema.type]"]
    with pytest.raises(InvalidDocument, match="must be a JSON object"):
        load(json.dumps(value), fast=fast)


@BOTH_PATHS
@pytest.mark.parametrize("text", ["\x00ÿ", "\x00", "a\nb", "ÿ" * 5000, "", "   "])
def test_any_text_is_read_or_reported_never_raised(text: str, fast: bool) -> None:
    report = validate(text, fast=fast)

    assert not report.ok
    assert report.problems[0].rule in {"json-syntax", "file-unreadable"}


@BOTH_PATHS
def test_an_integer_of_5000_digits_is_refused_with_its_own_rule(fast: bool, example_data: dict[str, Any]) -> None:
    text = '{"a": ' + "9" * 5000 + "}"
    assert _rules(validate(text, fast=fast)) == [("$", "json-number-too-large")]

    example_data["evidence"][0]["values"][0]["value"] = 10 ** 5000  # built in Python, not parsed
    report = validate(example_data, fast=fast)
    assert _rules(report) == [("$.evidence[0].values[0].value", "json-number-too-large")]
    assert len(report.to_text()) < 1000


@BOTH_PATHS
@pytest.mark.parametrize("depth", [257, 1000, 5000, 100_000])
def test_deep_nesting_is_refused_with_its_own_rule_not_a_recursion_error(depth: int, fast: bool) -> None:
    arrays = "[" * depth + "]" * depth
    objects = '{"a":' * depth + "1" + "}" * depth
    extension = '{"extension_data": {"x": ' + arrays + "}}"

    for text in (arrays, objects, extension):
        problems = validate(text, fast=fast).problems
        assert [p.rule for p in problems] == ["json-too-deep"]


@BOTH_PATHS
def test_python_data_nested_too_deep_or_cyclic_is_refused(fast: bool, example_data: dict[str, Any]) -> None:
    deep: list[Any] = []
    node = deep
    for _ in range(300):
        node.append([])
        node = node[0]
    example_data["extension_data"] = {"local": deep}
    assert _rules(validate(example_data, fast=fast)) == [("$", "json-too-deep")]

    cyclic: dict[str, Any] = {"a": 1}
    cyclic["self"] = cyclic
    example_data["extension_data"] = {"local": cyclic}
    assert _rules(validate(example_data, fast=fast)) == [("$", "json-too-deep")]


def test_nesting_up_to_the_limit_is_fine(example_data: dict[str, Any]) -> None:
    nested: Any = 1
    for _ in range(250):
        nested = [nested]
    example_data["extensions"].append({"name": "local", "version": "1"})
    example_data["extension_data"] = {"local": nested}

    assert validate(json.dumps(example_data)).ok
    assert load(json.dumps(example_data)).extension_data["local"] == nested


@BOTH_PATHS
@pytest.mark.parametrize(("literal", "name"), [("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"),
                                               ("1e400", "Infinity")])
def test_nan_and_infinity_are_refused_at_their_path_even_inside_a_scale(literal: str, name: str, fast: bool) -> None:
    text = json.dumps(sharedoutcomes.dump(sharedoutcomes.example_package()))
    data = json.loads(text)
    scaled = next((i, j) for i, e in enumerate(data["evidence"]) for j, v in enumerate(e.get("values", ()))
                  if "scale_max" in v)
    data["evidence"][scaled[0]]["values"][scaled[1]]["value"] = "@@"
    text = json.dumps(data).replace('"@@"', literal)

    report = validate(text, fast=fast)

    path = f"$.evidence[{scaled[0]}].values[{scaled[1]}].value"
    assert [str(p).split(" (")[0] for p in report.problems] == [
        f"{path}: {name} is not a number JSON can hold; write a number, or leave the value out [number-not-finite]"]


def test_dumps_never_writes_nan() -> None:
    package = sharedoutcomes.example_package()
    first = attrs.evolve(package.evidence[0], values=(EvidenceValue(code="score", value=math.nan),))
    broken = attrs.evolve(package, evidence=(first, *package.evidence[1:]))

    with pytest.raises(InvalidDocument) as raised:
        dumps(broken)

    assert [(p.path, p.rule) for p in raised.value.problems] == [("$.evidence[0].values[0].value", "number-not-finite")]
    assert "NaN" not in dumps(package)


@BOTH_PATHS
def test_a_provenance_file_that_is_not_text_does_not_break_the_report(fast: bool, example_data: dict[str, Any]) -> None:
    example_data["evidence"][0]["provenance"]["file"] = [1, 2]
    example_data["evidence"][0]["provenance"]["row"] = "seven"

    report = validate(example_data, fast=fast)

    assert {p.rule for p in report.problems} == {"schema.type"}
    assert "[1, 2] is not of type 'string'" in report.to_text()
    with pytest.raises(InvalidDocument) as raised:
        load(example_data, fast=fast)
    assert "schema.type" in str(raised.value)


def test_a_location_built_from_odd_values_still_prints() -> None:
    odd = SourceLocation(file=["a"], sheet=10 ** 5000, row="x", column={"c": 1}, question="q" * 1000)  # type: ignore[arg-type]

    text = str(odd)

    assert "integer of 5001 digits" in text
    assert len(text) < 600


# -- bounded, safe messages ---------------------------------------------------------------------


def test_a_huge_value_is_shown_bounded_in_the_message(example_data: dict[str, Any]) -> None:
    example_data["title"] = ["x" * 1000] * 10_000

    problem = validate(example_data).problems[0]

    assert problem.rule == "schema.type"
    assert len(problem.message) < 400
    assert problem.message.endswith("is not of type 'string'")


@pytest.mark.parametrize("value", [10 ** 10_000, "é" * 10_000, [[[[[[[[[[[[]]]]]]]]]]]] * 50, {"k" * 500: None},
                                   float("nan"), object()],
                         ids=["long-int", "long-text", "nested", "long-key", "nan", "object"])
def test_render_value_is_bounded_for_anything(value: Any) -> None:
    assert len(render_value(value)) <= 80


# -- manners -----------------------------------------------------------------------------------


def _docx(path: Path) -> Path:
    main(["template", "north-ayrshire", "--format", "docx", "-o", str(path)], out=io.StringIO())
    return path


def test_a_word_document_is_named_as_such_with_the_command_to_use(tmp_path: Path) -> None:
    report = validate(_docx(tmp_path / "garnock-shed.docx"))

    assert [str(p) for p in report.problems] == [
        f"{tmp_path / 'garnock-shed.docx'}: the file looks like a Word document (DOCX), not a package in JSON: "
        f"convert it first, with 'sharedoutcomes convert {tmp_path / 'garnock-shed.docx'} --from FORMAT -o "
        "garnock-shed.json' ('sharedoutcomes formats' lists the formats that read .docx files) [file-not-json]"]


@pytest.mark.parametrize(("content", "kind"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "an old-style Office file (.doc or .xls)"),
    (b"Client ID,Star,Date,Money,Home\nP-7F3A9C,Home Star,01/04/2024,5,6\n", "a CSV (comma- or tab-separated) file"),
    (b"PK\x03\x04 not really a zip", "a zip archive"),
])
def test_other_kinds_of_file_are_named(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "return.bin"
    path.write_bytes(content)

    (problem,) = validate(path).problems

    assert problem.rule == "file-not-json"
    assert f"looks like {kind}, not a package in JSON" in problem.message


def test_an_xlsx_workbook_is_named_by_its_members(tmp_path: Path) -> None:
    path = tmp_path / "returns.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")

    assert "an Excel workbook (XLSX)" in validate(path).problems[0].message


def test_json_with_a_mistake_is_still_a_json_syntax_problem(tmp_path: Path) -> None:
    path = tmp_path / "return.json"
    path.write_text('{"id": "p1", "title": "Return",}', encoding="utf-8")

    (problem,) = validate(path).problems

    assert str(problem) == (f"{path}, row 1, column 32: not valid JSON: Expecting property name enclosed in double "
                            "quotes at line 1, column 32 [json-syntax]")


def test_a_problem_about_a_file_has_no_dollar_noise() -> None:
    located = Problem(rule="star.no-readings", severity="error", path="$", message="no readings",
                      source=SourceLocation(file="star.csv"))
    inside = Problem(rule="r", severity="error", path="$.title", message="m", source=SourceLocation(file="a.json"))

    assert str(located) == "star.csv: no readings [star.no-readings]"
    assert str(inside) == "$.title: m [r] (a.json)"
    assert str(Problem(rule="r", severity="error", path="$", message="m")) == "$: m [r]"


@BOTH_PATHS
def test_problems_come_in_document_order_indexes_as_numbers(fast: bool, example_data: dict[str, Any]) -> None:
    for index in (10, 2, 1):
        example_data["evidence"][index]["kind"] = "anecdote"
    example_data["title"] = ""

    paths = [p.path for p in validate(json.dumps(example_data), fast=fast).problems]

    assert paths == ["$.title", "$.evidence[1].kind", "$.evidence[2].kind", "$.evidence[10].kind"]


@BOTH_PATHS
@pytest.mark.parametrize("date", ["31/03/2025", "2025-3-31", "March 2025"])
def test_a_bad_date_is_one_problem(date: str, fast: bool, example_data: dict[str, Any]) -> None:
    example_data["evidence"][0]["date"] = date

    assert _rules(validate(example_data, fast=fast)) == [("$.evidence[0].date", "schema.format")]


# -- values that say what they are ---------------------------------------------------------------


@BOTH_PATHS
@pytest.mark.parametrize(("value", "unit", "expected"), [
    ("46 men", "people", "'46 men' is not a number, but its unit is 'people'; write the number alone (46) and the "
                         "words about it in the evidence's summary"),
    ("3600 (as of Jan 2019)", "£", "'3600 (as of Jan 2019)' is not a number, but its unit is '£'; write the number "
                                   "alone (3600) and the words about it in the evidence's summary"),
    ("1,250", "sessions", "'1,250' is not a number, but its unit is 'sessions'; write the number alone (1250)"),
    (True, "%", "True is not a number, but its unit is '%'"),
])
def test_text_with_a_numeric_unit_is_one_located_problem(value: Any, unit: str, expected: str, fast: bool,
                                                         example_data: dict[str, Any]) -> None:
    target = example_data["evidence"][0]["values"][0]
    target.update(value=value, unit=unit)

    report = validate(example_data, fast=fast)

    (problem,) = report.problems
    assert (problem.path, problem.rule, problem.message) == ("$.evidence[0].values[0].value", "value-not-a-number",
                                                             expected)
    assert problem.source is not None  # located through the evidence's provenance
    assert problem.value == value  # the original text is kept


def test_an_indicators_actual_and_a_count_need_numbers_but_a_kind_of_answer_may_be_text(
        example_data: dict[str, Any]) -> None:
    value = example_data["evidence"][0]["values"][0]
    del value["unit"]
    value["value"] = "about forty"
    assert "it is an actual of the indicator" in validate(example_data).problems[0].message

    del value["indicator_id"]
    example_data["evidence"][0]["kind"] = "count"
    assert "the evidence is a count" in validate(example_data).problems[0].message

    example_data["evidence"][0]["kind"] = "survey"
    value["unit"] = "category"
    assert validate(example_data).ok


def test_read_json_passes_any_parsed_value_through() -> None:
    assert read_json([1, 2]) == ([1, 2], None)
    assert read_json(None) == (None, None)
