"""
Columnar validation of bulk evidence against pydantic v2 on the same records, in one run.

    .venv/bin/python benchmarks/bench_columnar_validate.py                    # 200,000 evidence × 10 values
    .venv/bin/python benchmarks/bench_columnar_validate.py --records 20000 --repeat 3

The records are Outcomes Star readings as the Star converter writes them (a person, ten area
scores on a 1–10 scale, the instrument, consent, provenance and the reading's metadata under
``extension_data``), all valid. Both sides check the same records:

- pydantic v2: ``TypeAdapter(list[Evidence]).validate_python`` over the records as dicts, with
  a model carrying the schema's constraints (enums, patterns, minimum lengths, ranges,
  ``extra="forbid"``); it checks the schema only;
- ``sharedoutcomes.columnar.validate`` over the same records as Arrow tables: the schema's
  constraints and every semantic rule on evidence (references, scales, instruments, personal
  data, free text …), as `sharedoutcomes.validate` reports them.

Making the tables (``from_package``) is a reader's work and is timed on its own line, not in
the validation. The garbage collector is in the same state on both sides: both with it on (as
callers have it), then both with it paused around the call by this script (never by the
library). Wall-clock and CPU time are both reported: the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The pydantic v2 model of evidence is load_validate's (this folder is on sys.path when a script here runs).
from load_validate import PEvidence
from pydantic import (
    TypeAdapter,
)

import sharedoutcomes
from sharedoutcomes import columnar
from sharedoutcomes.model import Package

HERE = Path(__file__).parent
DATA = HERE / "_data"

AREAS = ("managing-mental-health", "physical-health", "living-skills", "friends-and-community", "use-of-time",
         "relationships", "addictive-behaviour", "home", "identity-and-self-esteem", "trust-and-hope")

# -- the records ----------------------------------------------------------------------------------------


def generate(records: int, seed: int = 13) -> dict[str, Any]:
    """A valid package of *records* Recovery Star readings, ten areas each."""
    rng = random.Random(seed)
    start = dt.date(2023, 4, 1)
    people = [f"P-{rng.getrandbits(24):06X}" for _ in range(max(1, records // 6))]
    evidence = []
    for i in range(records):
        reading = 1 + i % 6
        evidence.append({
            "id": f"ev-{i:07d}", "kind": "assessment", "summary": f"Recovery Star reading {reading}",
            "date": (start + dt.timedelta(days=rng.randrange(700))).isoformat(),
            "subject": {"type": "person", "id": rng.choice(people)}, "activity_id": "act-1",
            "collected_by": "GB-SC-SC012345", "method": "Keyworker review with the person",
            "instrument": "outcomes-star/recovery-star/4",
            "values": [{"code": area, "value": rng.randint(1, 10), "scale_min": 1, "scale_max": 10} for area in AREAS],
            "consent": "given", "sensitivity": "personal", "purpose": "both",
            "provenance": {"source_system": "Star Online", "original_format": "outcomes-star",
                           "file": "star-export.csv", "row": 2 + i, "converted_by": "outcomes-star",
                           "converter_version": "0.2.0"},
            "extension_data": {"outcomes-star": {"star": "recovery-star", "edition": "4", "reading_number": reading,
                                                 "status": "approved"}},
        })
    return {
        "schema_version": "0.2", "id": "star-benchmark", "title": "Recovery Star readings (benchmark)",
        "publisher": "GB-SC-SC012345", "produced": "2025-05-14T10:30:00Z", "sharing_level": "personal",
        "extensions": [{"name": "outcomes-star", "version": "0.1"}],
        "organisations": [{"id": "GB-SC-SC012345", "name": "Garnock Valley Men's Shed", "sector": "third"}],
        "activities": [{"id": "act-1", "title": "Recovery support",
                        "participants": [{"organisation_id": "GB-SC-SC012345", "role": "lead"}]}],
        "evidence": evidence,
    }


def tables_for(document: dict[str, Any], records: int) -> tuple[columnar.EvidenceTables, float]:
    """The document's tables (cached as Parquet under benchmarks/_data/), and the seconds from_package took."""
    folder = DATA / f"columnar-star-{records}"
    package = sharedoutcomes.from_json_data(document, Package)
    began = time.perf_counter()
    tables = columnar.from_package(package)
    took = time.perf_counter() - began
    tables.write_parquet(folder)
    return columnar.read_parquet(folder), took


