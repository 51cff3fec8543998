"""Crosswalks as data, and the routes from evidence to national outcomes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from jsonschema import Draft202012Validator

from sharedoutcomes import (
    Evidence,
    EvidenceLink,
    EvidenceSubject,
    EvidenceValue,
    Extension,
    InvalidDocument,
    Outcome,
    OutcomeMapping,
    UnknownName,
    example_package,
    validate,
)
from sharedoutcomes.crosswalks import (
    crosswalks,
    get_crosswalk,
    link_star_readings,
    load_crosswalk,
    national_outcomes,
    outcome_targets,
    weakest_relation,
)
from sharedoutcomes.frameworks import default_registry, get_framework

DATA = Path(__file__).parent / "data"
BUNDLED = Path(__file__).parents[2] / "src" / "sharedoutcomes" / "schemas" / "crosswalks"
MAIN_STARS = ("carers-star", "recovery-star", "homelessness-star", "home-star", "well-being-star",
              "older-persons-star", "family-star-plus", "drug-and-alcohol-star", "work-star", "justice-star")


def test_bundled_crosswalks_follow_their_schema_and_say_they_are_editable_defaults():
    schema = json.loads((BUNDLED / "crosswalk.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://schemas.sharedoutcomes.org/0.2/crosswalks/crosswalk.schema.json"
    validator = Draft202012Validator(schema)
    for path in sorted(BUNDLED.glob("*.json")):
        if path.name.endswith(".schema.json"):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], path.name
        assert data["id"] == path.stem
        assert data["status"] == "default"
        assert "editable defaults" in data["description"]
    assert len(crosswalks()) == 5


@pytest.mark.parametrize("crosswalk", crosswalks(), ids=lambda cw: cw.id)
def test_every_mapping_has_a_rationale_and_resolves_in_its_frameworks(crosswalk):
    target = get_framework(crosswalk.target_framework)
    for mapping in crosswalk.mappings:
        assert len(mapping.rationale) > 20
        assert mapping.target in target, mapping
        if crosswalk.source_framework not in ("outcomes-star", "instruments"):  # their sources: test_crosswalk.py
            assert mapping.source in get_framework(crosswalk.source_framework), mapping


def test_star_crosswalk_covers_the_main_stars_with_areas_the_star_registry_knows():
    stars = pytest.importorskip("sharedoutcomes.stars")
    crosswalk = get_crosswalk("outcomes-star-to-scot-nhwo")
    mapped = {source.split(":")[0] for source in crosswalk.sources}
    assert mapped == set(MAIN_STARS)
    known = {f"{edition.id}:{area.code}" for edition in stars.stars() for area in edition.areas}
    assert set(crosswalk.sources) <= known, set(crosswalk.sources) - known
    # the Carers Star is about unpaid carers: every area bears on outcome 6
    carers = [m for m in crosswalk.mappings if m.source.startswith("carers-star:")]
    assert {m.target for m in carers} == {"6"}
    assert len(carers) == 7


def test_only_the_core_suite_mapping_the_guidance_gives_is_confirmed():
    confirmed = [(cw.id, m.source, m.target) for cw in crosswalks() for m in cw.mappings if m.confirmed]
    assert confirmed == [("scot-core-suite-to-scot-nhwo", "1", "1")]


def test_ascof_reads_both_ways():
    forward = get_crosswalk("eng-ascof-to-scot-nhwo")
    backward = forward.inverse()
    assert (backward.source_framework, backward.target_framework) == ("scot-nhwo", "eng-ascof")
    assert {(m.target, m.relation) for m in backward.targets_of("7")} == {
        ("domain-4", "close"), ("safety", "close"), ("4A", "narrow"), ("4B", "narrow")}
    assert backward.inverse().mappings == forward.mappings


def test_unknown_crosswalk_says_did_you_mean():
    with pytest.raises(UnknownName, match="Did you mean 'talking-points-to-scot-nhwo'"):
        get_crosswalk("talking-point-to-scot-nhwo")


def test_a_bad_crosswalk_file_is_reported(tmp_path):
    data = json.loads((DATA / "nahscp-priorities-to-scot-nhwo.json").read_text(encoding="utf-8"))
    data["mappings"].append(dict(data["mappings"][0]))
    data["mappings"][1]["relation"] = "broader"
    del data["mappings"][2]["rationale"]
    path = tmp_path / "cw.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidDocument) as caught:
        load_crosswalk(path)
    found = {(p.path, p.rule) for p in caught.value.problems}
    assert found == {("$.mappings[1].relation", "schema.enum"), ("$.mappings[2]", "schema.required"),
                     ("$.mappings[4]", "id-unique")}


@pytest.mark.parametrize(("chain", "expected"), [
    ((), "exact"),
    (("exact", "exact"), "exact"),
    (("close", "exact"), "close"),
    (("exact", "broad", "close"), "broad"),
    (("narrow", "narrow"), "narrow"),
    (("broad", "narrow"), "related"),
    (("narrow", "close", "broad"), "related"),
    (("related", "exact"), "related"),
])
def test_weakest_relation(chain, expected):
    assert weakest_relation(*chain) == expected


# -- national_outcomes on the bundled example, worked by hand -----------------------------------------


def _summary(paths):
    return sorted({(p.code, p.relation, p.link_relation or "-") for p in paths})


def test_shed_survey_reaches_outcomes_1_and_4_through_the_contribution_and_the_indicator():
    # ev-shed-survey → lnk-2 (supports) → con-shed-connected → out-connected → NHWO 1 (broad), NHWO 4 (broad);
    # and its value is an actual for ind-less-isolated, which measures out-connected: the same two again.
    paths = national_outcomes(example_package(), "ev-shed-survey")
    assert _summary(paths) == [("1", "broad", "-"), ("1", "broad", "supports"),
                               ("4", "broad", "-"), ("4", "broad", "supports")]
    via_link = next(p for p in paths if p.link_relation == "supports" and p.code == "4")
    assert [s.kind for s in via_link.steps] == ["evidence", "link", "contribution", "outcome", "mapping"]
    assert via_link.link_strength == "moderate"
    assert "quality of life" in via_link.rationale
    assert via_link.title.startswith("Health and social care services are centred")


def test_challenging_evidence_keeps_its_relation():
    paths = national_outcomes(example_package(), "ev-shed-winter")
    assert _summary(paths) == [("1", "broad", "challenges"), ("4", "broad", "challenges")]


def test_broader_outcome_weakens_a_close_mapping_to_broad():
    # out-carer-breaks maps to 6 (broad) itself, and is narrower than out-carer-wellbeing, which maps to 6 (close)
    paths = outcome_targets(example_package(), "out-carer-breaks")
    assert [(p.code, p.relation, [s.kind for s in p.steps]) for p in paths] == [
        ("6", "broad", ["outcome", "mapping"]),
        ("6", "broad", ["outcome", "broader", "mapping"]),
    ]
    assert outcome_targets(example_package(), "out-carer-wellbeing")[0].relation == "close"


def test_star_reading_reaches_outcome_6_through_links_and_the_star_crosswalk():
    paths = national_outcomes(example_package(), "ev-carers-star-1")
    via_star = [p for p in paths if p.steps[1].kind == "star-area"]
    # five Carers Star areas map broad to 6 and two (finances, work) are only related
    assert sorted((p.steps[1].id, p.relation) for p in via_star) == sorted(
        [(f"carers-star:{a}", "broad") for a in ("health", "the-caring-role", "managing-at-home",
                                                 "time-for-yourself", "how-you-feel")]
        + [("carers-star:finances", "related"), ("carers-star:work", "related")])
    assert all(not p.confirmed for p in via_star)
    assert [p.relation for p in paths if p.link_relation] == ["close"]


def test_a_national_statistic_with_no_links_or_mappings_reaches_nothing_but_its_link():
    paths = national_outcomes(example_package(), "ev-carers-survey-national")
    assert _summary(paths) == [("6", "close", "contextualises")]


def test_evidence_linked_to_a_national_outcome_directly_is_exact():
    package = example_package()
    package = attrs.evolve(
        package,
        outcomes=(*package.outcomes, Outcome(id="nhwo-7", title="Safe from harm", level="population",
                                             framework="scot-nhwo", code="7")),
        links=(*package.links, EvidenceLink(id="lnk-x", evidence_id="ev-shed-case", target_type="outcome",
                                            target_id="nhwo-7", relation="illustrates")),
    )
    assert ("7", "exact", "illustrates") in _summary(national_outcomes(package, "ev-shed-case"))


def test_local_framework_outcomes_reach_national_ones_through_a_local_crosswalk():
    local = load_crosswalk(DATA / "nahscp-priorities-to-scot-nhwo.json")
    package = example_package()
    outcome = attrs.evolve(package.outcomes[2], mappings=(OutcomeMapping(framework="nahscp-priorities", code="P3",
                                                                         relation="exact"),))
    package = attrs.evolve(package, outcomes=(*package.outcomes[:2], outcome, *package.outcomes[3:]))
    paths = outcome_targets(package, "out-carer-wellbeing", crosswalks=[local])
    assert [(p.code, p.relation, p.steps[-1].kind) for p in paths] == [("6", "close", "crosswalk")]
    assert "restates outcome 6" in paths[0].rationale
    assert outcome_targets(package, "out-carer-wellbeing") == ()


def test_other_frameworks_are_reachable_too():
    package = example_package()
    assert national_outcomes(package, "ev-shed-survey", framework="scot-npf-2018") == ()
    registry = default_registry()
    ascof_back = get_crosswalk("eng-ascof-to-scot-nhwo").inverse()
    paths = outcome_targets(package, "out-carer-wellbeing", framework="eng-ascof", crosswalks=[ascof_back],
                            registry=registry)
    assert {(p.code, p.relation) for p in paths} == {("1D", "narrow"), ("1I(2)", "related")}


def test_unknown_ids_say_did_you_mean():
    with pytest.raises(UnknownName, match="Did you mean 'ev-shed-case'"):
        national_outcomes(example_package(), "ev-shed-cas")
    with pytest.raises(UnknownName, match="No outcome"):
        outcome_targets(example_package(), "out-nothing")


def test_a_cycle_in_broader_outcomes_does_not_loop():
    package = example_package()
    a = attrs.evolve(package.outcomes[0], broader=("out-active",))
    package = attrs.evolve(package, outcomes=(a, *package.outcomes[1:]))
    assert {p.code for p in outcome_targets(package, "out-active")} == {"1", "4"}


# -- link_star_readings ---------------------------------------------------------------------------------


def _reading(evidence_id, person, when, scores, *, star="recovery-star", edition="4", activity=None):
    return Evidence(
        id=evidence_id, kind="assessment", date=when, subject=EvidenceSubject(type="person", id=person),
        activity_id=activity, instrument=f"outcomes-star/{star}/{edition}",
        values=tuple(EvidenceValue(code=code, value=value, scale_min=1, scale_max=10) for code, value in scores),
        extension_data={"outcomes-star": {"star": star, "edition": edition}},
    )


def test_link_star_readings_links_readings_to_outcomes_and_contributions():
    package = example_package()
    linked = link_star_readings(package, asserted_by="GB-NHS-NAHSCP", asserted_on=dt.date(2025, 5, 1))
    assert validate(linked).ok
    new_links = linked.links[len(package.links):]
    assert {(lk.evidence_id, lk.target_type, lk.target_id) for lk in new_links} == {
        (e, t, i) for e in ("ev-carers-star-1", "ev-carers-star-2")
        for t, i in (("outcome", "scot-nhwo-6"), ("contribution", "con-carers-breaks"),
                     ("contribution", "con-hscp-carers"))}
    # the existing links to con-carers-wellbeing are not repeated
    assert sum(1 for lk in linked.links if lk.target_id == "con-carers-wellbeing") == 2
    for link in new_links:
        assert (link.relation, link.strength) == ("supports", "weak")
        assert link.rationale.startswith("Crosswalk outcomes-star-to-scot-nhwo: carers-star:health → scot-nhwo 6")
        assert link.asserted_by == "GB-NHS-NAHSCP"
    added = linked.outcomes[len(package.outcomes):]
    assert [(o.id, o.framework, o.code) for o in added] == [("scot-nhwo-6", "scot-nhwo", "6")]
    assert added[0].title == get_framework("scot-nhwo").item("6").title
    assert package == example_package()  # the input is unchanged


def test_link_star_readings_is_idempotent_and_reuses_existing_national_outcomes():
    once = link_star_readings(example_package())
    assert link_star_readings(once) == once


def test_related_only_areas_contextualise_and_unmapped_areas_add_nothing():
    package = example_package()
    readings = (
        _reading("ev-rs-1", "RS-001", dt.date(2024, 6, 1), [("trust-and-hope", 3), ("work", 4)]),
        _reading("ev-rs-2", "RS-001", dt.date(2024, 12, 1), [("work", 6)]),
        _reading("ev-rs-3", "RS-002", dt.date(2024, 12, 1), [("home", 6), ("physical-health", 5)]),
    )
    package = attrs.evolve(package, evidence=(*package.evidence, *readings),
                           extensions=(*package.extensions, Extension(name="outcomes-star", version="0.1")))
    linked = link_star_readings(package, contributions=False)
    new = {(lk.evidence_id, lk.target_id, lk.relation) for lk in linked.links[len(package.links):]}
    assert {n for n in new if n[0].startswith("ev-rs")} == {
        ("ev-rs-1", "scot-nhwo-1", "contextualises"),
        ("ev-rs-3", "scot-nhwo-1", "supports"),
        ("ev-rs-3", "scot-nhwo-2", "supports"),
    }
    assert validate(linked).ok


def test_link_star_readings_keeps_ids_unique(example_data):
    package = example_package()
    taken = Outcome(id="scot-nhwo-6", title="A local outcome that happens to use this id", level="person")
    package = attrs.evolve(package, outcomes=(*package.outcomes, taken))
    linked = link_star_readings(package, contributions=False)
    assert linked.outcomes[-1].id == "scot-nhwo-6-2"
    assert len({lk.id for lk in linked.links}) == len(linked.links)
    assert validate(linked).ok
