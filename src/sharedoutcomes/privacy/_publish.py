"""
Publishing without disclosure: person-level evidence aggregated to cohort counts, small counts suppressed (public API: `sharedoutcomes.privacy`).

The rules, in order (see docs/explanation/privacy.md for their source):

- **Person-level scored evidence** (assessments, measurements, surveys about one person) becomes one
  table per organisation, activity and instrument: for each item, how many people's latest reading is
  higher than their first, the same, or lower, how many have only one reading, and how many people
  have a reading at all; and the number of people in the table. The table is one piece of evidence
  of kind ``count`` about a cohort, linked to what the person-level evidence was linked to.
- **Other person-level evidence** (case studies and quotes about one person), evidence of
  ``personal`` or ``special-category`` sensitivity and evidence whose consent was refused are
  withheld. So is evidence about a cohort of fewer than *threshold* people.
- **Counts of people** elsewhere (values whose unit is people, and the values of ``count`` evidence)
  from 1 to *threshold* − 1 are suppressed: the value is left out and the suppression recorded.
- **Secondary suppression** hides further cells of the tables until no hidden count can be worked out
  from the totals of its row, or from the number of people in its table (`suppress`).
- Identifiers in the remaining free text are removed; links to withheld evidence are dropped.
- The result's sharing level is ``public``; it records every suppression under
  ``extension_data["privacy"]["suppressed"]`` (where and why, never the value) and is validated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Final

from attrs import frozen

from sharedoutcomes._util.identifiers import find_identifiers, redact
from sharedoutcomes.model import Package
from sharedoutcomes.privacy._package import _with_extension
from sharedoutcomes.privacy._suppress import Sum, SuppressionReason, suppress
from sharedoutcomes.problems import Report
from sharedoutcomes.serialization import from_json_data, to_json_data
from sharedoutcomes.validation import load, validate

__all__ = ["CATEGORIES", "DEFAULT_THRESHOLD", "PublicationReport", "Suppression", "Withheld", "publishable"]

DEFAULT_THRESHOLD: Final = 5
"""Counts of people from 1 to 4 are suppressed unless another threshold is given."""

CATEGORIES: Final = (
    ("higher", "latest reading higher than the first"),
    ("same", "latest reading the same as the first"),
    ("lower", "latest reading lower than the first"),
    ("one-reading", "one reading only"),
)
"""The cells of each item's row in an aggregated table, with their labels; ``people`` is the row total."""

_SCORED: Final = frozenset({"assessment", "measurement", "survey"})
_PERSONAL: Final = frozenset({"personal", "special-category"})
_PEOPLE_UNITS: Final = frozenset({"people", "person", "persons", "individuals", "carers", "participants"})
_SLUG = re.compile(r"[^A-Za-z0-9]+")


@frozen(kw_only=True)
class Suppression:
    """
    One figure left out of the published package, and why; never its value.

    Attributes:
        evidence_id: The published evidence the figure belongs to.
        code: The value's code (``health/higher``), or ``subject.size`` for the number of people.
        reason: ``primary`` (a count from 1 to threshold − 1) or ``secondary`` (hidden so that a primary one cannot be worked out).

    Example:
        >>> print(Suppression(evidence_id="pub-carers", code="health/same", reason="primary"))
        pub-carers health/same: suppressed (primary: fewer than the threshold)
    """

    evidence_id: str
    code: str
    reason: SuppressionReason

    def __str__(self) -> str:
        why = "fewer than the threshold" if self.reason == "primary" else "it would reveal a suppressed count"
        return f"{self.evidence_id} {self.code}: suppressed ({self.reason}: {why})"

    def to_dict(self) -> dict[str, str]:
        """As JSON-ready data."""
        return {"evidence_id": self.evidence_id, "code": self.code, "reason": self.reason}


@frozen(kw_only=True)
class Withheld:
    """
    A piece of evidence not published, and why.

    Example:
        >>> print(Withheld(evidence_id="ev-shed-case", why="about one person"))
        ev-shed-case: withheld (about one person)
    """

    evidence_id: str
    why: str

    def __str__(self) -> str:
        return f"{self.evidence_id}: withheld ({self.why})"


