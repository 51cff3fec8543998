"""
The validator page as an ASGI application (Starlette): `create_app`.

Routes: ``GET /`` the upload page; ``POST /check`` check the uploaded files (a plain multipart form, so it
works without JavaScript) and redirect to ``GET /checked/{id}``; ``GET /download/{id}/{name}`` the
downloads; ``GET /report/{id}`` the contribution report; ``GET /rules/{rule}`` a problem's explanation;
``GET /assets/...`` the page's own stylesheet and script; ``GET /health`` a plain answer for monitoring.

Safety: uploads are limited (`Limits`); the files are written under safe names into a temporary directory
removed when the request ends, whatever happens; each file is converted in a bounded thread pool, off the
event loop, and a format that breaks gives that file an error while the others complete; a per-session
CSRF token is checked on every upload; only this machine's host names are answered (no DNS rebinding);
results are held in memory per session, a bounded number, for a bounded time; nothing is logged.
"""

from __future__ import annotations

import functools
import hmac
import secrets
import tempfile
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from importlib.resources import files as resource_files
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import anyio
import anyio.to_thread
from attrs import define, field
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from sharedoutcomes.converters import ConverterRegistry, default_registry
from sharedoutcomes.problem_lists import ListFormat
from sharedoutcomes.problems import catalogue
from sharedoutcomes.web._check import FileCheck, check_file, failed
from sharedoutcomes.web._downloads import problem_list
from sharedoutcomes.web._limits import Limits
from sharedoutcomes.web._names import safe_name
from sharedoutcomes.web._pages import error_page, index_page, results_page, rule_page
from sharedoutcomes.web._set import CheckedSet, build_set

__all__ = ["COOKIE", "LOCAL_HOSTS", "PAGE_POLICY", "REPORT_POLICY", "create_app"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE: Final = "sharedoutcomes-session"
LOCAL_HOSTS: Final = ("127.0.0.1", "localhost", "::1", "[::1]")
PAGE_POLICY: Final = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
                      "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; connect-src 'self'")
"""The Content-Security-Policy of the page: only its own stylesheet and script, nothing from elsewhere."""
REPORT_POLICY: Final = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                        "form-action 'none'; frame-ancestors 'none'")
"""The policy of the contribution report, a self-contained page with its styles inline and no script."""
_SLACK: Final = 1024 * 1024  # a multipart body's own headers and boundaries, beyond the files' bytes
_ASSETS: Final = {"style.css": "text/css; charset=utf-8", "drop.js": "text/javascript; charset=utf-8"}
_TYPES: Final = {"json": "application/json", "html": "text/html; charset=utf-8", "csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


_LISTS: Final[dict[str, ListFormat]] = {"html": "html", "xlsx": "xlsx", "csv": "csv"}


class _TooLarge(Exception):
    """The request body passed the total limit while it was being read."""


@define
class _Kept:
    checked: CheckedSet
    made: float


@define
class _Session:
    csrf: str
    sets: OrderedDict[str, _Kept] = field(factory=OrderedDict)
    seen: float = field(factory=time.monotonic)


class _Store:
    """The sessions and their checked sets, bounded in count and age (the oldest go first)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.sessions: OrderedDict[str, _Session] = OrderedDict()

    def expire(self) -> None:
        now = time.monotonic()
        for session in self.sessions.values():
            for key in [k for k, kept in session.sets.items() if now - kept.made > self.limits.keep_seconds]:
                del session.sets[key]
        for key in [k for k, s in self.sessions.items() if now - s.seen > self.limits.session_seconds]:
            del self.sessions[key]

    def get(self, key: str | None) -> _Session | None:
        self.expire()
        session = self.sessions.get(key or "")
        if session is not None:
            session.seen = time.monotonic()
            self.sessions.move_to_end(key or "")
        return session

    def new(self) -> tuple[str, _Session]:
        self.expire()
        key = secrets.token_urlsafe(32)
        session = _Session(csrf=secrets.token_urlsafe(32))
        self.sessions[key] = session
        while len(self.sessions) > self.limits.sessions:
            self.sessions.popitem(last=False)
        return key, session

    def keep(self, session: _Session, checked: CheckedSet) -> str:
        key = secrets.token_urlsafe(16)
        session.sets[key] = _Kept(checked=checked, made=time.monotonic())
        while len(session.sets) > self.limits.checks_per_session:
            session.sets.popitem(last=False)
        while sum(len(s.sets) for s in self.sessions.values()) > self.limits.checks:
            oldest = min((s for s in self.sessions.values() if s.sets),
                         key=lambda s: next(iter(s.sets.values())).made)
            oldest.sets.popitem(last=False)
        return key


class _Guard:
    """Outermost: limits the body, adds the security headers, and turns any failure into a plain 500 (unlogged)."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limit = limits.total_bytes + _SLACK

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def headed(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = [(b"content-security-policy", PAGE_POLICY.encode()), (b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"same-origin"), (b"cache-control", b"no-store"),
                         (b"x-frame-options", b"DENY")]
                headers += [(name, value) for name, value in extra if name not in names]
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, counted, headed)
        except Exception:  # never a traceback in a log that might quote evidence
            if not started:
                response = HTMLResponse(error_page("Something went wrong", [
                    "The page could not answer that request. This is a fault in sharedoutcomes, not in your files: "
                    "reload the page and try again, and report it if it happens again."]), status_code=500)
                await response(scope, receive, headed)


def _html(text: str, status: int = 200, **headers: str) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=headers or None)


