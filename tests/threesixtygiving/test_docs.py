"""The how-to's mapping table is what the code maps."""

from __future__ import annotations

from sharedoutcomes._devtools import threesixtygiving_docs


def test_the_mapping_table_of_the_how_to_is_generated_from_the_code() -> None:
    page = threesixtygiving_docs.PAGE.read_text(encoding="utf-8")

    assert threesixtygiving_docs.render() in page, "run: python -m sharedoutcomes._devtools.threesixtygiving_docs"
