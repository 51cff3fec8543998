"""
One form file in and out: `read_form`, `write_form` and `template`, for ``.docx``, ``.xlsx`` and ``.json``.

Each file kind has a reader (file → grids) and a renderer (form content → file), wired in
two tables; everything between them is the same for every kind.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, Literal

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.converters import ConversionResult, excerpt
from sharedoutcomes.exceptions import ConversionError, Problem, SourceLocation
from sharedoutcomes.forms import _docx, _xlsx
from sharedoutcomes.forms import _values as fv
from sharedoutcomes.forms._build import convert_grids
from sharedoutcomes.forms._content import FormContent, package_to_content
from sharedoutcomes.forms._grid import Grid
from sharedoutcomes.forms._json import content_to_json, json_grids
from sharedoutcomes.forms._load import get_profile
from sharedoutcomes.forms._profile import FormProfile
from sharedoutcomes.forms._safety import MAX_FILE_BYTES, check_file
from sharedoutcomes.model import Package

__all__ = ["read_form", "template", "write_form"]


def _write_json(profile: FormProfile, content: FormContent, path: Path) -> None:
    path.write_text(json.dumps(content_to_json(profile, content), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")


_READERS: Final[Mapping[str, Callable[[Path, FormProfile], list[Grid]]]] = {
    "docx": _docx.read_grids,
    "xlsx": _xlsx.read_grids,
    "json": json_grids,
}
"""The reader of each kind of form file."""

_RENDERERS: Final[Mapping[str, Callable[[FormProfile, FormContent, Path], None]]] = {
    "docx": _docx.render,
    "xlsx": _xlsx.render,
    "json": _write_json,
}
"""The renderer of each kind of form file."""


def _kind(path: Path, format: str | None = None) -> str:
    kind = (format or path.suffix.lstrip(".")).lower()
    if kind in ("docm", "dotm", "xlsm", "xltm"):
        msg = "macro-enabled documents are not accepted: save the form as .docx or .xlsx"
        raise ConversionError(msg, source=SourceLocation(file=path.name))
    if kind not in _READERS:
        msg = f"a form must be a .docx, .xlsx or .json file, not {path.suffix or 'a file without an extension'!r}"
        raise ConversionError(msg, source=SourceLocation(file=path.name))
    return kind


def _check(path: Path, kind: str, max_bytes: int) -> None:
    """The safety check of the file; a check that fails on a damaged file is a library error, not a traceback."""
    try:
        check_file(path, kind=kind, max_bytes=max_bytes)
    except ConversionError:
        raise
    except Exception as error:  # a damaged archive can fail inside the check itself
        msg = (f"this file is damaged and cannot be checked or read ({type(error).__name__}: {excerpt(error, 120)}); "
               f"ask for the form to be saved again")
        raise ConversionError(msg, source=SourceLocation(file=path.name)) from None


def read_form(source: str | os.PathLike[str], *, profile: str | os.PathLike[str] | FormProfile = "north-ayrshire",
              format_name: str | None = None, **options: Any) -> ConversionResult:
    """
    Read a completed form (``.docx``, ``.xlsx`` or ``.json``) into a package.

    Answers are found by their question labels, so reordered sections, extra or blank
    rows, merged cells and changed wording are fine. Bad answers are problems located on the
    form; everything else still converts. Answers to questions the profile does not know are
    kept under ``extension_data["form"]["unmapped"]``.

    Args:
        source: The file.
        profile: A profile name, a path to a profile file, or a `FormProfile`.
        format_name: The registered format name recorded in provenance (default: the profile's name).
        **options: ``produced`` (RFC 3339; default: the sign-off date, else now),
            ``sharing_level`` (default ``"partners"``), ``package_id``, ``max_bytes``.

    Raises:
        ConversionError: The file cannot be read at all, is unsafe (macros, external
            references, a decompression bomb, too big), or is not this form.

    Example:
        >>> import tempfile, pathlib
        >>> blank = pathlib.Path(tempfile.mkdtemp()) / "return.xlsx"
        >>> template("north-ayrshire", blank, format="xlsx")
        >>> read_form(blank).format
        'north-ayrshire'
    """
    chosen = get_profile(profile)
    path = Path(source)
    kind = _kind(path)
    max_bytes = options.pop("max_bytes", MAX_FILE_BYTES)
    _check(path, kind, max_bytes)
    grids = _READERS[kind](path, chosen)
    return convert_grids(grids, chosen, file=path.name, format_name=format_name or chosen.name, **options)


def write_form(package: Package, destination: str | os.PathLike[str], *,
               profile: str | os.PathLike[str] | FormProfile = "north-ayrshire", organisation_id: str | None = None,
               format: str | None = None) -> tuple[Problem, ...]:
    """
    Write one organisation's part of *package* as a filled form (``.docx``, ``.xlsx`` or ``.json``).

    Reading the written form gives the same package back (see the round-trip tests).

    Args:
        package: The package.
        destination: The file to write; its extension picks the format unless *format* is given.
        profile: The form to fill.
        organisation_id: Whose return to write (default: the package's publisher, else the first
            third-sector organisation).
        format: ``"docx"``, ``"xlsx"`` or ``"json"``.

    Returns:
        A warning for everything in that organisation's part of the package that the form has
        no place for (nothing is left out silently).

    Example:
        >>> import tempfile, pathlib
        >>> from sharedoutcomes import example_package
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "shed.docx"
        >>> left_out = write_form(example_package(), target, organisation_id="GB-SC-SC045123")
        >>> read_form(target).package.organisations[0].name
        "Garnock Valley Men's Shed"
    """
    chosen = get_profile(profile)
    path = Path(destination)
    kind = _kind(path, format)
    content, problems = package_to_content(package, chosen, organisation_id=organisation_id)
    if kind != "json":  # JSON holds any text; Word and Excel files do not
        problems.extend(_unwritable(chosen, content, path.name, kind))
    _RENDERERS[kind](chosen, content, path)
    return tuple(problems)


def _unwritable(profile: FormProfile, content: FormContent, file: str, kind: str) -> list[Problem]:
    """A warning for each value with characters the file cannot hold (they are left out of it)."""
    program = "Word" if kind == "docx" else "Excel"
    found: list[tuple[list[Any], str, str]] = []
    for _section, question in profile.questions():
        found += [(["answers", question.id], question.label, text)
                  for text in _texts(content.answers.get(question.id))]
    for table_id, rows in content.rows.items():
        for n, row in enumerate(rows):
            found += [(["tables", table_id, n, key], key, text) for key, value in row.items() for text in _texts(value)]
    for n, (label, value) in enumerate(content.unmapped):
        found += [(["unmapped", n], label, text) for text in _texts(label) + _texts(value)]
    problems = []
    for where, label, text in found:
        characters = ", ".join(dict.fromkeys(repr(c).strip("'") for c in fv.UNWRITABLE.findall(text)))
        shown = repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")  # the characters escaped, as they are
        problems.append(Problem(
            rule="form.text-changed", severity="warning", path=json_path(where),
            message=f"{label!r}: {shown} has characters a {program} file cannot hold ({characters}); "
                    "they are left out of the written form",
            source=SourceLocation(file=file, question=label), value=shown))
    return problems


_SHOWN: Final = 60
"""How much of a changed value its warning shows."""


def _texts(value: Any) -> list[str]:
    """The texts in *value* that have characters a Word or Excel file cannot hold."""
    values = value if isinstance(value, list | tuple) else [value]
    return [v for v in values if isinstance(v, str) and fv.UNWRITABLE.search(v)]


def template(profile: str | os.PathLike[str] | FormProfile, destination: str | os.PathLike[str], *,
             format: Literal["docx", "xlsx", "json"] | None = None) -> None:
    """
    Write a blank, fillable form: labelled questions with guidance, tables with room for rows.

    In XLSX, answers have drop-downs (choices, yes/no, National Outcomes 1–9, RAG status)
    and date-formatted cells.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "blank.xlsx"
        >>> template("north-ayrshire", target)
        >>> target.stat().st_size > 0
        True
    """
    chosen = get_profile(profile)
    path = Path(destination)
    _RENDERERS[_kind(path, format)](chosen, FormContent(), path)
