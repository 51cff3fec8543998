"""
Pictures of a contribution story: the contribution map and indicator trend charts.

`contribution_map_svg` and `indicator_chart_svg` build SVG by hand, so they need nothing
beyond the standard library and can be inlined in a self-contained HTML report.
`indicator_chart` draws the same trend chart with matplotlib (the ``charts`` extra) and
writes PNG or SVG.

Example:
    >>> import sharedoutcomes
    >>> package = sharedoutcomes.example_package()
    >>> svg = contribution_map_svg(package)
    >>> svg.startswith("<svg") and "Garnock Valley Men" in svg
    True
    >>> "<polyline" in indicator_chart_svg(package, "ind-breaks")
    True
"""

from __future__ import annotations

import datetime as dt
import itertools
import textwrap
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from attrs import frozen

from sharedoutcomes._util.optional import require
from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.story._html import RATING_COLOURS, RATING_WORDS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sharedoutcomes.model import Indicator, Package, Period
    from sharedoutcomes.story import PartnershipStory

__all__ = ["IndicatorPoint", "IndicatorSeries", "contribution_map_svg", "indicator_chart", "indicator_chart_svg",
           "indicator_series"]

_FONT: Final = 'font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif'
_WIDTHS: Final = {"none": 1.4, "weak": 2.0, "moderate": 3.2, "strong": 4.6}
_AGGREGATION_WORDS: Final = {"per-period": "value for each period", "cumulative": "running total to date",
                              "snapshot": "value at a point in time"}
_MAPPING_DASH: Final = {"exact": "", "close": "", "broad": "6 4", "narrow": "6 4", "related": "2 4"}

# -- the contribution map ----------------------------------------------------------------------


@frozen
class _Node:
    key: str
    column: int
    lines: tuple[str, ...]
    active: bool = True


def _wrap(text: str, width: int, max_lines: int) -> tuple[str, ...]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip(" ,.;") + "…"
    return tuple(lines)


_COLUMNS: Final = (20, 270, 540, 840)
_COLUMN_WIDTHS: Final = (190, 210, 230, 300)
_LINE: Final = 15
_PAD: Final = 8
_GAP: Final = 14
_TOP: Final = 56


