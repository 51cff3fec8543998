"""One row per problem, in the words of the catalogue, with the place in the original file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any, Final, TypeAlias

import attrs
from attrs import frozen

from sharedoutcomes.problems import (
    DOCS_URL,
    Problem,
    Report,
    Severity,
    SourceLocation,
    catalogue,
    render_value,
)

__all__ = ["ProblemList", "ProblemRow", "ProblemSource", "problem_list", "problem_rows"]

ProblemSource: TypeAlias = Any
"""What a problem list is made from: a validation `Report`, a `ConversionResult`, a folder's
`BatchResult`, an `InvalidDocument` error, problems, a `ProblemList`, a mapping of file name → any
of these, or a list of any of these."""

_COLUMN: Final = re.compile(r"^[A-Z]{1,3}$")
_NO_ADVICE: Final = "The catalogue has no advice for this rule: see its explanation."
_SEVERITY_WORDS: Final = {"error": "Error", "warning": "Warning"}


@frozen(kw_only=True)
class ProblemRow:
    """
    One problem as a person reads it: which file, where in it, the value found, what is wrong, what to do.

    Attributes:
        file: The file the problem is in (``""`` when it is about the package, not one file).
        place: Where in the file, in words ("sheet 'evidence', row 4, column C ('Value')"); ``""``
            when only the JSONPath says where (a package read as JSON), "the whole file" for a
            problem about the file as a whole.
        sheet, table, row, column, cell, header, section, question: The parts of the place
            (``None`` when the file has no such part): *table* is a Word document's table (from 1),
            *cell* the spreadsheet reference (``"C4"``).
        path: The JSONPath of the value in the package (``$.evidence[2].values[0].value``).
        value: The value found, rendered safely and shortly (``""`` when there is none).
        problem: What is wrong, in the catalogue's plain words (its one-line summary).
        details: What is wrong here, as the check said it (the problem's own message).
        action: What to do, in the catalogue's words (as plain text: its Markdown code marks removed,
            the lines of a paragraph joined).
        severity: ``"error"`` (must be corrected) or ``"warning"`` (check it).
        rule: The rule id, to look up (``sharedoutcomes rules ID``), shown small beside the words.
        url: The address of the rule's explanation in the reference pages (``""`` if it has none).

    Example:
        >>> from sharedoutcomes.problems import Problem, SourceLocation
        >>> row = ProblemRow.of(Problem(rule="tables.cell", severity="error", path="$.evidence[2].values[0].value",
        ...     message="the text after 'json:' is not JSON", value="json:[oops",
        ...     source=SourceLocation(file="evidence.values.csv", row=4, column="C", header="Value")))
        >>> row.file, row.place, row.cell, row.value
        ('evidence.values.csv', "row 4, column C ('Value')", 'C4', "'json:[oops'")
        >>> row.problem
        'A cell cannot be read as its column says; its text is kept as it is.'
    """

    file: str
    place: str
    path: str
    value: str
    problem: str
    details: str
    action: str
    severity: Severity
    rule: str
    url: str
    sheet: str | None = None
    table: int | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    header: str | None = None
    section: str | None = None
    question: str | None = None

    @classmethod
    def of(cls, problem: Problem, *, file: str | None = None, docs: str | None = None) -> ProblemRow:
        """
        The row of *problem*; *file* names its file when its source does not, *docs* replaces the docs address.

        Example:
            >>> from sharedoutcomes.problems import Problem
            >>> row = ProblemRow.of(Problem(rule="period-order", severity="error", path="$.period",
            ...                             message="the period ends before it starts"), file="return.json")
            >>> row.file, row.place, row.severity_words
            ('return.json', '', 'Error')
            >>> ProblemRow.of(Problem(rule="period-order", severity="error", path="$", message="m"),
            ...               docs="/docs/problems/").url
            '/docs/problems/semantic.html#problem-period-order'
        """
        source = problem.source
        named = _text(source.file) if source is not None and source.file else None
        where = file if named is None else named if file is None else _within(file, named)
        kind = catalogue().get(problem.rule)
        url = kind.url if kind is not None else ""
        if docs is not None and url.startswith(DOCS_URL):
            url = docs + url[len(DOCS_URL):]
        return cls(
            file=where or "", place=_place(source), path=problem.path, value=_value(problem.value),
            problem=_words(kind.summary) if kind is not None else problem.message,
            details=problem.message, action=_words(kind.action) if kind is not None else _NO_ADVICE,
            severity=problem.severity, rule=problem.rule, url=url, **_parts(source),
        )

    @property
    def severity_words(self) -> str:
        """The severity as a word a person reads: ``Error`` or ``Warning``."""
        return _SEVERITY_WORDS[self.severity]

    @property
    def where(self) -> str:
        """The place, or the JSONPath when the place is unknown (as the lists show it)."""
        return self.place or (f"in the package at {self.path}" if self.path != "$" else "the package as a whole")

    def to_dict(self) -> dict[str, Any]:
        """
        The row as JSON-ready data: every field, ``None`` for a part of the place the file lacks.

        Example:
            >>> from sharedoutcomes.problems import Problem
            >>> sorted(ProblemRow.of(Problem(rule="r", severity="warning", path="$", message="m")).to_dict())[:5]
            ['action', 'cell', 'column', 'details', 'file']
        """
        return attrs.asdict(self)


def _words(text: str) -> str:
    """The catalogue's Markdown as plain words: lines of a paragraph joined, code marks (backticks) removed."""
    paragraphs = (" ".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", text))
    return "\n".join(p for p in paragraphs if p).replace("`", "")


def _within(given: str, named: str) -> str:
    """The file a problem names, inside the file (or folder) it was given under: ``returns/shed.docx``."""
    if named == given or PurePosixPath(given.replace("\\", "/")).name == PurePosixPath(named.replace("\\", "/")).name:
        return given
    return f"{given.rstrip('/')}/{named}"


def _text(value: object) -> str:
    return value if type(value) is str else render_value(value)


def _place(source: SourceLocation | None) -> str:
    if source is None:
        return ""
    place = str(attrs.evolve(source, file=None))
    if place == "(unknown location)":
        return "the whole file" if source.file else ""
    return place


def _parts(source: SourceLocation | None) -> dict[str, Any]:
    if source is None:
        return {}
    row = source.row if type(source.row) is int else None
    column = _text(source.column) if source.column is not None else None
    cell = f"{column}{row}" if column is not None and row is not None and _COLUMN.match(column) else None
    table = source.table if type(source.table) is int else None
    return {"sheet": _optional(source.sheet), "table": table, "row": row, "column": column, "cell": cell,
            "header": _optional(source.header), "section": _optional(source.section),
            "question": _optional(source.question)}


def _optional(value: object) -> str | None:
    return None if value is None else _text(value)


def _value(value: object) -> str:
    return "" if value is None else render_value(value, limit=200)


@frozen(kw_only=True)
class ProblemList:
    """
    The problems of one or several files, one row each, and every file they came from (with no problems too).

    Attributes:
        rows: One `ProblemRow` per problem, grouped by file (in the order the files were given),
            then by place (sheet or section, row, column), in the order found within a place.
        files: Every file named, in order, including those with no problems, so that a list says
            of each file whether it has problems.
        title: The list's heading.

    Example:
        >>> from sharedoutcomes import validate, example_package_path
        >>> listed = problem_list({"partnership.json": validate(example_package_path())})
        >>> listed.files, listed.errors, listed.warnings
        (('partnership.json',), 0, 0)
    """

    rows: tuple[ProblemRow, ...] = ()
    files: tuple[str, ...] = ()
    title: str = "Problems to correct"

    @property
    def errors(self) -> int:
        """How many rows are errors."""
        return sum(row.severity == "error" for row in self.rows)

    @property
    def warnings(self) -> int:
        """How many rows are warnings."""
        return sum(row.severity == "warning" for row in self.rows)

    def by_file(self) -> dict[str, tuple[ProblemRow, ...]]:
        """
        The rows of each file, every file listed (``""``: the problems of no one file, such as a merge's), in order.

        Example:
            >>> ProblemList(files=("a.csv",)).by_file()
            {'a.csv': ()}
        """
        groups: dict[str, list[ProblemRow]] = {name: [] for name in self.files}
        for row in self.rows:
            groups.setdefault(row.file, []).append(row)
        return {name: tuple(rows) for name, rows in groups.items()}

    def __len__(self) -> int:
        return len(self.rows)


def problem_list(source: ProblemSource, *, title: str | None = None, docs: str | None = None) -> ProblemList:
    """
    The problem list of *source*: one or several validation reports, conversions, folders or problems.

    *source* may be a `Report`, a `ConversionResult`, a folder's `BatchResult`, an
    `InvalidDocument` (a conversion that could not be built still has problems to send back), an
    iterable of `Problem`, a mapping of file name → any of these (the name is each row's file
    when the problem does not name its own), or a list of any of these. *docs* replaces the
    address of the reference pages in each row's link (a local copy of the docs, say).

    Example:
        >>> from sharedoutcomes import convert
        >>> from sharedoutcomes.stars import sample_path
        >>> result = convert(sample_path(), format="outcomes-star")
        >>> problem_list(result).files  # a conversion does not know its file's name, and no problem names it
        ()
        >>> listed = problem_list({"star-sample.csv": result})
        >>> listed.files, [row.rule for row in listed.rows][:1]
        (('star-sample.csv',), ['star.no-organisation'])
    """
    rows: list[ProblemRow] = []
    files: list[str] = []
    _collect(source, None, rows, files, docs)
    for row in rows:
        if row.file and row.file not in files:
            files.append(row.file)
    order = {name: n for n, name in enumerate(files)}
    indexed = sorted(enumerate(rows), key=lambda item: (order.get(item[1].file, len(order)), _place_key(item[1]),
                                                        item[0]))
    heading = title if title is not None else source.title if isinstance(source, ProblemList) else None
    return ProblemList(rows=tuple(row for _, row in indexed), files=tuple(files),
                       title=heading or "Problems to correct")


def problem_rows(source: ProblemSource, *, docs: str | None = None) -> list[ProblemRow]:
    """
    The rows of `problem_list` (*source*): one per problem, grouped by file, then by place.

    Example:
        >>> from sharedoutcomes.problems import Problem, Report
        >>> report = Report(problems=(Problem(rule="period-order", severity="error", path="$.period",
        ...                                   message="the period ends before it starts"),), source="q3.json")
        >>> [(row.file, row.where, row.severity_words) for row in problem_rows(report)]
        [('q3.json', 'in the package at $.period', 'Error')]
    """
    return list(problem_list(source, docs=docs).rows)


def _place_key(row: ProblemRow) -> tuple[Any, ...]:
    """Sheet or section, then row, then column: a file's problems in reading order (a whole-file problem first)."""
    return (row.sheet or "", row.section or "", -1 if row.table is None else row.table,
            -1 if row.row is None else row.row, _column_index(row.column), row.question or "")


def _column_index(column: str | None) -> int:
    """A column's place: ``AA`` is 27; a Word table's column is its number."""
    if column is not None and column.isdigit():
        return int(column)
    if column is None or not _COLUMN.match(column):
        return 0
    index = 0
    for letter in column:
        index = index * 26 + ord(letter) - 64
    return index


def _add(files: list[str], names: Iterable[str]) -> None:
    """Add each of *names* to *files* once, in order (an empty name is no file)."""
    for name in names:
        if name and name not in files:
            files.append(name)


def _collect(source: Any, file: str | None, rows: list[ProblemRow], files: list[str], docs: str | None) -> None:
    """Add the rows of *source* (of any accepted kind) to *rows*, and the files it names to *files*."""
    if isinstance(source, ProblemList):
        _add(files, source.files)
        rows.extend(source.rows if file is None else (attrs.evolve(r, file=r.file or file) for r in source.rows))
    elif isinstance(source, ProblemRow):
        rows.append(source)
    elif isinstance(source, Problem):
        rows.append(ProblemRow.of(source, file=file, docs=docs))
    elif isinstance(source, Mapping):
        for key, item in source.items():
            _collect_named(str(key), item, rows, files, docs)
    elif isinstance(source, Report):
        given = file or source.source
        _add(files, [given or ""])
        rows.extend(ProblemRow.of(p, file=given, docs=docs) for p in source.problems)
    elif (problems := getattr(source, "problems", None)) is not None and not callable(problems):
        # a ConversionResult, a folder's BatchResult, a MergeResult, an InvalidDocument
        _add(files, _files_of(source))
        rows.extend(ProblemRow.of(p, file=file, docs=docs) for p in problems)
    elif isinstance(source, Iterable) and not isinstance(source, str | bytes):
        for item in source:
            _collect(item, file, rows, files, docs)
    else:
        msg = (f"a problem list is made from reports, conversion results, folder results or problems, "
               f"not {type(source).__name__}")
        raise TypeError(msg)


def _collect_named(name: str, item: Any, rows: list[ProblemRow], files: list[str], docs: str | None) -> None:
    """The rows of *item*, given under the file (or folder) *name*: a mapping's entry."""
    found: list[ProblemRow] = []
    inner: list[str] = []
    _collect(item, name, found, inner, docs)
    # the name is listed when its problems are its own, or when it has none (so that the list says so);
    # a folder whose problems are all its files' is listed as those files
    if not found or any(row.file == name for row in found):
        _add(files, [name])
    _add(files, [_within(name, n) for n in inner] + [row.file for row in found])
    rows.extend(found)


def _files_of(source: Any) -> list[str]:
    """The files a folder's result read (``BatchResult.files``), or none."""
    entries = getattr(source, "files", None)
    if not isinstance(entries, tuple):
        return []
    return [entry.file for entry in entries if isinstance(getattr(entry, "file", None), str)]
