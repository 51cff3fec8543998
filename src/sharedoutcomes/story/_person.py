"""The outcomes story of one pseudonymous person across organisations (public API: `sharedoutcomes.story`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from attrs import frozen

from sharedoutcomes.exceptions import SharedOutcomesError, UnknownName
from sharedoutcomes.model import Evidence, Package
from sharedoutcomes.story._html import table
from sharedoutcomes.story._util import frame, plain, when

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PersonLevelDataNotAllowed",
    "PersonStory",
    "PseudonymKeyMismatch",
    "ScoreChange",
    "TimelineEntry",
    "linked_people",
    "person_story",
]


class PersonLevelDataNotAllowed(SharedOutcomesError, PermissionError):
    """
    The package's sharing level does not allow person-level data (it is ``public``).

    Example:
        >>> str(PersonLevelDataNotAllowed("pkg-1", "public"))
        "package 'pkg-1' has sharing_level 'public': it holds no person-level data, so there is no person's story to tell"
    """

    def __init__(self, package_id: str, sharing_level: str) -> None:
        super().__init__(package_id, sharing_level)
        self.package_id = package_id
        self.sharing_level = sharing_level

    def __str__(self) -> str:
        return (f"package {self.package_id!r} has sharing_level {self.sharing_level!r}: it holds no person-level "
                "data, so there is no person's story to tell")


class PseudonymKeyMismatch(SharedOutcomesError, ValueError):
    """
    Packages pseudonymised with different keys: the same person has unrelated pseudonyms in them, so they cannot be linked.

    Example:
        >>> print(PseudonymKeyMismatch({"shed-q4": "1a2b3c4d5e6f", "carers-q4": "0f9e8d7c6b5a"}))
        the packages were pseudonymised with different keys (shed-q4: key 1a2b3c4d5e6f, carers-q4: key 0f9e8d7c6b5a), so the same person has unrelated pseudonyms in them; ask the key holder to re-key one (sharedoutcomes.privacy.repseudonymise)
    """

    def __init__(self, keys: dict[str, str]) -> None:
        super().__init__(keys)
        self.keys = keys

    def __str__(self) -> str:
        shown = ", ".join(f"{package}: key {key}" for package, key in self.keys.items())
        return (f"the packages were pseudonymised with different keys ({shown}), so the same person has unrelated "
                "pseudonyms in them; ask the key holder to re-key one (sharedoutcomes.privacy.repseudonymise)")


@frozen(kw_only=True, repr=False)
class TimelineEntry:
    """
    One piece of evidence about a person, placed in time, with the contributions it relates to.

    ``contributions`` are those the evidence is linked to; ``activity_contributions`` those made
    through the activity the evidence comes from. ``organisation_id`` is the organisation that
    collected it and ``package_id`` the package it was found in.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.story import person_story
        >>> person_story(sharedoutcomes.example_package(), "TTC-0452").entries[0]
        <TimelineEntry 2024-05-09 assessment ev-carers-star-1 (Three Towns Carers Centre)>
    """

    date: dt.date | None
    evidence: Evidence
    organisation_name: str | None = None
    activity_title: str | None = None
    contributions: tuple[str, ...] = ()
    activity_contributions: tuple[str, ...] = ()
    organisation_id: str | None = None
    package_id: str | None = None

    def __repr__(self) -> str:
        when = self.date.isoformat() if self.date else "undated"
        by = f" ({self.organisation_name})" if self.organisation_name else ""
        return f"<TimelineEntry {when} {self.evidence.kind} {self.evidence.id}{by}>"


@frozen(kw_only=True, repr=False)
class ScoreChange:
    """
    How one scored item moved between a person's first and latest reading on the same instrument.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.story import person_story
        >>> changes = person_story(sharedoutcomes.example_package(), "TTC-0452").changes
        >>> changes[3]
        <ScoreChange outcomes-star/carers-star time-for-yourself: 2 → 5 (+3)>
    """

    instrument: str
    code: str
    label: str | None
    first: float
    latest: float
    first_date: dt.date | None
    latest_date: dt.date | None
    readings: int

    def _plain_extra(self) -> dict[str, Any]:
        return {"change": self.change}

    @property
    def change(self) -> float:
        """Latest minus first."""
        return self.latest - self.first

    def __repr__(self) -> str:
        return (f"<ScoreChange {self.instrument} {self.code}: {self.first:g} → {self.latest:g} "
                f"({self.change:+g})>")


@frozen(kw_only=True, repr=False)
class PersonStory:
    """
    The outcomes story of one pseudonymous person across organisations.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.story import person_story
        >>> story = person_story(sharedoutcomes.example_package(), "GV-0117")
        >>> story
        <PersonStory GV-0117: 1 entries from 1 organisations>
        >>> story.entries[0].contributions
        ('con-shed-connected',)
    """

    person_id: str
    entries: tuple[TimelineEntry, ...]
    changes: tuple[ScoreChange, ...] = ()
    packages: tuple[str, ...] = ()
    """The ids of the packages the story was told from."""

    @property
    def organisations(self) -> tuple[str, ...]:
        """The names (or ids) of the organisations whose evidence is in the story, in order of appearance."""
        return tuple(dict.fromkeys(e.organisation_name or e.evidence.collected_by or "?" for e in self.entries))

    @property
    def contributions(self) -> tuple[str, ...]:
        """Every contribution the person's evidence is linked to."""
        return tuple(dict.fromkeys(c for e in self.entries for c in e.contributions))

    def __repr__(self) -> str:
        return (f"<PersonStory {self.person_id}: {len(self.entries)} entries from {len(self.organisations)} "
                "organisations>")

    def _repr_html_(self) -> str:
        rows = []
        for entry in self.entries:
            e = entry.evidence
            values = ", ".join(f"{escape(v.label or v.code)} {escape(str(v.value))}" for v in e.values)
            rows.append((escape(entry.date.isoformat() if entry.date else "undated"), escape(e.kind),
                         escape(entry.organisation_name or e.collected_by or ""),
                         escape(e.summary or e.instrument or ""), values, escape(", ".join(entry.contributions))))
        return (f"<p><strong>{escape(self.person_id)}</strong>: {len(self.entries)} entries</p>"
                + table(("date", "kind", "organisation", "summary", "values", "contributions"), rows))

    def to_dict(self) -> dict[str, Any]:
        """
        The story as JSON-ready data.

        Example:
            >>> import sharedoutcomes
            >>> from sharedoutcomes.story import person_story
            >>> person_story(sharedoutcomes.example_package(), "TTC-0452").to_dict()["entries"][1]["date"]
            '2024-11-14'
        """
        return plain(self)  # type: ignore[no-any-return]

    def to_dataframe(self) -> pd.DataFrame:
        """
        One row per evidence value (one row for evidence without values), in time order.

        Example:
            >>> import sharedoutcomes
            >>> from sharedoutcomes.story import person_story
            >>> frame = person_story(sharedoutcomes.example_package(), "TTC-0452").to_dataframe()
            >>> frame.shape
            (14, 11)
        """
        rows = []
        for entry in self.entries:
            e = entry.evidence
            base: dict[str, Any] = {"date": entry.date, "evidence_id": e.id, "kind": e.kind, "organisation": entry.organisation_name,
                    "activity": entry.activity_title, "instrument": e.instrument,
                    "contributions": ", ".join(entry.contributions), "package": entry.package_id}
            if not e.values:
                rows.append({**base, "code": None, "label": None, "value": None})
            rows.extend({**base, "code": v.code, "label": v.label, "value": v.value} for v in e.values)
        return frame(rows, "a person's story as a DataFrame")


