"""
One answer, both ways: parse what a person typed by its question's type, and show a value as the form prints it.

Each answer type has one parser and one way of showing it, wired in a table
(`parse_answer`, `display`); the readers and writers of every file kind share them, so
what `display` writes, `parse_answer` reads back as the same value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Final

from sharedoutcomes.forms import _values as fv
from sharedoutcomes.forms._profile import Codelist, FormProfile, Question

__all__ = ["display", "parse_answer"]


def _parse_text(raw: Any) -> str:
    return raw.strip() if isinstance(raw, str) else fv.to_text(raw)


_PARSERS: Final[Mapping[str, Callable[[Any], Any]]] = {
    "text": _parse_text,
    "long-text": _parse_text,
    "number": fv.parse_number,
    "money": fv.parse_money,
    "percentage": fv.parse_percentage,
    "date": fv.parse_date,
    "yes-no": fv.parse_yes_no,
    "period": fv.parse_period,
}
"""The parser of each answer type but ``choice`` (which needs the profile's codelist)."""


def parse_answer(profile: FormProfile, question: Question, raw: Any) -> Any:
    """
    Parse one non-blank answer by its question's type.

    Raises:
        FormValueError: The answer is not of that type (the rule id says how).

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> profile = get_profile("north-ayrshire")
        >>> parse_answer(profile, profile.question("nhwo"), "1, 4 and 6")
        ['1', '4', '6']
    """
    parser = _PARSERS.get(question.type)
    return parser(raw) if parser is not None else _parse_choice(profile, question, raw)


def _parse_choice(profile: FormProfile, question: Question, raw: Any) -> Any:
    codelist = profile.codelists[question.codelist or ""]
    parts = fv.split_choices(raw) if question.multiple else [fv.to_text(raw)]
    codes: list[str] = []
    for part in parts:
        code = _choice_code(codelist, part, multiple=question.multiple, several=len(parts) > 1)
        if code not in codes:
            codes.append(code)
    return codes if question.multiple else codes[0]


def _choice_code(codelist: Codelist, part: str, *, multiple: bool, several: bool) -> str:
    choices = [(c.code, c.label, c.alternatives) for c in codelist.values]
    code = fv.match_choice(part, choices)
    if code is None and multiple and " " in part:
        code = fv.match_choice(part.split(maxsplit=1)[0], choices)
    if code is not None:
        return code
    if codelist.open:
        return part
    allowed = (f"{codelist.values[0].code}–{codelist.values[-1].code}"
               if all(c.code.isdigit() for c in codelist.values)
               else ", ".join(codelist.labels()))
    reason = f"is not on the {codelist.title} list ({allowed})"
    if several:
        reason = f"has {part!r}, which is not on the {codelist.title} list ({allowed})"
    raise fv.FormValueError("form.choice-unknown", reason)


# -- showing ------------------------------------------------------------------------------------


def _show_money(_profile: FormProfile, _question: Question, value: Any) -> str | None:
    return fv.format_money(value) if isinstance(value, int | float) else None


def _show_number(_profile: FormProfile, _question: Question, value: Any) -> str | None:
    return fv.format_number(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _show_percentage(_profile: FormProfile, _question: Question, value: Any) -> str | None:
    return fv.format_number(value) + "%" if isinstance(value, int | float) else None


def _show_date(_profile: FormProfile, _question: Question, value: Any) -> str | None:
    if isinstance(value, dt.date):
        return fv.format_date(value)
    if isinstance(value, str):
        try:
            return fv.format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return None


def _show_yes_no(_profile: FormProfile, _question: Question, value: Any) -> str | None:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return None


def _show_period(_profile: FormProfile, _question: Question, value: Any) -> str | None:
    if isinstance(value, list | tuple) and len(value) == 2:
        shown = [_show_date(_profile, _question, v) or str(v) for v in value]
        return f"{shown[0]} to {shown[1]}"
    return None


def _show_choice(profile: FormProfile, question: Question, value: Any) -> str | None:
    if question.codelist not in profile.codelists or isinstance(value, list | tuple):
        return None
    return profile.codelists[question.codelist or ""].label_of(str(value))


_SHOWN: Final[Mapping[str, Callable[[FormProfile, Question, Any], str | None]]] = {
    "money": _show_money,
    "number": _show_number,
    "percentage": _show_percentage,
    "date": _show_date,
    "yes-no": _show_yes_no,
    "choice": _show_choice,
    "period": _show_period,
}
"""How each answer type shows its values (None: a value of another kind, shown as plain text)."""


def display(profile: FormProfile, question: Question, value: Any) -> str:
    """
    An answer as the text a form shows (the readers parse it back to the same value).

    Example:
        >>> from sharedoutcomes.forms import get_profile
        >>> profile = get_profile("north-ayrshire")
        >>> display(profile, profile.question("amount_awarded"), 18500)
        '£18,500'
        >>> display(profile, profile.question("report_type"), "quarterly")
        'Quarterly'
    """
    if value is None:
        return ""
    show = _SHOWN.get(question.type)
    shown = show(profile, question, value) if show is not None else None
    if shown is not None:
        return shown
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
