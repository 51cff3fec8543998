"""The ``tables-csv`` and ``tables-xlsx`` formats, kept at their 0.1 path; they live in `sharedoutcomes.tables`."""

from sharedoutcomes.tables._format import *  # noqa: F403
from sharedoutcomes.tables._format import __all__  # noqa: F401 - the same public names
