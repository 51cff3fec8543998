"""
Problems as data: `Problem`, `SourceLocation`, `Report`, and the catalogue of every problem id.

Every problem the library reports (from the schema gate, the semantic rules, each converter, merge
and roll-up) carries a stable rule id. The catalogue declares each id once, with its family, its
default severity, a one-line summary, an explanation, an example and what to do about it; the
command ``sharedoutcomes rules ID`` and the reference pages show the same entries.

Example:
    >>> from sharedoutcomes.problems import catalogue
    >>> kind = catalogue()["star.future-date"]
    >>> kind.family, kind.severity, kind.summary
    ('star', 'error', 'A reading is dated in the future.')
"""

from sharedoutcomes.problems._catalogue import (
    DOCS_URL,
    ENTRY_POINT_GROUP,
    FAMILY_ORDER,
    ProblemFamily,
    ProblemType,
    catalogue,
    families,
    load_catalogue,
    load_plugin_family,
)
from sharedoutcomes.problems._problem import Problem, Severity, SourceLocation
from sharedoutcomes.problems._render import render_value
from sharedoutcomes.problems._report import Report

__all__ = [
    "DOCS_URL",
    "ENTRY_POINT_GROUP",
    "FAMILY_ORDER",
    "Problem",
    "ProblemFamily",
    "ProblemType",
    "Report",
    "Severity",
    "SourceLocation",
    "catalogue",
    "families",
    "load_catalogue",
    "load_plugin_family",
    "render_value",
]
