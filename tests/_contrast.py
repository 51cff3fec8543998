"""WCAG 2.2 contrast ratios of CSS colours, and the colour pairs of a stylesheet, for the accessibility tests."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["AA_LARGE", "AA_TEXT", "contrast", "hex_colour", "luminance", "rules"]

AA_TEXT: Final = 4.5
"""WCAG 2.2 success criterion 1.4.3 (AA): normal text against its background."""
AA_LARGE: Final = 3.0
"""The same for large text (24 px, or 18.66 px bold) and for non-text contrast (1.4.11)."""

_HEX: Final = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\b")
_NAMED: Final = {"white": "#ffffff", "black": "#000000", "#fff": "#ffffff", "#000": "#000000"}


def hex_colour(value: str) -> str:
    """``#abc``, ``#aabbcc`` or a few names, as ``#aabbcc`` (lower case)."""
    value = _NAMED.get(value.strip().lower(), value.strip().lower())
    match = _HEX.fullmatch(value)
    if match is None:
        msg = f"not a colour this check reads: {value!r}"
        raise ValueError(msg)
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return f"#{digits}"


def luminance(colour: str) -> float:
    """The relative luminance of an sRGB colour, as WCAG 2.2 defines it."""
    digits = hex_colour(colour)[1:]
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """The contrast ratio of two colours, from 1 to 21 (WCAG 2.2)."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """Each rule of *css* (media blocks flattened) as (selector, declarations), with ``var(--x)`` resolved."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)\s*\}", r"\1", css)
    found = [(selector.strip(), _declarations(body)) for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]
    variables = {name: value for selector, declarations in found if selector == ":root"
                 for name, value in declarations.items() if name.startswith("--")}

    def resolve(value: str) -> str:
        return re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m.group(1)], value)

    return [(selector, {name: resolve(value) for name, value in declarations.items()})
            for selector, declarations in found if selector != ":root"]


def _declarations(body: str) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in body.split(";") if ":" in item)
    return {name.strip(): value.strip() for name, value in pairs}
