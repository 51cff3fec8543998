"""
Checks a form file before any parser sees it: a thin layer over `sharedoutcomes._office`.

Forms are small, so they get tighter limits than other Office files (`FORM_LIMITS`): 20 MB
as stored, 200 MB unzipped, a million cells a sheet. Everything else is the one safe way
into Office files every reader shares: macro-enabled documents, decompression bombs,
external and embedded references, a DTD or entities in any part, and far cells are refused
(see docs/reference/office-safety.md).

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "notes.docx"
    >>> _ = path.write_bytes(b"just text")
    >>> check_file(path, kind="docx")
    Traceback (most recent call last):
    ...
    sharedoutcomes.exceptions.ConversionError: notes.docx: this is not a Word document (.docx): it is not a zip archive
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Final

from sharedoutcomes._office import Limits, check
from sharedoutcomes.exceptions import ConversionError, SourceLocation, UnsafeFile

__all__ = ["FORM_LIMITS", "MAX_FILE_BYTES", "MAX_MEMBER_RATIO", "MAX_UNZIPPED_BYTES", "check_file"]

MAX_FILE_BYTES: Final = 20 * 1024 * 1024
"""The largest form file accepted (20 MB): a filled form is a few hundred kilobytes."""

MAX_UNZIPPED_BYTES: Final = 200 * 1024 * 1024
"""The most an Office file may inflate to, in total."""

MAX_MEMBER_RATIO: Final = 200
"""The highest compression ratio allowed for a member bigger than 1 MB unzipped."""

MAX_MEMBERS: Final = 5000

FORM_LIMITS: Final = Limits(max_file_bytes=MAX_FILE_BYTES, max_unzipped_bytes=MAX_UNZIPPED_BYTES,
                            max_part_ratio=MAX_MEMBER_RATIO, max_parts=MAX_MEMBERS, max_cells=1_000_000)
"""The limits a form file is checked against (forms read every cell of a sheet, so a million at most)."""


def check_file(path: Path, *, kind: str, max_bytes: int = MAX_FILE_BYTES) -> None:
    """
    Refuse *path* if it is unsafe or not the kind of file expected; return quietly if it is fine.

    Raises:
        UnsafeFile: The file is too big or holds something refused for safety.
        ConversionError: With one clear message naming what is wrong and what was expected.
    """
    try:
        size = path.stat().st_size
    except (OSError, ValueError) as error:
        raise ConversionError(f"cannot read the file: {getattr(error, 'strerror', None) or error}",
                              source=SourceLocation(file=path.name)) from None
    if size > max_bytes:
        raise UnsafeFile(f"the file is {size / 1_048_576:.1f} MB; forms over {max_bytes / 1_048_576:.0f} MB "
                         "are not read", source=SourceLocation(file=path.name), found=f"{size} bytes")
    if kind in ("docx", "xlsx"):
        check(path, "docx" if kind == "docx" else "xlsx",
              limits=dataclasses.replace(FORM_LIMITS, max_file_bytes=max_bytes))
