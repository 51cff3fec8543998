"""
Read a large tables workbook (``tables-xlsx``): time and peak memory, each run in its own process.

    .venv/bin/python benchmarks/bench_tables_xlsx.py 100000          # rows of evidence.values
    .venv/bin/python benchmarks/bench_tables_xlsx.py 100000 --src ../main/src   # compare another checkout

The workbook holds N/10 Star-like evidence items with ten values each (so N rows in
``evidence.values``, plus N/10 in ``evidence``), written once into ``benchmarks/_data/``.
Each measurement runs ``sharedoutcomes.tables.read_xlsx`` in a fresh interpreter and reports
CPU and wall seconds and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"

_CHILD = """
import resource, sys, time
from sharedoutcomes import tables
wall, cpu = time.perf_counter(), time.process_time()
read = tables.read_xlsx(sys.argv[1])
rows = sum(len(v) for k, v in read.document.items() if isinstance(v, list))
print(f"{time.process_time() - cpu:.1f} {time.perf_counter() - wall:.1f} "
      f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} {len(read.source_map)}")
"""


def workbook(rows: int) -> Path:
    """The benchmark workbook of *rows* value rows (written once)."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"tables-{rows}.xlsx"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        from bench_tables import document  # the same Star-like package as the round-trip benchmark

        from sharedoutcomes import tables

        tables.to_xlsx(document(max(rows // 10, 1)), path)
    return path


def measure(path: Path, src: str | None) -> str:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = str(Path(src).resolve())
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], check=True, capture_output=True, text=True,
                         env=env).stdout.split()
    cpu, wall, rss, mapped = out
    return f"{cpu} s CPU, {wall} s wall, peak RSS {rss} MiB, {int(mapped):,} source-map entries"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="*", default=[100_000])
    parser.add_argument("--src", help="the src/ folder of another checkout to measure instead")
    args = parser.parse_args()
    for rows in args.rows:
        path = workbook(rows)
        print(f"{rows:,} rows ({path.stat().st_size / 1e6:.1f} MB): {measure(path, args.src)}")


if __name__ == "__main__":
    main()
