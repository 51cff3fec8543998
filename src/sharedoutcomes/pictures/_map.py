"""The contribution map: organisations → activities → local outcomes → framework outcomes, as SVG."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from html import escape
from typing import Final

from attrs import frozen

from sharedoutcomes.model import Outcome, Package
from sharedoutcomes.pictures._svg import _FONT, _Box, _curve, _left, _path_d, _right, _wrap
from sharedoutcomes.story import (
    RATING_COLOURS,
    RATING_WORDS,
    ContributionEntry,
    PartnershipStory,
    framework_title,
    partnership_story,
)

_WIDTHS: Final = {"none": 1.4, "weak": 2.0, "moderate": 3.2, "strong": 4.6}
_MAPPING_DASH: Final = {"exact": "", "close": "", "broad": "6 4", "narrow": "6 4", "related": "2 4"}


@frozen
class _Node:
    key: str
    column: int
    lines: tuple[str, ...]
    active: bool = True


_COLUMNS: Final = (20, 270, 540, 840)
_COLUMN_WIDTHS: Final = (190, 210, 230, 300)
_LINE: Final = 15
_PAD: Final = 8
_GAP: Final = 14
_TOP: Final = 56


def _map_nodes(story: PartnershipStory, package_outcomes: Mapping[str, Outcome]) -> dict[str, _Node]:
    """The map's nodes, column by column, in the order they are first reached."""
    entries = story.contributions
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
    return nodes


def _column_headers(framework: str) -> list[str]:
    out = []
    headers = ("Organisations", "Activities", "Local outcomes", framework_title(framework))
    for x, w, text in zip(_COLUMNS, _COLUMN_WIDTHS, headers, strict=True):
        out.append(f"<text x='{x + w / 2}' y='28' text-anchor='middle' font-size='13' font-weight='600' "
                   f"fill='#333'>{escape(text)}</text>")
        out.append(f"<line x1='{x}' y1='36' x2='{x + w}' y2='36' stroke='#ccc'/>")
    return out


def _outcome_edges(story: PartnershipStory, package_outcomes: Mapping[str, Outcome],
                   boxes: Mapping[str, _Box]) -> list[str]:
    """The local hierarchy and the mappings to framework outcomes (drawn first, underneath)."""
    edges: list[str] = []
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
    return edges


def _contribution_edge(entry: ContributionEntry, boxes: Mapping[str, _Box], counts: dict[tuple[str, str], int]) -> str:
    """One contribution's line, organisation → activity → outcome, offset from the parallel ones before it."""
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
    return (f"<path class='contribution' d='{' '.join(parts)}' fill='none' stroke='{colour}' "
            f"stroke-width='{stroke}' stroke-linecap='round' stroke-opacity='0.85'"
            f"{f' stroke-dasharray={chr(39)}{dash}{chr(39)}' if dash else ''}>"
            f"<title>{escape(label)}</title></path>")


def _node_svg(node: _Node, box: _Box) -> list[str]:
    """A node's box and its lines of text; an organisation is drawn in its own colour, an inactive node faded."""
    bx, by, bw, bh = box
    fill, stroke_colour, text_colour = (("#f4f7fb", "#5b7ea6", "#1d2b3a") if node.active
                                        else ("#fafafa", "#d0d0d0", "#5f6b78"))
    if node.column == 0:
        fill = "#f7f3ec" if node.active else fill
        stroke_colour = "#a08a5b"
    return [f"<rect x='{bx}' y='{by:.1f}' width='{bw}' height='{bh}' rx='6' fill='{fill}' "
            f"stroke='{stroke_colour}'/>",
            *(f"<text x='{bx + _PAD}' y='{by + _PAD + 11 + i * _LINE:.1f}' font-size='12' "
              f"fill='{text_colour}'>{escape(line)}</text>" for i, line in enumerate(node.lines))]


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
    story = source if isinstance(source, PartnershipStory) else partnership_story(source, framework)
    package_outcomes = {o.id: o for s in story.stories for o in s.outcomes}
    nodes = _map_nodes(story, package_outcomes)
    boxes = _layout(nodes)
    height = max((y + h for _, y, _, h in boxes.values()), default=_TOP) + 92
    width = _COLUMNS[3] + _COLUMN_WIDTHS[3] + 20
    out: list[str] = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
        f"role='img' style='{_FONT};background:#fff'>",
        f"<title>{escape(title or 'Contribution map: ' + story.package_title)}</title>",
        *_column_headers(story.framework),
        *_outcome_edges(story, package_outcomes, boxes),
    ]
    counts: dict[tuple[str, str], int] = {}  # contributions so far between two nodes, to offset parallel lines
    out.extend(_contribution_edge(entry, boxes, counts) for entry in story.contributions)
    for key, box in boxes.items():
        out.extend(_node_svg(nodes[key], box))
    out.append(_legend(height - 60, width))
    out.append("</svg>")
    return "\n".join(out)


def _layout(nodes: dict[str, _Node]) -> dict[str, _Box]:
    columns: dict[int, list[_Node]] = {}
    for node in nodes.values():
        columns.setdefault(node.column, []).append(node)
    heights = {c: sum(len(n.lines) * _LINE + 2 * _PAD for n in ns) + _GAP * (len(ns) - 1) for c, ns in columns.items()}
    tallest = max(heights.values(), default=0)
    boxes: dict[str, _Box] = {}
    for column, column_nodes in columns.items():
        y = _TOP + (tallest - heights[column]) / 2
        for node in column_nodes:
            h = len(node.lines) * _LINE + 2 * _PAD
            boxes[node.key] = (_COLUMNS[column], y, _COLUMN_WIDTHS[column], h)
            y += h + _GAP
    return boxes


def _arc(child: _Box, parent: _Box) -> str:
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
