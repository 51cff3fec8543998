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
     │    ├── UnsafeFile: an Office file was refused for safety (macros, a zip bomb, external links …)
     │    └── IncompleteConversion: a conversion had errors and writing it anyway was not asked for
     ├── UnknownOption (also TypeError): a format was given an option it does not take
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
    "IncompleteConversion",
    "InvalidDocument",
    "MissingDependency",
    "Problem",
    "Severity",
    "SharedOutcomesError",
    "SharedOutcomesWarning",
    "SourceLocation",
    "UnknownFormat",
    "UnknownName",
    "UnknownOption",
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
        ...     sharedoutcomes.load({"schema_version": "0.2"})
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


class IncompleteConversion(ConversionError):
    """
    A conversion had errors, so its package is not written unless that is asked for explicitly.

    ``.problems`` holds the conversion's problems.

    Example:
        >>> error = IncompleteConversion((Problem(rule="form.not-a-number", severity="error", path="$", message="m"),))
        >>> print(error)
        the conversion has 1 error, so nothing was written: the values it concerns would be missing from the package. Correct the source and convert it again, or write it anyway, marked as partial (partial=True; --write-partial on the command line)
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        errors = sum(p.severity == "error" for p in problems)
        plural = "s" if errors != 1 else ""
        super().__init__(
            f"the conversion has {errors} error{plural}, so nothing was written: the values "
            f"{'they concern' if plural else 'it concerns'} would be missing from the package. Correct the source "
            "and convert it again, or write it anyway, marked as partial (partial=True; --write-partial on the "
            "command line)")
        self.problems = tuple(problems)


class UnknownOption(SharedOutcomesError, TypeError):
    """
    A format was given an option it does not take; the message names the options it accepts.

    Example:
        >>> str(UnknownOption("tables-csv", ["x"], accepted=()))
        "the 'tables-csv' format does not take 'x'; it takes no options"
        >>> str(UnknownOption("outcomes-star", ["colum_map"], accepted=("column_map", "star"), when="reading"))
        "the 'outcomes-star' format does not take 'colum_map' when reading (did you mean 'column_map'?); it takes: column_map, star"
    """

    def __init__(self, format: str, unknown: Sequence[str], *, accepted: Sequence[str], when: str = "") -> None:
        names = ", ".join(repr(name) for name in unknown)
        takes = f"it takes: {', '.join(accepted)}" if accepted else "it takes no options"
        close = difflib.get_close_matches(unknown[0], accepted, n=1) if unknown else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        super().__init__(f"the {format!r} format does not take {names}{' when ' + when if when else ''}{hint}; {takes}")
        self.format = format
        self.unknown = tuple(unknown)
        self.accepted = tuple(accepted)


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
