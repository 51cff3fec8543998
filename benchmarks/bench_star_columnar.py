"""
A 1,000,000-reading Star export CSV into Arrow evidence, beside ``pandas.read_csv`` and ``polars.read_csv``.

    .venv/bin/python benchmarks/bench_star_columnar.py                  # 1,000,000 readings
    .venv/bin/python benchmarks/bench_star_columnar.py --rows 200000    # quicker
    .venv/bin/python benchmarks/bench_star_columnar.py --repeat 1       # one run of each

Each measurement runs in its own subprocess (so that its peak resident memory, ``ru_maxrss``,
is its own), after the imports it needs, with the garbage collector as Python leaves it; each is
run ``--repeat`` times (3 by default, the runs of one measurement interleaved with the others')
and the median wall and median CPU time are reported. Times are wall-clock and CPU time of that
process (the columnar reader parses the next chunk and builds the previous batch's tables in
two more threads, and Polars and pyarrow use threads, so CPU time can exceed wall time); each
ratio uses the same clock on both sides.

The columnar phases import pandas and Polars before the clock starts, as the pandas and polars
phases do: pyarrow imports pandas the first time it converts a Python or numpy sequence
(0.17 s, once a process), and the reader hashes with Polars.

- ``pandas``, ``polars``: ``read_csv`` of the same file (no checks: the floor of a columnar parse).
- ``columnar``: `sharedoutcomes.stars._columnar.read_columnar` (what ``sharedoutcomes.columnar.convert``
  uses for ``outcomes-star``): every batch of tables, every problem located, the checks across rows on.
- ``stream``: `sharedoutcomes.stars.iter_reading_tables` (checks across rows off), at a fifth of
  the rows and at all of them: flat memory means the same peak RSS for both.
- ``convert``: `sharedoutcomes.columnar.convert` (the reader, each batch validated as it comes,
  the checks across batches carried over, then the batches concatenated): validated Arrow evidence.
- ``iter_convert``: `sharedoutcomes.columnar.iter_convert`, the batches validated and let go one
  by one, at a fifth of the rows and at all of them: flat memory means the same peak RSS for both.
- ``object``: ``sharedoutcomes.convert(..., format="outcomes-star")`` to a validated package, on 20,000 readings.
- with ``--baseline SRC``, ``columnar``, ``convert`` and ``iter_convert`` once more with the package under *SRC*
  (an earlier commit), each beside its own measurement, the two in turn first (the first process after a large
  one was seen to run up to 1.4 × slower, which a fixed order would charge to one side).

The CSV is the one of ``benchmarks/star_import.py`` (generated into ``benchmarks/_data/``, git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from star_import import OPTIONS, generate, head_file  # noqa: E402


def _measure(fn: Any) -> dict[str, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    count = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"count": count, "wall_s": wall, "cpu_s": cpu, "peak_rss_mib": peak_kib / 1024}


def phase(name: str, path: Path) -> dict[str, Any]:
    """One measurement (run inside a child process)."""
    if name == "pandas":
        import pandas as pd

        return _measure(lambda: len(pd.read_csv(path)))
    if name == "polars":
        import polars as pl

        return _measure(lambda: len(pl.read_csv(path)))
    import numpy  # noqa: F401  # imported before the clock starts, as pandas and polars are above
    import pandas  # noqa: F401  # pyarrow imports it on its first conversion of a sequence
    import polars  # noqa: F401  # the columnar reader's hashes
    import pyarrow
    import pyarrow.compute
    import pyarrow.csv  # noqa: F401

    import sharedoutcomes
    from sharedoutcomes.stars import iter_reading_tables
    from sharedoutcomes.stars._columnar import read_columnar

    if name == "columnar":
        problems: list[Any] = []

        def run() -> int:
            read = read_columnar(path, **OPTIONS)
            count = 0
            for batch in read:
                count += batch.evidence.num_rows
                problems.extend(batch.problems)
            problems.extend(read.problems)
            return count

        result = _measure(run)
        result["problems"] = len(problems)
        return result
    if name == "convert":
        from sharedoutcomes import columnar

        def convert_tables() -> int:
            result = columnar.convert(path, format="outcomes-star", **OPTIONS)
            assert result.ok, result.problems[:3]
            return int(result.evidence.num_rows)

        return _measure(convert_tables)
    if name == "iter_convert":
        from sharedoutcomes import columnar

        def stream_validated() -> int:
            stream = columnar.iter_convert(path, format="outcomes-star", **OPTIONS)
            count = sum(batch.evidence.num_rows for batch in stream)  # each batch dropped once counted
            assert stream.ok, stream.problems[:3]
            return count

        return _measure(stream_validated)
    if name == "stream":
        return _measure(lambda: sum(b.evidence.num_rows for b in iter_reading_tables(path, **OPTIONS)))
    if name == "object":
        def convert() -> int:
            result = sharedoutcomes.convert(path, format="outcomes-star", **OPTIONS)
            assert result.ok, result.problems[:3]
            return len(result.package.evidence)

        return _measure(convert)
    raise SystemExit(f"unknown phase {name}")


def _median(found: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the runs of one measurement (each figure on its own)."""
    out = dict(found[0])
    for figure in ("wall_s", "cpu_s", "peak_rss_mib"):
        out[figure] = statistics.median(r[figure] for r in found)
    return out


