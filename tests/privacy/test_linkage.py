"""Done when: two organisations' exports, pseudonymised separately with one key, merge into one person's timeline."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from sharedoutcomes import convert
from sharedoutcomes.merge import merge
from sharedoutcomes.model import Organisation, Package
from sharedoutcomes.privacy import Pseudonymiser, pseudonymise_file, pseudonymise_package
from sharedoutcomes.story import PersonLevelDataNotAllowed, PseudonymKeyMismatch, linked_people, person_story

from .conftest import CARERS, DATA, KEY, RIVERSIDE


def _shared_package(tmp_path: Path, export: str, organisation: str, name: str, person_column: str,
                    key: bytes = KEY) -> Package:
    """What one organisation does on its own: pseudonymise its export with the partnership key, then convert it."""
    shared = tmp_path / f"{organisation}-{export}"
    report = pseudonymise_file(DATA / export, shared, Pseudonymiser(key, organisation=organisation))
    assert report.key_id == Pseudonymiser(key).key_id
    result = convert(shared, format="outcomes-star", organisation_id=organisation, organisation_name=name,
                     column_map={"person": person_column}, today="2025-06-30", sharing_level="partners")
    package, _ = pseudonymise_package(result.package, Pseudonymiser(key))  # records the key's id; ids already pseudonyms
    return package


@pytest.fixture
def two_organisations(tmp_path: Path) -> tuple[Package, Package]:
    riverside = _shared_package(tmp_path, "riverside-recovery-star.csv", RIVERSIDE, "Riverside Recovery Hub",
                                "Pseudonym (from CHI Number)")
    carers = _shared_package(tmp_path, "three-towns-carers-star.csv", CARERS, "Three Towns Carers Centre",
                             "Pseudonym (from CHI)")
    return riverside, carers


def test_one_person_s_timeline_across_two_organisations(two_organisations: tuple[Package, Package]) -> None:
    riverside, carers = two_organisations
    margaret = Pseudonymiser(KEY).pseudonym("120 456 0110")  # computed by the key holder, never sent

    merged = merge([riverside, carers], id="na-linked", title="Linked", publisher=RIVERSIDE,
                   produced="2025-06-30T12:00:00Z").package
    story = person_story(merged, margaret)

    assert [(e.date.isoformat(), e.organisation_id) for e in story.entries if e.date] == [
        ("2024-04-03", RIVERSIDE), ("2024-05-06", CARERS), ("2024-10-09", RIVERSIDE), ("2024-11-11", CARERS)]
    assert story.organisations == ("Riverside Recovery Hub", "Three Towns Carers Centre")
    assert {e.evidence.instrument for e in story.entries} == {"outcomes-star/recovery-star/4",
                                                               "outcomes-star/carers-star/1"}
    assert {c.instrument for c in story.changes} == {"outcomes-star/recovery-star/4", "outcomes-star/carers-star/1"}
    assert merged.extension_data["merge"]["linked_people"] == 2  # Margaret and Aisha are known to both
    assert linked_people(merged) == dict.fromkeys(sorted(Pseudonymiser(KEY).pseudonym(chi) for chi in ("1204560110", "2501900316")), (RIVERSIDE, CARERS))
    assert "1204560110" not in repr(merged)
    assert all("RRH-" not in e.id for e in merged.evidence)


def test_the_story_across_the_packages_themselves(two_organisations: tuple[Package, Package]) -> None:
    aisha = Pseudonymiser(KEY).pseudonym("250190-0316")
    story = person_story(list(two_organisations), aisha)

    assert {e.package_id for e in story.entries} == {p.id for p in two_organisations}
    assert story.packages == tuple(p.id for p in two_organisations)
    assert len(story.entries) == 4


def test_local_ids_do_not_link_across_organisations(two_organisations: tuple[Package, Package]) -> None:
    """A person known only by each organisation's own reference stays two people: that is what namespacing means."""
    p = Pseudonymiser(KEY)
    assert p.pseudonym("RRH-1001", organisation=RIVERSIDE) != p.pseudonym("RRH-1001", organisation=CARERS)


def test_packages_pseudonymised_with_different_keys_are_refused(tmp_path: Path,
                                                                two_organisations: tuple[Package, Package]) -> None:
    riverside, _ = two_organisations
    other = _shared_package(tmp_path, "three-towns-carers-star.csv", CARERS, "Three Towns Carers Centre", "Pseudonym (from CHI)",
                            key=bytes(reversed(KEY)))
    with pytest.raises(PseudonymKeyMismatch, match="different keys"):
        person_story([riverside, other], Pseudonymiser(KEY).pseudonym("1204560110"))
    merged = merge([riverside, other], id="m", title="M", publisher=RIVERSIDE, produced="2025-06-30T12:00:00Z")
    assert "merge-extension-conflict" in {p.rule for p in merged.problems}  # the key ids differ
    assert merged.package.extension_data["merge"].get("linked_people") is None  # nobody links


def test_linkage_is_refused_for_public_packages(two_organisations: tuple[Package, Package]) -> None:
    riverside, carers = two_organisations
    with pytest.raises(PersonLevelDataNotAllowed):
        person_story([riverside, attrs.evolve(carers, sharing_level="public")], "P-AAAAAAAAAAAAAAAAAAAA")


def test_a_merge_renaming_evidence_keeps_where_each_entry_came_from(two_organisations: tuple[Package, Package]) -> None:
    riverside, _ = two_organisations
    hub = Organisation(id=RIVERSIDE, name="Riverside Recovery Hub", sector="third")
    again = attrs.evolve(riverside, id="riverside-q3", evidence=tuple(
        attrs.evolve(e, summary="Reviewed again") for e in riverside.evidence))
    merged = merge([riverside, again], id="m", title="M", publisher=hub, produced="2025-06-30T12:00:00Z").package
    story = person_story(merged, Pseudonymiser(KEY).pseudonym("1204560110"))
    assert sorted({e.package_id for e in story.entries}) == ["m", "riverside-q3"]
