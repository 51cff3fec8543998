"""
Exceptions, warnings and the problem records that validation and converters report.

Every exception raised on purpose inherits `SharedOutcomesError` and the builtin a caller
would naturally catch::

    SharedOutcomesError
     ├── InvalidDocument (also ValueError): a document failed validation; see ``.report``
     ├── UnknownName (also LookupError): no schema, codelist, Star … has that name
     │    ├── UnknownFormat: no converter is registered under a name
     │    └── UnknownRule: a validation profile names a rule that does not exist
     ├── ConversionError (also ValueError): a source could not be read at all
     └── MissingDependency (also ImportError): an optional extra is not installed
    SharedOutcomesWarning (UserWarning)

Problems are data, not text: each carries a stable rule id, a severity, a JSONPath in
one syntax (``$.evidence[3].values[0].value``) and, for converted data, the location in
the original file.

Example:
    >>> problem = Problem(rule="ref-unresolved", severity="error", path="$.links[0].evidence_id",
    ...                   message="no evidence has id 'ev-9'")
    >>> str(problem)
    "$.links[0].evidence_id: no evidence has id 'ev-9' [ref-unresolved]"
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from attrs import field, frozen

if TYPE_CHECKING:
    from sharedoutcomes.validation import Report

__all__ = [
    "ConversionError",
    "InvalidDocument",
    "MissingDependency",
    "Problem",
    "Severity",
    "SharedOutcomesError",
    "SharedOutcomesWarning",
    "SourceLocation",
    "UnknownFormat",
    "UnknownName",
    "UnknownRule",
]

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
        rule: A stable rule id, such as ``ref-unresolved`` or ``schema.required``.
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


class SharedOutcomesError(Exception):
    """The root of every exception sharedoutcomes raises on purpose."""


class SharedOutcomesWarning(UserWarning):
    """The root of every warning sharedoutcomes issues."""


class InvalidDocument(SharedOutcomesError, ValueError):
    """
    A document failed validation. ``.report`` holds every problem.

    Example:
        >>> import sharedoutcomes
        >>> try:
        ...     sharedoutcomes.load({"schema_version": "0.1"})
        ... except sharedoutcomes.InvalidDocument as error:
        ...     print(error.report.problems[0].rule)
        schema.required
    """

    def __init__(self, report: Report) -> None:
        super().__init__(report)
        self.report = report

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The problems, errors first."""
        return self.report.problems

    def __str__(self) -> str:
        errors = self.report.errors
        if not errors:  # pragma: no cover - an InvalidDocument always has errors
            return "invalid document"
        first, *rest = errors
        more = f" (and {len(rest)} more error{'s' if len(rest) > 1 else ''})" if rest else ""
        return f"invalid document: {first}{more}"


class UnknownName(SharedOutcomesError, LookupError):
    """
    A name (of a format, schema, codelist, rule, Star …) is not known.

    Example:
        >>> str(UnknownName("evidnce", known=("evidence", "package"), what="schema"))
        "No schema is called 'evidnce'. Did you mean 'evidence'?"
    """

    what = "name"

    def __init__(self, name: str, *, known: Sequence[str], what: str | None = None) -> None:
        super().__init__(name)
        self.name = name
        self.known = tuple(known)
        if what is not None:
            self.what = what

    def __str__(self) -> str:
        close = difflib.get_close_matches(self.name, self.known, n=1, cutoff=0.6)
        if close:
            hint = f" Did you mean {close[0]!r}?"
        elif self.known:
            hint = f" Known: {', '.join(self.known)}."
        else:
            hint = ""
        return f"No {self.what} is called {self.name!r}.{hint}"


class UnknownFormat(UnknownName):
    """
    No converter is registered under the name asked for.

    Example:
        >>> str(UnknownFormat("outcome-star", known=("outcomes-star", "package")))
        "No format is called 'outcome-star'. Did you mean 'outcomes-star'?"
    """

    what = "format"


class UnknownRule(UnknownName):
    """A validation profile names a rule that does not exist."""

    what = "validation rule"


class ConversionError(SharedOutcomesError, ValueError):
    """
    A source could not be read at all (not just a bad value in it: those are problems).

    Example:
        >>> str(ConversionError("this is not an Outcomes Star export", source=SourceLocation(file="x.csv")))
        'x.csv: this is not an Outcomes Star export'
    """

    def __init__(self, message: str, *, source: SourceLocation | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source is not None else self.message


class MissingDependency(SharedOutcomesError, ImportError):
    """
    An optional dependency is needed and not installed.

    Example:
        >>> str(MissingDependency("openpyxl", extra="xlsx", purpose="reading XLSX files"))
        "reading XLSX files needs openpyxl. Install it with: python -m pip install 'sharedoutcomes[xlsx]'"
    """

    def __init__(self, module: str, *, extra: str, purpose: str) -> None:
        super().__init__(module, name=module)
        self.module = module
        self.extra = extra
        self.purpose = purpose

    def __str__(self) -> str:
        return (f"{self.purpose} needs {self.module}. "
                f"Install it with: python -m pip install 'sharedoutcomes[{self.extra}]'")
