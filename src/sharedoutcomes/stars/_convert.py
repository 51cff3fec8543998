"""
`OutcomesStarFormat`, the ``outcomes-star`` format as registered: a wide CSV export by the columnar route.

With the ``columnar`` extra (pyarrow and Polars), a wide CSV export given as a path is read by
the columnar reader (`stars._columnar`), validated by `sharedoutcomes.columnar.validate`, and
its package built straight from the tables; the `ConversionResult` is the object route's
(`ObjectStarFormat.read`): the same package (``produced`` aside, the time of the conversion),
the same problems in the same order, coverage and source map, and the same errors raised.
Every other source (an XLSX workbook, a long-layout export, a file object, a small file, the
extra not installed) is read by the object route, as are the rare exports whose result the
columnar route cannot give as the object route does (an area with two columns; no reading at
all, or a document the schema refuses, for which the object route raises its own `InvalidDocument`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._optional import require
from sharedoutcomes.columnar import concat, validate
from sharedoutcomes.converters import ConversionResult, unbuildable
from sharedoutcomes.exceptions import MissingDependency, Problem
from sharedoutcomes.stars._columnar import StarColumnarRead, open_reader
from sharedoutcomes.stars._convention import FORMAT
from sharedoutcomes.stars._format import _READ_OPTIONS, ObjectStarFormat, _check_options

__all__ = ["COLUMNAR_FROM_BYTES", "OutcomesStarFormat"]

COLUMNAR_FROM_BYTES: Final = 1 << 16
"""The smallest CSV export (in bytes) read by the columnar route: below it, the object route is as quick."""



class OutcomesStarFormat(ObjectStarFormat):
    """
    Outcomes Star reading exports: Star Online-style and CRM exports, CSV or XLSX, wide or long.

    Options for `read`:
        star, edition: The Star (id or name) and edition, when the file does not say.
        column_map: Heading for a field, overriding the defaults: keys are the fields in
            `ROLES` (``person``, ``date``, ``star`` … ``area``, ``score``) or area codes.
        stars: A `StarRegistry`, or the path of a Star file or directory to add to the built-in Stars.
        sheet: The XLSX sheet (default: the first).
        organisation_id, organisation_name, sector: The organisation publishing the package
            (an org-id, its name, and its sector, default ``third``).
        sharing_level: The package's sharing level (default ``personal``).
        package_id, title: The package's id and title (defaults from the file name).
        today: The date after which a reading is "in the future" (default: today).
        source_system: Recorded in each reading's provenance (such as ``Star Online``).

    A wide CSV export of 64 KiB or more is read by the columnar reader when the ``columnar``
    extra is installed (several times quicker, the same result); everything else by the object reader.

    Example:
        >>> OutcomesStarFormat().extensions
        ('.csv', '.xlsx')
    """

    def read(self, source: Any, **options: Any) -> ConversionResult:
        """
        Read a Star export into a package of assessment evidence; every problem is located.

        Raises:
            ConversionError: The file cannot be read, or is not a Star export at all.

        Example:
            >>> from sharedoutcomes.stars import sample_path
            >>> result = OutcomesStarFormat().read(sample_path(), organisation_id="GB-SC-SC012345",
            ...                                    today="2025-06-30")
            >>> result.source_map["$.evidence[0].values[0].value"].column
            'H'
        """
        _check_options(options, _READ_OPTIONS, "reading")
        result = columnar_result(source, options) if _columnar_source(source) else None
        return super().read(source, **options) if result is None else result


def _columnar_source(source: Any) -> bool:
    """Whether *source* is a CSV file big enough for the columnar route, and the extra is installed."""
    if not isinstance(source, str | os.PathLike):
        return False
    path = Path(source)
    try:
        if path.suffix.lower() in {".xlsx", ".xlsm"} or path.stat().st_size < COLUMNAR_FROM_BYTES:
            return False
    except OSError:
        return False  # the object route says what is wrong with it
    try:
        for module in ("pyarrow", "pyarrow.compute", "polars"):
            require(module, extra="columnar", purpose="reading Star exports by the columnar route")
    except MissingDependency:
        return False
    return True


def columnar_result(source: Any, options: Mapping[str, Any]) -> ConversionResult | None:
    """
    The object route's result for *source*, by the columnar route; ``None`` where only the object route can give it.

    Raises:
        ConversionError: The file cannot be read, or is not a Star export (as the object reader raises it).

    Example:
        >>> from sharedoutcomes.stars import sample_path
        >>> result = columnar_result(sample_path(), {"organisation_id": "GB-SC-SC012345", "today": "2025-06-30"})
        >>> result.ok, len(result.package.evidence), result.source_map["$.evidence[0].date"].column
        (True, 6, 'B')
    """
    reader, document = open_reader(source, **options)
    if reader.long or reader.sheet is not None:
        reader._rows.close()  # type: ignore[attr-defined]  # a generator: closes the file now
        return None
    read = StarColumnarRead(reader, organisation_id=options.get("organisation_id"), document=document)
    tables = concat(list(read))
    if not tables.evidence.num_rows:
        return None  # no reading: the object route's document has an empty evidence list, which it refuses
    source_map = read.source_map_of(tables)
    if source_map is None:
        return None
    report = validate(tables, source_map=source_map)  # its problems located as the object route locates them
    if unbuildable(report):
        return None
    # validate() found no schema.* error: every field has passed the package schema (see sharedoutcomes.columnar._build)
    package = tables._checked_package()
    if package is None:
        return None
    problems: tuple[Problem, ...] = (*tables.problems, *read.problems, *report.problems)
    return ConversionResult(package=package, problems=problems, source_map=source_map, format=FORMAT,
                            document=tables.to_json_data, coverage=read.coverage)
