"""The ``--problems PATH`` option of ``validate`` and ``convert``: write the problem list to send back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sharedoutcomes.problem_lists import (
    FORMATS,
    ListFormat,
    format_for_path,
    problem_list,
    write_problem_list,
)

__all__ = ["add_problem_list_options", "list_format", "source_name", "write_list"]


def add_problem_list_options(parser: argparse.ArgumentParser) -> None:
    """
    Add ``--problems PATH`` and ``--problems-format FORMAT`` to a command's parser.

    (``--format`` already says how these commands print their report, and ``-o`` where
    ``convert`` writes the package, hence the names of their own.)

    Example:
        >>> parser = argparse.ArgumentParser()
        >>> add_problem_list_options(parser)
        >>> args = parser.parse_args(["--problems", "back-to-shed.xlsx"])
        >>> args.problems, args.problems_format
        ('back-to-shed.xlsx', None)
    """
    parser.add_argument("--problems", metavar="PATH",
                        help="also write the problem list to send back, one row per problem with the file, the "
                        "place in it, the value found, what is wrong and what to do (.html, .xlsx, .csv or .json)")
    parser.add_argument("--problems-format", choices=FORMATS, metavar="FORMAT",
                        help=f"the problem list's format ({', '.join(FORMATS)}; default: from the PATH's suffix)")


def source_name(name: str) -> str:
    """
    The name a problem list gives an input: its file name, without the folders it is in.

    Example:
        >>> source_name("/home/ana/returns/q3/garnock-shed.docx"), source_name("-")
        ('garnock-shed.docx', 'standard input')
    """
    return "standard input" if name == "-" else Path(name).name or name


def list_format(args: argparse.Namespace) -> ListFormat | None:
    """The chosen format, checked before any work is done (None when no list is asked for)."""
    if not args.problems:
        return None
    chosen: ListFormat = args.problems_format or format_for_path(args.problems)
    return chosen


def write_list(args: argparse.Namespace, name: str, source: Any, *, quiet: bool = False) -> None:
    """Write the problem list of *source* (a report, a conversion …, under the file name *name*) if asked."""
    chosen = list_format(args)
    if chosen is None:
        return
    listed = problem_list({name: source}, title=f"Problems to correct: {name}")
    written = write_problem_list(listed, args.problems, chosen)
    if not quiet:
        sys.stderr.write(f"wrote the problem list ({listed.errors} error{'' if listed.errors == 1 else 's'}, "
                         f"{listed.warnings} warning{'' if listed.warnings == 1 else 's'}) to {written}\n")
