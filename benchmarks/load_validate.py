"""
Load and validate a package of 100,000 evidence records, every way, in one run.

    .venv/bin/python benchmarks/load_validate.py              # 100,000 records, 5 repeats
    .venv/bin/python benchmarks/load_validate.py --records 20000 --repeat 3 --reference-records 2000

Compares, on the same bytes held in memory:

- ``orjson.loads``: parsing only, no validation (the floor);
- pydantic v2 ``Package.model_validate_json``: an equivalent model written below, with the
  schema's constraints (enums, patterns, minimum lengths, ranges, ``extra="forbid"``);
- msgspec ``Decoder(Package).decode``: the same model as msgspec Structs;
- sharedoutcomes, reference path (``fast=False``): ``json`` + ``jsonschema`` + semantic rules
  + cattrs with the attrs validators;
- sharedoutcomes, fast path (the default with the ``fast`` extra): ``orjson`` + a ``jsonschema-rs``
  gate + the same semantic rules + trusted structuring.

Every method also runs with the cyclic garbage collector paused by the caller (``-no-gc``): each row
is compared with pydantic in the same collector state. The library itself never pauses it.

To compare with an earlier version in the same session, run the script with that checkout's source
first on the path (``PYTHONPATH=../old/src .venv/bin/python benchmarks/load_validate.py …``): the
package is generated with the ``schema_version`` of the library being measured.

Throughput is records per second over the median wall-clock time of the repeats (the median CPU
time is shown beside it: on a shared machine it is the steadier figure). Dropping each call's
result is timed too, and the CPU time of call + drop is the like-for-like total: `validate` frees
the data it parsed before it returns, inside its call, while pydantic's model and a `Package` are
freed when the caller drops them, which the call alone leaves out. The reference
path is measured on a smaller package from the same generator (``--reference-records``,
5,000 by default): it is linear in the number of records and takes many minutes on 100,000. Memory per record is what the
built objects retain, measured with ``tracemalloc`` in a separate pass (traced allocations still
alive after the call, with the input bytes excluded), divided by the number of evidence records.

The generated package is written to ``benchmarks/_data/`` (git-ignored) and reused while the
generator and record count are unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import msgspec
import orjson
from msgspec import Meta
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
)

import sharedoutcomes
from sharedoutcomes.model import (
    SCHEMA_VERSION,  # the library's own version: a baseline checkout reads its own
)
from sharedoutcomes.validation import load, validate

HERE = Path(__file__).parent
DATA = HERE / "_data"
GENERATOR_VERSION = 3  # 3: the Star areas are the registered instruments' item codes

# -- the data -------------------------------------------------------------------------------

# The areas of the registered instruments (outcomes-star/recovery-star/4, outcomes-star/carers-star/1), so
# that the package is valid and has no warnings: a realistic package, checked by the instrument rules too.
RECOVERY_STAR = ("Managing mental health", "Physical health", "Living skills", "Friends and community",
                 "Use of time", "Relationships", "Addictive behaviour", "Home", "Identity and self-esteem",
                 "Trust and hope")
CARERS_STAR = ("Health", "The caring role", "Managing at home", "Time for yourself", "How you feel", "Finances",
               "Work")
ORGS = (
    ("GB-NHS-NAHSCP", "North Ayrshire Health and Social Care Partnership", "public", "hscp"),
    ("GB-SC-SC045123", "Garnock Valley Men's Shed", "third", "charity"),
    ("GB-SC-SC038977", "Unity Carers Centre", "third", "charity"),
    ("GB-SC-SC029411", "Three Towns Recovery Cafe", "third", "charity"),
    ("GB-SC-SC051876", "Arran Community Link", "third", "charity"),
    ("GB-COH-SC612345", "Ayrshire Active Travel CIC", "third", "social-enterprise"),
    ("GB-LAS-NAY", "North Ayrshire Council", "public", "council"),
    ("GB-SC-SC011302", "The Ayrshire Community Trust", "third", "tsi"),
)
FILES = ("star-export-2024-q1.xlsx", "star-export-2024-q2.xlsx", "Star Online export (Oct-Dec).xlsx",
         "star-export-2025-q1.xlsx")
FORMS = ("garnock-shed-return-q4.docx", "unity-carers-q3.docx", "recovery-cafe-monitoring.xlsx")


def _slug(label: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in label.lower()).split())


def generate(records: int, seed: int = 2025) -> dict[str, Any]:
    """A valid, realistic package holding *records* evidence records (1–10 values each)."""
    rng = random.Random(seed)
    start = dt.date(2023, 4, 1)
    days = 730
    organisations = [
        {"id": oid, "name": name, "sector": sector, "kind": kind, "locality": "North Ayrshire"}
        for oid, name, sector, kind in ORGS
    ]
    activities = []
    for i, (oid, _name, _sector, _kind) in enumerate(ORGS[1:6]):
        activities.append({
            "id": f"act-{i + 1}", "title": f"Community support programme {i + 1}", "kind": "service",
            "participants": [{"organisation_id": oid, "role": "lead"},
                             {"organisation_id": "GB-NHS-NAHSCP", "role": "funder"}],
            "period": {"start": "2023-04-01", "end": "2025-03-31"}, "locality": "North Ayrshire",
            "funding": [{"funder_id": "GB-NHS-NAHSCP", "fund": "Integrated Care Fund",
                         "amount": {"amount": 18500 + 1000 * i, "currency": "GBP"},
                         "grant_id": f"360G-NAHSCP-ICF-2023-{i:03d}"}],
        })
    outcomes = [
        {"id": f"out-{n}", "title": f"National Health and Wellbeing Outcome {n}", "level": "population",
         "framework": "scot-nhwo", "code": str(n)}
        for n in range(1, 10)
    ]
    outcomes += [
        {"id": f"out-local-{i}", "title": f"Local outcome {i}", "level": "person", "broader": [f"out-{1 + i % 9}"],
         "mappings": [{"framework": "scot-nhwo", "code": str(1 + i % 9), "relation": "broad"}]}
        for i in range(12)
    ]
    indicators = [
        {"id": f"ind-{i}", "title": f"Indicator {i}", "outcome_ids": [f"out-local-{i}"], "unit": "people",
         "direction": "higher-is-better", "aggregation": ("per-period", "cumulative", "snapshot")[i % 3],
         "baseline": {"value": 10 + i}, "targets": [{"value": 40 + i, "period": {"start": "2024-04-01",
                                                                                  "end": "2025-03-31"}}]}
        for i in range(10)
    ]
    contributions = [
        {"id": f"con-{i}", "organisation_id": activities[i % 5]["participants"][0]["organisation_id"],
         "activity_id": activities[i % 5]["id"], "outcome_id": f"out-local-{i % 12}", "role": "direct",
         "pathway": "Regular sessions build confidence and friendships", "pathway_stage": "behaviour",
         "assumptions": ["People referred attend a first session"], "external_factors": ["Bus cuts in 2024"]}
        for i in range(15)
    ]
    people = [f"P-{rng.getrandbits(24):06X}" for _ in range(max(1, records // 5))]
    evidence = []
    for i in range(records):
        activity = activities[i % 5]
        org = activity["participants"][0]["organisation_id"]
        date = start + dt.timedelta(days=rng.randrange(days))
        roll = rng.random()
        record: dict[str, Any] = {"id": f"ev-{i:07d}"}
        if roll < 0.45:
            star, edition, areas = (("recovery-star", "4", RECOVERY_STAR) if i % 3 else ("carers-star", "1", CARERS_STAR))
            person = rng.choice(people)
            reading = 1 + rng.randrange(6)
            record.update({
                "kind": "assessment", "summary": f"{star.replace('-', ' ').title()} reading {reading}",
                "date": date.isoformat(), "subject": {"type": "person", "id": person},
                "activity_id": activity["id"], "collected_by": org, "method": "Keyworker review with the person",
                "instrument": f"outcomes-star/{star}/{edition}",
                "values": [{"code": _slug(a), "label": a, "value": rng.randint(1, 10), "scale_min": 1,
                            "scale_max": 10} for a in areas],
                "consent": "given", "sensitivity": "personal", "purpose": "both",
                "provenance": {"source_system": "Star Online", "original_format": "outcomes-star",
                               "file": rng.choice(FILES), "sheet": "Readings", "row": 2 + i % 5000,
                               "converted_by": "outcomes-star", "converter_version": "0.1.0"},
                "extension_data": {"outcomes-star": {"star": star, "edition": edition, "reading_number": reading,
                                                     "status": "approved", "completion_type": "collaborative"}},
            })
        elif roll < 0.65:
            record.update({
                "kind": "survey", "summary": "SWEMWBS at review", "date": date.isoformat(),
                "subject": {"type": "person", "id": rng.choice(people)}, "activity_id": activity["id"],
                "collected_by": org, "method": "Self-completed questionnaire", "instrument": "SWEMWBS",
                "values": [{"code": f"swemwbs-{k}", "value": rng.randint(1, 5), "scale_min": 1, "scale_max": 5}
                           for k in range(1, 8)],
                "consent": "given", "sensitivity": "personal", "purpose": "learning",
                "provenance": {"original_format": "north-ayrshire-form", "file": rng.choice(FORMS),
                               "sheet": "Survey", "row": 2 + i % 300, "question": "Q4: Wellbeing"},
            })
        elif roll < 0.80:
            first = date.replace(day=1)
            record.update({
                "kind": "count", "summary": f"People supported, {first:%B %Y}",
                "period": {"start": first.isoformat(), "end": (first + dt.timedelta(days=27)).isoformat()},
                "subject": {"type": "cohort", "size": rng.randint(5, 80), "description": "People supported"},
                "activity_id": activity["id"], "collected_by": org, "method": "Attendance register",
                "values": [{"code": code, "value": rng.randint(0, 120), "unit": "people",
                            "indicator_id": f"ind-{(i + k) % 10}"}
                           for k, code in enumerate(("people-supported", "new-referrals", "sessions")[
                               :1 + rng.randrange(3)])],
                "consent": "not-required", "sensitivity": "internal", "purpose": "accountability",
                "provenance": {"original_format": "north-ayrshire-form", "file": rng.choice(FORMS),
                               "sheet": "Table 6", "row": 2 + i % 40, "question": "F1: Indicators"},
            })
        elif roll < 0.90:
            record.update({
                "kind": "measurement", "summary": "Weekly steps", "date": date.isoformat(),
                "subject": {"type": "person", "id": rng.choice(people)}, "activity_id": activity["id"],
                "collected_by": org, "method": "Pedometer", "instrument": "pedometer",
                "values": [{"code": "steps", "value": rng.randint(2000, 90000), "unit": "steps"},
                           {"code": "active-minutes", "value": round(rng.uniform(0, 600), 1), "unit": "minutes"}],
                "consent": "given", "sensitivity": "personal", "purpose": "learning",
            })
        else:
            kind = ("case-study", "quote", "observation")[i % 3]
            record.update({
                "kind": kind, "summary": f"{kind.replace('-', ' ').capitalize()} from a keyworker",
                "date": date.isoformat(), "subject": {"type": "person", "id": rng.choice(people)},
                "activity_id": activity["id"], "collected_by": org,
                "narrative": "He had not left the house for months; now he comes on Tuesdays and Fridays and "
                             f"has started helping newer members ({i}).",
                "values": [{"code": "confidence", "label": "Confidence", "value": rng.choice(("low", "some", "high"))}],
                "evidence_level": 1 + i % 2, "consent": "given-anonymised", "sensitivity": "personal",
                "purpose": "learning",
            })
        evidence.append(record)
    links = [
        {"id": f"lnk-{j}", "evidence_id": f"ev-{rng.randrange(records):07d}", "target_type": "contribution",
         "target_id": f"con-{j % 15}", "relation": ("supports", "illustrates", "contextualises")[j % 3],
         "strength": ("weak", "moderate", "strong")[j % 3], "asserted_by": "GB-NHS-NAHSCP",
         "asserted_on": "2025-04-10"}
        for j in range(max(1, records // 20))
    ]
    return {
        "schema_version": SCHEMA_VERSION, "id": "na-benchmark-2023-25", "title": "North Ayrshire partnership evidence, "
        "2023-25 (benchmark)", "publisher": "GB-NHS-NAHSCP", "produced": "2025-05-14T10:30:00Z",
        "licence": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "period": {"start": "2023-04-01", "end": "2025-03-31"}, "sharing_level": "partners",
        "extensions": [{"name": "outcomes-star", "version": "0.1"}],
        "organisations": organisations, "activities": activities, "outcomes": outcomes, "indicators": indicators,
        "contributions": contributions, "evidence": evidence, "links": links,
    }


def data_file(records: int) -> Path:
    """Generate (once) and return the path of the benchmark package."""
    path = DATA / f"package-{records}-v{GENERATOR_VERSION}-{SCHEMA_VERSION}.json"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        path.write_bytes(orjson.dumps(generate(records)))
    return path


# -- an equivalent pydantic v2 model ----------------------------------------------------------------

ID = r"^[^\s]+$"
ORG_ID = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*-[^\s]+$"
DATE_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$"
Text = Annotated[StrictStr, StringConstraints(min_length=1)]
Id = Annotated[StrictStr, StringConstraints(min_length=1, pattern=ID)]
OrgId = Annotated[StrictStr, StringConstraints(min_length=1, pattern=ORG_ID)]
ExtName = Annotated[StrictStr, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
ExtensionData = Annotated[dict[ExtName, Any], Field(min_length=1)]
Number = StrictInt | StrictFloat


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PPeriod(_Model):
    start: dt.date
    end: dt.date | None = None


class PExtension(_Model):
    name: Annotated[StrictStr, StringConstraints(min_length=1, pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    version: Text
    url: Text | None = None
    description: Text | None = None


class POrganisation(_Model):
    id: OrgId
    name: Text
    sector: Literal["public", "third", "private", "community", "academic"]
    kind: Text | None = None  # an open codelist: any code
    locality: Text | None = None
    url: Text | None = None
    extension_data: ExtensionData | None = None


class PParticipant(_Model):
    organisation_id: OrgId
    role: Literal["lead", "partner", "funder", "commissioner", "referrer"]


class PAmount(_Model):
    amount: Annotated[Number, Field(ge=0)]
    currency: Annotated[StrictStr, StringConstraints(pattern=r"^[A-Z]{3}$")]


class PFunding(_Model):
    funder_id: OrgId | None = None
    fund: Text | None = None
    amount: PAmount | None = None
    grant_id: Text | None = None
    period: PPeriod | None = None


class PActivity(_Model):
    id: Id
    title: Text
    description: Text | None = None
    kind: Text | None = None  # an open codelist
    participants: Annotated[tuple[PParticipant, ...], Field(min_length=1)] = ()
    period: PPeriod | None = None
    locality: Text | None = None
    funding: Annotated[tuple[PFunding, ...], Field(min_length=1)] = ()
    extension_data: ExtensionData | None = None


class PMapping(_Model):
    framework: Id
    code: Text
    relation: Literal["exact", "close", "broad", "narrow", "related"]
    rationale: Text | None = None


class POutcome(_Model):
    id: Id
    title: Text
    description: Text | None = None
    level: Literal["person", "community", "service", "organisation", "system", "population"]
    framework: Id | None = None
    code: Text | None = None
    broader: Annotated[tuple[Text, ...], Field(min_length=1)] = ()
    mappings: Annotated[tuple[PMapping, ...], Field(min_length=1)] = ()
    extension_data: ExtensionData | None = None


class PRate(_Model):
    numerator: Text
    denominator: Text
    per: Annotated[StrictInt, Field(ge=1)] | None = None


class PIndicatorValue(_Model):
    value: Number
    period: PPeriod | None = None
    note: Text | None = None


class PIndicator(_Model):
    id: Id
    title: Text
    description: Text | None = None
    outcome_ids: Annotated[tuple[Text, ...], Field(min_length=1)]
    unit: Text | None = None
    instrument: Text | None = None
    direction: Literal["higher-is-better", "lower-is-better", "neither"]
    aggregation: Literal["per-period", "cumulative", "snapshot"]
    rate: PRate | None = None
    baseline: PIndicatorValue | None = None
    targets: Annotated[tuple[PIndicatorValue, ...], Field(min_length=1)] = ()
    extension_data: ExtensionData | None = None


class PContribution(_Model):
    id: Id
    organisation_id: OrgId
    activity_id: Id | None = None
    outcome_id: Id
    role: Text  # an open codelist
    pathway: Text | None = None
    pathway_stage: Literal["activities", "engagement", "reactions", "learning", "behaviour",
                           "outcomes"] | None = None
    assumptions: Annotated[tuple[Text, ...], Field(min_length=1)] = ()
    external_factors: Annotated[tuple[Text, ...], Field(min_length=1)] = ()
    period: PPeriod | None = None
    extension_data: ExtensionData | None = None


class PSubject(_Model):
    type: Literal["person", "cohort", "population", "service", "organisation"]
    id: Id | None = None
    size: Annotated[StrictInt, Field(ge=0)] | None = None
    description: Text | None = None


class PValue(_Model):
    code: Text
    value: StrictBool | StrictInt | StrictFloat | Text
    label: Text | None = None
    indicator_id: Id | None = None
    unit: Text | None = None
    scale_min: Number | None = None
    scale_max: Number | None = None


class PProvenance(_Model):
    source_system: Text | None = None
    original_format: Text | None = None
    file: Text | None = None
    sheet: Text | None = None
    row: Annotated[StrictInt, Field(ge=1)] | None = None
    column: Text | None = None
    question: Text | None = None
    converted_by: Text | None = None
    converter_version: Text | None = None


class PEvidence(_Model):
    id: Id
    kind: Literal["measurement", "assessment", "survey", "count", "case-study", "quote", "observation",
                  "document", "statistic"]
    summary: Text | None = None
    date: dt.date | None = None
    period: PPeriod | None = None
    subject: PSubject | None = None
    activity_id: Id | None = None
    collected_by: OrgId | None = None
    method: Text | None = None
    instrument: Text | None = None
    values: Annotated[tuple[PValue, ...], Field(min_length=1)] = ()
    narrative: Text | None = None
    evidence_level: Annotated[StrictInt, Field(ge=1, le=5)] | None = None
    consent: Literal["given", "given-anonymised", "refused", "not-required", "unknown"] | None = None
    sensitivity: Literal["open", "internal", "personal", "special-category"] | None = None
    purpose: Literal["learning", "accountability", "both"] | None = None
    provenance: PProvenance | None = None
    extension_data: ExtensionData | None = None


class PLink(_Model):
    id: Id
    evidence_id: Id
    target_type: Literal["contribution", "outcome", "indicator"]
    target_id: Id
    relation: Literal["supports", "challenges", "contextualises", "illustrates"]
    strength: Literal["weak", "moderate", "strong"] | None = None
    rationale: Text | None = None
    asserted_by: OrgId | None = None
    asserted_on: dt.date | None = None
    extension_data: ExtensionData | None = None


class PPackage(_Model):
    schema_version: Literal["0.1", "0.2"]
    id: Id
    title: Text
    description: Text | None = None
    publisher: OrgId
    produced: Annotated[StrictStr, StringConstraints(pattern=DATE_TIME)]
    licence: Text | None = None
    period: PPeriod | None = None
    sharing_level: Literal["public", "partners", "personal"]
    extensions: Annotated[tuple[PExtension, ...], Field(min_length=1)] = ()
    organisations: Annotated[tuple[POrganisation, ...], Field(min_length=1)] = ()
    activities: Annotated[tuple[PActivity, ...], Field(min_length=1)] = ()
    outcomes: Annotated[tuple[POutcome, ...], Field(min_length=1)] = ()
    indicators: Annotated[tuple[PIndicator, ...], Field(min_length=1)] = ()
    contributions: Annotated[tuple[PContribution, ...], Field(min_length=1)] = ()
    evidence: Annotated[tuple[PEvidence, ...], Field(min_length=1)] = ()
    links: Annotated[tuple[PLink, ...], Field(min_length=1)] = ()
    extension_data: ExtensionData | None = None


# -- an equivalent msgspec model ----------------------------------------------------------------
# The same constraints as the pydantic model, as msgspec Structs (strict by default: no coercion;
# ``forbid_unknown_fields`` is pydantic's ``extra="forbid"``; frozen, with the default garbage-collector
# tracking, as the other models are).

MText = Annotated[str, Meta(min_length=1)]
MId = Annotated[str, Meta(min_length=1, pattern=ID)]
MOrgId = Annotated[str, Meta(min_length=1, pattern=ORG_ID)]
MExtName = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
MExtensionData = Annotated[dict[MExtName, Any], Meta(min_length=1)]
MNumber = int | float


class _Struct(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    pass


class MPeriod(_Struct):
    start: dt.date
    end: dt.date | None = None


class MExtension(_Struct):
    name: Annotated[str, Meta(min_length=1, pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    version: MText
    url: MText | None = None
    description: MText | None = None


class MOrganisation(_Struct):
    id: MOrgId
    name: MText
    sector: Literal["public", "third", "private", "community", "academic"]
    kind: MText | None = None
    locality: MText | None = None
    url: MText | None = None
    extension_data: MExtensionData | None = None


class MParticipant(_Struct):
    organisation_id: MOrgId
    role: Literal["lead", "partner", "funder", "commissioner", "referrer"]


class MAmount(_Struct):
    amount: Annotated[int, Meta(ge=0)] | Annotated[float, Meta(ge=0)]
    currency: Annotated[str, Meta(pattern=r"^[A-Z]{3}$")]


class MFunding(_Struct):
    funder_id: MOrgId | None = None
    fund: MText | None = None
    amount: MAmount | None = None
    grant_id: MText | None = None
    period: MPeriod | None = None


class MActivity(_Struct):
    id: MId
    title: MText
    description: MText | None = None
    kind: MText | None = None
    participants: Annotated[tuple[MParticipant, ...], Meta(min_length=1)] = ()
    period: MPeriod | None = None
    locality: MText | None = None
    funding: Annotated[tuple[MFunding, ...], Meta(min_length=1)] = ()
    extension_data: MExtensionData | None = None


class MMapping(_Struct):
    framework: MId
    code: MText
    relation: Literal["exact", "close", "broad", "narrow", "related"]
    rationale: MText | None = None


class MOutcome(_Struct):
    id: MId
    title: MText
    level: Literal["person", "community", "service", "organisation", "system", "population"]
    description: MText | None = None
    framework: MId | None = None
    code: MText | None = None
    broader: Annotated[tuple[MText, ...], Meta(min_length=1)] = ()
    mappings: Annotated[tuple[MMapping, ...], Meta(min_length=1)] = ()
    extension_data: MExtensionData | None = None


class MRate(_Struct):
    numerator: MText
    denominator: MText
    per: Annotated[int, Meta(ge=1)] | None = None


class MIndicatorValue(_Struct):
    value: MNumber
    period: MPeriod | None = None
    note: MText | None = None


class MIndicator(_Struct):
    id: MId
    title: MText
    outcome_ids: Annotated[tuple[MText, ...], Meta(min_length=1)]
    direction: Literal["higher-is-better", "lower-is-better", "neither"]
    aggregation: Literal["per-period", "cumulative", "snapshot"]
    description: MText | None = None
    unit: MText | None = None
    instrument: MText | None = None
    rate: MRate | None = None
    baseline: MIndicatorValue | None = None
    targets: Annotated[tuple[MIndicatorValue, ...], Meta(min_length=1)] = ()
    extension_data: MExtensionData | None = None


class MContribution(_Struct):
    id: MId
    organisation_id: MOrgId
    outcome_id: MId
    role: MText
    activity_id: MId | None = None
    pathway: MText | None = None
    pathway_stage: Literal["activities", "engagement", "reactions", "learning", "behaviour",
                           "outcomes"] | None = None
    assumptions: Annotated[tuple[MText, ...], Meta(min_length=1)] = ()
    external_factors: Annotated[tuple[MText, ...], Meta(min_length=1)] = ()
    period: MPeriod | None = None
    extension_data: MExtensionData | None = None


class MSubject(_Struct):
    type: Literal["person", "cohort", "population", "service", "organisation"]
    id: MId | None = None
    size: Annotated[int, Meta(ge=0)] | None = None
    description: MText | None = None


class MValue(_Struct):
    code: MText
    value: bool | int | float | MText
    label: MText | None = None
    indicator_id: MId | None = None
    unit: MText | None = None
    scale_min: MNumber | None = None
    scale_max: MNumber | None = None


class MProvenance(_Struct):
    source_system: MText | None = None
    original_format: MText | None = None
    file: MText | None = None
    sheet: MText | None = None
    row: Annotated[int, Meta(ge=1)] | None = None
    column: MText | None = None
    question: MText | None = None
    converted_by: MText | None = None
    converter_version: MText | None = None


class MEvidence(_Struct):
    id: MId
    kind: Literal["measurement", "assessment", "survey", "count", "case-study", "quote", "observation",
                  "document", "statistic"]
    summary: MText | None = None
    date: dt.date | None = None
    period: MPeriod | None = None
    subject: MSubject | None = None
    activity_id: MId | None = None
    collected_by: MOrgId | None = None
    method: MText | None = None
    instrument: MText | None = None
    values: Annotated[tuple[MValue, ...], Meta(min_length=1)] = ()
    narrative: MText | None = None
    evidence_level: Annotated[int, Meta(ge=1, le=5)] | None = None
    consent: Literal["given", "given-anonymised", "refused", "not-required", "unknown"] | None = None
    sensitivity: Literal["open", "internal", "personal", "special-category"] | None = None
    purpose: Literal["learning", "accountability", "both"] | None = None
    provenance: MProvenance | None = None
    extension_data: MExtensionData | None = None


class MLink(_Struct):
    id: MId
    evidence_id: MId
    target_type: Literal["contribution", "outcome", "indicator"]
    target_id: MId
    relation: Literal["supports", "challenges", "contextualises", "illustrates"]
    strength: Literal["weak", "moderate", "strong"] | None = None
    rationale: MText | None = None
    asserted_by: MOrgId | None = None
    asserted_on: dt.date | None = None
    extension_data: MExtensionData | None = None


class MPackage(_Struct):
    schema_version: Literal["0.1", "0.2"]
    id: MId
    title: MText
    publisher: MOrgId
    produced: Annotated[str, Meta(pattern=DATE_TIME)]
    sharing_level: Literal["public", "partners", "personal"]
    description: MText | None = None
    licence: MText | None = None
    period: MPeriod | None = None
    extensions: Annotated[tuple[MExtension, ...], Meta(min_length=1)] = ()
    organisations: Annotated[tuple[MOrganisation, ...], Meta(min_length=1)] = ()
    activities: Annotated[tuple[MActivity, ...], Meta(min_length=1)] = ()
    outcomes: Annotated[tuple[MOutcome, ...], Meta(min_length=1)] = ()
    indicators: Annotated[tuple[MIndicator, ...], Meta(min_length=1)] = ()
    contributions: Annotated[tuple[MContribution, ...], Meta(min_length=1)] = ()
    evidence: Annotated[tuple[MEvidence, ...], Meta(min_length=1)] = ()
    links: Annotated[tuple[MLink, ...], Meta(min_length=1)] = ()
    extension_data: MExtensionData | None = None


_MSGSPEC: Final = msgspec.json.Decoder(MPackage)


# -- measuring ------------------------------------------------------------------------------------


def _orjson(raw: bytes) -> Any:
    return orjson.loads(raw)


def _pydantic(raw: bytes) -> Any:
    return PPackage.model_validate_json(raw)


def _msgspec(raw: bytes) -> Any:
    return _MSGSPEC.decode(raw)


def _reference(raw: bytes) -> Any:
    return load(raw, fast=False)


def _fast(raw: bytes) -> Any:
    return load(raw, fast=True)


def _paused(function: Callable[[bytes], Any]) -> Callable[[bytes], Any]:
    """*function* with the cyclic collector paused around it by the caller, as 0.1's fast path did by itself."""

    def run(raw: bytes) -> Any:
        was = gc.isenabled()
        gc.disable()
        try:
            return function(raw)
        finally:
            if was:
                gc.enable()

    return run


