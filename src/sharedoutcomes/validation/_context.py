"""What every semantic rule shares: the rule table (a view of the catalogue), the package's indexes, and problems."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

from attrs import frozen

from sharedoutcomes._rule_words import problem, unresolved_message
from sharedoutcomes.problems import Problem, Severity, catalogue, families

__all__ = ["COLLECTIONS", "Context", "EvidenceProblems", "Rule", "rule_table", "unresolved"]


@frozen
class Rule:
    """A semantic rule: its id, default severity and what it checks."""

    id: str
    severity: Severity
    description: str


@functools.cache
def rule_table() -> Mapping[str, Rule]:
    """
    Every semantic rule by id, in the catalogue's order: a view of ``problems/catalogue/semantic.toml``.

    Built when first needed, so that importing the library does not read the catalogue.

    Example:
        >>> rule_table()["org-id-prefix"].severity
        'warning'
    """
    kinds = catalogue()
    return MappingProxyType({rule: Rule(rule, kinds[rule].severity, kinds[rule].summary)
                             for rule in families()["semantic"].ids})

COLLECTIONS: Final = {
    "organisation": "organisations",
    "activity": "activities",
    "outcome": "outcomes",
    "indicator": "indicators",
    "contribution": "contributions",
    "evidence": "evidence",
    "link": "links",
}
"""Each kind of entity, and the package's list of them."""


class EvidenceProblems:
    """What one pass over the evidence finds, kept per rule so that each rule reports in its turn."""

    __slots__ = ("dates", "extensions", "instruments", "periods", "personal", "refs", "texts", "values")

    def __init__(self) -> None:
        self.refs: list[Problem] = []
        self.instruments: list[Problem] = []
        self.texts: list[Problem] = []
        self.periods: list[Problem] = []
        self.values: list[Problem] = []
        self.personal: list[Problem] = []
        self.extensions: list[Problem] = []
        self.dates: list[Problem] = []


class Context:
    """The package's indexes, built once for all rules, and the evidence pass, run once when first asked for."""

    def __init__(self, data: Mapping[str, Any], evidence_pass: Callable[[Context], EvidenceProblems]) -> None:
        self.data = data
        self.ids: dict[str, set[str]] = {
            kind: {item["id"] for item in data.get(collection, ())} for kind, collection in COLLECTIONS.items()
        }
        self.sharing_level: str = data["sharing_level"]
        self._evidence_pass = evidence_pass
        self._evidence: EvidenceProblems | None = None

    def kind_of(self, identifier: str) -> str | None:
        """The kind of entity *identifier* is the id of, if any."""
        for kind, ids in self.ids.items():
            if identifier in ids:
                return kind
        return None

    @property
    def evidence(self) -> EvidenceProblems:
        """The problems of every rule that looks at evidence, found in one pass over it."""
        if self._evidence is None:
            self._evidence = self._evidence_pass(self)
        return self._evidence


def unresolved(ctx: Context, kind: str, identifier: str, path: str, rule: str = "ref-unresolved") -> Problem:
    """A reference to a *kind* that the package does not have (saying what the id is, when it is another kind's)."""
    return problem(rule, path, unresolved_message(kind, identifier, ctx.kind_of(identifier)), identifier)
