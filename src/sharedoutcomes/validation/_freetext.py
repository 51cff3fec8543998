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
    >>> print(next(text_problems(0, places or [], seen, "error")))
    $.evidence[0].narrative: the text holds a date of birth (characters 11–20); remove it before the package is shared [privacy.identifier-in-text]
    >>> shared({**data, "sharing_level": "personal"})
    False
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from sharedoutcomes._util.identifiers import KIND_WORDS, Found, find_identifiers
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.problems import Problem, Severity

__all__ = ["RULE", "field_texts", "search", "shared", "text_problems"]

RULE: Final = "privacy.identifier-in-text"
"""The rule id."""

_SHARED: Final = frozenset({"partners", "public"})
_FIELDS: Final = ("summary", "narrative", "method")


def field_texts(evidence: Mapping[str, Any], seen: dict[str, list[Found]]) -> list[tuple[tuple[str | int, ...], str]] | None:
    """
    The texts of *evidence* outside its values that hold an identifier, each with its place; ``None`` when none does.

    Each distinct text is searched once, into *seen*.
    """
    found: list[tuple[tuple[str | int, ...], str]] | None = None
    for name in _FIELDS:
        text = evidence.get(name)
        if text is not None and isinstance(text, str) and (seen[text] if text in seen else search(text, seen)):
            found = [] if found is None else found
            found.append(((name,), text))
    subject = evidence.get("subject")
    if subject is not None and (type(subject) is dict or isinstance(subject, Mapping)):
        text = subject.get("description")
        if text is not None and isinstance(text, str) and (seen[text] if text in seen else search(text, seen)):
            found = [] if found is None else found
            found.append((("subject", "description"), text))
    return found


def search(text: str, seen: dict[str, list[Found]]) -> list[Found]:
    """The identifiers in *text*, remembered in *seen*."""
    finds = seen[text] = find_identifiers(text)
    return finds


def shared(data: Mapping[str, Any]) -> bool:
    """Whether the rule applies: the package is shared beyond the organisation."""
    return data.get("sharing_level") in _SHARED


def text_problems(i: int, places: list[tuple[tuple[str | int, ...], str]], seen: dict[str, list[Found]],
                  severity: Severity) -> Iterator[Problem]:
    """A problem for each identifier in the texts at *places* of the evidence at index *i*."""
    for parts, text in places:
        for found in seen[text]:
            yield Problem(
                rule=RULE, severity=severity, path=json_path(["evidence", i, *parts]),
                message=f"the text holds {KIND_WORDS[found.kind]} (characters {found.start + 1}–{found.end}); "
                        "remove it before the package is shared")
