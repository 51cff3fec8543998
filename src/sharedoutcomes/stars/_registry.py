"""
The Star registry: the Star files shipped under ``schemas/stars/``, users' own Star files, and lookups.

The data are JSON files (one per Star, in the format of ``stars/star.schema.json``), so
tools in any language can use them. Only structure is shipped (codes, names, area labels,
stage names): never the licensed scale descriptions.

Users add or override a Star or an edition from their own JSON file, without code:
``registry().with_file("my-star.json")`` returns a new registry (the default one is
never changed), which the ``outcomes-star`` format accepts as ``stars=``.

The public names are exported from `sharedoutcomes.stars`.

Example:
    >>> get_star("recovery-star").instrument
    'outcomes-star/recovery-star/4'
    >>> find_star("Recovery Star 3rd edition").edition
    '3'
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from os import PathLike
from typing import Any, Final

from attrs import field, frozen

from sharedoutcomes.exceptions import ConversionError, SourceLocation, UnknownName
from sharedoutcomes.instruments import check_file, json_files, packaged, read_json, reference_schema
from sharedoutcomes.stars._edition import StarArea, StarEdition
from sharedoutcomes.stars._labels import WORDS, normalise_edition, normalise_label

__all__ = [
    "STAR_SCHEMA_ID",
    "UNCONFIRMABLE",
    "StarRegistry",
    "find_star",
    "get_star",
    "load_stars",
    "registry",
    "stars",
]

STAR_SCHEMA_ID: Final = "https://schemas.sharedoutcomes.org/0.2/stars/star.schema.json"
"""The ``$id`` of the JSON Schema every Star file follows."""

UNCONFIRMABLE: Final = ("edition", "released", "areas", "scale", "stages", "stage_starts")
"""The facts of an edition that a Star file can mark as unconfirmed."""


def _editions_from_data(data: Mapping[str, Any]) -> tuple[StarEdition, ...]:
    out = []
    for entry in data["editions"]:
        areas = tuple(
            StarArea(code=a["code"], label=a["label"], aliases=tuple(a.get("aliases", ())),
                     confirmed=not a.get("unconfirmed", False))
            for a in entry["areas"]
        )
        out.append(StarEdition(
            id=data["id"], name=data["name"], edition=entry["edition"], title=entry["name"], areas=areas,
            scale_min=entry["scale_min"], scale_max=entry["scale_max"], stages=tuple(entry["stages"]),
            stage_starts=tuple(entry["stage_starts"]), unconfirmed=tuple(entry.get("unconfirmed", ())),
            aliases=tuple(data.get("aliases", ())), edition_aliases=tuple(entry.get("aliases", ())),
            released=entry.get("released"), notes=entry.get("notes"), sources=tuple(entry.get("sources", ())),
        ))
    return tuple(out)


def _check_star_file(data: Any, name: str) -> None:
    check_file(data, reference_schema("stars", "star.schema.json"), name, "Star")
    for entry in data["editions"]:
        if entry["stage_starts"][0] != entry["scale_min"] or entry["stage_starts"][-1] > entry["scale_max"]:
            msg = (f"not a valid Star file: edition {entry['edition']!r}: stage_starts must begin at the scale "
                   "minimum and stay within the scale")
            raise ConversionError(msg, source=SourceLocation(file=name))
        codes = [a["code"] for a in entry["areas"]]
        if len(set(codes)) != len(codes):
            msg = f"not a valid Star file: edition {entry['edition']!r} repeats an area code"
            raise ConversionError(msg, source=SourceLocation(file=name))
    editions = [entry["edition"] for entry in data["editions"]]
    if len(set(editions)) != len(editions):
        msg = "not a valid Star file: an edition id is repeated"
        raise ConversionError(msg, source=SourceLocation(file=name))


def load_stars(path: str | PathLike[str]) -> tuple[StarEdition, ...]:
    """
    Read the editions in a Star file, or in every ``*.json`` Star file of a directory.

    Raises:
        ConversionError: A file cannot be read or does not follow ``star.schema.json``
            (the message names the file and the JSON path of the first fault).

    Example:
        >>> import json, pathlib, tempfile
        >>> from sharedoutcomes.stars import get_star
        >>> mine = {"id": "my-star", "name": "My Star", "editions": [
        ...     get_star("carers-star").to_json_data() | {"edition": "1"}]}
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "my-star.json"
        >>> _ = path.write_text(json.dumps(mine), encoding="utf-8")
        >>> [edition.instrument for edition in load_stars(path)]
        ['outcomes-star/my-star/1']
    """
    found: list[StarEdition] = []
    for file in json_files(path):
        data = read_json(file, "Star")
        _check_star_file(data, file.name)
        found.extend(_editions_from_data(data))
    return tuple(found)


@frozen
class StarRegistry:
    """
    An immutable collection of Star editions; `with_star` and `with_file` return new registries.

    Example:
        >>> import attrs
        >>> from sharedoutcomes.stars import registry, get_star
        >>> base = registry()
        >>> custom = attrs.evolve(get_star("carers-star"), edition="2", title="Carers Star, local edition 2")
        >>> mine = base.with_star(custom)
        >>> mine.get("carers-star").edition, base.get("carers-star").edition
        ('2', '1')
    """

    editions: tuple[StarEdition, ...] = ()
    _by_key: dict[tuple[str, str], StarEdition] = field(init=False, eq=False, repr=False, hash=False)
    _latest: dict[str, StarEdition] = field(init=False, eq=False, repr=False, hash=False)
    _names: dict[str, str] = field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        by_key: dict[tuple[str, str], StarEdition] = {}
        latest: dict[str, StarEdition] = {}
        names: dict[str, str] = {}
        for edition in self.editions:
            by_key[edition.id, edition.edition] = edition
            latest[edition.id] = edition
            for name in (edition.id, edition.name, *edition.aliases):
                names.setdefault(normalise_label(name), edition.id)
        object.__setattr__(self, "_by_key", by_key)
        object.__setattr__(self, "_latest", latest)
        object.__setattr__(self, "_names", names)

    def __repr__(self) -> str:
        return f"<StarRegistry: {len(self._latest)} Stars, {len(self.editions)} editions>"

    def __iter__(self) -> Iterator[StarEdition]:
        return iter(self.editions)

    def __len__(self) -> int:
        return len(self.editions)

    def star_ids(self) -> tuple[str, ...]:
        """
        The ids of the Stars, sorted.

        Example:
            >>> "recovery-star" in registry().star_ids()
            True
        """
        return tuple(sorted(self._latest))

    def editions_of(self, star_id: str) -> tuple[StarEdition, ...]:
        """
        The editions of one Star, oldest first.

        Example:
            >>> [e.edition for e in registry().editions_of("recovery-star")]
            ['3', '4']
        """
        self._check_id(star_id)
        return tuple(e for e in self.editions if e.id == star_id)

    def _check_id(self, star_id: str) -> None:
        if star_id not in self._latest:
            raise UnknownName(star_id, known=self.star_ids(), what="Outcomes Star")

    def get(self, star_id: str, edition: str | None = None) -> StarEdition:
        """
        One edition of a Star: the latest when *edition* is ``None``.

        Editions may be written as exports write them ("4th edition", "v3.1").

        Raises:
            UnknownName: No Star has that id, or the Star has no such edition
                (the message suggests the closest).

        Example:
            >>> registry().get("recovery-star", "3rd edition").title
            'Recovery Star, 3rd edition'
            >>> registry().get("recovry-star")
            Traceback (most recent call last):
            ...
            sharedoutcomes.exceptions.UnknownName: No Outcomes Star is called 'recovry-star'. Did you mean 'recovery-star'?
        """
        self._check_id(star_id)
        if edition is None:
            return self._latest[star_id]
        found = self._by_key.get((star_id, edition))
        if found is not None:
            return found
        wanted = normalise_edition(edition)
        for candidate in self.editions_of(star_id):
            forms = (candidate.edition, *candidate.edition_aliases)
            if wanted in {normalise_edition(form) for form in forms}:
                return candidate
        known = tuple(e.edition for e in self.editions_of(star_id))
        raise UnknownName(edition, known=known, what=f"edition of the {self._latest[star_id].name}")

    def find(self, text: str, edition: str | None = None) -> StarEdition | None:
        """
        The edition a Star named in an export means ("Recovery Star 4th edition", "Home Star").

        The Star is found by id, name or alias (ignoring case, spacing and punctuation);
        an edition written after the name, or given as *edition*, selects the edition.
        ``None`` when no Star or no such edition matches.

        Example:
            >>> registry().find("Mental Health Recovery Star (3rd ed.)").instrument
            'outcomes-star/recovery-star/3'
            >>> registry().find("Well being star").edition
            '2'
            >>> registry().find("Star of Bethlehem") is None
            True
        """
        parts = self.split_name(text)
        if parts is None:
            return None
        star_id, written = parts
        try:
            return self.get(star_id, edition or written)
        except UnknownName:
            return None

    def split_name(self, text: str) -> tuple[str, str | None] | None:
        """
        The Star id a name in an export means, and the edition written after it (or ``None``).

        Example:
            >>> registry().split_name("Recovery Star v4")
            ('recovery-star', '4')
            >>> registry().split_name("HOME STAR")
            ('home-star', None)
        """
        folded = text.casefold().replace("&", " and ")
        spans = [m for m in WORDS.finditer(folded) if m.group() != "and"]
        for cut in range(len(spans), 0, -1):
            star_id = self._names.get("".join(m.group() for m in spans[:cut]))
            if star_id is not None:
                return star_id, normalise_edition(folded[spans[cut - 1].end():]) or None
        return None

    def with_star(self, *editions: StarEdition) -> StarRegistry:
        """
        A new registry with these editions added.

        An edition with the same Star id and edition id replaces the old one in place; a
        new edition is appended and becomes its Star's latest.

        Example:
            >>> import attrs
            >>> from sharedoutcomes.stars import get_star
            >>> local = attrs.evolve(get_star("recovery-star", "4"), stages=("A", "B", "C", "D", "E"))
            >>> registry().with_star(local).get("recovery-star").stages[0]
            'A'
        """
        current = list(self.editions)
        positions = {(e.id, e.edition): i for i, e in enumerate(current)}
        for edition in editions:
            key = (edition.id, edition.edition)
            if key in positions:
                current[positions[key]] = edition
            else:
                positions[key] = len(current)
                current.append(edition)
        return StarRegistry(tuple(current))

    def with_file(self, path: str | PathLike[str]) -> StarRegistry:
        """
        A new registry with the editions of a Star file (or a directory of them) added.

        Example:
            >>> import json, pathlib, tempfile
            >>> data = {"id": "recovery-star", "name": "Recovery Star", "editions": [
            ...     get_star("recovery-star", "4").to_json_data() | {"edition": "5", "name": "Recovery Star 5"}]}
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "recovery-5.json"
            >>> _ = path.write_text(json.dumps(data), encoding="utf-8")
            >>> registry().with_file(path).get("recovery-star").title
            'Recovery Star 5'
        """
        return self.with_star(*load_stars(path))


@functools.cache
def registry() -> StarRegistry:
    """
    The built-in registry: every Star shipped under ``schemas/stars/``.

    Example:
        >>> len(registry().star_ids()) >= 16
        True
    """
    editions: list[StarEdition] = []
    for _, data in packaged("stars"):
        editions.extend(_editions_from_data(data))
    return StarRegistry(tuple(editions))


def get_star(star_id: str, edition: str | None = None) -> StarEdition:
    """
    One edition of a built-in Star: the latest when *edition* is ``None``.

    Raises:
        UnknownName: No Star has that id, or the Star has no such edition.

    Example:
        >>> get_star("work-star", "3").areas[0].label
        'Job skills and experience'
    """
    return registry().get(star_id, edition)


def stars() -> tuple[StarEdition, ...]:
    """
    Every edition of every built-in Star.

    Example:
        >>> sorted({edition.scale_max for edition in stars()})
        [5, 10]
    """
    return registry().editions


def find_star(text: str, edition: str | None = None) -> StarEdition | None:
    """
    The built-in edition a Star name in an export means, or ``None`` (see `StarRegistry.find`).

    Example:
        >>> find_star("Outcomes Star for Homelessness v3.1").instrument
        'outcomes-star/homelessness-star/3'
    """
    return registry().find(text, edition)

