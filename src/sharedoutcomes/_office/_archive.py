"""
The zip archive under an Office file: opened from a path, bytes or a file, and its directory checked.

Sizes and compression ratios come from the zip directory, before anything is inflated;
parts are then read in chunks, counting what they really inflate to and the time spent.
"""

from __future__ import annotations

import io
import os
import posixpath
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final

from sharedoutcomes._office._limits import MIB, Limits, damaged, shown, unsafe
from sharedoutcomes.exceptions import SharedOutcomesError

__all__ = ["KIND_NAMES", "READ_ERRORS", "Archive", "Source", "parse_error", "source_name"]

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]
"""What `check` and `open_workbook` accept: a path, the file's bytes, or a binary file open for reading."""

KIND_NAMES: Final = {"docx": "a Word document (.docx)", "xlsx": "an XLSX workbook"}

READ_ERRORS: Final = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, NotImplementedError,
                      RuntimeError, LookupError, ValueError, OverflowError)
"""What zipfile and zlib raise on a damaged, truncated, encrypted or oddly compressed archive."""

_CHUNK: Final = 64 * 1024
_MACRO_NAMES: Final = frozenset(("vbaproject.bin", "vbaprojectsignature.bin", "vbadata.xml"))
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"


def source_name(source: object, name: str | None = None) -> str:
    """The file name used in messages: *name*, else the path's name, else the file object's, else ``"the file"``."""
    if name:
        return name
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    given = getattr(source, "name", None)
    return Path(given).name if isinstance(given, str) and given else "the file"


def _mb(size: float) -> str:
    return f"{size / MIB:.1f} MB"


