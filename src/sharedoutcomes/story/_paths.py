"""
How a contribution's outcome reaches another outcome.

Up the ``broader`` hierarchy, then through the package's own mappings or, when
`sharedoutcomes.frameworks.crosswalks` knows one, a published crosswalk. Also the titles
of a published framework and its outcomes, as `sharedoutcomes.frameworks` has them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Final, Literal

from attrs import frozen

from sharedoutcomes.frameworks import get_framework
from sharedoutcomes.frameworks.crosswalks import outcome_targets
from sharedoutcomes.model import Package

__all__ = [
    "OutcomePath",
    "PathFinder",
    "code_key",
    "codes_in_package",
    "framework_title",
    "framework_titles",
    "local_paths",
    "national_paths",
    "national_title",
]

_MAX_CHAINS: Final = 256  # an outcome hierarchy is small; this only guards against pathological data


@frozen(kw_only=True)
class OutcomePath:
    """
    How a contribution's outcome serves a story's outcome.

    ``outcome_ids`` runs from the contribution's outcome up through ``broader`` outcomes; ``via``
    says how the last one reaches the story's outcome: it *is* it (``outcome``), it is reached by
    climbing the hierarchy (``broader``), it maps to it (``mapping``, with the mapping), or a
    published crosswalk takes one of its mappings there (``crosswalk``).

    Example:
        >>> str(OutcomePath(outcome_ids=("out-active", "out-connected"), via="broader"))
        'out-active → out-connected'
    """

    outcome_ids: tuple[str, ...]
    via: Literal["outcome", "broader", "mapping", "crosswalk"]
    framework: str | None = None
    code: str | None = None
    relation: str | None = None
    rationale: str | None = None
    crosswalk: str | None = None

    def _plain_extra(self) -> dict[str, str]:
        return {"text": str(self)}

    def __str__(self) -> str:
        chain = " → ".join(self.outcome_ids)
        if self.via in ("outcome", "broader") and self.framework is None:
            return chain
        if self.via == "crosswalk":
            return f"{chain} ⇒ crosswalk {self.crosswalk} ⇒ {self.framework} {self.code} ({self.relation})"
        relation = f" ({self.relation})" if self.relation else ""
        if self.via == "mapping":
            return f"{chain} ⇒ {self.framework} {self.code}{relation}"
        return f"{chain} (= {self.framework} {self.code})"


class PathFinder:
    """
    Finds the paths between one package's outcomes, remembering what it has worked out.

    Example:
        >>> import sharedoutcomes
        >>> finder = PathFinder(sharedoutcomes.example_package())
        >>> sorted(finder.ancestors("out-active"))
        ['out-active', 'out-connected']
    """

    def __init__(self, package: Package) -> None:
        self.package = package
        self.outcomes = {o.id: o for o in package.outcomes}
        self.broader = {o.id: o.broader for o in package.outcomes}
        self._chains: dict[str, list[tuple[str, ...]]] = {}
        self._crosswalk: dict[tuple[str, str], tuple[tuple[str, OutcomePath], ...]] = {}

    def chains(self, start: str) -> list[tuple[str, ...]]:
        """Every upward path from ``start`` through ``broader`` (``start`` alone first), without cycles."""
        if start not in self._chains:
            result: list[tuple[str, ...]] = []
            queue: list[tuple[str, ...]] = [(start,)]
            while queue and len(result) < _MAX_CHAINS:
                chain = queue.pop(0)
                result.append(chain)
                queue.extend((*chain, parent) for parent in self.broader.get(chain[-1], ()) if parent not in chain)
            self._chains[start] = result
        return self._chains[start]

    def ancestors(self, start: str) -> set[str]:
        """``start`` and every outcome above it."""
        return {outcome_id for chain in self.chains(start) for outcome_id in chain}

    def local(self, start: str, target: str) -> tuple[OutcomePath, ...]:
        """The paths by which outcome ``start`` serves outcome ``target`` of the same package."""
        return tuple(OutcomePath(outcome_ids=chain, via="outcome" if len(chain) == 1 else "broader")
                     for chain in self.chains(start) if chain[-1] == target)

    def national(self, start: str, framework: str, code: str) -> tuple[OutcomePath, ...]:
        """The paths by which outcome ``start`` serves outcome ``code`` of ``framework``."""
        paths: list[OutcomePath] = []
        for chain in self.chains(start):
            top = self.outcomes.get(chain[-1])
            if top is None:
                continue
            if top.framework == framework and top.code == code:
                paths.append(OutcomePath(outcome_ids=chain, via="outcome", framework=framework, code=code))
            paths.extend(OutcomePath(outcome_ids=chain, via="mapping", framework=framework, code=code,
                                     relation=mapping.relation, rationale=mapping.rationale)
                         for mapping in top.mappings if mapping.framework == framework and mapping.code == code)
        key = (start, framework)
        if key not in self._crosswalk:
            foreign = any((o.framework is not None and o.framework != framework)
                          or any(m.framework != framework for m in o.mappings)
                          for o in (self.outcomes.get(a) for a in self.ancestors(start)) if o is not None)
            self._crosswalk[key] = _crosswalk_routes(self.package, start, framework) if foreign else ()
        return (*paths, *(path for found, path in self._crosswalk[key] if found == code))


def local_paths(package: Package, start: str, target: str) -> tuple[OutcomePath, ...]:
    """
    The paths by which outcome ``start`` serves outcome ``target`` of the same package.

    Example:
        >>> import sharedoutcomes
        >>> local_paths(sharedoutcomes.example_package(), "out-active", "out-connected")[0].via
        'broader'
    """
    return PathFinder(package).local(start, target)


def national_paths(package: Package, start: str, framework: str, code: str) -> tuple[OutcomePath, ...]:
    """
    The paths by which outcome ``start`` serves outcome ``code`` of ``framework``.

    The package's own outcomes, ``broader`` hierarchy and mappings come first; routes that
    need a published crosswalk (an outcome mapped to Talking Points, say) come from
    `sharedoutcomes.frameworks.crosswalks.outcome_targets`.

    Example:
        >>> import sharedoutcomes
        >>> [str(p) for p in national_paths(sharedoutcomes.example_package(), "out-active", "scot-nhwo", "1")]
        ['out-active ⇒ scot-nhwo 1 (broad)', 'out-active → out-connected ⇒ scot-nhwo 1 (broad)']
    """
    return PathFinder(package).national(start, framework, code)


def _crosswalk_routes(package: Package, start: str, framework: str) -> tuple[tuple[str, OutcomePath], ...]:
    """Routes from an outcome to ``framework`` that use a published crosswalk."""
    try:
        found = outcome_targets(package, start, framework=framework)
    except LookupError:
        return ()
    routes = []
    for route in found:
        walks = [step for step in route.steps if step.kind == "crosswalk"]
        if not walks:
            continue
        chain = tuple(step.id for step in route.steps if step.kind in ("outcome", "broader"))
        via = "; ".join(f"{step.id} ({step.detail})" if step.detail else step.id for step in walks)
        routes.append((route.code, OutcomePath(outcome_ids=chain or (start,), via="crosswalk", framework=framework,
                                               code=route.code, relation=route.relation, rationale=route.rationale,
                                               crosswalk=via)))
    return tuple(routes)


@lru_cache(maxsize=32)
def framework_titles(framework: str) -> Mapping[str, str]:
    """
    The codes of a published framework and their titles, in the framework's order ({} if unknown).

    Example:
        >>> list(framework_titles("scot-nhwo"))
        ['1', '2', '3', '4', '5', '6', '7', '8', '9']
    """
    try:
        found = get_framework(framework)
    except LookupError:
        return {}
    return {str(item.code): str(item.title) for item in found.items}


def national_title(package: Package, framework: str, code: str, titles: Mapping[str, str]) -> str:
    """The title of a framework outcome: as published, else as the package has it, else its code."""
    if code in titles:
        return titles[code]
    for outcome in package.outcomes:
        if outcome.framework == framework and outcome.code == code:
            return outcome.title
    return f"{framework} {code}"


def codes_in_package(package: Package, framework: str) -> set[str]:
    """The codes of ``framework`` that the package's outcomes are or map to."""
    codes = {o.code for o in package.outcomes if o.framework == framework and o.code is not None}
    codes.update(m.code for o in package.outcomes for m in o.mappings if m.framework == framework)
    return codes


def code_key(code: str) -> tuple[int, int | str]:
    """Sort numeric codes numerically, then the rest as text."""
    return (0, int(code)) if code.isdigit() else (1, code)


def framework_title(framework: str) -> str:
    """
    A framework's title, or its id when it is not published.

    Example:
        >>> framework_title("scot-nhwo")
        'National Health and Wellbeing Outcomes'
    """
    try:
        return str(get_framework(framework).title)
    except LookupError:
        return framework