# -- measuring -------------------------------------------------------------------------------------------


def _timed(function: Callable[[], Any], *, paused: bool) -> tuple[float, float]:
    gc.collect()
    was = gc.isenabled()
    if paused:
        gc.disable()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        if was:
            gc.enable()


def compare_engines(tables: columnar.EvidenceTables, repeat: int) -> None:
    """The prototype rule set (scales, an indicator reference, duplicate ids) in Polars and in DuckDB SQL."""
    import duckdb
    import polars as pl

    values = tables.values.select(["value_int", "value_float", "scale_min_int", "scale_min_float", "scale_max_int",
                                   "scale_max_float", "indicator_id"])  # the columns the rules read, on both sides
    evidence = tables.evidence.select(["id"])
    indicators = ["ind-1", "ind-2"]

    def polars_rules() -> int:
        v = pl.from_arrow(values, rechunk=False)
        number = pl.coalesce(pl.col("value_int").cast(pl.Float64), pl.col("value_float"))
        low = pl.coalesce(pl.col("scale_min_int").cast(pl.Float64), pl.col("scale_min_float"))
        high = pl.coalesce(pl.col("scale_max_int").cast(pl.Float64), pl.col("scale_max_float"))
        bad = v.with_row_index("row").filter(
            (number < low) | (number > high)
            | (pl.col("indicator_id").is_not_null() & ~pl.col("indicator_id").is_in(indicators))).select("row")
        repeats = pl.from_arrow(evidence).with_row_index("row").filter(pl.col("id").is_duplicated()).select("row")
        return bad.height + repeats.height

    def duckdb_rules() -> int:
        con = duckdb.connect()
        con.register("v", values)
        con.register("e", evidence)
        bad = con.execute(
            "select count(*) from (select row_number() over () as r, * from v) where "
            "coalesce(value_int::double, value_float) < coalesce(scale_min_int::double, scale_min_float) or "
            "coalesce(value_int::double, value_float) > coalesce(scale_max_int::double, scale_max_float) or "
            "(indicator_id is not null and indicator_id not in ('ind-1', 'ind-2'))").fetchone()
        repeats = con.execute("select count(*) from e where id in (select id from e group by id having count(*) > 1)"
                              ).fetchone()
        return int(bad[0] if bad else 0) + int(repeats[0] if repeats else 0)

    print("| engine | median wall s | median CPU s |")
    print("|---|---:|---:|")
    for name, function in (("Polars", polars_rules), ("DuckDB", duckdb_rules)):
        function()
        runs = [_timed(function, paused=False) for _ in range(repeat)]
        print(f"| {name} | {statistics.median(w for w, _ in runs):.3f} | {statistics.median(c for _, c in runs):.3f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", action="store_true",
                        help="time the prototype rule set in Polars and in DuckDB SQL instead")
    args = parser.parse_args(argv)
    document = generate(args.records)
    evidence = document["evidence"]
    tables, made = tables_for(document, args.records)
    if args.engines:
        compare_engines(tables, args.repeat)
        return 0
    adapter = TypeAdapter(list[PEvidence])
    report = columnar.validate(tables)
    assert report.problems == (), report.problems[:3]
    adapter.validate_python(evidence[:100])
    sides: dict[str, Callable[[], Any]] = {
        "pydantic v2 validate_python": lambda: adapter.validate_python(evidence),
        "columnar.validate": lambda: columnar.validate(tables),
    }
    print(f"{args.records:,} evidence records, {tables.values.num_rows:,} values; from_package took {made:.2f} s "
          "(not part of the validation)")
    print("| collector | method | median wall s | median CPU s | records/s (wall) | records/s (CPU) | × pydantic (CPU) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for paused in (False, True):
        rows = {}
        for name, function in sides.items():
            runs = [_timed(function, paused=paused) for _ in range(args.repeat)]
            rows[name] = (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        base = rows["pydantic v2 validate_python"][1]
        for name, (wall, cpu) in rows.items():
            print(f"| {'paused' if paused else 'on'} | {name} | {wall:.3f} | {cpu:.3f} | {args.records / wall:,.0f} | "
                  f"{args.records / cpu:,.0f} | {base / cpu:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
