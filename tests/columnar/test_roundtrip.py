"""Package ⇄ Arrow ⇄ Parquet is lossless: the package back is equal, and dumps the same text."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.model import Evidence, EvidenceValue, Package

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

from sharedoutcomes.columnar import ColumnarError, EvidenceTables, from_package, layout, read_parquet  # noqa: E402
from sharedoutcomes.testing import extension_values, packages  # noqa: E402


def _same(back: Package, package: Package) -> None:
    assert back == package
    assert sharedoutcomes.dumps(back) == sharedoutcomes.dumps(package)


@given(packages(max_size=4))
def test_any_package_comes_back_equal_through_arrow(package: Package) -> None:
    _same(from_package(package).to_package(), package)


@given(packages(max_size=3))
def test_any_package_comes_back_equal_through_parquet(package: Package) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _same(read_parquet(from_package(package).write_parquet(folder)).to_package(), package)


@given(packages(max_size=3))
def test_the_tables_survive_polars_and_back(package: Package) -> None:
    tables = from_package(package)
    frames = tables.to_polars()
    back = EvidenceTables(**{name: frame.to_arrow() for name, frame in frames.items()})
    # Polars hands back large strings and its own metadata-free schema: the package rides on the evidence table.
    evidence = back.evidence.replace_schema_metadata(tables.evidence.schema.metadata)
    _same(attrs.evolve(back, evidence=evidence).to_package(), package)


_VALUES = st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(min_size=1, max_size=5), st.integers(min_value=2**63 - 2, max_value=2**70),
                    st.integers(min_value=-(2**70), max_value=-(2**63) + 1))


@given(st.lists(_VALUES, min_size=1, max_size=8))
def test_every_json_type_of_a_value_is_kept(values: list[Any]) -> None:
    """7 stays an integer and 7.0 a float, True a boolean, "7" a string; integers beyond 64 bits are kept whole."""
    package = sharedoutcomes.example_package()
    item = Evidence(id="ev-x", kind="measurement",
                    values=tuple(EvidenceValue(code=f"c{i}", value=v) for i, v in enumerate(values)))
    package = attrs.evolve(package, evidence=(item,), links=())
    back = from_package(package).to_package()
    kept = [v.value for v in back.evidence[0].values]
    assert [(type(v), v) for v in kept] == [(type(v), v) for v in values]


@given(st.dictionaries(st.sampled_from(["local"]), extension_values(), min_size=1))
def test_extension_data_keeps_nulls_and_key_order(data: dict[str, Any]) -> None:
    package = attrs.evolve(sharedoutcomes.example_package(), extensions=(sharedoutcomes.Extension(name="local", version="1"),))
    item = Evidence(id="ev-x", kind="quote", narrative="x", extension_data=data)
    package = attrs.evolve(package, evidence=(item,), links=())
    back = from_package(package).to_package()
    assert json.dumps(dict(back.evidence[0].extension_data)) == json.dumps(data)


def test_absent_and_empty_are_different_in_the_tables() -> None:
    """A field left out is null; an empty extension_data is null; a null inside extension data stays a JSON null."""
    package = sharedoutcomes.example_package()
    item = Evidence(id="ev-x", kind="quote", narrative="x", extension_data={"local": {"a": None, "b": []}})
    tables = from_package(attrs.evolve(package, evidence=(item, Evidence(id="ev-y", kind="quote")), links=(),
                                       extensions=(sharedoutcomes.Extension(name="local", version="1"),)))
    assert tables.evidence.column("extension_data").to_pylist() == ['{"local": {"a": null, "b": []}}', None]
    assert tables.evidence.column("summary").to_pylist() == [None, None]


def test_the_example_package_has_a_row_per_evidence_value_subject_and_provenance() -> None:
    package = sharedoutcomes.example_package()
    tables = from_package(package)
    assert tables.evidence.column("id").to_pylist() == [e.id for e in package.evidence]
    assert tables.values.num_rows == sum(len(e.values) for e in package.evidence)
    assert tables.subjects.num_rows == sum(e.subject is not None for e in package.evidence)
    assert tables.provenance.num_rows == sum(e.provenance is not None for e in package.evidence)
    meta = json.loads(tables.evidence.schema.metadata[b"sharedoutcomes.package"])
    assert "evidence" not in meta
    assert meta["organisations"] == sharedoutcomes.dump(package)["organisations"]


def test_pandas_frames_share_arrow_memory() -> None:
    pytest.importorskip("pandas")
    tables = from_package(sharedoutcomes.example_package())
    frame = tables.to_pandas()["values"]
    assert str(frame["value_float"].dtype) == "double[pyarrow]"
    assert frame["evidence_id"].tolist() == tables.values.column("evidence_id").to_pylist()


def test_tables_off_the_layout_are_refused_saying_which_column() -> None:
    tables = from_package(sharedoutcomes.example_package())
    with pytest.raises(ColumnarError, match=r"the values table does not follow layout 1: it has no column 'code'"):
        EvidenceTables(evidence=tables.evidence, values=tables.values.drop_columns(["code"]),
                       subjects=tables.subjects, provenance=tables.provenance)
    with pytest.raises(ColumnarError, match=r"the layout has no column 'colour'"):
        EvidenceTables(evidence=tables.evidence.append_column("colour", pa.array(["x"] * tables.evidence.num_rows)),
                       values=tables.values, subjects=tables.subjects, provenance=tables.provenance)


def test_a_missing_parquet_file_is_named(tmp_path: Path) -> None:
    folder = from_package(sharedoutcomes.example_package()).write_parquet(tmp_path)
    (folder / "subjects.parquet").unlink()
    with pytest.raises(ColumnarError, match=r"subjects.parquet: no such file"):
        read_parquet(folder)


def test_an_integer_field_beyond_64_bits_is_refused_with_its_path() -> None:
    package = sharedoutcomes.example_package()
    item = Evidence(id="ev-x", kind="quote", values=(EvidenceValue(code="a", value=1, scale_min=2**64),))
    with pytest.raises(ColumnarError, match=r"\$\.evidence\[0\]\.values\[0\]\.scale_min: the integer"):
        from_package(attrs.evolve(package, evidence=(item,), links=()))


def test_every_model_field_has_a_column_or_is_carried_elsewhere() -> None:
    """A field added to the model gets its column (or must be named as carried elsewhere)."""
    from sharedoutcomes.columnar import CARRIED_ELSEWHERE
    from sharedoutcomes.model import EvidenceSubject, Period, Provenance

    fields = {c.field for table in layout().values() for c in table.columns}
    for cls, owner in ((Evidence, "Evidence"), (EvidenceValue, "EvidenceValue"),
                       (EvidenceSubject, "EvidenceSubject"), (Provenance, "Provenance")):
        for a in attrs.fields(cls):
            where = f"{owner}.{a.name}"
            if where in CARRIED_ELSEWHERE:
                continue
            if a.name == "period":
                assert {f"{where}.{p.name}" for p in attrs.fields(Period)} <= fields
            else:
                assert where in fields, where


def test_the_reference_page_documents_every_column_of_the_layout() -> None:
    page = (Path(__file__).parents[2] / "docs" / "reference" / "columnar.md").read_text(encoding="utf-8")
    arrow = {"value_type": "dictionary<int8, string>"}
    for table in layout().values():
        section = page.split(f"### `{table.name}`", 1)[1].split("###", 1)[0]
        for column in table.columns:
            assert f"| `{column.name}` | {arrow.get(column.type, column.type)} |" in section, (table.name, column.name)


def test_a_package_part_that_lists_its_evidence_keeps_an_empty_list(tmp_path: Path) -> None:
    """``"evidence": []`` in the package part: no row is an empty list (which the schema refuses), not no member."""
    from sharedoutcomes.columnar import validate
    from sharedoutcomes.stars import sample_path
    from sharedoutcomes.stars._columnar import read_columnar

    tables = next(iter(read_columnar(sample_path(), organisation_id="GB-SC-SC012345", today="2025-06-30")))
    assert tables.package_data["evidence"] == []  # the Star reader's: its object document always lists evidence
    assert validate(tables).ok
    assert len(tables.to_json_data()["evidence"]) == tables.evidence.num_rows  # the rows fill the list

    empty = EvidenceTables(**{name: table.slice(0, 0) for name, table in tables.tables().items()})
    for held in (empty, read_parquet(empty.write_parquet(tmp_path))):
        assert held.to_json_data()["evidence"] == []
        report = validate(held)
        assert [(p.rule, p.path) for p in report.errors] == [("schema.minItems", "$.evidence")]
        assert report.problems == sharedoutcomes.validate(held.to_json_data()).problems

    bare = from_package(attrs.evolve(sharedoutcomes.example_package(), evidence=(), links=()))
    assert "evidence" not in bare.to_json_data()  # a package without evidence: absent, and valid
    assert validate(bare).ok
