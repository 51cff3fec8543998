"""
``convert(format="outcomes-star")`` by the columnar route gives the object route's result, exactly.

The package (``produced`` aside: the time of each conversion), the problems in order, the coverage,
the source map (every path), the document, the errors raised: on every Star fixture, on messy
generated exports, with the ``columnar`` extra hidden, through `sharedoutcomes.convert` with a
validation profile, and through the command line.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes import ValidationProfile
from sharedoutcomes.cli import main
from sharedoutcomes.converters import ConversionResult
from sharedoutcomes.stars import OutcomesStarFormat, get_star, sample_path
from sharedoutcomes.stars import _convert as route
from sharedoutcomes.stars._format import ObjectStarFormat

pytest.importorskip("pyarrow")
pytest.importorskip("polars")

from tests.columnar.test_readers_star import _write, messy_rows

DATA = Path(__file__).parent / "data"
CSV = [sample_path(), *sorted(p for p in DATA.iterdir() if p.suffix == ".csv")]
TODAY = "2025-06-30"
OPTIONS: dict[str, Any] = {"organisation_id": "GB-SC-SC012345", "today": TODAY}


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every file goes to the columnar route (not only those of 64 KiB); records whether it gave the result."""
    monkeypatch.setattr(route, "COLUMNAR_FROM_BYTES", 0)
    seen: list[bool] = []
    real = route.columnar_result

    def spy(source: Any, options: Any) -> ConversionResult | None:
        result = real(source, options)
        seen.append(result is not None)
        return result

    monkeypatch.setattr(route, "columnar_result", spy)
    return seen


def assert_same(got: ConversionResult, want: ConversionResult) -> None:
    assert got.package.produced  # the time of the conversion
    assert [str(p) for p in got.problems] == [str(p) for p in want.problems]
    assert got.problems == want.problems  # the same order, rules, severities, paths, locations, messages
    assert got.coverage == want.coverage
    assert len(got.source_map) == len(want.source_map)
    assert dict(got.source_map) == dict(want.source_map)
    assert attrs.evolve(got.package, produced=want.package.produced) == want.package
    assert attrs.evolve(got, package=want.package) == want  # every compared field of the result
    assert {**got.document, "produced": ""} == {**want.document, "produced": ""}
    # A plain dict, as the object route's: it serialises and validates as that one does.
    assert type(got.document) is dict
    assert sharedoutcomes.validate(got.document).problems == sharedoutcomes.validate(want.document).problems
    assert json.loads(json.dumps(got.document))["evidence"] == json.loads(json.dumps(want.document))["evidence"]


def _both(path: Path, **options: Any) -> tuple[ConversionResult, ConversionResult]:
    return OutcomesStarFormat().read(path, **options), ObjectStarFormat().read(path, **options)


@pytest.mark.parametrize("path", CSV, ids=lambda p: p.name)
@pytest.mark.parametrize("organisation", [None, "GB-SC-SC012345"])
def test_every_csv_fixture_converts_as_the_object_route_converts_it(path: Path, organisation: str | None,
                                                                     taken: list[bool]) -> None:
    options: dict[str, Any] = {"today": TODAY}
    if organisation:
        options["organisation_id"] = organisation
    if path.name == "not-a-star.csv":
        with pytest.raises(sharedoutcomes.ConversionError) as columnar:
            OutcomesStarFormat().read(path, **options)
        with pytest.raises(sharedoutcomes.ConversionError) as objects:
            ObjectStarFormat().read(path, **options)
        assert str(columnar.value) == str(objects.value)
        return

    assert_same(*_both(path, **options))
    assert taken == [path.name != "crm-long.csv"]  # a long-layout export is the object route's


def test_the_options_are_the_object_routes(taken: list[bool]) -> None:
    path = DATA / "recovery-no-edition.csv"
    for options in ({"star": "recovery-star", "edition": "3"}, {"star": "recovery-star"},
                    {"source_system": "Star Online", "organisation_name": "Hub", "sector": "public",
                     "sharing_level": "partners", "package_id": "pkg-1", "title": "Readings"}):
        assert_same(*_both(path, **OPTIONS, **options))
    assert all(taken)


