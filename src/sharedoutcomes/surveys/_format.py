"""The ``survey`` format: survey exports (CSV or XLSX, one row per response) in, as evidence."""

from __future__ import annotations

import datetime as dt
from os import PathLike
from pathlib import Path
from typing import Any, Final

from sharedoutcomes.converters import ConversionResult, build_result
from sharedoutcomes.instruments import Instrument, InstrumentRegistry, registry
from sharedoutcomes.model import SCHEMA_VERSION
from sharedoutcomes.problems import Problem
from sharedoutcomes.surveys._reader import read_responses
from sharedoutcomes.surveys._table import read_date

__all__ = ["PLACEHOLDER_ORGANISATION", "Settings", "SurveyFormat"]

PLACEHOLDER_ORGANISATION: Final = "XX-UNKNOWN-survey-export"
"""The publisher used when no ``organisation_id=`` is given (reported as ``survey.no-organisation``)."""

_READ_OPTIONS: Final = frozenset({
    "instrument", "column_map", "sheet", "instruments", "organisation_id", "organisation_name", "sector",
    "sharing_level", "package_id", "title", "today", "profile",
})


def _name(source: Any) -> str:
    if isinstance(source, str | PathLike):
        return Path(source).name
    return Path(str(getattr(source, "name", "") or "survey.csv")).name


def _today(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    parsed = read_date(str(value))
    if parsed is None:
        raise ValueError(f"today= must be a date, not {str(value)[:40]!r}")
    return parsed


class SurveyFormat:
    r"""
    Survey exports: one row per response, a person id, a date and the item columns of one instrument.

    Options for `read`:
        instrument: The instrument's id or name; detected from the headings when not given.
        column_map: Field → heading, for headings the reader does not know: fields are
            ``person``, ``date``, item codes (``swemwbs-3``), ``total`` and ``metric``.
        sheet: The XLSX sheet (the first by default).
        instruments: An `InstrumentRegistry` with your own instruments.
        organisation_id, organisation_name, sector: Who collected the responses (the publisher).
        sharing_level: ``personal`` by default: responses are about identifiable people.
        package_id, title, today: The package's id and title; today's date (for future dates).
        profile: A validation profile that re-grades problems.

    Example:
        >>> import io
        >>> text = b"Client ref,Date,Satis,Worth,Happy,Anxious\nSP-0001,02/05/2024,6,7,5,8\n"
        >>> result = SurveyFormat().read(io.BytesIO(text), organisation_id="GB-SC-SC012345")
        >>> result.package.evidence[0].instrument, result.package.evidence[0].values[3].value
        ('ons4', 8)
        >>> str(result.source_map["$.evidence[0].values[3].value"])
        "survey.csv, row 2, column F ('Anxious')"
    """

    name = "survey"
    description = "Survey exports (CSV or XLSX, one row per response) of WEMWBS, SWEMWBS, ONS4, UCLA-3, GAD-7, PHQ-9 …"
    extensions = (".csv", ".xlsx")

    def read(self, source: Any, **options: Any) -> ConversionResult:
        """
        Read a survey export into a package of survey evidence; every cell is accounted for.

        Raises:
            ConversionError: The file cannot be read at all.
            UnknownName: ``instrument=`` names no registered instrument.
        """
        settings = Settings(source, options)
        found = read_responses(source, file=settings.file, known=settings.known, instrument=settings.instrument,
                               column_map=options.get("column_map"), sheet=options.get("sheet"),
                               today=settings.today)
        problems = [*found.problems, *settings.format_problems()]
        for evidence in found.evidence:
            evidence["collected_by"] = settings.publisher
        document = settings.document()
        if found.evidence:
            document["evidence"] = found.evidence
        return build_result(document, format=self.name, problems=problems, source_map=found.source_map,
                            profile=options.get("profile"), coverage=found.coverage)


class Settings:
    """
    The ``survey`` format's options, checked and worked out once (for `SurveyFormat.read` and the columnar reader).

    Raises:
        TypeError: An option the format does not take.
        UnknownName: ``instrument=`` names no registered instrument.
        ValueError: ``today=`` is not a date.
    """

    def __init__(self, source: Any, options: dict[str, Any]) -> None:
        unknown = sorted(set(options) - _READ_OPTIONS)
        if unknown:
            msg = (f"the 'survey' format does not take {', '.join(map(repr, unknown))} when reading "
                   f"(it takes: {', '.join(sorted(_READ_OPTIONS))})")
            raise TypeError(msg)
        self.options = options
        self.known: InstrumentRegistry = options.get("instruments") or registry()
        chosen = options.get("instrument")
        self.instrument: Instrument | None = self.known.get(chosen) if isinstance(chosen, str) else chosen
        self.file = _name(source)
        self.today = _today(options.get("today"))
        self.organisation_id: str | None = options.get("organisation_id")
        self.publisher: str = self.organisation_id or PLACEHOLDER_ORGANISATION

    def format_problems(self) -> list[Problem]:
        """The format's own problems, after the reader's: the placeholder publisher, when no organisation was given."""
        if self.organisation_id:
            return []
        return [Problem(
            rule="survey.no-organisation", severity="warning", path="$.publisher",
            message=f"no organisation_id= was given, so the package is published by the placeholder "
                    f"{PLACEHOLDER_ORGANISATION!r}; pass organisation_id= (an org-id such as GB-SC-SC012345)")]

    def document(self) -> dict[str, Any]:
        """The package around the evidence (without ``evidence``)."""
        options, publisher = self.options, self.publisher
        stem = "-".join("".join(c if c.isalnum() else " " for c in Path(self.file).stem.lower()).split()) or "export"
        return {
            "schema_version": SCHEMA_VERSION,
            "id": options.get("package_id") or f"survey-{stem}",
            "title": options.get("title") or f"Survey responses from {self.file}",
            "publisher": publisher,
            "produced": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "sharing_level": options.get("sharing_level", "personal"),
            "organisations": [{"id": publisher, "name": options.get("organisation_name") or publisher,
                               "sector": options.get("sector", "third")}],
        }
