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
from sharedoutcomes.columnar._rules import EvidenceIds, PackageIds, check_evidence_rules
from sharedoutcomes.columnar._schema_checks import flagged_evidence
from sharedoutcomes.columnar._tables import ColumnarError, EvidenceTables, evidence_items, with_evidence
from sharedoutcomes.problems import Problem, Report, SourceLocation
from sharedoutcomes.validation import ValidationProfile, iter_problems

__all__ = ["BatchNotSelfContained", "BatchValidation", "validate"]

_SHAPE: Final = frozenset({"json-too-deep", "json-number-too-large", "number-not-finite"})
_EVIDENCE_PATH = re.compile(r"^\$\.evidence\[(\d+)\]")
_LINK_EVIDENCE = re.compile(r"^\$\.links\[\d+\]\.evidence_id$")
_UNRESOLVED = re.compile(r"^no (\w+) in the package has id ")


def _pl() -> Any:
    return require("polars", extra="columnar", purpose="validating columnar evidence")


def positional(evidence: Any, offset: int = 0) -> bool:
    """
    Whether the evidence table's ``evidence_index`` is *offset*, *offset* + 1 … in row order.

    As `from_package` writes it (from 0), and a reader's batches (each from the count of the
    evidence before it).
    """
    pl = _pl()
    if evidence.height == 0:
        return True
    index = evidence["evidence_index"]
    return bool(index.null_count() == 0 and evidence.select(
        (pl.col("evidence_index") == pl.int_range(offset, offset + pl.len(), dtype=pl.Int64)).all()).item())


def _check_structure(frames: Mapping[TableName, Any], offset: int = 0) -> bool:
    """
    The tables hang together: one row per evidence index, children pointing at evidence that is there.

    Returns whether the evidence is positional from *offset* (see `positional`): the rules then
    gather an evidence column onto the values by index, with no join.
    """
    pl = _pl()
    evidence = frames["evidence"]
    if positional(evidence, offset):
        return _check_positional(frames, offset)
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


def _check_positional(frames: Mapping[TableName, Any], offset: int) -> bool:
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
        if index.null_count() or low is None or high is None or low < offset or high >= offset + n:
            msg = (f"the {name} table has rows that do not match an evidence row (their evidence_index runs "
                   f"{low} to {high}; the evidence table's, {offset} to {offset + n - 1})")
            raise ColumnarError(msg)
        step = index.diff()
        rows = index - offset if offset else index
        if not _ids_match_in_runs(ids, rows, frame["evidence_id"], step):
            wrong = ids.gather(rows).ne_missing(frame["evidence_id"])
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
    of one index: each run's ids are all alike and its first is the evidence's id (*index*: the
    evidence's row in its table, for each row). Proven so
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


def _package_problems(data: dict[str, Any], problems: Iterable[Problem], ids: PackageIds) -> list[Problem]:
    """The problems of the package without its evidence (*problems*), as if its evidence were there."""
    found = []
    for problem in problems:
        if (problem.rule == "ref-unresolved" and _LINK_EVIDENCE.match(problem.path) and isinstance(problem.value, str)
                and ids.is_evidence(problem.value)):
            continue
        if problem.rule in ("ref-unresolved", "link-target-unresolved"):
            problem = _rehinted(problem, ids)  # noqa: PLW2901
        found.append(problem)
    return found


def _locate(problems: Iterable[Problem], tables: EvidenceTables | None,
            source_map: Mapping[str, SourceLocation] | None, name: str | None) -> list[Problem]:
    """Source locations as the object path gives them: the converter's map, else the evidence's provenance."""
    pl = _pl()
    problems = list(problems)
    wanted = {int(m.group(1)) for p in problems if p.source is None and (m := _EVIDENCE_PATH.match(p.path))}
    provenance: dict[int, SourceLocation] = {}
    if wanted and tables is not None:
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


_Keyed = tuple[tuple[Any, ...], Problem]


class BatchNotSelfContained(ColumnarError):
    """A batch that cannot be validated on its own (its rows point at evidence in another batch …); whole, it may be fine."""


class BatchValidation:
    """
    `validate` batch by batch: what a check needs across batches is carried over, nothing else is kept.

    `add` each batch in order, then `finish`: the report is the one `validate` gives for the
    batches' concatenation (the same problems, in the same order). Carried across batches:

    - the evidence ids met so far (`EvidenceIds`, by hash): ``id-unique`` names the first evidence
      with an id in any earlier batch; the hint of ``ref-unresolved`` (and the package's links to
      evidence) are worked out with every batch's ids at the end;
    - whether the schema layer has found anything (in the package's own part or any batch): as on
      the object path, the semantic rules' problems are reported only when it found nothing
      anywhere, so they are no longer looked for once it has, and those of earlier batches are
      dropped at the end;
    - the count of evidence so far and the last ``evidence_index``: a batch's evidence must come
      after the earlier batches' (positional batches are then gathered by position);
    - each problem's place in the package's order (its sort key): the report is sorted at the end.

    Every other rule is a rule of one evidence item, its values, subject and provenance, which must
    then be in the item's batch (as a reader writes them); a batch whose rows point at evidence
    in another batch raises `ColumnarError` (`BatchNotSelfContained`).
    """

    def __init__(self, *, profile: ValidationProfile | None = None,
                 source_map: Mapping[str, SourceLocation] | None = None, name: str | None = None,
                 streaming: bool = True) -> None:
        self._profile = profile
        self._source_map = source_map
        self._name = name
        self._streaming = streaming
        self._package_json: str | None = None
        self._data: dict[str, Any] = {}
        self._own: list[Problem] = []  # the package part's problems, as iter_problems gives them
        self._listed = False  # whether the package part lists its evidence ("evidence": [], see with_evidence)
        self._seen = EvidenceIds()
        self._ids = PackageIds({}, self._seen.__contains__)
        self._found: dict[str, list[_Keyed]] = {"shape": [], "schema": [], "semantic": []}
        self._schema_seen = False
        self._evidence_rank = 0
        self.batches = 0
        self._rows = 0
        self._last: int | None = None
        self._duckdb: Any = None  # one DuckDB connection for every batch's extension-data scan, opened when one needs it

    def _start(self, tables: EvidenceTables) -> None:
        self._package_json = tables.package_json
        data = tables.package_data
        self._listed = data.pop("evidence", None) is not None
        self._data = data
        self._own = list(iter_problems(data))
        self._schema_seen = any(p.rule in _SHAPE or p.rule.startswith("schema.") for p in self._own)
        self._ids = PackageIds(data, self._seen.__contains__)
        self._evidence_rank = list(with_evidence(data, [None])).index("evidence")

    def add(self, tables: EvidenceTables, *,
            source_map: Mapping[str, SourceLocation] | None = None) -> tuple[Problem, ...]:
        """
        Validate one batch; its problems, as `validate` of the package read so far reports them, in order.

        *source_map* locates the batch's problems (the reader's map for its evidence), instead of
        the map the validation was made with.

        They are final unless a later batch has a schema problem (the semantic ones are then dropped,
        as `validate` drops them), and the hint of a ``ref-unresolved`` may name a later batch's evidence.

        Raises:
            ColumnarError: The batch carries another package than the first, or does not hang
                together (`BatchNotSelfContained` when validating a stream: it may be fine whole).
        """
        if self._package_json is None:
            self._start(tables)
        elif tables.package_json != self._package_json:
            msg = f"batch {self.batches} carries another package than batch 0: a reader's batches share one package"
            raise ColumnarError(msg)
        k, offset = self.batches, self._rows
        pl = _pl()
        frames = {name_: pl.from_arrow(table, rechunk=False) for name_, table in tables.tables().items()}
        evidence = frames["evidence"]
        try:
            gathered = _check_structure(frames, offset)
            low, high = evidence["evidence_index"].min(), evidence["evidence_index"].max()
            if self._last is not None and low is not None and low <= self._last:
                msg = f"its evidence_index starts at {low}, not after the earlier batches' (up to {self._last})"
                raise ColumnarError(msg)
        except ColumnarError as error:
            if not self._streaming:
                raise
            msg = (f"batch {k} cannot be validated on its own: {error}; each batch must hold the values, subject "
                   "and provenance of its own evidence, after the earlier batches' (columnar.convert validates "
                   "such batches together)")
            raise BatchNotSelfContained(msg) from error
        self.batches += 1
        self._rows += evidence.height
        self._last = high if high is not None else self._last
        found = self._check(tables, frames, gathered=gathered, offset=offset,
                            source_map=self._source_map if source_map is None else source_map)
        if found["shape"] or self._found["shape"] or any(p.rule in _SHAPE for p in self._own):
            batch = found["shape"]
        elif self._schema_seen:
            batch = found["schema"]
        else:
            batch = found["semantic"]
        for group, keyed in found.items():
            self._found[group] += keyed
        return tuple(p for _, p in sorted(batch, key=lambda kp: kp[0]))

    def _check(self, tables: EvidenceTables, frames: Mapping[TableName, Any], *, gathered: bool, offset: int,
               source_map: Mapping[str, SourceLocation] | None) -> dict[str, list[_Keyed]]:
        """The batch's shape, schema and (while the schema layer has found nothing) semantic problems, keyed."""
        data = self._data
        scan = scan_extension_data(tables.evidence, self._connection)
        found: dict[str, list[Problem]] = {"shape": [], "schema": [], "semantic": []}
        try:
            flagged = flagged_evidence(frames, scan)
            if flagged:
                positions, items = evidence_items(tables, flagged)
                problems = _reindexed(iter_problems({**data, "evidence": items}), positions)
                found["shape"] = [p for p in problems if p.rule in _SHAPE]
                found["schema"] = [p for p in problems if p.rule.startswith("schema.")]
                self._schema_seen = self._schema_seen or bool(found["shape"] or found["schema"])
            if not self._schema_seen:
                def values_of(indexes: list[int]) -> dict[int, list[dict[str, Any]]]:
                    positions, items = evidence_items(tables, indexes)
                    return {index: item.get("values", []) for index, item in zip(positions, items, strict=True)}

                found["semantic"] = list(check_evidence_rules(frames, data, self._ids, self._seen, values_of, scan=scan,
                                                              gathered=gathered, offset=offset))
        finally:
            scan.close()
        if self._profile is not None:
            found = {group: list(self._profile.apply(problems)) for group, problems in found.items()}
        every = _locate([p for problems in found.values() for p in problems], tables, source_map, self._name)
        at = sorted({int(m.group(1)) for p in every if (m := _EVIDENCE_PATH.match(p.path))})
        items_at: dict[int, Any] = {}
        if at:
            positions, items = evidence_items(tables, at)
            items_at = dict(zip(positions, items, strict=True))
        keyed = iter([(self._key(p, items_at), p) for p in every])
        return {group: [next(keyed) for _ in problems] for group, problems in found.items()}

    def _connection(self) -> Any:
        """The run's DuckDB connection, opened the first time a scan needs DuckDB (10 ms: a reader's batch seldom does)."""
        if self._duckdb is None:
            self._duckdb = require("duckdb", extra="columnar", purpose="reading extension data in columns").connect()
        return self._duckdb

    def _key(self, problem: Problem, items: Mapping[int, Any]) -> tuple[Any, ...]:
        """The object path's order: errors first, then document order, then the place in the source."""
        match = _EVIDENCE_PATH.match(problem.path)
        if match is None:
            place = path_key(problem.path, with_evidence(self._data, [None]))
        else:
            index = int(match.group(1))
            place = ((0, self._evidence_rank, "evidence"), (1, index, ""),
                     *path_key("$" + problem.path[match.end():], items.get(index)))
        where = problem.source
        return (problem.severity != "error", place,
                () if where is None else (where.row if type(where.row) is int else 0, str(where)))

    def finish(self) -> Report:
        """The report of every batch added: `validate`'s of their concatenation."""
        if self._duckdb is not None:
            self._duckdb.close()
            self._duckdb = None
        own = self._own
        if self._listed and not self._rows:  # a document listing its evidence, and no batch held any: an empty list
            own = list(iter_problems({**self._data, "evidence": []}))
        self._seen.look_up(p.value for p in own if p.rule in ("ref-unresolved", "link-target-unresolved"))
        own = _package_problems(self._data, own, self._ids)
        if self._profile is not None:
            own = list(self._profile.apply(own))
        package = [(self._key(p, {}), p) for p in _locate(own, None, self._source_map, self._name)]
        shape = [kp for kp in package if kp[1].rule in _SHAPE] + self._found["shape"]
        schema = [kp for kp in package if kp[1].rule.startswith("schema.")] + self._found["schema"]
        if shape:
            chosen = shape
        elif schema:
            chosen = schema
        else:
            chosen = package + [(key, _rehinted(p, self._ids) if p.rule == "ref-unresolved" else p)
                                for key, p in self._found["semantic"]]
        problems = tuple(p for _, p in sorted(chosen, key=lambda kp: kp[0]))
        return Report(problems=problems, source=self._name, profile=self._profile.name if self._profile else None)


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
    checks = BatchValidation(profile=profile, source_map=source_map, name=name, streaming=False)
    checks.add(tables)
    return checks.finish()
