"""
The example files the documentation uses, shipped with the package so that every example runs from any directory.

Each how-to reads its data through `path`: ``sharedoutcomes.examples.path("garnock-shed-q4.json")``
is the bundled file wherever the library is installed (a wheel, an editable checkout, a zip). The
organisations, people and figures in them are fictional, except the INDIGO extract
(``indigo-flat/``: four projects of the impact bond dataset the Government Outcomes Lab publishes as
open data, people's contact details removed; its ``SOURCE.md`` says where it comes from).

Example:
    >>> from sharedoutcomes import examples
    >>> examples.path("garnock-shed-q4.json").name
    'garnock-shed-q4.json'
    >>> "firth-valley-profile.json" in examples.names()
    True
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from sharedoutcomes.exceptions import UnknownName

__all__ = ["names", "path"]


def names() -> tuple[str, ...]:
    """
    The names of the bundled example files and folders, sorted.

    Example:
        >>> names()[:2]
        ('carers-network-2024-25.json', 'firth-valley-profile.json')
    """
    root = files(__name__).joinpath("data")
    return tuple(sorted(entry.name for entry in root.iterdir() if not entry.name.startswith((".", "_"))
                        and entry.name != "SOURCE.md"))


def path(name: str) -> Path:
    """
    The path of the bundled example file (or folder) *name*.

    Raises:
        UnknownName: There is no example of that name (the message suggests the closest).

    Example:
        >>> path("star-worked-example.json").is_file(), path("indigo-flat").is_dir()
        (True, True)
    """
    if name not in names():
        raise UnknownName(name, known=names(), what="example file")
    with as_file(files(__name__).joinpath("data", name)) as real:  # a real file, extracted from a zipped install
        return Path(real)
