"""
Evidence on a registered instrument: its values checked against the instrument's items and scales.

An evidence item whose ``instrument`` names a registered instrument (by id or name: ``wemwbs``,
``SWEMWBS``, ``outcomes-star/recovery-star/4``) has its values checked without needing
``scale_min`` and ``scale_max`` on each: unknown item codes, impossible answers, impossible totals
and totals that disagree with the items (the ``instrument`` problem family). Evidence on an
instrument the registry does not know is left to the semantic rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sharedoutcomes.instruments import Instrument
from sharedoutcomes.problems import Problem
from sharedoutcomes.validation._context import Context

__all__ = ["check_instruments", "item_scales"]


def check_instruments(ctx: Context) -> Iterator[Problem]:
    """
    The instrument problems of every piece of evidence on a registered instrument, in evidence order.

    Example:
        >>> from sharedoutcomes.validation._context import Context
        >>> from sharedoutcomes.validation._evidence import check_evidence
        >>> data = {"sharing_level": "personal", "produced": "2025-05-01T09:00:00Z", "evidence": [
        ...     {"id": "e1", "kind": "survey", "instrument": "WEMWBS", "values": [{"code": "total", "value": 75}]}]}
        >>> [str(p) for p in check_instruments(Context(data, check_evidence))]
        ['$.evidence[0].values[0].value: a total of 75 is impossible: it runs 14–70 [instrument.impossible-total]']
    """
    return iter(ctx.evidence.instruments)  # found in the evidence pass, which reads each value once for all rules


def item_scales(instrument: Instrument) -> Mapping[str, tuple[Any, Any]]:
    """Each item's own code (as ``Instrument.item`` finds it first), with its scale."""
    summaries = {summary.code for summary in (instrument.total, instrument.metric) if summary is not None}
    return {item.code: (item.minimum, item.maximum) for item in instrument.items if item.code not in summaries}
