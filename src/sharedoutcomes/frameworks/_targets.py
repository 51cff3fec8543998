"""Which outcomes of a framework a piece of evidence (or an outcome) bears on, route by route."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from attrs import frozen

from sharedoutcomes import instruments
from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.frameworks import FrameworkRegistry, default_registry
from sharedoutcomes.frameworks._crosswalk import _RANK, STAR_FRAMEWORK, Crosswalk, _bundled, weakest_relation
from sharedoutcomes.model import Evidence, EvidenceLink, Outcome, Package

INSTRUMENT_FRAMEWORK: Final = "instruments"
"""The source framework of crosswalks from instruments (codes are instrument ids, such as ``wemwbs``)."""


@frozen(kw_only=True)
class PathStep:
    """
    One step of an `OutcomePath`: its kind, the id of what it passes through, and a short detail.

    Kinds: ``evidence``, ``link``, ``value``, ``instrument``, ``star-area``, ``contribution``, ``indicator``,
    ``outcome``, ``broader``, ``mapping``, ``crosswalk``.

    Example:
        >>> str(PathStep(kind="outcome", id="out-carer-breaks"))
        'outcome out-carer-breaks'
        >>> str(PathStep(kind="mapping", id="scot-nhwo 6", detail="broad"))
        'mapping scot-nhwo 6 (broad)'
    """

    kind: str
    id: str
    detail: str | None = None

    def __str__(self) -> str:
        return f"{self.kind} {self.id}" + (f" ({self.detail})" if self.detail else "")


@frozen(kw_only=True)
class OutcomePath:
    """
    One route from a piece of evidence (or an outcome) to an outcome of a framework.

    Attributes:
        framework: The framework reached, such as ``scot-nhwo``.
        code: The outcome's code in it.
        relation: The weakest SKOS relation along the route (``exact`` when nothing weakens it).
        steps: The route, step by step.
        rationale: The rationales of the mappings used, joined.
        title: The outcome's title, when the framework is registered.
        link_relation: How the evidence bears on the first target (``supports``, ``challenges`` …), when the
            route starts with an evidence link.
        link_strength: The strength of that link, when stated.
        confirmed: ``False`` when the route uses a crosswalk mapping that is an editorial default.

    Example:
        >>> from sharedoutcomes import example_package
        >>> path = national_outcomes(example_package(), "ev-shed-winter")[0]
        >>> path.code, path.relation, path.link_relation
        ('1', 'broad', 'challenges')
    """

    framework: str
    code: str
    relation: str
    steps: tuple[PathStep, ...]
    rationale: str | None = None
    title: str | None = None
    link_relation: str | None = None
    link_strength: str | None = None
    confirmed: bool = True

    def __str__(self) -> str:
        return f"{self.framework} {self.code} ({self.relation}): " + " → ".join(map(str, self.steps))


@frozen
class _Walk:
    """What is known on the way to a framework outcome."""

    relation: str = "exact"
    steps: tuple[PathStep, ...] = ()
    rationales: tuple[str, ...] = ()
    confirmed: bool = True

    def then(self, step: PathStep, relation: str = "exact", rationale: str | None = None,
             confirmed: bool = True) -> _Walk:
        return _Walk(weakest_relation(self.relation, relation), (*self.steps, step),
                     (*self.rationales, rationale) if rationale else self.rationales,
                     self.confirmed and confirmed)


class _Index:
    """The package's objects by id, and the crosswalks by (source framework, target framework)."""

    def __init__(self, package: Package, crosswalks: Iterable[Crosswalk]) -> None:
        self.package = package
        self.outcomes = {o.id: o for o in package.outcomes}
        self.contributions = {c.id: c for c in package.contributions}
        self.indicators = {i.id: i for i in package.indicators}
        self.evidence = {e.id: e for e in package.evidence}
        self.crosswalks: dict[tuple[str, str], list[Crosswalk]] = {}
        for crosswalk in crosswalks:
            self.crosswalks.setdefault((crosswalk.source_framework, crosswalk.target_framework), []).append(crosswalk)

    def via_crosswalks(self, walk: _Walk, source_framework: str, code: str,
                       target: str) -> Iterator[tuple[_Walk, str]]:
        for crosswalk in self.crosswalks.get((source_framework, target), ()):
            for mapping in crosswalk.targets_of(code):
                step = PathStep(kind="crosswalk", id=crosswalk.id,
                                detail=f"{mapping.source} → {mapping.target}, {mapping.relation}")
                yield walk.then(step, mapping.relation, mapping.rationale, mapping.confirmed), mapping.target

    def from_outcome(self, outcome: Outcome, walk: _Walk, target: str,
                     seen: frozenset[str] = frozenset()) -> Iterator[tuple[_Walk, str]]:
        if outcome.id in seen:
            return
        seen = seen | {outcome.id}
        if outcome.framework is not None and outcome.code is not None:
            if outcome.framework == target:
                yield walk, outcome.code
            else:
                yield from self.via_crosswalks(walk, outcome.framework, outcome.code, target)
        for mapping in outcome.mappings:
            step = PathStep(kind="mapping", id=f"{mapping.framework} {mapping.code}", detail=mapping.relation)
            mapped = walk.then(step, mapping.relation, mapping.rationale)
            if mapping.framework == target:
                yield mapped, mapping.code
            else:
                yield from self.via_crosswalks(mapped, mapping.framework, mapping.code, target)
        for broader_id in outcome.broader:
            broader = self.outcomes.get(broader_id)
            if broader is not None:
                step = PathStep(kind="broader", id=broader_id, detail="broad")
                yield from self.from_outcome(broader, walk.then(step, "broad"), target, seen)

    def from_outcome_id(self, outcome_id: str, walk: _Walk, target: str) -> Iterator[tuple[_Walk, str]]:
        outcome = self.outcomes.get(outcome_id)
        if outcome is not None:
            yield from self.from_outcome(outcome, walk.then(PathStep(kind="outcome", id=outcome_id)), target)

    def from_link(self, link: EvidenceLink, walk: _Walk, target: str) -> Iterator[tuple[_Walk, str]]:
        detail = link.relation + (f", {link.strength}" if link.strength else "")
        walk = walk.then(PathStep(kind="link", id=link.id, detail=detail), rationale=link.rationale)
        if link.target_type == "contribution":
            contribution = self.contributions.get(link.target_id)
            if contribution is not None:
                walk = walk.then(PathStep(kind="contribution", id=contribution.id))
                yield from self.from_outcome_id(contribution.outcome_id, walk, target)
        elif link.target_type == "outcome":
            yield from self.from_outcome_id(link.target_id, walk, target)
        else:
            yield from self.from_indicator(link.target_id, walk, target)

    def from_indicator(self, indicator_id: str, walk: _Walk, target: str) -> Iterator[tuple[_Walk, str]]:
        indicator = self.indicators.get(indicator_id)
        if indicator is not None:
            walk = walk.then(PathStep(kind="indicator", id=indicator_id))
            for outcome_id in indicator.outcome_ids:
                yield from self.from_outcome_id(outcome_id, walk, target)


