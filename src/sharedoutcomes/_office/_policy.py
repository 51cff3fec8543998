"""
What an Office file may declare: content types and relationship types, matched exactly.

A type is compared whole (after trimming, and for content types ignoring case and
parameters), never by its start or end: ``…/relationships/hyperlink`` is the hyperlink
type, ``http://evil.example/hyperlink`` is not.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "HYPERLINK_TYPES",
    "MACRO_CONTENT_TYPES",
    "MACRO_RELATIONSHIP_TYPES",
    "MAIN_CONTENT_TYPES",
    "OFFICE_DOCUMENT_TYPES",
    "REFUSED_CONTENT_TYPES",
    "REFUSED_RELATIONSHIP_TYPES",
    "WORKSHEET_TYPES",
    "harmless_hyperlink",
    "normal_content_type",
]

_TRANSITIONAL: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_STRICT: Final = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
_MICROSOFT: Final = "http://schemas.microsoft.com/office/2006/relationships/"


def _both(*names: str) -> frozenset[str]:
    return frozenset(prefix + name for prefix in (_TRANSITIONAL, _STRICT) for name in names)


OFFICE_DOCUMENT_TYPES: Final = _both("officeDocument")
"""The root relationship to the main part (``word/document.xml``, ``xl/workbook.xml``)."""

WORKSHEET_TYPES: Final = _both("worksheet")
"""The relationship from a workbook to one of its sheets."""

HYPERLINK_TYPES: Final = _both("hyperlink")
"""The only relationship type that may point outside the file (``TargetMode="External"``)."""

REFUSED_RELATIONSHIP_TYPES: Final = _both(
    "externalLink", "externalLinkPath", "oleObject", "attachedTemplate", "frame", "subDocument", "control",
    "mailMergeSource", "mailMergeHeaderSource", "recipientData",
) | frozenset(_MICROSOFT + name for name in (
    "xlExternalLinkPath/xlPathMissing", "xlExternalLinkPath/xlStartup", "xlExternalLinkPath/xlAlternateStartup",
    "xlExternalLinkPath/xlLibrary", "activeXControlBinary", "xlMacrosheet", "xlIntlMacrosheet",
))
"""Links to other files, linked or embedded objects and controls: refused wherever they point."""

MACRO_RELATIONSHIP_TYPES: Final = frozenset(
    _MICROSOFT + name for name in ("vbaProject", "wordVbaData", "vbaProjectSignature", "vbaProjectSignatureAgile",
                                   "vbaProjectSignatureV3"))
"""The relationships to a macro project."""

MACRO_CONTENT_TYPES: Final = frozenset(t.lower() for t in (
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
    "application/vnd.ms-excel.macrosheet+xml",
    "application/vnd.ms-excel.intlmacrosheet+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-word.vbaData+xml",
    "application/vnd.ms-office.vbaProject",
    "application/vnd.ms-office.vbaProjectSignature",
    "application/vnd.ms-office.vbaProjectSignatureAgile",
    "application/vnd.ms-office.vbaProjectSignatureV3",
    "application/vnd.ms-office.activeX",
    "application/vnd.ms-office.activeX+xml",
))
"""Content types of macro-enabled documents and of macro and ActiveX parts."""

REFUSED_CONTENT_TYPES: Final = frozenset(t.lower() for t in (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
    "application/vnd.openxmlformats-officedocument.oleObject",
))
"""Content types of links to other workbooks and of embedded OLE objects."""

MAIN_CONTENT_TYPES: Final = {
    "docx": frozenset(("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")),
    "xlsx": frozenset(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml")),
}
"""The content types the main part of a plain (macro-free) document or template has, by kind."""

_HARMLESS_SCHEMES: Final = frozenset(("http", "https", "mailto"))
_SCHEME: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def normal_content_type(content_type: str) -> str:
    """
    A content type as compared: trimmed, lower case, without parameters.

    Example:
        >>> normal_content_type(" Application/VND.ms-office.vbaProject ; x=1")
        'application/vnd.ms-office.vbaproject'
    """
    return content_type.split(";", 1)[0].strip().lower()


def harmless_hyperlink(target: str) -> bool:
    r"""
    Whether an external hyperlink to *target* is harmless: a web or mail address, or a place in a file.

    A link to a network share (``\\server\share``, ``file:``), a drive or a script is not:
    opening the document elsewhere could follow it.

    Example:
        >>> [harmless_hyperlink(t) for t in ("https://example.org/a", "mailto:a@b.org", "notes.docx#top",
        ...                                  "file:///etc/passwd", "\\\\evil\\share", "javascript:x", "C:\\x")]
        [True, True, True, False, False, False, False]
    """
    text = target.strip()
    if text.startswith(("\\\\", "//")):
        return False
    match = _SCHEME.match(text)
    if match is None:
        return True
    scheme = match.group(1).lower()
    return scheme in _HARMLESS_SCHEMES  # a drive letter (C:) is a local file, refused like file:
