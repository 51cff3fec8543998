"""Columnar validation finds the same problems as `sharedoutcomes.validate`: rule, severity, path, message, source."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes.model import Package

pa = pytest.importorskip("pyarrow")
pytest.importorskip("polars")

from sharedoutcomes import columnar  # noqa: E402
from sharedoutcomes.columnar import ColumnarError, EvidenceTables, from_package  # noqa: E402
from sharedoutcomes.testing import packages  # noqa: E402

CONFORMANCE = Path(__file__).parents[1] / "conformance"


def _seen(report: sharedoutcomes.validation.Report) -> list[tuple[Any, ...]]:
    return [(p.rule, p.severity, p.path, p.message, p.value if not isinstance(p.value, float) else repr(p.value),
             p.source) for p in report.problems]


def _agree(tables: EvidenceTables) -> list[tuple[Any, ...]]:
    """Both paths on the same package; the problems they find, which must be the same, in the same order."""
    reference = _seen(sharedoutcomes.validate(tables.to_json_data(), fast=False))
    found = _seen(columnar.validate(tables))
    assert found == reference
    return found


def _cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for file in sorted(CONFORMANCE.glob("*.json")):
        for group in json.loads(file.read_text(encoding="utf-8")):
            out.extend((f"{file.stem}: {test['description']}", test["data"]) for test in group["tests"])
    return out


def _tables_of(data: dict[str, Any]) -> EvidenceTables | None:
    """The tables of a conformance document, when the model holds it exactly (one that breaks the schema may not)."""
    try:
        package = sharedoutcomes.from_json_data(data, Package)
    except Exception:
        return None
    if sharedoutcomes.dump(package) != data:  # a null the model reads as absent, a list it reads as a tuple …
        return None
    return from_package(package)


def test_every_conformance_case_the_tables_can_hold_gives_the_same_problems() -> None:
    held = 0
    for name, data in _cases():
        tables = _tables_of(data)
        if tables is None:
            continue
        held += 1
        reference = _seen(sharedoutcomes.validate(data, fast=False))
        # The document's own key order is the model's once it has been through the model: compare as sets of problems.
        assert sorted(map(repr, _seen(columnar.validate(tables)))) == sorted(map(repr, reference)), name
        _agree(tables)
    assert held >= 40  # nearly all 63 cases: only documents whose types break the schema cannot be tables


# -- mutations of valid packages ------------------------------------------------------------------------

_TEXTS = ["", " ", "a b", "x\n", "act-1", "GB-SC-SC000001", "ind-1", "ev-1", "person", "cohort", "refused",
          "personal", "public", "count", "count ", "12 people", "1,200", "text", "0123456789", "012 345 6789",
          "me@example.org", "+44 7700 900123", "DOB 12/04/1956", "bogus", "measurement", "nope-1", "P-1234",
          "wemwbs", "WEMWBS", "total", "wemwbs-1", "outcomes-star/recovery-star/4", "managing-mental-health",
          "AB1 2CD"]
_INTS = [-1, 0, 1, 3, 4, 5, 6, 7, 10, 11, 70, 2**53 + 1, -(2**63)]
_FLOATS = [0.5, 1.0, 7.5, -3.25, 1e300, float("nan"), float("inf")]
_DATES = [dt.date(2000, 1, 1), dt.date(2024, 4, 1), dt.date(2030, 12, 31)]


_EXTENSION_DATA = [None, "{}", "[]", '{"local": 1}', '{"local": {"a": null}}', '{"Bad Name": 1}', '{"undeclared": 2}']


def _candidates(type_: Any, column: str) -> st.SearchStrategy[Any]:
    if column == "extension_data":
        return st.sampled_from(_EXTENSION_DATA)
    if pa.types.is_dictionary(type_):
        return st.sampled_from([None, "integer", "number", "string", "boolean", "other"])
    if pa.types.is_string(type_):
        return st.sampled_from([None, *_TEXTS]) | st.text(max_size=6)
    if pa.types.is_int64(type_):
        return st.sampled_from([None, *_INTS])
    if pa.types.is_floating(type_):
        return st.sampled_from([None, *_FLOATS])
    if pa.types.is_boolean(type_):
        return st.sampled_from([None, True, False])
    return st.sampled_from([None, *_DATES])


_KEYS = ("evidence_index", "evidence_id", "value_index")


@st.composite
def mutated(draw: st.DrawFn) -> EvidenceTables:
    """A valid package's tables with one to three cells changed."""
    package = draw(packages(sharing_level=draw(st.sampled_from([None, "public", "partners"])), max_size=3))
    tables = from_package(package)
    for _ in range(draw(st.integers(1, 3))):
        filled = [n for n, t in tables.tables().items() if t.num_rows]
        if not filled:
            break
        name = draw(st.sampled_from(filled))
        table = tables.tables()[name]
        column = draw(st.sampled_from([c for c in table.column_names if c not in _KEYS]))
        row = draw(st.integers(0, table.num_rows - 1))
        type_ = table.schema.field(column).type
        cells = table.column(column).to_pylist()
        cells[row] = draw(_candidates(type_, column))
        if pa.types.is_dictionary(type_):
            array = pa.array(cells, pa.string()).dictionary_encode().cast(type_)
        else:
            array = pa.array(cells, type_)
        changed = table.set_column(table.schema.get_field_index(column), table.schema.field(column), array)
        tables = attrs.evolve(tables, **{name: changed})
        if (name, column) == ("evidence", "id"):  # the children follow their evidence's id
            ids = changed.column("id").to_pylist()
            for child in ("values", "subjects", "provenance"):
                rows = tables.tables()[child]
                followed = pa.array([ids[i] for i in rows.column("evidence_index").to_pylist()], pa.string())
                tables = attrs.evolve(tables, **{child: rows.set_column(1, "evidence_id", followed)})
    return tables


