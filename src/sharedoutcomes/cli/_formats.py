"""The ``sharedoutcomes formats`` command: list the registered formats, built-in and plugins."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from sharedoutcomes.cli._common import EXIT_OK, PROG, add_command, print_json
from sharedoutcomes.converters import ConverterRegistry, PluginError, default_registry

__all__ = ["add_parser", "describe", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``formats`` command to the sub-parsers."""
    p = add_command(
        sub, "formats", run,
        help="list the registered formats (built-in and plugins)",
        description="List every registered format with what it reads and whether it writes. "
        "Plugins installed under the 'sharedoutcomes.converters' entry-point group are listed too; "
        "one that cannot be loaded is reported on standard error.",
        epilog="examples:\n  sharedoutcomes formats\n  sharedoutcomes formats --format json",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")


def describe(registry: ConverterRegistry, name: str) -> dict[str, Any]:
    """
    What the format *name* reads and whether it writes.

    Example:
        >>> describe(default_registry(), "package")["writes"]
        True
    """
    converter = registry[name]
    return {"description": converter.description, "extensions": list(converter.extensions),
            "writes": callable(getattr(converter, "write", None))}


def run(args: argparse.Namespace, out: TextIO) -> int:
    """List the formats as a table or as JSON; a plugin that cannot be loaded is a warning."""
    registry = default_registry()
    described: dict[str, Any] = {}
    for name in registry.names():  # one broken plugin must not hide the other formats
        try:
            described[name] = describe(registry, name)
        except PluginError as error:
            sys.stderr.write(f"{PROG}: warning: {error}\n")
    if args.format == "json":
        print_json(described, out)
        return EXIT_OK
    width = max(map(len, described), default=0)
    for name, info in described.items():
        mode = "read/write" if info["writes"] else "read"
        out.write(f"{name:<{width}}  {mode:<10}  {' '.join(info['extensions']):<14}  {info['description']}\n")
    return EXIT_OK
