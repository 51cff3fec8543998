"""
Evidence on a registered instrument: its values checked against the instrument's items and scales.

An evidence item whose ``instrument`` names a registered instrument (by id or name: ``wemwbs``,
``SWEMWBS``, ``outcomes-star/recovery-star/4``) has its values checked without needing
``scale_min`` and ``scale_max`` on each: unknown item codes, impossible answers, impossible totals
and totals that disagree with the items (the ``instrument`` problem family). Evidence on an
instrument the registry does not know is left to the semantic rules.
"""

from __future__ import annotations

from collections.abc import Iterator

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
    found: dict[str, Instrument | None] = {}
    for i, evidence in enumerate(ctx.data.get("evidence", ())):
        name = evidence.get("instrument")
        if name is None or "values" not in evidence:
            continue
        if name not in found:
            found[name] = known.find(name)
        instrument = found[name]
        if instrument is not None:
            yield from check_values(instrument, evidence["values"], ["evidence", i, "values"])
