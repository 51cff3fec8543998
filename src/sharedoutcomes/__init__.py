"""
Outcomes, contributions and evidence links for cross-sector health and social care.

A typed model, the published JSON Schemas of the sharedoutcomes standard, validators that
say exactly what is wrong and where, and converters from the formats people already use.

Example:
    >>> import sharedoutcomes
    >>> package = sharedoutcomes.load(sharedoutcomes.example_package_path())
    >>> report = sharedoutcomes.validate(package)
    >>> report.ok
    True
    >>> sharedoutcomes.dump(package)["schema_version"]
    '0.1'
"""

from __future__ import annotations

from sharedoutcomes._examples import example_package, example_package_path
from sharedoutcomes.converters import ConversionResult, ConverterRegistry, convert, formats, write
from sharedoutcomes.exceptions import (
    ConversionError,
    InvalidDocument,
    MissingDependency,
    Problem,
    SharedOutcomesError,
    SharedOutcomesWarning,
    SourceLocation,
    UnknownFormat,
    UnknownName,
    UnknownRule,
)
from sharedoutcomes.model import (
    SCHEMA_VERSION,
    Activity,
    ActivityParticipant,
    Contribution,
    Evidence,
    EvidenceLink,
    EvidenceSubject,
    EvidenceValue,
    Extension,
    FundingLine,
    Indicator,
    IndicatorValue,
    MonetaryAmount,
    Organisation,
    Outcome,
    OutcomeMapping,
    Package,
    Period,
    Provenance,
    RateDefinition,
)
from sharedoutcomes.serialization import dump, dumps, from_json_data, to_json_data
from sharedoutcomes.validation import (
    Report,
    ValidationProfile,
    is_valid,
    iter_problems,
    load,
    rules,
    validate,
)

__all__ = [  # keep sorted; tests/test_public_api.py checks it
    "SCHEMA_VERSION",
    "Activity",
    "ActivityParticipant",
    "Contribution",
    "ConversionError",
    "ConversionResult",
    "ConverterRegistry",
    "Evidence",
    "EvidenceLink",
    "EvidenceSubject",
    "EvidenceValue",
    "Extension",
    "FundingLine",
    "Indicator",
    "IndicatorValue",
    "InvalidDocument",
    "MissingDependency",
    "MonetaryAmount",
    "Organisation",
    "Outcome",
    "OutcomeMapping",
    "Package",
    "Period",
    "Problem",
    "Provenance",
    "RateDefinition",
    "Report",
    "SharedOutcomesError",
    "SharedOutcomesWarning",
    "SourceLocation",
    "UnknownFormat",
    "UnknownName",
    "UnknownRule",
    "ValidationProfile",
    "convert",
    "dump",
    "dumps",
    "example_package",
    "example_package_path",
    "formats",
    "from_json_data",
    "is_valid",
    "iter_problems",
    "load",
    "rules",
    "to_json_data",
    "validate",
    "write",
]


def __getattr__(name: str) -> str:
    if name == "__version__":  # lazily: reading the installed metadata costs more than the rest of the import
        from sharedoutcomes._util.meta import package_version

        return package_version()
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
