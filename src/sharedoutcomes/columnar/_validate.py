"""
`validate` on tables: the problems `sharedoutcomes.validate` reports for the same package, found on columns.

The package's non-evidence part (in the tables' metadata) is checked by the object path itself:
it is small. The evidence is checked on the tables: the schema layer by vectorised flags (then
the reference schema layer on the flagged items only, so that each problem is worded as it is
everywhere else), the semantic rules by Polars expressions (`_rules`). As on the object path,
the semantic rules run only when the schema layer finds nothing, anywhere in the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from sharedoutcomes._optional import require
from sharedoutcomes._rule_words import unresolved_message
from sharedoutcomes._util.paths import nearest, path_key
from sharedoutcomes.columnar._json import scan_extension_data
from sharedoutcomes.columnar._layout import TableName
from sharedoutcomes.columnar._rules import PackageIds, check_evidence_rules
from sharedoutcomes.columnar._schema_checks import flagged_evidence
from sharedoutcomes.columnar._tables import ColumnarError, EvidenceTables, evidence_items, with_evidence
from sharedoutcomes.problems import Problem, Report, SourceLocation
from sharedoutcomes.validation import ValidationProfile, iter_problems

__all__ = ["validate"]

_SHAPE: Final = frozenset({"json-too-deep", "json-number-too-large", "number-not-finite"})
_EVIDENCE_PATH = re.compile(r"^\$\.evidence\[(\d+)\]")
_LINK_EVIDENCE = re.compile(r"^\$\.links\[\d+\]\.evidence_id$")
_UNRESOLVED = re.compile(r"^no (\w+) in the package has id ")


def _pl() -> Any:
    return require("polars", extra="columnar", purpose="validating columnar evidence")


def positional(evidence: Any) -> bool:
    """Whether the evidence table's ``evidence_index`` is 0, 1, 2 … in row order (as `from_package` writes it)."""
    pl = _pl()
    if evidence.height == 0:
        return True
    index = evidence["evidence_index"]
    return bool(index.null_count() == 0 and evidence.select(
        (pl.col("evidence_index") == pl.int_range(pl.len(), dtype=pl.Int64)).all()).item())


def _check_structure(frames: Mapping[TableName, Any]) -> bool:
    """
    The tables hang together: one row per evidence index, children pointing at evidence that is there.

    Returns whether the evidence is positional (see `positional`): the rules then gather an evidence
    column onto the values by index, with no join.
    """
    pl = _pl()
    evidence = frames["evidence"]
    if positional(evidence):
        return _check_positional(frames)
    if evidence["evidence_index"].null_count() or evidence["evidence_index"].is_duplicated().any():
        msg = "the evidence table's evidence_index must be filled and unique (it is each item's place in the package)"
        raise ColumnarError(msg)
    keys = evidence.select("evidence_index", pl.col("id").alias("_id"), pl.lit(True).alias("_present"))
    children: tuple[tuple[TableName, list[str]], ...] = (
        ("values", ["evidence_index", "value_index"]), ("subjects", ["evidence_index"]),
        ("provenance", ["evidence_index"]))
    for name, unique in children:
        frame = frames[name]
        if frame.height == 0:
            continue
        joined = frame.select("evidence_index", "evidence_id").join(keys, on="evidence_index", how="left")
        orphans = joined.filter(pl.col("_present").is_null() | pl.col("_id").ne_missing(pl.col("evidence_id")))
        if orphans.height:
            index, identifier, *_ = orphans.row(0)
            msg = (f"the {name} table has {orphans.height} rows that do not match an evidence row "
                   f"(the first: evidence_index {index}, evidence_id {identifier!r})")
            raise ColumnarError(msg)
        if frame.select(unique).is_duplicated().any():
            msg = f"the {name} table has two rows for the same {' and '.join(unique)}"
            raise ColumnarError(msg)
    return False


