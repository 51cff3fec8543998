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
from collections.abc import Iterable
from typing import Any

from sharedoutcomes._optional import require

__all__ = ["ExtensionScan", "scan_extension_data"]


class ExtensionScan:
    """What the ``extension_data`` column holds: its malformed rows, its names, and the rows of a name."""

    def __init__(self, evidence: Any) -> None:
        self.malformed: set[int] = set()
        self.names: set[str] = set()
        self._rows: dict[int, str] = {}
        self._keys: Any = None
        self._con: Any = None
        column = evidence.select(["evidence_index", "extension_data"])
        if column.column("extension_data").null_count == column.num_rows:
            return
        duckdb = require("duckdb", extra="columnar", purpose="reading extension data in columns")
        self._con = con = duckdb.connect()
        con.register("e", column)
        try:
            con.execute("create temp table k as select evidence_index, json_type(d) = 'OBJECT' as object, "
                        "case when json_type(d) = 'OBJECT' then json_keys(d) end as keys "
                        "from (select evidence_index, extension_data::JSON as d from e "
                        "where extension_data is not null)")
        except duckdb.Error:  # text that is not JSON somewhere: read every row with Python's json
            self._python(column)
            return
        self.malformed = {i for (i,) in con.execute(
            "select evidence_index from k where not object or len(keys) = 0").fetchall()}
        self.names = {name for (name,) in con.execute("select distinct unnest(keys) from k where object").fetchall()}

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
        """Let the DuckDB connection go."""
        if self._con is not None:
            self._con.close()
            self._con = None


def scan_extension_data(evidence: Any) -> ExtensionScan:
    """
    Scan the ``extension_data`` column of an Arrow ``evidence`` table.

    Example:
        >>> import pyarrow as pa
        >>> table = pa.table({"evidence_index": [0, 1, 2], "extension_data": ['{"local": {"a": 1}}', None, "[]"]})
        >>> scan = scan_extension_data(table)
        >>> scan.names, scan.malformed, scan.rows_with(["local"])
        ({'local'}, {2}, [0])
    """
    return ExtensionScan(evidence)
