"""The problem list and the contribution report in a real browser: accessible (axe, WCAG 2.2 AA), readable, keyboard-usable."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests._browser import assert_accessible, screenshot

import sharedoutcomes
from sharedoutcomes import convert, validate
from sharedoutcomes.cli import main
from sharedoutcomes.exceptions import InvalidDocument
from sharedoutcomes.problem_lists import problem_list, write_problem_list
from sharedoutcomes.problems import catalogue
from sharedoutcomes.report import write_report

if TYPE_CHECKING:
    from playwright.sync_api import Page

TESTS = Path(__file__).resolve().parent.parent
STARS = TESTS / "stars" / "data"


@pytest.fixture(scope="module")
def returns() -> dict[str, object]:
    """Real files: a hand-made tables folder (no package can be built), two CRM Star exports, the example package."""
    with pytest.raises(InvalidDocument) as raised:
        convert(TESTS / "tables" / "data" / "hand-made", format="tables-csv")
    return {
        "hand-made": raised.value,
        "crm-long.csv": convert(STARS / "crm-long.csv", format="outcomes-star", organisation_id="GB-SC-SC045123"),
        "hostel-crm-export.csv": convert(STARS / "hostel-crm-export.csv", format="outcomes-star"),
        "example-partnership.json": validate(sharedoutcomes.example_package_path()),
    }


def _open(page: Page, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_load_state("load")


def test_the_problem_list_is_accessible_and_says_what_to_correct(page: Page, tmp_path: Path,
                                                                returns: dict[str, object]) -> None:
    path = write_problem_list(returns, tmp_path / "problems.html", title="Problems to correct: quarter 3 returns")
    _open(page, path)
    assert_accessible(page)
    listed = problem_list(returns)
    assert page.locator("tbody tr").count() == len(listed.rows)
    # one section per file, in order, each headed by the file's name (the clean one says so)
    headings = page.locator("main section h2").all_inner_texts()
    assert headings == list(listed.files)
    clean = page.locator("section", has=page.get_by_role("heading", name="example-partnership.json"))
    assert clean.get_by_text("No problems found.").is_visible()
    # the row of the bad JSON cell: where, the value, the catalogue's words, what to do, and a link to the rule
    section = page.locator("section", has=page.get_by_role("heading", name="hand-made/evidence.values.csv"))
    row = section.locator("tbody tr", has_text="cell C4")
    cells = row.locator("td").all_inner_texts()
    kind = catalogue()["tables.cell"]
    assert cells[0].startswith("row 4, column C ('Value')")
    assert "$.evidence[2].values[0].value" in cells[0]
    assert cells[1] == "'json:[oops'"
    assert cells[2].startswith(kind.summary)
    assert cells[3].startswith("Correct the JSON in the cell (keys and strings in double quotes)")
    assert cells[4] == "Error"
    assert row.get_by_role("link", name="tables.cell").get_attribute("href") == kind.url
    screenshot(page, "problem-list", full_page=False)


def test_the_problem_list_is_used_with_the_keyboard(page: Page, tmp_path: Path, returns: dict[str, object]) -> None:
    _open(page, write_problem_list(returns, tmp_path / "problems.html"))
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.textContent]")
    assert focused == ["A", "hand-made/evidence.values.csv"]  # the contents first: one link per file
    # the focused link is visibly marked (WCAG 2.4.7)
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.url.endswith("#file-1")
    page.keyboard.press("Tab")  # from the file's heading, the next stop is the first rule link in that file
    inside = page.evaluate("() => document.activeElement.closest('section') && "
                           "document.activeElement.closest('section').querySelector('h2').id")
    assert inside == "file-1"

def test_the_cli_list_opens_in_the_browser(page: Page, tmp_path: Path) -> None:
    target = tmp_path / "crm-long-problems.html"
    code = main(["convert", str(STARS / "crm-long.csv"), "--from", "outcomes-star", "-o", str(tmp_path / "s.json"),
                 "--problems", str(target)])
    assert code == 1
    _open(page, target)
    assert_accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Problems to correct: crm-long.csv"
    assert page.get_by_text("the Lifestyle score 'three' is not a number").is_visible()


@pytest.mark.parametrize("publication", [False, True], ids=["full", "publication"])
def test_the_contribution_report_is_accessible(page: Page, tmp_path: Path, publication: bool) -> None:
    path = write_report(sharedoutcomes.example_package(), tmp_path / "report.html", publication=publication)
    _open(page, path)
    assert_accessible(page)
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("heading", level=1).count() == 1
    badge = page.locator(".badge", has_text="weak").first
    if badge.count():
        colours = badge.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
        assert colours[1] != "rgb(217, 138, 11)"  # the 2.77:1 amber of 0.1
    if not publication:
        page.set_viewport_size({"width": 1200, "height": 900})
        screenshot(page, "contribution-report", full_page=False)