def _check_positional(frames: Mapping[TableName, Any]) -> bool:
    """`_check_structure` for positional evidence: ranges, gathered ids and sortedness, no joins or hashing."""
    evidence = frames["evidence"]
    n = evidence.height
    ids = evidence["id"]
    children: tuple[tuple[TableName, str | None], ...] = (("values", "value_index"), ("subjects", None),
                                                           ("provenance", None))
    for name, inner in children:
        frame = frames[name]
        if frame.height == 0:
            continue
        index = frame["evidence_index"]
        low, high = index.min(), index.max()
        if index.null_count() or low is None or high is None or low < 0 or high >= n:
            msg = (f"the {name} table has rows that do not match an evidence row (their evidence_index runs "
                   f"{low} to {high}; the evidence table's, 0 to {n - 1})")
            raise ColumnarError(msg)
        step = index.diff()
        if not _ids_match_in_runs(ids, index, frame["evidence_id"], step):
            wrong = ids.gather(index).ne_missing(frame["evidence_id"])
            if wrong.any():
                k = wrong.arg_true()[0]
                msg = (f"the {name} table has {wrong.sum()} rows that do not match an evidence row (the first: "
                       f"evidence_index {index[k]}, evidence_id {frame['evidence_id'][k]!r})")
                raise ColumnarError(msg)
        ordered = step > 0
        if inner is not None:
            ordered = ordered | ((step == 0) & (frame[inner].diff() > 0))
        if not ordered.fill_null(True).all():
            unique = ["evidence_index"] if inner is None else ["evidence_index", inner]
            if frame.select(unique).is_duplicated().any():
                msg = f"the {name} table has two rows for the same {' and '.join(unique)}"
                raise ColumnarError(msg)
    return True


def _ids_match_in_runs(ids: Any, index: Any, evidence_ids: Any, step: Any) -> bool:
    """
    Whether each row's ``evidence_id`` is the id of the evidence at its ``evidence_index``, for rows in order.

    Rows sorted by ``evidence_index`` (as the readers and `from_package` write them) come in runs
    of one index: each run's ids are all alike and its first is the evidence's id. Proven so
    without gathering a string per row (ten million of them for a million Star readings);
    ``False`` means "not proven" (rows out of order, or an id that does not match), and the caller
    looks row by row.
    """
    if not bool((step.fill_null(0) >= 0).all()):
        return False
    heads = (step != 0).fill_null(True)
    if bool((~heads & ~evidence_ids.eq_missing(evidence_ids.shift(1))).any()):
        return False
    rows = heads.arg_true()
    return not bool(ids.gather(index.gather(rows)).ne_missing(evidence_ids.gather(rows)).any())


def _reindexed(problems: Iterable[Problem], positions: list[int]) -> list[Problem]:
    """Problems of a document holding only the evidence at *positions*, at those positions in the package."""
    out = []
    for problem in problems:
        match = _EVIDENCE_PATH.match(problem.path)
        if match is None:
            continue
        index = positions[int(match.group(1))]
        out.append(attrs.evolve(problem, path=f"$.evidence[{index}]{problem.path[match.end():]}"))
    return out


def _rehinted(problem: Problem, ids: PackageIds) -> Problem:
    """A reference problem of the package's own part, its hint worked out with the evidence ids as well."""
    match = _UNRESOLVED.match(problem.message)
    if match is None or not isinstance(problem.value, str):
        return problem
    return attrs.evolve(problem, message=unresolved_message(match.group(1), problem.value, ids.kind_of(problem.value)))


def _package_problems(data: dict[str, Any], ids: PackageIds) -> list[Problem]:
    """The problems of the package without its evidence, as if its evidence were there."""
    found = []
    for problem in iter_problems(data):
        if problem.rule == "ref-unresolved" and _LINK_EVIDENCE.match(problem.path) and problem.value in ids.ids["evidence"]:
            continue
        if problem.rule in ("ref-unresolved", "link-target-unresolved"):
            problem = _rehinted(problem, ids)  # noqa: PLW2901
        found.append(problem)
    return found


def _locate(problems: Iterable[Problem], tables: EvidenceTables, source_map: Mapping[str, SourceLocation] | None,
            name: str | None) -> list[Problem]:
    """Source locations as the object path gives them: the converter's map, else the evidence's provenance."""
    pl = _pl()
    problems = list(problems)
    wanted = {int(m.group(1)) for p in problems if p.source is None and (m := _EVIDENCE_PATH.match(p.path))}
    provenance: dict[int, SourceLocation] = {}
    if wanted:
        frame = pl.from_arrow(tables.provenance).filter(pl.col("evidence_index").is_in(sorted(wanted))
                                                         & pl.col("file").is_not_null())
        for row in frame.iter_rows(named=True):
            provenance[row["evidence_index"]] = SourceLocation(file=row["file"], sheet=row["sheet"], row=row["row"],
                                                               column=row["column"], question=row["question"])
    out = []
    for problem in problems:
        if problem.source is None:
            location = nearest(problem.path, source_map) if source_map else None
            match = _EVIDENCE_PATH.match(problem.path)
            if location is None and match is not None:
                location = provenance.get(int(match.group(1)))
            if location is None and name is not None:
                location = SourceLocation(file=name)
            if location is not None:
                problem = attrs.evolve(problem, source=location)  # noqa: PLW2901
        out.append(problem)
    return out



