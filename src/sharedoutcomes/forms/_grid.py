"""
The grid of cells: what every reader turns a form into.

A Word table, a worksheet or a JSON form becomes a `Grid`: rows of `Cell`s, each with its
text, its typed value (a number or date where the file has one) and its place on the form.
Matching (``_match``) then works on grids alone, whatever the file was.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

from sharedoutcomes.exceptions import SourceLocation

__all__ = ["Cell", "Grid"]


@frozen(kw_only=True)
class Cell:
    """
    One cell of a grid: its text, typed value and place on the form.

    Example:
        >>> cell = Cell(text="Shed", value="Shed", row=3, column="B", where="Word table 1, row 3", table=1)
        >>> str(cell.location(question="Organisation name"))
        "question 'Organisation name', table 1, row 3, column B"
    """

    text: str
    value: Any = None
    row: int
    column: str
    where: str
    sheet: str | None = None
    table: int | None = None
    repeat: bool = False
    heading: bool = False
    """Whether a paragraph is styled as a heading or title."""
    listed: bool = False
    """Whether a paragraph is an item of a list."""
    piece: bool = True
    """Whether the cell is a piece of the source (False for text a reader made up, such as a label for prose)."""

    def location(self, **extra: Any) -> SourceLocation:
        """The cell's place as a `SourceLocation`, with *extra* fields (section, question …)."""
        return SourceLocation(sheet=self.sheet, table=self.table, row=self.row, column=self.column, **extra)


@frozen(kw_only=True)
class Grid:
    """A Word table, a sheet, or a JSON form, as rows of cells."""

    name: str
    rows: tuple[tuple[Cell, ...], ...]
    section_hint: str | None = None
    prose: bool = False
    """Whether the rows are paragraphs (one cell each) rather than a table."""
    declares: str | None = None
    """The form profile the file says it was written for (a JSON form's ``"form"``)."""
    not_read: tuple[tuple[Cell, str], ...] = ()
    """Pieces the reader found but could not read, each with why (a malformed row, a JSON member of no use)."""
