"""
Crosswalks between frameworks, and the question users ask: which national outcomes does this evidence bear on?

A crosswalk is a data file under ``schemas/crosswalks/<id>.json`` (schema
``crosswalks/crosswalk.schema.json``): mappings from the codes of a source framework to the
codes of a target framework, each with a SKOS relation and a rationale. The bundled
crosswalks are editable defaults, not official mappings:

- ``outcomes-star-to-scot-nhwo``: the areas of the main Outcomes Stars (source codes ``<star-id>:<area-code>``);
- ``talking-points-to-scot-nhwo``: Talking Points personal outcomes;
- ``eng-ascof-to-scot-nhwo``: England's ASCOF, where a comparison is defensible (`Crosswalk.inverse` reads it
  the other way);
- ``scot-core-suite-to-scot-nhwo``: the Core Suite Integration Indicators.

`national_outcomes` follows every route from a piece of evidence to a framework's outcomes:
its links to contributions, outcomes and indicators; the indicators its values are actuals for;
the outcome hierarchy (``broader``); each outcome's own ``mappings``; and crosswalks (for Star
areas in its values, and for outcomes mapped to another framework). Each route is an
`OutcomePath` whose relation is the weakest along the way.

Example:
    >>> from sharedoutcomes import example_package
    >>> package = example_package()
    >>> paths = national_outcomes(package, "ev-carers-breaks-q1")
    >>> [(p.code, p.relation, p.steps[1].kind) for p in paths]
    [('6', 'broad', 'link'), ('6', 'broad', 'value'), ('6', 'broad', 'link'), ('6', 'broad', 'value')]
    >>> print(paths[0])
    scot-nhwo 6 (broad): evidence ev-carers-breaks-q1 → link lnk-9 (supports, strong) → contribution con-carers-breaks → outcome out-carer-breaks → mapping scot-nhwo 6 (broad)
"""

from __future__ import annotations

from sharedoutcomes.frameworks._crosswalk import (
    STAR_FRAMEWORK,
    Crosswalk,
    CrosswalkMapping,
    crosswalk_from_data,
    crosswalks,
    get_crosswalk,
    load_crosswalk,
    weakest_relation,
)
from sharedoutcomes.frameworks._star_links import link_instrument_responses, link_star_readings
from sharedoutcomes.frameworks._targets import (
    INSTRUMENT_FRAMEWORK,
    OutcomePath,
    PathStep,
    instrument_of,
    national_outcomes,
    outcome_targets,
    star_of,
)

__all__ = [
    "INSTRUMENT_FRAMEWORK",
    "STAR_FRAMEWORK",
    "Crosswalk",
    "CrosswalkMapping",
    "OutcomePath",
    "PathStep",
    "crosswalk_from_data",
    "crosswalks",
    "get_crosswalk",
    "instrument_of",
    "link_instrument_responses",
    "link_star_readings",
    "load_crosswalk",
    "national_outcomes",
    "outcome_targets",
    "star_of",
    "weakest_relation",
]
