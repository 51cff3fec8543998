"""
The validator page in a real browser (Debian's chromium through Playwright), against the real server.

A folder of North Ayrshire returns (one with a wrong answer) and a Star export are uploaded with the
page's own folder and file inputs, the rendered problem list is read, each download is fetched and
checked, axe-core checks WCAG 2.2 AA, and the screenshots of the docs are made here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

import sharedoutcomes
from tests._browser import assert_accessible, screenshot
from tests.web._files import STAR_EXPORT, write_returns
from tests.web.test_serve import Running


@pytest.fixture(scope="module")
def server() -> Iterator[Running]:
    with Running() as running:
        yield running


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    # axe-core is injected as an inline script, which the page's own policy rightly forbids: bypass it for axe
    # only (test_the_page_runs_under_its_own_policy checks the policy in a context that keeps it).
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900}, locale="en-GB",
                                  bypass_csp=True)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def returns_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("upload") / "returns-q1"
    write_returns(folder, 6, bad=3)
    return folder


def _upload(page, server: Running, folder: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/")
    page.set_input_files("#folder", str(folder))
    page.set_input_files("#files", str(STAR_EXPORT))
    page.get_by_role("button", name="Check the files").click()
    page.wait_for_url("**/checked/**")


def test_the_upload_page_is_accessible_and_keyboard_operable(page, server: Running) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/")

    assert_accessible(page)
    page.keyboard.press("Tab")  # the skip link first
    assert page.evaluate("document.activeElement.className") == "skip"
    reached = []
    for _ in range(6):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert {"files", "folder", "format"} <= set(reached)
    assert "BUTTON" in reached
    screenshot(page, "serve-upload")


def test_the_page_runs_under_its_own_policy(browser, server: Running) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    try:
        strict = context.new_page()
        problems: list[str] = []
        strict.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        requests: list[str] = []
        strict.on("request", lambda r: requests.append(r.url))
        strict.goto(server.url + "/")
        strict.wait_for_load_state("networkidle")
        assert strict.evaluate("document.documentElement.classList.contains('has-js')")  # drop.js ran
        assert problems == []
        assert all(url.startswith(server.url) for url in requests), requests
    finally:
        context.close()


def test_a_folder_of_returns_and_a_star_export_give_problems_package_and_report(  # type: ignore[no-untyped-def]
        page, server: Running, returns_folder: Path) -> None:
    _upload(page, server, returns_folder)

    assert page.locator("h1").inner_text() == "What was found in 7 files"
    rows = page.locator("table.summary tbody tr")
    assert rows.count() == 7
    bad = page.locator("section.file", has_text="return-04.docx")
    first = bad.locator(".problem.error").first
    assert "Must be corrected" in first.inner_text()
    assert "What to do:" in first.inner_text()
    assert first.locator("a.code").get_attribute("href").startswith("/rules/form.")
    assert page.locator("section.file", has_text="star-online-wide.csv").locator("text=Read as outcomes-star").count()
    assert_accessible(page)
    screenshot(page, "serve-results", full_page=False)
    bad.locator("h3", has_text="Problems").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -80)")
    screenshot(page, "serve-problems", full_page=False)


def _download(page, link_text: str) -> bytes:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.get_by_role("link", name=link_text).click()
    return Path(info.value.path()).read_bytes()


def test_every_download_opens_and_holds_what_the_page_showed(  # type: ignore[no-untyped-def]
        page, server: Running, returns_folder: Path) -> None:
    _upload(page, server, returns_folder)

    merged = json.loads(_download(page, "The package of the whole set (JSON)"))
    assert sharedoutcomes.validate(merged).ok
    assert len(merged["organisations"]) >= 6
    one = json.loads(_download(page, "return-01.xlsx: the package (JSON)"))
    assert sharedoutcomes.validate(one).ok
    workbook = openpyxl.load_workbook(io.BytesIO(_download(page, "The problem list (Excel)")))
    cells = [str(c) for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row]
    assert any("return-04.docx" in c for c in cells)
    table = list(csv.DictReader(io.StringIO(_download(page, "The problem list (CSV)").decode("utf-8-sig"))))
    assert any(row["file"] == "return-04.docx" and row["severity"].lower().startswith("error") for row in table)
    listed = _download(page, "The problem list (web page)").decode("utf-8")
    assert "return-04.docx" in listed
    report = _download(page, "The contribution report (web page)").decode("utf-8")
    assert "Contribution, not attribution" in report


def test_the_report_and_a_rule_page_are_accessible(page, server: Running, returns_folder: Path) -> None:  # type: ignore[no-untyped-def]
    _upload(page, server, returns_folder)
    page.get_by_role("link", name="Open the contribution report of the whole set").click()
    page.wait_for_load_state()

    assert "Contribution, not attribution" in page.content()
    assert_accessible(page)
    page.go_back()
    page.locator("section.file a.code").first.click()
    assert page.locator("h2", has_text="What to do").count() == 1
    assert_accessible(page)


def test_the_page_works_without_javascript(browser, server: Running, returns_folder: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(server.url + "/")
        assert not plain.locator("text=or drag them here").is_visible()  # only offered when it works
        plain.set_input_files("#folder", str(returns_folder))
        plain.get_by_role("button", name="Check the files").click()
        plain.wait_for_url("**/checked/**")
        assert plain.locator("h1").inner_text() == "What was found in 6 files"
    finally:
        context.close()