def test_an_xlsx_export_and_a_file_object_are_the_object_routes(taken: list[bool]) -> None:
    xlsx = DATA / "home-star-merged.xlsx"
    assert_same(*_both(xlsx, **OPTIONS))
    with sample_path().open(encoding="utf-8-sig", newline="") as handle:
        got = OutcomesStarFormat().read(handle, **OPTIONS)
    assert_same(got, ObjectStarFormat().read(sample_path(), **OPTIONS))
    assert taken == []


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(messy_rows(), st.sampled_from([None, "GB-SC-SC012345"]))
def test_messy_exports_convert_as_the_object_route_converts_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  rows: list[list[str]], organisation: str | None) -> None:
    monkeypatch.setattr(route, "COLUMNAR_FROM_BYTES", 0)
    path = _write(rows, tmp_path / "messy.csv", "\n")
    options: dict[str, Any] = {"today": TODAY} if organisation is None else {"today": TODAY,
                                                                              "organisation_id": organisation}
    refused: Exception | None = None
    try:
        want = ObjectStarFormat().read(path, **options)
    except (sharedoutcomes.ConversionError, sharedoutcomes.InvalidDocument) as error:
        refused = error
    if refused is not None:
        with pytest.raises(type(refused)) as raised:
            OutcomesStarFormat().read(path, **options)
        assert str(raised.value) == str(refused)
        if isinstance(refused, sharedoutcomes.InvalidDocument):  # no reading at all: not a package
            assert isinstance(raised.value, sharedoutcomes.InvalidDocument)
            assert raised.value.report.problems == refused.report.problems
        return
    assert_same(OutcomesStarFormat().read(path, **options), want)


def _big_export(path: Path, readings: int = 1200) -> Path:
    """A wide export past `COLUMNAR_FROM_BYTES`, with a few bad cells among good readings."""
    star = get_star("recovery-star", "4")
    lines = ["Service user ID,Reading date,Star,Reading number,Worker," + ",".join(a.label for a in star.areas)]
    for i in range(readings):
        scores = [str(1 + (i * 7 + k) % 10) for k in range(len(star.areas))]
        if i % 97 == 5:
            scores[3] = "11"  # off the scale: reported, with its cell
        lines.append(f"SU-{i // 3:05d},{1 + i % 28:02d}/{1 + i % 12:02d}/2023,Recovery Star,{1 + i % 3},W-{i % 7},"
                     + ",".join(scores))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size >= route.COLUMNAR_FROM_BYTES
    return path


def test_a_big_export_takes_the_columnar_route_through_convert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _big_export(tmp_path / "big.csv")
    seen: list[bool] = []
    real = route.columnar_result
    monkeypatch.setattr(route, "columnar_result", lambda s, o: seen.append(True) or real(s, o))
    profile = ValidationProfile(severities={"star.score-out-of-scale": "warning", "org-id-prefix": "off"})

    for kwargs in ({}, {"validation_profile": profile}):
        got = sharedoutcomes.convert(path, format="outcomes-star", **OPTIONS, **kwargs)
        want = ObjectStarFormat().read(path, **OPTIONS)
        assert_same(got, want if not kwargs else want.with_profile(profile))
    assert seen == [True, True]
    assert not got.ok or got.problems  # the bad cells are there, re-graded by the profile


def test_without_the_columnar_extra_the_object_route_converts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _big_export(tmp_path / "big.csv")
    want = ObjectStarFormat().read(path, **OPTIONS)
    for hidden in ("polars", "pyarrow"):
        with monkeypatch.context() as patched:
            patched.setitem(sys.modules, hidden, None)  # as if the extra were not installed
            patched.setattr(route, "columnar_result", lambda *_: pytest.fail("the columnar route was taken"))
            assert_same(OutcomesStarFormat().read(path, **OPTIONS), want)


def test_the_source_map_is_listed_only_when_looked_at(tmp_path: Path) -> None:
    result = OutcomesStarFormat().read(_big_export(tmp_path / "big.csv"), **OPTIONS)
    assert result.source_map._pending is not None  # type: ignore[attr-defined]  # nothing listed yet

    location = result.source_map["$.evidence[7].values[3].value"]

    assert (location.row, location.column, location.header) == (9, "I", "Friends and community")
    assert result.source_map._pending is None  # type: ignore[attr-defined]


def test_the_command_line_writes_the_object_routes_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _big_export(tmp_path / "big.csv")
    written = {}
    for name, cls in (("columnar", OutcomesStarFormat), ("objects", ObjectStarFormat)):
        target = tmp_path / f"{name}.json"
        monkeypatch.setattr(sys, "stderr", io.StringIO())
        with monkeypatch.context() as patched:
            patched.setattr(OutcomesStarFormat, "read", cls.read)
            code = main(["convert", str(path), "--from", "outcomes-star", "-o", str(target), "--write-partial",
                         "--option", "organisation_id=GB-SC-SC012345", "--option", f"today={TODAY}"])
        written[name] = (code, json.loads(target.read_text(encoding="utf-8")), sys.stderr.getvalue())  # type: ignore[attr-defined]
    (code, columnar, said), (object_code, objects, object_said) = written["columnar"], written["objects"]
    columnar.pop("produced")
    objects.pop("produced")
    assert (code, columnar, said) == (object_code, objects, object_said)
