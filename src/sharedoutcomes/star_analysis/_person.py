"""
A person's Star chart: their first and latest counted readings, drawn on the Star.

The public function is exported from `sharedoutcomes.star_analysis`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from os import PathLike
from typing import TYPE_CHECKING, TypeAlias

from sharedoutcomes.star_analysis import _charts as _star_charts
from sharedoutcomes.star_analysis._readings import DateWindow, MixedReadings, Names, StarReading
from sharedoutcomes.star_analysis._selection import Source, _area_order, _date, _select, _star_name

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ChartPath: TypeAlias = "str | PathLike[str] | Iterable[str | PathLike[str]] | None"
"""Where to save a chart as well: one path or several (the suffix gives the format), or ``None``."""


def person_chart(source: Source, person: str, *, star: str | None = None, edition: str | None = None,
                 service: Names = None, worker: Names = None, period: DateWindow | None = None,
                 title: str | None = None, path: ChartPath = None) -> Figure:
    """
    A person's first and latest counted readings as a Star chart.

    The areas are labelled around the star, with rings for the scale and shaded bands for the
    Journey of Change stages; the first reading is dashed, the latest filled, and the legend
    gives each reading's date. With only one reading, that one is drawn.

    Args:
        source: A package, evidence, or `StarReadings`.
        person: The person's pseudonymous id.
        star: As for `distance_travelled`.
        edition: As for `distance_travelled`.
        service: As for `distance_travelled`.
        worker: As for `distance_travelled`.
        period: As for `distance_travelled`.
        title: The chart title (by default the Star, edition and person).
        path: Save the chart here too: one path or several (``"star.png"``, ``"star.svg"``);
            the format follows the suffix.

    Returns:
        The matplotlib `~matplotlib.figure.Figure` (Jupyter shows it inline).

    Raises:
        MissingDependency: matplotlib is not installed.
        MixedReadings: The person's readings span several editions and *edition* was not given.
        LookupError: The person has no counted reading in the selection.

    Example:
        >>> from sharedoutcomes.star_analysis import example_readings
        >>> figure = person_chart(example_readings(), "A")
        >>> [text.get_text() for text in figure.axes[0].texts][:2]
        ['Home', 'Money']
    """
    chosen = _select(source, star=star, edition=edition, service=service, worker=worker, period=period,
                     single_edition=False)
    mine = chosen.readings.select(person=person)
    if not mine.readings:
        msg = f"no counted Outcomes Star reading for person {person!r} in the selection"
        raise LookupError(msg)
    mine_editions = Counter(r.edition for r in mine.readings)
    if len(mine_editions) > 1:
        raise MixedReadings("edition", mine_editions, star=chosen.star)
    edition_id = next(iter(mine_editions))
    star_edition = chosen.editions[edition_id]
    ordered = sorted(mine.readings, key=lambda r: r.order)
    shown = [ordered[0], ordered[-1]] if len(ordered) > 1 else ordered
    areas = _area_order([star_edition], ordered)
    if not any(area.code in r.scores for r in ordered for area in star_edition.areas):
        areas = _area_order([], ordered)  # none of the edition's areas is scored: show what is
    series = [
        _star_charts.Series(label=f"{('First' if i == 0 else 'Latest') if len(shown) > 1 else 'Only'} reading, {_date(r.date)}",
                            values=tuple(float(r.scores[a]) if a in r.scores else math.nan for a in areas),
                            style="first" if i == 0 and len(shown) > 1 else "latest")
        for i, r in enumerate(shown)
    ]
    heading = title or f"{_star_name(star_edition, edition_id)}: {person}"
    figure = _star_charts.star_chart(tuple(areas.values()), series, edition=star_edition, title=heading,
                                     subtitle=_person_subtitle(ordered))
    _star_charts.save(figure, path)
    return figure


def _person_subtitle(ordered: Sequence[StarReading]) -> str:
    n = len(ordered)
    if n == 1:
        return "One counted reading"
    return f"{n} counted readings, {_date(ordered[0].date)} to {_date(ordered[-1].date)}"

