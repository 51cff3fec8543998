"""No name a browser sends becomes a path outside the upload's own folder."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sharedoutcomes.web import safe_name
from sharedoutcomes.web._names import MAX_NAME

_PIECES = st.sampled_from(["..", ".", "/", "\\", "\x00", "C:", "~", "\u202e", "\n", "con", "return.docx", " ", "%2e"])
NAMES = st.one_of(st.text(max_size=400), st.lists(_PIECES, max_size=30).map("".join))


@given(NAMES)
def test_a_safe_name_is_one_plain_part_inside_its_folder(name: str) -> None:
    safe = safe_name(name)
    folder = Path("/srv/uploads/7")

    assert safe not in ("", ".", "..")
    assert "/" not in safe
    assert "\\" not in safe
    assert "\x00" not in safe
    assert len(safe) <= MAX_NAME
    assert (folder / safe).resolve().parent == folder.resolve()
    assert all(ch.isprintable() for ch in safe)


def test_a_shortened_name_keeps_its_ending() -> None:
    assert safe_name("é" * 300 + ".xlsx").endswith(".xlsx")
