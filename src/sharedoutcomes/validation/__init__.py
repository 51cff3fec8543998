"""
Validation in two layers, and the `load` that parses only what passed.

1. The published JSON Schema (jsonschema, with the offline registry of `sharedoutcomes.schema`),
   which finds structural problems at exact paths. Their rule ids are ``schema.<keyword>``.
2. Semantic rules a schema cannot express (`rules`), each with a stable id, run only when the
   shape is right.

`validate` never raises on bad data: it returns a `Report`. `load` raises `InvalidDocument`
(a `ValueError`) carrying the report. A `ValidationProfile` changes severities without
touching the standard, of the semantic rules and of every converter's problems alike; `explain`
says what any problem id means (the whole catalogue is `sharedoutcomes.problems.catalogue`).

With the ``fast`` extra installed (orjson, jsonschema-rs), the same problems are found faster:
orjson parses, a jsonschema-rs gate lets valid documents skip the pure-Python schema layer, and
`load` builds the model without re-running the attrs validators. The pure-Python path is the
reference: the fast path reports exactly its problems. Pass ``fast=False``, or set
``SHAREDOUTCOMES_FAST=0`` in the environment, to use the reference path; see
``docs/performance.md``.

Example:
    >>> import sharedoutcomes
    >>> report = sharedoutcomes.validate({"schema_version": "0.2", "id": "p", "title": "T",
    ...     "publisher": "GB-SC-SC012345", "produced": "2025-01-01T00:00:00Z", "sharing_level": "public"})
    >>> report.ok
    False
    >>> print(report.problems[0])
    $.publisher: no organisation in the package has id 'GB-SC-SC012345' [ref-unresolved]
"""

# Importable from here as in 0.1, though they live elsewhere (the exceptions and the problem records).
from sharedoutcomes.exceptions import ConversionError as ConversionError
from sharedoutcomes.exceptions import InvalidDocument as InvalidDocument
from sharedoutcomes.exceptions import UnknownRule as UnknownRule
from sharedoutcomes.problems import Problem as Problem
from sharedoutcomes.problems import Report
from sharedoutcomes.problems import SourceLocation as SourceLocation
from sharedoutcomes.validation._api import is_valid, iter_problems, load, validate, validate_data
from sharedoutcomes.validation._catalogue import explain, rules
from sharedoutcomes.validation._orgid import org_id_prefixes, org_id_shape
from sharedoutcomes.validation._partial import PARTIAL_EXTENSION, PARTIAL_EXTENSION_URL, partial_record
from sharedoutcomes.validation._profile import Action as Action
from sharedoutcomes.validation._profile import ValidationProfile
from sharedoutcomes.validation._read import read_json

__all__ = [
    "PARTIAL_EXTENSION",
    "PARTIAL_EXTENSION_URL",
    "Report",
    "ValidationProfile",
    "explain",
    "is_valid",
    "iter_problems",
    "load",
    "org_id_prefixes",
    "org_id_shape",
    "partial_record",
    "read_json",
    "rules",
    "validate",
    "validate_data",
]
