"""
`convert` into tables: a format's columnar reader where it has one, else its object converter and `from_package`.

The formats and their options are those of `sharedoutcomes.convert` (the same names, the same
`UnknownFormat` and `UnknownOption` errors); the result holds the same `Problem` objects.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final

from attrs import field, frozen

from sharedoutcomes._optional import require
from sharedoutcomes.columnar._layout import TABLES
from sharedoutcomes.columnar._registry import ColumnarBatches, columnar_reader
from sharedoutcomes.columnar._tables import ColumnarError, EvidenceTables, from_package
from sharedoutcomes.columnar._validate import BatchNotSelfContained, BatchValidation, validate
from sharedoutcomes.converters import (
    ConverterRegistry,
    Coverage,
    check_options,
    default_registry,
    unbuildable,
)
from sharedoutcomes.converters import convert as convert_objects
from sharedoutcomes.exceptions import InvalidDocument
from sharedoutcomes.model import Package
from sharedoutcomes.problems import Problem, Report, SourceLocation
from sharedoutcomes.validation import ValidationProfile

__all__ = ["ColumnarResult", "ColumnarStream", "ValidatedBatch", "concat", "convert", "iter_convert"]

_NO_BATCH: Final = "a columnar reader returned no batch: it must return at least one, which carries the package"


class _TableViews:
    """The two tables most callers look at, straight from ``tables`` (a result's, or a batch's)."""

    __slots__ = ()
    tables: EvidenceTables

    @property
    def evidence(self) -> Any:
        """The ``evidence`` table (a ``pyarrow.Table``): one row per evidence item."""
        return self.tables.evidence

    @property
    def values(self) -> Any:
        """The ``values`` table: one row per value, with its evidence's id."""
        return self.tables.values


@frozen(kw_only=True)
class ColumnarResult(_TableViews):
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
        raise ColumnarError(_NO_BATCH)
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


@frozen(kw_only=True)
class ValidatedBatch(_TableViews):
    """
    One batch of `iter_convert`: its tables and its problems.

    Attributes:
        tables: The batch's `EvidenceTables` (its ``evidence_index`` and the JSONPaths of its
            problems count evidence across the whole read: the package's positions).
        problems: The reader's problems of the batch's rows, then the validation's of its evidence
            (in the package's order), as `validate` of the package read so far reports them.
    """

    tables: EvidenceTables
    problems: tuple[Problem, ...] = ()



class ColumnarStream:
    """
    What `iter_convert` returns: the validated batches in source order, then the whole package's problems.

    Iterate it once for the `ValidatedBatch` items; `problems`, `report`, `ok` and `coverage` are
    those of the whole package, known once the last batch has been read (before, they raise
    `ColumnarError`).

    Attributes:
        format: The format that read the source.
        columnar: Whether the format's columnar reader read it (else its object converter did, into one batch).
    """

    def __init__(self, batches: Callable[[ColumnarStream], Iterator[ValidatedBatch]], *, format: str,
                 columnar: bool) -> None:
        self.format = format
        self.columnar = columnar
        self._batches = batches(self)
        self._started = False
        self._problems: tuple[Problem, ...] | None = None
        self._coverage: Coverage | None = None
        self._source_map: Mapping[str, SourceLocation] = {}
        self._read: ColumnarBatches | None = None  # a columnar reader's result
        self._raw: Iterator[EvidenceTables] = iter(())  # the reader's batches not validated yet

    def __iter__(self) -> Iterator[ValidatedBatch]:
        if self._started:
            msg = "a ColumnarStream is read once: call iter_convert again to read the source again"
            raise ColumnarError(msg)
        self._started = True
        return self._batches

    def _done(self, problems: tuple[Problem, ...], coverage: Coverage | None,
              source_map: Mapping[str, SourceLocation] | None = None) -> None:
        self._problems, self._coverage, self._source_map = problems, coverage, source_map or {}

    def _finished(self) -> tuple[Problem, ...]:
        if self._problems is None:
            msg = "the whole package's problems are known once every batch of the stream has been read"
            raise ColumnarError(msg)
        return self._problems

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The converter's problems, then the validation's: those `convert` gives for the same source."""
        return self._finished()

    @property
    def report(self) -> Report:
        """`problems` as a validation `Report`."""
        return Report(problems=self._finished())

    @property
    def ok(self) -> bool:
        """``True`` when no problem is an error."""
        return not any(p.severity == "error" for p in self._finished())

    @property
    def coverage(self) -> Coverage | None:
        """How many pieces of the source were read and not read (``None`` when the format does not say)."""
        self._finished()
        return self._coverage

    @property
    def source_map(self) -> Mapping[str, SourceLocation]:
        """JSONPath → location in the source (from an object converter; a columnar reader locates its problems itself)."""
        self._finished()
        return self._source_map


def source_map_of(read: ColumnarBatches, tables: EvidenceTables) -> Mapping[str, SourceLocation] | None:
    """The source map *read* offers for the evidence of *tables* (its optional ``source_map_of``), else ``None``."""
    offer = getattr(read, "source_map_of", None)
    return None if offer is None else offer(tables)


def leading_problems(read: ColumnarBatches) -> Sequence[Problem]:
    """The problems *read* says come before every batch's (its optional ``leading_problems``), else none."""
    return tuple(getattr(read, "leading_problems", ()))


