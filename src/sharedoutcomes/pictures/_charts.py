"""Indicator trends: an indicator's actuals, targets and baseline over time, and their charts."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from attrs import frozen

from sharedoutcomes._optional import require
from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.model import Indicator, Package, Period
from sharedoutcomes.pictures._svg import _FONT, _wrap

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_AGGREGATION_WORDS: Final = {"per-period": "value for each period", "cumulative": "running total to date",
                              "snapshot": "value at a point in time"}


@frozen(kw_only=True)
class IndicatorPoint:
    """
    One value of an indicator: an actual, a target or the baseline, with the days it covers.

    Example:
        >>> IndicatorPoint(kind="target", value=30, start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30)).middle
        datetime.date(2024, 5, 16)
    """

    kind: Literal["actual", "target", "baseline"]
    value: float
    start: dt.date
    end: dt.date
    evidence_id: str | None = None

    @property
    def middle(self) -> dt.date:
        """The middle day of the span."""
        return self.start + (self.end - self.start) / 2

    def at(self, aggregation: str) -> dt.date:
        """
        Where to plot the point: the middle of its period for a per-period value, else its end.

        A running total or a snapshot is true at the end of its period.

        Example:
            >>> IndicatorPoint(kind="actual", value=9, start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31)).at("cumulative")
            datetime.date(2025, 3, 31)
        """
        return self.middle if aggregation == "per-period" else self.end


@frozen(kw_only=True)
class IndicatorSeries:
    """
    An indicator's actuals (from evidence values that name it), targets and baseline, in time order.

    Example:
        >>> import sharedoutcomes
        >>> series = indicator_series(sharedoutcomes.example_package(), "ind-breaks")
        >>> [p.value for p in series.actuals], len(series.targets)
        ([27.0, 41.0], 4)
    """

    indicator: Indicator
    actuals: tuple[IndicatorPoint, ...]
    targets: tuple[IndicatorPoint, ...]
    baseline: IndicatorPoint | None = None

    @property
    def points(self) -> tuple[IndicatorPoint, ...]:
        """Every point: baseline, actuals and targets."""
        return (*([self.baseline] if self.baseline else []), *self.actuals, *self.targets)


def _span(period: Period | None, date: dt.date | None) -> tuple[dt.date, dt.date] | None:
    if period is not None:
        return period.start, period.end or period.start
    if date is not None:
        return date, date
    return None


def indicator_series(package: Package, indicator_id: str) -> IndicatorSeries:
    """
    The values of one indicator over time: actuals from evidence, targets, baseline.

    Values without a date or period cannot be placed in time and are left out of the series.

    Raises:
        UnknownName: the package has no indicator with that id.

    Example:
        >>> import sharedoutcomes
        >>> indicator_series(sharedoutcomes.example_package(), "ind-members").baseline.value
        12.0
    """
    indicators = {i.id: i for i in package.indicators}
    if indicator_id not in indicators:
        raise UnknownName(indicator_id, known=list(indicators), what="indicator in the package")
    indicator = indicators[indicator_id]
    actuals = [IndicatorPoint(kind="actual", value=float(value.value), start=span[0], end=span[1],
                              evidence_id=evidence.id)
               for evidence in package.evidence if (span := _span(evidence.period, evidence.date)) is not None
               for value in evidence.values
               if value.indicator_id == indicator_id and isinstance(value.value, (int, float))
               and not isinstance(value.value, bool)]
    targets = [IndicatorPoint(kind="target", value=float(t.value), start=s[0], end=s[1])
               for t in indicator.targets if (s := _span(t.period, None)) is not None]
    baseline = None
    if indicator.baseline is not None and (s := _span(indicator.baseline.period, None)) is not None:
        baseline = IndicatorPoint(kind="baseline", value=float(indicator.baseline.value), start=s[0], end=s[1])
    return IndicatorSeries(indicator=indicator, actuals=tuple(sorted(actuals, key=lambda p: p.at(indicator.aggregation))),
                           targets=tuple(sorted(targets, key=lambda p: p.start)), baseline=baseline)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 2.5, 5, 10):
        magnitude = 10 ** (len(str(int(value))) - 1)
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(value)  # pragma: no cover - the loop always finds one


def _ticks(top: float) -> list[float]:
    return [top * i / 4 for i in range(5)]


def indicator_chart_svg(package: Package, indicator_id: str, *, width: int = 460, height: int = 230) -> str:
    """
    A small trend chart of one indicator as SVG.

    Actuals are a line, targets dashed bars over their periods, the baseline a grey dot.

    Example:
        >>> import sharedoutcomes
        >>> svg = indicator_chart_svg(sharedoutcomes.example_package(), "ind-members")
        >>> "target" in svg and "baseline" in svg
        True
    """
    series = indicator_series(package, indicator_id)
    indicator = series.indicator
    agg = indicator.aggregation
    unit = f" ({indicator.unit})" if indicator.unit else ""
    points = series.points
    left, right, top, bottom = 48, 14, 34, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
           f"height='{height}' role='img' style='{_FONT};background:#fff'>",
           f"<title>{escape(indicator.title)}{escape(unit)}</title>",
           f"<text x='{left}' y='18' font-size='13' font-weight='600' fill='#222'>"
           f"{escape(_wrap(indicator.title + unit, 62, 1)[0])}</text>"]
    if not points:
        out.append(f"<text x='{width / 2}' y='{height / 2}' text-anchor='middle' font-size='12' fill='#5f6b78'>"
                   "no dated values or targets</text></svg>")
        return "\n".join(out)
    first = min(p.start for p in points)
    last = max(p.end for p in points)
    first, last = first - dt.timedelta(days=10), last + dt.timedelta(days=10)
    days = max((last - first).days, 1)
    y_top = _nice_max(max(p.value for p in points) * 1.08)

    def x(day: dt.date) -> float:
        return left + plot_w * (day - first).days / days

    def y(value: float) -> float:
        return top + plot_h * (1 - value / y_top)

    out.extend(f"<line x1='{left}' y1='{y(tick):.1f}' x2='{left + plot_w}' y2='{y(tick):.1f}' stroke='#eee'/>"
               f"<text x='{left - 6}' y='{y(tick) + 4:.1f}' text-anchor='end' font-size='10' fill='#666'>"
               f"{tick:g}</text>" for tick in _ticks(y_top))
    out.append(f"<line x1='{left}' y1='{top + plot_h}' x2='{left + plot_w}' y2='{top + plot_h}' stroke='#999'/>")
    out.extend(f"<text x='{x(label_day):.1f}' y='{top + plot_h + 16}' text-anchor='middle' font-size='10' "
               f"fill='#666'>{label_day.strftime('%b %Y')}</text>" for label_day in _month_ticks(first, last))
    for target in series.targets:
        x1, x2 = x(target.start) + 1.5, max(x(target.end) - 1.5, x(target.start) + 4)
        out.append(f"<line class='target' x1='{x1:.1f}' y1='{y(target.value):.1f}' x2='{x2:.1f}' "
                   f"y2='{y(target.value):.1f}' stroke='#b5473a' stroke-width='2' stroke-dasharray='5 3'>"
                   f"<title>target {target.value:g}, {target.start} to {target.end}</title></line>")
    if series.baseline is not None:
        b = series.baseline
        out.append(f"<circle class='baseline' cx='{x(b.at(agg)):.1f}' cy='{y(b.value):.1f}' r='4' fill='#999'>"
                   f"<title>baseline {b.value:g}</title></circle>")
    if series.actuals:
        coords = " ".join(f"{x(p.at(agg)):.1f},{y(p.value):.1f}" for p in series.actuals)
        out.append(f"<polyline points='{coords}' fill='none' stroke='#2f5f98' stroke-width='2.2'/>")
        for p in series.actuals:
            px, py = x(p.at(agg)), y(p.value)
            crowded = any(t.start <= p.at(agg) <= t.end and 0 <= py - y(t.value) <= 16 for t in series.targets)
            label_y = py + 16 if crowded else py - 8  # below the point when a target line sits just above it
            out.append(f"<circle cx='{px:.1f}' cy='{py:.1f}' r='4' fill='#2f5f98'>"
                       f"<title>{p.value:g} ({p.start} to {p.end}, {escape(p.evidence_id or '')})</title></circle>"
                       f"<text x='{px:.1f}' y='{label_y:.1f}' text-anchor='middle' font-size='10' "
                       f"fill='#2f5f98'>{p.value:g}</text>")
    legend_y = height - 8
    out.append(f"<line x1='{left}' y1='{legend_y - 4}' x2='{left + 18}' y2='{legend_y - 4}' stroke='#2f5f98' "
               f"stroke-width='2.2'/><text x='{left + 22}' y='{legend_y}' font-size='10' fill='#444'>actual</text>"
               f"<line x1='{left + 70}' y1='{legend_y - 4}' x2='{left + 88}' y2='{legend_y - 4}' stroke='#b5473a' "
               f"stroke-width='2' stroke-dasharray='5 3'/><text x='{left + 92}' y='{legend_y}' font-size='10' "
               f"fill='#444'>target (over its period)</text>"
               f"<circle cx='{left + 222}' cy='{legend_y - 4}' r='4' fill='#999'/><text x='{left + 230}' "
               f"y='{legend_y}' font-size='10' fill='#444'>baseline</text>")
    out.append(f"<text x='{width - right}' y='{legend_y}' text-anchor='end' font-size='10' fill='#5f6b78'>"
               f"{escape(_AGGREGATION_WORDS.get(indicator.aggregation, indicator.aggregation))}</text>")
    out.append("</svg>")
    return "\n".join(out)


def _month_ticks(first: dt.date, last: dt.date) -> list[dt.date]:
    months = (last.year - first.year) * 12 + last.month - first.month
    step = max(1, -(-months // 5))
    ticks = []
    day = dt.date(first.year, first.month, 1)
    if day < first:
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    while day <= last:
        ticks.append(day)
        month = day.month - 1 + step
        day = dt.date(day.year + month // 12, month % 12 + 1, 1)
    return ticks


def indicator_chart(package: Package, indicator_id: str, path: str | Path | None = None, *,
                    format: str | None = None) -> Figure:
    """
    The trend chart of one indicator, drawn with matplotlib (the ``charts`` extra).

    Writes the chart to ``path`` when given (PNG or SVG, from ``format`` or the file's suffix)
    and returns the matplotlib Figure.

    Example:
        >>> import sharedoutcomes, tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     figure = indicator_chart(sharedoutcomes.example_package(), "ind-breaks", pathlib.Path(tmp) / "b.svg")
        ...     (pathlib.Path(tmp) / "b.svg").read_text().startswith("<?xml")
        True
    """
    require("matplotlib.figure", extra="charts", purpose="drawing indicator charts")
    import matplotlib.dates as mdates  # an optional dependency (the charts extra), imported only when drawing
    from matplotlib.figure import Figure

    series = indicator_series(package, indicator_id)
    indicator = series.indicator
    agg = indicator.aggregation
    figure = Figure(figsize=(6.4, 3.4), dpi=120, layout="constrained")
    axes: Any = figure.subplots()
    for i, target in enumerate(series.targets):
        axes.hlines(target.value, target.start, target.end, colors="#b5473a", linestyles="dashed", linewidth=2,
                    label="target" if i == 0 else None)
    if series.baseline is not None:
        axes.plot([series.baseline.at(agg)], [series.baseline.value], "o", color="#999999", label="baseline")
    if series.actuals:
        axes.plot([p.at(agg) for p in series.actuals], [p.value for p in series.actuals], "o-", color="#2f5f98",
                  linewidth=2, label="actual")
        for p in series.actuals:
            axes.annotate(f"{p.value:g}", (p.at(agg), p.value), textcoords="offset points", xytext=(0, 6),
                          ha="center", fontsize=8, color="#2f5f98")
    axes.set_title(indicator.title, fontsize=11, loc="left")
    axes.set_ylabel(indicator.unit or "value")
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", color="#eeeeee")
    axes.spines[["top", "right"]].set_visible(False)
    if series.points:
        axes.legend(fontsize=8, frameon=False, loc="lower right")
    locator = mdates.AutoDateLocator(maxticks=6)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    if path is not None:
        target_path = Path(path)
        figure.savefig(target_path, format=format or target_path.suffix.lstrip(".") or "png")
    return figure
