"""Writing 360Giving JSON: valid against the vendored 360Giving schema, and read → write → read equal."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import sharedoutcomes
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.model import FundingLine, MonetaryAmount
from sharedoutcomes.threesixtygiving import EXTENSION, package_json, package_validator

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["abct-grants.json", "abct-grants.xlsx", "template-grants.xlsx"])
def test_read_write_read_gives_the_same_package(tmp_path: Path, name: str) -> None:
    first = sharedoutcomes.convert(DATA / name, format="360giving")
    target = tmp_path / "out.json"

    sharedoutcomes.write(first.package, target, format="360giving")
    second = sharedoutcomes.convert(target, format="360giving")

    assert package_validator().is_valid(json.loads(target.read_text(encoding="utf-8")))
    assert second.package.activities == first.package.activities
    assert second.package.organisations == first.package.organisations


def test_a_real_xlsx_with_date_cells_writes_valid_date_times(tmp_path: Path) -> None:
    package = sharedoutcomes.convert(DATA / "alwf-grants.xlsx", format="360giving").package
    target = tmp_path / "alwf.json"

    sharedoutcomes.write(package, target, format="360giving")

    grants = json.loads(target.read_text(encoding="utf-8"))["grants"]
    assert grants[0]["dateModified"] == "2021-02-15T00:00:00+00:00"
    assert sum(g["amountAwarded"] for g in grants) == sum(a.funding[0].amount.amount for a in package.activities
                                                            if a.funding[0].amount)


def test_uk_dates_are_written_as_iso_dates_and_the_model_wins_over_the_extension() -> None:
    package = sharedoutcomes.convert(DATA / "scottish-quirks.csv", format="360giving").package
    activity = package.activities[0]
    line = attrs.evolve(activity.funding[0], amount=MonetaryAmount(amount=16000, currency="GBP"))
    package = attrs.evolve(package, activities=(attrs.evolve(activity, funding=(line,)), *package.activities[1:]))

    grant = package_json(package)["grants"][0]

    assert grant["awardDate"] == "2020-10-05"
    assert grant["plannedDates"][0] == {"startDate": "2020-10-05", "endDate": "2021-10-04"}
    assert grant["amountAwarded"] == 16000
    assert grant["Internal Ref"] == "RSM-2020-117"  # a field outside the schema goes back out as it came


def test_a_funding_line_that_cannot_be_a_grant_is_named_in_the_error() -> None:
    package = sharedoutcomes.example_package()

    with pytest.raises(ConversionError) as caught:
        package_json(package)

    assert "$.activities[0].funding[0]" in str(caught.value)
    assert "awardDate" in str(caught.value)
    assert "required by 360Giving" in str(caught.value)


def test_lines_without_a_grant_id_need_a_prefix() -> None:
    package = sharedoutcomes.convert(DATA / "abct-grants.json", format="360giving").package
    activity = package.activities[0]
    extra = FundingLine(funder_id=activity.funding[0].funder_id, amount=MonetaryAmount(amount=500, currency="GBP"))
    package = attrs.evolve(package, activities=(attrs.evolve(activity, funding=(*activity.funding, extra)),))

    with pytest.raises(ConversionError, match="id"):
        package_json(package)
    # with a prefix the line gets an id, but a second line carries none of the first grant's extension
    with pytest.raises(ConversionError, match="awardDate"):
        package_json(package, id_prefix="360G-ABCT")
    assert EXTENSION in activity.extension_data
