"""The Outcomes Star registry: the shipped data, the typed API, and user overrides from files."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from sharedoutcomes import ConversionError, UnknownName
from sharedoutcomes.stars import (
    STAR_SCHEMA_ID,
    StarRegistry,
    area_code,
    find_star,
    get_star,
    load_stars,
    registry,
    stars,
)

STARS_DIR = files("sharedoutcomes").joinpath("schemas", "stars")


def star_files() -> dict[str, dict[str, Any]]:
    return {
        entry.name: json.loads(entry.read_text(encoding="utf-8"))
        for entry in STARS_DIR.iterdir()
        if entry.name.endswith(".json") and not entry.name.endswith(".schema.json")
    }


def star_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(STARS_DIR.joinpath("star.schema.json").read_text(encoding="utf-8"))
    return schema


def test_star_schema_is_a_valid_draft_2020_12_schema_with_a_versioned_id() -> None:
    schema = star_schema()

    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == STAR_SCHEMA_ID
    assert schema["$id"].startswith("https://schemas.sharedoutcomes.org/0.2/stars/")


@pytest.mark.parametrize("name", sorted(star_files()))
def test_every_star_file_follows_the_schema_and_is_named_after_its_id(name: str) -> None:
    data = star_files()[name]

    assert list(Draft202012Validator(star_schema()).iter_errors(data)) == []
    assert name == f"{data['id']}.json"


def test_area_codes_are_the_slugs_of_their_labels_and_unique() -> None:
    for edition in stars():
        assert [area.code for area in edition.areas] == [area_code(area.label) for area in edition.areas]
        assert len(set(edition.area_codes)) == len(edition.areas), edition.instrument


# What DOMAIN.md §2.2 gives for each Star with areas: (star id, edition) -> (areas, scale max).
EXPECTED = {
    ("homelessness-star", "3"): (10, 10),
    ("home-star", "1"): (10, 10),
    ("recovery-star", "3"): (10, 10),
    ("recovery-star", "4"): (10, 10),
    ("well-being-star", "2"): (8, 5),
    ("family-star-plus", "1.1"): (10, 10),
    ("family-star-plus", "2"): (10, 10),
    ("carers-star", "1"): (7, 10),
    ("work-star", "2"): (7, 10),
    ("work-star", "3"): (7, 10),
    ("older-persons-star", "1"): (7, 10),
    ("older-persons-star", "1-short"): (7, 5),
    ("independent-living-star", "1"): (8, 10),
    ("community-star", "1"): (6, 5),
    ("justice-star", "1"): (10, 10),
    ("drug-and-alcohol-star", "1"): (10, 10),
    ("teen-star", "1"): (6, 10),
    ("family-impact-star", "1"): (7, 10),
    ("independence-star", "1"): (6, 5),
    ("little-star", "1"): (7, 10),
}


def test_every_star_in_the_domain_table_is_covered_with_its_areas_and_scale() -> None:
    found = {(e.id, e.edition): (len(e.areas), e.scale_max) for e in stars()}

    assert found == EXPECTED


def test_inferred_facts_are_marked_unconfirmed() -> None:
    assert get_star("homelessness-star").confirmed
    assert "scale" in get_star("home-star").unconfirmed
    assert "stages" in get_star("recovery-star", "4").unconfirmed
    assert [a.code for a in get_star("recovery-star", "4").areas if not a.confirmed] == [
        "identity-and-self-esteem", "trust-and-hope"]
    assert not get_star("independent-living-star").area("managing-at-home").confirmed
    assert "scale" not in get_star("well-being-star").unconfirmed


def test_no_scale_descriptions_are_shipped() -> None:
    # The schema forbids extra keys; this checks no string is long enough to be a descriptor either.
    for data in star_files().values():
        for edition in data["editions"]:
            for area in edition["areas"]:
                assert set(area) <= {"code", "label", "aliases", "unconfirmed"}
            assert all(len(stage) < 40 for stage in edition["stages"])


def test_stage_of_follows_the_core_journey_on_1_to_10_and_identity_on_1_to_5() -> None:
    ten = get_star("homelessness-star")
    five = get_star("well-being-star")

    assert [ten.stage_of(s) for s in range(1, 11)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert [five.stage_of(s) for s in range(1, 6)] == [1, 2, 3, 4, 5]
    assert ten.stage_name(3) == "Accepting help"
    assert five.stage_name(5) == "As good as it can be"


@pytest.mark.parametrize("score", [0, 11, -1, True])
def test_stage_of_rejects_scores_outside_the_scale(score: int) -> None:
    with pytest.raises(ValueError, match="outside the Homelessness Star, 3rd edition scale of 1 to 10"):
        get_star("homelessness-star").stage_of(score)


def test_latest_edition_is_the_default_and_editions_accept_export_spellings() -> None:
    assert get_star("recovery-star").edition == "4"
    assert get_star("family-star-plus").edition == "2"
    assert get_star("older-persons-star").scale_max == 10
    assert get_star("recovery-star", "3rd edition").edition == "3"
    assert get_star("homelessness-star", "v3.1").edition == "3"
    assert get_star("family-star-plus", "Ed. 1.1").edition == "1.1"
    assert get_star("older-persons-star", "Short version").scale_max == 5


def test_unknown_star_and_edition_suggest_the_closest() -> None:
    with pytest.raises(UnknownName, match="Did you mean 'recovery-star'"):
        get_star("recovery-stars")
    with pytest.raises(UnknownName, match="No edition of the Recovery Star is called '7'"):
        get_star("recovery-star", "7")


@pytest.mark.parametrize(("header", "code"), [
    ("Managing mental health", "managing-mental-health"),
    ("MANAGING MENTAL HEALTH", "managing-mental-health"),
    ("managing_mental_health", "managing-mental-health"),
    ("Managing  mental-health ", "managing-mental-health"),
    ("Identity & self esteem", "identity-and-self-esteem"),
    ("Identity/Self-Esteem", "identity-and-self-esteem"),
    ("1. Managing mental health", "managing-mental-health"),
    ("Trust and hope score", "trust-and-hope"),
    ("Q10 Trust & Hope (1-10)", "trust-and-hope"),
    ("trust-and-hope", "trust-and-hope"),
])
def test_match_area_ignores_case_spacing_punctuation_and_ampersands(header: str, code: str) -> None:
    area = get_star("recovery-star", "4").match_area(header)

    assert area is not None
    assert area.code == code


def test_match_area_does_not_guess() -> None:
    star = get_star("recovery-star", "4")

    assert star.match_area("Managing mental") is None
    assert star.match_area("Work") is None  # a 3rd-edition area
    assert star.match_area("") is None


@given(st.sampled_from(stars()).flatmap(lambda e: st.tuples(st.just(e), st.sampled_from(e.areas))),
       st.sampled_from([str.upper, str.lower, str.title, lambda s: s.replace(" ", "_"),
                        lambda s: s.replace(" and ", " & "), lambda s: f"  {s}  ", lambda s: s.replace("-", " ")]))
def test_every_area_label_matches_under_messy_spellings(pair: Any, mess: Any) -> None:
    edition, area = pair

    assert edition.match_area(mess(area.label)) == area


@pytest.mark.parametrize(("text", "instrument"), [
    ("Recovery Star", "outcomes-star/recovery-star/4"),
    ("Mental Health Recovery Star 3rd edition", "outcomes-star/recovery-star/3"),
    ("recovery-star", "outcomes-star/recovery-star/4"),
    ("Family Star Plus v1.1", "outcomes-star/family-star-plus/1.1"),
    ("Drug & Alcohol Star", "outcomes-star/drug-and-alcohol-star/1"),
    ("Outcomes Star", "outcomes-star/homelessness-star/3"),
    ("Older Person's Star (short version)", "outcomes-star/older-persons-star/1-short"),
])
def test_find_star_reads_star_names_as_exports_write_them(text: str, instrument: str) -> None:
    found = find_star(text)

    assert found is not None
    assert found.instrument == instrument


def test_find_star_returns_none_for_unknown_stars_and_editions() -> None:
    assert find_star("Wellness Wheel") is None
    assert find_star("Recovery Star 9th edition") is None


def write_star_file(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_user_adds_a_star_from_a_file_without_changing_the_default_registry(tmp_path: Path) -> None:
    data = {"id": "garden-star", "name": "Garden Star", "aliases": ["Allotment Star"], "editions": [{
        "edition": "1", "name": "Garden Star", "scale_min": 1, "scale_max": 5,
        "stages": ["Seed", "Shoot", "Bud", "Flower", "Fruit"], "stage_starts": [1, 2, 3, 4, 5],
        "areas": [{"code": "digging", "label": "Digging"}, {"code": "weeding-and-watering", "label": "Weeding & watering"}],
    }]}
    mine = registry().with_file(write_star_file(tmp_path / "garden-star.json", data))

    star = mine.get("garden-star")
    assert star.instrument == "outcomes-star/garden-star/1"
    assert star.match_area("weeding and watering").code == "weeding-and-watering"
    assert mine.find("allotment star") == star
    with pytest.raises(UnknownName):
        registry().get("garden-star")


def test_a_user_overrides_an_edition_in_place(tmp_path: Path) -> None:
    edition = get_star("recovery-star", "3").to_json_data()
    edition["areas"][0]["aliases"] = ["MH"]
    data = {"id": "recovery-star", "name": "Recovery Star", "editions": [edition]}
    mine = registry().with_file(write_star_file(tmp_path / "recovery.json", data))

    assert mine.get("recovery-star", "3").match_area("mh").code == "managing-mental-health"
    assert mine.get("recovery-star").edition == "4"  # the override did not change which is latest
    assert len(mine) == len(registry())


def test_with_star_returns_a_new_registry() -> None:
    base = registry()
    extra = attrs.evolve(get_star("carers-star"), edition="2", title="Carers Star 2")

    mine = base.with_star(extra)

    assert isinstance(mine, StarRegistry)
    assert mine.get("carers-star").edition == "2"
    assert base.get("carers-star").edition == "1"
    assert [e.edition for e in mine.editions_of("carers-star")] == ["1", "2"]


def test_load_stars_reads_a_directory(tmp_path: Path) -> None:
    for star_id in ("recovery-star", "well-being-star"):
        data = star_files()[f"{star_id}.json"]
        write_star_file(tmp_path / f"{star_id}.json", data)

    assert {e.id for e in load_stars(tmp_path)} == {"recovery-star", "well-being-star"}


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["editions"][0].update(scale_max=7), r"\$\.editions\[0\]\.scale_max: 7 is not one of 10, 5"),
    (lambda d: d["editions"][0].update(stages=["A", "B"]), r"\$\.editions\[0\]\.stages"),
    (lambda d: d["editions"][0]["areas"][0].update(description="licensed text"), "Additional properties"),
    (lambda d: d["editions"][0].update(stage_starts=[2, 3, 5, 7, 9]), "stage_starts must begin at the scale"),
    (lambda d: d["editions"][0]["areas"].append(dict(d["editions"][0]["areas"][0])), "repeats an area code"),
])
def test_a_bad_star_file_is_one_clear_error_naming_file_and_path(tmp_path: Path, change: Any, message: str) -> None:
    data = json.loads(json.dumps(star_files()["carers-star.json"]))
    change(data)
    path = write_star_file(tmp_path / "bad.json", data)

    with pytest.raises(ConversionError, match=message) as info:
        load_stars(path)
    assert str(info.value).startswith("bad.json: not a valid Star file")


def test_an_unreadable_star_file_is_a_conversion_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(ConversionError, match=r"broken\.json: cannot read the Star file"):
        load_stars(path)


def test_to_json_data_round_trips_every_shipped_edition(tmp_path: Path) -> None:
    for edition in stars():
        data = {"id": edition.id, "name": edition.name, "editions": [edition.to_json_data()]}
        if edition.aliases:
            data["aliases"] = list(edition.aliases)
        path = write_star_file(tmp_path / f"{edition.id}-{edition.edition}.json", data)

        assert load_stars(path) == (edition,)


def test_the_reference_page_is_in_step_with_the_data() -> None:
    from sharedoutcomes._devtools import star_docs as _star_docs

    page = Path(__file__).parents[2] / "docs" / "reference" / "stars.md"

    assert _star_docs.render() in page.read_text(encoding="utf-8"), "run: python -m sharedoutcomes._devtools.star_docs"
