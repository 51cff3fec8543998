"""
Time pseudonymising an export, publishing a package, and the free-text rule.

Usage: .venv/bin/python benchmarks/bench_privacy.py [N_PEOPLE]   (default: 10000)

Writes a wide Star export of N people with four readings each (CHI number, name, date of birth,
postcode, notes) and times `pseudonymise_file` on it; converts it and times `publishable`; then
times `validate` on a partners package of N case studies with and without the free-text rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import sharedoutcomes
from sharedoutcomes._util.identifiers import mod11_check_digit
from sharedoutcomes.privacy import Pseudonymiser, pseudonymise_file, publishable
from sharedoutcomes.serialization import to_json_data
from sharedoutcomes.validation import _freetext, _rules

AREAS = ["Managing mental health", "Physical health", "Living skills", "Friends and community", "Use of time",
         "Relationships", "Addictive behaviour", "Home", "Identity and self-esteem", "Trust and hope"]


def chi(n: int) -> str:
    born = dt.date(1940, 1, 1) + dt.timedelta(days=n % 25000)
    for seq in range(1000):
        nine = born.strftime("%d%m%y") + f"{(n + seq) % 1000:03d}"
        digit = mod11_check_digit(nine)
        if digit is not None:
            return nine + str(digit)
    raise AssertionError


def export(path: Path, people: int) -> int:
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["CHI Number", "Forename", "Surname", "Date of Birth", "Postcode", "Star", "Edition",
                         "Reading Date", "Reading Number", "Worker", "Status", *AREAS, "Notes"])
        for n in range(people):
            number = chi(n)
            for r in range(4):
                writer.writerow([f"{number[:3]} {number[3:6]} {number[6:]}", "Ann", "Smith",
                                 f"{number[:2]}/{number[2:4]}/19{number[4:6]}", "KA12 8RT", "Recovery Star", "4",
                                 f"{1 + r * 7:02d}/0{1 + r * 2}/2024", r + 1, f"W-{n % 40:03d}", "Approved",
                                 *[(n + r + a) % 10 + 1 for a in range(10)], "call 07700 900123" if n % 50 == 0 else ""])
                rows += 1
    return rows


def timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main(people: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source, shared = Path(tmp) / "export.csv", Path(tmp) / "shared.csv"
        rows = export(source, people)
        print(f"{people} people, {rows} readings")
        timed(f"pseudonymise_file ({rows} rows)", pseudonymise_file, source, shared,
              Pseudonymiser(b"k" * 32, organisation="GB-SC-SC000001"))
        package = sharedoutcomes.convert(shared, format="outcomes-star", organisation_id="GB-SC-SC000001",
                                         column_map={"person": "CHI Number"}, today="2025-06-30").package
        timed(f"publishable ({len(package.evidence)} readings)", publishable, package, produced="2025-06-30T00:00:00Z")
    data = to_json_data(sharedoutcomes.example_package())
    case = next(e for e in data["evidence"] if e["id"] == "ev-shed-case")
    data["evidence"] = [{**case, "id": f"ev-case-{n}", "narrative": case["narrative"] + f" Seen {n % 28 + 1} May 2024."}
                        for n in range(people)]
    timed(f"validate, partners, {people} case studies", sharedoutcomes.validate, data, fast=False)
    checks = _rules._CHECKS
    _rules._CHECKS = tuple(c for c in checks if c.__name__ != "<lambda>")
    try:
        timed("  the same without the free-text rule", sharedoutcomes.validate, data, fast=False)
    finally:
        _rules._CHECKS = checks
    timed("  the free-text rule alone", lambda: list(_freetext.check_free_text(data)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
