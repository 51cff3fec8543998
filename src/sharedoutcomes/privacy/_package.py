"""Pseudonymising a package, and re-keying one with a key holder's mapping (public API: `sharedoutcomes.privacy`)."""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, Final

from sharedoutcomes._util.identifiers import KIND_WORDS, find_identifiers, redact
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.model import Package
from sharedoutcomes.privacy._keys import IdentifierError, Pseudonymiser, check_mapping, is_pseudonym
from sharedoutcomes.privacy._report import Change, PseudonymisationReport, privacy_problem
from sharedoutcomes.problems import Problem
from sharedoutcomes.serialization import from_json_data, to_json_data
from sharedoutcomes.validation import load

__all__ = ["PRIVACY_EXTENSION", "pseudonymise_package", "repseudonymise"]

PRIVACY_EXTENSION: Final = {
    "name": "privacy", "version": "0.1",
    "description": "Written by sharedoutcomes.privacy: the id of the key person identifiers were pseudonymised with "
    "(key_id, never the key), and for published packages every suppressed figure (suppressed).",
}
"""The extension under which pseudonymising and publishing record what they did."""

_TEXT_FIELDS: Final = ("summary", "narrative", "method")
_SHORTEST_REPLACED: Final = 3


def _with_extension(data: dict[str, Any], **entries: Any) -> None:
    """Declare the privacy extension in *data* and merge *entries* into its package-level data."""
    if not any(e.get("name") == "privacy" for e in data.get("extensions", ())):
        data["extensions"] = [*data.get("extensions", ()), dict(PRIVACY_EXTENSION)]
    extension_data = dict(data.get("extension_data", {}))
    extension_data["privacy"] = {**extension_data.get("privacy", {}), **entries}
    data["extension_data"] = extension_data


def _token(raw: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(raw)}(?![A-Za-z0-9])")


class _Pass:
    """One pass over a package's JSON data: the renames, the tallies and the problems."""

    def __init__(self) -> None:
        self.tally: Counter[tuple[str, str, str, str]] = Counter()
        self.problems: list[Problem] = []
        self.evidence_ids: dict[str, str] = {}

    def redact_text(self, item: dict[str, Any], i: int) -> None:
        """Remove identifiers from the evidence's free text (summary, narrative, method, subject description, text values)."""
        places: list[tuple[list[str | int], dict[str, Any], str]] = [
            (["evidence", i, name], item, name) for name in _TEXT_FIELDS if isinstance(item.get(name), str)]
        subject = item.get("subject")
        if isinstance(subject, dict) and isinstance(subject.get("description"), str):
            places.append((["evidence", i, "subject", "description"], subject, "description"))
        for j, value in enumerate(item.get("values", ())):
            if isinstance(value.get("value"), str):
                places.append((["evidence", i, "values", j, "value"], value, "value"))
        for parts, holder, name in places:
            found = find_identifiers(holder[name])
            if found:
                kinds = ", ".join(dict.fromkeys(KIND_WORDS[f.kind] for f in found))
                holder[name] = redact(holder[name], found)
                self.problems.append(privacy_problem(
                    "privacy.identifier-redacted", f"the text held {kinds}; removed from the text",
                    path=json_path(parts)))
                self.tally["$.evidence[*]." + ".".join(str(p) for p in parts[2:] if not isinstance(p, int)),
                           "free text", "redacted", ""] += 1


def _replace_strings(node: Any, pattern: re.Pattern[str], new: str) -> Any:
    if isinstance(node, str):
        return pattern.sub(new, node)
    if isinstance(node, list):
        return [_replace_strings(item, pattern, new) for item in node]
    if isinstance(node, dict):
        return {key: _replace_strings(value, pattern, new) for key, value in node.items()}
    return node


def _rename_person(item: dict[str, Any], raw: str, new: str, taken: set[str]) -> str:
    """Replace *raw* in the evidence *item*'s id, free text and extension data; return the new evidence id."""
    if len(raw) < _SHORTEST_REPLACED:  # too short to find safely inside other text: only the subject id changes
        return str(item["id"])
    pattern = _token(raw)
    for name in ("id", *_TEXT_FIELDS, "extension_data"):
        if name in item:
            item[name] = _replace_strings(item[name], pattern, new)
    new_id, n = item["id"], 2
    while new_id in taken:
        new_id, n = f"{item['id']}-{n}", n + 1
    item["id"] = new_id
    return str(new_id)


def _apply(data: dict[str, Any], pseudonym: Callable[[str, dict[str, Any]], str | None], state: _Pass,
           *, redact_free_text: bool) -> None:
    taken = {e["id"] for e in data.get("evidence", ())}
    for i, item in enumerate(data.get("evidence", ())):
        subject = item.get("subject")
        raw = subject.get("id") if isinstance(subject, dict) and subject.get("type") == "person" else None
        if raw is not None:
            new = pseudonym(raw, item)
            if new is None:  # refused: the identifier does not leave
                del subject["id"]
                state.tally["$.evidence[*].subject.id", "identifier", "removed", "(not a usable identifier)"] += 1
            elif new == raw:
                state.tally["$.evidence[*].subject.id", "identifier", "kept", ""] += 1
            else:
                subject["id"] = new
                state.tally["$.evidence[*].subject.id", "identifier", "pseudonymised", ""] += 1
                old_id = item["id"]
                new_id = _rename_person(item, raw, new, taken - {old_id})
                taken.discard(old_id)
                taken.add(new_id)
        if redact_free_text:
            state.redact_text(item, i)