_STAR_INSTRUMENT = re.compile(r"^outcomes-star/([^/]+)")


def star_of(evidence: Evidence) -> str | None:
    """
    The Star id of an Outcomes Star reading, or ``None`` when *evidence* is not one.

    Read from ``extension_data["outcomes-star"]["star"]``, else from an instrument
    ``outcomes-star/<star-id>/<edition>``.

    Example:
        >>> from sharedoutcomes import Evidence
        >>> star_of(Evidence(id="e", kind="assessment", instrument="outcomes-star/recovery-star/4"))
        'recovery-star'
        >>> star_of(Evidence(id="e", kind="assessment", instrument="WEMWBS")) is None
        True
    """
    extension = evidence.extension_data.get(STAR_FRAMEWORK)
    if isinstance(extension, Mapping) and isinstance(extension.get("star"), str):
        return str(extension["star"])
    match = _STAR_INSTRUMENT.match(evidence.instrument or "")
    return match.group(1) if match else None


def instrument_of(evidence: Evidence) -> str | None:
    """
    The id of the registered survey instrument (not an Outcomes Star) *evidence* is on, or ``None``.

    Example:
        >>> from sharedoutcomes import Evidence
        >>> instrument_of(Evidence(id="e", kind="survey", instrument="SWEMWBS"))
        'swemwbs'
        >>> instrument_of(Evidence(id="e", kind="assessment", instrument="outcomes-star/recovery-star/4")) is None
        True
    """
    found = instruments.registry().find(evidence.instrument) if evidence.instrument else None
    return found.id if found is not None and found.family is None else None


