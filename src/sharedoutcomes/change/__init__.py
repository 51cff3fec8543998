"""
Change on any instrument: distance travelled generalised from the Outcomes Stars to WEMWBS, ONS4, GAD-7.

`change` pairs each person's first and latest responses on an instrument and works out the change
per item and on the instrument's score (the SWEMWBS metric, the WEMWBS total; ONS4 has no total
and is read per question). Whether a change is meaningful is judged by the instrument's published
threshold, and the source is named (`Change.threshold_source`). A cohort summary gives the mean
beside the median, and the shares improved, the same and worse, in the instrument's sense of
better (a fall in GAD-7, PHQ-9, UCLA-3 or ONS4 anxiety is an improvement). `change_chart` draws it.

Pandas (``sharedoutcomes[analysis]``) is needed only for the DataFrames, matplotlib
(``sharedoutcomes[charts]``) only for the chart.

Example:
    >>> from sharedoutcomes.change import change, example_responses
    >>> result = change(example_responses(), "swemwbs")
    >>> result
    <Change swemwbs: 3 people, 24 person-score changes, 1 excluded>
"""

from sharedoutcomes.change._change import Change, PersonChange, ScoreChange, change
from sharedoutcomes.change._chart import change_chart
from sharedoutcomes.change._examples import example_responses

__all__ = ["Change", "PersonChange", "ScoreChange", "change", "change_chart", "example_responses"]
