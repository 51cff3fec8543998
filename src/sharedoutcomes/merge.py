"""
Merge returns from many organisations into one partnership package, losing nothing.

The rules, in order:

- **Organisations** are deduplicated by id. Identical copies become one. Copies that differ
  keep the first package's values; the others' differing values are kept under the
  organisation's ``extension_data["merge"]["conflicts"]``, and a ``merge-organisation-conflict``
  problem names both packages and the fields.
- **Every other object** (activity, outcome, indicator, contribution, evidence, link) whose id is
  already taken by an object from an earlier package is compared after its references are
  rewritten: an identical copy is dropped (the same national outcome or the same evidence sent
  twice); a different object is renamed to ``<id>@<package-id>`` (``-2``, ``-3`` … if that is
  taken too) and **every reference to it in its own package is rewritten**. Each rename is
  reported (``merge-id-renamed``) and recorded in the object's ``extension_data["merge"]``
  (``original_id``, ``package``). The earliest package keeps its ids, so the result depends only on
  the order of the inputs.
- **Provenance** is kept: objects are not changed except for renamed ids and references, and the
  merged package's ``extension_data["merge"]["sources"]`` lists each input (id, title,
  publisher, produced, sharing level).
- **Extensions** are unioned by name; a name declared with different versions is a
  ``merge-extension-conflict``. Package-level extension data is unioned by extension name.
- **People** keep their pseudonymous ids (a subject id is never renamed), so the same pseudonym from
  different organisations' packages is the same person in the merge (`sharedoutcomes.story.person_story`
  tells their story across them); ``extension_data["merge"]["linked_people"]`` counts the people
  found in more than one input.
- **Sharing level** is the most restrictive present (personal, then partners, then public)
  unless given; asking for ``public`` when any evidence is about a person, or personal or special
  category data, raises `MergeError`.

Example:
    >>> from sharedoutcomes import example_package
    >>> result = merge([example_package(), example_package()], id="na-merged", title="Merged",
    ...                publisher="GB-NHS-NAHSCP", produced="2025-06-01T09:00:00Z")
    >>> result.problems
    ()
    >>> len(result.package.evidence) == len(example_package().evidence)
    True
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, TypeVar

import attrs
from attrs import frozen

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import Problem, SharedOutcomesError
from sharedoutcomes.model import (
    SCHEMA_VERSION,
    Activity,
    Contribution,
    Evidence,
    EvidenceLink,
    Extension,
    Indicator,
    Organisation,
    Outcome,
    Package,
    Period,
)
from sharedoutcomes.serialization import to_json_data
from sharedoutcomes.validation import load, validate

__all__ = ["MERGE_EXTENSION", "MergeError", "MergeResult", "merge"]

MERGE_EXTENSION: Final = Extension(
    name="merge", version="0.1",
    description="Written by sharedoutcomes.merge: the input packages (sources), renamed ids (original_id, "
    "package) and conflicting values of duplicated organisations (conflicts).",
)
"""The extension under which a merge records what it did."""

_RESTRICTION: Final = {"public": 0, "partners": 1, "personal": 2}
_PERSONAL_SENSITIVITY: Final = frozenset({"personal", "special-category"})

T = TypeVar("T")


class MergeError(SharedOutcomesError, ValueError):
    """
    The packages cannot be merged as asked (for example into a public package holding person-level data).

    Example:
        >>> str(MergeError("no packages to merge"))
        'no packages to merge'
    """


@frozen(kw_only=True)
class MergeResult:
    """
    The merged package and what the merge noticed.

    Attributes:
        package: The partnership package.
        problems: Conflicts and renames (warnings), and any validation problems of the result.

    Example:
        >>> from sharedoutcomes import example_package
        >>> merge([example_package()], id="m", title="M", publisher="GB-NHS-NAHSCP").ok
        True
    """

    package: Package
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """``True`` when no problem is an error."""
        return not any(p.severity == "error" for p in self.problems)


def _problem(rule: str, path: str, message: str, value: Any = None) -> Problem:
    return Problem(rule=rule, severity="warning", path=path, message=message, value=value)


def _merge_data(obj: Any, **entries: Any) -> dict[str, Any]:
    data = dict(obj.extension_data)
    earlier = dict(data.get("merge", {}))
    if "original_id" in entries and "original_id" in earlier:
        # renamed by an earlier merge too: keep that record inside this one
        merged = {**entries, "earlier": earlier}
    else:
        merged = {**earlier, **entries}
    data["merge"] = merged
    return data


# -- reference rewriting -----------------------------------------------------------------------


Renames = dict[str, dict[str, str]]
"""kind → {old id → new id} for one input package."""


def _r(renames: Renames, kind: str, identifier: str) -> str:
    return renames[kind].get(identifier, identifier)


def _rewrite_activity(a: Activity, renames: Renames) -> Activity:
    return a


def _rewrite_outcome(o: Outcome, renames: Renames) -> Outcome:
    if not o.broader:
        return o
    return attrs.evolve(o, broader=tuple(_r(renames, "outcome", b) for b in o.broader))


def _rewrite_indicator(i: Indicator, renames: Renames) -> Indicator:
    return attrs.evolve(i, outcome_ids=tuple(_r(renames, "outcome", o) for o in i.outcome_ids))


def _rewrite_contribution(c: Contribution, renames: Renames) -> Contribution:
    activity = None if c.activity_id is None else _r(renames, "activity", c.activity_id)
    return attrs.evolve(c, outcome_id=_r(renames, "outcome", c.outcome_id), activity_id=activity)


def _rewrite_evidence(e: Evidence, renames: Renames) -> Evidence:
    changes: dict[str, Any] = {}
    if e.activity_id is not None:
        changes["activity_id"] = _r(renames, "activity", e.activity_id)
    if any(v.indicator_id is not None for v in e.values):
        changes["values"] = tuple(
            v if v.indicator_id is None else attrs.evolve(v, indicator_id=_r(renames, "indicator", v.indicator_id))
            for v in e.values)
    subject = e.subject
    if subject is not None and subject.type == "service" and subject.id is not None:
        changes["subject"] = attrs.evolve(subject, id=_r(renames, "activity", subject.id))
    return attrs.evolve(e, **changes) if changes else e


def _rewrite_link(link: EvidenceLink, renames: Renames) -> EvidenceLink:
    return attrs.evolve(link, evidence_id=_r(renames, "evidence", link.evidence_id),
                        target_id=_r(renames, link.target_type, link.target_id))


_KINDS: Final[tuple[tuple[str, str, Callable[[Any, Renames], Any]], ...]] = (
    # kind, package attribute, rewrite; in an order where references point to earlier kinds (or the same one)
    ("activity", "activities", _rewrite_activity),
    ("outcome", "outcomes", _rewrite_outcome),
    ("indicator", "indicators", _rewrite_indicator),
    ("contribution", "contributions", _rewrite_contribution),
    ("evidence", "evidence", _rewrite_evidence),
    ("link", "links", _rewrite_link),
)


# -- the merge -----------------------------------------------------------------------------------


def _read(source: Package | str | os.PathLike[str] | Mapping[str, Any]) -> Package:
    if isinstance(source, Package):
        return source
    return load(source)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fields(obj: Any) -> dict[str, Any]:
    return {a.name: getattr(obj, a.name) for a in attrs.fields(type(obj))}


def _merge_organisations(packages: Sequence[Package], problems: list[Problem]) -> list[Organisation]:
    merged: dict[str, Organisation] = {}
    first_source: dict[str, str] = {}
    for package in packages:
        for organisation in package.organisations:
            kept = merged.get(organisation.id)
            if kept is None:
                merged[organisation.id] = organisation
                first_source[organisation.id] = package.id
                continue
            theirs, ours = _fields(organisation), _fields(kept)
            ours_data = ours.pop("extension_data")
            ours_data = {k: v for k, v in ours_data.items() if k != "merge"}
            theirs_data = theirs.pop("extension_data")
            blanks = {name: value for name, value in theirs.items() if ours[name] in (None, ()) and value}
            if blanks:
                kept = attrs.evolve(kept, **blanks)
            differing = {name: value for name, value in theirs.items()
                         if value not in (None, ()) and name not in blanks and value != ours[name]}
            extra_data = {k: v for k, v in theirs_data.items() if k not in ours_data}
            clashing = {k: v for k, v in theirs_data.items() if k in ours_data and ours_data[k] != v}
            if extra_data:
                kept = attrs.evolve(kept, extension_data={**kept.extension_data, **extra_data})
            if clashing:
                differing["extension_data"] = clashing
            if differing:
                index = list(merged).index(organisation.id)
                names = ", ".join(differing)
                problems.append(_problem(
                    "merge-organisation-conflict", json_path(["organisations", index]),
                    f"organisation {organisation.id!r} differs between package {first_source[organisation.id]!r} "
                    f"and package {package.id!r} ({names}); kept the values from "
                    f"{first_source[organisation.id]!r} and recorded the others under extension_data.merge",
                    organisation.id))
                conflicts = list(kept.extension_data.get("merge", {}).get("conflicts", ()))
                conflicts.append({"package": package.id, "values": to_json_data(differing)})
                kept = attrs.evolve(kept, extension_data=_merge_data(kept, conflicts=conflicts))
            merged[organisation.id] = kept
    return list(merged.values())


def _unique_id(base: str, package_id: str, taken: Iterable[str]) -> str:
    taken = set(taken)
    candidate, n = f"{base}@{package_id}", 2
    while candidate in taken:
        candidate, n = f"{base}@{package_id}-{n}", n + 1
    return candidate


def _short(identifier: str, limit: int = 48) -> str:
    """An id for a message: whole when short, else its start and end around an ellipsis."""
    if len(identifier) <= limit:
        return repr(identifier)
    return repr(identifier[: limit - 18] + "…" + identifier[-17:])


def _name(package: Package, given: str | None) -> str:
    """What a message calls an input: the name given for it, else the file its evidence came from, else its id."""
    if given:
        return given
    files = {e.provenance.file for e in package.evidence if e.provenance is not None and e.provenance.file}
    return next(iter(sorted(files))) if len(files) == 1 else f"package {_short(package.id)}"


def _merge_entities(packages: Sequence[Package], problems: list[Problem],
                    names: Sequence[str | None]) -> dict[str, list[Any]]:
    merged: dict[str, dict[str, Any]] = {attribute: {} for _, attribute, _ in _KINDS}
    origin: dict[str, dict[str, str]] = {attribute: {} for _, attribute, _ in _KINDS}
    for package, given in zip(packages, names, strict=True):
        name = _name(package, given)
        renames: Renames = {kind: {} for kind, _, _ in _KINDS}
        for kind, attribute, rewrite in _KINDS:
            pool = merged[attribute]
            objects: Sequence[Any] = getattr(package, attribute)
            own_ids = {obj.id for obj in objects}
            # decide renames to a fixed point: renaming one outcome can make another (whose broader
            # outcome it is) differ from its namesake too
            while True:
                changed = False
                for obj in objects:
                    if obj.id in renames[kind] or obj.id not in pool:
                        continue
                    if rewrite(obj, renames) != pool[obj.id]:
                        taken = set(pool) | own_ids | set(renames[kind].values())
                        renames[kind][obj.id] = _unique_id(obj.id, package.id, taken)
                        changed = True
                if not changed:
                    break
            for obj in objects:
                rewritten = rewrite(obj, renames)
                new_id = renames[kind].get(obj.id)
                if new_id is not None:
                    rewritten = attrs.evolve(rewritten, id=new_id,
                                             extension_data=_merge_data(obj, original_id=obj.id, package=package.id))
                    earlier = origin[attribute].get(obj.id, "an earlier package")
                    problems.append(_problem(
                        "merge-id-renamed", json_path([attribute, len(pool)]),
                        f"{kind} {_short(obj.id)} from {name} differs from the {kind} of that id from {earlier} "
                        f"(in its own fields or in what it refers to); renamed it {_short(new_id)} and rewrote "
                        "every reference to it", obj.id))
                    pool[new_id] = rewritten
                    origin[attribute][new_id] = name
                elif obj.id not in pool:
                    pool[obj.id] = rewritten
                    origin[attribute][obj.id] = name
                # else: an identical copy of an object already merged
    return {attribute: list(pool.values()) for attribute, pool in merged.items()}


def _merge_extensions(packages: Sequence[Package], problems: list[Problem]) -> tuple[list[Extension], dict[str, Any],
                                                                                  list[dict[str, Any]]]:
    extensions: dict[str, Extension] = {}
    data: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    for package in packages:
        for extension in package.extensions:
            kept = extensions.setdefault(extension.name, extension)
            if kept != extension:
                problems.append(_problem(
                    "merge-extension-conflict", json_path(["extensions", list(extensions).index(extension.name)]),
                    f"package {package.id!r} declares extension {extension.name!r} differently "
                    f"(version {extension.version!r}, kept version {kept.version!r})", extension.name))
                conflicts.append({"package": package.id, "extension": to_json_data(extension)})
        for name, value in package.extension_data.items():
            if name == "merge":
                continue
            if name not in data:
                data[name] = value
            elif data[name] != value:
                problems.append(_problem(
                    "merge-extension-conflict", json_path(["extension_data", name]),
                    f"package {package.id!r} has different package-level data for extension {name!r}; kept the "
                    "first and recorded the other under extension_data.merge", name))
                conflicts.append({"package": package.id, "extension_data": {name: value}})
    return list(extensions.values()), data, conflicts


def _period(packages: Sequence[Package]) -> Period | None:
    periods = [p.period for p in packages if p.period is not None]
    if not periods:
        return None
    ends = [p.end for p in periods]
    return Period(start=min(p.start for p in periods),
                  end=None if any(e is None for e in ends) else max(e for e in ends if e is not None))


def _person_level(evidence: Iterable[Evidence]) -> list[str]:
    return [e.id for e in evidence
            if (e.subject is not None and e.subject.type == "person") or e.sensitivity in _PERSONAL_SENSITIVITY]


def _publisher(publisher: str | Organisation, organisations: list[Organisation]) -> str:
    """The publisher's org-id; an `Organisation` no input has is added to *organisations*."""
    if isinstance(publisher, Organisation):
        if publisher.id not in {o.id for o in organisations}:
            organisations.append(publisher)
        return publisher.id
    if publisher not in {o.id for o in organisations}:
        known = ", ".join(o.id for o in organisations)
        msg = (f"the publisher {publisher!r} is not an organisation in any of the packages ({known}); "
               "pass an Organisation to add it")
        raise MergeError(msg)
    return publisher


