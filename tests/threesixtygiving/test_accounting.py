"""Every piece of a 360Giving file ends in the package or in a not-read problem, never nowhere (property tests)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.threesixtygiving import sample_path

GRANTS = json.loads(sample_path().read_text(encoding="utf-8"))["grants"]
MARK = st.from_regex(r"\Amark[a-z0-9]{6}\Z")
NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() != "")


def _accounted(result: sharedoutcomes.ConversionResult, marker: str) -> bool:
    in_package = marker in json.dumps(dict(result.document), ensure_ascii=False, default=str)
    in_problems = any(marker in p.message and p.rule == "conversion.not-read" for p in result.problems)
    return in_package or in_problems


def _convert(text: str, suffix: str) -> sharedoutcomes.ConversionResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"grants{suffix}"
        path.write_text(text, encoding="utf-8")
        return sharedoutcomes.convert(path, format="360giving")


@given(grant=st.integers(0, len(GRANTS) - 1), where=st.sampled_from(["grant", "recipient", "location", "package",
                                                                      "programme"]),
       key=NAME, marker=MARK)
def test_an_extra_json_member_anywhere_is_kept(grant: int, where: str, key: str, marker: str) -> None:
    data: dict[str, Any] = {"grants": json.loads(json.dumps(GRANTS))}
    target = {"grant": data["grants"][grant], "recipient": data["grants"][grant]["recipientOrganization"][0],
              "location": data["grants"][grant].setdefault("beneficiaryLocation", [{}])[0], "package": data,
              "programme": data["grants"][grant]["grantProgramme"][0]}[where]
    if key in target or key == "grants":
        return
    target[key] = {"note": marker} if len(key) % 2 else marker

    result = _convert(json.dumps(data, ensure_ascii=False), ".json")

    assert _accounted(result, marker)
    assert result.coverage is not None
    assert result.coverage.complete


@given(heading=NAME, marker=MARK, row=st.integers(0, 1), blank_heading=st.booleans())
def test_an_extra_csv_column_is_kept_or_reported(heading: str, marker: str, row: int, blank_heading: bool) -> None:
    source = (Path(__file__).parent / "data" / "scottish-quirks.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(source)))
    if heading.strip() in rows[0]:
        return
    rows[0].append("" if blank_heading else heading)
    for index, line in enumerate(rows[1:]):
        line.append(marker if index == row else "")
    out = io.StringIO()
    csv.writer(out).writerows(rows)

    result = _convert(out.getvalue(), ".csv")

    assert _accounted(result, marker)
    assert result.coverage is not None
    assert result.coverage.complete is not blank_heading
