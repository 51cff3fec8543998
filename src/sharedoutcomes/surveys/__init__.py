r"""
Survey exports in: CSV or XLSX files with one row per response to an instrument (WEMWBS, ONS4 …).

`SurveyFormat` is the ``survey`` format. Item columns are found by code (``wemwbs-3``), by a known
heading (``Satis``, ``GAD7 Q3``), or by position (``Q3``, ``Item 3``) once the instrument is known;
the instrument is given with ``instrument=`` or detected from the headings. Every cell is
accounted for (`sharedoutcomes.converters.Coverage`): read into the package, or reported with its
place. Columns that may hold personal data are never read.

Example:
    >>> import io, sharedoutcomes
    >>> text = b"Person ID,Date,UCLA 1,UCLA 2,UCLA 3\nSP-1,2 May 2024,2,3,2\n"
    >>> result = sharedoutcomes.convert(io.BytesIO(text), format="survey", organisation_id="GB-SC-SC012345")
    >>> [(v.code, v.value) for v in result.package.evidence[0].values]
    [('ucla-1', 2), ('ucla-2', 3), ('ucla-3', 2)]
"""

from sharedoutcomes.surveys._columns import is_personal
from sharedoutcomes.surveys._format import PLACEHOLDER_ORGANISATION, SurveyFormat
from sharedoutcomes.surveys._table import read_date

__all__ = ["PLACEHOLDER_ORGANISATION", "SurveyFormat", "is_personal", "read_date"]
