"""
Time the lossless tables round trip (CSV folder, XLSX workbook, DataFrames) on a large package.

    .venv/bin/python benchmarks/bench_tables.py 1000 5000

N is the number of evidence items; each has ten values, so 5,000 evidence is 50,000 value rows in
``evidence.values``. Prints wall-clock and CPU seconds for each direction.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sharedoutcomes
from sharedoutcomes import tables


def document(n: int) -> dict[str, Any]:
    base = sharedoutcomes.dump(sharedoutcomes.example_package())
    evidence = [
        {
            "id": f"ev-{i}", "kind": "assessment", "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "subject": {"type": "person", "id": f"P-{i // 3:05d}"}, "collected_by": "GB-SC-SC038977",
            "instrument": "outcomes-star/carers-star/2",
            "values": [{"code": f"area-{a}", "label": f"Area {a}", "value": 1 + (i + a) % 10, "scale_min": 1,
                        "scale_max": 10} for a in range(10)],
            "extension_data": {"outcomes-star": {"star": "carers-star", "edition": "2", "reading_number": 1 + i % 3}},
        }
        for i in range(n)
    ]
    base["evidence"] = evidence
    base.pop("links", None)
    base["extensions"] = [*base.get("extensions", []), {"name": "outcomes-star", "version": "0.1"}]
    return base


def timed(label: str, action: Any) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    sys.stdout.write(f"  {label:<22} {time.perf_counter() - wall:7.2f} s wall {time.process_time() - cpu:7.2f} s CPU\n")
    return result


def measure(n: int) -> None:
    data = document(n)
    sys.stdout.write(f"{n} evidence, {10 * n} values\n")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        timed("to_csv", lambda: tables.to_csv(data, root / "csv"))
        read = timed("read_csv", lambda: tables.read_csv(root / "csv"))
        assert read.document == data
        timed("to_xlsx", lambda: tables.to_xlsx(data, root / "p.xlsx"))
        read = timed("read_xlsx", lambda: tables.read_xlsx(root / "p.xlsx"))
        assert read.document == data
        frames = timed("to_dataframes", lambda: tables.to_dataframes(data))
        read = timed("read_dataframes", lambda: tables.read_dataframes(frames))
        assert read.document == data


def main(sizes: list[int]) -> None:
    for n in sizes:
        measure(n)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000])
