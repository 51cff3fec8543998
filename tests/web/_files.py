"""Real files for the validator page's tests: North Ayrshire returns (Word and Excel, as filled) and Star exports."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Final

from sharedoutcomes.forms import _docx as forms_docx
from sharedoutcomes.forms import _xlsx as forms_xlsx

ROOT: Final = Path(__file__).resolve().parents[2]
STAR_EXPORT: Final = ROOT / "tests" / "stars" / "data" / "star-online-wide.csv"
STAR_WORKBOOK: Final = ROOT / "tests" / "stars" / "data" / "home-star-merged.xlsx"
SURVEY: Final = ROOT / "tests" / "surveys" / "data" / "swemwbs-befriending.csv"
GRANTS: Final = ROOT / "tests" / "threesixtygiving" / "data" / "scottish-quirks.csv"
PACKAGE: Final = ROOT / "tests" / "merge" / "data" / "garnock-shed-q4.json"

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_forms import PROFILE, content  # noqa: E402 - the benchmark's generated returns, the same as the load test


def write_returns(folder: Path, n: int, *, bad: int | None = None) -> list[Path]:
    """Write *n* filled North Ayrshire returns (alternately Excel and Word); return *bad* has a target that is no number."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        filled = content(i + 1)
        if i == bad:
            filled.rows["indicators"][0]["target"] = "about forty"
        ending = "docx" if i % 2 else "xlsx"
        path = folder / f"return-{i + 1:02d}.{ending}"
        (forms_docx.render if i % 2 else forms_xlsx.render)(PROFILE, filled, path)
        paths.append(path)
    return paths


@cache
def returns_bytes(n: int, bad: int | None = None) -> tuple[tuple[str, bytes], ...]:
    """The bytes of `write_returns` (built once per test session)."""
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        return tuple((p.name, p.read_bytes()) for p in write_returns(Path(work), n, bad=bad))