def child(name: str, path: Path, source: str | None = None) -> dict[str, Any]:
    env = None if source is None else {**os.environ, "PYTHONPATH": source}
    output = subprocess.run([sys.executable, __file__, "--phase", name, "--path", str(path)],
                            check=True, capture_output=True, text=True, env=env).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def interleaved(plan: list[tuple[str, Path, int, str | None]], repeat: int,
                run: Any) -> dict[str, dict[str, Any]]:
    """
    Each step of *plan* (phase, file, count, baseline source or ``None``) *repeat* times, by ``run(name, path, source)``.

    A baseline step follows its measurement, and goes before it every other attempt (the first
    process after a large one was seen to run up to 1.4 × slower); the median of each figure.
    """
    runs: dict[str, list[dict[str, Any]]] = {}
    for attempt in range(repeat):
        steps = list(plan)
        if attempt % 2:  # each baseline before its measurement this time
            for k, step in enumerate(steps):
                if step[3] is not None:
                    steps[k - 1], steps[k] = step, steps[k - 1]
        for name, path, count, source in steps:
            key = f"{name}@{count}" + (" (baseline)" if source else "")
            runs.setdefault(key, []).append(run(name, path, source))
            print(f"  run {attempt + 1}, {key}: {runs[key][-1]}", flush=True)
    return {key: _median(found) for key, found in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is reported)")
    parser.add_argument("--baseline", metavar="SRC",
                        help="also time the columnar reader of the sharedoutcomes package under SRC "
                             "(e.g. `git archive <commit> src | tar -x -C /tmp/base`, then /tmp/base/src)")
    parser.add_argument("--phase")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, Path(args.path))))
        return
    rows = args.rows
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    started = time.perf_counter()
    full = generate(rows)
    fifth = head_file(full, rows // 5)
    small = head_file(full, 20_000)
    print(f"data: {full.name} ({full.stat().st_size / 2**20:.0f} MiB), ready in {time.perf_counter() - started:.0f} s",
          flush=True)
    plan: list[tuple[str, Path, int, str | None]] = [
        ("pandas", full, rows, None), ("polars", full, rows, None), ("columnar", full, rows, None),
        ("stream", fifth, rows // 5, None), ("stream", full, rows, None), ("convert", full, rows, None),
        ("iter_convert", fifth, rows // 5, None), ("iter_convert", full, rows, None), ("object", small, 20_000, None)]
    if args.baseline:
        for step in [("columnar", full, rows, None), ("convert", full, rows, None),
                     ("iter_convert", fifth, rows // 5, None), ("iter_convert", full, rows, None)]:
            plan.insert(plan.index(step) + 1, (*step[:3], args.baseline))
    results = interleaved(plan, args.repeat, child)

    def rate(key: str, clock: str) -> float:
        return float(results[key]["count"] / results[key][clock])

    print(f"\nmedians of {args.repeat} runs each")
    print("\n| measurement | readings | wall s | CPU s | readings/s (CPU) | readings/s (wall) | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key, r in results.items():
        print(f"| {key} | {r['count']:,} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | {rate(key, 'cpu_s'):,.0f} | "
              f"{rate(key, 'wall_s'):,.0f} | {r['peak_rss_mib']:.0f} |")
    pandas, columnar = results[f"pandas@{rows}"], results[f"columnar@{rows}"]
    polars = results[f"polars@{rows}"]
    print(f"\ncolumnar / pandas.read_csv: {columnar['cpu_s'] / pandas['cpu_s']:.1f}x (CPU), "
          f"{columnar['wall_s'] / pandas['wall_s']:.1f}x (wall); problems: {columnar['problems']}")
    print(f"columnar / polars.read_csv: {columnar['cpu_s'] / polars['cpu_s']:.1f}x (CPU), "
          f"{columnar['wall_s'] / polars['wall_s']:.1f}x (wall)")
    print(f"stream peak RSS: {results[f'stream@{rows // 5}']['peak_rss_mib']:.0f} MiB at {rows // 5:,} readings, "
          f"{results[f'stream@{rows}']['peak_rss_mib']:.0f} MiB at {rows:,}")
    if args.baseline:
        before = results[f"columnar@{rows} (baseline)"]
        print(f"baseline columnar / pandas.read_csv: {before['cpu_s'] / pandas['cpu_s']:.1f}x (CPU), "
              f"{before['wall_s'] / pandas['wall_s']:.1f}x (wall); this columnar is "
              f"{before['cpu_s'] / columnar['cpu_s']:.1f}x (CPU), {before['wall_s'] / columnar['wall_s']:.1f}x (wall) "
              "faster")
    convert = results[f"convert@{rows}"]
    print(f"columnar.convert (the reader, its batches validated one by one) / pandas.read_csv: "
          f"{convert['cpu_s'] / pandas['cpu_s']:.1f}x (CPU), {convert['wall_s'] / pandas['wall_s']:.1f}x (wall)")
    if args.baseline:
        before = results[f"convert@{rows} (baseline)"]
        print(f"baseline columnar.convert / pandas.read_csv: {before['cpu_s'] / pandas['cpu_s']:.1f}x (CPU), "
              f"{before['wall_s'] / pandas['wall_s']:.1f}x (wall); this convert is "
              f"{before['cpu_s'] / convert['cpu_s']:.2f}x (CPU), {before['wall_s'] / convert['wall_s']:.2f}x (wall) "
              f"faster, peak RSS {before['peak_rss_mib']:.0f} -> {convert['peak_rss_mib']:.0f} MiB")
    streamed = results[f"iter_convert@{rows}"]
    print(f"columnar.iter_convert / pandas.read_csv: {streamed['cpu_s'] / pandas['cpu_s']:.1f}x (CPU), "
          f"{streamed['wall_s'] / pandas['wall_s']:.1f}x (wall); peak RSS "
          f"{results[f'iter_convert@{rows // 5}']['peak_rss_mib']:.0f} MiB at {rows // 5:,} readings, "
          f"{streamed['peak_rss_mib']:.0f} MiB at {rows:,}")
    if args.baseline:
        before = results[f"iter_convert@{rows} (baseline)"]
        print(f"baseline columnar.iter_convert: {before['cpu_s']:.2f} s CPU against {streamed['cpu_s']:.2f}; peak RSS "
              f"{results[f'iter_convert@{rows // 5} (baseline)']['peak_rss_mib']:.0f} MiB at {rows // 5:,} readings, "
              f"{before['peak_rss_mib']:.0f} MiB at {rows:,}")
    print(f"object path convert: {rate('object@20000', 'cpu_s'):,.0f} readings/s (CPU)")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
