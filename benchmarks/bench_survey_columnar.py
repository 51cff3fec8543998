"""
A survey export CSV of WEMWBS responses into validated Arrow evidence, beside ``pandas.read_csv`` and ``polars.read_csv``.

    .venv/bin/python benchmarks/bench_survey_columnar.py                       # 200,000 responses
    .venv/bin/python benchmarks/bench_survey_columnar.py --rows 1000000        # a million
    .venv/bin/python benchmarks/bench_survey_columnar.py --baseline /tmp/base/src

Each measurement runs in its own subprocess (so that its peak resident memory, ``ru_maxrss``, is
its own), after the imports it needs, with the garbage collector as Python leaves it; each is run
``--repeat`` times (3 by default, interleaved) and the median wall and CPU times are reported.

- ``pandas``, ``polars``: ``read_csv`` of the same file (no checks: the floor of a columnar parse; Polars
  reads every column as text, as it refuses "often" in a column it has inferred numbers for).
- ``reader``: `sharedoutcomes.surveys._columnar.read_columnar` (what ``columnar.convert`` uses for
  ``survey``): every batch of tables, every problem located, duplicates and conflicts across rows.
- ``convert``: `sharedoutcomes.columnar.convert(..., format="survey")`: the reader, each batch
  validated as it comes (the instrument checks included), the batches concatenated.
- ``iter_convert``: `sharedoutcomes.columnar.iter_convert`, the batches validated and let go one by
  one, at a fifth of the rows and at all of them (flat memory: the same peak RSS for both).
- ``object``: ``sharedoutcomes.convert(..., format="survey")`` to a validated package, on 20,000 responses.
- with ``--baseline SRC``, ``convert`` and ``iter_convert`` once more with the package under *SRC*
  (an earlier commit: there, ``columnar.convert`` of a survey read it with the object converter and
  laid its package out as tables), each beside its own measurement, the two in turn first.

The export has a person id, a date, the 14 WEMWBS items and the recorded total; one row in a hundred
is messy (a text answer, an impossible date, no person id, an exact repeat, a total that disagrees),
and a sparse comments column is not read. It is generated into ``benchmarks/_data/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from bench_star_columnar import interleaved  # noqa: E402
from star_import import head_file  # noqa: E402

DATA = HERE / "_data"
OPTIONS: dict[str, Any] = {"organisation_id": "GB-SC-SC099001", "today": "2025-12-31"}


def generate(rows: int, seed: int = 7) -> Path:
    """The export of *rows* responses (two a person), written once."""
    path = DATA / f"survey-wemwbs-{rows}.csv"
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Person ID", "Date", *(f"WEMWBS {i}" for i in range(1, 15)), "WEMWBS total", "Comments"])
        last: list[Any] = []
        for n in range(rows):
            person, number = divmod(n, 2)
            day = dt.date(2022, 1, 1) + dt.timedelta(days=(person * 37) % 900 + 180 * number)
            answers: list[Any] = [rng.randint(1, 5) for _ in range(14)]
            total: Any = sum(answers)
            row = [f"P-{person:07d}", day.strftime("%d/%m/%Y"), *answers, total,
                   "came with a friend" if rng.random() < 0.05 else ""]
            odd = rng.random()
            if odd < 0.002:
                row[2 + rng.randrange(14)] = "often"
            elif odd < 0.004:
                row[1] = "31/02/2024"
            elif odd < 0.006:
                row[0] = ""
            elif odd < 0.008 and last:
                row = last
            elif odd < 0.010:
                row[16] = total + 3
            writer.writerow(row)
            last = row
    return path


def _measure(fn: Any) -> dict[str, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    count, problems = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"count": count, "problems": problems, "wall_s": wall, "cpu_s": cpu, "peak_rss_mib": peak_kib / 1024}


def phase(name: str, path: Path) -> dict[str, Any]:
    """One measurement (run inside a child process)."""
    if name == "pandas":
        import pandas as pd

        return _measure(lambda: (len(pd.read_csv(path)), 0))
    if name == "polars":
        import polars as pl

        return _measure(lambda: (len(pl.read_csv(path, infer_schema=False)), 0))  # "often" in a number column
    import numpy  # noqa: F401  # imported before the clock starts, as pandas and polars are above
    import pandas  # noqa: F401  # pyarrow imports it on its first conversion of a Python sequence
    import polars  # noqa: F401
    import pyarrow
    import pyarrow.compute
    import pyarrow.csv  # noqa: F401

    import sharedoutcomes
    from sharedoutcomes import columnar

    if name == "reader":
        from sharedoutcomes.surveys._columnar import read_columnar

        def run() -> tuple[int, int]:
            read = read_columnar(path, **OPTIONS)
            count = problems = 0
            for batch in read:
                count += batch.evidence.num_rows
                problems += len(batch.problems)
            return count, problems + len(read.problems) + len(read.leading_problems)

        return _measure(run)
    if name == "convert":
        def convert_tables() -> tuple[int, int]:
            result = columnar.convert(path, format="survey", **OPTIONS)
            return int(result.evidence.num_rows), len(result.problems)

        return _measure(convert_tables)
    if name == "iter_convert":
        def stream_validated() -> tuple[int, int]:
            stream = columnar.iter_convert(path, format="survey", **OPTIONS)
            count = sum(batch.evidence.num_rows for batch in stream)  # each batch dropped once counted
            return count, len(stream.problems)

        return _measure(stream_validated)
    if name == "object":
        def convert() -> tuple[int, int]:
            result = sharedoutcomes.convert(path, format="survey", **OPTIONS)
            return len(result.package.evidence), len(result.problems)

        return _measure(convert)
    raise SystemExit(f"unknown phase {name}")


def child(name: str, path: Path, source: str | None = None) -> dict[str, Any]:
    env = None if source is None else {**os.environ, "PYTHONPATH": source}
    output = subprocess.run([sys.executable, __file__, "--phase", name, "--path", str(path)],
                            check=True, capture_output=True, text=True, env=env).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is reported)")
    parser.add_argument("--baseline", metavar="SRC", help="also time the sharedoutcomes package under SRC")
    parser.add_argument("--phase")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, Path(args.path))))
        return
    rows = args.rows
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    full = generate(rows)
    fifth = head_file(full, rows // 5)
    small = head_file(full, 20_000)
    print(f"data: {full.name} ({full.stat().st_size / 2**20:.1f} MiB)", flush=True)
    plan: list[tuple[str, Path, int, str | None]] = [
        ("pandas", full, rows, None), ("polars", full, rows, None), ("reader", full, rows, None),
        ("convert", full, rows, None), ("iter_convert", fifth, rows // 5, None), ("iter_convert", full, rows, None),
        ("object", small, 20_000, None), ("convert", small, 20_000, None)]
    if args.baseline:
        for step in [("convert", full, rows, None), ("iter_convert", fifth, rows // 5, None),
                     ("iter_convert", full, rows, None), ("convert", small, 20_000, None)]:
            plan.insert(plan.index(step) + 1, (*step[:3], args.baseline))
    results = interleaved(plan, args.repeat, child)
    print(f"\nmedians of {args.repeat} runs each")
    print("\n| measurement | responses | problems | wall s | CPU s | responses/s (CPU) | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key, r in results.items():
        print(f"| {key} | {r['count']:,} | {r['problems']:,} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | "
              f"{r['count'] / r['cpu_s']:,.0f} | {r['peak_rss_mib']:.0f} |")
    pandas, polars = results[f"pandas@{rows}"], results[f"polars@{rows}"]
    for key in (f"reader@{rows}", f"convert@{rows}", f"convert@{rows} (baseline)"):
        if key in results:
            r = results[key]
            print(f"{key} / pandas.read_csv: {r['cpu_s'] / pandas['cpu_s']:.1f}x (CPU), "
                  f"{r['wall_s'] / pandas['wall_s']:.1f}x (wall); / polars.read_csv: "
                  f"{r['cpu_s'] / polars['cpu_s']:.1f}x (CPU)")
    if args.baseline:
        for size in (20_000, rows):
            now, before = results[f"convert@{size}"], results[f"convert@{size} (baseline)"]
            print(f"convert@{size:,}: {before['cpu_s'] / now['cpu_s']:.1f}x less CPU than the baseline "
                  f"({now['cpu_s']:.2f} against {before['cpu_s']:.2f} s)")
    for suffix in ("", " (baseline)"):
        low, high = results.get(f"iter_convert@{rows // 5}{suffix}"), results.get(f"iter_convert@{rows}{suffix}")
        if low and high:
            print(f"iter_convert{suffix} peak RSS: {low['peak_rss_mib']:.0f} MiB at {rows // 5:,} responses, "
                  f"{high['peak_rss_mib']:.0f} MiB at {rows:,}")


if __name__ == "__main__":
    main()
