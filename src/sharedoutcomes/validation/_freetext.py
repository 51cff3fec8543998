"""
The free-text rule: no identifier in the text of evidence shared beyond the organisation (``privacy.identifier-in-text``).

Quotes, case studies and observations are written by people, and people write dates of birth,
phone numbers and CHI numbers into them. Before a package may be ``partners`` or ``public``, the
text of every piece of evidence (summary, narrative, method, the subject's description, text
values) is searched with the detectors of `sharedoutcomes._util.identifiers`; each find is a
located problem that says what kind of identifier it looks like and where in the text, never the
identifier itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from sharedoutcomes._util.identifiers import KIND_WORDS, Found, find_identifiers
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.problems import Problem, catalogue

__all__ = ["RULE", "check_free_text"]

RULE: Final = "privacy.identifier-in-text"
"""The rule id."""

_SHARED: Final = frozenset({"partners", "public"})
_FIELDS: Final = ("summary", "narrative", "method")


def _texts(evidence: Mapping[str, Any], seen: dict[str, list[Found]]) -> list[tuple[tuple[str | int, ...], str]]:
    """The texts of *evidence* that hold an identifier, each with its place (every text is searched once, into *seen*)."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for name in _FIELDS:
        text = evidence.get(name)
        if text is not None and isinstance(text, str) and (seen[text] if text in seen else _search(text, seen)):
            found.append(((name,), text))
    subject = evidence.get("subject")
    if subject is not None and isinstance(subject, Mapping):
        text = subject.get("description")
        if isinstance(text, str) and (seen[text] if text in seen else _search(text, seen)):
            found.append((("subject", "description"), text))
    for j, value in enumerate(evidence.get("values", ())):
        text = value.get("value")
        if type(text) is not int and isinstance(text, str) and (seen[text] if text in seen else _search(text, seen)):
            found.append((("values", j, "value"), text))
    return found


def _search(text: str, seen: dict[str, list[Found]]) -> list[Found]:
    finds = seen[text] = find_identifiers(text)
    return finds


def check_free_text(data: Mapping[str, Any]) -> Iterator[Problem]:
    """
    A ``privacy.identifier-in-text`` problem for each identifier in the evidence's text of a ``partners`` or ``public`` package.

    Example:
        >>> data = {"sharing_level": "partners", "evidence": [{"id": "ev-1", "kind": "quote",
        ...         "narrative": "Mr B (DOB 12/04/1956) now comes every week"}]}
        >>> print(next(check_free_text(data)))
        $.evidence[0].narrative: the text holds a date of birth (characters 11–20); remove it before the package is shared [privacy.identifier-in-text]
        >>> list(check_free_text({**data, "sharing_level": "personal"}))
        []
    """
    if data.get("sharing_level") not in _SHARED:
        return
    severity = catalogue()[RULE].severity
    seen: dict[str, list[Found]] = {}  # summaries, methods and text answers repeat: each text is searched once
    for i, evidence in enumerate(data.get("evidence", ())):
        for parts, text in _texts(evidence, seen):
            for found in seen[text]:
                yield Problem(
                    rule="privacy.identifier-in-text", severity=severity, path=json_path(["evidence", i, *parts]),
                    message=f"the text holds {KIND_WORDS[found.kind]} (characters {found.start + 1}–{found.end}); "
                            "remove it before the package is shared")
