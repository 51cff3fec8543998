"""
Folders of returns: every form in a folder read, and merged into one partnership package.

No file's failure stops the others: each file has a `FileResult` (its conversion, or why
it could not be read), and the `BatchResult` holds the merged package (made with
`sharedoutcomes.merge`) and every file's problems.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, Literal

import attrs
from attrs import frozen

from sharedoutcomes._util.progress import Progress
from sharedoutcomes.converters import ConversionResult, Coverage, excerpt
from sharedoutcomes.exceptions import ConversionError, Problem, SharedOutcomesError, SourceLocation
from sharedoutcomes.forms._io import read_form
from sharedoutcomes.forms._load import get_profile
from sharedoutcomes.forms._profile import FormProfile
from sharedoutcomes.merge import merge
from sharedoutcomes.model import Organisation, Package

__all__ = ["BatchResult", "FileResult", "convert_folder", "merge_results"]


@frozen(kw_only=True)
class FileResult:
    """
    What happened to one file of a folder: its conversion, or why it was not read.

    Attributes:
        file: The file's name.
        result: Its conversion (None when it was not converted).
        error: Why it could not be converted (a file of a form format that failed).
        unsupported: Why it was not read, and what to do (a file of another kind: ``.doc``, ``.pdf`` …).
        duplicate_of: The file it is the same return as (same content, or the same organisation and period).
        duplicate_reason: How it is the same (``"the same content"`` …).

    Example:
        >>> FileResult(file="a.docx", error="not a form").ok
        False
        >>> print(FileResult(file="a.doc", unsupported="save it as .docx").summary())
        a.doc: not read: save it as .docx
    """

    file: str
    result: ConversionResult | None = None
    error: str | None = None
    unsupported: str | None = None
    duplicate_of: str | None = None
    duplicate_reason: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file converted without errors."""
        return self.result is not None and self.result.ok

    def summary(self) -> str:
        """One line: the file, and its errors and warnings (or why it was not read, or whose copy it is)."""
        if self.unsupported is not None:
            return f"{self.file}: not read: {self.unsupported}"
        if self.result is None:
            return f"{self.file}: not converted: {self.error}"
        errors = sum(p.severity == "error" for p in self.result.problems)
        warnings = len(self.result.problems) - errors
        line = f"{self.file}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        if self.duplicate_of is not None:
            line += f"; the same return as {self.duplicate_of} ({self.duplicate_reason})"
        return line


