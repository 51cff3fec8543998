"""HTML fragments for contribution stories: Jupyter views (``_repr_html_``) and report building blocks."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from sharedoutcomes.story import ContributionEntry, ContributionStory, PartnershipStory, PersonStory

RATING_COLOURS: Final = {"none": "#c0392b", "weak": "#d98a0b", "moderate": "#2f7fc1", "strong": "#1b7f3b"}
"""Colour of each rating, shared by the report, the Jupyter views and the contribution map."""

RATING_WORDS: Final = {"none": "no evidence", "weak": "weak", "moderate": "moderate", "strong": "strong"}

_TABLE: Final = "border-collapse:collapse;font-size:90%"
_CELL: Final = "text-align:left;vertical-align:top;padding:3px 8px;border-bottom:1px solid #ddd"


def badge(rating: str) -> str:
    """A coloured rating badge."""
    colour = RATING_COLOURS.get(rating, "#555")
    return (f"<span class='badge' style='display:inline-block;padding:1px 8px;border-radius:9px;color:#fff;"
            f"background:{colour};font-size:85%;white-space:nowrap'>{escape(RATING_WORDS.get(rating, rating))}</span>")


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    head = "".join(f"<th style='{_CELL}'>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='{_CELL}'>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table style='{_TABLE}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def reasons_html(entry: ContributionEntry) -> str:
    """The rating's reasons as a list."""
    items = "".join(f"<li><code>{escape(r.rule)}</code> {escape(r.text)}</li>" for r in entry.rating.reasons)
    return f"<ul style='margin:0;padding-left:18px'>{items}</ul>"


def contribution_rows(story: ContributionStory) -> list[tuple[str, ...]]:
    """Rows for a contributions table: who, through what, to which outcome, rating and reasons."""
    return [(escape(e.organisation_name), escape(e.activity_title or "—"), escape(e.outcome_title),
             escape(e.contribution.role), badge(e.rating.rating), reasons_html(e)) for e in story.contributions]


def story_html(story: ContributionStory) -> str:
    """A contribution story for Jupyter."""
    head = (f"<p><strong>{escape(story.label)}</strong> {escape(story.title)}<br>"
            f"{len(story.contributions)} contributions from {len(story.organisations)} organisations; "
            f"{story.reach.total} people reached; {len(story.gaps)} gaps</p>")
    table = _table(("organisation", "activity", "outcome", "role", "rating", "reasons"), contribution_rows(story))
    gaps = "".join(f"<li>{escape(g.message)}</li>" for g in story.gaps)
    return head + (table if story.contributions else "") + (f"<p>Gaps:</p><ul>{gaps}</ul>" if gaps else "")


def partnership_html(story: PartnershipStory) -> str:
    """A partnership story for Jupyter: one row per framework outcome."""
    rows = []
    for s in story.stories:
        counts = {r: sum(e.rating.rating == r for e in s.contributions) for r in RATING_COLOURS}
        rating_cells = " ".join(f"{badge(r)}&nbsp;{n}" for r, n in counts.items() if n)
        rows.append((escape(s.code or ""), escape(s.title), str(len(s.contributions)), rating_cells or "—",
                     str(s.reach.total), str(len(s.gaps))))
    head = (f"<p><strong>{escape(story.package_title)}</strong>: {escape(story.framework)}, "
            f"{story.reach.total} people reached, {len(story.gaps)} gaps</p>")
    return head + _table(("code", "outcome", "contributions", "ratings", "people reached", "gaps"), rows)


def person_html(story: PersonStory) -> str:
    """A person's timeline for Jupyter."""
    rows = []
    for entry in story.entries:
        e = entry.evidence
        values = ", ".join(f"{escape(v.label or v.code)} {escape(str(v.value))}" for v in e.values)
        rows.append((escape(entry.date.isoformat() if entry.date else "undated"), escape(e.kind),
                     escape(entry.organisation_name or e.collected_by or ""), escape(e.summary or e.instrument or ""),
                     values, escape(", ".join(entry.contributions))))
    return (f"<p><strong>{escape(story.person_id)}</strong>: {len(story.entries)} entries</p>"
            + _table(("date", "kind", "organisation", "summary", "values", "contributions"), rows))
