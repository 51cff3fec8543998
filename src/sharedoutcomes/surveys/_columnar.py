"""
The columnar survey reader: a survey export as Arrow tables, with the ``survey`` format's problems.

`read_columnar` is the ``survey`` reader of `sharedoutcomes.columnar` (registered by import
string in ``columnar/_registry.py``). A survey export is read by the survey family's own reader
(`read_responses`: header detection, instrument inference, scoring, personal-data refusal,
coverage), so the problems, their locations and the coverage are the object format's exactly;
the evidence is then laid out as tables. Survey exports are small (a health board's year of
responses is thousands of rows), so this reader is not vectorised: it is the same code, with
tables out.
"""

from __future__ import annotations

from typing import Any

from sharedoutcomes.columnar import ColumnarRead, EvidenceTables, from_package
from sharedoutcomes.exceptions import InvalidDocument
from sharedoutcomes.model import Package
from sharedoutcomes.serialization import from_json_data
from sharedoutcomes.surveys._format import survey_document
from sharedoutcomes.validation import validate_data

__all__ = ["read_columnar"]


def read_columnar(source: Any, /, **options: Any) -> ColumnarRead:
    r"""
    Read a survey export into one batch of tables, with the ``survey`` format's problems and coverage.

    Example:
        >>> import io
        >>> text = b"Client ref,Date,Satis,Worth,Happy,Anxious\nSP-0001,02/05/2024,6,7,5,8\n"
        >>> read = read_columnar(io.BytesIO(text), organisation_id="GB-SC-SC012345")
        >>> [batch.values.num_rows for batch in read], read.problems, str(read.coverage)
        ([4], (), 'read 12 of 12 pieces')
    """
    document, problems, found = survey_document(source, **options)
    profile = options.get("profile")
    if profile is not None:
        problems = list(profile.apply(problems))
    try:
        package = from_json_data(document, Package)
    except Exception:  # a document the survey reader should not have made: the validator says what is wrong
        raise InvalidDocument(validate_data(document)) from None
    tables = from_package(package)
    batch = EvidenceTables(evidence=tables.evidence, values=tables.values, subjects=tables.subjects,
                           provenance=tables.provenance,
                           problems=tuple(problems))  # type: ignore[arg-type]  # attrs converter=tuple
    return ColumnarRead(batches=[batch], problems=(), coverage=found.coverage)