def person_story(package: Package | Sequence[Package], person_id: str) -> PersonStory:
    """
    The timeline of evidence about one pseudonymous person, across organisations and across packages.

    *package* may be one package (a return, or a merge of many) or several packages from different
    organisations: the person is recognised by the same pseudonym in each (see
    `sharedoutcomes.privacy.Pseudonymiser`: one key gives every organisation the same pseudonym for
    the same CHI number), and each entry says which organisation, activity and package it came from.

    Raises:
        PersonLevelDataNotAllowed: A package's ``sharing_level`` is ``public``.
        PseudonymKeyMismatch: The packages say they were pseudonymised with different keys.
        UnknownName: no evidence in the packages is about that person.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.story import person_story
        >>> story = person_story(sharedoutcomes.example_package(), "TTC-0452")
        >>> [(e.date.isoformat(), e.evidence.kind) for e in story.entries]
        [('2024-05-09', 'assessment'), ('2024-11-14', 'assessment')]
        >>> story.contributions
        ('con-carers-wellbeing',)
    """
    packages = (package,) if isinstance(package, Package) else tuple(package)
    for each in packages:
        if each.sharing_level == "public":
            raise PersonLevelDataNotAllowed(each.id, each.sharing_level)
    _check_keys(packages)
    entries = []
    for each in packages:
        mine = [e for e in each.evidence if _person_id(e) == person_id]
        entries.extend(_timeline(each, mine))
    if not entries:
        known = sorted({found for each in packages for e in each.evidence if (found := _person_id(e))})
        raise UnknownName(person_id, known=known, what="person in the package's evidence")
    entries.sort(key=lambda t: (t.date is None, t.date or dt.date.min, t.evidence.id))
    return PersonStory(person_id=person_id, entries=tuple(entries), changes=_changes(entries),
                       packages=tuple(p.id for p in packages))


