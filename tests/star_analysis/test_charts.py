"""Star charts: what is drawn, that it fits, and that PNG and SVG files are written."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from sharedoutcomes import Evidence, MissingDependency, Package, examples, load
from sharedoutcomes.star_analysis import (
    MixedReadings,
    cohort_change,
    cohort_chart,
    distance_travelled,
    person_chart,
)
from sharedoutcomes.stars import get_star

WORKED_EXAMPLE = examples.path("star-worked-example.json")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def hostel() -> Package:
    """Six people on the Homelessness Star: ten long area names."""
    return load(WORKED_EXAMPLE)


def _area_labels(figure) -> list[str]:
    return [text.get_text() for text in figure.axes[0].texts]


def _fits_without_overlap(figure) -> None:
    """Every area label lies inside the figure, and no two labels, legends or titles overlap."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()
    box = figure.bbox
    labels = [t.get_window_extent(renderer) for t in figure.axes[0].texts]
    legends = [legend.get_window_extent(renderer) for legend in figure.legends]
    titles = [t.get_window_extent(renderer) for t in figure.texts]
    for extent in (*labels, *legends):
        assert box.x0 <= extent.x0, extent
        assert extent.x1 <= box.x1, extent
        assert box.y0 <= extent.y0, extent
        assert extent.y1 <= box.y1, extent
    for one, other in itertools.combinations([*labels, *legends, *titles], 2):
        assert not one.overlaps(other), (one, other)


def test_person_chart_draws_first_and_latest_readings_with_their_dates(hostel: Package) -> None:
    figure = person_chart(hostel, "HS-02")

    assert [label.replace("\n", " ") for label in _area_labels(figure)] == [
        area.label for area in get_star("homelessness-star").areas]
    _, legend = figure.axes[0].get_legend_handles_labels()
    assert legend == ["First reading, 15 Apr 2024", "Latest reading, 20 Jan 2025"]
    first, latest = (line.get_ydata() for line in figure.axes[0].lines[:2])
    assert list(first[:10]) == [2, 3, 2, 3, 1, 5, 2, 3, 2, 6]  # the first reading, closed back to its start
    assert list(latest[:10]) == [5, 6, 4, 4, 3, 6, 4, 5, 6, 7]
    assert first[10] == first[0]
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == [str(s) for s in range(1, 11)]
    stage_legend = figure.legends[1]
    assert [t.get_text() for t in stage_legend.get_texts()] == [
        "1  Stuck", "2  Accepting help", "3  Believing", "4  Learning", "5  Self-reliance"]
    assert figure.get_suptitle() == "Homelessness Star, edition 3: HS-02"
    _fits_without_overlap(figure)


def test_cohort_chart_shows_averages_and_numbers_of_people(hostel: Package) -> None:
    result = cohort_change(hostel)

    figure = cohort_chart(result)

    labels = _area_labels(figure)
    assert len(labels) == 10
    assert all(label.endswith("\nn = 5") for label in labels)
    first, latest = (line.get_ydata() for line in figure.axes[0].lines[:2])
    assert list(first[:10]) == pytest.approx([a.mean_first for a in result.areas])
    assert list(latest[:10]) == pytest.approx([a.mean_latest for a in result.areas])
    _fits_without_overlap(figure)
    median = cohort_chart(hostel, statistic="median")
    assert list(median.axes[0].lines[1].get_ydata()[:10]) == [a.median_latest for a in result.areas]
    assert median.axes[0].get_legend_handles_labels()[1] == ["First reading (median)", "Latest reading (median)"]


@pytest.mark.parametrize("star_id", ["well-being-star", "carers-star", "teen-star", "community-star",
                                     "family-star-plus"])
def test_charts_fit_for_stars_of_every_size(reading, star_id: str) -> None:
    star = get_star(star_id)
    codes = star.area_codes
    evidence = [reading("P", "2024-01-01", [star.scale_min] * len(codes), star=star_id, edition=star.edition,
                        areas=codes, scale_max=star.scale_max),
                reading("P", "2024-06-01", [star.scale_max] * len(codes), star=star_id, edition=star.edition,
                        areas=codes, scale_max=star.scale_max)]

    for figure in (person_chart(evidence, "P"), cohort_chart(evidence)):
        assert len(_area_labels(figure)) == len(codes)
        assert len(figure.legends[1].get_texts()) == 5
        _fits_without_overlap(figure)


