"""
The ``sharedoutcomes convert`` command: read a file with a registered format, or write a package out in one.

Problems are printed on standard error with the place in the original file they came from.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from sharedoutcomes.cli._common import EXIT_INVALID, EXIT_OK, PROG, add_command, print_json, write_problems
from sharedoutcomes.cli._problem_list import add_problem_list_options, list_format, source_name, write_list
from sharedoutcomes.converters import (
    ConversionResult,
    check_options,
    convert,
    default_registry,
    package_to_write,
    write,
)
from sharedoutcomes.exceptions import ConversionError, IncompleteConversion, InvalidDocument
from sharedoutcomes.model import Package
from sharedoutcomes.serialization import dumps
from sharedoutcomes.validation import ValidationProfile

__all__ = ["add_parser", "parse_options", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``convert`` command to the sub-parsers."""
    p = add_command(
        sub, "convert", run,
        help="convert a file from a registered format into a package, or a package into a format",
        description="Read FILE with the format named by --from and write the package as JSON "
        "(or, with --to, write a package out in another format). Problems are printed with the "
        "place in the original file they came from.",
        epilog="examples:\n  sharedoutcomes convert export.csv --from outcomes-star -o star.json\n"
        "  sharedoutcomes convert returns.json --from package --to tables-xlsx -o returns.xlsx\n"
        "  sharedoutcomes convert returns.xlsx --from tables-xlsx -o returns.json\n"
        "  sharedoutcomes convert ./returns-csv --from tables-csv -o returns.json\n"
        "  sharedoutcomes convert return.docx --from north-ayrshire --profile lenient.toml -o return.json\n"
        "  sharedoutcomes convert ./returns --from north-ayrshire -o returns.json --problems to-send-back.xlsx",
    )
    p.add_argument("file", help="the file to read")
    p.add_argument("--from", dest="source_format", required=True, metavar="FORMAT",
                   help="the format of FILE (see 'sharedoutcomes formats')")
    p.add_argument("--to", dest="target_format", default="package", metavar="FORMAT",
                   help="the format to write (default: package JSON)")
    p.add_argument("--output", "-o", metavar="PATH", help="where to write (default: standard output, JSON only)")
    p.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                   help="an option for the reading converter (repeatable); VALUE may be JSON")
    p.add_argument("--profile", metavar="FILE",
                   help="a validation profile (JSON or TOML) re-grading problems, the format's own included")
    p.add_argument("--format", choices=("text", "json"), default="text", help="how to print the problems")
    p.add_argument("--write-partial", action="store_true",
                   help="write the package even when the conversion has errors; it then records in itself that "
                   "it is partial and which problems it was produced with (validate and report say so)")
    add_problem_list_options(p)


def parse_options(pairs: Sequence[str]) -> dict[str, Any]:
    """
    ``--option NAME=VALUE`` pairs as keyword arguments: VALUE as JSON when it parses, else as text.

    Raises:
        ConversionError: a pair has no ``=`` or no name.

    Example:
        >>> parse_options(["sheet-name=Returns", "header-row=2"])
        {'sheet_name': 'Returns', 'header_row': 2}
    """
    options: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            msg = f"--option takes NAME=VALUE, not {pair!r}"
            raise ConversionError(msg)
        try:
            options[name.replace("-", "_")] = json.loads(raw)
        except json.JSONDecodeError:
            options[name.replace("-", "_")] = raw
    return options


def _read_plain(format: str, source: Path, *, report: Any = None, **options: Any) -> Any:
    """Read a folder with a format that takes folders as its source (such as ``tables-csv``)."""
    del report
    return convert(source, format=format, **options)


def _read_folder(source: Path, source_format: str, pairs: Sequence[str]) -> ConversionResult:
    converter = default_registry()[source_format]
    read_folder = getattr(converter, "read_folder", None)
    if read_folder is None and not converter.extensions:  # the format reads folders itself (tables-csv)
        read_folder = functools.partial(_read_plain, source_format)
    if read_folder is None:
        msg = f"the {source_format!r} format reads files, not folders"
        raise ConversionError(msg)
    options = parse_options(pairs)
    check_options(source_format, read_folder, options)
    result: ConversionResult = read_folder(source, report=sys.stderr, **options)
    return result


def _report_problems(result: ConversionResult, format: str, *, written: str) -> None:
    """The problems, the coverage and what was written (*written*: ``"yes"``, ``"partial"`` or ``"no"``)."""
    err = sys.stderr
    if format == "json":
        data: dict[str, Any] = {"format": result.format, "ok": result.ok, "written": written,
                                "problems": [p.to_dict() for p in result.problems]}
        if result.coverage is not None:
            data["coverage"] = {"read": result.coverage.total_read, "not_read": result.coverage.total_not_read}
        print_json(data, err)
        return
    write_problems(result.problems, err)
    if result.coverage is not None:
        err.write(f"coverage: {result.coverage}\n")
    errors = sum(p.severity == "error" for p in result.problems)
    if written == "no":
        err.write(f"{PROG}: nothing written: the conversion has {errors} error{'' if errors == 1 else 's'}. Correct "
                  "the source and convert it again, or add --write-partial to write the package anyway (it then "
                  "records in itself that it is partial)\n")
    elif written == "partial":
        err.write(f"{PROG}: wrote a partial package despite {errors} error{'' if errors == 1 else 's'}: it records "
                  "the conversion's problems, and validate and report say that it is partial\n")


def _write(package: Package, args: argparse.Namespace, out: TextIO) -> None:
    """Write *package* in the target format, to --output or (package JSON only) standard output."""
    if args.target_format != "package":
        write(package, Path(args.output), format=args.target_format)
    elif args.output:
        Path(args.output).write_text(dumps(package) + "\n", encoding="utf-8")
    else:
        out.write(dumps(package) + "\n")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Convert the file; 0 when the result has no errors, else 1 (and nothing written, unless --write-partial)."""
    if args.target_format != "package" and not args.output:
        msg = f"writing the {args.target_format!r} format needs --output PATH"
        raise ConversionError(msg)
    list_format(args)  # a problem list of an unknown format is refused before any work is done
    source = Path(args.file)
    try:
        if source.is_dir():  # a folder of returns, for formats that read folders
            result = _read_folder(source, args.source_format, args.option)
        else:
            result = convert(source, format=args.source_format, **parse_options(args.option))
    except InvalidDocument as error:  # no package could be built, but its problems are still the list to send back
        write_list(args, source_name(args.file), error, quiet=args.format == "json")
        raise
    if args.profile:
        result = result.with_profile(ValidationProfile.from_file(args.profile))
    try:
        package: Package | None = package_to_write(result, partial=args.write_partial)
    except IncompleteConversion:
        package = None
    written = "no" if package is None else "yes" if package is result.package else "partial"
    _report_problems(result, args.format, written=written)
    write_list(args, source_name(args.file), result, quiet=args.format == "json")
    if package is not None:
        _write(package, args, out)
    return EXIT_OK if result.ok else EXIT_INVALID
