"""
The instrument registry: the instruments shipped under ``schemas/instruments/``, every Outcomes Star edition, users' own files.

Users add or override an instrument from a JSON file in the format of
``instruments/instrument.schema.json`` (or a Star file): ``registry().with_file("mine.json")``
returns a new registry; the default one never changes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from os import PathLike
from typing import Any, Final

from attrs import field, frozen

from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.instruments._loader import check_file, json_files, packaged, read_json, reference_schema
from sharedoutcomes.instruments._model import (
    Band,
    Fact,
    Instrument,
    Item,
    MeaningfulChange,
    Summary,
    normalise,
)

__all__ = [
    "INSTRUMENT_SCHEMA_ID",
    "InstrumentRegistry",
    "from_data",
    "from_star_data",
    "get",
    "instruments",
    "load_instruments",
    "registry",
]

INSTRUMENT_SCHEMA_ID: Final = "https://schemas.sharedoutcomes.org/0.2/instruments/instrument.schema.json"
"""The ``$id`` of the JSON Schema every instrument file follows."""

_STAR_FAMILY: Final = "outcomes-star"


def _summary(data: Mapping[str, Any] | None) -> Summary | None:
    if data is None:
        return None
    return Summary(code=data["code"], minimum=data["minimum"], maximum=data["maximum"],
                   aliases=tuple(data.get("aliases", ())))


def from_data(data: Mapping[str, Any]) -> Instrument:
    """
    The instrument an instrument file's JSON describes (already checked against the schema).

    Example:
        >>> from_data({"id": "mine", "name": "Mine", "version": "1", "publisher": "Us", "licence": "Open",
        ...            "items": [{"code": "q1", "minimum": 0, "maximum": 4}],
        ...            "scoring": {"method": "sum", "missing": "refuse"},
        ...            "facts": [{"fact": "items", "source": "Our form", "confirmed": True}]}).items[0].maximum
        4
    """
    scoring = data["scoring"]
    change = data.get("meaningful_change")
    return Instrument(
        id=data["id"], name=data["name"], version=data["version"], publisher=data["publisher"],
        licence=data["licence"], description=data.get("description"), notes=data.get("notes"),
        better=data.get("better", "higher"), aliases=tuple(data.get("aliases", ())),
        items=tuple(Item(code=i["code"], minimum=i["minimum"], maximum=i["maximum"], label=i.get("label"),
                         aliases=tuple(i.get("aliases", ())), reverse=i.get("reverse", False),
                         better=i.get("better")) for i in data["items"]),
        method=scoring["method"], missing=scoring["missing"], max_missing=scoring.get("max_missing", 0),
        total=_summary(scoring.get("total")), metric=_summary(scoring.get("metric")),
        conversion={int(raw): metric for raw, metric in scoring.get("conversion", {}).items()},
        bands=tuple(Band(score=b["score"], name=b["name"], minimum=b["minimum"], maximum=b["maximum"])
                    for b in data.get("bands", ())),
        meaningful_change=None if change is None else MeaningfulChange(
            score=change["score"], threshold=change["threshold"], source=change["source"],
            confirmed=change.get("confirmed", True), notes=change.get("notes")),
        facts=tuple(Fact(fact=f["fact"], source=f["source"], confirmed=f["confirmed"]) for f in data["facts"]),
    )


def from_star_data(data: Mapping[str, Any]) -> tuple[Instrument, ...]:
    """
    One instrument per edition of a Star file's JSON: the areas as items on the edition's scale.

    Stars are not totalled (each area is read on its own), so the method is ``none``. The
    latest edition also answers to the Star's id and names.

    Example:
        >>> from sharedoutcomes.instruments import get
        >>> star = get("recovery-star")
        >>> star.id, star.items[0].code, star.items[0].maximum, star.method
        ('outcomes-star/recovery-star/4', 'managing-mental-health', 10, 'none')
    """
    out = []
    editions = data["editions"]
    for index, entry in enumerate(editions):
        latest = index == len(editions) - 1
        unconfirmed = set(entry.get("unconfirmed", ()))
        sources = "; ".join(entry.get("sources", ())) or "No source recorded in the Star file."
        names = (data["id"], data["name"], *data.get("aliases", ())) if latest else ()
        out.append(Instrument(
            id=f"{_STAR_FAMILY}/{data['id']}/{entry['edition']}", name=entry["name"], version=entry["edition"],
            publisher=data.get("publisher", "Triangle Consulting Social Enterprise"),
            licence="Outcomes Star: licensed by Triangle; only codes, labels, scale and stage names are shipped, "
                    "never the scale descriptions.",
            description=data.get("description"), notes=entry.get("notes"), family=_STAR_FAMILY,
            aliases=(*names, *(f"{data['name']} {alias}" for alias in entry.get("aliases", ()))),
            items=tuple(Item(code=a["code"], minimum=entry["scale_min"], maximum=entry["scale_max"], label=a["label"],
                             aliases=(a["label"], *a.get("aliases", ()))) for a in entry["areas"]),
            method="none", missing="score",
            facts=(Fact("items", sources, "areas" not in unconfirmed), Fact("scale", sources, "scale" not in unconfirmed)),
        ))
    return tuple(out)


def load_instruments(path: str | PathLike[str]) -> tuple[Instrument, ...]:
    """
    Read the instruments of an instrument file or a Star file, or of every ``*.json`` file of a directory.

    Raises:
        ConversionError: A file cannot be read or does not follow its schema (the message names
            the file and the JSON path of the first fault).

    Example:
        >>> import json, pathlib, tempfile
        >>> mine = {"id": "my-scale", "name": "My scale", "version": "1", "publisher": "Us", "licence": "Ours",
        ...         "items": [{"code": "q1", "minimum": 1, "maximum": 5}], "scoring": {"method": "sum", "missing": "refuse"},
        ...         "facts": [{"fact": "items", "source": "Our form, 2025", "confirmed": True}]}
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "my-scale.json"
        >>> _ = path.write_text(json.dumps(mine), encoding="utf-8")
        >>> [instrument.id for instrument in load_instruments(path)]
        ['my-scale']
    """
    found: list[Instrument] = []
    for file in json_files(path):
        data = read_json(file, "instrument")
        if isinstance(data, dict) and "editions" in data:
            check_file(data, reference_schema("stars", "star.schema.json"), file.name, "Star")
            found.extend(from_star_data(data))
        else:
            check_file(data, reference_schema("instruments", "instrument.schema.json"), file.name, "instrument")
            found.append(from_data(data))
    return tuple(found)


@frozen
class InstrumentRegistry:
    """
    An immutable collection of instruments; `with_instrument` and `with_file` return new registries.

    Example:
        >>> import attrs
        >>> mine = registry().with_instrument(attrs.evolve(get("wemwbs"), version="14-item, local"))
        >>> mine.get("WEMWBS").version, registry().get("wemwbs").version
        ('14-item, local', '14-item')
    """

    instruments: tuple[Instrument, ...] = ()
    _by_id: dict[str, Instrument] = field(init=False, eq=False, repr=False, hash=False)
    _names: dict[str, str] = field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        by_id = {instrument.id: instrument for instrument in self.instruments}
        names: dict[str, str] = {}
        for instrument in self.instruments:
            for name in (instrument.id, *instrument.aliases):
                names[normalise(name)] = instrument.id  # later editions take a Star's names
        for instrument in self.instruments:
            names[normalise(instrument.id)] = instrument.id  # an id always names itself
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_names", names)

    def __repr__(self) -> str:
        return f"<InstrumentRegistry: {len(self.instruments)} instruments>"

    def __iter__(self) -> Iterator[Instrument]:
        return iter(self.instruments)

    def __len__(self) -> int:
        return len(self.instruments)

    def ids(self) -> tuple[str, ...]:
        """
        Every instrument id, sorted.

        Example:
            >>> [i for i in registry().ids() if not i.startswith("outcomes-star/")]
            ['gad7', 'ons4', 'phq9', 'swemwbs', 'ucla3', 'wemwbs']
        """
        return tuple(sorted(self._by_id))

    def find(self, name: str) -> Instrument | None:
        """
        The instrument an id or name means (ignoring case, spacing and punctuation), or ``None``.

        Example:
            >>> registry().find("PHQ-9").id, registry().find("Recovery Star").id
            ('phq9', 'outcomes-star/recovery-star/4')
            >>> registry().find("Beck Depression Inventory") is None
            True
        """
        found = self._by_id.get(name)
        if found is not None:
            return found
        identifier = self._names.get(normalise(name))
        return None if identifier is None else self._by_id[identifier]

    def get(self, name: str) -> Instrument:
        """
        The instrument an id or name means.

        Raises:
            UnknownName: No instrument has that id or name (the message suggests the closest).

        Example:
            >>> registry().get("gad-7").name
            'Generalised Anxiety Disorder assessment (GAD-7)'
            >>> registry().get("wembws")
            Traceback (most recent call last):
            ...
            sharedoutcomes.exceptions.UnknownName: No instrument is called 'wembws'. Did you mean 'wemwbs'?
        """
        found = self.find(name)
        if found is None:
            raise UnknownName(name, known=self.ids(), what="instrument")
        return found

    def with_instrument(self, *instruments: Instrument) -> InstrumentRegistry:
        """A new registry with these instruments added; one with an existing id replaces it in place."""
        current = list(self.instruments)
        positions = {instrument.id: i for i, instrument in enumerate(current)}
        for instrument in instruments:
            if instrument.id in positions:
                current[positions[instrument.id]] = instrument
            else:
                positions[instrument.id] = len(current)
                current.append(instrument)
        return InstrumentRegistry(tuple(current))

    def with_file(self, path: str | PathLike[str]) -> InstrumentRegistry:
        """
        A new registry with the instruments of a file (or a directory of them) added.

        Example:
            >>> import json, pathlib, tempfile
            >>> from sharedoutcomes.instruments import get
            >>> data = json.loads((pathlib.Path(__file__).parent.parent / "schemas/instruments/gad7.json").read_text())
            >>> data["bands"][0]["name"] = "none"
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "gad7-local.json"
            >>> _ = path.write_text(json.dumps(data), encoding="utf-8")
            >>> registry().with_file(path).get("gad7").band_of(2), get("gad7").band_of(2)
            ('none', 'minimal')
        """
        return self.with_instrument(*load_instruments(path))


@functools.cache
def registry() -> InstrumentRegistry:
    """
    The built-in registry: the instruments under ``schemas/instruments/`` and every Star edition.

    Example:
        >>> len(registry()) > 20
        True
    """
    found: list[Instrument] = [from_data(data) for _, data in packaged("instruments")]
    for _, data in packaged("stars"):
        found.extend(from_star_data(data))
    return InstrumentRegistry(tuple(found))


def get(name: str) -> Instrument:
    """
    A built-in instrument by id or name: ``wemwbs``, ``swemwbs``, ``ons4``, ``ucla3``, ``gad7``, ``phq9``, a Star edition.

    Raises:
        UnknownName: No instrument has that id or name.

    Example:
        >>> get("swemwbs").convert(7), get("outcomes-star/home-star/1").items[0].minimum
        (7.0, 1)
    """
    return registry().get(name)


def instruments() -> tuple[Instrument, ...]:
    """
    Every built-in instrument.

    Example:
        >>> sum(1 for i in instruments() if i.family == "outcomes-star") >= 16
        True
    """
    return registry().instruments
