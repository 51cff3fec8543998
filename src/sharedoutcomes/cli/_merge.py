"""The ``sharedoutcomes merge`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

__all__ = ["add_merge"]

_EXIT_OK, _EXIT_INVALID, _EXIT_USAGE = 0, 1, 2


def add_merge(sub: Any) -> None:
    """Add the ``merge`` command to the sub-parsers."""
    p = sub.add_parser(
        "merge",
        help="merge returns from many organisations into one partnership package",
        description="Merge packages into one: organisations deduplicated by id (conflicts reported, nothing "
        "lost), colliding ids of other objects renamed '<id>@<package-id>' with every reference rewritten, "
        "the most restrictive sharing level kept. Warnings go to standard error. Exit 0 when the merged "
        "package is valid, 1 when an input or the result has errors, 2 when a file cannot be read.",
        epilog="example:\n  sharedoutcomes merge shed.json carers.json hscp.json -o partnership.json "
        "--publisher GB-NHS-NAHSCP",
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    p.set_defaults(handler=_merge)


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    from sharedoutcomes.merge import merge
    from sharedoutcomes.model import Package
    from sharedoutcomes.serialization import dumps, from_json_data
    from sharedoutcomes.validation import read_json, validate

    err = sys.stderr
    packages = []
    for name in args.files:
        report = validate(Path(name))
        if not report.ok:
            err.write(report.to_text() + "\n")
            unreadable = any(p.rule in ("json-syntax", "file-unreadable") for p in report.problems)
            return _EXIT_USAGE if unreadable else _EXIT_INVALID
        data, _ = read_json(Path(name))
        packages.append(from_json_data(data, Package))
    output = Path(args.output) if args.output else None
    result = merge(
        packages,
        id=args.package_id or (output.stem if output else "merged"),
        title=args.title or f"Merged package ({len(packages)} packages)",
        publisher=args.publisher or packages[0].publisher,
        produced=args.produced,
        sharing_level=args.sharing_level,
    )
    for problem in result.problems:
        err.write(f"{problem.severity}: {problem}\n")
    text = dumps(result.package) + "\n"
    if output is not None:
        output.write_text(text, encoding="utf-8")
        package = result.package
        err.write(f"merged {len(packages)} packages into {output}: {len(package.organisations)} organisations, "
                  f"{len(package.activities)} activities, {len(package.outcomes)} outcomes, "
                  f"{len(package.evidence)} evidence, {len(package.links)} links; "
                  f"{len(result.problems)} problem(s)\n")
    else:
        out.write(text)
    return _EXIT_OK if result.ok else _EXIT_INVALID
