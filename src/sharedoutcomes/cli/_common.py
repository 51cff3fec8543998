"""
What the command modules share: the exit codes, the argument parser, and small output helpers.

Every command module has ``add_parser(sub)``, which adds its sub-parser and sets
``handler=run``, and ``run(args, out)``, which returns the exit code.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final, TextIO

from sharedoutcomes.exceptions import Problem

__all__ = [
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "Handler",
    "Parser",
    "add_command",
    "did_you_mean",
    "exit_code",
    "print_json",
    "read_source",
    "unreadable",
    "write_problems",
]

EXIT_OK: Final = 0
"""Success (a valid package)."""
EXIT_INVALID: Final = 1
"""The data has errors."""
EXIT_USAGE: Final = 2
"""A usage error, or input that cannot be read."""

PROG: Final = "sharedoutcomes"
"""The command's name."""

_UNREADABLE: Final = ("json-syntax", "file-unreadable", "file-not-json", "json-too-deep", "json-number-too-large")

Handler = Callable[[argparse.Namespace, TextIO], int]
"""A command's ``run(args, out)``: it returns the exit code."""


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with the message and a hint, never a traceback."""

    def error(self, message: str) -> Any:
        """Print the usage, the message and a "did you mean" hint; exit 2."""
        message += did_you_mean(message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for help.\n")


def add_command(sub: Any, name: str, run: Handler, *, help: str, description: str,
                epilog: str) -> argparse.ArgumentParser:
    """
    Add the sub-parser of the command *name*, with ``handler=run``; its description and examples keep their lines.

    Example:
        >>> sub = Parser(prog="sharedoutcomes").add_subparsers(dest="command")
        >>> p = add_command(sub, "hello", lambda args, out: 0, help="say hello", description="Say hello.",
        ...                 epilog="example: sharedoutcomes hello")
        >>> p.parse_args([]).handler(None, None)
        0
    """
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=description, epilog=epilog,
                                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(handler=run)
    return parser


def did_you_mean(message: str) -> str:
    """
    For "invalid choice: 'valdate' (choose from …)", suggest the closest choice.

    Example:
        >>> did_you_mean("argument COMMAND: invalid choice: 'valdate' (choose from 'validate', 'convert')")
        ". Did you mean 'validate'?"
        >>> did_you_mean("the following arguments are required: file")
        ''
    """
    match = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if match is None:
        return ""
    choices = re.findall(r"'([^']*)'", match.group(2)) or [c.strip() for c in match.group(2).split(",")]
    close = difflib.get_close_matches(match.group(1), choices, n=1, cutoff=0.5)
    return f". Did you mean {close[0]!r}?" if close else ""


def print_json(data: Any, out: TextIO) -> None:
    """
    Write *data* as indented JSON (non-ASCII kept as it is) and a newline.

    Example:
        >>> import sys
        >>> print_json({"ok": True, "name": "Men’s Shed"}, sys.stdout)
        {
          "ok": true,
          "name": "Men’s Shed"
        }
    """
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_source(name: str) -> str | Path:
    """
    The text of standard input for ``-``, else the path *name*.

    Example:
        >>> read_source("returns.json")
        PosixPath('returns.json')
    """
    return sys.stdin.read() if name == "-" else Path(name)


def write_problems(problems: Iterable[Problem], err: TextIO) -> None:
    """
    Write each problem on its own line, after its severity.

    Example:
        >>> import sys
        >>> from sharedoutcomes.exceptions import Problem
        >>> write_problems([Problem(rule="period-order", severity="error", path="$.period", message="ends first")],
        ...                sys.stdout)
        error: $.period: ends first [period-order]
    """
    for problem in problems:
        err.write(f"{problem.severity}: {problem}\n")


def unreadable(problems: Iterable[Problem]) -> bool:
    """
    Whether the input could not be read at all (not JSON, or not a readable file).

    Example:
        >>> from sharedoutcomes.exceptions import Problem
        >>> unreadable([Problem(rule="json-syntax", severity="error", path="$", message="bad JSON")])
        True
    """
    return any(p.rule in _UNREADABLE for p in problems)


def exit_code(problems: Iterable[Problem], ok: bool) -> int:
    """
    ``EXIT_USAGE`` when the input could not be read, else ``EXIT_OK`` when *ok*, else ``EXIT_INVALID``.

    Example:
        >>> exit_code([], ok=True)
        0
    """
    if unreadable(problems):
        return EXIT_USAGE
    return EXIT_OK if ok else EXIT_INVALID