def _paths(index: _Index, evidence: Evidence, target: str) -> Iterator[tuple[_Walk, str, EvidenceLink | None]]:
    start = _Walk(steps=(PathStep(kind="evidence", id=evidence.id),))
    for link in index.package.links:
        if link.evidence_id == evidence.id:
            for walk, code in index.from_link(link, start, target):
                yield walk, code, link
    for value in evidence.values:
        if value.indicator_id is not None:
            walk = start.then(PathStep(kind="value", id=value.code))
            for found, code in index.from_indicator(value.indicator_id, walk, target):
                yield found, code, None
    instrument = instrument_of(evidence)
    if instrument is not None:
        walk = start.then(PathStep(kind="instrument", id=instrument))
        for found, code in index.via_crosswalks(walk, INSTRUMENT_FRAMEWORK, instrument, target):
            yield found, code, None
    star = star_of(evidence)
    if star is not None:
        for value in evidence.values:
            walk = start.then(PathStep(kind="star-area", id=f"{star}:{value.code}"))
            for found, code in index.via_crosswalks(walk, STAR_FRAMEWORK, f"{star}:{value.code}", target):
                yield found, code, None


def _code_key(code: str) -> tuple[int, str]:
    return (int(code), "") if code.isdigit() else (1 << 30, code)


def _finish(found: Iterable[tuple[_Walk, str, EvidenceLink | None]], framework: str,
            registry: FrameworkRegistry | None) -> tuple[OutcomePath, ...]:
    registry = registry or default_registry()
    titles: Mapping[str, str] = {}
    if framework in registry:
        titles = {item.code: item.title for item in registry.get(framework).items}
    paths: dict[tuple[str, tuple[PathStep, ...]], OutcomePath] = {}
    for walk, code, link in found:
        path = OutcomePath(
            framework=framework, code=code, relation=walk.relation, steps=walk.steps,
            rationale=" ".join(dict.fromkeys(walk.rationales)) or None, title=titles.get(code),
            link_relation=link.relation if link else None, link_strength=link.strength if link else None,
            confirmed=walk.confirmed,
        )
        paths.setdefault((code, walk.steps), path)
    return tuple(sorted(paths.values(), key=lambda p: (_code_key(p.code), _RANK[p.relation], len(p.steps))))


def national_outcomes(
    package: Package,
    evidence_id: str,
    *,
    framework: str = "scot-nhwo",
    crosswalks: Iterable[Crosswalk] | None = None,
    registry: FrameworkRegistry | None = None,
) -> tuple[OutcomePath, ...]:
    """
    Which outcomes of *framework* a piece of evidence bears on, and through which mappings.

    Follows the evidence's links (to contributions, outcomes, indicators), the indicators its
    values are actuals for, the outcome hierarchy (``broader``), each outcome's ``mappings``
    and *crosswalks* (the bundled ones by default; Star areas in the evidence's values use the
    crosswalks from ``outcomes-star``). Returns every distinct route, by code, strongest first.

    Raises:
        UnknownName: The package has no evidence with that id.

    Example:
        >>> from sharedoutcomes import example_package
        >>> paths = national_outcomes(example_package(), "ev-carers-star-2")
        >>> sorted({(p.code, p.relation) for p in paths})
        [('6', 'broad'), ('6', 'close'), ('6', 'related')]
        >>> [str(s) for s in paths[0].steps]
        ['evidence ev-carers-star-2', 'link lnk-8 (supports, moderate)', 'contribution con-carers-wellbeing', 'outcome out-carer-wellbeing', 'mapping scot-nhwo 6 (close)']
    """
    index = _Index(package, _bundled() if crosswalks is None else crosswalks)
    evidence = index.evidence.get(evidence_id)
    if evidence is None:
        raise UnknownName(evidence_id, known=tuple(index.evidence), what="evidence")
    return _finish(_paths(index, evidence, framework), framework, registry)


def outcome_targets(
    package: Package,
    outcome_id: str,
    *,
    framework: str = "scot-nhwo",
    crosswalks: Iterable[Crosswalk] | None = None,
    registry: FrameworkRegistry | None = None,
) -> tuple[OutcomePath, ...]:
    """
    Which outcomes of *framework* an outcome in the package reaches, and how.

    Raises:
        UnknownName: The package has no outcome with that id.

    Example:
        >>> from sharedoutcomes import example_package
        >>> [(p.code, p.relation, len(p.steps)) for p in outcome_targets(example_package(), "out-active")]
        [('1', 'broad', 2), ('1', 'broad', 3), ('4', 'broad', 3)]
    """
    index = _Index(package, _bundled() if crosswalks is None else crosswalks)
    if outcome_id not in index.outcomes:
        raise UnknownName(outcome_id, known=tuple(index.outcomes), what="outcome")
    found = ((walk, code, None) for walk, code in index.from_outcome_id(outcome_id, _Walk(), framework))
    return _finish(found, framework, registry)
