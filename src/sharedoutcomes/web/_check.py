"""
One uploaded file: what kind of file it is, which format reads it and why, and the conversion.

The format is found by trying the formats that read the file's kind, in an order that puts the
specific before the general: a format that says "this is not mine" (a `ConversionError`) is passed
over, with its reason kept to show; the first that reads something wins. A form is read with each
form profile that accepts it, and the profile that reads the most of it wins. Every attempt is
recorded, so the page can say why.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import attrs
from attrs import frozen

from sharedoutcomes._util.sniff import sniff
from sharedoutcomes._util.text import one_line
from sharedoutcomes.converters import (
    ConversionResult,
    ConverterRegistry,
    PluginError,
    convert,
    default_registry,
)
from sharedoutcomes.exceptions import (
    ConversionError,
    InvalidDocument,
    MissingDependency,
    Problem,
    SharedOutcomesError,
    SourceLocation,
    UnsafeFile,
)
from sharedoutcomes.indigo import form_layouts
from sharedoutcomes.tables import sheet_names

__all__ = ["FORM_FORMATS", "NOT_CONVERTED", "PRIORITY", "Attempt", "FileCheck", "check_file", "claimed_by", "failed", "kind_of"]

PRIORITY: Final = ("package", "tables-xlsx", "360giving", "indigo", "north-ayrshire", "harmonising-reporting",
                   "outcomes-star", "survey")
"""The order built-in formats are tried in: specific before general (a survey reads any table of numbers).
Plugins come after them, by name."""

FORM_FORMATS: Final = ("north-ayrshire", "harmonising-reporting")
"""Form profiles that may each accept the same form: all are tried, and the one that reads most wins."""

_SHEET: Final = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]+)\"")
_WORKBOOK_BYTES: Final = 1_000_000  # a workbook part's list of sheets is small; never read more of it
_SKIPPED: Final = frozenset({"form"})  # needs a profile file to be chosen: not guessable
_JSON: Final = ("JSON text", ".json")


@frozen(kw_only=True)
class Attempt:
    """
    One format tried on a file, and what it said.

    Attributes:
        format: The format's name.
        outcome: ``"read"``, ``"not this format"``, ``"read nothing"`` or ``"failed"`` (the format itself broke).
        detail: Its reason, or what it read, in words.
    """

    format: str
    outcome: str
    detail: str


@frozen(kw_only=True)
class FileCheck:
    """
    What the page found for one uploaded file.

    Attributes:
        name: The file's name as uploaded (made safe: see `safe_name`), as the page shows it.
        kind: What kind of file it is, in words ("an Excel workbook (XLSX)").
        format: The format that read it, or ``None``.
        why: Why that format, in a sentence.
        attempts: Every format tried, in order, and what each said.
        result: The conversion, when one format read it.
        problems: The problems of a file no format could convert into a package (a JSON file that is not
            a valid package, for example), each with its place.
        error: Why the file could not be read at all, in words (with what to do), or ``""``.

    Example:
        >>> import tempfile, pathlib, sharedoutcomes
        >>> check = check_file(sharedoutcomes.example_package_path(), name="returns.json")
        >>> check.format, check.result.ok, check.error
        ('package', True, '')
    """

    name: str
    kind: str
    format: str | None = None
    why: str = ""
    attempts: tuple[Attempt, ...] = ()
    result: ConversionResult | None = None
    problems: tuple[Problem, ...] = ()
    error: str = ""

    @property
    def all_problems(self) -> tuple[Problem, ...]:
        """The conversion's problems, or the problems that stopped it."""
        return self.result.problems if self.result is not None else self.problems

    @property
    def ok(self) -> bool:
        """``True`` when the file was converted and no problem is an error."""
        return self.result is not None and self.result.ok


NOT_CONVERTED: Final = "conversion.file-not-converted"


def failed(name: str, kind: str, error: str, attempts: Sequence[Attempt] = ()) -> FileCheck:
    """A file no format converted: its error, also as a problem (so that problem lists include it)."""
    problem = Problem(rule="conversion.file-not-converted", severity="error", path="$", message=error,
                      source=SourceLocation(file=name))
    return FileCheck(name=name, kind=kind, attempts=tuple(attempts), problems=(problem,), error=error)


