"""
Loading form profiles: the bundled ones by name, your own from a JSON file, or from parsed JSON.

A profile is checked twice before it is used: against ``schemas/forms/form-profile.schema.json``
(is it well formed?) and by `check_profile` (does it make sense?).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

from jsonschema import Draft202012Validator

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import ConversionError, UnknownName
from sharedoutcomes.forms._check import check_profile
from sharedoutcomes.forms._profile import Choice, Codelist, FormProfile, Funder, Question, Section, Table

__all__ = ["get_profile", "load_profile", "profile_from_data", "profiles"]

_ROOT_NAME: Final = "forms"


def _profiles_dir() -> Any:
    return files("sharedoutcomes").joinpath("schemas", _ROOT_NAME)


@functools.cache
def _profile_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        _profiles_dir().joinpath("form-profile.schema.json").read_text(encoding="utf-8"))
    return schema


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
    where = path or "the form profile"
    _check_schema(data, where)
    profile = FormProfile(name=data["name"], title=data["title"], version=data["version"],
                          sections=tuple(_section(s) for s in data["sections"]),
                          description=data.get("description"), status=data.get("status", "example"),
                          notice=data.get("notice"), intro=data.get("intro"),
                          sources=tuple(data.get("sources", ())), funder=_funder(data.get("funder")),
                          codelists=_codelists(data.get("codelists", {})),
                          anchors=tuple(data.get("anchors", ())), anchors_needed=int(data.get("anchors_needed", 0)),
                          path=path)
    problems = check_profile(profile)
    if problems:
        msg = f"{where} is not a valid form profile: " + "; ".join(problems)
        raise ConversionError(msg)
    return profile


def _check_schema(data: Mapping[str, Any], where: str) -> None:
    validator = Draft202012Validator(_profile_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        msg = f"{where} is not a valid form profile: {json_path(list(first.absolute_path))}: {first.message}"
        raise ConversionError(msg)


def _codelists(data: Mapping[str, Any]) -> dict[str, Codelist]:
    return {
        name: Codelist(name=name, title=spec.get("title", name), open=bool(spec.get("open", False)),
                       values=tuple(Choice(code=v["code"], label=v["label"],
                                           alternatives=tuple(v.get("alternatives", ())))
                                    for v in spec["values"]))
        for name, spec in data.items()
    }


def _funder(data: Mapping[str, Any] | None) -> Funder | None:
    if data is None:
        return None
    return Funder(id=data["id"], name=data["name"], aliases=tuple(data.get("aliases", ())),
                  sector=data.get("sector", "public"), kind=data.get("kind"))


def _section(data: Mapping[str, Any]) -> Section:
    return Section(id=data["id"], title=data["title"], guidance=data.get("guidance"),
                   questions=tuple(_question(q) for q in data.get("questions", ())),
                   tables=tuple(_table(t) for t in data.get("tables", ())),
                   alternatives=tuple(data.get("alternatives", ())), prose=data.get("prose"))


def _table(data: Mapping[str, Any]) -> Table:
    return Table(id=data["id"], title=data["title"], row=data["row"],
                 columns=tuple(_question(c) for c in data["columns"]),
                 alternatives=tuple(data.get("alternatives", ())), guidance=data.get("guidance"),
                 to=data.get("to"), blank_rows=int(data.get("blank_rows", 5)))


def _question(data: Mapping[str, Any]) -> Question:
    return Question(id=data["id"], label=data["label"], type=data["type"], to=data["to"],
                    alternatives=tuple(data.get("alternatives", ())), guidance=data.get("guidance"),
                    codelist=data.get("codelist"), multiple=bool(data.get("multiple", False)),
                    required=bool(data.get("required", False)))


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
