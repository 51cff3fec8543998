"""
Drawing Star charts with matplotlib (imported lazily; the ``charts`` extra).

A Star chart is a radar chart: one spoke per outcome area, clockwise from the top, the
score as the distance from the centre, rings for the scale and shaded bands for the
Journey of Change stages. The public functions are in `sharedoutcomes.star_analysis`.
"""

from __future__ import annotations

import importlib
import math
import sys
import textwrap
from collections.abc import Iterable, Sequence
from os import PathLike, fspath
from typing import TYPE_CHECKING, Any, Literal, cast

from attrs import frozen

from sharedoutcomes._optional import require
from sharedoutcomes.star_analysis._editions import _Edition

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

__all__ = ["Series", "save", "star_chart"]

# Colour-blind-safe pair (Okabe–Ito orange and blue) for the readings; pale bands underneath.
_FIRST = "#D55E00"
_LATEST = "#0064B0"
_BANDS = ("#EFC3BD", "#F8E2C2", "#F4F0CB", "#DDEBD3", "#CFE4E0")
_INK = "#333333"
_GRID = "#B8B8B8"


@frozen(kw_only=True)
class Series:
    """One polygon on a Star chart: a label for the legend and a value per area (NaN for none)."""

    label: str
    values: tuple[float, ...]
    style: Literal["first", "latest"]


def _figure_class() -> Any:
    Figure = require("matplotlib.figure", extra="charts", purpose="drawing Star charts").Figure  # noqa: N806
    _show_inline_in_jupyter(Figure)
    return Figure


def _show_inline_in_jupyter(figure_class: type[Any]) -> None:
    """Make IPython show a bare `Figure` as an image, even if pyplot was never imported."""
    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    png = shell.display_formatter.formatters["image/png"]
    if figure_class not in png.type_printers:
        importlib.import_module("IPython.core.pylabtools").select_figure_formats(shell, {"png"})


def _wrap(label: str, width: int) -> str:
    """Wrap a label in as few lines as *width* allows, with the lines as even as possible."""
    longest = max((len(word) for word in label.split()), default=0)
    best = textwrap.wrap(label, width=max(width, longest), break_long_words=False)
    for narrower in range(max(width, longest) - 1, max(longest, 8) - 1, -1):
        lines = textwrap.wrap(label, width=narrower, break_long_words=False)
        if len(lines) > len(best):
            break
        best = lines
    return "\n".join(best) or label


def _bands(edition: _Edition) -> list[tuple[float, float]]:
    """The inner and outer radius of each stage band: a score *s* is drawn at radius *s*."""
    tops = [0] * len(edition.stages)
    for score in range(edition.scale_min, edition.scale_max + 1):
        stage = edition.stage_of(score)
        tops[stage - 1] = max(tops[stage - 1], score)
    bands, inner = [], float(edition.scale_min - 1)
    for top in tops:
        outer = float(max(top, inner))
        bands.append((inner, outer))
        inner = outer
    return bands


