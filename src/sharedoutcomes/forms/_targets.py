"""
The mapping language: where each answer of a form goes in the model.

Each question's or column's ``to`` says where its answer goes:

* questions: ``<slot>.<field>`` with slots ``package`` (``period.start``, ``period.end``,
  ``title``, ``description``), ``organisation`` (``name``, ``oscr``, ``id``, ``locality``,
  ``url``, ``kind``), ``activity`` (``title``, ``description``, ``locality``, ``kind``,
  ``period.start``, ``period.end``), ``funding`` (``funder``, ``fund``, ``amount``,
  ``grant_id``, ``period.start``, ``period.end``) and ``people.<code>`` (a value of the
  "people supported" count evidence); ``<slot>.ext.<key>`` keeps an answer in the slot's
  ``extension_data["form"]``;
* columns: a field of the table's row kind (`ROW_FIELDS`), or ``ext.<key>``; outcome
  columns also ``mappings.<framework>``; a record table's columns are plain keys.

Example:
    >>> sorted(QUESTION_FIELDS["package"])
    ['description', 'period', 'period.end', 'period.start', 'title']
    >>> is_key("national_outcomes"), is_key("National Outcomes")
    (True, False)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

__all__ = ["EXTENSION", "EXTENSION_DECLARATION", "QUESTION_FIELDS", "ROW_FIELDS", "SLOT_PATHS", "is_ext",
           "is_key"]

EXTENSION: Final = "form"
"""The name of the extension under which answers without a model field are kept."""

EXTENSION_DECLARATION: Final = {
    "name": EXTENSION,
    "version": "0.1",
    "description": "Answers from a funder's monitoring and evaluation form that have no field in the model "
    "(under their question ids), and answers to questions the form profile does not know ('unmapped', "
    "each with where it was found).",
}
"""How a package declares the ``form`` extension."""

QUESTION_FIELDS: Final[Mapping[str, frozenset[str]]] = {
    "package": frozenset({"period", "period.start", "period.end", "title", "description"}),
    "organisation": frozenset({"name", "oscr", "id", "locality", "url", "kind"}),
    "activity": frozenset({"title", "description", "locality", "kind", "period.start", "period.end"}),
    "funding": frozenset({"funder", "fund", "amount", "grant_id", "period.start", "period.end"}),
}
"""The fields each question slot offers (``people.<code>`` and ``<slot>.ext.<key>`` besides)."""

ROW_FIELDS: Final[Mapping[str, frozenset[str]]] = {
    "outcome": frozenset({"ref", "title", "description", "pathway", "evidence"}),
    "indicator": frozenset({"outcome", "title", "description", "unit", "baseline", "target", "actual",
                            "instrument"}),
    "output": frozenset({"title", "planned", "actual", "unit"}),
    "story": frozenset({"kind", "title", "narrative", "outcomes", "consent", "date"}),
}
"""The fields each kind of table row offers (outcomes also ``mappings.<framework>``; all ``ext.<key>``)."""

SLOT_PATHS: Final[Mapping[str, tuple[str | int, ...]]] = {
    "package": (),
    "organisation": ("organisations", 0),
    "activity": ("activities", 0),
    "funding": ("activities", 0, "funding", 0),
}
"""Where each question slot is in the package document (the start of its JSONPath)."""

_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")


def is_key(text: str) -> bool:
    """Whether *text* is a plain key (``national_outcomes``)."""
    return _KEY.match(text) is not None


def is_ext(target: str) -> bool:
    """Whether *target* is ``ext.<key>``."""
    return target.startswith("ext.") and is_key(target[4:])
