"""
360Giving spreadsheets in the official flattened layout: CSV, or XLSX with one sheet per sub-object.

The grants sheet has one grant per row, headed by titles (``Recipient Org:Identifier``) or field
paths (``recipientOrganization/0/id``). Other sheets (``Beneficiary Location``, ``Rec_Location`` …)
add items to a grant's arrays, matched by its ``Identifier`` in their first column; the ``Meta``
sheet holds the package metadata, one field a row. Sub-object sheets are read first (they are
small), then the grants sheet is streamed row by row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path as FilePath
from typing import Any, Final

from sharedoutcomes._office import Budget, open_workbook
from sharedoutcomes._optional import require
from sharedoutcomes._util.paths import column_letter
from sharedoutcomes.converters import CoverageCounter, not_read
from sharedoutcomes.exceptions import ConversionError, Problem
from sharedoutcomes.problems import SourceLocation
from sharedoutcomes.threesixtygiving._raw import Cell, RawGrant, json_value, merge, set_path, unwrap
from sharedoutcomes.threesixtygiving._schema import Path, heading_paths, meta_paths, normalise_heading

__all__ = ["SheetSource"]

_ID: Final[Path] = ("id",)
_GRANT_FIELDS: Final = frozenset({("title",), ("amountAwarded",), ("awardDate",), ("description",)})


def _rows_csv(path: FilePath) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV file: UTF-8, or else Windows-1252 (what Excel saves as "CSV" on Windows)."""
    given = 0
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            with path.open(encoding=encoding, newline="") as handle:
                for number, row in enumerate(csv.reader(handle), start=1):
                    if number > given:  # the rows given before a decoding error are not given twice
                        given = number
                        yield number, list(row)
            return
        except UnicodeDecodeError:
            continue
        except csv.Error as error:
            msg = f"{path.name} is not a readable CSV file (row {given + 1}: {error})"
            raise ConversionError(msg, source=SourceLocation(file=path.name, row=given + 1)) from None
        except OSError as error:
            msg = f"{path.name} cannot be opened: {error.strerror or error}"
            raise ConversionError(msg, source=SourceLocation(file=path.name)) from None
    msg = f"{path.name} is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8"
    raise ConversionError(msg, source=SourceLocation(file=path.name, row=given + 1))


class _Book:
    """The sheets of a workbook (or the one sheet of a CSV file), each read as (row number, cells)."""

    def __init__(self, path: FilePath) -> None:
        self.path = path
        self._book: Any = None
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            require("openpyxl", extra="xlsx", purpose="reading 360Giving XLSX files")
            self._book = open_workbook(path, name=path.name)  # checked first: unsafe workbooks are refused
            self._budget = Budget(name=path.name)
            self.names = [sheet.title for sheet in self._book.worksheets]
        else:
            self.names = [path.stem]

    def rows(self, name: str) -> Iterator[tuple[int, list[Any]]]:
        if self._book is None:
            yield from _rows_csv(self.path)
            return
        number = 0
        try:
            for number, row in enumerate(self._budget.rows(self._book[name].iter_rows(values_only=True), sheet=name),
                                         start=1):
                yield number, list(row)
        except ConversionError:  # the budget spent: the library's own error, as it is
            raise
        except Exception as error:  # openpyxl raises anything at all on a damaged sheet
            msg = (f"the sheet cannot be read beyond row {number} ({type(error).__name__}); the workbook is "
                   "damaged: save it again from Excel")
            raise ConversionError(msg, source=SourceLocation(file=self.path.name, sheet=name, row=number + 1)) from None

    def close(self) -> None:
        if self._book is not None:
            self._book.close()


def _non_empty(row: Iterable[Any]) -> bool:
    return any(cell is not None and str(cell).strip() for cell in row)


