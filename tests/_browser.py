"""
The browser test rig: Debian's chromium driven by Playwright (Python), and axe-core run inside the page.

Import the fixtures into a test folder's ``conftest.py``::

    from tests._browser import browser, page  # noqa: F401  (pytest fixtures)

and use the helpers in tests::

    from tests._browser import assert_accessible, screenshot

No browser is downloaded: Playwright launches ``/usr/bin/chromium`` (``CHROMIUM`` overrides the
path), which ``.ci/run`` installs with apt-get when it is absent; axe-core comes from
``node_modules/`` (``npm ci`` in ``.ci/run``, pinned in ``package.json``). When either is missing,
the browser tests fail under CI (``CI=true``: they must run there) and are skipped with the reason
otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["AXE", "CHROMIUM", "CHROMIUM_ARGS", "IMAGES", "WCAG_TAGS", "assert_accessible", "browser",
           "missing", "page", "screenshot"]

ROOT: Final = Path(__file__).resolve().parent.parent
CHROMIUM: Final = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
"""Debian's chromium (``apt-get install chromium``); the environment variable ``CHROMIUM`` overrides it."""
AXE: Final = ROOT / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, installed by ``npm ci`` from the root ``package.json``."""
IMAGES: Final = ROOT / "docs" / "how-to" / "images"
"""Where the docs' screenshots go (the how-to pages show them as ``images/NAME.png``)."""

CHROMIUM_ARGS: Final = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
"""Headless, offline-minded: no sync, no component updates, no background requests."""

WCAG_TAGS: Final = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
"""The axe rule tags checked: WCAG 2.0, 2.1 and 2.2, levels A and AA."""


def missing() -> str | None:
    """Why the browser tests cannot run here (None when chromium, Playwright and axe-core are all present)."""
    if not CHROMIUM.exists():
        return (f"chromium is not installed at {CHROMIUM} (apt-get install chromium, as .ci/run does, "
                "or set CHROMIUM to its path)")
    if not AXE.exists():
        return f"axe-core is not installed at {AXE.relative_to(ROOT)} (run 'npm ci' at the repository root)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright (Python) is not installed (pip install -e '.[test]')"
    return None


def _require() -> None:
    """Fail under CI, skip otherwise, when the rig is incomplete."""
    reason = missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"the browser tests must run in CI: {reason}")
    pytest.skip(reason)


_SHARED: dict[str, Browser] = {}
"""The one browser of the test session: each folder's conftest imports the fixture (a separate fixture to
pytest), and Playwright's sync API cannot run twice at once in one process, so the first opens it for all."""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, with a fresh user-data directory of its own, for the whole session."""
    _require()
    if "browser" in _SHARED:  # another folder's fixture opened it: share it, and let that one close it
        yield _SHARED["browser"]
        return
    from playwright.sync_api import sync_playwright

    # A plain launch gives chromium a fresh temporary profile (user-data directory), which
    # Playwright deletes when the browser closes: nothing is shared with any user's profile.
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=list(CHROMIUM_ARGS))
        _SHARED["browser"] = instance
        try:
            yield instance
        finally:
            del _SHARED["browser"]
            instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A new page in its own context (no cookies or storage shared between tests), downloads accepted."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900},
                                  locale="en-GB")
    try:
        yield context.new_page()
    finally:
        context.close()


def assert_accessible(page: Page, *, context: str | None = None) -> None:
    """
    Run axe-core in *page* (or in the part matching the CSS selector *context*); fail listing each WCAG 2.2 A/AA violation.

    Each violation is listed with its rule, its impact, what it means, and the selector of every
    element it was found on, so that the failure says what to fix and where.
    """
    page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}, "resultTypes": ["violations"]}
    result: dict[str, Any] = page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options])
    violations = result["violations"]
    if not violations:
        return
    lines = [f"{len(violations)} accessibility violation(s) (WCAG 2.2 A/AA) in {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} "
                     f"<{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {summary}")
    pytest.fail("\n".join(lines), pytrace=False)


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of *page* as ``docs/how-to/images/NAME.png`` (for the docs) and return its path."""
    if not name.replace("-", "").isalnum():
        msg = f"a screenshot's name is letters, digits and hyphens, not {name!r}"
        raise ValueError(msg)
    IMAGES.mkdir(parents=True, exist_ok=True)
    path = IMAGES / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path
