"""Rendering and writing a problem list: HTML, XLSX, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias, get_args

from sharedoutcomes.exceptions import SharedOutcomesError
from sharedoutcomes.problem_lists._html import render_html
from sharedoutcomes.problem_lists._rows import ProblemList, ProblemRow, ProblemSource, problem_list
from sharedoutcomes.problem_lists._xlsx import render_xlsx

__all__ = ["CSV_COLUMNS", "FORMATS", "JSON_SHAPE", "MEDIA_TYPES", "ListFormat", "format_for_path",
           "render_problem_list", "write_problem_list"]

ListFormat: TypeAlias = Literal["html", "xlsx", "csv", "json"]
"""The formats a problem list is written in."""

FORMATS: Final[tuple[ListFormat, ...]] = get_args(ListFormat)
"""Every format, in the order the docs list them."""

MEDIA_TYPES: Final = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
"""The media type of each format (for a download)."""

CSV_COLUMNS: Final = ("file", "where", "sheet", "table", "row", "column", "cell", "section", "question", "value",
                      "severity", "problem", "details", "action", "rule", "path", "url")
"""The CSV's columns (its header row), in order."""

JSON_SHAPE: Final = "sharedoutcomes-problem-list/1"
"""The ``shape`` of the JSON document; a change to its fields gets a new number."""

_SUFFIXES: Final[dict[str, ListFormat]] = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".csv": "csv", ".json": "json"}
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def format_for_path(path: str | os.PathLike[str]) -> ListFormat:
    """
    The format a path's suffix names (``.html``, ``.xlsx``, ``.csv``, ``.json``).

    Raises:
        SharedOutcomesError: The suffix is none of these.

    Example:
        >>> format_for_path("problems.XLSX")
        'xlsx'
    """
    suffix = Path(path).suffix.lower()
    chosen = _SUFFIXES.get(suffix)
    if chosen is not None:
        return chosen
    msg = (f"cannot tell the format of a problem list from {Path(path).name!r}: name the file .html, .xlsx, .csv "
           "or .json, or give the format")
    raise SharedOutcomesError(msg)


def _as_list(source: ProblemSource | ProblemList, title: str | None, docs: str | None) -> ProblemList:
    if isinstance(source, ProblemList) and title is None and docs is None:
        return source
    return problem_list(source, title=title, docs=docs)


def render_problem_list(source: ProblemSource | ProblemList, format: ListFormat = "html", *,
                        title: str | None = None, docs: str | None = None) -> bytes:
    """
    The problem list of *source* (see `problem_list`) as the bytes of a file in *format*.

    * ``html``: one standalone page (no script, nothing fetched), grouped by file then by sheet or
      section, each rule linked to its explanation.
    * ``xlsx``: a workbook with filters and a frozen header row (see `render_xlsx`).
    * ``csv``: UTF-8 with a byte-order mark (so that Excel reads accents and "’" correctly), one
      row per problem, the header `CSV_COLUMNS`; a text cell that Excel would run as a formula
      (starting ``=``, ``+``, ``-``, ``@``) starts with an apostrophe.
    * ``json``: ``{"shape", "title", "errors", "warnings", "files": [{"file", "errors",
      "warnings"}], "problems": [row, …]}``, each row as `ProblemRow.to_dict`.

    Example:
        >>> from sharedoutcomes.problems import Problem
        >>> problems = {"q3.json": [Problem(rule="period-order", severity="error", path="$.period",
        ...                                 message="the period ends before it starts")]}
        >>> render_problem_list(problems, "csv").decode("utf-8-sig").splitlines()[0]
        'file,where,sheet,table,row,column,cell,section,question,value,severity,problem,details,action,rule,path,url'
        >>> import json
        >>> json.loads(render_problem_list(problems, "json"))["files"]
        [{'file': 'q3.json', 'errors': 1, 'warnings': 0}]
    """
    listed = _as_list(source, title, docs)
    if format == "html":
        return render_html(listed).encode("utf-8")
    if format == "xlsx":
        return render_xlsx(listed)
    if format == "csv":
        return _csv(listed)
    if format == "json":
        return (json.dumps(_json(listed), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    msg = f"a problem list is written as {', '.join(FORMATS)}, not {format!r}"
    raise SharedOutcomesError(msg)


def write_problem_list(source: ProblemSource | ProblemList, path: str | os.PathLike[str],
                       format: ListFormat | None = None, *, title: str | None = None,
                       docs: str | None = None) -> Path:
    """
    Write the problem list of *source* to *path*, in *format* (default: from the path's suffix); return the path.

    Example:
        >>> import tempfile, pathlib
        >>> from sharedoutcomes import validate, example_package_path
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> written = write_problem_list({"partnership.json": validate(example_package_path())},
        ...                              folder / "problems.html")
        >>> "No problems found." in written.read_text(encoding="utf-8")
        True
    """
    target = Path(path)
    chosen = format if format is not None else format_for_path(target)
    target.write_bytes(render_problem_list(source, chosen, title=title, docs=docs))
    return target


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def _csv_values(row: ProblemRow) -> list[Any]:
    data = row.to_dict()
    data["where"] = row.where
    data["severity"] = row.severity_words
    return [_csv_cell(data[name]) for name in CSV_COLUMNS]


def _csv(listed: ProblemList) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_values(row) for row in listed.rows)
    return out.getvalue().encode("utf-8-sig")


def _json(listed: ProblemList) -> dict[str, Any]:
    files = [{"file": name, "errors": sum(r.severity == "error" for r in rows),
              "warnings": sum(r.severity == "warning" for r in rows)} for name, rows in listed.by_file().items()]
    return {"shape": JSON_SHAPE, "title": listed.title, "errors": listed.errors, "warnings": listed.warnings,
            "files": files, "problems": [row.to_dict() for row in listed.rows]}
