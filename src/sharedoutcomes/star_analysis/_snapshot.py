"""
Snapshots: the percentage of people at each Journey of Change stage in each area, at their first or latest reading.

The public names are exported from `sharedoutcomes.star_analysis`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal

from attrs import frozen

from sharedoutcomes.star_analysis import _tables as tables
from sharedoutcomes.star_analysis._readings import DateWindow, Names, StarReading, _pandas
from sharedoutcomes.star_analysis._selection import Source, _area_order, _label, _select, _stage_table

if TYPE_CHECKING:
    import pandas as pd


@frozen(kw_only=True)
class AreaStages:
    """
    How many people were at each Journey of Change stage in one area.

    Example:
        >>> from sharedoutcomes.star_analysis import example_readings
        >>> area = snapshot(example_readings()).areas[0]
        >>> area.label, area.n, area.counts, area.percents
        ('Home', 4, (1, 2, 1, 0, 0), (25.0, 50.0, 25.0, 0.0, 0.0))
    """

    area: str
    label: str
    n: int
    counts: tuple[int, ...]

    @property
    def percents(self) -> tuple[float, ...]:
        """The percentage of the ``n`` people at each stage (all 0 when ``n`` is 0)."""
        return tuple(100 * c / self.n if self.n else 0.0 for c in self.counts)


@frozen(kw_only=True)
class Snapshot:
    """
    The percentage of people at each Journey of Change stage in each area, at one point in support.

    Attributes:
        at: ``"first"`` or ``"latest"``: each person's first or latest counted reading (per area).
        stages: The edition's stage names, stage 1 first.
        areas: One `AreaStages` per area.

    Example:
        >>> from sharedoutcomes.star_analysis import example_readings
        >>> snapshot(example_readings(), at="latest")
        <Snapshot example-star/1 at latest reading: 4 people, 4 areas>
    """

    star: str
    edition: str
    at: Literal["first", "latest"]
    stages: tuple[str, ...]
    areas: tuple[AreaStages, ...]
    people: int
    notes: tuple[str, ...] = ()

    def to_dataframe(self, *, counts: bool = False) -> pd.DataFrame:
        """
        One row per area and one column per stage: percentages, or counts with ``counts=True``.

        Example:
            >>> from sharedoutcomes.star_analysis import example_readings
            >>> print(*snapshot(example_readings()).to_dataframe(counts=True).loc["Home"])
            4 1 2 1 0 0
        """
        pandas = _pandas()
        data = [[a.n, *(a.counts if counts else a.percents)] for a in self.areas]
        frame: pd.DataFrame = pandas.DataFrame(data, columns=["n", *self.stages],
                                           index=pandas.Index([a.label for a in self.areas], name="area"))
        return frame

    def __repr__(self) -> str:
        return (f"<Snapshot {_label(self.star, self.edition)} at {self.at} reading: {self.people} people, "
                f"{len(self.areas)} areas>")

    def _repr_html_(self) -> str:
        rows = [[a.label, a.n, *(f"{p:.0f}% ({c})" for p, c in zip(a.percents, a.counts, strict=True))]
                for a in self.areas]
        return tables.html_table(f"Snapshot at {self.at} reading: {_label(self.star, self.edition)}",
                                 ["area", "n", *self.stages], rows, note=" ".join(self.notes))


def snapshot(source: Source, *, at: Literal["first", "latest"] = "first", star: str | None = None,
             edition: str | None = None, service: Names = None, worker: Names = None,
             period: DateWindow | None = None) -> Snapshot:
    """
    The percentage of people at each Journey of Change stage in each area, at their first or latest reading.

    Everyone with a counted reading is included (one reading is enough). For each area, a
    person's first (or latest) reading with a score in that area is used.

    Raises:
        MixedReadings: The readings span several Stars or editions and *star* / *edition*
            was not given.
        ValueError: *at* is not ``"first"`` or ``"latest"``.

    Example:
        >>> from sharedoutcomes.star_analysis import example_readings
        >>> entry = snapshot(example_readings(), at="first")
        >>> entry.stages[:2], [a.counts[0] for a in entry.areas]
        (('Stage 1', 'Stage 2'), [1, 2, 0, 2])
    """
    if at not in ("first", "latest"):
        msg = f"at must be 'first' or 'latest', not {at!r}"
        raise ValueError(msg)
    chosen = _select(source, star=star, edition=edition, service=service, worker=worker, period=period,
                     single_edition=True)
    edition_id, star_edition = next(iter(chosen.editions.items()), ("", None))
    stage_names = tuple(star_edition.stages) if star_edition is not None else ()
    areas = _area_order(chosen.editions.values(), chosen.readings)
    by_person: dict[str, list[StarReading]] = defaultdict(list)
    for reading in chosen.readings:
        by_person[reading.person].append(reading)
    for found in by_person.values():
        found.sort(key=lambda r: r.order, reverse=at == "latest")
    result: list[AreaStages] = []
    stages = _stage_table(star_edition) if star_edition is not None else {}
    for area, label in areas.items():
        counts = [0] * len(stage_names)
        for found in by_person.values():
            score = next((r.scores[area] for r in found if area in r.scores), None)
            if score is not None and star_edition is not None:
                counts[(stages.get(score) or star_edition.stage_of(score)) - 1] += 1
        if sum(counts):
            result.append(AreaStages(area=area, label=label, n=sum(counts), counts=tuple(counts)))
    return Snapshot(star=chosen.star, edition=edition_id, at=at, stages=stage_names, areas=tuple(result),
                    people=len(by_person), notes=chosen.notes)

