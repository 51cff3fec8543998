"""
One INDIGO project into the package: activity, outcomes and indicators, contributions, evidence and links.

`MAPPING` says where each INDIGO field goes; the how-to's mapping table is generated from it
(``python -m sharedoutcomes._devtools.indigo_docs``), so the page and the code cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Any, Final

from sharedoutcomes.converters import excerpt
from sharedoutcomes.indigo._build import Build
from sharedoutcomes.indigo._convention import EXTENSION, FORMAT, PARTICIPANT_ROLES, converter_version
from sharedoutcomes.indigo._values import Key, ProjectSource, clean_text, parse_number

__all__ = ["MAPPING", "add_project"]

MAPPING: Final = (
    ("project", "`id` (or the table's `ID` column)", "activity `id`, and the prefix of every id made from it"),
    ("project", "`name`", "activity `title` (on one line)"),
    ("project", "`purpose_and_classifications.intervention`", "activity `description`"),
    ("project", "`dates.start_date_of_service_provision`", "activity `period.start` (first day of the month or year)"),
    ("project", "`dates.actual_end_date_of_service_provision`, else `anticipated_end_date_of_service_provision`",
     "activity `period.end` (last day)"),
    ("delivery_locations", "`location_name`", "activity `locality` (names joined with `; `)"),
    ("service_provisions", "`organisation_id`", "activity participant, role `partner`; a `direct` contribution "
     "to every outcome of the project"),
    ("outcome_payment_commitments", "`organisation_id`", "activity participant, role `commissioner`"),
    ("investments", "`organisation_id`", "activity participant, role `funder`"),
    ("intermediary_services", "`organisation_id`", "activity participant, role `partner`"),
    ("outcome_metrics", "`id`", "the ids of its outcome (`out-…`) and indicator (`ind-…`)"),
    ("outcome_metrics", "`definition`", "outcome and indicator `title` (first 200 characters, one line) and "
     "`description` (as written)"),
    ("outcome_metrics", "`unit_type_of_targeted_service_users_or_beneficiaries`",
     "outcome `level` (`Individual` → `person`, `Other` → `community`; absent → `person`) and indicator `unit` "
     "(`Individual` → `people`)"),
    ("outcome_metrics", "`unit_description_of_service_user_or_beneficiaries`", "indicator `unit`, when given"),
    ("outcome_metrics", "`targeted_number_of_service_users_or_beneficiaries_total`", "an indicator target"),
    ("outcome_metrics", "`outcome_metric_target`", "an indicator target when it is a number (else kept)"),
    ("outcome_metrics", "(the periods of its results)", "indicator `aggregation`: `cumulative` when every result "
     "starts on the same day and the later ones end later, else `per-period` (INDIGO does not say; the basis is "
     "kept as `aggregation_basis`)"),
    ("results", "`outcome_metric_id`", "evidence value `indicator_id`; links to the indicator and to every "
     "provider's contribution to the metric's outcome"),
    ("results", "`outcomes_achieved`", "evidence value `outcomes-achieved` (a number), or the evidence "
     "`narrative` (prose)"),
    ("results", "`number_engaged_in_impact_bond`", "evidence value `engaged`"),
    ("results", "`number_with_positive_social_outcomes`", "evidence value `positive-outcomes`"),
    ("results", "`other_description_of_result`", "evidence `narrative`"),
    ("results", "`period`", "evidence `period`"),
    ("results", "`result_type`, `result_level`", "evidence `summary`"),
    ("results", "`outcomes_validator_organisation_ids`", "evidence `collected_by` (one validator); a validated "
     "result's links are `strong`, a counted one's `moderate`, a result in words `weak`"),
    ("outcome_payments", "`payer_organisation_id`", "funding line `funder_id` (one payer)"),
    ("outcome_payments", "`money.amount`, `money.currency`", "funding line `amount`"),
    ("outcome_payments", "`type`", "funding line `fund` (`INDIGO outcome payment (Actual)` …)"),
    ("outcome_payments", "`period`", "funding line `period`"),
    ("any", "every other field, and the original text of anything rewritten", "`extension_data.indigo` of the "
     "activity, outcome, indicator, evidence or organisation it belongs to, as INDIGO writes it"),
)
"""Where each INDIGO field goes: (INDIGO list or ``project``, field, place in the package)."""

_VALIDATED_STRENGTH: Final = "strong"
_COUNTED_STRENGTH: Final = "moderate"
_TOLD_STRENGTH: Final = "weak"
_RESULT_VALUES: Final = (
    ("outcomes_achieved", "outcomes-achieved", "Outcomes achieved"),
    ("number_engaged_in_impact_bond", "engaged", "Number engaged in the impact bond"),
    ("number_with_positive_social_outcomes", "positive-outcomes", "Number with positive social outcomes"),
)
_INSTRUMENTS: Final = ((re.compile(r"warwick.edinburgh|\bs?wemw?bs\b|\bwemws\b", re.I), "WEMWBS"),
                       (re.compile(r"well.?being star", re.I), "Well-being Star"))
_TITLE_LIMIT: Final = 200


def _slug(text: str) -> str:
    return "-".join(str(text).split()) or "unnamed"


def add_project(build: Build, source: ProjectSource) -> None:
    """
    Map *source* into *build*: its activity, metrics, results and payments; everything else kept.

    Example:
        >>> from sharedoutcomes.problems import SourceLocation
        >>> source = ProjectSource("INDIGO-POJ-0200", file="p.json")
        >>> source.add(("name", "value"), "Norfolk Carers Partnership", SourceLocation(file="p.json"), "name")
        >>> build = Build(file="p.json")
        >>> add_project(build, source)
        >>> build.activities[0]["title"]
        'Norfolk Carers Partnership'
    """
    index = len(build.activities)
    path = f"$.activities[{index}]"
    activity: dict[str, Any] = {"id": _slug(source.project_id), "title": source.project_id, "kind": "project"}
    build.activities.append(activity)
    title = build.title(source, ("name", "value"), f"{path}.title")
    if title:
        activity["title"] = title
    description = build.text(source, ("purpose_and_classifications", "intervention", "value"), f"{path}.description")
    if description and description.strip():
        activity["description"] = description
    _activity_period(build, source, activity, path)
    _locality(build, source, activity, path)
    providers = _participants(build, source, activity, path)
    metrics = {metric: ids for i in source.indices("outcome_metrics")
               for metric, ids in [_metric(build, source, i, activity["id"], providers)]}
    for i in source.indices("results"):
        _result(build, source, i, activity["id"], metrics)
    _payments(build, source, activity, path)
    kept = source.keep(())  # with the lists mapped above (payments, locations, roles), kept whole for the round trip
    activity["extension_data"] = {EXTENSION: {"project_id": source.project_id, **kept}}
    for key in source:
        build.counter.read(source.parts[key])


def _activity_period(build: Build, source: ProjectSource, activity: dict[str, Any], path: str) -> None:
    dates = ("dates", "actual_end_date_of_service_provision", "value")
    if source.get(dates) is None:
        dates = ("dates", "anticipated_end_date_of_service_provision", "value")
    period = build.period(source, ("dates", "start_date_of_service_provision", "value"), dates, f"{path}.period")
    if period:
        activity["period"] = period


def _locality(build: Build, source: ProjectSource, activity: dict[str, Any], path: str) -> None:
    names = []
    for i in source.indices("delivery_locations"):
        name = build.title(source, ("delivery_locations", i, "location_name", "value"), f"{path}.locality",
                           take=False)
        if name and name not in names:
            names.append(name)
    if names:
        activity["locality"] = "; ".join(names)


def _participants(build: Build, source: ProjectSource, activity: dict[str, Any], path: str) -> list[str]:
    participants: list[dict[str, str]] = []
    providers: list[str] = []
    for list_name, role in PARTICIPANT_ROLES.items():
        for i in source.indices(list_name):
            key: Key = (list_name, i, "organisation_id", "value")
            value = source.get(key)
            if value is None:
                continue
            for org in (part for part in str(value).split(",") if part.strip()):
                package_id = build.orgs.use(org, list_name)
                entry = {"organisation_id": package_id, "role": role}
                if list_name == "service_provisions" and package_id not in providers:
                    providers.append(package_id)
                if entry not in participants:
                    build.put(f"{path}.participants[{len(participants)}].organisation_id", source, key)
                    participants.append(entry)
    if participants:
        activity["participants"] = participants
    return providers


def _metric(build: Build, source: ProjectSource, i: int, activity_id: str,
            providers: list[str]) -> tuple[str, dict[str, Any]]:
    item: Key = ("outcome_metrics", i)
    raw_id = source.take((*item, "id")) or f"metric-{i + 1}"
    metric_id = _slug(raw_id)
    base = f"{activity_id}-{metric_id}"
    if any(o["id"] == f"out-{base}" for o in build.outcomes):
        build.flag("indigo.duplicate-id", f"$.outcomes[{len(build.outcomes)}].id",
                   f"the outcome metric id {raw_id!r} is used twice in project {activity_id!r}; the second is "
                   f"numbered {metric_id}-{i + 1}", source.location((*item, "id")), raw_id)
        base = f"{base}-{i + 1}"
    o, n = len(build.outcomes), len(build.indicators)
    build.put(f"$.outcomes[{o}].id", source, (*item, "id"))
    build.put(f"$.indicators[{n}].id", source, (*item, "id"))
    definition_key: Key = (*item, "definition", "value")
    title = build.title(source, definition_key, f"$.indicators[{n}].title", take=False) or f"Outcome metric {raw_id}"
    title = title if len(title) <= _TITLE_LIMIT else title[: _TITLE_LIMIT - 1].rstrip() + "…"
    definition = build.text(source, definition_key, f"$.outcomes[{o}].description")
    unit_type = source.get((*item, "unit_type_of_targeted_service_users_or_beneficiaries", "value"))
    outcome: dict[str, Any] = {"id": f"out-{base}", "title": title, "level": _level(build, source, item, o)}
    indicator: dict[str, Any] = {"id": f"ind-{base}", "title": title, "outcome_ids": [outcome["id"]],
                                 "direction": "higher-is-better"}
    if definition:
        outcome["description"] = indicator["description"] = definition
        build.put(f"$.indicators[{n}].description", source, definition_key)
    unit = build.title(source, (*item, "unit_description_of_service_user_or_beneficiaries", "value"),
                       f"$.indicators[{n}].unit") or ("people" if unit_type == "Individual" else None)
    if unit:
        indicator["unit"] = unit
    for pattern, instrument in _INSTRUMENTS:
        if pattern.search(definition or ""):
            indicator["instrument"] = instrument
            break
    targets = _targets(build, source, item, n)
    if targets:
        indicator["targets"] = targets
    indicator["aggregation"], basis = _aggregation(source, str(raw_id))
    build.assumed_aggregation += basis == "default"
    indicator["extension_data"] = {EXTENSION: {"outcome_metric_id": raw_id, "aggregation_basis": basis,
                                               **source.keep(item)}}
    build.outcomes.append(outcome)
    build.indicators.append(indicator)
    contributions = []
    for provider in providers:
        contribution = {"id": f"con-{base}-{_slug(provider)}", "organisation_id": provider,
                        "activity_id": activity_id, "outcome_id": outcome["id"], "role": "direct"}
        build.contributions.append(contribution)
        contributions.append(contribution["id"])
    return str(raw_id), {"indicator": indicator["id"], "contributions": contributions, "unit": unit}


def _level(build: Build, source: ProjectSource, item: Key, o: int) -> str:
    key: Key = (*item, "unit_type_of_targeted_service_users_or_beneficiaries", "value")
    value = source.get(key)
    if value in {"Individual", "Other"}:
        source.take(key)
        build.put(f"$.outcomes[{o}].level", source, key)
        return "person" if value == "Individual" else "community"
    return "person"


def _targets(build: Build, source: ProjectSource, item: Key, n: int) -> list[dict[str, Any]]:
    targets: list[dict[str, Any]] = []
    for name, note in (("targeted_number_of_service_users_or_beneficiaries_total",
                        "INDIGO: targeted number of service users or beneficiaries (total)"),
                       ("outcome_metric_target", "INDIGO: outcome metric target")):
        key: Key = (*item, name, "value")
        value = source.get(key)
        if value is None:
            continue
        if name == "outcome_metric_target":  # often a sentence: read only a plain number, keep the rest
            number = _plain_number(value)
            if number is None:
                continue
            source.take(key)
            build.put(f"$.indicators[{n}].targets[{len(targets)}].value", source, key)
        else:
            number = build.number(source, key, f"$.indicators[{n}].targets[{len(targets)}].value")
        if number is not None and number >= 0:
            targets.append({"value": number, "note": note})
    return targets


def _plain_number(value: Any) -> float | int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    return (int(text) if text.isdigit() else None) if text else None


def _aggregation(source: ProjectSource, metric_id: str) -> tuple[str, str]:
    periods = []
    for i in source.indices("results"):
        if str(source.get(("results", i, "outcome_metric_id", "value"))) == metric_id:
            start = source.get(("results", i, "period", "start_date", "value"))
            end = source.get(("results", i, "period", "end_date", "value"))
            periods.append((str(start), str(end)))
    if len(periods) < 2:
        return "per-period", "default"
    same_start = len({start for start, _ in periods}) == 1 and len({end for _, end in periods}) == len(periods)
    return ("cumulative" if same_start else "per-period"), "result-periods"


def _result(build: Build, source: ProjectSource, i: int, activity_id: str,
            metrics: dict[str, dict[str, Any]]) -> None:
    item: Key = ("results", i)
    path = f"$.evidence[{len(build.evidence)}]"
    metric = _result_metric(build, source, item, activity_id, metrics=metrics, path=path)
    values, narrative = _result_values(build, source, item, metric, path)
    evidence: dict[str, Any] = {"id": f"ev-{activity_id}-result-{i + 1}", "kind": "count" if values else "document",
                                "activity_id": activity_id}
    summary = " ".join(str(source.get((*item, name, "value")) or "")
                       for name in ("result_type", "result_level")).strip()
    evidence["summary"] = f"{summary} result" if summary else "Result"
    period = build.period(source, (*item, "period", "start_date", "value"), (*item, "period", "end_date", "value"),
                          f"{path}.period")
    if period:
        evidence["period"] = period
    validators = _validators(build, source, item, path)
    if len(validators) == 1:
        evidence["collected_by"] = validators[0]
    if values:
        evidence["values"] = values
    if narrative:
        evidence["narrative"] = "\n\n".join(narrative)
    evidence["provenance"] = _provenance(build, source, item)
    evidence["extension_data"] = {EXTENSION: {"result_index": i, **source.keep(item)}}
    build.evidence.append(evidence)
    if metric is not None:
        strength = _VALIDATED_STRENGTH if validators else _COUNTED_STRENGTH if values else _TOLD_STRENGTH
        _link(build, evidence["id"], "indicator", metric["indicator"], strength)
        for contribution in metric["contributions"]:
            _link(build, evidence["id"], "contribution", contribution, strength)


def _result_metric(build: Build, source: ProjectSource, item: Key, activity_id: str, *,
                   metrics: dict[str, dict[str, Any]], path: str) -> dict[str, Any] | None:
    key: Key = (*item, "outcome_metric_id", "value")
    metric_id = source.get(key)
    if metric_id is None:
        return None
    metric = metrics.get(str(metric_id))
    if metric is None:
        build.flag("indigo.unknown-metric", path,
                   f"result {int(item[1]) + 1} of project {activity_id!r} is for the outcome metric "
                   f"{str(metric_id)!r}, which the project does not define; the result is kept but linked to no "
                   "indicator", source.location(key), metric_id)
    else:
        source.take(key)
    return metric


def _result_values(build: Build, source: ProjectSource, item: Key, metric: dict[str, Any] | None,
                   path: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The result's numbers as evidence values, and its words (outcomes in prose, other description)."""
    values: list[dict[str, Any]] = []
    narrative: list[str] = []
    for name, code, label in _RESULT_VALUES:
        key: Key = (*item, name, "value")
        given = source.get(key)
        prose = name == "outcomes_achieved" and given is not None and parse_number(given)[0] is None
        number = build.number(source, key, f"{path}.narrative" if prose else f"{path}.values[{len(values)}].value")
        if number is not None:
            value: dict[str, Any] = {"code": code, "value": number, "label": label}
            if metric is not None and code == "outcomes-achieved":
                value["indicator_id"] = metric["indicator"]
                if metric["unit"]:
                    value["unit"] = metric["unit"]
            values.append(value)
        elif prose:
            narrative.append(build.text(source, key, f"{path}.narrative", take=False) or "")
    other = build.text(source, (*item, "other_description_of_result", "value"), f"{path}.narrative", take=False)
    if other and other.strip():
        narrative.append(other)
    return values, narrative


