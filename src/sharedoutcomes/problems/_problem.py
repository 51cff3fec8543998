"""A problem with a document or a source file, and where in the original file it was found."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

from attrs import field, frozen

from sharedoutcomes.problems._render import render_value

__all__ = ["Problem", "Severity", "SourceLocation"]

Severity: TypeAlias = Literal["error", "warning"]
"""How serious a problem is: an ``error`` makes a document invalid, a ``warning`` does not."""


@frozen(kw_only=True)
class SourceLocation:
    """
    Where a value came from in an original file: sheet, row, column, form question.

    Rows count from 1, as a spreadsheet shows them.

    Example:
        >>> str(SourceLocation(file="star.csv", row=14, column="F", header="Money"))
        "star.csv, row 14, column F ('Money')"
    """

    file: str | None = None
    sheet: str | None = None
    table: int | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    section: str | None = None
    question: str | None = None

    def __str__(self) -> str:
        # Rendered safely: a location built from untrusted data (a provenance whose file is a list)
        # must not make a report unprintable.
        parts: list[str] = []
        if self.file:
            parts.append(_plain(self.file))
        if self.section:
            parts.append(f"section {_plain(self.section)}")
        if self.question:
            parts.append(f"question {render_value(self.question)}")
        if self.sheet:
            parts.append(f"sheet {render_value(self.sheet)}")
        if self.table is not None:
            parts.append(f"table {render_value(self.table)}")
        if self.row is not None:
            parts.append(f"row {render_value(self.row)}")
        if self.column:
            column = f"column {_plain(self.column)}"
            if self.header and self.header != self.column:
                column += f" ({render_value(self.header)})"
            parts.append(column)
        return ", ".join(parts) or "(unknown location)"

    def to_dict(self) -> dict[str, Any]:
        """
        The location as a JSON-ready dict, without empty fields.

        Example:
            >>> SourceLocation(file="a.csv", row=2).to_dict()
            {'file': 'a.csv', 'row': 2}
        """
        return {name: value for name in _LOCATION_FIELDS if (value := getattr(self, name)) is not None}


def _plain(value: object) -> str:
    """Text as it is (bounded), anything else as `render_value` shows it."""
    return render_value(value, limit=200) if type(value) is not str or len(value) > 200 else value


_LOCATION_FIELDS = ("file", "sheet", "table", "row", "column", "header", "section", "question")


@frozen(kw_only=True)
class Problem:
    """
    One thing wrong with a document or a source file.

    Attributes:
        rule: A stable rule id, such as ``ref-unresolved`` or ``schema.required``; every id the
            library emits is explained in `sharedoutcomes.problems.catalogue`.
        severity: ``"error"`` or ``"warning"``.
        path: A JSONPath into the document, such as ``$.evidence[3].values[0].value``.
        message: What is wrong, in words.
        source: Where the offending value came from, when the data was converted from a file.
        value: The offending value, when there is one.

    A problem about a file as a whole (path ``$``, with the file in its source location) prints
    the location first and no ``$:``.

    Example:
        >>> Problem(rule="period-order", severity="error", path="$.period", message="ends before it starts").rule
        'period-order'
        >>> print(Problem(rule="json-syntax", severity="error", path="$", message="not valid JSON",
        ...               source=SourceLocation(file="a.json")))
        a.json: not valid JSON [json-syntax]
    """

    rule: str
    severity: Severity
    path: str
    message: str
    source: SourceLocation | None = None
    value: Any = field(default=None, eq=False, hash=False)

    def __str__(self) -> str:
        if self.source is not None and self.source.file and self.path == "$":
            # a problem about a file as a whole: the file says where, "$:" would only be noise
            return f"{self.source}: {self.message} [{self.rule}]"
        where = f" ({self.source})" if self.source is not None else ""
        return f"{self.path}: {self.message} [{self.rule}]{where}"

    def to_dict(self) -> dict[str, Any]:
        """
        The problem as a JSON-ready dict.

        Example:
            >>> Problem(rule="r", severity="warning", path="$", message="m").to_dict()
            {'rule': 'r', 'severity': 'warning', 'path': '$', 'message': 'm'}
        """
        data: dict[str, Any] = {"rule": self.rule, "severity": self.severity, "path": self.path,
                                "message": self.message}
        if self.source is not None:
            data["source"] = self.source.to_dict()
        return data
