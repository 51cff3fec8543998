"""
One safe way into Office files: every DOCX and XLSX is checked here before any parser sees it.

`check` refuses files over the size and part-count limits, decompression bombs (sizes and
compression ratios from the zip directory, then counted as parts inflate), macros
(``vbaProject`` parts and macro-enabled content types, matched exactly), external and
embedded references (``TargetMode="External"`` other than plain web or mail hyperlinks;
external links, OLE objects, attached templates, whatever their mode), any DTD or entity
in any part a parser could take as XML whatever its name, and worksheets whose cells span
more than the limits (a cell at ``XFD1048576``). `open_workbook` checks, then opens with
openpyxl; `open_document` checks, then opens with python-docx; `open_rows` checks,
then reads a sheet's rows with python-calamine where it gives what openpyxl would (else openpyxl). `Budget` is the rows and time a reader may spend, charged per row. `Limits`
holds every limit, each overridable. Refusals are `UnsafeFile` (a `ConversionError`);
damaged files and files of the wrong kind are `ConversionError`.

Example:
    >>> import io, zipfile
    >>> data = io.BytesIO()
    >>> with zipfile.ZipFile(data, "w") as archive:
    ...     archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Types/>')
    >>> check(data.getvalue(), "xlsx", name="lol.xlsx")
    Traceback (most recent call last):
    ...
    sharedoutcomes.exceptions.UnsafeFile: lol.xlsx: the part '[Content_Types].xml' declares a DTD or entities, which Office documents never need; it is refused for safety (an entity can expand to gigabytes or read other files). Save the file again from Word or Excel
"""

from sharedoutcomes._office._archive import Source
from sharedoutcomes._office._check import OfficeFile, SheetInfo, check
from sharedoutcomes._office._fast import RowBook, open_rows
from sharedoutcomes._office._limits import Limits
from sharedoutcomes._office._workbook import Budget, open_document, open_workbook

__all__ = ["Budget", "Limits", "OfficeFile", "RowBook", "SheetInfo", "Source", "check", "open_document", "open_rows",
           "open_workbook"]
