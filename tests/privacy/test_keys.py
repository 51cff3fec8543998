"""Keyed pseudonyms: check digits, normalisation, namespaces, keys that never leak, and re-keying."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sharedoutcomes._util.identifiers import health_number_kind, mod11_check_digit
from sharedoutcomes.exceptions import SharedOutcomesError
from sharedoutcomes.privacy import (
    IdentifierError,
    KeyFileError,
    Pseudonymiser,
    generate_key_file,
    read_key_file,
    rotation_mapping,
)

from .conftest import CARERS, KEY, RIVERSIDE


def test_the_nhs_number_check_digit_is_modulus_11() -> None:
    # NHS Digital's published worked example: 943 476 591 has check digit 9
    assert mod11_check_digit("943476591") == 9
    assert health_number_kind("9434765919") == "nhs"
    assert health_number_kind("9434765918") is None
    # a remainder that would need a check digit of 10 means no valid number starts with these nine digits
    assert mod11_check_digit("120456129") is None


def test_a_chi_number_starts_with_a_date_of_birth() -> None:
    assert health_number_kind("1204560110") == "chi"
    assert health_number_kind("2902480628") == "chi"   # 29 February 1948
    assert health_number_kind("3202480620") is None    # no 32nd day, and below the NHS ranges


@pytest.mark.parametrize("written", ["120 456 0110", "1204560110", "120456-0110", " 120-456-0110 ", "120456 0110"])
def test_every_way_of_writing_a_chi_number_gives_one_pseudonym(written: str) -> None:
    p = Pseudonymiser(KEY)
    assert p.pseudonym(written) == p.pseudonym("1204560110")


def test_the_same_key_gives_every_organisation_the_same_pseudonym_for_a_chi_number() -> None:
    at_riverside = Pseudonymiser(KEY, organisation=RIVERSIDE)
    at_carers = Pseudonymiser(KEY, organisation=CARERS)

    assert at_riverside.pseudonym("120 456 0110") == at_carers.pseudonym("120456-0110")
    assert at_riverside.key_id == at_carers.key_id


def test_a_different_key_gives_an_unrelated_pseudonym() -> None:
    one, other = Pseudonymiser(KEY), Pseudonymiser(bytes(reversed(KEY)))
    a, b = one.pseudonym("1204560110"), other.pseudonym("1204560110")

    assert a != b
    assert sum(x == y for x, y in zip(a[2:], b[2:], strict=True)) < 8  # not a near miss either
    assert one.key_id != other.key_id


def test_local_ids_are_namespaced_by_organisation_and_folded() -> None:
    p = Pseudonymiser(KEY)

    assert p.pseudonym("C-101", organisation=CARERS) != p.pseudonym("C-101", organisation=RIVERSIDE)
    assert p.pseudonym(" c-101 ", organisation=CARERS) == p.pseudonym("C-101", organisation=CARERS)
    with pytest.raises(IdentifierError, match="needs the org-id"):
        p.pseudonym("C-101")


def test_a_mistyped_chi_number_is_refused_without_repeating_it() -> None:
    with pytest.raises(IdentifierError) as caught:
        Pseudonymiser(KEY, organisation=CARERS).pseudonym("120456-0111")

    message = str(caught.value)
    assert "check digit is wrong" in message
    assert "1204560111" not in message
    assert "120456" not in message
    assert message.endswith("(identifier ending …11)")
    assert isinstance(caught.value, SharedOutcomesError)


def test_pseudonyms_are_valid_package_ids_and_prefixed() -> None:
    pseudonym = Pseudonymiser(KEY).pseudonym("9434765919")
    assert pseudonym.startswith("P-")
    assert len(pseudonym) == 22
    assert pseudonym[2:].isalnum()


def test_the_key_is_never_shown(tmp_path: Path) -> None:
    p = Pseudonymiser(KEY, organisation=CARERS)
    for text in (repr(p), str(p)):
        assert KEY.hex() not in text
        assert KEY.hex()[:12] not in text
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(p)
    with pytest.raises(KeyFileError, match="at least 32"):
        Pseudonymiser(KEY[:16])


def test_key_files(tmp_path: Path) -> None:
    path = generate_key_file(tmp_path / "k.key")
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert len(read_key_file(path)) == 32
    with pytest.raises(FileExistsError):
        generate_key_file(path)
    for content, why in (("", "empty"), ("# only a comment\n", "empty"), ("zz" * 32, "hexadecimal"),
                         ("ab" * 8, "8 bytes"), ("ab" * 32 + "\n" + "cd" * 32, "one line")):
        bad = tmp_path / "bad.key"
        bad.write_text(content, encoding="ascii")
        with pytest.raises(KeyFileError, match=why):
            read_key_file(bad)
    with pytest.raises(KeyFileError, match="no such file"):
        Pseudonymiser.from_key_file(tmp_path / "missing.key")


def test_rotation_maps_old_pseudonyms_to_new_ones() -> None:
    old, new = Pseudonymiser(KEY), Pseudonymiser(bytes(reversed(KEY)))
    mapping = rotation_mapping(old, new, ["1204560110", "0303790210"])

    assert mapping == {old.pseudonym("1204560110"): new.pseudonym("1204560110"),
                       old.pseudonym("0303790210"): new.pseudonym("0303790210")}