@frozen(kw_only=True)
class PublicationReport:
    """
    What publishing did: the tables made, every suppression, everything withheld, and the validation of the result.

    Example:
        >>> import sharedoutcomes
        >>> _, report = publishable(sharedoutcomes.example_package())
        >>> report.ok, report.threshold
        (True, 5)
    """

    threshold: int
    aggregated: Mapping[str, int]
    suppressions: tuple[Suppression, ...]
    withheld: tuple[Withheld, ...]
    redacted: tuple[str, ...]
    validation: Report

    @property
    def ok(self) -> bool:
        """``True`` when the published package is valid as ``public``."""
        return self.validation.ok

    def to_text(self) -> str:
        """The report as lines of text."""
        lines = [f"published with threshold {self.threshold}: {len(self.aggregated)} table(s) from person-level "
                 f"evidence, {len(self.suppressions)} figure(s) suppressed, {len(self.withheld)} piece(s) of "
                 "evidence withheld"]
        lines.extend(f"  table {ev} from {n} piece(s) of person-level evidence" for ev, n in self.aggregated.items())
        lines.extend(f"  {s}" for s in self.suppressions)
        lines.extend(f"  {w}" for w in self.withheld)
        lines.extend(f"  {path}: identifiers removed from the text" for path in self.redacted)
        lines.extend(f"  {p.severity}: {p}" for p in self.validation.problems)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {"threshold": self.threshold, "ok": self.ok, "aggregated": dict(self.aggregated),
                "suppressions": [s.to_dict() for s in self.suppressions],
                "withheld": [{"evidence_id": w.evidence_id, "why": w.why} for w in self.withheld],
                "redacted": list(self.redacted), "validation": self.validation.to_dict()}


def _slug(text: str) -> str:
    return _SLUG.sub("-", text).strip("-").lower() or "x"


def _person(item: Mapping[str, Any]) -> str | None:
    subject = item.get("subject") or {}
    return subject.get("id") if subject.get("type") == "person" else None


def _is_person_level(item: Mapping[str, Any]) -> bool:
    return (item.get("subject") or {}).get("type") == "person"


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Table:
    """One aggregated table: a group of person-level scored evidence."""

    def __init__(self, key: tuple[str, str, str]) -> None:
        self.key = key
        self.items: list[Mapping[str, Any]] = []

    def evidence_id(self, taken: set[str]) -> str:
        collected_by, activity, instrument = self.key
        base = "pub-" + "-".join(_slug(part) for part in (activity or collected_by, instrument) if part)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        return candidate

    def counts(self) -> tuple[dict[str, int], list[Sum], dict[str, str], int]:
        """The cells, the sums between them, each item's label, and the number of people."""
        series: dict[str, dict[str, list[tuple[str, float]]]] = defaultdict(lambda: defaultdict(list))
        labels: dict[str, str] = {}
        people: set[str] = set()
        for item in self.items:
            person = _person(item) or item["id"]  # evidence about an unnamed person counts as one person
            people.add(person)
            for value in item.get("values", ()):
                if _numeric(value["value"]):
                    series[value["code"]][person].append((item.get("date") or _period_end(item), value["value"]))
                    labels.setdefault(value["code"], value.get("label") or value["code"])
        cells: dict[str, int] = {"people": len(people)}
        sums: list[Sum] = []
        for code, by_person in series.items():
            row = dict.fromkeys((f"{code}/{name}" for name, _ in CATEGORIES), 0)
            for points in by_person.values():
                points.sort(key=lambda p: p[0])
                first, latest = points[0][1], points[-1][1]
                name = ("one-reading" if len(points) < 2 else "higher" if latest > first
                        else "lower" if latest < first else "same")
                row[f"{code}/{name}"] += 1
            cells.update(row)
            cells[f"{code}/people"] = len(by_person)
            sums.append(Sum(f"{code}/people", tuple(row)))
            if len(by_person) == len(people):  # a reader sees the item's total is the table's: say so
                sums.append(Sum("people", (f"{code}/people",)))
        return cells, sums, labels, len(people)


def _period_end(item: Mapping[str, Any]) -> str:
    period = item.get("period") or {}
    return str(period.get("end") or period.get("start") or "")


