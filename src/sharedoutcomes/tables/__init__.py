"""
A package as tables, losslessly: a folder of CSV files, one XLSX workbook, or pandas DataFrames.

The layout comes from the published schemas:

- a ``package`` sheet lists the package's own fields, one a row (field title, key, value);
- one sheet per collection (``organisations``, ``activities``, ``outcomes``, ``indicators``,
  ``contributions``, ``evidence``, ``links``, ``extensions``), one object a row;
- one sheet per list of objects inside an entity (``activities.participants``,
  ``activities.funding``, ``outcomes.mappings``, ``indicators.targets``, ``evidence.values``),
  one item a row, pointing at its parent by ``_parent_id`` (the parent's ``id``).

Row 1 holds human column titles from the schema (``Subject: Type``); row 2 holds the JSON
keys (``subject/type``; hidden in XLSX) and is what the reader trusts. A sheet without the
key row is read by its titles. Nested objects become ``/``-joined columns; lists of text
are one cell, one item a line; each extension's data is a JSON cell.

Cells are lossless: an empty cell is an absent property; anything whose plain form would
read back differently (an empty string, ``"007"`` in a number column, ``7.0``, ``null``, an
empty list) is written as ``json:`` and its JSON text; whatever no column can hold goes
into the row's ``Other data (JSON)`` cell. So `read_xlsx` (`to_xlsx` (doc)) gives back the
very same document, including data the schema would reject, and every value is mapped to
its cell (sheet, row, column letter, header) so that validation problems point at cells.

Example:
    >>> import tempfile, pathlib, sharedoutcomes
    >>> from sharedoutcomes import tables
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "tables"
    >>> _ = tables.to_csv(sharedoutcomes.example_package(), folder)
    >>> read = tables.read_csv(folder)
    >>> read.document == sharedoutcomes.dump(sharedoutcomes.example_package())
    True
    >>> str(read.source_map["$.evidence[0].kind"])
    "evidence.csv, row 3, column B ('Kind')"
"""

from sharedoutcomes.tables._document import (
    TablesDocument,
    read_csv,
    read_dataframes,
    read_xlsx,
    sheet_names,
    template,
    to_csv,
    to_dataframes,
    to_xlsx,
)
from sharedoutcomes.tables._format import TablesCsvFormat, TablesXlsxFormat

__all__ = [
    "TablesCsvFormat",
    "TablesDocument",
    "TablesXlsxFormat",
    "read_csv",
    "read_dataframes",
    "read_xlsx",
    "sheet_names",
    "template",
    "to_csv",
    "to_dataframes",
    "to_xlsx",
]
