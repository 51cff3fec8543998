"""No clean bill for a broken conversion: the package to write from a result, refused or marked partial."""

from __future__ import annotations

from typing import Any

import attrs

from sharedoutcomes.converters._result import ConversionResult
from sharedoutcomes.exceptions import IncompleteConversion
from sharedoutcomes.model import Extension, Package
from sharedoutcomes.validation import PARTIAL_EXTENSION, PARTIAL_EXTENSION_URL

__all__ = ["package_to_write"]

_VERSION = "1.0"


def package_to_write(result: ConversionResult, *, partial: bool = False) -> Package:
    """
    The package to write from *result*: refused when the conversion had errors, unless *partial*.

    A package written despite errors declares the ``partial`` extension and records the format
    and every problem of the conversion under ``extension_data.partial``, so that `validate` and
    the report say that it is partial (``conversion.partial``). Every writer of conversion results
    calls this: `write`, the ``convert`` command, the conversion of a folder of returns.

    Raises:
        IncompleteConversion: *result* has errors and *partial* is false.

    Example:
        >>> from sharedoutcomes import convert, example_package_path
        >>> result = convert(example_package_path(), format="package")
        >>> package_to_write(result) is result.package
        True
    """
    if result.ok:
        return result.package
    if not partial:
        raise IncompleteConversion(result.problems)
    package = result.package
    record: dict[str, Any] = {
        "format": result.format,
        "errors": sum(p.severity == "error" for p in result.problems),
        "warnings": sum(p.severity == "warning" for p in result.problems),
        "problems": [p.to_dict() for p in result.problems],
    }
    extension = Extension(name=PARTIAL_EXTENSION, version=_VERSION, url=PARTIAL_EXTENSION_URL,
                          description="Written from a conversion that had errors: the values they concern are "
                          "missing; extension_data.partial lists the problems.")
    return attrs.evolve(
        package,
        extensions=(*(e for e in package.extensions if e.name != PARTIAL_EXTENSION), extension),
        extension_data={**package.extension_data, PARTIAL_EXTENSION: record},
    )
