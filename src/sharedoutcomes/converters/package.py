"""The ``package`` format: a sharedoutcomes package as JSON, read and written as it is."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sharedoutcomes.converters._result import ConversionResult, build_result
from sharedoutcomes.exceptions import Problem, UnknownOption
from sharedoutcomes.model import Package
from sharedoutcomes.serialization import dumps
from sharedoutcomes.validation import read_json

__all__ = ["PackageFormat"]


class PackageFormat:
    """
    A sharedoutcomes package in its own JSON form.

    Example:
        >>> from sharedoutcomes import example_package_path
        >>> PackageFormat().read(example_package_path()).ok
        True
    """

    name = "package"
    description = "A sharedoutcomes package as JSON (the standard's own form)."
    extensions = (".json",)

    def read(self, source: Any, **options: Any) -> ConversionResult:
        """Read and validate a package; problems carry their JSONPath."""
        _reject_options(options)
        data, _name = read_json(source)
        problems: tuple[Problem, ...] = ()
        return build_result(data, format=self.name, problems=problems)

    def write(self, package: Package, destination: str | os.PathLike[str], **options: Any) -> None:
        """Write *package* as indented UTF-8 JSON."""
        _reject_options(options)
        Path(destination).write_text(dumps(package) + "\n", encoding="utf-8")


def _reject_options(options: dict[str, Any]) -> None:
    if options:
        raise UnknownOption("package", sorted(options), accepted=())
