"""Form profiles: the bundled ones, their schema, and a neighbouring partnership's form by profile alone."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sharedoutcomes import validate
from sharedoutcomes.cli import main
from sharedoutcomes.exceptions import ConversionError, UnknownName
from sharedoutcomes.forms import (
    FormProfile,
    convert_folder,
    get_profile,
    load_profile,
    profiles,
    read_form,
    template,
)

ROOT = Path(__file__).parents[2]
FIRTH_VALLEY = ROOT / "src" / "sharedoutcomes" / "examples" / "data" / "firth-valley-profile.json"


def test_bundled_profiles_are_valid_against_the_published_schema() -> None:
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "forms" / "form-profile.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://schemas.sharedoutcomes.org/0.2/forms/form-profile.schema.json"
    for name in profiles():
        data = json.loads((ROOT / "schemas" / "forms" / f"{name}.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert profiles() == ("harmonising-reporting", "north-ayrshire")


def test_every_schema_property_has_a_title_and_description() -> None:
    schema = json.loads((ROOT / "schemas" / "forms" / "form-profile.schema.json").read_text(encoding="utf-8"))

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, child in node.get("properties", {}).items():
                if "$ref" not in child:
                    assert "title" in child, f"{where}.{name}"
                    assert "description" in child, f"{where}.{name}"
            for key, child in node.items():
                if key != "if":  # conditions restate properties; they are not new ones
                    walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{where}[{i}]")

    walk(schema, "$")


def test_the_north_ayrshire_profile_says_it_is_not_official() -> None:
    profile = get_profile("north-ayrshire")
    assert profile.status == "inferred"
    assert "not an official" in (profile.notice or "")
    assert [s.id for s in profile.sections] == list("ABCDEFGHIJKL")
    assert profile.codelists["nhwo"].labels()[3] == "4 Quality of life"


def test_profile_errors_say_where(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "bad", "title": "Bad", "version": "1", "sections": [
        {"id": "A", "title": "A", "questions": [
            {"id": "x", "label": "X", "type": "text", "to": "organisation.nickname"}]}]}))
    with pytest.raises(ConversionError, match=r"unknown target 'organisation.nickname'"):
        load_profile(bad)
    bad.write_text(json.dumps({"name": "Bad Name", "title": "Bad", "version": "1", "sections": []}))
    with pytest.raises(ConversionError, match=r"bad.json is not a valid form profile: \$"):
        load_profile(bad)
    with pytest.raises(UnknownName, match="Did you mean 'harmonising-reporting'"):
        get_profile("harmonizing-reporting")


def test_a_neighbouring_partnerships_form_works_by_profile_alone(tmp_path: Path) -> None:
    """The worked example in docs/how-to/write-a-form-profile.md: a Word form typed by the project."""
    import docx

    profile = load_profile(FIRTH_VALLEY)
    assert isinstance(profile, FormProfile)
    document = docx.Document()
    document.add_paragraph("Community Wellbeing Grants – end of year report", style="Title")
    document.add_paragraph("1. Your group", style="Heading 1")
    about = document.add_table(rows=0, cols=2)
    for label, value in (("Name of group", "Firthside Walking Football"), ("SCN", "SC051234"),
                         ("Title of funded work", "Walking football for over-55s"), ("Grant number", "CWG-24-009"),
                         ("Grant received (£)", "£2,400")):
        cells = about.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph("2. The year", style="Heading 1")
    year = document.add_table(rows=0, cols=4)
    cells = year.add_row().cells
    for cell, text in zip(cells, ("Year starting", "1 April 2024", "Year ending", "31 March 2025"), strict=True):
        cell.text = text
    cells = year.add_row().cells
    cells[0].text, cells[1].text = "How many people took part?", "37"
    document.add_paragraph("3. Difference made", style="Heading 1")
    changes = document.add_table(rows=1, cols=4)
    for cell, text in zip(changes.rows[0].cells, ("Change no.", "Change we wanted to see",
                                                  "National outcome number(s)", "Progress"), strict=True):
        cell.text = text
    for row in (("1", "Older men are fitter", "1", "Met"), ("2", "Men feel part of a team", "1 and 4", "Partly met")):
        cells = changes.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    measures = document.add_table(rows=1, cols=4)
    for cell, text in zip(measures.rows[0].cells, ("Change no.", "Measure", "We aimed for", "We achieved"),
                          strict=True):
        cell.text = text
    for row in (("1", "Players attending weekly", "25", "31"), ("2", "Players who say they feel part of a team",
                                                                "20", "28")):
        cells = measures.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.add_paragraph("4. In people's words", style="Heading 1")
    quotes = document.add_table(rows=1, cols=2)
    quotes.rows[0].cells[0].text, quotes.rows[0].cells[1].text = "What they said", "OK to share?"
    cells = quotes.add_row().cells
    cells[0].text, cells[1].text = "It's the best part of my week.", "Yes"
    path = tmp_path / "firthside.docx"
    document.save(str(path))

    result = read_form(path, profile=FIRTH_VALLEY, produced="2025-04-30T12:00:00Z")
    assert result.problems == ()
    package = result.package
    assert validate(package).ok
    assert package.organisations[0].id == "GB-SC-SC051234"
    assert package.organisations[1].name == "Firth Valley Health and Social Care Partnership"
    assert package.activities[0].funding[0].amount.amount == 2400
    assert [[m.code for m in o.mappings] for o in package.outcomes] == [["1"], ["1", "4"]]
    assert package.outcomes[1].extension_data["form"] == {"progress": "partly-met"}
    assert [i.targets[0].value for i in package.indicators] == [25, 20]
    actuals = [v.value for e in package.evidence for v in e.values if v.indicator_id]
    assert actuals == [31, 28]
    people = next(e for e in package.evidence if e.summary == "People supported")
    assert people.values[0].code == "participants"
    assert people.values[0].value == 37
    # and its blank template is written from the profile too
    blank = tmp_path / "blank.xlsx"
    template(profile, blank)
    assert read_form(blank, profile=profile).package.organisations[0].id == "XX-FORM-unknown"


def test_the_template_command(tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "return.xlsx"
    assert main(["template", "north-ayrshire", "--format", "xlsx", "-o", str(target)], out=out) == 0
    assert out.getvalue() == f"wrote {target}\n"
    import openpyxl

    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames[:3] == ["Return", "Outcomes", "Indicators"]
    outcomes = workbook["Outcomes"]
    lists = [v.formula1 for v in outcomes.data_validations.dataValidation]
    assert any("Lists!" in (f or "") for f in lists)  # National Outcomes and RAG drop-downs
    main_sheet = workbook["Return"]
    kinds = {v.type for v in main_sheet.data_validations.dataValidation}
    assert {"list", "date", "decimal"} <= kinds
    assert workbook["Lists"].sheet_state == "hidden"
    assert main(["template", str(FIRTH_VALLEY), "--format", "docx", "-o", str(tmp_path / "fv.docx")],
                out=io.StringIO()) == 0
    assert main(["template", "north-ayrshire", "--format", "pdf", "-o", str(tmp_path / "x.pdf")],
                out=io.StringIO()) == 2


def test_a_folder_of_returns_becomes_one_partnership_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    from sharedoutcomes import example_package
    from sharedoutcomes.forms import write_form

    folder = tmp_path / "returns"
    folder.mkdir()
    write_form(example_package(), folder / "shed.docx", organisation_id="GB-SC-SC045123")
    write_form(example_package(), folder / "carers.xlsx", organisation_id="GB-SC-SC038977")
    (folder / "notes.docx").write_bytes(b"not a form")
    (folder / "readme.txt").write_text("ignored")
    seen: list[str] = []
    batch = convert_folder(folder, progress=False, on_file=lambda f: seen.append(f.file))
    # every file of the folder is accounted for, the text file too (issue 10: unsupported files never vanish)
    assert seen == ["carers.xlsx", "notes.docx", "readme.txt", "shed.docx"]
    assert batch.summary().splitlines() == [
        "carers.xlsx: 0 errors, 0 warnings",
        "notes.docx: not converted: this is not a Word document (.docx): it is not a zip archive",
        "readme.txt: not read: a text file is not a form: move it out of the folder if it is a note, or ask for "
        "the return as the Word or Excel form",
        "shed.docx: 0 errors, 0 warnings",
    ]
    package = batch.package
    assert package is not None
    assert [o.id for o in package.organisations].count("GB-NHS-NAHSCP") == 1
    assert {a.title for a in package.activities} == {"Shed sessions for older men", "Carer wellbeing and short breaks"}
    assert validate(package).ok
    # the command line: a folder with --from north-ayrshire
    output = tmp_path / "partnership.json"
    # notes.docx is an error, so the package is written only when asked (issue 10), marked as partial
    code = main(["convert", str(folder), "--from", "north-ayrshire", "-o", str(output), "--write-partial"],
                out=io.StringIO())
    assert code == 1  # notes.docx could not be read
    err = capsys.readouterr().err
    assert "shed.docx: 0 errors, 0 warnings" in err
    assert "notes.docx was not converted" in err
    assert json.loads(output.read_text())["publisher"] == "GB-NHS-NAHSCP"
