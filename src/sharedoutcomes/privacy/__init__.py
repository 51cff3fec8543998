"""
Privacy: keyed pseudonyms for linking one person's evidence across organisations, and publishing without disclosure.

- `Pseudonymiser` turns a CHI or NHS number (check digit verified) or an organisation's local id
  into a stable pseudonym with HMAC-SHA-256 and a key the partnership shares; `generate_key_file`
  makes a key, `rotation_mapping` and `repseudonymise` replace one.
- `pseudonymise_file`, `pseudonymise_rows` and `pseudonymise_package` replace identifiers in Star
  and survey exports, tables and packages, remove or coarsen names, dates of birth, addresses and
  postcodes, and report what was changed where (`PseudonymisationReport`).
- `publishable` turns a package into a ``public`` one: person-level evidence aggregated to counts,
  counts below the threshold suppressed with secondary suppression, every suppression reported.

It is keyed hashing, not encryption: see docs/explanation/privacy.md.

Example:
    >>> import sharedoutcomes
    >>> from sharedoutcomes.privacy import Pseudonymiser, publishable, pseudonymise_package
    >>> key = b"a partnership key of 32 bytes..."
    >>> shared, report = pseudonymise_package(sharedoutcomes.example_package(), Pseudonymiser(key))
    >>> public, published = publishable(shared, produced="2025-06-01T09:00:00Z")
    >>> public.sharing_level, published.ok
    ('public', True)
"""

from __future__ import annotations

from sharedoutcomes.privacy._columns import AGE_BANDS, ROLE_HEADERS, column_role
from sharedoutcomes.privacy._file import SUFFIXES, pseudonymise_file
from sharedoutcomes.privacy._keys import (
    MIN_KEY_BYTES,
    PSEUDONYM_PREFIX,
    IdentifierError,
    KeyFileError,
    Pseudonymiser,
    generate_key_file,
    read_key_file,
    rotation_mapping,
)
from sharedoutcomes.privacy._package import PRIVACY_EXTENSION, pseudonymise_package, repseudonymise
from sharedoutcomes.privacy._publish import (
    CATEGORIES,
    DEFAULT_THRESHOLD,
    PublicationReport,
    Suppression,
    Withheld,
    publishable,
)
from sharedoutcomes.privacy._report import Change, PseudonymisationReport
from sharedoutcomes.privacy._suppress import Sum, recoverable, suppress
from sharedoutcomes.privacy._tabular import TableOptions, pseudonymise_rows

__all__ = [
    "AGE_BANDS",
    "CATEGORIES",
    "DEFAULT_THRESHOLD",
    "MIN_KEY_BYTES",
    "PRIVACY_EXTENSION",
    "PSEUDONYM_PREFIX",
    "ROLE_HEADERS",
    "SUFFIXES",
    "Change",
    "IdentifierError",
    "KeyFileError",
    "PseudonymisationReport",
    "Pseudonymiser",
    "PublicationReport",
    "Sum",
    "Suppression",
    "TableOptions",
    "Withheld",
    "column_role",
    "generate_key_file",
    "pseudonymise_file",
    "pseudonymise_package",
    "pseudonymise_rows",
    "publishable",
    "read_key_file",
    "recoverable",
    "repseudonymise",
    "rotation_mapping",
    "suppress",
]
