"""
Hypothesis strategies for the sharedoutcomes model, for your own tests.

Needs the ``testing`` extra (``pip install 'sharedoutcomes[testing]'``).

Every strategy mirrors the constraints of the published schemas (non-empty text, id and
org-id patterns, closed codelists, ranges), and `packages` also respects every semantic
rule, so that what it generates validates with no problems at all: references resolve,
periods are in order, values sit inside their scales, public packages hold no person-level
data. Use them to test code that consumes packages, as plugin authors and tools built on
the standard do.

Example:
    >>> from hypothesis import given, settings
    >>> import sharedoutcomes
    >>> from sharedoutcomes.testing import packages
    >>> @settings(max_examples=5, deadline=None)
    ... @given(packages())
    ... def test_packages_are_valid(package):
    ...     assert sharedoutcomes.validate(package).problems == ()
    >>> test_packages_are_valid()

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

import attrs

try:
    from hypothesis import strategies as st
except ModuleNotFoundError:  # pragma: no cover - exercised only without the extra
    from sharedoutcomes.exceptions import MissingDependency

    raise MissingDependency("hypothesis", extra="testing", purpose="sharedoutcomes.testing") from None

from sharedoutcomes import _codelists
from sharedoutcomes.model import (
    SCHEMA_VERSION,
    Activity,
    ActivityParticipant,
    Contribution,
    Conversion,
    ConversionProblem,
    Evidence,
    EvidenceLink,
    EvidenceSubject,
    EvidenceValue,
    Extension,
    FundingLine,
    Indicator,
    IndicatorValue,
    MonetaryAmount,
    Organisation,
    Outcome,
    OutcomeMapping,
    Package,
    Period,
    Provenance,
    RateDefinition,
    SourcePlace,
)

__all__ = [
    "activities",
    "contributions",
    "conversions",
    "evidence",
    "extension_values",
    "identifiers",
    "indicators",
    "links",
    "org_ids",
    "organisations",
    "outcomes",
    "packages",
    "periods",
    "texts",
]

_NO_SURROGATES: Final[tuple[Literal["Cs"]]] = ("Cs",)
_FIRST_DAY = dt.date(2015, 1, 1)
_LAST_DAY = dt.date(2030, 12, 31)


def _codes(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(_codelists.values(name)))


def texts(*, max_size: int = 30) -> st.SearchStrategy[str]:
    """
    Non-empty text, any Unicode that JSON can carry (no lone surrogates).

    Example:
        >>> from hypothesis import find
        >>> isinstance(find(texts(), lambda _: True), str)
        True
    """
    return st.text(st.characters(exclude_categories=_NO_SURROGATES), min_size=1, max_size=max_size)


def identifiers() -> st.SearchStrategy[str]:
    """
    Identifiers in the schema's id pattern (no white space), in the style people use.

    Example:
        >>> from hypothesis import find
        >>> " " in find(identifiers(), lambda _: True)
        False
    """
    return st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,14}", fullmatch=True)


def org_ids() -> st.SearchStrategy[str]:
    """
    org-id identifiers with a recognised prefix, such as ``GB-SC-SC012345``.

    The UK schemes whose shape the ``org-id-shape`` rule checks get numbers of that shape.

    Example:
        >>> from hypothesis import find
        >>> find(org_ids(), lambda i: i.startswith("GB-SC-"))
        'GB-SC-SC000000'
        >>> all(i.split("-")[0] in {"GB", "XI", "360G"} for i in [find(org_ids(), lambda _: True)])
        True
    """
    return _codes("org-id-prefixes").flatmap(
        lambda prefix: st.from_regex(_ORG_NUMBERS.get(prefix, r"[A-Z0-9]{1,10}"), fullmatch=True).map(
            lambda number: f"{prefix}-{number}"))


_ORG_NUMBERS: Final = {"GB-SC": r"SC[0-9]{6}", "GB-CHC": r"[0-9]{6,7}", "GB-COH": r"[0-9]{8}|[A-Z]{2}[0-9]{6}",
                       "GB-NIC": r"1[0-9]{5}"}
"""The shape of the numbers of the UK registers the ``org-id-shape`` rule checks."""


def _dates(min_value: dt.date = _FIRST_DAY, max_value: dt.date = _LAST_DAY) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=min_value, max_value=max_value)


def periods(*, until: dt.date = _LAST_DAY) -> st.SearchStrategy[Period]:
    """
    Periods that start on or before they end (or are still open).

    Example:
        >>> from hypothesis import find
        >>> p = find(periods(), lambda _: True)
        >>> p.end is None or p.start <= p.end
        True
    """

    @st.composite
    def build(draw: st.DrawFn) -> Period:
        start = draw(_dates(max_value=until))
        end = draw(st.none() | _dates(min_value=start, max_value=until))
        return Period(start=start, end=end)

    return build()


def _numbers(min_value: float | None = None, max_value: float | None = None) -> st.SearchStrategy[int | float]:
    ints = st.integers(
        min_value=None if min_value is None else int(min_value),
        max_value=None if max_value is None else int(max_value),
    )
    floats = st.floats(min_value=min_value, max_value=max_value, allow_nan=False, allow_infinity=False)
    return ints | floats


def extension_values() -> st.SearchStrategy[Any]:
    """
    Arbitrary JSON, as extension data may hold (nulls, empty lists, nesting).

    Example:
        >>> from hypothesis import find
        >>> import json
        >>> value = find(extension_values(), lambda v: isinstance(v, dict) and len(v) == 2)
        >>> json.loads(json.dumps(value)) == value
        True
    """
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(
        st.characters(exclude_categories=_NO_SURROGATES), max_size=10
    )
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=3)
        | st.dictionaries(st.text(st.characters(exclude_categories=_NO_SURROGATES), max_size=8), children, max_size=3),
        max_leaves=6,
    )


def _extension_data(names: Sequence[str]) -> st.SearchStrategy[dict[str, Any]]:
    if not names:
        return st.just({})
    return st.dictionaries(st.sampled_from(list(names)), extension_values(), max_size=len(names))


def organisations(*, extension_names: Sequence[str] = ()) -> st.SearchStrategy[Organisation]:
    """
    Organisations with recognised org-id prefixes.

    Example:
        >>> from hypothesis import find
        >>> find(organisations(), lambda _: True).sector in {"public", "third", "private", "community", "academic"}
        True
    """
    return st.builds(
        Organisation,
        id=org_ids(),
        name=texts(),
        sector=_codes("sectors"),
        kind=st.none() | _codes("organisation-kinds") | st.just("tenants-association"),
        locality=st.none() | texts(),
        url=st.none() | st.just("https://example.org/"),
        extension_data=_extension_data(extension_names),
    )


def activities(org_ids: Sequence[str], *, extension_names: Sequence[str] = ()) -> st.SearchStrategy[Activity]:
    """
    Activities whose participants and funders are among *org_ids*.

    Example:
        >>> from hypothesis import find
        >>> a = find(activities(["GB-SC-SC012345"]), lambda _: True)
        >>> all(p.organisation_id == "GB-SC-SC012345" for p in a.participants)
        True
    """
    orgs = st.sampled_from(list(org_ids))
    funding = st.builds(
        FundingLine,
        funder_id=st.none() | orgs,
        fund=st.none() | texts(),
        amount=st.none() | st.builds(MonetaryAmount, amount=_numbers(0, 10**7), currency=st.sampled_from(["GBP", "EUR"])),
        grant_id=st.none() | identifiers(),
        period=st.none() | periods(),
    )
    return st.builds(
        Activity,
        id=identifiers(),
        title=texts(),
        description=st.none() | texts(max_size=80),
        kind=st.none() | _codes("activity-kinds"),
        participants=st.lists(
            st.builds(ActivityParticipant, organisation_id=orgs, role=_codes("participant-roles")), max_size=3
        ).map(tuple),
        period=st.none() | periods(),
        locality=st.none() | texts(),
        funding=st.lists(funding, max_size=2).map(tuple),
        extension_data=_extension_data(extension_names),
    )


def outcomes(*, broader_ids: Sequence[str] = (), extension_names: Sequence[str] = ()) -> st.SearchStrategy[Outcome]:
    """
    Outcomes whose broader outcomes are among *broader_ids* (so no cycles arise).

    Example:
        >>> from hypothesis import find
        >>> find(outcomes(), lambda _: True).broader
        ()
    """
    mapping = st.builds(
        OutcomeMapping,
        framework=st.sampled_from(["scot-nhwo", "scot-npf-2024", "talking-points", "local-priorities"]),
        code=st.from_regex(r"[1-9]", fullmatch=True),
        relation=_codes("mapping-relations"),
        rationale=st.none() | texts(),
    )
    broader = st.lists(st.sampled_from(list(broader_ids)), max_size=2, unique=True).map(tuple) if broader_ids else st.just(())
    return st.builds(
        Outcome,
        id=identifiers(),
        title=texts(),
        description=st.none() | texts(max_size=80),
        level=_codes("outcome-levels"),
        framework=st.none() | st.just("local"),
        code=st.none() | texts(max_size=5),
        broader=broader,
        mappings=st.lists(mapping, max_size=3).map(tuple),
        extension_data=_extension_data(extension_names),
    )


def indicators(outcome_ids: Sequence[str], *, extension_names: Sequence[str] = ()) -> st.SearchStrategy[Indicator]:
    """
    Indicators measuring outcomes among *outcome_ids* (at least one).

    Example:
        >>> from hypothesis import find
        >>> find(indicators(["out-1"]), lambda _: True).outcome_ids
        ('out-1',)
    """
    value = st.builds(IndicatorValue, value=_numbers(), period=st.none() | periods(), note=st.none() | texts())
    return st.builds(
        Indicator,
        id=identifiers(),
        title=texts(),
        description=st.none() | texts(),
        outcome_ids=st.lists(st.sampled_from(list(outcome_ids)), min_size=1, max_size=2, unique=True).map(tuple),
        unit=st.none() | texts(max_size=8),
        instrument=st.none() | texts(),
        direction=_codes("indicator-directions"),
        aggregation=_codes("aggregation-semantics"),
        rate=st.none() | st.builds(RateDefinition, numerator=texts(), denominator=texts(),
                                   per=st.none() | st.sampled_from([100, 1000])),
        baseline=st.none() | value,
        targets=st.lists(value, max_size=3).map(tuple),
        extension_data=_extension_data(extension_names),
    )


def contributions(
    organisations_by_activity: Mapping[str, Sequence[str]],
    org_ids: Sequence[str],
    outcome_ids: Sequence[str],
    *,
    extension_names: Sequence[str] = (),
) -> st.SearchStrategy[Contribution]:
    """
    Contributions of organisations to outcomes, through activities they take part in.

    *organisations_by_activity* maps an activity id to its participants (an activity with no
    participants admits any organisation).

    Example:
        >>> from hypothesis import find
        >>> c = find(contributions({}, ["GB-SC-SC1"], ["out-1"]), lambda _: True)
        >>> c.organisation_id, c.outcome_id, c.activity_id
        ('GB-SC-SC1', 'out-1', None)
    """

    @st.composite
    def build(draw: st.DrawFn) -> Contribution:
        activity_id = draw(st.none() | st.sampled_from(sorted(organisations_by_activity))) if organisations_by_activity else None
        members = organisations_by_activity.get(activity_id or "", ())
        organisation_id = draw(st.sampled_from(list(members or org_ids)))
        return Contribution(
            id=draw(identifiers()),
            organisation_id=organisation_id,
            activity_id=activity_id,
            outcome_id=draw(st.sampled_from(list(outcome_ids))),
            role=draw(_codes("contribution-roles")),
            pathway=draw(st.none() | texts(max_size=80)),
            pathway_stage=draw(st.none() | _codes("pathway-stages")),
            assumptions=tuple(draw(st.lists(texts(), max_size=2))),
            external_factors=tuple(draw(st.lists(texts(), max_size=2))),
            period=draw(st.none() | periods()),
            extension_data=draw(_extension_data(extension_names)),
        )

    return build()


def _is_number(value: object) -> bool:
    return type(value) is int or type(value) is float


def _counted(item: Evidence) -> Evidence:
    """Every value of a count is a number."""
    if item.kind != "count":
        return item
    return attrs.evolve(item, values=tuple(v for v in item.values if _is_number(v.value)))


def _values(indicator_ids: Sequence[str]) -> st.SearchStrategy[EvidenceValue]:
    @st.composite
    def build(draw: st.DrawFn) -> EvidenceValue:
        scaled = draw(st.booleans())
        low = high = None
        if scaled:
            low = draw(st.integers(0, 5))
            high = draw(st.integers(low, low + 10))
            value: int | float | str | bool = draw(st.integers(low, high) | st.floats(low, high, allow_nan=False))
        else:
            value = draw(_numbers() | texts(max_size=12) | st.booleans())
        quantity = _is_number(value)
        # A value with a unit, or an indicator's actual, is a quantity: a number (value-not-a-number);
        # text may have a unit that names a kind of answer.
        return EvidenceValue(
            code=draw(identifiers()),
            value=value,
            label=draw(st.none() | texts()),
            indicator_id=(draw(st.none() | st.sampled_from(list(indicator_ids)))
                          if indicator_ids and quantity else None),
            unit=draw(st.none() | texts(max_size=8) if quantity else st.none() | st.sampled_from(["text", "category"])),
            scale_min=low,
            scale_max=high,
        )

    return build()


def evidence(
    *,
    sharing_level: str = "partners",
    activity_ids: Sequence[str] = (),
    org_ids: Sequence[str] = (),
    indicator_ids: Sequence[str] = (),
    until: dt.date = _LAST_DAY,
    extension_names: Sequence[str] = (),
) -> st.SearchStrategy[Evidence]:
    """
    Evidence that is allowed at *sharing_level* and refers only to the ids given.

    In a ``public`` package there is no person-level evidence, no personal data, no cohort
    under five and no refused consent; elsewhere person subjects carry pseudonymous ids.

    Example:
        >>> from hypothesis import find
        >>> e = find(evidence(sharing_level="public"), lambda _: True)
        >>> e.subject is None or e.subject.type != "person"
        True
    """
    public = sharing_level == "public"
    subject_types = sorted(_codelists.values("subject-types") - ({"person"} if public else set()))

    @st.composite
    def subject(draw: st.DrawFn) -> EvidenceSubject:
        kind = draw(st.sampled_from(subject_types))
        if kind == "person":
            return EvidenceSubject(type=kind, id="P-" + draw(st.from_regex(r"[A-F0-9]{4,8}", fullmatch=True)))
        size = draw(st.none() | st.integers(min_value=5 if public else 0, max_value=100_000))
        return EvidenceSubject(type=kind, id=draw(st.none() | identifiers()), size=size,
                               description=draw(st.none() | texts()))

    consent = _codes("consent").filter(lambda c: c != "refused") if sharing_level != "personal" else _codes("consent")
    sensitivity = st.sampled_from(["open", "internal"]) if public else _codes("sensitivity")
    provenance = st.builds(
        Provenance,
        source_system=st.none() | texts(),
        original_format=st.none() | st.sampled_from(["outcomes-star", "north-ayrshire", "package"]),
        file=st.none() | st.just("return.xlsx"),
        sheet=st.none() | texts(max_size=10),
        row=st.none() | st.integers(1, 10_000),
        column=st.none() | st.from_regex(r"[A-Z]{1,2}", fullmatch=True),
        question=st.none() | texts(),
        converted_by=st.none() | st.just("outcomes-star"),
        converter_version=st.none() | st.just("0.1.0"),
    )
    return st.builds(
        Evidence,
        id=identifiers(),
        kind=_codes("evidence-kinds"),
        summary=st.none() | texts(),
        date=st.none() | _dates(max_value=until),
        period=st.none() | periods(until=until),
        subject=st.none() | subject(),
        activity_id=(st.none() | st.sampled_from(list(activity_ids))) if activity_ids else st.none(),
        collected_by=(st.none() | st.sampled_from(list(org_ids))) if org_ids else st.none(),
        method=st.none() | texts(),
        instrument=st.none() | texts(),
        values=st.lists(_values(indicator_ids), max_size=4).map(tuple),
        narrative=st.none() | texts(max_size=120),
        evidence_level=st.none() | st.integers(1, 5),
        consent=st.none() | consent,
        sensitivity=st.none() | sensitivity,
        purpose=st.none() | _codes("evidence-purposes"),
        provenance=st.none() | provenance,
        extension_data=_extension_data(extension_names),
    ).map(_counted)


def links(
    evidence_ids: Sequence[str],
    targets: Mapping[str, Sequence[str]],
    *,
    org_ids: Sequence[str] = (),
    extension_names: Sequence[str] = (),
) -> st.SearchStrategy[EvidenceLink]:
    """
    Links from *evidence_ids* to existing targets (``targets`` maps a target type to its ids).

    Example:
        >>> from hypothesis import find
        >>> link = find(links(["ev-1"], {"outcome": ["out-1"]}), lambda _: True)
        >>> (link.evidence_id, link.target_type, link.target_id)
        ('ev-1', 'outcome', 'out-1')
    """
    kinds = sorted(kind for kind, ids in targets.items() if ids)

    @st.composite
    def build(draw: st.DrawFn) -> EvidenceLink:
        kind = draw(st.sampled_from(kinds))
        return EvidenceLink(
            id=draw(identifiers()),
            evidence_id=draw(st.sampled_from(list(evidence_ids))),
            target_type=kind,
            target_id=draw(st.sampled_from(list(targets[kind]))),
            relation=draw(_codes("link-relations")),
            strength=draw(st.none() | _codes("link-strengths")),
            rationale=draw(st.none() | texts()),
            asserted_by=draw(st.none() | st.sampled_from(list(org_ids))) if org_ids else None,
            asserted_on=draw(st.none() | _dates()),
            extension_data=draw(_extension_data(extension_names)),
        )

    return build()


def _unique_by_id(strategy: st.SearchStrategy[Any], *, min_size: int = 0, max_size: int = 4) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(strategy, min_size=min_size, max_size=max_size, unique_by=lambda item: item.id).map(tuple)


def conversions(*, partial: bool | None = None) -> st.SearchStrategy[Conversion]:
    """
    The ``conversion`` block of a package (standard 0.2): a format, counts and the problems of the conversion.

    *partial* ``False`` draws only complete conversions (warnings at most), ``True`` only partial ones (at least
    one error), ``None`` either.

    Example:
        >>> from hypothesis import find
        >>> find(conversions(), lambda c: c.partial).partial
        True
        >>> find(conversions(partial=False), lambda c: True).errors
        0
    """
    source = st.builds(SourcePlace, file=st.none() | st.just("return.docx"), sheet=st.none() | texts(max_size=10),
                       table=st.none() | st.integers(1, 20), row=st.none() | st.integers(1, 10_000),
                       column=st.none() | st.from_regex(r"[A-Z]{1,2}", fullmatch=True),
                       header=st.none() | texts(max_size=10), section=st.none() | st.sampled_from(["B", "F"]),
                       question=st.none() | texts(max_size=20))
    problem = st.builds(ConversionProblem, rule=st.sampled_from(["form.not-a-number", "star.date-unreadable"]),
                        severity=_codes("problem-severities"), path=st.sampled_from(["$", "$.evidence[0].date"]),
                        message=texts(), source=st.none() | source)

    @st.composite
    def build(draw: st.DrawFn) -> Conversion:
        problems = tuple(draw(st.lists(problem, max_size=3)))
        if partial is False:
            problems = tuple(attrs.evolve(p, severity="warning") for p in problems)
        elif partial and not any(p.severity == "error" for p in problems):
            problems = (*problems, attrs.evolve(draw(problem), severity="error"))
        errors = sum(p.severity == "error" for p in problems)
        return Conversion(format=draw(st.sampled_from(["north-ayrshire", "outcomes-star", "survey"])),
                          partial=errors > 0, errors=errors, warnings=len(problems) - errors, problems=problems)

    return build()


def packages(*, sharing_level: str | None = None, max_size: int = 4,
             partial: bool = False) -> st.SearchStrategy[Package]:
    """
    Whole packages that validate with no problems: every reference resolves.

    Args:
        sharing_level: Fix the sharing level (``public``, ``partners``, ``personal``), or
            ``None`` for any.
        max_size: The most items of each kind.
        partial: Also draw packages that say they are partial (a ``conversion`` block with errors);
            those validate with the one warning ``conversion.partial``.

    Example:
        >>> from hypothesis import find
        >>> import sharedoutcomes
        >>> sharedoutcomes.validate(find(packages(sharing_level="public"), lambda _: True)).ok
        True
    """

    @st.composite
    def build(draw: st.DrawFn) -> Package:
        level = sharing_level or draw(_codes("sharing-levels"))
        produced = draw(st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31)))
        until = produced.date()
        extension_list = draw(st.lists(
            st.builds(Extension, name=st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True),
                      version=st.sampled_from(["0.1", "1.0"]), url=st.none(), description=st.none() | texts()),
            max_size=2, unique_by=lambda e: e.name,
        ))
        names = [e.name for e in extension_list]
        orgs = draw(_unique_by_id(organisations(extension_names=names), min_size=1, max_size=max_size))
        org_list = [o.id for o in orgs]
        acts = draw(_unique_by_id(activities(org_list, extension_names=names), max_size=max_size))
        outs: list[Outcome] = []
        for _ in range(draw(st.integers(0, max_size))):
            outcome = draw(outcomes(broader_ids=[o.id for o in outs], extension_names=names))
            if all(o.id != outcome.id for o in outs):
                outs.append(outcome)
        out_ids = [o.id for o in outs]
        inds = draw(_unique_by_id(indicators(out_ids, extension_names=names), max_size=max_size)) if out_ids else ()
        members = {a.id: [p.organisation_id for p in a.participants] for a in acts}
        cons = (draw(_unique_by_id(contributions(members, org_list, out_ids, extension_names=names), max_size=max_size))
                if out_ids else ())
        evs = draw(_unique_by_id(evidence(sharing_level=level, activity_ids=[a.id for a in acts], org_ids=org_list,
                                          indicator_ids=[i.id for i in inds], until=until, extension_names=names),
                                 max_size=max_size))
        targets = {"contribution": [c.id for c in cons], "outcome": out_ids, "indicator": [i.id for i in inds]}
        lnks = (draw(_unique_by_id(links([e.id for e in evs], targets, org_ids=org_list, extension_names=names),
                                   max_size=max_size))
                if evs and any(targets.values()) else ())
        return Package(
            schema_version=SCHEMA_VERSION,
            id=draw(identifiers()),
            title=draw(texts()),
            description=draw(st.none() | texts(max_size=80)),
            publisher=draw(st.sampled_from(org_list)),
            produced=produced.strftime("%Y-%m-%dT%H:%M:%SZ"),
            licence=draw(st.none() | st.just("https://creativecommons.org/licenses/by/4.0/")),
            period=draw(st.none() | periods()),
            conversion=draw(st.none() | conversions(partial=None if partial else False)),
            sharing_level=level,
            extensions=tuple(extension_list),
            organisations=orgs,
            activities=acts,
            outcomes=tuple(outs),
            indicators=inds,
            contributions=cons,
            evidence=evs,
            links=lnks,
            extension_data=draw(_extension_data(names)),
        )

    return build()
