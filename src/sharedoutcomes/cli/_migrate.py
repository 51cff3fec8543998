"""The ``sharedoutcomes migrate`` command: a package moved to another version of the standard, every change listed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from sharedoutcomes.cli._common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_command, print_json, read_source
from sharedoutcomes.migration import migrate
from sharedoutcomes.model import SCHEMA_VERSION, SCHEMA_VERSIONS
from sharedoutcomes.validation import read_json, validate, validate_data

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``migrate`` command to the sub-parsers."""
    p = add_command(
        sub, "migrate", run,
        help="upgrade (or downgrade) a package to another version of the standard",
        description=f"Migrate FILE, a package valid in its own version of the standard, to version --to (default "
        f"{SCHEMA_VERSION}), and list every change, at its JSON path in FILE. An upgrade loses nothing; a downgrade that "
        "cannot keep something says what, and writes nothing. FILE is never changed. Exit 0 when the "
        "package was migrated, 1 when FILE has errors or the migration would lose something, 2 when FILE cannot be "
        "read.",
        epilog="examples:\n  sharedoutcomes migrate return-0.1.json -o return.json\n"
        "  sharedoutcomes migrate return.json --to 0.1 -o return-0.1.json\n"
        "  sharedoutcomes migrate return-0.1.json --format json   # the changes as JSON, nothing written",
    )
    p.add_argument("file", help="a package as JSON ('-' for standard input)")
    p.add_argument("--output", "-o", metavar="PATH",
                   help="where to write the migrated package (default: standard output, after the changes)")
    p.add_argument("--to", choices=SCHEMA_VERSIONS, default=SCHEMA_VERSION,
                   help=f"the version to migrate to (default: {SCHEMA_VERSION})")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="how to print the changes (json: an object with the changes; the package only to -o)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Migrate FILE; 0 when migrated, 1 when FILE is invalid or the migration would lose something, 2 unreadable."""
    source = read_source(args.file)
    if isinstance(source, Path) and args.output and Path(args.output).resolve() == source.resolve():
        sys.stderr.write("sharedoutcomes migrate: error: the output must be a new file; FILE is never changed\n")
        return EXIT_USAGE
    checked = validate(source)
    if not checked.ok:
        sys.stderr.write(checked.to_text() + "\nnothing migrated: the package has errors in its own version "
                         "(correct them first)\n")
        return EXIT_USAGE if any(p.rule in ("json-syntax", "file-unreadable") for p in checked.problems) else EXIT_INVALID
    data, _name = read_json(source)
    migration = migrate(data, to=args.to)
    document = migration.document
    after = validate_data(document, name=args.output)
    if args.format == "json":
        print_json({"from": migration.source_version, "to": migration.target_version,
                    "lossless": migration.lossless, "changes": [c.to_dict() for c in migration.changes]}, out)
    else:
        report = out if args.output else sys.stderr
        report.write(f"{migration.source_version} → {migration.target_version}: "
                     f"{len(migration.changes)} change{'' if len(migration.changes) == 1 else 's'}\n")
        for change in migration.changes:
            report.write(f"  {change.action}: {change}\n")
    if not migration.lossless or not after.ok:
        sys.stderr.write((after.to_text() + "\n" if not after.ok else "") + "nothing written: the migrated package "
                         f"would not be a valid, complete {args.to} package (see above)\n")
        return EXIT_INVALID
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        if args.format == "text":
            out.write(f"wrote {args.output}\n")
    elif args.format == "text":
        out.write(text)
    return EXIT_OK
