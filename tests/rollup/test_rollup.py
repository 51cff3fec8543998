"""Indicator roll-ups: hand-worked figures, the classic mistakes, and properties."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharedoutcomes import (
    Evidence,
    EvidenceSubject,
    EvidenceValue,
    Indicator,
    Organisation,
    Outcome,
    Package,
    Period,
    RateDefinition,
    UnknownName,
    ValidationProfile,
    example_package,
    load,
)
from sharedoutcomes.rollup import actuals, rollup, rollup_periods, rollups, to_dataframe

DATA = Path(__file__).parent / "data"
# Arran's "about 12" is text where a number belongs: validation reports it (value-not-a-number, an error
# since issue 10), and the roll-up must refuse it too; the fixture is loaded leniently to test the latter.
NETWORK = load(DATA / "carers-network-2024-25.json",
               profile=ValidationProfile(severities={"value-not-a-number": "warning"}))
TTC, ARRAN = "GB-SC-SC038977", "GB-SC-SC041200"
YEAR = {"start": dt.date(2024, 4, 1), "end": dt.date(2025, 3, 31)}
Q1 = Period(start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30))
Q2 = Period(start=dt.date(2024, 7, 1), end=dt.date(2024, 9, 30))
Q3 = Period(start=dt.date(2024, 10, 1), end=dt.date(2024, 12, 31))
Q4 = Period(start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31))
QUARTERS = (Q1, Q2, Q3, Q4)


# -- hand-worked figures on the example and the carers' network ------------------------------------------


def test_example_package_rollups():
    assert [(r.indicator_id, r.value) for r in rollups(example_package())] == [
        ("ind-members", 43), ("ind-less-isolated", 74.2), ("ind-breaks", 27 + 41), ("ind-carers-supported", 164)]


def test_cumulative_values_are_never_summed_over_time():
    # Three Towns: 40, 85, 120, 164 to date; Arran: 12, 30, 41 to date (no Q4 return).
    # Summing over time would give 409 + 83 = 492. Right: latest of each, 164 + 41 = 205.
    r = rollup(NETWORK, "ind-supported", **YEAR)
    assert r.value == 205
    assert {f.organisation: (f.value, f.as_of) for f in r.organisations} == {
        TTC: (164, dt.date(2025, 3, 31)), ARRAN: (41, dt.date(2024, 12, 31))}
    assert [p.rule for p in r.problems] == ["rollup-dates-differ"]  # the sum mixes dates, and says so
    assert r.ok
    assert [x.value for x in rollup_periods(NETWORK, "ind-supported", QUARTERS)] == [52, 115, 161, 164]


def test_percentages_with_different_denominators_are_pooled_not_averaged():
    # 8 of 10 (80%) and 45 of 90 (50%): the mean of the percentages is 65%, the right figure 53 of 100.
    r = rollup(NETWORK, "ind-felt-supported", **YEAR)
    assert (r.numerator, r.denominator, r.value) == (53, 100, 53.0)
    assert {f.organisation: f.value for f in r.organisations} == {TTC: 80.0, ARRAN: 50.0}
    assert "pooled" in r.method


def test_snapshots_take_the_latest_date_per_organisation():
    # Three Towns 30 (June) then 35 (September); Arran 20 (September): 35 + 20, not 30 + 35 + 20.
    assert rollup(NETWORK, "ind-caseload", **YEAR).value == 55
    assert rollup(NETWORK, "ind-caseload", start=Q1.start, end=Q1.end).value == 30


def test_a_value_that_is_not_a_number_blocks_the_total_and_says_where():
    r = rollup(NETWORK, "ind-breaks", **YEAR)
    assert r.value is None
    assert not r.ok
    [problem] = r.problems
    assert problem.rule == "rollup-value-not-a-number"
    assert problem.path == "$.evidence[15].values[0].value"
    assert "'about 12'" in problem.message
    # a window or organisations that leave it out roll up fine
    assert rollup(NETWORK, "ind-breaks", start=Q1.start, end=Q1.end).value == 27 + 9
    assert rollup(NETWORK, "ind-breaks", organisations=[TTC]).value == 27 + 41


def test_unknown_indicator_says_did_you_mean():
    with pytest.raises(UnknownName, match="Did you mean 'ind-breaks'"):
        rollup(NETWORK, "ind-break")


def test_dataframe_has_one_row_per_organisation_and_a_total():
    frame = rollup(NETWORK, "ind-felt-supported", **YEAR).to_dataframe()
    assert list(frame.organisation) == [TTC, ARRAN, "(all)"]
    assert list(frame.value) == [80.0, 50.0, 53.0]
    assert list(frame.denominator) == [10, 90, 100]
    everything = to_dataframe(rollups(NETWORK, **YEAR))
    assert set(everything.indicator_id) == {"ind-supported", "ind-felt-supported", "ind-caseload", "ind-breaks"}
    assert "not a number" in everything.loc[everything.indicator_id == "ind-breaks", "problems"].iloc[-1]


# -- built packages for the edge cases --------------------------------------------------------------------

ORGS = tuple(Organisation(id=f"GB-SC-SC0{n}", name=f"Org {n}", sector="third") for n in range(10000, 10006))


def package(aggregation, items, *, unit="people", rate=None):
    """items: (org index, start, end, value, extra values, subject size)."""
    indicator = Indicator(id="ind", title="An indicator", outcome_ids=("o",), direction="higher-is-better",
                          aggregation=aggregation, unit=unit, rate=rate)
    evidence = []
    for n, (org, start, end, value, extra, size) in enumerate(items):
        values = () if value is None else (EvidenceValue(code="v", value=value, indicator_id="ind"),)
        values += tuple(EvidenceValue(code=code, value=v, indicator_id="ind") for code, v in extra)
        evidence.append(Evidence(
            id=f"ev-{n}", kind="count", collected_by=ORGS[org].id, values=values,
            period=Period(start=start, end=end) if start != end else None, date=start if start == end else None,
            subject=None if size is None else EvidenceSubject(type="cohort", size=size)))
    return Package(schema_version="0.2", id="p", title="t", publisher=ORGS[0].id, produced="2025-05-01T00:00:00Z",
                   sharing_level="partners", organisations=ORGS, indicators=(indicator,), evidence=tuple(evidence),
                   outcomes=(Outcome(id="o", title="An outcome", level="person"),))


PCT = RateDefinition(numerator="yes", denominator="answered", per=100)


def test_a_percentage_without_a_denominator_is_a_problem_not_a_number():
    p = package("per-period", [(0, Q1.start, Q1.end, 50, (), None), (1, Q1.start, Q1.end, 90, (), 90)], unit="%",
                rate=PCT)
    r = rollup(p, "ind")
    assert r.value is None
    assert [(x.rule, x.path, x.severity) for x in r.problems] == [
        ("rollup-rate-no-denominator", "$.evidence[0].values[0].value", "error")]
    # on its own, one organisation's rate needs no pooling
    assert rollup(p, "ind", organisations=[ORGS[0].id]).value == 50


def test_percent_unit_without_a_rate_definition_is_still_pooled():
    p = package("per-period", [(0, Q1.start, Q1.end, 50, (), 10), (1, Q1.start, Q1.end, 90, (), 90)], unit="%")
    assert rollup(p, "ind").value == 86.0


def test_rate_from_numerator_and_denominator_only():
    p = package("per-period", [(0, Q1.start, Q1.end, None, (("v-numerator", 3), ("v-denominator", 4)), None),
                               (0, Q2.start, Q2.end, None, (("v-numerator", 1), ("v-denominator", 4)), None)],
                unit="%", rate=PCT)
    r = rollup(p, "ind")
    assert (r.numerator, r.denominator, r.value) == (4, 8, 50.0)


def test_inconsistent_rate_uses_its_numerator_and_denominator():
    p = package("per-period", [(0, Q1.start, Q1.end, 75, (("v-numerator", 1), ("v-denominator", 4)), None)],
                unit="%", rate=PCT)
    r = rollup(p, "ind")
    assert r.value == 25.0
    assert [x.rule for x in r.problems] == ["rollup-rate-inconsistent"]


def test_overlapping_per_period_values_from_one_organisation_are_refused():
    # a quarterly return and the annual return that contains it: adding them double counts
    year = Period(start=Q1.start, end=Q4.end)
    p = package("per-period", [(0, Q1.start, Q1.end, 27, (), None), (0, year.start, year.end, 120, (), None),
                               (1, Q1.start, Q1.end, 9, (), None)])
    r = rollup(p, "ind")
    assert r.value is None
    assert [x.rule for x in r.problems] == ["rollup-overlapping-periods"]
    assert rollup(p, "ind", organisations=[ORGS[1].id]).value == 9


def test_per_period_value_straddling_the_window_is_refused():
    half = Period(start=Q1.start, end=Q2.end)
    p = package("per-period", [(0, half.start, half.end, 60, (), None), (1, Q1.start, Q1.end, 9, (), None)])
    r = rollup(p, "ind", start=Q1.start, end=Q1.end)
    assert r.value is None
    assert [x.rule for x in r.problems] == ["rollup-period-straddles"]
    assert rollup(p, "ind", start=Q1.start, end=Q2.end).value == 69


def test_two_snapshots_on_the_same_day_from_one_organisation_are_refused():
    p = package("snapshot", [(0, Q1.end, Q1.end, 30, (), None), (0, Q1.end, Q1.end, 31, (), None)])
    r = rollup(p, "ind")
    assert r.value is None
    assert [x.rule for x in r.problems] == ["rollup-duplicate-date"]


def test_undated_value_is_refused():
    p = package("per-period", [(0, Q1.start, Q1.end, 5, (), None)])
    p = attrs.evolve(p, evidence=(*p.evidence, Evidence(id="ev-x", kind="count", collected_by=ORGS[0].id,
                                                        values=(EvidenceValue(code="v", value=3, indicator_id="ind"),))))
    r = rollup(p, "ind")
    assert r.value is None
    assert [(x.rule, x.path) for x in r.problems] == [("rollup-undated", "$.evidence[1]")]


def test_empty_window_has_no_value_and_says_so():
    r = rollup(NETWORK, "ind-caseload", start=dt.date(2030, 1, 1), end=dt.date(2030, 12, 31))
    assert r.value is None
    assert [x.rule for x in r.problems] == ["rollup-no-values"]
    assert r.problems[0].severity == "warning"


def test_actuals_read_the_denominator_from_the_cohort_size():
    [a] = [x for x in actuals(NETWORK, "ind-felt-supported") if x.organisation == ARRAN]
    assert (a.value, a.numerator, a.denominator) == (50, 45.0, 90)


# -- properties -------------------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=10_000)


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(range(4)), counts), max_size=12,
                unique_by=lambda t: (t[0], t[1])))
def test_per_period_totals_add_up_across_windows(items):
    p = package("per-period", [(org, QUARTERS[q].start, QUARTERS[q].end, v, (), None) for org, q, v in items])
    whole = rollup(p, "ind").value
    halves = [rollup(p, "ind", start=a.start, end=b.end).value for a, b in ((Q1, Q2), (Q3, Q4))]
    if items:
        assert whole == sum(v for _, _, v in items)
        assert whole == sum(h or 0 for h in halves)


@given(st.dictionaries(st.integers(0, 5), st.lists(counts, min_size=1, max_size=4), max_size=6))
def test_cumulative_rollup_is_the_sum_of_each_organisations_latest_value(runs):
    items = []
    for org, steps in runs.items():
        total = 0
        for q, step in enumerate(steps):
            total += step
            items.append((org, Q1.start, QUARTERS[q].end, total, (), None))
    r = rollup(package("cumulative", items), "ind")
    if runs:
        assert r.value == sum(sum(steps) for steps in runs.values())
        # and never more than summing over time would give
        assert r.value <= sum(item[3] for item in items)


@given(st.dictionaries(st.integers(0, 5), st.lists(counts, min_size=1, max_size=4), min_size=1, max_size=6))
def test_earlier_snapshots_do_not_change_the_rollup(series):
    items = [(org, QUARTERS[q].end, QUARTERS[q].end, v, (), None) for org, values in series.items()
             for q, v in enumerate(values)]
    expected = sum(values[-1] for values in series.values())
    assert rollup(package("snapshot", items), "ind").value == expected


@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(1, 1000)).map(lambda t: (min(t[0], t[1]), t[1])),
                min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_pooled_rate_lies_between_the_rates_and_ignores_order(pairs, random):
    items = [(n % 6, Q1.start, Q1.end, None, (("v-numerator", a), ("v-denominator", b)), None)
             for n, (a, b) in enumerate(pairs)]
    # one reporting unit per organisation and quarter, so spread them over quarters
    items = [(org, QUARTERS[n // 6].start, QUARTERS[n // 6].end, v, extra, size)
             for n, (org, _, _, v, extra, size) in enumerate(items)]
    value = rollup(package("per-period", items, unit="%", rate=PCT), "ind").value
    rates = [a / b * 100 for a, b in pairs]
    assert min(rates) - 1e-9 <= value <= max(rates) + 1e-9
    assert value == pytest.approx(sum(a for a, _ in pairs) / sum(b for _, b in pairs) * 100)
    random.shuffle(items)
    assert rollup(package("per-period", items, unit="%", rate=PCT), "ind").value == pytest.approx(value)
