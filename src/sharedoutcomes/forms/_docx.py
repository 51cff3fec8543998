"""
Forms as Word documents: read their tables into grids, and render blank or filled forms.

A form is a sequence of section headings, each followed by a table of questions (label
cell, answer cell) and by repeating tables (a header row of column labels, then a row per
item). Readers find answers by labels, so projects may reorder, merge and add rows freely.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._office import open_document
from sharedoutcomes._optional import require
from sharedoutcomes.converters import excerpt
from sharedoutcomes.exceptions import ConversionError, SourceLocation
from sharedoutcomes.forms import _values as fv
from sharedoutcomes.forms._answers import display
from sharedoutcomes.forms._content import FormContent
from sharedoutcomes.forms._grid import Cell, Grid
from sharedoutcomes.forms._profile import FormProfile, Question, Table
from sharedoutcomes.forms._safety import FORM_LIMITS

ACCENT: Final = "1F5C7A"
LABEL_FILL: Final = "E8EEF3"
HEADER_FILL: Final = "D3DFE8"
REQUIRED_NOTE: Final = "Questions marked * must be answered."


def _docx() -> Any:
    return require("docx", extra="docx", purpose="reading and writing Word forms", distribution="python-docx")


def read_grids(path: Path, profile: FormProfile) -> list[Grid]:
    """
    The document as grids: each top-level table, and each run of paragraphs between tables.

    A table has the heading above it as its section hint; a run of paragraphs is a prose
    grid (one paragraph a row). A table row whose cells cannot be read (malformed XML) is not skipped: its text is
    reported as not read, with its place.

    Raises:
        ConversionError: python-docx cannot open the file.
    """
    _docx()
    document = open_document(path, limits=FORM_LIMITS)  # checked first: unsafe documents are refused
    try:
        return _document_grids(document)
    except ConversionError:
        raise
    except Exception as error:  # a malformed document python-docx opened but cannot walk
        raise ConversionError(f"this Word document cannot be read ({type(error).__name__}: {excerpt(error, 200)})",
                              source=SourceLocation(file=path.name)) from None


def _document_grids(document: Any) -> list[Grid]:
    # python-docx is optional: imported only when a form is read or written
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    grids: list[Grid] = []
    heading: str | None = None
    number = 0
    paragraphs: list[tuple[Cell, ...]] = []
    paragraph_number = 0

    def flush() -> None:
        if paragraphs:
            grids.append(Grid(name="Word paragraphs",
                              rows=tuple(paragraphs), section_hint=None, prose=True))
            paragraphs.clear()

    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag == "p":
            paragraph_number += 1
            paragraph = Paragraph(element, document)
            text = paragraph.text.strip()
            if not text:
                continue
            style = element.style or ""  # the style id, such as 'Heading1'
            is_heading = style.lower().startswith(("heading", "title")) or bool(
                re.match(r"^section\s+\w+\b", text, re.I))
            if is_heading:
                heading = text
            paragraphs.append((Cell(text=text, value=text, row=paragraph_number, column="",
                                    where=f"paragraph {paragraph_number}",
                                    sheet=None, heading=is_heading, listed=_listed(style, element)),))
        elif tag == "tbl":
            flush()
            number += 1
            table = DocxTable(element, document)
            rows, broken = _rows(table, number)
            grids.append(Grid(name=f"Word table {number}", rows=tuple(rows), section_hint=heading,
                              not_read=tuple(broken)))
    flush()
    return grids


def _listed(style: str, element: Any) -> bool:
    """Whether a paragraph is an item of a list (a list style, or numbering of its own)."""
    if style.lower().startswith("list"):
        return True
    properties = element.pPr
    return properties is not None and properties.numPr is not None


def _rows(table: Any, number: int) -> tuple[list[tuple[Cell, ...]], list[tuple[Cell, str]]]:
    """The table's rows as cells, and the rows that cannot be read (their text, and why)."""
    rows: list[tuple[Cell, ...]] = []
    broken: list[tuple[Cell, str]] = []
    for r, tr in enumerate(table._tbl.tr_lst, start=1):
        where = f"Word table {number}, row {r}"
        try:
            row_cells = _row_cells(table, tr)
        except Exception as error:
            text = _row_text(tr)
            if text:
                broken.append((Cell(text=text, value=text, row=r, column="", where=where, table=number),
                               f"{where}: the row is malformed and its cells cannot be read "
                               f"({type(error).__name__}); retype it in the form"))
            rows.append(())
            continue
        cells: list[Cell] = []
        previous = None
        for c, cell in enumerate(row_cells, start=1):
            text = cell.text.strip()
            repeat = previous is not None and cell._tc is previous
            previous = cell._tc
            cells.append(Cell(text=text, value=text, row=r, column=str(c), where=where, table=number, repeat=repeat))
        rows.append(tuple(cells))
    return rows, broken


