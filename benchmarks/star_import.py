"""
Import a 1,000,000-reading wide Outcomes Star CSV, and compare with ``pandas.read_csv``, in one run.

    .venv/bin/python benchmarks/star_import.py                   # 1,000,000 readings
    .venv/bin/python benchmarks/star_import.py --rows 200000     # quicker

Each measurement runs in its own subprocess, so its peak resident memory (``ru_maxrss``) is its
own. Times are both wall-clock and CPU time of that process: on a shared machine the CPU time is
the steadier figure, and the ratio to pandas uses the same clock on both sides.

- ``pandas``: ``pandas.read_csv`` of the same file (no validation: the floor for a columnar parse).
- ``stream-before``: `sharedoutcomes.stars.iter_readings` with the fast path off (every cell
  checked by the general row path: the code as it was before profiling).
- ``stream``: `iter_readings` as shipped: evidence dicts that passed the converter's checks.
- ``jsonl``: `sharedoutcomes.stars.to_jsonl` to a file, on 10 % of the rows and on all of
  them: flat memory means the same peak RSS for both. ``tracemalloc`` peaks are measured on
  1 % and 10 % of the rows (tracing slows Python several times over).
- ``convert``: the full ``outcomes-star`` format (package, source map, schema and rule
  validation) on 20,000 readings, in a fresh process (imports included).
- ``convert-warm``: the same in a warm process: one conversion first (imports, caches), then
  ``--repeats`` timed ones (the median is reported). With ``--baseline PATH`` (the ``src`` folder
  of another checkout) the same is measured for that code too, in the same run.

    .venv/bin/python benchmarks/star_import.py --only convert --rows 20000 --baseline /tmp/base/src
- ``validate``: 1,000 streamed readings, wrapped in a package, through `sharedoutcomes.validate`.

The CSV is generated into ``benchmarks/_data/`` (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
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
DATA = HERE / "_data"
GENERATOR_VERSION = 1
OPTIONS = {"organisation_id": "GB-CHC-1234567", "today": "2025-06-30"}
SEED = 20250630
WORKERS = [f"W-{i:03d}" for i in range(60)]
SERVICES = ["Riverside Recovery Hub", "Northside Wellbeing Service", "Harbour House"]
STATUSES = ["Approved", "Approved", "Approved", "In progress"]
"""What the generated exports are made of (the XLSX benchmark, `bench_xlsx_read.py`, writes the same people)."""


def data_file(rows: int) -> Path:
    return DATA / f"star-wide-{rows}-v{GENERATOR_VERSION}.csv"


def generate(rows: int) -> Path:
    """A Star Online-like wide CSV: 10-area Recovery Star (4th edition), ~3 readings per person."""
    from sharedoutcomes.stars import get_star

    path = data_file(rows)
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    star = get_star("recovery-star", "4")
    rng = random.Random(SEED)
    workers, services, statuses = WORKERS, SERVICES, STATUSES
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Service user ID,Reading date,Star,Reading number,Worker,Service,Status,"
                     + ",".join(area.label for area in star.areas) + "\n")
        for i in range(rows):
            person, reading = divmod(i, 3)
            day = 1 + rng.randrange(28)
            month = 1 + rng.randrange(12)
            year = 2019 + rng.randrange(6)
            scores = ",".join(str(rng.randint(1, 10)) for _ in star.areas)
            handle.write(f"SU-{person:07d},{day:02d}/{month:02d}/{year},Recovery Star 4th edition,{reading + 1},"
                         f"{rng.choice(workers)},{rng.choice(services)},{rng.choice(statuses)},{scores}\n")
    tmp.rename(path)
    return path


def _measure(fn: Any) -> dict[str, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    count = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"count": count, "wall_s": wall, "cpu_s": cpu, "peak_rss_mib": peak_kib / 1024}


def phase(name: str, path: Path, rows: int, repeats: int = 5) -> dict[str, Any]:
    """One measurement (run inside a child process)."""
    import sharedoutcomes
    from sharedoutcomes.stars import ReadingStream, iter_readings, to_jsonl

    if name == "baseline":
        return _measure(lambda: 0)  # the interpreter and sharedoutcomes imported, nothing read
    if name == "pandas":
        import pandas as pd

        return _measure(lambda: len(pd.read_csv(path)))
    if name in {"stream", "stream-before"}:
        ReadingStream.fast_path = name == "stream"

        def run() -> int:
            stream = iter_readings(path, **OPTIONS)
            count = sum(1 for _ in stream)
            assert stream.problems == [], stream.problems[:3]
            return count

        return _measure(run)
    if name in {"jsonl", "jsonl-traced"}:
        target = DATA / f"out-{rows}.jsonl"
        traced = name == "jsonl-traced"
        if traced:
            import tracemalloc

            tracemalloc.start()
        result = _measure(lambda: to_jsonl(path, target, **OPTIONS).readings)
        if traced:
            result["traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        target.unlink()
        return result
    if name == "convert":
        def convert() -> int:
            result = sharedoutcomes.convert(path, format="outcomes-star", **OPTIONS)
            assert result.ok, result.problems[:3]
            return len(result.package.evidence)

        return _measure(convert)
    if name == "convert-warm":
        def once() -> int:
            result = sharedoutcomes.convert(path, format="outcomes-star", **OPTIONS)
            assert result.ok, result.problems[:3]
            return len(result.package.evidence)

        once()  # imports, caches: what a warm process has done already
        # each result is dropped before the next run, as in a long-running process
        runs = [_measure(once) for _ in range(repeats)]
        runs.sort(key=lambda r: r["cpu_s"])
        middle = runs[len(runs) // 2]
        return {**middle, "wall_s": sorted(r["wall_s"] for r in runs)[len(runs) // 2],
                "cpu_runs": [round(r["cpu_s"], 4) for r in runs], "module": sharedoutcomes.__file__}
    if name == "validate":
        from itertools import islice

        from sharedoutcomes.stars import package_document

        sample = list(islice(iter_readings(path, **OPTIONS), 1000))
        report = sharedoutcomes.validate(package_document(sample, file=path.name,
                                                          organisation_id=OPTIONS["organisation_id"]))
        return {"count": len(sample), "ok": report.ok, "problems": len(report.problems)}
    raise SystemExit(f"unknown phase {name}")


def head_file(path: Path, rows: int) -> Path:
    """The first *rows* readings of *path*, as their own file."""
    target = DATA / f"{path.stem}-head-{rows}.csv"
    if not target.exists():
        with path.open(encoding="utf-8") as source, target.open("w", encoding="utf-8") as out:
            for i, line in enumerate(source):
                if i > rows:
                    break
                out.write(line)
    return target


def child(name: str, path: Path, rows: int, *, repeats: int = 5, src: str | None = None) -> dict[str, Any]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src  # another checkout's sharedoutcomes (the baseline)
    output = subprocess.run([sys.executable, __file__, "--phase", name, "--path", str(path), "--rows", str(rows),
                             "--repeats", str(repeats)], check=True, capture_output=True, text=True, env=env).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--phase")
    parser.add_argument("--path")
    parser.add_argument("--repeats", type=int, default=5, help="timed conversions in convert-warm (median)")
    parser.add_argument("--only", choices=["convert"], help="only the convert measurements")
    parser.add_argument("--baseline", help="the src folder of a baseline checkout, measured in the same run")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, Path(args.path), args.rows, args.repeats)))
        return
    if args.only == "convert":
        convert_only(args.rows, args.repeats, args.baseline)
        return

    rows = args.rows
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    started = time.perf_counter()
    full = generate(rows)
    tenth = head_file(full, rows // 10)
    hundredth = head_file(full, rows // 100)
    small = head_file(full, 20_000)
    print(f"data: {full.name} ({full.stat().st_size / 2**20:.0f} MiB), generated/reused in "
          f"{time.perf_counter() - started:.0f} s", flush=True)

    results: dict[str, dict[str, Any]] = {}
    plan = [("baseline", small, 20_000), ("pandas", full, rows), ("stream-before", tenth, rows // 10),
            ("stream", full, rows), ("jsonl", tenth, rows // 10), ("jsonl", full, rows),
            ("jsonl-traced", hundredth, rows // 100), ("jsonl-traced", tenth, rows // 10), ("convert", small, 20_000),
            ("validate", small, 1000)]
    for name, path, count in plan:
        key = f"{name}@{count}"
        results[key] = child(name, path, count)
        print(f"  {key}: {results[key]}", flush=True)

    def rate(key: str, clock: str) -> float:
        return float(results[key]["count"] / results[key][clock])

    pandas_key, stream_key = f"pandas@{rows}", f"stream@{rows}"
    before_key = f"stream-before@{rows // 10}"
    print("\n| measurement | readings | wall s | CPU s | readings/s (CPU) | readings/s (wall) | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key, r in results.items():
        if "cpu_s" in r and r["count"]:
            print(f"| {key} | {r['count']:,} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {rate(key, 'cpu_s'):,.0f} | "
                  f"{rate(key, 'wall_s'):,.0f} | {r['peak_rss_mib']:.0f} |")
    print(f"\nbaseline process (imports only): {results['baseline@20000']['peak_rss_mib']:.0f} MiB RSS")
    print(f"fast path vs before (CPU): {rate(stream_key, 'cpu_s') / rate(before_key, 'cpu_s'):.1f}x")
    print(f"pandas.read_csv is {rate(pandas_key, 'cpu_s') / rate(stream_key, 'cpu_s'):.1f}x faster (CPU), "
          f"{rate(pandas_key, 'wall_s') / rate(stream_key, 'wall_s'):.1f}x (wall)")
    traced_small, traced_big = results[f"jsonl-traced@{rows // 100}"], results[f"jsonl-traced@{rows // 10}"]
    print(f"to_jsonl tracemalloc peak: {traced_small['traced_peak_mib']:.2f} MiB for {rows // 100:,} readings, "
          f"{traced_big['traced_peak_mib']:.2f} MiB for {rows // 10:,} (tracemalloc is too slow for all of them)")
    rss_small, rss_full = results[f"jsonl@{rows // 10}"], results[f"jsonl@{rows}"]
    print(f"to_jsonl peak RSS: {rss_small['peak_rss_mib']:.0f} MiB for {rows // 10:,} readings, "
          f"{rss_full['peak_rss_mib']:.0f} MiB for {rows:,}")
    print(f"validate on 1,000 streamed readings: {results['validate@1000']}")
    print(f"total {time.perf_counter() - started:.0f} s")


def convert_only(rows: int, repeats: int, baseline: str | None) -> None:
    """The ``convert`` phases alone: this checkout, then (with *baseline*) the baseline, in one run."""
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
          flush=True)
    path = generate(rows)
    sides = [("this", None)] + ([("baseline", baseline)] if baseline else [])
    results: dict[str, dict[str, Any]] = {}
    for label, src in sides:
        for name in ("convert-warm", "convert"):
            key = f"{label} {name}"
            results[key] = child(name, path, rows, repeats=repeats, src=src)
            print(f"  {key}: {results[key]}", flush=True)
    print("\n| measurement | readings | CPU s | wall s | readings/s (CPU) | readings/s (wall) |")
    print("|---|---:|---:|---:|---:|---:|")
    for key, r in results.items():
        print(f"| {key} | {r['count']:,} | {r['cpu_s']:.3f} | {r['wall_s']:.3f} | {r['count'] / r['cpu_s']:,.0f} | "
              f"{r['count'] / r['wall_s']:,.0f} |")
    if baseline:
        for name in ("convert-warm", "convert"):
            this, base = results[f"this {name}"], results[f"baseline {name}"]
            print(f"{name}: {base['cpu_s'] / this['cpu_s']:.1f}x less CPU, {base['wall_s'] / this['wall_s']:.1f}x "
                  "less wall time than the baseline")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
