"""
The strength rating of a contribution: a small, ordered rule table, no black box.

Each rule is one small function in `_APPLIED`, applied in order to the evidence for a
contribution and the rating so far; every rule that fires adds a `Reason` to the rating,
so the rating can always be explained. `RULES` says what each rule does, for readers. The
table is documented in ``docs/explanation/strength-rating.md``; keep the three in step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final, Literal, TypeAlias

from attrs import frozen

from sharedoutcomes.story._records import Challenge, EvidenceItem

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


# -- the rules, one function each --------------------------------------------------------------


@frozen
class _Evidence:
    """The evidence for one contribution, as the rules see it."""

    supporting: Sequence[EvidenceItem]
    illustrating: Sequence[EvidenceItem]
    challenges: Sequence[Challenge]


_Fired = tuple[Rating, list[Reason]]
"""A rule's result: the rating after it, and the reasons it adds (none when it does not fire)."""


def _step(rating: Rating, by: int) -> Rating:
    return RATINGS[max(1, min(3, RATINGS.index(rating) + by))]


def _ids(items: Sequence[EvidenceItem]) -> str:
    return ", ".join(item.evidence_id for item in items)


def _kinds(items: Sequence[EvidenceItem]) -> list[str]:
    return sorted({item.kind for item in items})


def _rank(item: EvidenceItem) -> int:
    return _LINK_RANK.get(item.strength or "weak", 1)


def _unless_already(rating: Rating, before: Rating, limit: str) -> str:
    """``"; already strong"`` (or weak) when a step up (or down) could not move the rating."""
    return "" if rating != before else f"; already {limit}"


def _illustration_only(evidence: _Evidence, rating: Rating) -> _Fired:
    if evidence.supporting:
        return rating, []
    illustrating = evidence.illustrating
    return "weak", [Reason(rule="illustration-only", effect="set",
                           text=f"only illustrations ({', '.join(_kinds(illustrating))}: {_ids(illustrating)}), "
                           "no supporting evidence")]


def _best_link(evidence: _Evidence, rating: Rating) -> _Fired:
    supporting = evidence.supporting
    if not supporting:
        return rating, []
    best = max(supporting, key=_rank)
    rating = best.strength if best.strength in ("moderate", "strong") else "weak"  # type: ignore[assignment]
    unrated = sum(item.strength is None for item in supporting)
    extra = f"; {unrated} link{'s' if unrated > 1 else ''} with no strength counted as weak" if unrated else ""
    return rating, [Reason(rule="best-link", effect="set",
                           text=f"strongest supporting link is {rating} ({best.link_id}: {best.evidence_id}, "
                           f"{best.kind}){extra}")]


def _single_source(evidence: _Evidence, rating: Rating) -> _Fired:
    if rating != "strong" or len(evidence.supporting) != 1:
        return rating, []
    return "moderate", [Reason(rule="single-source", effect="cap",
                               text="one supporting link alone: strong capped at moderate")]


def _triangulation(evidence: _Evidence, rating: Rating) -> _Fired:
    solid = [item for item in evidence.supporting if _rank(item) >= 2]
    kinds = _kinds(solid)
    if len(solid) < 2 or len(kinds) < 2:
        return rating, []
    before, rating = rating, _step(rating, +1)
    return rating, [Reason(rule="triangulation", effect="raise" if rating != before else "note",
                           text=f"{len(solid)} supporting links of at least moderate strength from "
                           f"{len(kinds)} kinds of evidence ({', '.join(kinds)})"
                           + _unless_already(rating, before, "strong"))]


def _causal_design(evidence: _Evidence, rating: Rating) -> _Fired:
    causal = [item for item in evidence.supporting if (item.evidence_level or 0) >= _CAUSAL_LEVEL]
    if not causal:
        return rating, []
    before, rating = rating, _step(rating, +1)
    level = max(item.evidence_level or 0 for item in causal)
    return rating, [Reason(rule="causal-design", effect="raise" if rating != before else "note",
                           text=f"supporting evidence at Nesta level {level} ({_ids(causal)})"
                           + _unless_already(rating, before, "strong"))]


def _challenges(evidence: _Evidence, rating: Rating) -> _Fired:
    """``unanswered-challenge`` and ``challenge-answered``, once for each challenge, in order."""
    reasons = []
    for challenge in evidence.challenges:
        item = challenge.item
        if challenge.answered:
            reasons.append(Reason(rule="challenge-answered", effect="note",
                                  text=f"challenge {item.evidence_id} is answered by later supporting evidence "
                                  f"({', '.join(challenge.answered_by)})"))
        else:
            before, rating = rating, _step(rating, -1)
            reasons.append(Reason(rule="unanswered-challenge", effect="lower" if rating != before else "note",
                                  text=f"challenge {item.evidence_id} ({item.kind}) is not answered by later "
                                  "supporting evidence" + _unless_already(rating, before, "weak")))
    return rating, reasons


def _illustrated(evidence: _Evidence, rating: Rating) -> _Fired:
    illustrating = evidence.illustrating
    if not (illustrating and evidence.supporting):
        return rating, []
    return rating, [Reason(rule="illustrated", effect="note",
                           text=f"illustrated by {len(illustrating)} item{'s' if len(illustrating) > 1 else ''} "
                           f"({', '.join(_kinds(illustrating))}: {_ids(illustrating)})")]


_APPLIED: Final[tuple[Callable[[_Evidence, Rating], _Fired], ...]] = (
    _illustration_only,
    _best_link,
    _single_source,
    _triangulation,
    _causal_design,
    _challenges,
    _illustrated,
)
"""The rules after ``no-evidence``, in the order they apply."""


def rate(supporting: Sequence[EvidenceItem], illustrating: Sequence[EvidenceItem],
         challenges: Sequence[Challenge]) -> StrengthRating:
    """
    Rate a contribution from its supporting, illustrating and challenging evidence.

    With no supporting or illustrating evidence the rating is ``none`` (rule ``no-evidence``);
    otherwise each rule of the table applies in turn, and each one that fires says why.

    Example:
        >>> rate((), (), ()).rating
        'none'
        >>> print(rate((EvidenceItem(evidence_id="ev-1", kind="survey", link_id="l-1", strength="strong"),),
        ...            (), ()).explain())
        moderate
          - best-link: strongest supporting link is strong (l-1: ev-1, survey)
          - single-source: one supporting link alone: strong capped at moderate
    """
    if not supporting and not illustrating:
        return StrengthRating(rating="none", reasons=(
            Reason(rule="no-evidence", effect="set", text="no evidence supports or illustrates the contribution"),))
    evidence = _Evidence(supporting, illustrating, challenges)
    rating: Rating = "weak"
    reasons: list[Reason] = []
    for rule in _APPLIED:
        rating, fired = rule(evidence, rating)
        reasons.extend(fired)
    return StrengthRating(rating=rating, reasons=tuple(reasons))
