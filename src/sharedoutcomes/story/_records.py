"""
The evidence-level records of a contribution story: evidence items, challenges, gaps and reach.

These are the lowest of the story's modules: the strength rating (`sharedoutcomes.story._strength`)
rates `EvidenceItem` and `Challenge` objects, and the stories (`sharedoutcomes.story._stories`)
hold them. The public names are re-exported by `sharedoutcomes.story`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal

from attrs import frozen

from sharedoutcomes.model import Evidence, EvidenceLink, Period
from sharedoutcomes.story._util import when

__all__ = [
    "PEOPLE_UNITS",
    "REACH_METHOD",
    "SHAREABLE_CONSENT",
    "ActivityReach",
    "Challenge",
    "EvidenceItem",
    "Gap",
    "GapKind",
    "Reach",
]

SHAREABLE_CONSENT: Final = frozenset({"given", "given-anonymised", "not-required"})
"""Consent values under which a narrative may appear in a shared report (absent consent counts as unknown)."""

PEOPLE_UNITS: Final = frozenset({"people", "person", "persons", "individuals", "carers", "participants"})
"""Units (case-insensitive) that make a count a count of people, for `Reach`."""

GapKind = Literal["no-evidence", "no-contribution", "weak-evidence-only", "unanswered-challenge",
                  "untested-assumption", "not-mapped"]
"""The kinds of `Gap`."""


@frozen(kw_only=True, repr=False)
class EvidenceItem:
    """
    A piece of evidence as it bears on one target, through one link.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.story import contribution_story
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
"""How `Reach` counts people, in words (the report quotes it)."""


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
