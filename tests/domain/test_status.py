from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from socialvalue.domain.periods import FinancialYear, Frequency, Period
from socialvalue.domain.status import (
    MilestoneState,
    Observation,
    Status,
    Thresholds,
    assess,
    combine,
    overdue_periods,
    relative_likelihood,
    rollup,
    worst,
)
from socialvalue.domain.targets import Comparison, CountTarget, TargetKind, parse_target

D = Decimal
FY = FinancialYear(2023)
MONTHS = FY.periods(Frequency.MONTHLY)
QUARTERS = FY.periods(Frequency.QUARTERLY)
WHOLE_YEAR = FY.periods(Frequency.ANNUAL)[0]
LAST_DAY = date(2024, 3, 31)
DAY_AFTER = date(2024, 4, 1)
AFTER_Q2 = date(2023, 10, 2)
AFTER_Q3 = date(2024, 1, 2)


def two_dp(value):
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def values(periods, numbers):
    return [Observation(period=p, value=D(n)) for p, n in zip(periods, numbers, strict=True)]


def count(value=100, **extra):
    return parse_target("count", {"value": value, **extra})


def run(target, observations=(), *, as_of, frequency=Frequency.QUARTERLY, **kwargs):
    return assess(
        target,
        year=FY,
        frequency=frequency,
        observations=list(observations),
        as_of=as_of,
        **kwargs,
    )


def ratio_parts(events_a, population_a, events_b, population_b):
    return {
        "events_a": D(events_a),
        "population_a": D(population_a),
        "events_b": D(events_b),
        "population_b": D(population_b),
    }


# --- Status vocabulary -----------------------------------------------------------------------


def test_status_labels_and_colours():
    assert Status.ON_TRACK.label == "On track"
    assert Status.NOT_YET_DUE.label == "Not yet due"
    assert Status.DONE_LATE.label == "Done late"
    assert [s.colour for s in Status] == [
        "green", "green", "orange", "red", "red", "grey", "white", "yellow", "grey",
    ]  # fmt: skip
    # Only achieved and on track are green: done late is never shown as achieved.
    assert {s for s in Status if s.colour == "green"} == {Status.ACHIEVED, Status.ON_TRACK}


def test_worst_prefers_known_failure_over_unknown_over_risk():
    assert worst([Status.ACHIEVED, Status.AT_RISK]) is Status.AT_RISK
    assert worst([Status.AT_RISK, Status.NO_DATA]) is Status.NO_DATA
    assert worst([Status.NO_DATA, Status.OFF_TRACK]) is Status.OFF_TRACK
    assert worst([Status.OFF_TRACK, Status.MISSED]) is Status.MISSED


@pytest.mark.parametrize(
    ("at_risk", "off_track"),
    [("0.7", "0.8"), ("0.9", "0.9"), ("1.1", "0.75"), ("0.9", "0"), ("0.9", "-0.1")],
)
def test_thresholds_must_be_in_order(at_risk, off_track):
    with pytest.raises(ValueError):
        Thresholds(at_risk=D(at_risk), off_track=D(off_track))


# --- Cumulative counts -------------------------------------------------------------------


def test_count_part_way_through_the_year():
    result = run(count(), values(QUARTERS[:3], [20, 20, 22]), as_of=AFTER_Q3)
    assert result.actual == D(62)
    assert result.expected_to_date == D(100) * 3 / 4
    # 62 / 75 = 0.83: below 0.9, above 0.75.
    assert result.status is Status.AT_RISK
    assert result.forecast == (D(62) / (D(3) / 4)).quantize(D(1), rounding=ROUND_HALF_UP)
    assert result.explanation == (
        "62 of 100 by 31 December; 75 expected; forecast 83 by 31 March, short of 100"
    )
    assert result.target_text == "At least 100 in 2023/24"


@pytest.mark.parametrize(
    ("actual", "status"),
    [("45", Status.ON_TRACK), ("37.5", Status.AT_RISK), ("37", Status.OFF_TRACK)],
)
def test_thresholds_are_shares_of_the_expected_figure(actual, status):
    # After Q2, 50 of 100 are expected: 45 is exactly 0.9 of that, 37.5 exactly 0.75.
    result = run(count(), values(QUARTERS[:2], [actual, "0"]), as_of=AFTER_Q2)
    assert result.expected_to_date == D(50)
    assert result.status is status


def test_custom_thresholds():
    strict = Thresholds(at_risk=D("0.99"), off_track=D("0.95"))
    result = run(count(), values(QUARTERS[:2], [45, 0]), as_of=AFTER_Q2, thresholds=strict)
    assert result.status is Status.OFF_TRACK


def test_a_goal_met_during_the_year_is_achieved_at_once():
    result = run(count(), values(QUARTERS[:2], [60, 44]), as_of=AFTER_Q2)
    assert result.status is Status.ACHIEVED
    assert result.explanation == "Target met: 104 of 100"


def test_first_day_of_the_year_with_nothing_recorded_is_not_yet_due():
    result = run(count(), as_of=FY.start, frequency=Frequency.MONTHLY)
    assert result.status is Status.NOT_YET_DUE
    assert result.forecast is None
    assert result.expected_to_date == 0


def test_nothing_recorded_after_periods_closed_is_no_data():
    result = run(count(), as_of=date(2023, 10, 5), frequency=Frequency.MONTHLY)
    assert result.status is Status.NO_DATA
    assert result.explanation == "No value recorded for April 2023 to September 2023"
    assert result.forecast is None


def test_the_last_day_of_the_year_is_still_in_the_year():
    # On 31 March eleven months have closed: 90 of 100 is not yet missed.
    observations = values(MONTHS[:11], [8] * 10 + [10])
    result = run(count(), observations, as_of=LAST_DAY, frequency=Frequency.MONTHLY)
    assert result.expected_to_date == D(100) * 11 / 12
    assert result.status is Status.ON_TRACK
    assert "90 of 100 by 29 February; 91.67 expected" in result.explanation


def test_the_day_after_the_year_decides_it():
    observations = values(MONTHS[:11], [8] * 10 + [10])
    missed = run(count(), observations, as_of=DAY_AFTER, frequency=Frequency.MONTHLY)
    assert missed.status is Status.MISSED
    assert missed.explanation == "Target missed: 90 of 100; no value for March 2024"
    assert missed.forecast == D(90)
    achieved = run(
        count(),
        [*observations, Observation(period=MONTHS[11], value=D(10))],
        as_of=DAY_AFTER,
        frequency=Frequency.MONTHLY,
    )
    assert achieved.status is Status.ACHIEVED


def test_no_data_after_the_year_is_not_claimed_as_missed():
    assert run(count(), as_of=DAY_AFTER).status is Status.NO_DATA


def test_annual_indicators_with_nothing_recorded_have_nothing_due_until_the_year_ends():
    # Changed with the rule "an indicator reported once a year is judged during the year
    # where it has a pace": a yearly figure of 40 recorded on 31 March covers the whole year
    # and is judged on what was recorded (it used to be "on track, 0 expected").
    observations = [Observation(period=WHOLE_YEAR, value=D(40))]
    last_day = run(count(), observations, as_of=LAST_DAY, frequency=Frequency.ANNUAL)
    assert (last_day.status, last_day.expected_to_date) == (Status.MISSED, D(100))
    assert run(count(), as_of=LAST_DAY, frequency=Frequency.ANNUAL).status is Status.NOT_YET_DUE
    after = run(count(), observations, as_of=DAY_AFTER, frequency=Frequency.ANNUAL)
    assert after.status is Status.MISSED


