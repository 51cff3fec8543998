"""
The contribution story: who contributes to an outcome, through what, and how good the evidence is.

Contribution, not attribution (Mayne's contribution analysis): an outcome such as a
National Health and Wellbeing Outcome is produced by many organisations together. For
any outcome, local or national, `contribution_story` gathers the contributions that
serve it (directly, through the ``broader`` hierarchy, or through a framework mapping),
the evidence for and against each, an explainable strength rating, the gaps, and the
number of people reached. `partnership_story` does it for every outcome of a framework;
`person_story` tells the story of one pseudonymous person across organisations.

Example:
    >>> import sharedoutcomes
    >>> package = sharedoutcomes.example_package()
    >>> story = contribution_story(package, "6", framework="scot-nhwo")
    >>> [(entry.id, entry.rating.rating) for entry in story.contributions]
    [('con-carers-wellbeing', 'moderate'), ('con-carers-breaks', 'strong'), ('con-hscp-carers', 'none')]
    >>> story.reach.total
    164
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

from attrs import field, frozen

from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.story import _paths as _story_paths
from sharedoutcomes.story._paths import OutcomePath
from sharedoutcomes.story._person import (
    PersonLevelDataNotAllowed,
    PersonStory,
    ScoreChange,
    TimelineEntry,
    person_story,
)
from sharedoutcomes.story._strength import Reason, StrengthRating, rate
from sharedoutcomes.story._util import frame, plain, when

if TYPE_CHECKING:
    import pandas as pd

    from sharedoutcomes.model import (
        Activity,
        Contribution,
        Evidence,
        EvidenceLink,
        Organisation,
        Outcome,
        Package,
        Period,
    )

__all__ = [
    "ActivityReach",
    "Challenge",
    "ContributionEntry",
    "ContributionStory",
    "EvidenceItem",
    "Gap",
    "OutcomePath",
    "PartnershipStory",
    "PersonLevelDataNotAllowed",
    "PersonStory",
    "Reach",
    "Reason",
    "ScoreChange",
    "StrengthRating",
    "TimelineEntry",
    "contribution_story",
    "partnership_story",
    "person_story",
]

SHAREABLE_CONSENT: Final = frozenset({"given", "given-anonymised", "not-required"})
"""Consent values under which a narrative may appear in a shared report (absent consent counts as unknown)."""

PEOPLE_UNITS: Final = frozenset({"people", "person", "persons", "individuals", "carers", "participants"})
"""Units (case-insensitive) that make a count a count of people, for `Reach`."""

GapKind = Literal["no-evidence", "no-contribution", "weak-evidence-only", "unanswered-challenge",
                  "untested-assumption", "not-mapped"]


# -- value objects -----------------------------------------------------------------------------


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@frozen(kw_only=True, repr=False)
class EvidenceItem:
    """
    A piece of evidence as it bears on one target, through one link.

    Example:
        >>> import sharedoutcomes
        >>> story = contribution_story(sharedoutcomes.example_package(), "out-connected")
        >>> story.contributions[0].supporting[0]
        <EvidenceItem ev-shed-survey survey supports moderate>
    """

    evidence_id: str
    kind: str
    summary: str | None = None
    date: dt.date | None = None
    period: Period | None = None
    activity_id: str | None = None
    collected_by: str | None = None
    subject_type: str | None = None
    evidence_level: int | None = None
    consent: str | None = None
    narrative: str | None = None
    link_id: str | None = None
    relation: str | None = None
    strength: str | None = None
    rationale: str | None = None
    target_type: str | None = None
    target_id: str | None = None

    @classmethod
    def of(cls, evidence: Evidence, link: EvidenceLink | None = None) -> EvidenceItem:
        """
        Build an item from a piece of evidence and the link that brings it in.

        Example:
            >>> from sharedoutcomes import Evidence
            >>> EvidenceItem.of(Evidence(id="ev-1", kind="quote", narrative="It helped.")).narrative
            'It helped.'
        """
        subject = evidence.subject
        return cls(
            evidence_id=evidence.id, kind=evidence.kind, summary=evidence.summary, date=evidence.date,
            period=evidence.period, activity_id=evidence.activity_id, collected_by=evidence.collected_by,
            subject_type=subject.type if subject is not None else None, evidence_level=evidence.evidence_level,
            consent=evidence.consent, narrative=evidence.narrative,
            link_id=link.id if link else None, relation=link.relation if link else None,
            strength=link.strength if link else None, rationale=link.rationale if link else None,
            target_type=link.target_type if link else None, target_id=link.target_id if link else None,
        )

    @property
    def when(self) -> dt.date | None:
        """The evidence's date, else the end (or start) of its period."""
        return when(self.date, self.period)

    @property
    def shareable_narrative(self) -> str | None:
        """
        The narrative, only if consent allows it to be shared (given, given if anonymised, not required).

        Example:
            >>> EvidenceItem(evidence_id="e", kind="quote", narrative="x", consent="refused").shareable_narrative
        """
        return self.narrative if self.consent in SHAREABLE_CONSENT else None

    def __repr__(self) -> str:
        parts = [self.evidence_id, self.kind, self.relation or "", self.strength or ""]
        return f"<EvidenceItem {' '.join(p for p in parts if p)}>"


