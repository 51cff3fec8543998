"""
Stream a generated 360Giving JSON file through `iter_grants` (run by hand; figures go in docs/performance.md).

    .venv/bin/python benchmarks/bench_360giving.py 10000 50000

Each argument is a number of grants. The file is built from the real grants of the bundled sample
(A B Charitable Trust, CC BY 4.0), repeated with new ids, amounts and recipients, so each grant has
the shape of a published one (about 22 values, some fields outside the schema). For each size the
script reports grants per second for streaming (`iter_grants`), the peak memory Python allocated
while streaming (tracemalloc: it must not grow with the file), and the time of a whole `convert`
(which builds and validates one package holding every grant, so its memory grows with the file; only
for files of up to `CONVERT_UP_TO` grants).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import sharedoutcomes
from sharedoutcomes.threesixtygiving import iter_grants, sample_path, streaming

CONVERT_UP_TO = 10_000
"""Larger files are only streamed: `convert` of 50,000 grants takes minutes (see docs/performance.md)."""


def write_file(path: Path, grants: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    base = json.loads(sample_path().read_text(encoding="utf-8"))["grants"]
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"version": "1.4", "title": "Benchmark grants", "grants": [\n')
        for number in range(grants):
            grant = json.loads(json.dumps(base[number % len(base)]))
            grant["id"] = f"360G-ABCT-BENCH-{number:07d}"
            grant["amountAwarded"] = rng.randrange(500, 250_000)
            grant["recipientOrganization"][0]["id"] = f"GB-CHC-{1_000_000 + rng.randrange(60_000)}"
            handle.write(("," if number else "") + json.dumps(grant, ensure_ascii=False) + "\n")
        handle.write("]}\n")


def stream(path: Path) -> tuple[int, float, float, int]:
    tracemalloc.start()
    start = time.perf_counter()
    count, total = 0, 0.0
    for grant in iter_grants(path):
        count += 1
        total += grant.amount or 0
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return count, seconds, total, peak


def main(sizes: list[int]) -> None:
    print(f"ijson streaming: {streaming()}")
    with tempfile.TemporaryDirectory() as folder:
        for grants in sizes:
            path = Path(folder) / f"grants-{grants}.json"
            write_file(path, grants)
            count, _seconds, _total, peak = stream(path)  # tracemalloc slows it: memory from this run
            start, cpu = time.perf_counter(), time.process_time()
            streamed = sum(1 for _ in iter_grants(path))
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            assert streamed == count == grants
            print(f"{grants:,} grants ({path.stat().st_size / 1e6:.1f} MB): streamed at {grants / seconds:,.0f} grants/s "
                  f"wall ({seconds:.2f} s), {grants / cpu:,.0f} grants/s CPU ({cpu:.2f} s); "
                  f"peak traced memory {peak / 1e6:.2f} MB")
            if grants > CONVERT_UP_TO:
                continue
            start = time.perf_counter()
            result = sharedoutcomes.convert(path, format="360giving")
            print(f"  convert (one package, validated): {time.perf_counter() - start:.2f} s, "
                  f"{len(result.package.activities):,} activities, {result.coverage}")


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [10000, 50000])
