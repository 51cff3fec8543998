"""
The names inside ``extension_data``: read from the JSON text of a whole column at once, with DuckDB.

Neither Arrow nor Polars reads the keys of a JSON object without decoding every value under
them (Polars' ``json_decode`` infers a type for the whole column: slower than Python's own
``json``); DuckDB's ``json_keys`` reads the top-level names only, in C++. The scan gives the
rows that are not a JSON object with at least one name, and the set of every name used: a rule
then looks, row by row in Python, only at the rows that hold a name it objects to.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, Final

from sharedoutcomes._optional import require

__all__ = ["ExtensionScan", "scan_extension_data"]

_FEW: Final = 256  # distinct texts read with Python's json (more, and more than one row in eight: DuckDB)


class ExtensionScan:
    """What the ``extension_data`` column holds: its malformed rows, its names, and the rows of a name."""

    def __init__(self, evidence: Any, connect: Callable[[], Any] | None = None) -> None:
        self.malformed: set[int] = set()
        self.names: set[str] = set()
        self._rows: dict[int, str] = {}
        self._keys: Any = None
        self._con: Any = None
        self._own = connect is None
        self._distinct: tuple[Any, Any, dict[int, set[str]]] | None = None  # text numbers, rows, names
        column = evidence.select(["evidence_index", "extension_data"])
        if column.column("extension_data").null_count == column.num_rows or self._few(column):
            return
        duckdb = require("duckdb", extra="columnar", purpose="reading extension data in columns")
        self._con = con = duckdb.connect() if connect is None else connect()  # only now: opening one takes 10 ms
        con.register("e", column)
        try:
            con.execute("create or replace temp table k as select evidence_index, json_type(d) = 'OBJECT' as object, "
                        "case when json_type(d) = 'OBJECT' then json_keys(d) end as keys "
                        "from (select evidence_index, extension_data::JSON as d from e "
                        "where extension_data is not null)")
        except duckdb.Error:  # text that is not JSON somewhere: read every row with Python's json
            con.unregister("e")
            self._python(column)
            return
        con.unregister("e")
        self.malformed = {i for (i,) in con.execute(
            "select evidence_index from k where not object or len(keys) = 0").fetchall()}
        self.names = {name for (name,) in con.execute("select distinct unnest(keys) from k where object").fetchall()}

    def _few(self, column: Any) -> bool:
        """
        Read a column of few distinct texts (a reader's batch: one text per combination of metadata) text by text.

        Python's ``json`` reads each distinct text once; the rows are found by their text's number
        in the column's dictionary. ``False`` when the texts are many (DuckDB then reads them).
        """
        pc = require("pyarrow.compute", extra="columnar", purpose="reading extension data in columns")
        encoded = pc.dictionary_encode(column.column("extension_data").combine_chunks())
        texts = encoded.dictionary.to_pylist()
        if len(texts) > max(_FEW, column.num_rows // 8):
            return False
        names: dict[int, set[str]] = {}
        bad = []
        for k, text in enumerate(texts):
            try:
                data = json.loads(text)
            except ValueError:
                data = None
            if not isinstance(data, dict) or not data:
                bad.append(k)
            else:
                names[k] = set(data)
                self.names.update(data)
        self._distinct = (encoded.indices, column.column("evidence_index"), names)
        if bad:
            self.malformed = set(_rows_of(*self._distinct[:2], bad))
        return True

    def _python(self, column: Any) -> None:
        self._rows = {i: text for i, text in zip(column.column("evidence_index").to_pylist(),
                                                 column.column("extension_data").to_pylist(), strict=True)
                      if text is not None}
        for index, text in self._rows.items():
            try:
                data = json.loads(text)
            except ValueError:
                self.malformed.add(index)
                continue
            if not isinstance(data, dict) or not data:
                self.malformed.add(index)
            else:
                self.names.update(data)

    def rows_with(self, names: Iterable[str]) -> list[int]:
        """The ``evidence_index`` of every row whose extension data holds one of *names*, in order."""
        wanted = sorted(set(names))
        if not wanted:
            return []
        if self._distinct is not None:
            chosen = set(wanted)
            numbers, rows, held_by = self._distinct
            return _rows_of(numbers, rows, [k for k, held in held_by.items() if held & chosen])
        if self._con is None or self._rows:
            found = []
            for index, text in sorted(self._rows.items()):
                if index in self.malformed:
                    continue
                if any(name in wanted for name in json.loads(text)):
                    found.append(index)
            return found
        rows = self._con.execute("select evidence_index from k where object and list_has_any(keys, ?) "
                                 "order by evidence_index", [wanted]).fetchall()
        return [i for (i,) in rows]

    def close(self) -> None:
        """Let the DuckDB connection go (or, on a connection *connect* gave, its table)."""
        if self._con is not None:
            if self._own:
                self._con.close()
            else:
                self._con.execute("drop table if exists k")
            self._con = None


def _rows_of(numbers: Any, rows: Any, wanted: list[int]) -> list[int]:
    """The *rows* (``evidence_index``) whose text's number (in *numbers*) is one of *wanted*, in order."""
    if not wanted:
        return []
    pa = require("pyarrow", extra="columnar", purpose="reading extension data in columns")
    pc = require("pyarrow.compute", extra="columnar", purpose="reading extension data in columns")
    hit = pc.fill_null(pc.is_in(numbers, value_set=pa.array(wanted, numbers.type)), False)
    found: list[int] = rows.filter(hit).to_pylist()
    return sorted(found)


def scan_extension_data(evidence: Any, connect: Callable[[], Any] | None = None) -> ExtensionScan:
    """
    Scan the ``extension_data`` column of an Arrow ``evidence`` table.

    DuckDB reads it when its distinct texts are many: on the connection *connect* gives (called
    only then, so a caller can open its connection lazily and reuse it), or on one of its own.

    Example:
        >>> import pyarrow as pa
        >>> table = pa.table({"evidence_index": [0, 1, 2], "extension_data": ['{"local": {"a": 1}}', None, "[]"]})
        >>> scan = scan_extension_data(table)
        >>> scan.names, scan.malformed, scan.rows_with(["local"])
        ({'local'}, {2}, [0])
    """
    return ExtensionScan(evidence, connect)
