"""The problem list as an Excel workbook a project officer can filter, sort, print and send back."""

from __future__ import annotations

import io
import math
from typing import Any, Final

from sharedoutcomes._optional import require
from sharedoutcomes.problem_lists._rows import ProblemList, ProblemRow

__all__ = ["COLUMNS", "render_xlsx"]

COLUMNS: Final = (
    ("File", 20), ("Where", 26), ("Cell", 7), ("Value found", 20), ("What is wrong", 36), ("Details", 40),
    ("What to do", 42), ("Severity", 10), ("Rule", 22), ("JSONPath", 26),
)
"""The sheet's columns and their widths (in characters): the words first, the codes last."""

_FILLS: Final = {"error": "F8D7DA", "warning": "FFF2CC"}
_SHEET: Final = "Problems"
_LINE_HEIGHT: Final = 15.0
"""Points per line of 11-point text."""
_MAX_LINES: Final = 27
"""Excel's tallest row is 409 points."""


def _values(row: ProblemRow) -> tuple[str, ...]:
    return (row.file or "(the package as a whole)", row.where, row.cell or "", row.value, row.problem,
            row.details if row.details != row.problem else "", row.action, row.severity_words, row.rule, row.path)


def render_xlsx(listed: ProblemList) -> bytes:
    """
    The problem list as an XLSX workbook: a "Problems" sheet (one row per problem) and a "Files" sheet.

    The "Problems" sheet has an auto-filter on every column, its header row frozen, wrapped text,
    readable widths, the severity in words (with a fill colour), each rule linked to its
    explanation, and prints in landscape, one page wide, the header on every page. Every cell
    is text: a value found that starts with ``=`` is never a formula.

    Example:
        >>> import io, openpyxl
        >>> from sharedoutcomes.problems import Problem
        >>> from sharedoutcomes.problem_lists import problem_list
        >>> data = render_xlsx(problem_list({"q3.json": [Problem(rule="period-order", severity="error",
        ...     path="$.period", message="the period ends before it starts", value="=1+1")]}))
        >>> sheet = openpyxl.load_workbook(io.BytesIO(data))["Problems"]
        >>> sheet.auto_filter.ref, sheet.freeze_panes, sheet["D2"].value, sheet["H2"].value
        ('A1:J2', 'A2', "'=1+1'", 'Error')
    """
    openpyxl = require("openpyxl", extra="xlsx", purpose="writing problem lists as XLSX")
    styles = require("openpyxl.styles", extra="xlsx", purpose="writing problem lists as XLSX")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _SHEET
    bold = styles.Font(bold=True)
    header_fill = styles.PatternFill("solid", fgColor="DDE3EA")
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    for index, (name, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font, cell.fill, cell.alignment = bold, header_fill, wrap
        sheet.column_dimensions[cell.column_letter].width = width
    link_font = styles.Font(color="1F4E8C", underline="single")
    for number, row in enumerate(listed.rows, start=2):
        values = _values(row)
        for index, value in enumerate(values, start=1):
            cell = _text_cell(sheet, number, index, value)
            cell.alignment = wrap
        # Excel and LibreOffice do not size a row to its wrapped text on opening: give it the height it needs
        sheet.row_dimensions[number].height = _LINE_HEIGHT * _lines(values)
        severity = sheet.cell(row=number, column=8)
        severity.fill = styles.PatternFill("solid", fgColor=_FILLS[row.severity])
        severity.font = bold
        if row.url:
            rule = sheet.cell(row=number, column=9)
            rule.hyperlink = row.url
            rule.font = link_font
    last = sheet.cell(row=max(len(listed.rows) + 1, 2), column=len(COLUMNS)).coordinate
    sheet.auto_filter.ref = f"A1:{last}"
    sheet.freeze_panes = "A2"
    _print_setup(sheet)
    _files_sheet(book.create_sheet("Files"), listed, bold, header_fill, wrap)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _lines(values: tuple[str, ...]) -> int:
    """How many lines the tallest cell of a row wraps to, at the columns' widths (about)."""
    tallest = 1
    for value, (_, width) in zip(values, COLUMNS, strict=True):
        lines = sum(max(1, math.ceil(len(part) / (width * 1.1))) for part in value.split("\n"))
        tallest = max(tallest, lines)
    return min(tallest, _MAX_LINES)


def _text_cell(sheet: Any, row: int, column: int, value: str) -> Any:
    """A cell holding *value* as text, whatever it starts with (openpyxl would make ``=…`` a formula)."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"
    return cell


def _print_setup(sheet: Any) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True


def _files_sheet(sheet: Any, listed: ProblemList, bold: Any, fill: Any, wrap: Any) -> None:
    """One row per file: its errors and warnings (a file with none is listed too)."""
    for index, (name, width) in enumerate((("File", 40), ("Errors", 10), ("Warnings", 10)), start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        sheet.column_dimensions[cell.column_letter].width = width
    for number, (name, rows) in enumerate(listed.by_file().items(), start=2):
        _text_cell(sheet, number, 1, name or "(the package as a whole)").alignment = wrap
        sheet.cell(row=number, column=2, value=sum(r.severity == "error" for r in rows))
        sheet.cell(row=number, column=3, value=sum(r.severity == "warning" for r in rows))
    sheet.freeze_panes = "A2"
