"""
Forms as Excel workbooks: read their sheets into grids, and render blank or filled forms.

The rendered workbook has a ``Return`` sheet of questions (label, answer, guidance), one
sheet per repeating table (title, guidance, header row, rows), and a hidden ``Lists`` sheet
that the drop-downs draw on. Readers find answers by labels on any sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._office import open_workbook
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
INPUT_FILL: Final = "FFFDF0"
LISTS_SHEET: Final = "Lists"
SHEETS_NOTE: Final = "The tables are on their own sheets:"
_SKIPPED_SHEETS: Final = frozenset({LISTS_SHEET.lower(), "guidance", "instructions"})


def _openpyxl() -> Any:
    return require("openpyxl", extra="xlsx", purpose="reading and writing Excel forms")


def read_grids(path: Path, profile: FormProfile) -> list[Grid]:
    """
    Every visible sheet (but ``Lists``) as a grid; merged cells fill down, not across.

    Raises:
        ConversionError: openpyxl cannot open the file.
    """
    _openpyxl()
    workbook = open_workbook(path, limits=FORM_LIMITS, read_only=False)  # checked first: unsafe ones are refused
    try:
        return [_sheet_grid(sheet) for sheet in workbook.worksheets if sheet.title.lower() not in _SKIPPED_SHEETS]
    except ConversionError:
        raise
    except Exception as error:  # a workbook openpyxl opened but cannot walk
        raise ConversionError(f"this Excel workbook cannot be read ({type(error).__name__}: {excerpt(error, 200)})",
                              source=SourceLocation(file=path.name)) from None


MAX_DENSE_COLUMNS: Final = 200
"""
Up to this many used columns, every row has a cell in each column any row uses (so a table's
columns line up under its header); beyond, each row has only its own cells.
"""


def _sheet_grid(sheet: Any) -> Grid:
    """
    One sheet as a grid, from the cells that exist (never the empty space up to a far cell such as XFD1048576).

    Merged cells fill down, not across, within the rows that have cells.
    """
    # openpyxl is optional: imported only when a form is read or written
    from openpyxl.utils import get_column_letter

    values: dict[tuple[int, int], Any] = {
        key: cell.value for key, cell in getattr(sheet, "_cells", {}).items() if cell.value is not None}
    existing_rows = sorted({r for r, _c in values})
    filled: dict[tuple[int, int], tuple[Any, bool]] = {}
    for merged in sheet.merged_cells.ranges:
        top = values.get((merged.min_row, merged.min_col))
        if top is None:
            continue
        spanned = [r for r in existing_rows if merged.min_row <= r <= merged.max_row] or [merged.min_row]
        for r in spanned:
            for c in range(merged.min_col, min(merged.max_col, merged.min_col + MAX_DENSE_COLUMNS) + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    filled[(r, c)] = (top, c != merged.min_col)
    by_row: dict[int, set[int]] = {}
    for r, c in (*values, *filled):
        by_row.setdefault(r, set()).add(c)
    used_columns = sorted({c for columns in by_row.values() for c in columns})
    dense = len(used_columns) <= MAX_DENSE_COLUMNS
    rows: list[tuple[Cell, ...]] = []
    for r in sorted(by_row):
        cells = []
        for c in (used_columns if dense else sorted(by_row[r])):
            value, repeat = filled.get((r, c), (values.get((r, c)), False))
            letter = get_column_letter(c)
            text = fv.to_text(value)
            cells.append(Cell(text=text, value=value if not isinstance(value, str) else text, row=r,
                              column=letter, where=f"sheet '{sheet.title}', cell {letter}{r}",
                              sheet=sheet.title, repeat=repeat))
        rows.append(tuple(cells))
    return Grid(name=sheet.title, rows=tuple(rows))


# -- rendering ---------------------------------------------------------------------------------


def _sheet_title(text: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", text)[:31].strip() or "Sheet"
    base, n = title, 2
    while title.lower() in taken:
        suffix = f" {n}"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _put(cell: Any, value: Any) -> None:
    """
    Write *value* into *cell*; text that would run as a formula is written as text, with a quote prefix.

    The OWASP convention for CSV injection, as in Excel itself: a cell whose text starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is stored as a string (never a
    formula) and marked ``quotePrefix``, so Excel shows it as text and does not evaluate it
    when it is edited; the text is unchanged, so it reads back as written.
    """
    if isinstance(value, str):
        text = fv.writable(value)
        cell.value = text
        if text.startswith(fv.FORMULA_START):
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True
    else:
        cell.value = value


def _cell_value(profile: FormProfile, question: Question, value: Any) -> Any:
    if value is None:
        return None
    if question.type in ("number", "money", "percentage") and isinstance(value, int | float) and not isinstance(
            value, bool):
        return value
    if question.type == "date":
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return display(profile, question, value)


_FORMATS: Final = {"date": "dd/mm/yyyy", "money": '"£"#,##0.00', "percentage": '0.0##"%"', "number": "#,##0.###"}


class _Validations:
    """Data validations, one per question (or column), added to the sheet at the end."""

    def __init__(self, profile: FormProfile, lists: dict[str, str]) -> None:
        self.profile = profile
        self.lists = lists
        self.made: dict[tuple[str, int], Any] = {}

    def add(self, sheet: Any, question: Question, ref: str) -> None:

        key = (question.id, id(sheet))
        if key not in self.made:
            validation = self._make(question)
            if validation is None:
                return
            sheet.add_data_validation(validation)
            self.made[key] = validation
        self.made[key].add(ref)

    def _make(self, question: Question) -> Any:
        # openpyxl is optional: imported only when a form is read or written
        from openpyxl.worksheet.datavalidation import DataValidation

        kind = question.type
        if kind == "yes-no":
            return DataValidation(type="list", formula1='"Yes,No"', allow_blank=True, showErrorMessage=True,
                                  errorTitle="Yes or No", error="Choose Yes or No.")
        if kind == "choice" and question.codelist in self.lists:
            codelist = self.profile.codelists[question.codelist or ""]
            validation = DataValidation(type="list", formula1=self.lists[question.codelist or ""], allow_blank=True)
            if question.multiple or codelist.open:
                validation.showErrorMessage = False
                validation.promptTitle = codelist.title[:32]
                validation.prompt = ("Choose from the list, or type several numbers separated by commas."
                                     if question.multiple else "Choose from the list, or type your own.")
                validation.showInputMessage = True
            else:
                validation.showErrorMessage = True
                validation.errorTitle = codelist.title[:32]
                validation.error = f"Choose one of the {codelist.title} from the list."
            return validation
        if kind == "date":
            return DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                                  formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                                  errorTitle="Date", error="Enter a date, e.g. 01/04/2024.")
        if kind in ("money", "percentage"):
            top = "100" if kind == "percentage" else "1000000000"
            return DataValidation(type="decimal", operator="between", formula1="0", formula2=top, allow_blank=True,
                                  showErrorMessage=True, errorTitle="Number",
                                  error="Enter a percentage from 0 to 100." if kind == "percentage"
                                  else "Enter an amount in pounds, e.g. 5000.")
        if kind == "number":
            return DataValidation(type="decimal", operator="between", formula1="-1000000000",
                                  formula2="1000000000", allow_blank=True, showErrorMessage=True,
                                  errorTitle="Number", error="Enter a number only (put the unit in its own column).")
        return None


def _height(cells: Any) -> float:
    """A row height (points) that shows every (text, column width) whole when wrapped."""
    lines = 1
    for text, width in cells:
        chars = max(int((width or 10) * 1.15), 4)
        lines = max(lines, sum(max(1, -(-len(part) // chars)) for part in str(text).split("\n")))
    return 13.5 * lines + 4


def render(profile: FormProfile, content: FormContent, path: Path) -> None:
    """Write *content* (empty for a blank template) as an Excel form."""
    openpyxl = _openpyxl()
    # openpyxl is optional: imported only when a form is read or written
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    main = workbook.active
    main.title = "Return"
    taken = {"return", LISTS_SHEET.lower()}
    thin = Side(style="thin", color="9AA8B5")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    accent_fill = PatternFill("solid", fgColor=ACCENT)
    label_fill = PatternFill("solid", fgColor=LABEL_FILL)
    input_fill = PatternFill("solid", fgColor=INPUT_FILL)
    white_bold = Font(name="Arial", bold=True, color="FFFFFF", size=11)
    wrap = Alignment(wrap_text=True, vertical="top")
    grey = Font(name="Arial", italic=True, size=8.5, color="59636E")

    # lists for drop-downs
    lists_sheet = workbook.create_sheet(LISTS_SHEET)
    lists: dict[str, str] = {}
    for index, (name, codelist) in enumerate(sorted(profile.codelists.items()), start=1):
        letter = get_column_letter(index)
        lists_sheet.cell(1, index, codelist.title)
        for r, label in enumerate(codelist.labels(), start=2):
            lists_sheet.cell(r, index, label)
        lists[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(codelist.values) + 1}"
    lists_sheet.sheet_state = "hidden"
    validations = _Validations(profile, lists)

    main.column_dimensions["A"].width = 34
    main.column_dimensions["B"].width = 46
    main.column_dimensions["C"].width = 52
    main.sheet_view.showGridLines = False
    row = 1
    title = main.cell(row, 1, profile.title)
    title.font = Font(name="Arial", bold=True, size=15, color=ACCENT)
    main.row_dimensions[row].height = 24
    row += 1
    for text in (profile.notice, profile.intro):
        if text:
            main.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
            cell = main.cell(row, 1, text)
            cell.font = grey if text == profile.notice else Font(name="Arial", size=9.5)
            cell.alignment = wrap
            main.row_dimensions[row].height = 26 if len(text) < 200 else 38
            row += 1
    tables = [spec.title for _section, spec in profile.tables()]
    if tables:
        main.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        pointer = main.cell(row, 1, f"{SHEETS_NOTE} {', '.join(tables)}.")
        pointer.font = Font(name="Arial", bold=True, size=9.5, color=ACCENT)
        row += 1
    for section in profile.sections:
        if not section.questions:
            continue
        row += 1
        main.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        heading = main.cell(row, 1, section.heading)
        heading.font = white_bold
        heading.fill = accent_fill
        heading.alignment = Alignment(vertical="center", indent=1)
        main.row_dimensions[row].height = 20
        if section.guidance:
            row += 1
            main.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
            note = main.cell(row, 1, section.guidance)
            note.font = grey
            note.alignment = wrap
            main.row_dimensions[row].height = 26 if len(section.guidance) > 110 else 15
        for question in section.questions:
            row += 1
            label = main.cell(row, 1, question.label + (" *" if question.required else ""))
            label.font = Font(name="Arial", bold=True, size=10)
            label.fill = label_fill
            label.border = box
            label.alignment = wrap
            answer = main.cell(row, 2)
            _put(answer, _cell_value(profile, question, content.answers.get(question.id)))
            answer.fill = input_fill
            answer.border = box
            answer.alignment = wrap
            answer.font = Font(name="Arial", size=10)
            if question.type in _FORMATS:
                answer.number_format = _FORMATS[question.type]
            validations.add(main, question, f"B{row}")
            if question.guidance:
                guide = main.cell(row, 3, question.guidance)
                guide.font = grey
                guide.alignment = wrap
            if question.id in content.answers:
                main.row_dimensions[row].height = max(18, _height([(str(answer.value or ""), 46),
                                                                    (label.value, 34)]))
            else:
                main.row_dimensions[row].height = 48 if question.type == "long-text" else 18
    if content.unmapped:
        row += 2
        main.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        heading = main.cell(row, 1, "Other information")
        heading.font = white_bold
        heading.fill = accent_fill
        for label_text, value in content.unmapped:
            row += 1
            _put(main.cell(row, 1), label_text)
            main.cell(row, 1).fill = label_fill
            _put(main.cell(row, 2), value)
    main.freeze_panes = None
    main.page_setup.orientation = "portrait"
    main.page_setup.fitToWidth = 1
    main.page_setup.fitToHeight = 0
    main.sheet_properties.pageSetUpPr.fitToPage = True
    main.print_title_rows = "1:1"

    for _section, spec in profile.tables():
        _render_table(workbook, profile, spec, content.rows.get(spec.id, []), taken=taken, validations=validations)
    workbook.move_sheet(lists_sheet, offset=len(workbook.sheetnames))
    workbook.save(str(path))


def _render_table(workbook: Any, profile: FormProfile, spec: Table, rows: list[dict[str, Any]], *,
                  taken: set[str], validations: _Validations) -> None:
    # openpyxl is optional: imported only when a form is read or written
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(_sheet_title(spec.title, taken))
    sheet.sheet_view.showGridLines = False
    thin = Side(style="thin", color="9AA8B5")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = len(spec.columns)
    title = sheet.cell(1, 1, spec.title)
    title.font = Font(name="Arial", bold=True, size=13, color=ACCENT)
    sheet.row_dimensions[1].height = 22
    if spec.guidance:
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(last, 2))
        note = sheet.cell(2, 1, spec.guidance)
        note.font = Font(name="Arial", italic=True, size=9, color="59636E")
        note.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[2].height = 28
    header_row = 4
    for c, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(header_row, c, column.label + (" *" if column.required else ""))
        cell.font = Font(name="Arial", bold=True, size=10, color="102A3A")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.border = box
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        width = 48 if column.type == "long-text" else 13 if column.type in (
            "number", "money", "percentage", "yes-no", "date") or column.to in ("ref", "outcome") else 24
        sheet.column_dimensions[get_column_letter(c)].width = width
        if column.guidance:
            guide = sheet.cell(header_row + 1, c, column.guidance)
            guide.font = Font(name="Arial", italic=True, size=8, color="59636E")
            guide.alignment = Alignment(wrap_text=True, vertical="top")
            guide.border = box
    sheet.row_dimensions[header_row].height = 30
    first = header_row + 2
    count = max(len(rows) + 5, spec.blank_rows * 3)
    for r in range(count):
        values = rows[r] if r < len(rows) else {}
        for c, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(first + r, c)
            _put(cell, _cell_value(profile, column, values.get(column.id)))
            cell.fill = PatternFill("solid", fgColor=INPUT_FILL)
            cell.border = box
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name="Arial", size=10)
            if column.type in _FORMATS:
                cell.number_format = _FORMATS[column.type]
        if values:  # tall enough for the wrapped answers (spreadsheets do not grow rows on opening)
            sheet.row_dimensions[first + r].height = _height(
                (str(sheet.cell(first + r, c).value or ""), sheet.column_dimensions[get_column_letter(c)].width)
                for c in range(1, last + 1))
        else:
            sheet.row_dimensions[first + r].height = 42 if any(c.type == "long-text" for c in spec.columns) else 18
    for c, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(c)
        validations.add(sheet, column, f"{letter}{first}:{letter}{first + count - 1}")
    sheet.freeze_panes = sheet.cell(first, 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
