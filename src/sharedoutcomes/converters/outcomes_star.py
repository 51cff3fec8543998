"""The ``outcomes-star`` format, kept at its 0.1 path; it lives in `sharedoutcomes.stars`."""

from sharedoutcomes.stars import (
    DEFAULT_HEADERS,
    DEFAULT_SHARING_LEVEL,
    EXTENSION_DECLARATION,
    PLACEHOLDER_ORGANISATION,
    ROLES,
    WIDE_HEADERS,
    OutcomesStarFormat,
    package_document,
    sample_path,
    wide_rows,
)

__all__ = [
    "DEFAULT_HEADERS",
    "DEFAULT_SHARING_LEVEL",
    "EXTENSION_DECLARATION",
    "PLACEHOLDER_ORGANISATION",
    "ROLES",
    "WIDE_HEADERS",
    "OutcomesStarFormat",
    "package_document",
    "sample_path",
    "wide_rows",
]
