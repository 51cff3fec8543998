"""
Funders' monitoring and evaluation forms: read completed ones, write blank and filled ones.

A form is described by a declarative `FormProfile` (a JSON file validated by
``schemas/forms/form-profile.schema.json``): its sections, questions, answer types,
repeating tables, and where each answer goes in the model. Two profiles ship:
``north-ayrshire`` (sharedoutcomes' rendition of an Integrated Care Fund monitoring and
evaluation return, inferred from public equivalents: not an official copy) and
``harmonising-reporting`` (the Scotland Funders' Forum template). A partnership with a
different form writes a profile, not code.

Example:
    >>> import tempfile, pathlib
    >>> profile = get_profile("north-ayrshire")
    >>> profile.section("F").title
    'Outcomes and indicators'
    >>> blank = pathlib.Path(tempfile.mkdtemp()) / "return.docx"
    >>> template(profile, blank, format="docx")
    >>> result = read_form(blank, profile=profile)
    >>> sorted({p.rule for p in result.problems if p.rule.startswith("form.")})
    ['form.required']
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator, Mapping
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from attrs import field, frozen

from sharedoutcomes.exceptions import ConversionError, Problem, SharedOutcomesError, UnknownName

if TYPE_CHECKING:
    from sharedoutcomes.converters import ConversionResult
    from sharedoutcomes.model import Package

__all__ = [
    "FORM_RULES",
    "AnswerType",
    "BatchResult",
    "Choice",
    "Codelist",
    "FileResult",
    "FormProfile",
    "Funder",
    "Question",
    "Section",
    "Table",
    "convert_folder",
    "get_profile",
    "load_profile",
    "profiles",
    "read_form",
    "template",
    "write_form",
]

AnswerType = Literal["text", "long-text", "number", "money", "percentage", "date", "choice", "yes-no"]
"""What kind of answer a question takes."""

FORM_RULES: Final[Mapping[str, str]] = {
    "form.required": "A required question has no answer (error).",
    "form.not-a-number": "A number answer is not a number (error).",
    "form.not-money": "A money answer is not an amount in pounds (error).",
    "form.not-a-date": "A date answer is not a date (error).",
    "form.impossible-date": "A date answer is not a real date, such as 31/02/2024 (error).",
    "form.percentage-over-100": "A percentage is over 100 (error).",
    "form.choice-unknown": "A choice is not on its list, such as a National Outcome outside 1–9 (error).",
    "form.not-yes-no": "A yes/no answer is neither (error).",
    "form.outcome-unknown": "An indicator or story names an outcome number the form does not have (error).",
    "form.actual-without-target": "An indicator has an actual but no target (warning).",
    "form.oscr-number": "A charity number is not an OSCR number, SC and six digits (warning).",
    "form.duplicate-answer": "A question is answered twice; the second answer is kept as unmapped (warning).",
    "form.unmapped-answer": "An answer to a question the profile does not know, kept in extension data (warning).",
    "form.not-written": "write_form: evidence the form has no place for (warning).",
    "form.file-unreadable": "convert_folder: a file that could not be read at all (error).",
}
"""The stable rule ids of the problems form reading reports, with what each means."""

_ROOT_NAME: Final = "forms"


@frozen(kw_only=True)
class Choice:
    """
    One allowed answer of a codelist.

    Example:
        >>> Choice(code="green", label="Green", alternatives=("G",)).label
        'Green'
    """

    code: str
    label: str
    alternatives: tuple[str, ...] = ()


@frozen(kw_only=True)
class Codelist:
    """
    A list of allowed answers, for choice questions.

    Example:
        >>> get_profile("north-ayrshire").codelists["rag"].labels()
        ('Green', 'Amber', 'Red')
    """

    name: str
    title: str
    values: tuple[Choice, ...]
    open: bool = False

    def labels(self) -> tuple[str, ...]:
        """The labels, in order (what a drop-down offers)."""
        return tuple(c.label for c in self.values)

    def label_of(self, code: str) -> str:
        """The label of *code* (the code itself when the list does not have it)."""
        return next((c.label for c in self.values if c.code == code), code)


@frozen(kw_only=True)
class Question:
    """
    A question of a section, or a column of a repeating table.

    Attributes:
        id: Unique within the profile (within its table, for a column).
        label: The question as the form prints it.
        alternatives: Other labels accepted for it.
        guidance: Short guidance printed with it.
        type: The answer type.
        codelist: For a choice, the name of its codelist.
        multiple: For a choice, whether several answers may be given.
        required: Whether a blank answer is an error.
        to: Where the answer goes in the model (the mapping language).

    Example:
        >>> get_profile("north-ayrshire").question("oscr").to
        'organisation.oscr'
    """

    id: str
    label: str
    type: AnswerType
    to: str
    alternatives: tuple[str, ...] = ()
    guidance: str | None = None
    codelist: str | None = None
    multiple: bool = False
    required: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """The label and its alternatives."""
        return (self.label, *self.alternatives)


@frozen(kw_only=True)
class Table:
    """
    A repeating table: outcomes, indicators, activities, case studies, budget lines.

    Example:
        >>> get_profile("north-ayrshire").table("indicators").column("target").type
        'number'
    """

    id: str
    title: str
    row: Literal["outcome", "indicator", "output", "story", "record"]
    columns: tuple[Question, ...]
    alternatives: tuple[str, ...] = ()
    guidance: str | None = None
    to: str | None = None
    blank_rows: int = 5

    def column(self, column_id: str) -> Question:
        """The column called *column_id*."""
        for column in self.columns:
            if column.id == column_id:
                return column
        raise UnknownName(column_id, known=[c.id for c in self.columns], what="column")

    def column_for(self, target: str) -> Question | None:
        """The column whose answers go to *target* (``title``, ``target`` …), if any."""
        return next((c for c in self.columns if c.to == target), None)


@frozen(kw_only=True)
class Section:
    """
    A section of a form: questions, then repeating tables.

    Example:
        >>> get_profile("north-ayrshire").section("A").questions[0].label
        'Organisation name'
    """

    id: str
    title: str
    guidance: str | None = None
    questions: tuple[Question, ...] = ()
    tables: tuple[Table, ...] = ()

    @property
    def heading(self) -> str:
        """The heading the form prints: ``Section A: Organisation``."""
        return f"Section {self.id}: {self.title}"


@frozen(kw_only=True)
class Funder:
    """The organisation that issues a form."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    sector: str = "public"
    kind: str | None = None


