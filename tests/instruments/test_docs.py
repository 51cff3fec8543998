"""The instrument reference page is what the generator writes."""

from __future__ import annotations

from sharedoutcomes._devtools import instrument_docs


def test_the_instrument_reference_page_is_in_sync_with_the_data() -> None:
    page = instrument_docs.PAGE.read_text(encoding="utf-8")
    assert instrument_docs.render() in page, "run: python -m sharedoutcomes._devtools.instrument_docs"
