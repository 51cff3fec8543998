"""Third-party formats register through the ``sharedoutcomes.converters`` entry-point group."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import sharedoutcomes
from sharedoutcomes.converters import PluginError
from sharedoutcomes.converters._api import _cached_registry as _registry
from sharedoutcomes.problems import catalogue, families, load_plugin_family
from sharedoutcomes.problems._catalogue import _loaded as _catalogue_loaded

PLUGIN_SOURCE = Path(__file__).parents[1] / "plugin_example"
DATA = Path(__file__).parent / "data"


def _install(site: Path, name: str, entry_points: str, problems: str = "") -> None:
    """What pip would leave behind: a *.dist-info folder with METADATA and entry_points.txt."""
    dist_info = site / f"{name.replace('-', '_')}-0.1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n", encoding="utf-8")
    groups = f"[sharedoutcomes.converters]\n{entry_points}\n"
    if problems:
        groups += f"\n[sharedoutcomes.problems]\n{problems}\n"
    (dist_info / "entry_points.txt").write_text(groups, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A site folder on sys.path holding the example plugin's metadata (its code is in tests/plugin_example)."""
    site = tmp_path / "site"
    _install(site, "sharedoutcomes-visits", "visits-csv = sharedoutcomes_visits:VisitsCsvFormat",
             problems="visits = sharedoutcomes_visits:PROBLEMS")
    monkeypatch.syspath_prepend(str(PLUGIN_SOURCE))
    monkeypatch.syspath_prepend(str(site))
    _registry.cache_clear()
    _catalogue_loaded.cache_clear()
    yield site
    _registry.cache_clear()
    _catalogue_loaded.cache_clear()


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
    partial = _cli(site, "convert", str(DATA / "visits-2025-06.csv"), "--from", "visits-csv", "--write-partial")
    templated = _cli(site, "template", "visits-csv", "--format", "csv", "-o", str(tmp_path / "blank.csv"))

    assert listed.returncode == 0
    assert "visits-csv" in listed.stdout
    assert converted.returncode == 1  # two rows could not be read
    assert "visits-2025-06.csv, row 5" in converted.stderr
    assert converted.stdout == ""  # a conversion with errors writes nothing unless asked (issue 10)
    assert "nothing written" in converted.stderr
    assert partial.returncode == 1
    assert '"id": "visit-105"' in partial.stdout
    assert '"partial"' in partial.stdout
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


# -- a plugin's own problems ------------------------------------------------------------------


@pytest.mark.usefixtures("site")
def test_a_plugin_declares_its_problems_and_a_profile_regrades_them() -> None:
    kind = catalogue()["visits.bad-row"]
    lenient = sharedoutcomes.ValidationProfile(name="lenient", severities={"visits.bad-row": "warning"})
    silent = sharedoutcomes.ValidationProfile(severities={"visits.bad-row": "off"})

    strict = sharedoutcomes.convert(DATA / "visits-2025-06.csv", format="visits-csv")
    relaxed = sharedoutcomes.convert(DATA / "visits-2025-06.csv", format="visits-csv", validation_profile=lenient)
    quiet = sharedoutcomes.convert(DATA / "visits-2025-06.csv", format="visits-csv", validation_profile=silent)

    assert (kind.family, kind.severity, kind.url) == ("visits", "error", "")
    assert families()["visits"].plugin == "sharedoutcomes_visits:PROBLEMS"
    assert not strict.ok
    assert [p.severity for p in relaxed.problems if p.rule == "visits.bad-row"] == ["warning", "warning"]
    assert relaxed.ok
    assert [p for p in quiet.problems if p.rule == "visits.bad-row"] == []
    assert quiet.package == strict.package


def test_the_command_line_explains_a_plugins_problem(site: Path) -> None:
    explained = _cli(site, "rules", "visits.bad-row")
    listed = _cli(site, "rules", "--family", "visits")

    assert explained.returncode == 0, explained.stderr
    assert "A row of the visit log could not be read." in explained.stdout
    assert "Correct the date or the minutes" in explained.stdout
    assert listed.returncode == 0, listed.stderr
    assert "visits.bad-row" in listed.stdout


@pytest.mark.parametrize(("problems", "why"), [
    ("visits = sharedoutcomes_visits:COLUMNS", "not the path of a TOML file"),
    ("stars = sharedoutcomes_visits:PROBLEMS", "must be named after its file"),
    ("visits = sharedoutcomes_not_installed:PROBLEMS", "No module named"),
])
def test_a_faulty_plugin_catalogue_is_skipped_with_a_warning(site: Path, problems: str, why: str) -> None:
    _install(site, "sharedoutcomes-faulty", "", problems=problems)
    for dist_info in site.glob("sharedoutcomes_visits-*.dist-info"):  # only the faulty one declares problems
        (dist_info / "entry_points.txt").write_text(
            "[sharedoutcomes.converters]\nvisits-csv = sharedoutcomes_visits:VisitsCsvFormat\n", encoding="utf-8")
    _catalogue_loaded.cache_clear()

    with pytest.warns(RuntimeWarning, match=why):
        kinds = catalogue()

    assert "visits.bad-row" not in kinds
    assert "form.not-a-number" in kinds


def test_a_plugin_cannot_take_a_prefix_the_library_uses(tmp_path: Path) -> None:
    toml = (PLUGIN_SOURCE / "sharedoutcomes_visits" / "problems.toml").read_text(encoding="utf-8")
    path = tmp_path / "forms.toml"
    path.write_text(toml.replace('name = "visits"', 'name = "forms"').replace('"visits.', '"form.'), encoding="utf-8")

    with pytest.raises(ValueError, match=re.escape("'form.' is taken by 'form'")):
        load_plugin_family("forms", path, taken=families())
