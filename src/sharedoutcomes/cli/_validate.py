"""The ``sharedoutcomes validate`` command: check a package against the schemas and the semantic rules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from sharedoutcomes.cli._common import PROG, add_command, exit_code, print_json, read_source
from sharedoutcomes.cli._problem_list import add_problem_list_options, list_format, source_name, write_list
from sharedoutcomes.converters import default_registry
from sharedoutcomes.problems import Problem
from sharedoutcomes.validation import ValidationProfile, validate

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``validate`` command to the sub-parsers."""
    p = add_command(
        sub, "validate", run,
        help="check a package against the schemas and rules",
        description="Check a package: the JSON Schema first, then the semantic rules. "
        "Exit 0 when valid, 1 when it has errors, 2 when the file cannot be read.",
        epilog="examples:\n  sharedoutcomes validate returns.json --format json\n"
        "  sharedoutcomes validate returns.json --problems back-to-the-shed.xlsx",
    )
    p.add_argument("file", help="a package as JSON ('-' reads standard input)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="how to print the report")
    p.add_argument("--profile", metavar="FILE", help="a validation profile (JSON or TOML) changing rule severities")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing; only the exit code tells")
    add_problem_list_options(p)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Validate the package and print the report; 0 valid, 1 errors, 2 unreadable."""
    list_format(args)  # a problem list of an unknown format is refused before any work is done
    profile = ValidationProfile.from_file(args.profile) if args.profile else None
    report = validate(read_source(args.file), profile=profile)
    if not args.quiet:
        if args.format == "json":
            print_json(report.to_dict(), out)
        else:
            out.write(report.to_text() + "\n")
    _suggest_formats(report.problems)
    write_list(args, source_name(args.file), report, quiet=args.quiet or args.format == "json")
    return exit_code(report.problems, report.ok)


def _suggest_formats(problems: Iterable[Problem]) -> None:
    """For a file of another kind (``file-not-json``), name the formats that read it."""
    for problem in problems:
        if problem.rule == "file-not-json" and isinstance(problem.value, str):
            names = default_registry().formats_for(problem.value)
            if names:
                sys.stderr.write(f"{PROG}: formats that read {problem.value} files: {', '.join(names)} "
                                 f"(use one with 'sharedoutcomes convert FILE --from FORMAT')\n")
