"""
Refresh ``validation/data/org-id-register.csv``, the bundled list of org-id.guide prefixes.

Run ``python -m sharedoutcomes._devtools.orgid_register PATH`` with PATH a checkout of the
repository ``org-id/register`` (its ``lists/<country>/<prefix>.json`` files). The list is ODbL:
keep ``org-id-register-LICENSE.txt`` beside it and the source commit in its README.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Final

TARGET: Final = Path(__file__).resolve().parents[1] / "validation" / "data" / "org-id-register.csv"
COLUMNS: Final = ("code", "name", "coverage", "confirmed", "deprecated")


def rows(register: Path) -> list[dict[str, str]]:
    """
    One row per list of the register, sorted by code: its prefix, English name, coverage, status.

    Example:
        >>> rows(Path("/nonexistent"))
        []
    """
    out = []
    for path in sorted((register / "lists").glob("*/*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        out.append({
            "code": entry["code"],
            "name": " ".join(((entry.get("name") or {}).get("en") or "").split()),
            "coverage": " ".join(entry.get("coverage") or []),
            "confirmed": "yes" if entry.get("confirmed") else "no",
            "deprecated": "yes" if entry.get("deprecated") else "no",
        })
    return sorted(out, key=lambda row: row["code"])


def main(argv: list[str]) -> int:
    """Write the CSV from the checkout named in *argv*; 2 when no path is given."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    found = rows(Path(argv[0]))
    with TARGET.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(found)
    print(f"{len(found)} prefixes written to {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
