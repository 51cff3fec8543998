"""The ``sharedoutcomes schema`` command: list, show or export the published JSON Schemas and codelists."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sharedoutcomes import schema
from sharedoutcomes.cli._common import EXIT_OK, Parser, add_command, print_json
from sharedoutcomes.exceptions import UnknownName

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``schema`` command, with its ``list``, ``show`` and ``export`` actions, to the sub-parsers."""
    p = add_command(
        sub, "schema", run,
        help="list, show or export the published JSON Schemas",
        description="The published JSON Schemas and codelists of the standard.",
        epilog="examples:\n  sharedoutcomes schema list\n  sharedoutcomes schema show evidence\n"
        "  sharedoutcomes schema export ./schemas",
    )
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    actions.add_parser("list", help="list the schemas and codelists")
    show = actions.add_parser("show", help="print one schema or codelist")
    show.add_argument("name", help="a schema name (package, evidence …) or codelist name (sectors …)")
    export = actions.add_parser("export", help="write the whole bundle to a folder")
    export.add_argument("directory")


def _list(out: TextIO) -> None:
    for name in schema.schema_names():
        out.write(f"schema    {name:<14} {schema.get_schema(name)['$id']}\n")
    for name in schema.codelist_names():
        listed = schema.codelist(name)
        out.write(f"codelist  {name:<24} {'open' if listed['open'] else 'closed'}\n")


def _show(name: str, out: TextIO) -> None:
    if name in schema.schema_names():
        print_json(schema.get_schema(name), out)
    elif name in schema.codelist_names():
        print_json(schema.codelist(name), out)
    else:
        known = (*schema.schema_names(), *schema.codelist_names())
        raise UnknownName(name, known=known, what="schema or codelist")


def _export(directory: str, out: TextIO) -> None:
    target = Path(directory)
    for relative, text in schema.schema_files().items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    out.write(f"wrote {len(schema.schema_files())} files to {target}\n")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run the schema action; an unknown name is a usage error."""
    if args.action == "list":
        _list(out)
    elif args.action == "show":
        _show(args.name, out)
    else:
        _export(args.directory, out)
    return EXIT_OK
