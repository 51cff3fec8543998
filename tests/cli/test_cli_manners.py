"""The command line: exit codes 0/1/2, "did you mean", examples in every --help, never a traceback."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sharedoutcomes
from sharedoutcomes.cli import build_parser, main

HAND_MADE = Path(__file__).parents[1] / "tables" / "data" / "hand-made"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sharedoutcomes", *args], capture_output=True, text=True,
                          check=False, timeout=60)


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, __import__("argparse")._SubParsersAction))
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_with_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])

    assert exited.value.code == 0
    assert "example" in capsys.readouterr().out


def test_a_mistyped_command_suggests_the_closest_and_exits_2() -> None:
    run = _run("valdate", "returns.json")

    assert run.returncode == 2
    assert "Did you mean 'validate'?" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_mistyped_format_suggests_the_closest_and_exits_2(tmp_path: Path) -> None:
    run = _run("convert", str(tmp_path), "--from", "tables-xslx")

    assert run.returncode == 2
    assert "Did you mean 'tables-xlsx'?" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(("args", "code"), [
    (["validate", "no-such-file.json"], 2),
    (["convert", "no-such-file.xlsx", "--from", "tables-xlsx"], 2),
    (["template", "no-such-template"], 2),
])
def test_user_errors_exit_2_without_a_traceback(args: list[str], code: int, capsys: pytest.CaptureFixture[str]
                                               ) -> None:
    assert code == main(args, out=io.StringIO())
    assert "Traceback" not in capsys.readouterr().err


def test_valid_package_exits_0_and_invalid_exits_1(tmp_path: Path, example_data: dict[str, object]) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(example_data), encoding="utf-8")
    example_data["sharing_level"] = "partner"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(example_data), encoding="utf-8")

    assert main(["validate", str(good)], out=io.StringIO()) == 0
    assert main(["validate", str(bad)], out=io.StringIO()) == 1


def test_tables_round_trip_on_the_command_line(tmp_path: Path) -> None:
    sharedoutcomes.write(sharedoutcomes.example_package(), tmp_path / "p.json", format="package")

    assert main(["convert", str(tmp_path / "p.json"), "--from", "package", "--to", "tables-xlsx",
                      "-o", str(tmp_path / "p.xlsx")], out=io.StringIO()) == 0
    assert main(["convert", str(tmp_path / "p.json"), "--from", "package", "--to", "tables-csv",
                      "-o", str(tmp_path / "csv")], out=io.StringIO()) == 0
    assert main(["convert", str(tmp_path / "p.xlsx"), "--from", "tables-xlsx", "-o", str(tmp_path / "x.json")],
                     out=io.StringIO()) == 0
    assert main(["convert", str(tmp_path / "csv"), "--from", "tables-csv", "-o", str(tmp_path / "c.json")],
                     out=io.StringIO()) == 0
    original = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert original == json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert original == json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))


def test_bad_tables_exit_1_and_name_the_cell(tmp_path: Path) -> None:
    shutil.copytree(HAND_MADE, tmp_path / "return")

    run = _run("convert", str(tmp_path / "return"), "--from", "tables-csv")

    assert run.returncode == 1
    assert "evidence.csv, row 4, column B ('Kind')" in run.stderr
    assert "Traceback" not in run.stderr


def test_template_package_writes_a_workbook(tmp_path: Path) -> None:
    out = io.StringIO()

    assert main(["template", "package", "--format", "xlsx", "-o", str(tmp_path / "blank.xlsx")], out=out) == 0
    assert (tmp_path / "blank.xlsx").exists()
    assert main(["template", "package", "--format", "csv", "-o", str(tmp_path / "blank")], out=out) == 0
    assert (tmp_path / "blank" / "evidence.values.csv").exists()


class _ClosedPipe(io.StringIO):
    """Standard output after the reader went away, as when the command is piped into ``head``."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_stops_early_is_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    """`sharedoutcomes rules | head -1`: the pipe closes before the listing ends; that is not an error."""
    code = main(["rules"], out=_ClosedPipe())

    assert code == 0
    assert capsys.readouterr().err == ""
