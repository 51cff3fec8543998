"""The stable rule ids of the problems form reading and writing report: a view of the problem catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from sharedoutcomes.problems import catalogue, families

__all__ = ["FORM_RULES"]

FORM_RULES: Final[Mapping[str, str]] = MappingProxyType({
    kind.id: f"{kind.summary.removesuffix('.')} ({kind.severity})."
    for kind in (catalogue()[rule] for rule in families()["form"].ids)
})
"""
The stable rule ids of the problems form reading reports, with what each means and its default severity.

The catalogue (``sharedoutcomes rules --family form``) explains each one in full.

Example:
    >>> FORM_RULES["form.not-a-number"]
    'A number answer is not a number (error).'
"""