@settings(max_examples=100, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target])
@given(mutated())
def test_mutated_packages_give_the_same_problems_on_both_paths(tables: EvidenceTables) -> None:
    try:
        tables.to_json_data()
    except ColumnarError:  # cells that contradict each other (an "integer" whose digits are not digits)
        with pytest.raises(ColumnarError):
            columnar.validate(tables)
        return
    _agree(tables)


@given(packages(max_size=3))
def test_valid_packages_have_no_problems_on_columns(package: Package) -> None:
    assert columnar.validate(from_package(package)).problems == ()


# -- examples a person would recognise -------------------------------------------------------------------


def _example(**changes: Any) -> EvidenceTables:
    package = sharedoutcomes.example_package()
    first = attrs.evolve(package.evidence[0], **changes)
    return from_package(attrs.evolve(package, evidence=(first, *package.evidence[1:])))


def test_a_value_outside_its_scale_is_found_at_its_path_with_its_source() -> None:
    package = sharedoutcomes.example_package()
    index, item = next((i, e) for i, e in enumerate(package.evidence)
                       if any(v.scale_max is not None for v in e.values))
    j, value = next((j, v) for j, v in enumerate(item.values) if v.scale_max is not None)
    values = list(item.values)
    values[j] = attrs.evolve(value, value=value.scale_max + 5)
    evidence = list(package.evidence)
    evidence[index] = attrs.evolve(item, values=tuple(values))
    found = _agree(from_package(attrs.evolve(package, evidence=tuple(evidence))))
    assert [(rule, path) for rule, _, path, *_ in found] == [("value-out-of-scale", f"$.evidence[{index}].values[{j}].value")]


def test_a_bad_code_in_a_column_is_the_schema_problem_of_the_object_path() -> None:
    tables = _example()
    kinds = tables.evidence.column("kind").to_pylist()
    kinds[0] = "measurment"
    evidence = tables.evidence.set_column(2, "kind", pa.array(kinds))
    found = _agree(attrs.evolve(tables, evidence=evidence))
    assert found[0][:3] == ("schema.enum", "error", "$.evidence[0].kind")
    assert "did you mean 'measurement'?" in found[0][3]


