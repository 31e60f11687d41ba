"""Figures for years before the charter's first (ADR 020), worked out by hand.

The seed charter RXN-SV reports on 2023/24 only. Its targets built on an earlier year:
growth on the previous year (ECON-03, ECON-04, EDU-07), a reduction on the previous year
(ENV-04), growth from a 2020/21 baseline named without its figure (ECON-02) and an increase on
a 2022/23 benchmark named without its figure (LEAD-02).
"""

from datetime import date
from decimal import Decimal

import pytest

from socialvalue.domain.earlier import (
    Basis,
    EarlierYear,
    earlier_period_problem,
    earlier_years,
    reference_year,
)
from socialvalue.domain.periods import FinancialYear, Frequency, Period
from socialvalue.domain.status import Observation, Status, assess, with_reference
from socialvalue.domain.targets import parse_target

D = Decimal
FY = FinancialYear(2023)
PREVIOUS = FinancialYear(2022)
QUARTERS = FY.periods(Frequency.QUARTERLY)
AFTER_Q3 = date(2024, 1, 15)
DAY_AFTER = date(2024, 4, 15)


def whole(year: FinancialYear) -> Period:
    return year.periods(Frequency.ANNUAL)[0]


def values(periods, numbers):
    return [Observation(period=p, value=D(n)) for p, n in zip(periods, numbers, strict=True)]


def run(target, observations=(), *, as_of, earlier=(), frequency=Frequency.QUARTERLY, **kw):
    return assess(
        target,
        year=FY,
        frequency=frequency,
        observations=list(observations),
        as_of=as_of,
        previous_observations=list(earlier),
        **kw,
    )


# --- Which earlier years a target needs ---------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        ("growth_on_previous", {"rate_percent": 5}, [(2022, Basis.PREVIOUS)]),
        ("growth_on_previous", {}, [(2022, Basis.PREVIOUS)]),
        ("reduction_from_baseline", {"rate_percent": 5}, [(2022, Basis.PREVIOUS)]),
        (
            "growth_from_baseline",
            {"baseline_period": "2020/21", "rate_percent": 5},
            [(2020, Basis.BASELINE)],
        ),
        (
            "increase_on_benchmark",
            {"benchmark_period": "2022/23", "measure": "share"},
            [(2022, Basis.BENCHMARK)],
        ),
        (
            "reduction_from_baseline",
            {"rate_percent": 5, "baseline_period": "2019/20"},
            [(2019, Basis.BASELINE)],
        ),
        (
            "count",
            {"value": 300, "baseline_period": "2019/20", "due_year": "2025/26"},
            [(2019, Basis.BASELINE)],
        ),
        # The charter gives the figure: nothing to record.
        (
            "growth_from_baseline",
            {"baseline_period": "2020/21", "baseline_value": 1000, "rate_percent": 5},
            [],
        ),
        ("increase_on_benchmark", {"benchmark_period": "2022/23", "benchmark_value": 7}, []),
        # A count's baseline without a due year starts no trajectory: not needed.
        ("count", {"value": 300, "baseline_period": "2019/20"}, []),
        # A benchmark year that is a charter year is recorded as any charter year.
        ("increase_on_benchmark", {"benchmark_period": "2023/24"}, []),
        ("count", {"value": 4}, []),
        ("milestone", {}, []),
    ],
)
def test_the_years_a_target_is_built_on(kind, params, expected):
    target = parse_target(kind, params)
    found = earlier_years(target, first_year=FY)
    assert [(e.year.start_year, e.basis) for e in found] == expected


def test_the_previous_year_is_needed_by_the_first_year_only():
    target = parse_target("growth_on_previous", {"rate_percent": 10})
    assert earlier_years(target, first_year=FY, year=FY) == (EarlierYear(PREVIOUS, Basis.PREVIOUS),)
    # 2024/25 builds on 2023/24, a charter year.
    assert earlier_years(target, first_year=FY, year=FY.next) == ()
    # A baseline is needed by every year after it.
    baseline = parse_target("growth_from_baseline", {"baseline_period": "2020/21", "change": 9})
    assert earlier_years(baseline, first_year=FY, year=FY.next) == (
        EarlierYear(FinancialYear(2020), Basis.BASELINE),
    )


def test_no_earlier_year_outside_the_years_allowed():
    # A charter starting in 1990/91, the first year allowed, cannot build on 1989/90.
    target = parse_target("growth_on_previous", {"rate_percent": 5})
    assert earlier_years(target, first_year=FinancialYear(1990)) == ()


def test_words_for_an_earlier_year():
    earlier = EarlierYear(PREVIOUS, Basis.PREVIOUS)
    assert earlier.invitation == "Record the 2022/23 figure this target is built on"
    assert earlier.description == "2022/23, the previous year"
    assert earlier.period == Period(date(2022, 4, 1), date(2023, 3, 31), Frequency.ANNUAL)
    assert EarlierYear(FinancialYear(2020), Basis.BASELINE).description == "2020/21, the baseline"


def test_which_earlier_periods_may_be_recorded():
    growth = parse_target("growth_on_previous", {"rate_percent": 5})
    assert earlier_period_problem(growth, whole(PREVIOUS), first_year=FY) is None
    q1 = PREVIOUS.periods(Frequency.QUARTERLY)[0]
    assert earlier_period_problem(growth, q1, first_year=FY, code="ECON-03") == (
        "A figure for 2022/23, before the charter's first reporting year, is one figure for "
        "the whole year: record it for 2022/23, not Q1 2022/23"
    )
    assert earlier_period_problem(
        growth, whole(FinancialYear(2021)), first_year=FY, code="ECON-03"
    ) == (
        "2021/22 is before the charter's first reporting year, 2023/24; ECON-03's target is "
        "built on 2022/23, the previous year only"
    )
    count = parse_target("count", {"value": 4})
    assert earlier_period_problem(count, whole(PREVIOUS), first_year=FY, code="ECON-01") == (
        "2022/23 is before the charter's first reporting year, 2023/24, and ECON-01's target "
        "is built on no earlier year"
    )