def _reference_validate(raw: bytes) -> Any:
    report = validate(raw, fast=False)
    assert report.ok, report.to_text()[:2000]
    return report


def _fast_validate(raw: bytes) -> Any:
    report = validate(raw, fast=True)
    assert report.ok, report.to_text()[:2000]
    return report


METHODS: dict[str, tuple[str, Callable[[bytes], Any]]] = {
    "orjson": ("orjson.loads (parse only)", _orjson),
    "orjson-no-gc": ("orjson.loads, caller paused GC", _paused(_orjson)),
    "pydantic": ("pydantic v2 model_validate_json", _pydantic),
    "pydantic-no-gc": ("pydantic v2, caller paused GC", _paused(_pydantic)),
    "msgspec": ("msgspec Struct decode", _msgspec),
    "msgspec-no-gc": ("msgspec, caller paused GC", _paused(_msgspec)),
    "reference": ("sharedoutcomes.load(fast=False)", _reference),
    "reference-no-gc": ("sharedoutcomes.load(fast=False), paused GC", _paused(_reference)),
    "fast": ("sharedoutcomes.load (fast path)", _fast),
    "fast-no-gc": ("sharedoutcomes.load, caller paused GC", _paused(_fast)),
    "reference-validate": ("sharedoutcomes.validate(fast=False)", _reference_validate),
    "reference-validate-no-gc": ("sharedoutcomes.validate(fast=False), paused", _paused(_reference_validate)),
    "fast-validate": ("sharedoutcomes.validate (fast path)", _fast_validate),
    "fast-validate-no-gc": ("sharedoutcomes.validate, caller paused GC", _paused(_fast_validate)),
}


