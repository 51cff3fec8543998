"""
A 50,000-row Outcomes Star export as XLSX: the rows read, and the whole conversion, by openpyxl and by python-calamine.

    .venv/bin/python benchmarks/bench_xlsx_read.py                 # 50,000 readings, median of 3
    .venv/bin/python benchmarks/bench_xlsx_read.py --rows 5000     # quicker

Each measurement runs in its own process (imports included in neither clock: they happen before
the timer starts), three times; the table gives the median wall and CPU time of the three.

- ``check``: `sharedoutcomes._office.check` alone, the safety pass every reader starts with.
- ``rows``: the Star reader's rows (`sharedoutcomes.stars._table.iter_xlsx`: the check, then every
  row of the sheet as cells), counted.
- ``convert``: ``sharedoutcomes.convert(path, format="outcomes-star")``, the package, the source
  map and the validation.

``openpyxl`` runs with python-calamine hidden (``sys.modules["python_calamine"] = None``, so the
reader falls back as it does when the package is not installed); ``calamine`` with it installed.
The workbook is generated with openpyxl into ``benchmarks/_data/`` (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DATA = HERE / "_data"
GENERATOR_VERSION = 1
sys.path.insert(0, str(HERE))

from star_import import OPTIONS, SEED, SERVICES, WORKERS  # noqa: E402  # the people of the CSV benchmark

PHASES = ("check", "rows", "convert")
READERS = ("openpyxl", "calamine")


def data_file(rows: int) -> Path:
    return DATA / f"star-export-{rows}-v{GENERATOR_VERSION}.xlsx"


def generate(rows: int) -> Path:
    """A Star Online-like export: a title row, a blank row, headings, then one Recovery Star reading a row."""
    import openpyxl

    from sharedoutcomes.stars import get_star

    path = data_file(rows)
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    star = get_star("recovery-star", "4")
    rng = random.Random(SEED)
    workers, services = WORKERS, SERVICES
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Star data")
    sheet.append(["Recovery Star readings export"])
    sheet.append([])
    sheet.append(["Service user ID", "Reading date", "Star", "Reading number", "Worker", "Service", "Status",
                  *(area.label for area in star.areas)])
    for i in range(rows):
        person, reading = divmod(i, 3)
        when = dt.datetime(2019 + rng.randrange(6), 1 + rng.randrange(12), 1 + rng.randrange(28))
        sheet.append([f"SU-{person:07d}", when, "Recovery Star 4th edition", reading + 1, rng.choice(workers),
                      rng.choice(services), "Approved", *(rng.randint(1, 10) for _ in star.areas)])
    tmp = path.with_suffix(".tmp")
    book.save(tmp)
    tmp.rename(path)
    return path


def phase(name: str, reader: str, path: Path) -> dict[str, Any]:
    """One measurement, inside a child process."""
    if reader == "openpyxl":
        sys.modules["python_calamine"] = None  # type: ignore[assignment]  # as if it were not installed
    import openpyxl  # noqa: F401  # imported before the clocks start, as a long-running process has them

    import sharedoutcomes
    from sharedoutcomes._office import check, open_rows
    from sharedoutcomes.stars._table import iter_xlsx

    book = open_rows(path)  # which reader reads the sheet: the one this run measures
    assert book.rows(book.worksheets[0]) is not None
    assert book.readers == {book.worksheets[0]: reader}, book.readers
    book.close()

    def run() -> int:
        if name == "check":
            return check(path, "xlsx").sheets[0].rows
        if name == "rows":
            _, rows = iter_xlsx(path, path.name, None)
            return sum(1 for _ in rows)
        result = sharedoutcomes.convert(path, format="outcomes-star", **OPTIONS)
        assert not any(p.severity == "error" for p in result.problems), result.problems[:3]
        return len(result.package.evidence)

    wall, cpu = time.perf_counter(), time.process_time()
    count = run()
    return {"count": count, "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}


def child(name: str, reader: str, path: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", name, reader, str(path)], capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("PHASE", "READER", "PATH"))
    args = parser.parse_args()
    if args.child:
        name, reader, path = args.child
        print(json.dumps(phase(name, reader, Path(path))))
        return
    started = time.perf_counter()
    path = generate(args.rows)
    print(f"generated or reused {path.name} ({path.stat().st_size / 2**20:.1f} MB) in "
          f"{time.perf_counter() - started:.1f} s; Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for _ in range(args.repeat):
        for name in PHASES:
            for reader in READERS:  # interleaved, so that a change in the machine's load hits both alike
                results.setdefault((name, reader), []).append(child(name, reader, path))
    print("| measured | reader | wall (median of 3) | CPU (median of 3) | CPU runs | count |")
    print("|---|---|---:|---:|---|---:|")
    for name in PHASES:
        for reader in READERS:
            runs = results[(name, reader)]
            wall = statistics.median(r["wall_s"] for r in runs)
            cpu = statistics.median(r["cpu_s"] for r in runs)
            every = ", ".join(f"{r['cpu_s']:.2f}" for r in runs)
            print(f"| {name} | {reader} | {wall:.2f} s | {cpu:.2f} s | {every} | {runs[0]['count']:,} |")
        fast = statistics.median(r["cpu_s"] for r in results[(name, "calamine")])
        slow = statistics.median(r["cpu_s"] for r in results[(name, "openpyxl")])
        print(f"|   | openpyxl ÷ calamine (CPU) | | {slow / fast:.2f} × | | |")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
