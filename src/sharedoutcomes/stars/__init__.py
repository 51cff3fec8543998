"""
Outcomes Star reference data: Stars, editions, outcome areas, scales and Journey of Change stages.

The data are JSON files under ``schemas/stars/`` (one per Star, in the format of
``stars/star.schema.json``), so tools in any language can use them. Only structure is
shipped (codes, names, area labels, stage names): never the licensed scale descriptions.
What the sources do not confirm is marked as such (`StarEdition.unconfirmed`).

Users add or override a Star or an edition from their own JSON file, without code:
``registry().with_file("my-star.json")`` returns a new registry (the default one is
never changed), which the ``outcomes-star`` format accepts as ``stars=``.

The family also reads and writes Star exports: `OutcomesStarFormat` (the ``outcomes-star``
format), and `iter_readings` / `to_jsonl` to stream an export's readings in constant memory;
with the ``columnar`` extra, `iter_reading_tables` streams them as Arrow tables (the reader that
``sharedoutcomes.columnar.convert`` uses for the ``outcomes-star`` format).

Example:
    >>> from sharedoutcomes.stars import get_star
    >>> star = get_star("recovery-star")
    >>> star.edition, star.instrument
    ('4', 'outcomes-star/recovery-star/4')
    >>> star.match_area("MANAGING MENTAL-HEALTH").code
    'managing-mental-health'
    >>> star.stage_of(6), star.stage_name(6)
    (3, 'Believing')
"""

from sharedoutcomes.stars._columnar import iter_reading_tables
from sharedoutcomes.stars._convention import DEFAULT_HEADERS, PLACEHOLDER_ORGANISATION, ROLES
from sharedoutcomes.stars._convert import OutcomesStarFormat
from sharedoutcomes.stars._edition import StarArea, StarEdition
from sharedoutcomes.stars._format import (
    DEFAULT_SHARING_LEVEL,
    EXTENSION_DECLARATION,
    WIDE_HEADERS,
    package_document,
    sample_path,
    wide_rows,
)
from sharedoutcomes.stars._inferred import InferredEdition, edition_or_inferred
from sharedoutcomes.stars._labels import area_code, normalise_label
from sharedoutcomes.stars._reader import ReadingStream
from sharedoutcomes.stars._registry import (
    STAR_SCHEMA_ID,
    UNCONFIRMABLE,
    StarRegistry,
    find_star,
    get_star,
    load_stars,
    registry,
    stars,
)
from sharedoutcomes.stars._stream import JsonlSummary, iter_readings, to_jsonl

__all__ = [
    "DEFAULT_HEADERS",
    "DEFAULT_SHARING_LEVEL",
    "EXTENSION_DECLARATION",
    "PLACEHOLDER_ORGANISATION",
    "ROLES",
    "STAR_SCHEMA_ID",
    "UNCONFIRMABLE",
    "WIDE_HEADERS",
    "InferredEdition",
    "JsonlSummary",
    "OutcomesStarFormat",
    "ReadingStream",
    "StarArea",
    "StarEdition",
    "StarRegistry",
    "area_code",
    "edition_or_inferred",
    "find_star",
    "get_star",
    "iter_reading_tables",
    "iter_readings",
    "load_stars",
    "normalise_label",
    "package_document",
    "registry",
    "sample_path",
    "stars",
    "to_jsonl",
    "wide_rows",
]
