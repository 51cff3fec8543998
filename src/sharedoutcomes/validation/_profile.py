"""Validation profiles: a consumer's choice of severities, without touching the standard."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import attrs
from attrs import field, frozen

from sharedoutcomes.exceptions import ConversionError, UnknownRule
from sharedoutcomes.problems import Problem, SourceLocation, catalogue, families
from sharedoutcomes.validation._catalogue import SEMANTIC, gradable

__all__ = ["Action", "ValidationProfile"]

Action = Literal["error", "warning", "off"]


@frozen(kw_only=True)
class ValidationProfile:
    """
    A consumer's choice of severities: turn a problem into a warning, an error, or off.

    Any catalogued problem can be re-graded, the semantic rules' and the converters' alike
    (``form.unmapped-answer``, ``star.missing-score`` …), except the schema's own (``schema.*``),
    which are the standard itself: a document that breaks them cannot become a model object.
    `sharedoutcomes.validate` applies the profile to what it finds; `apply` applies it to any
    problems, such as a conversion's.

    Example:
        >>> profile = ValidationProfile(severities={"org-id-prefix": "off", "form.unmapped-answer": "error"})
        >>> profile.severity_of("org-id-prefix"), profile.severity_of("form.unmapped-answer")
        ('off', 'error')
        >>> profile.severity_of("form.not-a-number")  # unchanged: its default
        'error'
    """

    name: str = "custom"
    severities: Mapping[str, Action] = field(factory=dict)

    @severities.validator
    def _check(self, _attribute: attrs.Attribute[Any], value: Mapping[str, str]) -> None:
        allowed = gradable()
        for rule, action in value.items():
            if rule.startswith("schema."):
                msg = f"{rule!r} is a schema rule; a profile can only change semantic rules and converters' problems"
                raise UnknownRule(rule, known=families()[SEMANTIC].ids) from ValueError(msg)
            if rule not in allowed:
                raise UnknownRule(rule, known=allowed)
            if action not in ("error", "warning", "off"):
                msg = f"the action for {rule!r} must be 'error', 'warning' or 'off', not {action!r}"
                raise ValueError(msg)

    def severity_of(self, rule: str) -> Action:
        """The severity a problem has under this profile: its catalogued default unless changed."""
        if rule in self.severities:
            return self.severities[rule]
        default = catalogue().get(rule)
        return default.severity if default is not None else "error"

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ValidationProfile:
        r"""
        Read a profile from JSON or TOML: ``{"name": "...", "severities": {"rule-id": "warning"}}``.

        Example:
            >>> import tempfile, pathlib
            >>> p = pathlib.Path(tempfile.mkdtemp()) / "strict.toml"
            >>> _ = p.write_text('name = "strict"\n[severities]\norg-id-prefix = "error"\n')
            >>> ValidationProfile.from_file(p).severity_of("org-id-prefix")
            'error'
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
        except (OSError, ValueError) as error:
            msg = f"cannot read the validation profile: {error}"
            raise ConversionError(msg, source=SourceLocation(file=str(path))) from None
        if not isinstance(data, dict) or not isinstance(data.get("severities", {}), dict):
            msg = "a validation profile is an object with a 'severities' object of rule id → error|warning|off"
            raise ConversionError(msg, source=SourceLocation(file=str(path)))
        return cls(name=str(data.get("name", path.stem)), severities=data.get("severities", {}))

    def apply(self, problems: Iterable[Problem]) -> Iterator[Problem]:
        """
        Yield *problems* with this profile's severities; drop those turned off.

        Example:
            >>> problem = Problem(rule="form.not-a-number", severity="error", path="$", message="'five' is not a number")
            >>> [p.severity for p in ValidationProfile(severities={"form.not-a-number": "warning"}).apply([problem])]
            ['warning']
        """
        for problem in problems:
            action = self.severities.get(problem.rule)
            if action is None:
                yield problem
            elif action != "off":
                yield attrs.evolve(problem, severity=action)
