"""
Every XML part read with expat before any other parser sees it: no DTD, no entities, ever.

A part counts as XML by what it holds, not by its name: anything that starts with ``<``
(after a byte-order mark or white space, in any of the encodings an XML parser detects)
is checked, whether it is called ``document.xml``, ``.rels``, ``custom.bin`` or nothing
at all. A DTD can only come before the root element, so most parts are read only that
far; relationship parts, the content types and worksheets are read to the end.
"""

from __future__ import annotations

import codecs
import xml.parsers.expat
from collections.abc import Callable, Iterable
from typing import Final

from sharedoutcomes._office._limits import damaged, shown, unsafe

__all__ = ["ElementHandler", "local_name", "looks_like_xml", "scan"]

ElementHandler = Callable[[str, dict[str, str]], None]
"""Called with each element's tag (``x:c``) and attributes."""

_BOMS: Final = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_EBCDIC: Final = b"\x4c\x6f\xa7\x94"  # '<?xm' in EBCDIC, which libxml2 recognises


class _RootReached(Exception):
    """Raised to stop reading a part once its root element is seen."""


def looks_like_xml(head: bytes) -> bool:
    r"""
    Whether a part starting with *head* could be taken as XML by a parser.

    Example:
        >>> [looks_like_xml(h) for h in (b"<?xml", b"\xef\xbb\xbf<w", b"\n\n  <a", b"<\x00?\x00", b"\x89PNG")]
        [True, True, True, True, False]
    """
    if head.startswith((*_BOMS, _EBCDIC)):
        return True
    return head.lstrip(b" \t\r\n\x00")[:1] == b"<"


def local_name(tag: str) -> str:
    """
    An element's name without its prefix.

    Example:
        >>> local_name("x:row"), local_name("row")
        ('row', 'row')
    """
    return tag[tag.find(":") + 1:]


def scan(chunks: Iterable[bytes], *, name: str, part: str,
         choose: Callable[[str], ElementHandler | None]) -> None:
    """
    Parse the part *part* of the file *name* from *chunks*, refusing any DTD or entity declaration.

    At the root element *choose* is called with its local name: it returns the handler that
    sees every element from the root on, or None to stop there.

    Raises:
        UnsafeFile: The part declares a DTD, entities or notations.
        ConversionError: The part is not well-formed XML up to where it is read.
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args: object) -> int:
        raise unsafe(name, f"the part {shown(part)} declares a DTD or entities, which Office documents never need; "
                     "it is refused for safety (an entity can expand to gigabytes or read other files). "
                     "Save the file again from Word or Excel", found="DTD", part=part)

    def root(tag: str, attributes: dict[str, str]) -> None:
        handler = choose(local_name(tag))
        if handler is None:
            raise _RootReached
        parser.StartElementHandler = handler
        handler(tag, attributes)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.NotationDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = root
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _RootReached:
        return
    except xml.parsers.expat.ExpatError as error:
        raise damaged(name, f"the part {shown(part)} is not well-formed XML ({error}); the file is damaged: "
                      "save it again from Word or Excel") from None
