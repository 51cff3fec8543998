"""
The strength rating of a contribution: a small, ordered rule table, no black box.

Every rule that fires adds a `Reason` to the rating, so the rating can always be
explained. The table is documented for readers in ``docs/explanation/strength-rating.md``;
keep the two in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from attrs import frozen

if TYPE_CHECKING:
    from sharedoutcomes.story import Challenge, EvidenceItem

__all__ = ["RATINGS", "RULES", "Rating", "Reason", "StrengthRating", "rate"]

Rating: TypeAlias = Literal["none", "weak", "moderate", "strong"]
"""A contribution's rating, from no evidence at all to a strong case."""

RATINGS: Final[tuple[Rating, ...]] = ("none", "weak", "moderate", "strong")
"""The ratings, weakest first."""

_LINK_RANK: Final = {"weak": 1, "moderate": 2, "strong": 3}
_CAUSAL_LEVEL: Final = 3  # Nesta level 3: causation, with a comparison group

RULES: Final = {
    "no-evidence": "No evidence supports or illustrates the contribution: rating 'none'.",
    "illustration-only": "Only illustrations (case studies, quotes) and no supporting evidence: rating 'weak'.",
    "best-link": "Start from the strongest supporting link ('supports'); a link with no strength counts as weak.",
    "single-source": "One supporting link alone cannot make a strong case: 'strong' is capped at 'moderate'.",
    "triangulation": "Two or more supporting links of at least moderate strength, from two or more kinds of "
    "evidence: one step up.",
    "causal-design": "Supporting evidence at Nesta level 3 or above (a comparison group): one step up.",
    "unanswered-challenge": "Each challenge not answered by later supporting evidence: one step down, never "
    "below 'weak'.",
    "illustrated": "Illustrations are listed; they do not change the rating.",
    "challenge-answered": "A challenge answered by later supporting evidence is listed; it does not change the "
    "rating.",
}
"""Every rule id, with what it does, in the order the rules apply."""


@frozen(kw_only=True)
class Reason:
    """
    One rule that fired, and what it did to the rating.

    Example:
        >>> str(Reason(rule="best-link", effect="set", text="strongest supporting link is moderate (lnk-2)"))
        'best-link: strongest supporting link is moderate (lnk-2)'
    """

    rule: str
    effect: Literal["set", "raise", "lower", "cap", "note"]
    text: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.text}"


@frozen(kw_only=True, repr=False)
class StrengthRating:
    """
    A contribution's rating and the reasons that produced it.

    Example:
        >>> rating = StrengthRating(rating="weak", reasons=(
        ...     Reason(rule="illustration-only", effect="set", text="only a case study"),))
        >>> rating
        <StrengthRating weak: illustration-only>
        >>> rating.rank
        1
    """

    rating: Rating
    reasons: tuple[Reason, ...] = ()

    def _plain_extra(self) -> dict[str, int]:
        return {"rank": self.rank}

    @property
    def rank(self) -> int:
        """The rating as a number: 0 none, 1 weak, 2 moderate, 3 strong."""
        return RATINGS.index(self.rating)

    def explain(self) -> str:
        """
        The rating and its reasons, one per line.

        Example:
            >>> print(StrengthRating(rating="none", reasons=(
            ...     Reason(rule="no-evidence", effect="set", text="no evidence linked"),)).explain())
            none
              - no-evidence: no evidence linked
        """
        return "\n".join([self.rating, *(f"  - {reason}" for reason in self.reasons)])

    def __repr__(self) -> str:
        rules = ", ".join(r.rule for r in self.reasons if r.effect != "note")
        return f"<StrengthRating {self.rating}: {rules}>"


def _step(rating: Rating, by: int) -> Rating:
    return RATINGS[max(1, min(3, RATINGS.index(rating) + by))]


def _ids(items: Sequence[EvidenceItem]) -> str:
    return ", ".join(item.evidence_id for item in items)


def rate(supporting: Sequence[EvidenceItem], illustrating: Sequence[EvidenceItem],
         challenges: Sequence[Challenge]) -> StrengthRating:
    """
    Rate a contribution from its supporting, illustrating and challenging evidence.

    Example:
        >>> rate((), (), ()).rating
        'none'
    """
    reasons: list[Reason] = []
    if not supporting and not illustrating:
        reasons.append(Reason(rule="no-evidence", effect="set",
                              text="no evidence supports or illustrates the contribution"))
        return StrengthRating(rating="none", reasons=tuple(reasons))
    rating: Rating
    if not supporting:
        rating = "weak"
        kinds = sorted({item.kind for item in illustrating})
        reasons.append(Reason(rule="illustration-only", effect="set",
                              text=f"only illustrations ({', '.join(kinds)}: {_ids(illustrating)}), "
                              "no supporting evidence"))
    else:
        best = max(supporting, key=lambda item: _LINK_RANK.get(item.strength or "weak", 1))
        rating = best.strength if best.strength in ("moderate", "strong") else "weak"  # type: ignore[assignment]
        unrated = sum(item.strength is None for item in supporting)
        extra = f"; {unrated} link{'s' if unrated > 1 else ''} with no strength counted as weak" if unrated else ""
        reasons.append(Reason(rule="best-link", effect="set",
                              text=f"strongest supporting link is {rating} ({best.link_id}: {best.evidence_id}, "
                              f"{best.kind}){extra}"))
        if rating == "strong" and len(supporting) == 1:
            rating = "moderate"
            reasons.append(Reason(rule="single-source", effect="cap",
                                  text="one supporting link alone: strong capped at moderate"))
        solid = [item for item in supporting if _LINK_RANK.get(item.strength or "weak", 1) >= 2]
        kinds = sorted({item.kind for item in solid})
        if len(solid) >= 2 and len(kinds) >= 2:
            before, rating = rating, _step(rating, +1)
            reasons.append(Reason(rule="triangulation", effect="raise" if rating != before else "note",
                                  text=f"{len(solid)} supporting links of at least moderate strength from "
                                  f"{len(kinds)} kinds of evidence ({', '.join(kinds)})"
                                  + ("" if rating != before else "; already strong")))
        causal = [item for item in supporting if (item.evidence_level or 0) >= _CAUSAL_LEVEL]
        if causal:
            before, rating = rating, _step(rating, +1)
            level = max(item.evidence_level or 0 for item in causal)
            reasons.append(Reason(rule="causal-design", effect="raise" if rating != before else "note",
                                  text=f"supporting evidence at Nesta level {level} ({_ids(causal)})"
                                  + ("" if rating != before else "; already strong")))
    for challenge in challenges:
        item = challenge.item
        if challenge.answered:
            reasons.append(Reason(rule="challenge-answered", effect="note",
                                  text=f"challenge {item.evidence_id} is answered by later supporting evidence "
                                  f"({', '.join(challenge.answered_by)})"))
        else:
            before, rating = rating, _step(rating, -1)
            reasons.append(Reason(rule="unanswered-challenge", effect="lower" if rating != before else "note",
                                  text=f"challenge {item.evidence_id} ({item.kind}) is not answered by later "
                                  "supporting evidence" + ("" if rating != before else "; already weak")))
    if illustrating and supporting:
        kinds = sorted({item.kind for item in illustrating})
        reasons.append(Reason(rule="illustrated", effect="note",
                              text=f"illustrated by {len(illustrating)} item{'s' if len(illustrating) > 1 else ''} "
                              f"({', '.join(kinds)}: {_ids(illustrating)})"))
    return StrengthRating(rating=rating, reasons=tuple(reasons))
