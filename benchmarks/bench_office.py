"""
Time the Office safety check (`sharedoutcomes._office.check`) on big workbooks, and its peak memory.

Usage: .venv/bin/python benchmarks/bench_office.py [--read] [N_ROWS ...]   (default: 100000)

Writes a workbook of N rows of eight columns (ids, a pseudonymous person, numbers, a date,
text, a blank; inline strings, as a streaming export writes them) with openpyxl's write-only
mode, then times `check` (best of three), measures its peak allocation with tracemalloc in a
separate run (tracemalloc slows Python down, so the two are never combined). Times are
wall clock and CPU (process) time: on a shared machine the CPU time is the steadier figure.
With ``--read`` it also times, for scale, opening the file with `open_workbook` and
iterating every row with openpyxl.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import openpyxl

from sharedoutcomes._office import check, open_workbook


def workbook(rows: int, path: Path) -> Path:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("evidence")
    sheet.append(["id", "subject", "value", "date", "domain", "score", "blank", "note"])
    for i in range(rows):
        sheet.append([f"ev-{i}", f"P-{i % 977:04d}", i * 1.5, "2024-01-02", "wellbeing", i % 10, None,
                      "attended the weekly group"])
    book.save(path)
    return path


def best(func, repeat: int = 3) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The best wall-clock and CPU seconds of *repeat* runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main(sizes: list[int], *, read: bool = False) -> None:
    work = Path(tempfile.mkdtemp())
    for rows in sizes:
        path = workbook(rows, work / f"rows-{rows}.xlsx")
        found = check(path)
        seconds, cpu = best(lambda path=path: check(path))
        tracemalloc.start()
        check(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

        print(f"{rows:>9,} rows  {found.size / 1e6:6.1f} MB zipped  {found.unzipped / 1e6:7.1f} MB unzipped  "
              f"check {seconds:6.2f} s wall, {cpu:6.2f} s CPU ({rows / cpu:>9,.0f} rows/s)  peak {peak / 1e6:5.1f} MB")
        if read:
            wall, cpu = best(lambda path=path: _iterate(path), repeat=1)
            print(f"{'':>9}       open_workbook and every row with openpyxl: {wall:6.2f} s wall, {cpu:6.2f} s CPU")


def _iterate(path: Path) -> None:
    book = open_workbook(path)
    for _ in book.active.iter_rows(values_only=True):
        pass
    book.close()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main([int(a) for a in arguments if a != "--read"] or [100_000], read="--read" in arguments)
