"""The ``sharedoutcomes pseudonymise`` command: replace person identifiers by keyed pseudonyms before sharing."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any, TextIO

from sharedoutcomes.cli._common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_command, print_json
from sharedoutcomes.privacy import SUFFIXES, Pseudonymiser, TableOptions, generate_key_file, pseudonymise_file

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``pseudonymise`` command to the sub-parsers."""
    p = add_command(
        sub, "pseudonymise", run,
        help="replace person identifiers by keyed pseudonyms and remove or coarsen personal columns",
        description="Write a copy of FILE (a package .json, or an export .csv/.xlsx with a heading row: Star, "
        "survey, tables, CRM lists) in which person identifiers are keyed pseudonyms (CHI and NHS numbers "
        "checked by their check digit; local ids namespaced by --organisation), names and contact details are "
        "removed, dates of birth coarsened to the year or an age band, addresses to their locality and postcodes "
        "to their district, and identifiers in free text removed. The original is never changed. The report "
        "says what was changed where and never repeats a personal value. Exit 0 when every identifier was "
        "pseudonymised, 1 when some could not be (they are removed and reported), 2 when a file cannot be read.",
        epilog="examples:\n  sharedoutcomes pseudonymise --new-key partnership.key\n"
        "  sharedoutcomes pseudonymise star-export.csv --key-file partnership.key --organisation GB-SC-SC038977 "
        "-o star-shared.csv\n  sharedoutcomes pseudonymise members.xlsx --key-file partnership.key --birth age-band "
        "-o members-shared.xlsx",
    )
    p.add_argument("file", nargs="?", help=f"the file to pseudonymise ({', '.join(SUFFIXES)})")
    p.add_argument("--key-file", "-k", metavar="KEY", help="the partnership's key file (one line of hex)")
    p.add_argument("--output", "-o", metavar="PATH", help="where to write the copy (a new file)")
    p.add_argument("--organisation", metavar="ORG-ID",
                   help="the org-id that issued the local identifiers in FILE (needed unless they are CHI or NHS "
                   "numbers; a package's evidence names its own collector)")
    p.add_argument("--birth", choices=("year", "age-band", "remove"), default="year",
                   help="what dates of birth become (default: year)")
    p.add_argument("--address", choices=("locality", "remove"), default="locality",
                   help="what addresses become (default: locality)")
    p.add_argument("--as-of", metavar="DATE", help="the day age bands are worked out on (default: today)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="how to print the report")
    p.add_argument("--new-key", metavar="KEY", help="write a new random key file KEY and stop (never overwrites)")


def _usage(message: str) -> int:
    sys.stderr.write(f"sharedoutcomes pseudonymise: error: {message}\n")
    return EXIT_USAGE


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Pseudonymise FILE into OUT; 0 when every identifier was used, 1 when some were refused, 2 unreadable."""
    if args.new_key:
        try:
            path = generate_key_file(args.new_key)
        except FileExistsError:
            return _usage(f"{args.new_key} exists; a key is never overwritten")
        out.write(f"wrote a new key to {path}: keep it secret and share it only with the partners who pseudonymise\n")
        return EXIT_OK
    if not args.file or not args.key_file or not args.output:
        return _usage("give FILE, --key-file and --output (or --new-key KEY to make a key)")
    try:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        return _usage(f"--as-of {args.as_of!r} is not a date (YYYY-MM-DD)")
    pseudonymiser = Pseudonymiser.from_key_file(args.key_file, organisation=args.organisation)
    options = TableOptions(birth=args.birth, address=args.address, as_of=as_of, organisation=args.organisation)
    report = pseudonymise_file(Path(args.file), Path(args.output), pseudonymiser, options=options)
    if args.format == "json":
        print_json(report.to_dict(), out)
    else:
        out.write(report.to_text() + "\n")
    return EXIT_OK if report.ok else EXIT_INVALID
