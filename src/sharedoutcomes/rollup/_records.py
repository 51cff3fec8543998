"""The roll-up's records of what it reads: the `Actual`, the rate suffixes, and the problems about values."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from attrs import frozen

from sharedoutcomes.exceptions import Problem

NUMERATOR_SUFFIX: Final = "-numerator"
"""A value whose code ends with this is the numerator of the rate with the same ``indicator_id``."""
DENOMINATOR_SUFFIX: Final = "-denominator"
"""A value whose code ends with this is the denominator of the rate with the same ``indicator_id``."""

Number = int | float


@frozen(kw_only=True)
class Actual:
    """
    One actual of an indicator, as the roll-up reads it.

    Attributes:
        indicator_id: The indicator.
        evidence_id: The evidence it comes from.
        path: The JSON path of its value (or of its numerator when there is no rate value).
        organisation: The organisation it belongs to.
        activity_id: The activity it comes from, when stated.
        start: The first day it covers.
        end: The last day it covers (its as-of date).
        value: The value (for a rate, the rate).
        numerator: For a rate, its numerator, when known.
        denominator: For a rate, its denominator, when known.

    Example:
        >>> from sharedoutcomes import example_package
        >>> from sharedoutcomes.rollup import actuals
        >>> first = actuals(example_package(), "ind-breaks")[0]
        >>> first.organisation, first.start, first.end, first.value
        ('GB-SC-SC038977', datetime.date(2024, 4, 1), datetime.date(2024, 6, 30), 27)
    """

    indicator_id: str
    evidence_id: str
    path: str
    organisation: str
    activity_id: str | None
    start: dt.date
    end: dt.date
    value: Number | None
    numerator: Number | None = None
    denominator: Number | None = None

    @property
    def unit(self) -> tuple[str, str | None]:
        """The reporting unit: (organisation, activity)."""
        return (self.organisation, self.activity_id)


def _problem(rule: str, path: str, message: str, severity: str = "warning", value: Any = None) -> Problem:
    return Problem(rule=rule, severity="error" if severity == "error" else "warning", path=path, message=message,
                   value=value)


_Reject = tuple[Problem, str, dt.date | None, dt.date | None]
"""A value that cannot be used: the problem, its organisation, and the days it covers (if known)."""
