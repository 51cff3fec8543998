"""
The ``sharedoutcomes template`` command: write a blank form to fill in.

Template kinds come from a small registry of providers (`TEMPLATE_PROVIDERS`), so other
kinds of template can be added with one `register_template_provider` call. The form
provider offers every bundled form profile, and a path to your own profile file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from attrs import frozen

from sharedoutcomes import forms
from sharedoutcomes.cli._common import EXIT_OK, EXIT_USAGE, add_command
from sharedoutcomes.exceptions import ConversionError, UnknownName

__all__ = ["TEMPLATE_PROVIDERS", "TemplateProvider", "add_parser", "register_template_provider", "run"]


@frozen(kw_only=True)
class TemplateProvider:
    """
    Something that writes blank templates: the names it knows, its formats, and its writer.

    Attributes:
        names: The template names it offers (``names()`` is called when the command runs).
        formats: The file formats it writes (the first is the default).
        write: ``write(name, path, format)`` writes the template.
        accepts: Whether it takes a *name* it does not list (such as a path to a profile file).

    Example:
        >>> provider = TemplateProvider(names=lambda: ("hello",), formats=("txt",),
        ...                             write=lambda name, path, fmt: path.write_text(name))
        >>> provider.names()
        ('hello',)
    """

    names: Callable[[], tuple[str, ...]]
    formats: tuple[str, ...]
    write: Callable[[str, Path, str], Any]
    accepts: Callable[[str], bool] = lambda _name: False


def _form_names() -> tuple[str, ...]:
    return forms.profiles()


def _write_form_template(name: str, path: Path, format: str) -> None:
    forms.template(name, path, format=format)  # type: ignore[arg-type]


TEMPLATE_PROVIDERS: list[TemplateProvider] = [
    TemplateProvider(names=_form_names, formats=("docx", "xlsx", "json"), write=_write_form_template,
                     accepts=lambda name: name.endswith(".json") and Path(name).is_file()),
]
"""The template providers the ``template`` command asks, in order."""


def register_template_provider(provider: TemplateProvider) -> None:
    """
    Add a provider of templates to the ``template`` command.

    Example:
        >>> provider = TemplateProvider(names=lambda: (), formats=("txt",), write=lambda n, p, f: None)
        >>> register_template_provider(provider)
        >>> TEMPLATE_PROVIDERS.remove(provider)
    """
    TEMPLATE_PROVIDERS.append(provider)


def add_parser(sub: Any) -> None:
    """Add the ``template`` command to the sub-parsers."""
    p = add_command(
        sub, "template", run,
        help="write a blank form to fill in (north-ayrshire, harmonising-reporting …)",
        description="Write a blank, fillable template: a funder's form as Word or Excel, with labelled "
        "questions, guidance, drop-downs (XLSX) and room to add rows. NAME is a template name (see --list) "
        "or a path to your own form profile (.json).",
        epilog="examples:\n  sharedoutcomes template north-ayrshire --format docx -o return.docx\n"
        "  sharedoutcomes template north-ayrshire --format xlsx\n  sharedoutcomes template --list",
    )
    p.add_argument("name", nargs="?", help="the template to write")
    p.add_argument("--format", dest="file_format", default=None, metavar="FORMAT",
                   help="docx or xlsx (default: the template's first format, docx for forms)")
    p.add_argument("--output", "-o", metavar="PATH", help="where to write (default: NAME.FORMAT here)")
    p.add_argument("--list", action="store_true", help="list the templates")


def _list(out: TextIO) -> None:
    for provider in TEMPLATE_PROVIDERS:
        for name in provider.names():
            out.write(f"{name:<28} {' '.join(provider.formats)}\n")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Write the named template, or list them (``--list``; with no name, list them and exit 2)."""
    if args.list or not args.name:
        _list(out)
        return EXIT_OK if args.list else EXIT_USAGE
    known: list[str] = []
    for provider in TEMPLATE_PROVIDERS:
        names = provider.names()
        known.extend(names)
        if args.name in names or provider.accepts(args.name):
            file_format = (args.file_format or provider.formats[0]).lower().lstrip(".")
            if file_format not in provider.formats:
                msg = f"the {args.name!r} template comes as {', '.join(provider.formats)}, not {file_format!r}"
                raise ConversionError(msg)
            stem = Path(args.name).stem if args.name.endswith(".json") else args.name
            target = Path(args.output) if args.output else Path(f"{stem}.{file_format}")
            provider.write(args.name, target, file_format)
            out.write(f"wrote {target}\n")
            return EXIT_OK
    raise UnknownName(args.name, known=known, what="template")
