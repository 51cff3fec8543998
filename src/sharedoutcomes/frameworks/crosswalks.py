"""
Crosswalks between frameworks, and the question users ask: which national outcomes does this evidence bear on?

A crosswalk is a data file under ``schemas/crosswalks/<id>.json`` (schema
``crosswalks/crosswalk.schema.json``): mappings from the codes of a source framework to the
codes of a target framework, each with a SKOS relation and a rationale. The bundled
crosswalks are editable defaults, not official mappings:

- ``outcomes-star-to-scot-nhwo``: the areas of the main Outcomes Stars (source codes ``<star-id>:<area-code>``);
- ``talking-points-to-scot-nhwo``: Talking Points personal outcomes;
- ``eng-ascof-to-scot-nhwo``: England's ASCOF, where a comparison is defensible (`Crosswalk.inverse` reads it
  the other way);
- ``scot-core-suite-to-scot-nhwo``: the Core Suite Integration Indicators.

`national_outcomes` follows every route from a piece of evidence to a framework's outcomes:
its links to contributions, outcomes and indicators; the indicators its values are actuals for;
the outcome hierarchy (``broader``); each outcome's own ``mappings``; and crosswalks (for Star
areas in its values, and for outcomes mapped to another framework). Each route is an
`OutcomePath` whose relation is the weakest along the way.

Example:
    >>> from sharedoutcomes import example_package
    >>> package = example_package()
    >>> paths = national_outcomes(package, "ev-carers-breaks-q1")
    >>> [(p.code, p.relation, p.steps[1].kind) for p in paths]
    [('6', 'broad', 'link'), ('6', 'broad', 'value'), ('6', 'broad', 'link'), ('6', 'broad', 'value')]
    >>> print(paths[0])
    scot-nhwo 6 (broad): evidence ev-carers-breaks-q1 → link lnk-9 (supports, strong) → contribution con-carers-breaks → outcome out-carer-breaks → mapping scot-nhwo 6 (broad)
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib.resources.abc import Traversable
from typing import Any, Final

import attrs
from attrs import frozen

from sharedoutcomes import _refdata
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import Problem, SourceLocation, UnknownName
from sharedoutcomes.frameworks import FrameworkRegistry, default_registry
from sharedoutcomes.model import Evidence, EvidenceLink, Outcome, Package

__all__ = [
    "STAR_FRAMEWORK",
    "Crosswalk",
    "CrosswalkMapping",
    "OutcomePath",
    "PathStep",
    "crosswalk_from_data",
    "crosswalks",
    "get_crosswalk",
    "link_star_readings",
    "load_crosswalk",
    "national_outcomes",
    "outcome_targets",
    "star_of",
    "weakest_relation",
]

STAR_FRAMEWORK: Final = "outcomes-star"
"""The source framework of crosswalks from Outcomes Star areas (codes ``<star-id>:<area-code>``)."""

_SCHEMA_FILE: Final = "crosswalk.schema.json"
_RANK: Final = {"exact": 0, "close": 1, "broad": 2, "narrow": 2, "related": 3}
_INVERSE: Final = {"exact": "exact", "close": "close", "broad": "narrow", "narrow": "broad", "related": "related"}


def weakest_relation(*relations: str) -> str:
    """
    The weakest of SKOS mapping *relations*, for a chain of mappings.

    exact is stronger than close, close than broad or narrow, and those than related.
    A chain that goes both broader and narrower is only related.

    Example:
        >>> weakest_relation("exact", "close", "broad")
        'broad'
        >>> weakest_relation("broad", "narrow")
        'related'
        >>> weakest_relation()
        'exact'
    """
    result = "exact"
    for relation in relations:
        if {result, relation} == {"broad", "narrow"}:
            result = "related"
        elif _RANK[relation] > _RANK[result]:
            result = relation
    return result


@frozen(kw_only=True)
class CrosswalkMapping:
    """
    One mapping of a crosswalk: source code → target code, with its SKOS relation and rationale.

    Example:
        >>> m = CrosswalkMapping(source="1A", target="4", relation="broad", rationale="Measures part of it.")
        >>> m.confirmed
        False
    """

    source: str
    target: str
    relation: str
    rationale: str
    confirmed: bool = False


@frozen(kw_only=True)
class Crosswalk:
    """
    Mappings from the codes of one framework to the codes of another.

    Example:
        >>> cw = get_crosswalk("eng-ascof-to-scot-nhwo")
        >>> [(m.target, m.relation) for m in cw.targets_of("4A")]
        [('7', 'broad')]
        >>> [(m.target, m.relation) for m in cw.inverse().targets_of("7")][:2]
        [('domain-4', 'close'), ('safety', 'close')]
    """

    id: str
    title: str
    description: str
    version: str
    status: str
    source_framework: str
    target_framework: str
    mappings: tuple[CrosswalkMapping, ...]

    def targets_of(self, source: str) -> tuple[CrosswalkMapping, ...]:
        """The mappings whose source is *source*, in file order."""
        return tuple(m for m in self.mappings if m.source == source)

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct source codes, in file order."""
        return tuple(dict.fromkeys(m.source for m in self.mappings))

    def inverse(self) -> Crosswalk:
        """The same mappings read from target to source (broad and narrow swap)."""
        return attrs.evolve(
            self,
            id=f"{self.id}-inverse",
            title=f"{self.title} (read in reverse)",
            source_framework=self.target_framework,
            target_framework=self.source_framework,
            mappings=tuple(attrs.evolve(m, source=m.target, target=m.source, relation=_INVERSE[m.relation])
                           for m in self.mappings),
        )


