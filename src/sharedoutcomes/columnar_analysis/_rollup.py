"""
Indicator roll-ups over columnar evidence: the values of the indicator found on columns, rolled up by `sharedoutcomes.rollup`.

A roll-up reads few values (one or three per piece of evidence that reports the indicator) out of
many, and its semantics (per-period sums, latest values of cumulative and snapshot indicators, pooled
rates, overlapping periods, values straddling the window) are subtle. So the values of the
indicator are found with a vectorised filter of the values table, only the evidence that holds
them is turned back into objects, and `sharedoutcomes.rollup.rollup` rolls them up: the figures
are its figures by construction, and each problem's path is put back at the evidence's place in
the whole package.

The public names are exported from `sharedoutcomes.columnar_analysis`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

import attrs

from sharedoutcomes import columnar
from sharedoutcomes._optional import require
from sharedoutcomes.exceptions import UnknownName
from sharedoutcomes.model import Package
from sharedoutcomes.rollup import Rollup
from sharedoutcomes.rollup import rollup as object_rollup

_EVIDENCE_PATH: Final = re.compile(r"^\$\.evidence\[(\d+)\]")


def _holding(tables: Any, indicator_id: str) -> tuple[Package, list[int]]:
    """The package with only the evidence that has a value of *indicator_id*, and those items' places."""
    pc = require("pyarrow.compute", extra="columnar", purpose="columnar roll-ups", distribution="pyarrow")
    pa = require("pyarrow", extra="columnar", purpose="columnar roll-ups")
    values = tables.values
    mine = values.filter(pc.equal(values.column("indicator_id"), indicator_id))
    positions = sorted(set(mine.column("evidence_index").to_pylist()))
    wanted = pa.array(positions, pa.int64())

    def keep(table: Any) -> Any:
        return table.filter(pc.is_in(table.column("evidence_index"), value_set=wanted))

    chosen = columnar.EvidenceTables(evidence=keep(tables.evidence), values=keep(values),
                                     subjects=keep(tables.subjects), provenance=keep(tables.provenance))
    return chosen.to_package(), positions


def _placed(result: Rollup, positions: list[int]) -> Rollup:
    """The roll-up with each problem's path at its evidence's place in the whole package."""
    problems = []
    for problem in result.problems:
        match = _EVIDENCE_PATH.match(problem.path)
        if match is not None:
            problem = attrs.evolve(problem, path=f"$.evidence[{positions[int(match.group(1))]}]"  # noqa: PLW2901
                                   f"{problem.path[match.end():]}")
        problems.append(problem)
    return attrs.evolve(result, problems=tuple(problems))


def rollup(tables: Any, indicator_id: str, *, start: Any = None, end: Any = None,
           organisations: Iterable[str] | None = None) -> Rollup:
    """
    Roll an indicator up over columnar evidence: the `Rollup` `sharedoutcomes.rollup.rollup` gives for the package.

    Raises:
        UnknownName: The package has no indicator with that id.

    Example:
        >>> import datetime as dt
        >>> from sharedoutcomes import example_package
        >>> from sharedoutcomes.columnar import from_package
        >>> tables = from_package(example_package())
        >>> rollup(tables, "ind-breaks").value, rollup(tables, "ind-less-isolated").value
        (68, 74.2)
        >>> rollup(tables, "ind-breaks", start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30)).value
        27
    """
    tables = columnar.from_package(tables) if isinstance(tables, Package) else tables
    known = [i.get("id") for i in tables.package_data.get("indicators", ()) if isinstance(i, dict)]
    if indicator_id not in known:
        raise UnknownName(indicator_id, known=[str(k) for k in known], what="indicator")
    package, positions = _holding(tables, indicator_id)
    chosen = None if organisations is None else tuple(organisations)
    return _placed(object_rollup(package, indicator_id, start=start, end=end, organisations=chosen), positions)


def rollups(tables: Any, *, start: Any = None, end: Any = None) -> tuple[Rollup, ...]:
    """
    Every indicator of the package rolled up over one window (as `sharedoutcomes.rollup.rollups`).

    Example:
        >>> from sharedoutcomes import example_package
        >>> [(r.indicator_id, r.value) for r in rollups(example_package())][:2]
        [('ind-members', 43), ('ind-less-isolated', 74.2)]
    """
    tables = columnar.from_package(tables) if isinstance(tables, Package) else tables
    return tuple(rollup(tables, str(i["id"]), start=start, end=end)
                 for i in tables.package_data.get("indicators", ()) if isinstance(i, dict))
