"""Running the validator page: `server_config` (uvicorn, with no access log) and `serve`."""

from __future__ import annotations

import ipaddress
import sys
from typing import TextIO

import uvicorn

from sharedoutcomes.web._app import LOCAL_HOSTS, create_app
from sharedoutcomes.web._limits import Limits

__all__ = ["is_loopback", "serve", "server_config"]


def is_loopback(host: str) -> bool:
    """
    Whether *host* is this machine only (127.0.0.1, ::1, localhost).

    Example:
        >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
        (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_config(*, host: str = "127.0.0.1", port: int = 8000, limits: Limits | None = None) -> uvicorn.Config:
    """
    The uvicorn configuration of the page: no access log (a request line can hold a file's name), warnings only.

    Example:
        >>> config = server_config(port=8123)
        >>> config.host, config.port, config.access_log, config.server_header
        ('127.0.0.1', 8123, False, False)
    """
    if is_loopback(host):
        hosts = list(LOCAL_HOSTS)
    elif host in ("0.0.0.0", "::"):  # noqa: S104 - asked for on the command line, and warned about: every address of the machine: any name it is reached by
        hosts = ["*"]
    else:
        hosts = [*LOCAL_HOSTS, host]
    return uvicorn.Config(create_app(limits=limits, hosts=hosts), host=host, port=port, access_log=False,
                          log_level="warning", server_header=False, date_header=False, lifespan="off")


def serve(*, host: str = "127.0.0.1", port: int = 8000, limits: Limits | None = None,
          out: TextIO | None = None) -> None:  # pragma: no cover - runs until interrupted (the browser tests run it)
    """Serve the page until interrupted, after printing its address and who can reach it."""
    stream = out or sys.stdout
    shown = f"[{host}]" if ":" in host else host
    stream.write(f"sharedoutcomes: the validator page is at http://{shown}:{port}/\n")
    if is_loopback(host):
        stream.write(f"It listens on {host} only: only this computer can open it. Files you check are read here "
                     "and sent nowhere.\n")
    else:
        stream.write(f"Warning: it listens on {host}, so other computers on your network can open it and send it "
                     "files. Use the default (127.0.0.1) unless you mean that.\n")
    stream.write("Press Ctrl+C to stop it.\n")
    stream.flush()
    uvicorn.Server(server_config(host=host, port=port, limits=limits)).run()
