"""The ``sharedoutcomes publish`` command: a public package with no count below the threshold recoverable."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from sharedoutcomes.cli._common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_command, print_json, unreadable
from sharedoutcomes.privacy import DEFAULT_THRESHOLD, publishable
from sharedoutcomes.report import write_report
from sharedoutcomes.serialization import dumps
from sharedoutcomes.validation import load, validate

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``publish`` command to the sub-parsers."""
    p = add_command(
        sub, "publish", run,
        help="make a public package: person-level evidence as counts, small counts suppressed",
        description="Write a public copy of FILE: person-level readings aggregated to counts of people per "
        "organisation, activity and instrument; counts from 1 to THRESHOLD-1 suppressed, with secondary "
        "suppression so that none can be worked out from totals or differences; case studies about one person, "
        "personal data and refused consent withheld; identifiers in free text removed. The report lists every "
        "suppression (never its value). Exit 0 when the public package is valid, 1 when FILE or the result has "
        "errors, 2 when FILE cannot be read.",
        epilog="examples:\n  sharedoutcomes publish partnership.json -o partnership-public.json\n"
        "  sharedoutcomes publish partnership.json -o public.json --threshold 10 --format json",
    )
    p.add_argument("file", help="a package as JSON")
    p.add_argument("--output", "-o", metavar="PATH", required=True, help="where to write the public package")
    p.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD,
                   help=f"the smallest count of people published (default: {DEFAULT_THRESHOLD})")
    p.add_argument("--id", dest="package_id", help="the public package's id (default: FILE's id and '-public')")
    p.add_argument("--produced", help="when it was produced, RFC 3339 (default: now)")
    p.add_argument("--html", metavar="PATH", help="also write the HTML contribution report of the public package")
    p.add_argument("--format", choices=("text", "json"), default="text", help="how to print the report")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Publish FILE to OUT; 0 when the public package is valid, 1 when FILE or it has errors, 2 unreadable."""
    source, output = Path(args.file), Path(args.output)
    if output.exists() and output.resolve() == source.resolve():
        sys.stderr.write("sharedoutcomes publish: error: the output must be a new file; FILE is never changed\n")
        return EXIT_USAGE
    if args.threshold < 1:
        sys.stderr.write("sharedoutcomes publish: error: --threshold must be 1 or more\n")
        return EXIT_USAGE
    checked = validate(source)
    if not checked.ok:
        sys.stderr.write(checked.to_text() + "\nnothing published: the package has errors\n")
        return EXIT_USAGE if unreadable(checked.problems) else EXIT_INVALID
    package, report = publishable(load(source), threshold=args.threshold, id=args.package_id, produced=args.produced)
    output.write_text(dumps(package) + "\n", encoding="utf-8")
    if args.html and report.ok:
        write_report(package, args.html)
    if args.format == "json":
        print_json(report.to_dict(), out)
    else:
        out.write(report.to_text() + f"\nwrote {output}" + (f" and {args.html}" if args.html and report.ok else "") + "\n")
    return EXIT_OK if report.ok else EXIT_INVALID
