"""The problem catalogue as validation answers questions about it: the semantic rules, and what any id means."""

from __future__ import annotations

from sharedoutcomes.exceptions import UnknownRule
from sharedoutcomes.problems import ProblemType, catalogue, families

__all__ = ["SEMANTIC", "explain", "gradable", "rules"]

SEMANTIC = "semantic"
"""The family of the semantic rules, the second layer of validation."""


def rules() -> dict[str, str]:
    """
    Every semantic rule id with what it checks (schema rules are ``schema.<keyword>``).

    The full catalogue, with every converter's problems too, is `sharedoutcomes.problems.catalogue`
    (or ``sharedoutcomes rules`` on the command line); `explain` answers for one id.

    Example:
        >>> rules()["period-order"]
        'A period does not end before it starts.'
    """
    kinds = catalogue()
    return {rule: kinds[rule].summary for rule in families()[SEMANTIC].ids}


def explain(rule: str) -> ProblemType:
    """
    What the problem id *rule* means: its family, default severity, summary, explanation, example and remedy.

    Raises:
        UnknownRule: No problem has that id (also a `LookupError`); the message suggests the closest.

    Example:
        >>> explain("form.not-a-number").summary
        'A number answer is not a number.'
        >>> explain("form.not-a-numbr")
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.UnknownRule: No problem is called 'form.not-a-numbr'. Did you mean 'form.not-a-number'?
    """
    kinds = catalogue()
    if rule not in kinds:
        raise UnknownRule(rule, known=tuple(kinds), what="problem")
    return kinds[rule]


def gradable() -> tuple[str, ...]:
    """
    The ids a validation profile may re-grade: every catalogued id but the schema's own (``schema.*``).

    Example:
        >>> "form.unmapped-answer" in gradable(), "schema.required" in gradable()
        (True, False)
    """
    return tuple(rule for rule, kind in catalogue().items() if kind.family != "schema")
