"""Helpers shared by the story modules: dates, plain JSON data, DataFrames."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from sharedoutcomes._optional import require
from sharedoutcomes.model import Period
from sharedoutcomes.serialization import to_json_data

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["frame", "plain", "when"]


def when(date: dt.date | None, period: Period | None) -> dt.date | None:
    """
    A date, else the end (or start) of a period.

    Example:
        >>> when(None, Period(start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30)))
        datetime.date(2024, 6, 30)
    """
    if date is not None:
        return date
    if period is not None:
        return period.end or period.start
    return None


def frame(rows: list[dict[str, Any]], purpose: str) -> pd.DataFrame:
    """Rows as a pandas DataFrame, or MissingDependency naming the ``analysis`` extra."""
    require("pandas", extra="analysis", purpose=purpose)
    import pandas as pd  # an optional dependency (the analysis extra), imported only when asked for

    return pd.DataFrame(rows)


def plain(obj: Any) -> Any:
    """
    JSON-ready data: model objects in their canonical JSON form, other attrs objects field by field.

    An attrs class may add derived values with a ``_plain_extra()`` method.

    Example:
        >>> plain((Period(start=dt.date(2024, 4, 1)), dt.date(2025, 3, 31)))
        [{'start': '2024-04-01'}, '2025-03-31']
    """
    if type(obj).__module__ == "sharedoutcomes.model":
        return to_json_data(obj)
    if attrs.has(type(obj)):
        data = {a.name: plain(getattr(obj, a.name)) for a in attrs.fields(type(obj))}
        extra = getattr(obj, "_plain_extra", None)
        if extra is not None:
            data.update(extra())
        return data
    if isinstance(obj, (tuple, list)):
        return [plain(item) for item in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj
