"""A tiny, made-up cohort of Outcomes Star readings for examples and docstrings."""

from __future__ import annotations

import datetime as dt

from sharedoutcomes.model import Evidence, EvidenceSubject, EvidenceValue

__all__ = ["example_evidence", "star_evidence"]

_AREAS = (("home", "Home"), ("money", "Money"), ("health", "Health"), ("work", "Work"))

# person, date, scores (home, money, health, work), worker, service, status
_READINGS = (
    ("A", "2024-03-01", (2, 3, 5, 3), "Ann", "Garnock", "approved"),
    ("A", "2024-06-15", (4, 5, 5, 4), "Ann", "Garnock", "approved"),
    ("A", "2024-09-20", (6, 6, 6, 5), "Ann", "Garnock", "approved"),
    ("B", "2024-04-10", (3, 4, 6, 2), "Ann", "Garnock", "approved"),
    ("B", "2024-10-01", (3, 5, 7, 6), "Ann", "Garnock", "approved"),
    ("C", "2024-05-05", (4, 2, 3, 4), "Raj", "Irvine", "approved"),
    ("C", "2024-08-01", (9, 9, 9, 9), "Raj", "Irvine", "in-progress"),
    ("C", "2025-01-10", (6, 4, 2, 6), "Raj", "Irvine", "approved"),
    ("D", "2024-07-01", (5, 1, 4, 2), "Raj", "Irvine", "approved"),
)


def star_evidence(
    evidence_id: str,
    person: str,
    date: str | dt.date,
    scores: dict[str, int],
    *,
    star: str = "example-star",
    edition: str = "1",
    labels: dict[str, str] | None = None,
    scale_max: int = 10,
    **meta: object,
) -> Evidence:
    """
    One Star reading as evidence, following the sharedoutcomes Outcomes Star convention.

    *meta* goes into ``extension_data["outcomes-star"]`` (status, worker, service …).

    Example:
        >>> e = star_evidence("r1", "P-1", "2024-05-01", {"home": 4}, status="approved")
        >>> e.instrument, e.values[0].value, e.extension_data["outcomes-star"]["status"]
        ('outcomes-star/example-star/1', 4, 'approved')
    """
    labels = labels or {}
    day = dt.date.fromisoformat(date) if isinstance(date, str) else date
    values = tuple(
        EvidenceValue(code=code, value=score, label=labels.get(code, code.replace("-", " ").capitalize()),
                      scale_min=1, scale_max=scale_max)
        for code, score in scores.items()
    )
    extension = {"star": star, "edition": edition, **{k: v for k, v in meta.items() if v is not None}}
    return Evidence(id=evidence_id, kind="assessment", date=day,
                    subject=EvidenceSubject(type="person", id=person),
                    instrument=f"outcomes-star/{star}/{edition}", values=values,
                    extension_data={"outcomes-star": extension})


def example_evidence() -> tuple[Evidence, ...]:
    """
    Nine readings of four people on a four-area example Star (one of them in progress).

    Example:
        >>> len(example_evidence())
        9
    """
    return tuple(
        star_evidence(f"ev-{i + 1}", person, date, dict(zip((a for a, _ in _AREAS), scores, strict=True)),
                      labels=dict(_AREAS), worker=worker, service=service, status=status)
        for i, (person, date, scores, worker, service, status) in enumerate(_READINGS)
    )
