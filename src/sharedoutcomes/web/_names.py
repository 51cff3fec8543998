"""Uploaded file names made safe: no name a browser sends ever becomes a path on this machine."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["MAX_NAME", "safe_name"]

MAX_NAME: Final = 120
"""The longest file name kept (in characters; the ending is kept when a name is shortened)."""

_UNSAFE: Final = re.compile(r"[^\w.\- ()+,]+", re.UNICODE)


def safe_name(name: str, *, fallback: str = "file") -> str:
    r"""
    The last part of an uploaded *name*, reduced to characters safe in a file name.

    Folders (``/`` or ``\``), control characters and NUL, leading dots and Windows' reserved
    characters go; a name left empty becomes *fallback*; a long one is shortened, keeping its ending.

    Example:
        >>> safe_name("../../etc/passwd"), safe_name("C:\\Users\\x\\return.docx"), safe_name("/abs/q4.xlsx")
        ('passwd', 'return.docx', 'q4.xlsx')
        >>> safe_name("a\x00b.csv"), safe_name(".."), safe_name("...hidden")
        ('ab.csv', 'file', 'hidden')
        >>> len(safe_name("x" * 500 + ".docx")), safe_name("x" * 500 + ".docx")[-5:]
        (120, '.docx')
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")  # control characters, NUL included
    text = re.split(r"[/\\]", text)[-1]
    text = _UNSAFE.sub("_", text).strip(" ._")
    if not text:
        return fallback
    if len(text) > MAX_NAME:
        stem, dot, ending = text.rpartition(".")
        if dot and 0 < len(ending) <= 10:
            text = stem[:MAX_NAME - len(ending) - 1] + "." + ending
        else:
            text = text[:MAX_NAME]
    return text
