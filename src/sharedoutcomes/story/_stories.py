"""
The stories: one contribution in a story, the story of one outcome, and of a whole partnership.

Each record has a Jupyter view (``_repr_html_``) built from `sharedoutcomes.story._html`;
`sharedoutcomes.story._build` tells the stories. The public names are re-exported by
`sharedoutcomes.story`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from html import escape
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.model import Activity, Contribution, Organisation, Outcome, Period
from sharedoutcomes.story._html import RATING_COLOURS, rating_badge, reasons_html, table
from sharedoutcomes.story._paths import OutcomePath
from sharedoutcomes.story._records import Challenge, EvidenceItem, Gap, Reach
from sharedoutcomes.story._strength import StrengthRating
from sharedoutcomes.story._util import frame, plain

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ContributionEntry", "ContributionStory", "PartnershipStory"]


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@frozen(kw_only=True, repr=False)
class ContributionEntry:
    """
    One contribution in a story: who, through what, how, and the evidence for and against it.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.story import contribution_story
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
        >>> from sharedoutcomes.story import contribution_story
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
        head = (f"<p><strong>{escape(self.label)}</strong> {escape(self.title)}<br>"
                f"{len(self.contributions)} contributions from {len(self.organisations)} organisations; "
                f"{self.reach.total} people reached; {len(self.gaps)} gaps</p>")
        rows = [(escape(e.organisation_name), escape(e.activity_title or "—"), escape(e.outcome_title),
                 escape(e.contribution.role), rating_badge(e.rating.rating), reasons_html(e.rating.reasons))
                for e in self.contributions]
        contributions = table(("organisation", "activity", "outcome", "role", "rating", "reasons"), rows)
        gaps = "".join(f"<li>{escape(g.message)}</li>" for g in self.gaps)
        return (head + (contributions if self.contributions else "")
                + (f"<p>Gaps:</p><ul>{gaps}</ul>" if gaps else ""))

    def to_dict(self) -> dict[str, Any]:
        """
        The story as JSON-ready data (model objects in their canonical JSON form).

        Example:
            >>> import sharedoutcomes
            >>> from sharedoutcomes.story import contribution_story
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
            >>> from sharedoutcomes.story import contribution_story
            >>> contribution_story(sharedoutcomes.example_package(), "out-active").rows()[0]["rating"]
            'none'
        """
        return [_row(self, entry) for entry in self.contributions]

    def to_dataframe(self) -> pd.DataFrame:
        """
        One row per contribution, as a pandas DataFrame (needs the ``analysis`` extra).

        Example:
            >>> import sharedoutcomes
            >>> from sharedoutcomes.story import contribution_story
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
        >>> from sharedoutcomes.story import partnership_story
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
        rows = []
        for s in self.stories:
            counts = {r: sum(e.rating.rating == r for e in s.contributions) for r in RATING_COLOURS}
            rating_cells = " ".join(f"{rating_badge(r)}&nbsp;{n}" for r, n in counts.items() if n)
            rows.append((escape(s.code or ""), escape(s.title), str(len(s.contributions)), rating_cells or "—",
                         str(s.reach.total), str(len(s.gaps))))
        head = (f"<p><strong>{escape(self.package_title)}</strong>: {escape(self.framework)}, "
                f"{self.reach.total} people reached, {len(self.gaps)} gaps</p>")
        return head + table(("code", "outcome", "contributions", "ratings", "people reached", "gaps"), rows)

    def to_dict(self) -> dict[str, Any]:
        """
        The whole partnership story as JSON-ready data.

        Example:
            >>> import sharedoutcomes
            >>> from sharedoutcomes.story import partnership_story
            >>> len(partnership_story(sharedoutcomes.example_package()).to_dict()["stories"])
            9
        """
        return plain(self)  # type: ignore[no-any-return]

    def rows(self) -> list[dict[str, Any]]:
        """
        One row per (outcome, contribution); an outcome with no contribution gets one row of its own.

        Example:
            >>> import sharedoutcomes
            >>> from sharedoutcomes.story import partnership_story
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
            >>> from sharedoutcomes.story import partnership_story
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
            >>> from sharedoutcomes.story import partnership_story
            >>> partnership_story(sharedoutcomes.example_package()).gaps_dataframe()["kind"].value_counts()["no-contribution"]
            np.int64(6)
        """
        return frame([{"kind": g.kind, "subject_type": g.subject_type, "subject_id": g.subject_id,
                        "message": g.message} for g in self.gaps], "gaps as a DataFrame")
