"""Fuzzing the INDIGO reader: any JSON, any CSV, any bytes give a result or a library error, never a foreign one."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharedoutcomes.converters import ConversionResult
from sharedoutcomes.exceptions import SharedOutcomesError
from sharedoutcomes.indigo import IndigoFormat, column_titles

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
_JSON = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=12), inner, max_size=5)),
                     max_leaves=30)
_INDIGO_NAMES = st.sampled_from(["name", "value", "results", "outcome_metrics", "outcome_payments", "period",
                                 "start_date", "end_date", "outcomes_achieved", "outcome_metric_id", "id",
                                 "service_provisions", "organisation_id", "money", "amount", "currency", "data",
                                 "project", "definition", "unit_type_of_targeted_service_users_or_beneficiaries"])
_SHAPED = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(_INDIGO_NAMES, inner, max_size=5)),
                       max_leaves=40)


def _read(path: Path) -> ConversionResult | None:
    try:
        return IndigoFormat().read(path, publisher="GB-EDU-133808")
    except SharedOutcomesError:
        return None


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_JSON, _SHAPED))
def test_any_json_is_read_or_refused_by_the_library(document: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "project.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        result = _read(path)

    assert result is None or result.coverage is not None


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200), st.sampled_from([".json", ".csv", ".xlsx"]))
def test_any_bytes_are_read_or_refused_by_the_library(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"indigo{suffix}"
        path.write_bytes(data)
        _read(path)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(table=st.sampled_from(["projects", "projects_results", "projects_outcome_metrics", "projects_outcome_payments",
                              "organisations", "projects_service_provisions"]),
       rows=st.lists(st.lists(st.one_of(st.text(max_size=20), st.sampled_from(
           ["INDIGO-POJ-0001", "outcomemetric1", "2018-13", "3600 (as of Jan 2019)", "GBP", "-5", "1e400"])),
           max_size=6), max_size=6))
def test_any_table_is_read_or_refused_by_the_library(table: str, rows: list[list[str]]) -> None:
    titles = column_titles(table)[:6]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([titles, *rows])
        _read(Path(folder))
