"""
Registered formats for funders' monitoring forms: ``north-ayrshire``, ``harmonising-reporting`` and ``form``.

Each reads ``.docx``, ``.xlsx`` and ``.json`` forms (and folders of them) through a form
profile (see `sharedoutcomes.forms`) and writes filled forms back. The three classes are
public as ``sharedoutcomes.forms.FormFormat`` and so on (and at their 0.1 path,
``sharedoutcomes.converters.forms``).

Example:
    >>> from sharedoutcomes.converters import default_registry
    >>> default_registry()["north-ayrshire"].extensions
    ('.docx', '.xlsx', '.json')
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, TextIO

from sharedoutcomes.converters import ConversionResult, build_result
from sharedoutcomes.exceptions import ConversionError, Problem
from sharedoutcomes.forms._folder import convert_folder
from sharedoutcomes.forms._io import read_form, write_form
from sharedoutcomes.model import Package
from sharedoutcomes.serialization import to_json_data

__all__ = ["FormFormat", "HarmonisingReportingFormat", "NorthAyrshireFormat"]


class FormFormat:
    """
    Any form described by a profile: ``profile=`` names a bundled profile or a profile file.

    Example:
        >>> import tempfile, pathlib
        >>> from sharedoutcomes.forms import template
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "blank.docx"
        >>> template("harmonising-reporting", path)
        >>> FormFormat().read(path, profile="harmonising-reporting").format
        'form'
    """

    name = "form"
    description = "A funder's monitoring form (.docx, .xlsx, .json) read through a form profile (option profile=)."
    extensions = (".docx", ".xlsx", ".json")
    profile: str | None = None

    def _profile(self, options: dict[str, Any]) -> Any:
        chosen = options.pop("profile", None) or self.profile
        if chosen is None:
            msg = "the 'form' format needs a profile: --option profile=NAME or a path to a profile file"
            raise ConversionError(msg)
        return chosen

    def read(self, source: Any, **options: Any) -> ConversionResult:
        """Read one completed form (or, given a folder, every form in it, merged)."""
        profile = self._profile(options)
        if isinstance(source, str | os.PathLike) and Path(source).is_dir():
            return self.read_folder(source, profile=profile, **options)
        return read_form(source, profile=profile, format_name=self.name, **options)

    def read_folder(self, folder: str | os.PathLike[str], *, report: TextIO | None = None,
                    **options: Any) -> ConversionResult:
        """
        Read a folder of forms into one package; a per-file summary goes to *report*.

        A progress bar is drawn on *report* when it is a terminal. Option ``duplicates="keep"`` merges
        a return that is in the folder twice (by default it is reported and counted once).
        """
        profile = self._profile(options)
        stream = report if report is not None else sys.stderr
        isatty = getattr(stream, "isatty", None)
        batch = convert_folder(folder, profile=profile, format_name=self.name,
                               progress=bool(isatty()) if callable(isatty) and report is not None else False,
                               **options)
        if report is not None:
            report.write(batch.summary() + "\n")
        if batch.package is None:
            msg = f"no form in {Path(folder).name!r} could be read:\n{batch.summary()}"
            raise ConversionError(msg)
        document = to_json_data(batch.package)
        result = build_result(document, format=self.name)
        problems: tuple[Problem, ...] = tuple(batch.problems)
        extra = tuple(p for p in result.problems if p not in problems)
        return ConversionResult(package=result.package, problems=(*problems, *extra), source_map={},
                                format=self.name, document=document, coverage=batch.coverage)

    def write(self, package: Package, destination: Any, **options: Any) -> None:
        """Write one organisation's part of *package* as a filled form (option ``organisation_id``)."""
        profile = self._profile(options)
        write_form(package, destination, profile=profile, **options)


class NorthAyrshireFormat(FormFormat):
    """
    The North Ayrshire monitoring and evaluation return (sharedoutcomes' inferred rendition).

    Example:
        >>> NorthAyrshireFormat().name
        'north-ayrshire'
    """

    name = "north-ayrshire"
    description = ("North Ayrshire ICF monitoring and evaluation return (.docx, .xlsx, .json; "
                   "sharedoutcomes' inferred rendition).")
    profile = "north-ayrshire"


class HarmonisingReportingFormat(FormFormat):
    """
    The Harmonising Reporting template of the Scotland Funders' Forum.

    Example:
        >>> HarmonisingReportingFormat().profile
        'harmonising-reporting'
    """

    name = "harmonising-reporting"
    description = "Harmonising Reporting report to funders (Scotland Funders' Forum; .docx, .xlsx, .json)."
    profile = "harmonising-reporting"
