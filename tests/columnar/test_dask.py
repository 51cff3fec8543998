"""On a 2-worker LocalCluster: the batch checks and the Star analyses give the in-process problems and figures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import sharedoutcomes
from sharedoutcomes import Evidence, Package
from sharedoutcomes.serialization import from_json_data
from sharedoutcomes.star_analysis import MixedReadings, example_evidence
from tests.columnar.test_analysis_stars import MESSY, package_of
from tests.star_analysis.conftest import make_reading

pytest.importorskip("polars")
distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

from sharedoutcomes import columnar  # noqa: E402 - needs the extra
from sharedoutcomes import columnar_analysis as columns  # noqa: E402
from sharedoutcomes.columnar_analysis import DatasetError, read_dataset, write_dataset  # noqa: E402

CONFORMANCE = Path(__file__).parents[1] / "conformance"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two workers of one thread each, in this process (the test stays fast); closed after the module."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


def _cohort(people: int) -> list[Evidence]:
    """A generated cohort: three readings each, some in progress, some areas unscored, two editions' worth of ids."""
    out = []
    for person in range(people):
        for number in range(1 + person % 3):
            scores = {code: (person * 7 + number * 3 + i) % 10 + 1 for i, code in enumerate("abcd")
                      if (person + i + number) % 5}
            out.append(make_reading(f"P{person:03d}", (dt.date(2024, 1, 1) + dt.timedelta(days=40 * number
                                                                                       + person % 7)).isoformat(),
                                    scores or {"a": 5}, status="in-progress" if (person + number) % 6 == 0
                                    else "approved", service="North" if person % 2 else "South",
                                    evidence_id=f"e{person}-{number}"))
    return out


@pytest.mark.parametrize("per_part", [10, 1000])
def test_star_analyses_on_dask_give_the_in_process_figures(client: Any, tmp_path: Path, per_part: int) -> None:
    evidence = _cohort(30)
    tables = columnar.from_package(package_of(evidence))
    dataset = write_dataset(tables, tmp_path / "data", evidence_per_part=per_part)
    assert len(dataset.parts) == -(-len(evidence) // per_part)

    for filters in ({}, {"service": "North", "period": (dt.date(2024, 1, 15), None)}):
        on_dask = columns.dask_distance_travelled(dataset, client=client, **filters)
        here = columns.distance_travelled(tables, **filters)
        assert on_dask.rows.rows() == here.rows.rows()
        assert on_dask.excluded.rows() == here.excluded.rows()
        assert (on_dask.areas, on_dask.notes, on_dask.problems) == (here.areas, here.notes, here.problems)
        cohort = columns.dask_cohort_change(dataset, client=client, **filters)
        expected = columns.cohort_change(tables, **filters)
        assert cohort.table.rows() == expected.table.rows()
        assert (cohort.people, cohort.people_improved_any_area, cohort.notes) == (
            expected.people, expected.people_improved_any_area, expected.notes)
    for at in ("first", "latest"):
        stages = columns.dask_snapshot(dataset, at=at, client=client)
        expected_stages = columns.snapshot(tables, at=at)
        assert stages.table.rows() == expected_stages.table.rows()
        assert (stages.people, stages.stages, stages.notes) == (
            expected_stages.people, expected_stages.stages, expected_stages.notes)


def test_the_messy_package_gives_the_same_problems_and_figures_on_dask(client: Any, tmp_path: Path) -> None:
    package = from_json_data(json.loads(MESSY.read_text(encoding="utf-8")), Package)
    dataset = write_dataset(package, tmp_path / "messy", evidence_per_part=3)

    on_dask = columns.dask_distance_travelled(read_dataset(dataset.directory), client=client)
    here = columns.distance_travelled(package)

    assert on_dask.problems == here.problems
    assert on_dask.problems  # the package is messy
    assert on_dask.rows.rows() == here.rows.rows()
    assert on_dask.excluded.rows() == here.excluded.rows()


def test_mixed_stars_are_refused_on_dask_as_in_process(client: Any, tmp_path: Path) -> None:
    evidence = [*example_evidence(), make_reading("Z", "2024-01-01", [3, 4], star="recovery-star", edition="4")]
    dataset = write_dataset(package_of(evidence), tmp_path / "mixed", evidence_per_part=4)

    with pytest.raises(MixedReadings) as raised:
        columns.dask_distance_travelled(dataset, client=client)
    with pytest.raises(MixedReadings) as expected:
        columns.distance_travelled(package_of(evidence))
    assert str(raised.value) == str(expected.value)


def _cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CONFORMANCE.glob("*.json")):
        for group in json.loads(path.read_text(encoding="utf-8")):
            if group.get("schema") != "package":
                continue
            out.extend((f"{path.stem}: {case['description']}", case["data"]) for case in group["tests"]
                       if isinstance(case.get("data"), dict) and len(case["data"].get("evidence", ())) > 1)
    return out


def _repeated_and_linked() -> Package:
    """Ids repeated across parts, and links to evidence in other parts."""
    package = sharedoutcomes.example_package()
    first = package.evidence[0]
    evidence = (*package.evidence, attrs.evolve(first, summary="again"), attrs.evolve(package.evidence[2]))
    return attrs.evolve(package, evidence=evidence)


@pytest.mark.skipif(not hasattr(columnar, "validate"), reason="needs the batch checks of sharedoutcomes.columnar")
def test_the_batch_checks_on_dask_give_the_problems_of_validate(client: Any, tmp_path: Path) -> None:
    packages = [sharedoutcomes.example_package(), _repeated_and_linked()]
    for number, package in enumerate(packages):
        for per_part in (1, 3):
            dataset = write_dataset(package, tmp_path / f"p{number}-{per_part}", evidence_per_part=per_part)
            found = columns.validate_dataset(dataset, client=client).problems
            assert found == sharedoutcomes.validate(package).problems
    assert any(p.rule == "id-unique" for p in sharedoutcomes.validate(packages[1]).problems)


@pytest.mark.skipif(not hasattr(columnar, "validate"), reason="needs the batch checks of sharedoutcomes.columnar")
def test_the_conformance_corpus_gives_the_same_problems_on_dask(tmp_path: Path) -> None:
    """Every case with two evidence items or more, one item a part, on Dask's synchronous scheduler (the same graph)."""
    with dask.config.set(scheduler="synchronous"):
        _check_corpus(tmp_path)


def _check_corpus(tmp_path: Path) -> None:
    checked = 0
    for name, data in _cases():
        try:
            package = from_json_data(data, Package)
        except Exception:
            continue
        dataset = write_dataset(package, tmp_path / str(checked), evidence_per_part=1)
        assert columns.validate_dataset(dataset).problems == columnar.validate(
            columnar.from_package(package)).problems, name
        checked += 1
    assert checked


def test_a_folder_that_is_not_a_dataset_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not a dataset"):
        read_dataset(tmp_path)
    write_dataset(sharedoutcomes.example_package(), tmp_path / "d", evidence_per_part=2)
    with pytest.raises(DatasetError, match="already holds a dataset"):
        write_dataset(sharedoutcomes.example_package(), tmp_path / "d")
    (tmp_path / "d" / "part-00001" / "values.parquet").unlink()
    with pytest.raises(DatasetError, match="missing"):
        read_dataset(tmp_path / "d")
