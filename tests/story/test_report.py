"""The HTML report: self-contained, consent respected, readable structure, and the CLI command."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest

import sharedoutcomes
from sharedoutcomes.cli import main
from sharedoutcomes.frameworks import get_framework
from sharedoutcomes.model import Package
from sharedoutcomes.report import render_report, write_report

DATA = Path(__file__).parent / "data"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def external_references(html: str) -> list[str]:
    """Everything in the document that would make a browser fetch something."""
    found = re.findall(r"""(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*""", html,
                       flags=re.IGNORECASE)
    found += re.findall(r"<\s*(?:script|link|iframe|object|embed|img|base)\b[^>]*>", html, flags=re.IGNORECASE)
    found += re.findall(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", html, flags=re.IGNORECASE)
    return found


@pytest.fixture(scope="module")
def example_html() -> str:
    return render_report(sharedoutcomes.example_package())


@pytest.fixture(scope="module")
def kirkton_html() -> str:
    return render_report(sharedoutcomes.load(DATA / "kirkton-locality.json"))


def test_the_checker_catches_external_references() -> None:
    assert external_references("<img src='https://x.org/a.png'>")
    assert external_references('<a href="http://x.org">x</a>')
    assert external_references("<script src=app.js></script>")
    assert external_references("<style>@import 'x.css'</style>")
    assert external_references("<div style=\"background:url('//cdn.x/y.png')\"></div>")
    assert not external_references(f"<svg xmlns='{SVG_NAMESPACE}'></svg><a href='#c-1'>x</a> see https://x.org")


@pytest.mark.parametrize("fixture", ["example_html", "kirkton_html"])
def test_report_is_self_contained(fixture: str, request: pytest.FixtureRequest) -> None:
    html: str = request.getfixturevalue(fixture)

    assert external_references(html) == []
    assert html.startswith("<!doctype html>")
    assert "<style>" in html
    assert html.count("<svg") >= 2


def test_every_inline_svg_is_well_formed(example_html: str) -> None:
    svgs = re.findall(r"<svg.*?</svg>", example_html, flags=re.DOTALL)

    assert len(svgs) == 5  # the map and four indicator charts
    for svg in svgs:
        assert ET.fromstring(svg).tag == f"{{{SVG_NAMESPACE}}}svg"


def test_report_tells_the_story_of_all_nine_outcomes(example_html: str) -> None:
    for item in get_framework("scot-nhwo").items:
        assert item.title.replace("'", "&#x27;") in example_html
    for section in ("Summary", "Contribution map", "The story for each outcome", "Contributions and their evidence",
                    "In people's own words", "Indicators", "Gaps", "How to read this report"):
        assert f">{section}</h2>" in example_html
    assert "Contribution, not attribution." in example_html
    assert "<b>3 of 9</b>" in example_html
    assert "<b>207</b>" in example_html
    for contribution_id in ("con-shed-connected", "con-shed-active", "con-hscp-shed", "con-carers-wellbeing",
                            "con-carers-breaks", "con-hscp-carers"):
        assert f"id='c-{contribution_id}'" in example_html
        assert f"href='#c-{contribution_id}'" in example_html
    assert "challenge-answered" in example_html


def test_consent_is_respected(kirkton_html: str, example_html: str) -> None:
    assert "SHOWN-GIVEN-NARRATIVE" in kirkton_html
    assert "SECRET-REFUSED-NARRATIVE" not in kirkton_html
    assert "SECRET-UNKNOWN-NARRATIVE" not in kirkton_html
    assert "Staff think people are lonelier" not in kirkton_html  # an observation with no consent recorded
    assert "The narrative is not shown: consent was refused." in kirkton_html
    assert "The narrative is not shown: consent is not recorded." in kirkton_html
    assert "2 narratives not shown because consent was refused or is not recorded." in kirkton_html
    assert "Before the shed I could go a week without speaking to anybody." in example_html


@pytest.mark.parametrize("person", ["KB-0001", "KB-0002", "KB-0003"])
def test_no_person_id_appears(kirkton_html: str, person: str) -> None:
    assert person not in kirkton_html


def test_person_ids_absent_from_example(example_html: str) -> None:
    assert "GV-0117" not in example_html
    assert "TTC-0452" not in example_html


def test_text_from_the_package_is_escaped(example: Package) -> None:
    organisations = tuple(attrs.evolve(o, name="<script>alert(1)</script> & Co") if o.id == "GB-SC-SC045123" else o
                          for o in example.organisations)
    html = render_report(attrs.evolve(example, organisations=organisations))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


def test_a_report_with_no_contributions(example: Package) -> None:
    html = render_report(attrs.evolve(example, contributions=(), links=()), title="Nothing yet")

    assert "<title>Nothing yet</title>" in html
    assert "<b>0 of 9</b>" in html
    assert external_references(html) == []


def test_write_report(tmp_path: Path, example: Package) -> None:
    path = write_report(example, tmp_path / "r.html", title="ICF 2024-25")

    assert path == tmp_path / "r.html"
    assert "<h1>ICF 2024-25</h1>" in path.read_text(encoding="utf-8")


def test_cli_writes_the_report(tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "report.html"

    code = main(["report", str(sharedoutcomes.example_package_path()), "-o", str(target)], out=out)

    assert code == 0
    assert out.getvalue() == f"wrote {target}\n"
    assert external_references(target.read_text(encoding="utf-8")) == []


def test_cli_refuses_invalid_and_unreadable_packages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": "0.2", "id": "x"}', encoding="utf-8")

    assert main(["report", str(bad), "-o", str(tmp_path / "r.html")]) == 1
    assert "no report written" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing.json"), "-o", str(tmp_path / "r.html")]) == 2
    assert not (tmp_path / "r.html").exists()
