"""
The ``sharedoutcomes`` command line: a thin shell over the public functions.

Exit codes: 0 success (a valid package), 1 the data has errors, 2 a usage error or
unreadable input. User errors never print a traceback.

Each command is a function that adds its parser to the sub-parsers (``_COMMANDS``);
its handler returns the exit code.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from sharedoutcomes.cli._merge import add_merge as _add_merge
from sharedoutcomes.cli._report import add_report as _add_report
from sharedoutcomes.cli._tables import PACKAGE_TEMPLATE as _PACKAGE_TEMPLATE  # noqa: F401 - registers it
from sharedoutcomes.cli._template import add_template_command as _add_template
from sharedoutcomes.exceptions import ConversionError, InvalidDocument, SharedOutcomesError

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
_PROG = "sharedoutcomes"

_EPILOG = """\
examples:
  sharedoutcomes demo                          validate the bundled example package
  sharedoutcomes validate returns.json         check a package; exit 1 if it has errors
  sharedoutcomes validate returns.json --format json --profile strict.toml
  sharedoutcomes convert export.csv --from outcomes-star -o star.json
  sharedoutcomes formats                       list the registered formats
  sharedoutcomes convert returns.json --from package --to tables-xlsx -o returns.xlsx
  sharedoutcomes template package --format xlsx -o blank.xlsx
  sharedoutcomes schema show evidence          print a published schema
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with the message and a hint, never a traceback."""

    def error(self, message: str) -> Any:
        message += _did_you_mean(message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for help.\n")


def _did_you_mean(message: str) -> str:
    """For "invalid choice: 'valdate' (choose from …)", suggest the closest choice."""
    match = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if match is None:
        return ""
    choices = re.findall(r"'([^']*)'", match.group(2)) or [c.strip() for c in match.group(2).split(",")]
    close = difflib.get_close_matches(match.group(1), choices, n=1, cutoff=0.5)
    return f". Did you mean {close[0]!r}?" if close else ""


def _read_plain(format: str, source: Path, *, report: Any = None, **options: Any) -> Any:
    """Read a folder with a format that takes folders as its source (such as ``tables-csv``)."""
    from sharedoutcomes.converters import convert

    del report
    return convert(source, format=format, **options)


def _print_json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# -- validate ----------------------------------------------------------------------------------


def _add_validate(sub: Any) -> None:
    p = sub.add_parser(
        "validate",
        help="check a package against the schemas and rules",
        description="Check a package: the JSON Schema first, then the semantic rules. "
        "Exit 0 when valid, 1 when it has errors, 2 when the file cannot be read.",
        epilog="example:\n  sharedoutcomes validate returns.json --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", help="a package as JSON ('-' reads standard input)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="how to print the report")
    p.add_argument("--profile", metavar="FILE", help="a validation profile (JSON or TOML) changing rule severities")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing; only the exit code tells")
    p.set_defaults(handler=_validate)


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    from sharedoutcomes.validation import ValidationProfile, validate

    profile = ValidationProfile.from_file(args.profile) if args.profile else None
    source: Any = sys.stdin.read() if args.file == "-" else Path(args.file)
    report = validate(source, profile=profile)
    if not args.quiet:
        if args.format == "json":
            _print_json(report.to_dict(), out)
        else:
            out.write(report.to_text() + "\n")
    if any(p.rule in ("json-syntax", "file-unreadable") for p in report.problems):
        return EXIT_USAGE
    return EXIT_OK if report.ok else EXIT_INVALID


# -- convert -----------------------------------------------------------------------------------


def _add_convert(sub: Any) -> None:
    p = sub.add_parser(
        "convert",
        help="convert a file from a registered format into a package, or a package into a format",
        description="Read FILE with the format named by --from and write the package as JSON "
        "(or, with --to, write a package out in another format). Problems are printed with the "
        "place in the original file they came from.",
        epilog="examples:\n  sharedoutcomes convert export.csv --from outcomes-star -o star.json\n"
        "  sharedoutcomes convert returns.json --from package --to tables-xlsx -o returns.xlsx\n"
        "  sharedoutcomes convert returns.xlsx --from tables-xlsx -o returns.json\n"
        "  sharedoutcomes convert ./returns-csv --from tables-csv -o returns.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", help="the file to read")
    p.add_argument("--from", dest="source_format", required=True, metavar="FORMAT",
                   help="the format of FILE (see 'sharedoutcomes formats')")
    p.add_argument("--to", dest="target_format", default="package", metavar="FORMAT",
                   help="the format to write (default: package JSON)")
    p.add_argument("--output", "-o", metavar="PATH", help="where to write (default: standard output, JSON only)")
    p.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                   help="an option for the reading converter (repeatable); VALUE may be JSON")
    p.add_argument("--format", choices=("text", "json"), default="text", help="how to print the problems")
    p.set_defaults(handler=_convert)


def _parse_options(pairs: Sequence[str]) -> dict[str, Any]:
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


def _convert(args: argparse.Namespace, out: TextIO) -> int:
    from sharedoutcomes.converters import convert, write
    from sharedoutcomes.serialization import dumps

    source = Path(args.file)
    if source.is_dir():  # a folder of returns, for formats that read folders
        from sharedoutcomes.converters import default_registry

        converter = default_registry()[args.source_format]
        read_folder = getattr(converter, "read_folder", None)
        if read_folder is None and not converter.extensions:  # the format reads folders itself (tables-csv)
            read_folder = functools.partial(_read_plain, args.source_format)
        if read_folder is None:
            msg = f"the {args.source_format!r} format reads files, not folders"
            raise ConversionError(msg)
        result = read_folder(source, report=sys.stderr, **_parse_options(args.option))
    else:
        result = convert(source, format=args.source_format, **_parse_options(args.option))
    err = sys.stderr
    if args.format == "json":
        _print_json({"format": result.format, "ok": result.ok,
                     "problems": [p.to_dict() for p in result.problems]}, err)
    else:
        for problem in result.problems:
            err.write(f"{problem.severity}: {problem}\n")
    if args.target_format == "package":
        text = dumps(result.package) + "\n"
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            out.write(text)
    else:
        if not args.output:
            msg = f"writing the {args.target_format!r} format needs --output PATH"
            raise ConversionError(msg)
        write(result.package, Path(args.output), format=args.target_format)
    return EXIT_OK if result.ok else EXIT_INVALID


# -- formats, schema, rules, demo --------------------------------------------------------------


def _add_formats(sub: Any) -> None:
    p = sub.add_parser("formats", help="list the registered formats (built-in and plugins)",
                       description="List every registered format with what it reads and whether it writes. "
                       "Plugins installed under the 'sharedoutcomes.converters' entry-point group are listed too; "
                       "one that cannot be loaded is reported on standard error.",
                       epilog="examples:\n  sharedoutcomes formats\n  sharedoutcomes formats --format json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_formats)


def _formats(args: argparse.Namespace, out: TextIO) -> int:
    from sharedoutcomes.converters import PluginError, default_registry

    registry = default_registry()
    described: dict[str, Any] = {}
    for name in registry.names():  # one broken plugin must not hide the other formats
        try:
            described[name] = _describe(registry, name)
        except PluginError as error:
            sys.stderr.write(f"{_PROG}: warning: {error}\n")
    if args.format == "json":
        _print_json(described, out)
        return EXIT_OK
    width = max(map(len, described), default=0)
    for name, info in described.items():
        mode = "read/write" if info["writes"] else "read"
        out.write(f"{name:<{width}}  {mode:<10}  {' '.join(info['extensions']):<14}  {info['description']}\n")
    return EXIT_OK


def _describe(registry: Any, name: str) -> dict[str, Any]:
    converter = registry[name]
    return {"description": converter.description, "extensions": list(converter.extensions),
            "writes": callable(getattr(converter, "write", None))}


def _add_schema(sub: Any) -> None:
    p = sub.add_parser("schema", help="list, show or export the published JSON Schemas",
                       description="The published JSON Schemas and codelists of the standard.",
                       epilog="examples:\n  sharedoutcomes schema list\n  sharedoutcomes schema show evidence\n"
                       "  sharedoutcomes schema export ./schemas",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", required=True, parser_class=_Parser)
    actions.add_parser("list", help="list the schemas and codelists")
    show = actions.add_parser("show", help="print one schema or codelist")
    show.add_argument("name", help="a schema name (package, evidence …) or codelist name (sectors …)")
    export = actions.add_parser("export", help="write the whole bundle to a folder")
    export.add_argument("directory")
    p.set_defaults(handler=_schema)


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from sharedoutcomes import schema

    if args.action == "list":
        for name in schema.schema_names():
            out.write(f"schema    {name:<14} {schema.get_schema(name)['$id']}\n")
        for name in schema.codelist_names():
            listed = schema.codelist(name)
            out.write(f"codelist  {name:<24} {'open' if listed['open'] else 'closed'}\n")
    elif args.action == "show":
        if args.name in schema.schema_names():
            _print_json(schema.get_schema(args.name), out)
        elif args.name in schema.codelist_names():
            _print_json(schema.codelist(args.name), out)
        else:
            from sharedoutcomes.exceptions import UnknownName

            known = (*schema.schema_names(), *schema.codelist_names())
            raise UnknownName(args.name, known=known, what="schema or codelist")
    else:
        target = Path(args.directory)
        for relative, text in schema.schema_files().items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        out.write(f"wrote {len(schema.schema_files())} files to {target}\n")
    return EXIT_OK


def _add_rules(sub: Any) -> None:
    p = sub.add_parser("rules", help="list the semantic validation rules and their default severities",
                       description="List the semantic rules (beyond the JSON Schema) with their stable ids and "
                       "default severities; a validation profile can change them.",
                       epilog="examples:\n  sharedoutcomes rules\n"
                       "  sharedoutcomes validate returns.json --profile strict.toml",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=_rules_command)


def _rules_command(_args: argparse.Namespace, out: TextIO) -> int:
    from sharedoutcomes.validation._rules import RULES

    for rule in RULES.values():
        out.write(f"{rule.id:<28} {rule.severity:<8} {rule.description}\n")
    return EXIT_OK


def _add_demo(sub: Any) -> None:
    p = sub.add_parser("demo", help="validate and summarise the bundled example package",
                       description="Load the bundled example partnership package, validate it and print a "
                       "summary; --output writes a copy to start from.",
                       epilog="examples:\n  sharedoutcomes demo\n  sharedoutcomes demo -o example.json\n"
                       "  sharedoutcomes convert example.json --from package --to tables-xlsx -o example.xlsx",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--output", "-o", metavar="PATH", help="also write the example package here")
    p.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from sharedoutcomes import example_package_path, load, validate
    from sharedoutcomes.serialization import dumps

    path = example_package_path()
    report = validate(path)
    out.write(report.to_text() + "\n")
    if not report.ok:  # pragma: no cover - the bundled example is tested to be valid
        return EXIT_INVALID
    package = load(path)
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
    if args.output:
        Path(args.output).write_text(dumps(package) + "\n", encoding="utf-8")
        out.write(f"\nwrote {args.output}\n")
    return EXIT_OK


_COMMANDS: tuple[Callable[[Any], None], ...] = (
    _add_validate,
    _add_convert,
    _add_formats,
    _add_schema,
    _add_rules,
    _add_demo,
    _add_report,
    _add_merge,
    _add_template,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with every command."""
    parser = _Parser(
        prog="sharedoutcomes",
        description="Validate, convert and explore sharedoutcomes packages: outcomes, contributions and "
        "the evidence that links them.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for add in _COMMANDS:
        add(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sharedoutcomes")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """
    Run the command line; return the exit code.

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
        for problem in error.report.problems:  # every problem, each with its place in the source
            sys.stderr.write(f"{problem.severity}: {problem}\n")
        sys.stderr.write(f"{parser.prog}: {error}\n")
        return EXIT_INVALID
    except (SharedOutcomesError, OSError) as error:
        sys.stderr.write(f"{parser.prog}: error: {error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.stderr.write("interrupted\n")
        return 130
    return code