def contribution_map_svg(source: Package | PartnershipStory, *, framework: str = "scot-nhwo",
                         title: str | None = None) -> str:
    """
    The contribution map as SVG: organisations → activities → local outcomes → framework outcomes.

    Each contribution is a coloured line from its organisation through its activity to its
    outcome, coloured and weighted by its strength rating (grey and dashed: no evidence).
    Grey lines from local outcomes are their ``broader`` links and framework mappings (dashed
    for broad or narrow matches, dotted for related ones). Framework outcomes nobody reaches
    are shown faded, so gaps are visible.

    Example:
        >>> import sharedoutcomes
        >>> svg = contribution_map_svg(sharedoutcomes.example_package())
        >>> svg.count("class='contribution'")
        6
    """
    from sharedoutcomes.story import PartnershipStory, partnership_story

    story = source if isinstance(source, PartnershipStory) else partnership_story(source, framework)
    entries = story.contributions
    package_outcomes = {o.id: o for s in story.stories for o in s.outcomes}
    nodes: dict[str, _Node] = {}

    def add(key: str, column: int, text: str, *, active: bool = True, max_lines: int = 3) -> None:
        if key not in nodes:
            width = int(_COLUMN_WIDTHS[column] / 6.6)
            nodes[key] = _Node(key, column, _wrap(text, width, max_lines), active)

    for entry in entries:
        c = entry.contribution
        add(f"org:{c.organisation_id}", 0, entry.organisation_name)
        if c.activity_id:
            add(f"act:{c.activity_id}", 1, entry.activity_title or c.activity_id)
    outcome_titles: dict[str, str] = {e.contribution.outcome_id: e.outcome_title for e in entries}
    outcome_titles.update({oid: o.title for oid, o in package_outcomes.items()})
    for entry in entries:  # outcomes in the order contributions reach them, then the rest
        add(f"out:{entry.contribution.outcome_id}", 2, outcome_titles[entry.contribution.outcome_id])
    for oid, text in outcome_titles.items():
        add(f"out:{oid}", 2, text)
    for s in story.stories:
        add(f"nat:{s.code}", 3, f"{s.code} · {s.title}", active=bool(s.contributions), max_lines=3)

    boxes = _layout(nodes)
    height = max((y + h for _, y, _, h in boxes.values()), default=_TOP) + 92
    width = _COLUMNS[3] + _COLUMN_WIDTHS[3] + 20
    out: list[str] = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
        f"role='img' style='{_FONT};background:#fff'>",
        f"<title>{escape(title or 'Contribution map: ' + story.package_title)}</title>",
    ]
    headers = ("Organisations", "Activities", "Local outcomes", _framework_heading(story.framework))
    for x, w, text in zip(_COLUMNS, _COLUMN_WIDTHS, headers, strict=True):
        out.append(f"<text x='{x + w / 2}' y='28' text-anchor='middle' font-size='13' font-weight='600' "
                   f"fill='#333'>{escape(text)}</text>")
        out.append(f"<line x1='{x}' y1='36' x2='{x + w}' y2='36' stroke='#ccc'/>")

    edges: list[str] = []
    # local hierarchy and mappings, drawn first (underneath)
    for oid, outcome in package_outcomes.items():
        a = boxes.get(f"out:{oid}")
        if a is None:
            continue
        for parent in outcome.broader:
            b = boxes.get(f"out:{parent}")
            if b is not None:
                edges.append(_arc(a, b))
        for mapping in outcome.mappings:
            b = boxes.get(f"nat:{mapping.code}") if mapping.framework == story.framework else None
            if b is not None:
                dash = _MAPPING_DASH.get(mapping.relation, "")
                edges.append(_curve(_right(a), _left(b), "#8a8a8a", 1.6, dash, css="mapping",
                                    label=f"{oid} {mapping.relation} match to {story.framework} {mapping.code}"))
    for s in story.stories:  # package outcomes that are themselves framework outcomes, or crosswalk paths
        for entry in s.contributions:
            for path in entry.paths:
                if path.via in ("outcome", "crosswalk"):
                    a, b = boxes.get(f"out:{path.outcome_ids[-1]}"), boxes.get(f"nat:{s.code}")
                    if a is not None and b is not None:
                        edges.append(_curve(_right(a), _left(b), "#8a8a8a", 1.6, "2 4", css="mapping", label=str(path)))
    # contributions, offset so parallel ones stay visible
    counts: dict[tuple[str, str], int] = {}
    for entry in entries:
        c = entry.contribution
        rating = entry.rating.rating
        colour, stroke = RATING_COLOURS[rating], _WIDTHS[rating]
        dash = "5 4" if rating == "none" else ""
        label = (f"{entry.organisation_name} — {entry.activity_title or 'no activity'} — {entry.outcome_title}: "
                 f"{c.role}, {RATING_WORDS[rating]}")
        hops = [f"org:{c.organisation_id}", *([f"act:{c.activity_id}"] if c.activity_id else []),
                f"out:{c.outcome_id}"]
        parts = []
        for start, end in itertools.pairwise(hops):
            n = counts.get((start, end), 0)
            counts[start, end] = n + 1
            offset = (0, 5, -5, 10, -10)[n % 5]
            (x1, y1), (x2, y2) = _right(boxes[start]), _left(boxes[end])
            parts.append(_path_d((x1, y1 + offset), (x2, y2 + offset)))
        edges.append(f"<path class='contribution' d='{' '.join(parts)}' fill='none' stroke='{colour}' "
                     f"stroke-width='{stroke}' stroke-linecap='round' stroke-opacity='0.85'"
                     f"{f' stroke-dasharray={chr(39)}{dash}{chr(39)}' if dash else ''}>"
                     f"<title>{escape(label)}</title></path>")
    out.extend(edges)
    for key, (bx, by, bw, bh) in boxes.items():
        node = nodes[key]
        fill, stroke_colour, text_colour = (("#f4f7fb", "#5b7ea6", "#1d2b3a") if node.active
                                            else ("#fafafa", "#d0d0d0", "#9a9a9a"))
        if node.column == 0:
            fill = "#f7f3ec" if node.active else fill
            stroke_colour = "#a08a5b"
        out.append(f"<rect x='{bx}' y='{by:.1f}' width='{bw}' height='{bh}' rx='6' fill='{fill}' "
                   f"stroke='{stroke_colour}'/>")
        out.extend(f"<text x='{bx + _PAD}' y='{by + _PAD + 11 + i * _LINE:.1f}' font-size='12' "
                   f"fill='{text_colour}'>{escape(line)}</text>" for i, line in enumerate(node.lines))
    out.append(_legend(height - 60, width))
    out.append("</svg>")
    return "\n".join(out)


def _framework_heading(framework: str) -> str:
    from sharedoutcomes.story._paths import framework_title

    return framework_title(framework)


