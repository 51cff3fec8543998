"""Standard 0.1 → 0.2 and back: lossless, every change located, the frozen 0.1 schemas, load and the command."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import sharedoutcomes
from sharedoutcomes import schema
from sharedoutcomes.cli import main
from sharedoutcomes.exceptions import SharedOutcomesWarning, UnknownName
from sharedoutcomes.migration import PARTIAL_DECLARATION, MigrationError, migrate
from sharedoutcomes.testing import packages
from sharedoutcomes.validation import ValidationProfile

ROOT = Path(__file__).parents[2]

# The 0.1 files as released (bb8da1c): a frozen version never changes.
FROZEN_0_1 = {
    "activity.schema.json": "876ba02c11cdf977",
    "package.schema.json": "b0de5e5d57f0af1f",
    "common.schema.json": "b7c1f2abd06c19e5",
    "evidence.schema.json": "6b540f071a554467",
}


FROZEN_0_1_ALL = ("264d7e6ed92b1c97b2d3646dcedbb36e", 32)
"""A digest of every file of the frozen copy (names and bytes): nothing added, removed or changed."""


def _digest_all(folder: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    files = sorted(folder.rglob("*.json"))
    for p in files:
        digest.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()[:32], len(files)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _base(version: str = "0.1") -> dict[str, Any]:
    return {"schema_version": version, "id": "pkg-1", "title": "Q4 return", "publisher": "GB-SC-SC012345",
            "produced": "2025-04-20T09:30:00Z", "sharing_level": "partners",
            "organisations": [{"id": "GB-SC-SC012345", "name": "Garnock Valley Men's Shed", "sector": "third"}]}


def _partial_0_1() -> dict[str, Any]:
    data = _base()
    data["extensions"] = [{"name": "nacvs", "version": "1.0"}, dict(PARTIAL_DECLARATION)]
    data["extension_data"] = {"nacvs": {"hours": 7}, "partial": {
        "format": "north-ayrshire", "errors": 1, "warnings": 0,
        "problems": [{"rule": "form.not-a-number", "severity": "error", "path": "$.indicators[0].targets[0].value",
                      "message": "Section F: target '20 people' is not a number",
                      "source": {"file": "garnock-shed.docx", "section": "F", "table": 6, "row": 2}}]}}
    return data


# -- the frozen copy -----------------------------------------------------------------------------------------


def test_the_frozen_0_1_schemas_never_change() -> None:
    for copy_ in (ROOT / "schemas" / "0.1", ROOT / "src" / "sharedoutcomes" / "schemas" / "0.1"):
        assert {name: _digest(copy_ / name) for name in FROZEN_0_1} == FROZEN_0_1
        assert _digest_all(copy_) == FROZEN_0_1_ALL
        assert schema.get_schema("package", version="0.1")["properties"]["schema_version"]["const"] == "0.1"
    assert _tree(ROOT / "schemas" / "0.1") == _tree(ROOT / "src" / "sharedoutcomes" / "schemas" / "0.1")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.json"))}


def test_the_registry_resolves_both_versions_offline() -> None:
    registry = schema.registry()
    for version in ("0.1", "0.2"):
        base = schema.base_uri(version)
        assert registry[base + "package.schema.json"].contents["properties"]["schema_version"]["const"] == version
        assert registry[base + "common.schema.json"].contents["$id"] == base + "common.schema.json"
    assert "Conversion" in registry[schema.base_uri("0.2") + "common.schema.json"].contents["$defs"]
    assert "Conversion" not in registry[schema.base_uri("0.1") + "common.schema.json"].contents["$defs"]
    with pytest.raises(UnknownName, match=r"0\.3"):
        schema.base_uri("0.3")


# -- upgrade and downgrade -----------------------------------------------------------------------------------


def test_the_partial_extension_becomes_the_conversion_block_and_comes_back() -> None:
    old = _partial_0_1()
    up = migrate(old)

    assert up.lossless
    assert up.document["conversion"] == {"format": "north-ayrshire", "partial": True,
                                         **{k: v for k, v in old["extension_data"]["partial"].items() if k != "format"}}
    assert up.document["extensions"] == [{"name": "nacvs", "version": "1.0"}]
    assert up.document["extension_data"] == {"nacvs": {"hours": 7}}
    assert [(c.path, c.action, c.new_path) for c in up.changes] == [
        ("$.schema_version", "changed", None), ("$.extension_data.partial", "moved", "$.conversion")]
    assert sharedoutcomes.validate(up.document).ok
    assert old == _partial_0_1(), "the input is never changed"
    assert migrate(up.document, to="0.1").document == old


def test_a_record_the_block_cannot_hold_exactly_stays_an_extension() -> None:
    old = _partial_0_1()
    old["extension_data"]["partial"]["converted_on"] = "2025-04-20"
    up = migrate(old)

    assert up.lossless
    assert "conversion" not in up.document
    assert up.document["extension_data"]["partial"] == old["extension_data"]["partial"]
    kept = [c for c in up.changes if c.action == "kept"]
    assert len(kept) == 1
    assert kept[0].path == "$.extension_data.partial"
    assert "'converted_on'" in kept[0].message
    assert sharedoutcomes.validate(up.document).ok


def test_a_downgrade_that_cannot_keep_the_block_says_so() -> None:
    new = _base("0.2")
    new["conversion"] = {"format": "outcomes-star", "partial": True, "errors": 1, "warnings": 0}
    new["extensions"] = [{"name": "partial", "version": "9"}]
    new["extension_data"] = {"partial": {"mine": 1}}
    down = migrate(new, to="0.1")

    assert not down.lossless
    assert [c.path for c in down.lost] == ["$.conversion"]
    assert "'partial'" in down.lost[0].message


def test_migrate_refuses_what_it_cannot_read() -> None:
    with pytest.raises(MigrationError, match=r"\$\.schema_version is '7'"):
        migrate({"schema_version": "7"})
    with pytest.raises(MigrationError, match="a package is a JSON object"):
        migrate([1, 2])  # type: ignore[arg-type]
    with pytest.raises(UnknownName):
        migrate(_base(), to="1.0")


@given(packages(max_size=2, partial=True))
def test_upgrade_then_downgrade_gives_back_every_0_1_document(package: sharedoutcomes.Package) -> None:
    """Every valid 0.1 document (here: a generated 0.2 package taken down to 0.1) upgrades to valid 0.2 and back."""
    current = sharedoutcomes.dump(package)
    down = migrate(current, to="0.1")
    if not down.lossless:  # a package using the extension name the block would need: said, and checked above
        assert [c.path for c in down.lost] == ["$.conversion"]
        return
    old = down.document
    assert sharedoutcomes.validate(old, fast=False).ok, "the downgrade is valid 0.1"
    up = migrate(old, to="0.2")

    assert up.lossless
    assert sharedoutcomes.validate(up.document, fast=False).ok, "the upgrade is valid 0.2"
    assert migrate(up.document, to="0.1").document == old
    assert up.document == current


# -- validate, load, the command -----------------------------------------------------------------------------


def test_validate_checks_a_0_1_package_against_the_0_1_schemas_and_says_how_to_migrate() -> None:
    report = sharedoutcomes.validate(_partial_0_1())
    assert report.ok
    assert [(p.rule, p.path) for p in report.problems] == [
        ("schema-version-old", "$.schema_version"), ("conversion.partial", "$.extension_data.partial")]
    assert "sharedoutcomes migrate FILE" in report.problems[0].message

    with_block = _partial_0_1()
    with_block["conversion"] = {"format": "x", "partial": False, "errors": 0, "warnings": 0}
    assert [p.rule for p in sharedoutcomes.validate(with_block).errors] == ["schema.additionalProperties"]


def test_load_upgrades_a_0_1_package_with_a_warning_unless_a_profile_refuses_it() -> None:
    with pytest.warns(SharedOutcomesWarning, match=r"follows standard 0\.1.*sharedoutcomes migrate"):
        package = sharedoutcomes.load(_partial_0_1())
    assert package.schema_version == "0.2"
    assert package.conversion is not None
    assert package.conversion.problems[0].source is not None
    assert package.conversion.problems[0].source.table == 6
    assert package == sharedoutcomes.load(migrate(_partial_0_1()).document, fast=False)

    strict = ValidationProfile(name="current-only", severities={"schema-version-old": "error"})
    with pytest.raises(sharedoutcomes.InvalidDocument, match="schema-version-old"):
        sharedoutcomes.load(_partial_0_1(), profile=strict)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sharedoutcomes.load(migrate(_partial_0_1()).document)  # a current package: no warning


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_the_migrate_command_writes_the_upgrade_and_lists_the_changes(tmp_path: Path) -> None:
    source, target = tmp_path / "old.json", tmp_path / "new.json"
    source.write_text(json.dumps(_partial_0_1()), encoding="utf-8")

    code, out = _run("migrate", str(source), "-o", str(target))

    assert code == 0
    assert "0.1 → 0.2: 2 changes" in out
    assert "moved: $.extension_data.partial: the 'partial' extension becomes the conversion block" in out
    assert json.loads(target.read_text(encoding="utf-8")) == migrate(_partial_0_1()).document
    assert json.loads(source.read_text(encoding="utf-8")) == _partial_0_1()

    code, out = _run("migrate", str(target), "--to", "0.1", "--format", "json")
    assert code == 0
    assert json.loads(out)["changes"][1]["new_path"] == "$.extension_data.partial"


def test_the_migrate_command_refuses_an_invalid_package_and_a_lossy_downgrade(tmp_path: Path,
                                                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**_base(), "sharing_level": "secret"}), encoding="utf-8")
    assert _run("migrate", str(bad))[0] == 1
    assert "nothing migrated" in capsys.readouterr().err

    new = copy.deepcopy(_base("0.2"))
    new["conversion"] = {"format": "outcomes-star", "partial": True, "errors": 1, "warnings": 0}
    new["extensions"] = [{"name": "partial", "version": "9"}]
    new["extension_data"] = {"partial": {"mine": 1}}
    lossy, target = tmp_path / "lossy.json", tmp_path / "out.json"
    lossy.write_text(json.dumps(new), encoding="utf-8")
    assert _run("migrate", str(lossy), "--to", "0.1", "-o", str(target))[0] == 1
    assert not target.exists()
    assert "nothing written" in capsys.readouterr().err

    assert _run("migrate", str(tmp_path / "missing.json"))[0] == 2


def test_only_one_record_becomes_the_block_and_the_other_is_reported_kept() -> None:
    old = _partial_0_1()
    old["extensions"].insert(0, {"name": "conversion", "version": "0.2"})
    old["extension_data"]["conversion"] = {"format": "survey", "errors": 0, "warnings": 0}
    up = migrate(old)

    assert up.document["conversion"]["format"] == "north-ayrshire"
    assert up.document["extension_data"]["conversion"] == old["extension_data"]["conversion"]
    kept = [c for c in up.changes if c.action == "kept"]
    assert [c.path for c in kept] == ["$.extension_data.conversion"]
    assert "already has a conversion block" in kept[0].message
    assert migrate(up.document, to="0.1").document == old
