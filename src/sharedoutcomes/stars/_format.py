"""
The ``outcomes-star`` format: Outcomes Star reading exports (CSV or XLSX, wide or long) in and out.

Reading: which column means what is found from the headings (`DEFAULT_HEADERS`, overridable
with ``column_map=``); each reading becomes one evidence item of kind ``assessment`` with one
value per area, its metadata under ``extension_data["outcomes-star"]``, and a source-map
entry for every value. Writing: the wide layout, CSV or XLSX by the file extension.

Example:
    >>> import sharedoutcomes
    >>> from sharedoutcomes.stars import sample_path
    >>> result = sharedoutcomes.convert(sample_path(), format="outcomes-star",
    ...                                 organisation_id="GB-SC-SC012345", today="2025-06-30")
    >>> result.ok, len(result.package.evidence)
    (True, 6)
    >>> result.package.evidence[0].instrument
    'outcomes-star/recovery-star/4'
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._optional import require
from sharedoutcomes._util.formulas import is_formula_like, quote
from sharedoutcomes.converters import ConversionResult, build_result
from sharedoutcomes.exceptions import ConversionError, Problem, UnknownOption
from sharedoutcomes.model import SCHEMA_VERSION, Evidence, Package
from sharedoutcomes.stars._convention import (
    EXTENSION,
    FORMAT,
    META_ROLES,
    PLACEHOLDER_ORGANISATION,
    converter_version,
)
from sharedoutcomes.stars._reader import ReadingStream
from sharedoutcomes.stars._registry import StarRegistry, registry

EXTENSION_DECLARATION: Final = {
    "name": EXTENSION,
    "version": "0.1",
    "description": "Outcomes Star reading metadata: Star, edition, reading number, worker, service, "
                   "organisation, status and completion type.",
}
"""How a package declares the ``outcomes-star`` extension its Star evidence uses."""

DEFAULT_SHARING_LEVEL: Final = "personal"
"""Star readings are about identifiable (if pseudonymised) people, so packages are ``personal`` by default."""

_READ_OPTIONS: Final = frozenset({
    "star", "edition", "column_map", "stars", "sheet", "organisation_id", "organisation_name", "sector",
    "sharing_level", "package_id", "title", "today", "source_system",
})
_WRITE_OPTIONS: Final = frozenset({"date_format", "stars"})

_INSTRUMENT: Final = re.compile(r"^outcomes-star/[^/]+/[^/]+$")

WIDE_HEADERS: Final = {
    "person": "Service user ID", "date": "Reading date", "star": "Star", "edition": "Edition",
    "reading_number": "Reading number", "worker": "Worker", "service": "Service", "organisation": "Organisation",
    "status": "Status", "completion_type": "Completion type",
}
"""The headings `OutcomesStarFormat.write` uses for the reading fields."""


def sample_path() -> Path:
    """
    The bundled sample: a small, fictional Star Online-style wide CSV of Recovery Star readings.

    Example:
        >>> sample_path().name
        'star-sample.csv'
    """
    return Path(__file__).resolve().parent.parent / "data" / "star-sample.csv"


def _check_options(options: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise UnknownOption("outcomes-star", unknown, accepted=sorted(allowed), when=what)


class ObjectStarFormat:
    """
    The ``outcomes-star`` format read by the object reader (`ReadingStream`): the reference route.

    `OutcomesStarFormat` is the format as registered; it takes a wide CSV export through the
    columnar reader when the ``columnar`` extra is installed, with a result equal to this one's,
    and leaves every other source to this class. The options are `OutcomesStarFormat`'s.

    Example:
        >>> ObjectStarFormat().extensions
        ('.csv', '.xlsx')
    """

    name = FORMAT
    description = "Outcomes Star reading exports (CSV or XLSX; wide or long layout)."
    extensions = (".csv", ".xlsx")

    def read(self, source: Any, **options: Any) -> ConversionResult:
        """
        Read a Star export into a package of assessment evidence; every problem is located.

        Raises:
            ConversionError: The file cannot be read, or is not a Star export at all.

        Example:
            >>> result = ObjectStarFormat().read(sample_path(), organisation_id="GB-SC-SC012345",
            ...                                    today="2025-06-30")
            >>> result.source_map["$.evidence[0].values[0].value"].column
            'H'
        """
        _check_options(options, _READ_OPTIONS, "reading")
        organisation_id = options.get("organisation_id")
        stream = ReadingStream(
            source, star=options.get("star"), edition=options.get("edition"),
            column_map=options.get("column_map"), stars=options.get("stars"), sheet=options.get("sheet"),
            organisation_id=organisation_id or PLACEHOLDER_ORGANISATION, today=options.get("today"),
            source_system=options.get("source_system"), converter_version=converter_version(), source_map=True,
        )
        evidence = list(stream)
        problems = list(stream.problems)
        if not organisation_id:
            problems.append(Problem(
                rule="star.no-organisation", severity="warning", path="$.publisher",
                message=f"no organisation_id= was given, so the package is published by the placeholder "
                        f"{PLACEHOLDER_ORGANISATION!r}; pass organisation_id= (an org-id such as GB-SC-SC012345) "
                        "and organisation_name="))
        document = package_document(
            evidence, file=stream.file, organisation_id=organisation_id or PLACEHOLDER_ORGANISATION,
            organisation_name=options.get("organisation_name"), sector=options.get("sector", "third"),
            sharing_level=options.get("sharing_level", DEFAULT_SHARING_LEVEL),
            package_id=options.get("package_id"), title=options.get("title"),
        )
        return build_result(document, format=self.name, problems=problems, source_map=stream.source_map,
                            coverage=stream.counter.coverage())

    def write(self, package: Package, destination: str | os.PathLike[str], **options: Any) -> None:
        """
        Write the package's Star readings in the wide layout: ``.xlsx`` → XLSX, otherwise CSV.

        Options:
            date_format: ``"iso"`` (2024-04-03, the default) or ``"uk"`` (03/04/2024) in CSV;
                XLSX always writes real date cells.
            stars: A `StarRegistry` (or Star file path) for the area order of non-built-in Stars.

        Raises:
            ConversionError: The package holds no Outcomes Star readings.

        Example:
            >>> import tempfile, pathlib
            >>> result = ObjectStarFormat().read(sample_path(), organisation_id="GB-SC-SC012345",
            ...                                    today="2025-06-30")
            >>> target = pathlib.Path(tempfile.mkdtemp()) / "readings.csv"
            >>> ObjectStarFormat().write(result.package, target)
            >>> target.read_text(encoding="utf-8-sig").splitlines()[0][:44]
            'Service user ID,Reading date,Star,Edition,Re'
        """
        _check_options(options, _WRITE_OPTIONS, "writing")
        date_format = options.get("date_format", "iso")
        if date_format not in {"iso", "uk"}:
            msg = f"date_format must be 'iso' or 'uk', not {date_format!r}"
            raise ValueError(msg)
        stars = options.get("stars")
        star_registry = stars if isinstance(stars, StarRegistry) else registry().with_file(stars) if stars \
            else registry()
        header, rows = wide_rows(package.evidence, star_registry)
        path = Path(destination)
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            _write_xlsx(path, header, rows)
        else:
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                out = csv.writer(handle)
                out.writerow(header)
                for row in rows:
                    out.writerow([_csv_cell(cell, date_format) for cell in row])


def package_document(
    evidence: list[dict[str, Any]],
    *,
    file: str,
    organisation_id: str,
    organisation_name: str | None = None,
    sector: str = "third",
    sharing_level: str = DEFAULT_SHARING_LEVEL,
    package_id: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The minimal valid package around converted Star evidence."""
    stem = "-".join(part for part in "".join(c if c.isalnum() else " " for c in Path(file).stem.lower()).split())
    produced = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return {
        "schema_version": SCHEMA_VERSION,
        "id": package_id or f"outcomes-star-{stem or 'export'}",
        "title": title or f"Outcomes Star readings from {file}",
        "publisher": organisation_id,
        "produced": produced,
        "sharing_level": sharing_level,
        "extensions": [dict(EXTENSION_DECLARATION)],
        "organisations": [{"id": organisation_id, "name": organisation_name or organisation_id, "sector": sector}],
        "evidence": evidence,
    }


