"""The framework registry: bundled reference data, user frameworks, title matching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from sharedoutcomes import ConversionError, InvalidDocument, UnknownName
from sharedoutcomes.frameworks import (
    FRAMEWORK_STATUSES,
    Framework,
    FrameworkItem,
    Source,
    default_registry,
    framework_from_data,
    frameworks,
    get_framework,
    load_framework,
    match_title,
)

DATA = Path(__file__).parent / "data"
BUNDLED = Path(__file__).parents[2] / "src" / "sharedoutcomes" / "schemas" / "frameworks"

NHWO_6 = ("People who provide unpaid care are supported to look after their own health and wellbeing, including to "
          "reduce any negative impact of their caring role on their own health and well-being.")
NHWO_2 = ("People, including those with disabilities or long term conditions, or who are frail, are able to live, as "
          "far as reasonably practicable, independently and at home or in a homely setting in their community.")


def test_the_six_frameworks_are_bundled_with_version_source_and_status():
    assert {f.id for f in frameworks()} == {"scot-nhwo", "scot-core-suite", "scot-npf-2018", "scot-npf-2024",
                                            "talking-points", "eng-ascof"}
    for framework in frameworks():
        assert framework.version
        assert framework.source.publication
        assert framework.status in FRAMEWORK_STATUSES


def test_nhwo_has_nine_outcomes_in_their_statutory_wording():
    nhwo = get_framework("scot-nhwo")
    assert nhwo.codes == tuple(str(i) for i in range(1, 10))
    assert nhwo.item("6").title == NHWO_6
    assert nhwo.item("2").title == NHWO_2
    assert nhwo.item("9").title == ("Resources are used effectively and efficiently in the provision of health "
                                    "and social care services.")
    assert all(item.confirmed for item in nhwo.items)


@pytest.mark.parametrize("text", [
    NHWO_6,
    NHWO_6.replace("well-being", "wellbeing"),
    NHWO_6.replace("wellbeing", "well-being").upper(),
    NHWO_6.rstrip(".") + "  ",
    NHWO_6.replace("  ", " ").replace(", including", " including"),
])
def test_match_title_ignores_case_hyphens_spacing_and_punctuation(text):
    item = match_title("scot-nhwo", text)
    assert item is not None
    assert item.code == "6"


def test_match_title_does_not_match_a_different_outcome():
    assert match_title("scot-nhwo", "People who provide unpaid care are supported") is None
    assert match_title("scot-nhwo", NHWO_2.replace("frail", "old")) is None


def test_core_suite_has_23_indicators_and_marks_inferred_ones():
    core = get_framework("scot-core-suite")
    assert core.codes == tuple(str(i) for i in range(1, 24))
    assert core.item("1").serves == (("scot-nhwo", "1"),)
    assert [item.code for item in core.items if not item.confirmed] == ["21", "22", "23"]
    assert all(item.note for item in core.items if not item.confirmed)
    assert core.item("8").title == "Percentage of carers who feel supported to continue in their caring role"


def test_npf_versions_are_separate():
    old, new = get_framework("scot-npf-2018"), get_framework("scot-npf-2024")
    assert len(old.items) == 11
    assert len(new.items) == 13
    assert (old.status, new.status) == ("current", "proposed")
    assert {"care", "climate-action", "housing", "wellbeing-economy-and-fair-work"} <= set(new.codes)
    assert "economy" in old
    assert "economy" not in new
    assert "fair-work-and-business" not in new
    assert new.item("education-and-learning").note == 'Renamed from "Education".'


def test_talking_points_and_ascof():
    tp = get_framework("talking-points")
    assert len([i for i in tp.items if i.group and i.group.startswith("Service users")]) == 15
    assert tp.match_title("Maintaining health and wellbeing").code == "carer-maintaining-health-and-well-being"
    ascof = get_framework("eng-ascof")
    assert ascof.item("1A").serves == (("eng-ascof", "domain-1"),)
    assert not ascof.item("1D").confirmed
    assert not ascof.item("continuity-and-quality-of-care").confirmed


def test_unknown_framework_and_item_say_did_you_mean():
    with pytest.raises(UnknownName, match="Did you mean 'scot-npf-2024'"):
        get_framework("scot-npf-2025")
    with pytest.raises(LookupError, match=r"item of framework 'eng-ascof'.*Did you mean '1I\(2\)'"):
        get_framework("eng-ascof").item("1I(3)")


def test_bundled_files_follow_the_published_schema():
    schema = json.loads((BUNDLED / "framework.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://schemas.sharedoutcomes.org/0.2/frameworks/framework.schema.json"
    validator = Draft202012Validator(schema)
    files = sorted(p for p in BUNDLED.glob("*.json") if not p.name.endswith(".schema.json"))
    assert len(files) == 6
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], path.name
        assert data["id"] == path.stem


def test_a_user_framework_registers_from_a_data_file():
    registry = default_registry().with_framework(DATA / "nahscp-priorities.json")
    local = registry.get("nahscp-priorities")
    assert local.status == "local"
    assert local.item("P4").serves == (("scot-nhwo", "1"), ("scot-nhwo", "4"))
    assert match_title(local, "mental wellbeing in our communities").code == "P4"
    assert get_framework("nahscp-priorities", registry=registry) is local
    assert "nahscp-priorities" not in default_registry()
    assert len(registry) == len(default_registry()) + 1


def test_registering_an_existing_id_needs_replace():
    mine = Framework(id="scot-nhwo", title="Ours", version="1", status="local", source=Source(publication="us"),
                     items=(FrameworkItem(code="1", title="One"),))
    with pytest.raises(ValueError, match="already registered"):
        default_registry().with_framework(mine)
    assert default_registry().with_framework(mine, replace=True).get("scot-nhwo").title == "Ours"


def test_a_bad_framework_file_reports_every_problem_with_its_path(tmp_path):
    bad = {"id": "Local Priorities", "title": "x", "version": "1", "status": "draft",
           "source": {"publication": "p"},
           "items": [{"code": "A", "title": "One"}, {"code": "A", "title": "Two"}, {"title": "no code"}]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(InvalidDocument) as caught:
        load_framework(path)
    found = {(p.path, p.rule) for p in caught.value.problems}
    assert ("$.id", "schema.pattern") in found
    assert ("$.status", "schema.enum") in found
    assert ("$.items[2]", "schema.required") in found
    assert ("$.items[1].code", "id-unique") in found
    assert all(p.source is not None and p.source.file == str(path) for p in caught.value.problems)


def test_a_file_that_is_not_json_is_a_conversion_error(tmp_path):
    path = tmp_path / "priorities.json"
    path.write_text("{'id': 'x'}", encoding="utf-8")
    with pytest.raises(ConversionError, match="not valid JSON"):
        load_framework(path)
    with pytest.raises(ConversionError, match="cannot read"):
        load_framework(tmp_path / "missing.json")


def test_framework_from_data_rejects_null_optional_fields():
    with pytest.raises(InvalidDocument):
        framework_from_data({"id": "x", "title": "x", "version": "1", "status": "local",
                             "source": {"publication": "p", "url": None}, "items": [{"code": "1", "title": "t"}]})


def test_reference_page_is_in_sync_with_the_data():
    from sharedoutcomes._devtools.framework_docs import PAGE, render

    assert PAGE.read_text(encoding="utf-8") == render(), "run: python -m sharedoutcomes._devtools.framework_docs"
