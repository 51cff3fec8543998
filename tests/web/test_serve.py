"""The ``serve`` command and the real server: 127.0.0.1 by default, says so, logs nothing that holds evidence."""

from __future__ import annotations

import io
import logging
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pytest
import uvicorn

from sharedoutcomes.cli import build_parser, main
from sharedoutcomes.web import Limits, server_config
from sharedoutcomes.web import _serve as serve_module
from tests.web._files import STAR_EXPORT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Running:
    """A real uvicorn server on 127.0.0.1, in a thread, stopped at the end."""

    def __init__(self, **options: Any) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(server_config(port=self.port, **options))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Running:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture
def running() -> Iterator[Running]:
    with Running() as server:
        yield server


def test_serve_listens_on_127_0_0_1_by_default_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[uvicorn.Config] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: served.append(self.config))
    out = io.StringIO()

    assert main(["serve", "--port", "8765"], out=out) == 0

    text = out.getvalue()
    assert "http://127.0.0.1:8765/" in text
    assert "only this computer can open it" in text
    assert served[0].host == "127.0.0.1"
    assert served[0].access_log is False


def test_serve_on_another_address_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: None)
    out = io.StringIO()

    main(["serve", "--host", "0.0.0.0", "--port", "8765"], out=out)

    assert "other computers on your network can open it" in out.getvalue()


def test_the_limits_are_options_of_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Limits] = []
    monkeypatch.setattr(serve_module, "create_app", lambda **kw: seen.append(kw["limits"]) or None)
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: None)

    main(["serve", "--max-file-mb", "5", "--max-files", "7", "--max-total-mb", "12"], out=io.StringIO())

    assert (seen[0].file_bytes, seen[0].files, seen[0].total_bytes) == (5 * 1024 * 1024, 7, 12 * 1024 * 1024)


def test_serve_is_in_the_help() -> None:
    assert "serve" in build_parser().format_help()


def test_nothing_that_holds_evidence_is_logged(running: Running, caplog: pytest.LogCaptureFixture,
                                               capfd: pytest.CaptureFixture[str]) -> None:
    secret_name = "SECRET-person-TTC0452.csv"
    secret_value = "Zebedee-Quartermaine"
    data = STAR_EXPORT.read_bytes().replace(b"\n", f"\n{secret_value},".encode(), 1)
    caplog.set_level(logging.DEBUG)
    with httpx.Client(base_url=running.url, follow_redirects=True) as http:
        page = http.get("/")
        token = re.search(r"name='csrf' value='([^']+)'", page.text)
        assert token is not None
        response = http.post("/check", data={"csrf": token.group(1)}, files=[("files", (secret_name, data))])
        assert response.status_code == 200
        assert "SECRET-person-TTC0452.csv" in response.text
        http.get(f"/rules/{secret_value}")  # a request line that holds evidence

    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]  # not the client's
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in server_side) + "".join(capfd.readouterr())
    assert secret_name not in logged
    assert secret_value not in logged
    assert "TTC0452" not in logged
    assert "GET /" not in logged  # no access log at all
    assert "POST /check" not in logged


def test_a_simple_get_answers_on_the_real_server(running: Running) -> None:
    with httpx.Client(base_url=running.url) as http:
        assert http.get("/health").text == "ok"
        assert http.get("/", headers={"host": "evil.example"}).status_code == 400


class _Waiting:
    """A format whose reading blocks until the test lets it go, counting how many read at once."""

    name = "waiting"
    description = "A format that waits."
    extensions = (".wait",)

    def __init__(self) -> None:
        self.go = threading.Event()
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.started = threading.Event()

    def read(self, source: Any, **options: Any) -> Any:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        self.started.set()
        self.go.wait(30)
        with self.lock:
            self.now -= 1
        raise RuntimeError("done waiting")  # the page reports it as that file's error


def _upload_in_thread(url: str, names: list[str], results: list[int]) -> threading.Thread:
    def run() -> None:
        with httpx.Client(base_url=url, timeout=60, follow_redirects=True) as http:
            token = re.search(r"name='csrf' value='([^']+)'", http.get("/").text)
            assert token is not None
            response = http.post("/check", data={"csrf": token.group(1)},
                                 files=[("files", (name, b"x")) for name in names])
            results.append(response.status_code)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_conversions_run_off_the_event_loop_in_a_bounded_pool() -> None:
    from sharedoutcomes.converters import default_registry
    from sharedoutcomes.web import create_app

    waiting = _Waiting()
    app = create_app(limits=Limits(workers=2), registry=default_registry().with_converter(waiting))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, access_log=False, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        while not server.started:
            time.sleep(0.05)
        results: list[int] = []
        uploads = [_upload_in_thread(url, [f"a{i}.wait", f"b{i}.wait"], results) for i in range(3)]
        assert waiting.started.wait(20)
        time.sleep(0.5)  # let every upload reach the pool
        start = time.perf_counter()
        answer = httpx.get(url + "/health", timeout=10)  # while conversions are blocked
        assert answer.text == "ok"
        assert time.perf_counter() - start < 5
        assert waiting.now == 2  # two at a time: the pool is bounded
        waiting.go.set()
        for upload in uploads:
            upload.join(60)
        assert results == [200, 200, 200]
        assert waiting.most == 2
    finally:
        waiting.go.set()
        server.should_exit = True
        thread.join(20)


def test_without_the_web_extra_the_command_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "starlette", None)  # as if Starlette were not installed

    assert main(["serve"], out=io.StringIO()) == 2

    assert "sharedoutcomes[web]" in capsys.readouterr().err
