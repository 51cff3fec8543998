"""
The ``sharedoutcomes`` command line: a thin shell over the public functions.

Exit codes: 0 success (a valid package), 1 the data has errors, 2 a usage error or
unreadable input. No input prints a traceback: user errors get a message, and an internal
error (a bug) a short message asking for a report (``SHAREDOUTCOMES_DEBUG=1`` shows the traceback).

Each command is a module of this package with ``add_parser(sub)``, which adds its
sub-parser and sets ``handler=run``, and ``run(args, out)``, which returns the exit code
(`COMMANDS` lists them in the order ``--help`` shows them). Nothing in the library
imports the command line.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Final, TextIO

from sharedoutcomes._util.meta import package_version
from sharedoutcomes.cli import (
    _convert,
    _demo,
    _formats,
    _merge,
    _migrate,
    _pseudonymise,
    _publish,
    _report,
    _rules,
    _schema,
    _serve,
    _tables,  # noqa: F401 - importing it registers the package-template provider
    _template,
    _validate,
)
from sharedoutcomes.cli._common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, PROG, Parser, write_problems
from sharedoutcomes.exceptions import InvalidDocument, SharedOutcomesError

__all__ = ["COMMANDS", "DEBUG_VAR", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

DEBUG_VAR: Final = "SHAREDOUTCOMES_DEBUG"
"""Set to any value to let an internal error raise with its traceback instead of the short message."""

COMMANDS: Final[tuple[ModuleType, ...]] = (
    _validate,
    _convert,
    _formats,
    _schema,
    _rules,
    _demo,
    _report,
    _merge,
    _migrate,
    _pseudonymise,
    _publish,
    _template,
    _serve,
)
"""The command modules, in the order ``--help`` lists them."""

_EPILOG: Final = """\
examples:
  sharedoutcomes demo                          validate the bundled example package
  sharedoutcomes validate returns.json         check a package; exit 1 if it has errors
  sharedoutcomes validate returns.json --format json --profile strict.toml
  sharedoutcomes convert export.csv --from outcomes-star -o star.json
  sharedoutcomes formats                       list the registered formats
  sharedoutcomes convert returns.json --from package --to tables-xlsx -o returns.xlsx
  sharedoutcomes template package --format xlsx -o blank.xlsx
  sharedoutcomes schema show evidence          print a published schema
  sharedoutcomes serve                         check files in your browser, on this computer only
"""


def _bounded(error: Exception) -> str:
    try:
        text = " ".join(str(error).split())
    except Exception:  # an exception whose own str fails
        return "(no message)"
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT - 1] + "…"


_MESSAGE_LIMIT: Final = 300


def build_parser() -> argparse.ArgumentParser:
    """
    The argument parser, with every command.

    Example:
        >>> build_parser().parse_args(["validate", "returns.json"]).file
        'returns.json'
    """
    parser = Parser(
        prog=PROG,
        description="Validate, convert and explore sharedoutcomes packages: outcomes, contributions and "
        "the evidence that links them.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """
    Run the command line; return the exit code.

    Library errors become a message on standard error and an exit code: 1 for a document
    that is not valid (with every problem, each with its place in the source), 2 for any
    other error of the library or of the file system.

    Example:
        >>> import io
        >>> buffer = io.StringIO()
        >>> main(["rules"], out=buffer)
        0
        >>> "period-order" in buffer.getvalue()
        True
    """
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args, out)
    except InvalidDocument as error:
        write_problems(error.report.problems, sys.stderr)
        sys.stderr.write(f"{parser.prog}: {error}\n")
        return EXIT_INVALID
    except BrokenPipeError:  # the reader stopped early (`sharedoutcomes rules | head`): nothing is wrong
        if out is sys.stdout:  # the interpreter's last flush would fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (SharedOutcomesError, OSError) as error:
        sys.stderr.write(f"{parser.prog}: error: {error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as error:  # the last resort: a person at a terminal gets words, never a traceback
        if os.environ.get(DEBUG_VAR):
            raise
        sys.stderr.write(f"{parser.prog}: internal error: {type(error).__name__}: {_bounded(error)}\n"
                         f"This is a bug in sharedoutcomes, not in your file: please report it with the command you "
                         f"ran (set {DEBUG_VAR}=1 to see the traceback).\n")
        return EXIT_USAGE
    return code
