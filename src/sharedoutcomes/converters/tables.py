"""The ``tables-csv`` and ``tables-xlsx`` formats, kept at their 0.1 path; they live in `sharedoutcomes.tables`."""

from sharedoutcomes.tables import TablesCsvFormat, TablesXlsxFormat

__all__ = ["TablesCsvFormat", "TablesXlsxFormat"]
