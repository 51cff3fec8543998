"""
Funders' monitoring and evaluation forms: read completed ones, write blank and filled ones.

A form is described by a declarative `FormProfile` (a JSON file validated by
``schemas/forms/form-profile.schema.json``): its sections, questions, answer types,
repeating tables, and where each answer goes in the model. Two profiles ship:
``north-ayrshire`` (sharedoutcomes' rendition of an Integrated Care Fund monitoring and
evaluation return, inferred from public equivalents: not an official copy) and
``harmonising-reporting`` (the Scotland Funders' Forum template). A partnership with a
different form writes a profile, not code.

Example:
    >>> import tempfile, pathlib
    >>> profile = get_profile("north-ayrshire")
    >>> profile.section("F").title
    'Outcomes and indicators'
    >>> blank = pathlib.Path(tempfile.mkdtemp()) / "return.docx"
    >>> template(profile, blank, format="docx")
    >>> result = read_form(blank, profile=profile)
    >>> sorted({p.rule for p in result.problems if p.rule.startswith("form.")})
    ['form.required']
"""

from __future__ import annotations

# 0.1 let these be imported from here too (they were this module's own imports), so they stay.
from sharedoutcomes.exceptions import ConversionError as ConversionError
from sharedoutcomes.exceptions import Problem as Problem
from sharedoutcomes.exceptions import SharedOutcomesError as SharedOutcomesError
from sharedoutcomes.exceptions import UnknownName as UnknownName
from sharedoutcomes.forms._folder import BatchResult, FileResult, convert_folder
from sharedoutcomes.forms._format import FormFormat, HarmonisingReportingFormat, NorthAyrshireFormat
from sharedoutcomes.forms._io import read_form, template, write_form
from sharedoutcomes.forms._load import get_profile, load_profile, profile_from_data, profiles
from sharedoutcomes.forms._profile import (
    AnswerType,
    Choice,
    Codelist,
    FormProfile,
    Funder,
    Question,
    Section,
    Table,
)
from sharedoutcomes.forms._rules import FORM_RULES

__all__ = [
    "FORM_RULES",
    "AnswerType",
    "BatchResult",
    "Choice",
    "Codelist",
    "FileResult",
    "FormFormat",
    "FormProfile",
    "Funder",
    "HarmonisingReportingFormat",
    "NorthAyrshireFormat",
    "Question",
    "Section",
    "Table",
    "convert_folder",
    "get_profile",
    "load_profile",
    "profile_from_data",
    "profiles",
    "read_form",
    "template",
    "write_form",
]