def _provenance(build: Build, source: ProjectSource, item: Key) -> dict[str, Any]:
    location = source.location(next((k for k in source if k[:2] == item), item))
    return {"original_format": FORMAT, "file": build.file, "converted_by": f"sharedoutcomes.{FORMAT}",
            "converter_version": converter_version(), **({"sheet": location.sheet} if location.sheet else {}),
            **({"row": location.row} if location.row else {})}


def _validators(build: Build, source: ProjectSource, item: Key, path: str) -> list[str]:
    """The validators' package ids; the INDIGO ids stay under the extension, as written."""
    key: Key = (*item, "outcomes_validator_organisation_ids", "value")
    value = source.get(key)
    if value is None:
        return []
    validators = [build.orgs.use(part, "results") for part in str(value).split(",") if part.strip()]
    if len(validators) == 1:
        build.put(f"{path}.collected_by", source, key)
    return validators


def _link(build: Build, evidence_id: str, target_type: str, target_id: str, strength: str) -> None:
    build.links.append({"id": f"link-{len(build.links) + 1}-{evidence_id}", "evidence_id": evidence_id,
                        "target_type": target_type, "target_id": target_id, "relation": "supports",
                        "strength": strength,
                        "rationale": "An INDIGO result reported for the outcome metric this indicator (and the "
                                     "provider's contribution) stands for."})


