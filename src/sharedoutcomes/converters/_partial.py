"""No clean bill for a broken conversion: the package to write from a result, refused or marked partial."""

from __future__ import annotations

import attrs

from sharedoutcomes.converters._result import ConversionResult
from sharedoutcomes.exceptions import IncompleteConversion
from sharedoutcomes.model import Conversion, ConversionProblem, Package, SourcePlace

__all__ = ["conversion_block", "package_to_write"]


def package_to_write(result: ConversionResult, *, partial: bool = False) -> Package:
    """
    The package to write from *result*: refused when the conversion had errors, unless *partial*.

    A package written despite errors records, in its ``conversion`` block (``partial: true``), the
    format and every problem of the conversion (standard 0.1 kept the same record as the ``partial``
    extension), so that `validate` and
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
    return attrs.evolve(result.package, conversion=conversion_block(result))


def conversion_block(result: ConversionResult) -> Conversion:
    """
    The ``conversion`` block (standard 0.2) recording *result*: its format, counts and every problem.

    Empty text in a problem's source location (a header cell with nothing in it) is left out, as
    `SourceLocation.to_dict` leaves out what is unknown.

    Example:
        >>> from sharedoutcomes import convert, example_package_path
        >>> conversion_block(convert(example_package_path(), format="package")).errors
        0
    """
    problems = []
    for p in result.problems:
        source = None
        if p.source is not None:
            source = SourcePlace(**{k: v for k, v in p.source.to_dict().items() if v != ""})
        problems.append(ConversionProblem(rule=p.rule, severity=p.severity, path=p.path, message=p.message,
                                          source=source))
    return Conversion(format=result.format, partial=not result.ok,
                      errors=sum(p.severity == "error" for p in result.problems),
                      warnings=sum(p.severity == "warning" for p in result.problems), problems=tuple(problems))