def _layout(nodes: dict[str, _Node]) -> dict[str, tuple[float, float, float, float]]:
    columns: dict[int, list[_Node]] = {}
    for node in nodes.values():
        columns.setdefault(node.column, []).append(node)
    heights = {c: sum(len(n.lines) * _LINE + 2 * _PAD for n in ns) + _GAP * (len(ns) - 1) for c, ns in columns.items()}
    tallest = max(heights.values(), default=0)
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for column, column_nodes in columns.items():
        y = _TOP + (tallest - heights[column]) / 2
        for node in column_nodes:
            h = len(node.lines) * _LINE + 2 * _PAD
            boxes[node.key] = (_COLUMNS[column], y, _COLUMN_WIDTHS[column], h)
            y += h + _GAP
    return boxes


def _right(box: tuple[float, float, float, float]) -> tuple[float, float]:
    x, y, w, h = box
    return x + w, y + h / 2


def _left(box: tuple[float, float, float, float]) -> tuple[float, float]:
    x, y, _, h = box
    return x, y + h / 2


def _path_d(a: tuple[float, float], b: tuple[float, float]) -> str:
    (x1, y1), (x2, y2) = a, b
    mid = (x1 + x2) / 2
    return f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _curve(a: tuple[float, float], b: tuple[float, float], colour: str, width: float, dash: str, *, css: str,
           label: str) -> str:
    dash_attr = f" stroke-dasharray='{dash}'" if dash else ""
    return (f"<path class='{css}' d='{_path_d(a, b)}' fill='none' stroke='{colour}' stroke-width='{width}'"
            f"{dash_attr}><title>{escape(label)}</title></path>")


def _arc(child: tuple[float, float, float, float], parent: tuple[float, float, float, float]) -> str:
    (x1, y1), (x2, y2) = _left(child), _left(parent)
    bulge = min(x1, x2) - 34
    return (f"<path class='broader' d='M{x1:.1f},{y1:.1f} C{bulge:.1f},{y1:.1f} {bulge:.1f},{y2:.1f} "
            f"{x2:.1f},{y2:.1f}' fill='none' stroke='#8a8a8a' stroke-width='1.4' stroke-dasharray='3 3' "
            f"marker-end=''><title>broader outcome</title></path>")


def _legend(y: float, width: float) -> str:
    items = []
    x = 20.0
    for rating in ("strong", "moderate", "weak", "none"):
        dash = " stroke-dasharray='5 4'" if rating == "none" else ""
        items.append(f"<line x1='{x}' y1='{y}' x2='{x + 34}' y2='{y}' stroke='{RATING_COLOURS[rating]}' "
                     f"stroke-width='{_WIDTHS[rating]}'{dash}/>"
                     f"<text x='{x + 40}' y='{y + 4}' font-size='12' fill='#333'>{RATING_WORDS[rating]}</text>")
        x += 130
    items.append(f"<text x='20' y='{y - 16}' font-size='12' font-weight='600' fill='#333'>Contribution lines, "
                 "by strength of evidence</text>")
    y2 = y + 30
    items.append(f"<line x1='20' y1='{y2}' x2='54' y2='{y2}' stroke='#8a8a8a' stroke-width='1.6'/>"
                 f"<text x='60' y='{y2 + 4}' font-size='12' fill='#333'>exact or close match</text>"
                 f"<line x1='230' y1='{y2}' x2='264' y2='{y2}' stroke='#8a8a8a' stroke-width='1.6' "
                 "stroke-dasharray='6 4'/>"
                 f"<text x='270' y='{y2 + 4}' font-size='12' fill='#333'>broad match (serves part of it)</text>"
                 f"<line x1='500' y1='{y2}' x2='534' y2='{y2}' stroke='#8a8a8a' stroke-width='1.4' "
                 "stroke-dasharray='3 3'/>"
                 f"<text x='540' y='{y2 + 4}' font-size='12' fill='#333'>part of a broader local outcome</text>"
                 f"<rect x='{width - 300}' y='{y2 - 9}' width='24' height='16' rx='4' fill='#fafafa' stroke='#d0d0d0'/>"
                 f"<text x='{width - 270}' y='{y2 + 4}' font-size='12' fill='#333'>no contribution recorded</text>")
    return "\n".join(items)


# -- indicator trends --------------------------------------------------------------------------


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
        out.append(f"<text x='{width / 2}' y='{height / 2}' text-anchor='middle' font-size='12' fill='#777'>"
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
    out.append(f"<text x='{width - right}' y='{legend_y}' text-anchor='end' font-size='10' fill='#777'>"
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
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(maxticks=6)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    if path is not None:
        target_path = Path(path)
        figure.savefig(target_path, format=format or target_path.suffix.lstrip(".") or "png")
    return figure
