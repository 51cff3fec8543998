"""
JSON forms: a form saved as JSON, read into grids and written from form content.

The shape is ``{"form": name, "profile_version": …, "answers": {id: value},
"tables": {id: [row, …]}}``; a reader also accepts question labels and table titles as
keys, as a person editing the file might write them. Read answers become the same
`Grid`s the Word and Excel readers make, so matching does not know the difference.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import ConversionError, SourceLocation
from sharedoutcomes.forms import _values as fv
from sharedoutcomes.forms._content import FormContent
from sharedoutcomes.forms._grid import Cell, Grid
from sharedoutcomes.forms._profile import FormProfile, Table
from sharedoutcomes.validation import read_json

__all__ = ["content_to_json", "json_grids"]


def json_grids(path: Path, profile: FormProfile) -> list[Grid]:
    """
    Read a form saved as JSON: ``{"form": name, "answers": {label or id: value}, "tables": {title or id: [rows]}}``.

    Raises:
        ConversionError: The file is not JSON or not shaped like a form.

    Example:
        >>> import json, tempfile, pathlib
        >>> from sharedoutcomes.forms import get_profile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "return.json"
        >>> _ = path.write_text(json.dumps({"answers": {"org_name": "Shed"}, "tables": {}}))
        >>> grid = json_grids(path, get_profile("north-ayrshire"))[0]
        >>> [cell.text for cell in grid.rows[0]]
        ['Organisation name', 'Shed']
    """
    data = _form_data(path, profile)
    declared = data.get("form") if isinstance(data.get("form"), str) else None
    answers = data.get("answers")
    loose: list[tuple[Cell, str]] = [
        _loose([key], value, "a JSON form has only 'form', 'profile_version', 'answers' and 'tables'")
        for key, value in data.items() if key not in _MEMBERS]
    if answers is not None and not isinstance(answers, dict):
        loose.append(_loose(["answers"], answers, "'answers' must be an object of question → answer"))
    grids = [_answers_grid(answers if isinstance(answers, dict) else {}, profile)]
    tables = data.get("tables")
    if tables is not None and not isinstance(tables, dict):
        loose.append(_loose(["tables"], tables, "'tables' must be an object of table → list of rows"))
    table_ids = {t.id: t for _s, t in profile.tables()}
    for key, items in (tables.items() if isinstance(tables, dict) else ()):
        if isinstance(items, list):
            loose += [_loose(["tables", key, n], item, "a table row must be an object of column → answer")
                      for n, item in enumerate(items) if not isinstance(item, dict) and not fv.is_blank(item)]
            grids.append(_table_grid(key, items, table_ids.get(key)))
        elif not fv.is_blank(items):
            loose.append(_loose(["tables", key], items, "a table must be a list of rows"))
    return [Grid(name=grids[0].name, rows=grids[0].rows, declares=declared, not_read=tuple(loose)), *grids[1:]]


_MEMBERS: Final = frozenset({"form", "profile_version", "answers", "tables", "$schema"})


def _loose(path: list[Any], value: Any, why: str) -> tuple[Cell, str]:
    """A member of the JSON form that cannot be read, as a cell, and why."""
    where = f"JSON {json_path(path)}"
    try:
        text = json.dumps(value, ensure_ascii=False)[:200]
    except (TypeError, ValueError):  # pragma: no cover - parsed JSON always dumps
        text = str(type(value).__name__)
    return (Cell(text=text, value=None, row=0, column=str(path[-1]), where=where, sheet=str(path[0])),
            f"{where}: {why}")


def _form_data(path: Path, profile: FormProfile) -> dict[str, Any]:
    try:
        data, _name = read_json(path)  # the one JSON reader: any text, depth or number is a library error
    except ConversionError as error:
        raise ConversionError(f"not a JSON form: {error.message}", source=SourceLocation(file=path.name)) from None
    if not isinstance(data, dict) or not ({"answers", "tables"} & set(data)):
        msg = (f"this is not a {profile.title} saved as JSON: expected an object with 'answers' and "
               "'tables' (write one with sharedoutcomes.forms.write_form)")
        raise ConversionError(msg, source=SourceLocation(file=path.name))
    return data


def _answers_grid(answers: Any, profile: FormProfile) -> Grid:
    """The answers as label/answer rows (a key that is a question id shows the question's label)."""
    ids = {q.id: q for _s, q in profile.questions()}
    rows: list[tuple[Cell, ...]] = []
    for number, (key, value) in enumerate(answers.items() if isinstance(answers, dict) else (), start=1):
        where = f"JSON {json_path(['answers', key])}"
        label = ids[key].label if key in ids else str(key)
        rows.append((Cell(text=label, value=label, row=number, column="label", where=where, sheet="answers",
                          piece=False),
                     _json_cell(value, number, "value", where, "answers")))
    return Grid(name="answers", rows=tuple(rows))


def _table_grid(key: str, items: list[Any], spec: Table | None) -> Grid:
    """A table's rows under its title and a header of its column labels (the union of the rows' keys)."""
    title = spec.title if spec else str(key)
    columns: list[str] = []
    for item in items:
        for name in (item if isinstance(item, dict) else {}):
            if name not in columns:
                columns.append(name)
    labels = [spec.column(c).label if spec and c in {x.id for x in spec.columns} else c for c in columns]
    header = tuple(Cell(text=label, value=label, row=0, column=c, where=f"JSON {json_path(['tables', key])}",
                        sheet=title, piece=False) for label, c in zip(labels, columns, strict=True))
    grid_rows = [(Cell(text=title, value=title, row=0, column="", where="", sheet=title, piece=False),), header]
    for number, item in enumerate(items, start=1):
        values = item if isinstance(item, dict) else {}
        grid_rows.append(tuple(
            _json_cell(values.get(c), number, c, f"JSON {json_path(['tables', key, number - 1, c])}", title)
            for c in columns))
    return Grid(name=title, rows=tuple(grid_rows))


def _json_cell(value: Any, row: int, column: str, where: str, sheet: str) -> Cell:
    if isinstance(value, list):
        text = ", ".join(fv.to_text(v) for v in value)
    elif isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        text = value
    else:
        text = fv.to_text(value)
    return Cell(text=text, value=value if not isinstance(value, list) else text, row=row, column=column,
                where=where, sheet=sheet)


def content_to_json(profile: FormProfile, content: FormContent) -> dict[str, Any]:
    """
    A form's content as the JSON form format (keys are question and column ids).

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> data = content_to_json(get_profile("north-ayrshire"), FormContent(answers={"org_name": "Shed"}))
        >>> data["form"], data["answers"]["org_name"], data["tables"]["outcomes"]
        ('north-ayrshire', 'Shed', [])
    """
    answers = {q.id: fv.json_ready(content.answers.get(q.id)) for _s, q in profile.questions()}
    tables = {t.id: [fv.json_ready(r) for r in content.rows.get(t.id, [])] for _s, t in profile.tables()}
    out: dict[str, Any] = {"form": profile.name, "profile_version": profile.version, "answers": answers,
                           "tables": tables}
    if content.unmapped:
        out["answers"].update(dict(content.unmapped))
    return out
