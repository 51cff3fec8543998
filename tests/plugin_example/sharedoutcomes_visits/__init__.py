"""
A befriending service's visit log as a sharedoutcomes format: the example plugin.

The log is a CSV file with the columns ``visit,date,person,minutes``: one row a visit.
Each visit becomes one piece of evidence (kind ``count``) about a pseudonymous person,
with the minutes spent as its value. Bad cells become problems that name the row and
column, as every converter's must.
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib.resources import files
from pathlib import Path
from typing import Any

from sharedoutcomes import Problem, SourceLocation
from sharedoutcomes.converters import ConversionResult, build_result

__all__ = ["PROBLEMS", "VisitsCsvFormat"]

COLUMNS = ("visit", "date", "person", "minutes")

PROBLEMS = files(__name__).joinpath("problems.toml")
"""The problems this format reports (``visits.*``), registered under ``sharedoutcomes.problems``."""


class VisitsCsvFormat:
    """The ``visits-csv`` format: reads visit logs, writes blank templates."""

    name = "visits-csv"
    description = "A befriending service's visit log (CSV: visit, date, person, minutes)."
    extensions = (".csv",)
    template_formats = ("csv",)

    def read(self, source: Any, *, organisation: str = "GB-SC-SC099999",
             organisation_name: str = "Irvine Befriending Service", **options: Any) -> ConversionResult:
        """Read a visit log; *organisation* is the org-id of the service that keeps it."""
        if options:
            msg = f"unknown options: {', '.join(sorted(options))}"
            raise TypeError(msg)
        path = Path(source)
        problems: list[Problem] = []
        source_map: dict[str, SourceLocation] = {}
        evidence: list[dict[str, Any]] = []
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row_number, row in enumerate(csv.DictReader(handle), start=2):
                where = SourceLocation(file=path.name, row=row_number)
                try:
                    minutes = int(row["minutes"])
                    day = dt.date.fromisoformat(row["date"]).isoformat()
                except (KeyError, TypeError, ValueError) as error:
                    problems.append(Problem(rule="visits.bad-row", severity="error", path="$.evidence",
                                            message=f"the row cannot be read ({error}); it was left out",
                                            source=where))
                    continue
                index = len(evidence)
                source_map[f"$.evidence[{index}]"] = where
                evidence.append({
                    "id": f"visit-{row['visit']}",
                    "kind": "count",
                    "date": day,
                    "subject": {"type": "person", "id": row["person"]},
                    "collected_by": organisation,
                    "values": [{"code": "minutes", "value": minutes, "unit": "minutes"}],
                    "provenance": {"original_format": self.name, "file": path.name, "row": row_number},
                })
        document = {
            "schema_version": "0.2",
            "id": f"visits-{path.stem}",
            "title": f"Visits: {path.stem}",
            "publisher": organisation,
            "produced": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sharing_level": "personal",
            "organisations": [{"id": organisation, "name": organisation_name, "sector": "third"}],
        }
        if evidence:
            document["evidence"] = evidence
        return build_result(document, format=self.name, problems=problems, source_map=source_map)

    def template(self, path: Path, format: str = "csv") -> None:
        """Write a blank visit log with its header row."""
        Path(path).write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
