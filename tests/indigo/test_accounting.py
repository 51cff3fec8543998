"""Nothing lost, nothing invented: extra content anywhere in INDIGO input ends in the package or in a problem."""

from __future__ import annotations

import copy
import csv
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.indigo import IndigoFormat, sample_path

FLAT = Path(__file__).parent / "data" / "flat"
SAMPLE = json.loads(sample_path().read_text(encoding="utf-8"))
MARK = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=4, max_size=12).map(lambda t: f"mk{t}")


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every object in the project's data, by its path."""
    out = []
    if isinstance(node, dict):
        out.append(path)
        for key, value in node.items():
            out.extend(_places(value, (*path, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_places(value, (*path, i)))
    return out


def _leaves(node: Any) -> int:
    if isinstance(node, dict):
        return sum(_leaves(v) for v in node.values())
    if isinstance(node, list):
        return sum(_leaves(v) for v in node)
    return 0 if node is None or (isinstance(node, str) and not node.strip()) else 1


PLACES = _places(SAMPLE["project"]["data"])


def _found(result: sharedoutcomes.ConversionResult, mark: str) -> bool:
    dumped = json.dumps(sharedoutcomes.dump(result.package), ensure_ascii=False)
    return mark in dumped or any(mark in p.message for p in result.problems)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PLACES), MARK, MARK, st.booleans()), min_size=1, max_size=4))
def test_extra_members_or_changed_values_end_in_the_package_or_a_problem(
        changes: list[tuple[tuple[Any, ...], str, str, bool]]) -> None:
    document = copy.deepcopy(SAMPLE)
    marks = []
    for place, key, mark, replace in changes:
        node = document["project"]["data"]
        for part in place:
            node = node[part]
        if replace and "value" in node and not isinstance(node["value"], dict | list):
            node["value"] = mark  # a known field, now holding unexpected text
        else:
            node[f"x_{key}"] = mark  # a member INDIGO does not define
        marks.append(mark)
    marks = [m for m in marks if m in json.dumps(document)]  # a later change may overwrite an earlier one
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "project.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        result = IndigoFormat().read(path, publisher="GB-EDU-133808")

    assert result.coverage is not None
    assert result.coverage.total_read + result.coverage.total_not_read == _leaves(document["project"])
    for mark in marks:
        assert _found(result, mark), mark


@settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.sampled_from(sorted(p.name for p in FLAT.glob("*.csv"))), title=MARK, mark=MARK,
       row=st.integers(min_value=0, max_value=40), new_row=st.booleans())
def test_extra_cells_in_the_flat_tables_end_in_the_package_or_a_problem(
        table: str, title: str, mark: str, row: int, new_row: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        copy_of = Path(folder) / "flat"
        shutil.copytree(FLAT, copy_of)
        path = copy_of / table
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        if new_row or len(rows) == 1:
            rows.append([mark] + [""] * (len(rows[0]) - 1))  # a row whose first cell is unexpected
        else:
            rows[0].append(title)  # a column INDIGO does not title
            target = 1 + row % (len(rows) - 1)
            for i in range(1, len(rows)):
                rows[i].append(mark if i == target else "")
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        result = IndigoFormat().read(copy_of, publisher="GB-EDU-133808")
        cells = 0
        for each in copy_of.glob("*.csv"):
            with each.open(encoding="utf-8", newline="") as handle:
                cells += sum(1 for r in list(csv.reader(handle))[1:] for c in r if c.strip())

    assert result.coverage is not None
    assert result.coverage.total_read + result.coverage.total_not_read == cells
    assert _found(result, mark) or (new_row and table == "organisations.csv")
