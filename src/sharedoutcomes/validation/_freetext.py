"""
The free-text rule: no identifier in the text of evidence shared beyond the organisation (``privacy.identifier-in-text``).

Quotes, case studies and observations are written by people, and people write dates of birth,
phone numbers and CHI numbers into them. Before a package may be ``partners`` or ``public``, the
text of every piece of evidence (summary, narrative, method, the subject's description, text
values) is searched with the detectors of `sharedoutcomes._util.identifiers`; each find is a
located problem that says what kind of identifier it looks like and where in the text, never the
identifier itself.

The texts are read in the evidence pass (`validation._evidence`), which reads each value once for
all the rules; the pieces it uses are here.

Example:
    >>> data = {"sharing_level": "partners", "evidence": [{"id": "ev-1", "kind": "quote",
    ...         "narrative": "Mr B (DOB 12/04/1956) now comes every week"}]}
    >>> places = field_texts(data["evidence"][0], seen := {})
    >>> print(next(text_problems(0, places or [], seen)))
    $.evidence[0].narrative: the text holds a date of birth (characters 11–20); remove it before the package is shared [privacy.identifier-in-text]
    >>> shared({**data, "sharing_level": "personal"})
    False
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from sharedoutcomes._rule_words import identifier_in_text
from sharedoutcomes._util.identifiers import Found, find_identifiers
from sharedoutcomes.problems import Problem

__all__ = ["Places", "field_texts", "search", "shared", "text_problems"]

_SHARED: Final = frozenset({"partners", "public"})
_FIELDS: Final = ("summary", "narrative", "method")

Places = list[tuple[tuple[str | int, ...], str]]
"""The texts of an evidence item that hold an identifier, each with its place in the item."""


def field_texts(evidence: Mapping[str, Any], seen: dict[str, list[Found]]) -> Places | None:
    """
    The texts of *evidence* outside its values that hold an identifier, each with its place; ``None`` when none does.

    Each distinct text is searched once, into *seen*.
    """
    found: Places | None = None
    for name in _FIELDS:
        text = evidence.get(name)
        if text is not None and isinstance(text, str) and search(text, seen):
            found = [] if found is None else found
            found.append(((name,), text))
    subject = evidence.get("subject")
    if subject is not None and (type(subject) is dict or isinstance(subject, Mapping)):
        text = subject.get("description")
        if text is not None and isinstance(text, str) and search(text, seen):
            found = [] if found is None else found
            found.append((("subject", "description"), text))
    return found


def search(text: str, seen: dict[str, list[Found]]) -> list[Found]:
    """The identifiers in *text*, each distinct text searched once (remembered in *seen*)."""
    finds = seen.get(text)
    if finds is None:
        finds = seen[text] = find_identifiers(text)
    return finds


def shared(data: Mapping[str, Any]) -> bool:
    """Whether the rule applies: the package is shared beyond the organisation."""
    return data.get("sharing_level") in _SHARED


def text_problems(i: int, places: Places, seen: dict[str, list[Found]]) -> Iterator[Problem]:
    """A problem for each identifier in the texts at *places* of the evidence at index *i*."""
    for parts, text in places:
        for found in seen[text]:
            yield identifier_in_text(["evidence", i, *parts], found)
