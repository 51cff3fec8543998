"""
Pictures of a contribution story: the contribution map and indicator trend charts.

`contribution_map_svg` and `indicator_chart_svg` build SVG by hand, so they need nothing
beyond the standard library and can be inlined in a self-contained HTML report.
`indicator_chart` draws the same trend chart with matplotlib (the ``charts`` extra) and
writes PNG or SVG.

Example:
    >>> import sharedoutcomes
    >>> package = sharedoutcomes.example_package()
    >>> svg = contribution_map_svg(package)
    >>> svg.startswith("<svg") and "Garnock Valley Men" in svg
    True
    >>> "<polyline" in indicator_chart_svg(package, "ind-breaks")
    True
"""

from sharedoutcomes.pictures._charts import (
    IndicatorPoint,
    IndicatorSeries,
    indicator_chart,
    indicator_chart_svg,
    indicator_series,
)
from sharedoutcomes.pictures._map import contribution_map_svg

__all__ = ["IndicatorPoint", "IndicatorSeries", "contribution_map_svg", "indicator_chart", "indicator_chart_svg",
           "indicator_series"]
