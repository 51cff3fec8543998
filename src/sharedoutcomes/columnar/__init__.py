"""
Columnar evidence: a package's evidence, values, subjects and provenance as Apache Arrow tables.

Needs the ``columnar`` extra (``pip install 'sharedoutcomes[columnar]'``): pyarrow, and Polars
for the vectorised checks. The layout of the tables is documented in `sharedoutcomes.columnar`'s
reference page and computed from the model (`layout`).

Example:
    >>> from sharedoutcomes.columnar import LAYOUT_VERSION, layout
    >>> LAYOUT_VERSION, tuple(layout())
    ('1', ('evidence', 'values', 'subjects', 'provenance'))
"""

from sharedoutcomes.columnar._convert import (
    ColumnarResult,
    ColumnarStream,
    ValidatedBatch,
    concat,
    convert,
    iter_convert,
)
from sharedoutcomes.columnar._layout import (
    CARRIED_ELSEWHERE,
    LAYOUT_KEY,
    LAYOUT_VERSION,
    PACKAGE_KEY,
    TABLE_KEY,
    TABLES,
    VALUE_TYPES,
    Column,
    TableLayout,
    arrow_schema,
    layout,
)
from sharedoutcomes.columnar._registry import (
    BUILT_IN_READERS,
    ColumnarBatches,
    ColumnarRead,
    ColumnarReader,
    columnar_reader,
    register_columnar_reader,
    unregister_columnar_reader,
)
from sharedoutcomes.columnar._tables import ColumnarError, EvidenceTables, from_package, read_parquet
from sharedoutcomes.columnar._validate import validate

__all__ = [
    "BUILT_IN_READERS",
    "CARRIED_ELSEWHERE",
    "LAYOUT_KEY",
    "LAYOUT_VERSION",
    "PACKAGE_KEY",
    "TABLES",
    "TABLE_KEY",
    "VALUE_TYPES",
    "Column",
    "ColumnarBatches",
    "ColumnarError",
    "ColumnarRead",
    "ColumnarReader",
    "ColumnarResult",
    "ColumnarStream",
    "EvidenceTables",
    "TableLayout",
    "ValidatedBatch",
    "arrow_schema",
    "columnar_reader",
    "concat",
    "convert",
    "from_package",
    "iter_convert",
    "layout",
    "read_parquet",
    "register_columnar_reader",
    "unregister_columnar_reader",
    "validate",
]