class SheetSource:
    """
    The grants of a 360Giving CSV or XLSX file, streamed; the metadata and problems gathered on the way.

    Attributes:
        problems: Cells that were not read, with why.
        coverage: Not-read pieces are counted here (the grant mapper counts what it reads).
        meta: The ``Meta`` sheet as package metadata (JSON), and ``meta_locations`` where each came from.
    """

    def __init__(self, path: FilePath, counter: CoverageCounter) -> None:
        self.path = path
        self.file = path.name
        self.counter = counter
        self.problems: list[Problem] = []
        self.meta: dict[str, Any] = {}
        self.meta_locations: dict[Path, SourceLocation] = {}
        self.main: str | None = None

    def _loc(self, sheet: str | None, row: int, index: int | None = None, header: str | None = None
             ) -> SourceLocation:
        column = column_letter(index) if index is not None else None
        return SourceLocation(file=self.file, sheet=sheet, row=row, column=column, header=header)

    def _skip(self, sheet: str | None, number: int, row: list[Any], why: str, start: int = 0) -> None:
        for index, cell in enumerate(row[start:], start=start):
            if cell is not None and str(cell).strip():
                self.problems.append(not_read(self._loc(sheet, number, index), cell, why=why))
                self.counter.not_read(sheet or self.file)

    def _headings(self, sheet: str | None, number: int, row: list[Any]) -> list[Path | None]:
        """The field each column names; columns outside the schema are kept under their heading."""
        paths: list[Path | None] = []
        taken: set[Path] = set()
        for index, heading in enumerate(row):
            if heading is None or not str(heading).strip():
                paths.append(None)
                continue
            found = heading_paths().get(normalise_heading(str(heading)), (str(heading).strip(),))
            if found in taken:
                self.problems.append(Problem(
                    rule="threesixtygiving.duplicate-column", severity="warning", path="$",
                    message=f"the heading {str(heading)!r} is used twice; only the first column of that name "
                            "is read (rename or remove the other)", source=self._loc(sheet, number, index, str(heading))))
                paths.append(None)
                continue
            taken.add(found)
            paths.append(found)
        return paths

    def _fragment(self, sheet: str | None, number: int, row: list[Any], paths: list[Path | None],
                  headings: list[Any]) -> dict[str, Any]:
        fragment: dict[str, Any] = {}
        for index, cell in enumerate(row):
            path = paths[index] if index < len(paths) else None
            if path is None:
                if cell is not None and str(cell).strip():
                    self._skip(sheet, number, [cell], "the column has no heading")
                continue
            value = json_value(cell, path)
            if value is None:
                continue
            location = self._loc(sheet, number, index, str(headings[index]))
            if not set_path(fragment, path, Cell(value, location)):
                self.problems.append(not_read(location, cell, why="another column already gave this field"))
                self.counter.not_read(sheet or self.file)
        return fragment

    def _read_meta(self, book: _Book, name: str) -> None:
        for number, row in book.rows(name):
            if not _non_empty(row):
                continue
            key, value = [*row, None, None][:2]
            if key is None or not str(key).strip():
                self._skip(name, number, row, "a Meta row needs the field's name in column A")
                continue
            path = meta_paths().get(normalise_heading(str(key)), (str(key).strip(),))
            if value is not None and str(value).strip():
                text = json_value(value, None)
                if path == ("extensions",):
                    text = [part.strip() for part in str(text).replace(";", ",").split(",") if part.strip()]
                location = self._loc(name, number, 1, str(key))
                if set_path(self.meta, path, Cell(text, location)):
                    self.counter.read(name, 1)
                else:
                    self.problems.append(not_read(location, value, why="the Meta sheet gives this field twice"))
                    self.counter.not_read(name)
            self._skip(name, number, row, "a Meta row holds one value, in column B", start=2)
        self.meta = unwrap(self.meta, (), self.meta_locations)

    def _classify(self, book: _Book) -> tuple[str | None, list[str], str | None]:
        main, subs, meta = None, [], None
        for name in book.names:
            if name.strip().casefold() == "meta":
                meta = name
                continue
            headings = next((row for _n, row in book.rows(name) if _non_empty(row)), [])
            paths = {heading_paths().get(normalise_heading(str(h))) for h in headings if h is not None}
            if main is None and paths & _GRANT_FIELDS:
                main = name
            elif _ID in paths:
                subs.append(name)
            else:
                for number, row in book.rows(name):
                    self._skip(name, number, row, "the sheet has no 'Identifier' column to tie its rows to a grant")
        return main, subs, meta

    def _read_sub(self, book: _Book, name: str, pending: dict[Any, list[dict[str, Any]]]) -> None:
        rows = book.rows(name)
        header: tuple[int, list[Any]] | None = None
        for number, row in rows:
            if not _non_empty(row):
                continue
            if header is None:
                header = (number, row)
                paths = self._headings(name, number, row)
                continue
            fragment = self._fragment(name, number, row, paths, header[1])
            grant_id = fragment.pop("id", None)
            if grant_id is None:
                self._skip(name, number, row, "the row has no grant 'Identifier'")
                continue
            fragment["id"] = grant_id
            pending.setdefault(grant_id.value, []).append(fragment)

    def __iter__(self) -> Iterator[RawGrant]:
        book = _Book(self.path)
        try:
            main, subs, meta = self._classify(book)
            if meta is not None:
                self._read_meta(book, meta)
            if main is None:
                msg = (f"{self.file} has no sheet of grants: no sheet has the headings of a 360Giving grants "
                       "sheet (Identifier, Title, Amount Awarded, Award Date …)")
                raise ConversionError(msg, source=SourceLocation(file=self.file))
            self.main = main
            pending: dict[Any, list[dict[str, Any]]] = {}
            for name in subs:
                self._read_sub(book, name, pending)
            yield from self._grants(book, main, pending)
            for fragments in pending.values():
                for fragment in fragments:
                    for cell in _leaves(fragment):
                        self.problems.append(not_read(cell.location, cell.value,
                                                      why="no grant on the grants sheet has this Identifier"))
                        self.counter.not_read(cell.location.sheet or self.file)
        finally:
            book.close()

    def _grants(self, book: _Book, main: str, pending: dict[Any, list[dict[str, Any]]]) -> Iterator[RawGrant]:
        header: list[Any] | None = None
        paths: list[Path | None] = []
        for number, row in book.rows(main):
            if not _non_empty(row):
                continue
            if header is None:
                header, paths = row, self._headings(main, number, row)
                continue
            fragment = self._fragment(main, number, row, paths, header)
            grant_id = fragment.get("id")
            clashes: list[Cell] = []
            for extra in pending.pop(grant_id.value, []) if isinstance(grant_id, Cell) else []:
                extra.pop("id", None)
                merge(fragment, extra, clashes)
            for cell in clashes:
                self.problems.append(not_read(cell.location, cell.value,
                                              why="the grants sheet already gives this field for the grant"))
                self.counter.not_read(cell.location.sheet or self.file)
            locations: dict[Path, SourceLocation] = {}
            data = unwrap(fragment, (), locations)
            yield RawGrant(data=data, base=self._loc(main, number), locations=locations, file=self.file)


def _leaves(node: Any) -> Iterator[Cell]:
    if isinstance(node, Cell):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value)