def _row_text(tr: Any) -> str:
    """The text of a row's cells, read from its XML (for a row python-docx cannot read), cells joined by ' | '."""
    # python-docx is optional: imported only when a form is read or written
    from docx.oxml.ns import qn

    cells = ["".join(node.text or "" for node in tc.iter(qn("w:t"))).strip() for tc in tr.iter(qn("w:tc"))]
    return " | ".join(c for c in cells if c)


def _row_cells(table: Any, tr: Any) -> list[Any]:
    # python-docx is optional: imported only when a form is read or written
    from docx.table import _Row

    return list(_Row(tr, table).cells)


# -- rendering ---------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return fv.writable(text)


def _shade(cell: Any, fill: str) -> None:
    # python-docx is optional: imported only when a form is read or written
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(row: Any) -> None:
    # python-docx is optional: imported only when a form is read or written
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_rows_whole(table: Any) -> None:
    # python-docx is optional: imported only when a form is read or written
    from docx.oxml import OxmlElement

    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _fix_widths(table: Any, widths: list[float]) -> None:
    # python-docx is optional: imported only when a form is read or written
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _label(cell: Any, label: str, guidance: str | None, *, size: float = 9.5, colour: Any = None) -> None:
    # python-docx is optional: imported only when a form is read or written
    from docx.shared import Pt, RGBColor

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(label)
    run.bold = True
    run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    paragraph.paragraph_format.space_after = Pt(1)
    if guidance:
        note = cell.add_paragraph()
        note_run = note.add_run(guidance)
        note_run.font.size = Pt(7.5)
        note_run.italic = True
        note_run.font.color.rgb = RGBColor(0x59, 0x63, 0x6E)
        note.paragraph_format.space_after = Pt(0)


def _widths(table: Table, total_cm: float) -> list[float]:
    def weight(column: Question) -> float:
        if column.type == "long-text":
            return 3.0
        if column.to in ("ref", "outcome"):
            return 1.25
        return 1.0 if column.type in ("number", "money", "percentage", "yes-no", "date") else 1.6

    weights = [weight(c) for c in table.columns]
    scale = total_cm / sum(weights)
    return [w * scale for w in weights]


def _styled_paragraph(document: Any, text: str, *, size: Any, bold: bool = False, italic: bool = False,
                      colour: Any = None) -> None:
    """A paragraph of one run of *text*; only the styles asked for are set (``False`` leaves a style unset)."""
    run = document.add_paragraph().add_run(text)
    if italic:
        run.italic = True
    run.font.size = size
    if bold:
        run.bold = True
    if colour is not None:
        run.font.color.rgb = colour


