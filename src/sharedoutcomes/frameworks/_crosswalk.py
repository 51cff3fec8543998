"""Crosswalks as data: their records, reading them from files, and the bundled ones."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping
from importlib.resources.abc import Traversable
from typing import Any, Final

import attrs
from attrs import frozen

from sharedoutcomes import _refdata
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import Problem, SourceLocation, UnknownName

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
        ['eng-ascof-to-scot-nhwo', 'instruments-to-scot-nhwo', 'outcomes-star-to-scot-nhwo', 'scot-core-suite-to-scot-nhwo', 'talking-points-to-scot-nhwo']
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
