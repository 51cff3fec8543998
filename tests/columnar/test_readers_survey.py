"""
Survey exports through `sharedoutcomes.columnar.convert`: the ``survey`` format's package, problems and coverage.

Survey exports have no columnar reader of their own (they are small; one would have to offer the
object reader's source map, ``source_map_of``, for the validation's problems to name their column): they
go through the object reader and `from_package`, and must come out exactly as `sharedoutcomes.convert`
gives them.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyarrow")

import sharedoutcomes
from sharedoutcomes import columnar

DATA = Path(__file__).parent.parent / "surveys" / "data"
MESSY = (b"Survey export\n\nClient ref,Date,Satis,Worth,Happy,Anxious,Name\n"
         b"SP-0001,02/05/2024,6,7,5,8,\nSP-0002,31/02/2024,6,7,5,8,\nSP 3,02/05/2024,11,x,,8,Jane Smith\n"
         b"Total,,,,,,\n")


def _same(source: Any, **options: Any) -> None:
    expected = sharedoutcomes.convert(source() if callable(source) else source, format="survey", **options)
    got = columnar.convert(source() if callable(source) else source, format="survey", **options)
    a, b = sharedoutcomes.dump(got.to_package()), sharedoutcomes.dump(expected.package)
    a.pop("produced")
    b.pop("produced")
    assert a == b
    assert list(got.problems) == list(expected.problems)
    assert got.coverage == expected.coverage


@pytest.mark.parametrize("path", sorted(DATA.glob("*.csv")), ids=lambda p: p.name)
def test_every_survey_fixture_reads_as_the_survey_format_reads_it(path: Path) -> None:
    _same(path, today="2025-06-30")
    _same(path, today="2025-06-30", organisation_id="GB-SC-SC012345")


def test_a_messy_export_gives_the_same_problems_and_coverage() -> None:
    _same(lambda: io.BytesIO(MESSY), today="2025-06-30", organisation_id="GB-SC-SC012345")
