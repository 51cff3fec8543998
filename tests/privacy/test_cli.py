"""The pseudonymise and publish commands: exit codes as validate's, reports that never repeat a personal value."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

import sharedoutcomes
from sharedoutcomes.cli import main
from sharedoutcomes.serialization import dumps

from .conftest import CARERS, DATA, KEY, RIVERSIDE


def _main(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_pseudonymise_a_star_export(tmp_path: Path, key_file: Path, caplog: pytest.LogCaptureFixture,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    out = tmp_path / "shared.csv"
    code, text = _main("pseudonymise", str(DATA / "riverside-recovery-star.csv"), "--key-file", str(key_file),
                       "--organisation", RIVERSIDE, "-o", str(out))

    assert code == 0
    assert "column A 'CHI Number': identifier replaced by keyed pseudonyms (10 values)" in text
    assert "riverside-recovery-star.csv, row 5, column X ('Notes'): the text held a phone number" in text
    written = out.read_text(encoding="utf-8-sig")
    everything = text + written + capsys.readouterr().err + caplog.text
    assert KEY.hex() not in everything
    assert KEY.hex()[:16] not in everything


def test_a_refused_identifier_exits_1_and_json_reports(tmp_path: Path, key_file: Path) -> None:
    code, text = _main("pseudonymise", str(DATA / "three-towns-carers-star.csv"), "-k", str(key_file),
                       "--organisation", CARERS, "-o", str(tmp_path / "o.csv"), "--birth", "age-band",
                       "--as-of", "2025-04-01", "--format", "json")
    report = json.loads(text)

    assert code == 1
    assert report["ok"] is False
    assert {c["detail"] for c in report["changes"] if c["what"] == "date-of-birth"} == {"to the age band on 2025-04-01"}
    assert report["problems"][0]["source"] == {"file": "three-towns-carers-star.csv", "row": 51, "column": "B",
                                               "header": "CHI"}


def test_usage_errors_exit_2(tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main("pseudonymise", str(DATA / "riverside-recovery-star.csv"))[0] == 2
    assert _main("pseudonymise", str(DATA / "riverside-recovery-star.csv"), "-k", str(tmp_path / "none.key"),
                 "-o", str(tmp_path / "o.csv"))[0] == 2
    copy = tmp_path / "a.csv"
    copy.write_bytes((DATA / "riverside-recovery-star.csv").read_bytes())
    assert _main("pseudonymise", str(copy), "-k", str(key_file), "-o", str(copy), "--organisation", RIVERSIDE)[0] == 2
    assert _main("pseudonymise", str(copy), "-k", str(key_file), "-o", str(tmp_path / "b.csv"),
                 "--as-of", "April")[0] == 2
    err = capsys.readouterr().err
    assert "never changed in place" in err
    assert "Traceback" not in err


def test_a_new_key_and_never_over_an_old_one(tmp_path: Path) -> None:
    key = tmp_path / "new.key"
    assert _main("pseudonymise", "--new-key", str(key))[0] == 0
    first = key.read_text()
    assert _main("pseudonymise", "--new-key", str(key))[0] == 2
    assert key.read_text() == first


def test_publish(tmp_path: Path) -> None:
    source = tmp_path / "partnership.json"
    source.write_text(dumps(sharedoutcomes.example_package()), encoding="utf-8")
    out, html = tmp_path / "public.json", tmp_path / "public.html"

    code, text = _main("publish", str(source), "-o", str(out), "--html", str(html), "--produced", "2025-06-01T00:00:00Z")

    assert code == 0
    assert "ev-shed-case: withheld (about one person)" in text
    public = sharedoutcomes.load(out)
    assert public.sharing_level == "public"
    assert public.id == "na-partnership-2024-25-public"
    assert "sharing level: public" in html.read_text(encoding="utf-8")
    code, text = _main("publish", str(source), "-o", str(out), "--threshold", "3", "--format", "json")
    assert code == 0
    assert json.loads(text)["threshold"] == 3


def test_publish_refuses_what_it_cannot_read_or_overwrite(tmp_path: Path) -> None:
    source = tmp_path / "p.json"
    source.write_text("{not json", encoding="utf-8")
    assert _main("publish", str(source), "-o", str(tmp_path / "o.json"))[0] == 2
    source.write_text(json.dumps({"schema_version": "0.2"}), encoding="utf-8")
    assert _main("publish", str(source), "-o", str(tmp_path / "o.json"))[0] == 1
    assert _main("publish", str(source), "-o", str(source))[0] == 2
    assert _main("publish", str(source), "-o", str(tmp_path / "o.json"), "--threshold", "0")[0] == 2


def test_pseudonymise_a_package(tmp_path: Path, key_file: Path) -> None:
    source = tmp_path / "partnership.json"
    source.write_text(dumps(sharedoutcomes.example_package()), encoding="utf-8")
    out = tmp_path / "shared.json"

    code, text = _main("pseudonymise", str(source), "-k", str(key_file), "-o", str(out))

    assert code == 0
    shared = out.read_text(encoding="utf-8")
    assert "TTC-0452" not in shared
    assert "GV-0117" not in shared
    assert "$.evidence[*].subject.id: identifier replaced by keyed pseudonyms (3 values)" in text
    assert sharedoutcomes.validate(out).ok
