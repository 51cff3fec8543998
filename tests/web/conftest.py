"""Fixtures for the validator page: an app, a client with a session, and uploading through it."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from sharedoutcomes.web import Limits, create_app
from tests._browser import browser

__all__ = ["Client", "browser", "client", "csrf_of", "make_client", "tmp_tempdir"]

BASE = "http://127.0.0.1"


def csrf_of(html: str) -> str:
    found = re.search(r"name='csrf' value='([^']+)'", html)
    assert found, "the upload page has no CSRF token"
    return found.group(1)


class Client:
    """A browser session on the page: it has opened the upload page, so it has a cookie and a token."""

    def __init__(self, http: TestClient) -> None:
        self.http = http
        self.csrf = csrf_of(http.get("/").text)

    def upload(self, files: Sequence[tuple[str, bytes]], *, csrf: str | None = None, format: str = "",
               follow: bool = False, **kwargs: Any) -> Any:
        parts = [("files", (name, data)) for name, data in files]
        token = self.csrf if csrf is None else csrf
        data = {"format": format} if not token else {"csrf": token, "format": format}
        return self.http.post("/check", data=data, files=parts, follow_redirects=follow, **kwargs)

    def check(self, files: Sequence[tuple[str, bytes]], **kwargs: Any) -> tuple[str, str]:
        """Upload *files*; return the results' id and the results page."""
        response = self.upload(files, **kwargs)
        assert response.status_code == 303, response.text[:2000]
        location = response.headers["location"]
        page = self.http.get(location)
        assert page.status_code == 200
        return location.rsplit("/", 1)[1], page.text


def make_client(**options: Any) -> Iterator[Client]:
    limits = options.pop("limits", None) or Limits()
    with TestClient(create_app(limits=limits, **options), base_url=BASE) as http:
        yield Client(http)


@pytest.fixture
def client() -> Iterator[Client]:
    yield from make_client()


@pytest.fixture
def tmp_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary directories go under a folder of this test's own, so that the test can see them removed."""
    folder = tmp_path / "tempdir"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder
