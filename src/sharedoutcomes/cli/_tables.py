"""
Templates for the ``template`` command beyond forms: the package as tables, and plugin formats.

Importing this module registers two providers with `sharedoutcomes.cli._template`:

- ``package``: a blank package workbook (``--format xlsx``) or folder of CSV files
  (``--format csv``) in the layout of `sharedoutcomes.tables`;
- every registered format (built-in or plugin) whose converter has a
  ``template(path, format)`` method and a ``template_formats`` tuple.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sharedoutcomes import tables
from sharedoutcomes.cli._template import TEMPLATE_PROVIDERS, TemplateProvider, register_template_provider
from sharedoutcomes.converters import PluginError, default_registry

__all__ = ["FORMAT_TEMPLATES", "PACKAGE_TEMPLATE"]


def _write_package_template(_name: str, path: Path, format: str) -> None:
    if format == "csv":
        tables.template(path.with_suffix("") if path.suffix == ".csv" else path, format="csv")
    else:
        tables.template(path, format="xlsx")


PACKAGE_TEMPLATE = TemplateProvider(names=lambda: ("package",), formats=("xlsx", "csv"),
                                    write=_write_package_template)
"""``sharedoutcomes template package --format xlsx``: a blank package workbook."""


def _templated() -> dict[str, Any]:
    registry = default_registry()
    found = {}
    for name in registry.names():
        try:
            converter = registry[name]
        except PluginError:
            continue  # a broken plugin is reported by `sharedoutcomes formats`, not here
        if callable(getattr(converter, "template", None)):
            found[name] = converter
    return found


def _format_template_names() -> tuple[str, ...]:
    return tuple(_templated())


def _write_format_template(name: str, path: Path, format: str) -> None:
    _templated()[name].template(path, format)


class _FormatTemplates:
    """Duck-types `TemplateProvider`; the formats are looked up only when the command runs."""

    names = staticmethod(_format_template_names)
    write = staticmethod(_write_format_template)

    @staticmethod
    def accepts(_name: str) -> bool:
        return False

    @property
    def formats(self) -> tuple[str, ...]:
        found = {f for c in _templated().values() for f in getattr(c, "template_formats", ("xlsx",))}
        return tuple(sorted(found)) or ("xlsx",)


FORMAT_TEMPLATES: Any = _FormatTemplates()
"""Templates offered by registered formats (``template(path, format)`` on the converter)."""

if PACKAGE_TEMPLATE not in TEMPLATE_PROVIDERS:
    register_template_provider(PACKAGE_TEMPLATE)
    register_template_provider(FORMAT_TEMPLATES)
