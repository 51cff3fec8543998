"""The ``tables-csv`` and ``tables-xlsx`` formats: a package as a folder of CSV files or one workbook."""

from __future__ import annotations

import os
from typing import Any

from sharedoutcomes.converters import ConversionResult
from sharedoutcomes.exceptions import UnknownOption
from sharedoutcomes.model import Package
from sharedoutcomes.tables._document import read_csv, read_xlsx, to_csv, to_xlsx

__all__ = ["TablesCsvFormat", "TablesXlsxFormat"]


def _reject_options(name: str, options: dict[str, Any]) -> None:
    if options:
        raise UnknownOption(name, sorted(options), accepted=())


class TablesCsvFormat:
    """
    A package as a folder of CSV files, one per sheet of `sharedoutcomes.tables`.

    Example:
        >>> import tempfile, sharedoutcomes
        >>> folder = tempfile.mkdtemp()
        >>> TablesCsvFormat().write(sharedoutcomes.example_package(), folder)
        >>> TablesCsvFormat().read(folder).package == sharedoutcomes.example_package()
        True
    """

    name = "tables-csv"
    description = "A package as a folder of CSV files, one per entity (lossless; see sharedoutcomes.tables)."
    extensions: tuple[str, ...] = ()

    def read(self, source: str | os.PathLike[str], **options: Any) -> ConversionResult:
        """Read the folder; problems point at files, rows and columns."""
        _reject_options(self.name, options)
        return read_csv(source).result()

    def write(self, package: Package, destination: str | os.PathLike[str], **options: Any) -> None:
        """Write one CSV file per sheet into the folder *destination*."""
        _reject_options(self.name, options)
        to_csv(package, destination)


class TablesXlsxFormat:
    """
    A package as one XLSX workbook, one sheet per entity, with human column titles.

    Example:
        >>> import tempfile, pathlib, sharedoutcomes
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "package.xlsx"
        >>> TablesXlsxFormat().write(sharedoutcomes.example_package(), path)
        >>> TablesXlsxFormat().read(path).ok
        True
    """

    name = "tables-xlsx"
    description = "A package as one XLSX workbook, one sheet per entity (lossless; see sharedoutcomes.tables)."
    extensions = (".xlsx",)

    def read(self, source: str | os.PathLike[str], **options: Any) -> ConversionResult:
        """Read the workbook; problems point at sheets, rows and columns."""
        _reject_options(self.name, options)
        return read_xlsx(source).result()

    def write(self, package: Package, destination: str | os.PathLike[str], **options: Any) -> None:
        """Write the workbook *destination*."""
        _reject_options(self.name, options)
        to_xlsx(package, destination)
