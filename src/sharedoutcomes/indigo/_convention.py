"""The INDIGO family's constants: format and extension names, and how INDIGO's codes map to ours."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Final

__all__ = [
    "EXTENSION",
    "EXTENSION_DECLARATION",
    "FORMAT",
    "INDIGO_VERSION",
    "PARTICIPANT_ROLES",
    "PLACEHOLDER_PUBLISHER",
    "SECTORS",
    "converter_version",
]

FORMAT: Final = "indigo"
"""The registered format name."""

EXTENSION: Final = "indigo"
"""The extension under which INDIGO fields with no place in the model are kept, exactly as given."""

INDIGO_VERSION: Final = "4.1"
"""The version of the INDIGO project schema the family reads and writes (vendored in ``indigo/data``)."""

EXTENSION_DECLARATION: Final = {
    "name": EXTENSION,
    "version": INDIGO_VERSION,
    "url": "https://indigo-data-standard.readthedocs.io/en/latest/data-dictionary/project.html",
    "description": "INDIGO project fields with no place in the sharedoutcomes model, kept as INDIGO gives "
                   "them (paths and values), with the INDIGO ids of projects, metrics and organisations.",
}
"""How a package declares the ``indigo`` extension."""

PLACEHOLDER_PUBLISHER: Final = "XX-UNKNOWN-indigo"
"""Who publishes a package converted from INDIGO data when no ``publisher=`` is given."""

PARTICIPANT_ROLES: Final = {
    "service_provisions": "partner",
    "outcome_payment_commitments": "commissioner",
    "investments": "funder",
    "intermediary_services": "partner",
}
"""The participant role of an organisation named in each INDIGO list (INDIGO's own role category is kept)."""

SECTORS: Final = {
    "government body": "public",
    "multilateral, bilateral or intergovernmental body": "public",
    "registered non-profit organisation, charity or foundation": "third",
    "registered company, partnership or commercial association": "private",
    "collective": "community",
}
"""INDIGO organisation types (``Type - (Value)``, lower case) and the sector each belongs to."""


def converter_version() -> str:
    """
    The installed sharedoutcomes version, recorded in each piece of evidence's provenance.

    Example:
        >>> converter_version() != ""
        True
    """
    try:
        return version("sharedoutcomes")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
        return "0.0.0"
