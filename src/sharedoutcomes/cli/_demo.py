"""The ``sharedoutcomes demo`` command: validate and summarise the bundled example package."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sharedoutcomes._examples import example_package_path
from sharedoutcomes.cli._common import EXIT_INVALID, EXIT_OK, add_command
from sharedoutcomes.model import Package
from sharedoutcomes.serialization import dumps
from sharedoutcomes.validation import load, validate

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``demo`` command to the sub-parsers."""
    p = add_command(
        sub, "demo", run,
        help="validate and summarise the bundled example package",
        description="Load the bundled example partnership package, validate it and print a "
        "summary; --output writes a copy to start from.",
        epilog="examples:\n  sharedoutcomes demo\n  sharedoutcomes demo -o example.json\n"
        "  sharedoutcomes convert example.json --from package --to tables-xlsx -o example.xlsx",
    )
    p.add_argument("--output", "-o", metavar="PATH", help="also write the example package here")


def _summary(package: Package, out: TextIO) -> None:
    out.write(f"\n{package.title}\n")
    for label, items in (("organisations", package.organisations), ("activities", package.activities),
                         ("outcomes", package.outcomes), ("indicators", package.indicators),
                         ("contributions", package.contributions), ("evidence", package.evidence),
                         ("links", package.links)):
        out.write(f"  {len(items):>3} {label}\n")
    out.write("\nWho contributes to which outcome:\n")
    names = {o.id: o.name for o in package.organisations}
    titles = {o.id: o.title for o in package.outcomes}
    for contribution in package.contributions:
        linked = sum(link.target_id == contribution.id for link in package.links)
        out.write(f"  {names[contribution.organisation_id]} → {titles[contribution.outcome_id]} "
                  f"({contribution.role}; {linked} evidence link{'s' if linked != 1 else ''})\n")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Validate the example, print its summary, and write a copy with ``--output``."""
    path = example_package_path()
    report = validate(path)
    out.write(report.to_text() + "\n")
    if not report.ok:  # pragma: no cover - the bundled example is tested to be valid
        return EXIT_INVALID
    package = load(path)
    _summary(package, out)
    if args.output:
        Path(args.output).write_text(dumps(package) + "\n", encoding="utf-8")
        out.write(f"\nwrote {args.output}\n")
    return EXIT_OK