def _rewrite_links(data: dict[str, Any], state: _Pass) -> None:
    if not state.evidence_ids:
        return
    for link in data.get("links", ()):
        link["evidence_id"] = state.evidence_ids.get(link["evidence_id"], link["evidence_id"])


def _report(state: _Pass, source: str, key_id: str) -> PseudonymisationReport:
    changes = tuple(Change(where=where, what=what, action=action, detail=detail, count=n)
                    for (where, what, action, detail), n in state.tally.items())
    return PseudonymisationReport(source=source, key_id=key_id, changes=changes, problems=tuple(state.problems))


def pseudonymise_package(package: Package | Mapping[str, Any], pseudonymiser: Pseudonymiser, *,
                         organisation: str | None = None, source: str = "package",
                         ) -> tuple[Package, PseudonymisationReport]:
    """
    A copy of *package* whose person identifiers are keyed pseudonyms, and the report of what changed.

    Each person subject's id becomes its pseudonym, namespaced (for a local id) by *organisation*,
    else the organisation that collected the evidence, else the package's publisher; the id is also
    replaced wherever else it appears in that evidence (its own id, as the Star reader builds it, its
    text and extension data), and links follow renamed evidence. Ids already pseudonyms are kept.
    Identifiers in the evidence's free text (CHI and NHS numbers, emails, phone numbers, full
    postcodes, dates of birth) are removed. The package records the key's id (never the key) under
    ``extension_data["privacy"]["key_id"]``. The input is not changed.

    Example:
        >>> import sharedoutcomes
        >>> p = Pseudonymiser(b"k" * 32)
        >>> package, report = pseudonymise_package(sharedoutcomes.example_package(), p)
        >>> sorted({e.subject.id[:2] for e in package.evidence if e.subject and e.subject.type == "person"})
        ['P-']
        >>> print(report.changes[0])
        $.evidence[*].subject.id: identifier replaced by keyed pseudonyms (3 values)
        >>> package.extension_data["privacy"]["key_id"] == p.key_id
        True
    """
    data = to_json_data(package if isinstance(package, Package) else load(_copy(package)))
    state = _Pass()

    def pseudonym(raw: str, item: dict[str, Any]) -> str | None:
        if is_pseudonym(raw):
            return raw
        namespace = organisation or item.get("collected_by") or data.get("publisher")
        try:
            return pseudonymiser.pseudonym(raw, organisation=namespace)
        except IdentifierError as error:
            state.problems.append(privacy_problem(
                "privacy.identifier-refused", f"{error}; the person id was removed so that it does not leave",
                path=json_path(["evidence", data["evidence"].index(item), "subject", "id"])))
            return None

    _apply_tracking(data, pseudonym, state)
    _with_extension(data, key_id=pseudonymiser.key_id)
    return from_json_data(data, Package), _report(state, source, pseudonymiser.key_id)


def _apply_tracking(data: dict[str, Any], pseudonym: Callable[[str, dict[str, Any]], str | None],
                    state: _Pass, *, redact_free_text: bool = True) -> None:
    """`_apply`, recording each renamed evidence id so that the links follow."""
    before = [e["id"] for e in data.get("evidence", ())]
    _apply(data, pseudonym, state, redact_free_text=redact_free_text)
    after = [e["id"] for e in data.get("evidence", ())]
    state.evidence_ids = {old: new for old, new in zip(before, after, strict=True) if old != new}
    _rewrite_links(data, state)


def _copy(data: Mapping[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(dict(data))


def repseudonymise(package: Package | Mapping[str, Any], mapping: Mapping[str, str], *, key_id: str | None = None,
                   source: str = "package") -> tuple[Package, PseudonymisationReport]:
    """
    A copy of *package* with each old pseudonym replaced by its new one (`rotation_mapping`), after a key is replaced.

    Pseudonyms the mapping does not hold are removed and reported (``privacy.identifier-refused``):
    a pseudonym of the old key must not stay beside those of the new one. *key_id* is the new
    key's id, recorded in the package.

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.privacy import rotation_mapping
        >>> old, new = Pseudonymiser(b"o" * 32), Pseudonymiser(b"n" * 32)
        >>> package, _ = pseudonymise_package(sharedoutcomes.example_package(), old)
        >>> mapping = rotation_mapping(old, new, ["TTC-0452"], organisation="GB-SC-SC038977")  # the carers' centre's
        >>> rekeyed, report = repseudonymise(package, mapping, key_id=new.key_id)
        >>> sorted(report.counts().items())   # the shed's person is not in the mapping, so is removed
        [('pseudonymised', 2), ('removed', 1)]
    """
    check_mapping(mapping)
    data = to_json_data(package if isinstance(package, Package) else load(_copy(package)))
    state = _Pass()

    def pseudonym(raw: str, item: dict[str, Any]) -> str | None:
        new = mapping.get(raw)
        if new is None:
            state.problems.append(privacy_problem(
                "privacy.identifier-refused", "the re-keying mapping has no new pseudonym for this person; the "
                "old pseudonym was removed (ask the key holder for a complete mapping)",
                path=json_path(["evidence", data["evidence"].index(item), "subject", "id"])))
        return new

    _apply_tracking(data, pseudonym, state, redact_free_text=False)
    if key_id is not None:
        _with_extension(data, key_id=key_id)
    return from_json_data(data, Package), _report(state, source, key_id or "")