def star_chart(areas: Sequence[str], series: Sequence[Series], *, edition: _Edition, title: str,
               subtitle: str = "", area_notes: Sequence[str] = ()) -> Figure:
    """
    Draw a Star chart of *series* over *areas* and return the figure.

    Example:
        >>> from sharedoutcomes.stars import get_star
        >>> figure = star_chart(["Home", "Money", "Health"], [Series(label="First", values=(2, 3, 4),
        ...                     style="latest")], edition=get_star("recovery-star"), title="Example")
        >>> len(figure.axes[0].texts)
        3
    """
    figure_class = _figure_class()
    import numpy as np
    from matplotlib.patches import Patch

    n = len(areas)
    low, high = edition.scale_min, edition.scale_max
    figure: Figure = figure_class(figsize=(9, 10.2), dpi=100, facecolor="white")
    ax = cast("PolarAxes", figure.add_axes((0.185, 0.25, 0.63, 0.57), projection="polar"))
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    angles = np.linspace(0, 2 * math.pi, n, endpoint=False)
    ax.set_ylim(low - 1, high)

    # Journey of Change bands, then the scale rings and spokes over them.
    ring = np.linspace(0, 2 * math.pi, 361)
    band_handles = []
    for number, ((inner, outer), name) in enumerate(zip(_bands(edition), edition.stages, strict=True)):
        colour = _BANDS[number % len(_BANDS)]
        ax.fill_between(ring, inner, outer, color=colour, zorder=0, linewidth=0)
        band_handles.append(Patch(facecolor=colour, edgecolor=_GRID, linewidth=0.5,
                                  label=f"{number + 1}  {name}"))
    ax.set_yticks(range(low, high + 1))
    ax.set_yticklabels([str(s) for s in range(low, high + 1)], fontsize=8, color="#555555")
    for tick in ax.get_yticklabels():
        tick.set_bbox({"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.8})
        tick.set_zorder(4)
    ax.set_rlabel_position(180 / n if n else 0)
    ax.set_xticks(angles)
    ax.set_xticklabels([])
    ax.grid(color=_GRID, linewidth=0.6)
    ax.spines["polar"].set_color(_GRID)
    ax.set_facecolor("white")

    notes = list(area_notes) or [""] * n
    for text, note, angle in zip(areas, notes, angles, strict=True):
        x, y = math.sin(angle), math.cos(angle)
        ha = "center" if abs(x) < 0.2 else ("left" if x > 0 else "right")
        va = "center" if abs(y) < 0.2 else ("bottom" if y > 0 else "top")
        # Labels at the sides have least room across, those at the top and bottom most.
        wrap_at = 24 if abs(x) < 0.2 else (17 if abs(x) < 0.8 else 13)
        label = _wrap(text, wrap_at) + (f"\n{note}" if note else "")
        ax.text(angle, high + (high - low + 1) * 0.09, label, ha=ha, va=va, fontsize=10,
                color=_INK, linespacing=1.15, clip_on=False, multialignment=ha if ha != "center" else "center")

    closed = np.append(angles, angles[:1]) if n else angles
    for item in series:
        values = np.array(item.values, dtype=float)
        loop = np.append(values, values[:1]) if n else values
        colour = _FIRST if item.style == "first" else _LATEST
        ax.plot(closed, loop, color=colour, linewidth=2.2 if item.style == "latest" else 1.8,
                linestyle="--" if item.style == "first" else "-", marker="o", markersize=5,
                label=item.label, zorder=3)
        if item.style == "latest" and np.all(np.isfinite(values)):
            ax.fill(closed, loop, color=colour, alpha=0.16, zorder=2)

    figure.suptitle(title, x=0.5, y=0.975, fontsize=15, fontweight="bold", color=_INK)
    if subtitle:
        figure.text(0.5, 0.93, subtitle, ha="center", fontsize=10.5, color="#555555")
    readings_legend = figure.legend(*ax.get_legend_handles_labels(), loc="upper left",
                                    bbox_to_anchor=(0.06, 0.165), frameon=False, fontsize=10,
                                    title="Readings", title_fontsize=10, alignment="left")
    figure.add_artist(readings_legend)
    figure.legend(handles=band_handles, loc="upper right", bbox_to_anchor=(0.95, 0.165), frameon=False,
                  fontsize=9, title=f"Journey of Change (scores {low}–{high}){_unconfirmed(edition)}",
                  title_fontsize=10,
                  alignment="left", ncols=1 if len(band_handles) <= 5 else 2)
    return figure


def _unconfirmed(edition: object) -> str:
    unconfirmed = set(getattr(edition, "unconfirmed", ())) & {"stages", "stage_starts", "scale"}
    return "\nstages not confirmed for this edition" if unconfirmed else ""


def save(figure: Figure, path: str | PathLike[str] | Iterable[str | PathLike[str]] | None) -> None:
    """Save *figure* to one path or several; the suffix (``.png``, ``.svg``, ``.pdf``) gives the format."""
    if path is None:
        return
    from matplotlib import rc_context

    paths = [path] if isinstance(path, str | PathLike) else list(path)
    # A fixed salt for the ids inside an SVG, so the same chart gives the same file.
    with rc_context({"svg.hashsalt": "sharedoutcomes"}):
        for target in paths:
            figure.savefig(fspath(target), dpi=150, facecolor="white", metadata=_metadata(fspath(target)))


def _metadata(target: str) -> dict[str, Any] | None:
    # No creation date in SVG or PDF output, so the same chart gives the same file.
    if target.lower().endswith(".svg"):
        return {"Date": None}
    if target.lower().endswith(".pdf"):
        return {"CreationDate": None}
    return None
