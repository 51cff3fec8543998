"""
A checked set of files: each file's check, the merged package and the contribution report, and the downloads.

A file whose conversion had errors still contributes its package to the merge, marked partial (it records
the problems it was produced with), so the report covers the whole set and says which parts are partial.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from attrs import frozen

from sharedoutcomes._util.text import one_line
from sharedoutcomes.converters import package_to_write
from sharedoutcomes.exceptions import Problem, SharedOutcomesError
from sharedoutcomes.merge import merge
from sharedoutcomes.model import Package
from sharedoutcomes.report import render_report
from sharedoutcomes.serialization import dumps
from sharedoutcomes.web._check import FileCheck

__all__ = ["CheckedSet", "build_set"]

_ID: Final = "checked-files"


@frozen(kw_only=True)
class CheckedSet:
    """
    Every file of one upload, checked, and what the set makes together.

    Attributes:
        files: Each file's check, in the order uploaded.
        merged: The package of the whole set (one file's package when only one converted), or ``None``.
        merge_problems: What the merge noticed (conflicts, renames, validation of the merged package).
        merge_note: Why there is no merged package, or which packages in it are partial, in words.
        report_html: The contribution report of the merged package, or ``""``.
        report_note: Why there is no report, in words, or ``""``.
        created: When the set was checked (UTC).

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.web import check_file
        >>> checked = build_set([check_file(sharedoutcomes.example_package_path(), name="returns.json")])
        >>> checked.merged.title, checked.report_html.startswith("<!doctype html>")
        ('North Ayrshire third sector partnership returns, 2024-25', True)
    """

    files: tuple[FileCheck, ...]
    merged: Package | None = None
    merge_problems: tuple[Problem, ...] = ()
    merge_note: str = ""
    report_html: str = ""
    report_note: str = ""
    created: dt.datetime = dt.datetime.fromtimestamp(0, dt.UTC)

    def package_json(self, index: int) -> bytes:
        """The package JSON of file *index* (marked partial when its conversion had errors)."""
        result = self.files[index].result
        if result is None:
            msg = f"{self.files[index].name} was not converted"
            raise LookupError(msg)
        return (dumps(package_to_write(result, partial=True)) + "\n").encode("utf-8")

    def merged_json(self) -> bytes:
        """The merged package as JSON."""
        if self.merged is None:
            raise LookupError(self.merge_note or "no merged package")
        return (dumps(self.merged) + "\n").encode("utf-8")


def _merged(files: Sequence[FileCheck], now: dt.datetime) -> tuple[Package | None, tuple[Problem, ...], str]:
    converted = [(f.name, f.result) for f in files if f.result is not None]
    if not converted:
        return None, (), "No file was converted, so there is no package of the whole set."
    partial = [name for name, result in converted if not result.ok]
    packages = [package_to_write(result, partial=True) for _, result in converted]
    note = ""
    if partial:
        note = (f"{len(partial)} of the {len(converted)} packages had errors and are in it as partial packages "
                f"(the values those errors concern are missing): {', '.join(partial)}.")
    if len(packages) == 1:
        return packages[0], (), note
    try:
        result = merge(packages, id=_ID, title=f"Files checked on {now:%d %B %Y}",
                       publisher=packages[0].publisher, produced=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       names=[name for name, _ in converted])
    except (SharedOutcomesError, ValueError) as error:
        return None, (), f"The packages could not be merged: {one_line(str(error), 400)}"
    return result.package, result.problems, note


def build_set(files: Sequence[FileCheck], *, now: dt.datetime | None = None, **report_options: Any) -> CheckedSet:
    """
    Merge the packages of checked *files* and render the contribution report of the whole set.

    Never raises for bad data: a merge or report that cannot be made is a note saying why.
    """
    when = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    merged, problems, note = _merged(files, when)
    report, report_note = "", ""
    if merged is None:
        report_note = "There is no report: no package of the whole set could be made."
    else:
        try:
            report = render_report(merged, **report_options)
        except (SharedOutcomesError, ValueError, LookupError) as error:
            report_note = f"The report could not be made: {one_line(str(error), 400)}"
    return CheckedSet(files=tuple(files), merged=merged, merge_problems=problems, merge_note=note,
                      report_html=report, report_note=report_note, created=when)
