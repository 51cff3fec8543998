"""The ``sharedoutcomes serve`` command: the validator page, on this computer, in a browser."""

from __future__ import annotations

import argparse
import importlib
from typing import Any, TextIO

from sharedoutcomes._optional import require
from sharedoutcomes.cli._common import EXIT_OK, add_command

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``serve`` command to the sub-parsers."""
    p = add_command(
        sub, "serve", run,
        help="open the validator page: check files in your browser, on this computer only",
        description="Serve the validator page at http://127.0.0.1:PORT/: drop or choose files (or a folder) and "
        "see each one's format, problems (where they are and what to do), package and the contribution report "
        "of the whole set, with downloads. It listens on 127.0.0.1 only unless --host says otherwise, loads "
        "nothing from the internet, and keeps uploaded files only while checking them. Needs the web extra.",
        epilog="examples:\n  sharedoutcomes serve\n  sharedoutcomes serve --port 8080\n"
        "  sharedoutcomes serve --max-file-mb 50 --max-files 200",
    )
    p.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--max-file-mb", type=float, default=20, metavar="MB", help="the largest file (default: 20)")
    p.add_argument("--max-files", type=int, default=100, metavar="N", help="the most files at once (default: 100)")
    p.add_argument("--max-total-mb", type=float, default=200, metavar="MB",
                   help="the most bytes at once, all files together (default: 200)")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="files converted at once (default: 2)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Serve the page until interrupted (Ctrl+C)."""
    require("starlette", extra="web", purpose="serving the validator page")
    require("uvicorn", extra="web", purpose="serving the validator page")
    web = importlib.import_module("sharedoutcomes.web")
    mebibyte = web.MEBIBYTE
    limits = web.Limits(file_bytes=int(args.max_file_mb * mebibyte), files=args.max_files,
                        total_bytes=int(args.max_total_mb * mebibyte), workers=max(1, args.workers))
    web.serve(host=args.host, port=args.port, limits=limits, out=out)
    return EXIT_OK
