"""Time-bound targets and how figures accumulate (issue 11): the five examples of the issue,
written in a charter file and assessed year by year, with hand-worked figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from socialvalue.domain.charterfile import CharterFileError, iter_indicators, parse_charter
from socialvalue.domain.numbers import quantize
from socialvalue.domain.periods import FinancialYear, Frequency, Period
from socialvalue.domain.status import Observation, Status, assess
from socialvalue.domain.targets import TargetError, parse_target
from socialvalue.domain.timing import Accumulation, Stage

FILE = """\
format: socialvalue-charter/1
code: TMD-SV
title: Time-bound targets
organisation: TMD
periods: ["2023/24", "2024/25", "2025/26"]
themes:
  - code: T
    title: Targets with years
    pledges:
      - code: T-P1
        text: The issue's five examples.
        indicators:
          - code: VOL
            title: Over 350 volunteers by 2025
            unit: volunteers
            frequency: annual
            source: manual
            target: {kind: count, comparison: more_than, value: 350, due_year: 2025/26,
                     accumulation: latest, baseline_period: 2022/23, baseline_value: 290}
          - code: SHARE
            title: 60% from 2024/25
            unit: "% of staff"
            frequency: annual
            source: manual
            target: {kind: share, target_percent: 60, start_year: 2024/25}
          - code: TEN
            title: All ten by 2027
            unit: sites
            frequency: annual
            source: manual
            target: {kind: count, value: 10, cumulative: true, start_year: 2023/24,
                     due_year: 2027/28}
          - code: CARBON
            title: 80% lower by 2028-2032 than 2019/20
            unit: tCO2e
            frequency: annual
            source: manual
            target: {kind: reduction_from_baseline, rate_percent: 80, baseline_period: 2019/20,
                     baseline_value: 1000, due_year: 2028/29, due_until: 2032/33}
          - code: PEOPLE
            title: 5,000 more people than at the 2019/20 baseline
            unit: people
            frequency: annual
            source: manual
            target: {kind: growth_from_baseline, baseline_period: 2019/20,
                     baseline_value: 20000, change: 5000, due_year: 2025/26,
                     accumulation: distinct}
