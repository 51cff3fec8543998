"""
Time the Outcomes Star analyses on a generated cohort (run by hand; figures go in docs/performance.md).

    .venv/bin/python benchmarks/bench_star_analysis.py 1000 10000 50000

Each argument is a number of people; each person has three approved readings of the
Homelessness Star (ten areas), so 10,000 people are 30,000 readings and 300,000 scores.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from sharedoutcomes.model import Evidence, EvidenceSubject, EvidenceValue
from sharedoutcomes.star_analysis import cohort_change, distance_travelled, readings, snapshot
from sharedoutcomes.stars import get_star


def cohort(people: int, seed: int = 1) -> list[Evidence]:
    rng = random.Random(seed)
    star = get_star("homelessness-star", "3")
    out = []
    for person in range(people):
        start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365))
        base = [rng.randint(1, 8) for _ in star.areas]
        for number in range(3):
            scores = [min(10, max(1, b + number + rng.randint(-1, 1))) for b in base]
            out.append(Evidence(
                id=f"ev-{person}-{number}", kind="assessment", date=start + dt.timedelta(days=120 * number),
                subject=EvidenceSubject(type="person", id=f"P-{person:06d}"), instrument=star.instrument,
                values=tuple(EvidenceValue(code=a.code, label=a.label, value=s, scale_min=1, scale_max=10)
                             for a, s in zip(star.areas, scores, strict=True)),
                extension_data={"outcomes-star": {"star": star.id, "edition": star.edition, "status": "approved",
                                                  "worker": f"W-{person % 40}", "service": f"S-{person % 4}"}}))
    return out


def timed(label: str, function, *args, **kwargs):  # type: ignore[no-untyped-def]
    start, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    print(f"  {label:<24} {time.perf_counter() - start:7.2f} s wall {time.process_time() - cpu:7.2f} s CPU")
    return result


def main(sizes: list[int]) -> None:
    for people in sizes:
        evidence = cohort(people)
        print(f"{people:,} people, {len(evidence):,} readings")
        found = timed("readings", readings, evidence)
        timed("distance_travelled", distance_travelled, found)
        timed("cohort_change", cohort_change, found)
        timed("snapshot", snapshot, found)
        timed("cohort_change (service)", cohort_change, found, service="S-1")


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [1000, 10000])