def wide_rows(evidence: Iterable[Evidence], stars: StarRegistry | None = None) -> tuple[list[str], list[list[Any]]]:
    """
    The wide layout of the Star readings among *evidence*: a header and one row per reading.

    Area columns follow each edition's order, shared between editions whose labels match.

    Raises:
        ConversionError: No evidence is an Outcomes Star reading.

    Example:
        >>> import sharedoutcomes
        >>> result = sharedoutcomes.convert(sample_path(), format="outcomes-star", today="2025-06-30")
        >>> header, rows = wide_rows(result.package.evidence)
        >>> header[10:12], rows[0][:2]
        (['Managing mental health', 'Physical health'], ['RS-0001', datetime.date(2024, 4, 3)])
    """
    stars = stars or registry()
    readings = [e for e in evidence if _INSTRUMENT.match(e.instrument or "")]
    if not readings:
        msg = "the package holds no Outcomes Star readings (evidence with instrument 'outcomes-star/<star>/<edition>')"
        raise ConversionError(msg)
    areas: dict[str, str] = {}  # normalised label -> column heading
    for reading in readings:
        _, star_id, edition = (reading.instrument or "").split("/", 2)
        try:
            known = stars.get(star_id, edition)
            labels = [(a.label, a.code) for a in known.areas]
        except LookupError:
            labels = []
        for value in reading.values:
            labels.append((value.label or value.code, value.code))
        for label, _code in labels:
            areas.setdefault(label.casefold(), label)
    header = [*WIDE_HEADERS.values(), *areas.values()]
    columns = {key: i for i, key in enumerate(areas, start=len(WIDE_HEADERS))}
    rows = []
    for reading in readings:
        _, star_id, edition = (reading.instrument or "").split("/", 2)
        meta = dict(reading.extension_data.get(EXTENSION, {}))
        try:
            star_name = stars.get(star_id, edition).name
        except LookupError:
            star_name = star_id
        row: list[Any] = [None] * len(header)
        row[0] = reading.subject.id if reading.subject else None
        row[1] = reading.date
        row[2] = star_name
        row[3] = edition
        for i, role in enumerate(META_ROLES, start=4):
            row[i] = meta.get(role)
        for value in reading.values:
            row[columns[(value.label or value.code).casefold()]] = value.value
        rows.append(row)
    return header, rows


def _csv_cell(cell: Any, date_format: str) -> Any:
    if isinstance(cell, dt.date):
        return cell.strftime("%d/%m/%Y") if date_format == "uk" else cell.isoformat()
    if isinstance(cell, str):
        return quote(cell)  # never a live formula in a spreadsheet (OWASP CSV injection): '=1+1
    return "" if cell is None else cell


def _write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    require("openpyxl", extra="xlsx", purpose="writing XLSX Star exports")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Star readings"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str) and is_formula_like(cell.value):
                cell.data_type = "s"  # text, never a formula (OWASP CSV injection); Excel shows it as typed
                cell.quotePrefix = True
    for index, title in enumerate(header, start=1):
        letter = get_column_letter(index)
        longest = max([len(title), *(len(str(row[index - 1])) for row in rows[:200] if row[index - 1] is not None)])
        sheet.column_dimensions[letter].width = max(8, min(40, longest + 2))
        if index in {4, 5} or index > len(WIDE_HEADERS):  # edition, reading number, scores
            for cell in sheet[letter]:
                cell.alignment = Alignment(horizontal="center")
        if index == 2:
            sheet.column_dimensions[letter].width = 13
            for cell in sheet[letter][1:]:
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "B2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    book.save(path)
