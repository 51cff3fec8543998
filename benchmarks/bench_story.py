"""
Time the contribution story and the HTML report on a generated partnership package.

Run by hand:  .venv/bin/python benchmarks/bench_story.py [contributions]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from sharedoutcomes.model import (
    Activity,
    ActivityParticipant,
    Contribution,
    Evidence,
    EvidenceLink,
    EvidenceSubject,
    Organisation,
    Outcome,
    OutcomeMapping,
    Package,
)
from sharedoutcomes.report import write_report
from sharedoutcomes.story import partnership_story


def generate(contributions: int, seed: int = 7) -> Package:
    rng = random.Random(seed)
    n_org, n_act, n_out = max(3, contributions // 20), max(3, contributions // 10), max(4, contributions // 5)
    orgs = tuple(Organisation(id=f"GB-SC-SC{i:06d}", name=f"Organisation {i}", sector="third") for i in range(n_org))
    acts = tuple(Activity(id=f"act-{i}", title=f"Activity {i}",
                          participants=(ActivityParticipant(organisation_id=orgs[i % n_org].id, role="lead"),))
                 for i in range(n_act))
    outcomes = []
    for i in range(n_out):
        broader = (f"out-{rng.randrange(i)}",) if i and rng.random() < 0.4 else ()
        mappings = tuple(OutcomeMapping(framework="scot-nhwo", code=str(rng.randint(1, 9)), relation="broad")
                         for _ in range(rng.randint(0, 2)))
        outcomes.append(Outcome(id=f"out-{i}", title=f"Outcome {i}", level="person", broader=broader,
                                mappings=mappings))
    cons, evidence, links = [], [], []
    for i in range(contributions):
        act = acts[rng.randrange(n_act)]
        cons.append(Contribution(id=f"con-{i}", organisation_id=act.participants[0].organisation_id,
                                 activity_id=act.id, outcome_id=f"out-{rng.randrange(n_out)}", role="direct"))
        for j in range(rng.randint(0, 6)):
            ev = f"ev-{i}-{j}"
            evidence.append(Evidence(id=ev, kind=rng.choice(["count", "survey", "case-study", "assessment"]),
                                     activity_id=act.id,
                                     subject=EvidenceSubject(type="cohort", size=rng.randint(5, 200))))
            links.append(EvidenceLink(id=f"l-{i}-{j}", evidence_id=ev, target_type="contribution",
                                      target_id=f"con-{i}", strength=rng.choice(["weak", "moderate", "strong"]),
                                      relation=rng.choice(["supports", "supports", "illustrates", "challenges"])))
    return Package(schema_version="0.2", id="bench", title="Benchmark partnership", publisher=orgs[0].id,
                   produced="2025-01-01T00:00:00Z", sharing_level="partners", organisations=orgs, activities=acts,
                   outcomes=tuple(outcomes), contributions=tuple(cons), evidence=tuple(evidence), links=tuple(links))


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000]
    for size in sizes:
        package = generate(size)
        start = time.perf_counter()
        story = partnership_story(package)
        story_seconds = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            path = write_report(package, Path(tmp) / "r.html")
            report_seconds = time.perf_counter() - start
            kilobytes = path.stat().st_size / 1024
        print(f"{size:>6} contributions, {len(package.outcomes):>4} outcomes, {len(package.evidence):>5} evidence: "
              f"partnership_story {story_seconds:6.2f} s ({len(story.gaps)} gaps), "
              f"write_report {report_seconds:6.2f} s ({kilobytes:,.0f} KB)")


if __name__ == "__main__":
    main()
