"""
Change on any instrument: each person's first and latest responses, per item and on the score, summarised for a cohort.

The public names are exported from `sharedoutcomes.change`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import TYPE_CHECKING, Final, Literal

from attrs import frozen

from sharedoutcomes._optional import require
from sharedoutcomes._util.html import table
from sharedoutcomes.instruments import Instrument, InstrumentRegistry, registry
from sharedoutcomes.model import Evidence, Package

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Change", "PersonChange", "ScoreChange", "change"]

Source = Package | Iterable[Evidence]
Verdict = Literal["improved", "same", "worse"]

_ROWS: Final = ("person", "cohort", "score", "first_date", "latest_date", "first", "latest", "change", "verdict",
                "meaningful", "readings")
_SUMMARY: Final = ("cohort", "score", "n", "mean_first", "mean_latest", "mean_change", "median_change",
                   "pct_improved", "pct_same", "pct_worse", "threshold", "pct_meaningful_improvement",
                   "pct_meaningful_deterioration")


@frozen
class PersonChange:
    """
    One person's change on one score (an item's code, ``total`` or ``metric``) from the first to the latest response.

    *verdict* is the direction in the instrument's sense of better (for anxiety, GAD-7 and PHQ-9 a
    fall is an improvement); *meaningful* says whether the change reaches the instrument's published
    threshold (``None`` when it publishes none for this score).
    """

    person: str
    score: str
    first_date: dt.date
    latest_date: dt.date
    first: float
    latest: float
    change: float
    verdict: Verdict
    meaningful: bool | None
    readings: int
    cohort: str | None = None


@frozen
class ScoreChange:
    """A cohort's change on one score: means beside medians, and the shares improved, the same and worse."""

    score: str
    n: int
    mean_first: float
    mean_latest: float
    mean_change: float
    median_change: float
    pct_improved: float
    pct_same: float
    pct_worse: float
    threshold: float | None = None
    pct_meaningful_improvement: float | None = None
    pct_meaningful_deterioration: float | None = None
    cohort: str | None = None


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


def _summarise(rows: list[PersonChange], threshold: float | None, cohort: str | None) -> ScoreChange:
    changes = [r.change for r in rows]
    n = len(rows)
    verdicts = [r.verdict for r in rows]
    meaningful = [r for r in rows if r.meaningful]
    return ScoreChange(
        score=rows[0].score, n=n, cohort=cohort,
        mean_first=round(statistics.fmean(r.first for r in rows), 2),
        mean_latest=round(statistics.fmean(r.latest for r in rows), 2),
        mean_change=round(statistics.fmean(changes), 2), median_change=round(statistics.median(changes), 2),
        pct_improved=_pct(verdicts.count("improved"), n), pct_same=_pct(verdicts.count("same"), n),
        pct_worse=_pct(verdicts.count("worse"), n), threshold=threshold,
        pct_meaningful_improvement=None if threshold is None else _pct(
            sum(1 for r in meaningful if r.verdict == "improved"), n),
        pct_meaningful_deterioration=None if threshold is None else _pct(
            sum(1 for r in meaningful if r.verdict == "worse"), n),
    )


