"""The ``sharedoutcomes report`` command: write the contribution story of a package as one HTML file."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from sharedoutcomes.cli._common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_command, read_source, unreadable
from sharedoutcomes.report import write_report
from sharedoutcomes.validation import load, validate

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``report`` command to the sub-parsers."""
    p = add_command(
        sub, "report", run,
        help="write a self-contained HTML contribution story report for commissioners",
        description="Read PACKAGE (a sharedoutcomes package as JSON), tell the contribution story of every "
        "outcome of a framework (the nine National Health and Wellbeing Outcomes by default), and write it as one "
        "HTML file that opens offline: summary, contribution map, each outcome's story with strength ratings and "
        "their reasons, evidence in people's words where consent allows, indicator trends, gaps and method notes.",
        epilog="examples:\n  sharedoutcomes report returns.json -o report.html\n"
        "  sharedoutcomes report returns.json -o report.html --title 'ICF returns 2024-25'",
    )
    p.add_argument("package", help="a package as JSON ('-' reads standard input)")
    p.add_argument("--output", "-o", metavar="PATH", default="report.html",
                   help="where to write the HTML (default: report.html)")
    p.add_argument("--framework", default="scot-nhwo", metavar="ID",
                   help="the framework whose outcomes the report is organised by (default: scot-nhwo)")
    p.add_argument("--title", help="the report's title (default: the package's title)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Validate the package, then write the report; no report is written for a package with errors."""
    source: Any = read_source(args.package)
    checked = validate(source)
    if not checked.ok:
        sys.stderr.write(checked.to_text() + "\nno report written: the package has errors\n")
        return EXIT_USAGE if unreadable(checked.problems) else EXIT_INVALID
    package = load(source)
    path = write_report(package, args.output, framework=args.framework, title=args.title)
    out.write(f"wrote {path}\n")
    return EXIT_OK
