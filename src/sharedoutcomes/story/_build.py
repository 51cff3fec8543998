"""
Telling the stories: gather a package's contributions to an outcome, their evidence, ratings, gaps and reach.

`contribution_story` tells the story of one outcome, local or national; `partnership_story`
of every outcome of a framework. Both are re-exported by `sharedoutcomes.story`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal

from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.model import Activity, Contribution, Evidence, EvidenceLink, Organisation, Package
from sharedoutcomes.story import _paths
from sharedoutcomes.story._paths import OutcomePath, PathFinder
from sharedoutcomes.story._records import PEOPLE_UNITS, ActivityReach, Challenge, EvidenceItem, Gap, Reach
from sharedoutcomes.story._stories import ContributionEntry, ContributionStory, PartnershipStory
from sharedoutcomes.story._strength import rate

__all__ = ["contribution_story", "partnership_story"]


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
        self.paths = PathFinder(package)

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


# -- reach -------------------------------------------------------------------------------------


def _by_activity(index: _Index, items: Iterable[EvidenceItem],
                 entries: Sequence[ContributionEntry]) -> dict[str | None, dict[str, Evidence]]:
    """The supporting and illustrating evidence, grouped by the activity it comes from (or its contribution's)."""
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
    return groups


def _people_counts(evidence: Evidence) -> Iterator[tuple[int, str]]:
    """The counts in people that one piece of evidence reports: its cohort's size, and values in people."""
    if evidence.subject and evidence.subject.type == "cohort" and evidence.subject.size is not None:
        yield evidence.subject.size, f"cohort size in {evidence.id}"
    yield from ((int(value.value), f"count '{value.code}' in {evidence.id}") for value in evidence.values
                if (value.unit or "").lower() in PEOPLE_UNITS
                and isinstance(value.value, (int, float)) and not isinstance(value.value, bool))


def _activity_reach(activity: str | None, group: Mapping[str, Evidence]) -> ActivityReach | None:
    """The largest single figure of people reported for one activity, if any."""
    candidates: list[tuple[int, str]] = []
    people = {e.subject.id for e in group.values() if e.subject and e.subject.type == "person" and e.subject.id}
    if people:
        candidates.append((len(people), f"{len(people)} distinct pseudonymous "
                                        f"{'person' if len(people) == 1 else 'people'}"))
    for evidence in group.values():
        candidates.extend(_people_counts(evidence))
    if not candidates:
        return None
    people_count, basis = max(candidates, key=lambda c: c[0])
    return ActivityReach(activity_id=activity, people=people_count, basis=basis)


def _reach(index: _Index, items: Iterable[EvidenceItem], entries: Sequence[ContributionEntry]) -> Reach:
    found = (_activity_reach(activity, group) for activity, group in _by_activity(index, items, entries).items())
    by_activity = [reach for reach in found if reach is not None]
    return Reach(total=sum(a.people for a in by_activity), by_activity=tuple(by_activity))


# -- the stories -------------------------------------------------------------------------------


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


def _outcome_items(index: _Index, outcome_ids: Sequence[str]) -> tuple[EvidenceItem, ...]:
    """The evidence linked to the outcomes and to their indicators, each link once."""
    items: list[EvidenceItem] = []
    for oid in outcome_ids:
        items.extend(index.items("outcome", oid))
        for indicator_id in index.indicators_of.get(oid, ()):
            items.extend(index.items("indicator", indicator_id))
    return _unique(items)


def _no_contribution(title: str, framework: str | None, code: str | None, outcome_id: str | None) -> Gap:
    subject: Literal["outcome", "national-outcome"] = "national-outcome" if framework else "outcome"
    return Gap(kind="no-contribution", subject_type=subject,
               subject_id=f"{framework}:{code}" if framework else (outcome_id or ""),
               message=f"nobody in the package contributes to "
               f"{f'{framework} {code}: ' if framework else ''}'{title}'")


def _build(index: _Index, *, title: str, framework: str | None, code: str | None, outcome_id: str | None,
           serving: Mapping[str, tuple[OutcomePath, ...]], outcome_ids: Sequence[str]) -> ContributionStory:
    package = index.package
    entries = tuple(_entry(index, c, serving[c.id]) for c in package.contributions if c.id in serving)
    outcome_evidence = _outcome_items(index, outcome_ids)
    gaps = [gap for entry in entries for gap in _entry_gaps(entry)]
    if not entries:
        gaps.insert(0, _no_contribution(title, framework, code, outcome_id))
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
    title = _paths.national_title(package, framework, code, titles)
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
        return _national(index, framework, outcome, _paths.framework_titles(framework))
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


def _framework_codes(package: Package, framework: str, titles: Mapping[str, str]) -> list[str]:
    """The framework's codes in its order, then any others the package uses (numbers first)."""
    in_package = _paths.codes_in_package(package, framework)
    codes = list(titles) or sorted(in_package, key=_paths.code_key)
    codes.extend(sorted(in_package - set(codes), key=_paths.code_key))
    return codes


def _partnership_gaps(index: _Index, framework: str, stories: Sequence[ContributionStory],
                      entries: Sequence[ContributionEntry]) -> tuple[Gap, ...]:
    """Every gap of the stories, then contributions that reach no framework outcome, then unserved outcomes."""
    gaps: dict[tuple[str, str, str], Gap] = {}

    def add(gap: Gap) -> None:
        gaps.setdefault((gap.kind, gap.subject_id, gap.message), gap)

    for story in stories:
        for gap in story.gaps:
            add(gap)
    served = {entry.id for story in stories for entry in story.contributions}
    for entry in entries:
        if entry.id not in served:
            for gap in _entry_gaps(entry):
                add(gap)
            add(Gap(kind="not-mapped", subject_type="contribution", subject_id=entry.id,
                    message=f"{entry.organisation_name}'s contribution {entry.id} to "
                    f"'{entry.outcome_title}' reaches no {framework} outcome"))
    package = index.package
    served_locally = {a for c in package.contributions for a in index.paths.ancestors(c.outcome_id)}
    for outcome in package.outcomes:
        if outcome.id not in served_locally:
            add(Gap(kind="no-contribution", subject_type="outcome", subject_id=outcome.id,
                    message=f"nobody in the package contributes to the outcome '{outcome.title}'"))
    return tuple(gaps.values())


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
    titles = _paths.framework_titles(framework)
    stories = tuple(_national(index, framework, code, titles) for code in _framework_codes(package, framework, titles))
    entries = tuple(_entry(index, c, ()) for c in package.contributions)
    all_items = [i for e in entries for i in e.evidence]
    for outcome in package.outcomes:
        all_items.extend(index.items("outcome", outcome.id))
    for indicator in package.indicators:
        all_items.extend(index.items("indicator", indicator.id))
    return PartnershipStory(framework=framework, package_id=package.id, package_title=package.title,
                            stories=stories, gaps=_partnership_gaps(index, framework, stories, entries),
                            reach=_reach(index, _unique(all_items), entries),
                            contributions=entries, period=package.period)
