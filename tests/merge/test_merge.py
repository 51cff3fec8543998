"""Merging packages: dedupe, conflicts, renames with references rewritten, sharing levels, nothing lost."""

from __future__ import annotations

import io
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sharedoutcomes import Evidence, EvidenceSubject, Organisation, example_package, load, validate
from sharedoutcomes.cli import main
from sharedoutcomes.merge import _KINDS, MergeError, merge
from sharedoutcomes.testing import packages

DATA = Path(__file__).parent / "data"
SHED, CARERS = DATA / "garnock-shed-q4.json", DATA / "three-towns-carers-q4.json"
PRODUCED = "2025-05-01T09:00:00Z"


def _merge(inputs, **kwargs):
    kwargs.setdefault("id", "na-partnership-q4")
    kwargs.setdefault("title", "North Ayrshire partnership, Q4")
    kwargs.setdefault("publisher", "GB-NHS-NAHSCP")
    kwargs.setdefault("produced", PRODUCED)
    return merge(inputs, **kwargs)


def assert_nothing_lost(inputs, result):
    """Every input object is in the output (renamed or deduplicated), and references still resolve."""
    out = result.package
    # merge() validates its result: its problems include every validation problem
    assert not [p for p in result.problems if p.severity == "error"], result.problems
    organisations = {o.id: o for o in out.organisations}
    for package in inputs:
        for organisation in package.organisations:
            kept = organisations[organisation.id]
            conflicts = [c["values"] for c in kept.extension_data.get("merge", {}).get("conflicts", ())
                         if c["package"] == package.id]
            for a in attrs.fields(Organisation):
                mine = getattr(organisation, a.name)
                if a.name == "extension_data":
                    for name, value in mine.items():
                        assert kept.extension_data.get(name) == value or any(
                            c.get("extension_data", {}).get(name) == value for c in conflicts)
                elif mine not in (None, ()) and getattr(kept, a.name) != mine:
                    assert any(a.name in c for c in conflicts), (organisation.id, a.name)
        # the inverse of this package's renames, read back from the output
        inverse = {kind: {} for kind, _, _ in _KINDS}
        for kind, attribute, _ in _KINDS:
            for obj in getattr(out, attribute):
                record = obj.extension_data.get("merge", {})
                if record.get("package") == package.id and "original_id" in record:
                    inverse[kind][obj.id] = record["original_id"]
        forward = {kind: {old: new for new, old in names.items()} for kind, names in inverse.items()}
        for kind, attribute, rewrite in _KINDS:
            by_id = {obj.id: obj for obj in getattr(out, attribute)}
            for obj in getattr(package, attribute):
                found = by_id[forward[kind].get(obj.id, obj.id)]
                back = rewrite(found, inverse)
                data = {k: v for k, v in back.extension_data.items() if k != "merge"}
                assert attrs.evolve(back, id=obj.id, extension_data=data) == obj, (kind, obj.id)
    # nothing appears from nowhere
    for kind, attribute, _ in _KINDS:
        expected = {obj.id for p in inputs for obj in getattr(p, attribute)}
        for obj in getattr(out, attribute):
            assert obj.extension_data.get("merge", {}).get("original_id", obj.id) in expected, (kind, obj.id)
    assert [s["id"] for s in out.extension_data["merge"]["sources"]] == [p.id for p in inputs]


def test_two_returns_merge_into_one_valid_partnership_package():
    shed, carers = load(SHED), load(CARERS)
    result = _merge([shed, carers])
    assert_nothing_lost([shed, carers], result)
    out = result.package
    assert [o.id for o in out.organisations] == ["GB-SC-SC045123", "GB-NHS-NAHSCP", "GB-SC-SC038977"]
    # identical national outcome nhwo-1 is kept once; nhwo-6 only the carers have
    assert [o.id for o in out.outcomes] == ["nhwo-1", "out-1", "nhwo-6", "out-1@ttcc-2024-q4"]
    assert out.sharing_level == "personal"  # the most restrictive
    assert out.period.start.isoformat() == "2025-01-01"


def test_conflicting_organisation_keeps_the_first_and_records_the_other():
    result = _merge([load(SHED), load(CARERS)])
    hscp = next(o for o in result.package.organisations if o.id == "GB-NHS-NAHSCP")
    assert hscp.name == "North Ayrshire Health and Social Care Partnership"
    assert hscp.locality == "North Ayrshire"  # a blank in the first copy is filled from the second
    assert hscp.extension_data["merge"]["conflicts"] == [{"package": "ttcc-2024-q4",
                                                          "values": {"name": "North Ayrshire HSCP"}}]
    problem = next(p for p in result.problems if p.rule == "merge-organisation-conflict")
    assert "'garnock-shed-2024-q4'" in problem.message
    assert "'ttcc-2024-q4'" in problem.message
    assert problem.path == "$.organisations[1]"
    assert problem.severity == "warning"


