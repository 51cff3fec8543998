"""Validation behaviour users rely on beyond the conformance corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import sharedoutcomes
from sharedoutcomes import ValidationProfile
from sharedoutcomes.exceptions import ConversionError, SourceLocation


def test_validate_never_raises_on_bad_data(tmp_path: Path) -> None:
    for source in ({"not": "a package"}, "[1, 2]", b"{}", {"schema_version": None}):
        report = sharedoutcomes.validate(source)
        assert not report.ok


def test_unreadable_input_is_one_located_problem(tmp_path: Path) -> None:
    broken = tmp_path / "return.json"
    broken.write_text('{"schema_version": "0.2",\n  "id": }', encoding="utf-8")

    report = sharedoutcomes.validate(broken)

    (problem,) = report.problems
    assert problem.rule == "json-syntax"
    assert problem.source == SourceLocation(file=str(broken), row=2, column="9")
    assert sharedoutcomes.validate(tmp_path / "missing.json").problems[0].rule == "file-unreadable"


def test_load_raises_an_error_that_is_a_value_error_and_carries_the_report(example_data: dict[str, Any]) -> None:
    example_data["links"][0]["target_id"] = "nowhere"

    with pytest.raises(ValueError, match="link-target-unresolved") as caught:
        sharedoutcomes.load(example_data)

    error = caught.value
    assert isinstance(error, sharedoutcomes.InvalidDocument)
    assert isinstance(error, sharedoutcomes.SharedOutcomesError)
    assert [p.path for p in error.report.errors] == ["$.links[0].target_id"]


def test_load_accepts_a_path_json_text_bytes_and_a_dict(example_data: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(example_data), encoding="utf-8")
    text = json.dumps(example_data)

    loaded = {sharedoutcomes.load(s) for s in (path, str(path), text, text.encode(), example_data)}

    assert len(loaded) == 1


def test_warnings_do_not_make_a_package_invalid(example_data: dict[str, Any]) -> None:
    example_data["evidence"][0]["date"] = "2026-01-01"

    report = sharedoutcomes.validate(example_data)

    assert report.ok
    assert [p.rule for p in report.warnings] == ["evidence-after-produced"]
    assert sharedoutcomes.load(example_data).evidence[0].date.year == 2026


def test_problems_of_converted_evidence_point_at_the_original_file(example_data: dict[str, Any]) -> None:
    example_data["evidence"][5]["values"][0]["value"] = 12  # the Carers Star reading from row 2 of the export

    (problem,) = sharedoutcomes.validate(example_data).problems

    assert problem.path == "$.evidence[5].values[0].value"
    assert problem.rule == "value-out-of-scale"
    assert problem.source == SourceLocation(file="ttcc-star-export.csv", row=2)
    assert "ttcc-star-export.csv, row 2" in str(problem)


def test_a_source_map_locates_problems_by_the_nearest_mapped_path(example_data: dict[str, Any]) -> None:
    example_data["contributions"][0]["outcome_id"] = "out-missing"
    where = SourceLocation(file="return.docx", section="F", question="Outcome 1", table=6, row=3)

    report = sharedoutcomes.validation.validate_data(example_data, source_map={"$.contributions[0]": where})

    assert report.problems[0].source == where


def test_errors_come_before_warnings_and_to_dict_is_json_ready(example_data: dict[str, Any]) -> None:
    example_data["evidence"][0]["date"] = "2026-01-01"
    example_data["outcomes"][0]["title"] = ""

    report = sharedoutcomes.validate(example_data)
    data = json.loads(json.dumps(report.to_dict()))

    assert data["ok"] is False
    assert [p["severity"] for p in data["problems"]] == ["error"]  # semantic warnings wait for a clean shape
    assert data["problems"][0] == {"rule": "schema.minLength", "severity": "error", "path": "$.outcomes[0].title",
                                   "message": "must not be empty (leave the property out instead)"}


def test_unknown_properties_and_codes_get_did_you_mean_hints(example_data: dict[str, Any]) -> None:
    example_data["evidence"][0]["sumary"] = "typo"
    example_data["evidence"][1]["kind"] = "surveys"

    messages = {p.path: p.message for p in sharedoutcomes.validate(example_data).problems}

    assert "did you mean 'summary'?" in messages["$.evidence[0].sumary"]
    assert "did you mean 'survey'?" in messages["$.evidence[1].kind"]


def test_a_profile_changes_severities_without_touching_the_standard(example_data: dict[str, Any]) -> None:
    example_data["evidence"][0]["date"] = "2026-01-01"
    strict = ValidationProfile(name="strict", severities={"evidence-after-produced": "error"})
    quiet = ValidationProfile(severities={"evidence-after-produced": "off"})

    assert not sharedoutcomes.validate(example_data, profile=strict).ok
    assert sharedoutcomes.validate(example_data, profile=quiet).problems == ()
    assert sharedoutcomes.validate(example_data, profile=strict).to_dict()["profile"] == "strict"


def test_a_profile_cannot_name_unknown_or_schema_rules() -> None:
    with pytest.raises(sharedoutcomes.UnknownRule, match="Did you mean 'period-order'"):
        ValidationProfile(severities={"period-ordr": "warning"})
    with pytest.raises(LookupError):
        ValidationProfile(severities={"schema.required": "warning"})
    with pytest.raises(ValueError, match="must be 'error', 'warning' or 'off'"):
        ValidationProfile(severities={"period-order": "fatal"})  # type: ignore[dict-item]


def test_profiles_load_from_toml_and_json(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text('{"severities": {"org-id-prefix": "error"}}', encoding="utf-8")
    (tmp_path / "bad.toml").write_text("severities = [", encoding="utf-8")

    assert ValidationProfile.from_file(tmp_path / "p.json").severity_of("org-id-prefix") == "error"
    with pytest.raises(ConversionError, match="cannot read the validation profile"):
        ValidationProfile.from_file(tmp_path / "bad.toml")


def test_extension_data_is_kept_and_written_back_unchanged(example_data: dict[str, Any]) -> None:
    odd = {"nested": [[1, None], {"": []}], "flag": False, "n": 1.5}
    example_data["evidence"][0]["extension_data"] = {"nacvs": odd}

    package = sharedoutcomes.load(example_data)

    assert sharedoutcomes.dump(package)["evidence"][0]["extension_data"] == {"nacvs": odd}


def test_the_example_package_round_trips_byte_for_byte() -> None:
    path = sharedoutcomes.example_package_path()

    assert sharedoutcomes.dump(sharedoutcomes.load(path)) == json.loads(path.read_text(encoding="utf-8"))


def test_report_reprs_are_short() -> None:
    report = sharedoutcomes.validate({"schema_version": "0.2"})

    assert repr(report).startswith("<Report invalid: 5 errors, 0 warnings")
    assert "<table" in report._repr_html_()


def test_dumped_data_shares_nothing_with_the_frozen_model(example_data: dict[str, Any]) -> None:
    package = sharedoutcomes.load(example_data)
    example_data["organisations"][1]["extension_data"]["nacvs"]["volunteers"] = 0  # the caller's input
    dumped = sharedoutcomes.dump(package)
    dumped["organisations"][1]["extension_data"]["nacvs"]["volunteers"] = 999  # the caller's output

    assert package.organisations[1].extension_data == {"nacvs": {"volunteer_hours": 1260, "volunteers": 14}}