@frozen(kw_only=True)
class Change:
    """
    First-to-latest change per person on every item and on the instrument's score, and the cohort summary.

    Attributes:
        instrument: The instrument.
        rows: One `PersonChange` per person and score (items first, then the total or metric).
        excluded: Person → why they have no change (one response only, or no scorable pair).
        threshold_source: The publication the meaningful-change threshold comes from, if any.

    Example:
        >>> from sharedoutcomes.change import change, example_responses
        >>> result = change(example_responses(), "swemwbs")
        >>> result.headline
        'metric'
        >>> summary = result.summary()["metric"]
        >>> summary.n, summary.mean_change, summary.median_change, summary.pct_meaningful_improvement
        (3, 1.99, 1.82, 66.7)
    """

    instrument: Instrument
    rows: tuple[PersonChange, ...] = ()
    excluded: Mapping[str, str] = {}
    threshold_source: str | None = None

    @property
    def headline(self) -> str | None:
        """The score a change is judged on: the metric where the instrument converts, else the total (None for ONS4)."""
        if self.instrument.metric is not None:
            return "metric"
        return "total" if self.instrument.method == "sum" else None

    def people(self) -> tuple[str, ...]:
        """The people with a change, sorted."""
        return tuple(sorted({row.person for row in self.rows}))

    def summary(self, *, cohort: str | None = None) -> dict[str, ScoreChange]:
        """
        Score → the cohort summary (of everyone, or of one *cohort*), items in the instrument's order then the score.

        Example:
            >>> from sharedoutcomes.change import change, example_responses
            >>> change(example_responses(), "swemwbs").summary()["swemwbs-1"].pct_improved
            66.7
        """
        by_score: dict[str, list[PersonChange]] = defaultdict(list)
        for row in self.rows:
            if cohort is None or row.cohort == cohort:
                by_score[row.score].append(row)
        change_rule = self.instrument.meaningful_change
        out = {}
        for score, rows in by_score.items():
            threshold = change_rule.threshold if change_rule is not None and change_rule.score == score else None
            out[score] = _summarise(rows, threshold, cohort)
        return out

    def cohorts(self) -> tuple[str, ...]:
        """The cohorts the rows fall in, sorted."""
        return tuple(sorted({row.cohort for row in self.rows if row.cohort is not None}))

    def to_dataframe(self) -> pd.DataFrame:
        """
        One row per person and score (the ``analysis`` extra: pandas).

        Example:
            >>> from sharedoutcomes.change import change, example_responses
            >>> change(example_responses(), "swemwbs").to_dataframe().query("score == 'metric'")["change"].tolist()
            [1.82, 4.14, 0.0]
        """
        pandas = require("pandas", extra="analysis", purpose="to_dataframe()")
        frame: pd.DataFrame = pandas.DataFrame([[getattr(r, c) for c in _ROWS] for r in self.rows],
                                               columns=list(_ROWS))
        return frame

    def summary_dataframe(self) -> pd.DataFrame:
        """
        The cohort summary: one row per score for everyone, then per cohort.

        Example:
            >>> from sharedoutcomes.change import change, example_responses
            >>> change(example_responses(), "swemwbs").summary_dataframe().iloc[-1]["median_change"]
            np.float64(1.82)
        """
        pandas = require("pandas", extra="analysis", purpose="summary_dataframe()")
        rows = [*self.summary().values(), *(s for c in self.cohorts() for s in self.summary(cohort=c).values())]
        frame: pd.DataFrame = pandas.DataFrame([[getattr(s, c) for c in _SUMMARY] for s in rows],
                                               columns=list(_SUMMARY))
        return frame

    def __repr__(self) -> str:
        return (f"<Change {self.instrument.id}: {len(self.people())} people, {len(self.rows)} person-score changes, "
                f"{len(self.excluded)} excluded>")

    def _repr_html_(self) -> str:
        rows = [(escape(s.score), str(s.n), f"{s.mean_first:g}", f"{s.mean_latest:g}", f"{s.mean_change:+g}",
                 f"{s.median_change:+g}", f"{s.pct_improved:g}%", f"{s.pct_same:g}%", f"{s.pct_worse:g}%",
                 "–" if s.pct_meaningful_improvement is None else f"{s.pct_meaningful_improvement:g}%")
                for s in self.summary().values()]
        header = ("score", "people", "mean first", "mean latest", "mean change", "median change", "improved",
                  "same", "worse", "meaningful improvement")
        note = f"{len(self.excluded)} people excluded (fewer than two responses)."
        rule = self.instrument.meaningful_change
        if rule is not None:
            note += f" Meaningful change: {rule.threshold:g} points on the {rule.score} ({escape(rule.source)})."
        return (f"<p><strong>Change on {escape(self.instrument.name)}</strong></p>{table(header, rows)}"
                f"<p style='font-size:85%;color:#555'>{note}</p>")


def _matches(evidence: Evidence, instrument: Instrument, known: InstrumentRegistry) -> bool:
    if evidence.instrument is None or evidence.subject is None or evidence.subject.id is None:
        return False
    if evidence.date is None or not evidence.values:
        return False
    found = known.find(evidence.instrument)
    return found is not None and found.id == instrument.id


