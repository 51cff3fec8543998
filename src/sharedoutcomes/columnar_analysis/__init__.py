"""
Analyses on columns, in process and on Dask: Star distance travelled, cohort change, snapshots, change, roll-ups.

The same figures as the object analyses (`sharedoutcomes.star_analysis`, `sharedoutcomes.change`
and `sharedoutcomes.rollup`), tested equal, worked out by Polars queries over the Arrow tables of
`sharedoutcomes.columnar` (``from_package``, ``convert``, ``read_parquet``): each function takes
those tables (or a package) and returns its result as Polars DataFrames (``.to_arrow()`` for a
``pyarrow.Table``); a roll-up returns the `sharedoutcomes.rollup.Rollup` itself.

Beyond one machine, `write_dataset` cuts the tables into a partitioned Parquet dataset and
`validate_dataset`, `dask_distance_travelled`, `dask_cohort_change` and `dask_snapshot` run the batch checks and
the Star analyses on it with ``dask.distributed``, one task per part: the same problems and figures
as in process. Needs the ``columnar`` extra (pyarrow, Polars) and, for Dask, the ``dask`` extra.

Example:
    >>> from sharedoutcomes.columnar_analysis import cohort_change, example_tables
    >>> result = cohort_change(example_tables())
    >>> result.table.select("label", "n", "mean_change", "median_change").row(-1)
    ('All areas', 12, 1.75, 2.0)
"""

from sharedoutcomes.columnar_analysis._change import (
    CHANGE_COLUMNS,
    SUMMARY_COLUMNS,
    InstrumentChange,
    change,
)
from sharedoutcomes.columnar_analysis._dask import (
    dask_cohort_change,
    dask_distance_travelled,
    dask_snapshot,
    validate_dataset,
)
from sharedoutcomes.columnar_analysis._dataset import Dataset, DatasetError, read_dataset, write_dataset
from sharedoutcomes.columnar_analysis._readings import SCORE_COLUMNS, StarTables
from sharedoutcomes.columnar_analysis._rollup import rollup, rollups
from sharedoutcomes.columnar_analysis._stars import (
    COHORT_COLUMNS,
    DISTANCE_COLUMNS,
    EXCLUDED_COLUMNS,
    StarCohort,
    StarDistance,
    StarSnapshot,
    cohort_change,
    distance_travelled,
    example_tables,
    readings,
    snapshot,
)

__all__ = [
    "CHANGE_COLUMNS",
    "COHORT_COLUMNS",
    "DISTANCE_COLUMNS",
    "EXCLUDED_COLUMNS",
    "SCORE_COLUMNS",
    "SUMMARY_COLUMNS",
    "Dataset",
    "DatasetError",
    "InstrumentChange",
    "StarCohort",
    "StarDistance",
    "StarSnapshot",
    "StarTables",
    "change",
    "cohort_change",
    "dask_cohort_change",
    "dask_distance_travelled",
    "dask_snapshot",
    "distance_travelled",
    "example_tables",
    "read_dataset",
    "readings",
    "rollup",
    "rollups",
    "snapshot",
    "validate_dataset",
    "write_dataset",
]
