"""
Organisation identifiers: the prefix is on the org-id.guide register, and the common UK schemes have their shape.

The prefixes come from the bundled copy of the register (``data/org-id-register.csv``, ODbL, see its
README) together with the ``org-id-prefixes`` codelist (which adds 360Giving's ``360G`` fallback).
The shapes are those of the registers themselves: a Scottish charity number is ``SC`` and six digits,
a charity in England and Wales six or seven digits, a company eight digits or two letters and six,
a Northern Irish charity six digits starting with 1. A shape that is off is a warning, with the id
it was probably meant to be when the slip is a known one (the letter O typed for a zero, a dropped
leading zero, a doubled prefix); the id itself is never changed.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from importlib.resources import files
from typing import Final

from sharedoutcomes import _codelists
from sharedoutcomes._rule_words import problem
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.problems import Problem, render_value
from sharedoutcomes.validation._context import Context

__all__ = ["check_org_ids", "org_id_prefixes", "org_id_shape"]

_SHAPES: Final = {
    "GB-SC": (re.compile(r"SC[0-9]{6}"), "'SC' and 6 digits, such as GB-SC-SC044652"),
    "GB-CHC": (re.compile(r"[0-9]{6,7}(-[0-9]+)?"), "6 or 7 digits, such as GB-CHC-1126147"),
    "GB-COH": (re.compile(r"[0-9]{8}|[A-Z]{2}[0-9]{6}"), "8 digits, or 2 letters and 6 digits, such as "
               "GB-COH-09506232 or GB-COH-SC123456"),
    "GB-NIC": (re.compile(r"1[0-9]{5}"), "6 digits starting with 1, such as GB-NIC-100019"),
}


@functools.cache
def org_id_prefixes() -> frozenset[str]:
    """
    Every recognised org-id prefix: the bundled org-id.guide register and the ``org-id-prefixes`` codelist.

    Example:
        >>> {"GB-SC", "GB-COH", "360G", "NL-KVK"} <= org_id_prefixes()
        True
    """
    text = files("sharedoutcomes.validation").joinpath("data", "org-id-register.csv").read_text(encoding="utf-8")
    register = {row["code"] for row in csv.DictReader(text.splitlines())}
    return frozenset(register | set(_codelists.values("org-id-prefixes")))


@functools.cache
def _by_length() -> tuple[str, ...]:
    return tuple(sorted(org_id_prefixes(), key=len, reverse=True))


def _prefix_of(identifier: str) -> str | None:
    return next((prefix for prefix in _by_length() if identifier.startswith(prefix + "-")), None)


def _suggest(scheme: str, number: str) -> str | None:
    """The number the slip in *number* probably stood for, under *scheme*."""
    pattern = _SHAPES[scheme][0]
    upper = number.strip().upper()
    candidates = [upper, upper.replace("O", "0") if scheme != "GB-SC" else "SC" + upper[2:].replace("O", "0"),
                  upper.removeprefix(scheme.upper() + "-"), upper.removeprefix("NIC")]
    if scheme == "GB-SC" and re.fullmatch(r"[0-9O]{6}", upper):
        candidates.append("SC" + upper.replace("O", "0"))
    if scheme == "GB-COH" and re.fullmatch(r"[0-9]{5,7}", upper):
        candidates.append(upper.zfill(8))
    return next((f"{scheme}-{c}" for c in candidates if c != number and pattern.fullmatch(c)), None)


def org_id_shape(identifier: str) -> tuple[str, str | None] | None:
    """
    What is wrong with the shape of *identifier* under its UK scheme, and the id it was probably meant to be.

    ``None`` when the id has the shape of its scheme, or is of a scheme whose shape is not checked.

    Example:
        >>> org_id_shape("GB-SC-SCO44652")
        ("'SCO44652' is not 'SC' and 6 digits, such as GB-SC-SC044652", 'GB-SC-SC044652')
        >>> org_id_shape("GB-COH-9506232")[1], org_id_shape("GB-SC-SC044652") is None
        ('GB-COH-09506232', True)
    """
    for scheme, (pattern, shape) in _SHAPES.items():
        if identifier.startswith(scheme + "-"):
            number = identifier[len(scheme) + 1:]
            if pattern.fullmatch(number):
                return None
            return f"{render_value(number)} is not {shape}", _suggest(scheme, number)
    return None


def check_org_ids(ctx: Context) -> Iterator[Problem]:
    """The ``org-id-prefix`` and ``org-id-shape`` rules, for every organisation of the package."""
    for i, organisation in enumerate(ctx.data.get("organisations", ())):
        identifier = organisation["id"]
        path = json_path(["organisations", i, "id"])
        if _prefix_of(identifier) is None:
            yield problem("org-id-prefix", path,
                          f"{render_value(identifier)} does not start with a recognised org-id prefix "
                          "(such as GB-SC, GB-CHC, GB-COH, GB-LAS, GB-NHS); see https://org-id.guide", identifier)
            continue
        wrong = org_id_shape(identifier)
        if wrong is not None:
            reason, suggestion = wrong
            hint = f"; did you mean {suggestion!r}?" if suggestion else ""
            yield problem("org-id-shape", path, f"{render_value(identifier)}: {reason}{hint} (the id is kept as it is)",
                          identifier)
