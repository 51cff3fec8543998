"""
Validation batch by batch gives the problems of validating the batches' concatenation: the same, in the same order.

Packages are split into batches at every boundary and at Hypothesis-chosen ones, with the checks
that need more than one evidence item across them: duplicate ids, references to evidence in a
later batch, links to evidence, a schema problem in a later batch (which withdraws the semantic
problems of the earlier ones). `iter_convert` streams them; `convert` validates batches that
cannot be validated on their own (a value whose evidence is in an earlier batch) together.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.model import Package

pa = pytest.importorskip("pyarrow")
pytest.importorskip("polars")

import pyarrow.compute as pc  # noqa: E402

from sharedoutcomes import columnar  # noqa: E402
from sharedoutcomes._util import hashes  # noqa: E402
from sharedoutcomes.columnar import (  # noqa: E402
    ColumnarError,
    ColumnarRead,
    EvidenceTables,
    ValidatedBatch,
    from_package,
    register_columnar_reader,
    unregister_columnar_reader,
)
from sharedoutcomes.columnar._validate import BatchValidation  # noqa: E402
from sharedoutcomes.exceptions import InvalidDocument  # noqa: E402
from sharedoutcomes.testing import packages  # noqa: E402
from tests.columnar.test_validate import mutated  # noqa: E402

_FORMAT = "package"  # a format of the default registry, given a columnar reader by the tests that need one


def _seen(problems: Any) -> list[tuple[Any, ...]]:
    return [(p.rule, p.severity, p.path, p.message, p.value if not isinstance(p.value, float) else repr(p.value),
             p.source) for p in problems]


def _split(tables: EvidenceTables, cuts: list[int]) -> list[EvidenceTables]:
    """Batches of *tables* starting at the evidence indexes *cuts* (each batch holds its evidence's rows)."""
    bounds = [0, *sorted(set(cuts)), tables.evidence.num_rows]
    out = []
    for low, high in itertools.pairwise(bounds):
        def keep(table: Any, low: int = low, high: int = high) -> Any:
            index = table.column("evidence_index")
            return table.filter(pc.and_(pc.greater_equal(index, low), pc.less(index, high)))

        out.append(EvidenceTables(**{name: keep(table) for name, table in tables.tables().items()}))
    return out


def _batchwise(batches: list[EvidenceTables], **options: Any) -> tuple[list[tuple[Any, ...]], list[Problem]]:
    checks = BatchValidation(**options)
    found = [p for batch in batches for p in checks.add(batch)]
    return _seen(checks.finish().problems), found


Problem = sharedoutcomes.Problem


def _assert_batchwise_is_whole(tables: EvidenceTables, cuts: list[int], **options: Any) -> list[tuple[Any, ...]]:
    batches = _split(tables, cuts)
    whole = _seen(columnar.validate(columnar.concat(batches), **options).problems)
    assert whole == _seen(columnar.validate(tables, **options).problems)
    got, found = _batchwise(batches, **options)
    assert got == whole
    if not any(p.rule.startswith("schema.") for p in columnar.validate(tables).problems):
        # with no schema problem anywhere, the batches' own problems are the report's (the hints aside)
        assert sorted((p.rule, p.path) for p in found) == sorted((rule, path) for rule, _, path, *_ in whole
                                                                 if path.startswith("$.evidence["))
    return got


def _example(**changes: Any) -> Package:
    """The example package with *changes* to evidence items: {index: {attribute: value}}."""
    package = sharedoutcomes.example_package()
    evidence = list(package.evidence)
    for index, change in changes.items():
        evidence[int(index)] = attrs.evolve(evidence[int(index)], **change)
    return attrs.evolve(package, evidence=tuple(evidence))


def _every_cut(package: Package, **options: Any) -> None:
    tables = from_package(package)
    n = tables.evidence.num_rows
    for cut in range(1, n):
        _assert_batchwise_is_whole(tables, [cut], **options)
    _assert_batchwise_is_whole(tables, list(range(1, n)), **options)  # one evidence item a batch


def test_a_valid_package_in_batches_has_no_problems_at_every_boundary() -> None:
    _every_cut(sharedoutcomes.example_package())


def test_a_duplicate_id_across_batches_names_the_first_evidence() -> None:
    package = sharedoutcomes.example_package()
    first = package.evidence[1].id
    package = _example(**{"6": {"id": first}, "9": {"id": first}})
    _every_cut(package)
    got, _ = _batchwise(_split(from_package(package), [4, 8]))
    assert [(rule, path, message) for rule, _, path, message, *_ in got if rule == "id-unique"] == [
        ("id-unique", "$.evidence[6].id", f"evidence id '{first}' is used already, by evidence[1]"),
        ("id-unique", "$.evidence[9].id", f"evidence id '{first}' is used already, by evidence[1]")]


def test_a_reference_to_evidence_in_a_later_batch_is_hinted_as_evidence() -> None:
    package = sharedoutcomes.example_package()
    later = package.evidence[-1].id
    package = _example(**{"0": {"activity_id": later, "collected_by": "org-none"}})
    _every_cut(package)
    got, _ = _batchwise(_split(from_package(package), [1]))
    assert any(f"'{later}' is the id of an evidence" in message for _, _, _, message, *_ in got)


def test_links_to_evidence_are_resolved_against_every_batch() -> None:
    package = sharedoutcomes.example_package()
    link = attrs.evolve(package.links[0], evidence_id="ev-nowhere")
    _every_cut(attrs.evolve(package, links=(link, *package.links[1:])))
    _every_cut(package)  # the links to the last batches' evidence are found there


def test_links_to_the_evidence_of_many_batches_unpack_each_batchs_ids_once(monkeypatch: pytest.MonkeyPatch) -> None:
    package = sharedoutcomes.example_package()
    ids = [item.id for item in package.evidence]
    order = [ids[k // 2] if k % 2 == 0 else ids[-1 - k // 2] for k in range(len(ids))]  # first, last, second …
    links = tuple(attrs.evolve(package.links[0], id=f"lnk-{k}", evidence_id=evidence_id)
                  for k, evidence_id in enumerate(order))
    tables = from_package(attrs.evolve(package, links=links))
    batches = _split(tables, list(range(2, tables.evidence.num_rows, 2)))  # two evidence items a batch
    whole = _seen(columnar.validate(tables).problems)
    unpacked: list[Any] = []
    unpack = hashes.unpack
    monkeypatch.setattr(hashes, "unpack", lambda packed: unpacked.append(packed) or unpack(packed))
    checks = BatchValidation()
    for batch in batches:
        checks.add(batch)
    unpacked.clear()

    got = _seen(checks.finish().problems)

    assert got == whole
    assert 0 < len(unpacked) <= len(batches)  # asked id by id: once an id, 11 times


def test_a_schema_problem_in_a_later_batch_withdraws_the_semantic_problems_of_earlier_ones() -> None:
    tables = from_package(_example(**{"0": {"activity_id": "act-none"}}))
    kinds = tables.evidence.column("kind").to_pylist()
    kinds[-1] = "measurment"
    tables = attrs.evolve(tables, evidence=tables.evidence.set_column(2, "kind", pa.array(kinds)))
    n = tables.evidence.num_rows
    for cut in range(1, n):
        got = _assert_batchwise_is_whole(tables, [cut])
        assert [rule for rule, *_ in got] == ["schema.enum"]
    checks = BatchValidation()
    first, second = _split(tables, [n - 1])
    assert [p.rule for p in checks.add(first)] == ["ref-unresolved"]  # provisional: no schema problem yet
    assert [p.rule for p in checks.add(second)] == ["schema.enum"]
    assert [p.rule for p in checks.finish().problems] == ["schema.enum"]


def test_a_profile_regrades_batch_by_batch_as_whole() -> None:
    profile = sharedoutcomes.ValidationProfile(severities={"ref-unresolved": "warning", "id-unique": "off"})
    package = sharedoutcomes.example_package()
    _every_cut(_example(**{"0": {"activity_id": "act-none"}, "5": {"id": package.evidence[2].id}}), profile=profile)


@settings(max_examples=60, deadline=None)
@given(mutated(), st.data())
def test_mutated_packages_in_batches_give_the_problems_of_the_whole(tables: EvidenceTables, data: st.DataObject) -> None:
    n = tables.evidence.num_rows
    cuts = data.draw(st.lists(st.integers(1, max(n - 1, 1)), max_size=3)) if n > 1 else []
    try:
        whole = _seen(columnar.validate(tables).problems)
    except ColumnarError:
        with pytest.raises(ColumnarError):
            _batchwise(_split(tables, cuts))
        return
    assert _batchwise(_split(tables, cuts))[0] == whole


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_generated_packages_with_repeated_ids_in_batches(data: st.DataObject) -> None:
    level = data.draw(st.sampled_from([None, "public", "partners"]))
    package = data.draw(packages(sharing_level=level, max_size=6))
    evidence = list(package.evidence)
    if len(evidence) > 1:  # an id given again further on, perhaps in another batch
        k = data.draw(st.integers(1, len(evidence) - 1))
        evidence[k] = attrs.evolve(evidence[k], id=evidence[data.draw(st.integers(0, k - 1))].id)
    tables = from_package(attrs.evolve(package, evidence=tuple(evidence)))
    n = tables.evidence.num_rows
    cuts = data.draw(st.lists(st.integers(1, max(n - 1, 1)), max_size=4)) if n > 1 else []
    _assert_batchwise_is_whole(tables, cuts)


# -- iter_convert and convert, with a reader giving the batches ----------------------------------------


class _Reader:
    """A columnar reader for the tests: gives *batches* of tables, then a problem of its own and its coverage."""

    def __init__(self, batches: list[EvidenceTables]) -> None:
        self.batches = batches

    def __call__(self, source: Any, /, **options: Any) -> ColumnarRead:
        def batches() -> Iterator[EvidenceTables]:
            yield from self.batches
            read.problems.append(Problem(rule="conversion.not-read", severity="warning", path="$",
                                         message="a footer line was not read"))

        read = ColumnarRead(batches=batches(), problems=[])
        return read


@pytest.fixture
def reader() -> Iterator[_Reader]:
    instance = _Reader([])
    register_columnar_reader(_FORMAT, instance)
    try:
        yield instance
    finally:
        unregister_columnar_reader(_FORMAT)


def _expected(batches: list[EvidenceTables]) -> list[tuple[Any, ...]]:
    """What the reader's batches must give: its problems, then `validate` of their concatenation."""
    own = [p for b in batches for p in b.problems]
    footer = Problem(rule="conversion.not-read", severity="warning", path="$", message="a footer line was not read")
    return _seen([*own, footer, *columnar.validate(columnar.concat(batches)).problems])


def test_iter_convert_yields_validated_batches_then_the_whole_packages_problems(reader: _Reader) -> None:
    package = sharedoutcomes.example_package()
    package = _example(**{"2": {"activity_id": "act-none"}, "7": {"id": package.evidence[0].id}})
    reader.batches = _split(from_package(package), [3, 6])
    reader.batches[1] = attrs.evolve(reader.batches[1], problems=(
        Problem(rule="stars.score-not-read", severity="warning", path="$.evidence[4]", message="a cell"),))
    stream = columnar.iter_convert("anything", format=_FORMAT)
    with pytest.raises(ColumnarError, match="known once every batch"):
        stream.problems  # noqa: B018
    batches = list(stream)
    assert all(isinstance(b, ValidatedBatch) for b in batches)
    assert [b.evidence.num_rows for b in batches] == [3, 3, 5]
    assert [[(p.rule, p.path) for p in b.problems] for b in batches] == [
        [("ref-unresolved", "$.evidence[2].activity_id")], [("stars.score-not-read", "$.evidence[4]")],
        [("id-unique", "$.evidence[7].id")]]
    assert _seen(stream.problems) == _expected(reader.batches)
    assert not stream.ok
    with pytest.raises(ColumnarError, match="read once"):
        list(stream)
    result = columnar.convert("anything", format=_FORMAT)
    assert _seen(result.problems) == _expected(reader.batches)
    assert result.evidence.num_rows == 11


def test_a_value_whose_evidence_is_in_an_earlier_batch(reader: _Reader) -> None:
    package = _example(**{"0": {"activity_id": "act-none"}})
    tables = from_package(package)
    first, second = _split(tables, [6])
    moved = pc.equal(first.values.column("evidence_index"), first.values.column("evidence_index")[0])
    # the first evidence item's values come in the second batch
    first, second = (attrs.evolve(first, values=first.values.filter(pc.invert(moved))),
                     attrs.evolve(second, values=pa.concat_tables([first.values.filter(moved), second.values])))
    reader.batches = [first, second]
    with pytest.raises(ColumnarError, match="batch 1 cannot be validated on its own"):
        list(columnar.iter_convert("anything", format=_FORMAT))
    result = columnar.convert("anything", format=_FORMAT)  # validated together, as one table
    assert _seen(result.problems) == _expected(reader.batches)
    assert result.evidence.num_rows == tables.evidence.num_rows


def test_evidence_before_an_earlier_batchs_is_validated_together_by_convert(reader: _Reader) -> None:
    first, second = _split(from_package(sharedoutcomes.example_package()), [5])
    reader.batches = [second, first]
    with pytest.raises(ColumnarError, match="cannot be validated on its own"):
        list(columnar.iter_convert("anything", format=_FORMAT))
    assert _seen(columnar.convert("anything", format=_FORMAT).problems) == _expected(reader.batches)


def test_a_schema_problem_raises_invalid_document_after_the_batches(reader: _Reader) -> None:
    tables = from_package(sharedoutcomes.example_package())
    kinds = tables.evidence.column("kind").to_pylist()
    kinds[8] = "measurment"
    reader.batches = _split(attrs.evolve(tables, evidence=tables.evidence.set_column(2, "kind", pa.array(kinds))),
                            [4])
    stream = columnar.iter_convert("anything", format=_FORMAT)
    yielded = []
    with pytest.raises(InvalidDocument) as raised:
        yielded.extend(stream)
    assert len(yielded) == 2
    assert [p.rule for p in yielded[1].problems] == ["schema.enum"]
    assert _seen(raised.value.report.problems) == _expected(reader.batches)
    with pytest.raises(InvalidDocument) as whole:
        columnar.convert("anything", format=_FORMAT)
    assert _seen(whole.value.report.problems) == _seen(raised.value.report.problems)


def test_a_reader_without_batches_and_batches_of_two_packages_are_refused(reader: _Reader) -> None:
    with pytest.raises(ColumnarError, match="returned no batch"):
        list(columnar.iter_convert("anything", format=_FORMAT))
    package = sharedoutcomes.example_package()
    other = from_package(attrs.evolve(package, title="Another"))
    reader.batches = [_split(from_package(package), [5])[0], _split(other, [5])[1]]
    with pytest.raises(ColumnarError, match="batch 1 carries another package than batch 0"):
        columnar.convert("anything", format=_FORMAT)


def test_a_format_without_a_columnar_reader_streams_one_batch() -> None:
    path = sharedoutcomes.example_package_path()
    stream = columnar.iter_convert(path, format="package")
    batches = list(stream)
    reference = sharedoutcomes.convert(path, format="package")
    assert not stream.columnar
    assert [b.evidence.num_rows for b in batches] == [len(reference.package.evidence)]
    assert _seen(stream.problems) == _seen(reference.problems) == _seen(batches[0].problems)
    assert stream.coverage == reference.coverage
    assert dict(stream.source_map) == dict(reference.source_map)


# -- the extension-data scan: few distinct texts read one by one, many by DuckDB: the same findings ----------

_EXTENSION_TEXTS = [None, "{}", "[]", "1", '"text"', '{"local": 1}', '{"local": {"a": null}}', '{"Bad Name": 1}',
                    '{"undeclared": 2, "local": 3}', '{"x-y": []}']


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_EXTENSION_TEXTS), min_size=1, max_size=30),
       st.lists(st.sampled_from(["local", "undeclared", "Bad Name", "x-y", "none"]), max_size=3))