def test_colliding_ids_are_renamed_and_every_reference_follows():
    result = _merge([load(SHED), load(CARERS)])
    out = result.package
    carers_activity = "act-1@ttcc-2024-q4"
    contribution = next(c for c in out.contributions if c.id == "con-1@ttcc-2024-q4")
    assert (contribution.activity_id, contribution.outcome_id) == (carers_activity, "out-1@ttcc-2024-q4")
    outcome = next(o for o in out.outcomes if o.id == "out-1@ttcc-2024-q4")
    assert outcome.broader == ("nhwo-6",)
    assert outcome.extension_data["merge"] == {"original_id": "out-1", "package": "ttcc-2024-q4"}
    breaks = next(e for e in out.evidence if e.id == "ev-1@ttcc-2024-q4")
    assert breaks.values[0].indicator_id == "ind-1@ttcc-2024-q4"
    assert breaks.subject.id == carers_activity  # a service subject names its activity
    star = next(e for e in out.evidence if e.id == "ev-star-TTC-0452-3")  # no collision: unchanged
    assert star.activity_id == carers_activity
    link = next(lk for lk in out.links if lk.id == "lnk-1@ttcc-2024-q4")
    assert (link.evidence_id, link.target_id) == ("ev-1@ttcc-2024-q4", "con-1@ttcc-2024-q4")
    renamed = sorted(p.value for p in result.problems if p.rule == "merge-id-renamed")
    assert renamed == ["act-1", "con-1", "ev-1", "ind-1", "lnk-1", "out-1"]


def test_the_result_depends_only_on_the_order_of_the_inputs():
    a = _merge([load(SHED), load(CARERS)])
    b = _merge([load(SHED), load(CARERS)])
    assert a == b
    reverse = _merge([load(CARERS), load(SHED)])
    assert "out-1@garnock-shed-2024-q4" in {o.id for o in reverse.package.outcomes}


def test_extension_and_licence_conflicts_are_reported_and_kept():
    result = _merge([load(SHED), load(CARERS)])
    rules = [p.rule for p in result.problems]
    assert "merge-extension-conflict" in rules
    assert "merge-licence-conflict" in rules
    assert result.package.licence is None
    merge_data = result.package.extension_data["merge"]
    assert merge_data["conflicts"] == [{"package": "ttcc-2024-q4",
                                        "extension": {"name": "nacvs", "version": "1.1"}}]
    assert result.package.extension_data["nacvs"] == {"return_form": "2025"}
    assert {e.name for e in result.package.extensions} == {"nacvs", "merge"}


def test_a_public_merge_of_person_level_data_is_refused():
    with pytest.raises(MergeError, match=r"public package: 2 piece\(s\) of evidence .*ev-2, ev-star-TTC-0452-3"):
        _merge([load(SHED), load(CARERS)], sharing_level="public")


def test_sharing_level_given_is_used():
    result = _merge([load(SHED)], sharing_level="personal")
    assert result.package.sharing_level == "personal"


def test_publisher_must_be_known_or_given_as_an_organisation():
    with pytest.raises(MergeError, match="not an organisation in any of the packages"):
        _merge([load(SHED)], publisher="GB-LAS-NAY")
    council = Organisation(id="GB-LAS-NAY", name="North Ayrshire Council", sector="public")
    result = _merge([load(SHED)], publisher=council)
    assert result.package.publisher == "GB-LAS-NAY"
    assert result.ok


def test_no_packages_is_an_error():
    with pytest.raises(MergeError, match="no packages"):
        _merge([])


def test_merging_a_merge_keeps_the_record_of_its_sources():
    first = _merge([load(SHED), load(CARERS)]).package
    again = _merge([first, example_package()], id="all")
    sources = again.package.extension_data["merge"]["sources"]
    assert [s["id"] for s in sources] == ["na-partnership-q4", "na-partnership-2024-25"]
    assert [s["id"] for s in sources[0]["merge"]["sources"]] == ["garnock-shed-2024-q4", "ttcc-2024-q4"]
    assert again.ok


def test_paths_and_json_are_accepted():
    result = _merge([SHED, json.loads(CARERS.read_text(encoding="utf-8"))])
    assert result.ok


# -- properties ----------------------------------------------------------------------------------------
# sharedoutcomes.testing.packages() is thorough but slow to draw (about half a second a package), so the
# main properties vary realistic returns instead: ids re-used across returns (from a small pool, so that
# they collide), edited titles and organisations, and the same return sent twice.

_BASES = (example_package(), load(SHED), load(CARERS))
_POOL = [f"id-{n}" for n in range(6)]


