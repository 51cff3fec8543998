"""Properties: every contribution appears in exactly the stories of the outcomes it serves."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sharedoutcomes.model import (
    Contribution,
    Evidence,
    EvidenceLink,
    Organisation,
    Outcome,
    OutcomeMapping,
    Package,
)
from sharedoutcomes.story import contribution_story, partnership_story

CODES = [str(n) for n in range(1, 10)]
RELATIONS = ["exact", "close", "broad", "narrow", "related"]
ORG = "GB-SC-SC000001"


@st.composite
def packages(draw: st.DrawFn) -> Package:
    n = draw(st.integers(1, 7))
    outcomes = []
    for i in range(n):
        # parents may point anywhere, cycles included: stories must still terminate and be right
        parents = draw(st.lists(st.sampled_from([f"o{j}" for j in range(n) if j != i] or ["o0"]),
                                max_size=2, unique=True)) if n > 1 else []
        mappings = draw(st.lists(st.tuples(st.sampled_from(CODES), st.sampled_from(RELATIONS)), max_size=2,
                                 unique_by=lambda m: m[0]))
        outcomes.append(Outcome(id=f"o{i}", title=f"Outcome {i}", level="person", broader=tuple(parents),
                                mappings=tuple(OutcomeMapping(framework="scot-nhwo", code=c, relation=r)
                                               for c, r in mappings)))
    targets = draw(st.lists(st.integers(0, n - 1), max_size=8))
    contributions = tuple(Contribution(id=f"c{k}", organisation_id=ORG, outcome_id=f"o{t}", role="direct")
                          for k, t in enumerate(targets))
    strengths = st.sampled_from(["weak", "moderate", "strong", None])
    kinds = st.sampled_from(["count", "survey", "case-study", "assessment"])
    evidence, links = [], []
    for c in contributions:
        for m in range(draw(st.integers(0, 3))):
            evidence.append(Evidence(id=f"e-{c.id}-{m}", kind=draw(kinds)))
            links.append(EvidenceLink(id=f"l-{c.id}-{m}", evidence_id=f"e-{c.id}-{m}", target_type="contribution",
                                      target_id=c.id, strength=draw(strengths),
                                      relation=draw(st.sampled_from(["supports", "illustrates", "challenges"]))))
    return Package(schema_version="0.2", id="pkg", title="Generated", publisher=ORG, produced="2025-01-01T00:00:00Z",
                   sharing_level="partners", organisations=(Organisation(id=ORG, name="Org", sector="third"),),
                   outcomes=tuple(outcomes), contributions=contributions, evidence=tuple(evidence),
                   links=tuple(links))


def ancestors(package: Package, outcome_id: str) -> set[str]:
    parents = {o.id: o.broader for o in package.outcomes}
    seen, todo = set(), [outcome_id]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return seen


def served_codes(package: Package, outcome_id: str) -> set[str]:
    mappings = {o.id: o.mappings for o in package.outcomes}
    return {m.code for a in ancestors(package, outcome_id) for m in mappings[a] if m.framework == "scot-nhwo"}


@given(packages())
def test_each_contribution_is_in_exactly_the_national_stories_it_serves(package: Package) -> None:
    story = partnership_story(package)
    found: dict[str, set[str]] = {c.id: set() for c in package.contributions}
    for outcome_story in story:
        ids = [e.id for e in outcome_story.contributions]
        assert len(ids) == len(set(ids))  # once per story, however many paths
        for contribution_id in ids:
            found[contribution_id].add(outcome_story.code or "")

    for c in package.contributions:
        assert found[c.id] == served_codes(package, c.outcome_id)


@given(packages())
def test_each_contribution_is_in_exactly_the_local_stories_it_serves(package: Package) -> None:
    for outcome in package.outcomes:
        ids = {e.id for e in contribution_story(package, outcome.id).contributions}
        assert ids == {c.id for c in package.contributions if outcome.id in ancestors(package, c.outcome_id)}


@given(packages())
def test_gaps_and_ratings_are_consistent(package: Package) -> None:
    story = partnership_story(package)
    no_evidence = {g.subject_id for g in story.gaps if g.kind == "no-evidence"}
    not_mapped = {g.subject_id for g in story.gaps if g.kind == "not-mapped"}
    unserved = {g.subject_id for g in story.gaps if g.kind == "no-contribution" and g.subject_type == "national-outcome"}

    assert no_evidence == {e.id for e in story.contributions if e.rating.rating == "none"}
    assert not_mapped == {c.id for c in package.contributions if not served_codes(package, c.outcome_id)}
    assert unserved == {f"scot-nhwo:{s.code}" for s in story if not s.contributions}
    for entry in story.contributions:
        assert entry.rating.reasons  # never a rating without a reason
        assert (entry.rating.rating == "none") == (not entry.supporting and not entry.illustrating)


@given(packages())
def test_to_dict_never_fails(package: Package) -> None:
    data: dict[str, Any] = partnership_story(package).to_dict()

    assert len(data["stories"]) == 9
