"""
The command line prints no traceback on any input (issue 17), and exits with its documented codes.

Every command that reads a file is run on odd inputs: an empty file, binary bytes, ``[]``, deep
nesting, a 5,000-digit integer, NaN, a directory, a missing file, Latin-1 text, a package whose
provenance file is a list, a Word document and a PDF. Exit codes (see ``sharedoutcomes.cli``):
0 success, 1 the data has errors, 2 a usage error or unreadable input.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import sharedoutcomes
from sharedoutcomes.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from sharedoutcomes.cli._convert import _report_problems
from sharedoutcomes.converters import CoverageCounter

STAR_SAMPLE = Path(sharedoutcomes.__file__).parent / "data" / "star-sample.csv"


def _example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(sharedoutcomes.example_package_path().read_text(encoding="utf-8"))
    return data


def _provenance_list() -> bytes:
    data = _example()
    data["evidence"][0]["provenance"]["file"] = [1, 2]
    return json.dumps(data).encode()


def _nan_value() -> bytes:
    data = _example()
    data["evidence"][1]["values"][0]["value"] = float("nan")
    return json.dumps(data).encode()


ODD: dict[str, bytes | None] = {
    "empty.json": b"",
    "binary.json": bytes(range(256)) * 4,
    "array.json": b"[]",
    "deep.json": b"[" * 5000 + b"]" * 5000,
    "deep-object.json": b'{"a":' * 300 + b"1" + b"}" * 300,
    "huge-int.json": b'{"schema_version": ' + b"9" * 5000 + b"}",
    "nan.json": b'{"schema_version": NaN}',
    "nan-value.json": _nan_value(),
    "latin-1.json": '{"title": "Caf\xe9 connectors"}'.encode("latin-1"),
    "provenance-list.json": _provenance_list(),
    "return.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "a-folder": None,
}
"""Name → content (``None``: a directory)."""

# (argv template, the exit codes it may end with); FILE is the odd input, OUT a path to write to.
COMMANDS: list[tuple[list[str], set[int]]] = [
    (["validate", "FILE"], {EXIT_INVALID, EXIT_USAGE}),
    (["validate", "FILE", "--format", "json"], {EXIT_INVALID, EXIT_USAGE}),
    (["convert", "FILE", "--from", "package", "-o", "OUT"], {EXIT_INVALID, EXIT_USAGE}),
    (["convert", "FILE", "--from", "package", "--to", "tables-xlsx", "-o", "OUT"], {EXIT_INVALID, EXIT_USAGE}),
    (["convert", "FILE", "--from", "outcomes-star", "-o", "OUT"], {EXIT_INVALID, EXIT_USAGE}),
    (["convert", "FILE", "--from", "tables-csv", "-o", "OUT"], {EXIT_INVALID, EXIT_USAGE}),
    (["convert", "FILE", "--from", "tables-xlsx", "-o", "OUT"], {EXIT_INVALID, EXIT_USAGE}),
    (["report", "FILE", "-o", "OUT"], {EXIT_INVALID, EXIT_USAGE}),
    (["merge", "FILE", "FILE", "-o", "OUT"], {EXIT_INVALID, EXIT_USAGE}),
]


@pytest.fixture(scope="module")
def odd_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("odd")
    paths = {}
    for name, content in ODD.items():
        path = folder / name
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content)
        paths[name] = path
    paths["missing.json"] = folder / "missing.json"
    return paths


def _argv(template: list[str], file: Path, out: Path) -> list[str]:
    return [str(file) if part == "FILE" else str(out) if part == "OUT" else part for part in template]


@pytest.mark.parametrize("name", [*ODD, "missing.json"])
@pytest.mark.parametrize(("template", "codes"), COMMANDS, ids=[" ".join(t[:3]) for t, _ in COMMANDS])
def test_no_command_raises_on_odd_input(name: str, template: list[str], codes: set[int], odd_files: dict[str, Path],
                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    try:
        code = main(_argv(template, odd_files[name], tmp_path / "out"), out=out)
    except SystemExit as exited:  # argparse's own usage errors
        code = exited.code  # type: ignore[assignment]

    err = capsys.readouterr().err
    assert "internal error" not in err, err
    assert "Traceback" not in err
    assert code in codes, err
    assert (err + out.getvalue()).strip(), "a failing command says why"


def test_odd_inputs_are_reported_in_words_that_say_what_is_wrong(odd_files: dict[str, Path],
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    expected = {
        "empty.json": "not valid JSON: Expecting value at line 1, column 1 [json-syntax]",
        "binary.json": "the file is not UTF-8 text (byte 128 is not valid UTF-8); save it as UTF-8 [file-unreadable]",
        "array.json": "array.json: the package must be a JSON object, not an array [schema.type]",
        "deep.json": "more than 256 levels deep",
        "huge-int.json": "a number has more than 4,300 digits",
        "nan.json": "$.schema_version: NaN is not a number JSON can hold",
        "nan-value.json": "$.evidence[1].values[0].value: NaN is not a number JSON can hold",
        "latin-1.json": "the file is not UTF-8 text (byte 14 is not valid UTF-8)",
        "provenance-list.json": "$.evidence[0].provenance.file: [1, 2] is not of type 'string' [schema.type]",
        "return.pdf": "looks like a PDF, not a package in JSON; no format reads PDFs",
        "a-folder": "cannot read the file: Is a directory [file-unreadable]",
        "missing.json": "cannot read the file: No such file or directory [file-unreadable]",
    }
    for name, words in expected.items():
        out = io.StringIO()
        main(["validate", str(odd_files[name])], out=out)
        assert words in out.getvalue(), (name, out.getvalue())
    capsys.readouterr()


def test_a_word_document_given_to_validate_is_pointed_at_convert(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "return.docx"
    main(["template", "north-ayrshire", "--format", "docx", "-o", str(path)], out=io.StringIO())
    out = io.StringIO()

    assert main(["validate", str(path)], out=out) == EXIT_USAGE

    assert "looks like a Word document (DOCX)" in out.getvalue()
    assert "formats that read .docx files: form, harmonising-reporting, north-ayrshire" in capsys.readouterr().err


@pytest.mark.parametrize("source_format", ["package", "tables-csv", "tables-xlsx", "outcomes-star"])
def test_an_unknown_option_is_a_clear_error_naming_the_accepted_ones(source_format: str, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    source = {"package": sharedoutcomes.example_package_path(), "outcomes-star": STAR_SAMPLE,
              "tables-xlsx": tmp_path / "returns.xlsx"}.get(source_format, tmp_path)
    if source_format == "tables-xlsx":
        sharedoutcomes.write(sharedoutcomes.example_package(), source, format="tables-xlsx")

    code = main(["convert", str(source), "--from", source_format, "--option", "x=1", "-o", str(tmp_path / "o")])

    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert f"error: the '{source_format}' format does not take 'x'" in err
    assert ("it takes no options" in err) if source_format != "outcomes-star" else ("it takes: column_map" in err)


def test_an_unknown_option_from_python_is_a_library_type_error() -> None:
    with pytest.raises(sharedoutcomes.exceptions.UnknownOption, match="does not take 'sheet'") as raised:
        sharedoutcomes.convert(sharedoutcomes.example_package_path(), format="package", sheet="Returns")

    assert isinstance(raised.value, TypeError)


def test_convert_prints_the_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    counter = CoverageCounter()
    counter.read("Readings", 40)
    counter.not_read("Readings", 2)
    result = attrs.evolve(sharedoutcomes.convert(sharedoutcomes.example_package_path(), format="package"),
                          coverage=counter.coverage())

    _report_problems(result, "text", written="yes")
    assert f"coverage: {result.coverage}" in capsys.readouterr().err
    _report_problems(result, "json", written="yes")
    assert json.loads(capsys.readouterr().err)["coverage"] == {"read": 40, "not_read": 2}
    assert "Coverage" in result._repr_html_()


def test_an_internal_error_is_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("sharedoutcomes.cli._validate.validate", broken)

    assert main(["validate", str(sharedoutcomes.example_package_path())]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "internal error: RecursionError: maximum recursion depth exceeded" in err
    assert "SHAREDOUTCOMES_DEBUG=1" in err

    monkeypatch.setenv("SHAREDOUTCOMES_DEBUG", "1")
    with pytest.raises(RecursionError):
        main(["validate", str(sharedoutcomes.example_package_path())])


def test_in_a_real_process_odd_input_prints_no_traceback(odd_files: dict[str, Path]) -> None:
    for name in ("deep.json", "huge-int.json", "provenance-list.json"):
        run = subprocess.run([sys.executable, "-m", "sharedoutcomes", "validate", str(odd_files[name])],
                             capture_output=True, text=True, check=False, timeout=120)
        assert "Traceback" not in run.stderr + run.stdout
        assert run.returncode in (EXIT_INVALID, EXIT_USAGE)
    ok = subprocess.run([sys.executable, "-m", "sharedoutcomes", "validate", str(sharedoutcomes.example_package_path())],
                        capture_output=True, text=True, check=False, timeout=120)
    assert ok.returncode == EXIT_OK
