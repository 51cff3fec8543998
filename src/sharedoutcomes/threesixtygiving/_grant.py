"""
One 360Giving grant → an activity with its funding line, and its funder and recipient organisations.

What the model holds is mapped (`MAPPING` lists it, and the how-to's table is generated from it);
every other member of the grant is kept, as it was, under the activity's
``extension_data["threesixtygiving"]``, so nothing is lost and the writer can give it back. The
quirks of published files are reported where they are and never "fixed" in the data: a date
written ``dd/mm/yyyy`` (read as the date it means, the original kept), a field outside the schema,
a ``360G-`` id with a colon, a placeholder description, a letter O in a Scottish charity number.
The name of an individual recipient is personal data: it is not read.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from attrs import field, frozen

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.converters import CoverageCounter
from sharedoutcomes.exceptions import Problem
from sharedoutcomes.model import CURRENCY_PATTERN, ORG_ID_PATTERN
from sharedoutcomes.problems import SourceLocation
from sharedoutcomes.threesixtygiving._raw import RawGrant
from sharedoutcomes.threesixtygiving._schema import Path, member_tree
from sharedoutcomes.validation import org_id_shape

__all__ = ["EXTENSION", "MAPPING", "GrantMapper", "MappedGrant", "iter_leaves", "parse_date", "sector_of"]

EXTENSION: Final = "threesixtygiving"
"""The extension under which a grant's fields outside the model are kept."""

MAPPING: Final = (
    ("id", "activities[].id, activities[].funding[0].grant_id", "the grant id, kept as it is (an activity id "
     "has no spaces: a space becomes '-', and a repeated grant id gets '#2', '#3')"),
    ("title", "activities[].title", ""),
    ("description", "activities[].description", "placeholders such as 'Dummy' are reported, and kept"),
    ("amountAwarded, currency", "activities[].funding[0].amount", "only a number of 0 or more with an ISO 4217 "
     "currency; anything else is reported and kept in the extension"),
    ("fundingOrganization[0]", "organisations[] (kind 'funder'), activities[].participants[] (role 'funder'), "
     "activities[].funding[0].funder_id", "id and name; the other members stay with the grant"),
    ("recipientOrganization[0]", "organisations[], activities[].participants[] (role 'lead')",
     "id and name; the other members stay with the grant"),
    ("plannedDates[0].startDate, endDate", "activities[].period, activities[].funding[0].period",
     "a full date; 'dd/mm/yyyy' is read as the date it means and reported, the original kept"),
    ("grantProgramme[0].title", "activities[].funding[0].fund", "the programme's code stays with the grant"),
    ("beneficiaryLocation[].name", "activities[].locality", "the names, joined by '; '; the locations "
     "themselves stay with the grant"),
    ("recipientIndividual.name", "(not read)", "personal data: reported, never read"),
    ("everything else", "activities[].extension_data.threesixtygiving", "exactly as given: awardDate, "
     "amountAppliedFor, classifications, transactions, fields outside the schema …"),
)
"""Each grant field, the package field it becomes, and how: the how-to's mapping table is made from this."""

_PLACEHOLDERS: Final = frozenset({"dummy", "test", "tbc", "tbd", "n/a", "na", "none", "-", "x", "xx", "xxx",
                                  "description", "no description", "lorem ipsum", "."})
_UK_DATE: Final = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$(?!\n)")
_ISO_DATE: Final = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})([T ][0-9:.]+(Z|[+-][0-9]{2}:?[0-9]{2})?)?$(?!\n)")
_DATE_KEYS: Final = frozenset({"awardDate", "startDate", "endDate", "dateModified", "transactionDate",
                               "valueDate", "issued", "modified"})
_ORG_ID: Final = re.compile(ORG_ID_PATTERN)
_CURRENCY: Final = re.compile(CURRENCY_PATTERN)
_SPACE: Final = re.compile(r"\s+")
_PUBLIC: Final = ("GB-LAS-", "GB-LAE-", "GB-PLA-", "GB-LANI-", "GB-GOV-", "GB-NHS-", "GB-EDU-", "GB-SCOTEDU-",
                   "GB-UKPRN-")
_ACADEMIC: Final = ("XI-ROR-", "XI-GRID-", "GB-HESA-")


