"""
Outcomes Star analyses: distance travelled, cohort change, snapshots, and Star charts.

Pure functions on evidence. A *reading* is one piece of evidence whose instrument is
``outcomes-star/<star>/<edition>`` (one value per outcome area; see the Outcomes Star
convention in the docs). The functions accept a `~sharedoutcomes.Package`, any iterable of
`~sharedoutcomes.Evidence`, or the `StarReadings` returned by `readings`.

Which readings count:

* Only **approved** readings count. A reading's status is read from
  ``extension_data["outcomes-star"]["status"]``; by default a status of ``approved`` counts,
  and so does a reading **with no status at all** (exports that carry no status column, such
  as CRM extracts or Star Online downloads made without in-progress readings, hold approved
  readings only). Pass
  ``statuses=`` and ``include_unstated=False`` to `readings` to change this. Readings left
  out for their status are counted in ``not_counted``, never silently dropped.
* Distance travelled pairs, for each person and area, the **first and latest** counted
  reading of the **same Star edition** (editions have different areas and wording); a
  person needs **at least two** such readings to have a change at all.
* Star scores are **ordinal**: a 6 is above a 4, but the steps are not equal. Every mean
  is reported beside its median, and the percentages improved, same and worse do not
  depend on equal steps at all.

Pandas (``sharedoutcomes[analysis]``) is needed only for ``to_dataframe()``, and
matplotlib (``sharedoutcomes[charts]``) only for the charts; both are imported lazily.

Example:
    >>> from sharedoutcomes.star_analysis import cohort_change, example_readings
    >>> result = cohort_change(example_readings())
    >>> result.overall.n, result.overall.mean_change, result.overall.median_change
    (12, 1.75, 2.0)
"""

from sharedoutcomes.star_analysis._distance import (
    CohortChange,
    DistanceTravelled,
    cohort_change,
    cohort_chart,
    distance_travelled,
)
from sharedoutcomes.star_analysis._examples import example_evidence
from sharedoutcomes.star_analysis._person import ChartPath as ChartPath
from sharedoutcomes.star_analysis._person import person_chart
from sharedoutcomes.star_analysis._readings import (
    COUNTED_STATUSES,
    INSTRUMENT_PREFIX,
    MixedReadings,
    StarReading,
    StarReadings,
    example_readings,
    readings,
)
from sharedoutcomes.star_analysis._readings import DateWindow as DateWindow
from sharedoutcomes.star_analysis._readings import Names as Names
from sharedoutcomes.star_analysis._rows import AreaChange, Exclusion, PersonAreaChange
from sharedoutcomes.star_analysis._selection import Source as Source
from sharedoutcomes.star_analysis._snapshot import AreaStages, Snapshot, snapshot

__all__ = [
    "COUNTED_STATUSES",
    "INSTRUMENT_PREFIX",
    "AreaChange",
    "AreaStages",
    "CohortChange",
    "DistanceTravelled",
    "Exclusion",
    "MixedReadings",
    "PersonAreaChange",
    "Snapshot",
    "StarReading",
    "StarReadings",
    "cohort_change",
    "cohort_chart",
    "distance_travelled",
    "example_evidence",
    "example_readings",
    "person_chart",
    "readings",
    "snapshot",
]
