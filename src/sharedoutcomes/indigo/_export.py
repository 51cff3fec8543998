"""
A package's outcomes, indicators and results as INDIGO project JSON, valid against INDIGO's own schema.

Each activity becomes a project (``{"project": {"id", "data"}}``, the shape of INDIGO's API): its
name and dates, one outcome metric per indicator, one result per piece of evidence that gives a
value for an indicator. What a package converted from INDIGO kept under its ``indigo`` extension
goes back where it came from, converted to the types INDIGO's schema asks for.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.indigo._convention import EXTENSION
from sharedoutcomes.indigo._schema import schema, schema_errors
from sharedoutcomes.indigo._values import parse_number
from sharedoutcomes.model import Activity, Evidence, Indicator, Package

__all__ = ["to_indigo"]

_NUMBER_FIELDS = {"targeted_number_of_service_users_or_beneficiaries_total", "number_engaged_in_impact_bond",
                  "number_with_positive_social_outcomes"}
_RESULT_CODES = {"outcomes-achieved": "outcomes_achieved", "engaged": "number_engaged_in_impact_bond",
                 "positive-outcomes": "number_with_positive_social_outcomes"}


def to_indigo(package: Package) -> list[dict[str, Any]]:
    """
    One INDIGO project (``{"project": {"id", "data"}}``) per activity of *package*, each valid against INDIGO's schema.

    Raises:
        ConversionError: The package has no activity, or a project would not validate (a bug: please report it).

    Example:
        >>> import sharedoutcomes
        >>> projects = to_indigo(sharedoutcomes.example_package())
        >>> projects[0]["project"]["data"]["name"]
        {'value': 'Shed sessions for older men'}
        >>> len(projects), sorted(projects[0]["project"]["data"])
        (2, ['dates', 'name', 'outcome_metrics', 'purpose_and_classifications', 'results'])
    """
    if not package.activities:
        raise ConversionError("the package has no activity, so there is no INDIGO project to write")
    owner = _owners(package)
    linked: dict[str, list[str]] = {}
    for link in package.links:
        if link.target_type == "indicator":
            linked.setdefault(link.evidence_id, []).append(link.target_id)
    out = []
    for activity in package.activities:
        data = _project(activity)
        indicators = [i for i in package.indicators if owner.get(i.id, package.activities[0].id) == activity.id]
        metric_ids = {}
        metrics = []
        for indicator in indicators:
            metric = _metric(indicator)
            metric_ids[indicator.id] = metric["id"]
            metrics.append(metric)
        evidence = [e for e in package.evidence if (e.activity_id or package.activities[0].id) == activity.id]
        results = [r for e in evidence if (r := _result(e, metric_ids, linked.get(e.id, []))) is not None]
        if metrics:
            data["outcome_metrics"] = metrics
        if results:
            data["results"] = results
        errors = schema_errors(data)
        if errors:
            msg = f"the INDIGO project for activity {activity.id!r} does not validate: {errors[0]}"
            raise ConversionError(msg)
        kept = activity.extension_data.get(EXTENSION, {})
        project_id = kept.get("project_id") if isinstance(kept, Mapping) else None
        out.append({"project": {"id": str(project_id or activity.id), "data": data}})
    return out


def _owners(package: Package) -> dict[str, str]:
    """Indicator id → the activity whose project holds it (through evidence values, else contributions)."""
    owner: dict[str, str] = {}
    for evidence in package.evidence:
        for value in evidence.values:
            if value.indicator_id and evidence.activity_id:
                owner.setdefault(value.indicator_id, evidence.activity_id)
    by_outcome = {c.outcome_id: c.activity_id for c in package.contributions if c.activity_id}
    for indicator in package.indicators:
        for outcome_id in indicator.outcome_ids:
            if outcome_id in by_outcome:
                owner.setdefault(indicator.id, by_outcome[outcome_id])
    return owner


def _kept(item: Activity | Indicator | Evidence, drop: Iterable[str], shape: Mapping[str, Any]) -> dict[str, Any]:
    """What *item* kept under the ``indigo`` extension, in the types *shape* (a part of INDIGO's schema) asks for."""
    kept = item.extension_data.get(EXTENSION, {})
    if not isinstance(kept, Mapping):
        return {}
    data = {k: copy.deepcopy(v) for k, v in kept.items() if k not in set(drop)}
    conformed: dict[str, Any] = _conform(data, shape) or {}
    return conformed


def _conform(node: Any, shape: Mapping[str, Any]) -> Any:
    """*node* with the types *shape* asks for: numbers from number-like text; what cannot fit is dropped."""
    shape = _resolve(shape)
    kind = shape.get("type")
    if kind == "object" or "properties" in shape:
        if not isinstance(node, Mapping):
            return None
        properties = shape.get("properties", {})
        out = {k: c for k, v in node.items() if k in properties
               and (c := _conform(v, properties[k])) is not None}
        return out or None
    if kind == "array":
        if not isinstance(node, list):
            return None
        items = [c for v in node if (c := _conform(v, shape.get("items", {}))) is not None]
        return items or None
    if kind == "number":
        return parse_number(node)[0]
    if kind == "string":
        text = str(node)
        return text if "enum" not in shape or text in shape["enum"] else None
    return node


def _resolve(shape: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = shape.get("$ref")
    if isinstance(ref, str):
        target = dict(schema()["definitions"][ref.rsplit("/", 1)[-1]])
        target.update({k: v for k, v in shape.items() if k != "$ref"})
        return target
    return shape


def _project(activity: Activity) -> dict[str, Any]:
    data: dict[str, Any] = _kept(activity, {"project_id"}, schema())
    data.pop("outcome_metrics", None)
    data.pop("results", None)
    data["name"] = {"value": activity.title}
    if activity.description:
        data.setdefault("purpose_and_classifications", {})["intervention"] = {"value": activity.description}
    if activity.period is not None:
        dates = data.setdefault("dates", {})
        dates["start_date_of_service_provision"] = {"value": activity.period.start.isoformat()}
        if activity.period.end is not None and "anticipated_end_date_of_service_provision" not in dates:
            dates["actual_end_date_of_service_provision"] = {"value": activity.period.end.isoformat()}
    return data


def _metric(indicator: Indicator) -> dict[str, Any]:
    kept = indicator.extension_data.get(EXTENSION, {})
    metric_id = kept.get("outcome_metric_id") if isinstance(kept, Mapping) else None
    metric: dict[str, Any] = {"id": str(metric_id or indicator.id)}
    metric.update(_kept(indicator, {"outcome_metric_id", "aggregation_basis"},
                        schema()["properties"]["outcome_metrics"]["items"]))
    metric["definition"] = {"value": indicator.description or indicator.title}
    if indicator.unit == "people":
        metric["unit_type_of_targeted_service_users_or_beneficiaries"] = {"value": "Individual"}
    elif indicator.unit:
        metric["unit_description_of_service_user_or_beneficiaries"] = {"value": indicator.unit}
    others = []
    for target in indicator.targets:
        if target.note == "INDIGO: targeted number of service users or beneficiaries (total)":
            metric["targeted_number_of_service_users_or_beneficiaries_total"] = {"value": target.value}
        elif target.note != "INDIGO: outcome metric target":
            when = f" ({target.period.start.isoformat()} to {target.period.end.isoformat() if target.period.end else '…'})" \
                if target.period else ""
            others.append(f"{target.value}{when}")
    if others:
        metric["outcome_metric_target"] = {"value": "; ".join(others)}
    return metric


def _result(evidence: Evidence, metric_ids: Mapping[str, str], linked: list[str]) -> dict[str, Any] | None:
    """The INDIGO result of *evidence*: a value for an indicator, a link to one, or a result read from INDIGO."""
    indicator_ids = [i for i in [*(v.indicator_id for v in evidence.values), *linked] if i in metric_ids]
    kept = evidence.extension_data.get(EXTENSION, {})
    if not indicator_ids and not (isinstance(kept, Mapping) and "result_index" in kept):
        return None
    result = _kept(evidence, {"result_index"}, schema()["properties"]["results"]["items"])
    if indicator_ids:
        result["outcome_metric_id"] = {"value": metric_ids[str(indicator_ids[0])]}
    for value in evidence.values:
        name = _RESULT_CODES.get(value.code)
        if name is None and value.indicator_id in metric_ids and "outcomes_achieved" not in result:
            name = "outcomes_achieved"  # a package's own actual for the indicator
        if name is None or isinstance(value.value, bool) or not isinstance(value.value, int | float):
            continue
        result[name] = {"value": value.value if name in _NUMBER_FIELDS else str(value.value)}
    if evidence.period is not None:
        result["period"] = {"start_date": {"value": evidence.period.start.isoformat()}}
        if evidence.period.end is not None:
            result["period"]["end_date"] = {"value": evidence.period.end.isoformat()}
    if evidence.narrative and not (isinstance(kept, Mapping) and kept):
        result["other_description_of_result"] = {"value": evidence.narrative}
    return result
