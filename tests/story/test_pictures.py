"""The contribution map and the indicator charts."""

from __future__ import annotations

import datetime as dt
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sharedoutcomes.exceptions import MissingDependency, UnknownName
from sharedoutcomes.model import Package
from sharedoutcomes.pictures import (
    contribution_map_svg,
    indicator_chart,
    indicator_chart_svg,
    indicator_series,
)
from sharedoutcomes.story import RATING_COLOURS, partnership_story


def test_map_draws_each_contribution_in_its_rating_colour(example: Package) -> None:
    svg = contribution_map_svg(example)
    ET.fromstring(svg)
    lines = re.findall(r"<path class='contribution'[^>]*stroke='(#[0-9a-f]{6})'[^>]*><title>([^<]*)</title>", svg)

    assert len(lines) == 6
    colours = [colour for colour, _ in lines]
    assert colours.count(RATING_COLOURS["strong"]) == 1
    assert colours.count(RATING_COLOURS["moderate"]) == 3
    assert colours.count(RATING_COLOURS["none"]) == 2
    assert any(title.startswith("Three Towns Carers Centre — Carer wellbeing and short breaks — Carers get a break")
               for _, title in lines)


def test_map_shows_every_national_outcome_and_fades_the_unserved(example: Package) -> None:
    svg = contribution_map_svg(partnership_story(example))

    for code in range(1, 10):
        assert f">{code} · " in svg
    assert svg.count("fill='#fafafa' stroke='#d0d0d0'") == 6 + 1  # six outcomes and the legend's sample
    assert svg.count("class='mapping'") == 5  # out-connected→1, →4, out-active→1, two carers' mappings to 6
    assert svg.count("class='broader'") == 2


def test_map_of_crosswalk_paths(kirkton: Package) -> None:
    svg = contribution_map_svg(kirkton)

    assert "crosswalk talking-points-to-scot-nhwo" in svg
    assert "Kirkton Welfare Rights Project" in svg  # not mapped, but still on the map


def test_series_places_values_in_time(example: Package) -> None:
    series = indicator_series(example, "ind-carers-supported")

    (point,) = series.actuals
    assert (point.value, point.evidence_id) == (164.0, "ev-carers-supported")
    assert point.at("cumulative") == dt.date(2025, 3, 31)
    assert [t.value for t in series.targets] == [180.0]
    assert series.baseline is None


def test_series_of_an_unknown_indicator(example: Package) -> None:
    with pytest.raises(UnknownName, match="Did you mean 'ind-breaks'"):
        indicator_series(example, "ind-break")


def test_chart_svg_marks_targets_and_values(example: Package) -> None:
    svg = indicator_chart_svg(example, "ind-breaks")
    ET.fromstring(svg)

    assert svg.count("class='target'") == 4
    assert ">27</text>" in svg
    assert ">41</text>" in svg
    assert "value for each period" in svg


def test_chart_svg_with_nothing_to_plot(kirkton: Package) -> None:
    import attrs

    bare = attrs.evolve(kirkton.indicators[0], targets=())
    package = attrs.evolve(kirkton, indicators=(bare,), evidence=())
    assert "no dated values or targets" in indicator_chart_svg(package, "ind-befriended")


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_matplotlib_chart(tmp_path: Path, example: Package, suffix: str, magic: bytes) -> None:
    path = tmp_path / f"chart{suffix}"

    figure = indicator_chart(example, "ind-members", path)

    assert path.read_bytes().startswith(magic)
    assert figure.axes[0].get_title(loc="left") == "Men attending at least monthly"


def test_matplotlib_missing_names_the_extra(example: Package, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)

    with pytest.raises(MissingDependency, match=r"sharedoutcomes\[charts\]"):
        indicator_chart(example, "ind-members")
