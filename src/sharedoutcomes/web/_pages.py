"""The validator page's HTML: the upload form, the results of a checked set, a rule's explanation, errors.

Everything shown is escaped; the pages load only the page's own stylesheet and script (no CDN, no fonts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Final

import attrs

from sharedoutcomes.exceptions import Problem
from sharedoutcomes.problems import ProblemType, catalogue
from sharedoutcomes.serialization import dumps
from sharedoutcomes.web._check import FileCheck
from sharedoutcomes.web._limits import Limits
from sharedoutcomes.web._set import CheckedSet

__all__ = ["error_page", "index_page", "place_of", "results_page", "rule_page"]

_PREVIEW_CHARS: Final = 20_000
_SEVERITY: Final = {"error": "Must be corrected", "warning": "Check this"}


def _page(title: str, body: str) -> str:
    return ("<!doctype html><html lang='en-GB'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(title)} · sharedoutcomes</title><link rel='stylesheet' href='/assets/style.css'>"
            "<script src='/assets/drop.js' defer></script></head><body>"
            "<a class='skip' href='#main'>Skip to the content</a>"
            "<header><p class='brand'><a href='/'>sharedoutcomes</a> · check files on this computer</p>"
            "<p class='local'>Files you check here are read on this computer only; nothing is sent anywhere.</p>"
            f"</header><main id='main' tabindex='-1'>{body}</main>"
            "<footer><p>sharedoutcomes validator page · files are deleted as soon as they are checked; results are "
            "kept in memory for downloading, then forgotten.</p></footer></body></html>")


def _format_options(formats: Sequence[str]) -> str:
    options = ["<option value=''>Find the format of each file (recommended)</option>"]
    options += [f"<option value='{escape(name)}'>{escape(name)}</option>" for name in formats]
    return "".join(options)


def index_page(*, csrf: str, limits: Limits, formats: Sequence[str], message: str = "") -> str:
    """
    The upload page: choose files or a folder (or drop them), and check them.

    Example:
        >>> html = index_page(csrf="t0k", limits=Limits(), formats=["package"])
        >>> "name='csrf' value='t0k'" in html and "webkitdirectory" in html and "<html lang='en-GB'>" in html
        True
    """
    alert = f"<div class='alert' role='alert'><p>{escape(message)}</p></div>" if message else ""
    body = (
        "<h1>Check outcome evidence files</h1>"
        "<p class='lead'>Choose the files you want to check: a package (JSON), tables (CSV or Excel), an Outcomes "
        "Star export, a survey export, monitoring forms (Word or Excel), 360Giving or INDIGO data. The page finds "
        "each file's format, converts it, checks it, and lists every problem with where it is and what to do.</p>"
        f"{alert}"
        "<form id='upload' method='post' action='/check' enctype='multipart/form-data'>"
        f"<input type='hidden' name='csrf' value='{escape(csrf)}'>"
        "<div class='drop' id='drop'>"
        "<p class='drop-text' id='drop-text'>Choose files or a folder below"
        "<span class='js-only'>, or drag them here</span>.</p>"
        "<p><label for='files'>Files</label> "
        "<input type='file' id='files' name='files' multiple aria-describedby='limits'></p>"
        "<p><label for='folder'>A whole folder</label> "
        "<input type='file' id='folder' name='files' multiple webkitdirectory aria-describedby='limits'></p>"
        "<p id='chosen' class='chosen' aria-live='polite'></p>"
        "</div>"
        f"<p id='limits' class='hint'>You can check {escape(limits.describe())}.</p>"
        "<p><label for='format'>Format</label> "
        f"<select id='format' name='format'>{_format_options(formats)}</select></p>"
        "<p><button type='submit'>Check the files</button></p>"
        "</form>")
    return _page("Check outcome evidence files", body)


def _rule_link(rule: str) -> str:
    return f"<a class='code' href='/rules/{escape(rule)}'>{escape(rule)}</a>"


def place_of(problem: Problem) -> str:
    """
    Where in the file a problem is, without the cell: the group the page lists it under.

    Example:
        >>> from sharedoutcomes.exceptions import SourceLocation
        >>> place_of(Problem(rule="r", severity="error", path="$.evidence[3].values[0].value", message="m",
        ...                  source=SourceLocation(file="q4.xlsx", sheet="Outcomes", row=7, column="C")))
        "sheet 'Outcomes', row 7"
        >>> place_of(Problem(rule="r", severity="error", path="$.evidence[3].values[0].value", message="m"))
        'in the package at $.evidence[3]'
    """
    if problem.source is not None:
        where = str(attrs.evolve(problem.source, file=None, column=None, header=None))
        if where:
            return where
    parts = problem.path.split(".")
    return f"in the package at {'.'.join(parts[:2]) if len(parts) > 1 else problem.path}"


def _cell(problem: Problem) -> str:
    source = problem.source
    bits = []
    if source is not None and source.column:
        column = f"column {source.column}"
        if source.header and source.header != source.column:
            column += f" ({source.header})"
        bits.append(escape(column))
    bits.append(f"<code>{escape(problem.path)}</code>")
    return " · ".join(bits)


def _entry(rule: str) -> ProblemType | None:
    try:
        return catalogue()[rule]
    except KeyError:
        return None


def _problem_html(problem: Problem) -> str:
    kind = _entry(problem.rule)
    summary = kind.summary if kind is not None else problem.message
    action = kind.action if kind is not None else ""
    value = "" if problem.value is None else f"<p class='found'>Found: <q>{escape(str(problem.value)[:300])}</q></p>"
    todo = f"<p class='todo'><strong>What to do:</strong> {escape(action)}</p>" if action else ""
    detail = f"<p>{escape(problem.message)}</p>" if problem.message != summary else ""
    return (f"<li class='problem {escape(problem.severity)}'>"
            f"<p class='what'><span class='sev'>{escape(_SEVERITY.get(problem.severity, problem.severity))}</span> "
            f"{escape(summary)} {_rule_link(problem.rule)}</p>{detail}{value}{todo}"
            f"<p class='where'>Where: {_cell(problem)}</p></li>")


def _problems_html(problems: Sequence[Problem], label: str) -> str:
    if not problems:
        return "<p class='clean'>No problems found.</p>"
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(place_of(problem), []).append(problem)
    errors = sum(p.severity == "error" for p in problems)
    out = [f"<p>{errors} to correct, {len(problems) - errors} to check, in {len(groups)} "
           f"place{'' if len(groups) == 1 else 's'}.</p>"]
    for place, items in groups.items():
        out.append(f"<section class='place' aria-label='{escape(label)}: {escape(place)}'>"
                   f"<h4>{escape(place[:1].upper() + place[1:])}</h4>"
                   f"<ul class='problems'>{''.join(_problem_html(p) for p in items)}</ul></section>")
    return "".join(out)


def _counts(check: FileCheck) -> str:
    if check.result is None:
        return ""
    package = check.result.package
    counts = [("organisations", package.organisations), ("activities", package.activities),
              ("outcomes", package.outcomes), ("indicators", package.indicators),
              ("contributions", package.contributions), ("pieces of evidence", package.evidence),
              ("evidence links", package.links)]
    cells = "".join(f"<li><strong>{len(items)}</strong> {name}</li>" for name, items in counts)
    orgs = ", ".join(escape(o.name) for o in package.organisations[:8])
    return f"<ul class='counts'>{cells}</ul><p>Organisations: {orgs or 'none'}</p>"


def _preview(check: FileCheck, index: int, set_id: str) -> str:
    if check.result is None:
        return ""
    text = dumps(check.result.package)
    cut = len(text) > _PREVIEW_CHARS
    more = (f"<p>The first {_PREVIEW_CHARS:,} characters of {len(text):,}: "
            f"<a href='/download/{escape(set_id)}/file-{index}.json'>download the whole package</a>.</p>") if cut else ""
    return (f"<h3>The package</h3>{_counts(check)}<details><summary>Show the package JSON</summary>{more}"
            f"<pre class='json'>{escape(text[:_PREVIEW_CHARS])}</pre></details>")


def _verdict(check: FileCheck) -> str:
    if check.error:
        return "<span class='badge bad'>Not read</span>"
    problems = check.all_problems
    errors = sum(p.severity == "error" for p in problems)
    if check.result is None or errors:
        return f"<span class='badge bad'>{errors} to correct</span>"
    warnings = len(problems) - errors
    return f"<span class='badge ok'>Valid</span>{f' · {warnings} to check' if warnings else ''}"


def _attempts(check: FileCheck) -> str:
    if not check.attempts:
        return ""
    rows = "".join(f"<tr><td>{escape(a.format)}</td><td>{escape(a.outcome)}</td><td>{escape(a.detail)}</td></tr>"
                   for a in check.attempts)
    return ("<details><summary>Formats tried</summary><table><caption>Each format that reads this kind of file, "
            "in the order tried</caption><thead><tr><th scope='col'>Format</th><th scope='col'>Result</th>"
            f"<th scope='col'>What it said</th></tr></thead><tbody>{rows}</tbody></table></details>")


def _file_html(check: FileCheck, index: int, set_id: str) -> str:
    label = check.name
    parts = [f"<section class='file' id='file-{index}' aria-labelledby='file-{index}-h'>"
             f"<h2 id='file-{index}-h'>{escape(label)} {_verdict(check)}</h2>",
             f"<p>{escape(check.kind[:1].upper() + check.kind[1:])}.</p>"]
    if check.error:
        parts.append(f"<div class='alert' role='alert'><p>{escape(check.error)}</p></div>")
    if check.why:
        parts.append(f"<p><strong>Format:</strong> {escape(check.why)}</p>")
    parts.append(_attempts(check))
    coverage = check.result.coverage if check.result is not None else None
    if coverage is not None:
        parts.append(f"<p><strong>Read:</strong> {escape(str(coverage))}. Every piece not read is listed among the "
                     "problems, with its place.</p>")
    if check.result is not None or (check.problems and not check.error):
        parts.append(f"<h3>Problems</h3>{_problems_html(check.all_problems, label)}")
    parts.append(_preview(check, index, set_id))
    parts.append("</section>")
    return "".join(parts)


def _downloads(checked: CheckedSet, set_id: str) -> str:
    base = f"/download/{escape(set_id)}"
    items = [f"<li><a href='{base}/file-{i}.json'>{escape(f.name)}: the package (JSON)</a></li>"
             for i, f in enumerate(checked.files) if f.result is not None]
    if checked.merged is not None:
        items.append(f"<li><a href='{base}/merged.json'>The package of the whole set (JSON)</a></li>")
    items += [f"<li><a href='{base}/problems.{ext}'>The problem list ({name})</a></li>"
              for ext, name in (("html", "web page"), ("xlsx", "Excel"), ("csv", "CSV"))]
    if checked.report_html:
        items.append(f"<li><a href='{base}/report.html'>The contribution report (web page)</a></li>")
    return f"<section aria-labelledby='downloads-h'><h2 id='downloads-h'>Downloads</h2><ul>{''.join(items)}</ul></section>"


def _summary(checked: CheckedSet) -> str:
    rows = [f"<tr><th scope='row'><a href='#file-{i}'>{escape(check.name)}</a></th>"
            f"<td>{escape(check.format or '-')}</td><td>{_verdict(check)}</td>"
            f"<td>{len(check.all_problems)}</td></tr>" for i, check in enumerate(checked.files)]
    return ("<table class='summary'><caption>Each file, its format and what was found</caption><thead><tr>"
            "<th scope='col'>File</th><th scope='col'>Format</th><th scope='col'>Result</th>"
            f"<th scope='col'>Problems</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _whole_set(checked: CheckedSet, set_id: str) -> str:
    parts = ["<section aria-labelledby='set-h'><h2 id='set-h'>The whole set</h2>"]
    if checked.merged is not None:
        package = checked.merged
        parts.append(f"<p>Together the files make one package: {len(package.organisations)} organisations, "
                     f"{len(package.outcomes)} outcomes, {len(package.contributions)} contributions, "
                     f"{len(package.evidence)} pieces of evidence.</p>")
    parts.extend(f"<p>{escape(note)}</p>" for note in (checked.merge_note, checked.report_note) if note)
    if checked.report_html:
        parts.append(f"<p><a href='/report/{escape(set_id)}'>Open the contribution report of the whole set</a> "
                     "(who contributes to which outcome, and how strong the evidence is).</p>")
    if checked.merge_problems:
        parts.append(f"<details><summary>What merging the files noticed ({len(checked.merge_problems)})</summary>"
                     f"{_problems_html(checked.merge_problems, 'the whole set')}</details>")
    parts.append("</section>")
    return "".join(parts)


def results_page(checked: CheckedSet, *, set_id: str, keep_minutes: int) -> str:
    """
    The results of a checked set: a summary, the downloads, the whole set, then each file.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.web import build_set, check_file
        >>> checked = build_set([check_file(sharedoutcomes.example_package_path(), name="returns.json")])
        >>> html = results_page(checked, set_id="abc", keep_minutes=30)
        >>> "returns.json" in html and "/download/abc/merged.json" in html
        True
    """
    n = len(checked.files)
    body = (f"<h1>What was found in {n} file{'' if n == 1 else 's'}</h1>{_summary(checked)}"
            f"<p class='hint'>These results are kept for {keep_minutes} minutes for downloading, then forgotten. "
            "<a href='/'>Check more files</a>.</p>"
            f"{_downloads(checked, set_id)}{_whole_set(checked, set_id)}"
            + "".join(_file_html(check, i, set_id) for i, check in enumerate(checked.files)))
    return _page(f"Results for {n} file{'' if n == 1 else 's'}", body)


def rule_page(kind: ProblemType) -> str:
    """
    One problem's explanation, from the catalogue: what it means, an example, what to do.

    Example:
        >>> "What to do" in rule_page(catalogue()["period-order"])
        True
    """
    body = (f"<h1>{escape(kind.summary)}</h1><p class='hint'>Problem <code>{escape(kind.id)}</code> · "
            f"{escape(_SEVERITY.get(kind.severity, kind.severity))} unless a validation profile says otherwise</p>"
            f"<h2>What it means</h2><p>{escape(kind.explanation)}</p>"
            f"<h2>For example</h2><p>{escape(kind.example)}</p>"
            f"<h2>What to do</h2><p>{escape(kind.action)}</p>")
    return _page(kind.summary, body)


def error_page(title: str, lines: Iterable[str]) -> str:
    """
    A page that says what went wrong and what to do.

    Example:
        >>> "too big" in error_page("Upload too big", ["The files are too big."]).lower()
        True
    """
    text = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return _page(title, f"<h1>{escape(title)}</h1><div class='alert' role='alert'>{text}</div>"
                        "<p><a href='/'>Back to the upload page</a></p>")
