"""The analyst's notebook runs end to end, and matches the script that writes it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the test extra is not installed")
nbclient = pytest.importorskip("nbclient", reason="the test extra is not installed")
pytest.importorskip("ipykernel", reason="the test extra is not installed")

NOTEBOOKS = Path(__file__).parents[1] / "docs" / "notebooks"
NOTEBOOK = NOTEBOOKS / "partnership-analyst.ipynb"


def _script() -> object:
    spec = importlib.util.spec_from_file_location("make_partnership_analyst", NOTEBOOKS / "make_partnership_analyst.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_notebook_is_what_its_script_writes() -> None:
    built = _script().build()  # type: ignore[attr-defined]
    stored = nbformat.read(NOTEBOOK, as_version=4)

    assert [c.source for c in built.cells] == [c.source for c in stored.cells]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # jupyter_client's own deprecations
def test_the_notebook_runs_and_shows_html_views(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})

    client.execute()

    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("invalid" in h and "row" in h for h in html), "the validation report of the broken return"
    assert any("image/png" in o.get("data", {}) for o in outputs), "the charts"
    assert "True" in outputs[-1]["data"]["text/plain"]  # the tables round trip
