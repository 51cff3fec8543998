"""Organisation identifiers: prefixes from the bundled org-id.guide register, and the shapes of UK schemes."""

from __future__ import annotations

import copy

import pytest

import sharedoutcomes
from sharedoutcomes.validation import org_id_prefixes, org_id_shape


@pytest.mark.parametrize(("identifier", "suggestion"), [
    ("GB-SC-SCO44652", "GB-SC-SC044652"),  # the letter O for a zero, as published (issue 11)
    ("GB-SC-SCO45223", "GB-SC-SC045223"),
    ("GB-SC-044652", "GB-SC-SC044652"),
    ("GB-COH-9506232", "GB-COH-09506232"),  # a spreadsheet dropped the leading zero
    ("GB-NIC-NIC100019", "GB-NIC-100019"),
    ("GB-CHC-GB-CHC-1126147", "GB-CHC-1126147"),
    ("GB-SC-SC04465", None),
    ("GB-CHC-12345", None),
])
def test_a_misshapen_uk_id_is_reported_with_what_it_was_probably_meant_to_be(identifier: str,
                                                                               suggestion: str | None) -> None:
    found = org_id_shape(identifier)

    assert found is not None
    assert found[1] == suggestion


@pytest.mark.parametrize("identifier", ["GB-SC-SC044652", "GB-CHC-1126147", "GB-CHC-279417", "GB-COH-09506232",
                                        "GB-COH-SC123456", "GB-NIC-100019", "GB-LAS-NAY", "360G-ABCT-17"])
def test_well_shaped_ids_and_unchecked_schemes_pass(identifier: str) -> None:
    assert org_id_shape(identifier) is None


def test_the_prefixes_are_the_bundled_register_and_the_codelist() -> None:
    prefixes = org_id_prefixes()

    assert len(prefixes) > 800
    assert {"GB-SC", "GB-CHC", "GB-COH", "GB-NIC", "GB-LAS", "NL-KVK", "US-EIN", "360G"} <= prefixes


def _package_with(identifier: str) -> dict:
    data = copy.deepcopy(sharedoutcomes.dump(sharedoutcomes.example_package()))
    data["organisations"].append({"id": identifier, "name": "Mary's Meals", "sector": "third"})
    return data


@pytest.mark.parametrize("fast", [False, True])
def test_the_rule_reports_the_typo_and_keeps_the_id_on_both_paths(fast: bool) -> None:
    data = _package_with("GB-SC-SCO45223")

    report = sharedoutcomes.validate(data, fast=fast)

    shaped = [p for p in report.problems if p.rule == "org-id-shape"]
    assert [(p.path, p.severity, p.value) for p in shaped] == [
        (f"$.organisations[{len(data['organisations']) - 1}].id", "warning", "GB-SC-SCO45223")]
    assert "did you mean 'GB-SC-SC045223'?" in shaped[0].message


@pytest.mark.parametrize("fast", [False, True])
def test_a_register_prefix_that_the_old_list_lacked_is_now_recognised(fast: bool) -> None:
    report = sharedoutcomes.validate(_package_with("NL-KVK-41202535"), fast=fast)

    assert not [p for p in report.problems if p.rule in {"org-id-prefix", "org-id-shape"}]
    unknown = sharedoutcomes.validate(_package_with("ZZ-NOPE-1"), fast=fast)
    assert [p.rule for p in unknown.problems if p.rule.startswith("org-id")] == ["org-id-prefix"]