def kind_of(raw: bytes, name: str) -> tuple[str, str, str]:
    r"""
    What kind of file *raw* is: its description, the file ending formats register for it, and advice.

    The content decides, not the name; a name's ending is used only when the content says nothing
    (plain text that is not a table, or a format only a plugin knows).

    Example:
        >>> kind_of(b'{"id": "q4"}', "q4.json")
        ('JSON text', '.json', '')
        >>> kind_of(b"Client ID,Date,Score\n", "star.txt")[1]
        '.csv'
        >>> kind_of(b"%PDF-1.7", "return.docx")[0]
        'a PDF'
    """
    found = sniff(raw)
    if found is not None:
        return found.description, found.extension, found.advice
    stripped = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return _JSON[0], _JSON[1], ""
    ending = Path(name).suffix.lower()
    return (f"a file ending {ending}" if ending else "a file with no ending"), ending, ""


def _sheets(path: Path) -> tuple[str, ...]:
    """The sheet names of a workbook, from its workbook part only (nothing else of the file is read here)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("xl/workbook.xml") as part:
            head = part.read(_WORKBOOK_BYTES)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError):
        return ()
    return tuple(name.decode("utf-8", "replace") for name in _SHEET.findall(head))


@functools.cache
def _structures() -> tuple[tuple[str, str, frozenset[str]], ...]:
    """Formats a workbook's sheet names identify: the format, what it is called, and its sheets."""
    indigo = frozenset(entry[0] for layout in form_layouts().values()
                       for kind in ("single", "down") for entry in layout.get(kind, ()))
    return (("tables-xlsx", "a tables workbook", frozenset(sheet_names())),
            ("indigo", "an INDIGO spreadsheet form", indigo))


def claimed_by(path: Path, extension: str) -> tuple[str, str]:
    """
    The format a workbook's sheets say it is, and why (``("", "")`` when they say nothing).

    A workbook of which at least three sheets, and most, are the sheets of the tables layout or of an
    INDIGO spreadsheet form is that; its format's refusal is then the answer, not a cue to try others.
    """
    if extension != ".xlsx":
        return "", ""
    sheets = _sheets(path)
    for name, called, known in _structures():
        shared = [s for s in sheets if s in known]
        if len(shared) >= 3 and len(shared) * 2 > len(sheets):
            return name, f"its sheets ({', '.join(shared[:4])}{' …' if len(shared) > 4 else ''}) are those of {called}"
    return "", ""


def _ordered(names: Sequence[str]) -> list[str]:
    known = [n for n in PRIORITY if n in names]
    return known + sorted(n for n in names if n not in PRIORITY and n not in _SKIPPED)


def _fraction(result: ConversionResult) -> float:
    coverage = result.coverage
    if coverage is None:
        return 1.0
    total = coverage.total_read + coverage.total_not_read
    return coverage.total_read / total if total else 0.0


def _what_was_read(result: ConversionResult) -> str:
    if result.coverage is None:
        return f"read {len(result.package.evidence)} pieces of evidence"
    return str(result.coverage)


def _json_members(raw: bytes) -> set[str] | None:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return set(data) if isinstance(data, dict) else set()


def _candidates(registry: ConverterRegistry, extension: str, raw: bytes, forced: str | None) -> list[str]:
    if forced:
        return [forced]
    names = _ordered(registry.formats_for(extension)) if extension else []
    if extension == ".json" and "package" in names:
        members = _json_members(raw)
        if members is not None and "schema_version" not in members:
            names.remove("package")  # JSON that is not a package: the package reader would only say so
        elif members is not None:
            names = ["package"]  # it says it is a package: it is read as one, and its problems shown
    return names


def _internal(format_name: str, error: Exception) -> str:
    return (f"the {format_name!r} format broke while reading it ({type(error).__name__}: "
            f"{one_line(str(error), 200)}). This is a fault in that format, not in your file: report it to "
            "whoever provides the format")


