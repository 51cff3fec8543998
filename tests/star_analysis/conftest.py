"""Fixtures for the Star analysis tests: hand-built readings and the messy test package."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from sharedoutcomes import Evidence, EvidenceSubject, EvidenceValue, Package
from sharedoutcomes.serialization import from_json_data

DATA = Path(__file__).parent / "data"

MakeReading = Callable[..., Evidence]


def make_reading(
    person: str,
    date: str,
    scores: Sequence[int | float | str] | dict[str, Any],
    *,
    star: str = "homelessness-star",
    edition: str = "3",
    evidence_id: str | None = None,
    areas: Sequence[str] | None = None,
    scale_max: int = 10,
    **meta: Any,
) -> Evidence:
    """One reading; *scores* in the order of *areas* (by default a, b, c …) or as a dict."""
    if not isinstance(scores, dict):
        codes = list(areas) if areas is not None else [chr(ord("a") + i) for i in range(len(scores))]
        scores = dict(zip(codes, scores, strict=True))
    values = tuple(EvidenceValue(code=code, value=value, label=code.replace("-", " ").capitalize(),
                                 scale_min=1, scale_max=scale_max) for code, value in scores.items())
    extension = {"star": star, "edition": edition, **{k: v for k, v in meta.items() if v is not None}}
    return Evidence(
        id=evidence_id or f"ev-{person}-{date}-{len(meta)}",
        kind="assessment",
        date=dt.date.fromisoformat(date),
        subject=EvidenceSubject(type="person", id=person),
        instrument=f"outcomes-star/{star}/{edition}",
        values=values,
        extension_data={"outcomes-star": extension},
    )


@pytest.fixture
def reading() -> MakeReading:
    return make_reading


@pytest.fixture
def messy() -> Package:
    """Recovery Star readings with the usual mess (see data/messy-recovery-star.json)."""
    data = json.loads((DATA / "messy-recovery-star.json").read_text(encoding="utf-8"))
    return from_json_data(data, Package)


# Homelessness Star, edition 3: stage = ceil(score / 2) (Stuck 1-2, Accepting help 3-4, …).
# P4 has one reading; P5's second reading is in progress, so P5 has one counted reading.


@pytest.fixture
def cohort(reading: MakeReading) -> list[Evidence]:
    north, south = {"service": "North"}, {"service": "South"}
    return [
        reading("P1", "2024-01-10", [2, 5], worker="W1", **north),
        reading("P1", "2024-04-10", [3, 5], worker="W1", **north),
        reading("P1", "2024-07-10", [6, 4], worker="W1", **north),
        reading("P2", "2024-02-01", [4, 4], worker="W2", **north),
        reading("P2", "2024-08-01", [4, 7], worker="W2", **north),
        reading("P3", "2024-03-01", [1, 9], worker="W2", **south),
        reading("P3", "2024-09-01", [2, 10], worker="W2", **south),
        reading("P4", "2024-03-15", [5, 5], worker="W2", **south),
        reading("P5", "2024-01-05", [7, 3], worker="W2", status="approved", **south),
        reading("P5", "2024-06-05", [9, 9], worker="W2", status="in-progress", **south),
    ]
