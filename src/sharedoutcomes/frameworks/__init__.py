"""
Outcome frameworks as published reference data: a typed registry.

Each framework is a data file under ``schemas/frameworks/<id>.json`` (schema
``frameworks/framework.schema.json``), so other tools can use the same lists.
The bundled frameworks are:

- ``scot-nhwo``: the nine National Health and Wellbeing Outcomes, in their statutory wording (codes ``"1"``–``"9"``);
- ``scot-core-suite``: the 23 Core Suite Integration Indicators (codes ``"1"``–``"23"``);
- ``scot-npf-2018`` and ``scot-npf-2024``: the National Performance Framework's National Outcomes, two versions;
- ``talking-points``: Talking Points personal outcomes for people who use services and for carers;
- ``eng-ascof``: England's Adult Social Care Outcomes Framework (domains, objectives, measures).

Items the sources do not confirm carry ``confirmed=False`` and a note. Register your own
framework (an HSCP's strategic priorities) from a data file with `load_framework` and
`FrameworkRegistry.with_framework`.

Example:
    >>> nhwo = get_framework("scot-nhwo")
    >>> nhwo.item("6").title[:47]
    'People who provide unpaid care are supported to'
    >>> match_title("scot-nhwo", "Health and social care services contribute to reducing health inequalities").code
    '5'
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator, Mapping
from importlib.resources.abc import Traversable
from typing import Any, Final

from attrs import field, frozen

from sharedoutcomes import _codelists, _refdata
from sharedoutcomes._util.paths import json_path
from sharedoutcomes.exceptions import Problem, SourceLocation, UnknownName

__all__ = [
    "FRAMEWORK_STATUSES",
    "Framework",
    "FrameworkItem",
    "FrameworkRegistry",
    "Source",
    "default_registry",
    "framework_from_data",
    "frameworks",
    "get_framework",
    "load_framework",
    "match_title",
    "normalise_title",
]

FRAMEWORK_STATUSES: Final = tuple(code.code for code in _codelists.CODELISTS["framework-statuses"].codes)
"""The statuses a framework may have (codelist ``framework-statuses``)."""

_SCHEMA_FILE: Final = "framework.schema.json"


@frozen(kw_only=True)
class Source:
    """
    Where a framework (or crosswalk) is published.

    Example:
        >>> str(Source(publication="SSI 2014/343", url="https://www.legislation.gov.uk/ssi/2014/343"))
        'SSI 2014/343 <https://www.legislation.gov.uk/ssi/2014/343>'
    """

    publication: str
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.publication} <{self.url}>" if self.url else self.publication


@frozen(kw_only=True)
class FrameworkItem:
    """
    One outcome, indicator or measure of a framework.

    Attributes:
        code: Unique within the framework (``"6"`` for National Health and Wellbeing Outcome 6).
        title: Its wording (exact where the framework is statutory).
        description: More about it.
        group: The domain, group or kind it belongs to.
        serves: ``(framework, code)`` pairs of the items it serves (an indicator's outcomes).
        confirmed: ``False`` when the item or its wording is inferred, not confirmed against the source.
        note: Anything a reader needs to know, such as what is unconfirmed.

    Example:
        >>> FrameworkItem(code="1", title="People are able to look after …").confirmed
        True
    """

    code: str
    title: str
    description: str | None = None
    group: str | None = None
    serves: tuple[tuple[str, str], ...] = ()
    confirmed: bool = True
    note: str | None = None


@frozen(kw_only=True)
class Framework:
    """
    An outcome framework: its identity, version, source, status and items.

    Example:
        >>> framework = get_framework("scot-core-suite")
        >>> len(framework.items), framework.item("1").serves
        (23, (('scot-nhwo', '1'),))
        >>> framework.item("23").confirmed
        False
    """

    id: str
    title: str
    version: str
    source: Source
    status: str
    items: tuple[FrameworkItem, ...]
    description: str | None = None
    jurisdiction: str | None = None
    _by_code: Mapping[str, FrameworkItem] = field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {item.code: item for item in self.items})

    @property
    def codes(self) -> tuple[str, ...]:
        """
        The items' codes, in the framework's order.

        Example:
            >>> get_framework("scot-nhwo").codes
            ('1', '2', '3', '4', '5', '6', '7', '8', '9')
        """
        return tuple(item.code for item in self.items)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def item(self, code: str) -> FrameworkItem:
        """
        The item with *code*.

        Raises:
            UnknownName: No item has that code (with a did-you-mean hint).

        Example:
            >>> get_framework("eng-ascof").item("1A").title
            'Social care-related quality of life'
        """
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownName(code, known=self.codes, what=f"item of framework {self.id!r}") from None

    def match_title(self, text: str) -> FrameworkItem | None:
        """
        The item whose title is *text*, ignoring case, spacing, hyphens and punctuation.

        "well-being" matches "wellbeing", and a missing final full stop does not matter.

        Example:
            >>> nhwo = get_framework("scot-nhwo")
            >>> nhwo.match_title("people who use health and social care services are SAFE from harm").code
            '7'
            >>> nhwo.match_title("People are happy") is None
            True
        """
        wanted = normalise_title(text)
        for item in self.items:
            if normalise_title(item.title) == wanted:
                return item
        return None


_NOT_WORD = re.compile(r"[\W_]+")


def normalise_title(text: str) -> str:
    """
    A title reduced to lower-case letters and digits, for comparing titles.

    Example:
        >>> normalise_title("Health and Well-being.") == normalise_title("health and wellbeing")
        True
    """
    return _NOT_WORD.sub("", text.replace("&", "and").casefold())


def _framework_from_data(data: Mapping[str, Any]) -> Framework:
    source = data["source"]
    return Framework(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        status=data["status"],
        description=data.get("description"),
        jurisdiction=data.get("jurisdiction"),
        source=Source(publication=source["publication"], url=source.get("url")),
        items=tuple(
            FrameworkItem(
                code=item["code"],
                title=item["title"],
                description=item.get("description"),
                group=item.get("group"),
                serves=tuple((s["framework"], s["code"]) for s in item.get("serves", ())),
                confirmed=item.get("confirmed", True),
                note=item.get("note"),
            )
            for item in data["items"]
        ),
    )


def _duplicate_codes(data: Any, name: str | None) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, item in enumerate(data.get("items", ()) if isinstance(data, Mapping) else ()):
        code = item.get("code") if isinstance(item, Mapping) else None
        if isinstance(code, str):
            if code in seen:
                yield Problem(rule="id-unique", severity="error", path=json_path(["items", i, "code"]),
                              message=f"the code {code!r} is used by an earlier item",
                              source=SourceLocation(file=name) if name else None, value=code)
            seen.add(code)


def framework_from_data(data: Any, *, name: str | None = None) -> Framework:
    """
    Build a framework from parsed JSON, checking it against the framework schema first.

    Raises:
        InvalidDocument: The data does not follow the schema, or two items share a code.

    Example:
        >>> framework_from_data({"id": "nahscp-priorities", "title": "Strategic priorities", "version": "2022-25",
        ...     "status": "local", "source": {"publication": "NAHSCP Strategic Plan 2022-30"},
        ...     "items": [{"code": "P1", "title": "Tackling inequalities"}]}).item("P1").title
        'Tackling inequalities'
    """
    _refdata.check(data, _refdata.reference_schema("frameworks", _SCHEMA_FILE), name=name,
                   extra=list(_duplicate_codes(data, name)))
    return _framework_from_data(data)


def load_framework(path: str | os.PathLike[str] | Traversable) -> Framework:
    """
    Read a framework from a JSON data file that follows ``frameworks/framework.schema.json``.

    Raises:
        ConversionError: The file cannot be read or is not JSON.
        InvalidDocument: The data does not follow the schema; ``.report`` lists every problem.

    Example:
        >>> load_framework("tests/frameworks/data/nahscp-priorities.json").status
        'local'
    """
    data, name = _refdata.read(path)
    return framework_from_data(data, name=name)


@frozen
class FrameworkRegistry:
    """
    An immutable set of frameworks by id. `with_framework` returns a new registry.

    Example:
        >>> registry = default_registry().with_framework("tests/frameworks/data/nahscp-priorities.json")
        >>> registry.get("nahscp-priorities").item("P2").title
        'Supporting people to live well at home'
        >>> "nahscp-priorities" in default_registry()
        False
    """

    _frameworks: Mapping[str, Framework]

    def get(self, framework_id: str) -> Framework:
        """
        The framework with *framework_id*.

        Raises:
            UnknownName: No framework has that id (with a did-you-mean hint).
        """
        try:
            return self._frameworks[framework_id]
        except KeyError:
            raise UnknownName(framework_id, known=tuple(self._frameworks), what="framework") from None

    def __contains__(self, framework_id: object) -> bool:
        return framework_id in self._frameworks

    def __iter__(self) -> Iterator[Framework]:
        return iter(self._frameworks.values())

    def __len__(self) -> int:
        return len(self._frameworks)

    @property
    def ids(self) -> tuple[str, ...]:
        """The frameworks' ids."""
        return tuple(self._frameworks)

    def with_framework(self, framework: Framework | str | os.PathLike[str] | Traversable,
                       *, replace: bool = False) -> FrameworkRegistry:
        """
        A new registry with *framework* (a `Framework` or the path of a data file) added.

        Raises:
            ValueError: A framework with that id is already registered and *replace* is false.
        """
        if not isinstance(framework, Framework):
            framework = load_framework(framework)
        if framework.id in self._frameworks and not replace:
            msg = (f"a framework with id {framework.id!r} is already registered; pass replace=True to "
                   "replace it, or give yours a different id")
            raise ValueError(msg)
        return FrameworkRegistry({**self._frameworks, framework.id: framework})


@functools.cache
def default_registry() -> FrameworkRegistry:
    """
    The registry of the bundled frameworks.

    Example:
        >>> default_registry().ids
        ('eng-ascof', 'scot-core-suite', 'scot-nhwo', 'scot-npf-2018', 'scot-npf-2024', 'talking-points')
    """
    bundled = [load_framework(entry) for entry in _refdata.bundled_files("frameworks")]
    return FrameworkRegistry({framework.id: framework for framework in bundled})


def frameworks(registry: FrameworkRegistry | None = None) -> tuple[Framework, ...]:
    """
    Every framework in *registry* (the bundled ones by default).

    Example:
        >>> [f.id for f in frameworks() if f.status == "proposed"]
        ['scot-npf-2024']
    """
    return tuple(registry or default_registry())


def get_framework(framework_id: str, *, registry: FrameworkRegistry | None = None) -> Framework:
    """
    One framework by id.

    Raises:
        UnknownName: No framework has that id.

    Example:
        >>> get_framework("scot-npf-2018").version
        '2018'
        >>> get_framework("scot-nhow")
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.UnknownName: No framework is called 'scot-nhow'. Did you mean 'scot-nhwo'?
    """
    return (registry or default_registry()).get(framework_id)


def match_title(framework: str | Framework, text: str, *,
                registry: FrameworkRegistry | None = None) -> FrameworkItem | None:
    """
    The item of *framework* whose title matches *text* ignoring case, hyphens, spacing and punctuation.

    Example:
        >>> text = ("People who provide unpaid care are supported to look after their own health and "
        ...         "well-being, including to reduce any negative impact of their caring role on their "
        ...         "own health and wellbeing")
        >>> match_title("scot-nhwo", text).code
        '6'
    """
    if not isinstance(framework, Framework):
        framework = get_framework(framework, registry=registry)
    return framework.match_title(text)

