"""INDIGO data out: project JSON that validates against INDIGO's own schema, and round trips."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import jsonschema
import pytest

import sharedoutcomes
from sharedoutcomes._devtools import indigo_docs
from sharedoutcomes.cli import main
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.indigo import SCHEMA_PATH, IndigoFormat, sample_path, schema_errors, to_indigo

FLAT = Path(__file__).parent / "data" / "flat"
PUBLISHER = "GB-EDU-133808"
REALDATA = Path("/work/shared/realdata/indigo/indigo-project-schema.json")


def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_the_vendored_schema_is_indigos_and_its_licence_note_is_beside_it() -> None:
    jsonschema.Draft7Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert (SCHEMA_PATH.parent / "LICENSE.md").exists()
    if REALDATA.exists():  # the copy the standard's repository publishes, where this machine has it
        assert SCHEMA_PATH.read_bytes() == REALDATA.read_bytes()


def test_a_converted_projects_export_validates_against_indigos_schema() -> None:
    package = sharedoutcomes.convert(FLAT, format="indigo", publisher=PUBLISHER).package

    projects = to_indigo(package)

    assert [p["project"]["id"] for p in projects] == [a.id for a in package.activities]
    for project in projects:
        assert list(_validator().iter_errors(project["project"]["data"])) == []


def test_a_package_that_never_was_indigo_exports_its_outcomes_indicators_and_results() -> None:
    package = sharedoutcomes.example_package()

    projects = to_indigo(package)

    metrics = [m for p in projects for m in p["project"]["data"].get("outcome_metrics", [])]
    results = [r for p in projects for r in p["project"]["data"].get("results", [])]
    assert len(metrics) == len(package.indicators)
    counted = [e for e in package.evidence if any(v.indicator_id for v in e.values)]
    assert len(results) == len(counted)
    actuals = sorted(float(v.value) for e in counted for v in e.values if v.indicator_id
                     and isinstance(v.value, int | float))
    assert sorted(float(r["outcomes_achieved"]["value"]) for r in results if "outcomes_achieved" in r) == actuals
    assert all(schema_errors(p["project"]["data"]) == [] for p in projects)


def test_the_round_trip_keeps_what_indigo_can_hold(tmp_path: Path) -> None:
    first = sharedoutcomes.convert(FLAT, format="indigo", publisher=PUBLISHER)
    target = tmp_path / "projects.json"
    sharedoutcomes.write(first.package, target, format="indigo")

    again = sharedoutcomes.convert(target, format="indigo", publisher=PUBLISHER,
                                   organisations=FLAT / "organisations.csv")

    before, after = first.package, again.package
    assert [a.id for a in after.activities] == [a.id for a in before.activities]
    assert [a.title for a in after.activities] == [a.title for a in before.activities]
    assert [(i.id, i.title, i.description, i.unit, i.targets) for i in after.indicators] == \
        [(i.id, i.title, i.description, i.unit, i.targets) for i in before.indicators]
    assert [(e.id, e.values, e.period, e.narrative, e.summary) for e in after.evidence] == \
        [(e.id, e.values, e.period, e.narrative, e.summary) for e in before.evidence]
    assert [(link.evidence_id, link.target_id, link.strength) for link in after.links] == \
        [(link.evidence_id, link.target_id, link.strength) for link in before.links]
    assert again.coverage is not None
    assert again.coverage.not_read == {"organisations": 1}  # the contact name in the organisations table


def test_a_package_without_activities_cannot_be_written(tmp_path: Path) -> None:
    package = IndigoFormat().read(sample_path(), publisher=PUBLISHER).package

    with pytest.raises(ConversionError, match="no activity"):
        IndigoFormat().write(attrs.evolve(package, activities=()), tmp_path / "x.json")


def test_the_how_to_mapping_table_is_generated_from_the_code() -> None:
    assert indigo_docs.render() in indigo_docs.PAGE.read_text(encoding="utf-8"), \
        "run: python -m sharedoutcomes._devtools.indigo_docs"


def test_the_command_line_converts_the_tables_folder_and_writes_indigo(tmp_path: Path) -> None:
    package = tmp_path / "package.json"
    projects = tmp_path / "projects.json"

    assert main(["convert", str(FLAT), "--from", "indigo", "-o", str(package), "--option", "publisher=GB-EDU-133808"]) == 0
    assert main(["convert", str(package), "--from", "package", "--to", "indigo", "-o", str(projects)]) == 0
    written = json.loads(projects.read_text(encoding="utf-8"))
    assert [p["project"]["id"] for p in written] == ["INDIGO-POJ-0001", "INDIGO-POJ-0120", "INDIGO-POJ-0200",
                                                     "INDIGO-POJ-0228"]