def time_it(function: Callable[[bytes], Any], raw: bytes,
            repeat: int) -> tuple[list[float], list[float], list[float]]:
    """
    Wall-clock and CPU seconds of *repeat* calls, and the CPU seconds of dropping each call's result.

    The drop is timed on its own: what a method builds is
    freed either inside the call (`validate` frees the data it parsed before it returns its
    report) or when its caller drops the result (pydantic's model, a `Package`). Call + drop is
    the like-for-like total; the call alone is shown too.
    """
    times, cpu, drop = [], [], []
    for _ in range(repeat):
        gc.collect()
        begin, begin_cpu = time.perf_counter(), time.process_time()
        result = function(raw)
        times.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
        begin_cpu = time.process_time()
        del result  # the last reference: what the call built is freed here (freeing starts no collection)
        drop.append(time.process_time() - begin_cpu)
    return times, cpu, drop


def retained_bytes(function: Callable[[bytes], Any], raw: bytes) -> int:
    """Bytes that tracemalloc sees allocated and still alive while the result is held."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = function(raw)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del result
    return after - before


def _ratio(pydantic: dict[str, Any] | None, row: dict[str, Any], key: str) -> float | None:
    """How many times pydantic's CPU seconds a record *row* takes, by *key*'s seconds (``None`` without pydantic)."""
    if pydantic is None or not row[key]:
        return None
    return float((pydantic[key] / pydantic["records"]) / (row[key] / row["records"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each fast method (median reported)")
    parser.add_argument("--reference-repeat", type=int, default=1, help="timed runs of the reference path")
    parser.add_argument("--reference-records", type=int, default=5_000,
                        help="the reference path is measured on a package of this many records (it is linear, "
                             "and takes minutes on 100,000)")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated: " + ", ".join(METHODS))
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)

    path = data_file(args.records)
    raw = path.read_bytes()
    print(f"{path.name}: {len(raw) / 1e6:.1f} MB, {args.records:,} evidence records")
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"sharedoutcomes {sharedoutcomes.__version__}")
    # Warm up: build the validators, schemas and structuring functions once, outside the timings.
    small = orjson.dumps(generate(50))
    for name in args.methods.split(","):
        METHODS[name][1](small)

    reference_raw = data_file(args.reference_records).read_bytes() if args.reference_records else raw
    rows = []
    for name in args.methods.split(","):
        label, function = METHODS[name]
        reference = name.startswith("reference")
        repeat = args.reference_repeat if reference else args.repeat
        data, records = (reference_raw, args.reference_records) if reference else (raw, args.records)
        times, cpu, drop = time_it(function, data, repeat)
        median = statistics.median(times)
        memory = (None if args.no_memory or "validate" in name or name.startswith("orjson")
                  else retained_bytes(function, data))
        rows.append({"method": name, "label": label, "records": records, "runs": repeat, "median_s": median,
                     "median_cpu_s": statistics.median(cpu), "records_per_s": records / median,
                     "median_cpu_with_drop_s": statistics.median(c + d for c, d in zip(cpu, drop, strict=True)),
                     "bytes_per_record": None if memory is None else memory / records})
        print(f"  {label} ({records:,} records): {', '.join(f'{t:.3f}' for t in times)} s wall, "
              f"{', '.join(f'{t:.3f}' for t in cpu)} s CPU, dropping the result "
              f"{', '.join(f'{t:.3f}' for t in drop)} s CPU", file=sys.stderr)

    # Each row is compared with pydantic in the same collector state (on, or paused by the caller).
    pydantic = {gc_paused: next((r for r in rows if r["method"] == ("pydantic-no-gc" if gc_paused else "pydantic")),
                                None) for gc_paused in (False, True)}
    print()
    print(f"| {'method':<44} | records | runs | median s | CPU s | CPU s + drop | records/s | × pydantic "
          "| × pydantic, CPU | × pydantic, CPU + drop | bytes/record |")
    print(f"|{'-' * 46}|---------|------|----------|-------|--------------|-----------|------------|"
          "-----------------|------------------------|--------------|")
    for row in rows:
        same = pydantic[row["method"].endswith("-no-gc")]
        row["x_pydantic"] = row["records_per_s"] / same["records_per_s"] if same else None
        row["x_pydantic_cpu"] = _ratio(same, row, "median_cpu_s")
        row["x_pydantic_cpu_with_drop"] = _ratio(same, row, "median_cpu_with_drop_s")
        ratios = ["n/a" if row[key] is None else f"{row[key]:.2f}"
                  for key in ("x_pydantic", "x_pydantic_cpu", "x_pydantic_cpu_with_drop")]
        memory = "" if row["bytes_per_record"] is None else f"{row['bytes_per_record']:,.0f}"
        print(f"| {row['label']:<44} | {row['records']:>7,} | {row['runs']:>4} | {row['median_s']:>8.3f} "
              f"| {row['median_cpu_s']:>5.2f} | {row['median_cpu_with_drop_s']:>12.2f} "
              f"| {row['records_per_s']:>9,.0f} | {ratios[0]:>10} | {ratios[1]:>15} | {ratios[2]:>22} "
              f"| {memory:>12} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