def _refuse(status: int, title: str, *lines: str) -> HTMLResponse:
    return _html(error_page(title, lines), status)


class _Page:
    """The routes, over one store, one set of limits and one registry of formats."""

    def __init__(self, limits: Limits, registry: ConverterRegistry) -> None:
        self.limits = limits
        self.registry = registry
        self.store = _Store(limits)
        self.limiter = anyio.CapacityLimiter(limits.workers)
        self.formats = tuple(n for n in registry.names() if n != "form")

    def _session(self, request: Request) -> tuple[str, _Session, bool]:
        key = request.cookies.get(COOKIE)
        session = self.store.get(key)
        if session is not None and key is not None:
            return key, session, False
        key, session = self.store.new()
        return key, session, True

    def _with_cookie(self, response: Response, key: str, fresh: bool) -> Response:
        if fresh:
            response.set_cookie(COOKIE, key, httponly=True, samesite="strict", path="/")
        return response

    async def index(self, request: Request) -> Response:
        key, session, fresh = self._session(request)
        page = index_page(csrf=session.csrf, limits=self.limits, formats=self.formats)
        return self._with_cookie(_html(page), key, fresh)

    async def health(self, request: Request) -> Response:
        del request
        return PlainTextResponse("ok")

    async def no_icon(self, request: Request) -> Response:
        del request
        return Response(status_code=204)

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _ASSETS:
            return _refuse(404, "Not found", "There is no such page.")
        data = resource_files("sharedoutcomes.web").joinpath("assets", name).read_bytes()
        return Response(data, media_type=_ASSETS[name], headers={"cache-control": "no-cache"})

    async def rule(self, request: Request) -> Response:
        try:
            kind = catalogue()[request.path_params["rule"]]
        except KeyError:
            return _refuse(404, "No such problem", "No problem has that name. Go back to the results and follow "
                           "the link beside the problem.")
        return _html(rule_page(kind))

    def _kept(self, request: Request) -> CheckedSet | None:
        session = self.store.get(request.cookies.get(COOKIE))
        if session is None:
            return None
        kept = session.sets.get(request.path_params["set"])
        return None if kept is None else kept.checked

    def _gone(self) -> Response:
        minutes = self.limits.keep_seconds // 60
        return _refuse(404, "These results are no longer kept",
                       f"Results are kept for {minutes} minutes, for the browser that checked the files only, "
                       "and then forgotten. Check the files again to see them.")

    async def checked(self, request: Request) -> Response:
        checked = self._kept(request)
        if checked is None:
            return self._gone()
        render = functools.partial(results_page, checked, set_id=request.path_params["set"],
                                   keep_minutes=self.limits.keep_seconds // 60)
        return _html(await anyio.to_thread.run_sync(render))  # a big set's page is rendered off the event loop

    async def report(self, request: Request) -> Response:
        checked = self._kept(request)
        if checked is None or not checked.report_html:
            return self._gone()
        return HTMLResponse(checked.report_html, headers={"content-security-policy": REPORT_POLICY})

    async def download(self, request: Request) -> Response:
        checked = self._kept(request)
        if checked is None:
            return self._gone()
        name: str = request.path_params["name"]
        stem, _, ending = name.partition(".")
        try:
            data = await anyio.to_thread.run_sync(self._artefact, checked, stem, ending, limiter=self.limiter)
        except LookupError:
            return _refuse(404, "Not found", "There is no such download for these results.")
        disposition = _disposition(_download_name(checked, stem, ending))
        headers = {"content-disposition": disposition}
        if ending == "html":
            headers["content-security-policy"] = REPORT_POLICY
        return Response(data, media_type=_TYPES[ending], headers=headers)

    @staticmethod
    def _artefact(checked: CheckedSet, stem: str, ending: str) -> bytes:
        if stem.startswith("file-") and ending == "json" and stem[5:].isdigit():
            index = int(stem[5:])
            if index >= len(checked.files):
                raise LookupError(stem)
            return checked.package_json(index)
        if (stem, ending) == ("merged", "json"):
            return checked.merged_json()
        if (stem, ending) == ("report", "html") and checked.report_html:
            return checked.report_html.encode("utf-8")
        if stem == "problems" and ending in _LISTS:
            return problem_list(checked, _LISTS[ending])
        raise LookupError(stem)

    async def check(self, request: Request) -> Response:
        session = self.store.get(request.cookies.get(COOKIE))
        if session is None:
            return _refuse(403, "This page has expired", "The upload page was opened too long ago, or in another "
                           "browser. Go back to the upload page, reload it, and choose the files again.")
        if not _same_origin(request):
            return _refuse(403, "Upload refused", "The upload did not come from this page.")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limits.total_bytes + _SLACK:
            return self._too_big()
        try:
            form = await request.form(max_files=self.limits.files, max_fields=self.limits.files + 20)
        except _TooLarge:
            return self._too_big()
        except (MultiPartException, HTTPException) as error:
            detail = str(getattr(error, "detail", "") or getattr(error, "message", "") or error)
            if "files" in detail.lower():
                return _refuse(413, "Too many files", f"You can check {self.limits.describe()} at a time. Check "
                               "the files in smaller groups.")
            return _refuse(400, "The upload could not be read", "The browser sent an upload this page cannot read. "
                           "Choose the files again.")
        try:
            return await self._check_form(session, form)
        finally:
            await form.close()

    def _too_big(self) -> Response:
        return _refuse(413, "The files are too big", f"You can check {self.limits.describe()} at a time. Check "
                       "the files in smaller groups, or use the sharedoutcomes command line for bigger ones.")

    async def _check_form(self, session: _Session, form: Any) -> Response:
        token = form.get("csrf")
        if not isinstance(token, str) or not hmac.compare_digest(token.encode(), session.csrf.encode()):
            return _refuse(403, "Upload refused", "The upload form did not carry this page's token, so it may not "
                           "have come from this page. Go back to the upload page, reload it, and try again.")
        uploads = sorted((u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename),
                         key=lambda u: (u.filename or "").casefold())  # a folder's files come in no order
        if not uploads:
            page = index_page(csrf=session.csrf, limits=self.limits, formats=self.formats,
                              message="Choose at least one file or folder to check.")
            return _html(page, 400)
        chosen = form.get("format") or None
        if chosen is not None and chosen not in self.formats:
            return _refuse(400, "Unknown format", "Choose a format from the list, or let the page find it.")
        checks = await self._check_uploads(uploads, chosen if isinstance(chosen, str) else None)
        checked = await anyio.to_thread.run_sync(build_set, checks, limiter=self.limiter)
        key = self.store.keep(session, checked)
        return RedirectResponse(f"/checked/{key}", status_code=303)

    async def _check_uploads(self, uploads: Sequence[UploadFile], chosen: str | None) -> list[FileCheck]:
        checks: list[FileCheck] = []
        total = 0
        with tempfile.TemporaryDirectory(prefix="sharedoutcomes-web-") as work:
            taken: set[str] = set()
            for index, upload in enumerate(uploads):
                name = _unique(safe_name(upload.filename or ""), taken)
                size = upload.size if upload.size is not None else 0
                total += size
                if size > self.limits.file_bytes or total > self.limits.total_bytes:
                    checks.append(failed(name, "a file", (
                        f"This file is too big to check here ({size:,} bytes): you can check "
                        f"{self.limits.describe()}. Use the sharedoutcomes command line for bigger files.")))
                    continue
                folder = Path(work) / str(index)
                folder.mkdir()
                target = folder / name
                target.write_bytes(await upload.read())
                checks.append(await anyio.to_thread.run_sync(_check_one, target, name, self.registry, chosen,
                                                             limiter=self.limiter))
                target.unlink(missing_ok=True)
        return checks


def _check_one(path: Path, name: str, registry: ConverterRegistry, chosen: str | None) -> FileCheck:
    try:
        return check_file(path, name=name, registry=registry, format=chosen)
    except Exception as error:  # the last resort, so one file never stops the others
        return failed(name, "a file", f"This file could not be checked ({type(error).__name__}). This is a fault "
                      "in sharedoutcomes, not in your file: please report it.")


def _disposition(name: str) -> str:
    """
    A Content-Disposition for *name*: an ASCII fallback, and the name itself in RFC 5987 form when it is not ASCII.

    Example:
        >>> _disposition("q4.package.json")
        'attachment; filename="q4.package.json"'
        >>> print(_disposition("Łódź.package.json"))
        attachment; filename="__d_.package.json"; filename*=UTF-8''%C5%81%C3%B3d%C5%BA.package.json
    """
    fallback = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in name)
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _unique(name: str, taken: set[str]) -> str:
    """*name*, or ``name (2).ext`` … when a file of the upload already has it (two folders' ``return.docx``)."""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        stem, dot, ending = name.rpartition(".")
        candidate = f"{stem} ({n}).{ending}" if dot and stem else f"{name} ({n})"
    taken.add(candidate.casefold())
    return candidate


