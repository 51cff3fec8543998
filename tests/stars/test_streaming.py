"""Streaming readings to JSON Lines: lazy, the same evidence as the format, and valid."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import sharedoutcomes
from sharedoutcomes.converters.outcomes_star import package_document
from sharedoutcomes.stars import get_star, iter_readings, to_jsonl

DATA = Path(__file__).parent / "data"
OPTIONS: dict[str, Any] = {"organisation_id": "GB-CHC-1234567", "today": "2025-06-30"}


def big_wide_csv(path: Path, rows: int, *, seed: int = 7) -> Path:
    star = get_star("recovery-star", "4")
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Service user ID,Reading date,Star,Reading number,Worker," + ",".join(a.label for a in star.areas))
        handle.write("\n")
        for i in range(rows):
            scores = ",".join(str(rng.randint(1, 10)) for _ in star.areas)
            handle.write(f"SU-{i // 3:06d},{1 + i % 28:02d}/{1 + i % 12:02d}/2023,Recovery Star 4,{1 + i % 3},"
                         f"W-{i % 40},{scores}\n")
    return path


def test_iter_readings_is_lazy(tmp_path: Path) -> None:
    stream = iter_readings(big_wide_csv(tmp_path / "big.csv", 5000), **OPTIONS)
    iterator = iter(stream)

    first = next(iterator)

    assert first["subject"]["id"] == "SU-000000"
    assert stream.readings == 1


def test_streamed_evidence_equals_the_formats_evidence_and_validates_clean(tmp_path: Path) -> None:
    path = big_wide_csv(tmp_path / "sample.csv", 300)

    streamed = list(iter_readings(path, **OPTIONS))
    result = sharedoutcomes.convert(path, format="outcomes-star", **OPTIONS)

    assert json.loads(json.dumps(streamed)) == json.loads(json.dumps(result.document["evidence"]))
    document = package_document(streamed, file="sample.csv", organisation_id="GB-CHC-1234567")
    report = sharedoutcomes.validate(document)
    assert report.ok, report.to_text()
    assert report.problems == ()


def test_to_jsonl_writes_one_valid_object_per_line(tmp_path: Path) -> None:
    target = tmp_path / "readings.jsonl"

    summary = to_jsonl(DATA / "star-online-wide.csv", target, **OPTIONS)

    lines = target.read_text(encoding="utf-8").splitlines()
    assert summary.readings == len(lines) == 7  # without cross-row checks the duplicate row is kept
    assert summary.skipped == 3
    assert not summary.ok
    assert {p.rule for p in summary.problems} >= {"star.score-out-of-scale", "star.missing-person"}
    evidence = [json.loads(line) for line in lines]
    report = sharedoutcomes.validate(package_document(evidence[:2], file="x", organisation_id="GB-CHC-1234567"))
    assert report.ok, report.to_text()


def test_cross_row_checks_find_duplicates_and_mixed_editions_when_streaming() -> None:
    out = io.StringIO()

    summary = to_jsonl(DATA / "star-online-wide.csv", out, cross_row_checks=True, **OPTIONS)

    assert summary.readings == 6
    assert {"star.duplicate-reading", "star.mixed-editions"} <= {p.rule for p in summary.problems}


def test_long_exports_stream_too() -> None:
    stream = iter_readings(DATA / "crm-long.csv", **OPTIONS)

    assert [e["subject"]["id"] for e in stream] == ["WTW-0041", "WTW-0041", "WTW-0042", "WTW-0042", "WTW-0043"]
    assert "star.conflicting-scores" in {p.rule for p in stream.problems}


def test_the_fast_path_gives_the_same_evidence_and_problems_as_the_general_path(
        tmp_path: Path, monkeypatch: Any) -> None:
    from sharedoutcomes.stars._reader import ReadingStream

    messy = tmp_path / "messy.csv"
    lines = (DATA / "star-online-wide.csv").read_text(encoding="utf-8-sig").splitlines()
    messy.write_text("\n".join([*lines, *lines[1:4], "SU 9,01/02/2024,,,,,,,,,,,,,,,,,,,,,,,,,,"]), encoding="utf-8")

    def run(fast: bool) -> tuple[list[dict[str, Any]], list[Any]]:
        monkeypatch.setattr(ReadingStream, "fast_path", fast)
        stream = iter_readings(messy, cross_row_checks=True, **OPTIONS)
        return list(stream), stream.problems

    fast, slow = run(True), run(False)

    assert fast[0] == slow[0]
    assert [str(p) for p in fast[1]] == [str(p) for p in slow[1]]
    assert len(fast[0]) == 6
