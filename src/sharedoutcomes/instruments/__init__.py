"""
Instruments: wellbeing and symptom measures, and the Outcomes Star editions, in one registry.

Each instrument is reference data (a JSON file under ``schemas/instruments/``, in the format of
``instruments/instrument.schema.json``; the Stars come from ``schemas/stars/``): its items with
codes and scales, how it is scored (and what to do when items are missing), its published bands,
the change that counts as meaningful, and the source of each fact with whether it is confirmed.
Only structure is shipped: codes, ranges, scoring tables, bands and citations, never licensed
item wording.

Users add or override instruments from their own file: ``registry().with_file("mine.json")``.

Example:
    >>> from sharedoutcomes.instruments import get
    >>> swemwbs = get("swemwbs")
    >>> [(item.code, item.minimum, item.maximum) for item in swemwbs.items][:2]
    [('swemwbs-1', 1, 5), ('swemwbs-2', 1, 5)]
    >>> score = swemwbs.score({f"swemwbs-{i}": 3 for i in range(1, 8)})
    >>> score.total, score.metric
    (21, 19.25)
"""

from sharedoutcomes.instruments._loader import check_file, json_files, packaged, read_json, reference_schema
from sharedoutcomes.instruments._model import (
    Band,
    Fact,
    Instrument,
    Item,
    MeaningfulChange,
    Summary,
    normalise,
)
from sharedoutcomes.instruments._registry import (
    INSTRUMENT_SCHEMA_ID,
    InstrumentRegistry,
    from_data,
    from_star_data,
    get,
    instruments,
    load_instruments,
    registry,
)
from sharedoutcomes.instruments._scoring import TOLERANCE, Score, check_values, whole

__all__ = [
    "INSTRUMENT_SCHEMA_ID",
    "TOLERANCE",
    "Band",
    "Fact",
    "Instrument",
    "InstrumentRegistry",
    "Item",
    "MeaningfulChange",
    "Score",
    "Summary",
    "check_file",
    "check_values",
    "from_data",
    "from_star_data",
    "get",
    "instruments",
    "json_files",
    "load_instruments",
    "normalise",
    "packaged",
    "read_json",
    "reference_schema",
    "registry",
    "whole",
]
