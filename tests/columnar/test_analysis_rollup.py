"""Roll-ups over columnar evidence are the object roll-ups, with each problem at its place in the whole package."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes import Package
from sharedoutcomes import rollup as objects
from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.serialization import from_json_data
from sharedoutcomes.testing import packages

pytest.importorskip("polars")

from sharedoutcomes import columnar_analysis as columns
from sharedoutcomes.columnar import from_package

CARERS = Path(__file__).parents[1] / "rollup" / "data" / "carers-network-2024-25.json"
WINDOWS = [(None, None), (dt.date(2024, 4, 1), dt.date(2024, 6, 30)), (dt.date(2024, 5, 1), None),
           (None, dt.date(2024, 12, 31))]


def assert_same(package: Package) -> None:
    tables = from_package(package)
    for indicator in package.indicators:
        for start, end in WINDOWS:
            assert columns.rollup(tables, indicator.id, start=start, end=end) == objects.rollup(
                package, indicator.id, start=start, end=end)
    assert columns.rollups(tables) == objects.rollups(package)


def test_the_example_and_the_carers_network_roll_up_alike() -> None:
    carers = from_json_data(json.loads(CARERS.read_text(encoding="utf-8")), Package)

    assert_same(sharedoutcomes.example_package())
    assert_same(carers)
    assert columns.rollup(from_package(carers), carers.indicators[0].id).problems == objects.rollup(
        carers, carers.indicators[0].id).problems


def test_a_problem_names_the_evidence_at_its_place_in_the_whole_package() -> None:
    package = sharedoutcomes.example_package()
    breaks = next(i for i, e in enumerate(package.evidence) if any(v.indicator_id == "ind-breaks" for v in e.values))
    broken = attrs.evolve(package.evidence[breaks], date=None, period=None)
    evidence = (*package.evidence[:breaks], broken, *package.evidence[breaks + 1:])
    package = attrs.evolve(package, evidence=evidence)

    result = columns.rollup(from_package(package), "ind-breaks")

    assert result == objects.rollup(package, "ind-breaks")
    assert result.problems[0].path == f"$.evidence[{breaks}]"
    assert result.value is None


def test_an_unknown_indicator_is_refused_as_on_the_object_path() -> None:
    with pytest.raises(UnknownName, match="ind-nothing"):
        columns.rollup(from_package(sharedoutcomes.example_package()), "ind-nothing")


@given(packages(), st.sampled_from(WINDOWS))
def test_any_package_rolls_up_alike(package: Package, window: tuple[dt.date | None, dt.date | None]) -> None:
    tables = from_package(package)
    for indicator in package.indicators:
        assert columns.rollup(tables, indicator.id, start=window[0], end=window[1]) == objects.rollup(
            package, indicator.id, start=window[0], end=window[1])
