"""
The ``indigo`` format: INDIGO project JSON, spreadsheet forms and the dataset's flat tables in; project JSON out.

Example:
    >>> import sharedoutcomes
    >>> from sharedoutcomes.indigo import sample_path
    >>> result = sharedoutcomes.convert(sample_path(), format="indigo", publisher="GB-EDU-133808")
    >>> result.package.activities[0].title
    'Norfolk Carers Partnership'
    >>> result.coverage.complete
    True
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sharedoutcomes.converters import ConversionResult
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.indigo._convention import FORMAT
from sharedoutcomes.indigo._export import to_indigo
from sharedoutcomes.indigo._read import read
from sharedoutcomes.model import Package

__all__ = ["IndigoFormat", "sample_path"]


def sample_path() -> Path:
    """
    The bundled sample: INDIGO project JSON of the Norfolk Carers Partnership, from GO Lab's published data.

    Example:
        >>> sample_path().name
        'indigo-norfolk-carers.json'
    """
    return Path(__file__).resolve().parent / "data" / "indigo-norfolk-carers.json"


class IndigoFormat:
    """
    INDIGO (Government Outcomes Lab) impact bond and outcomes contract data.

    Reads project JSON (``.json``: INDIGO's API shape ``{"project": {"id", "data"}}``, a list of
    them, or a project's bare data), INDIGO's spreadsheet forms (``.xlsx``; a blank form is refused),
    and the dataset's flat tables (a folder of CSV files, one CSV table, or an XLSX workbook with one
    sheet per table). Writes project JSON that validates against INDIGO's schema.

    Options for `read`:
        projects: The INDIGO project ids to read (default: all).
        organisations: The INDIGO organisations table (CSV or XLSX), or a mapping
            ``{"INDIGO-ORG-0001": {"name": …, "org_id": …, "type": …}}``, to name the organisations
            a project JSON refers to (the flat tables name them already).
        publisher, publisher_name, publisher_sector: Who publishes the package (an org-id).
        sharing_level: The package's sharing level (default ``public``: INDIGO's data is published).
        package_id, title: The package's id and title.
        project_id: The id of a project whose bare data has none.

    Example:
        >>> IndigoFormat().extensions
        ('.json', '.xlsx', '.csv')
    """

    name = FORMAT
    description = "INDIGO impact bond data: project JSON, spreadsheet forms, or the dataset's flat tables."
    extensions = (".json", ".xlsx", ".csv")

    def read(self, source: Any, **options: Any) -> ConversionResult:
        """
        Read INDIGO data into a package; every quirk is a located problem, every piece accounted for.

        Raises:
            ConversionError: The source cannot be read, holds no INDIGO project, or is a blank form.

        Example:
            >>> result = IndigoFormat().read(sample_path(), publisher="GB-EDU-133808")
            >>> len(result.package.indicators), len(result.package.evidence)
            (7, 7)
        """
        return read(source, **options)

    def read_folder(self, source: Any, *, report: Any = None, **options: Any) -> ConversionResult:
        """
        Read a folder of the dataset's flat tables (CSV files), as `read` does; for ``sharedoutcomes convert FOLDER``.

        *report* (where a command would write progress) is not used: the tables are read in one go.

        Example:
            >>> import pathlib
            >>> result = IndigoFormat().read_folder(pathlib.Path("tests/indigo/data/flat"), projects="INDIGO-POJ-0120")
            >>> result.package.activities[0].title
            'Ways to Wellness'
        """
        del report
        return read(source, **options)

    def write(self, package: Package, destination: str | os.PathLike[str], **options: Any) -> None:
        """
        Write the package as INDIGO project JSON: one project per activity (a list when there are several).

        Raises:
            ConversionError: The package has no activity.

        Example:
            >>> import tempfile, pathlib
            >>> result = IndigoFormat().read(sample_path(), publisher="GB-EDU-133808")
            >>> target = pathlib.Path(tempfile.mkdtemp()) / "project.json"
            >>> IndigoFormat().write(result.package, target)
            >>> json.loads(target.read_text(encoding="utf-8"))["project"]["id"]
            'INDIGO-POJ-0200'
        """
        if options:
            msg = f"the 'indigo' format takes no options when writing (got {', '.join(map(repr, sorted(options)))})"
            raise TypeError(msg)
        projects = to_indigo(package)
        document = projects[0] if len(projects) == 1 else projects
        try:
            Path(destination).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as error:
            msg = f"the file cannot be written ({error.strerror or error})"
            raise ConversionError(msg) from None
