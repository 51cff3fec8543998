"""Linking a package's Outcomes Star readings to the national outcomes their areas bear on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from sharedoutcomes.frameworks import FrameworkRegistry, default_registry
from sharedoutcomes.frameworks._crosswalk import Crosswalk, get_crosswalk
from sharedoutcomes.frameworks._targets import (
    INSTRUMENT_FRAMEWORK,
    _code_key,
    instrument_of,
    outcome_targets,
    star_of,
)
from sharedoutcomes.model import Evidence, EvidenceLink, Outcome, Package


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def link_star_readings(
    package: Package,
    *,
    crosswalk: str | Crosswalk = "outcomes-star-to-scot-nhwo",
    strength: str = "weak",
    asserted_by: str | None = None,
    asserted_on: dt.date | None = None,
    contributions: bool = True,
    registry: FrameworkRegistry | None = None,
) -> Package:
    """
    Link the package's Outcomes Star readings to the national outcomes their areas bear on.

    For each reading (see `star_of`) and each target outcome its areas map to through
    *crosswalk*, the new package has:

    - an `Outcome` for the target (``framework`` and ``code`` set, id ``<framework>-<code>``),
      unless the package already has one with that framework and code;
    - an `EvidenceLink` from the reading to that outcome: relation ``supports`` when some area maps
      exactly, closely, broader or narrower, ``contextualises`` when all are only related; strength
      *strength*; a rationale naming the crosswalk and each mapping used;
    - an `EvidenceLink` to each contribution through the reading's activity whose outcome reaches
      the same target outcome (see `outcome_targets`).

    Pass ``contributions=False`` to link to the outcomes only. Links the package already has
    (same evidence and target) are not repeated. The input is
    unchanged; a new package is returned.

    Example:
        >>> from sharedoutcomes import example_package, validate
        >>> linked = link_star_readings(example_package())
        >>> for link in linked.links[len(example_package().links):][:3]:
        ...     print(link.evidence_id, link.target_type, link.target_id, link.relation, link.strength)
        ev-carers-star-1 outcome scot-nhwo-6 supports weak
        ev-carers-star-1 contribution con-carers-breaks supports weak
        ev-carers-star-1 contribution con-hscp-carers supports weak
        >>> linked.outcomes[-1].title[:40]
        'People who provide unpaid care are suppo'
        >>> validate(linked).ok
        True
    """
    cw = crosswalk if isinstance(crosswalk, Crosswalk) else get_crosswalk(crosswalk)
    target = cw.target_framework
    registry = registry or default_registry()
    titles = {i.code: i.title for i in registry.get(target).items} if target in registry else {}
    outcomes = list(package.outcomes)
    outcome_ids = {o.id for o in outcomes}
    national = {(o.framework, o.code): o.id for o in outcomes if o.framework and o.code}
    links = list(package.links)
    link_ids = {link.id for link in links}
    linked = {(link.evidence_id, link.target_type, link.target_id) for link in links}
    reach = _contribution_reach(package, target, registry)

    def add_link(evidence: Evidence, target_type: str, target_id: str, relation: str, rationale: str) -> None:
        if (evidence.id, target_type, target_id) in linked:
            return
        linked.add((evidence.id, target_type, target_id))
        links.append(EvidenceLink(
            id=_unique(f"lnk-{evidence.id}-{target_id}", link_ids), evidence_id=evidence.id,
            target_type=target_type, target_id=target_id, relation=relation, strength=strength,
            rationale=rationale, asserted_by=asserted_by, asserted_on=asserted_on))

    for evidence in package.evidence:
        sources = _sources(evidence, cw)
        if not sources:
            continue
        by_code: dict[str, list[Any]] = {}
        for source in sources:
            for mapping in cw.targets_of(source):
                by_code.setdefault(mapping.target, []).append(mapping)
        for code in sorted(by_code, key=_code_key):
            used = by_code[code]
            if (target, code) not in national:
                new_id = _unique(f"{target}-{code}", outcome_ids)
                national[(target, code)] = new_id
                outcomes.append(Outcome(id=new_id, title=titles.get(code, f"{target} {code}"), level="population",
                                        framework=target, code=code))
            relation = ("contextualises" if all(m.relation == "related" for m in used) else "supports")
            because = "; ".join(f"{m.source} → {target} {m.target} ({m.relation}): {m.rationale}" for m in used)
            rationale = f"Crosswalk {cw.id}: {because}"
            add_link(evidence, "outcome", national[(target, code)], relation, rationale)
            if evidence.activity_id is None or not contributions:
                continue
            for contribution_id, outcome_id in reach.get((evidence.activity_id, code), ()):
                add_link(evidence, "contribution", contribution_id, relation,
                         f"{rationale} The contribution's outcome {outcome_id} reaches {target} {code}.")
    return attrs.evolve(package, outcomes=tuple(outcomes), links=tuple(links))


def _sources(evidence: Evidence, crosswalk: Crosswalk) -> tuple[str, ...]:
    """The crosswalk's source codes *evidence* stands for: its instrument, or its Star's areas."""
    if crosswalk.source_framework == INSTRUMENT_FRAMEWORK:
        instrument = instrument_of(evidence)
        return () if instrument is None else (instrument,)
    star = star_of(evidence)
    return () if star is None else tuple(f"{star}:{value.code}" for value in evidence.values)


def link_instrument_responses(package: Package, **options: Any) -> Package:
    """
    Link the package's responses on registered instruments (WEMWBS, ONS4 …) to the national outcomes they bear on.

    `link_star_readings` with the crosswalk ``instruments-to-scot-nhwo``: the same options, the
    same links (to the national outcome, and to contributions through the response's activity that
    reach it), each with the crosswalk's rationale.

    Example:
        >>> import sharedoutcomes
        >>> package = sharedoutcomes.load("tests/story/data/kirkton-locality.json")
        >>> linked = link_instrument_responses(package)
        >>> [(l.evidence_id, l.target_id, l.relation) for l in linked.links[len(package.links):]][:2]
        [('ev-kb1-wemwbs-1', 'scot-nhwo-1', 'supports'), ('ev-kb1-wemwbs-1', 'scot-nhwo-4', 'contextualises')]
    """
    options.setdefault("crosswalk", "instruments-to-scot-nhwo")
    return link_star_readings(package, **options)


def _contribution_reach(package: Package, target: str,
                        registry: FrameworkRegistry) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(activity id, target code) → [(contribution id, outcome id)] for contributions through an activity."""
    reach: dict[tuple[str, str], list[tuple[str, str]]] = {}
    codes: dict[str, Sequence[str]] = {}
    for contribution in package.contributions:
        if contribution.activity_id is None:
            continue
        if contribution.outcome_id not in codes:
            paths = outcome_targets(package, contribution.outcome_id, framework=target, registry=registry) \
                if any(o.id == contribution.outcome_id for o in package.outcomes) else ()
            codes[contribution.outcome_id] = sorted({p.code for p in paths}, key=_code_key)
        for code in codes[contribution.outcome_id]:
            reach.setdefault((contribution.activity_id, code), []).append(
                (contribution.id, contribution.outcome_id))
    return reach
