"""Helpers shared by the library's hand-built SVG pictures: the font, wrapped text, boxes and curves."""

from __future__ import annotations

import textwrap
from html import escape
from typing import Final

_FONT: Final = 'font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif'


def _wrap(text: str, width: int, max_lines: int) -> tuple[str, ...]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip(" ,.;") + "…"
    return tuple(lines)


_Box = tuple[float, float, float, float]
"""A node's box: x, y, width, height."""


def _right(box: _Box) -> tuple[float, float]:
    x, y, w, h = box
    return x + w, y + h / 2


def _left(box: _Box) -> tuple[float, float]:
    x, y, _, h = box
    return x, y + h / 2


def _path_d(a: tuple[float, float], b: tuple[float, float]) -> str:
    (x1, y1), (x2, y2) = a, b
    mid = (x1 + x2) / 2
    return f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _curve(a: tuple[float, float], b: tuple[float, float], colour: str, width: float, dash: str, *, css: str,
           label: str) -> str:
    dash_attr = f" stroke-dasharray='{dash}'" if dash else ""
    return (f"<path class='{css}' d='{_path_d(a, b)}' fill='none' stroke='{colour}' stroke-width='{width}'"
            f"{dash_attr}><title>{escape(label)}</title></path>")
