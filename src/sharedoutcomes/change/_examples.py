"""A small, made-up set of SWEMWBS responses for the examples (three people with a change, one without)."""

from __future__ import annotations

import datetime as dt

from sharedoutcomes.model import Evidence, EvidenceSubject, EvidenceValue

__all__ = ["example_responses"]

_RESPONSES = (
    ("SP-1", dt.date(2024, 5, 2), (2, 3, 2, 3, 2, 3, 3)),
    ("SP-1", dt.date(2024, 8, 1), (3, 3, 2, 3, 3, 3, 3)),
    ("SP-1", dt.date(2024, 11, 28), (3, 3, 3, 3, 3, 3, 3)),
    ("SP-2", dt.date(2024, 5, 9), (2, 2, 2, 2, 2, 3, 2)),
    ("SP-2", dt.date(2024, 12, 5), (3, 3, 3, 3, 3, 4, 3)),
    ("SP-3", dt.date(2024, 6, 13), (3, 3, 3, 3, 3, 3, 2)),
    ("SP-3", dt.date(2024, 12, 12), (3, 3, 2, 3, 3, 3, 3)),
    ("SP-4", dt.date(2024, 10, 3), (4, 3, 3, 4, 3, 4, 3)),
)


def example_responses() -> tuple[Evidence, ...]:
    """
    SWEMWBS responses of four people (made up, for examples): three with two or more, one with one.

    Example:
        >>> len(example_responses()), example_responses()[0].instrument
        (8, 'swemwbs')
    """
    return tuple(
        Evidence(id=f"ev-swemwbs-{person}-{date.isoformat()}", kind="survey", date=date, instrument="swemwbs",
                 subject=EvidenceSubject(type="person", id=person),
                 values=tuple(EvidenceValue(code=f"swemwbs-{i}", value=a) for i, a in enumerate(answers, start=1)))
        for person, date, answers in _RESPONSES)
