"""
INDIGO: the Government Outcomes Lab's data standard for impact bonds and outcomes contracts, in and out.

The ``indigo`` format (`IndigoFormat`) reads INDIGO project JSON, INDIGO's spreadsheet forms
and the INDIGO dataset's published flat tables into a package: each project an activity with its
participants and funding lines (outcome payments), each outcome metric an outcome and its
indicator, each result a piece of count evidence linked to its indicator and to the providers'
contributions. Fields with no place in the model are kept under the ``indigo`` extension
(`EXTENSION_DECLARATION`); `MAPPING` says where everything goes. `to_indigo` writes a package
back as INDIGO project JSON that validates against INDIGO's schema, vendored with the family
(`SCHEMA_PATH`).

Example:
    >>> import sharedoutcomes
    >>> result = sharedoutcomes.convert(sample_path(), format="indigo", publisher="GB-EDU-133808")
    >>> result.package.indicators[0].title
    'Metric 1: Sustainment of caring role (6 months)'
    >>> schema_errors(to_indigo(result.package)[0]["project"]["data"])
    []
"""

from sharedoutcomes.indigo._convention import (
    EXTENSION,
    EXTENSION_DECLARATION,
    INDIGO_VERSION,
    PLACEHOLDER_PUBLISHER,
)
from sharedoutcomes.indigo._export import to_indigo
from sharedoutcomes.indigo._form import FORMS_DIR, PLACEHOLDER, form_layout, form_layouts
from sharedoutcomes.indigo._format import IndigoFormat, sample_path
from sharedoutcomes.indigo._project import MAPPING
from sharedoutcomes.indigo._schema import SCHEMA_PATH, schema, schema_errors
from sharedoutcomes.indigo._tables import column_titles, table_kind
from sharedoutcomes.indigo._values import parse_month, parse_number

__all__ = [
    "EXTENSION",
    "EXTENSION_DECLARATION",
    "FORMS_DIR",
    "INDIGO_VERSION",
    "MAPPING",
    "PLACEHOLDER",
    "PLACEHOLDER_PUBLISHER",
    "SCHEMA_PATH",
    "IndigoFormat",
    "column_titles",
    "form_layout",
    "form_layouts",
    "parse_month",
    "parse_number",
    "sample_path",
    "schema",
    "schema_errors",
    "table_kind",
    "to_indigo",
]
