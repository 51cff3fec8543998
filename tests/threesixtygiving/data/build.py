"""
Rebuild the fixtures of this folder from the real files they are trimmed from (see README.md).

    python tests/threesixtygiving/data/build.py DQ_CHECKOUT TEMPLATE_XLSX

DQ_CHECKOUT is a checkout of ThreeSixtyGiving/dataquality (for ``tools/data``), TEMPLATE_XLSX the
official template ``360-giving-schema-titles-with-meta-tab-2023.xlsx``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent


def trim_xlsx(source: Path, target: Path, rows: int) -> None:
    """The first sheet of *source*: its heading row and the next *rows* rows, values unchanged."""
    book = openpyxl.load_workbook(source, read_only=True)
    sheet = book.worksheets[0]
    out = openpyxl.Workbook()
    new = out.active
    new.title = sheet.title
    for index, row in enumerate(sheet.iter_rows(values_only=True)):
        if index > rows:
            break
        new.append(list(row))
    out.save(target)


def template(source: Path, target: Path, grants: list[dict]) -> None:
    """The official template with three real ABCT grants, two extra beneficiary locations and a Meta sheet."""
    book = openpyxl.load_workbook(source)
    meta = book["Meta"]
    values = {"Version": "1.4", "Title": "A B Charitable Trust grants (three, trimmed)",
              "Identifier": "a001p00000zgyHZAAY", "Publisher:Name": "A B Charitable Trust",
              "Publisher:Identifier": "GB-CHC-1000147", "Publisher:Website": "http://abcharitabletrust.org.uk/",
              "License": "https://creativecommons.org/licenses/by/4.0/", "Issued": "2018-06-21"}
    for row in meta.iter_rows(min_row=1, max_col=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    sheet = book["grants"]
    headings = [cell.value for cell in sheet[1]]
    for grant in grants:
        org, funder = grant["recipientOrganization"][0], grant["fundingOrganization"][0]
        cells = {"Identifier": grant["id"], "Title": grant["title"], "Description": grant["description"],
                 "Currency": grant["currency"], "Amount Awarded": grant["amountAwarded"],
                 "Award Date": grant["awardDate"][:10], "Recipient Org:Identifier": org["id"],
                 "Recipient Org:Name": org["name"], "Recipient Org:Charity Number": org.get("charityNumber"),
                 "Recipient Org:Postal Code": org.get("postalCode"), "Funding Org:Identifier": funder["id"],
                 "Funding Org:Name": funder["name"], "Grant Programme:Code": grant["grantProgramme"][0]["code"],
                 "Grant Programme:Title": grant["grantProgramme"][0]["title"],
                 "Beneficiary Location:Name": grant["beneficiaryLocation"][0]["name"],
                 "From An Open Call?": grant["fromOpenCall"], "Data Source": grant["dataSource"]}
        sheet.append([cells.get(h) for h in headings])
    places = book["Beneficiary Location"]
    places.append([grants[0]["id"], None, "Greater London", "GB"])
    places.append([grants[1]["id"], None, "Scotland", "GB"])
    places.append(["360G-ABCT-NO-SUCH-GRANT", None, "Wales", "GB"])  # an orphan row: reported as not read
    book.save(target)


def main(checkout: Path, template_file: Path) -> None:
    data = checkout / "tools" / "data"
    grants = json.loads((data / "json_all" / "a001p00000zgyHZAAY.json").read_text(encoding="utf-8"))["grants"]
    (HERE / "abct-grants.json").write_text(json.dumps({"grants": grants[:40]}, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    trim_xlsx(data / "original" / "a001p00000zgyHZAAY.xlsx", HERE / "abct-grants.xlsx", 40)
    trim_xlsx(data / "original" / "a003W000001B7PzQAK.xlsx", HERE / "alwf-grants.xlsx", 30)
    template(template_file, HERE / "template-grants.xlsx", grants[:3])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