def parse_date(value: Any) -> tuple[dt.date | None, bool]:
    """
    The date *value* names, and whether it was written ``dd/mm/yyyy`` (a quirk to report).

    Example:
        >>> parse_date("2021-01-26T00:00:00+00:00"), parse_date("26/01/2021"), parse_date("2021-01")
        ((datetime.date(2021, 1, 26), False), (datetime.date(2021, 1, 26), True), (None, False))
    """
    if not isinstance(value, str):
        return None, False
    found = _ISO_DATE.match(value)
    uk = False
    if found is None:
        found = _UK_DATE.match(value)
        if found is None:
            return None, False
        day, month, year = found.groups()
        uk = True
    else:
        year, month, day = found.groups()[:3]
    try:
        return dt.date(int(year), int(month), int(day)), uk
    except ValueError:
        return None, False


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def sector_of(identifier: str) -> str:
    """
    The sector an org-id's register implies.

    ``public`` for councils, the NHS, government and schools, ``academic`` for research registers, else
    ``third`` (360Giving does not say; check it where it matters).

    Example:
        >>> sector_of("GB-LAS-NAY"), sector_of("XI-ROR-03yrm5c26"), sector_of("GB-CHC-1126147")
        ('public', 'academic', 'third')
    """
    if identifier.startswith(_PUBLIC):
        return "public"
    if identifier.startswith(_ACADEMIC):
        return "academic"
    return "third"


@functools.lru_cache(maxsize=4096)  # bounded: a file names the same funders and recipients again and again
def _check_org(identifier: str) -> tuple[str, tuple[str, str | None] | None] | None:
    """``None`` if *identifier* is no org-id; else its sector and what is wrong with its shape (if anything)."""
    if not _ORG_ID.match(identifier):
        return None
    return sector_of(identifier), org_id_shape(identifier)


@frozen(kw_only=True)
class MappedGrant:
    """
    What one grant became.

    Attributes:
        activity: The activity (JSON), with its funding line and the rest of the grant in its extension.
        organisations: The funder and recipient (JSON), as this grant names them.
        organisation_sources: For each organisation, where its id came from (``None`` without a source map).
        problems: The grant's quirks and what was not read, each located.
        source_map: Package JSONPath → where the value came from.
        amount: The amount awarded that went into the funding line (``None`` when none could).
    """

    activity: dict[str, Any]
    organisations: list[dict[str, Any]] = field(factory=list)
    organisation_sources: list[SourceLocation | None] = field(factory=list)
    problems: list[Problem] = field(factory=list)
    source_map: dict[str, SourceLocation] = field(factory=dict)
    amount: float | None = None


class GrantMapper:
    """
    Maps grants one by one.

    It remembers what is reported once a file (a field outside the schema) and, with *unique_ids*,
    which grant ids were seen (a repeated one gets a distinct activity id); without, its memory does
    not grow with the file.
    """

    def __init__(self, counter: CoverageCounter, *, source_map: bool = True, unique_ids: bool = True) -> None:
        self.counter = counter
        self.want_map = source_map
        self.unique_ids = unique_ids
        self._unknown: set[Path] = set()
        self._ids: dict[str, int] = {}

    def map(self, raw: RawGrant, index: int) -> MappedGrant:
        """Map *raw*, the package's activity number *index*."""
        return _Mapping(self, raw, index).run()


