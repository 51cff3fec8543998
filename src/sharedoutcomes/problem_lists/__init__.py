"""
Problem lists to send back: one row per problem, with the file, the place in it, the value found, what is wrong and what to do.

A data lead who receives thirty returns sends each charity the list of what to correct, not a
terminal screen. `problem_list` gathers the problems of validation reports, conversions and
folders (a file name on every row); `render_problem_list` and `write_problem_list` make the list
a standalone HTML page, an XLSX workbook with filters, a CSV file or JSON. The words are the
problem catalogue's (`sharedoutcomes.problems.catalogue`): what is wrong, and what to do, with
the rule id small beside them and linked to its explanation.

Example:
    >>> from sharedoutcomes import convert
    >>> from sharedoutcomes.stars import sample_path
    >>> result = convert(sample_path(), format="outcomes-star")
    >>> rows = problem_rows({"star-sample.csv": result})
    >>> rows[0].file, rows[0].severity_words, rows[0].problem
    ('star-sample.csv', 'Warning', 'No organisation_id= was given, so the package has a placeholder publisher.')
"""

from sharedoutcomes.problem_lists._formats import (
    CSV_COLUMNS,
    FORMATS,
    JSON_SHAPE,
    MEDIA_TYPES,
    ListFormat,
    format_for_path,
    render_problem_list,
    write_problem_list,
)
from sharedoutcomes.problem_lists._html import render_html
from sharedoutcomes.problem_lists._rows import (
    ProblemList,
    ProblemRow,
    ProblemSource,
    problem_list,
    problem_rows,
)
from sharedoutcomes.problem_lists._xlsx import render_xlsx

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "JSON_SHAPE",
    "MEDIA_TYPES",
    "ListFormat",
    "ProblemList",
    "ProblemRow",
    "ProblemSource",
    "format_for_path",
    "problem_list",
    "problem_rows",
    "render_html",
    "render_problem_list",
    "render_xlsx",
    "write_problem_list",
]