def test_charts_are_saved_as_png_and_svg(hostel: Package, tmp_path: Path) -> None:
    png, svg = tmp_path / "star.png", tmp_path / "star.svg"

    person_chart(hostel, "HS-01", path=[png, str(svg)])
    cohort_chart(hostel, path=tmp_path / "cohort.png")

    assert png.read_bytes().startswith(PNG_SIGNATURE)
    assert (tmp_path / "cohort.png").read_bytes().startswith(PNG_SIGNATURE)
    root = ElementTree.fromstring(svg.read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Managing money" in svg.read_text(encoding="utf-8")
    first = svg.read_bytes()
    person_chart(hostel, "HS-01", path=svg)
    assert svg.read_bytes() == first  # no timestamp: the same chart gives the same file


def test_a_person_with_one_reading_gets_that_reading(hostel: Package) -> None:
    figure = person_chart(hostel, "HS-05")

    assert figure.axes[0].get_legend_handles_labels()[1] == ["Only reading, 10 Jun 2024"]


def test_person_chart_errors(hostel: Package, reading) -> None:
    with pytest.raises(LookupError, match="'HS-99'"):
        person_chart(hostel, "HS-99")
    mixed = [reading("P", "2024-01-01", [2], star="recovery-star", edition="3"),
             reading("P", "2024-06-01", [4], star="recovery-star", edition="4")]
    with pytest.raises(MixedReadings):
        person_chart(mixed, "P")
    assert len(person_chart(mixed, "P", edition="4").axes[0].lines) == 1
    with pytest.raises(ValueError, match="'mean' or 'median'"):
        cohort_chart(hostel, statistic="mode")  # type: ignore[arg-type]


def test_a_missing_score_leaves_a_gap_not_a_wrong_point(reading) -> None:
    codes = get_star("homelessness-star").area_codes
    evidence: list[Evidence] = [reading("P", "2024-01-01", [3] * 10, areas=codes),
                                reading("P", "2024-06-01", {codes[0]: 4, codes[2]: 5})]

    figure = person_chart(evidence, "P")

    assert len(_area_labels(figure)) == 10  # every area of the edition, scored or not
    latest = figure.axes[0].lines[1].get_ydata()
    assert (latest[0], latest[2]) == (4, 5)
    assert latest[1] != latest[1]  # NaN: a gap in the line


def test_codes_the_registry_does_not_know_are_drawn_as_given(reading) -> None:
    evidence = [reading("P", "2024-01-01", {"x": 2, "y": 3, "z": 4}), reading("P", "2024-06-01", {"x": 4})]

    assert _area_labels(person_chart(evidence, "P")) == ["X", "Y", "Z"]


def test_distance_result_plots_a_person(hostel: Package) -> None:
    figure = distance_travelled(hostel).plot("HS-03", title="HS-03 at Harbour House")

    assert figure.get_suptitle() == "HS-03 at Harbour House"


def test_without_matplotlib_the_error_says_what_to_install(hostel: Package, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)

    with pytest.raises(MissingDependency, match=r"sharedoutcomes\[charts\]"):
        person_chart(hostel, "HS-01")


def test_without_pandas_the_error_says_what_to_install(hostel: Package, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)

    with pytest.raises(MissingDependency, match=r"sharedoutcomes\[analysis\]"):
        cohort_change(hostel).to_dataframe()


def test_importing_the_module_imports_neither_pandas_nor_matplotlib() -> None:
    import subprocess

    code = ("import sys, sharedoutcomes.star_analysis as s; s.cohort_change(s.example_readings()); "
            "print(json.dumps(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == []


def test_jupyter_shows_a_chart_as_an_image() -> None:
    pytest.importorskip("IPython")
    import subprocess

    code = ("from IPython.core.interactiveshell import InteractiveShell\n"
            "shell = InteractiveShell.instance()\n"
            "from sharedoutcomes.star_analysis import cohort_chart, example_readings\n"
            "data, _ = shell.display_formatter.format(cohort_chart(example_readings()))\n"
            "print(sorted(data))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['image/png', 'text/plain']"