"""


@pytest.fixture(scope="module")
def targets():
    spec = parse_charter(FILE, path="timed.yaml")
    return {i.code: (i.target, i.unit) for _, _, i in iter_indicators(spec)}


def year(start: int) -> FinancialYear:
    return FinancialYear(start)


def annual(start: int, value: str, member: str = "") -> Observation:
    return Observation(
        period=year(start).periods(Frequency.ANNUAL)[0], value=Decimal(value), member=member
    )


def run(target, unit, start, observations, as_of, **kwargs):
    return assess(
        target,
        year=year(start),
        frequency=Frequency.ANNUAL,
        observations=[o for o in observations if o.period.financial_year == year(start)],
        previous_observations=[o for o in observations if o.period.financial_year < year(start)],
        as_of=as_of,
        unit=unit,
        **kwargs,
    )


def test_the_five_examples_load_and_read_in_plain_english(targets):
    words = {code: t.describe(year(2025), unit=unit) for code, (t, unit) in targets.items()}
    assert words["VOL"] == "More than 350 volunteers (from 290 volunteers in 2022/23) by 2025/26"
    assert words["SHARE"] == "At least 60% of staff from 2024/25"
    assert words["TEN"] == (
        "At least 10 sites in all from 2023/24 by 2027/28 (trajectory: at least 6 sites in 2025/26)"
    )
    assert words["CARBON"].startswith(
        "Down 80% on the 2019/20 baseline (1,000 tCO2e) by 2028/29 to 2032/33"
    )
    assert words["PEOPLE"] == (
        "5,000 people more than the 2019/20 baseline of 20,000 people by 2025/26"
    )
    count, _ = targets["VOL"]
    plain = parse_target("count", {"comparison": "more_than", "value": 350, "due_year": "2025/26"})
    assert plain.describe(year(2025), unit="volunteers") == "More than 350 volunteers by 2025/26"
    assert count.accumulation is Accumulation.LATEST
    # What is written is what comes back.
    for target, _ in targets.values():
        assert parse_target(target.kind.value, target.to_params()) == target


def test_volunteers_a_level_on_a_trajectory_then_due(targets):
    target, unit = targets["VOL"]
    # 2024/25 is two of the three years from the 2022/23 baseline (290) to 2025/26 (350):
    # 290 + 60 x 2/3 = 330 on the trajectory. A level: the latest figure, never a sum.
    figures = [annual(2023, "300"), annual(2024, "335")]
    result = run(target, unit, 2024, figures, date(2025, 4, 1))
    assert result.stage is Stage.TRAJECTORY
    assert result.goal.value == Decimal(330)
    assert (result.actual, result.status) == (Decimal(335), Status.ACHIEVED)
    assert result.target_text.endswith("(trajectory: more than 330 volunteers in 2024/25)")
    due = run(target, unit, 2025, [*figures, annual(2025, "340")], date(2026, 4, 1))
    assert due.stage is Stage.DUE
    assert (due.goal.value, due.status) == (Decimal(350), Status.MISSED)
    assert "340 volunteers in 2025/26; target more than 350 volunteers" in due.explanation


def test_a_headcount_recorded_quarterly_is_the_latest_figure_not_the_sum():
    target = parse_target("count", {"value": 300, "accumulation": "latest"})
    quarters = year(2023).periods(Frequency.QUARTERLY)
    observations = [
        Observation(period=q, value=Decimal(v))
        for q, v in zip(quarters, [280, 290, 310], strict=False)
    ]
    result = assess(
        target,
        year=year(2023),
        frequency=Frequency.QUARTERLY,
        observations=observations,
        as_of=date(2024, 1, 15),
        unit="people",
    )
    # 310 in Q3 (not 880): at least 300 already, so on track.
    assert (result.actual, result.status) == (Decimal(310), Status.ON_TRACK)
    assert result.explanation == "310 people in Q3 2023/24; target at least 300 people"


def test_share_not_started_then_judged(targets):
    target, unit = targets["SHARE"]
    before = run(target, unit, 2023, [], date(2024, 4, 1))
    assert (before.status, before.stage) == (Status.NOT_STARTED, Stage.NOT_STARTED)
    assert before.explanation == "Not started: the target starts in 2024/25"
    period = year(2024).periods(Frequency.ANNUAL)[0]
    figures = [Observation(period=period, numerator=Decimal(30), denominator=Decimal(50))]
    judged = run(target, unit, 2024, figures, date(2025, 4, 1))
    assert (judged.stage, judged.actual, judged.status) == (Stage.DUE, Decimal(60), Status.ACHIEVED)


def test_all_ten_cumulative_across_years(targets):
    target, unit = targets["TEN"]
    # From nothing before 2023/24 to 10 by 2027/28: 2 a year on the straight line.
    # 2024/25 asks for 4 in all; 1 in 2023/24 and 2 in 2024/25 make 3: missed at year end.
    figures = [annual(2023, "1"), annual(2024, "2")]
    result = run(target, unit, 2024, figures, date(2025, 4, 1))
    assert (result.stage, result.goal.value) == (Stage.TRAJECTORY, Decimal(4))
    assert (result.actual, result.status) == (Decimal(3), Status.MISSED)
    # On 30 September 2024, 183 of 2024/25's 365 days: 2 + (4 - 2) x 183/365 = 3.0027 expected.
    mid = run(target, unit, 2024, [annual(2023, "2"), annual(2024, "1")], date(2024, 9, 30))
    assert quantize(mid.expected_to_date, 4) == Decimal("3.0027")
    assert mid.actual == Decimal(3)
    assert mid.status is Status.ON_TRACK  # 3 / 3.0027 = 0.999
    due = run(target, unit, 2027, [annual(y, "2") for y in range(2023, 2028)], date(2028, 4, 1))
    assert (due.stage, due.goal.value, due.actual, due.status) == (
        Stage.DUE,
        Decimal(10),
        Decimal(10),
        Status.ACHIEVED,
    )


def test_carbon_eighty_percent_lower_by_a_window(targets):
    target, unit = targets["CARBON"]
    # 1,000 in 2019/20 to 200 by 2028/29: 2024/25 is 5 of 9 years: 1000 - 800 x 5/9 = 555.56.
    trajectory = run(target, unit, 2024, [annual(2024, "540")], date(2025, 4, 1))
    assert trajectory.stage is Stage.TRAJECTORY
    assert quantize(trajectory.goal.value, 2) == Decimal("555.56")
    assert trajectory.status is Status.ACHIEVED
    for start in (2028, 2030, 2032):
        due = run(target, unit, start, [annual(start, "210")], date(start + 1, 4, 1))
        assert (due.stage, due.goal.value, due.status) == (Stage.DUE, Decimal(200), Status.MISSED)


def test_five_thousand_more_than_the_baseline(targets):
    target, unit = targets["PEOPLE"]
    # 20,000 in 2019/20 to 25,000 by 2025/26: 2022/23 is 3 of 6 years: 22,500.
    result = run(target, unit, 2022, [annual(2022, "22600")], date(2023, 4, 1))
    assert (result.stage, result.goal.value, result.status) == (
        Stage.TRAJECTORY,
        Decimal(22500),
        Status.ACHIEVED,
    )
    due = run(target, unit, 2025, [annual(2025, "24000")], date(2026, 4, 1))
    assert (due.goal.value, due.status) == (Decimal(25000), Status.MISSED)
    without_due = parse_target(
        "growth_from_baseline",
        {"baseline_period": "2019/20", "baseline_value": 20000, "change": 5000},
    )
    assert without_due.goal(year(2021)).value == Decimal(25000)


def test_a_group_distinct_count_adds_members_and_says_a_person_may_count_twice():
    target = parse_target("count", {"value": 100, "accumulation": "distinct"})
    quarters = year(2023).periods(Frequency.QUARTERLY)
    # Running distinct totals: RT5 40 then 55; RP1 30 then 35. The year's figure so far is
    # each member's latest: 55 + 35 = 90 (summed it would be 160).
    observations = [
        Observation(period=quarters[0], value=Decimal(40), member="RT5"),
        Observation(period=quarters[1], value=Decimal(55), member="RT5"),
        Observation(period=quarters[0], value=Decimal(30), member="RP1"),
        Observation(period=quarters[1], value=Decimal(35), member="RP1"),
    ]
    result = assess(
        target,
        year=year(2023),
        frequency=Frequency.QUARTERLY,
        observations=observations,
        as_of=date(2023, 10, 2),
        unit="people",
        members=("RT5", "RP1"),
    )
    assert result.actual == Decimal(90)
    assert result.may_count_twice
    assert result.explanation.endswith(
        "(members' distinct counts added up, so a person may be counted twice)"
    )
    # Forecast: each member's running total over half the year: 110 + 70 = 180.
    assert result.forecast == Decimal(180)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"value": 5, "due_until": "2030/31"}, "due_until", "due_year"),
        (
            {"value": 5, "due_year": "2026/27", "due_until": "2025/26"},
            "due_until",
            "must end after",
        ),
        ({"value": 5, "cumulative": True}, "start_year", "starts counting"),
        (
            {"value": 5, "start_year": "2026/27", "due_year": "2025/26"},
            "due_year",
            "before the start",
        ),
        ({"comparison": "between", "lower": 9, "upper": 3}, "lower", "less than upper"),
        ({"value": 5, "accumulation": "pooled"}, "accumulation", "sum, latest or distinct"),
        ({"value": 5, "trajectory": {"2024/25": 3}}, "trajectory", "due year"),
    ],
)
def test_bad_years_are_refused_with_the_field(params, field, message):
    with pytest.raises(TargetError) as caught:
        parse_target("count", params)
    assert any(f == field and message in m for f, m in caught.value.problems), caught.value.problems


def test_a_bad_year_in_a_charter_file_names_its_line():
    text = FILE.replace("due_year: 2027/28", "due_year: 2027/29")
    with pytest.raises(CharterFileError) as caught:
        parse_charter(text, path="timed.yaml")
    assert "timed.yaml:" in str(caught.value)
    assert "due_year" in str(caught.value)


def test_between_a_band_of_levels():
    target = parse_target(
        "count", {"comparison": "between", "lower": 10, "upper": 20, "accumulation": "latest"}
    )
    assert (
        target.describe(year(2023), unit="people") == "Between 10 people and 20 people in 2023/24"
    )
    period = Period.containing(Frequency.ANNUAL, date(2023, 4, 1))
    result = assess(
        target,
        year=year(2023),
        frequency=Frequency.ANNUAL,
        observations=[Observation(period=period, value=Decimal(25))],
        as_of=date(2024, 4, 1),
        unit="people",
    )
    assert result.status is Status.MISSED


@pytest.mark.parametrize("unit", ["visits per person", "kWh per household", "meals per household"])
def test_a_rate_per_person_or_household_is_a_unit_with_decimals(unit):
    from socialvalue.domain.bounds import recorded_rule, unit_counts_things

    assert not unit_counts_things(unit)
    assert recorded_rule(unit, may_fall=False).problem(Decimal("2.45")) is None
    target = parse_target("count", {"value": "2.5", "start_year": "2024/25"})
    assert target.describe(year(2024), unit=unit).endswith(f"2.5 {unit} from 2024/25")
