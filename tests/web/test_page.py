"""The validator page through Starlette's TestClient: uploads, results, downloads, and its safety rules."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from starlette.testclient import TestClient

import sharedoutcomes
from sharedoutcomes.converters import ConversionResult, default_registry
from sharedoutcomes.web import PAGE_POLICY, Limits, create_app
from tests.fuzz import attacks
from tests.web._files import GRANTS, PACKAGE, STAR_EXPORT, STAR_WORKBOOK, SURVEY, returns_bytes
from tests.web.conftest import BASE, Client, make_client

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*['"]?(?:https?:)?//""", re.I)


def _set_files(client: Client, files: list[tuple[str, bytes]], **kwargs: Any) -> tuple[str, str]:
    return client.check(files, **kwargs)


def test_the_upload_page_loads_nothing_from_elsewhere(client: Client) -> None:
    page = client.http.get("/")

    assert page.status_code == 200
    assert page.headers["content-security-policy"] == PAGE_POLICY
    assert "<html lang='en-GB'>" in page.text
    assert not EXTERNAL.search(page.text), "the page refers to another site"
    for asset in ("/assets/style.css", "/assets/drop.js"):
        body = client.http.get(asset)
        assert body.status_code == 200
        assert "http://" not in body.text
        assert "https://" not in body.text
        assert "@import" not in body.text
    assert "webkitdirectory" in page.text
    assert "name='csrf'" in page.text


def test_the_session_cookie_is_http_only_and_same_site() -> None:
    with TestClient(create_app(), base_url=BASE) as http:
        cookie = http.get("/").headers["set-cookie"].lower()

    assert "httponly" in cookie
    assert "samesite=strict" in cookie