@frozen(kw_only=True)
class BatchResult:
    """
    A folder of returns: the merged partnership package and each file's result.

    Attributes:
        package: Every file's package merged into one (None when no file converted).
        files: One `FileResult` per file in the folder, in name order, whatever it is.
        problems: Every file's problems (each names its file) and the merge's.
        coverage: What was read of the files converted, by file and part.

    Example:
        >>> BatchResult(package=None, files=()).ok
        True
    """

    package: Package | None
    files: tuple[FileResult, ...]
    problems: tuple[Problem, ...] = ()
    coverage: Coverage | None = None

    @property
    def ok(self) -> bool:
        """Whether every form converted and nothing has errors."""
        return all(f.result is not None or f.unsupported is not None for f in self.files) and not any(
            p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        """The per-file summary, one line each (every file of the folder)."""
        if not self.files:
            return "(the folder is empty)"
        return "\n".join(f.summary() for f in self.files)


_FORM_SUFFIXES: Final = (".docx", ".xlsx", ".json", ".docm", ".xlsm")

_ADVICE: Final = {
    ".doc": "an old Word document (.doc) cannot be read: open it in Word and save it as a Word document (.docx), "
            "then convert the folder again",
    ".dot": "an old Word template (.dot) cannot be read: fill in the form and save it as .docx",
    ".rtf": "a rich text file (.rtf) cannot be read: open it in Word and save it as .docx",
    ".odt": "an OpenDocument text file (.odt) cannot be read: save it as .docx (Word document)",
    ".xls": "an old Excel workbook (.xls) cannot be read: open it in Excel and save it as an Excel workbook "
            "(.xlsx), then convert the folder again",
    ".ods": "an OpenDocument spreadsheet (.ods) cannot be read: save it as .xlsx (Excel workbook)",
    ".csv": "a CSV file is not a form: if it is a return, ask for it as the Word or Excel form; if it is a "
            "table of packages, convert it with --from tables-csv",
    ".pdf": "a PDF cannot be read as a form: ask the project for the Word or Excel form the PDF was made from",
    ".txt": "a text file is not a form: move it out of the folder if it is a note, or ask for the return as the "
            "Word or Excel form",
}
"""What to do with a file of a kind that is not read as a form."""


def _unsupported(path: Path) -> str | None:
    """Why *path* is not read as a form (None when it is a form file)."""
    if path.is_dir():
        return "a folder: its files are not read (convert it on its own)"
    if path.name.startswith("~$"):
        return "a lock file Word or Excel leaves while a document is open: close the document, delete this file"
    if path.name.startswith("."):
        return "a hidden file, not a form"
    suffix = path.suffix.lower()
    if suffix in _FORM_SUFFIXES:
        return None
    return _ADVICE.get(suffix, f"a {suffix or 'file without an extension'} file is not a form "
                               "(forms are .docx, .xlsx or .json): move it out of the folder")


def convert_folder(folder: str | os.PathLike[str], *,
                   profile: str | os.PathLike[str] | FormProfile = "north-ayrshire",
                   progress: bool | None = None, id: str | None = None, title: str | None = None,
                   publisher: str | None = None, format_name: str | None = None,
                   on_file: Callable[[FileResult], None] | None = None,
                   duplicates: Literal["drop", "keep"] = "drop", **options: Any) -> BatchResult:
    """
    Convert every form in *folder* into one partnership package; no file's failure stops the others.

    Every file of the folder is in the result: converted, failed (with why), or not read
    (a ``.doc``, ``.xls``, PDF or text file, with what to do). A return that is in the folder
    twice (the same content, or the same organisation and reporting period, as when
    ``garnock-shed (1).docx`` is a copy) is reported naming both files and counted once.

    Args:
        folder: A folder of completed forms (``.docx``, ``.xlsx``, ``.json``).
        profile: The form's profile.
        progress: Show a progress bar on standard error (default: only when it is a terminal).
        id: The merged package's id (default: ``<profile>-returns``).
        title: Its title (default: from the profile's title).
        publisher: Its publisher (default: the profile's funder).
        format_name: The format name recorded in provenance.
        on_file: Called with each file's result as soon as it is done.
        duplicates: ``"drop"`` (default): a duplicate return is reported and left out of the
            merged package; ``"keep"``: reported, and merged as well.
        **options: Passed to `read_form` for every file.

    Example:
        >>> import tempfile, pathlib, shutil
        >>> from sharedoutcomes import example_package
        >>> from sharedoutcomes.forms import write_form
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = write_form(example_package(), folder / "shed.docx", organisation_id="GB-SC-SC045123")
        >>> _ = write_form(example_package(), folder / "carers.xlsx", organisation_id="GB-SC-SC038977")
        >>> _ = shutil.copy(folder / "shed.docx", folder / "shed (1).docx")
        >>> _ = (folder / "notes.txt").write_text("Phoned Alex about Q4.")
        >>> batch = convert_folder(folder, progress=False)
        >>> print(batch.summary())
        carers.xlsx: 0 errors, 0 warnings
        notes.txt: not read: a text file is not a form: move it out of the folder if it is a note, or ask for the return as the Word or Excel form
        shed (1).docx: 0 errors, 0 warnings; the same return as shed.docx (the same content)
        shed.docx: 0 errors, 0 warnings
        >>> len(batch.package.activities)
        2
    """
    chosen = get_profile(profile)
    root = Path(folder)
    if not root.is_dir():
        msg = f"{root} is not a folder"
        raise ConversionError(msg)
    if duplicates not in ("drop", "keep"):
        msg = f"duplicates must be 'drop' or 'keep', not {duplicates!r}"
        raise ConversionError(msg)
    paths = sorted(root.iterdir(), key=lambda p: p.name)
    results: list[FileResult] = []
    bar = Progress(len(paths), label=f"Reading {chosen.name} forms", enabled=progress)
    try:
        for path in paths:
            bar.update(note=path.name)
            why = _unsupported(path)
            item = (FileResult(file=path.name, unsupported=why) if why is not None
                    else _read_file(path, chosen, format_name, options))
            results.append(item)
            if on_file is not None:
                on_file(item)
    finally:
        bar.close()
    marked = _mark_duplicates(results, [root / r.file for r in results])
    return merge_results(marked, chosen, id=id, title=title, publisher=publisher, keep_duplicates=duplicates == "keep")


def _mark_duplicates(results: Sequence[FileResult], paths: Sequence[Path]) -> list[FileResult]:
    """Each converted file that repeats an earlier one: the same bytes, or the same organisation and period."""
    by_content: dict[str, str] = {}
    by_return: dict[tuple[str, str, str], str] = {}
    marked: dict[str, FileResult] = {}
    for item, path in sorted(zip(results, paths, strict=True), key=lambda pair: _original_first(pair[0].file)):
        if item.result is None:
            marked[item.file] = item
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else item.file
        package = item.result.package
        key = _return_key(package)
        marked[item.file] = item
        if digest in by_content:
            marked[item.file] = attrs.evolve(item, duplicate_of=by_content[digest], duplicate_reason="the same content")
        elif key is not None and key in by_return:
            organisation = next((o.name for o in package.organisations if o.id == key[0]), key[0])
            marked[item.file] = attrs.evolve(
                item, duplicate_of=by_return[key],
                duplicate_reason=f"the same organisation, {organisation}, and reporting period, {key[1]} to "
                                 f"{key[2] or '?'}")
        else:
            by_content[digest] = item.file
            if key is not None:
                by_return[key] = item.file
    return [marked[r.file] for r in results]


_COPY_MARK: Final = re.compile(r"(?:\s*\(\d+\)|\s*-\s*copy(?:\s*\(\d+\))?|\s+copy(?:\s+\d+)?)$", re.IGNORECASE)


def _original_first(name: str) -> tuple[str, bool, str]:
    """An order in which a file comes before its copies (``shed.docx`` before ``shed (1).docx``, ``shed - Copy.docx``)."""
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    plain = _COPY_MARK.sub("", stem)
    return (plain.lower() + dot + suffix.lower(), plain != stem, name)


def _return_key(package: Package) -> tuple[str, str, str] | None:
    """Whose return it is and for when: the publisher and the reporting period (None when either is unknown)."""
    if package.period is None or package.publisher.endswith("-unknown"):
        return None
    end = package.period.end.isoformat() if package.period.end is not None else ""
    return package.publisher, package.period.start.isoformat(), end


def _read_file(path: Path, profile: FormProfile, format_name: str | None, options: dict[str, Any]) -> FileResult:
    """One file's result: its conversion, or why it could not be read (any failure is kept, not raised)."""
    try:
        result = read_form(path, profile=profile, format_name=format_name, **options)
    except (SharedOutcomesError, OSError) as error:
        return FileResult(file=path.name, error=getattr(error, "message", None) or str(error))
    except Exception as error:  # one broken file must not stop the folder
        return FileResult(file=path.name, error=f"{type(error).__name__}: {excerpt(error, 200)}")
    return FileResult(file=path.name, result=result)


def merge_results(results: Sequence[FileResult], profile: FormProfile, *, id: str | None, title: str | None,
                  publisher: str | None, keep_duplicates: bool = False) -> BatchResult:
    """Merge each file's package into one partnership package (with `sharedoutcomes.merge`), a duplicate once."""
    problems: list[Problem] = []
    packages: list[Package] = []
    names: list[str] = []
    coverage = Coverage()
    for item in results:
        problems.extend(_file_problems(item, keep_duplicates=keep_duplicates))
        if item.result is None:
            continue
        problems.extend(item.result.problems)
        if item.result.coverage is not None:
            coverage += Coverage(read={f"{item.file}: {k}": n for k, n in item.result.coverage.read.items()},
                                 not_read={f"{item.file}: {k}": n for k, n in item.result.coverage.not_read.items()})
        if item.duplicate_of is None or keep_duplicates:
            packages.append(item.result.package)
            names.append(item.file)
    if not packages:
        return BatchResult(package=None, files=tuple(results), problems=tuple(problems), coverage=coverage)
    funder = profile.funder
    chosen: str | Organisation = publisher or (funder.id if funder else packages[0].publisher)
    present = {o.id for p in packages for o in p.organisations}
    if funder is not None and chosen == funder.id and funder.id not in present:
        chosen = Organisation(id=funder.id, name=funder.name, sector=funder.sector, kind=funder.kind)
    merged = merge(packages, id=id or f"{profile.name}-returns",
                   title=title or f"{profile.title}: {len(packages)} returns", publisher=chosen, names=names)
    problems.extend(merged.problems)
    return BatchResult(package=merged.package, files=tuple(results), problems=tuple(problems), coverage=coverage)


def _file_problems(item: FileResult, *, keep_duplicates: bool) -> list[Problem]:
    """What the folder says about one file: not read, not converted, or a duplicate."""
    source = SourceLocation(file=item.file)
    if item.unsupported is not None:
        return [Problem(rule="form.file-unsupported", severity="warning", path="$",
                        message=f"{item.file}: {item.unsupported}", source=source)]
    if item.result is None:
        return [Problem(rule="form.file-unreadable", severity="error", path="$",
                        message=f"{item.file} was not converted: {item.error}", source=source)]
    if item.duplicate_of is not None:
        counted = "both are merged, as asked" if keep_duplicates else (
            "it is counted once (convert with duplicates='keep' to merge both)")
        return [Problem(rule="form.duplicate-return", severity="warning", path="$",
                        message=f"{item.file} is the same return as {item.duplicate_of} ({item.duplicate_reason}); "
                                f"{counted}", source=source)]
    return []