class Archive:
    """One Office file opened as a zip archive, with the checks on its directory done."""

    def __init__(self, source: Source, *, kind: str, limits: Limits, name: str | None = None) -> None:
        self.name = source_name(source, name)
        self.kind = kind
        self.limits = limits
        self.started = time.monotonic()
        self.unzipped = 0
        self._handle, self._restore = self._open(source)
        self.size = self._size()
        try:
            self._refuse_non_zip()
            self.zip = zipfile.ZipFile(self._handle)
            self.members = self.zip.infolist()
        except SharedOutcomesError:
            self.close()
            raise
        except READ_ERRORS as error:
            self.close()
            if isinstance(error, zipfile.BadZipFile | EOFError | OSError):
                message = (f"this is not {KIND_NAMES[kind]}: the zip archive is damaged or truncated "
                           f"({shown(error)}); save or download it again")
                raise damaged(self.name, message) from None
            raise damaged(self.name, f"this is not {KIND_NAMES[kind]}: the zip archive cannot be read "
                          f"({type(error).__name__}: {shown(error)})") from None
        except BaseException:
            self.close()
            raise
        self.names = {member.filename.lower(): member for member in self.members}

    def _open(self, source: Source) -> tuple[IO[bytes], int | None]:
        if isinstance(source, bytes | bytearray | memoryview):
            return io.BytesIO(bytes(source)), None
        if isinstance(source, str | os.PathLike):
            try:
                return Path(source).open("rb"), None
            except FileNotFoundError:
                raise damaged(self.name, "no such file") from None
            except (OSError, ValueError) as error:
                reason = getattr(error, "strerror", None) or error
                raise damaged(self.name, f"cannot read the file: {shown(reason)}") from None
        if hasattr(source, "read") and hasattr(source, "seek"):
            try:
                return source, source.tell()
            except (OSError, ValueError):
                raise damaged(self.name, "cannot check a stream that cannot seek: give a path or the bytes") from None
        raise damaged(self.name, f"cannot read {type(source).__name__} as an Office file: give a path, bytes or a "
                      "binary file")

    def _size(self) -> int:
        try:
            size = self._handle.seek(0, io.SEEK_END) - (self._restore or 0)
            self._handle.seek(self._restore or 0)
        except (OSError, ValueError) as error:
            self.close()
            raise damaged(self.name, f"cannot read the file: {shown(error)}") from None
        if size > self.limits.max_file_bytes:
            self.close()
            raise unsafe(self.name, f"the file is {_mb(size)}; files over {_mb(self.limits.max_file_bytes)} are "
                         "not read (Limits.max_file_bytes)", found=f"{size} bytes")
        return size

    def _refuse_non_zip(self) -> None:
        head = self._handle.read(8)
        self._handle.seek(self._restore or 0)
        if head.startswith(_OLE_MAGIC):
            raise damaged(self.name, f"this is not {KIND_NAMES[self.kind]}: it is an older binary Office file "
                          "(.doc, .xls) or a password-protected one; save it without a password as .docx or .xlsx")
        if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            raise damaged(self.name, f"this is not {KIND_NAMES[self.kind]}: it is not a zip archive")

    def close(self) -> None:
        """Close the archive, or give a caller's file object back where it was."""
        if self._restore is None:
            self._handle.close()
        else:
            self._handle.seek(self._restore)

    def check_directory(self) -> None:
        """Refuse too many parts, two parts of one name, macro parts by name, and parts or a whole that inflate too far."""
        limits = self.limits
        if len(self.members) > limits.max_parts:
            raise unsafe(self.name, f"the file holds {len(self.members):,} parts, more than the {limits.max_parts:,} "
                         "allowed (Limits.max_parts); this looks like a decompression bomb",
                         found=f"{len(self.members)} parts")
        if len(self.names) != len(self.members):
            twice = _repeated([member.filename for member in self.members])
            raise unsafe(self.name, f"the archive holds two parts named {shown(twice)} (names are compared without "
                         "regard to case, as Office does); one of them could hide from a check, so the file is "
                         "refused: save it again from Word or Excel", found=twice, part=twice)
        total = packed = 0
        for member in self.members:
            base = posixpath.basename(member.filename)
            if base.lower() in _MACRO_NAMES:
                raise unsafe(self.name, f"the document contains macros ({base}) in the part "
                             f"{shown(member.filename)}; save it as a plain .docx or .xlsx without macros",
                             found=base, part=member.filename)
            total += member.file_size
            packed += member.compress_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > limits.ratio_floor_bytes and ratio > limits.max_part_ratio:
                raise unsafe(self.name, f"the part {shown(member.filename)} inflates {ratio:.0f} times; this looks "
                             f"like a decompression bomb (to {_mb(member.file_size)}; Limits.max_part_ratio is "
                             f"{limits.max_part_ratio:g})",
                             found=f"ratio {ratio:.0f}", part=member.filename)
        if total > limits.max_unzipped_bytes:
            raise unsafe(self.name, f"the file would inflate to {_mb(total)}, more than the "
                         f"{_mb(limits.max_unzipped_bytes)} allowed (Limits.max_unzipped_bytes); this looks like "
                         "a decompression bomb", found=f"{total} bytes")
        ratio = total / max(packed, 1)
        if total > limits.ratio_floor_bytes and ratio > limits.max_total_ratio:
            raise unsafe(self.name, f"the file as a whole inflates {ratio:.0f} times; this looks like a "
                         f"decompression bomb (to {_mb(total)}; Limits.max_total_ratio is {limits.max_total_ratio:g})",
                         found=f"ratio {ratio:.0f}")

    def member(self, part: str) -> zipfile.ZipInfo | None:
        """The member called *part* (matched without regard to case, as Office does)."""
        return self.names.get(part.lower())

    def chunks(self, member: zipfile.ZipInfo) -> Iterator[bytes]:
        """The inflated bytes of *member* in chunks, counted against the limits and the time allowed."""
        limits = self.limits
        read = 0
        with self.zip.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                self.unzipped += len(chunk)
                if read > member.file_size or self.unzipped > limits.max_unzipped_bytes:
                    raise unsafe(self.name, f"the part {shown(member.filename)} inflates beyond the size its zip "
                                 "directory declares; this looks like a decompression bomb",
                                 found=f"{read} bytes", part=member.filename)
                if time.monotonic() - self.started > limits.max_seconds:
                    raise unsafe(self.name, f"checking the file took more than {limits.max_seconds:g} s "
                                 "(Limits.max_seconds)", found="time", part=member.filename)
                yield chunk

    def head(self, member: zipfile.ZipInfo) -> bytes:
        """The first bytes of *member*."""
        with self.zip.open(member) as stream:
            return stream.read(16)


def _repeated(names: list[str]) -> str:
    """The first of *names* that comes again, compared without regard to case."""
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            return name
        seen.add(name.lower())
    return ""


def parse_error(error: BaseException) -> str:
    """A short, bounded description of an error zipfile or zlib raised."""
    return f"{type(error).__name__}: {shown(error)}"

