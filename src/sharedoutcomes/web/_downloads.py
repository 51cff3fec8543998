"""The problem list of a checked set, through `sharedoutcomes.problem_lists` (one row per problem, a file on each)."""

from __future__ import annotations

from sharedoutcomes.problem_lists import ListFormat, render_problem_list
from sharedoutcomes.problems import Problem
from sharedoutcomes.web._set import CheckedSet

__all__ = ["problem_list"]


def problem_list(checked: CheckedSet, format: ListFormat) -> bytes:
    """
    The problems of every file of *checked* (and of merging them) as a problem list in *format*.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.web import build_set, check_file
        >>> checked = build_set([check_file(sharedoutcomes.example_package_path(), name="returns.json")])
        >>> problem_list(checked, "csv").decode("utf-8-sig").splitlines()[0].split(",")[:2]
        ['file', 'where']
    """
    by_file: dict[str, tuple[Problem, ...]] = {}
    for check in checked.files:
        by_file[check.name] = (*by_file.get(check.name, ()), *check.all_problems)
    if checked.merge_problems:
        by_file["the whole set (merged)"] = checked.merge_problems
    title = f"Problems found in {len(checked.files)} file{'' if len(checked.files) == 1 else 's'}"
    return render_problem_list(by_file, format, title=title)
