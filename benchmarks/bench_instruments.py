"""
Time survey conversion, instrument checks and change on generated WEMWBS responses (by hand; figures in docs/performance.md).

    .venv/bin/python benchmarks/bench_instruments.py 1000 10000

Each argument is a number of people; each has two WEMWBS responses (14 items), written as one CSV row each.
The instrument checks are also timed alone on the evidence of a converted Star-sized package.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
import time

import sharedoutcomes
from sharedoutcomes.change import change
from sharedoutcomes.validation._context import Context
from sharedoutcomes.validation._evidence import check_evidence
from sharedoutcomes.validation._instruments import check_instruments


def export(people: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Person ID", "Date", *(f"WEMWBS {i}" for i in range(1, 15)), "WEMWBS total"])
    for person in range(people):
        first = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(300))
        base = [rng.randint(1, 4) for _ in range(14)]
        for number in range(2):
            answers = [min(5, max(1, b + number * rng.randint(0, 1))) for b in base]
            day = first + dt.timedelta(days=180 * number)
            writer.writerow([f"P-{person:06d}", day.strftime("%d/%m/%Y"), *answers, sum(answers)])
    return buffer.getvalue().encode("utf-8")


def _checks(context: Context) -> list[object]:
    return list(check_instruments(context))


def timed(label: str, function, *args, **kwargs):  # type: ignore[no-untyped-def]
    start, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    print(f"  {label:<28} {time.perf_counter() - start:7.2f} s wall {time.process_time() - cpu:7.2f} s CPU")
    return result


def main(sizes: list[int]) -> None:
    for people in sizes:
        data = export(people)
        print(f"{people:,} people, {2 * people:,} responses, {2 * people * 17:,} cells")
        result = timed("convert (survey, validated)", sharedoutcomes.convert, io.BytesIO(data), format="survey",
                       organisation_id="GB-SC-SC099001", today="2025-12-31")
        document = result.document
        context = Context(document, check_evidence)
        timed("instrument checks alone", _checks, context)
        timed("change", change, result.package, "wemwbs")


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [1000, 10000])