def _download_name(checked: CheckedSet, stem: str, ending: str) -> str:
    if stem.startswith("file-"):
        base = Path(checked.files[int(stem[5:])].name).stem
        return safe_name(f"{base}.package.json")
    return {"merged": "whole-set.package.json", "report": "contribution-report.html"}.get(
        stem, f"problem-list.{ending}")


def _same_origin(request: Request) -> bool:
    """No Origin (a client that is not a browser), or this page's own; ``null`` (a sandboxed frame) is refused."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def create_app(*, limits: Limits | None = None, registry: ConverterRegistry | None = None,
               hosts: Sequence[str] = LOCAL_HOSTS) -> Starlette:
    """
    The validator page as an ASGI application.

    Args:
        limits: Upload and memory limits (default: `Limits()`).
        registry: The formats the page reads (default: the built-ins and installed plugins).
        hosts: The host names it answers to (default: this machine's own names), so that a web page
            elsewhere cannot reach it through a DNS name pointed at 127.0.0.1.

    Example:
        >>> from starlette.testclient import TestClient
        >>> with TestClient(create_app(), base_url="http://127.0.0.1") as client:
        ...     page = client.get("/")
        >>> page.status_code, "Check outcome evidence files" in page.text
        (200, True)
        >>> "default-src 'none'" in page.headers["content-security-policy"]
        True
    """
    chosen = limits or Limits()
    page = _Page(chosen, registry or default_registry())
    routes = [
        Route("/", page.index),
        Route("/health", page.health),
        Route("/favicon.ico", page.no_icon),
        Route("/check", page.check, methods=["POST"]),
        Route("/checked/{set}", page.checked),
        Route("/report/{set}", page.report),
        Route("/download/{set}/{name}", page.download),
        Route("/rules/{rule}", page.rule),
        Route("/assets/{name}", page.asset),
    ]
    return Starlette(routes=routes, middleware=[Middleware(_Guard, limits=chosen),
                                                Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))])