@st.composite
def returns(draw, index):
    base = draw(st.sampled_from(_BASES))
    renames = {kind: {} for kind, _, _ in _KINDS}
    for kind, attribute, _ in _KINDS:
        ids = [obj.id for obj in getattr(base, attribute)]
        if ids and draw(st.booleans()):
            new = draw(st.lists(st.sampled_from(_POOL + ids), min_size=len(ids), max_size=len(ids), unique=True))
            renames[kind] = dict(zip(ids, new, strict=True))
    changes = {}
    for kind, attribute, rewrite in _KINDS:
        objects = []
        for obj in getattr(base, attribute):
            obj = rewrite(obj, renames)  # noqa: PLW2901
            obj = attrs.evolve(obj, id=renames[kind].get(obj.id, obj.id))  # noqa: PLW2901
            if hasattr(obj, "title") and draw(st.integers(0, 3)) == 0:
                obj = attrs.evolve(obj, title=obj.title + " (revised)")  # noqa: PLW2901
            objects.append(obj)
        changes[attribute] = tuple(objects)
    organisations = list(base.organisations)
    for i, organisation in enumerate(organisations):
        edit = draw(st.integers(0, 5))
        if edit == 0:
            organisations[i] = attrs.evolve(organisation, name=organisation.name + " (SCIO)")
        elif edit == 1:
            organisations[i] = attrs.evolve(organisation, locality=None, extension_data={})
        elif edit == 2:
            organisations[i] = attrs.evolve(organisation, extension_data={"nacvs": {"volunteers": 3}})
    package = attrs.evolve(base, id=f"return-{index}", organisations=tuple(organisations), **changes)
    if any(o.extension_data.get("nacvs") for o in organisations) and "nacvs" not in {e.name for e in
                                                                                     package.extensions}:
        package = attrs.evolve(package, extensions=(*package.extensions,
                                                    attrs.evolve(_BASES[0].extensions[0])))
    return package


@st.composite
def return_lists(draw):
    n = draw(st.integers(1, 4))
    items = [draw(returns(i)) for i in range(n)]
    if draw(st.booleans()):
        items.append(draw(st.sampled_from(items)))  # the same return sent twice
    return items


@settings(max_examples=15)
@given(returns(0))
def test_the_varied_returns_are_valid_packages(package):
    assert validate(package).ok, validate(package).to_text()


@given(return_lists())
def test_merges_lose_nothing(inputs):
    result = _merge(inputs, publisher=inputs[0].publisher)
    assert_nothing_lost(inputs, result)
    for _, attribute, _ in _KINDS:
        ids = [obj.id for obj in getattr(result.package, attribute)]
        assert len(ids) == len(set(ids))
        assert {obj.id for obj in getattr(inputs[0], attribute)} <= set(ids)


def _no_merge_extension(package):
    return all(e.name != "merge" for e in package.extensions)


@settings(max_examples=8)
@given(packages(max_size=3))
def test_merging_generated_packages_with_edited_copies_loses_nothing(a):
    assume(_no_merge_extension(a))
    b = attrs.evolve(a, id=a.id + "-v2", outcomes=tuple(attrs.evolve(o, title=o.title + "!") for o in a.outcomes))
    result = _merge([a, b, a], publisher=a.publisher)
    assert_nothing_lost([a, b, a], result)


def test_person_level_evidence_blocks_a_public_merge_whatever_else_is_there():
    package = load(SHED)
    anonymous = attrs.evolve(package, id="other", evidence=(
        Evidence(id="ev-x", kind="quote", narrative="It helped.", subject=EvidenceSubject(type="person", id="P-1")),))
    with pytest.raises(MergeError):
        _merge([anonymous], sharing_level="public")


# -- the command line ----------------------------------------------------------------------------------


def test_cli_merges_files(tmp_path, capsys):
    output = tmp_path / "partnership.json"
    code = main(["merge", str(SHED), str(CARERS), "-o", str(output), "--publisher", "GB-NHS-NAHSCP",
                 "--produced", PRODUCED])
    assert code == 0
    merged = load(output)
    assert merged.id == "partnership"
    assert merged.title == "Merged package (2 packages)"
    err = capsys.readouterr().err
    assert "merge-organisation-conflict" in err
    assert "merged 2 packages into" in err


def test_cli_writes_to_standard_output_without_o():
    out = io.StringIO()
    assert main(["merge", str(SHED), "--id", "x", "--title", "T"], out=out) == 0
    assert json.loads(out.getvalue())["id"] == "x"


def test_cli_reports_bad_inputs(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["merge", str(SHED), str(broken)]) == 2
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({"schema_version": "0.2"}), encoding="utf-8")
    assert main(["merge", str(invalid), str(SHED)]) == 1
    assert "invalid.json" in capsys.readouterr().err


def test_cli_refuses_public_person_level(tmp_path, capsys):
    assert main(["merge", str(SHED), "--sharing-level", "public", "-o", str(tmp_path / "p.json")]) == 2
    assert "cannot merge into a public package" in capsys.readouterr().err


def test_an_object_renamed_twice_keeps_both_records():
    first = _merge([load(SHED), load(CARERS)]).package
    other = attrs.evolve(first, id="other", activities=tuple(attrs.evolve(a, title=a.title + "!")
                                                             for a in first.activities))
    result = _merge([first, other], id="again")
    renamed = next(a for a in result.package.activities if a.id == "act-1@ttcc-2024-q4@other")
    assert renamed.extension_data["merge"] == {
        "original_id": "act-1@ttcc-2024-q4", "package": "other",
        "earlier": {"original_id": "act-1", "package": "ttcc-2024-q4"}}
    assert result.ok
