"""
Time `merge` (many returns into one package) and `rollup` (many actuals), by hand.

    .venv/bin/python benchmarks/bench_merge_rollup.py 30 100000

N returns, each a copy of the bundled example with re-used ids (so every merge renames), then an
indicator with M quarterly per-period actuals spread over 50 organisations, and a rate indicator
with M actuals with numerators and denominators.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import attrs

from sharedoutcomes import (
    Evidence,
    EvidenceValue,
    Indicator,
    Organisation,
    Outcome,
    Package,
    Period,
    RateDefinition,
    example_package,
)
from sharedoutcomes.merge import merge
from sharedoutcomes.rollup import rollup


def returns(n: int) -> list[Package]:
    base = example_package()
    out = []
    for i in range(n):
        edited = tuple(attrs.evolve(o, title=f"{o.title} ({i % 3})") for o in base.outcomes)
        out.append(attrs.evolve(base, id=f"return-{i}", outcomes=edited))
    return out


def actuals_package(m: int) -> Package:
    orgs = tuple(Organisation(id=f"GB-SC-SC{n:06d}", name=f"Org {n}", sector="third") for n in range(50))
    quarters = [Period(start=dt.date(2020 + q // 4, 1 + 3 * (q % 4), 1),
                       end=dt.date(2020 + q // 4, 3 + 3 * (q % 4), 28)) for q in range(40)]
    evidence = []
    for k in range(m):
        org, q, unit = k % 50, (k // 50) % 40, k // 2000
        evidence.append(Evidence(
            id=f"ev-{k}", kind="count", collected_by=orgs[org].id, activity_id=f"act-{unit}", period=quarters[q],
            values=(EvidenceValue(code="n", value=k % 17, indicator_id="ind-count"),
                    EvidenceValue(code="r-numerator", value=k % 7, indicator_id="ind-rate"),
                    EvidenceValue(code="r-denominator", value=7, indicator_id="ind-rate")),
        ))
    # each (organisation, activity) reports each quarter once, so no per-period values overlap
    indicators = (
        Indicator(id="ind-count", title="Count", outcome_ids=("o",), direction="higher-is-better",
                  aggregation="per-period"),
        Indicator(id="ind-rate", title="Rate", outcome_ids=("o",), direction="higher-is-better",
                  aggregation="per-period", unit="%", rate=RateDefinition(numerator="a", denominator="b", per=100)),
    )
    return Package(schema_version="0.2", id="bench", title="Bench", publisher=orgs[0].id,
                   produced="2025-01-01T00:00:00Z", sharing_level="partners", organisations=orgs,
                   outcomes=(Outcome(id="o", title="O", level="person"),), indicators=indicators,
                   evidence=tuple(evidence))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    inputs = returns(n)
    t = time.perf_counter()
    result = merge(inputs, id="all", title="All", publisher="GB-NHS-NAHSCP", produced="2025-01-01T00:00:00Z")
    took = time.perf_counter() - t
    p = result.package
    print(f"merge {n} returns -> {len(p.evidence)} evidence, {len(p.links)} links, "
          f"{len(result.problems)} problems: {took:.2f} s (including validating the result)")
    package = actuals_package(m)
    for indicator in ("ind-count", "ind-rate"):
        t = time.perf_counter()
        r = rollup(package, indicator)
        took = time.perf_counter() - t
        print(f"rollup {indicator} over {m} actuals: value {r.value}, {len(r.problems)} problems: {took:.2f} s "
              f"({m / took:,.0f} actuals/s)")


if __name__ == "__main__":
    main()
