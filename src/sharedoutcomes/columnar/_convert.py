"""
`convert` into tables: a format's columnar reader where it has one, else its object converter and `from_package`.

The formats and their options are those of `sharedoutcomes.convert` (the same names, the same
`UnknownFormat` and `UnknownOption` errors); the result holds the same `Problem` objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from sharedoutcomes._optional import require
from sharedoutcomes.columnar._layout import TABLES
from sharedoutcomes.columnar._registry import ColumnarBatches, columnar_reader
from sharedoutcomes.columnar._tables import ColumnarError, EvidenceTables, from_package
from sharedoutcomes.columnar._validate import validate
from sharedoutcomes.converters import ConverterRegistry, Coverage, check_options, default_registry
from sharedoutcomes.converters import convert as convert_objects
from sharedoutcomes.exceptions import InvalidDocument
from sharedoutcomes.model import Package
from sharedoutcomes.problems import Problem, Report, SourceLocation
from sharedoutcomes.validation import ValidationProfile

__all__ = ["ColumnarResult", "concat", "convert"]


@frozen(kw_only=True)
class ColumnarResult:
    """
    What `convert` made of a source: the evidence as tables, every problem, and how much was read.

    Attributes:
        tables: The `EvidenceTables`.
        problems: The converter's own problems, then the validation's, as `sharedoutcomes.convert` gives them.
        coverage: How many pieces of the source were read and not read (``None`` when the format does not say).
        format: The format that read the source.
        columnar: Whether the format's columnar reader read it (else its object converter did).
        source_map: JSONPath → location in the source (from the object converter; a columnar
            reader locates its problems itself).
    """

    tables: EvidenceTables
    problems: tuple[Problem, ...] = ()
    coverage: Coverage | None = None
    format: str = ""
    columnar: bool = False
    source_map: Mapping[str, SourceLocation] = field(factory=dict, repr=False)

    @property
    def evidence(self) -> Any:
        """The ``evidence`` table (a ``pyarrow.Table``): one row per evidence item."""
        return self.tables.evidence

    @property
    def values(self) -> Any:
        """The ``values`` table: one row per value, with its evidence's id."""
        return self.tables.values

    @property
    def ok(self) -> bool:
        """``True`` when no problem is an error."""
        return not any(p.severity == "error" for p in self.problems)

    @property
    def report(self) -> Report:
        """The problems as a validation `Report`."""
        return Report(problems=self.problems)

    def to_package(self) -> Package:
        """The package the tables hold (see `EvidenceTables.to_package`)."""
        return self.tables.to_package()


def concat(batches: list[EvidenceTables]) -> EvidenceTables:
    """
    One `EvidenceTables` of *batches* (in order), which must carry the same package.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.columnar import from_package
        >>> tables = from_package(sharedoutcomes.example_package())
        >>> concat([tables]).evidence.num_rows == tables.evidence.num_rows
        True
    """
    pa = require("pyarrow", extra="columnar", purpose="columnar evidence")
    if not batches:
        msg = "a columnar reader returned no batch: it must return at least one, which carries the package"
        raise ColumnarError(msg)
    if len(batches) == 1:
        return batches[0]
    first = batches[0].package_json
    for k, batch in enumerate(batches[1:], start=1):
        if batch.package_json != first:
            msg = f"batch {k} carries another package than batch 0: a reader's batches share one package"
            raise ColumnarError(msg)
    tables = {}
    for name in TABLES:
        parts = [getattr(b, name) for b in batches]
        schema = parts[0].schema
        tables[name] = pa.concat_tables([p.replace_schema_metadata(schema.metadata) for p in parts])
    problems = tuple(p for b in batches for p in b.problems)
    return EvidenceTables(**tables, problems=problems)


def convert(source: Any, *, format: str, registry: ConverterRegistry | None = None,
            validation_profile: ValidationProfile | None = None, **options: Any) -> ColumnarResult:
    """
    Read *source* as *format* into Arrow tables, columnar where the format has a columnar reader.

    Takes what `sharedoutcomes.convert` takes. With a *registry* of your own, its converter reads
    the source (a columnar reader is used only for the formats of the default registry).

    Raises:
        UnknownFormat: No format has that name.
        UnknownOption: The format takes no such option.
        ConversionError: The source cannot be read at all.
        InvalidDocument: What was read does not have the shape of a package (as `sharedoutcomes.convert`).

    Example:
        >>> from sharedoutcomes import example_package_path
        >>> from sharedoutcomes.columnar import convert
        >>> result = convert(example_package_path(), format="package")
        >>> result.ok, result.evidence.num_rows > 0, result.to_package().title
        (True, True, 'North Ayrshire third sector partnership returns, 2024-25')
    """
    converter = (registry or default_registry())[format]
    check_options(format, converter.read, options)
    reader = columnar_reader(format) if registry is None else None
    if reader is None:
        result = convert_objects(source, format=format, registry=registry, validation_profile=validation_profile,
                                 **options)
        return ColumnarResult(tables=from_package(result.package), problems=result.problems,
                              coverage=result.coverage, format=format, columnar=False, source_map=result.source_map)
    read: ColumnarBatches = reader(source, **options)
    tables = concat(list(read))
    own = (*tables.problems, *read.problems)
    if validation_profile is not None:
        own = tuple(validation_profile.apply(own))
    report = validate(tables, profile=validation_profile)
    problems = (*own, *report.problems)
    if any(p.rule.startswith("schema.") or p.rule in ("number-not-finite", "json-number-too-large")
           for p in report.errors):
        raise InvalidDocument(Report(problems=problems))
    return ColumnarResult(tables=tables, problems=problems, coverage=read.coverage, format=format, columnar=True)
