"""
Outcomes Star reference data: Stars, editions, outcome areas, scales and Journey of Change stages.

The data are JSON files under ``schemas/stars/`` (one per Star, in the format of
``stars/star.schema.json``), so tools in any language can use them. Only structure is
shipped (codes, names, area labels, stage names): never the licensed scale descriptions.
What the sources do not confirm is marked as such (`StarEdition.unconfirmed`).

Users add or override a Star or an edition from their own JSON file, without code:
``registry().with_file("my-star.json")`` returns a new registry (the default one is
never changed), which the ``outcomes-star`` format accepts as ``stars=``.

Example:
    >>> from sharedoutcomes.stars import get_star
    >>> star = get_star("recovery-star")
    >>> star.edition, star.instrument
    ('4', 'outcomes-star/recovery-star/4')
    >>> star.match_area("MANAGING MENTAL-HEALTH").code
    'managing-mental-health'
    >>> star.stage_of(6), star.stage_name(6)
    (3, 'Believing')
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from importlib.resources import files
from os import PathLike
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from attrs import field, frozen

from sharedoutcomes.exceptions import ConversionError, Problem, SourceLocation, UnknownName

if TYPE_CHECKING:
    from sharedoutcomes.stars._reader import ReadingStream

__all__ = [
    "STAR_SCHEMA_ID",
    "JsonlSummary",
    "ReadingStream",
    "StarArea",
    "StarEdition",
    "StarRegistry",
    "area_code",
    "find_star",
    "get_star",
    "iter_readings",
    "load_stars",
    "normalise_label",
    "registry",
    "stars",
    "to_jsonl",
]

STAR_SCHEMA_ID: Final = "https://schemas.sharedoutcomes.org/0.1/stars/star.schema.json"
"""The ``$id`` of the JSON Schema every Star file follows."""

UNCONFIRMABLE: Final = ("edition", "released", "areas", "scale", "stages", "stage_starts")
"""The facts of an edition that a Star file can mark as unconfirmed."""

_WORDS = re.compile(r"[a-z0-9]+")
_NUMBERING = re.compile(r"[a-z]?[0-9]+[a-z]?")
_NOISE_WORDS = frozenset({"score", "scores", "rating", "reading", "scale", "area", "q", "outcome"})


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.casefold().replace("&", " and "))


def normalise_label(text: str) -> str:
    """
    The form labels are compared in: case, spacing, punctuation and "&"/"and" ignored.

    Example:
        >>> normalise_label("Caring for myself & my space") == normalise_label("caring for myself and my-space")
        True
        >>> normalise_label("  Well-being ")
        'wellbeing'
    """
    return "".join(word for word in _words(text) if word != "and")


def area_code(label: str) -> str:
    """
    The stable code of an area label: lower case, "&" as "and", other punctuation as hyphens.

    Example:
        >>> area_code("Work, volunteering and other activities")
        'work-volunteering-and-other-activities'
        >>> area_code("Caring for myself & my space")
        'caring-for-myself-and-my-space'
    """
    return "-".join(_words(label))


def _strip_noise(text: str) -> str:
    """Drop numbering and words like "score" around a heading: "Q3. Money score (1-10)" → "money"."""
    words = [w for w in _words(text) if w != "and"]
    while words and (words[0] in _NOISE_WORDS or _NUMBERING.fullmatch(words[0])):
        words.pop(0)
    while words and (words[-1] in _NOISE_WORDS or _NUMBERING.fullmatch(words[-1])):
        words.pop()
    return "".join(words)


def _normalise_edition(text: str) -> str:
    """'3rd edition' → '3'; 'Ed. 1.1' → '1.1'; 'v4' → '4'; 'Short version' → 'short'."""
    text = text.casefold().strip()
    text = re.sub(r"\b(edition|ed|version|ver)\b\.?", " ", text)
    text = re.sub(r"\bv(?=\d)", " ", text)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    return "-".join(re.findall(r"[a-z0-9]+(?:\.[0-9]+)*", text))


@frozen(kw_only=True)
class StarArea:
    """
    One outcome area of a Star edition.

    Attributes:
        code: The stable code (the label as a lower-case hyphenated slug).
        label: The label, as the Star shows it.
        aliases: Other headings exports use for the area.
        confirmed: ``False`` when the label is inferred rather than confirmed in a source.

    Example:
        >>> StarArea(code="my-money", label="My money").label
        'My money'
    """

    code: str
    label: str
    aliases: tuple[str, ...] = ()
    confirmed: bool = True


def _index_areas(areas: tuple[StarArea, ...]) -> dict[str, StarArea]:
    index: dict[str, StarArea] = {}
    for area in areas:
        for name in (area.label, area.code, *area.aliases):
            index.setdefault(normalise_label(name), area)
    return index


@frozen(kw_only=True)
class StarEdition:
    """
    One edition of an Outcomes Star: its areas, scale and Journey of Change.

    Attributes:
        id: The Star's stable id, such as ``recovery-star``.
        name: The Star's name, such as ``Recovery Star``.
        edition: The edition's id within the Star, such as ``4`` or ``1.1``.
        title: The edition's display name.
        areas: The outcome areas, in the order the Star shows them.
        scale_min: The lowest score (1).
        scale_max: The highest score (10, or 5 for the short Stars).
        stages: The five Journey of Change stage names, lowest first.
        stage_starts: The lowest score of each stage.
        unconfirmed: Which facts (``edition``, ``areas``, ``scale``, ``stages``,
            ``stage_starts``, ``released``) are inferred rather than confirmed.
        aliases: Other names the Star goes by; ``edition_aliases`` the same for the edition.
        released: When the edition was published (year or year-month), when known.
        notes: What a user of the data should know.
        sources: Where the facts come from.

    Example:
        >>> from sharedoutcomes.stars import get_star
        >>> get_star("recovery-star", "3")
        <StarEdition outcomes-star/recovery-star/3: 10 areas, scale 1-10, partly unconfirmed>
        >>> star = get_star("well-being-star")
        >>> star.scale_min, star.scale_max, star.stages[0]
        (1, 5, 'Not thinking about it')
        >>> star.confirmed, star.unconfirmed
        (False, ('stage_starts',))
    """

    id: str
    name: str
    edition: str
    title: str
    areas: tuple[StarArea, ...]
    scale_min: int = 1
    scale_max: int = 10
    stages: tuple[str, ...]
    stage_starts: tuple[int, ...]
    unconfirmed: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    edition_aliases: tuple[str, ...] = ()
    released: str | None = None
    notes: str | None = None
    sources: tuple[str, ...] = ()
    _by_label: dict[str, StarArea] = field(init=False, eq=False, repr=False, hash=False)
    _by_code: dict[str, StarArea] = field(init=False, eq=False, repr=False, hash=False)
    _instrument: str = field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if len(self.stages) != 5 or len(self.stage_starts) != 5:
            msg = f"{self.id} {self.edition}: a Journey of Change has 5 stages and 5 stage starts"
            raise ValueError(msg)
        if list(self.stage_starts) != sorted(set(self.stage_starts)) or self.stage_starts[0] != self.scale_min \
                or self.stage_starts[-1] > self.scale_max:
            msg = f"{self.id} {self.edition}: stage_starts must rise from the scale minimum within the scale"
            raise ValueError(msg)
        object.__setattr__(self, "_by_label", _index_areas(self.areas))
        object.__setattr__(self, "_by_code", {area.code: area for area in self.areas})
        object.__setattr__(self, "_instrument", f"outcomes-star/{self.id}/{self.edition}")

    def __repr__(self) -> str:
        flag = "" if self.confirmed else ", partly unconfirmed"
        return (f"<StarEdition {self.instrument}: {len(self.areas)} areas, "
                f"scale {self.scale_min}-{self.scale_max}{flag}>")

    @property
    def instrument(self) -> str:
        """
        The evidence ``instrument`` of readings on this edition.

        Example:
            >>> from sharedoutcomes.stars import get_star
            >>> get_star("family-star-plus", "1.1").instrument
            'outcomes-star/family-star-plus/1.1'
        """
        return self._instrument

    @property
    def confirmed(self) -> bool:
        """``True`` when every fact of the edition, and every area label, is confirmed in a source."""
        return not self.unconfirmed and all(area.confirmed for area in self.areas)

    @property
    def area_codes(self) -> tuple[str, ...]:
        """
        The area codes, in order.

        Example:
            >>> from sharedoutcomes.stars import get_star
            >>> get_star("carers-star").area_codes[:2]
            ('health', 'the-caring-role')
        """
        return tuple(area.code for area in self.areas)

    def area(self, code: str) -> StarArea:
        """
        The area with this code.

        Raises:
            UnknownName: The edition has no area with that code.

        Example:
            >>> from sharedoutcomes.stars import get_star
            >>> get_star("home-star").area("my-money").label
            'My money'
        """
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownName(code, known=self.area_codes, what=f"area of the {self.title}") from None

    def match_area(self, header: str) -> StarArea | None:
        """
        The area a column heading or label names, or ``None``.

        Labels match ignoring case, spacing, punctuation and "&"/"and"; numbering and
        words such as "score" around the heading are ignored too.

        Example:
            >>> from sharedoutcomes.stars import get_star
            >>> star = get_star("home-star")
            >>> star.match_area("Caring for Myself and my Space").code
            'caring-for-myself-and-my-space'
            >>> star.match_area("Q2. My money (score)").label
            'My money'
            >>> star.match_area("Shoe size") is None
            True
        """
        index = self._by_label
        area = index.get(normalise_label(header))
        if area is None:
            area = index.get(_strip_noise(header))
        return area

    def stage_of(self, score: int) -> int:
        """
        The Journey of Change stage (1 to 5) a score sits on.

        Raises:
            ValueError: The score is outside the edition's scale.

        Example:
            >>> from sharedoutcomes.stars import get_star
            >>> [get_star("recovery-star").stage_of(s) for s in range(1, 11)]
            [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
            >>> get_star("well-being-star").stage_of(4)
            4
        """
        if isinstance(score, bool) or not self.scale_min <= score <= self.scale_max:
            msg = f"{score!r} is outside the {self.title} scale of {self.scale_min} to {self.scale_max}"
            raise ValueError(msg)
        stage = 0
        for number, start in enumerate(self.stage_starts, start=1):
            if score >= start:
                stage = number
        return stage

    def stage_name(self, score: int) -> str:
        """
        The name of the stage a score sits on.

        Example:
            >>> from sharedoutcomes.stars import get_star
            >>> get_star("homelessness-star").stage_name(10)
            'Self-reliance'
        """
        return self.stages[self.stage_of(score) - 1]

    def to_json_data(self) -> dict[str, Any]:
        """
        The edition in the Star file format (one entry of a Star's ``editions``).

        Example:
            >>> from sharedoutcomes.stars import get_star
            >>> get_star("teen-star").to_json_data()["stages"][-1]
            'Safe and well'
        """
        data: dict[str, Any] = {"edition": self.edition, "name": self.title}
        if self.edition_aliases:
            data["aliases"] = list(self.edition_aliases)
        if self.released:
            data["released"] = self.released
        data |= {"scale_min": self.scale_min, "scale_max": self.scale_max, "stages": list(self.stages),
                 "stage_starts": list(self.stage_starts), "areas": [_area_data(a) for a in self.areas]}
        if self.unconfirmed:
            data["unconfirmed"] = list(self.unconfirmed)
        if self.notes:
            data["notes"] = self.notes
        if self.sources:
            data["sources"] = list(self.sources)
        return data


def _area_data(area: StarArea) -> dict[str, Any]:
    data: dict[str, Any] = {"code": area.code, "label": area.label}
    if area.aliases:
        data["aliases"] = list(area.aliases)
    if not area.confirmed:
        data["unconfirmed"] = True
    return data


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


@functools.cache
def _star_schema() -> dict[str, Any]:
    text = files("sharedoutcomes").joinpath("schemas", "stars", "star.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _check_star_file(data: Any, name: str) -> None:
    from jsonschema import Draft202012Validator

    from sharedoutcomes._util.paths import json_path

    validator = Draft202012Validator(_star_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        path = json_path(list(first.absolute_path))
        message = first.message
        choices = first.validator_value if first.validator == "oneOf" else None
        if isinstance(choices, list) and all(isinstance(c, dict) and "const" in c for c in choices):
            message = f"{first.instance!r} is not one of {', '.join(repr(c['const']) for c in choices)}"
        msg = f"not a valid Star file: {path}: {message}{more}"
        raise ConversionError(msg, source=SourceLocation(file=name))
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
    path = Path(path)
    if path.is_dir():
        found: list[StarEdition] = []
        for child in sorted(path.glob("*.json")):
            if not child.name.endswith(".schema.json"):
                found.extend(load_stars(child))
        return tuple(found)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConversionError(f"cannot read the Star file: {error}", source=SourceLocation(file=path.name)) from None
    _check_star_file(data, path.name)
    return _editions_from_data(data)


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
        wanted = _normalise_edition(edition)
        for candidate in self.editions_of(star_id):
            forms = (candidate.edition, *candidate.edition_aliases)
            if wanted in {_normalise_edition(form) for form in forms}:
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
        spans = [m for m in _WORDS.finditer(folded) if m.group() != "and"]
        for cut in range(len(spans), 0, -1):
            star_id = self._names.get("".join(m.group() for m in spans[:cut]))
            if star_id is not None:
                return star_id, _normalise_edition(folded[spans[cut - 1].end():]) or None
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
    root = files("sharedoutcomes").joinpath("schemas", "stars")
    editions: list[StarEdition] = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json") and not entry.name.endswith(".schema.json"):
            editions.extend(_editions_from_data(json.loads(entry.read_text(encoding="utf-8"))))
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


def iter_readings(
    source: str | PathLike[str] | IO[Any],
    *,
    star: str | None = None,
    edition: str | None = None,
    column_map: Mapping[str, str] | None = None,
    stars: StarRegistry | str | PathLike[str] | None = None,
    sheet: str | None = None,
    organisation_id: str | None = None,
    today: Any = None,
    source_system: str | None = None,
    cross_row_checks: bool = False,
) -> ReadingStream:
    """
    Stream the readings of a Star export as evidence dicts, one at a time.

    Iterating gives one JSON-ready evidence dict per reading (the same evidence the
    ``outcomes-star`` format puts in a package, without the source map); the stream's
    ``problems`` list fills as it goes, and ``readings`` / ``skipped`` count them. Each
    reading passes the converter's own checks (scores whole numbers within the scale,
    dates real and not in the future, ids without spaces), which cover what the evidence
    schema requires of it.

    A wide CSV streams in constant memory. ``cross_row_checks=True`` also finds exact
    duplicate readings and people on two editions, at the cost of one small entry per
    reading; a long-layout file is grouped into readings in memory.

    Options are those of the ``outcomes-star`` format (see `OutcomesStarFormat`).

    Example:
        >>> from sharedoutcomes.stars._format import sample_path
        >>> stream = iter_readings(sample_path(), organisation_id="GB-SC-SC012345", today="2025-06-30")
        >>> [e["subject"]["id"] for e in stream][:3]
        ['RS-0001', 'RS-0001', 'RS-0002']
        >>> stream.readings, stream.problems
        (6, [])
    """
    from sharedoutcomes.stars._format import PLACEHOLDER_ORGANISATION, _version
    from sharedoutcomes.stars._reader import ReadingStream

    return ReadingStream(source, star=star, edition=edition, column_map=column_map, stars=stars, sheet=sheet,
                         organisation_id=organisation_id or PLACEHOLDER_ORGANISATION, today=today,
                         source_system=source_system, converter_version=_version(),
                         cross_row_checks=cross_row_checks)


@frozen(kw_only=True)
class JsonlSummary:
    """
    What `to_jsonl` wrote: how many readings, how many rows were not converted, and every problem.

    Example:
        >>> JsonlSummary(readings=2, skipped=0, problems=()).ok
        True
    """

    readings: int
    skipped: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """``True`` when no problem is an error."""
        return not any(p.severity == "error" for p in self.problems)


def to_jsonl(source: str | PathLike[str] | IO[Any], destination: str | PathLike[str] | IO[str],
             **options: Any) -> JsonlSummary:
    r"""
    Convert a Star export to JSON Lines of evidence (one object per line) in constant memory.

    *options* are those of `iter_readings`. Uses orjson when it is installed.

    Example:
        >>> import io
        >>> from sharedoutcomes.stars._format import sample_path
        >>> out = io.StringIO()
        >>> to_jsonl(sample_path(), out, organisation_id="GB-SC-SC012345", today="2025-06-30")
        JsonlSummary(readings=6, skipped=0, problems=())
        >>> out.getvalue().count("\n")
        6
    """
    stream = iter_readings(source, **options)
    lines = _jsonl_lines(stream)
    if isinstance(destination, str | PathLike):
        with Path(destination).open("wb") as binary:
            binary.writelines(lines)
    else:
        destination.writelines(line.decode() for line in lines)
    return JsonlSummary(readings=stream.readings, skipped=stream.skipped, problems=tuple(stream.problems))


def _jsonl_lines(items: Iterable[Any]) -> Iterator[bytes]:
    """Each item as one line of UTF-8 JSON (orjson when installed)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is optional
        return ((json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n").encode() for item in items)
    return map(functools.partial(orjson.dumps, option=orjson.OPT_APPEND_NEWLINE), items)


def __getattr__(name: str) -> Any:
    if name == "ReadingStream":
        from sharedoutcomes.stars._reader import ReadingStream

        return ReadingStream
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