class _Publication:
    """The state of one publication: what is kept, withheld, suppressed and made."""

    def __init__(self, data: Mapping[str, Any], threshold: int) -> None:
        self.data = data
        self.threshold = threshold
        self.kept: list[dict[str, Any]] = []
        self.withheld: list[Withheld] = []
        self.suppressions: list[Suppression] = []
        self.aggregated: dict[str, int] = {}
        self.redacted: list[str] = []
        self.tables: dict[tuple[str, str, str], _Table] = {}
        self.renamed: dict[str, str] = {}  # person-level evidence id → the table it went into

    def sort(self) -> None:
        for item in self.data.get("evidence", ()):
            why = self._withhold(item)
            if why == "aggregate":
                key = (item.get("collected_by") or "", item.get("activity_id") or "", item.get("instrument") or item["kind"])
                self.tables.setdefault(key, _Table(key)).items.append(item)
            elif why:
                self.withheld.append(Withheld(evidence_id=item["id"], why=why))
            else:
                self.kept.append(_copy_evidence(item))

    def _withhold(self, item: Mapping[str, Any]) -> str | None:
        if item.get("consent") == "refused":
            return "the person refused consent"
        if _is_person_level(item):
            if item["kind"] in _SCORED and any(_numeric(v["value"]) for v in item.get("values", ())):
                return "aggregate"
            return "about one person"
        if item.get("sensitivity") in _PERSONAL:
            return f"{item['sensitivity']} data"
        size = (item.get("subject") or {}).get("size")
        if (item.get("subject") or {}).get("type") == "cohort" and size is not None and 0 < size < self.threshold:
            return f"about a cohort of fewer than {self.threshold} people"
        return None

    def make_tables(self, taken: set[str]) -> None:
        for table in self.tables.values():
            cells, sums, labels, people = table.counts()
            if people < self.threshold:  # every figure would be about fewer people than the threshold
                self.withheld.extend(
                    Withheld(evidence_id=item["id"], why=f"its table would describe fewer than {self.threshold} people")
                    for item in table.items)
                continue
            evidence_id = table.evidence_id(taken)
            hidden = suppress(cells, sums, self.threshold)
            _hide_rows(hidden, sums)
            self.suppressions.extend(
                Suppression(evidence_id=evidence_id, code="subject.size" if cell == "people" else cell, reason=why)
                for cell, why in sorted(hidden.items()))
            self.aggregated[evidence_id] = len(table.items)
            for item in table.items:
                self.renamed[item["id"]] = evidence_id
            self.kept.append(_table_evidence(evidence_id, table, cells, hidden, labels=labels, people=people))

    def suppress_counts(self) -> None:
        for item in self.kept:
            if item["id"] in self.aggregated:
                continue
            values = []
            for value in item.get("values", ()):
                if _is_count(item, value) and 0 < value["value"] < self.threshold:
                    self.suppressions.append(Suppression(evidence_id=item["id"], code=value["code"], reason="primary"))
                else:
                    values.append(value)
            if len(values) != len(item.get("values", ())):
                item["values"] = values
                _record(item, [s.code for s in self.suppressions if s.evidence_id == item["id"]])

    def redact_text(self) -> None:
        for item in self.kept:
            for name in ("summary", "narrative", "method"):
                text = item.get(name)
                if isinstance(text, str) and (found := find_identifiers(text)):
                    item[name] = redact(text, found)
                    self.redacted.append(f"evidence {item['id']} {name}")


def _hide_rows(hidden: dict[str, SuppressionReason], sums: list[Sum]) -> None:
    """A hidden total hides its whole row (zeros beside it would tell what it holds), until nothing changes."""
    changed = True
    while changed:
        changed = False
        for relation in sums:
            if relation.total in hidden and any(part not in hidden for part in relation.parts):
                hidden.update({part: "secondary" for part in relation.parts if part not in hidden})
                changed = True


def _is_count(item: Mapping[str, Any], value: Mapping[str, Any]) -> bool:
    if not isinstance(value["value"], int) or isinstance(value["value"], bool):
        return False
    unit = (value.get("unit") or "").lower()
    return unit in _PEOPLE_UNITS or (item["kind"] == "count" and not unit)


def _record(item: dict[str, Any], codes: Iterable[str]) -> None:
    data = dict(item.get("extension_data", {}))
    data["privacy"] = {"suppressed": sorted(set(codes))}
    item["extension_data"] = data


def _copy_evidence(item: Mapping[str, Any]) -> dict[str, Any]:
    copied = dict(item)
    if "values" in copied:
        copied["values"] = [dict(v) for v in copied["values"]]
    return copied


