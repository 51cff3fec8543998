"""The validate command's contract: exit codes 0, 1 and 2, JSON reports, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import sharedoutcomes


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sharedoutcomes", *args], capture_output=True, text=True,
                          input=stdin, check=False)


def test_a_valid_package_exits_0() -> None:
    result = run("validate", str(sharedoutcomes.example_package_path()))

    assert result.returncode == 0, result.stderr
    assert "valid: 0 errors, 0 warnings" in result.stdout


def test_a_package_with_errors_exits_1_and_reports_json(tmp_path: Path, example_data: dict[str, Any]) -> None:
    example_data["links"][3]["evidence_id"] = "ev-gone"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(example_data), encoding="utf-8")

    result = run("validate", str(path), "--format", "json")

    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["problems"][0]["path"] == "$.links[3].evidence_id"
    assert report["problems"][0]["rule"] == "ref-unresolved"


def test_unreadable_input_and_usage_errors_exit_2_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{", encoding="utf-8")
    for args in (["validate", str(tmp_path / "missing.json")], ["validate", str(tmp_path / "x.json")],
                 ["validate"], ["convert", "x.csv", "--from", "outcome-stars"], ["nonsense"]):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr, args


def test_validate_reads_standard_input() -> None:
    text = sharedoutcomes.example_package_path().read_text(encoding="utf-8")

    assert run("validate", "-", stdin=text).returncode == 0


def test_a_profile_on_the_command_line(tmp_path: Path, example_data: dict[str, Any]) -> None:
    example_data["evidence"][0]["date"] = "2026-01-01"
    (tmp_path / "p.json").write_text(json.dumps(example_data), encoding="utf-8")
    (tmp_path / "strict.toml").write_text('[severities]\nevidence-after-produced = "error"\n', encoding="utf-8")

    assert run("validate", str(tmp_path / "p.json")).returncode == 0
    assert run("validate", str(tmp_path / "p.json"), "--profile", str(tmp_path / "strict.toml")).returncode == 1


def test_schema_commands() -> None:
    assert '"$id": "https://schemas.sharedoutcomes.org/0.2/evidence.schema.json"' in run("schema", "show", "evidence").stdout
    missing = run("schema", "show", "evidnce")
    assert missing.returncode == 2
    assert "Did you mean 'evidence'?" in missing.stderr


def test_demo_runs_the_main_job() -> None:
    result = run("demo")

    assert result.returncode == 0
    assert "Garnock Valley Men's Shed → Older men in the Garnock Valley" in result.stdout
