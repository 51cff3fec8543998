"""The rig itself: chromium runs, and axe-core finds a real violation and passes a clean page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests import _browser
from tests._browser import WCAG_TAGS, assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Page

_CLEAN = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clean</title></head>
<body><main><h1>Problems</h1><p style="color:#595959;background:#fff">Grey text at 7:1.</p></main></body></html>"""

_FAINT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Faint</title></head>
<body><main><h1>Problems</h1><p id="faint" style="color:#999;background:#fff">Grey text at 2.8:1.</p>
<input type="text"></main></body></html>"""


def test_a_clean_page_passes(page: Page) -> None:
    page.set_content(_CLEAN)
    assert_accessible(page)


def test_axe_reports_each_violation_with_where_it_is(page: Page) -> None:
    page.set_content(_FAINT)
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)
    text = str(failure.value)
    assert "color-contrast" in text
    assert "at #faint:" in text
    assert "label" in text  # the input has no label
    assert "input" in text


def test_the_tags_are_wcag_2_2_a_and_aa() -> None:
    assert set(WCAG_TAGS) == {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}



def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(_browser, "CHROMIUM", tmp_path / "no-chromium")
    assert "chromium is not installed" in (_browser.missing() or "")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="the browser tests must run in CI: chromium is not installed"):
        _browser._require()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        _browser._require()