# --- The status engine builds the target on them ------------------------------------------


def test_growth_on_the_previous_year_from_a_whole_year_figure():
    # ECON-03: up 5% on 2022/23. 2022/23 recorded as one figure for the year: 120.
    # Goal 120 × 1.05 = 126. By 15 January 2024, Q1 to Q3 closed: expected 126 × 3/4 = 94.5;
    # actual 30 + 32 + 34 = 96; forecast 96 / 3 × 4 = 128: on track.
    target = parse_target("growth_on_previous", {"rate_percent": 5})
    result = run(
        target,
        values(QUARTERS[:3], [30, 32, 34]),
        as_of=AFTER_Q3,
        earlier=values([whole(PREVIOUS)], [120]),
        unit="opportunities",
    )
    assert result.target_value == D(126)
    assert result.target_text == (
        "Up 5% on 2022/23 (120 opportunities): at least 126 opportunities in 2023/24"
    )
    assert (result.actual, result.expected_to_date, result.forecast) == (D(96), D("94.5"), D(128))
    assert result.status is Status.ON_TRACK


def test_without_the_earlier_figure_the_target_stays_unset():
    target = parse_target("growth_on_previous", {"rate_percent": 5})
    result = run(target, values(QUARTERS[:3], [30, 32, 34]), as_of=AFTER_Q3)
    assert (result.status, result.explanation) == (
        Status.NO_DATA,
        "Actual for 2022/23 not yet recorded",
    )


def test_a_reduction_on_the_previous_year_from_a_whole_year_figure():
    # ENV-04: down 5% on 2022/23's 4,000 reams: at most 3,800. 2023/24: 900 a quarter,
    # 3,600 in all, judged after the year: achieved.
    target = parse_target("reduction_from_baseline", {"rate_percent": 5})
    result = run(
        target,
        values(QUARTERS, [900] * 4),
        as_of=DAY_AFTER,
        earlier=values([whole(PREVIOUS)], [4000]),
        unit="reams",
    )
    assert result.target_value == D(3800)
    assert (result.actual, result.status) == (D(3600), Status.ACHIEVED)


def test_growth_from_a_baseline_recorded_for_its_year():
    # ECON-02: up 5% a year from 2020/21, whose figure the charter does not give. Recorded:
    # £40,000,000. 2023/24 is 3 years on: 40,000,000 × 1.05³ = 40,000,000 × 1.157625
    # = £46,305,000. Four quarters of £12,000,000 make £48,000,000: achieved.
    target = parse_target("growth_from_baseline", {"baseline_period": "2020/21", "rate_percent": 5})
    baseline = values([whole(FinancialYear(2020))], [40_000_000])
    result = run(
        target, values(QUARTERS, [12_000_000] * 4), as_of=DAY_AFTER, earlier=baseline, unit="£"
    )
    assert result.target_value == D(46_305_000)
    assert result.target_text.startswith("Up 5% a year from the 2020/21 baseline of £40,000,000")
    assert result.status is Status.ACHIEVED
    # The charter's own figure, had it given one, would win; without the record there is
    # no target, as before.
    assert run(target, as_of=DAY_AFTER).explanation == "Baseline for 2020/21 not yet recorded"


def test_a_baseline_year_with_gaps_sets_no_target():
    # A baseline year recorded quarter by quarter (a charter year, say) must be complete.
    target = parse_target("growth_from_baseline", {"baseline_period": "2020/21", "rate_percent": 5})
    first_quarter = values(FinancialYear(2020).periods(Frequency.QUARTERLY)[:1], [10])
    result = run(target, values(QUARTERS, [12] * 4), as_of=DAY_AFTER, earlier=first_quarter)
    assert (result.status, result.explanation) == (
        Status.NO_DATA,
        "No target for 2023/24: 2020/21 is not complete (no value for Q2 2020/21 to Q4 2020/21)",
    )


def test_an_increase_on_a_benchmark_recorded_for_its_year():
    # LEAD-02: higher than the 2022/23 share. Recorded for 2022/23: 45 of 600 senior roles,
    # 7.5%. 2023/24 (annual): 54 of 600, 9%: achieved once the year is over.
    target = parse_target("increase_on_benchmark", {"benchmark_period": "2022/23"})
    benchmark = [Observation(period=whole(PREVIOUS), numerator=D(45), denominator=D(600))]
    this_year = [Observation(period=whole(FY), numerator=D(54), denominator=D(600))]
    result = run(
        target,
        this_year,
        as_of=DAY_AFTER,
        earlier=benchmark,
        frequency=Frequency.ANNUAL,
        unit="% of senior roles",
    )
    assert result.target_value == D("7.5")
    assert result.target_text == "Higher than the 2022/23 benchmark of 7.5%"
    assert (result.actual, result.status) == (D(9), Status.ACHIEVED)
    nothing = run(target, this_year, as_of=DAY_AFTER, frequency=Frequency.ANNUAL)
    assert nothing.explanation == "Benchmark for 2022/23 not yet recorded"


def test_with_reference_leaves_a_target_with_its_own_figure_alone():
    given = parse_target(
        "growth_from_baseline",
        {"baseline_period": "2020/21", "baseline_value": 1000, "rate_percent": 5},
    )
    assert reference_year(given) is None
    recorded = values([whole(FinancialYear(2020))], [2000])
    assert with_reference(given, frequency="quarterly", observations=recorded) == (given, "")
