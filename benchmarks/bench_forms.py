"""
Time reading and writing monitoring forms, and converting a folder of returns.

Usage: .venv/bin/python benchmarks/bench_forms.py [N_RETURNS ...]   (default: 30)

Writes N filled returns (half Word, half Excel) to a temporary folder, then times
`template`, `write_form`, `read_form` and `convert_folder`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sharedoutcomes.forms import _docx as _forms_docx
from sharedoutcomes.forms import _xlsx as _forms_xlsx
from sharedoutcomes.forms import convert_folder, get_profile, read_form, template, write_form
from sharedoutcomes.forms._content import FormContent

PROFILE = get_profile("north-ayrshire")


def content(n: int) -> FormContent:
    answers = {"org_name": f"Project {n} Trust", "oscr": f"SC{n:06d}", "project_name": f"Project {n}",
               "project_ref": f"ICF-2024-{n:03d}", "funder": "NAHSCP", "fund": "Integrated Care Fund",
               "amount_awarded": "£18,500", "period_start": "01/04/2024", "period_end": "30/06/2024",
               "nhwo": "1, 4", "people_new": str(10 + n), "people_existing": "30",
               "challenges": "Winter weather reduced attendance.", "signed_date": "15 July 2024"}
    rows = {
        "outcomes": [{"number": str(i), "title": f"Outcome {i} for people", "nhwo": "1, 4",
                      "pathway": "Weekly sessions", "evidence": "Attendance grew.", "rag": "Green"}
                     for i in range(1, 5)],
        "indicators": [{"outcome": str(i % 4 + 1), "title": f"Indicator {i}", "unit": "people", "baseline": "10",
                        "target": "40", "actual": str(20 + i)} for i in range(1, 9)],
        "stories": [{"kind": "Case study", "story": "A story of change.", "outcomes": "1", "consent": "Yes"},
                    {"kind": "Quote", "story": "It helped me.", "outcomes": "2", "consent": "Yes"}],
        "outputs": [{"activity": "Sessions", "planned": "36", "actual": "34", "unit": "sessions"}],
        "finance": [{"item": "Staff", "budget": "£12,000", "actual": "£3,000"}],
    }
    return FormContent(answers=answers, rows=rows)


def timed(label: str, func, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = min(_once(func) for _ in range(repeat))
    print(f"{label:<44} {best:7.3f} s")
    return best


def _once(func) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main(sizes: list[int]) -> None:
    work = Path(tempfile.mkdtemp())
    timed("template north-ayrshire docx", lambda: template(PROFILE, work / "blank.docx"))
    timed("template north-ayrshire xlsx", lambda: template(PROFILE, work / "blank.xlsx"))
    _forms_docx.render(PROFILE, content(1), work / "one.docx")
    _forms_xlsx.render(PROFILE, content(2), work / "one.xlsx")
    timed("read_form, one filled docx (4 outcomes, 8 ind.)", lambda: read_form(work / "one.docx"))
    timed("read_form, one filled xlsx", lambda: read_form(work / "one.xlsx"))
    package = read_form(work / "one.docx").package
    timed("write_form docx", lambda: write_form(package, work / "back.docx"))
    timed("write_form xlsx", lambda: write_form(package, work / "back.xlsx"))
    for n in sizes:
        folder = work / f"returns-{n}"
        folder.mkdir()
        for i in range(n):
            render = _forms_docx.render if i % 2 else _forms_xlsx.render
            render(PROFILE, content(i + 1), folder / f"return-{i:03d}.{'docx' if i % 2 else 'xlsx'}")
        seconds = timed(f"convert_folder, {n} returns", lambda f=folder: convert_folder(f, progress=False), 1)
        batch = convert_folder(folder, progress=False)
        assert batch.package is not None
        print(f"  -> {len(batch.package.organisations)} organisations, {len(batch.package.evidence)} evidence, "
              f"{seconds / n:.2f} s per return")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [30])
