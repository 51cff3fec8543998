"""
The Outcomes Star convention of the standard, as the converter reads and writes it.

The format and extension names, the reading fields and the headings that name them, the
codes of statuses and completion types, and how a reading's evidence id is formed. Shared
by the reader, the streaming API and the ``outcomes-star`` format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from sharedoutcomes._util.meta import package_version
from sharedoutcomes.stars._labels import normalise_label
from sharedoutcomes.stars._table import Cell, cell_text

__all__ = [
    "COMPLETION_VALUES",
    "DEFAULT_HEADERS",
    "EXTENSION",
    "FORMAT",
    "HEADER_INDEX",
    "META_ROLES",
    "PLACEHOLDER_ORGANISATION",
    "ROLES",
    "STATUS_VALUES",
    "coded",
    "converter_version",
    "meta_value",
    "reading_id_suffix",
    "slug",
]

FORMAT: Final = "outcomes-star"
"""The format's name in the converter registry and in each reading's provenance."""

EXTENSION: Final = "outcomes-star"
"""The extension whose ``extension_data`` holds a reading's metadata."""

ROLES: Final = ("person", "date", "star", "edition", "reading_number", "worker", "service", "organisation",
                "status", "completion_type", "area", "score")
"""The columns the converter understands besides the per-area scores (the keys of a ``column_map``)."""

META_ROLES: Final = ("reading_number", "worker", "service", "organisation", "status", "completion_type")
"""Reading metadata kept under ``extension_data["outcomes-star"]``."""

DEFAULT_HEADERS: Final[Mapping[str, tuple[str, ...]]] = {
    "person": ("Service user ID", "Service user", "Service user ref", "Service user reference", "SU ID",
               "Client ID", "Client", "Client ref", "Client reference", "Person ID", "Participant ID",
               "Customer ID", "User ID", "Unique ID", "Individual ID", "Case ID"),
    "date": ("Reading date", "Date of reading", "Star date", "Date", "Assessment date", "Date completed",
             "Completed date", "Completion date", "Review date", "Date of star"),
    "star": ("Star", "Star type", "Star name", "Outcomes Star", "Outcome Star", "Star used", "Tool"),
    "edition": ("Edition", "Star edition", "Version", "Star version"),
    "reading_number": ("Reading number", "Reading no", "Reading #", "Reading", "Reading num",
                       "Reading sequence", "Star number", "Review number"),
    "worker": ("Worker", "Worker ID", "Worker name", "Keyworker", "Key worker", "Support worker",
               "Completed by", "Staff", "Staff member", "Practitioner"),
    "service": ("Service", "Service name", "Project", "Project name", "Team"),
    "organisation": ("Organisation", "Organization", "Organisation name", "Org", "Provider"),
    "status": ("Status", "Reading status", "Approval status", "Star status"),
    "completion_type": ("Completion type", "Completion", "Completed with", "Reading type", "Type of reading",
                        "How completed", "Type"),
    "area": ("Area", "Outcome area", "Star area", "Scale", "Domain", "Area name", "Scale name"),
    "score": ("Score", "Value", "Rating", "Area score", "Reading score"),
}
"""The headings recognised for each column, before a ``column_map`` (case, spacing, punctuation ignored)."""

HEADER_INDEX: Final = {normalise_label(h): role for role, hs in DEFAULT_HEADERS.items() for h in hs}
"""Each recognised heading, normalised, and the field it names."""

STATUS_VALUES: Final = {
    "approved": "approved", "workerapproved": "approved", "approve": "approved",
    "inprogress": "in-progress", "incomplete": "in-progress", "draft": "in-progress", "pending": "in-progress",
    "notapproved": "in-progress", "complete": "complete", "completed": "complete",
}
"""Reading statuses as exports spell them (normalised) and their codes."""

COMPLETION_VALUES: Final = {
    "collaborative": "collaborative", "agreed": "collaborative", "joint": "collaborative",
    "together": "collaborative", "withserviceuser": "collaborative",
    "workeronly": "worker-only", "worker": "worker-only", "retrospective": "retrospective",
    "serviceuseronly": "service-user-only", "selfcompleted": "service-user-only",
}
"""Completion types as exports spell them (normalised) and their codes."""

PLACEHOLDER_ORGANISATION: Final = "XX-UNKNOWN-star-export"
"""Who publishes a package of Star readings when no ``organisation_id=`` is given."""


def slug(text: str) -> str:
    """
    Text as a lower-case hyphenated slug.

    Example:
        >>> slug("In Progress (draft)")
        'in-progress-draft'
    """
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold()))


def coded(value: str, table: Mapping[str, str]) -> str:
    """
    A status or completion type as a code: known spellings mapped, others as a hyphenated slug.

    Example:
        >>> coded("Worker approved", STATUS_VALUES), coded("Awaiting sign-off", STATUS_VALUES)
        ('approved', 'awaiting-sign-off')
    """
    return table.get(normalise_label(value)) or slug(value) or value


def meta_value(role: str, raw: Cell) -> int | str:
    """
    A reading-metadata cell as stored under ``extension_data["outcomes-star"]``: "" when empty.

    Example:
        >>> meta_value("reading_number", "2"), meta_value("status", "In progress"), meta_value("worker", " ")
        (2, 'in-progress', '')
    """
    text = cell_text(raw)
    if not text:
        return ""
    if role == "reading_number":
        return int(text) if text.isdigit() and int(text) > 0 else text
    if role == "status":
        return coded(text, STATUS_VALUES)
    if role == "completion_type":
        return coded(text, COMPLETION_VALUES)
    if isinstance(raw, str) and raw[:1] in ("\t", "\r"):
        return raw.strip(" ")  # "\t=1" stays itself: a formula-like text read back as written
    return text


def reading_id_suffix(reading_number: int | str | None) -> str:
    """
    What the reading number adds to a reading's evidence id, ``star-<person>-<date>``.

    (A count is added after it to tell repeated ids apart.)

    Example:
        >>> reading_id_suffix(2), reading_id_suffix("Review #1"), reading_id_suffix("#"), reading_id_suffix(None)
        ('-2', '-review-1', '-x', '')
    """
    if reading_number is None:
        return ""
    if isinstance(reading_number, str):
        return f"-{slug(reading_number) or 'x'}"
    return f"-{reading_number}"


def converter_version() -> str:
    """
    The version recorded in each reading's provenance: the installed package's (``"0"`` in a bare source tree).

    Example:
        >>> converter_version() != ""
        True
    """
    return package_version(fallback="0")