def test_a_folder_of_returns_and_a_star_export_are_each_detected_checked_and_downloadable(client: Client) -> None:
    returns = list(returns_bytes(4, bad=2))
    files = [*returns, ("star-online-wide.csv", STAR_EXPORT.read_bytes())]

    set_id, page = client.check(files)

    assert page.count("Read as north-ayrshire") == 4
    assert "Read as outcomes-star" in page
    # the bad return's problem: in the catalogue's words, with the place, and the rule small beside, linked
    assert "Must be corrected" in page
    assert "class='code' href='/rules/form." in page
    assert "What to do:" in page
    assert "$.indicators" in page
    merged = client.http.get(f"/download/{set_id}/merged.json")
    assert merged.status_code == 200
    package = json.loads(merged.content)
    assert sharedoutcomes.validate(package).ok
    assert len(package["organisations"]) >= 4
    one = client.http.get(f"/download/{set_id}/file-0.json")
    assert sharedoutcomes.validate(json.loads(one.content)).ok
    assert one.headers["content-disposition"] == 'attachment; filename="return-01.package.json"'
    workbook = openpyxl.load_workbook(io.BytesIO(client.http.get(f"/download/{set_id}/problems.xlsx").content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert any("return-03.xlsx" in str(cell) for row in rows for cell in row)
    table = list(csv.DictReader(io.StringIO(client.http.get(f"/download/{set_id}/problems.csv").content
                                             .decode("utf-8-sig"))))
    assert {row["file"] for row in table} >= {"return-03.xlsx", "star-online-wide.csv"}
    report = client.http.get(f"/report/{set_id}")
    assert report.status_code == 200
    assert "Contribution, not attribution" in report.text
    assert "script-src" not in report.headers["content-security-policy"]  # no script may run in it


def test_each_kind_of_file_is_read_by_its_own_format_and_the_page_says_why(client: Client) -> None:
    files = [("grants.csv", GRANTS.read_bytes()), ("survey.csv", SURVEY.read_bytes()),
             ("home.xlsx", STAR_WORKBOOK.read_bytes()), ("shed.json", PACKAGE.read_bytes())]

    _, page = client.check(files)

    for name in ("360giving", "survey", "outcomes-star", "package"):
        assert f"Read as {name}: it is" in page
    assert "Formats tried" in page
    assert "not this format" in page


def test_problems_are_grouped_by_their_place_in_the_file(client: Client) -> None:
    _, page = client.check([("star.csv", STAR_EXPORT.read_bytes())])

    headings = re.findall(r"<h4>([^<]+)</h4>", page)
    assert any(h.startswith("Row ") for h in headings), headings
    assert len(headings) == len(set(headings)), "a place is listed twice"


def test_a_file_no_format_reads_says_so_and_what_to_do(client: Client) -> None:
    _, page = client.check([("return.pdf", b"%PDF-1.7 not a return"), *returns_bytes(1)])

    assert "This is a PDF: no format reads PDFs" in page
    assert "Read as north-ayrshire" in page  # the other file is still checked


def test_a_workbook_named_csv_is_read_as_a_workbook_and_the_page_says_what_it_is(client: Client) -> None:
    _, page = client.check([("return.csv", returns_bytes(1)[0][1])])

    assert "Read as north-ayrshire: it is an Excel workbook (XLSX)" in page
    assert "Its name ends .csv, but its content is an Excel workbook (XLSX), so it was read as that." in page


def test_two_files_of_the_same_name_from_two_folders_are_kept_apart(client: Client) -> None:
    one, two = returns_bytes(2)
    set_id, page = client.check([("q1/return.xlsx", one[1]), ("q2/return.xlsx", two[1])])

    assert "return.xlsx" in page
    assert "return (2).xlsx" in page
    merged = json.loads(client.http.get(f"/download/{set_id}/merged.json").content)
    assert {"Project 1 Trust", "Project 2 Trust"} <= {o["name"] for o in merged["organisations"]}


@pytest.mark.parametrize("attack", ["vba_project", "zip_bomb", "external_target", "billion_laughs"])
def test_a_hostile_workbook_is_that_files_clear_error(client: Client, attack: str) -> None:
    hostile = getattr(attacks, attack)("xlsx")

    _, page = client.check([("hostile.xlsx", hostile), *returns_bytes(1)])

    assert "This file was refused:" in page
    assert "Traceback" not in page
    assert "Read as north-ayrshire" in page


class _Broken:
    name = "broken"
    description = "A plugin that breaks."
    extensions = (".broken",)

    def read(self, source: Any, **options: Any) -> ConversionResult:
        raise RuntimeError("the plugin's own bug")


def test_a_crashing_converter_gives_that_file_an_error_and_the_others_complete(tmp_tempdir: Path) -> None:
    registry = default_registry().with_converter(_Broken())
    for client in make_client(registry=registry):
        files = [("visits.broken", b"anything at all"), *returns_bytes(2)]
        set_id, page = client.check(files)

        assert "the &#x27;broken&#x27; format broke while reading it (RuntimeError: the plugin&#x27;s own bug)" in page
        assert page.count("Read as north-ayrshire") == 2
        listed = client.http.get(f"/download/{set_id}/problems.csv").content.decode("utf-8-sig")
        assert "visits.broken" in listed
        assert "conversion.file-not-converted" in listed
    assert list(tmp_tempdir.iterdir()) == [], "the uploaded files were not removed"


def test_uploaded_files_are_removed_when_the_request_ends(client: Client, tmp_tempdir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from sharedoutcomes.web import _app

    seen: list[Path] = []
    real = _app.check_file

    def spy(path: Path, **kwargs: Any) -> Any:
        seen.append(Path(path))
        assert Path(path).resolve().is_relative_to(tmp_tempdir.resolve())
        return real(path, **kwargs)

    monkeypatch.setattr(_app, "check_file", spy)
    client.check(list(returns_bytes(2)))

    assert len(seen) == 2
    assert list(tmp_tempdir.iterdir()) == []


def test_temporary_files_are_removed_when_a_check_fails_midway(client: Client, tmp_tempdir: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from sharedoutcomes.web import _app

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("out of memory while merging")

    monkeypatch.setattr(_app, "build_set", explode)
    response = client.upload(list(returns_bytes(1)))

    assert response.status_code == 500
    assert "This is a fault in sharedoutcomes" in response.text
    assert "MemoryError" not in response.text
    assert list(tmp_tempdir.iterdir()) == []


@pytest.mark.parametrize(("uploaded", "shown"), [
    ("../../etc/passwd", "passwd"),
    ("/etc/shadow.csv", "shadow.csv"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("x" * 300 + ".csv", "x" * 116 + ".csv"),
])
def test_no_uploaded_name_reaches_the_file_system(client: Client, tmp_tempdir: Path, monkeypatch: pytest.MonkeyPatch,
                                                 uploaded: str, shown: str) -> None:
    from sharedoutcomes.web import _app

    written: list[Path] = []
    real = _app.check_file

    def spy(path: Path, **kwargs: Any) -> Any:
        written.append(Path(path))
        return real(path, **kwargs)

    monkeypatch.setattr(_app, "check_file", spy)
    _, page = client.check([(uploaded, STAR_EXPORT.read_bytes())])

    assert [p.name for p in written] == [shown]
    assert written[0].resolve().parent.parent == tmp_tempdir.resolve() / written[0].parent.parent.name
    assert written[0].resolve().is_relative_to(tmp_tempdir.resolve())
    assert f"{shown} <span" in page or f">{shown}</a>" in page


def test_a_nul_or_control_character_in_a_raw_upload_name_is_dropped(client: Client, tmp_tempdir: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from sharedoutcomes.web import _app

    written: list[Path] = []
    real = _app.check_file
    monkeypatch.setattr(_app, "check_file", lambda path, **kw: written.append(Path(path)) or real(path, **kw))
    body = (b"--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + client.csrf.encode() +
            b"\r\n--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"../ev\x00il\x07.csv\"\r\n\r\n"
            + STAR_EXPORT.read_bytes() + b"\r\n--b--\r\n")
    response = client.http.post("/check", content=body, headers={"content-type": "multipart/form-data; boundary=b"},
                                follow_redirects=False)

    assert response.status_code == 303
    assert [p.name for p in written] == ["evil.csv"]
    assert written[0].resolve().is_relative_to(tmp_tempdir.resolve())


def test_an_upload_without_the_token_or_with_a_wrong_one_is_refused(client: Client) -> None:
    files = list(returns_bytes(1))

    assert client.upload(files, csrf="").status_code == 403
    wrong = client.upload(files, csrf="not-the-token")
    assert wrong.status_code == 403
    assert "token" in wrong.text
    assert client.upload(files).status_code == 303


def test_an_upload_without_a_session_is_refused() -> None:
    for client in make_client():
        token = client.csrf
        client.http.cookies.clear()
        response = client.upload(list(returns_bytes(1)), csrf=token)
        assert response.status_code == 403


def test_an_upload_from_another_site_is_refused(client: Client) -> None:
    response = client.upload(list(returns_bytes(1)), headers={"origin": "http://evil.example"})

    assert response.status_code == 403


def test_a_request_for_another_host_name_is_refused() -> None:
    with TestClient(create_app(), base_url="http://rebound.example") as http:
        assert http.get("/").status_code == 400


def test_a_file_over_the_size_limit_is_refused_and_the_others_are_checked() -> None:
    for client in make_client(limits=Limits(file_bytes=20_000)):
        big = ("big.csv", b"Client ID,Date,Score\n" + b"C-1,01/04/2024,3\n" * 5000)
        _, page = client.check([big, ("star.csv", STAR_EXPORT.read_bytes())])

        assert "This file is too big to check here" in page
        assert "20,000 bytes each" in page
        assert "Read as outcomes-star" in page


def test_too_many_files_is_refused_with_the_limit() -> None:
    for client in make_client(limits=Limits(files=2)):
        response = client.upload([("a.csv", b"x"), ("b.csv", b"y"), ("c.csv", b"z")])

        assert response.status_code == 413
        assert "up to 2 files" in response.text


def test_too_many_bytes_in_all_is_refused_before_anything_is_checked() -> None:
    for client in make_client(limits=Limits(total_bytes=1000, file_bytes=1000)):
        response = client.upload([("a.csv", b"x" * 3 * 1024 * 1024)])

        assert response.status_code == 413
        assert "The files are too big" in response.text


def test_a_body_longer_than_it_says_is_cut_off_at_the_limit() -> None:
    for client in make_client(limits=Limits(total_bytes=1000, file_bytes=1000)):
        def chunks() -> Any:  # no Content-Length: the body is counted as it arrives
            yield b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.csv\"\r\n\r\n"
            for _ in range(40):
                yield b"x" * 65536
            yield b"\r\n--b--\r\n"

        response = client.http.post("/check", content=chunks(),
                                    headers={"content-type": "multipart/form-data; boundary=b"})
        assert response.status_code == 413


def test_no_file_chosen_says_so(client: Client) -> None:
    response = client.upload([])

    assert response.status_code == 400
    assert "Choose at least one file" in response.text


def test_results_are_only_for_the_session_that_made_them(client: Client) -> None:
    set_id, _ = client.check(list(returns_bytes(1)))

    for other in make_client():
        assert other.http.get(f"/checked/{set_id}").status_code == 404
        assert other.http.get(f"/download/{set_id}/merged.json").status_code == 404


def test_results_are_forgotten_after_their_time_and_beyond_their_number() -> None:
    for client in make_client(limits=Limits(keep_seconds=0)):
        response = client.upload(list(returns_bytes(1)))
        gone = client.http.get(response.headers["location"])
        assert gone.status_code == 404
        assert "no longer kept" in gone.text
    for client in make_client(limits=Limits(checks_per_session=1)):
        first, _ = client.check(list(returns_bytes(1)))
        second, _ = client.check(list(returns_bytes(1)))
        assert client.http.get(f"/checked/{first}").status_code == 404
        assert client.http.get(f"/checked/{second}").status_code == 200


def test_the_server_keeps_a_bounded_number_of_sets_over_every_session() -> None:
    with TestClient(create_app(limits=Limits(checks=2)), base_url=BASE) as http:
        sessions = [Client(TestClient(http.app, base_url=BASE)) for _ in range(3)]
        made = [(client, client.check(list(returns_bytes(1)))[0]) for client in sessions]

        kept = [client.http.get(f"/checked/{set_id}").status_code for client, set_id in made]

    assert kept == [404, 200, 200]


def test_a_rule_link_opens_its_explanation_from_the_catalogue(client: Client) -> None:
    page = client.http.get("/rules/form.not-a-number")

    assert page.status_code == 200
    kind = sharedoutcomes.problems.catalogue()["form.not-a-number"]
    assert kind.summary in page.text
    assert "What to do" in page.text
    assert client.http.get("/rules/no-such-rule").status_code == 404


def test_a_format_can_be_chosen_instead_of_detected(client: Client) -> None:
    _, page = client.check([("star.csv", STAR_EXPORT.read_bytes())], format="survey")

    assert "Read as survey" in page
    assert client.upload([("star.csv", b"x")], format="no-such-format").status_code == 400


def test_a_file_with_a_name_beyond_ascii_downloads_under_its_own_name(client: Client) -> None:
    set_id, _ = client.check([("Łódź befriending.csv", SURVEY.read_bytes())])

    response = client.http.get(f"/download/{set_id}/file-0.json")
    assert response.status_code == 200
    assert "filename*=UTF-8''%C5%81%C3%B3d%C5%BA%20befriending.package.json" in response.headers["content-disposition"]


def test_a_download_that_does_not_exist_is_a_plain_404(client: Client) -> None:
    set_id, _ = client.check(list(returns_bytes(1)))

    for name in ("file-9.json", "problems.pdf", "../etc.json", "merged.xlsx"):
        assert client.http.get(f"/download/{set_id}/{name}").status_code == 404


def test_every_odd_input_of_the_command_line_tests_is_a_clear_answer_on_the_page(client: Client) -> None:
    from tests.cli.test_cli_odd_inputs import ODD

    files = [(name, content) for name, content in ODD.items() if content is not None]
    _, page = client.check(files)

    assert "fault in sharedoutcomes" not in page
    assert "Traceback" not in page
    summary = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert summary.count("<tr>") == len(files)
    for name, _ in files:
        assert f">{name}</a>" in summary


def test_a_workbook_whose_sheets_name_its_format_is_that_format_even_when_it_refuses(client: Client,
                                                                                    tmp_path: Path) -> None:
    from tests.web._files import ROOT

    tables = tmp_path / "partnership.xlsx"
    sharedoutcomes.write(sharedoutcomes.example_package(), tables, format="tables-xlsx")
    blank_indigo = ROOT / "tests" / "indigo" / "data" / "forms" / "simple_project_v001.xlsx"

    _, page = client.check([("partnership.xlsx", tables.read_bytes()), ("indigo.xlsx", blank_indigo.read_bytes())])

    assert "Read as tables-xlsx" in page
    assert "It was not guessed: its sheets (package" in page
    # a blank INDIGO form is not read as some other form that happens to match its labels
    assert "are those of an INDIGO spreadsheet form, but indigo.xlsx: this INDIGO spreadsheet form is blank" in page
    assert page.count("Read as north-ayrshire") == 0
