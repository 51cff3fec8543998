"""
Accounting (issue 10, item 1): extra content anywhere in a form ends in the package or in a not-read problem.

One property test per reader (Word, Excel, JSON). Each starts from the library's own filled
form, adds text where Hypothesis chooses (paragraphs between tables, rows of tables, empty
cells of any sheet, JSON members at any level), reads it, and checks that every added text is
in the package document or in a problem: never nowhere.
"""

from __future__ import annotations

import functools
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharedoutcomes import example_package
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.converters import ConversionResult
from sharedoutcomes.forms import read_form, write_form
from sharedoutcomes.forms._values import slug

_WORDS = st.text(alphabet="qxzjkvw", min_size=3, max_size=8)
TEXTS = st.lists(_WORDS, min_size=1, max_size=4).map(lambda words: "Zq " + " ".join(words))
"""Texts no profile knows (they start 'Zq', and use letters no label is made of)."""

_PROPERTY = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                     deadline=None, max_examples=12)
"""A Word or Excel form takes a second or two to write, read and validate: a dozen forms a run (fewer than the profiles)."""


@functools.cache
def _written(kind: str, profile: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"return.{kind}"
        write_form(example_package(), path, organisation_id="GB-SC-SC045123", profile=profile)
        return path.read_bytes()


def _accounted(result: ConversionResult, texts: list[str]) -> list[str]:
    """The texts found nowhere: neither in the package document (an outcome's number: in its id) nor in a problem."""
    document = json.dumps(result.document, ensure_ascii=False)
    reported = " ".join(f"{p.message} {p.value}" for p in result.problems)
    return [t for t in texts if t not in document and t not in reported and f"-out-{slug(t)}" not in document]


@_PROPERTY
@given(profile=st.sampled_from(["north-ayrshire", "harmonising-reporting"]),
       paragraphs=st.lists(st.tuples(st.integers(0, 400), TEXTS), max_size=4),
       rows=st.lists(st.tuples(st.integers(0, 40), TEXTS, TEXTS), max_size=3))
def test_word_extra_content_is_read_or_reported(profile: str, paragraphs: list[tuple[int, str]],
                                                rows: list[tuple[int, str, str]]) -> None:
    import docx

    document = docx.Document(io.BytesIO(_written("docx", profile)))
    body = list(document.element.body.iterchildren())
    for position, text in paragraphs:
        anchor = body[position % (len(body) - 1)]  # never after the section properties
        new = document.add_paragraph(text)._p
        anchor.addnext(new)
    tables = document.tables
    for index, label, value in rows:
        table = tables[index % len(tables)]
        row = table.add_row()
        row.cells[0].text = label
        row.cells[-1].text = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extra.docx"
        document.save(str(path))
        result = read_form(path, profile=profile)
    added = [t for _p, t in paragraphs] + [t for _i, label, value in rows for t in (label, value)]
    assert _accounted(result, added) == []
    assert result.coverage is not None
    assert result.coverage.total_read + result.coverage.total_not_read >= len(added)


@_PROPERTY
@given(profile=st.sampled_from(["north-ayrshire", "harmonising-reporting"]),
       cells=st.lists(st.tuples(st.integers(0, 10), st.integers(1, 60), st.integers(1, 12), TEXTS), min_size=1,
                      max_size=5))
def test_excel_extra_content_is_read_or_reported(profile: str, cells: list[tuple[int, int, int, str]]) -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(_written("xlsx", profile)))
    sheets = [s for s in workbook.worksheets if s.title != "Lists"]
    added = []
    for index, row, column, text in cells:
        sheet = sheets[index % len(sheets)]
        if sheet.cell(row, column).value is None and not any(
                sheet.cell(row, column).coordinate in merged for merged in sheet.merged_cells.ranges):
            sheet.cell(row, column, text)
            added.append(text)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extra.xlsx"
        workbook.save(str(path))
        result = read_form(path, profile=profile)
    assert _accounted(result, added) == []


_JSON_VALUES = st.one_of(TEXTS, st.lists(TEXTS, min_size=1, max_size=2), st.dictionaries(TEXTS, TEXTS, min_size=1,
                                                                                         max_size=2))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(top=st.dictionaries(TEXTS, _JSON_VALUES, max_size=2), answers=st.dictionaries(TEXTS, TEXTS, max_size=3),
       row_members=st.lists(st.tuples(st.integers(0, 5), TEXTS, TEXTS), max_size=3),
       tables=st.dictionaries(TEXTS, st.lists(st.dictionaries(TEXTS, TEXTS, min_size=1, max_size=2), min_size=1,
                                              max_size=2), max_size=2))
def test_json_extra_members_are_read_or_reported(top: dict[str, Any], answers: dict[str, str],
                                                 row_members: list[tuple[int, str, str]],
                                                 tables: dict[str, list[dict[str, str]]]) -> None:
    data = json.loads(_written("json", "north-ayrshire"))
    data.update(top)
    data["answers"].update(answers)
    added = [*answers.values()]
    filled = [rows for rows in data["tables"].values() if rows]
    in_rows: dict[tuple[int, int, str], str] = {}  # a key set twice on one row: its last value is the input
    for index, key, value in row_members:
        rows = filled[index % len(filled)]
        rows[index % len(rows)][key] = value
        in_rows[index % len(filled), index % len(rows), key] = value
    added += in_rows.values()
    data["tables"].update(tables)
    added += [v for rows in tables.values() for row in rows for v in row.values()]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extra.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        result = read_form(path)
    assert _accounted(result, added) == []
    # a member a JSON form does not have is reported at its place (and with the start of its text)
    not_read = " ".join(p.message for p in result.problems if p.rule == "conversion.not-read")
    for key, value in top.items():
        assert f"JSON {json_path([key])}" in not_read
        assert json.dumps(value, ensure_ascii=False)[:20] in not_read
