"""The browser fixtures (`browser`, `page`) for the tests of this folder: see `tests._browser`."""

from tests._browser import browser, page

__all__ = ["browser", "page"]
