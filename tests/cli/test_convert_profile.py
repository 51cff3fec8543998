"""A validation profile re-grades a converter's own problems, in Python and on the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import sharedoutcomes
from sharedoutcomes.cli import main

# A return typed as people type them (the forms tests' own wording): a question the
# profile does not have, words for a number, a target with its unit.
RETURN = {
    "answers": {"Organisation name": "Irvine Community Arts", "Charity no": "SC038123",
                "Project name": "Connect and Create", "Period from": "1 April 2024", "Period to": "30/06/2024",
                "Favourite biscuit": "Tunnock's teacake", "Volunteers": "five"},
    "tables": {"Outcomes": [{"Outcome no.": "1", "Outcome": "People feel less isolated", "NHWO": "4"}],
               "Indicators": [{"Outcome no.": "1", "Indicator": "People reporting less isolation",
                               "Target": "20 people", "Actual": "12"}]},
}


@pytest.fixture
def form(tmp_path: Path) -> Path:
    path = tmp_path / "irvine-arts.json"
    path.write_text(json.dumps(RETURN), encoding="utf-8")
    return path


@pytest.fixture
def strict(tmp_path: Path) -> Path:
    path = tmp_path / "strict.toml"
    path.write_text('name = "strict"\n[severities]\n"form.unmapped-answer" = "error"\n"form.not-a-number" = "off"\n',
                    encoding="utf-8")
    return path


def test_convert_regrades_the_forms_own_problems(form: Path, strict: Path) -> None:
    profile = sharedoutcomes.ValidationProfile.from_file(strict)

    plain = sharedoutcomes.convert(form, format="north-ayrshire")
    graded = sharedoutcomes.convert(form, format="north-ayrshire", validation_profile=profile)

    unmapped = [p for p in plain.problems if p.rule == "form.unmapped-answer"]
    assert unmapped
    assert {p.severity for p in unmapped} == {"warning"}
    assert any(p.rule == "form.not-a-number" for p in plain.problems)
    assert [p.severity for p in graded.problems if p.rule == "form.unmapped-answer"] == ["error"] * len(unmapped)
    assert not any(p.rule == "form.not-a-number" for p in graded.problems)
    assert graded.package == plain.package


def test_the_convert_command_takes_a_profile(form: Path, strict: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()

    code = main(["convert", str(form), "--from", "north-ayrshire", "--profile", str(strict),
                 "-o", str(tmp_path / "return.json"), "--format", "json"], out=out)

    printed = json.loads(capsys.readouterr().err)
    reported = printed["problems"]
    assert code == 1
    assert {p["severity"] for p in reported if p["rule"] == "form.unmapped-answer"} == {"error"}
    assert not any(p["rule"] == "form.not-a-number" for p in reported)
    # A conversion with errors writes nothing unless asked (issue 10); it used to write the package anyway.
    assert printed["written"] == "no"
    assert not (tmp_path / "return.json").exists()

    main(["convert", str(form), "--from", "north-ayrshire", "--profile", str(strict),
          "-o", str(tmp_path / "return.json"), "--format", "json", "--write-partial"], out=out)
    assert json.loads(capsys.readouterr().err)["written"] == "partial"
    assert (tmp_path / "return.json").is_file()


def test_a_profile_naming_an_unknown_problem_is_a_usage_error(form: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "typo.toml"
    profile.write_text('[severities]\n"form.unmaped-answer" = "off"\n', encoding="utf-8")

    code = main(["convert", str(form), "--from", "north-ayrshire", "--profile", str(profile)], out=io.StringIO())

    assert code == 2
    assert "Did you mean 'form.unmapped-answer'?" in capsys.readouterr().err