def _table_evidence(evidence_id: str, table: _Table, cells: Mapping[str, int], hidden: Mapping[str, str], *,
                    labels: Mapping[str, str], people: int) -> dict[str, Any]:
    collected_by, activity, instrument = table.key
    dates = sorted(d for item in table.items if (d := item.get("date") or _period_end(item)))
    values = []
    for cell, count in cells.items():
        if cell == "people" or cell in hidden:
            continue
        code, _, category = cell.rpartition("/")
        words = dict(CATEGORIES).get(category, "people with a reading")
        values.append({"code": cell, "value": count, "unit": "people", "label": f"{labels[code]}: {words}"})
    subject: dict[str, Any] = {"type": "cohort", "description": "People with readings on this instrument"}
    if "people" not in hidden:
        subject["size"] = people
    item: dict[str, Any] = {
        "id": evidence_id, "kind": "count", "subject": subject, "values": values,
        "summary": f"How people's readings changed between their first and latest reading ({len(table.items)} "
                   "readings, aggregated for publication)",
        "method": "Aggregated from person-level evidence by sharedoutcomes.privacy.publishable; counts below the "
                  "threshold suppressed, with secondary suppression.",
    }
    if instrument and instrument not in _SCORED:
        item["instrument"] = instrument
    if collected_by:
        item["collected_by"] = collected_by
    if activity:
        item["activity_id"] = activity
    if dates:
        item["period"] = {"start": dates[0][:10], "end": dates[-1][:10]}
    if hidden:
        _record(item, ("subject.size" if c == "people" else c for c in hidden))
    return item


def _links(data: Mapping[str, Any], publication: _Publication, kept_ids: set[str]) -> list[dict[str, Any]]:
    links, seen = [], set()
    for link in data.get("links", ()):
        evidence_id = publication.renamed.get(link["evidence_id"], link["evidence_id"])
        if evidence_id not in kept_ids:
            continue
        if evidence_id in publication.aggregated:
            key = (evidence_id, link["target_type"], link["target_id"], link["relation"])
            if key in seen:
                continue
            seen.add(key)
            links.append({"id": f"{evidence_id}-link-{len(seen)}", "evidence_id": evidence_id,
                          "target_type": link["target_type"], "target_id": link["target_id"],
                          "relation": link["relation"], "rationale": "Aggregated from the links of the person-level evidence"})
            continue
        links.append(dict(link))
    return links


def publishable(package: Package | Mapping[str, Any], *, threshold: int = DEFAULT_THRESHOLD, id: str | None = None,
                produced: str | None = None) -> tuple[Package, PublicationReport]:
    """
    A ``public`` package made from *package* without disclosing anyone, and the report of every suppression.

    See the module documentation for the rules. The input is not changed.

    Args:
        package: Any package (``personal``, ``partners`` or already ``public``).
        threshold: The smallest count of people published (default 5): counts from 1 to threshold − 1 are suppressed.
        id: The published package's id (default: the input's id and ``-public``).
        produced: When it was produced (RFC 3339; default now).

    Returns:
        The public package and a `PublicationReport` (whose ``validation`` is the result's validation report).

    Example:
        >>> import sharedoutcomes
        >>> public, report = publishable(sharedoutcomes.example_package(), produced="2025-06-01T09:00:00Z")
        >>> public.sharing_level, report.ok
        ('public', True)
        >>> [str(w) for w in report.withheld][:1]
        ['ev-shed-case: withheld (about one person)']
        >>> any(e.subject and e.subject.type == "person" for e in public.evidence)
        False
    """
    if threshold < 1:
        msg = f"the threshold must be 1 or more, not {threshold}"
        raise ValueError(msg)
    data = to_json_data(package if isinstance(package, Package) else load(dict(package)))
    publication = _Publication(data, threshold)
    publication.sort()
    taken = {e["id"] for e in publication.kept}
    publication.make_tables(taken)
    publication.suppress_counts()
    publication.redact_text()
    kept_ids = {e["id"] for e in publication.kept}
    published = {key: value for key, value in data.items() if key not in ("evidence", "links")}
    published.update(
        id=id or f"{data['id']}-public", sharing_level="public",
        produced=produced or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        evidence=publication.kept, links=_links(data, publication, kept_ids))
    extension_data = dict(published.get("extension_data", {}))
    extension_data.pop("privacy", None)  # the key's id is of no use to the public
    published["extension_data"] = extension_data
    _with_extension(published, suppressed=[s.to_dict() for s in publication.suppressions], threshold=threshold)
    result = from_json_data(published, Package)
    report = PublicationReport(
        threshold=threshold, aggregated=publication.aggregated, suppressions=tuple(publication.suppressions),
        withheld=tuple(publication.withheld), redacted=tuple(publication.redacted), validation=validate(result))
    return result, report