def test_forecast_uses_the_latest_period_with_a_figure():
    # April and May recorded, June closed but not yet recorded: run rate over two months.
    observations = values(MONTHS[:2], [10, 6])
    result = run(count(), observations, as_of=date(2023, 7, 3), frequency=Frequency.MONTHLY)
    assert result.forecast == (D(16) / (D(2) / 12)).quantize(D(1))
    assert result.expected_to_date == D(100) * 3 / 12
    assert result.explanation.endswith("; no value for June 2023")


def test_forecast_keeps_decimals_when_figures_have_them():
    observations = values(QUARTERS[:1], ["10.5"])
    result = run(count(), observations, as_of=date(2023, 7, 3))
    assert result.forecast == D("10.5") * 4


def test_a_profile_sets_the_expected_share_and_the_run_rate():
    profile = [D("0.1"), D("0.3"), D("0.6"), D(1)]
    result = run(count(), values(QUARTERS[:2], [10, 18]), as_of=AFTER_Q2, profile=profile)
    assert result.expected_to_date == D(100) * D("0.3")
    assert result.status is Status.ON_TRACK  # 28 of 30 expected
    assert result.forecast == (D(28) / D("0.3")).quantize(D(1), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(
    "profile", [[D("0.5"), D(1)], [D("0.5"), D("0.4"), D("0.8"), D(1)], [D("0.1")] * 4]
)
def test_bad_profiles_are_rejected(profile):
    with pytest.raises(ValueError):
        run(count(), as_of=AFTER_Q2, profile=profile)


def test_observations_outside_the_year_are_ignored():
    last_year = FY.previous.periods(Frequency.QUARTERLY)
    observations = [*values(last_year, [100, 100, 100, 100]), *values(QUARTERS[:1], [30])]
    result = run(count(), observations, as_of=date(2023, 7, 3))
    assert result.actual == D(30)


def test_at_most_counts_compare_the_other_way_round():
    target = count(200, comparison="at_most")
    # After Q2 the allowance is 100: 105 is within 100 / 0.9.
    assert run(target, values(QUARTERS[:2], [50, 55]), as_of=AFTER_Q2).status is Status.ON_TRACK
    over = run(target, values(QUARTERS[:2], [150, 60]), as_of=AFTER_Q2)
    assert over.status is Status.OFF_TRACK
    assert run(target, values(QUARTERS, [50] * 4), as_of=DAY_AFTER).status is Status.ACHIEVED


# --- Growth and reduction -------------------------------------------------------------------


def growth(**params):
    return parse_target(
        "growth_from_baseline", {"baseline_period": "2020/21", "rate_percent": 5, **params}
    )


def test_growth_from_baseline_unknown_baseline_is_no_data_saying_which():
    result = run(growth(), values(QUARTERS[:1], [300000]), as_of=AFTER_Q2)
    assert result.status is Status.NO_DATA
    assert result.explanation == "Baseline for 2020/21 not yet recorded"
    assert result.actual == D(300000)


def test_growth_from_baseline_in_the_baseline_year_has_no_target():
    result = assess(
        growth(baseline_value=1000000),
        year=FinancialYear(2020),
        frequency=Frequency.QUARTERLY,
        observations=[],
        as_of=date(2020, 10, 1),
    )
    assert result.status is Status.NOT_YET_DUE
    assert result.goal is None


def test_growth_from_baseline_worked_example():
    goal = D("1000000") * D("1.05") ** 3
    target = growth(baseline_value=1000000)
    quarter = goal / 4
    on_pace = run(target, values(QUARTERS[:2], [quarter, quarter]), as_of=AFTER_Q2)
    assert on_pace.target_value == goal
    assert on_pace.expected_to_date == goal / 2
    assert on_pace.status is Status.ON_TRACK
    year_end = run(target, values(QUARTERS, [300000] * 4), as_of=DAY_AFTER)
    assert year_end.status is Status.ACHIEVED  # 1,200,000 >= 1,157,625


def test_growth_on_previous_needs_the_previous_actual():
    target = parse_target("growth_on_previous", {"rate_percent": 10})
    unknown = run(target, values(QUARTERS[:1], [20]), as_of=AFTER_Q2)
    assert unknown.status is Status.NO_DATA
    assert unknown.explanation == "Actual for 2022/23 not yet recorded"
    known = run(target, values(QUARTERS, [14] * 4), as_of=DAY_AFTER, previous_actual=D(50))
    assert known.target_value == D(50) * D("1.1")
    assert known.status is Status.ACHIEVED  # 56 >= 55


def test_growth_on_previous_without_a_rate_needs_any_rise():
    target = parse_target("growth_on_previous", {})
    same = run(target, values(QUARTERS, [10, 10, 10, 20]), as_of=DAY_AFTER, previous_actual=D(50))
    assert same.status is Status.MISSED
    more = run(target, values(QUARTERS, [10, 10, 10, 21]), as_of=DAY_AFTER, previous_actual=D(50))
    assert more.status is Status.ACHIEVED


def test_reduction_lower_is_better():
    target = parse_target("reduction_from_baseline", {"rate_percent": 5})
    limit = D(1000) * (1 - D("0.05"))
    allowed = limit / 2

    def after_q2(first, second):
        return run(target, values(QUARTERS[:2], [first, second]), as_of=AFTER_Q2,
                   previous_actual=D(1000))  # fmt: skip

    assert after_q2(250, 250).expected_to_date == allowed
    assert after_q2(250, 250).status is Status.ON_TRACK  # 475 / 500 = 0.95
    assert after_q2(300, 300).status is Status.AT_RISK  # 475 / 600 = 0.79
    assert after_q2(350, 350).status is Status.OFF_TRACK  # 475 / 700 = 0.68
    assert after_q2(500, 460).status is Status.OFF_TRACK  # over the yearly limit already
    final = run(target, values(QUARTERS, [230] * 4), as_of=DAY_AFTER, previous_actual=D(1000))
    assert final.status is Status.ACHIEVED  # 920 <= 950
    final = run(target, values(QUARTERS, [240] * 4), as_of=DAY_AFTER, previous_actual=D(1000))
    assert final.status is Status.MISSED  # 960 > 950


def test_reduction_without_the_previous_actual_is_no_data():
    target = parse_target("reduction_from_baseline", {"rate_percent": 5})
    result = run(target, values(QUARTERS[:1], [200]), as_of=AFTER_Q2)
    assert (result.status, result.explanation) == (
        Status.NO_DATA,
        "Actual for 2022/23 not yet recorded",
    )
    fixed = parse_target(
        "reduction_from_baseline", {"rate_percent": 5, "baseline_period": "2019/20"}
    )
    assert run(fixed, as_of=AFTER_Q2).explanation == "Baseline for 2019/20 not yet recorded"


# --- Several counts --------------------------------------------------------------------------


def projects():
    return parse_target(
        "counts",
        {
            "parts": [
                {"key": "research", "label": "research projects", "value": 2},
                {"key": "innovation", "label": "innovation projects", "value": 5},
            ]
        },
    )


def test_counts_takes_the_worst_part():
    observations = [
        Observation(period=QUARTERS[0], parts={"research": D(1), "innovation": D(1)}),
        Observation(period=QUARTERS[1], parts={"research": D(1), "innovation": D(3)}),
    ]
    during = run(projects(), observations, as_of=AFTER_Q2)
    statuses = {part.key: part.status for part in during.parts}
    # research: 2 of 2 met; innovation: 4 of 2.5 expected.
    assert statuses == {"research": Status.ACHIEVED, "innovation": Status.ON_TRACK}
    assert during.status is Status.ON_TRACK
    assert during.actual == D(6)
    after = run(projects(), observations, as_of=DAY_AFTER)
    assert {p.key: p.status for p in after.parts} == {
        "research": Status.ACHIEVED,
        "innovation": Status.MISSED,
    }
    assert after.status is Status.MISSED


def test_counts_with_a_part_never_recorded():
    observations = [Observation(period=QUARTERS[0], parts={"research": D(1)})]
    result = run(projects(), observations, as_of=AFTER_Q2)
    assert {p.key: p.status for p in result.parts}["innovation"] is Status.NO_DATA
    assert result.status is Status.NO_DATA


def test_counts_with_nothing_recorded():
    assert run(projects(), as_of=FY.start).status is Status.NOT_YET_DUE
    assert run(projects(), as_of=AFTER_Q2).status is Status.NO_DATA


# --- Shares ----------------------------------------------------------------------------------


def share(percent=25, **extra):
    return parse_target("share", {"target_percent": percent, **extra})


def fraction(period, numerator, denominator):
    return Observation(period=period, numerator=D(numerator), denominator=D(denominator))


def test_share_explanation_and_risk_band():
    result = run(share(), [fraction(QUARTERS[0], 281, 1200)], as_of=AFTER_Q2)
    assert result.actual == D(281) / D(1200) * 100
    assert result.explanation == (
        "281 of 1,200 (23.4%) by 30 September; target at least 25%; no value for Q2 2023/24"
    )
    assert result.status is Status.AT_RISK  # within 10% of 25
    low = run(share(), [fraction(QUARTERS[0], 200, 1200)], as_of=AFTER_Q2)
    assert low.status is Status.OFF_TRACK
    met = run(share(), [fraction(QUARTERS[0], 300, 1200)], as_of=date(2023, 7, 3))
    assert met.status is Status.ON_TRACK
    # The same share with Q2 closed and unreported: missing periods are never success.
    met_with_gap = run(share(), [fraction(QUARTERS[0], 300, 1200)], as_of=AFTER_Q2)
    assert met_with_gap.status is Status.AT_RISK


def test_share_sums_numerators_and_denominators_rather_than_averaging():
    observations = [fraction(QUARTERS[0], 1, 10), fraction(QUARTERS[1], 90, 100)]
    result = run(share(), observations, as_of=AFTER_Q2)
    assert result.actual == D(91) / D(110) * 100  # the average of 10% and 90% would be 50%
    assert result.status is Status.ON_TRACK


def test_share_after_the_year():
    assert run(share(), [fraction(WHOLE_YEAR, 24, 100)], as_of=DAY_AFTER).status is Status.MISSED
    at_most = share(10, comparison="at_most")
    assert run(at_most, [fraction(WHOLE_YEAR, 9, 100)], as_of=DAY_AFTER).status is Status.ACHIEVED
    assert run(at_most, [fraction(WHOLE_YEAR, 11, 100)], as_of=AFTER_Q2).status is Status.AT_RISK


def test_share_with_a_zero_denominator_is_no_data_with_the_reason():
    result = run(share(), [fraction(QUARTERS[0], 0, 0)], as_of=AFTER_Q2)
    assert result.status is Status.NO_DATA
    assert "total recorded is 0" in result.explanation


def test_share_with_nothing_recorded():
    assert run(share(), as_of=FY.start).status is Status.NOT_YET_DUE
    assert run(share(), as_of=AFTER_Q2).status is Status.NO_DATA


def benchmark(**params):
    return parse_target("increase_on_benchmark", {"benchmark_period": "2022/23", **params})


def test_increase_on_benchmark_share():
    target = benchmark(benchmark_value="12.5")
    after_q1 = date(2023, 7, 3)
    assert run(target, [fraction(QUARTERS[0], 13, 100)], as_of=after_q1).status is Status.ON_TRACK
    assert run(target, [fraction(QUARTERS[0], 12, 100)], as_of=after_q1).status is Status.AT_RISK
    assert run(target, [fraction(QUARTERS[0], 10, 100)], as_of=after_q1).status is (
        Status.OFF_TRACK
    )
    equal = run(target, [fraction(QUARTERS[0], 25, 200)], as_of=DAY_AFTER)
    assert equal.status is Status.MISSED  # must beat the benchmark, not equal it


def test_increase_on_benchmark_unknown_or_in_the_benchmark_year():
    unknown = run(benchmark(), [fraction(QUARTERS[0], 13, 100)], as_of=AFTER_Q2)
    assert (unknown.status, unknown.explanation) == (
        Status.NO_DATA,
        "Benchmark for 2022/23 not yet recorded",
    )
    same_year = assess(
        benchmark(benchmark_value=12),
        year=FinancialYear(2022),
        frequency=Frequency.ANNUAL,
        observations=[],
        as_of=date(2023, 4, 2),
    )
    assert same_year.status is Status.NOT_YET_DUE


def test_increase_on_benchmark_value_takes_the_latest_period():
    target = benchmark(benchmark_value=15, measure="value")
    result = run(target, values(QUARTERS[:2], [10, 20]), as_of=AFTER_Q2)
    assert result.actual == D(20)
    assert result.status is Status.ON_TRACK


# --- Ratio band ------------------------------------------------------------------------------


def band(*keys):
    parts = [
        {"key": key, "label": key.upper(), "group_a": "White", "group_b": "BME"}
        for key in keys or ("wres2",)
    ]
    return parse_target("ratio_band", {"lower": 0.8, "upper": 1.2, "parts": parts})


def test_relative_likelihood_worked_figures():
    ratio, _ = relative_likelihood(
        events_a=D(250), population_a=D(1000), events_b=D(120), population_b=D(800)
    )
    assert ratio == (D(250) / D(1000)) / (D(120) / D(800))
    assert two_dp(ratio) == D("1.67")
    christie, _ = relative_likelihood(
        events_a=D("46.99"), population_a=D(100), events_b=D("14.65"), population_b=D(100)
    )
    assert two_dp(christie) == D("3.21")
    resolution, _ = relative_likelihood(
        events_a=D("19.1"), population_a=D(100), events_b=D("5.9"), population_b=D(100)
    )
    assert two_dp(resolution) == D("3.24")


def test_relative_likelihood_with_a_zero_rate_has_no_ratio():
    ratio, reason = relative_likelihood(
        events_a=D(10),
        population_a=D(50),
        events_b=D(0),
        population_b=D(40),
        group_b="Disabled candidates",
    )
    assert ratio is None
    assert reason.startswith("no ratio")
    assert "Disabled candidates" in reason
    ratio, reason = relative_likelihood(
        events_a=D(0), population_a=D(0), events_b=D(1), population_b=D(40), group_a="White"
    )
    assert (ratio, reason) == (None, "no ratio: no White counted")


def test_ratio_band_outside():
    counts = ratio_parts(250, 1000, 120, 800)
    observations = [Observation(period=WHOLE_YEAR, parts={"wres2": counts})]
    result = run(band(), observations, as_of=AFTER_Q2, frequency=Frequency.ANNUAL)
    assert result.status is Status.OFF_TRACK
    assert result.explanation == "Ratio 1.67 (250 of 1,000 vs 120 of 800): outside 0.8\u20131.2"
    after = run(band(), observations, as_of=DAY_AFTER, frequency=Frequency.ANNUAL)
    assert after.status is Status.MISSED


def test_ratio_band_inside_and_on_the_edge():
    inside = [Observation(period=WHOLE_YEAR, parts={"wres2": ratio_parts(100, 1000, 100, 1000)})]
    assert run(band(), inside, as_of=AFTER_Q2).status is Status.ON_TRACK
    assert run(band(), inside, as_of=DAY_AFTER).status is Status.ACHIEVED
    # 1.204 is published as 1.20, which is inside the band.
    edge = [Observation(period=WHOLE_YEAR, parts={"wres2": ratio_parts(602, 1000, 500, 1000)})]
    assert run(band(), edge, as_of=DAY_AFTER).status is Status.ACHIEVED


def test_ratio_band_with_no_ratio_is_no_data_with_the_reason():
    # Both rates 0: no ratio, and no sign of a disparity either way.
    observations = [Observation(period=WHOLE_YEAR, parts={"wres2": ratio_parts(0, 50, 0, 40)})]
    result = run(band(), observations, as_of=DAY_AFTER)
    assert result.status is Status.NO_DATA
    assert result.explanation == (
        "No ratio: the rates for White and BME are both 0 (0 of 50 White, 0 of 40 BME)"
    )


def test_ratio_band_sums_the_counts_before_dividing():
    observations = [
        Observation(period=QUARTERS[0], parts={"wres2": ratio_parts(10, 100, 1, 100)}),
        Observation(period=QUARTERS[1], parts={"wres2": ratio_parts(20, 400, 30, 100)}),
    ]
    result = run(band(), observations, as_of=AFTER_Q2)
    expected = (D(30) / D(500)) / (D(31) / D(200))
    average = ((D(10) / 100) / (D(1) / 100) + (D(20) / 400) / (D(30) / 100)) / 2
    assert result.parts[0].actual == expected
    assert result.parts[0].actual != average


def test_ratio_band_takes_the_worst_part_and_flags_small_numbers():
    observations = [
        Observation(
            period=WHOLE_YEAR,
            parts={"wres2": ratio_parts(100, 1000, 100, 1000), "wdes2": ratio_parts(3, 5, 1, 8)},
        )
    ]
    result = run(band("wres2", "wdes2"), observations, as_of=AFTER_Q2)
    assert [p.status for p in result.parts] == [Status.ON_TRACK, Status.OFF_TRACK]
    assert result.status is Status.OFF_TRACK
    assert "treat with care" in result.parts[1].explanation
    assert "treat with care" not in result.parts[0].explanation


def test_ratio_band_with_nothing_recorded():
    assert run(band(), as_of=FY.start).status is Status.NOT_YET_DUE
    assert run(band(), as_of=AFTER_Q2).status is Status.NO_DATA


# --- Milestones ------------------------------------------------------------------------------


def milestone(**params):
    return parse_target("milestone", params)


def state(period, value, achieved_on=None):
    return Observation(period=period, milestone_state=value, achieved_on=achieved_on)


def test_milestone_done_in_the_year_is_achieved():
    result = run(
        milestone(),
        [state(QUARTERS[2], MilestoneState.DONE, date(2023, 11, 20))],
        as_of=AFTER_Q3,
    )
    assert result.status is Status.ACHIEVED
    assert result.explanation == "Done on 20 November 2023"


def test_one_off_milestone_done_in_an_earlier_year_stays_achieved():
    earlier = FY.previous.periods(Frequency.QUARTERLY)[3]
    observations = [state(earlier, MilestoneState.DONE, date(2023, 2, 1))]
    assert run(milestone(), observations, as_of=AFTER_Q2).status is Status.ACHIEVED


def test_recurring_milestone_must_be_done_within_the_year():
    earlier = FY.previous.periods(Frequency.QUARTERLY)[3]
    observations = [state(earlier, MilestoneState.DONE, date(2023, 2, 1))]
    target = milestone(recurs=True)
    # Not done in the year and past its due date (31 March): overdue, so missed.
    assert run(target, observations, as_of=DAY_AFTER).status is Status.MISSED
    late_record = [state(QUARTERS[0], MilestoneState.DONE, date(2023, 2, 1))]
    assert run(target, late_record, as_of=DAY_AFTER).status is Status.MISSED


def test_milestone_states_during_the_year():
    target = milestone(due="2023-12-31")
    in_progress = [state(QUARTERS[0], MilestoneState.IN_PROGRESS)]
    assert run(target, in_progress, as_of=AFTER_Q2).status is Status.ON_TRACK
    not_started = [state(QUARTERS[0], MilestoneState.NOT_STARTED)]
    assert run(target, not_started, as_of=AFTER_Q2).status is Status.AT_RISK  # 90 days left
    assert run(target, not_started, as_of=date(2023, 7, 3)).status is Status.NOT_YET_DUE
    assert run(target, in_progress, as_of=date(2024, 1, 1)).status is Status.MISSED
    assert run(target, in_progress, as_of=date(2023, 12, 31)).status is Status.ON_TRACK


def test_milestone_latest_state_wins():
    observations = [
        state(QUARTERS[1], MilestoneState.IN_PROGRESS),
        state(QUARTERS[0], MilestoneState.NOT_STARTED),
    ]
    result = run(milestone(), observations, as_of=AFTER_Q2)
    assert result.status is Status.ON_TRACK


def test_milestone_with_nothing_recorded():
    assert run(milestone(), as_of=FY.start).status is Status.NOT_YET_DUE
    assert run(milestone(), as_of=AFTER_Q2).status is Status.NO_DATA


# --- Maintain and direction ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["maintain", "direction"])
def test_self_assessed_kinds_use_the_latest_status(kind):
    params = {"direction": "increase"} if kind == "direction" else {}
    target = parse_target(kind, params)
    observations = [
        Observation(period=QUARTERS[1], self_status=Status.AT_RISK, narrative="Fell back. Why."),
        Observation(period=QUARTERS[0], self_status=Status.ON_TRACK, narrative="Going well."),
    ]
    result = run(target, observations, as_of=AFTER_Q2)
    assert result.status is Status.AT_RISK
    assert result.explanation == 'Self-assessed as at risk: "Fell back."'
    assert run(target, as_of=AFTER_Q2).status is Status.NO_DATA


def test_long_narratives_are_trimmed():
    words = "We kept high levels of Teams meetings across every site " * 4
    observations = [Observation(period=QUARTERS[0], self_status=Status.ON_TRACK, narrative=words)]
    result = run(parse_target("maintain", {}), observations, as_of=AFTER_Q2)
    quoted = result.explanation.split('"')[1]
    assert quoted.endswith("…")
    assert len(quoted) <= 100
    assert quoted[:-1] in words


# --- Combining and rolling up ----------------------------------------------------------------


def test_combine_sums_values():
    actual = combine("count", values(QUARTERS[:3], [1, 2, "3.5"]))
    assert actual.value == D(1) + D(2) + D("3.5")
    assert actual.periods == QUARTERS[:3]


def test_combine_counts_sums_each_part():
    actual = combine(
        TargetKind.COUNTS,
        [
            Observation(period=QUARTERS[0], parts={"a": D(1), "b": D(2)}),
            Observation(period=QUARTERS[1], parts={"a": D(3)}),
        ],
    )
    assert (actual.part("a").value, actual.part("b").value) == (D(4), D(2))


def test_combine_ratio_uses_target_group_names_in_reasons():
    target = parse_target(
        "ratio_band",
        {
            "lower": 0.8,
            "upper": 1.2,
            "parts": [
                {
                    "key": "wdes2",
                    "label": "WDES 2",
                    "group_a": "Non-disabled",
                    "group_b": "Disabled",
                }
            ],
        },
    )
    observation = Observation(period=WHOLE_YEAR, parts={"wdes2": ratio_parts(5, 50, 0, 0)})
    actual = combine(target, [observation])
    assert actual.part("wdes2").ratio is None
    assert actual.part("wdes2").reason == "no ratio: no Disabled counted"


def test_rollup_counts_the_group_only_where_no_member_reported():
    members = {
        "RT5": values(QUARTERS[:2], [10, 20]),
        "RP1": values(QUARTERS[:2], [5, 7]),
    }
    own = values([QUARTERS[0], QUARTERS[3]], [1000, 9])
    observations = rollup(members=members, own=own)
    assert combine("count", observations).value == D(10 + 20 + 5 + 7 + 9)
    annual_own = [Observation(period=WHOLE_YEAR, value=D(500))]
    assert combine("count", rollup(members=members, own=annual_own)).value == D(42)
    assert combine("count", rollup(members={}, own=annual_own)).value == D(500)


def test_rollup_recomputes_shares_and_ratios_from_members_raw_numbers():
    members = {
        "RT5": [
            Observation(
                period=WHOLE_YEAR,
                numerator=D(10),
                denominator=D(100),
                parts={"wres2": ratio_parts(50, 100, 10, 100)},
            )
        ],
        "RP1": [
            Observation(
                period=WHOLE_YEAR,
                numerator=D(90),
                denominator=D(300),
                parts={"wres2": ratio_parts(20, 400, 30, 200)},
            )
        ],
    }
    observations = rollup(members=members)
    assert combine("share", observations).value == D(100) / D(400) * 100  # not (10% + 30%) / 2
    ratio = combine("ratio_band", observations).part("wres2").ratio
    expected, _ = relative_likelihood(
        events_a=D(70), population_a=D(500), events_b=D(40), population_b=D(300)
    )
    assert ratio == expected
    each = [combine("ratio_band", obs).part("wres2").ratio for obs in members.values()]
    assert ratio != sum(each) / 2


def test_rollup_of_self_assessments_takes_the_least_favourable_member():
    q2 = QUARTERS[1]
    members = {
        "RT5": [
            Observation(period=QUARTERS[0], self_status=Status.OFF_TRACK, narrative="Slow start."),
            Observation(period=q2, self_status=Status.ON_TRACK, narrative="Going well."),
        ],
        "RP1": [Observation(period=q2, self_status=Status.AT_RISK, narrative="Short of staff.")],
    }
    actual = combine("direction", rollup(members=members))
    # The latest quarter's word counts (RT5's Q1 is superseded), and of Q2's two, the worse.
    assert (actual.self_status, actual.narrative) == (Status.AT_RISK, "Short of staff.")


def test_rollup_of_milestones_is_done_only_when_every_member_is():
    q3 = QUARTERS[2]
    done = Observation(
        period=q3, milestone_state=MilestoneState.DONE, achieved_on=date(2023, 11, 1)
    )
    started = Observation(period=q3, milestone_state=MilestoneState.IN_PROGRESS)
    actual = combine("milestone", rollup(members={"RT5": [done], "RP1": [started]}))
    assert (actual.milestone_state, actual.achieved_on) == (MilestoneState.IN_PROGRESS, None)
    later = Observation(
        period=q3, milestone_state=MilestoneState.DONE, achieved_on=date(2023, 12, 5)
    )
    actual = combine("milestone", rollup(members={"RT5": [done], "RP1": [later]}))
    assert (actual.milestone_state, actual.achieved_on) == (MilestoneState.DONE, date(2023, 12, 5))


# --- Overdue ---------------------------------------------------------------------------------


def test_overdue_periods_respect_the_grace_period():
    april, may = MONTHS[0], MONTHS[1]
    # April ended 30 April; 30 days' grace runs to 30 May.
    assert overdue_periods(year=FY, frequency="monthly", recorded=[], as_of=date(2023, 5, 30)) == ()
    assert overdue_periods(year=FY, frequency="monthly", recorded=[], as_of=date(2023, 5, 31)) == (
        april,
    )
    assert overdue_periods(
        year=FY, frequency="monthly", recorded=[april], as_of=date(2023, 7, 1)
    ) == (may,)
    assert overdue_periods(
        year=FY, frequency="monthly", recorded=[], as_of=date(2023, 5, 2), grace_days=0
    ) == (april,)


def test_a_coarser_record_covers_the_periods_inside_it():
    overdue = overdue_periods(
        year=FY, frequency=Frequency.QUARTERLY, recorded=[WHOLE_YEAR], as_of=date(2024, 6, 1)
    )
    assert overdue == ()
    overdue = overdue_periods(
        year=FY, frequency=Frequency.QUARTERLY, recorded={QUARTERS[0]}, as_of=date(2024, 6, 1)
    )
    assert overdue == QUARTERS[1:]


def test_periods_from_keys_match_generated_periods():
    assert Period.from_key("2023/24-Q2") == QUARTERS[1]


# --- The rules of docs/status.md, each with hand-worked figures --------------------------------

MONTHLY, QUARTERLY, ANNUAL = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL
LAST_YEAR_QUARTERS = FY.previous.periods(QUARTERLY)


# Rule 1: the actual and the expected-to-date cover the same periods.


def test_the_expected_covers_the_months_the_actual_covers():
    # April to December recorded, 62 in all, asked on 31 December. December is still running
    # on its last day but has a figure, so both cover nine months: 100 x 9/12 = 75 expected
    # (the engine used to say 66.67, eight months, against nine months' actual).
    observations = values(MONTHS[:9], [7, 7, 7, 7, 7, 7, 7, 7, 6])
    result = run(count(), observations, as_of=date(2023, 12, 31), frequency=MONTHLY, unit="people")
    assert (result.actual, result.expected_to_date) == (D(62), D(75))
    # 62 / 75 = 0.83, under 0.9: at risk. Forecast 62 / (9/12) = 82.67, rounded 83.
    assert (result.status, result.forecast) == (Status.AT_RISK, D(83))
    assert result.explanation == (
        "62 of 100 people by 31 December; 75 expected; forecast 83 by 31 March, short of 100"
    )


def test_without_the_running_month_both_stop_at_the_last_closed_month():
    # December not yet recorded on 31 December: April to November, 56, against 100 x 8/12.
    observations = values(MONTHS[:8], [7] * 8)
    result = run(count(), observations, as_of=date(2023, 12, 31), frequency=MONTHLY, unit="people")
    assert result.expected_to_date == D(100) * 8 / 12
    # 56 / 66.67 = 0.84: at risk; forecast 56 / (8/12) = 84. Whole people: 67 expected.
    assert result.status is Status.AT_RISK
    assert result.explanation == (
        "56 of 100 people by 30 November; 67 expected; forecast 84 by 31 March, short of 100"
    )


def test_a_running_month_with_a_figure_is_expected_pro_rata_by_days():
    # 15 January with January's figure to date: nine months plus 15 of January's 31 days,
    # 100 x (9/12 + 1/12 x 15/31) = 79.03 expected against 62 + 5 = 67.
    observations = [*values(MONTHS[:9], [7, 7, 7, 7, 7, 7, 7, 7, 6]), *values(MONTHS[9:10], [5])]
    result = run(count(), observations, as_of=date(2024, 1, 15), frequency=MONTHLY, unit="people")
    assert two_dp(result.expected_to_date) == D("79.03")
    # Pace 67 / 79.03 = 0.85: at risk. Forecast 67 / 0.7903 = 84.78, rounded 85.
    assert (result.actual, result.forecast, result.status) == (D(67), D(85), Status.AT_RISK)
    assert result.explanation.startswith("67 of 100 people by 15 January; 79 expected;")


def test_a_figure_for_a_period_not_begun_by_the_day_asked_does_not_count():
    observations = values(MONTHS[:3], [10, 10, 10])
    result = run(count(), observations, as_of=date(2023, 5, 31), frequency=MONTHLY)
    # June has not begun on 31 May: 20 of 100 by 31 May, 100 x 2/12 = 16.67 expected.
    assert result.actual == D(20)
    assert result.expected_to_date == D(100) * 2 / 12


# Rule 2: a target built on the previous year needs that year complete.


def test_growth_on_a_half_recorded_previous_year_has_no_target():
    target = parse_target("growth_on_previous", {"rate_percent": 10})
    half = values(LAST_YEAR_QUARTERS[:2], [30, 30])
    result = run(target, values(QUARTERS, [20] * 4), as_of=DAY_AFTER, previous_observations=half)
    # It used to take 60 as 2022/23's actual, set 66 and call 80 achieved.
    assert (result.status, result.goal, result.actual) == (Status.NO_DATA, None, D(80))
    assert result.explanation == (
        "No target for 2023/24: 2022/23 is not complete (no value for Q3 2022/23 to Q4 2022/23)"
    )
    complete = values(LAST_YEAR_QUARTERS, [30, 30, 10, 10])
    result = run(
        target, values(QUARTERS, [20] * 4), as_of=DAY_AFTER, previous_observations=complete
    )
    # 2022/23: 80; goal 80 x 1.1 = 88; 80 is short of it.
    assert (result.target_value, result.status) == (D(88), Status.MISSED)
    assert run(target, as_of=AFTER_Q2, previous_observations=[]).explanation == (
        "Actual for 2022/23 not yet recorded"
    )


def test_reduction_on_the_previous_year_takes_a_yearly_figure_as_complete():
    target = parse_target("reduction_from_baseline", {"rate_percent": 5})
    yearly = [Observation(period=FY.previous.periods(ANNUAL)[0], value=D(1000))]
    result = run(target, values(QUARTERS, [230] * 4), as_of=DAY_AFTER, previous_observations=yearly)
    assert (result.target_value, result.status) == (D(950), Status.ACHIEVED)  # 920 <= 950
    gappy = values(LAST_YEAR_QUARTERS[:3], [250, 250, 250])
    result = run(target, values(QUARTERS, [230] * 4), as_of=DAY_AFTER, previous_observations=gappy)
    assert result.status is Status.NO_DATA
    assert result.explanation.endswith("(no value for Q4 2022/23)")


def test_a_groups_previous_year_needs_every_member():
    target = parse_target("growth_on_previous", {"rate_percent": 10})
    previous = rollup(
        members={
            "RT5": values(LAST_YEAR_QUARTERS, [5] * 4),
            "RP1": values(LAST_YEAR_QUARTERS[:3], [5] * 3),
        }
    )
    result = run(target, as_of=AFTER_Q2, previous_observations=previous, members=["RT5", "RP1"])
    assert result.explanation == (
        "No target for 2023/24: 2022/23 is not complete (no value from RP1 for Q4 2022/23)"
    )


# Rule 3: missing periods are never success.


def test_an_at_most_count_with_months_unreported_is_not_achieved():
    target = count(50, comparison="at_most")
    # April to September, 5 a month: 30. October to March never reported. It used to be
    # "achieved" at year end.
    result = run(
        target, values(MONTHS[:6], [5] * 6), as_of=DAY_AFTER, frequency=MONTHLY, unit="people"
    )
    assert result.status is Status.NO_DATA
    assert result.explanation == (
        "Not achieved: 30 against at most 50 people, but no value for October 2023 to March 2024"
    )
    assert result.gaps == (("", MONTHS[6:]),)
    complete = run(target, values(MONTHS, [4] * 12), as_of=DAY_AFTER, frequency=MONTHLY)
    assert complete.status is Status.ACHIEVED  # 48 <= 50
    over = run(target, values(MONTHS[:6], [10] * 6), as_of=DAY_AFTER, frequency=MONTHLY)
    assert over.status is Status.MISSED  # 60 > 50 whatever the rest


def test_an_at_most_count_with_a_gap_is_at_best_at_risk_during_the_year():
    target = count(50, comparison="at_most")
    # 2 October: April to July recorded, 4 a month (16); August and September unreported.
    # Allowed by 30 September 50 x 6/12 = 25; 16 is well within, but the gap caps it.
    result = run(target, values(MONTHS[:4], [4] * 4), as_of=AFTER_Q2, frequency=MONTHLY)
    assert result.status is Status.AT_RISK
    assert result.explanation == (
        "16 against at most 50 by 30 September; 25 allowed; forecast 48 by 31 March; "
        "no value for August 2023 to September 2023"
    )


def test_a_less_than_limit_is_lower_is_better_and_strict():
    target = CountTarget(value=D(50), comparison=Comparison.LESS_THAN)
    assert run(target, values(QUARTERS, [12, 12, 13, 13]), as_of=DAY_AFTER).status is Status.MISSED
    assert run(target, values(QUARTERS, [12, 12, 12, 13]), as_of=DAY_AFTER).status is (
        Status.ACHIEVED
    )  # 49 < 50
    gappy = run(target, values(QUARTERS[:3], [10, 10, 10]), as_of=DAY_AFTER)
    assert gappy.status is Status.NO_DATA
    assert gappy.explanation == "Not achieved: 30 against less than 50, but no value for Q4 2023/24"


def test_a_share_with_a_quarter_unreported_is_not_achieved():
    observations = [fraction(q, 300, 1000) for q in QUARTERS[:3]]
    result = run(share(), observations, as_of=DAY_AFTER, unit="people")
    assert result.status is Status.NO_DATA
    assert result.explanation == (
        "Not achieved: 900 of 3,000 people (30%) by 31 March; target at least 25%, "
        "but no value for Q4 2023/24"
    )
    whole = [*observations, fraction(QUARTERS[3], 300, 1000)]
    assert run(share(), whole, as_of=DAY_AFTER).status is Status.ACHIEVED


# Rule 4: a yearly figure is judged during the year where it has a pace, at year end on
# what was recorded.


def test_a_yearly_count_recorded_on_31_march_is_judged_on_it():
    # 80 of 100 recorded for the year on its last day: it used to be "on track, 0 expected".
    yearly = [Observation(period=WHOLE_YEAR, value=D(80))]
    result = run(count(), yearly, as_of=LAST_DAY, frequency=ANNUAL)
    assert (result.status, result.expected_to_date, result.forecast) == (
        Status.MISSED, D(100), D(80),
    )  # fmt: skip
    assert result.explanation == "Target missed: 80 of 100"
    assert run(count(), yearly, as_of=DAY_AFTER, frequency=ANNUAL).status is Status.MISSED


def test_a_yearly_count_recorded_during_the_year_has_a_pace():
    # 30 September: 183 of 2023/24's 366 days (it has 29 February) have passed, so
    # 100 x 183/366 = 50 expected.
    def on_30_september(figure):
        observations = [Observation(period=WHOLE_YEAR, value=D(figure))]
        return run(count(), observations, as_of=date(2023, 9, 30), frequency=ANNUAL)

    on_pace = on_30_september(45)  # 45 / 50 = 0.9; forecast 45 / 0.5 = 90, 0.9 of 100
    assert (on_pace.expected_to_date, on_pace.forecast, on_pace.status) == (
        D(50), D(90), Status.ON_TRACK,
    )  # fmt: skip
    assert on_pace.explanation == (
        "45 of 100 by 30 September; 50 expected; forecast 90 by 31 March, short of 100"
    )
    assert on_30_september(30).status is Status.OFF_TRACK  # 0.6 of the pace
    nothing = run(count(), as_of=date(2023, 9, 30), frequency=ANNUAL)
    assert nothing.status is Status.NOT_YET_DUE


# Rule 5: off track and at risk come from the forecast as well as the pace.


def test_a_year_that_cannot_reach_its_target_says_so_before_it_ends():
    # 15 May, nothing closed yet (Q1 runs to 30 June), Q1's figure to date 2. It used to be
    # "nothing due yet: on track". Expected 100 x 1/4 x 45/91 = 12.36; forecast 2 / 0.1236
    # = 16.18, rounded 16: far short of 100, off track.
    result = run(count(), values(QUARTERS[:1], [2]), as_of=date(2023, 5, 15))
    assert two_dp(result.expected_to_date) == D("12.36")
    assert (result.forecast, result.status) == (D(16), Status.OFF_TRACK)
    assert "forecast 16 by 31 March, short of 100" in result.explanation


def test_the_worse_of_pace_and_forecast_stands():
    # A group (rule 9): RT5 reported Q1 to Q3 (30 each), RP1 only Q1 (20). As of 2 January:
    # pace 110 / 150 = 0.73, off track; forecast 30x3 / (3/4) + 20 / (1/4) = 120 + 80 = 200,
    # meets 200. The worse, off track, stands.
    members = {"RT5": values(QUARTERS[:3], [30] * 3), "RP1": values(QUARTERS[:1], [20])}
    result = run(count(200), rollup(members=members), as_of=AFTER_Q3, members=["RT5", "RP1"])
    assert (result.actual, result.expected_to_date, result.forecast) == (D(110), D(150), D(200))
    assert result.status is Status.OFF_TRACK


# Rule 6: milestones.


def test_a_milestone_done_after_its_due_date_is_done_late_not_achieved():
    late = [state(QUARTERS[2], MilestoneState.DONE, date(2023, 10, 15))]
    result = run(milestone(due="2023-09-30"), late, as_of=AFTER_Q3)
    assert result.status is Status.DONE_LATE
    assert result.status.colour != Status.ACHIEVED.colour
    assert result.explanation == "Done late on 15 October 2023: it was due by 30 September 2023"
    after = run(milestone(due="2023-09-30"), late, as_of=DAY_AFTER)
    assert after.status is Status.DONE_LATE
    on_the_day = [state(QUARTERS[1], MilestoneState.DONE, date(2023, 9, 30))]
    assert run(milestone(due="2023-09-30"), on_the_day, as_of=AFTER_Q3).status is Status.ACHIEVED


def test_a_milestone_done_after_the_date_asked_is_not_done_yet():
    # Rule 12: reported yearly as done on 15 February 2024. On 1 April 2023 (the year's first
    # day, its period begun) it is not done: not yet due (it used to say "Done on 15
    # February 2024"); on 14 February still nothing is recorded as of then; on 15 February
    # it is done.
    yearly = FY.periods(ANNUAL)[0]
    done = [state(yearly, MilestoneState.DONE, date(2024, 2, 15))]
    target = milestone(due="2024-02-29")
    first_day = run(target, done, as_of=date(2023, 4, 1), frequency=ANNUAL)
    assert (first_day.status, first_day.explanation) == (
        Status.NOT_YET_DUE,
        "Nothing due until 2023/24 has ended",
    )
    day_before = run(target, done, as_of=date(2024, 2, 14), frequency=ANNUAL)
    assert (day_before.status, day_before.explanation) == (first_day.status, first_day.explanation)
    on_the_day = run(target, done, as_of=date(2024, 2, 15), frequency=ANNUAL)
    assert (on_the_day.status, on_the_day.explanation) == (
        Status.ACHIEVED,
        "Done on 15 February 2024",
    )
    # Done after the due date and judged between the two: missed, then done late.
    late = [state(yearly, MilestoneState.DONE, date(2024, 3, 10))]
    assert run(target, late, as_of=date(2024, 3, 5), frequency=ANNUAL).status is Status.MISSED
    assert run(target, late, as_of=date(2024, 3, 10), frequency=ANNUAL).status is (Status.DONE_LATE)


@pytest.mark.parametrize("frequency", [ANNUAL, QUARTERLY, MONTHLY])
def test_a_milestone_is_overdue_from_the_day_after_its_due_date(frequency):
    # Due on leap day 2024, nothing recorded: it used to be "not yet due" in March for a
    # yearly report, because no reporting period had closed.
    target = milestone(due="2024-02-29")
    on_the_day = run(target, as_of=date(2024, 2, 29), frequency=frequency)
    assert on_the_day.status is not Status.MISSED
    result = run(target, as_of=date(2024, 3, 1), frequency=frequency)
    assert result.status is Status.MISSED
    assert result.explanation == "Overdue: not done by 29 February 2024 (no progress recorded)"


def test_a_done_milestone_is_never_overdue():
    # 1 June 2024: every quarter of 2023/24 is past its 30 days' grace; only Q1 reported.
    june = date(2024, 6, 1)
    assert (
        overdue_periods(year=FY, frequency=QUARTERLY, recorded=[QUARTERS[0]], as_of=june, done=True)
        == ()
    )
    assert (
        overdue_periods(year=FY, frequency=QUARTERLY, recorded=[QUARTERS[0]], as_of=june)
        == QUARTERS[1:]
    )


# Rule 7: a zero comparison rate is outside any band.


def test_a_zero_comparison_rate_is_outside_the_band_with_the_reason():
    observations = [Observation(period=WHOLE_YEAR, parts={"wres2": ratio_parts(10, 50, 0, 40)})]
    during = run(band(), observations, as_of=AFTER_Q2, frequency=ANNUAL)
    assert during.status is Status.OFF_TRACK  # it used to be "no data"
    assert during.explanation == (
        "No ratio: rate for BME is 0 (0 of 40 BME, against 10 of 50 White): outside 0.8–1.2"
    )
    assert run(band(), observations, as_of=DAY_AFTER, frequency=ANNUAL).status is Status.MISSED
    assert combine(band(), observations).part("wres2").outside
    assert (
        not combine(
            band(), [Observation(period=WHOLE_YEAR, parts={"wres2": ratio_parts(0, 50, 0, 40)})]
        )
        .part("wres2")
        .outside
    )


# Rule 8: maintain with a level, direction, and self-assessments resolve at year end.


def maintain(level=80):
    return parse_target("maintain", {"description": "Keep Teams use high", "level": level})


def test_a_maintain_target_with_a_level_checks_every_period():
    dipped = values(QUARTERS[:3], [85, 78, 90])
    result = run(maintain(), dipped, as_of=AFTER_Q3, unit="meetings")
    assert result.status is Status.OFF_TRACK
    assert result.explanation == "Under the level of 80 meetings: 78 in Q2 2023/24"
    assert run(maintain(), dipped, as_of=DAY_AFTER).status is Status.MISSED
    kept = values(QUARTERS, [85, 80, 90, 81])
    during = run(maintain(), kept[:3], as_of=AFTER_Q3, unit="meetings")
    assert (during.status, during.explanation) == (
        Status.ON_TRACK,
        "Level kept (at least 80 meetings) in every period recorded: 90 meetings in Q3 2023/24",
    )
    final = run(maintain(), kept, as_of=DAY_AFTER, unit="meetings")
    assert (final.status, final.actual) == (Status.ACHIEVED, D(81))
    gappy = run(maintain(), kept[:3], as_of=DAY_AFTER, unit="meetings")
    assert gappy.status is Status.NO_DATA
    assert gappy.explanation.endswith("but no value for Q4 2023/24")


def test_a_direction_compares_with_the_last_period_that_has_a_figure():
    target = parse_target("direction", {"direction": "increase"})
    last_year = values(LAST_YEAR_QUARTERS[3:], [100])
    q1 = run(
        target, values(QUARTERS[:1], [110]), as_of=date(2023, 7, 3), previous_observations=last_year
    )
    assert (q1.status, q1.explanation) == (
        Status.ON_TRACK,
        "110 in Q1 2023/24, up from 100 in Q4 2022/23",
    )
    # Q2 unreported: Q3's 105 is compared with Q1's 110, the last figure.
    q3 = run(
        target,
        values([QUARTERS[0], QUARTERS[2]], [110, 105]),
        as_of=AFTER_Q3,
        previous_observations=last_year,
    )
    assert (q3.status, q3.explanation) == (
        Status.OFF_TRACK,
        "105 in Q3 2023/24, down from 110 in Q1 2023/24; no value for Q2 2023/24",
    )
    year = values([QUARTERS[0], QUARTERS[2], QUARTERS[3]], [110, 105, 120])
    assert run(target, year, as_of=DAY_AFTER).status is Status.ACHIEVED  # 120 > 105
    down = parse_target("direction", {"direction": "decrease"})
    assert run(down, year, as_of=DAY_AFTER).status is Status.MISSED


def test_a_mid_year_self_assessment_does_not_settle_the_year():
    target = parse_target("maintain", {})
    q2 = [Observation(period=QUARTERS[1], self_status=Status.ON_TRACK, narrative="Going well.")]
    after = run(target, q2, as_of=DAY_AFTER)
    assert after.status is Status.NO_DATA  # it used to stay "on track" for ever
    assert after.explanation == (
        'Last self-assessed as on track for Q2 2023/24: "Going well."; '
        "no report for Q1 2023/24 and Q3 2023/24 to Q4 2023/24"
    )
    every = [
        Observation(period=q, self_status=Status.ON_TRACK, narrative="Going well.")
        for q in QUARTERS
    ]
    final = run(target, every, as_of=DAY_AFTER)
    assert (final.status, final.explanation) == (
        Status.ACHIEVED,
        'Achieved: self-assessed as on track for Q4 2023/24: "Going well."',
    )
    slipped = [*every[:3], Observation(period=QUARTERS[3], self_status=Status.AT_RISK)]
    assert run(target, slipped, as_of=DAY_AFTER).status is Status.MISSED


# Rule 9: groups, member by member.


def test_a_member_that_has_not_reported_shows_as_a_gap():
    members = {"RT5": values(QUARTERS[:3], [30] * 3), "RP1": values(QUARTERS[:1], [20])}
    result = run(count(200), rollup(members=members), as_of=AFTER_Q3, members=["RT5", "RP1"])
    assert result.gaps == (("RP1", QUARTERS[1:3]),)
    assert result.explanation == (
        "110 of 200 by 31 December; 150 expected; forecast 200 by 31 March; "
        "no value from RP1 for Q2 2023/24 to Q3 2023/24"
    )


def test_a_groups_milestone_takes_each_members_own_latest_report():
    done = state(QUARTERS[2], MilestoneState.DONE, date(2023, 11, 1))
    started = state(QUARTERS[0], MilestoneState.IN_PROGRESS)
    observations = rollup(members={"RT5": [done], "RP1": [started]})
    # RP1's latest word (Q1) is "in progress": the group is not done. It used to read only
    # the latest quarter, Q3, where RT5 alone said "done".
    assert combine("milestone", observations).milestone_state is MilestoneState.IN_PROGRESS
    result = run(milestone(), observations, as_of=AFTER_Q3, members=["RT5", "RP1"])
    assert result.status is Status.ON_TRACK
    silent = run(
        milestone(),
        rollup(members={"RT5": [done], "RP1": []}),
        as_of=AFTER_Q3,
        members=["RT5", "RP1"],
    )
    assert silent.status is not Status.ACHIEVED
    assert silent.explanation.endswith("no progress recorded from RP1")


def test_a_groups_self_assessment_takes_each_members_own_latest_report():
    members = {
        "RT5": [Observation(period=QUARTERS[2], self_status=Status.ON_TRACK, narrative="Fine.")],
        "RP1": [Observation(period=QUARTERS[0], self_status=Status.OFF_TRACK, narrative="Late.")],
    }
    actual = combine("direction", rollup(members=members))
    assert (actual.self_status, actual.narrative) == (Status.OFF_TRACK, "Late.")


# Rule 10: plain English.


def test_explanations_read_as_plain_english():
    one = run(count(1), values(QUARTERS[:1], [1]), as_of=date(2023, 7, 3), unit="projects")
    assert one.target_text == "At least 1 project in 2023/24"
    assert one.explanation == "Target met: 1 of 1 project"
    four = run(count(4), values(QUARTERS[:1], [1]), as_of=date(2023, 7, 3), unit="projects")
    assert four.explanation.startswith("1 of 4 projects by 30 June; 1 expected;")
    growth = parse_target("growth_on_previous", {"rate_percent": 5})
    text = run(growth, as_of=AFTER_Q2, unit="opportunities", previous_actual=D(76)).target_text
    # 76 x 1.05 = 79.8: whole opportunities, so at least 80.
    assert text == "Up 5% on 2022/23 (76 opportunities): at least 80 opportunities in 2023/24"
    shares = run(share(), [fraction(QUARTERS[0], 500, 2100)], as_of=date(2023, 7, 3), unit="people")
    assert shares.explanation == "500 of 2,100 people (23.8%) by 30 June; target at least 25%"
    money = run(
        count(1000000), values(QUARTERS[:1], ["250000.40"]), as_of=date(2023, 7, 3), unit="£"
    )
    assert money.explanation.startswith("£250,000 of £1,000,000 by 30 June; £250,000 expected")


def test_a_group_adds_up_each_members_latest_value_against_a_benchmark():
    # RT5 10 in Q1 and 30 in Q2, RP1 12 in Q1 only: each member's latest, 30 + 12 = 42 (it
    # used to be RT5's 30 alone, the latest period of any member); never 10 + 30 + 12.
    target = benchmark(benchmark_value=40, measure="value")
    members = {"RT5": values(QUARTERS[:2], [10, 30]), "RP1": values(QUARTERS[:1], [12])}
    actual = combine(target, rollup(members=members))
    assert actual.value == D(42)
    # One organisation: its latest period's value, as before.
    assert combine(target, values(QUARTERS[:2], [10, 30])).value == D(30)
    assert combine(target, []).value is None


def test_a_groups_own_level_is_never_added_to_its_members_levels():
    headcount = parse_target("count", {"value": 300, "accumulation": "latest"})
    members = {"RT5": values(QUARTERS[:2], [100, 110]), "RP1": values(QUARTERS[1:2], [50])}
    # The group's own Q4 headcount (no member recorded Q4) is for the whole group, and it is
    # the latest: it stands alone, 200, not 110 + 50 + 200 = 360.
    later = rollup(members=members, own=values(QUARTERS[3:4], [200]))
    assert combine(headcount, later).value == D(200)
    # Members' Q2 figures are later than the group's own Q1 (which no member recorded, so
    # rollup keeps it): the members' 110 + 50 = 160 stand, not 360.
    members = {"RT5": values(QUARTERS[1:2], [110]), "RP1": values(QUARTERS[1:2], [50])}
    earlier = rollup(members=members, own=values(QUARTERS[:1], [200]))
    assert combine(headcount, earlier).value == D(160)
    # No members: the group's own latest, as for any one organisation.
    assert combine(headcount, rollup(members={}, own=values(QUARTERS[:2], [1, 2]))).value == D(2)
