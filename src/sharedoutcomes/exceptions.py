"""
Exceptions, warnings and the problem records that validation and converters report.

Every exception raised on purpose inherits `SharedOutcomesError` and the builtin a caller
would naturally catch::

    SharedOutcomesError
     ├── InvalidDocument (also ValueError): a document failed validation; see ``.report``
     ├── UnknownName (also LookupError): no schema, codelist, Star … has that name
     │    ├── UnknownFormat: no converter is registered under a name
     │    └── UnknownRule: no problem id in the catalogue is called that (a profile's typo)
     ├── ConversionError (also ValueError): a source could not be read at all
     │    └── UnsafeFile: an Office file was refused for safety (macros, a zip bomb, external links …)
     └── MissingDependency (also ImportError): an optional extra is not installed
    SharedOutcomesWarning (UserWarning)

Problems are data, not text: each carries a stable rule id, a severity, a JSONPath in
one syntax (``$.evidence[3].values[0].value``) and, for converted data, the location in
the original file. `Problem`, `SourceLocation` and `Report` live in `sharedoutcomes.problems`
with the catalogue of every rule id, and are re-exported here.

Example:
    >>> problem = Problem(rule="ref-unresolved", severity="error", path="$.links[0].evidence_id",
    ...                   message="no evidence has id 'ev-9'")
    >>> str(problem)
    "$.links[0].evidence_id: no evidence has id 'ev-9' [ref-unresolved]"
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import ClassVar

from sharedoutcomes.problems import Problem, Report, Severity, SourceLocation

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
    "UnsafeFile",
]

_MAX_LISTED = 20
"""The most known names an `UnknownName` lists when none is close to the name asked for."""


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
    listing: ClassVar[str | None] = None
    """Where to see every known name, said instead of listing more than a few of them."""

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
        elif self.known and (len(self.known) <= _MAX_LISTED or self.listing is None):
            hint = f" Known: {', '.join(self.known)}."
        elif self.known:
            hint = f" {self.listing}"
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
    """
    A problem id is not in the catalogue: a validation profile, or a question, names a rule that does not exist.

    Example:
        >>> str(UnknownRule("period-ordr", known=("period-order", "scale-order")))
        "No validation rule is called 'period-ordr'. Did you mean 'period-order'?"
    """

    what = "validation rule"
    listing = "Run 'sharedoutcomes rules' to list them all."


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


class UnsafeFile(ConversionError):
    """
    An Office file was refused for safety: macros, a decompression bomb, external links, a DTD, a far cell.

    ``found`` names what was found (a part, a relationship type, a ratio) and ``part`` the
    zip member it is in, where there is one.

    Example:
        >>> error = UnsafeFile("the document contains macros", source=SourceLocation(file="return.docx"),
        ...                    found="vbaProject.bin", part="word/vbaProject.bin")
        >>> str(error), error.part
        ('return.docx: the document contains macros', 'word/vbaProject.bin')
    """

    def __init__(self, message: str, *, source: SourceLocation | None = None, found: str = "",
                 part: str | None = None) -> None:
        super().__init__(message, source=source)
        self.found = found
        self.part = part


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