@frozen(kw_only=True, repr=False)
class Challenge:
    """
    Evidence that challenges a contribution, and the later supporting evidence that answers it, if any.

    Example:
        >>> Challenge(item=EvidenceItem(evidence_id="ev-9", kind="observation")).answered
        False
    """

    item: EvidenceItem
    answered_by: tuple[str, ...] = ()

    def _plain_extra(self) -> dict[str, Any]:
        return {"answered": self.answered}

    @property
    def answered(self) -> bool:
        """Whether later supporting evidence (moderate or strong) answers the challenge."""
        return bool(self.answered_by)

    def __repr__(self) -> str:
        state = f"answered by {', '.join(self.answered_by)}" if self.answered else "unanswered"
        return f"<Challenge {self.item.evidence_id} {state}>"


@frozen(kw_only=True, repr=False)
class Gap:
    """
    Something missing from a contribution story.

    ``kind`` is one of ``no-evidence`` (a contribution with no evidence), ``no-contribution`` (an
    outcome nobody contributes to), ``weak-evidence-only``, ``unanswered-challenge``,
    ``untested-assumption`` and ``not-mapped`` (a contribution that serves no outcome of the framework).

    Example:
        >>> Gap(kind="no-evidence", subject_type="contribution", subject_id="c-1", message="no evidence")
        <Gap no-evidence contribution c-1>
    """

    kind: GapKind
    subject_type: Literal["contribution", "outcome", "national-outcome"]
    subject_id: str
    message: str

    def __repr__(self) -> str:
        return f"<Gap {self.kind} {self.subject_type} {self.subject_id}>"

    def __str__(self) -> str:
        return self.message


@frozen(kw_only=True, repr=False)
class ActivityReach:
    """
    The people one activity reached, as the largest single figure reported for it.

    Example:
        >>> ActivityReach(activity_id="act-1", people=43, basis="cohort size (ev-1)")
        <ActivityReach act-1: 43 (cohort size (ev-1))>
    """

    activity_id: str | None
    people: int
    basis: str

    def __repr__(self) -> str:
        return f"<ActivityReach {self.activity_id or '(no activity)'}: {self.people} ({self.basis})>"


REACH_METHOD: Final = (
    "For each activity, the largest single figure reported for it: the number of distinct pseudonymous "
    "people in its evidence, the size of a cohort it reports on, or one count in people. Figures for the same "
    "activity are never added, because they may count the same people (the same person in two quarters, the "
    "survey respondents among the members), so the figure is a lower bound. Figures for different activities "
    "are added, so a person helped by two activities is counted in each. Population statistics are context, "
    "not reach."
)


@frozen(kw_only=True, repr=False)
class Reach:
    """
    People reached, without double counting within an activity; ``method`` says how.

    Example:
        >>> Reach(total=0).by_activity
        ()
    """

    total: int
    by_activity: tuple[ActivityReach, ...] = ()
    method: str = REACH_METHOD

    def __repr__(self) -> str:
        return f"<Reach {self.total} people across {len(self.by_activity)} activities>"


