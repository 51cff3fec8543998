"""INDIGO organisations (``INDIGO-ORG-…``): what is known of each, and the organisation each becomes in a package."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from attrs import define, field

from sharedoutcomes.indigo._convention import EXTENSION, SECTORS
from sharedoutcomes.indigo._values import clean_text
from sharedoutcomes.model import ORG_ID_PATTERN
from sharedoutcomes.problems import Problem, SourceLocation

__all__ = ["OrgBook", "OrgRecord"]

_ORG_ID: Final = re.compile(ORG_ID_PATTERN)


@define
class OrgRecord:
    """What a source says of one INDIGO organisation: its INDIGO id, name, type, org-id, other fields kept."""

    indigo_id: str
    name: str | None = None
    type: str | None = None
    org_id: str | None = None
    url: str | None = None
    location: SourceLocation | None = None
    kept: dict[str, Any] = field(factory=dict)


@define
class OrgBook:
    """
    The organisations known to a conversion, and those a package uses (in the order first used).

    Example:
        >>> book = OrgBook({"INDIGO-ORG-0001": OrgRecord("INDIGO-ORG-0001", name="Norfolk County Council",
        ...                                              type="Government body")})
        >>> book.use("INDIGO-ORG-0001", "outcome_payment_commitments")
        'INDIGO-ORG-0001'
        >>> [o["sector"] for o in book.organisations()[0]]
        ['public']
    """

    records: Mapping[str, OrgRecord] = field(factory=dict)
    used: dict[str, str] = field(factory=dict)  # INDIGO id -> package id
    roles: dict[str, set[str]] = field(factory=dict)

    def use(self, indigo_id: str, role_list: str) -> str:
        """The package id of the organisation *indigo_id*, named in the INDIGO list *role_list*."""
        indigo_id = " ".join(indigo_id.split())
        self.roles.setdefault(indigo_id, set()).add(role_list)
        if indigo_id not in self.used:
            record = self.records.get(indigo_id)
            org_id = record.org_id if record is not None else None
            self.used[indigo_id] = org_id if org_id and _ORG_ID.fullmatch(org_id) else _safe_id(indigo_id)
        return self.used[indigo_id]

    def organisations(self) -> tuple[list[dict[str, Any]], list[Problem]]:
        """The package's organisations, and a problem for each without an org-id, name or type."""
        out, problems = [], []
        for index, (indigo_id, package_id) in enumerate(self.used.items()):
            record = self.records.get(indigo_id) or OrgRecord(indigo_id)
            path = f"$.organisations[{index}]"
            where = record.location
            name = record.name
            if name is None:
                problems.append(Problem(
                    rule="indigo.organisation-unknown", severity="warning", path=f"{path}.name",
                    message=f"the organisation {indigo_id!r} is named by the project but not described in the "
                            "source, so its name is its INDIGO id; pass organisations= (the INDIGO organisations "
                            "table) to name it", value=indigo_id, source=where))
            elif clean_text(name)[1]:
                record.kept["name"] = name  # the original, beside the one-line name
                problems.append(Problem(
                    rule="indigo.whitespace", severity="warning", path=f"{path}.name",
                    message=f"the name of {indigo_id!r} holds a non-breaking space, tab or line break; it is "
                            "written on one line with ordinary spaces (the original is kept in its extension data)",
                    value=name, source=where))
            if package_id == _safe_id(indigo_id):
                problems.append(Problem(
                    rule="indigo.org-id-missing", severity="warning", path=f"{path}.id",
                    message=f"{name or indigo_id!r} has no org-id in the source"
                            + (f" (its org-id {record.org_id!r} is not in org-id form)" if record.org_id else "")
                            + f", so its INDIGO id {indigo_id!r} stands in; find it on https://org-id.guide "
                              "and add it to the organisation's INDIGO record", value=indigo_id, source=where))
            sector, assumed = self._sector(indigo_id, record)
            if assumed:
                problems.append(Problem(
                    rule="indigo.sector-assumed", severity="warning", path=f"{path}.sector",
                    message=f"{name or indigo_id!r} has "
                            + (f"the organisation type {record.type!r}, which no sector matches"
                               if record.type else "no organisation type")
                            + f", so its sector is taken as {sector!r} from its role in the project; "
                              "check it", value=record.type, source=where))
            org: dict[str, Any] = {"id": package_id, "name": clean_text(name)[0] if name else indigo_id,
                                   "sector": sector}
            if record.url and record.url.startswith(("http://", "https://")):
                org["url"] = record.url.strip()
            elif record.url:
                record.kept["website"] = record.url
            kept = {"indigo_id": indigo_id, **({"type": record.type} if record.type else {}), **record.kept}
            org["extension_data"] = {EXTENSION: kept}
            out.append(org)
        return out, problems

    def _sector(self, indigo_id: str, record: OrgRecord) -> tuple[str, bool]:
        sector = SECTORS.get(" ".join((record.type or "").split()).casefold())
        if sector is not None:
            return sector, False
        roles = self.roles.get(indigo_id, set())
        return ("public" if "outcome_payment_commitments" in roles or "outcome_payments" in roles
                else "private" if roles == {"investments"} else "third"), True


def _safe_id(indigo_id: str) -> str:
    text = "-".join(indigo_id.split())
    return text if _ORG_ID.fullmatch(text) else f"XX-INDIGO-{text or 'unnamed'}"
