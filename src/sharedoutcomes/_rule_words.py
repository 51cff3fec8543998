"""
The words of the semantic rules on evidence values and people, shared by every engine that checks them.

The object path (`sharedoutcomes.validation`) and the columnar path (`sharedoutcomes.columnar`)
find the same problems in different ways (a loop over dicts; vectorised filters over Arrow
tables), and must say the same about each: the rule, the path, the message and the value. What
they say is written once, here; each engine decides where a problem is and calls these.

Example:
    >>> print(value_problem(11, 1, 10, ["evidence", 0, "values", 3]))
    $.evidence[0].values[3].value: 11 is outside the scale 1–10 [value-out-of-scale]
    >>> print(quantity_problem("12 people", "people", None, counted=False, parts=["evidence", 2, "values", 0]))
    $.evidence[2].values[0].value: '12 people' is not a number, but its unit is 'people'; write the number alone (12) and the words about it in the evidence's summary [value-not-a-number]
    >>> identifies("943 476 5919"), identifies("P-7F3A9C")
    ('a CHI or NHS number', None)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from sharedoutcomes._util.identifiers import KIND_WORDS, Found
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.problems import Problem, catalogue, render_value

__all__ = ["SMALL_COHORT", "identifier_in_text", "identifies", "problem", "quantity_problem", "scale",
           "unresolved_message", "value_problem"]

SMALL_COHORT: Final = 5
"""The smallest cohort a public package may describe without disclosure control."""

_CHI_OR_NHS = re.compile(r"^\d{3}[\s-]?\d{3}[\s-]?\d{4}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?\d[\d\s-]{9,}$")
_NOT_QUANTITIES: Final = frozenset({"text", "code", "category", "yes/no", "yes-no", "boolean", "band", "grade"})
"""Unit words that name a kind of answer rather than a quantity: a value in one of them may be text."""
_LEADING_NUMBER = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(.*)$", re.DOTALL)


def problem(rule: str, path: str, message: str, value: Any = None) -> Problem:
    """A problem of the semantic rule *rule*, with the catalogue's default severity."""
    return Problem(rule=rule, severity=catalogue()[rule].severity, path=path, message=message, value=value)


def scale(low: float | None, high: float | None) -> str:
    """A scale as text: ``1–10``, or ``1–`` when it has no maximum."""
    return f"{'' if low is None else low}–{'' if high is None else high}"


def value_problem(number: Any, low: Any, high: Any, parts: Sequence[str | int]) -> Problem | None:
    """
    scale-order, value-not-a-number or value-out-of-scale for the value at *parts*, on its scale *low*–*high*.

    ``None`` when the value is a number inside its scale (or the value has no scale).
    """
    if low is None and high is None:
        return None
    if low is not None and high is not None and low > high:
        return problem("scale-order", json_path([*parts, "scale_min"]),
                       f"the scale's minimum {low} is above its maximum {high}", low)
    if isinstance(number, bool) or not isinstance(number, int | float):
        return problem("value-not-a-number", json_path([*parts, "value"]),
                       f"{render_value(number)} is not a number, but the scale is {scale(low, high)}", number)
    if (low is not None and number < low) or (high is not None and number > high):
        return problem("value-out-of-scale", json_path([*parts, "value"]),
                       f"{number} is outside the scale {scale(low, high)}", number)
    return None


def quantity_problem(number: Any, unit: Any, indicator_id: Any, *, counted: bool,
                     parts: Sequence[str | int]) -> Problem | None:
    """
    value-not-a-number for a value that is not a number but a quantity, at *parts*.

    A quantity has a *unit* (that is not a kind of answer, such as ``text``), is an actual of an
    indicator, or belongs to a count (*counted*). The caller has found that *number* is not a
    JSON number; ``None`` when the value is not a quantity after all.
    """
    if isinstance(unit, str) and unit.strip().lower() in _NOT_QUANTITIES:
        return None
    if unit is not None:
        why = f"its unit is {render_value(unit)}"
    elif indicator_id is not None:
        why = f"it is an actual of the indicator {render_value(indicator_id)}"
    elif counted:
        why = "the evidence is a count"
    else:
        return None
    hint = ""
    match = _LEADING_NUMBER.match(number) if isinstance(number, str) else None
    if match is not None:
        words = " and the words about it in the evidence's summary" if match.group(2).strip() else ""
        hint = f"; write the number alone ({match.group(1).replace(',', '')}){words}"
    return problem("value-not-a-number", json_path([*parts, "value"]),
                   f"{render_value(number)} is not a number, but {why}{hint}", number)


def identifies(identifier: str) -> str | None:
    """What a person id looks like when it looks like an identifier (a CHI or NHS number, an email, a phone number)."""
    return ("a CHI or NHS number" if _CHI_OR_NHS.match(identifier)
            else "an email address" if _EMAIL.match(identifier)
            else "a phone number" if _PHONE.match(identifier) else None)


def identifier_in_text(parts: Sequence[str | int], found: Found) -> Problem:
    """
    The free-text rule's problem for an identifier *found* in the text at *parts*: what it looks like and where.

    Example:
        >>> from sharedoutcomes._util.identifiers import find_identifiers
        >>> print(identifier_in_text(["evidence", 0, "narrative"], find_identifiers("born 12/04/1956")[0]))
        $.evidence[0].narrative: the text holds a date of birth (characters 6–15); remove it before the package is shared [privacy.identifier-in-text]
    """
    return problem("privacy.identifier-in-text", json_path(parts), f"the text holds {KIND_WORDS[found.kind]} (characters "
                   f"{found.start + 1}–{found.end}); remove it before the package is shared")


def unresolved_message(kind: str, identifier: str, other: str | None) -> str:
    """What is said of a reference to a *kind* the package does not have (*other*: the kind it is the id of, if any)."""
    hint = f" ({render_value(identifier)} is the id of {'an' if other[0] in 'aeiou' else 'a'} {other})" if other else ""
    return f"no {kind} in the package has id {render_value(identifier)}{hint}"
