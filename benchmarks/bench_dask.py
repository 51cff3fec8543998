"""
Validate 10 million values on a 2-worker Dask LocalCluster and on one worker, by hand (figures go in docs/performance.md).

    .venv/bin/python benchmarks/bench_dask.py 10000000 100000

The first argument is the number of values (ten a piece of evidence: Homelessness Star readings of
one person each), the second the evidence per part of the dataset. The dataset is generated
straight into the columnar layout with pyarrow (not timed) under ``benchmarks/_data/`` and
reused by later runs of the same size. Then, in one run, the same `validate_dataset` on:

* a LocalCluster of 2 worker processes of one thread each, and
* a LocalCluster of 1 worker process of one thread,

each started and warmed up on a small dataset (not timed: imports and caches in every worker) before
its run, and closed after it. Wall time and the CPU time of the
workers (their own count, read from each process) are printed; the peak resident memory of each
worker process shows that memory is bounded by the part, not the dataset. One value in 2,000 is
outside the Star's scale, so the check has problems to find and place.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
from distributed import Client, LocalCluster

from sharedoutcomes import columnar, example_package
from sharedoutcomes.columnar_analysis import read_dataset, validate_dataset
from sharedoutcomes.columnar_analysis._dataset import MANIFEST, Dataset, Part
from sharedoutcomes.serialization import to_json_data
from sharedoutcomes.stars import EXTENSION_DECLARATION, get_star

DATA = Path(__file__).parent / "_data"


def _package_json() -> str:
    """The bundled example's organisations, without its evidence and links, as the dataset's package."""
    data = json.loads(columnar.from_package(example_package()).package_json)
    data.pop("links", None)
    data["sharing_level"] = "personal"
    data["extensions"] = [*data.get("extensions", ()), to_json_data(EXTENSION_DECLARATION)]
    return json.dumps(data)


def _part(first: int, count: int, package_json: str) -> columnar.EvidenceTables:
    star = get_star("homelessness-star", "3")
    areas = [a.code for a in star.areas]
    n_areas = len(areas)
    index = pa.array(range(first, first + count), pa.int64())
    ids = pa.array([f"ev-{i}" for i in range(first, first + count)])
    evidence = {
        "evidence_index": index, "id": ids, "kind": pa.array(["assessment"] * count),
        "date": pa.array([19723 + (i * 37) % 450 for i in range(first, first + count)], pa.date32()),
        "collected_by": pa.array(["GB-SC-SC038977"] * count),
        "instrument": pa.array([star.instrument] * count),
        "extension_data": pa.array([json.dumps({"outcomes-star": {"status": "approved"}})] * count),
    }
    schema = columnar.arrow_schema("evidence", package_json=package_json)
    evidence_table = pa.table({f.name: evidence.get(f.name, pa.nulls(count, f.type)) for f in schema}, schema=schema)
    n = count * n_areas
    positions = list(range(first, first + count))
    scores = [(i * 7 + j * 3) % 10 + 1 for i in positions for j in range(n_areas)]
    scores = [11 if (k + first * n_areas) % 2000 == 1999 else s for k, s in enumerate(scores)]
    values = {
        "evidence_index": pa.array([i for i in positions for _ in range(n_areas)], pa.int64()),
        "evidence_id": pa.array([f"ev-{i}" for i in positions for _ in range(n_areas)]),
        "value_index": pa.array(list(range(n_areas)) * count, pa.int64()),
        "code": pa.array(areas * count),
        "value_type": pa.DictionaryArray.from_arrays(pa.array([1] * n, pa.int8()), pa.array(columnar.VALUE_TYPES)),
        "value_int": pa.array(scores, pa.int64()),
        "scale_min_int": pa.array([1] * n, pa.int64()), "scale_max_int": pa.array([10] * n, pa.int64()),
    }
    schema = columnar.arrow_schema("values")
    values_table = pa.table({f.name: values.get(f.name, pa.nulls(n, f.type)) for f in schema}, schema=schema)
    subjects = {"evidence_index": index, "evidence_id": ids, "subject_type": pa.array(["person"] * count),
                "subject_id": pa.array([f"P-{i // 3:07d}" for i in positions])}
    schema = columnar.arrow_schema("subjects")
    subjects_table = pa.table({f.name: subjects.get(f.name, pa.nulls(count, f.type)) for f in schema},
                              schema=schema)
    provenance = columnar.arrow_schema("provenance").empty_table()
    return columnar.EvidenceTables(evidence=evidence_table, values=values_table, subjects=subjects_table,
                                   provenance=provenance)


def generate(values: int, per_part: int) -> Dataset:
    folder = DATA / f"dask-{values}-{per_part}"
    if (folder / MANIFEST).exists():
        return read_dataset(folder)
    evidence = values // 10
    package_json = _package_json()
    parts = []
    for number, first in enumerate(range(0, evidence, per_part)):
        count = min(per_part, evidence - first)
        tables = _part(first, count, package_json)
        path = tables.write_parquet(folder / f"part-{number:05d}")
        parts.append(Part(path=path, first=first, last=first + count - 1, evidence=count,
                          values=tables.values.num_rows))
    manifest = {"layout": columnar.LAYOUT_VERSION, "parts": [
        {"path": p.path.name, "first": p.first, "last": p.last, "evidence": p.evidence, "values": p.values}
        for p in parts]}
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return read_dataset(folder)


def _worker_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _worker_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(dataset: Dataset, warm_up: Dataset, workers: int) -> dict[str, Any]:
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="3GiB") as cluster, Client(cluster) as client:
        client.wait_for_workers(workers)
        validate_dataset(warm_up, client=client)  # imports and caches in every worker, not timed
        before = client.run(_worker_cpu)
        start = time.perf_counter()
        report = validate_dataset(dataset, client=client)
        wall = time.perf_counter() - start
        after = client.run(_worker_cpu)
        peaks = client.run(_worker_peak_mb)
    cpu = sum(after[w] - before[w] for w in after)
    return {"workers": workers, "wall": wall, "cpu": cpu, "problems": len(report.problems),
            "first": str(report.problems[0]) if report.problems else "", "peaks": sorted(peaks.values())}


def main(values: int, per_part: int) -> None:
    start = time.perf_counter()
    dataset = generate(values, per_part)
    print(f"{dataset!r} (ready in {time.perf_counter() - start:.1f} s, not timed)")
    warm_up = generate(20_000, 1_000)
    results = [run(dataset, warm_up, 2), run(dataset, warm_up, 1)]
    for r in results:
        print(f"  {r['workers']} worker(s): {r['wall']:7.1f} s wall, {r['cpu']:7.1f} s CPU in the workers, "
              f"{dataset.value_count / r['wall']:12,.0f} values/s, {r['problems']:,} problems, peak RSS per worker "
              + ", ".join(f"{p:,.0f} MB" for p in r["peaks"]))
    print(f"  first problem: {results[0]['first']}")
    print(f"  speed-up of 2 workers over 1: {results[1]['wall'] / results[0]['wall']:.2f} x "
          f"(load average now {' '.join(f'{x:.1f}' for x in __import__('os').getloadavg())})")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(*(arguments + [10_000_000, 100_000][len(arguments):]))
