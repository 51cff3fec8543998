"""
The contribution story: who contributes to an outcome, through what, and how good the evidence is.

Contribution, not attribution (Mayne's contribution analysis): an outcome such as a
National Health and Wellbeing Outcome is produced by many organisations together. For
any outcome, local or national, `contribution_story` gathers the contributions that
serve it (directly, through the ``broader`` hierarchy, or through a framework mapping),
the evidence for and against each, an explainable strength rating (`rate`, by the rules
in `RATING_RULES`), the gaps, and the number of people reached. `partnership_story` does
it for every outcome of a framework; `person_story` tells the story of one pseudonymous
person across organisations (and across their packages, linked by keyed pseudonyms; `linked_people`
lists whose stories cross services). `RATING_COLOURS`, `RATING_WORDS` and `rating_badge` draw the
ratings the same way everywhere (the report, the contribution map, notebooks).

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

from typing import Final

from sharedoutcomes.story._build import contribution_story, partnership_story
from sharedoutcomes.story._html import RATING_COLOURS, RATING_WORDS, rating_badge
from sharedoutcomes.story._paths import (
    OutcomePath,
    framework_title,
    framework_titles,
    local_paths,
    national_paths,
)
from sharedoutcomes.story._person import (
    PersonLevelDataNotAllowed,
    PersonStory,
    PseudonymKeyMismatch,
    ScoreChange,
    TimelineEntry,
    linked_people,
    person_story,
)
from sharedoutcomes.story._records import (
    PEOPLE_UNITS,
    REACH_METHOD,
    SHAREABLE_CONSENT,
    ActivityReach,
    Challenge,
    EvidenceItem,
    Gap,
    GapKind,
    Reach,
)
from sharedoutcomes.story._stories import ContributionEntry, ContributionStory, PartnershipStory
from sharedoutcomes.story._strength import RATINGS, RULES, Rating, Reason, StrengthRating, rate

__all__ = [
    "PEOPLE_UNITS",
    "RATINGS",
    "RATING_COLOURS",
    "RATING_RULES",
    "RATING_WORDS",
    "REACH_METHOD",
    "SHAREABLE_CONSENT",
    "ActivityReach",
    "Challenge",
    "ContributionEntry",
    "ContributionStory",
    "EvidenceItem",
    "Gap",
    "GapKind",
    "OutcomePath",
    "PartnershipStory",
    "PersonLevelDataNotAllowed",
    "PersonStory",
    "PseudonymKeyMismatch",
    "Rating",
    "Reach",
    "Reason",
    "ScoreChange",
    "StrengthRating",
    "TimelineEntry",
    "contribution_story",
    "framework_title",
    "framework_titles",
    "linked_people",
    "local_paths",
    "national_paths",
    "partnership_story",
    "person_story",
    "rate",
    "rating_badge",
]

RATING_RULES: Final = RULES
"""
Every rule id of the strength rating, with what it does, in the order the rules apply (see `rate`).

Example:
    >>> list(RATING_RULES)[:4]
    ['no-evidence', 'illustration-only', 'best-link', 'single-source']
"""