@frozen(kw_only=True, repr=False)
class ContributionEntry:
    """
    One contribution in a story: who, through what, how, and the evidence for and against it.

    Example:
        >>> import sharedoutcomes
        >>> entry = contribution_story(sharedoutcomes.example_package(), "out-carer-breaks").contributions[0]
        >>> entry
        <ContributionEntry con-carers-breaks strong: 2 supporting, 0 challenging>
    """

    contribution: Contribution
    organisation_name: str
    activity_title: str | None
    outcome_title: str
    paths: tuple[OutcomePath, ...]
    supporting: tuple[EvidenceItem, ...] = ()
    illustrating: tuple[EvidenceItem, ...] = ()
    contextual: tuple[EvidenceItem, ...] = ()
    challenges: tuple[Challenge, ...] = ()
    rating: StrengthRating = field(factory=lambda: StrengthRating(rating="none"))

    @property
    def id(self) -> str:
        """The contribution's id."""
        return self.contribution.id

    @property
    def evidence(self) -> tuple[EvidenceItem, ...]:
        """All the evidence linked to the contribution, whatever the relation."""
        return (*self.supporting, *self.illustrating, *(c.item for c in self.challenges), *self.contextual)

    def __repr__(self) -> str:
        return (f"<ContributionEntry {self.id} {self.rating.rating}: {len(self.supporting)} supporting, "
                f"{len(self.challenges)} challenging>")