def test_the_extension_scan_of_few_texts_finds_what_duckdb_finds(texts: list[str | None], names: list[str]) -> None:
    from sharedoutcomes.columnar import _json

    table = pa.table({"evidence_index": pa.array(range(len(texts)), pa.int64()), "extension_data": pa.array(
        texts, pa.string())})
    few = _json.scan_extension_data(table)
    original = _json.ExtensionScan._few
    _json.ExtensionScan._few = lambda self, column: False  # type: ignore[method-assign]  # DuckDB reads every column
    try:
        many = _json.scan_extension_data(table)
    finally:
        _json.ExtensionScan._few = original  # type: ignore[method-assign]
    try:
        assert many._distinct is None
        if any(t is not None for t in texts):
            assert few._distinct is not None
        assert (few.malformed, few.names, few.rows_with(names)) == (many.malformed, many.names, many.rows_with(names))
    finally:
        few.close()
        many.close()


def test_duckdb_is_opened_only_for_a_scan_that_needs_it_and_once_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Few distinct extension texts are read by Python: no connection (10 ms to open); many share one, closed at the end."""
    duckdb = pytest.importorskip("duckdb")
    from sharedoutcomes.columnar import _json

    opened: list[Any] = []
    real = duckdb.connect

    def connect(*args: Any, **kwargs: Any) -> Any:
        opened.append(real(*args, **kwargs))
        return opened[-1]

    from sharedoutcomes.stars import sample_path

    tables = columnar.convert(sample_path(), format="outcomes-star", organisation_id="GB-SC-SC012345",
                              today="2025-06-30").tables
    assert tables.evidence.column("extension_data").null_count == 0  # every reading has Star extension data
    batches = _split(tables, [2, 4])
    monkeypatch.setattr(duckdb, "connect", connect)
    checks = BatchValidation(profile=None, source_map=None, name=None, streaming=False)
    for batch in batches:
        checks.add(batch)
    assert checks.finish().ok
    assert opened == []  # a reader's batches: few distinct texts

    monkeypatch.setattr(_json.ExtensionScan, "_few", lambda self, column: False)  # as for many distinct texts
    checks = BatchValidation(profile=None, source_map=None, name=None, streaming=False)
    for batch in batches:
        checks.add(batch)
    assert len(opened) == 1  # one connection for every batch of the run
    report = checks.finish()
    assert report.ok
    with pytest.raises(duckdb.ConnectionException):
        opened[0].execute("select 1")  # closed when the run finished
