"""
How long `validate` takes on a large package with one bad value, item by item vs. a whole-document pass.

    python benchmarks/invalid_validate.py [RECORDS]

Uses the package `benchmarks/load_validate.py` generates (100,000 evidence records by default),
breaks one evidence kind near the end, and times in the same run:
- the fast path, which re-checks with the reference validator only the items the gate rejects;
- the reference schema layer over the whole document (what the fast path did before, and what
  `fast=False` does), on a slice of the same package, scaled up (it is linear in the records).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import load_validate

import sharedoutcomes
from sharedoutcomes.validation import _gate


def main(records: int) -> None:
    data = json.loads(load_validate.data_file(records).read_text(encoding="utf-8"))
    data["evidence"][records - 7]["kind"] = "anecdote"
    raw = json.dumps(data).encode()

    start = time.perf_counter()
    report = sharedoutcomes.validate(raw)
    item_by_item = time.perf_counter() - start
    assert [(p.rule, p.path) for p in report.errors] == [("schema.enum", f"$.evidence[{records - 7}].kind")]

    sample = max(records // 20, 1)
    sliced = {**data, "evidence": data["evidence"][-sample:]}
    start = time.perf_counter()
    whole = _gate._errors(_gate._validator(), sliced)  # the reference schema layer, as validate(fast=False) runs it
    whole_document = (time.perf_counter() - start) * records / sample
    assert len(whole) == 1

    sys.stdout.write(f"{records} evidence records, one bad kind\n")
    sys.stdout.write(f"  fast path, item by item:        {item_by_item:8.2f} s\n")
    sys.stdout.write(f"  reference, whole document:      {whole_document:8.2f} s (measured on {sample}, scaled)\n")
    sys.stdout.write(f"  speed-up:                       {whole_document / item_by_item:8.1f} x\n")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
