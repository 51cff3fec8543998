"""A problem with a document or a source file, and where in the original file it was found."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

from attrs import field, frozen

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
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.section:
            parts.append(f"section {self.section}")
        if self.question:
            parts.append(f"question {self.question!r}")
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.table is not None:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            column = f"column {self.column}"
            if self.header and self.header != self.column:
                column += f" ({self.header!r})"
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

    Example:
        >>> Problem(rule="period-order", severity="error", path="$.period", message="ends before it starts").rule
        'period-order'
    """

    rule: str
    severity: Severity
    path: str
    message: str
    source: SourceLocation | None = None
    value: Any = field(default=None, eq=False, hash=False)

    def __str__(self) -> str:
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
