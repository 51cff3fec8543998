"""The ``sharedoutcomes merge`` command: merge returns from many organisations into one partnership package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from sharedoutcomes.cli._common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    add_command,
    unreadable,
    write_problems,
)
from sharedoutcomes.merge import MergeResult, merge
from sharedoutcomes.model import Package
from sharedoutcomes.serialization import dumps, from_json_data
from sharedoutcomes.validation import read_json, validate

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``merge`` command to the sub-parsers."""
    p = add_command(
        sub, "merge", run,
        help="merge returns from many organisations into one partnership package",
        description="Merge packages into one: organisations deduplicated by id (conflicts reported, nothing "
        "lost), colliding ids of other objects renamed '<id>@<package-id>' with every reference rewritten, "
        "the most restrictive sharing level kept. Warnings go to standard error. Exit 0 when the merged "
        "package is valid, 1 when an input or the result has errors, 2 when a file cannot be read.",
        epilog="example:\n  sharedoutcomes merge shed.json carers.json hscp.json -o partnership.json "
        "--publisher GB-NHS-NAHSCP",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="packages as JSON, first one first in precedence")
    p.add_argument("--output", "-o", metavar="PATH", help="where to write the merged package (default: standard "
                   "output)")
    p.add_argument("--id", dest="package_id", help="the merged package's id (default: the output file's name, "
                   "or 'merged')")
    p.add_argument("--title", help="its title (default: 'Merged package (N packages)')")
    p.add_argument("--publisher", help="the org-id of its publisher (default: the first package's publisher)")
    p.add_argument("--sharing-level", choices=("public", "partners", "personal"),
                   help="its sharing level (default: the most restrictive of the inputs)")
    p.add_argument("--produced", help="when it was produced, RFC 3339 (default: now)")


def _read(names: list[str], err: TextIO) -> list[Package] | int:
    """The packages, or the exit code when one of them is not a valid package (its report written to *err*)."""
    packages = []
    for name in names:
        report = validate(Path(name))
        if not report.ok:
            err.write(report.to_text() + "\n")
            return EXIT_USAGE if unreadable(report.problems) else EXIT_INVALID
        data, _ = read_json(Path(name))
        packages.append(from_json_data(data, Package))
    return packages


def _summary(result: MergeResult, count: int, output: Path) -> str:
    package = result.package
    return (f"merged {count} packages into {output}: {len(package.organisations)} organisations, "
            f"{len(package.activities)} activities, {len(package.outcomes)} outcomes, "
            f"{len(package.evidence)} evidence, {len(package.links)} links; "
            f"{len(result.problems)} problem(s)\n")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Merge the packages; 0 when the result is valid, 1 when an input or the result has errors, 2 unreadable."""
    err = sys.stderr
    packages = _read(args.files, err)
    if isinstance(packages, int):
        return packages
    output = Path(args.output) if args.output else None
    result = merge(
        packages,
        id=args.package_id or (output.stem if output else "merged"),
        title=args.title or f"Merged package ({len(packages)} packages)",
        publisher=args.publisher or packages[0].publisher,
        produced=args.produced,
        sharing_level=args.sharing_level,
    )
    write_problems(result.problems, err)
    text = dumps(result.package) + "\n"
    if output is not None:
        output.write_text(text, encoding="utf-8")
        err.write(_summary(result, len(packages), output))
    else:
        out.write(text)
    return EXIT_OK if result.ok else EXIT_INVALID