def _duplicates(data: Any, name: str | None) -> Iterator[Problem]:
    seen: set[tuple[str, str]] = set()
    mappings = data.get("mappings") if isinstance(data, Mapping) else None
    for i, mapping in enumerate(mappings if isinstance(mappings, list) else ()):
        if not isinstance(mapping, Mapping):
            continue
        key = (mapping.get("source"), mapping.get("target"))
        if key in seen:
            yield Problem(rule="id-unique", severity="error", path=json_path(["mappings", i]),
                          message=f"{key[0]} → {key[1]} is mapped twice",
                          source=SourceLocation(file=name) if name else None)
        seen.add(key)  # type: ignore[arg-type]


def crosswalk_from_data(data: Any, *, name: str | None = None) -> Crosswalk:
    """
    Build a crosswalk from parsed JSON, checking it against the crosswalk schema first.

    Raises:
        InvalidDocument: The data does not follow the schema, or a pair is mapped twice.

    Example:
        >>> cw = crosswalk_from_data({"id": "local-to-nhwo", "title": "Local to national",
        ...     "description": "Our priorities.", "version": "1", "status": "local",
        ...     "source_framework": "nahscp-priorities", "target_framework": "scot-nhwo",
        ...     "mappings": [{"source": "P3", "target": "6", "relation": "close", "rationale": "Carers."}]})
        >>> cw.targets_of("P3")[0].target
        '6'
    """
    _refdata.check(data, _refdata.reference_schema("crosswalks", _SCHEMA_FILE), name=name,
                   extra=list(_duplicates(data, name)))
    return Crosswalk(
        id=data["id"], title=data["title"], description=data["description"], version=data["version"],
        status=data["status"], source_framework=data["source_framework"],
        target_framework=data["target_framework"],
        mappings=tuple(CrosswalkMapping(source=m["source"], target=m["target"], relation=m["relation"],
                                        rationale=m["rationale"], confirmed=m.get("confirmed", False))
                       for m in data["mappings"]),
    )


def load_crosswalk(path: str | os.PathLike[str] | Traversable) -> Crosswalk:
    """
    Read a crosswalk from a JSON data file that follows ``crosswalks/crosswalk.schema.json``.

    Raises:
        ConversionError: The file cannot be read or is not JSON.
        InvalidDocument: The data does not follow the schema.

    Example:
        >>> load_crosswalk("tests/frameworks/data/nahscp-priorities-to-scot-nhwo.json").status
        'local'
    """
    data, name = _refdata.read(path)
    return crosswalk_from_data(data, name=name)


@functools.cache
def _bundled() -> tuple[Crosswalk, ...]:
    return tuple(load_crosswalk(entry) for entry in _refdata.bundled_files("crosswalks"))


def crosswalks() -> tuple[Crosswalk, ...]:
    """
    The bundled crosswalks.

    Example:
        >>> [cw.id for cw in crosswalks()]
        ['eng-ascof-to-scot-nhwo', 'outcomes-star-to-scot-nhwo', 'scot-core-suite-to-scot-nhwo', 'talking-points-to-scot-nhwo']
    """
    return _bundled()


def get_crosswalk(crosswalk_id: str) -> Crosswalk:
    """
    One bundled crosswalk by id.

    Raises:
        UnknownName: No bundled crosswalk has that id (with a did-you-mean hint).

    Example:
        >>> get_crosswalk("talking-points-to-scot-nhwo").source_framework
        'talking-points'
    """
    for crosswalk in _bundled():
        if crosswalk.id == crosswalk_id:
            return crosswalk
    raise UnknownName(crosswalk_id, known=[cw.id for cw in _bundled()], what="crosswalk")


# -- paths from evidence to a framework's outcomes ------------------------------------------------


@frozen(kw_only=True)
class PathStep:
    """
    One step of an `OutcomePath`: its kind, the id of what it passes through, and a short detail.

    Kinds: ``evidence``, ``link``, ``value``, ``star-area``, ``contribution``, ``indicator``,
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


# -- linking Star readings into a package ----------------------------------------------------------


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
        star = star_of(evidence)
        if star is None:
            continue
        by_code: dict[str, list[Any]] = {}
        for value in evidence.values:
            for mapping in cw.targets_of(f"{star}:{value.code}"):
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