@frozen(kw_only=True)
class FormProfile:
    """
    A declarative description of a funder's form (load one with `get_profile` or `load_profile`).

    Example:
        >>> profile = get_profile("harmonising-reporting")
        >>> [s.title for s in profile.sections][:2]
        ['About the project', 'What we expected to do']
    """

    name: str
    title: str
    version: str
    sections: tuple[Section, ...]
    description: str | None = None
    status: str = "example"
    notice: str | None = None
    intro: str | None = None
    sources: tuple[str, ...] = ()
    funder: Funder | None = None
    codelists: Mapping[str, Codelist] = field(factory=dict)
    path: str | None = field(default=None, eq=False)

    def section(self, section_id: str) -> Section:
        """The section with id *section_id* (``"F"``)."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise UnknownName(section_id, known=[s.id for s in self.sections], what="section")

    def questions(self) -> Iterator[tuple[Section, Question]]:
        """Every question with its section, in form order."""
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def tables(self) -> Iterator[tuple[Section, Table]]:
        """Every repeating table with its section, in form order."""
        for section in self.sections:
            for table in section.tables:
                yield section, table

    def question(self, question_id: str) -> Question:
        """The question with id *question_id*."""
        for _section, question in self.questions():
            if question.id == question_id:
                return question
        raise UnknownName(question_id, known=[q.id for _s, q in self.questions()], what="question")

    def question_for(self, target: str) -> Question | None:
        """The question whose answer goes to *target* (``organisation.name`` …), if any."""
        return next((q for _s, q in self.questions() if q.to == target), None)

    def table(self, table_id: str) -> Table:
        """The repeating table with id *table_id*."""
        for _section, table in self.tables():
            if table.id == table_id:
                return table
        raise UnknownName(table_id, known=[t.id for _s, t in self.tables()], what="table")

    def table_for(self, row: str) -> Table | None:
        """The first table whose rows are of kind *row* (``outcome``, ``story`` …), if any."""
        return next((t for _s, t in self.tables() if t.row == row), None)

    def section_of(self, item: Question | Table) -> Section:
        """The section a question or table belongs to."""
        for section in self.sections:
            if item in section.questions or item in section.tables:
                return section
        raise LookupError(item)  # pragma: no cover - items always come from the profile


# -- loading -----------------------------------------------------------------------------------


def _profiles_dir() -> Any:
    return files("sharedoutcomes").joinpath("schemas", _ROOT_NAME)


@functools.cache
def _profile_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        _profiles_dir().joinpath("form-profile.schema.json").read_text(encoding="utf-8"))
    return schema


def _question(data: Mapping[str, Any]) -> Question:
    return Question(id=data["id"], label=data["label"], type=data["type"], to=data["to"],
                    alternatives=tuple(data.get("alternatives", ())), guidance=data.get("guidance"),
                    codelist=data.get("codelist"), multiple=bool(data.get("multiple", False)),
                    required=bool(data.get("required", False)))


def profile_from_data(data: Mapping[str, Any], *, path: str | None = None) -> FormProfile:
    """
    Build a profile from parsed JSON, checking it against the profile schema first.

    Raises:
        ConversionError: The data is not a valid form profile (the message says where).

    Example:
        >>> data = {"name": "tiny", "title": "Tiny form", "version": "1", "sections": [{"id": "A",
        ...         "title": "About", "questions": [{"id": "org_name", "label": "Organisation",
        ...         "type": "text", "to": "organisation.name"}]}]}
        >>> profile_from_data(data).question("org_name").label
        'Organisation'
    """
    import jsonschema

    from sharedoutcomes.forms import _map as _forms_map

    validator = jsonschema.Draft202012Validator(_profile_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    where = path or "the form profile"
    if errors:
        first = errors[0]
        location = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first.absolute_path)
        msg = f"{where} is not a valid form profile: {location}: {first.message}"
        raise ConversionError(msg)
    codelists = {
        name: Codelist(name=name, title=spec.get("title", name), open=bool(spec.get("open", False)),
                       values=tuple(Choice(code=v["code"], label=v["label"],
                                           alternatives=tuple(v.get("alternatives", ())))
                                    for v in spec["values"]))
        for name, spec in data.get("codelists", {}).items()
    }
    funder = None
    if "funder" in data:
        f = data["funder"]
        funder = Funder(id=f["id"], name=f["name"], aliases=tuple(f.get("aliases", ())),
                        sector=f.get("sector", "public"), kind=f.get("kind"))
    sections = tuple(
        Section(id=s["id"], title=s["title"], guidance=s.get("guidance"),
                questions=tuple(_question(q) for q in s.get("questions", ())),
                tables=tuple(Table(id=t["id"], title=t["title"], row=t["row"],
                                   columns=tuple(_question(c) for c in t["columns"]),
                                   alternatives=tuple(t.get("alternatives", ())), guidance=t.get("guidance"),
                                   to=t.get("to"), blank_rows=int(t.get("blank_rows", 5)))
                             for t in s.get("tables", ())))
        for s in data["sections"]
    )
    profile = FormProfile(name=data["name"], title=data["title"], version=data["version"], sections=sections,
                          description=data.get("description"), status=data.get("status", "example"),
                          notice=data.get("notice"), intro=data.get("intro"),
                          sources=tuple(data.get("sources", ())), funder=funder, codelists=codelists, path=path)
    problems = _forms_map.check_profile(profile)
    if problems:
        msg = f"{where} is not a valid form profile: " + "; ".join(problems)
        raise ConversionError(msg)
    return profile


def load_profile(path: str | os.PathLike[str]) -> FormProfile:
    """
    Load a form profile from a JSON file (your own form's profile).

    Raises:
        ConversionError: The file is not JSON or not a valid profile.

    Example:
        >>> from importlib.resources import files
        >>> path = files("sharedoutcomes").joinpath("schemas", "forms", "north-ayrshire.json")
        >>> load_profile(str(path)).name
        'north-ayrshire'
    """
    target = Path(path)
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        msg = f"{target.name}: cannot read the form profile: {error}"
        raise ConversionError(msg) from None
    return profile_from_data(data, path=str(target))


@functools.cache
def _builtin_profiles() -> dict[str, FormProfile]:
    out = {}
    for entry in sorted(_profiles_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json") and not entry.name.endswith(".schema.json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            out[data["name"]] = profile_from_data(data, path=entry.name)
    return out


def profiles() -> tuple[str, ...]:
    """
    The names of the bundled form profiles.

    Example:
        >>> profiles()
        ('harmonising-reporting', 'north-ayrshire')
    """
    return tuple(sorted(_builtin_profiles()))


def get_profile(name: str | os.PathLike[str] | FormProfile) -> FormProfile:
    """
    A bundled profile by name, or a profile file by path (a profile is returned as it is).

    Raises:
        UnknownName: No bundled profile has that name (with a did-you-mean).

    Example:
        >>> get_profile("north-ayrshire").title
        'Integrated Care Fund monitoring and evaluation return'
        >>> get_profile("north-ayshire")
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.UnknownName: No form profile is called 'north-ayshire'. Did you mean 'north-ayrshire'?
    """
    if isinstance(name, FormProfile):
        return name
    text = os.fspath(name)
    if text.endswith(".json") or os.sep in text or "/" in text:
        return load_profile(text)
    try:
        return _builtin_profiles()[text]
    except KeyError:
        raise UnknownName(text, known=profiles(), what="form profile") from None


# -- reading and writing ----------------------------------------------------------------------


def _kind(path: Path, format: str | None = None) -> str:
    kind = (format or path.suffix.lstrip(".")).lower()
    if kind in ("docm", "dotm", "xlsm", "xltm"):
        msg = "macro-enabled documents are not accepted: save the form as .docx or .xlsx"
        raise ConversionError(msg, source=_location(path))
    if kind not in ("docx", "xlsx", "json"):
        msg = f"a form must be a .docx, .xlsx or .json file, not {path.suffix or 'a file without an extension'!r}"
        raise ConversionError(msg, source=_location(path))
    return kind


def _location(path: Path) -> Any:
    from sharedoutcomes.exceptions import SourceLocation

    return SourceLocation(file=path.name)


def read_form(source: str | os.PathLike[str], *, profile: str | os.PathLike[str] | FormProfile = "north-ayrshire",
              format_name: str | None = None, **options: Any) -> ConversionResult:
    """
    Read a completed form (``.docx``, ``.xlsx`` or ``.json``) into a package.

    Answers are found by their question labels, so reordered sections, extra or blank
    rows, merged cells and changed wording are fine. Bad answers are problems located on the
    form; everything else still converts. Answers to questions the profile does not know are
    kept under ``extension_data["form"]["unmapped"]``.

    Args:
        source: The file.
        profile: A profile name, a path to a profile file, or a `FormProfile`.
        format_name: The registered format name recorded in provenance (default: the profile's name).
        **options: ``produced`` (RFC 3339; default: the sign-off date, else now),
            ``sharing_level`` (default ``"partners"``), ``package_id``, ``max_bytes``.

    Raises:
        ConversionError: The file cannot be read at all, is unsafe (macros, external
            references, a decompression bomb, too big), or is not this form.

    Example:
        >>> import tempfile, pathlib
        >>> blank = pathlib.Path(tempfile.mkdtemp()) / "return.xlsx"
        >>> template("north-ayrshire", blank, format="xlsx")
        >>> read_form(blank).format
        'north-ayrshire'
    """
    from sharedoutcomes.forms import _map as _forms_map
    from sharedoutcomes.forms import _safety as _forms_safety

    chosen = get_profile(profile)
    path = Path(source)
    kind = _kind(path)
    max_bytes = options.pop("max_bytes", _forms_safety.MAX_FILE_BYTES)
    _forms_safety.check_file(path, kind=kind, max_bytes=max_bytes)
    grids: list[Any]
    if kind == "docx":
        from sharedoutcomes.forms import _docx as _forms_docx

        grids = _forms_docx.read_grids(path, chosen)
    elif kind == "xlsx":
        from sharedoutcomes.forms import _xlsx as _forms_xlsx

        grids = _forms_xlsx.read_grids(path, chosen)
    else:
        grids = _forms_map.json_grids(path, chosen)
    return _forms_map.convert_grids(grids, chosen, file=path.name, format_name=format_name or chosen.name,
                                    **options)


def write_form(package: Package, destination: str | os.PathLike[str], *,
               profile: str | os.PathLike[str] | FormProfile = "north-ayrshire", organisation_id: str | None = None,
               format: str | None = None) -> tuple[Problem, ...]:
    """
    Write one organisation's part of *package* as a filled form (``.docx``, ``.xlsx`` or ``.json``).

    Reading the written form gives the same package back (see the round-trip tests).

    Args:
        package: The package.
        destination: The file to write; its extension picks the format unless *format* is given.
        profile: The form to fill.
        organisation_id: Whose return to write (default: the package's publisher, else the first
            third-sector organisation).
        format: ``"docx"``, ``"xlsx"`` or ``"json"``.

    Returns:
        A warning for everything in that organisation's part of the package that the form has
        no place for (nothing is left out silently).

    Example:
        >>> import tempfile, pathlib
        >>> from sharedoutcomes import example_package
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "shed.docx"
        >>> left_out = write_form(example_package(), target, organisation_id="GB-SC-SC045123")
        >>> read_form(target).package.organisations[0].name
        "Garnock Valley Men's Shed"
    """
    from sharedoutcomes.forms import _map as _forms_map

    chosen = get_profile(profile)
    path = Path(destination)
    kind = _kind(path, format)
    content, problems = _forms_map.package_to_content(package, chosen, organisation_id=organisation_id)
    _render(chosen, content, path, kind)
    return tuple(problems)


def _render(profile: FormProfile, content: Any, path: Path, kind: str) -> None:
    from sharedoutcomes.forms import _map as _forms_map

    if kind == "docx":
        from sharedoutcomes.forms import _docx as _forms_docx

        _forms_docx.render(profile, content, path)
    elif kind == "xlsx":
        from sharedoutcomes.forms import _xlsx as _forms_xlsx

        _forms_xlsx.render(profile, content, path)
    else:
        path.write_text(json.dumps(_forms_map.content_to_json(profile, content), indent=2, ensure_ascii=False)
                        + "\n", encoding="utf-8")


def template(profile: str | os.PathLike[str] | FormProfile, destination: str | os.PathLike[str], *,
             format: Literal["docx", "xlsx", "json"] | None = None) -> None:
    """
    Write a blank, fillable form: labelled questions with guidance, tables with room for rows.

    In XLSX, answers have drop-downs (choices, yes/no, National Outcomes 1–9, RAG status)
    and date-formatted cells.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "blank.xlsx"
        >>> template("north-ayrshire", target)
        >>> target.stat().st_size > 0
        True
    """
    from sharedoutcomes.forms import _map as _forms_map

    chosen = get_profile(profile)
    path = Path(destination)
    _render(chosen, _forms_map.FormContent(), path, _kind(path, format))


# -- folders -----------------------------------------------------------------------------------


@frozen(kw_only=True)
class FileResult:
    """
    What happened to one file of a folder: its conversion, or why it could not be read.

    Example:
        >>> FileResult(file="a.docx", error="not a form").ok
        False
    """

    file: str
    result: ConversionResult | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file converted without errors."""
        return self.result is not None and self.result.ok

    def summary(self) -> str:
        """One line: the file, and its errors and warnings (or why it failed)."""
        if self.result is None:
            return f"{self.file}: not converted: {self.error}"
        errors = sum(p.severity == "error" for p in self.result.problems)
        warnings = len(self.result.problems) - errors
        return f"{self.file}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


@frozen(kw_only=True)
class BatchResult:
    """
    A folder of returns: the merged partnership package and each file's result.

    Attributes:
        package: Every file's package merged into one (None when no file converted).
        files: One `FileResult` per file, in name order.
        problems: Every file's problems (each names its file) and the merge's.

    Example:
        >>> BatchResult(package=None, files=()).ok
        True
    """

    package: Package | None
    files: tuple[FileResult, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every file converted and nothing has errors."""
        return all(f.result is not None for f in self.files) and not any(
            p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        """The per-file summary, one line each."""
        return "\n".join(f.summary() for f in self.files)


_FORM_SUFFIXES: Final = (".docx", ".xlsx", ".json", ".docm", ".xlsm")


def convert_folder(folder: str | os.PathLike[str], *,
                   profile: str | os.PathLike[str] | FormProfile = "north-ayrshire",
                   progress: bool | None = None, id: str | None = None, title: str | None = None,
                   publisher: str | None = None, format_name: str | None = None,
                   on_file: Callable[[FileResult], None] | None = None, **options: Any) -> BatchResult:
    """
    Convert every form in *folder* into one partnership package; no file's failure stops the others.

    Args:
        folder: A folder of completed forms (``.docx``, ``.xlsx``, ``.json``; other files are skipped).
        profile: The form's profile.
        progress: Show a progress bar on standard error (default: only when it is a terminal).
        id: The merged package's id (default: ``<profile>-returns``).
        title: Its title (default: from the profile's title).
        publisher: Its publisher (default: the profile's funder).
        format_name: The format name recorded in provenance.
        on_file: Called with each file's result as soon as it is done.
        **options: Passed to `read_form` for every file.

    Example:
        >>> import tempfile, pathlib
        >>> from sharedoutcomes import example_package
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = write_form(example_package(), folder / "shed.docx", organisation_id="GB-SC-SC045123")
        >>> _ = write_form(example_package(), folder / "carers.xlsx", organisation_id="GB-SC-SC038977")
        >>> batch = convert_folder(folder, progress=False)
        >>> print(batch.summary())
        carers.xlsx: 0 errors, 0 warnings
        shed.docx: 0 errors, 0 warnings
        >>> len(batch.package.activities)
        2
    """
    from sharedoutcomes._util.progress import Progress
    from sharedoutcomes.forms import _map as _forms_map

    chosen = get_profile(profile)
    root = Path(folder)
    if not root.is_dir():
        msg = f"{root} is not a folder"
        raise ConversionError(msg)
    paths = sorted(p for p in root.iterdir()
                   if p.is_file() and p.suffix.lower() in _FORM_SUFFIXES and not p.name.startswith(("~$", ".")))
    results: list[FileResult] = []
    bar = Progress(len(paths), label=f"Reading {chosen.name} forms", enabled=progress)
    try:
        for path in paths:
            bar.update(note=path.name)
            try:
                result = read_form(path, profile=chosen, format_name=format_name, **options)
                item = FileResult(file=path.name, result=result)
            except (SharedOutcomesError, OSError) as error:
                item = FileResult(file=path.name, error=getattr(error, "message", None) or str(error))
            except Exception as error:
                item = FileResult(file=path.name, error=f"{type(error).__name__}: {error}")
            results.append(item)
            if on_file is not None:
                on_file(item)
    finally:
        bar.close()
    return _forms_map.merge_results(results, chosen, id=id, title=title, publisher=publisher)