def linked_people(package: Package | Sequence[Package]) -> dict[str, tuple[str, ...]]:
    """
    Each person whose evidence comes from more than one organisation, and those organisations' ids: the people whose stories cross services.

    Example:
        >>> import sharedoutcomes
        >>> linked_people(sharedoutcomes.example_package())   # in the example, each person is known to one organisation
        {}
    """
    packages = (package,) if isinstance(package, Package) else tuple(package)
    seen: dict[str, dict[str, None]] = {}
    for each in packages:
        for e in each.evidence:
            person = _person_id(e)
            if person is not None:
                seen.setdefault(person, {})[e.collected_by or each.publisher] = None
    return {person: tuple(orgs) for person, orgs in sorted(seen.items()) if len(orgs) > 1}


def _check_keys(packages: Sequence[Package]) -> None:
    """Raise `PseudonymKeyMismatch` when packages record different pseudonymisation keys."""
    keys = {}
    for each in packages:
        privacy = each.extension_data.get("privacy")
        if isinstance(privacy, dict) and isinstance(privacy.get("key_id"), str):
            keys[each.id] = privacy["key_id"]
    if len(set(keys.values())) > 1:
        raise PseudonymKeyMismatch(keys)


def _person_id(evidence: Evidence) -> str | None:
    """The pseudonymous id of the person the evidence is about (``None`` if it is not about a person)."""
    subject = evidence.subject
    return subject.id if subject is not None and subject.type == "person" else None


def _timeline(package: Package, mine: Sequence[Evidence]) -> list[TimelineEntry]:
    """The evidence as timeline entries with their organisations, activities and contributions, in time order."""
    organisations = {o.id: o for o in package.organisations}
    activities = {a.id: a for a in package.activities}
    linked: dict[str, list[str]] = {}
    for link in package.links:
        if link.target_type == "contribution":
            linked.setdefault(link.evidence_id, []).append(link.target_id)
    entries = []
    for e in mine:
        organisation = organisations.get(e.collected_by or "")
        activity = activities.get(e.activity_id or "")
        entries.append(TimelineEntry(
            date=when(e.date, e.period), evidence=e, organisation_name=organisation.name if organisation else None,
            activity_title=activity.title if activity else None, contributions=tuple(linked.get(e.id, ())),
            activity_contributions=tuple(c.id for c in package.contributions
                                         if e.activity_id and c.activity_id == e.activity_id),
            organisation_id=e.collected_by, package_id=_source_package(package, e)))
    return entries


def _source_package(package: Package, evidence: Evidence) -> str:
    """The package the evidence came from: a merge records it for the evidence it renamed; else this package."""
    record = evidence.extension_data.get("merge")
    if isinstance(record, dict) and isinstance(record.get("package"), str):
        return str(record["package"])
    return package.id


def _changes(entries: Sequence[TimelineEntry]) -> tuple[ScoreChange, ...]:
    series: dict[tuple[str, str], list[tuple[dt.date | None, float, str | None]]] = {}
    for entry in entries:
        e = entry.evidence
        if e.instrument is None or e.kind not in ("assessment", "measurement", "survey"):
            continue
        for value in e.values:
            if isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
                series.setdefault((e.instrument, value.code), []).append((entry.date, float(value.value), value.label))
    changes = []
    for (instrument, code), points in series.items():
        if len(points) >= 2:
            (d0, v0, label), (d1, v1, _) = points[0], points[-1]
            changes.append(ScoreChange(instrument=instrument, code=code, label=label, first=v0, latest=v1,
                                       first_date=d0, latest_date=d1, readings=len(points)))
    return tuple(changes)