def _check_public(evidence: Iterable[Evidence]) -> None:
    """Raise `MergeError` if any of the evidence is about a person or holds personal data."""
    personal = _person_level(evidence)
    if personal:
        shown = ", ".join(personal[:5]) + (" …" if len(personal) > 5 else "")
        msg = (f"cannot merge into a public package: {len(personal)} piece(s) of evidence are about a person "
               f"or hold personal data ({shown}); use sharing_level 'partners' or 'personal', or remove them")
        raise MergeError(msg)


def _linked_people(inputs: Sequence[Package]) -> int:
    """How many pseudonymous people have evidence in more than one of the inputs."""
    found: dict[str, set[int]] = {}
    for n, package in enumerate(inputs):
        for evidence in package.evidence:
            if evidence.subject is not None and evidence.subject.type == "person" and evidence.subject.id:
                found.setdefault(evidence.subject.id, set()).add(n)
    return sum(len(where) > 1 for where in found.values())


def _sources(inputs: Sequence[Package]) -> list[dict[str, Any]]:
    """What the merge records about each input package."""
    sources = []
    for p in inputs:
        source: dict[str, Any] = {"id": p.id, "title": p.title, "publisher": p.publisher, "produced": p.produced,
                                  "sharing_level": p.sharing_level}
        if "merge" in p.extension_data:  # an input that is itself a merge keeps its own record
            source["merge"] = p.extension_data["merge"]
        if p.conversion is not None:  # standard 0.2: how the input was converted (and whether it was partial)
            source["conversion"] = to_json_data(p.conversion)
        sources.append(source)
    return sources


