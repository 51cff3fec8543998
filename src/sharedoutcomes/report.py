"""
A self-contained HTML report of a partnership's contribution story, for commissioners.

One file, no network: inline CSS and inline SVG pictures, no scripts, no external fonts.
It holds a summary, the contribution map, the story of each framework outcome (all nine
National Health and Wellbeing Outcomes by default) with each contribution's strength and
the reasons for it, evidence in people's own words (only where consent allows), indicator
trends, the gaps, and notes on method ("contribution, not attribution").

Example:
    >>> import sharedoutcomes
    >>> html = render_report(sharedoutcomes.example_package())
    >>> html.startswith("<!doctype html>") and "<script" not in html
    True
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from html import escape
from pathlib import Path
from typing import Final

from sharedoutcomes._util.meta import package_version
from sharedoutcomes.model import Indicator, Package, Period
from sharedoutcomes.pictures import contribution_map_svg, indicator_chart_svg
from sharedoutcomes.privacy import publishable
from sharedoutcomes.story import (
    RATING_COLOURS,
    RATING_RULES,
    RATING_WORDS,
    ContributionEntry,
    ContributionStory,
    EvidenceItem,
    Gap,
    PartnershipStory,
    framework_title,
    partnership_story,
    rating_badge,
)
from sharedoutcomes.validation import partial_record

__all__ = ["render_report", "write_report"]

_NARRATIVE_KINDS: Final = frozenset({"case-study", "quote"})
_CAVEAT_ROWS: Final = 20

_CSS: Final = """
:root{--ink:#1d2b3a;--muted:#5f6b78;--line:#dde3ea;--soft:#f4f7fb;--accent:#2f5f98}
*{box-sizing:border-box}
body{margin:0;background:#eef2f6;color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 32px 48px;background:#fff}
h1{font-size:28px;margin:0 0 4px}
h2{font-size:21px;margin:36px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:17px;margin:0 0 6px}
h4{font-size:14px;margin:14px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
p{margin:6px 0 10px}
.lede{color:var(--muted);margin:0 0 14px}
.meta{font-size:13px;color:var(--muted)}
.figures{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:18px 0}
.figure{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.figure b{display:block;font-size:26px;line-height:1.2}
.figure span{font-size:13px;color:var(--muted)}
.callout{background:#fff8e6;border-left:4px solid #d98a0b;padding:10px 14px;border-radius:4px;margin:12px 0}
.outcome{border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:16px 0;break-inside:avoid}
.outcome .code{display:inline-block;min-width:30px;text-align:center;background:var(--accent);color:#fff;
  border-radius:6px;padding:0 8px;margin-right:8px}
.outcome.empty{background:#fafafa;color:var(--muted);padding:10px 16px}
.outcome.empty .code{background:#5f6b78}
table{border-collapse:collapse;width:100%;font-size:13.5px;margin:6px 0 10px}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{background:var(--soft);font-weight:600}
td ul{margin:0;padding-left:16px}
.badge{display:inline-block;padding:1px 9px;border-radius:9px;color:#fff;background:#555;font-size:12px;white-space:nowrap}
.contribution{border-top:1px solid var(--line);padding:10px 0 4px}
.contribution .who{font-weight:600}
.path{font-size:12.5px;color:var(--muted)}
.reasons{font-size:13px;margin:4px 0 6px;padding-left:18px}
.reasons code,.rules code{font-size:12px;background:var(--soft);padding:0 4px;border-radius:3px}
.evidence{font-size:13.5px;margin:4px 0;padding-left:18px}
.evidence li{margin:3px 0}
.tag{font-size:11.5px;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 5px;margin-left:4px}
blockquote{margin:6px 0 10px;padding:8px 14px;background:var(--soft);border-left:4px solid var(--accent);
  font-style:italic;border-radius:4px}
.withheld{font-size:12.5px;color:var(--muted);font-style:italic}
.columns{display:grid;grid-template-columns:1fr 1fr;gap:6px 28px}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.charts figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:8px}
.charts figcaption{font-size:12.5px;color:var(--muted)}
.map{overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:6px}
.map svg{max-width:100%;height:auto}
.charts svg{width:100%;height:auto}
.rules code{white-space:nowrap}
a{color:var(--accent)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.gaps li{margin:4px 0}
.small{font-size:13px}
footer{margin-top:40px;font-size:12.5px;color:var(--muted);border-top:1px solid var(--line);padding-top:10px}
@media print{body{background:#fff}main{padding:0}.outcome{page-break-inside:avoid}}
"""

_GAP_HEADINGS: Final = {
    "no-contribution": ("Outcomes nobody contributes to",
                        "No contribution in this package reaches these outcomes. Others may contribute; this "
                        "package does not say."),
    "no-evidence": ("Contributions with no evidence",
                    "A contribution is claimed, but no evidence supports or illustrates it yet."),
    "weak-evidence-only": ("Contributions resting on weak evidence only",
                           "Every link to these contributions is weak: look for stronger evidence (contribution "
                           "analysis, step 5)."),
    "unanswered-challenge": ("Challenges not answered",
                             "Evidence challenges these contributions, and no later supporting evidence answers it."),
    "untested-assumption": ("Assumptions with no evidence",
                            "The pathway depends on these assumptions, and no supporting evidence tests it."),
    "not-mapped": ("Contributions that reach no national outcome",
                   "Map their outcomes to the framework (or to a broader outcome that is mapped)."),
}


def _date(day: dt.date | None) -> str:
    return f"{day.day} {day.strftime('%b %Y')}" if day else ""


def _period(period: Period | None) -> str:
    if period is None:
        return ""
    return f"{_date(period.start)} to {_date(period.end)}" if period.end else f"from {_date(period.start)}"


def _when(item: EvidenceItem) -> str:
    if item.date is not None:
        return _date(item.date)
    return _period(item.period)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _list_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _narrative(item: EvidenceItem) -> str:
    if not item.narrative:
        return ""
    if item.shareable_narrative:
        return f"<blockquote>{escape(item.shareable_narrative)}</blockquote>"
    reason = "consent was refused" if item.consent == "refused" else "consent is not recorded"
    return f"<div class='withheld'>The narrative is not shown: {reason}.</div>"


def _evidence_li(item: EvidenceItem, *, extra: str = "") -> str:
    strength = f"<span class='tag'>{escape(item.strength)}</span>" if item.strength else ""
    level = f"<span class='tag'>Nesta level {item.evidence_level}</span>" if item.evidence_level else ""
    summary = escape(item.summary or item.kind.replace("-", " ").capitalize())
    when = f", {_when(item)}" if _when(item) else ""
    rationale = f"<br><span class='small'>{escape(item.rationale)}</span>" if item.rationale else ""
    return (f"<li>{summary} <span class='tag'>{escape(item.kind)}</span>{strength}{level}"
            f"<span class='meta'>{when}</span>{extra}{rationale}{_narrative(item)}</li>")


def _anchor(contribution_id: str) -> str:
    return "c-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in contribution_id)


def _contribution_html(entry: ContributionEntry, served: list[str]) -> str:
    c = entry.contribution
    activity = f" through <em>{escape(entry.activity_title)}</em>" if entry.activity_title else ""
    parts = [f"<div class='contribution' id='{_anchor(c.id)}'><div><span class='who'>"
             f"{escape(entry.organisation_name)}</span>{activity} — {escape(c.role)} contribution to "
             f"“{escape(entry.outcome_title)}” {rating_badge(entry.rating.rating)}</div>"]
    period = f"; period {_period(c.period)}" if c.period else ""
    if served:
        parts.append(f"<div class='path'>Serves national outcome{'s' if len(served) > 1 else ''} "
                     f"{escape(_list_words(served))}{period}</div>")
    else:
        parts.append(f"<div class='path'><b>Reaches no national outcome</b>: its outcome is not mapped{period}</div>")
    theory = []
    if c.pathway:
        stage = f" <span class='tag'>{escape(c.pathway_stage)}</span>" if c.pathway_stage else ""
        theory.append(f"<li><b>Pathway:</b> {escape(c.pathway)}{stage}</li>")
    theory.extend(f"<li><b>Assumes:</b> {escape(a)}</li>" for a in c.assumptions)
    theory.extend(f"<li><b>External factor:</b> {escape(f)}</li>" for f in c.external_factors)
    if theory:
        parts.append(f"<ul class='evidence'>{''.join(theory)}</ul>")
    parts.append(f"<div class='small'><b>Why {escape(RATING_WORDS[entry.rating.rating])}:</b></div>"
                 f"{_reasons(entry)}")
    evidence = [_evidence_li(i) for i in entry.supporting]
    evidence += [_evidence_li(i, extra=" <span class='tag'>illustrates</span>") for i in entry.illustrating]
    for challenge in entry.challenges:
        state = (f"answered by later evidence ({escape(', '.join(challenge.answered_by))})" if challenge.answered
                 else "<b>not answered</b>")
        evidence.append(_evidence_li(challenge.item, extra=f" <span class='tag'>challenges</span> — {state}"))
    evidence += [_evidence_li(i, extra=" <span class='tag'>context</span>") for i in entry.contextual]
    if evidence:
        parts.append(f"<div class='small'><b>Evidence:</b></div><ul class='evidence'>{''.join(evidence)}</ul>")
    parts.append("</div>")
    return "".join(parts)


def _reasons(entry: ContributionEntry) -> str:
    items = "".join(f"<li><code>{escape(r.rule)}</code> {escape(r.text)}</li>" for r in entry.rating.reasons)
    return f"<ul class='reasons'>{items}</ul>"


def _rating_counts(entries: tuple[ContributionEntry, ...]) -> list[str]:
    """``["2 strong", "1 no evidence"]``: how many contributions have each rating, strongest first."""
    counts = Counter(e.rating.rating for e in entries)
    return [f"{counts[r]} {RATING_WORDS[r]}" for r in ("strong", "moderate", "weak", "none") if counts[r]]


def _empty_outcome_html(story: ContributionStory) -> str:
    return (f"<div class='outcome empty'><span class='code'>{escape(story.code or '')}</span>"
            f"{escape(story.title)} <span class='small'>— no contribution recorded in this package.</span></div>")


def _outcome_summary(story: ContributionStory) -> str:
    """Who contributes, how strongly, and how many people are reached."""
    reach = story.reach
    titles = {a.id: a.title for a in story.activities}
    reach_text = "; ".join(f"{escape(titles.get(a.activity_id or '', a.activity_id or 'no activity'))}: "
                           f"{a.people} ({escape(a.basis)})" for a in reach.by_activity)
    organisations = _list_words([escape(o.name) for o in story.organisations]) or "—"
    period = ""
    if story.evidence_period is not None:
        period = f" Evidence dates from {_date(story.evidence_period[0])} to {_date(story.evidence_period[1])}."
    return (f"<p class='small'><b>{_plural(len(story.contributions), 'contribution')}</b> from {organisations} "
            f"({', '.join(_rating_counts(story.contributions))}). <b>People reached: {reach.total}</b>"
            f"{f' — {reach_text}' if reach_text else ''}.{period}</p>")


def _outcome_table(story: ContributionStory) -> str:
    """One row per contribution: who, through what, how it reaches the outcome, and its rating."""
    rows = []
    for entry in story.contributions:
        c = entry.contribution
        paths = "<br>".join(escape(str(p)) for p in entry.paths)
        rows.append(f"<tr><td><a href='#{_anchor(c.id)}'>{escape(entry.organisation_name)}</a><br>"
                    f"<span class='path'>{escape(c.role)}</span></td>"
                    f"<td>{escape(entry.activity_title or '—')}</td><td>{escape(entry.outcome_title)}"
                    f"<br><span class='path'>{paths}</span></td>"
                    f"<td>{rating_badge(entry.rating.rating)}{_reasons(entry)}</td></tr>")
    return ("<table><thead><tr><th style='width:18%'>Organisation</th><th style='width:16%'>Activity</th>"
            "<th style='width:28%'>Local outcome, and how it reaches this one</th><th>Strength, and why</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _outcome_html(story: ContributionStory) -> str:
    if not story.contributions:
        return _empty_outcome_html(story)
    parts = [f"<div class='outcome'><h3><span class='code'>{escape(story.code or '')}</span>{escape(story.title)}"
             "</h3>", _outcome_summary(story), _outcome_table(story)]
    if story.outcome_evidence:
        items = "".join(_evidence_li(i, extra=f" <span class='tag'>{escape(i.relation or '')} "
                                              f"{escape(i.target_id or '')}</span>")
                        for i in story.outcome_evidence)
        parts.append(f"<h4>Evidence about the outcomes and their indicators</h4><ul class='evidence'>{items}</ul>")
    gaps = [g for g in story.gaps if g.kind != "no-contribution"]
    if gaps:
        parts.append("<h4>Gaps</h4><ul class='evidence'>" + "".join(f"<li>{escape(g.message)}</li>" for g in gaps)
                     + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def _voices(story: PartnershipStory) -> str:
    seen: dict[str, EvidenceItem] = {}
    for entry in story.contributions:
        for item in (*entry.supporting, *entry.illustrating):
            if item.kind in _NARRATIVE_KINDS and item.narrative:
                seen.setdefault(item.evidence_id, item)
    shown = [i for i in seen.values() if i.shareable_narrative]
    withheld = [i for i in seen.values() if not i.shareable_narrative]
    parts = ["<h2 id='voices'>In people's own words</h2>",
             "<p class='lede'>Case studies and quotes linked to the contributions. Only narratives whose consent "
             "allows sharing (given, given if anonymised, or not required) are shown; none names the person.</p>"]
    for item in shown:
        label = escape(item.summary or item.kind.replace("-", " ").capitalize())
        parts.append(f"<p class='small'><b>{label}</b> <span class='tag'>{escape(item.kind)}</span>"
                     f"<span class='meta'> {_when(item)}</span></p><blockquote>{escape(item.shareable_narrative or '')}"
                     "</blockquote>")
    if withheld:
        parts.append(f"<p class='withheld'>{_plural(len(withheld), 'narrative')} not shown because consent was "
                     "refused or is not recorded.</p>")
    if not seen:
        parts.append("<p class='small'>No case studies or quotes are linked to contributions.</p>")
    return "".join(parts)


def _gaps_html(gaps: tuple[Gap, ...]) -> str:
    by_kind: dict[str, list[Gap]] = {}
    for gap in gaps:
        by_kind.setdefault(gap.kind, []).append(gap)
    parts = ["<h2 id='gaps'>Gaps</h2>"]
    if not gaps:
        parts.append("<p>No gaps found.</p>")
    for kind, (heading, explanation) in _GAP_HEADINGS.items():
        found = by_kind.get(kind)
        if found:
            items = "".join(f"<li>{escape(g.message)}</li>" for g in found)
            parts.append(f"<h3>{heading} ({len(found)})</h3><p class='small'>{explanation}</p>"
                         f"<ul class='gaps small'>{items}</ul>")
    return "".join(parts)


def _method_html(story: PartnershipStory) -> str:
    rules = "".join(f"<tr><td><code>{escape(rule)}</code></td><td>{escape(text)}</td></tr>"
                    for rule, text in RATING_RULES.items())
    colours = " ".join(f"{rating_badge(r)}" for r in RATING_COLOURS)
    return (
        "<h2 id='method'>How to read this report</h2>"
        "<div class='columns small'><div>"
        "<p><b>Contribution, not attribution.</b> Outcomes such as the National Health and Wellbeing Outcomes are "
        "produced by many organisations, and by people themselves, together. This report does not claim that any "
        "organisation <em>caused</em> an outcome. Following contribution analysis (Mayne), it sets out who "
        "contributes, through what pathway and on what assumptions, and how good the evidence for each "
        "contribution is, so that a reasonable reader can judge whether the contribution story is credible.</p>"
        "<p><b>How contributions reach national outcomes.</b> A contribution is to a local outcome. The local "
        "outcome reaches a national outcome through its own mapping, through a broader local outcome that is "
        "mapped, or through a published crosswalk. A <em>broad</em> match means the local outcome serves part of "
        "the national outcome; a <em>close</em> or <em>exact</em> match, most or all of it.</p>"
        f"<p><b>People reached.</b> {escape(story.reach.method)}</p>"
        "<p><b>Consent.</b> Narratives (case studies, quotes, observations) are shown only when consent was given, "
        "given for anonymised use, or not required; when consent was refused or is not recorded the report says "
        "so instead. Pseudonymous person identifiers are never shown.</p>"
        "</div><div>"
        f"<p><b>Strength ratings.</b> {colours} Each contribution is rated by a small rule table, applied in "
        "this order; every rule that fires is listed under the contribution, so each rating can be checked by "
        "hand. Link strengths are those asserted by whoever linked the evidence.</p>"
        f"<table class='rules'><thead><tr><th>rule</th><th>what it does</th></tr></thead><tbody>{rules}</tbody>"
        "</table></div></div>"
    )


def _figures_html(story: PartnershipStory, served: list[ContributionStory], framework_name: str) -> str:
    """The four headline figures of the summary."""
    organisations = {e.contribution.organisation_id for e in story.contributions}
    activities = {e.contribution.activity_id for e in story.contributions if e.contribution.activity_id}
    figures = [
        (f"{len(served)} of {len(story.stories)}", f"{framework_name} with a contribution"),
        (str(len(story.contributions)), f"contributions from {_plural(len(organisations), 'organisation')} "
                                        f"through {_plural(len(activities), 'activity', 'activities')}"),
        (str(story.reach.total), "people reached (see method)"),
        (str(len(story.gaps)), "gaps to look at"),
    ]
    return "".join(f"<div class='figure'><b>{escape(v)}</b><span>{escape(t)}</span></div>" for v, t in figures)


def _summary_html(story: PartnershipStory, served: list[ContributionStory], unserved: list[ContributionStory],
                  framework_name: str) -> list[str]:
    """The summary in words, and a callout naming the outcomes nobody contributes to."""
    organisations = {e.contribution.organisation_id for e in story.contributions}
    rating_words = _rating_counts(story.contributions)
    summary = [f"<p>{_plural(len(organisations), 'organisation')} contribute to "
               f"{_plural(len(served), 'outcome')} of the {escape(framework_name)}"
               + (f" ({', '.join(escape(s.code or '') for s in served)})" if served else "")
               + f". The evidence for their {_plural(len(story.contributions), 'contribution')} is rated "
               f"{_list_words(rating_words) if rating_words else 'nothing yet'}.</p>"]
    if unserved:
        summary.append(f"<p class='callout'>Nobody in this package contributes to outcome"
                       f"{'s' if len(unserved) > 1 else ''} {_list_words([s.code or '' for s in unserved])}. "
                       "That does not mean nobody does: only that this package holds no such contribution.</p>")
    return summary


def _header_html(package: Package, heading: str, framework_name: str) -> str:
    publisher = next((o.name for o in package.organisations if o.id == package.publisher), package.publisher)
    meta = [f"Published by {escape(publisher)}", f"produced {escape(package.produced[:10])}",
            f"sharing level: {escape(package.sharing_level)}"]
    if package.period is not None:
        meta.insert(1, f"reporting period {_period(package.period)}")
    return (f"<header><h1>{escape(heading)}</h1><p class='lede'>Contribution story: who contributes to the "
            f"{escape(framework_name)}, through what, and how good the evidence is.</p>"
            f"<p class='meta'>{' · '.join(meta)}</p></header>")


def _partial_html(package: Package) -> list[str]:
    """The caveat of a package written from a conversion with errors (the ``partial`` extension), or nothing."""
    record = partial_record(package)
    if record is None:
        return []
    errors = record.get("errors")
    count = f"{errors} error{'' if errors == 1 else 's'}" if type(errors) is int else "errors"
    fmt = record.get("format")
    via = f" read as <code>{escape(fmt)}</code>" if isinstance(fmt, str) and fmt else ""
    problems = record.get("problems")
    listed = [p for p in problems if isinstance(p, dict)] if isinstance(problems, list) else []
    errors_listed = [p for p in listed if p.get("severity") == "error"]
    items = "".join(f"<li><code>{escape(str(p.get('rule', '')))}</code> {escape(str(p.get('message', ''))[:300])}</li>"
                    for p in errors_listed[:_CAVEAT_ROWS])
    rest = len(errors_listed) - _CAVEAT_ROWS
    more = (f"<ul>{items}</ul>" if items else "") + (f"<p>… and {rest} more.</p>" if rest > 0 else "")
    return [f"<section class='caveat' role='alert' style='border:3px solid #b3261e;padding:0.8em 1em;"
            f"background:#fdecea'><h2>This package is partial</h2><p>It was written from a conversion{via} that had "
            f"<strong>{count}</strong>: the values those errors concern are missing, so the figures, stories and "
            f"ratings below are incomplete. Correct the source and convert it again for a complete report.</p>"
            f"{more}</section>"]


def _indicators_html(package: Package) -> list[str]:
    """The indicator trend charts, or nothing when the package has no indicators."""
    charts = "".join(f"<figure>{indicator_chart_svg(package, i.id)}<figcaption>{_indicator_caption(i)}"
                     "</figcaption></figure>" for i in package.indicators)
    if not charts:
        return []
    return ["<h2 id='indicators'>Indicators</h2><p class='lede'>Actual values reported in the evidence, "
            f"against targets over their periods.</p><div class='charts'>{charts}</div>"]


def _served_codes(served: list[ContributionStory]) -> dict[str, list[str]]:
    """For each contribution, the codes of the framework outcomes it serves."""
    serves: dict[str, list[str]] = {}
    for s in served:
        for entry in s.contributions:
            serves.setdefault(entry.id, []).append(s.code or "")
    return serves


def render_report(package: Package, *, framework: str = "scot-nhwo", title: str | None = None,
                  publication: bool = False, threshold: int = 5) -> str:
    """
    The report as one HTML document (a string), with no external references.

    With *publication*, the report is of `sharedoutcomes.privacy.publishable` (package,
    threshold=*threshold*): person-level evidence as counts, small counts suppressed, nothing about
    one person, so that the page can be published.

    Example:
        >>> import sharedoutcomes
        >>> html = render_report(sharedoutcomes.example_package())
        >>> "Contribution, not attribution" in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
        True
        >>> public = render_report(sharedoutcomes.example_package(), publication=True)
        >>> "sharing level: public" in public and "TTC-0452" not in public
        True
    """
    if publication:
        package = publishable(package, threshold=threshold, produced=package.produced)[0]
    story = partnership_story(package, framework)
    heading = title or package.title
    served = [s for s in story.stories if s.contributions]
    unserved = [s for s in story.stories if not s.contributions]
    framework_name = framework_title(framework)
    serves = _served_codes(served)
    body = [
        _header_html(package, heading, framework_name),
        *_partial_html(package),
        "<h2 id='summary'>Summary</h2>", f"<div class='figures'>{_figures_html(story, served, framework_name)}</div>",
        *_summary_html(story, served, unserved, framework_name),
        "<h2 id='map'>Contribution map</h2><p class='lede'>Who contributes through which activity to which local "
        "outcome, and which national outcomes those serve. Line colour and weight show the strength of the evidence "
        "for each contribution.</p>",
        f"<div class='map'>{contribution_map_svg(story)}</div>",
        "<h2 id='outcomes'>The story for each outcome</h2>",
        *(_outcome_html(s) for s in served),
        *(_outcome_html(s) for s in unserved),
        "<h2 id='contributions'>Contributions and their evidence</h2><p class='lede'>Each contribution once, with "
        "its pathway, assumptions and external factors (the theory of change), the reasons for its rating, and "
        "every piece of evidence linked to it.</p>",
        *(_contribution_html(e, serves.get(e.id, [])) for e in story.contributions),
        _voices(story),
        *_indicators_html(package),
        _gaps_html(story.gaps), _method_html(story),
        f"<footer>Generated by sharedoutcomes {escape(package_version(fallback='(development)'))} from package "
        f"<code>{escape(package.id)}</code>. {escape(package.description or '')}</footer>",
    ]
    return ("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body><main>"
            + "\n".join(body) + "</main></body></html>\n")


def _indicator_caption(indicator: Indicator) -> str:
    words = {"per-period": "Each value is for its own period.",
             "cumulative": "Each value is a running total to the end of its period.",
             "snapshot": "Each value is a count at a point in time."}
    parts = [words.get(indicator.aggregation, "")]
    if indicator.rate is not None:
        parts.append(f"{escape(indicator.rate.numerator)} ÷ {escape(indicator.rate.denominator)}"
                     f"{f' × {indicator.rate.per}' if indicator.rate.per else ''}.")
    if indicator.description:
        parts.append(escape(indicator.description))
    return " ".join(p for p in parts if p)


def write_report(package: Package, path: str | os.PathLike[str], *, framework: str = "scot-nhwo",
                 title: str | None = None, publication: bool = False, threshold: int = 5) -> Path:
    """
    Write the self-contained HTML report to ``path`` (UTF-8) and return the path.

    Example:
        >>> import sharedoutcomes, tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     written = write_report(sharedoutcomes.example_package(), pathlib.Path(tmp) / "report.html")
        ...     written.stat().st_size > 10_000
        True
    """
    target = Path(path)
    target.write_text(render_report(package, framework=framework, title=title, publication=publication,
                                    threshold=threshold), encoding="utf-8")
    return target
