"""The problem list as one standalone, accessible HTML page: grouped by file, then by sheet or section."""

from __future__ import annotations

from html import escape
from typing import Final

from sharedoutcomes.problem_lists._rows import ProblemList, ProblemRow

__all__ = ["CSS", "render_html"]

CSS: Final = """
:root{--ink:#1d2b3a;--muted:#4f5b67;--line:#c9d1da;--soft:#f4f7fb;--accent:#2a5a92;--bad:#a3001b;--warn:#7a4d00}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:28px;margin:0 0 6px}
h2{font-size:22px;margin:32px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:18px;margin:20px 0 6px}
p{margin:6px 0 10px}
.lede{color:var(--muted)}
.clean{color:#17622f;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:15px;margin:6px 0 14px}
caption{text-align:left;font-weight:600;padding:0 0 6px}
th,td{text-align:left;vertical-align:top;padding:7px 8px;border-bottom:1px solid var(--line)}
th{background:var(--soft);font-weight:600}
td.where{width:20%}
td.value{width:14%;overflow-wrap:anywhere}
.sev{display:inline-block;padding:1px 8px;border-radius:8px;font-size:14px;font-weight:600;white-space:nowrap}
.sev.error{background:var(--bad);color:#fff}
.sev.warning{background:#fff2cc;color:var(--warn);border:1px solid var(--warn)}
.details{display:block;color:var(--muted);font-size:14px;margin-top:3px}
.rule{font-size:13px;color:var(--muted);white-space:nowrap}
.rule a{color:var(--accent)}
.path{display:block;font-size:13px;color:var(--muted);overflow-wrap:anywhere}
code{font-family:ui-monospace,SFMono-Regular,Consolas,monospace;font-size:.92em}
a{color:var(--accent)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
nav ul{padding-left:20px}
footer{margin-top:36px;font-size:14px;color:var(--muted);border-top:1px solid var(--line);padding-top:10px}
@media print{main{padding:0}h2{break-after:avoid}tr{break-inside:avoid}}
"""
"""The page's stylesheet; every text colour in it is at least 4.5:1 against every background in it (a test checks)."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _counts(rows: tuple[ProblemRow, ...]) -> str:
    errors = sum(r.severity == "error" for r in rows)
    return f"{_plural(errors, 'error')}, {_plural(len(rows) - errors, 'warning')}"


def _file_id(n: int) -> str:
    return f"file-{n}"


def _group(row: ProblemRow) -> str:
    """The heading of the part of the file a row is in: its sheet or section, else none."""
    if row.sheet:
        return f"Sheet {row.sheet}"
    if row.section:
        return f"Section {row.section}"
    return ""


def _row_html(row: ProblemRow) -> str:
    where = escape(row.place) if row.place else "—"
    if row.cell:
        where += f" <span class='path'>cell {escape(row.cell)}</span>"
    path = f"<span class='path'>JSONPath <code>{escape(row.path)}</code></span>" if row.path not in ("", "$") else ""
    rule = escape(row.rule)
    link = f"<a href='{escape(row.url)}'>{rule}</a>" if row.url else rule
    details = (f"<span class='details'>{escape(row.details)}</span>"
               if row.details and row.details != row.problem else "")
    value = f"<code>{escape(row.value)}</code>" if row.value else "—"
    return (f"<tr><td class='where'>{where}{path}</td><td class='value'>{value}</td>"
            f"<td>{escape(row.problem)} <span class='rule'>(rule {link})</span>{details}</td>"
            f"<td>{escape(row.action)}</td>"
            f"<td><span class='sev {row.severity}'>{escape(row.severity_words)}</span></td></tr>")


def _table(rows: list[ProblemRow], caption: str) -> str:
    body = "".join(_row_html(row) for row in rows)
    return (f"<table><caption>{escape(caption)}</caption><thead><tr><th scope='col'>Where</th>"
            "<th scope='col'>Value found</th><th scope='col'>What is wrong</th><th scope='col'>What to do</th>"
            f"<th scope='col'>Severity</th></tr></thead><tbody>{body}</tbody></table>")


def _file_section(n: int, name: str, rows: tuple[ProblemRow, ...]) -> str:
    heading = escape(name) if name else "The package as a whole"
    parts = [f"<section aria-labelledby='{_file_id(n)}'><h2 id='{_file_id(n)}'>{heading}</h2>"]
    if not rows:
        parts.append("<p class='clean'>No problems found.</p></section>")
        return "".join(parts)
    groups: dict[str, list[ProblemRow]] = {}
    for row in rows:
        groups.setdefault(_group(row), []).append(row)
    for group, items in groups.items():
        if group:
            parts.append(f"<h3>{escape(group)}</h3>")
        parts.append(_table(items, f"{group + ': ' if group else ''}{_counts(tuple(items))}"))
    parts.append("</section>")
    return "".join(parts)


def render_html(listed: ProblemList) -> str:
    """
    The problem list as one HTML document: no script, no external stylesheet, font or image.

    Example:
        >>> from sharedoutcomes.problem_lists import problem_list
        >>> html = render_html(problem_list({"a.csv": []}))
        >>> "No problems found." in html and "<script" not in html
        True
    """
    groups = listed.by_file()
    sections = [_file_section(n, name, rows) for n, (name, rows) in enumerate(groups.items(), start=1)]
    contents = "".join(f"<li><a href='#{_file_id(n)}'>{escape(name or 'The package as a whole')}</a>: "
                       f"{_counts(rows) if rows else 'no problems'}</li>"
                       for n, (name, rows) in enumerate(groups.items(), start=1))
    nav = f"<nav aria-label='Files'><ul>{contents}</ul></nav>" if len(groups) > 1 else ""
    files = _plural(len(groups), "file")
    summary = (f"<p class='lede'>{_counts(listed.rows)} in {files}. Each row says where the problem is, the value "
               "found, what is wrong and what to do. Errors must be corrected; warnings are worth checking. The rule "
               "beside each problem links to its full explanation.</p>")
    return ("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(listed.title)}</title><style>{CSS}</style></head><body><main>"
            f"<header><h1>{escape(listed.title)}</h1>{summary}</header>{nav}{''.join(sections)}"
            "<footer>Made by sharedoutcomes. The file itself is not included: this list names its places and "
            "values only.</footer></main></body></html>\n")