def test_a_duplicate_evidence_id_names_the_first() -> None:
    tables = _example()
    ids = tables.evidence.column("id").to_pylist()
    ids[2] = ids[0]
    evidence = tables.evidence.set_column(1, "id", pa.array(ids))
    values = tables.values
    column = values.column("evidence_id").to_pylist()
    column = [ids[i] for i in values.column("evidence_index").to_pylist()]
    values = values.set_column(1, "evidence_id", pa.array(column))
    subjects = tables.subjects.set_column(1, "evidence_id", pa.array(
        [ids[i] for i in tables.subjects.column("evidence_index").to_pylist()]))
    provenance = tables.provenance.set_column(1, "evidence_id", pa.array(
        [ids[i] for i in tables.provenance.column("evidence_index").to_pylist()]))
    found = _agree(EvidenceTables(evidence=evidence, values=values, subjects=subjects, provenance=provenance))
    assert ("id-unique", "$.evidence[2].id") in [(f[0], f[2]) for f in found]


def test_tables_that_do_not_hang_together_are_refused() -> None:
    tables = _example()
    values = tables.values.set_column(0, "evidence_index", pa.array([999] * tables.values.num_rows, pa.int64()))
    with pytest.raises(ColumnarError, match="rows that do not match an evidence row"):
        columnar.validate(attrs.evolve(tables, values=values))


@pytest.mark.parametrize("where", ["first of its evidence", "later in its evidence", "out of order"])
def test_a_value_row_naming_another_evidence_id_is_refused_saying_which(where: str) -> None:
    # In order, the rows of one evidence item are checked as a run (its first row against the evidence's id,
    # the others against the row before): a wrong id anywhere is found, and reported as row by row.
    tables = _example()
    rows = tables.values.to_pylist()
    second = next(k for k in range(1, len(rows)) if rows[k]["evidence_index"] == rows[k - 1]["evidence_index"])
    index = second - 1 if where == "first of its evidence" else second
    rows[index] = {**rows[index], "evidence_id": "ev-elsewhere"}
    if where == "out of order":
        rows[0], rows[-1] = rows[-1], rows[0]
        assert rows[0]["evidence_index"] != rows[-1]["evidence_index"]
    values = pa.Table.from_pylist(rows, schema=tables.values.schema)
    first = next(r["evidence_index"] for r in rows if r["evidence_id"] == "ev-elsewhere")
    with pytest.raises(ColumnarError, match=rf"the values table has 1 rows that do not match an evidence row \(the "
                                            rf"first: evidence_index {first}, evidence_id 'ev-elsewhere'\)"):
        columnar.validate(attrs.evolve(tables, values=values))


def test_extension_data_that_is_not_json_is_refused_saying_where() -> None:
    tables = _example()
    cells = tables.evidence.column("extension_data").to_pylist()
    cells[1] = "{not json"
    evidence = tables.evidence.set_column(16, "extension_data", pa.array(cells, pa.string()))
    with pytest.raises(ColumnarError, match=r"the extension_data column at evidence_index 1 is not JSON text"):
        columnar.validate(attrs.evolve(tables, evidence=evidence))


def test_a_profile_regrades_as_on_the_object_path() -> None:
    profile = sharedoutcomes.ValidationProfile(severities={"ref-unresolved": "warning"})
    tables = _example(activity_id="act-none")
    report = columnar.validate(tables, profile=profile)
    assert report.ok
    assert _seen(report) == _seen(sharedoutcomes.validate(tables.to_json_data(), profile=profile))


# -- instruments: totals and metrics cleared by columns, everything doubtful left to check_values ----------

_SURVEYS = ("gad7", "phq9", "swemwbs", "wemwbs", "ucla3", "ons4")