def _scores(instrument: Instrument, evidence: Evidence) -> dict[str, float]:
    """Score → value of one response: the answered items (as answered) and the total and metric where scored."""
    responses = {value.code: value.value for value in evidence.values}
    scored = instrument.score({k: v for k, v in responses.items() if instrument.item(k) is not None})
    out: dict[str, float] = {}
    for item in instrument.items:
        answer = next((v for k, v in responses.items() if instrument.item(k) is item), None)
        if item.code in scored.items and answer is not None:
            out[item.code] = float(answer)
    if scored.total is not None:
        out["total"] = float(scored.total)
    if scored.metric is not None:
        out["metric"] = scored.metric
    return out


def change(source: Source, instrument: str | Instrument, *, instruments: InstrumentRegistry | None = None,
           cohort: Callable[[Evidence], str | None] | Mapping[str, str] | None = None,
           people: Iterable[str] | None = None, since: dt.date | None = None,
           until: dt.date | None = None) -> Change:
    """
    Each person's change from their first to their latest response on *instrument*, per item and on its score.

    Responses are the evidence on the instrument (by id or name), with a person subject and a date.
    Totals are scored from the items by the instrument's rules (a response with missing items has
    no total, so it counts for the items it has). Where the instrument converts its raw total
    (SWEMWBS), the change is on the metric only: the raw total is not an interval scale. *cohort* names each person's cohort (a mapping
    person → cohort, or a function of the evidence); *people*, *since* and *until* filter.

    Example:
        >>> from sharedoutcomes.change import example_responses
        >>> result = change(example_responses(), "swemwbs", cohort={"SP-1": "walking group"})
        >>> result.summary(cohort="walking group")["metric"].mean_change
        1.82
    """
    known = instruments or registry()
    chosen = known.get(instrument) if isinstance(instrument, str) else instrument
    evidence = source.evidence if isinstance(source, Package) else tuple(source)
    wanted = None if people is None else set(people)
    responses: dict[str, list[tuple[dt.date, dict[str, float], Evidence]]] = defaultdict(list)
    for item in evidence:
        if not _matches(item, chosen, known):
            continue
        person, date = item.subject.id, item.date  # type: ignore[union-attr]
        if person is None or date is None:  # pragma: no cover - _matches has checked both
            continue
        if (wanted is not None and person not in wanted) or (since and date < since) or (until and date > until):
            continue
        responses[person].append((date, _scores(chosen, item), item))
    rows: list[PersonChange] = []
    excluded: dict[str, str] = {}
    # a converted metric replaces the raw total: raw totals of a Rasch-scaled instrument are not compared
    order = [i.code for i in chosen.items] + (["metric"] if chosen.metric is not None else ["total"])
    rule = chosen.meaningful_change
    for person in sorted(responses):
        found = sorted(responses[person], key=lambda r: r[0])
        if len(found) < 2 or found[0][0] == found[-1][0]:
            excluded[person] = "only one response" if len(found) < 2 else "all responses on one day"
            continue
        group = cohort.get(person) if isinstance(cohort, Mapping) else cohort(found[0][2]) if cohort else None
        made = _person_rows(chosen, person, found, order, group)
        if not made:
            excluded[person] = "no score answered both first and last"
        rows.extend(made)
    rows.sort(key=lambda r: (order.index(r.score), r.person))
    return Change(instrument=chosen, rows=tuple(rows), excluded=excluded,
                  threshold_source=None if rule is None else rule.source)


def _person_rows(instrument: Instrument, person: str, found: list[tuple[dt.date, dict[str, float], Evidence]],
                 order: list[str], group: str | None) -> list[PersonChange]:
    """For each score, the change from the first to the latest response that has it."""
    rule = instrument.meaningful_change
    out = []
    for score in order:
        having = [(date, values[score]) for date, values, _ in found if score in values]
        if len(having) < 2 or having[0][0] == having[-1][0]:
            continue
        (first_date, first), (latest_date, latest) = having[0], having[-1]
        delta = round(latest - first, 2)
        better = instrument.better_on(score)
        gain = delta if better == "higher" else -delta
        verdict: Verdict = "improved" if gain > 0 else "worse" if gain < 0 else "same"
        meaningful = None
        if rule is not None and rule.score == score:
            meaningful = abs(delta) >= rule.threshold
        out.append(PersonChange(person=person, score=score, first_date=first_date, latest_date=latest_date,
                                first=first, latest=latest, change=delta, verdict=verdict, meaningful=meaningful,
                                readings=len(having), cohort=group))
    return out
