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
from socialvalue.domain.targets import TargetKind, parse_target

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
        "green", "green", "orange", "red", "red", "grey", "white", "yellow",
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
