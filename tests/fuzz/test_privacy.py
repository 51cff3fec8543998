"""Fuzzing the privacy family: detectors, identifier normalisation and the tabular pseudonymiser on arbitrary input."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from sharedoutcomes._util.identifiers import find_identifiers, postcode_district, redact
from sharedoutcomes.exceptions import SharedOutcomesError
from sharedoutcomes.privacy import Pseudonymiser, pseudonymise_rows
from sharedoutcomes.validation import validate

KEY = b"f" * 32
cells = st.none() | st.text(max_size=40) | st.integers() | st.floats(allow_nan=True) | st.booleans() | st.datetimes() \
    | st.sampled_from(("CHI", "Name", "DOB", "Postcode", "Address", "Email", "Worker", "12/04/1956", "KA12 8RT",
                       "943 476 5919", "000 000 0000", "P-AAAAAAAAAAAAAAAAAAAA"))


@given(st.text())
def test_detectors_find_spans_inside_the_text(text: str) -> None:
    found = find_identifiers(text)
    assert all(0 <= f.start < f.end <= len(text) for f in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    redact(text, found)
    postcode_district(text)


_PIECES = st.sampled_from(("DOB ", "born on ", "date of birth: ", "12/04/1956", "3rd March 1990", "1/2/56", "KA12 8RT",
                           "ka1 2ab", "943 476 5919", "1204561230", "07700 900123", "+44 (0)1294 555 123", "01294555123",
                           "ann@example.org", "@", " ", "(57)", "Tuesdays", "7", "-", "/"))


@given(st.lists(_PIECES | st.text(alphabet="0123456789 /-@+()abcDOBKA", max_size=12), max_size=12))
def test_the_digit_count_shortcut_finds_what_the_full_search_finds(pieces: list[str]) -> None:
    # ASCII text is searched only by the detectors its digits allow; with a non-ASCII character after a space,
    # every detector runs. What they find in the text must be the same.
    text = "".join(pieces)
    assert find_identifiers(text) == find_identifiers(text + " é")


@given(st.text(max_size=30), st.sampled_from(("auto", "chi", "nhs", "local")), st.none() | st.text(max_size=10))
def test_pseudonym_of_anything_is_a_pseudonym_or_a_library_error(identifier: str, kind: str, organisation: str | None) -> None:
    try:
        pseudonym = Pseudonymiser(KEY).pseudonym(identifier, kind=kind, organisation=organisation)  # type: ignore[arg-type]
    except SharedOutcomesError:
        return
    assert pseudonym.startswith("P-")
    assert len(pseudonym) == 22


@given(st.lists(st.lists(cells, max_size=8), max_size=12))
def test_any_grid_of_cells_is_pseudonymised_or_refused_by_a_library_error(rows: list[list[object]]) -> None:
    out, _, problems = pseudonymise_rows(rows, Pseudonymiser(KEY, organisation="GB-SC-SC038977"), file="x.csv",
                                         options=None)
    assert len(out) == len(rows)
    assert all(p.rule.startswith("privacy.") for p in problems)


@given(st.text(max_size=200), st.sampled_from(("partners", "public", "personal")))
def test_the_free_text_rule_on_any_narrative(narrative: str, level: str) -> None:
    package = {"schema_version": "0.2", "id": "p", "title": "T", "publisher": "GB-SC-SC038977",
               "produced": dt.datetime(2025, 1, 1, tzinfo=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "sharing_level": level,
               "organisations": [{"id": "GB-SC-SC038977", "name": "C", "sector": "third"}],
               "evidence": [{"id": "ev-1", "kind": "quote", "narrative": narrative or "x"}]}
    fast, reference = validate(package), validate(package, fast=False)
    assert [p.to_dict() for p in fast.problems] == [p.to_dict() for p in reference.problems]
