"""
The chart of change: for each item and the score, the share of people improved, the same and worse (matplotlib, lazily).

A diverging bar per score: worse to the left of the centre, the same across it, improved to the
right, in the colour-blind-safe Okabe–Ito pair the Star charts use; beside each bar the number of
people and the mean and median change; under the chart the meaningful-change threshold and its source.
"""

from __future__ import annotations

import textwrap
from os import PathLike, fspath
from typing import TYPE_CHECKING, Any

from sharedoutcomes._optional import require
from sharedoutcomes.change._change import Change, ScoreChange

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["change_chart"]

_WORSE = "#D55E00"
_BETTER = "#0064B0"
_SAME = "#C8C8C8"
_INK = "#333333"


def _label(result: Change, score: str) -> str:
    item = result.instrument.item(score)
    if item is None:
        return {"metric": "Metric score", "total": "Total"}.get(score, score)
    return item.code if item.label is None or item.label.startswith("Item") else item.label


def _bar(axes: Any, y: int, summary: ScoreChange) -> None:
    same_left = -summary.pct_same / 2
    axes.barh(y, summary.pct_worse, left=same_left - summary.pct_worse, color=_WORSE, height=0.6)
    axes.barh(y, summary.pct_same, left=same_left, color=_SAME, height=0.6)
    axes.barh(y, summary.pct_improved, left=-same_left, color=_BETTER, height=0.6)
    text = f"n={summary.n}  mean {summary.mean_change:+.2f}  median {summary.median_change:+.2f}"
    if summary.pct_meaningful_improvement is not None:
        text += f"  meaningful ↑{summary.pct_meaningful_improvement:g}% ↓{summary.pct_meaningful_deterioration:g}%"
    axes.text(102, y, text, va="center", ha="left", fontsize=8, color=_INK)


def change_chart(result: Change, *, cohort: str | None = None, path: str | PathLike[str] | None = None) -> Figure:
    """
    The chart of a `Change`: per item and score, the % of people improved, the same and worse.

    *cohort* draws one cohort; *path* also saves the chart (PNG, SVG or PDF by the extension).

    Example:
        >>> from sharedoutcomes.change import change, example_responses
        >>> figure = change_chart(change(example_responses(), "swemwbs"))
        >>> figure.axes[0].get_title(loc="left")
        'Short Warwick-Edinburgh Mental Wellbeing Scale: first to latest response'
    """
    figure_class = require("matplotlib.figure", extra="charts", purpose="drawing the chart of change").Figure
    summaries = list(result.summary(cohort=cohort).values())
    height = 1.4 + 0.42 * max(1, len(summaries))
    figure: Figure = figure_class(figsize=(10, height), layout="constrained")
    axes = figure.add_subplot()
    for y, summary in enumerate(reversed(summaries)):
        _bar(axes, y, summary)
    labels = [_label(result, s.score) for s in reversed(summaries)]
    axes.set_yticks(range(len(summaries)), labels=labels, fontsize=9)
    for tick, summary in zip(axes.get_yticklabels(), reversed(summaries), strict=True):
        if summary.score in ("total", "metric"):
            tick.set_fontweight("bold")
    axes.set_xlim(-100, 180)
    axes.spines["bottom"].set_bounds(-100, 100)
    axes.set_xticks([-100, -50, 0, 50, 100], labels=["100%", "50%", "0", "50%", "100%"], fontsize=8)
    axes.axvline(0, color=_INK, linewidth=0.8)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.text(-50, -0.9, "← worse", ha="center", va="top", fontsize=9, color=_WORSE)
    axes.text(50, -0.9, "improved →", ha="center", va="top", fontsize=9, color=_BETTER)
    axes.set_ylim(-1.2, len(summaries) - 0.4)
    title = f"{result.instrument.name}: first to latest response"
    axes.set_title(title + (f" ({cohort})" if cohort else ""), fontsize=11, loc="left", color=_INK)
    rule = result.instrument.meaningful_change
    note = (f"Meaningful change: {rule.threshold:g} point{'s' if rule.threshold != 1 else ''} on the "
            f"{rule.score} — {rule.source}"
            if rule is not None else "The instrument publishes no meaningful-change threshold for one person.")
    note += (f"  Grey: no change. {len(result.excluded)} excluded (fewer than two responses). Items are ordinal: "
             "read the median beside the mean.")
    axes.set_xlabel("\n".join(textwrap.wrap(note, 150)), fontsize=7, color="#555555", loc="left", labelpad=22)
    if path is not None:
        figure.savefig(fspath(path), dpi=150)
    return figure
