"""One person's story: permissions, the timeline across organisations, score changes."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from sharedoutcomes.exceptions import SharedOutcomesError, UnknownName
from sharedoutcomes.model import Package
from sharedoutcomes.story import PersonLevelDataNotAllowed, person_story


def test_a_public_package_has_no_person_story(example: Package) -> None:
    public = attrs.evolve(example, sharing_level="public")

    with pytest.raises(PersonLevelDataNotAllowed, match="sharing_level 'public'") as caught:
        person_story(public, "TTC-0452")
    assert isinstance(caught.value, SharedOutcomesError)
    assert isinstance(caught.value, PermissionError)


@pytest.mark.parametrize("level", ["partners", "personal"])
def test_partners_and_personal_packages_allow_it(example: Package, level: str) -> None:
    story = person_story(attrs.evolve(example, sharing_level=level), "TTC-0452")

    assert len(story.entries) == 2


def test_unknown_person_suggests_a_close_id(example: Package) -> None:
    with pytest.raises(UnknownName, match="Did you mean 'TTC-0452'"):
        person_story(example, "TTC-0425")


def test_cohort_evidence_is_not_about_a_person(example: Package) -> None:
    with pytest.raises(UnknownName):
        person_story(example, "act-carers")  # a service subject, not a person


def test_timeline_across_organisations_in_date_order(kirkton: Package) -> None:
    story = person_story(kirkton, "KB-0001")

    assert [(e.date, e.evidence.id) for e in story.entries] == [
        (dt.date(2024, 5, 2), "ev-kb1-wemwbs-1"),
        (dt.date(2024, 8, 31), "ev-kb1-walks"),
        (dt.date(2024, 10, 1), "ev-bef-quote-refused"),
        (dt.date(2024, 11, 28), "ev-kb1-wemwbs-2"),
        (None, "ev-kb1-undated"),
    ]
    assert story.organisations == ("Kirkton Befriending Network", "Riverside Walking CIC")
    assert story.entries[0].contributions == ("con-befriend-safe",)
    assert story.entries[1].activity_contributions == ("con-walks-fitter",)
    assert story.entries[3].contributions == ("con-befriend-lonely",)
    assert story.contributions == ("con-befriend-safe", "con-befriend-lonely")


def test_score_changes_on_the_same_instrument(kirkton: Package, example: Package) -> None:
    (change,) = person_story(kirkton, "KB-0001").changes

    assert (change.instrument, change.code, change.readings) == ("SWEMWBS", "swemwbs-metric", 2)
    assert change.change == pytest.approx(3.3)
    star = {c.code: c.change for c in person_story(example, "TTC-0452").changes}
    assert star == {"health": 1, "the-caring-role": 2, "managing-at-home": 1, "time-for-yourself": 3,
                    "how-you-feel": 3, "finances": 0, "work": 0}


def test_outputs(kirkton: Package) -> None:
    story = person_story(kirkton, "KB-0001")

    assert repr(story) == "<PersonStory KB-0001: 5 entries from 2 organisations>"
    data = story.to_dict()
    assert data["person_id"] == "KB-0001"
    assert data["entries"][4]["date"] is None
    assert data["changes"][0]["change"] == pytest.approx(3.3)
    frame = story.to_dataframe()
    assert frame["evidence_id"].tolist()[:2] == ["ev-kb1-wemwbs-1", "ev-kb1-walks"]
    assert "Riverside Walking CIC" in story._repr_html_()
