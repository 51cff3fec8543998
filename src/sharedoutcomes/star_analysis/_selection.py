"""
Which readings an analysis works from: the filters, one Star (and edition), and what a reader should know.

The public functions that take these filters are in `sharedoutcomes.star_analysis`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TypeAlias

from attrs import field, frozen

from sharedoutcomes.model import Evidence, Package
from sharedoutcomes.star_analysis._editions import _Edition, _lookup_edition
from sharedoutcomes.star_analysis._readings import (
    DateWindow,
    MixedReadings,
    Names,
    StarReading,
    StarReadings,
    readings,
)
from sharedoutcomes.stars import InferredEdition

Source: TypeAlias = "Package | Iterable[Evidence] | StarReadings"
"""What the analyses read: a package, some evidence, or readings already selected."""


@frozen(kw_only=True)
class _Selection:
    """The readings an analysis works from, the editions they are on, and notes for the reader."""

    star: str
    readings: StarReadings
    editions: Mapping[str, _Edition] = field(hash=False)
    notes: tuple[str, ...] = ()


def _select(source: Source, *, star: str | None, edition: str | None, service: Names, worker: Names,
            period: DateWindow | None, single_edition: bool) -> _Selection:
    found = source if isinstance(source, StarReadings) else readings(source)
    chosen = found.select(star=star, edition=edition, service=service, worker=worker, period=period)
    stars = Counter(r.star for r in chosen.readings)
    if len(stars) > 1:
        raise MixedReadings("star", stars)
    star_id = star or next(iter(stars), None)
    editions = Counter(r.edition for r in chosen.readings)
    if single_edition and len(editions) > 1:
        raise MixedReadings("edition", editions, star=star_id)
    if star_id is None:
        return _Selection(star=star or "", readings=chosen, editions={}, notes=("No readings were selected.",))
    looked_up: dict[str, _Edition] = {}
    for reading in chosen.readings:
        if reading.edition not in looked_up:
            known = chosen.editions.get((star_id, reading.edition))
            looked_up[reading.edition] = known or _lookup_edition(star_id, reading.edition or None, ())
    notes = []
    for edition_id, star_edition in looked_up.items():
        unsure = sorted(set(getattr(star_edition, "unconfirmed", ())) & {"scale", "stages", "stage_starts"})
        if unsure or isinstance(star_edition, InferredEdition):
            what = ", ".join(unsure) or "the Star is not in the registry: generic stages"
            notes.append(f"{_label(star_id, edition_id)}: not confirmed in a public source ({what}); "
                         "stage figures are indicative.")
    if chosen.not_counted:
        statuses = Counter(r.status or "no status" for r in chosen.not_counted)
        notes.append("Not counted for their status: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
                     + ".")
    if chosen.problems:
        notes.append(f"{len(chosen.problems)} problems with the evidence: see .problems.")
    return _Selection(star=star_id, readings=chosen, editions=looked_up, notes=tuple(notes))


def _area_order(editions: Iterable[_Edition], found: Iterable[StarReading]) -> dict[str, str]:
    """Area code → label: the registry's areas in its order, then areas only the readings have."""
    order: dict[str, str] = {}
    for edition in editions:
        for area in edition.areas:
            order.setdefault(area.code, area.label)
    for reading in found:
        for code in reading.scores:
            if code not in order:
                order[code] = reading.labels.get(code) or code.replace("-", " ").capitalize()
    return order


def _stage_table(edition: _Edition) -> dict[int, int]:
    """Score → stage for every score on the edition's scale (looked up once, used for every reading)."""
    return {score: edition.stage_of(score) for score in range(edition.scale_min, edition.scale_max + 1)}


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _star_name(edition: _Edition, stated: str) -> str:
    """The Star's name, with the edition the readings state (none when they do not say)."""
    return f"{edition.name}, edition {stated}" if stated else edition.name


def _label(star: str, edition: str) -> str:
    return f"{star}/{edition}" if edition else star
