"""
How Star names, area labels and edition names are compared: case, spacing, punctuation and "&"/"and" ignored.

The public names are exported from `sharedoutcomes.stars`.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["WORDS", "area_code", "normalise_edition", "normalise_label", "strip_noise"]

WORDS: Final = re.compile(r"[a-z0-9]+")
"""The words of a (case-folded) label."""

_NUMBERING = re.compile(r"[a-z]?[0-9]+[a-z]?")
_NOISE_WORDS = frozenset({"score", "scores", "rating", "reading", "scale", "area", "q", "outcome"})


def _words(text: str) -> list[str]:
    return WORDS.findall(text.casefold().replace("&", " and "))


def normalise_label(text: str) -> str:
    """
    The form labels are compared in: case, spacing, punctuation and "&"/"and" ignored.

    Example:
        >>> normalise_label("Caring for myself & my space") == normalise_label("caring for myself and my-space")
        True
        >>> normalise_label("  Well-being ")
        'wellbeing'
    """
    return "".join(word for word in _words(text) if word != "and")


def area_code(label: str) -> str:
    """
    The stable code of an area label: lower case, "&" as "and", other punctuation as hyphens.

    Example:
        >>> area_code("Work, volunteering and other activities")
        'work-volunteering-and-other-activities'
        >>> area_code("Caring for myself & my space")
        'caring-for-myself-and-my-space'
    """
    return "-".join(_words(label))


def strip_noise(text: str) -> str:
    """
    Drop numbering and words like "score" around a heading, then normalise it.

    Example:
        >>> strip_noise("Q3. Money score (1-10)")
        'money'
    """
    words = [w for w in _words(text) if w != "and"]
    while words and (words[0] in _NOISE_WORDS or _NUMBERING.fullmatch(words[0])):
        words.pop(0)
    while words and (words[-1] in _NOISE_WORDS or _NUMBERING.fullmatch(words[-1])):
        words.pop()
    return "".join(words)


def normalise_edition(text: str) -> str:
    """
    An edition as exports write it, in the form editions are compared in.

    Example:
        >>> [normalise_edition(t) for t in ("3rd edition", "Ed. 1.1", "v4", "Short version")]
        ['3', '1.1', '4', 'short']
    """
    text = text.casefold().strip()
    text = re.sub(r"\b(edition|ed|version|ver)\b\.?", " ", text)
    text = re.sub(r"\bv(?=\d)", " ", text)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    return "-".join(re.findall(r"[a-z0-9]+(?:\.[0-9]+)*", text))
