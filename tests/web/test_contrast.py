"""Every colour pair of the validator page's stylesheet meets WCAG 2.2 AA (4.5:1 for text, 3:1 for focus rings)."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from tests._contrast import AA_TEXT, contrast

CSS = files("sharedoutcomes.web").joinpath("assets", "style.css").read_text(encoding="utf-8")
VARS = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", CSS))
WHITE, TINT, ALERT = "#ffffff", "#e8effc", "#fdf2f4"

# (foreground, background, where the page puts it)
TEXT_PAIRS = [
    ("text", WHITE, "body text"), ("muted", WHITE, "hints, captions, footer"), ("link", WHITE, "links"),
    ("text", "soft", "text in the drop zone and problem boxes"), ("muted", "soft", "where a problem is, value found"),
    ("link", "soft", "rule codes and summaries in problem boxes"), ("bad", "soft", "'Must be corrected'"),
    ("warn", "soft", "'Check this'"), ("ok", WHITE, "'No problems found'"), (WHITE, "bad", "the red badge"),
    (WHITE, "ok", "the green badge"), (WHITE, "link", "the button"), (WHITE, "#083b7a", "the button, hovered"),
    ("text", ALERT, "an alert's text"), ("text", TINT, "the drop zone while a file is dragged over it"),
]


def _hex(name: str) -> str:
    return VARS.get(name, name)


@pytest.mark.parametrize(("foreground", "background", "where"), TEXT_PAIRS, ids=[p[2] for p in TEXT_PAIRS])
def test_text_colours_have_aa_contrast(foreground: str, background: str, where: str) -> None:
    ratio = contrast(_hex(foreground), _hex(background))

    assert ratio >= AA_TEXT, f"{where}: {ratio:.2f}:1"


def test_the_focus_ring_is_visible_on_every_background() -> None:
    for background in (WHITE, VARS["soft"], TINT):
        assert contrast(VARS["focus"], background) >= 3
    assert contrast(VARS["line"], WHITE) >= 3  # the drop zone's border, a component's edge (WCAG 1.4.11)


def test_every_colour_variable_of_the_stylesheet_is_checked() -> None:
    used = {name for pair in TEXT_PAIRS for name in pair[:2] if name in VARS} | {"focus", "line"}
    assert set(VARS) == used