class _Mapping:
    """The state of mapping one grant: built, run once, discarded."""

    def __init__(self, mapper: GrantMapper, raw: RawGrant, index: int) -> None:
        self.mapper = mapper
        self.raw = raw
        self.data = raw.data
        self.index = index
        self.prefix: list[str | int] = ["activities", index]
        self.problems: list[Problem] = []
        self.source_map: dict[str, SourceLocation] = {}
        self.rest: dict[str, Any] = dict(raw.data)
        self.want_map = mapper.want_map
        self.organisations: list[dict[str, Any]] = []
        self.organisation_sources: list[SourceLocation | None] = []

    def _problem(self, rule: str, path: Path, message: str, where: list[str | int], value: Any = None) -> None:
        self.problems.append(Problem(rule=rule, severity="warning", path=json_path([*self.prefix, *where]),
                                     message=message, source=self.raw.locate(path), value=value))

    def _mapped(self, where: list[str | int], path: Path) -> None:
        if self.want_map:
            self.source_map[json_path([*self.prefix, *where])] = self.raw.locate(path)

    def _take(self, array: str, key: str) -> Any:
        """Remove ``array[0].key`` from the rest of the grant, and return it."""
        items = self.rest.get(array)
        if not isinstance(items, list) or not items or not isinstance(items[0], dict) or key not in items[0]:
            return None
        first = dict(items[0])
        value = first.pop(key)
        self.rest[array] = [first, *items[1:]]
        return value

    def _identity(self) -> tuple[str, str]:
        grant_id = self.data.get("id")
        if isinstance(grant_id, int | float) and not isinstance(grant_id, bool):
            grant_id = str(grant_id)
        if not _text(grant_id):
            made = f"grant-{self.index + 1}"
            self._problem("threesixtygiving.missing-field", (), f"the grant has no 'id'; its activity is called "
                          f"{made!r} here (give every grant its 360Giving identifier)", ["id"])
            return made, made
        self.rest.pop("id", None)
        assert isinstance(grant_id, str)
        if grant_id.startswith("360G-") and ":" in grant_id:
            self._problem("threesixtygiving.local-id-colon", ("id",),
                          f"the grant id {grant_id!r} has a colon: 360Giving identifiers use letters, digits and "
                          "'-' (it is kept as it is)", ["funding", 0, "grant_id"], grant_id)
        activity_id = _SPACE.sub("-", grant_id.strip())
        if not self.mapper.unique_ids:
            self._mapped(["id"], ("id",))
            self._mapped(["funding", 0, "grant_id"], ("id",))
            return activity_id, grant_id
        seen = self.mapper._ids.get(activity_id, 0) + 1
        self.mapper._ids[activity_id] = seen
        if seen > 1:
            self._problem("threesixtygiving.duplicate-id", ("id",),
                          f"the grant id {grant_id!r} is used by an earlier grant too; this one's activity is "
                          f"{activity_id}#{seen}", ["id"], grant_id)
            activity_id = f"{activity_id}#{seen}"
        self._mapped(["id"], ("id",))
        self._mapped(["funding", 0, "grant_id"], ("id",))
        return activity_id, grant_id

    def _describe(self, activity: dict[str, Any], grant_id: str) -> None:
        title = _text(self.data.get("title"))
        if title is None:
            self._problem("threesixtygiving.missing-field", ("title",), "the grant has no 'title'; its activity "
                          "is titled with the grant id", ["title"])
            activity["title"] = grant_id
        else:
            activity["title"] = title
            self.rest.pop("title")
            self._mapped(["title"], ("title",))
        description = _text(self.data.get("description"))
        if description is not None:
            activity["description"] = description
            self.rest.pop("description")
            self._mapped(["description"], ("description",))
            if len(description) <= 20 and " ".join(description.split()).casefold() in _PLACEHOLDERS:
                self._problem("threesixtygiving.placeholder-text", ("description",),
                              f"the description is a placeholder ({description.strip()!r}), not a description of "
                              "the grant (it is kept as it is)", ["description"], description)

    def _amount(self, line: dict[str, Any]) -> float | None:
        amount, currency = self.data.get("amountAwarded"), self.data.get("currency")
        number = isinstance(amount, int | float) and not isinstance(amount, bool)
        if isinstance(amount, int | float) and number and amount >= 0 and isinstance(currency, str) \
                and _CURRENCY.match(currency):
            line["amount"] = {"amount": amount, "currency": currency}
            self.rest.pop("amountAwarded")
            self.rest.pop("currency")
            self._mapped(["funding", 0, "amount", "amount"], ("amountAwarded",))
            self._mapped(["funding", 0, "amount", "currency"], ("currency",))
            return float(amount)
        if amount is None:
            why = "the grant has no 'amountAwarded'"
        elif not number:
            why = f"the amount awarded {str(amount)[:40]!r} is not a number"
        elif amount < 0:
            why = f"the amount awarded {amount} is negative"
        else:
            why = f"the currency {str(currency)[:20]!r} is not an ISO 4217 code such as GBP"
        self._problem("threesixtygiving.bad-amount", ("amountAwarded",), f"{why}: the funding line has no "
                      "amount (the original is kept in the extension)", ["funding", 0], amount)
        return None

    def _organisation(self, array: str, role: str, activity: dict[str, Any]) -> str | None:
        items = self.data.get(array)
        first = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else None
        if first is None:
            return None
        identifier = first.get("id")
        where: list[str | int] = ["participants", len(activity["participants"]), "organisation_id"]
        path: Path = (array, 0, "id")
        checked = _check_org(identifier) if isinstance(identifier, str) else None
        if checked is None:
            if identifier is not None:
                self._problem("threesixtygiving.bad-org-id", path, f"{str(identifier)[:60]!r} is not an "
                              "organisation identifier (a prefix such as GB-CHC, a hyphen and a number): the "
                              "organisation is kept with the grant only", where, identifier)
            return None
        assert isinstance(identifier, str)
        sector, wrong = checked
        if wrong is not None:
            hint = f"; did you mean {wrong[1]!r}?" if wrong[1] else ""
            self._problem("threesixtygiving.org-id-typo", path,
                          f"grant {self.data.get('id')!s:.60}: the {array} id {identifier!r}: {wrong[0]}{hint} "
                          "(the id is kept as it is)", where, identifier)
        self._take(array, "id")
        name = _text(first.get("name"))  # kept with the grant too: another grant may name the organisation otherwise
        organisation = {"id": identifier, "name": name or identifier, "sector": sector}
        if role == "funder":
            organisation["kind"] = "funder"
        self.organisations.append(organisation)
        self.organisation_sources.append(self.raw.locate(path) if self.mapper.want_map else None)
        activity["participants"].append({"organisation_id": identifier, "role": role})
        self._mapped(where, path)
        if not all(isinstance(v, dict) and not v for v in self.rest.get(array, [None])):
            return identifier
        self.rest.pop(array)
        return identifier

    def _period(self, activity: dict[str, Any], line: dict[str, Any]) -> None:
        items = self.data.get("plannedDates")
        first = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}
        start, _uk = parse_date(first.get("startDate"))
        if start is None:
            return
        period: dict[str, Any] = {"start": start.isoformat()}
        end, _uk_end = parse_date(first.get("endDate"))
        if end is not None:
            period["end"] = end.isoformat()
        for key in ("startDate", "endDate"):
            value = first.get(key)
            if isinstance(value, str) and parse_date(value)[0] is not None and _ISO_DATE.match(value) and \
                    len(value) == 10:
                self._take("plannedDates", key)
        if all(isinstance(v, dict) and not v for v in self.rest.get("plannedDates", [None])):
            self.rest.pop("plannedDates")
        activity["period"] = dict(period)
        line["period"] = period
        ends = ("start", "end") if "end" in period else ("start",)
        for end_of, key in zip(ends, ("startDate", "endDate"), strict=False):
            self._mapped(["period", end_of], ("plannedDates", 0, key))
            self._mapped(["funding", 0, "period", end_of], ("plannedDates", 0, key))

    def _places(self, activity: dict[str, Any], line: dict[str, Any]) -> None:
        programme = self.data.get("grantProgramme")
        first = programme[0] if isinstance(programme, list) and programme and isinstance(programme[0], dict) else {}
        if _text(first.get("title")) is not None:
            line["fund"] = self._take("grantProgramme", "title")
            self._mapped(["funding", 0, "fund"], ("grantProgramme", 0, "title"))
        locations = self.data.get("beneficiaryLocation")
        if isinstance(locations, list):
            names = [loc["name"].strip() for loc in locations if isinstance(loc, dict) and _text(loc.get("name"))]
            if names:
                activity["locality"] = "; ".join(dict.fromkeys(names))
                self._mapped(["locality"], ("beneficiaryLocation", 0, "name"))

    def _individual(self) -> bool:
        """Leave out an individual recipient's name; ``True`` when there was one."""
        person = self.data.get("recipientIndividual")
        if isinstance(person, dict) and "name" in person:
            rest = {k: v for k, v in person.items() if k != "name"}
            self.rest["recipientIndividual"] = rest
            if isinstance(person["name"], str) and person["name"].strip():
                self.problems.append(Problem(
                    rule="threesixtygiving.personal-data", severity="warning",
                    path=json_path([*self.prefix, "extension_data", EXTENSION, "recipientIndividual"]),
                    message="the grant is to an individual: their name is personal data and is not read (the "
                            "grant's other fields are)", source=self.raw.locate(("recipientIndividual", "name"))))
                self.mapper.counter.not_read(self.raw.locate(("recipientIndividual", "name")).sheet or "grants")
                return True
        return False

    def run(self) -> MappedGrant:
        activity_id, grant_id = self._identity()
        activity: dict[str, Any] = {"id": activity_id, "participants": []}
        line: dict[str, Any] = {"grant_id": grant_id}
        self._describe(activity, grant_id)
        amount = self._amount(line)
        funder = self._organisation("fundingOrganization", "funder", activity)
        if funder is not None:
            line["funder_id"] = funder
            self._mapped(["funding", 0, "funder_id"], ("fundingOrganization", 0, "id"))
        self._organisation("recipientOrganization", "lead", activity)
        self._period(activity, line)
        self._places(activity, line)
        refused = self._individual()
        activity["funding"] = [line]
        if not activity["participants"]:
            del activity["participants"]
        self._count(refused)
        rest = {key: value for key, value in self.rest.items() if value is not None}
        if rest:
            activity["extension_data"] = {EXTENSION: rest}
            if self.mapper.want_map:
                self._map_rest(rest, ["extension_data", EXTENSION], ())
        return MappedGrant(activity=activity, organisations=self.organisations,
                           organisation_sources=self.organisation_sources, problems=self.problems,
                           source_map=self.source_map, amount=amount)

    def _map_rest(self, node: Any, where: list[str | int], path: Path) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                self._map_rest(value, [*where, key], (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self._map_rest(value, [*where, index], (*path, index))
        else:
            self.source_map[json_path([*self.prefix, *where])] = self.raw.locate(path)

    def _walk(self, node: Mapping[str, Any], path: Path, tree: Mapping[str, Any] | None) -> int:
        """Count the values of an object; report each field outside the schema (once a file) and each UK date."""
        count = 0
        for key, value in node.items():
            sub = None
            if tree is not None:
                if key in tree:
                    sub = tree[key]
                else:
                    self._unknown_field((*path, key))
            kind = type(value)
            if kind is str:
                if value:
                    count += 1
                    if key in _DATE_KEYS and "/" in value and _UK_DATE.match(value):
                        self._uk_date((*path, key), value)
            elif kind is dict:
                count += self._walk(value, (*path, key), sub)
            elif kind is list:
                for index, item in enumerate(value):
                    if type(item) is dict:
                        count += self._walk(item, (*path, key, index), sub)
                    else:
                        count += sum(1 for _ in iter_leaves(item))
            elif value is not None:
                count += 1
        return count

    def _uk_date(self, path: Path, value: str) -> None:
        date, _uk = parse_date(value)
        meaning = f"read as {date.isoformat()}" if date else "not a date"
        self._problem("threesixtygiving.date-format", path,
                      f"the date {value!r} ({'.'.join(str(p) for p in path)}) is written dd/mm/yyyy, not "
                      f"YYYY-MM-DD as 360Giving asks: {meaning}; the original is kept", _where(path), value)

    def _count(self, refused: bool) -> None:
        """Count what was read: every value of the grant, but an individual's name."""
        counter = self.mapper.counter
        if self.raw.locations is None:
            counter.read("grants", self._walk(self.data, (), member_tree()) - refused)
            return
        self._walk(self.data, (), member_tree())
        name = self.raw.locations.get(("recipientIndividual", "name")) if refused else None
        for location in self.raw.locations.values():
            if location is not name:
                counter.read(location.sheet or "grants")

    def _unknown_field(self, path: Path) -> None:
        if path in self.mapper._unknown:  # most often: the same top-level field, grant after grant
            return
        key = tuple(0 if isinstance(part, int) else part for part in path)
        if key in self.mapper._unknown:
            return
        self.mapper._unknown.add(key)
        name = ".".join(str(part) for part in path if isinstance(part, str))
        self._problem("threesixtygiving.unknown-field", _first_leaf(self.data, path),
                      f"the field {name!r} is not in the 360Giving schema: kept under "
                      f"extension_data.{EXTENSION} (reported once per file)", ["extension_data", EXTENSION, *path])


def _where(path: Path) -> list[str | int]:
    mapped: dict[Path, list[str | int]] = {("awardDate",): ["extension_data", EXTENSION, "awardDate"],
              ("plannedDates", 0, "startDate"): ["period", "start"], ("plannedDates", 0, "endDate"): ["period", "end"]}
    return mapped.get(path, ["extension_data", EXTENSION, *path])


def _first_leaf(data: Mapping[str, Any], path: Path) -> Path:
    node: Any = data
    for part in path:
        node = node[part]
    while isinstance(node, dict | list) and node:
        key: Any = next(iter(node)) if isinstance(node, dict) else 0
        node = node[key]
        path = (*path, key)
    return path


def iter_leaves(node: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every non-empty leaf of a JSON value, with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from iter_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from iter_leaves(value, (*path, index))
    elif node is not None and node != "":
        yield path, node
