"""
Outcomes Star readings found in evidence: what counts, what is left out, and why.

The public names are exported from `sharedoutcomes.star_analysis`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from attrs import field, frozen

from sharedoutcomes._optional import require
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import Problem, SharedOutcomesError, SourceLocation
from sharedoutcomes.model import Evidence, EvidenceSubject, EvidenceValue, Package, Period
from sharedoutcomes.star_analysis import _tables as tables
from sharedoutcomes.star_analysis._editions import _Edition, _lookup_edition
from sharedoutcomes.star_analysis._examples import example_evidence
from sharedoutcomes.stars import InferredEdition, StarRegistry

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COUNTED_STATUSES",
    "INSTRUMENT_PREFIX",
    "DateWindow",
    "MixedReadings",
    "Names",
    "StarReading",
    "StarReadings",
    "example_readings",
    "readings",
]

INSTRUMENT_PREFIX = "outcomes-star/"
"""Evidence whose ``instrument`` starts with this is an Outcomes Star reading."""

EXTENSION = "outcomes-star"
COUNTED_STATUSES: frozenset[str] = frozenset({"approved"})
"""The reading statuses that count by default (compared ignoring case, spaces and ``_``)."""

DateWindow: TypeAlias = "Period | tuple[dt.date | None, dt.date | None]"
"""A reading-date window, inclusive at both ends; ``None`` leaves that end open."""

Names: TypeAlias = "str | Collection[str] | None"
"""A name, several names, or ``None`` for no filter."""


class MixedReadings(SharedOutcomesError, ValueError):
    """
    The selected readings span more than one Star or edition, and the analysis needs one.

    Example:
        >>> str(MixedReadings("edition", {"3": 2, "4": 5}, star="recovery-star"))
        "The readings are on 2 editions of 'recovery-star': '3' (2 readings), '4' (5 readings). Pass edition=... to choose one."
    """

    def __init__(self, what: Literal["star", "edition"], counts: Mapping[str, int], *,
                 star: str | None = None) -> None:
        super().__init__(what, dict(counts))
        self.what = what
        self.counts = dict(counts)
        self.star = star

    def __str__(self) -> str:
        found = ", ".join(f"{name!r} ({n} reading{'s' if n != 1 else ''})"
                          for name, n in sorted(self.counts.items()))
        where = "Stars" if self.what == "star" else f"editions of {self.star!r}"
        return (f"The readings are on {len(self.counts)} {where}: {found}. "
                f"Pass {self.what}=... to choose one.")


# --------------------------------------------------------------------------- readings


@frozen(kw_only=True)
class StarReading:
    """
    One Outcomes Star reading: a person's scores on every area of one Star edition, on one day.

    Attributes:
        evidence_id: The `id` of the evidence it was read from.
        person: The person's pseudonymous id (the evidence subject).
        star: The Star's id, such as ``"recovery-star"``.
        edition: The edition, such as ``"4"`` (``""`` when the evidence does not say).
        date: The reading date.
        scores: Area code → whole-number score, in the order the evidence lists them.
        labels: Area code → area label, where the evidence gives one.
        status: ``approved``, ``in-progress`` …, or ``None`` when the evidence has none.
        worker, service, organisation, reading_number, completion_type: From
            ``extension_data["outcomes-star"]``, when present.
        position: The evidence's index in the source (breaks ties between same-day readings).

    Example:
        >>> reading = example_readings().readings[0]
        >>> reading.person, reading.instrument, reading.scores["work"]
        ('A', 'outcomes-star/example-star/1', 3)
    """

    evidence_id: str
    person: str
    star: str
    edition: str
    date: dt.date
    scores: Mapping[str, int] = field(factory=dict, hash=False)
    labels: Mapping[str, str] = field(factory=dict, hash=False, repr=False)
    status: str | None = None
    worker: str | None = None
    service: str | None = None
    organisation: str | None = None
    reading_number: int | None = None
    completion_type: str | None = None
    position: int = field(default=0, repr=False)

    @property
    def instrument(self) -> str:
        """The instrument string, ``outcomes-star/<star>/<edition>``."""
        return f"{INSTRUMENT_PREFIX}{self.star}/{self.edition}" if self.edition else f"{INSTRUMENT_PREFIX}{self.star}"

    @property
    def order(self) -> tuple[dt.date, int, int]:
        """How readings sort: by date, then reading number, then position in the source."""
        return (self.date, self.reading_number or 0, self.position)


def _norm_status(status: str) -> str:
    return "-".join(status.strip().lower().replace("_", " ").replace("-", " ").split())


@frozen(kw_only=True)
class StarReadings:
    """
    The Star readings found in some evidence: those that count, those left out, and the problems.

    Attributes:
        readings: The readings that count (approved, or with no status), in source order.
        not_counted: Readings left out for their status (in progress, …).
        problems: Evidence that is a Star reading but cannot be used as it stands, or scores
            that cannot be used (not a whole number, outside the scale), each with its JSON
            path and, for converted data, the row of the original file.

    Example:
        >>> found = example_readings()
        >>> len(found), found.people()
        (8, ('A', 'B', 'C', 'D'))
    """

    readings: tuple[StarReading, ...] = ()
    not_counted: tuple[StarReading, ...] = ()
    problems: tuple[Problem, ...] = ()
    editions: Mapping[tuple[str, str], _Edition] = field(factory=dict, eq=False, repr=False, hash=False)

    def __len__(self) -> int:
        return len(self.readings)

    def __iter__(self) -> Iterator[StarReading]:
        return iter(self.readings)

    def people(self) -> tuple[str, ...]:
        """
        The people with a counted reading, sorted.

        Example:
            >>> example_readings().select(service="Irvine").people()
            ('C', 'D')
        """
        return tuple(sorted({r.person for r in self.readings}))

    def instruments(self) -> dict[str, int]:
        """
        Counted readings per instrument (Star and edition).

        Example:
            >>> example_readings().instruments()
            {'outcomes-star/example-star/1': 8}
        """
        return dict(sorted(Counter(r.instrument for r in self.readings).items()))

    def select(self, *, star: str | None = None, edition: str | None = None, service: Names = None,
               worker: Names = None, period: DateWindow | None = None, person: Names = None) -> StarReadings:
        """
        Keep the readings that match every filter given (a name or a collection of names).

        Example:
            >>> len(example_readings().select(worker="Ann", period=(None, dt.date(2024, 6, 30))))
            3
        """
        start, end = _window(period)
        services, workers, people = _names(service), _names(worker), _names(person)

        def keep(r: StarReading) -> bool:
            return ((star is None or r.star == star) and (edition is None or r.edition == str(edition))
                    and (services is None or r.service in services)
                    and (workers is None or r.worker in workers)
                    and (people is None or r.person in people)
                    and (start is None or r.date >= start) and (end is None or r.date <= end))

        return StarReadings(readings=tuple(filter(keep, self.readings)),
                            not_counted=tuple(filter(keep, self.not_counted)), problems=self.problems,
                            editions=self.editions)

    def to_dataframe(self) -> pd.DataFrame:
        """
        One row per reading and area (tidy form): person, date, edition, area, score, status ….

        Example:
            >>> frame = example_readings().to_dataframe()
            >>> frame.shape, list(frame.columns[:4])
            ((32, 12), ['evidence_id', 'person', 'star', 'edition'])
        """
        pandas = _pandas()
        rows = [
            {"evidence_id": r.evidence_id, "person": r.person, "star": r.star, "edition": r.edition,
             "date": r.date, "reading_number": r.reading_number, "area": area, "score": score,
             "status": r.status, "worker": r.worker, "service": r.service, "organisation": r.organisation}
            for r in self.readings for area, score in r.scores.items()
        ]
        columns = ["evidence_id", "person", "star", "edition", "date", "reading_number", "area", "score",
                   "status", "worker", "service", "organisation"]
        frame: pd.DataFrame = pandas.DataFrame(rows, columns=columns)
        return frame

    def __repr__(self) -> str:
        return (f"<StarReadings: {len(self.readings)} readings of {len(self.people())} people, "
                f"{len(self.not_counted)} not counted, {len(self.problems)} problems>")

    def _repr_html_(self) -> str:
        rows = [[name, n] for name, n in self.instruments().items()]
        n = len(self.not_counted)
        note = (f"{len(self.people())} people; {n} reading{'' if n == 1 else 's'} not counted for their status; "
                f"{len(self.problems)} problems (see .problems).")
        return tables.html_table("Outcomes Star readings", ["instrument", "readings"], rows, note=note)


def readings(source: Package | Iterable[Evidence], *, statuses: Collection[str] = COUNTED_STATUSES,
             include_unstated: bool = True, stars: StarRegistry | None = None) -> StarReadings:
    """
    Find the Outcomes Star readings in *source*.

    Args:
        source: A package, or any iterable of evidence.
        statuses: The statuses that count (compared ignoring case, spaces, ``-`` and ``_``).
        include_unstated: Whether a reading with no status counts (it does by default: see the
            module documentation).
        stars: The Star registry to take areas, scales and stages from (by default the
            built-in one; see `sharedoutcomes.stars.registry`). A Star it does not know is
            analysed with the scale its values declare and five generic stages.

    Returns:
        The readings that count, those left out for their status, and the problems.

    Example:
        >>> from sharedoutcomes import example_package
        >>> found = readings(example_package())
        >>> found
        <StarReadings: 2 readings of 1 people, 0 not counted, 0 problems>
        >>> found.readings[1].scores["time-for-yourself"]
        5
    """
    evidence = source.evidence if isinstance(source, Package) else tuple(source)
    wanted = {_norm_status(s) for s in statuses}
    counted: list[StarReading] = []
    not_counted: list[StarReading] = []
    problems: list[Problem] = []
    editions: dict[tuple[str, str], _Edition] = {}
    for index, item in enumerate(evidence):
        reading = _read(item, index, problems, editions, stars)
        if reading is None:
            continue
        counts = _norm_status(reading.status) in wanted if reading.status is not None else include_unstated
        (counted if counts else not_counted).append(reading)
    return StarReadings(readings=tuple(counted), not_counted=tuple(not_counted), problems=tuple(problems),
                        editions=editions)


def _read(item: Evidence, index: int, problems: list[Problem], editions: dict[tuple[str, str], _Edition],
          stars: StarRegistry | None) -> StarReading | None:
    meta = item.extension_data.get(EXTENSION)
    meta = meta if isinstance(meta, Mapping) else {}
    instrument = item.instrument or ""
    if not instrument.startswith(INSTRUMENT_PREFIX) and not meta:
        return None

    def problem(rule: str, where: tuple[str | int, ...], message: str, value: Any = None) -> None:
        problems.append(Problem(rule=f"star-analysis.{rule}", severity="warning",
                                path=json_path(["evidence", index, *where]),
                                message=f"evidence {item.id!r}: {message}", source=_location(item), value=value))

    star, edition = _named_edition(instrument, meta)
    subject: EvidenceSubject | None = item.subject
    if star is None:
        problem("no-star", ("instrument",), "the instrument does not name a Star", instrument)
        return None
    if subject is None or subject.type != "person" or subject.id is None:
        problem("no-person", ("subject",), "a Star reading needs a person's id as its subject")
        return None
    if item.date is None:
        problem("no-date", ("date",), "a Star reading needs its date")
        return None
    scale, edition = _edition_of(star, edition, item.values, editions, stars)
    scores, labels = _scores(item.values, scale, problem)
    number_text = meta.get("reading_number")
    return StarReading(
        evidence_id=item.id, person=subject.id, star=star, edition=edition or "", date=item.date,
        scores=scores, labels=labels, status=_text(meta.get("status")), worker=_text(meta.get("worker")),
        service=_text(meta.get("service")), organisation=_text(meta.get("organisation")),
        reading_number=number_text if isinstance(number_text, int) and not isinstance(number_text, bool)
        else None,
        completion_type=_text(meta.get("completion_type")), position=index,
    )


def _named_edition(instrument: str, meta: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The Star and edition a reading names: from its instrument, else from its Star metadata."""
    parts = instrument[len(INSTRUMENT_PREFIX):].split("/") if instrument.startswith(INSTRUMENT_PREFIX) else []
    star = (parts[0] if parts and parts[0] else None) or _text(meta.get("star"))
    edition = (parts[1] if len(parts) > 1 and parts[1] else None) or _text(meta.get("edition"))
    return star, edition