@st.composite
def survey_evidence(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """A survey response as a package holds it: answers in and out of range, and totals and metrics right and wrong."""
    from sharedoutcomes.instruments import get

    instrument = get(draw(st.sampled_from(_SURVEYS)))
    answer = st.one_of(st.integers(-1, 8), st.sampled_from([2.0, 2.5, "3"]))
    values: list[dict[str, Any]] = []
    answers: dict[str, int] = {}
    for item in instrument.items:
        if draw(st.integers(0, 9)) == 0:
            continue  # unanswered
        value = draw(answer) if draw(st.integers(0, 5)) == 0 else draw(st.integers(item.minimum, item.maximum))
        values.append({"code": item.code, "value": value})
        if type(value) is int and item.minimum <= value <= item.maximum:
            answers[item.code] = value
    total = sum(answers.values())
    if instrument.total is not None and draw(st.booleans()):
        recorded = draw(st.sampled_from([total, total, total + 1, total + 0.001, total + 0.5, -3, 10_000, "12"]))
        values.append({"code": "total", "value": recorded})
    if instrument.metric is not None and draw(st.booleans()):
        table = sorted(instrument.conversion.values())
        metric = instrument.conversion.get(total)
        recorded = draw(st.sampled_from([x for x in (metric, metric, table[3], table[3] + 0.01, 1.5) if x is not None]))
        values.append({"code": "metric", "value": recorded})
    if values and draw(st.integers(0, 6)) == 0:  # a code given twice, with its value or another
        again = dict(draw(st.sampled_from(values)))
        if draw(st.booleans()):
            again["value"] = draw(st.integers(0, 3))
        values.append(again)
    if draw(st.integers(0, 9)) == 0:
        values.append({"code": "not-an-item", "value": 1})
    return {"id": f"ev-{index}", "kind": "survey", "date": "2024-05-02", "subject": {"type": "person", "id": f"P-{index}"},
            "instrument": instrument.id, "values": values, "collected_by": "GB-SC-SC012345"}


@settings(max_examples=150)
@given(st.lists(st.integers(0, 0), min_size=1, max_size=6).flatmap(
    lambda n: st.tuples(*(survey_evidence(i) for i in range(len(n))))))
def test_survey_totals_and_metrics_give_the_same_problems_on_both_paths(evidence: tuple[dict[str, Any], ...]) -> None:
    data = {"schema_version": sharedoutcomes.SCHEMA_VERSION, "id": "surveys", "title": "Survey responses",
            "publisher": "GB-SC-SC012345", "produced": "2025-01-01T00:00:00Z", "sharing_level": "personal",
            "organisations": [{"id": "GB-SC-SC012345", "name": "Us", "sector": "third"}],
            "evidence": [e for e in evidence if e["values"]]}
    package = sharedoutcomes.from_json_data(data, Package)
    _agree(from_package(package))


def test_a_wrong_total_and_a_wrong_metric_are_found_on_columns() -> None:
    from sharedoutcomes.instruments import get

    swemwbs = get("swemwbs")
    values = [{"code": item.code, "value": 3} for item in swemwbs.items]
    evidence = [{"id": f"ev-{k}", "kind": "survey", "date": "2024-05-02", "subject": {"type": "person", "id": f"P-{k}"},
                 "instrument": "swemwbs", "values": [*values, *extra]}
                for k, extra in enumerate([
                    [{"code": "total", "value": 21}, {"code": "metric", "value": swemwbs.conversion[21]}],  # right
                    [{"code": "total", "value": 22}],  # the items give 21
                    [{"code": "metric", "value": 25.03}],  # not the conversion of 21
                    [{"code": "total", "value": 21}, {"code": "swemwbs-3", "value": 4}],  # the last answer counts: 22
                ])]
    data = {"schema_version": sharedoutcomes.SCHEMA_VERSION, "id": "surveys", "title": "Survey responses",
            "publisher": "GB-SC-SC012345", "produced": "2025-01-01T00:00:00Z", "sharing_level": "personal",
            "organisations": [{"id": "GB-SC-SC012345", "name": "Us", "sector": "third"}], "evidence": evidence}
    found = _agree(from_package(sharedoutcomes.from_json_data(data, Package)))
    assert [(rule, path) for rule, _, path, *_ in found if rule.startswith("instrument.")] == [
        ("instrument.total-mismatch", "$.evidence[1].values[7].value"),
        ("instrument.total-mismatch", "$.evidence[2].values[7].value"),
        ("instrument.total-mismatch", "$.evidence[3].values[7].value")]
