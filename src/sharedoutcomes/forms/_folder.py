"""
Folders of returns: every form in a folder read, and merged into one partnership package.

No file's failure stops the others: each file has a `FileResult` (its conversion, or why
it could not be read), and the `BatchResult` holds the merged package (made with
`sharedoutcomes.merge`) and every file's problems.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from sharedoutcomes._util.progress import Progress
from sharedoutcomes.converters import ConversionResult
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
    What happened to one file of a folder: its conversion, or why it could not be read.

    Example:
        >>> FileResult(file="a.docx", error="not a form").ok
        False
    """

    file: str
    result: ConversionResult | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file converted without errors."""
        return self.result is not None and self.result.ok

    def summary(self) -> str:
        """One line: the file, and its errors and warnings (or why it failed)."""
        if self.result is None:
            return f"{self.file}: not converted: {self.error}"
        errors = sum(p.severity == "error" for p in self.result.problems)
        warnings = len(self.result.problems) - errors
        return f"{self.file}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


@frozen(kw_only=True)
class BatchResult:
    """
    A folder of returns: the merged partnership package and each file's result.

    Attributes:
        package: Every file's package merged into one (None when no file converted).
        files: One `FileResult` per file, in name order.
        problems: Every file's problems (each names its file) and the merge's.

    Example:
        >>> BatchResult(package=None, files=()).ok
        True
    """

    package: Package | None
    files: tuple[FileResult, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every file converted and nothing has errors."""
        return all(f.result is not None for f in self.files) and not any(
            p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        """The per-file summary, one line each."""
        return "\n".join(f.summary() for f in self.files)


_FORM_SUFFIXES: Final = (".docx", ".xlsx", ".json", ".docm", ".xlsm")


def convert_folder(folder: str | os.PathLike[str], *,
                   profile: str | os.PathLike[str] | FormProfile = "north-ayrshire",
                   progress: bool | None = None, id: str | None = None, title: str | None = None,
                   publisher: str | None = None, format_name: str | None = None,
                   on_file: Callable[[FileResult], None] | None = None, **options: Any) -> BatchResult:
    """
    Convert every form in *folder* into one partnership package; no file's failure stops the others.

    Args:
        folder: A folder of completed forms (``.docx``, ``.xlsx``, ``.json``; other files are skipped).
        profile: The form's profile.
        progress: Show a progress bar on standard error (default: only when it is a terminal).
        id: The merged package's id (default: ``<profile>-returns``).
        title: Its title (default: from the profile's title).
        publisher: Its publisher (default: the profile's funder).
        format_name: The format name recorded in provenance.
        on_file: Called with each file's result as soon as it is done.
        **options: Passed to `read_form` for every file.

    Example:
        >>> import tempfile, pathlib
        >>> from sharedoutcomes import example_package
        >>> from sharedoutcomes.forms import write_form
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = write_form(example_package(), folder / "shed.docx", organisation_id="GB-SC-SC045123")
        >>> _ = write_form(example_package(), folder / "carers.xlsx", organisation_id="GB-SC-SC038977")
        >>> batch = convert_folder(folder, progress=False)
        >>> print(batch.summary())
        carers.xlsx: 0 errors, 0 warnings
        shed.docx: 0 errors, 0 warnings
        >>> len(batch.package.activities)
        2
    """
    chosen = get_profile(profile)
    root = Path(folder)
    if not root.is_dir():
        msg = f"{root} is not a folder"
        raise ConversionError(msg)
    paths = sorted(p for p in root.iterdir()
                   if p.is_file() and p.suffix.lower() in _FORM_SUFFIXES and not p.name.startswith(("~$", ".")))
    results: list[FileResult] = []
    bar = Progress(len(paths), label=f"Reading {chosen.name} forms", enabled=progress)
    try:
        for path in paths:
            bar.update(note=path.name)
            item = _read_file(path, chosen, format_name, options)
            results.append(item)
            if on_file is not None:
                on_file(item)
    finally:
        bar.close()
    return merge_results(results, chosen, id=id, title=title, publisher=publisher)


def _read_file(path: Path, profile: FormProfile, format_name: str | None, options: dict[str, Any]) -> FileResult:
    """One file's result: its conversion, or why it could not be read (any failure is kept, not raised)."""
    try:
        result = read_form(path, profile=profile, format_name=format_name, **options)
    except (SharedOutcomesError, OSError) as error:
        return FileResult(file=path.name, error=getattr(error, "message", None) or str(error))
    except Exception as error:  # one broken file must not stop the folder
        return FileResult(file=path.name, error=f"{type(error).__name__}: {error}")
    return FileResult(file=path.name, result=result)


def merge_results(results: Sequence[FileResult], profile: FormProfile, *, id: str | None, title: str | None,
                  publisher: str | None) -> BatchResult:
    """Merge each file's package into one partnership package (with `sharedoutcomes.merge`)."""
    problems: list[Problem] = []
    packages = []
    for item in results:
        if item.result is None:
            problems.append(Problem(rule="form.file-unreadable", severity="error", path="$",
                                    message=f"{item.file} was not converted: {item.error}",
                                    source=SourceLocation(file=item.file)))
            continue
        problems.extend(item.result.problems)
        packages.append(item.result.package)
    if not packages:
        return BatchResult(package=None, files=tuple(results), problems=tuple(problems))
    funder = profile.funder
    chosen: str | Organisation = publisher or (funder.id if funder else packages[0].publisher)
    present = {o.id for p in packages for o in p.organisations}
    if funder is not None and chosen == funder.id and funder.id not in present:
        chosen = Organisation(id=funder.id, name=funder.name, sector=funder.sector, kind=funder.kind)
    merged = merge(packages, id=id or f"{profile.name}-returns",
                   title=title or f"{profile.title}: {len(packages)} returns", publisher=chosen)
    problems.extend(merged.problems)
    return BatchResult(package=merged.package, files=tuple(results), problems=tuple(problems))