def _edition_of(star: str, edition: str | None, values: Sequence[EvidenceValue],
                editions: dict[tuple[str, str], _Edition], stars: StarRegistry | None) -> tuple[_Edition, str | None]:
    """The edition a reading is scored on (looked up once per Star and edition), and the edition's id."""
    scale = editions.get((star, edition or ""))
    if scale is None:
        scale = _lookup_edition(star, edition, values, stars)
        editions[(star, edition or "")] = scale
    if edition and not isinstance(scale, InferredEdition):
        edition = scale.edition  # "3rd edition", "v3" … → the registry's id
        editions[(star, edition)] = scale
    return scale, edition


def _scores(values: Sequence[EvidenceValue], scale: _Edition,
            problem: Callable[[str, tuple[str | int, ...], str, Any], None]) -> tuple[dict[str, int], dict[str, str]]:
    """Area code → score, and area code → label, of the values that are whole scores on the scale."""
    low, high = scale.scale_min, scale.scale_max
    scores: dict[str, int] = {}
    labels: dict[str, str] = {}
    for number, value in enumerate(values):
        where = ("values", number, "value")
        score = value.value
        if isinstance(score, float) and score.is_integer():
            score = int(score)
        if isinstance(score, bool) or not isinstance(score, int):
            problem("score-not-whole", where, f"the score for {value.code!r} is {score!r}, not a whole number",
                    score)
            continue
        if not low <= score <= high:
            problem("score-out-of-scale", where, f"the score for {value.code!r} is {score}, outside the "
                    f"{low}–{high} scale", score)
            continue
        if value.code in scores:
            problem("area-repeated", where, f"the area {value.code!r} is scored twice; the first score is used",
                    score)
            continue
        scores[value.code] = score
        if value.label:
            labels[value.code] = value.label
    return scores, labels


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, Mapping | list | tuple):
        return None
    text = value.strip() if isinstance(value, str) else str(value).strip()
    return text or None


def _location(item: Evidence) -> SourceLocation | None:
    p = item.provenance
    if p is None or (p.file is None and p.row is None):
        return None
    return SourceLocation(file=p.file, sheet=p.sheet, row=p.row, column=p.column)


def _names(value: Names) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset({value}) if isinstance(value, str) else frozenset(value)


def _window(period: DateWindow | None) -> tuple[dt.date | None, dt.date | None]:
    if period is None:
        return None, None
    if isinstance(period, Period):
        return period.start, period.end
    return period


def _pandas() -> Any:
    return require("pandas", extra="analysis", purpose="to_dataframe()")


# --------------------------------------------------------------------------- example


def example_readings() -> StarReadings:
    """
    A tiny made-up cohort for the examples: four people, a four-area Star scored 1–10 (8 counted readings).

    People A, B and C have two or three readings; D has one. Worker Ann supports A and B at the
    Garnock service; Raj supports C and D at Irvine. One of C's readings is in progress.

    Example:
        >>> example_readings()
        <StarReadings: 8 readings of 4 people, 1 not counted, 0 problems>
    """
    return readings(example_evidence())
