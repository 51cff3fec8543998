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
    '0.2'
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:  # the names as type checkers and editors see them; at run time __getattr__ imports them
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
    from sharedoutcomes.migration import Migration, migrate
    from sharedoutcomes.model import (
        SCHEMA_VERSION,
        SCHEMA_VERSIONS,
        Activity,
        ActivityParticipant,
        Contribution,
        Conversion,
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
    "SCHEMA_VERSIONS",
    "Activity",
    "ActivityParticipant",
    "Contribution",
    "Conversion",
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
    "Migration",
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
    "migrate",
    "rules",
    "to_json_data",
    "validate",
    "write",
]


_LAZY: _typing.Final = {  # public name → the module that defines it; imported on first use (see __getattr__)
    "example_package": "sharedoutcomes._examples",
    "example_package_path": "sharedoutcomes._examples",
    "ConversionResult": "sharedoutcomes.converters",
    "ConverterRegistry": "sharedoutcomes.converters",
    "convert": "sharedoutcomes.converters",
    "formats": "sharedoutcomes.converters",
    "write": "sharedoutcomes.converters",
    "ConversionError": "sharedoutcomes.exceptions",
    "InvalidDocument": "sharedoutcomes.exceptions",
    "MissingDependency": "sharedoutcomes.exceptions",
    "Problem": "sharedoutcomes.exceptions",
    "SharedOutcomesError": "sharedoutcomes.exceptions",
    "SharedOutcomesWarning": "sharedoutcomes.exceptions",
    "SourceLocation": "sharedoutcomes.exceptions",
    "UnknownFormat": "sharedoutcomes.exceptions",
    "UnknownName": "sharedoutcomes.exceptions",
    "UnknownRule": "sharedoutcomes.exceptions",
    "Activity": "sharedoutcomes.model",
    "ActivityParticipant": "sharedoutcomes.model",
    "Contribution": "sharedoutcomes.model",
    "Conversion": "sharedoutcomes.model",
    "Migration": "sharedoutcomes.migration",
    "migrate": "sharedoutcomes.migration",
    "SCHEMA_VERSIONS": "sharedoutcomes.model",
    "Evidence": "sharedoutcomes.model",
    "EvidenceLink": "sharedoutcomes.model",
    "EvidenceSubject": "sharedoutcomes.model",
    "EvidenceValue": "sharedoutcomes.model",
    "Extension": "sharedoutcomes.model",
    "FundingLine": "sharedoutcomes.model",
    "Indicator": "sharedoutcomes.model",
    "IndicatorValue": "sharedoutcomes.model",
    "MonetaryAmount": "sharedoutcomes.model",
    "Organisation": "sharedoutcomes.model",
    "Outcome": "sharedoutcomes.model",
    "OutcomeMapping": "sharedoutcomes.model",
    "Package": "sharedoutcomes.model",
    "Period": "sharedoutcomes.model",
    "Provenance": "sharedoutcomes.model",
    "RateDefinition": "sharedoutcomes.model",
    "SCHEMA_VERSION": "sharedoutcomes.model",
    "dump": "sharedoutcomes.serialization",
    "dumps": "sharedoutcomes.serialization",
    "from_json_data": "sharedoutcomes.serialization",
    "to_json_data": "sharedoutcomes.serialization",
    "Report": "sharedoutcomes.validation",
    "ValidationProfile": "sharedoutcomes.validation",
    "is_valid": "sharedoutcomes.validation",
    "iter_problems": "sharedoutcomes.validation",
    "load": "sharedoutcomes.validation",
    "rules": "sharedoutcomes.validation",
    "validate": "sharedoutcomes.validation",
}


def __getattr__(name: str) -> _typing.Any:
    """
    The public names, imported on first use, so that ``import sharedoutcomes`` stays light.

    ``sharedoutcomes.validate`` imports the validation layer the first time it is asked for (and
    keeps it in the module's namespace); a subpackage asked for as an attribute
    (``sharedoutcomes.stars``) is imported the same way.
    """
    if name == "__version__":  # lazily: reading the installed metadata costs more than the rest of the import
        from sharedoutcomes._util.meta import package_version

        return package_version()
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(_importlib.import_module(module), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):
        try:
            return _importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