def check_file(path: str | Path, *, name: str | None = None, registry: ConverterRegistry | None = None,
               format: str | None = None) -> FileCheck:
    """
    Find the format of the file at *path*, convert it and validate it; never raises for a bad file.

    Args:
        path: The file (already on disk, under a safe name).
        name: What to call it (default: its name).
        registry: The formats to try (default: the built-ins and installed plugins).
        format: Read it with this format only, instead of finding one.

    Example:
        >>> from sharedoutcomes.stars import sample_path
        >>> check = check_file(sample_path())
        >>> check.format, check.why.startswith("Read as outcomes-star")
        ('outcomes-star', True)
    """
    source = Path(path)
    shown = name or source.name
    registry = registry or default_registry()
    raw = source.read_bytes()
    description, extension, advice = kind_of(raw, shown)
    if advice:
        return failed(shown, description, f"This is {description}: {advice}.")
    candidates = _candidates(registry, extension, raw, format)
    claimed, because = ("", "") if format else claimed_by(source, extension)
    if claimed in candidates:
        candidates = [claimed]
    if not candidates:
        return failed(shown, description, f"No format reads {description}. The formats this page knows read package "
                      "JSON, CSV and Excel tables, Outcomes Star exports, survey exports, Word and Excel forms, "
                      "360Giving and INDIGO files.")
    if claimed in candidates:
        return _claimed(_try(source, shown, description, candidates, registry, forced=True), because)
    if not extension or extension == source.suffix.lower():
        return _try(source, shown, description, candidates, registry, forced=format is not None)
    # the name says one thing, the content another: the readers go by the ending, so a copy is read, named right
    with tempfile.TemporaryDirectory(prefix="sharedoutcomes-") as work:
        copy = Path(work) / (source.stem + extension)
        shutil.copyfile(source, copy)
        check = _try(copy, shown, description, candidates, registry, forced=format is not None)
    note = (f" Its name ends {source.suffix or 'with no ending'}, but its content is {description}, so it was "
            "read as that.")
    return attrs.evolve(check, why=check.why + note if check.why else note.strip())


def _claimed(check: FileCheck, because: str) -> FileCheck:
    """A check of a workbook whose sheets named its format: say so, and let that format's refusal stand."""
    if check.result is not None or (check.problems and not check.error):
        return attrs.evolve(check, why=f"{check.why} It was not guessed: {because}.")
    reason = check.attempts[-1].detail if check.attempts else check.error
    return failed(check.name, check.kind, f"This file was not converted: {because}, but {reason}", check.attempts)


def _try(source: Path, shown: str, description: str, candidates: list[str], registry: ConverterRegistry,
         *, forced: bool) -> FileCheck:
    attempts: list[Attempt] = []
    best: tuple[str, ConversionResult] | None = None
    for name in candidates:
        if best is not None and (_fraction(best[1]) >= 1 or not (best[0] in FORM_FORMATS and name in FORM_FORMATS)):
            break  # nothing can read more of it than all of it
        try:
            result = convert(source, format=name, registry=registry)
        except UnsafeFile as error:  # every format would refuse it the same way
            attempts.append(Attempt(format=name, outcome="refused", detail=one_line(str(error), 400)))
            return failed(shown, description, f"This file was refused: {one_line(str(error), 400)}", attempts)
        except InvalidDocument as error:
            attempts.append(Attempt(format=name, outcome="not valid", detail=one_line(str(error), 300)))
            return FileCheck(name=shown, kind=description, format=name, attempts=tuple(attempts),
                             why=f"Read as {name}, but it is not a valid {name}: nothing could be converted.",
                             problems=tuple(error.report.problems))
        except MissingDependency as error:
            attempts.append(Attempt(format=name, outcome="cannot run here", detail=one_line(str(error), 300)))
            continue
        except (ConversionError, PluginError) as error:
            attempts.append(Attempt(format=name, outcome="not this format", detail=one_line(str(error), 300)))
            continue
        except (SharedOutcomesError, Exception) as error:  # a broken plugin, or a bug: this file only
            attempts.append(Attempt(format=name, outcome="failed", detail=_internal(name, error)))
            continue
        if result.coverage is not None and result.coverage.total_read == 0 and not forced:
            attempts.append(Attempt(format=name, outcome="read nothing", detail=_what_was_read(result)))
            continue
        attempts.append(Attempt(format=name, outcome="read", detail=_what_was_read(result)))
        if best is None or _fraction(result) > _fraction(best[1]):
            best = (name, result)
    if best is None:
        return _unread(shown, description, attempts)
    name, result = best
    read = [a for a in attempts if a.outcome == "read"]
    why = f"Read as {name}: it is {description}, and {name} {_what_was_read(result)}."
    if len(read) > 1:
        others = "; ".join(f"{a.format} {a.detail}" for a in read if a.format != name)
        why += f" Other forms read less of it ({others})."
    return FileCheck(name=shown, kind=description, format=name, why=why, attempts=tuple(attempts), result=result)


def _unread(shown: str, description: str, attempts: list[Attempt]) -> FileCheck:
    broken = [a for a in attempts if a.outcome in ("failed", "cannot run here")]
    if broken:
        error = "This file could not be read: " + "; ".join(a.detail for a in broken) + "."
    else:
        error = (f"No format recognised this file ({description}). Each one that reads such files said why "
                 "it is not theirs (below): check that it is the right file, or that its headings are the ones "
                 "the format expects.")
    return failed(shown, description, error, attempts)