def merge(
    packages: Sequence[Package | str | os.PathLike[str] | Mapping[str, Any]],
    *,
    id: str,
    title: str,
    publisher: str | Organisation,
    produced: str | None = None,
    sharing_level: str | None = None,
    description: str | None = None,
    names: Sequence[str] | None = None,
) -> MergeResult:
    """
    Merge *packages* (objects, paths or parsed JSON) into one package; see the module docs for the rules.

    Args:
        packages: The inputs, in order of precedence: the first keeps its ids and organisation values.
        id: The merged package's id.
        title: Its title.
        publisher: The org-id of the publishing organisation (it must be in one of the inputs), or an
            `Organisation`, which is added when no input has it.
        produced: When it was produced (RFC 3339); now, by default.
        sharing_level: ``public``, ``partners`` or ``personal``; the most restrictive input level by default.
        description: Its description.
        names: What messages call each input, such as the file it was read from (default: the one
            file its evidence came from, else its id).

    Returns:
        A `MergeResult`: the package, and the conflicts, renames and validation problems found.

    Raises:
        MergeError: No packages; an unknown publisher; or a ``public`` package that would hold
            person-level or personal data.
        InvalidDocument: An input given as a path or JSON is not a valid package.

    Example:
        >>> import attrs
        >>> from sharedoutcomes import example_package
        >>> a = example_package()
        >>> b = attrs.evolve(a, id="other-return", outcomes=(attrs.evolve(a.outcomes[0], title="Changed"),
        ...                  *a.outcomes[1:]))
        >>> result = merge([a, b], id="merged", title="Merged", publisher="GB-NHS-NAHSCP",
        ...                produced="2025-06-01T09:00:00Z")
        >>> print(result.problems[0])
        $.outcomes[4]: outcome 'out-connected' from package 'other-return' differs from the outcome of that id from package 'na-partnership-2024-25' (in its own fields or in what it refers to); renamed it 'out-connected@other-return' and rewrote every reference to it [merge-id-renamed]
        >>> renamed = [p.value for p in result.problems if p.rule == "merge-id-renamed"]
        >>> renamed[:6]  # everything that refers to the changed outcome is b's own, so it is kept apart
        ['out-connected', 'out-active', 'ind-members', 'ind-less-isolated', 'con-shed-connected', 'con-shed-active']
        >>> result.ok
        True
    """
    if not packages:
        msg = "no packages to merge"
        raise MergeError(msg)
    inputs = [_read(p) for p in packages]
    problems: list[Problem] = []
    organisations = _merge_organisations(inputs, problems)
    publisher = _publisher(publisher, organisations)
    if names is not None and len(names) != len(inputs):
        msg = f"{len(names)} names for {len(inputs)} packages: give one name per package"
        raise MergeError(msg)
    entities = _merge_entities(inputs, problems, list(names) if names is not None else [None] * len(inputs))
    extensions, extension_data, conflicts = _merge_extensions(inputs, problems)
    level = sharing_level or max((p.sharing_level for p in inputs), key=_RESTRICTION.__getitem__)
    if level == "public":
        _check_public(entities["evidence"])
    if "merge" not in {e.name for e in extensions}:
        extensions.append(MERGE_EXTENSION)
    merge_data: dict[str, Any] = {"sources": _sources(inputs)}
    linked = _linked_people(inputs)
    if linked:
        merge_data["linked_people"] = linked
    if conflicts:
        merge_data["conflicts"] = conflicts
    extension_data["merge"] = merge_data
    licences = {p.licence for p in inputs if p.licence is not None}
    if len(licences) > 1:
        problems.append(_problem("merge-licence-conflict", "$.licence",
                                 f"the packages have different licences ({', '.join(sorted(licences))}); the merged "
                                 "package states none: set one that all of them allow"))
    lists: dict[str, Any] = {attribute: tuple(objects) for attribute, objects in entities.items()}
    package = Package(
        schema_version=SCHEMA_VERSION, id=id, title=title, description=description, publisher=publisher,
        produced=produced or _now(), licence=licences.pop() if len(licences) == 1 else None,
        period=_period(inputs), sharing_level=level, extensions=tuple(extensions),
        organisations=tuple(organisations), extension_data=extension_data,
        **lists,
    )
    report = validate(package)
    return MergeResult(package=package, problems=(*problems, *report.problems))
