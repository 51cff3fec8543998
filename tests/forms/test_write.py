"""Writing filled forms, and the round trip form → package → form → package."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharedoutcomes import example_package, validate
from sharedoutcomes.forms import _docx as _forms_docx
from sharedoutcomes.forms import _xlsx as _forms_xlsx
from sharedoutcomes.forms import get_profile, read_form, write_form
from sharedoutcomes.forms._content import FormContent
from sharedoutcomes.forms._json import content_to_json
from sharedoutcomes.forms._values import is_blank

PRODUCED = "2025-05-01T00:00:00Z"
PROFILE = get_profile("north-ayrshire")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".json"])
def test_an_organisations_part_of_a_package_round_trips(tmp_path: Path, suffix: str) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    left_out = write_form(example_package(), tmp_path / "a" / f"shed{suffix}", organisation_id="GB-SC-SC045123")
    assert left_out == ()
    first = read_form(tmp_path / "a" / f"shed{suffix}", produced=PRODUCED)
    assert first.problems == ()
    write_form(first.package, tmp_path / "b" / f"shed{suffix}")
    second = read_form(tmp_path / "b" / f"shed{suffix}", produced=PRODUCED)
    assert second.package == first.package
    shed = example_package()
    assert [o.title for o in first.package.outcomes] == [o.title for o in shed.outcomes[:2]]
    assert first.package.activities[0].funding[0].amount == shed.activities[0].funding[0].amount


def test_what_the_form_has_no_place_for_is_reported(tmp_path: Path) -> None:
    left_out = write_form(example_package(), tmp_path / "carers.docx", organisation_id="GB-SC-SC038977")
    assert left_out, "the Carers Star readings have no place on the form"
    assert {p.rule for p in left_out} == {"form.not-written"}
    assert all(p.severity == "warning" for p in left_out)
    assert ("the Integrated Care Fund monitoring and evaluation return has no place for assessment evidence "
            "'ev-carers-star-1' (Carers Star, first reading)") in [p.message for p in left_out]


def test_writing_for_an_unknown_organisation(tmp_path: Path) -> None:
    from sharedoutcomes.exceptions import UnknownName

    with pytest.raises(UnknownName, match="Did you mean 'GB-SC-SC045123'"):
        write_form(example_package(), tmp_path / "x.docx", organisation_id="GB-SC-SC045124")


# -- property: generated form contents survive form → package → form → package -----------------

_text = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '&,.()-£%"),
                min_size=3, max_size=40).map(str.strip).filter(
    lambda t: len(t) >= 3 and not is_blank(t) and not t.startswith(("-", "'")))
_money = st.one_of(st.integers(0, 5_000_000), st.integers(1, 500_000_00).map(lambda p: p / 100))
_count = st.integers(0, 100_000)
_date = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))
_nhwo = st.lists(st.sampled_from([str(n) for n in range(1, 10)]), min_size=1, max_size=3, unique=True)


@st.composite
def form_contents(draw: st.DrawFn) -> FormContent:
    answers: dict[str, Any] = {
        "org_name": draw(_text),
        "oscr": "SC" + draw(st.text(alphabet="0123456789", min_size=6, max_size=6)),
        "project_name": draw(_text),
        "period_start": draw(_date),
        "period_end": draw(_date),
    }
    optional = {
        "contact_name": _text, "tsi": _text, "project_ref": _text, "description": _text,
        "locality": st.sampled_from(["Arran", "Irvine", "Three Towns"]), "start_date": _date, "end_date": _date,
        "funder": st.sampled_from(["NAHSCP", "The Robertson Trust"]), "fund": _text, "amount_awarded": _money,
        "amount_spent": _money, "report_type": st.sampled_from(["quarterly", "annual", "end-of-grant"]),
        "nhwo": _nhwo, "people_new": _count, "volunteers": _count, "challenges": _text, "learning": _text,
        "signed_name": _text, "signed_date": _date,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            answers[key] = draw(strategy)
    n_outcomes = draw(st.integers(0, 3))
    refs = [str(n) for n in range(1, n_outcomes + 1)]
    rows: dict[str, list[dict[str, Any]]] = {"outcomes": [], "indicators": [], "stories": [], "outputs": [],
                                             "finance": []}
    for ref in refs:
        row = {"number": ref, "title": draw(_text)}
        for key, strategy in (("nhwo", _nhwo), ("pathway", _text), ("evidence", _text),
                              ("rag", st.sampled_from(["green", "amber", "red"]))):
            if draw(st.booleans()):
                row[key] = draw(strategy)
        rows["outcomes"].append(row)
    for _ in range(draw(st.integers(0, 4)) if refs else 0):
        row = {"outcome": draw(st.sampled_from(refs)), "title": draw(_text), "target": draw(_count)}
        for key, strategy in (("unit", st.sampled_from(["people", "sessions", "hours"])), ("baseline", _count),
                              ("actual", _count), ("method", _text)):
            if draw(st.booleans()):
                row[key] = draw(strategy)
        rows["indicators"].append(row)
    for _ in range(draw(st.integers(0, 2))):
        row = {"story": draw(_text), "kind": draw(st.sampled_from(["case-study", "quote"])), "consent": True}
        if refs and draw(st.booleans()):
            row["outcomes"] = ", ".join(draw(st.lists(st.sampled_from(refs), min_size=1, max_size=2, unique=True)))
        if draw(st.booleans()):
            row["date"] = draw(_date)
        rows["stories"].append(row)
    for _ in range(draw(st.integers(0, 2))):
        rows["outputs"].append({"activity": draw(_text), "planned": draw(_count), "actual": draw(_count)})
    for _ in range(draw(st.integers(0, 2))):
        rows["finance"].append({"item": draw(_text), "budget": draw(_money), "actual": draw(_money)})
    return FormContent(answers=answers, rows=rows)


def _render(content: FormContent, path: Path) -> None:
    import json

    if path.suffix == ".docx":
        _forms_docx.render(PROFILE, content, path)
    elif path.suffix == ".xlsx":
        _forms_xlsx.render(PROFILE, content, path)
    else:
        path.write_text(json.dumps(content_to_json(PROFILE, content)), encoding="utf-8")


@pytest.mark.parametrize(("suffix", "examples"), [(".json", 20), (".xlsx", 6), (".docx", 6)])
def test_generated_forms_round_trip_losslessly(tmp_path_factory: pytest.TempPathFactory, suffix: str,
                                               examples: int) -> None:
    # Each example writes and reads two Office files; a few examples cover the layouts, JSON covers more.
    @settings(max_examples=examples, suppress_health_check=[HealthCheck.too_slow])
    @given(content=form_contents())
    def check(content: FormContent) -> None:
        folder = tmp_path_factory.mktemp("rt")
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        _render(content, folder / "a" / f"return{suffix}")
        first = read_form(folder / "a" / f"return{suffix}", produced=PRODUCED)
        assert not any(p.rule.startswith("form.") and p.severity == "error" for p in first.problems), \
            first.problems
        package = first.package
        assert package.organisations[0].name == content.answers["org_name"]
        assert package.organisations[0].id == "GB-SC-" + content.answers["oscr"]
        assert [o.title for o in package.outcomes] == [r["title"] for r in content.rows["outcomes"]]
        assert [i.title for i in package.indicators] == [r["title"] for r in content.rows["indicators"]]
        assert [e.narrative for e in package.evidence if e.kind in ("case-study", "quote")] == [
            r["story"] for r in content.rows["stories"]]
        if "amount_awarded" in content.answers:
            assert package.activities[0].funding[0].amount.amount == content.answers["amount_awarded"]
        left_out = write_form(package, folder / "b" / f"return{suffix}")
        assert left_out == ()
        second = read_form(folder / "b" / f"return{suffix}", produced=PRODUCED)
        assert second.package == package
        assert validate(second.package).errors == validate(package).errors

    check()
