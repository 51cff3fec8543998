"""
Evidence on a registered instrument: its values checked against the instrument's items and scales.

An evidence item whose ``instrument`` names a registered instrument (by id or name: ``wemwbs``,
``SWEMWBS``, ``outcomes-star/recovery-star/4``) has its values checked without needing
``scale_min`` and ``scale_max`` on each: unknown item codes, impossible answers, impossible totals
and totals that disagree with the items (the ``instrument`` problem family). Evidence on an
instrument the registry does not know is left to the semantic rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sharedoutcomes.instruments import Instrument, check_values, registry
from sharedoutcomes.problems import Problem
from sharedoutcomes.validation._context import Context

__all__ = ["check_instruments"]


def check_instruments(ctx: Context) -> Iterator[Problem]:
    """
    The instrument problems of every piece of evidence on a registered instrument, in evidence order.

    Example:
        >>> from sharedoutcomes.validation._context import Context
        >>> from sharedoutcomes.validation._evidence import check_evidence
        >>> data = {"sharing_level": "personal", "evidence": [
        ...     {"id": "e1", "kind": "survey", "instrument": "WEMWBS", "values": [{"code": "total", "value": 75}]}]}
        >>> [str(p) for p in check_instruments(Context(data, check_evidence))]
        ['$.evidence[0].values[0].value: a total of 75 is impossible: it runs 14–70 [instrument.impossible-total]']
    """
    known = registry()
    found: dict[str, tuple[Instrument, Mapping[str, tuple[Any, Any]]] | None] = {}
    for i, evidence in enumerate(ctx.data.get("evidence", ())):
        name = evidence.get("instrument")
        if name is None or "values" not in evidence:
            continue
        if name not in found:
            instrument = known.find(name)
            found[name] = None if instrument is None else (instrument, _scales(instrument))
        entry = found[name]
        if entry is not None and not _all_in_scale(entry[1], evidence["values"]):
            yield from check_values(entry[0], evidence["values"], ["evidence", i, "values"])


def _scales(instrument: Instrument) -> Mapping[str, tuple[Any, Any]]:
    """Each item's own code (as ``Instrument.item`` finds it first), with its scale."""
    summaries = {summary.code for summary in (instrument.total, instrument.metric) if summary is not None}
    return {item.code: (item.minimum, item.maximum) for item in instrument.items if item.code not in summaries}


def _all_in_scale(scales: Mapping[str, tuple[Any, Any]], values: Iterable[Mapping[str, Any]]) -> bool:
    """
    Whether every value is an item by its own code, a whole number inside the item's scale, with no other scale.

    Such values give `check_values` nothing to report: every code is known, every answer possible,
    no scale disagrees, and with no recorded total or metric nothing can disagree with the items.
    The usual case, decided here without building the problems' paths.
    """
    for value in values:
        scale = scales.get(value["code"])
        number = value["value"]
        if scale is None or type(number) is not int or not scale[0] <= number <= scale[1]:
            return False
        if ("scale_min" in value or "scale_max" in value) and (value.get("scale_min"), value.get("scale_max")) != scale:
            return False
    return True