def iter_convert(source: Any, *, format: str, registry: ConverterRegistry | None = None,
                 validation_profile: ValidationProfile | None = None, **options: Any) -> ColumnarStream:
    """
    Read *source* as *format* into validated batches of Arrow tables, one batch in memory at a time.

    Takes what `convert` takes. A format with a columnar reader is read and validated batch by
    batch, what a check needs across batches carried over (the evidence ids met, for duplicates;
    whether the schema layer found anything): each batch comes with its problems, and once the
    last has been read the stream holds the whole package's problems, identical to `convert`'s.
    Only the batch being validated and 20 to 30 bytes an evidence item are kept (its id's hash,
    place and ``evidence_index``, and its text compressed; the Star and survey readers keep as
    much again, or twice as much: a survey's first response of each person and date, with its
    answers): memory grows by that much an evidence item, not by the batch. Another format is
    read by its converter into one batch.

    The problems of a batch are those `validate` of the package read so far gives for its
    evidence; they are final, except that a schema problem in a later batch withdraws the
    semantic ones (as on the object path, those are reported only when the schema layer finds
    nothing anywhere), and a ``ref-unresolved`` hint may name evidence of a later batch.

    Raises:
        UnknownFormat: No format has that name.
        UnknownOption: The format takes no such option.
        ConversionError: The source cannot be read at all.
        ColumnarError: A batch holds rows of evidence in another batch (a reader's batches must each
            hold their evidence's values, subject and provenance; `convert` validates such batches together).
        InvalidDocument: What was read does not have the shape of a package; raised once the last
            batch has been read (the batches before it have been yielded), as `convert` raises it.

    Example:
        >>> from sharedoutcomes.stars import sample_path
        >>> from sharedoutcomes.columnar import iter_convert
        >>> stream = iter_convert(sample_path(), format="outcomes-star", organisation_id="GB-SC-SC012345",
        ...                       today="2025-06-30")
        >>> [(batch.evidence.num_rows, len(batch.problems)) for batch in stream]
        [(6, 0)]
        >>> stream.ok, [p.rule for p in stream.problems]
        (True, [])
    """
    converter = (registry or default_registry())[format]
    check_options(format, converter.read, options)
    reader = columnar_reader(format) if registry is None else None
    read = reader(source, **options) if reader is not None else None
    if read is None:  # no columnar reader, or one that leaves this source to the converter
        def objects(stream: ColumnarStream) -> Iterator[ValidatedBatch]:
            result = convert_objects(source, format=format, registry=registry,
                                     validation_profile=validation_profile, **options)
            stream._done(result.problems, result.coverage, result.source_map)
            yield ValidatedBatch(tables=from_package(result.package), problems=result.problems)

        return ColumnarStream(objects, format=format, columnar=False)

    def validated(stream: ColumnarStream) -> Iterator[ValidatedBatch]:
        checks = BatchValidation(profile=validation_profile)
        own: list[Problem] = []
        stream._read = read
        stream._raw = raw = iter(read)
        for tables in raw:
            stream._raw = itertools.chain([tables], raw)  # what convert validates whole, if it must
            found = checks.add(tables, source_map=source_map_of(read, tables))
            stream._raw = raw
            mine = tuple(validation_profile.apply(tables.problems)) if validation_profile else tables.problems
            own += mine
            yield ValidatedBatch(tables=tables, problems=(*mine, *found))
        if not checks.batches:
            raise ColumnarError(_NO_BATCH)
        first = leading_problems(read)
        own[:0] = validation_profile.apply(first) if validation_profile else first
        own += validation_profile.apply(read.problems) if validation_profile else read.problems
        report = checks.finish()
        problems = (*own, *report.problems)
        stream._done(problems, read.coverage)
        if unbuildable(report):
            raise InvalidDocument(Report(problems=problems))

    return ColumnarStream(validated, format=format, columnar=True)


def convert(source: Any, *, format: str, registry: ConverterRegistry | None = None,
            validation_profile: ValidationProfile | None = None, **options: Any) -> ColumnarResult:
    """
    Read *source* as *format* into Arrow tables, columnar where the format has a columnar reader.

    Takes what `sharedoutcomes.convert` takes. With a *registry* of your own, its converter reads
    the source (a columnar reader is used only for the formats of the default registry). The
    batches of a columnar reader are validated one by one as they come (`iter_convert`), then
    concatenated; batches that cannot be validated on their own (rows of one evidence item in two
    batches) are validated together.

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
    stream = iter_convert(source, format=format, registry=registry, validation_profile=validation_profile, **options)
    kept: list[EvidenceTables] = []
    try:
        kept.extend(batch.tables for batch in stream)
    except BatchNotSelfContained:
        kept.extend(stream._raw)
        return _converted_whole(kept, stream, validation_profile)
    if not stream.columnar:
        return ColumnarResult(tables=kept[0], problems=stream.problems, coverage=stream.coverage, format=format,
                              columnar=False, source_map=stream.source_map)
    return ColumnarResult(tables=concat(kept), problems=stream.problems, coverage=stream.coverage, format=format,
                          columnar=True)


def _converted_whole(batches: list[EvidenceTables], stream: ColumnarStream,
                     validation_profile: ValidationProfile | None) -> ColumnarResult:
    """`convert` of batches that cannot be validated one by one: concatenated, then validated as one table."""
    tables = concat(batches)
    read = stream._read
    assert read is not None  # only a columnar reader's batches are validated one by one
    own = (*leading_problems(read), *tables.problems, *read.problems)
    if validation_profile is not None:
        own = tuple(validation_profile.apply(own))
    report = validate(tables, profile=validation_profile, source_map=source_map_of(read, tables))
    problems = (*own, *report.problems)
    if unbuildable(report):
        raise InvalidDocument(Report(problems=problems))
    return ColumnarResult(tables=tables, problems=problems, coverage=read.coverage, format=stream.format,
                          columnar=True)
