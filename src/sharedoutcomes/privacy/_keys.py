"""Keyed pseudonyms: HMAC-SHA-256 over a normalised identifier; key files; re-keying (public API: `sharedoutcomes.privacy`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final, Literal

from sharedoutcomes._util.identifiers import health_number, health_number_kind
from sharedoutcomes.exceptions import SharedOutcomesError

__all__ = [
    "MIN_KEY_BYTES",
    "PSEUDONYM_PREFIX",
    "IdentifierError",
    "KeyFileError",
    "Pseudonymiser",
    "check_mapping",
    "generate_key_file",
    "is_pseudonym",
    "masked",
    "read_key_file",
    "rotation_mapping",
]

PSEUDONYM_PREFIX: Final = "P-"
"""What every pseudonym starts with, so that a pseudonym is never mistaken for a local id."""

MIN_KEY_BYTES: Final = 32
"""The shortest key accepted: 256 bits, the size of the HMAC-SHA-256 output."""

_PSEUDONYM_CHARS: Final = 20  # base32 characters: 100 bits of the HMAC
_DOMAIN: Final = b"sharedoutcomes-pseudonym-v1\x00"
_KEY_ID_LABEL: Final = b"sharedoutcomes-key-id-v1"
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_PSEUDONYM = re.compile(rf"^{re.escape(PSEUDONYM_PREFIX)}[A-Z2-7]{{{_PSEUDONYM_CHARS}}}$")

IdentifierKindName = Literal["auto", "chi", "nhs", "local"]


class IdentifierError(SharedOutcomesError, ValueError):
    """
    An identifier that cannot be pseudonymised as asked (a CHI or NHS number with a wrong check digit, a local id with no organisation).

    The message never repeats the identifier: it shows only its last two characters.

    Example:
        >>> str(IdentifierError("bad check digit", "9434765918"))
        'bad check digit (identifier ending …18)'
    """

    def __init__(self, message: str, identifier: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = masked(identifier)

    def __str__(self) -> str:
        return f"{self.message} (identifier ending {self.hint})" if self.hint else self.message


class KeyFileError(SharedOutcomesError, ValueError):
    """
    A key file that is missing, unreadable or holds no usable key.

    Example:
        >>> str(KeyFileError("key.txt", "it is empty"))
        "key file 'key.txt': it is empty; make one with sharedoutcomes.privacy.generate_key_file"
    """

    def __init__(self, path: str, why: str) -> None:
        super().__init__(path, why)
        self.path = path
        self.why = why

    def __str__(self) -> str:
        return f"key file {self.path!r}: {self.why}; make one with sharedoutcomes.privacy.generate_key_file"


def is_pseudonym(text: str) -> bool:
    """
    Whether *text* is a pseudonym as `Pseudonymiser.pseudonym` makes them (so that it is not pseudonymised twice).

    Example:
        >>> is_pseudonym(Pseudonymiser(b"k" * 32).pseudonym("9434765919")), is_pseudonym("P-7F3A9C")
        (True, False)
    """
    return _PSEUDONYM.match(text) is not None


def masked(identifier: str) -> str:
    """
    The last two characters of *identifier* after an ellipsis, for messages that must not repeat it.

    Example:
        >>> masked("C-101"), masked("")
        ('…01', '')
    """
    return f"…{identifier.strip()[-2:]}" if identifier.strip() else ""


def _normalise_local(identifier: str) -> str:
    """A local id as compared: NFKC, spaces collapsed, case folded."""
    text = unicodedata.normalize("NFKC", identifier)
    return " ".join(text.split()).casefold()


class Pseudonymiser:
    """
    Keyed pseudonyms for people: the same key and identifier always give the same pseudonym.

    A pseudonym is ``P-`` and 20 base32 characters of HMAC-SHA-256 (keyed with *key*) over the
    normalised identifier. CHI and NHS numbers are shared identifiers: spaces and dashes are
    ignored, the check digit must be right, and every organisation holding the key gets the same
    pseudonym for the same number. Any other identifier is a *local* id, which means something
    only inside the organisation that issued it, so it is namespaced by that organisation's
    org-id (given here or per call): ``C-101`` at the carers' centre and ``C-101`` at the café are
    different people. It is hashing, not encryption: no one can turn a pseudonym back into the
    identifier, but anyone with the key can check a guess, so the key is kept like a password.

    The key is never shown: not in ``repr``, not in messages; `key_id` names it safely.

    Args:
        key: At least 32 bytes of secret (see `generate_key_file`).
        organisation: The org-id local ids are namespaced by, when a call does not give one.

    Example:
        >>> p = Pseudonymiser(b"k" * 32, organisation="GB-SC-SC038977")
        >>> p.pseudonym("943 476 5919") == p.pseudonym("9434765919") == Pseudonymiser(b"k" * 32).pseudonym("943-476-5919")
        True
        >>> p.pseudonym("943 476 5919")
        'P-...'
        >>> p.pseudonym("C-101") != p.pseudonym("C-101", organisation="GB-SC-SC045123")
        True
        >>> Pseudonymiser(b"other key, also 32 bytes long!!!").pseudonym("9434765919") != p.pseudonym("9434765919")
        True
        >>> p   # the key is never shown
        <Pseudonymiser key ... organisation='GB-SC-SC038977'>
    """

    __slots__ = ("_key", "key_id", "organisation")

    def __init__(self, key: bytes, *, organisation: str | None = None) -> None:
        if not isinstance(key, bytes | bytearray):
            msg = "the key must be bytes (read it with Pseudonymiser.from_key_file)"
            raise TypeError(msg)
        if len(key) < MIN_KEY_BYTES:
            raise KeyFileError("(the key given)", f"it has {len(key)} bytes; at least {MIN_KEY_BYTES} are needed")
        self._key = bytes(key)
        self.organisation = organisation
        self.key_id: str = hmac.new(self._key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:12]
        """A name for the key that does not reveal it (the first 12 hex digits of an HMAC of a fixed label)."""

    @classmethod
    def from_key_file(cls, path: str | os.PathLike[str], *, organisation: str | None = None) -> Pseudonymiser:
        """
        A pseudonymiser with the key in *path*: one line of hex (lines starting ``#`` are comments).

        Raises:
            KeyFileError: The file is missing, unreadable, or holds no key of at least 32 bytes.

        Example:
            >>> import tempfile, pathlib
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     path = generate_key_file(pathlib.Path(tmp) / "partnership.key")
            ...     Pseudonymiser.from_key_file(path).pseudonym("9434765919").startswith("P-")
            True
        """
        return cls(read_key_file(path), organisation=organisation)

    def __repr__(self) -> str:
        return f"<Pseudonymiser key {self.key_id} organisation={self.organisation!r}>"

    def __reduce__(self) -> str:  # never pickle the key into a file by accident
        msg = "a Pseudonymiser holds a secret key and cannot be pickled"
        raise TypeError(msg)

    def normalised(self, identifier: str, *, kind: IdentifierKindName = "auto", organisation: str | None = None) -> str:
        """
        The text that is hashed: ``chi:`` or ``nhs:`` and ten digits, or ``local:<org-id>:`` and the folded local id.

        Raises:
            IdentifierError: A blank identifier; a CHI or NHS number whose check digit is wrong
                (``kind="auto"`` treats any ten-digit number as one, so a mistyped number is never
                silently taken for a local id); a local id with no organisation.

        Example:
            >>> p = Pseudonymiser(b"k" * 32, organisation="GB-SC-SC038977")
            >>> p.normalised(" 943-476-5919"), p.normalised("  c-101 ")
            ('nhs:9434765919', 'local:GB-SC-SC038977:c-101')
            >>> p.normalised("943 476 5918")
            Traceback (most recent call last):
            ...
            sharedoutcomes.privacy._keys.IdentifierError: a ten-digit CHI or NHS number whose check digit is wrong: check it against the record (identifier ending …18)
        """
        if not identifier or not identifier.strip():
            msg = "a blank identifier cannot be pseudonymised"
            raise IdentifierError(msg)
        digits = health_number(identifier) if kind in ("auto", "chi", "nhs") else None
        if digits is not None:
            found = health_number_kind(digits)
            if found is None:
                msg = "a ten-digit CHI or NHS number whose check digit is wrong: check it against the record"
                raise IdentifierError(msg, identifier)
            return f"{found}:{digits}"
        if kind in ("chi", "nhs"):
            msg = f"not a ten-digit {kind.upper()} number"
            raise IdentifierError(msg, identifier)
        org = organisation or self.organisation
        if not org:
            msg = ("a local identifier needs the org-id of the organisation that issued it "
                   "(organisation=, or --organisation on the command line)")
            raise IdentifierError(msg, identifier)
        return f"local:{org}:{_normalise_local(identifier)}"

    def pseudonym(self, identifier: str, *, kind: IdentifierKindName = "auto", organisation: str | None = None) -> str:
        """
        The pseudonym of *identifier*: ``P-`` and 20 base32 characters; see `normalised` for what is hashed and what is refused.

        Example:
            >>> p = Pseudonymiser(b"k" * 32)
            >>> len(p.pseudonym("9434765919")), p.pseudonym("9434765919") == p.pseudonym(" 943 476 5919 ")
            (22, True)
        """
        text = self.normalised(identifier, kind=kind, organisation=organisation)
        digest = hmac.new(self._key, _DOMAIN + text.encode("utf-8"), hashlib.sha256).digest()
        return PSEUDONYM_PREFIX + base64.b32encode(digest).decode("ascii")[:_PSEUDONYM_CHARS]


def read_key_file(path: str | os.PathLike[str]) -> bytes:
    """
    The key held in a key file (one line of hex; ``#`` comments and blank lines ignored).

    Example:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     len(read_key_file(generate_key_file(pathlib.Path(tmp) / "k.key")))
        32
    """
    name = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="ascii")
    except FileNotFoundError:
        raise KeyFileError(name, "there is no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise KeyFileError(name, f"it cannot be read ({type(error).__name__})") from None
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    if not lines:
        raise KeyFileError(name, "it is empty")
    if len(lines) > 1 or not _HEX.match(lines[0]) or len(lines[0]) % 2:
        raise KeyFileError(name, "it must hold one line of hexadecimal digits")
    key = bytes.fromhex(lines[0])
    if len(key) < MIN_KEY_BYTES:
        raise KeyFileError(name, f"the key has {len(key)} bytes; at least {MIN_KEY_BYTES} are needed")
    return key


def generate_key_file(path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """
    Write a new random 32-byte key to *path* (readable by its owner only) and return the path.

    Raises:
        FileExistsError: *path* exists and *overwrite* is false: a key is never replaced by accident.

    Example:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = generate_key_file(pathlib.Path(tmp) / "partnership.key")
        ...     oct(path.stat().st_mode & 0o777), path.read_text().splitlines()[0].startswith("#")
        ('0o600', True)
    """
    target = Path(path)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    descriptor = os.open(target, flags, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write("# sharedoutcomes pseudonymisation key: keep it secret, never commit or email it\n")
        handle.write(secrets.token_hex(MIN_KEY_BYTES) + "\n")
    return target


def rotation_mapping(old: Pseudonymiser, new: Pseudonymiser, identifiers: Iterable[str], *,
                     organisation: str | None = None) -> dict[str, str]:
    """
    Old pseudonym → new pseudonym for each identifier: the key holder's step when the key is replaced.

    Only someone holding the identifiers and both keys can build it. Partners then rewrite the
    packages they already hold with `repseudonymise`, without ever seeing an identifier; the
    mapping is destroyed afterwards, with the old key.

    Example:
        >>> old, new = Pseudonymiser(b"o" * 32), Pseudonymiser(b"n" * 32)
        >>> mapping = rotation_mapping(old, new, ["9434765919"])
        >>> mapping == {old.pseudonym("9434765919"): new.pseudonym("9434765919")}
        True
    """
    return {old.pseudonym(i, organisation=organisation): new.pseudonym(i, organisation=organisation)
            for i in identifiers}


def check_mapping(mapping: Mapping[str, str]) -> None:
    """
    Refuse a re-keying mapping that is not pseudonym → pseudonym, one to one.

    Example:
        >>> check_mapping({"P-AAAA": "P-BBBB"})
        >>> check_mapping({"P-AAAA": "P-BBBB", "P-CCCC": "P-BBBB"})
        Traceback (most recent call last):
        ...
        sharedoutcomes.privacy._keys.IdentifierError: the mapping sends two old pseudonyms to one new one
    """
    if len(set(mapping.values())) != len(mapping):
        msg = "the mapping sends two old pseudonyms to one new one"
        raise IdentifierError(msg)
    for pair in mapping.items():
        if not all(p.startswith(PSEUDONYM_PREFIX) for p in pair):
            msg = f"a mapping holds pseudonyms (starting {PSEUDONYM_PREFIX!r}) only"
            raise IdentifierError(msg, pair[0])
