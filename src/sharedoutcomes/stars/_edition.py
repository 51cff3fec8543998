"""
A Star edition: its outcome areas, scale and Journey of Change stages.

The public names are exported from `sharedoutcomes.stars`.
"""

from __future__ import annotations

from typing import Any

from attrs import field, frozen

from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.stars._labels import normalise_label, strip_noise

__all__ = ["StarArea", "StarEdition"]


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
            area = index.get(strip_noise(header))
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

