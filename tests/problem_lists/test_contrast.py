"""WCAG 2.2 AA contrast of every colour pair the contribution report and the problem list use (1.4.3: 4.5:1 for text)."""

from __future__ import annotations

import re

import pytest
from tests._contrast import AA_TEXT, contrast, hex_colour, luminance, rules

import sharedoutcomes
from sharedoutcomes.problem_lists import render_problem_list
from sharedoutcomes.problem_lists._html import CSS as LIST_CSS
from sharedoutcomes.problems import Problem, SourceLocation
from sharedoutcomes.report import render_report
from sharedoutcomes.story import RATING_COLOURS

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def _colour(value: str | None) -> str | None:
    """The colour in a declaration's value (``background:#fff`` or ``1px solid #ccc`` → the colour), or None."""
    if value is None:
        return None
    match = _COLOUR.search(value)
    return hex_colour(match.group(0)) if match else None


def _styles(html: str) -> list[tuple[str, dict[str, str]]]:
    """The rules of the page's stylesheet, and each inline ``style`` attribute as a rule of its own."""
    sheet = "".join(re.findall(r"<style>(.*?)</style>", html, flags=re.S))
    inline = [(f"[style={body[:40]!r}]", dict(rules(f"x{{{body}}}")[0][1]))
              for body in re.findall(r"style='([^']*)'", html) + re.findall(r'style="([^"]*)"', html)]
    return rules(sheet) + inline


def _pairs(html: str) -> list[tuple[str, str, str]]:
    """
    Every (where, text colour, background) pair the page can show.

    A rule that sets both a text colour and a background is that pair. A text colour set without a
    background can sit on any light surface of the page, so it is paired with every one (the page's
    white included): stricter than the page needs, and safe whatever nests in what. SVG text (``fill``
    of a ``<text>``) is paired with the same surfaces.
    """
    styles = _styles(html)
    surfaces = {"#ffffff"} | {colour for _, d in styles if (colour := _colour(d.get("background") or
                                                                                d.get("background-color")))
                               and luminance(colour) > 0.5}
    surfaces |= {hex_colour(f) for f in re.findall(r"<rect[^>]*fill='(#[0-9a-fA-F]{3,6})'", html)
                 if luminance(f) > 0.5}
    pairs = []
    for where, declarations in styles:
        text = _colour(declarations.get("color"))
        if text is None:
            continue
        own = _colour(declarations.get("background") or declarations.get("background-color"))
        pairs.extend([(where, text, own)] if own else [(where, text, surface) for surface in sorted(surfaces)])
    pairs.extend(("svg text", hex_colour(fill), surface)
                 for fill in set(re.findall(r"<text[^>]*fill='(#[0-9a-fA-F]{3,6})'", html)) for surface in surfaces)
    return pairs


def _failures(pairs: list[tuple[str, str, str]]) -> list[str]:
    return [f"{where}: {text} on {background} is {contrast(text, background):.2f}:1"
            for where, text, background in pairs if contrast(text, background) < AA_TEXT]


def test_the_contrast_ratio_is_wcags() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#fff", "#fff") == pytest.approx(1)
    assert contrast("#d98a0b", "#ffffff") == pytest.approx(2.77, abs=0.01)  # the weak badge before 0.2
    assert contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)  # the usual lightest AA grey


def test_every_rating_badge_is_readable() -> None:
    assert not [f"{rating}: white on {colour} is {contrast('#fff', colour):.2f}:1"
                for rating, colour in RATING_COLOURS.items() if contrast("#fff", colour) < AA_TEXT]


@pytest.mark.parametrize("publication", [False, True])
def test_every_colour_pair_of_the_report_is_at_least_4_5_to_1(publication: bool) -> None:
    html = render_report(sharedoutcomes.example_package(), publication=publication)
    pairs = _pairs(html)
    assert len(pairs) > 50  # the check reads the stylesheet, the inline styles and the pictures
    assert not _failures(pairs)


def test_every_colour_pair_of_the_problem_list_is_at_least_4_5_to_1() -> None:
    problems = {"a.csv": [Problem(rule="star.bad-date", severity=severity, path="$", message="m", value="x",
                                  source=SourceLocation(file="a.csv", row=2, column="D"))
                          for severity in ("error", "warning")]}
    html = render_problem_list(problems, "html").decode("utf-8")
    assert LIST_CSS in html
    assert not _failures(_pairs(html))


def test_the_check_finds_a_faint_colour() -> None:
    """The check itself: a grey label on white at 2.7:1 is reported, with where it is."""
    failures = _failures(_pairs("<style>.faint{color:#9a9a9a}</style><p class='faint'>x</p>"))
    assert failures
    assert failures[0].startswith(".faint: #9a9a9a on #ffffff is 2.8")
