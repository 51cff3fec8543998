"""The survey reader: extra content anywhere in an export ends in the package or in a located problem, never nowhere."""

from __future__ import annotations

import csv
import io
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes._util.paths import column_letter
from sharedoutcomes.exceptions import SharedOutcomesError
from sharedoutcomes.instruments import registry
from sharedoutcomes.surveys._columns import find_header

HEADER = ["Person ID", "Date", *(f"GAD7 {i}" for i in range(1, 8))]
ROW_PROBLEMS = {"survey.duplicate-response", "survey.conflicting-response", "survey.missing-person", "survey.bad-date"}
COLUMN_PROBLEMS = {"survey.personal-data-column", "survey.column-not-read"}

cell_text = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12),
    st.integers(-5, 40).map(str),
    st.sampled_from(["Date of birth", "Comments", "often", "31/02/2024", "GAD7 3", "Total", "n/a", "Q2"]),
)


@st.composite
def exports(draw: st.DrawFn) -> list[list[str]]:
    rows = [list(HEADER)]
    for n in range(draw(st.integers(0, 6))):
        answers = [str(draw(st.integers(0, 3))) for _ in range(7)]
        rows.append([f"P-{draw(st.integers(1, 3))}", f"{1 + n:02d}/0{draw(st.integers(1, 9))}/2024", *answers])
    for _ in range(draw(st.integers(0, 8))):  # extra content anywhere, also beyond the table
        r = draw(st.integers(0, len(rows) + 2))
        c = draw(st.integers(0, len(HEADER) + 2))
        while r >= len(rows):
            rows.append([])
        row = rows[r]
        row.extend([""] * (c + 1 - len(row)))
        row[c] = draw(cell_text)
    if draw(st.booleans()):
        rows.insert(0, [draw(cell_text)])  # a title row above the header
    return rows


def _accounted(result: sharedoutcomes.ConversionResult, row: int, letter: str, header_rows: set[int]) -> bool:
    if any(s.row == row and s.column == letter for s in result.source_map.values()):
        return True
    for problem in result.problems:
        source = problem.source
        if source is None:
            continue
        if problem.rule in ("survey.no-instrument", "survey.no-items"):  # the whole file is not read
            return True
        if source.row == row and (source.column == letter or problem.rule in ROW_PROBLEMS):
            return True
        if problem.rule in COLUMN_PROBLEMS and source.column == letter and source.row in header_rows | set(range(1, row + 1)):
            return True
    return False


@given(exports())
def test_every_non_empty_cell_is_read_or_reported(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data: Any = io.BytesIO(buffer.getvalue().encode("utf-8"))
    try:
        result = sharedoutcomes.convert(data, format="survey", organisation_id="GB-SC-SC099001", today="2025-01-01")
    except SharedOutcomesError:
        return  # a library error (a package that cannot be built) is an answer too
    cells = [(r, c) for r, row in enumerate(rows, start=1) for c, text in enumerate(row) if text.strip()]
    assert result.coverage is not None
    assert result.coverage.total_read + result.coverage.total_not_read == len(cells)
    header_rows = {p.source.row for p in result.problems if p.rule in COLUMN_PROBLEMS and p.source and p.source.row}
    table = [(n, list(row)) for n, row in enumerate(rows, start=1)]
    header = table[find_header(table, registry())][0] if any(c.strip() for row in rows for c in row) else 0
    for r, c in cells:
        if r == header and not any(p.rule in COLUMN_PROBLEMS and p.source and p.source.column == column_letter(c)
                                   for p in result.problems):
            continue  # a heading the reader used (every other heading is reported with its column)
        assert _accounted(result, r, column_letter(c), header_rows), (r, column_letter(c), rows[r - 1][c])
