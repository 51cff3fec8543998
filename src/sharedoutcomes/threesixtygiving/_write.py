"""
A package's funding lines → a 360Giving JSON package that validates against the vendored 360Giving schema.

Each funding line becomes a grant. The first line of an activity read from 360Giving gets back
everything its grant had that the model does not hold (the ``threesixtygiving`` extension); the
model's own fields (title, amount, funder, recipient, planned dates, programme) win where both
say something. Dates written ``dd/mm/yyyy`` in the source are written as ISO dates, which the
360Giving schema requires. A line that cannot make a valid grant is never written half-way: the
error lists every such line and what it lacks.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.model import Activity, FundingLine, Package
from sharedoutcomes.threesixtygiving._grant import EXTENSION, parse_date
from sharedoutcomes.threesixtygiving._schema import package_validator

__all__ = ["package_json"]

VERSION: Final = "1.4"
"""The version of the 360Giving standard the writer writes (the vendored schema's)."""

_DATE_KEYS: Final = frozenset({"awardDate", "startDate", "endDate", "transactionDate"})
_MAX_ERRORS: Final = 10
_REQUIRED: Final = ("id", "title", "description", "currency", "amountAwarded", "awardDate", "fundingOrganization")


def _iso_dates(node: Any) -> Any:
    """*node* with every ``dd/mm/yyyy`` date of a date field rewritten as ``YYYY-MM-DD``."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in _DATE_KEYS and isinstance(value, str):
                date, uk = parse_date(value)
                out[key] = date.isoformat() if uk and date is not None else value
            else:
                out[key] = _iso_dates(value)
        return out
    if isinstance(node, list):
        return [_iso_dates(value) for value in node]
    return node


def _first(grant: dict[str, Any], key: str) -> dict[str, Any]:
    items = grant.get(key)
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        items = [{}]
    grant[key] = items
    first: dict[str, Any] = items[0]
    return first


def _organisation(grant: dict[str, Any], key: str, identifier: str, names: Mapping[str, str]) -> None:
    first = _first(grant, key)
    first["id"] = identifier
    first.setdefault("name", names.get(identifier, identifier))
    grant[key][0] = {"id": first.pop("id"), "name": first.pop("name"), **first}


def _dates(grant: dict[str, Any], line: FundingLine, activity: Activity) -> None:
    period = line.period or activity.period
    if period is None:
        return
    first = _first(grant, "plannedDates")
    for key, date in (("startDate", period.start), ("endDate", period.end)):
        if date is None:
            continue
        if parse_date(first.get(key))[0] != date:
            first[key] = date.isoformat()


def _grant(activity: Activity, line: FundingLine, index: int, names: Mapping[str, str],
           id_prefix: str | None) -> dict[str, Any]:
    rest = activity.extension_data.get(EXTENSION) if index == 0 else None
    grant: dict[str, Any] = copy.deepcopy(dict(rest)) if isinstance(rest, Mapping) else {}
    grant_id = line.grant_id or (f"{id_prefix}-{activity.id}-{index + 1}" if id_prefix else None)
    if grant_id is not None:
        grant["id"] = grant_id
    grant["title"] = activity.title
    if activity.description is not None:
        grant["description"] = activity.description
    if line.amount is not None:
        grant["amountAwarded"] = line.amount.amount
        grant["currency"] = line.amount.currency
    if line.funder_id is not None:
        _organisation(grant, "fundingOrganization", line.funder_id, names)
    lead = next((p.organisation_id for p in activity.participants if p.role == "lead"), None)
    if lead is not None and "recipientIndividual" not in grant:
        _organisation(grant, "recipientOrganization", lead, names)
    _dates(grant, line, activity)
    if line.fund is not None:
        programme = _first(grant, "grantProgramme")
        programme["title"] = line.fund
    ordered = {key: grant.pop(key) for key in ("id", "title", "description", "currency", "amountAwarded",
                                               "awardDate") if key in grant}
    written: dict[str, Any] = _iso_dates({**ordered, **grant})
    return written


def package_json(package: Package, *, id_prefix: str | None = None) -> dict[str, Any]:
    """
    The 360Giving JSON package of *package*'s funding lines; checked against the 360Giving schema.

    Raises:
        ConversionError: No funding lines, or lines that do not make valid 360Giving grants (each is
            listed with the 360Giving rule it breaks).

    Example:
        >>> import sharedoutcomes
        >>> from sharedoutcomes.threesixtygiving import sample_path
        >>> data = package_json(sharedoutcomes.convert(sample_path(), format="360giving").package)
        >>> data["version"], data["grants"][0]["id"]
        ('1.4', '360G-ABCT-0065I000005BoDGQA044222')
    """
    names = {organisation.id: organisation.name for organisation in package.organisations}
    grants, where = [], []
    for i, activity in enumerate(package.activities):
        for j, line in enumerate(activity.funding):
            grants.append(_grant(activity, line, j, names, id_prefix))
            where.append(json_path(["activities", i, "funding", j]))
    if not grants:
        msg = f"the package {package.id!r} has no funding lines to write as 360Giving grants"
        raise ConversionError(msg)
    meta = package.extension_data.get(EXTENSION)
    data: dict[str, Any] = {key: copy.deepcopy(value) for key, value in meta.items()} \
        if isinstance(meta, Mapping) else {}
    data.setdefault("title", package.title)
    if package.licence is not None:
        data.setdefault("license", package.licence)
    data = {"version": VERSION, **{k: v for k, v in data.items() if k not in {"version", "grants"}}, "grants": grants}
    errors = sorted(package_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = []
        for error in errors[:_MAX_ERRORS]:
            path = list(error.absolute_path)
            source = where[path[1]] if len(path) > 1 and path[0] == "grants" and isinstance(path[1], int) else "$"
            lines.append(f"{source} → {json_path(path)}: {_message(error)}")
        more = f" (and {len(errors) - _MAX_ERRORS} more)" if len(errors) > _MAX_ERRORS else ""
        msg = ("the package's funding lines do not make valid 360Giving grants:\n  " + "\n  ".join(lines) + more)
        raise ConversionError(msg)
    return data


def _message(error: Any) -> str:
    if error.validator == "required":
        return str(error.message).replace("is a required property", "is required by 360Giving")
    if error.validator == "oneOf" and len(error.absolute_path) == 2 and isinstance(error.instance, dict):
        missing = [key for key in _REQUIRED if key not in error.instance]
        if not {"recipientOrganization", "recipientIndividual"} & set(error.instance):
            missing.append("recipientOrganization")
        return f"{', '.join(missing) or 'a required field'}: required by 360Giving"
    text = str(error.message)
    return text if len(text) <= 200 else text[:199] + "…"
