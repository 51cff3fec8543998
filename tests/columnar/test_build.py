"""
The package built straight from the columns (`columnar._build`) is the one the reference route builds.

The reference route is `EvidenceTables.to_json_data` then cattrs' `from_json_data`; the fast route
must give an equal package (and the same `dumps` text) on any package, trusted or not, and must
hand every table it does not take exactly as the reference does back to it (``None``), so that
`to_package` raises what it always raised.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.model import Evidence, EvidenceSubject, EvidenceValue, Package, Period, Provenance
from sharedoutcomes.serialization import from_json_data

pa = pytest.importorskip("pyarrow")

from sharedoutcomes._structure import EMPTY_EXTENSION_DATA  # noqa: E402
from sharedoutcomes.columnar import ColumnarError, EvidenceTables, from_package  # noqa: E402
from sharedoutcomes.columnar._build import package_of  # noqa: E402
from sharedoutcomes.exceptions import InvalidDocument  # noqa: E402
from sharedoutcomes.testing import extension_values, packages  # noqa: E402


def _reference(tables: EvidenceTables) -> Package:
    return from_json_data(tables.to_json_data(), Package)


def _same(got: Package | None, want: Package) -> None:
    assert got is not None  # the fast route took the tables (else to_package's equality would prove nothing)
    assert got == want
    assert sharedoutcomes.dumps(got) == sharedoutcomes.dumps(want)
    for a, b in zip(got.evidence, want.evidence, strict=True):  # equal, and of the same JSON types
        assert [(type(v.value), type(v.scale_min), type(v.scale_max)) for v in a.values] == \
               [(type(v.value), type(v.scale_min), type(v.scale_max)) for v in b.values]


@given(packages(max_size=4))
def test_any_package_is_built_as_the_reference_route_builds_it(package: Package) -> None:
    tables = from_package(package)
    reference = _reference(tables)

    _same(package_of(tables), reference)
    _same(package_of(tables, trusted=True), reference)
    assert tables.to_package() == package


_VALUES = st.one_of(st.booleans(), st.integers(-3, 3), st.sampled_from([0.0, -0.0, 1.0, 0.5, float("1e300")]),
                    st.sampled_from(["1", "True", "x"]), st.integers(min_value=2**63, max_value=2**70))


@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), _VALUES, st.sampled_from([None, 0, 0.0, -0.0, 1])),
                min_size=1, max_size=12))
def test_equal_rows_are_shared_but_never_across_json_types(rows: list[tuple[str, Any, Any]]) -> None:
    """1, 1.0 and True, 0.0 and -0.0: equal in Python, never one value; repeated equal values may be one object."""
    values = tuple(EvidenceValue(code=code, value=value, scale_min=low) for code, value, low in rows)
    items = (Evidence(id="ev-1", kind="measurement", values=values[: len(values) // 2]),
             Evidence(id="ev-2", kind="measurement", values=values[len(values) // 2:]))
    package = attrs.evolve(sharedoutcomes.example_package(), evidence=items, links=())
    tables = from_package(package)

    for trusted in (False, True):
        back = package_of(tables, trusted=trusted)
        assert back is not None
        got = [(v.code, type(v.value), repr(v.value), type(v.scale_min), repr(v.scale_min))
               for item in back.evidence for v in item.values]
        assert got == [(c, type(v), repr(v), type(low), repr(low)) for c, v, low in rows]


@given(st.dictionaries(st.sampled_from(["local", "other"]), extension_values(), min_size=1, max_size=2))
def test_extension_data_is_each_items_own_and_as_given(data: dict[str, Any]) -> None:
    extensions = (sharedoutcomes.Extension(name="local", version="1"), sharedoutcomes.Extension(name="other", version="1"))
    items = tuple(Evidence(id=f"ev-{i}", kind="quote", narrative="x", extension_data=data) for i in range(3))
    package = attrs.evolve(sharedoutcomes.example_package(), extensions=extensions, evidence=items, links=())
    tables = from_package(package)

    for trusted in (False, True):
        back = package_of(tables, trusted=trusted)
        assert back is not None
        assert [json.dumps(dict(e.extension_data)) for e in back.evidence] == [json.dumps(data)] * 3
        first, second = back.evidence[0].extension_data, back.evidence[1].extension_data
        assert first is not second  # a copy each: changing one item's data never changes another's
        for key, value in first.items():
            if isinstance(value, dict | list) and value:
                assert value is not second[key]


def test_many_distinct_values_group_without_overflow() -> None:
    """Five columns of 10,000 distinct values each: more keys than 64 bits hold, numbered again as they go."""
    n = 10_000
    values = tuple(EvidenceValue(code=f"c{i}", value=i, label=f"l{i}", unit=f"u{i}", indicator_id=f"ind-{i}",
                                 scale_max=n + i) for i in range(n))
    twice = values + values[::-1]  # every value twice: shared with its equal, never with another
    package = attrs.evolve(sharedoutcomes.example_package(), links=(),
                           evidence=(Evidence(id="ev-1", kind="measurement", values=twice),))
    tables = from_package(package)

    back = package_of(tables, trusted=True)
    assert back is not None
    assert back.evidence[0].values == twice
    built = back.evidence[0].values
    assert all(built[i] is built[2 * n - 1 - i] for i in range(n))
    assert len({id(v) for v in built}) == n


def test_values_out_of_item_order_are_placed_as_the_reference_route_places_them() -> None:
    """A values table in any row order gives each item its values in value_index order."""
    package = sharedoutcomes.example_package()
    tables = from_package(package)
    shuffled = tables.values.take(list(reversed(range(tables.values.num_rows))))
    changed = _tables_with(tables, values=shuffled)

    _same(package_of(changed, trusted=True), _reference(tables))
    assert changed.to_package() == package


def test_every_optional_field_and_the_absent_ones() -> None:
    """Absent stays absent (a default), present comes back, nested objects included; empty data is shared."""
    full = Evidence(
        id="ev-full", kind="measurement", summary="s", date=dt.date(2024, 5, 1),
        period=Period(start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31)),
        subject=EvidenceSubject(type="cohort", size=12, description="d"), activity_id="act-1",
        collected_by="GB-SC-SC012345", method="survey", instrument="i", narrative="n", evidence_level=2,
        consent="given", sensitivity="internal", purpose="learning",
        values=(EvidenceValue(code="c", value=1.5, label="l", indicator_id="ind-1", unit="u", scale_min=0,
                              scale_max=2.5),),
        provenance=Provenance(source_system="s", original_format="f", file="x.csv", sheet="S", row=3, column="C",
                              question="q", converted_by="f", converter_version="1"),
        extension_data={"local": {"a": None}},
    )
    bare = Evidence(id="ev-bare", kind="quote", narrative="x")
    started = Evidence(id="ev-started", kind="quote", narrative="x", period=Period(start=dt.date(2024, 4, 1)))
    package = attrs.evolve(sharedoutcomes.example_package(), evidence=(full, bare, started), links=())
    tables = from_package(package)
    reference = _reference(tables)

    untrusted, trusted = package_of(tables), package_of(tables, trusted=True)
    _same(untrusted, reference)
    _same(trusted, reference)
    assert trusted is not None
    assert trusted.evidence[1].extension_data is EMPTY_EXTENSION_DATA
    assert (trusted.evidence[1].period, trusted.evidence[1].subject, trusted.evidence[1].values) == (None, None, ())
    assert trusted.evidence[2].period == Period(start=dt.date(2024, 4, 1))


def _tables_with(tables: EvidenceTables, **changed: Any) -> EvidenceTables:
    return EvidenceTables(**{**tables.tables(), **changed})


def test_tables_it_does_not_take_go_to_the_reference_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each irregularity: the fast route says None, and to_package raises what the reference route raises."""
    tables = from_package(sharedoutcomes.example_package())
    evidence = tables.evidence
    index = evidence.schema.get_field_index("evidence_index")
    repeated = evidence.set_column(index, "evidence_index", pa.array([0] * evidence.num_rows, pa.int64()))
    column = evidence.schema.get_field_index("extension_data")
    not_json = evidence.set_column(column, "extension_data", pa.array(["{x"] * evidence.num_rows, pa.string()))
    null_json = evidence.set_column(column, "extension_data", pa.array(["null"] * evidence.num_rows, pa.string()))
    orphan = tables.values.set_column(0, "evidence_index", pa.array([99] * tables.values.num_rows, pa.int64()))
    kind = evidence.schema.get_field_index("kind")
    refused = evidence.set_column(kind, "kind", pa.array(["not-a-kind"] * evidence.num_rows, pa.string()))
    cases = [{"evidence": repeated}, {"evidence": not_json}, {"evidence": null_json}, {"values": orphan},
             {"evidence": refused}]

    def raised(odd: EvidenceTables) -> tuple[type[BaseException], str] | Package:
        try:
            return odd.to_package()
        except Exception as error:  # whatever the route raises, compared below
            return type(error), str(error)

    fast = [raised(_tables_with(tables, **changed)) for changed in cases]
    with monkeypatch.context() as patched:
        patched.setattr("sharedoutcomes.columnar._tables.package_of", lambda *_a, **_k: None)
        reference = [raised(_tables_with(tables, **changed)) for changed in cases]

    assert [package_of(_tables_with(tables, **changed)) for changed in cases] == [None] * len(cases)
    assert fast == reference
    assert [r[0] if isinstance(r, tuple) else None for r in fast] == [KeyError, ColumnarError, InvalidDocument,
                                                                       KeyError, InvalidDocument]
    assert package_of(_tables_with(tables, evidence=refused), trusted=True) is not None  # trusted: not re-checked