def render(profile: FormProfile, content: FormContent, path: Path) -> None:
    """Write *content* (empty for a blank template) as a Word form."""
    docx = _docx()
    # python-docx is optional: imported only when a form is read or written
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    accent = RGBColor.from_string(ACCENT)
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    section.top_margin, section.bottom_margin = Cm(1.6), Cm(1.6)
    usable = 21.0 - 3.6
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for name, size in (("Title", 18), ("Heading 1", 13), ("Heading 2", 11)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = accent
        style.font.bold = True
    styles["Heading 1"].paragraph_format.space_before = Pt(14)
    styles["Heading 2"].paragraph_format.space_before = Pt(8)

    footer = section.footer.paragraphs[0]
    footer.text = f"{profile.title} · form profile {profile.name} {profile.version} · sharedoutcomes"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in footer.runs:
        run.font.size = Pt(7.5)
        run.font.color.rgb = RGBColor(0x59, 0x63, 0x6E)

    grey = RGBColor(0x59, 0x63, 0x6E)
    if profile.funder is not None:
        _styled_paragraph(document, profile.funder.name.upper(), size=Pt(9), bold=True, colour=accent)
    document.add_paragraph(profile.title, style="Title")
    if profile.notice:
        _styled_paragraph(document, profile.notice, size=Pt(8), italic=True, colour=grey)
    if profile.intro:
        document.add_paragraph(profile.intro)
    _styled_paragraph(document, REQUIRED_NOTE, size=Pt(8), colour=grey)

    for form_section in profile.sections:
        document.add_paragraph(form_section.heading, style="Heading 1")
        if form_section.guidance:
            _styled_paragraph(document, form_section.guidance, size=Pt(9), italic=True)
        if form_section.questions:
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for question in form_section.questions:
                row = table.add_row()
                label_cell, answer_cell = row.cells
                _shade(label_cell, LABEL_FILL)
                _label(label_cell, question.label + (" *" if question.required else ""), question.guidance)
                value = content.answers.get(question.id)
                answer_cell.paragraphs[0].text = _clean(display(profile, question, value)) if value is not None else ""
                row.height = Cm(1.6) if question.type == "long-text" and value is None else Cm(0.75)
            _fix_widths(table, [6.4, usable - 6.4])
            _keep_rows_whole(table)
        for spec in form_section.tables:
            _render_table(document, profile, spec, content.rows.get(spec.id, []), usable)
    if content.unmapped:
        document.add_paragraph("Other information", style="Heading 1")
        note = document.add_paragraph("Answers to questions this form does not ask")
        note.runs[0].italic = True
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in content.unmapped:
            row = table.add_row()
            _shade(row.cells[0], LABEL_FILL)
            row.cells[0].paragraphs[0].add_run(_clean(label)).bold = True
            row.cells[1].paragraphs[0].text = _clean(value)
    document.save(str(path))


def _render_table(document: Any, profile: FormProfile, spec: Table, rows: list[dict[str, Any]],
                  usable: float) -> None:
    # python-docx is optional: imported only when a form is read or written
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt, RGBColor

    document.add_paragraph(spec.title, style="Heading 2")
    if spec.guidance:
        guidance = document.add_paragraph()
        guidance_run = guidance.add_run(spec.guidance)
        guidance_run.italic = True
        guidance_run.font.size = Pt(9)
    count = len(rows) if rows else spec.blank_rows
    table = document.add_table(rows=1 + count, cols=len(spec.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _widths(spec, usable)
    header = table.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, spec.columns, strict=True):
        _shade(cell, HEADER_FILL)
        _label(cell, column.label + (" *" if column.required else ""), column.guidance, size=8.5,
               colour=RGBColor(0x10, 0x2A, 0x3A))
    for r in range(count):
        row = table.rows[1 + r]
        values = rows[r] if r < len(rows) else {}
        if not values:
            row.height = Cm(0.9)
        for cell, column in zip(row.cells, spec.columns, strict=True):
            value = values.get(column.id)
            if value is not None:
                paragraph = cell.paragraphs[0]
                paragraph.text = _clean(display(profile, column, value))
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    _fix_widths(table, widths)
    _keep_rows_whole(table)
    note = document.add_paragraph()
    note_run = note.add_run("Add rows if you need more.")
    note_run.font.size = Pt(7.5)
    note_run.italic = True
    note_run.font.color.rgb = RGBColor(0x59, 0x63, 0x6E)

