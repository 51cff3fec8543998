"""Import → export → import is lossless, for hand-written and Hypothesis-generated exports."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sharedoutcomes
from sharedoutcomes import ConversionError, to_json_data
from sharedoutcomes.converters.outcomes_star import OutcomesStarFormat
from sharedoutcomes.stars import StarEdition, get_star

DATA = Path(__file__).parent / "data"
TODAY = "2025-06-30"
OPTIONS = {"organisation_id": "GB-CHC-1234567", "today": TODAY}


def convert(path: Path, **options: Any) -> sharedoutcomes.ConversionResult:
    return sharedoutcomes.convert(path, format="outcomes-star", **{**OPTIONS, **options})


def readings(result: sharedoutcomes.ConversionResult) -> list[dict[str, Any]]:
    """The evidence without provenance (which names the file and row, so changes on export)."""
    out = []
    for evidence in result.package.evidence:
        data = to_json_data(evidence)
        del data["provenance"]
        out.append(data)
    return out


@pytest.mark.parametrize("name", ["star-online-wide.csv", "crm-long.csv", "home-star-merged.xlsx"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_messy_exports_round_trip_losslessly(tmp_path: Path, name: str, suffix: str) -> None:
    first = convert(DATA / name)
    target = tmp_path / f"export{suffix}"

    sharedoutcomes.write(first.package, target, format="outcomes-star")
    second = convert(target)

    assert readings(second) == readings(first)
    assert [p.rule for p in second.problems if p.severity == "error"] == []


def test_export_uses_uk_dates_on_request_and_real_date_cells_in_xlsx(tmp_path: Path) -> None:
    package = convert(DATA / "home-star-merged.xlsx").package
    OutcomesStarFormat().write(package, tmp_path / "uk.csv", date_format="uk")
    OutcomesStarFormat().write(package, tmp_path / "out.xlsx")

    with (tmp_path / "uk.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:4] == ["HS-201", "05/02/2024", "Home Star", "1"]
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    assert sheet["B2"].value == dt.datetime(2024, 2, 5)
    assert sheet["A1"].font.bold


def test_exporting_a_package_without_star_readings_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="holds no Outcomes Star readings"):
        sharedoutcomes.write(sharedoutcomes.example_package(), tmp_path / "x.csv", format="outcomes-star")


def test_write_rejects_a_bad_date_format(tmp_path: Path) -> None:
    package = convert(DATA / "crm-long.csv").package
    with pytest.raises(ValueError, match="date_format must be 'iso' or 'uk'"):
        OutcomesStarFormat().write(package, tmp_path / "x.csv", date_format="us")


# -- generated exports --------------------------------------------------------------------------

EDITIONS = [get_star("recovery-star", "4"), get_star("recovery-star", "3"), get_star("well-being-star"),
            get_star("home-star")]
STATUS = {"approved": ["Approved", "APPROVED", "approved"], "in-progress": ["In progress", "Incomplete"],
          "complete": ["Complete", "completed"]}
COMPLETION = {"collaborative": ["Collaborative", "Agreed"], "worker-only": ["Worker only", "Worker-only"],
              "retrospective": ["Retrospective"]}
HEADINGS = {
    "person": ["Service user ID", "SERVICE USER ID", "Client Ref", "client_id", "Person ID"],
    "date": ["Reading date", "Date", "Date of reading", "Assessment Date"],
    "star": ["Star", "Star type", "Outcomes Star"],
    "edition": ["Edition", "Star edition"],
    "reading_number": ["Reading number", "Reading No.", "Reading"],
    "worker": ["Worker", "Key worker", "Keyworker"],
    "service": ["Service", "Project"],
    "organisation": ["Organisation", "Organization"],
    "status": ["Status", "Reading status"],
    "completion_type": ["Completion type", "Completed with"],
    "area": ["Area", "Outcome area"],
    "score": ["Score", "Rating"],
}
MESS = [str, str.upper, str.lower, str.title, lambda s: s.replace(" and ", " & "), lambda s: f" {s} ",
        lambda s: s.replace(" ", "_"), lambda s: s.replace("-", " ")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def write_date(date: dt.date, style: str) -> str:
    if style == "uk":
        return date.strftime("%d/%m/%Y")
    if style == "text":
        return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    if style == "serial":
        return str((date - dt.date(1899, 12, 30)).days)
    return date.isoformat()


optional_text = st.none() | st.sampled_from(["W-17", "Jo Bloggs", "Sam O'Neil, senior", "Team 2"])


@st.composite
def reading_lists(draw: st.DrawFn) -> tuple[list[StarEdition], list[dict[str, Any]]]:
    editions = draw(st.sampled_from([[EDITIONS[0]], [EDITIONS[2]], [EDITIONS[3]], EDITIONS[:2]]))
    keys = draw(st.lists(
        st.tuples(st.from_regex(r"[A-Z]{2}-[0-9]{3}", fullmatch=True),
                  st.dates(dt.date(2012, 1, 1), dt.date(2025, 6, 30))),
        min_size=1, max_size=6, unique=True))
    out = []
    for person, date in keys:
        edition = draw(st.sampled_from(editions))
        scores = draw(st.lists(st.none() | st.integers(edition.scale_min, edition.scale_max),
                               min_size=len(edition.areas), max_size=len(edition.areas))
                      .filter(lambda s: any(x is not None for x in s)))
        status = draw(st.none() | st.sampled_from(sorted(STATUS)))
        completion = draw(st.none() | st.sampled_from(sorted(COMPLETION)))
        out.append({
            "person": person, "date": date, "edition": edition, "scores": scores,
            "reading_number": draw(st.none() | st.integers(1, 12)),
            "worker": draw(optional_text), "service": draw(optional_text), "organisation": draw(optional_text),
            "status": status, "status_text": draw(st.sampled_from(STATUS[status])) if status else None,
            "completion_type": completion,
            "completion_text": draw(st.sampled_from(COMPLETION[completion])) if completion else None,
        })
    return editions, out


META = ("reading_number", "worker", "service", "organisation", "status", "completion_type")


def expected(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["person"], r["date"], r["edition"].instrument,
             [(a.code, s) for a, s in zip(r["edition"].areas, r["scores"], strict=True) if s is not None],
             {k: r[k] for k in META if r[k] is not None}) for r in items]


def found(result: sharedoutcomes.ConversionResult) -> list[tuple[Any, ...]]:
    out = []
    for e in result.package.evidence:
        meta = dict(e.extension_data["outcomes-star"])
        meta.pop("star")
        meta.pop("edition")
        out.append((e.subject.id if e.subject else None, e.date, e.instrument,
                    [(v.code, v.value) for v in e.values], meta))
    return out


def write_export(path: Path, editions: list[StarEdition], items: list[dict[str, Any]], draw: Any) -> None:
    layout = draw(st.sampled_from(["wide", "long"]))
    date_style = draw(st.sampled_from(["uk", "iso", "text", "serial"]))
    roles = ["person", "date", "star", "edition", *META]
    headings = {role: draw(st.sampled_from(HEADINGS[role])) for role in [*roles, "area", "score"]}
    areas: list[tuple[str, str]] = []  # (normalised key, messy heading)
    for edition in editions:
        for area in edition.areas:
            if area.label.casefold() not in {k for k, _ in areas}:
                areas.append((area.label.casefold(), draw(st.sampled_from(MESS))(area.label)))
    area_heading = dict(areas)

    def common(r: dict[str, Any]) -> list[str]:
        values = {"person": r["person"], "date": write_date(r["date"], date_style), "star": r["edition"].name,
                  "edition": r["edition"].edition, "status": r["status_text"], "completion_type": r["completion_text"]}
        return [str(values.get(role, r.get(role)) or "") for role in roles]

    rows: list[list[str]] = []
    if layout == "wide":
        rows.append([headings[role] for role in roles] + [h for _, h in areas])
        for r in items:
            scores = {a.label.casefold(): s for a, s in zip(r["edition"].areas, r["scores"], strict=True)}
            rows.append(common(r) + ["" if scores.get(k) is None else str(scores[k]) for k, _ in areas])
    else:
        rows.append([headings[role] for role in roles] + [headings["area"], headings["score"]])
        for r in items:
            for area, score in zip(r["edition"].areas, r["scores"], strict=True):
                if score is not None:
                    rows.append([*common(r), area_heading[area.label.casefold()], str(score)])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)


@given(reading_lists(), st.data())
def test_generated_exports_import_exactly_and_round_trip(
        generated: tuple[list[StarEdition], list[dict[str, Any]]], data: st.DataObject) -> None:
    editions, items = generated
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "generated.csv"
        write_export(source, editions, items, data.draw)

        first = convert(source)
        assert found(first) == expected(items)
        assert [p for p in first.problems if p.severity == "error"] == []

        target = Path(folder) / f"export{data.draw(st.sampled_from(['.csv', '.xlsx']))}"
        OutcomesStarFormat().write(first.package, target, date_format=data.draw(st.sampled_from(["iso", "uk"])))
        second = convert(target)

    assert readings(second) == readings(first)
