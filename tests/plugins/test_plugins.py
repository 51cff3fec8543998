"""Third-party formats register through the ``sharedoutcomes.converters`` entry-point group."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import sharedoutcomes
from sharedoutcomes.converters import PluginError, _registry

PLUGIN_SOURCE = Path(__file__).parents[1] / "plugin_example"
DATA = Path(__file__).parent / "data"


def _install(site: Path, name: str, entry_points: str) -> None:
    """What pip would leave behind: a *.dist-info folder with METADATA and entry_points.txt."""
    dist_info = site / f"{name.replace('-', '_')}-0.1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n", encoding="utf-8")
    (dist_info / "entry_points.txt").write_text(f"[sharedoutcomes.converters]\n{entry_points}\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A site folder on sys.path holding the example plugin's metadata (its code is in tests/plugin_example)."""
    site = tmp_path / "site"
    _install(site, "sharedoutcomes-visits", "visits-csv = sharedoutcomes_visits:VisitsCsvFormat")
    monkeypatch.syspath_prepend(str(PLUGIN_SOURCE))
    monkeypatch.syspath_prepend(str(site))
    _registry.cache_clear()
    yield site
    _registry.cache_clear()


def _cli(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(PLUGIN_SOURCE)])}
    return subprocess.run([sys.executable, "-m", "sharedoutcomes", *args], capture_output=True, text=True,
                          env=env, check=False, timeout=60)


@pytest.mark.usefixtures("site")
def test_an_installed_plugin_is_a_format() -> None:
    assert "visits-csv" in sharedoutcomes.formats()


@pytest.mark.usefixtures("site")
def test_convert_reads_with_the_plugin_and_keeps_its_problems() -> None:
    result = sharedoutcomes.convert(DATA / "visits-2025-06.csv", format="visits-csv")

    assert [e.id for e in result.package.evidence] == ["visit-101", "visit-102", "visit-105"]
    bad_rows = sorted(p.source.row for p in result.problems if p.rule == "visits.bad-row" and p.source)
    assert bad_rows == [4, 5]


def test_the_command_line_lists_converts_and_templates_with_the_plugin(site: Path, tmp_path: Path) -> None:
    listed = _cli(site, "formats")
    converted = _cli(site, "convert", str(DATA / "visits-2025-06.csv"), "--from", "visits-csv")
    templated = _cli(site, "template", "visits-csv", "--format", "csv", "-o", str(tmp_path / "blank.csv"))

    assert listed.returncode == 0
    assert "visits-csv" in listed.stdout
    assert converted.returncode == 1  # two rows could not be read
    assert "visits-2025-06.csv, row 5" in converted.stderr
    assert '"id": "visit-105"' in converted.stdout
    assert templated.returncode == 0, templated.stderr
    assert (tmp_path / "blank.csv").read_text(encoding="utf-8").strip() == "visit,date,person,minutes"


def test_a_broken_plugin_gives_a_clear_plugin_error(site: Path) -> None:
    _install(site, "sharedoutcomes-broken", "broken-format = sharedoutcomes_not_installed:Format")
    _registry.cache_clear()

    assert "broken-format" in sharedoutcomes.formats()
    with pytest.raises(PluginError, match=r"'broken-format' \(sharedoutcomes_not_installed:Format\) could not be "
                       r"loaded: ModuleNotFoundError"):
        sharedoutcomes.convert(DATA / "visits-2025-06.csv", format="broken-format")
    listed = _cli(site, "formats")
    assert listed.returncode == 0
    assert "visits-csv" in listed.stdout
    assert "broken-format" in listed.stderr
    assert "Traceback" not in listed.stderr


def test_a_plugin_without_the_converter_protocol_is_rejected(site: Path) -> None:
    _install(site, "sharedoutcomes-odd", "odd-format = sharedoutcomes_visits:COLUMNS")
    _registry.cache_clear()

    with pytest.raises(PluginError, match="Converter protocol"):
        sharedoutcomes.convert(DATA / "visits-2025-06.csv", format="odd-format")
