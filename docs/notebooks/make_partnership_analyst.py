"""
Write ``partnership-analyst.ipynb`` from the cells below, so the notebook is reproducible and reviewable.

Run it after changing a cell: ``python docs/notebooks/make_partnership_analyst.py``. The test suite
executes the notebook (``tests/test_notebook.py``) and checks that this script and the notebook agree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent
NOTEBOOK = HERE / "partnership-analyst.ipynb"

CELLS: list[tuple[str, str]] = [
    ("md", """\
# A partnership analyst's notebook

You are the analyst for a health and social care partnership. Third-sector projects send you their quarterly
monitoring returns; one of them also uses the Outcomes Star and exports its readings. You want one validated
picture of **who contributes to which outcome, and how good the evidence is**, with charts you can put in a report.

This notebook does that end to end with the bundled example data (a small, fictional North Ayrshire partnership):

1. read a folder of returns (a Word form and an Excel form),
2. read an Outcomes Star export,
3. validate everything, and see what a mistake looks like,
4. merge it into one partnership package,
5. tell the contribution story for the National Health and Wellbeing Outcomes,
6. draw the charts, and
7. get tidy tables for your own analysis in pandas."""),
    ("code", """\
import pathlib
import tempfile

import sharedoutcomes
from sharedoutcomes import forms, pictures, star_analysis, story, tables
from sharedoutcomes.converters.outcomes_star import sample_path
from sharedoutcomes.merge import merge

print("sharedoutcomes", sharedoutcomes.__version__, "reads standard", sharedoutcomes.SCHEMA_VERSION)
work = pathlib.Path(tempfile.mkdtemp())"""),
    ("md", """\
## 1. The returns

In real life the returns arrive by email. Here we make two from the bundled example package: the Men's Shed fills
in the Word version of the North Ayrshire form, the Carers Centre the Excel version."""),
    ("code", """\
partnership = sharedoutcomes.example_package()
returns = work / "returns"
returns.mkdir()
forms.write_form(partnership, returns / "garnock-shed.docx", organisation_id="GB-SC-SC045123")
forms.write_form(partnership, returns / "three-towns-carers.xlsx", organisation_id="GB-SC-SC038977")
sorted(path.name for path in returns.iterdir())"""),
    ("md", """\
`convert_folder` reads every return in the folder into one package. One bad file does not stop the others, and
every problem names the file and the question it came from."""),
    ("code", """\
batch = forms.convert_folder(returns, progress=False)
print(batch.summary())
batch.package"""),
    ("md", """\
## 2. The Outcomes Star export

The Carers Centre's Star Online export (here, the small made-up sample that ships with sharedoutcomes). Each
reading becomes one piece of evidence of kind `assessment`, with a value per Star area."""),
    ("code", """\
star = sharedoutcomes.convert(sample_path(), format="outcomes-star", organisation_id="GB-SC-SC038977",
                              organisation_name="Three Towns Carers Centre", today="2025-06-30")
star"""),
    ("code", """\
reading = star.package.evidence[0]
reading.instrument, reading.date, [(v.label, v.value) for v in reading.values][:3]"""),
    ("md", """\
## 3. Validate

`validate` checks the JSON Schema and the semantic rules (references resolve, periods are in order, scores sit
inside their scale, no person-level data in a public package …) and never raises on bad data. In a notebook, a
report shows as a table."""),
    ("code", """\
sharedoutcomes.validate(batch.package)"""),
    ("md", """\
What does a mistake look like? Suppose a project keeps its return as a spreadsheet in the tables layout and types
`survay` for an evidence kind and `43 men` where a number belongs. Every problem points at the cell to fix."""),
    ("code", """\
data = sharedoutcomes.dump(partnership)
data["evidence"][1]["kind"] = "survay"
data["evidence"][0]["subject"]["size"] = "43 men"
tables.to_xlsx(data, work / "shed-return.xlsx")
tables.read_xlsx(work / "shed-return.xlsx").validate()"""),
    ("md", """\
## 4. One partnership package

The partnership's own package (its outcomes, indicators and the links it has assessed) is merged with the Star
readings. Merging keeps every id unique and records anything that conflicts."""),
    ("code", """\
merged = merge([partnership, star.package], id="na-partnership-2024-25-star", publisher="GB-NHS-NAHSCP",
               title="North Ayrshire partnership returns and Star readings, 2024-25")
print(merged.problems or "no conflicts")
package = merged.package
package"""),
    ("md", """\
## 5. The contribution story

Contribution, not attribution: for each National Health and Wellbeing Outcome, who contributes, through what,
the evidence for and against each contribution with an explainable strength rating, and the gaps."""),
    ("code", """\
partnership_story = story.partnership_story(package, framework="scot-nhwo")
partnership_story"""),
    ("code", """\
carers = story.contribution_story(package, "6", framework="scot-nhwo")
[(entry.id, entry.rating.rating) for entry in carers.contributions]"""),
    ("code", """\
carers"""),
    ("md", """\
## 6. Charts

Who contributes to which outcome, as a picture:"""),
    ("code", """\
from IPython.display import SVG

SVG(pictures.contribution_map_svg(package, framework="scot-nhwo"))"""),
    ("md", "An indicator against its baseline and target:"),
    ("code", """\
pictures.indicator_chart(package, "ind-members")"""),
    ("md", """\
Distance travelled on the Star: each person's first and latest reading, and the cohort's change per area.
Star scores are ordinal, so the median is the safer summary."""),
    ("code", """\
change = star_analysis.cohort_change(star.package)
change"""),
    ("code", """\
star_analysis.cohort_chart(change, statistic="median")"""),
    ("md", """\
## 7. Tidy tables for your own analysis

`tables.to_dataframes` gives one DataFrame per entity, with the JSON keys as columns; `evidence.values` is a tidy
table of every value, pointing at its evidence by `_parent_id`. The same tables round-trip back to the package
without losing anything."""),
    ("code", """\
frames = tables.to_dataframes(package)
values = frames["evidence.values"].merge(
    frames["evidence"][["id", "kind", "date", "collected_by"]], left_on="_parent_id", right_on="id")
values[["_parent_id", "kind", "collected_by", "code", "value", "unit"]].head(8)"""),
    ("code", """\
values.groupby("kind")["code"].count().rename("values").to_frame()"""),
    ("code", """\
tables.read_dataframes(frames).document == sharedoutcomes.dump(package)"""),
    ("md", """\
## Where next

- Write the merged package for your partners: `sharedoutcomes.write(package, "partnership.json", format="package")`,
  or as a workbook with `format="tables-xlsx"`.
- Make the HTML contribution report: `sharedoutcomes report partnership.json -o report.html`.
- The documentation's tutorial and how-to guides cover each step in more depth."""),
]


def build() -> nbformat.NotebookNode:
    """The notebook, without outputs (CI executes it)."""
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    for index, (kind, source) in enumerate(CELLS):
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cell["id"] = f"cell-{index:02d}"  # stable ids keep diffs small
        notebook.cells.append(cell)
    return notebook


def main() -> int:
    """Write the notebook next to this script."""
    nbformat.write(build(), NOTEBOOK)
    sys.stdout.write(f"wrote {NOTEBOOK}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
