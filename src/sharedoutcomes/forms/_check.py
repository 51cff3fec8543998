"""
The profile check: what is wrong with a form profile beyond its schema.

The schema says a profile is well formed; this says whether it makes sense: every ``to``
is a target of the mapping language (see ``_targets``), every choice names a codelist the
profile defines, ids are unique, and each kind of table row has the column it cannot do
without.
"""

from __future__ import annotations

from sharedoutcomes.forms._profile import FormProfile, Question, Table
from sharedoutcomes.forms._targets import QUESTION_FIELDS, ROW_FIELDS, is_ext, is_key

__all__ = ["check_profile"]

_SLOTS = "package, organisation, activity, funding, people"


def check_profile(profile: FormProfile) -> list[str]:
    """
    What is wrong with a profile beyond its schema: unknown targets, codelists, duplicate ids.

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> check_profile(get_profile("north-ayrshire"))
        []
    """
    return [*_question_problems(profile), *_table_problems(profile), *_prose_problems(profile),
            *_anchor_problems(profile)]


def _prose_problems(profile: FormProfile) -> list[str]:
    """Each section's ``prose`` names a question, an outcome or story table, or an outcome table's column."""
    problems: list[str] = []
    questions = {q.id for _s, q in profile.questions()}
    tables = {t.id: t for _s, t in profile.tables()}
    for section in profile.sections:
        if section.prose is None:
            continue
        head, _, column = section.prose.partition(".")
        table = tables.get(head)
        if column:
            if table is None or table.row != "outcome" or column not in {c.id for c in table.columns}:
                problems.append(f"section {section.id}: prose {section.prose!r} is not a column of an outcome table")
        elif head not in questions and (table is None or table.row not in ("outcome", "story")):
            problems.append(f"section {section.id}: prose {section.prose!r} is not a question, an outcome table "
                            "or a story table")
    return problems


def _anchor_problems(profile: FormProfile) -> list[str]:
    """Each anchor names a question, a section or a table of the profile."""
    known = {q.id for _s, q in profile.questions()}
    known |= {f"section:{s.id}" for s in profile.sections} | {f"table:{t.id}" for _s, t in profile.tables()}
    problems = [f"anchor {a!r} is not a question id, 'section:<id>' or 'table:<id>' of the profile"
                for a in profile.anchors if a not in known]
    if profile.anchors_needed > len(profile.anchors):
        problems.append(f"anchors_needed is {profile.anchors_needed} but only {len(profile.anchors)} anchors are listed")
    return problems


def _question_problems(profile: FormProfile) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for section, question in profile.questions():
        where = f"section {section.id}, question {question.id!r}"
        if question.id in seen:
            problems.append(f"{where}: the id is used twice")
        seen.add(question.id)
        problems.extend(f"{where}: {p}" for p in _codelist_problems(profile, question))
        problems.extend(f"{where}: {p}" for p in _question_target_problems(question.to))
        if (question.type == "period") != question.to.endswith(".period"):
            problems.append(f"{where}: a period question's target is '<slot>.period', and only a period "
                            "question's is")
    return problems


def _question_target_problems(target: str) -> list[str]:
    slot, _, rest = target.partition(".")
    if slot == "people":
        return [] if is_key(rest) else [f"'people.' must be followed by a code, not {rest!r}"]
    if slot not in QUESTION_FIELDS:
        return [f"unknown target {target!r} (slots: {_SLOTS})"]
    if rest in QUESTION_FIELDS[slot] or is_ext(rest):
        return []
    known = ", ".join(sorted(QUESTION_FIELDS[slot]))
    return [f"unknown target {target!r} ({slot} fields: {known}, ext.<key>)"]


def _table_problems(profile: FormProfile) -> list[str]:
    problems: list[str] = []
    table_ids: set[str] = set()
    for section, table in profile.tables():
        if table.id in table_ids:
            problems.append(f"section {section.id}: table id {table.id!r} is used twice")
        table_ids.add(table.id)
        problems.extend(_column_problems(profile, table))
        needed = "narrative" if table.row == "story" else "title"
        if table.row in ("outcome", "indicator", "output", "story") and table.column_for(needed) is None:
            problems.append(f"table {table.id!r}: {table.row} rows need a {needed} column")
    return problems


def _column_problems(profile: FormProfile, table: Table) -> list[str]:
    problems: list[str] = []
    columns: set[str] = set()
    for column in table.columns:
        where = f"table {table.id!r}, column {column.id!r}"
        if column.id in columns:
            problems.append(f"{where}: the id is used twice")
        columns.add(column.id)
        problems.extend(f"{where}: {p}" for p in _codelist_problems(profile, column))
        problems.extend(f"{where}: {p}" for p in _column_target_problems(table, column.to))
    return problems


def _column_target_problems(table: Table, target: str) -> list[str]:
    if table.row == "record":
        return [] if is_key(target) else [f"a record column's target is a plain key, not {target!r}"]
    mapping = table.row == "outcome" and target.startswith("mappings.") and is_key(target[9:])
    if target in ROW_FIELDS[table.row] or is_ext(target) or mapping:
        return []
    known = ", ".join(sorted(ROW_FIELDS[table.row]))
    return [f"unknown target {target!r} for {table.row} rows ({known}, ext.<key>)"]


def _codelist_problems(profile: FormProfile, question: Question) -> list[str]:
    if question.type == "choice" and question.codelist not in profile.codelists:
        return [f"codelist {question.codelist!r} is not defined in 'codelists'"]
    return []
