"""
Rebuild the INDIGO fixtures from GO Lab's published flat tables (see README.md here).

    python tests/indigo/data/build.py /path/to/all-data-by-type

It keeps the rows of the projects in PROJECTS (and the organisations they name) from every table,
exactly as published (bytes of each kept row unchanged), and writes the Norfolk Carers Partnership's
project as INDIGO project JSON (the shape of INDIGO's API) for the sample shipped with the library.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECTS = ("INDIGO-POJ-0001", "INDIGO-POJ-0120", "INDIGO-POJ-0200", "INDIGO-POJ-0228")
SAMPLE = "INDIGO-POJ-0200"
TABLES = ("projects", "organisations", "projects_outcome_metrics", "projects_results", "projects_outcome_payments",
          "projects_service_provisions", "projects_delivery_locations", "projects_outcome_payment_commitments",
          "projects_investments", "projects_intermediary_services", "projects_outcome_payment_plans",
          "projects_outcome_pricings", "projects_sources", "projects_documents", "projects_outcome_funds")


def main(folder: Path) -> None:
    out = HERE / "flat"
    out.mkdir(exist_ok=True)
    named: set[str] = set()
    for table in TABLES:
        if table == "organisations":
            continue
        text = (folder / f"original_{table}.csv").read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        key = rows[0].index("ID" if table == "projects" else "Project ID")
        kept = [rows[0]] + [r for r in rows[1:] if r and r[key] in PROJECTS]
        for row in kept[1:]:
            for cell in row:
                named.update(part.strip() for part in cell.split(",") if part.strip().startswith("INDIGO-ORG-"))
        _write(out / f"{table}.csv", kept)
    rows = list(csv.reader(io.StringIO((folder / "original_organisations.csv").read_text(encoding="utf-8"))))
    kept = [rows[0]] + [r for r in rows[1:] if r and r[0] in named]
    contact = [i for i, title in enumerate(rows[0]) if title.startswith("Contact - ")]
    marked = False
    for row in kept[1:]:  # people's contact details are never copied; one stand-in marks where they were
        had = any(row[i].strip() for i in contact)
        for i in contact:
            row[i] = ""
        if had and not marked:
            row[contact[0]] = "(a person's name, removed from the fixture)"
            marked = True
    _write(out / "organisations.csv", kept)


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def sample() -> None:
    """The sample project JSON, from the flat fixtures, through the library's own table reader."""
    sys.path.insert(0, str(HERE.parents[2] / "src"))
    from sharedoutcomes.indigo import schema, schema_errors
    from sharedoutcomes.indigo._export import _conform
    from sharedoutcomes.indigo._tables import read_tables
    from sharedoutcomes.indigo._values import nest

    tables = read_tables(HERE / "flat", {SAMPLE})
    leaves = dict(tables.projects[SAMPLE].leaves)
    data = _conform(nest(leaves), schema())  # numbers as numbers, as INDIGO's API gives them
    assert schema_errors(data) == [], schema_errors(data)[:3]
    assert _count(data) == len(leaves), "a value did not fit INDIGO's schema: the sample would lose it"
    document = {"project": {"id": SAMPLE, "data": data}}
    target = HERE.parents[2] / "src" / "sharedoutcomes" / "indigo" / "data" / "indigo-norfolk-carers.json"
    target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _count(node: object) -> int:
    if isinstance(node, dict):
        return sum(_count(v) for v in node.values())
    if isinstance(node, list):
        return sum(_count(v) for v in node)
    return 1


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    sample()