@frozen(kw_only=True, repr=False)
class ContributionStory:
    """
    The contribution story of one outcome, local or national.

    Example:
        >>> import sharedoutcomes
        >>> story = contribution_story(sharedoutcomes.example_package(), "1", framework="scot-nhwo")
        >>> story
        <ContributionStory scot-nhwo 1 'People are able to look after and improve their…': 3 contributions, 1 gap>
        >>> sorted(o.name for o in story.organisations)
        ["Garnock Valley Men's Shed", 'North Ayrshire Health and Social Care Partnership']
    """

    title: str
    framework: str | None = None
    code: str | None = None
    outcome_id: str | None = None
    outcomes: tuple[Outcome, ...] = ()
    contributions: tuple[ContributionEntry, ...] = ()
    outcome_evidence: tuple[EvidenceItem, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    activities: tuple[Activity, ...] = ()
    gaps: tuple[Gap, ...] = ()
    reach: Reach = field(factory=lambda: Reach(total=0))
    period: Period | None = None
    evidence_period: tuple[dt.date, dt.date] | None = None

    @property
    def label(self) -> str:
        """``scot-nhwo 6`` for a national outcome, the outcome id for a local one."""
        return f"{self.framework} {self.code}" if self.framework else (self.outcome_id or "")

    def __repr__(self) -> str:
        n, g = len(self.contributions), len(self.gaps)
        return (f"<ContributionStory {self.label} {_short(self.title)!r}: {n} contribution{'s' if n != 1 else ''}, "
                f"{g} gap{'s' if g != 1 else ''}>")

    def _repr_html_(self) -> str:
        from sharedoutcomes.story._html import story_html

        return story_html(self)

    def to_dict(self) -> dict[str, Any]:
        """
        The story as JSON-ready data (model objects in their canonical JSON form).

        Example:
            >>> import sharedoutcomes
            >>> data = contribution_story(sharedoutcomes.example_package(), "out-carer-breaks").to_dict()
            >>> data["contributions"][0]["rating"]["rating"]
            'strong'
        """
        return plain(self)  # type: ignore[no-any-return]

    def rows(self) -> list[dict[str, Any]]:
        """
        One flat row per contribution (what `to_dataframe` holds).

        Example:
            >>> import sharedoutcomes
            >>> contribution_story(sharedoutcomes.example_package(), "out-active").rows()[0]["rating"]
            'none'
        """
        return [_row(self, entry) for entry in self.contributions]

    def to_dataframe(self) -> pd.DataFrame:
        """
        One row per contribution, as a pandas DataFrame (needs the ``analysis`` extra).

        Example:
            >>> import sharedoutcomes
            >>> frame = contribution_story(sharedoutcomes.example_package(), "6", framework="scot-nhwo").to_dataframe()
            >>> frame[["contribution", "rating"]].values.tolist()[1]
            ['con-carers-breaks', 'strong']
        """
        return frame(self.rows(), "a contribution story as a DataFrame")


def _row(story: ContributionStory, entry: ContributionEntry) -> dict[str, Any]:
    c = entry.contribution
    return {
        "story": story.label, "story_title": story.title, "contribution": c.id,
        "organisation_id": c.organisation_id, "organisation": entry.organisation_name,
        "activity_id": c.activity_id, "activity": entry.activity_title, "outcome_id": c.outcome_id,
        "outcome": entry.outcome_title, "role": c.role, "pathway_stage": c.pathway_stage,
        "paths": "; ".join(map(str, entry.paths)), "supporting": len(entry.supporting),
        "illustrating": len(entry.illustrating), "challenging": len(entry.challenges),
        "unanswered_challenges": sum(not ch.answered for ch in entry.challenges),
        "rating": entry.rating.rating, "reasons": "; ".join(map(str, entry.rating.reasons)),
    }


@frozen(kw_only=True, repr=False)
class PartnershipStory:
    """
    The story of every outcome of a framework, and every gap in the package.

    Example:
        >>> import sharedoutcomes
        >>> story = partnership_story(sharedoutcomes.example_package())
        >>> story
        <PartnershipStory scot-nhwo: 3 of 9 outcomes have contributions, 8 gaps>
        >>> story["6"].title[:40]
        'People who provide unpaid care are suppo'
    """

    framework: str
    package_id: str
    package_title: str
    stories: tuple[ContributionStory, ...]
    gaps: tuple[Gap, ...] = ()
    reach: Reach = field(factory=lambda: Reach(total=0))
    contributions: tuple[ContributionEntry, ...] = ()
    period: Period | None = None

    def __getitem__(self, code: str) -> ContributionStory:
        for story in self.stories:
            if story.code == code:
                return story
        raise UnknownName(code, known=[s.code or "" for s in self.stories], what=f"{self.framework} outcome")

    def __iter__(self) -> Iterator[ContributionStory]:
        return iter(self.stories)

    def __len__(self) -> int:
        return len(self.stories)

    def __repr__(self) -> str:
        served = sum(bool(s.contributions) for s in self.stories)
        return (f"<PartnershipStory {self.framework}: {served} of {len(self.stories)} outcomes have contributions, "
                f"{len(self.gaps)} gaps>")

    def _repr_html_(self) -> str:
        from sharedoutcomes.story._html import partnership_html

        return partnership_html(self)

    def to_dict(self) -> dict[str, Any]:
        """
        The whole partnership story as JSON-ready data.

        Example:
            >>> import sharedoutcomes
            >>> len(partnership_story(sharedoutcomes.example_package()).to_dict()["stories"])
            9
        """
        return plain(self)  # type: ignore[no-any-return]

    def rows(self) -> list[dict[str, Any]]:
        """
        One row per (outcome, contribution); an outcome with no contribution gets one row of its own.

        Example:
            >>> import sharedoutcomes
            >>> rows = partnership_story(sharedoutcomes.example_package()).rows()
            >>> len(rows), rows[-1]["story"], rows[-1]["contribution"]
            (15, 'scot-nhwo 9', None)
        """
        rows: list[dict[str, Any]] = []
        for story in self.stories:
            rows.extend(story.rows() or [{"story": story.label, "story_title": story.title, "contribution": None,
                                          "rating": None}])
        return rows

    def to_dataframe(self) -> pd.DataFrame:
        """
        `rows` as a pandas DataFrame (needs the ``analysis`` extra).

        Example:
            >>> import sharedoutcomes
            >>> frame = partnership_story(sharedoutcomes.example_package()).to_dataframe()
            >>> int(frame["contribution"].notna().sum())
            9
        """
        return frame(self.rows(), "a partnership story as a DataFrame")

    def gaps_dataframe(self) -> pd.DataFrame:
        """
        The gaps, one row each (needs the ``analysis`` extra).

        Example:
            >>> import sharedoutcomes
            >>> partnership_story(sharedoutcomes.example_package()).gaps_dataframe()["kind"].value_counts()["no-contribution"]
            np.int64(6)
        """
        return frame([{"kind": g.kind, "subject_type": g.subject_type, "subject_id": g.subject_id,
                        "message": g.message} for g in self.gaps], "gaps as a DataFrame")


# -- building a story --------------------------------------------------------------------------


class _Index:
    """Look-ups over one package, built once per call."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.organisations = {o.id: o for o in package.organisations}
        self.activities = {a.id: a for a in package.activities}
        self.outcomes = {o.id: o for o in package.outcomes}
        self.evidence = {e.id: e for e in package.evidence}
        self.contributions = {c.id: c for c in package.contributions}
        self.links_to: dict[tuple[str, str], list[EvidenceLink]] = {}
        for link in package.links:
            self.links_to.setdefault((link.target_type, link.target_id), []).append(link)
        self.indicators_of: dict[str, list[str]] = {}
        for indicator in package.indicators:
            for outcome_id in indicator.outcome_ids:
                self.indicators_of.setdefault(outcome_id, []).append(indicator.id)
        self.paths = _story_paths.PathFinder(package)

    def items(self, target_type: str, target_id: str) -> list[EvidenceItem]:
        return [EvidenceItem.of(self.evidence[link.evidence_id], link)
                for link in self.links_to.get((target_type, target_id), ()) if link.evidence_id in self.evidence]


def _entry(index: _Index, contribution: Contribution, paths: tuple[OutcomePath, ...]) -> ContributionEntry:
    items = index.items("contribution", contribution.id)
    supporting = tuple(i for i in items if i.relation == "supports")
    challenges = []
    for item in (i for i in items if i.relation == "challenges"):
        when = item.when
        answered = tuple(s.evidence_id for s in supporting
                         if when is not None and s.when is not None and s.when > when
                         and s.strength in ("moderate", "strong"))
        challenges.append(Challenge(item=item, answered_by=answered))
    illustrating = tuple(i for i in items if i.relation == "illustrates")
    organisation = index.organisations.get(contribution.organisation_id)
    activity = index.activities.get(contribution.activity_id) if contribution.activity_id else None
    outcome = index.outcomes.get(contribution.outcome_id)
    return ContributionEntry(
        contribution=contribution,
        organisation_name=organisation.name if organisation else contribution.organisation_id,
        activity_title=activity.title if activity else contribution.activity_id,
        outcome_title=outcome.title if outcome else contribution.outcome_id,
        paths=paths, supporting=supporting, illustrating=illustrating,
        contextual=tuple(i for i in items if i.relation == "contextualises"), challenges=tuple(challenges),
        rating=rate(supporting, illustrating, challenges),
    )


def _entry_gaps(entry: ContributionEntry) -> Iterator[Gap]:
    c = entry.contribution
    who = f"{entry.organisation_name}'s contribution {c.id} to '{entry.outcome_title}'"
    if entry.rating.rating == "none":
        yield Gap(kind="no-evidence", subject_type="contribution", subject_id=c.id,
                  message=f"{who} has no evidence")
    elif all((i.strength or "weak") == "weak" for i in (*entry.supporting, *entry.illustrating)):
        yield Gap(kind="weak-evidence-only", subject_type="contribution", subject_id=c.id,
                  message=f"{who} rests on weak evidence only")
    for challenge in entry.challenges:
        if not challenge.answered:
            yield Gap(kind="unanswered-challenge", subject_type="contribution", subject_id=c.id,
                      message=f"{who} is challenged by {challenge.item.evidence_id} and no later supporting "
                      "evidence answers it")
    if c.assumptions and not entry.supporting:
        for assumption in c.assumptions:
            yield Gap(kind="untested-assumption", subject_type="contribution", subject_id=c.id,
                      message=f"{who} assumes '{assumption}', and no supporting evidence tests the pathway")


def _reach(index: _Index, items: Iterable[EvidenceItem], entries: Sequence[ContributionEntry]) -> Reach:
    activity_of_contribution = {e.id: e.contribution.activity_id for e in entries}
    groups: dict[str | None, dict[str, Evidence]] = {}
    for item in items:
        if item.relation in ("challenges", "contextualises"):
            continue
        evidence = index.evidence[item.evidence_id]
        activity = evidence.activity_id
        if activity is None and item.target_type == "contribution":
            activity = activity_of_contribution.get(item.target_id or "")
        groups.setdefault(activity, {})[evidence.id] = evidence
    by_activity = []
    for activity, group in groups.items():
        candidates: list[tuple[int, str]] = []
        people = {e.subject.id for e in group.values() if e.subject and e.subject.type == "person" and e.subject.id}
        if people:
            candidates.append((len(people), f"{len(people)} distinct pseudonymous "
                                            f"{'person' if len(people) == 1 else 'people'}"))
        for e in group.values():
            if e.subject and e.subject.type == "cohort" and e.subject.size is not None:
                candidates.append((e.subject.size, f"cohort size in {e.id}"))
            candidates.extend((int(value.value), f"count '{value.code}' in {e.id}") for value in e.values
                              if (value.unit or "").lower() in PEOPLE_UNITS
                              and isinstance(value.value, (int, float)) and not isinstance(value.value, bool))
        if candidates:
            people_count, basis = max(candidates, key=lambda c: c[0])
            by_activity.append(ActivityReach(activity_id=activity, people=people_count, basis=basis))
    return Reach(total=sum(a.people for a in by_activity), by_activity=tuple(by_activity))


def _span(items: Iterable[EvidenceItem]) -> tuple[dt.date, dt.date] | None:
    days: list[dt.date] = []
    for item in items:
        if item.date is not None:
            days.append(item.date)
        if item.period is not None:
            days.extend(d for d in (item.period.start, item.period.end) if d is not None)
    return (min(days), max(days)) if days else None


def _unique(items: Iterable[EvidenceItem]) -> tuple[EvidenceItem, ...]:
    seen: dict[tuple[str, str | None], EvidenceItem] = {}
    for item in items:
        seen.setdefault((item.evidence_id, item.link_id), item)
    return tuple(seen.values())


def _build(index: _Index, *, title: str, framework: str | None, code: str | None, outcome_id: str | None,
           serving: Mapping[str, tuple[OutcomePath, ...]], outcome_ids: Sequence[str]) -> ContributionStory:
    package = index.package
    entries = tuple(_entry(index, c, serving[c.id]) for c in package.contributions if c.id in serving)
    outcome_items: list[EvidenceItem] = []
    for oid in outcome_ids:
        outcome_items.extend(index.items("outcome", oid))
        for indicator_id in index.indicators_of.get(oid, ()):
            outcome_items.extend(index.items("indicator", indicator_id))
    outcome_evidence = _unique(outcome_items)
    gaps = [gap for entry in entries for gap in _entry_gaps(entry)]
    if not entries:
        subject: Literal["outcome", "national-outcome"] = "national-outcome" if framework else "outcome"
        gaps.insert(0, Gap(kind="no-contribution", subject_type=subject,
                           subject_id=f"{framework}:{code}" if framework else (outcome_id or ""),
                           message=f"nobody in the package contributes to "
                           f"{f'{framework} {code}: ' if framework else ''}'{title}'"))
    all_items = (*(i for e in entries for i in e.evidence), *outcome_evidence)
    organisations: dict[str, Organisation] = {}
    activities: dict[str, Activity] = {}
    for entry in entries:
        c = entry.contribution
        if c.organisation_id in index.organisations:
            organisations.setdefault(c.organisation_id, index.organisations[c.organisation_id])
        if c.activity_id in index.activities:
            activities.setdefault(c.activity_id, index.activities[c.activity_id])
    return ContributionStory(
        title=title, framework=framework, code=code, outcome_id=outcome_id,
        outcomes=tuple(index.outcomes[o] for o in outcome_ids if o in index.outcomes), contributions=entries,
        outcome_evidence=outcome_evidence, organisations=tuple(organisations.values()),
        activities=tuple(activities.values()), gaps=tuple(gaps), reach=_reach(index, all_items, entries),
        period=package.period, evidence_period=_span(all_items),
    )


def _national(index: _Index, framework: str, code: str, titles: Mapping[str, str]) -> ContributionStory:
    package = index.package
    serving: dict[str, tuple[OutcomePath, ...]] = {}
    outcome_ids: dict[str, None] = {}
    for contribution in package.contributions:
        paths = index.paths.national(contribution.outcome_id, framework, code)
        if paths:
            serving[contribution.id] = paths
    for outcome in package.outcomes:
        if index.paths.national(outcome.id, framework, code):
            outcome_ids[outcome.id] = None
    title = _story_paths.national_title(package, framework, code, titles)
    return _build(index, title=title, framework=framework, code=code, outcome_id=None, serving=serving,
                  outcome_ids=list(outcome_ids))


def contribution_story(package: Package, outcome: str, *, framework: str | None = None) -> ContributionStory:
    """
    The contribution story of one outcome.

    With no ``framework``, ``outcome`` is the id of an outcome in the package; the story holds
    the contributions to it and to every narrower outcome (those that name it, directly or not,
    in ``broader``). With a ``framework`` (such as ``"scot-nhwo"``), ``outcome`` is a code in that
    framework; the story holds every contribution whose outcome reaches that code through
    its mappings, its ``broader`` hierarchy or a published crosswalk.

    Raises:
        UnknownName: no outcome in the package has that id.

    Example:
        >>> import sharedoutcomes
        >>> package = sharedoutcomes.example_package()
        >>> story = contribution_story(package, "out-connected")
        >>> [e.id for e in story.contributions]
        ['con-shed-connected', 'con-shed-active', 'con-hscp-shed']
        >>> str(story.contributions[1].paths[0])
        'out-active → out-connected'
        >>> [g.kind for g in contribution_story(package, "9", framework="scot-nhwo").gaps]
        ['no-contribution']
    """
    index = _Index(package)
    if framework is not None:
        return _national(index, framework, outcome, _story_paths.framework_titles(framework))
    if outcome not in index.outcomes:
        raise UnknownName(outcome, known=list(index.outcomes), what="outcome in the package")
    serving = {}
    for contribution in package.contributions:
        paths = index.paths.local(contribution.outcome_id, outcome)
        if paths:
            serving[contribution.id] = paths
    narrower = [o.id for o in package.outcomes if outcome in index.paths.ancestors(o.id)]
    return _build(index, title=index.outcomes[outcome].title, framework=None, code=None, outcome_id=outcome,
                  serving=serving, outcome_ids=narrower)


def partnership_story(package: Package, framework: str = "scot-nhwo") -> PartnershipStory:
    """
    The story of every outcome of ``framework``, with every gap in the package.

    Outcomes come in the framework's order (all nine National Health and Wellbeing Outcomes
    for ``scot-nhwo``). Besides each story's gaps, the partnership's gaps include local
    outcomes nobody contributes to and contributions that reach no outcome of the framework.

    Example:
        >>> import sharedoutcomes
        >>> story = partnership_story(sharedoutcomes.example_package())
        >>> [(s.code, len(s.contributions)) for s in story if s.contributions]
        [('1', 3), ('4', 3), ('6', 3)]
        >>> sorted({g.kind for g in story.gaps})
        ['no-contribution', 'no-evidence']
    """
    index = _Index(package)
    titles = _story_paths.framework_titles(framework)
    codes = list(titles) or sorted(_story_paths.codes_in_package(package, framework), key=_story_paths.code_key)
    for extra in sorted(_story_paths.codes_in_package(package, framework) - set(codes), key=_story_paths.code_key):
        codes.append(extra)
    stories = tuple(_national(index, framework, code, titles) for code in codes)
    gaps: dict[tuple[str, str, str], Gap] = {}
    for story in stories:
        for gap in story.gaps:
            gaps.setdefault((gap.kind, gap.subject_id, gap.message), gap)
    every = partnership_entries = tuple(_entry(index, c, ()) for c in package.contributions)
    served = {entry.id for story in stories for entry in story.contributions}
    for entry in every:
        if entry.id not in served:
            for gap in (*_entry_gaps(entry),
                        Gap(kind="not-mapped", subject_type="contribution", subject_id=entry.id,
                            message=f"{entry.organisation_name}'s contribution {entry.id} to "
                            f"'{entry.outcome_title}' reaches no {framework} outcome")):
                gaps.setdefault((gap.kind, gap.subject_id, gap.message), gap)
    served_locally = {a for c in package.contributions for a in index.paths.ancestors(c.outcome_id)}
    for outcome in package.outcomes:
        if outcome.id not in served_locally:
            gap = Gap(kind="no-contribution", subject_type="outcome", subject_id=outcome.id,
                      message=f"nobody in the package contributes to the outcome '{outcome.title}'")
            gaps.setdefault((gap.kind, gap.subject_id, gap.message), gap)
    all_items = [i for e in partnership_entries for i in e.evidence]
    for outcome in package.outcomes:
        all_items.extend(index.items("outcome", outcome.id))
    for indicator in package.indicators:
        all_items.extend(index.items("indicator", indicator.id))
    return PartnershipStory(framework=framework, package_id=package.id, package_title=package.title,
                            stories=stories, gaps=tuple(gaps.values()),
                            reach=_reach(index, _unique(all_items), partnership_entries),
                            contributions=partnership_entries, period=package.period)
