"""The ``sharedoutcomes rules`` command: list every problem id the library reports, or explain one."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any, Final, TextIO

from sharedoutcomes.cli._common import EXIT_OK, add_command, print_json
from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.problems import FAMILY_ORDER, ProblemType, catalogue, families
from sharedoutcomes.validation import explain

__all__ = ["add_parser", "describe", "run"]

_WIDTH: Final = 88
"""The width explanations are wrapped to."""


def add_parser(sub: Any) -> None:
    """Add the ``rules`` command to the sub-parsers."""
    p = add_command(
        sub, "rules", run,
        help="list every problem id with its family and default severity, or explain one",
        description="List every problem the library can report (schema, semantic rules, each converter, merge "
        "and roll-up) with its stable id, family, default severity and summary; with an ID, explain that "
        "problem: what it means, an example and what to do. A validation profile can change the severity of "
        "every problem but the schema's.",
        epilog="examples:\n  sharedoutcomes rules\n  sharedoutcomes rules --family form\n"
        "  sharedoutcomes rules form.not-a-number\n  sharedoutcomes rules --format json\n"
        "  sharedoutcomes validate returns.json --profile strict.toml",
    )
    p.add_argument("id", nargs="?", metavar="ID", help="a problem id to explain, such as form.not-a-number")
    p.add_argument("--family", metavar="FAMILY", help=f"list only one family: {', '.join(FAMILY_ORDER)}")
    p.add_argument("--format", choices=("text", "json"), default="text", help="how to print (default: text)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """
    List the catalogue (or one family of it), or explain one id; an unknown id or family is a usage error.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> run(argparse.Namespace(id=None, family="merge", format="text"), out)
        0
        >>> print(out.getvalue().splitlines()[0])
        merge-organisation-conflict  merge  warning  An organisation differs between packages; the first package's values were kept.
    """
    if args.id is not None:
        kind = explain(args.id)
        if args.format == "json":
            print_json(kind.to_dict(), out)
        else:
            out.write(describe(kind))
        return EXIT_OK
    kinds = _listed(args.family)
    if args.format == "json":
        print_json([kind.to_dict() for kind in kinds], out)
        return EXIT_OK
    id_width = max(len(kind.id) for kind in kinds)
    family_width = max(len(kind.family) for kind in kinds)
    for kind in kinds:
        out.write(f"{kind.id:<{id_width}}  {kind.family:<{family_width}}  {kind.severity:<7}  {kind.summary}\n")
    return EXIT_OK


def _listed(family: str | None) -> list[ProblemType]:
    """Every catalogued problem type, or those of *family* (`UnknownName`, with a hint, when there is none)."""
    kinds = catalogue()
    if family is None:
        return list(kinds.values())
    known = families()
    if family not in known:
        raise UnknownName(family, known=tuple(known), what="problem family")
    return [kinds[rule] for rule in known[family].ids]


def describe(kind: ProblemType) -> str:
    """
    The explanation of one problem id, as ``sharedoutcomes rules ID`` prints it.

    Example:
        >>> print(describe(catalogue()["rollup-no-values"]))  # doctest: +ELLIPSIS
        rollup-no-values: No values of the indicator fall inside the window.
        <BLANKLINE>
          family:    rollup (Roll-up problems)
          severity:  warning by default (a validation profile can change it)
        <BLANKLINE>
        What it means
          The indicator has no values in the window and organisations chosen, ...
        ...
        Read more: https://sharedoutcomes.readthedocs.io/en/latest/reference/problems/rollup.html#problem-rollup-no-values
        <BLANKLINE>
    """
    family = families()[kind.family]
    grading = ("schema problems are the standard itself: a profile cannot change them" if kind.family == "schema"
               else "a validation profile can change it")
    sections = [f"{kind.id}: {kind.summary}\n",
                f"  family:    {family.name} ({family.title})\n  severity:  {kind.severity} by default ({grading})\n"]
    for title, text in (("What it means", kind.explanation), ("Example", kind.example),
                        ("What to do", kind.action)):
        sections.append(f"{title}\n{_wrapped(text)}")
    sections.append(f"Read more: {kind.url}\n")
    return "\n".join(sections)


def _wrapped(text: str) -> str:
    """*text*'s paragraphs, each rewrapped and indented by two spaces."""
    paragraphs = [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
    return "".join(textwrap.fill(p, _WIDTH, initial_indent="  ", subsequent_indent="  ",
                                 break_long_words=False, break_on_hyphens=False) + "\n" for p in paragraphs)
