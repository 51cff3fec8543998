"""The columnar extra is imported only when used: `import sharedoutcomes` (and its columnar module) stay light."""

from __future__ import annotations

import subprocess
import sys


def _imported(code: str) -> list[str]:
    probe = f"{code}; import sys; print(' '.join(m for m in ('pyarrow', 'polars', 'pandas', 'duckdb') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_import_sharedoutcomes_imports_neither_pyarrow_nor_polars() -> None:
    assert _imported("import sharedoutcomes") == []


def test_import_sharedoutcomes_columnar_imports_them_only_when_tables_are_made() -> None:
    assert _imported("import sharedoutcomes.columnar; sharedoutcomes.columnar.layout()") == []
    made = _imported("import sharedoutcomes, sharedoutcomes.columnar as c; c.from_package(sharedoutcomes.example_package())")
    assert "pyarrow" in made
