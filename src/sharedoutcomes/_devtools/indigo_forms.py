"""
Make the bundled layouts of INDIGO's spreadsheet forms (``indigo/data/forms/<form>.json``) from the blank forms.

Run ``python -m sharedoutcomes._devtools.indigo_forms BLANK.xlsx …`` with INDIGO's blank forms (the database
app's ``indigo/spreadsheetform_guides/*.xlsx``); each becomes a layout named after its file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sharedoutcomes._optional import require
from sharedoutcomes.indigo import FORMS_DIR, form_layout


def cells(path: Path) -> Iterator[tuple[str, str, Any]]:
    """Every non-empty cell of the workbook at *path*: (sheet, coordinate, value)."""
    openpyxl = require("openpyxl", extra="xlsx", purpose="reading INDIGO's blank forms")
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None and str(cell.value).strip() and hasattr(cell, "coordinate"):
                        yield sheet.title, cell.coordinate, cell.value
    finally:
        book.close()


def render(path: Path) -> str:
    """The layout of the blank form at *path*, as the JSON text bundled with the family."""
    return json.dumps(form_layout(cells(path)), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Write the layout of each blank form named in *argv*."""
    for name in argv:
        path = Path(name)
        (FORMS_DIR / f"{path.stem}.json").write_text(render(path), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
