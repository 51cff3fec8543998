"""
Indicator roll-ups that are right: aggregate actuals over periods and organisations by their declared semantics.

An *actual* is an `EvidenceValue` with an ``indicator_id``. It is dated by its evidence:
the evidence's ``period`` (a count for a quarter) or, failing that, its ``date`` (a survey on
one day). It belongs to the organisation that collected it (``collected_by``; else the first
participant of its activity; else the package's publisher) and to its activity, together its
*reporting unit*.

How values add up depends on the indicator's ``aggregation``:

- ``per-period``: values count what happened in their period, so those whose period lies inside
  the window are **summed**. Two values from one reporting unit whose periods overlap (a quarter
  and the year that contains it) would be counted twice: that is a problem, not a number.
- ``cumulative``: each value is a running total to the end of its period, so the **latest** value
  of each reporting unit inside the window is taken, and those are summed across units, **never
  over time**.
- ``snapshot``: each value is a state on a day (the caseload on 31 March), so the value at the
  **latest date** of each unit is taken and summed across units, never over time.
- **Rates** (an indicator with a ``rate``, or whose unit is ``%``) are **pooled**: numerators are
  summed and divided by the summed denominators (times ``rate.per``), never averaged. A value
  gives its numerator and denominator as values of the same evidence with the same
  ``indicator_id`` and codes ending ``-numerator`` and ``-denominator``; otherwise, for a cohort
  or population subject with a ``size``, the size is the denominator and the numerator is
  ``value × size / per``. A rate with no denominator cannot be pooled: the roll-up has no value
  and says why.

A value inside the window that cannot be used (not a number, undated, a per-period value that
straddles the window's edge) would make the total wrong, so the roll-up then has no value and its
problems say which value and where; nothing is silently dropped. Choose a window or organisations
that leave it out, or fix it.

Example:
    >>> from sharedoutcomes import example_package
    >>> package = example_package()
    >>> rollup(package, "ind-breaks").value  # 27 short breaks in Q1 + 41 in Q2
    68
    >>> rollup(package, "ind-less-isolated").value  # 74.2% of the 31 members who answered
    74.2
"""

from sharedoutcomes.rollup._actuals import actuals
from sharedoutcomes.rollup._records import DENOMINATOR_SUFFIX, NUMERATOR_SUFFIX, Actual
from sharedoutcomes.rollup._records import Number as Number
from sharedoutcomes.rollup._results import OrganisationFigure, Rollup, to_dataframe
from sharedoutcomes.rollup._rollup import rollup, rollup_periods, rollups

__all__ = [
    "DENOMINATOR_SUFFIX",
    "NUMERATOR_SUFFIX",
    "Actual",
    "OrganisationFigure",
    "Rollup",
    "actuals",
    "rollup",
    "rollup_periods",
    "rollups",
    "to_dataframe",
]
