"""The roll-up's results (`Rollup`, `OrganisationFigure`) and their pandas DataFrames."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from attrs import frozen

from sharedoutcomes._optional import require
from sharedoutcomes.exceptions import Problem
from sharedoutcomes.rollup._records import Number

if TYPE_CHECKING:
    import pandas as pd


@frozen(kw_only=True)
class OrganisationFigure:
    """
    One organisation's part of a roll-up.

    Example:
        >>> from sharedoutcomes import example_package
        >>> from sharedoutcomes.rollup import rollup
        >>> rollup(example_package(), "ind-breaks").organisations[0].value
        68
    """

    organisation: str
    value: Number | None
    numerator: Number | None = None
    denominator: Number | None = None
    as_of: dt.date | None = None
    evidence_ids: tuple[str, ...] = ()


@frozen(kw_only=True)
class Rollup:
    """
    An indicator rolled up over a window and a set of organisations.

    Attributes:
        indicator_id: The indicator.
        aggregation: Its declared aggregation.
        start: The window's first day (``None``: from the earliest actual).
        end: The window's last day (``None``: to the latest actual).
        value: The rolled-up value, or ``None`` when the data cannot support a correct one (see ``problems``).
        numerator: For a rate, the pooled numerator.
        denominator: For a rate, the pooled denominator.
        unit: The indicator's unit.
        method: How the value was formed, in words.
        organisations: Each organisation's figure.
        evidence_ids: The evidence used.
        problems: Why values were left out, or why there is no value.

    Example:
        >>> from sharedoutcomes import example_package
        >>> from sharedoutcomes.rollup import rollup
        >>> r = rollup(example_package(), "ind-carers-supported")
        >>> r.value, r.method
        (164, 'cumulative: the latest value of each reporting unit, summed across units (never over time)')
    """

    indicator_id: str
    aggregation: str
    start: dt.date | None
    end: dt.date | None
    value: Number | None
    numerator: Number | None = None
    denominator: Number | None = None
    unit: str | None = None
    method: str = ""
    organisations: tuple[OrganisationFigure, ...] = ()
    evidence_ids: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """``True`` when the roll-up has a value and no error."""
        return self.value is not None and not any(p.severity == "error" for p in self.problems)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per organisation plus a total row (``organisation`` ``"(all)"``); needs pandas."""
        return to_dataframe([self])


def to_dataframe(items: Iterable[Rollup]) -> pd.DataFrame:
    """
    Roll-ups as a pandas DataFrame: per roll-up, one row per organisation and a total row (``"(all)"``).

    Raises:
        MissingDependency: pandas is not installed (``pip install 'sharedoutcomes[analysis]'``).

    Example:
        >>> from sharedoutcomes import example_package
        >>> from sharedoutcomes.rollup import rollups
        >>> frame = to_dataframe(rollups(example_package()))
        >>> frame.loc[frame.organisation == "(all)", ["indicator_id", "value"]].to_dict("records")[2]
        {'indicator_id': 'ind-breaks', 'value': 68.0}
    """
    require("pandas", extra="analysis", purpose="roll-ups as DataFrames")
    import pandas as pd  # an optional dependency (the analysis extra), imported only when asked for

    rows: list[dict[str, Any]] = []
    for r in items:
        common = {"indicator_id": r.indicator_id, "aggregation": r.aggregation, "start": r.start, "end": r.end,
                  "unit": r.unit}
        rows.extend({**common, "organisation": f.organisation, "value": f.value, "numerator": f.numerator,
                     "denominator": f.denominator, "as_of": f.as_of, "evidence": len(f.evidence_ids),
                     "problems": ""} for f in r.organisations)
        rows.append({**common, "organisation": "(all)", "value": r.value, "numerator": r.numerator,
                     "denominator": r.denominator, "as_of": max((f.as_of for f in r.organisations if f.as_of),
                                                                default=None),
                     "evidence": len(r.evidence_ids), "problems": "; ".join(p.message for p in r.problems)})
    columns = ["indicator_id", "aggregation", "start", "end", "organisation", "value", "numerator", "denominator",
               "unit", "as_of", "evidence", "problems"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["value"] = frame["value"].astype("float64")
    return frame