def _sorted(problems: list[Problem], data: dict[str, Any], tables: EvidenceTables) -> tuple[Problem, ...]:
    """The object path's order: errors first, then document order, then the place in the source."""
    at = sorted({int(m.group(1)) for p in problems if (m := _EVIDENCE_PATH.match(p.path))})
    evidence: list[Any] = []
    if at:
        positions, items = evidence_items(tables, at)
        evidence = [None] * (max(positions) + 1)
        for index, item in zip(positions, items, strict=True):
            evidence[index] = item
    document = with_evidence(data, evidence)

    def key(problem: Problem) -> tuple[Any, ...]:
        where = problem.source
        return (problem.severity != "error", path_key(problem.path, document),
                () if where is None else (where.row if type(where.row) is int else 0, str(where)))

    return tuple(sorted(problems, key=key))


def validate(tables: EvidenceTables, *, profile: ValidationProfile | None = None,
             source_map: Mapping[str, SourceLocation] | None = None, name: str | None = None) -> Report:
    """
    Check columnar evidence and report every problem `sharedoutcomes.validate` reports for the same package.

    The problems are the same (rule id, severity, JSONPath, message, source location), in the
    same order; the evidence is checked with vectorised Polars expressions.

    Args:
        tables: The evidence (`from_package`, `read_parquet`, or a columnar reader).
        profile: Severities to use instead of the defaults.
        source_map: JSONPath → original location, as a converter returns it.
        name: The name of the source, for problems that have no other location.

    Raises:
        ColumnarError: The tables do not hang together (a value row whose evidence is not in
            the evidence table, two rows for one evidence index …): not a package at all.

    Example:
        >>> import attrs, sharedoutcomes
        >>> from sharedoutcomes.columnar import from_package, validate
        >>> package = sharedoutcomes.example_package()
        >>> validate(from_package(package)).ok
        True
        >>> wrong = attrs.evolve(package.evidence[0], activity_id="act-none")
        >>> tables = from_package(attrs.evolve(package, evidence=(wrong, *package.evidence[1:])))
        >>> print(validate(tables).problems[0])
        $.evidence[0].activity_id: no activity in the package has id 'act-none' [ref-unresolved] (garnock-shed-return-q4.docx, question 'F1: Indicators', sheet 'Table 6', row 2)
    """
    pl = _pl()
    frames = {name_: pl.from_arrow(table, rechunk=False) for name_, table in tables.tables().items()}
    gathered = _check_structure(frames)
    data = tables.package_data
    data.pop("evidence", None)
    ids = PackageIds(data, frames["evidence"]["id"])
    problems = _package_problems(data, ids)
    shape = [p for p in problems if p.rule in _SHAPE]
    schema_found = [p for p in problems if p.rule.startswith("schema.")]
    scan = scan_extension_data(tables.evidence)
    try:
        flagged = flagged_evidence(frames, scan)
        if flagged:
            positions, items = evidence_items(tables, flagged)
            found = _reindexed(iter_problems({**data, "evidence": items}), positions)
            shape += [p for p in found if p.rule in _SHAPE]
            schema_found += [p for p in found if p.rule.startswith("schema.")]
        if shape:
            problems = shape
        elif schema_found:
            problems = schema_found
        else:
            def values_of(indexes: list[int]) -> dict[int, list[dict[str, Any]]]:
                positions, items = evidence_items(tables, indexes)
                return {index: item.get("values", []) for index, item in zip(positions, items, strict=True)}

            problems += check_evidence_rules(frames, data, ids, values_of, scan, gathered=gathered)
    finally:
        scan.close()
    if profile is not None:
        problems = list(profile.apply(problems))
    located = _locate(problems, tables, source_map, name)
    return Report(problems=_sorted(located, data, tables), source=name,
                  profile=profile.name if profile else None)
