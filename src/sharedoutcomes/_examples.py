"""The bundled example package: a small, fictional North Ayrshire partnership."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from sharedoutcomes.model import Package
from sharedoutcomes.validation import load

__all__ = ["example_package", "example_package_path"]


def example_package_path() -> Path:
    """
    The path of the bundled example package (JSON).

    Example:
        >>> example_package_path().name
        'example-partnership.json'
    """
    resource = files("sharedoutcomes").joinpath("data", "example-partnership.json")
    with as_file(resource) as path:  # a real file for a normal install; extracted for a zipped one
        return Path(path)


def example_package() -> Package:
    """
    The bundled example package, loaded and validated.

    Three organisations, two activities, local outcomes mapped to National Health and
    Wellbeing Outcomes, contributions, evidence of eight kinds and the links between them.
    The organisations, figures and people are fictional.

    Example:
        >>> package = example_package()
        >>> len(package.organisations), len(package.activities)
        (3, 2)
    """
    return load(example_package_path())