def _payments(build: Build, source: ProjectSource, activity: dict[str, Any], path: str) -> None:
    """Each outcome payment as a funding line; the payments themselves stay whole under the extension."""
    funding: list[dict[str, Any]] = []
    for i in source.indices("outcome_payments"):
        item: Key = ("outcome_payments", i)
        fpath = f"{path}.funding[{len(funding)}]"
        amount_key: Key = (*item, "money", "amount", "value")
        amount = parse_number(source.get(amount_key))[0] if source.get(amount_key) is not None else None
        currency = source.get((*item, "money", "currency", "value"))
        currency_text = clean_text(str(currency))[0].upper() if currency is not None else ""
        if amount is None or amount < 0 or not re.fullmatch(r"[A-Z]{3}", currency_text):
            build.flag("indigo.bad-amount", fpath,
                       f"outcome payment {i + 1} of project {activity['id']!r} has no usable amount and currency "
                       f"(amount {excerpt(source.get(amount_key))}, currency {excerpt(currency)}); it is kept under "
                       "the extension, not as a funding line", source.location(amount_key))
            continue
        build.put(f"{fpath}.amount.amount", source, amount_key)
        build.put(f"{fpath}.amount.currency", source, (*item, "money", "currency", "value"))
        line: dict[str, Any] = {"amount": {"amount": amount, "currency": currency_text}}
        payer_key: Key = (*item, "payer_organisation_id", "value")
        payers = [p for p in str(source.get(payer_key) or "").split(",") if p.strip()]
        if len(payers) == 1:
            line["funder_id"] = build.orgs.use(payers[0], "outcome_payments")
            build.put(f"{fpath}.funder_id", source, payer_key)
        elif payers:
            for payer in payers:
                build.orgs.use(payer, "outcome_payments")
            build.flag("indigo.several-payers", f"{fpath}.funder_id",
                       f"outcome payment {i + 1} of project {activity['id']!r} is paid by {len(payers)} "
                       "organisations together; a funding line names one funder, so the payers are kept under "
                       "the extension", source.location(payer_key), source.get(payer_key))
        kind = source.get((*item, "type", "value"))
        line["fund"] = f"INDIGO outcome payment ({kind})" if kind else "INDIGO outcome payment"
        period = _period_of(build, source, item, fpath)
        if period:
            line["period"] = period
        funding.append(line)
    if funding:
        activity["funding"] = funding


def _period_of(build: Build, source: ProjectSource, item: Key, path: str) -> dict[str, str] | None:
    """The period of a list item, its dates kept as written (the item stays whole under the extension)."""
    start: Key = (*item, "period", "start_date", "value")
    end: Key = (*item, "period", "end_date", "value")
    was = set(source.taken)
    period = build.period(source, start, end, f"{path}.period")
    source.taken = was
    return period
