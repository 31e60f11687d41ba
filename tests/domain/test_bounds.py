"""The limits every number, year, date, threshold and profile keeps where it enters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from socialvalue.domain import bounds
from socialvalue.domain.numbers import format_number, quantize, strip_zeros
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.domain.targets import (
    GrowthFromBaselineTarget,
    TargetError,
    parse_target,
)

LARGEST = Decimal(100_000_000_000)


def problems(kind: str, params: dict) -> dict[str, str]:
    with pytest.raises(TargetError) as caught:
        parse_target(kind, params)
    return dict(caught.value.problems)


# --- Years -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "start"), [("1990/91", 1990), ("2100/01", 2100)])
def test_the_first_and_last_financial_years_are_accepted(text, start):
    year = FinancialYear.parse(text)
    assert year == FinancialYear(start)
    # Every day of both edge years exists: 1 April 1990 and 31 March 2101.
    assert (year.start, year.end) == (
        date(start, 4, 1),
        date(start + 1, 3, 31),
    )
    assert len(year.periods("monthly")) == 12


@pytest.mark.parametrize("text", ["1989/90", "2101/02", "0000/01", "9999/00", "0001/02"])
def test_years_outside_1990_to_2100_are_refused(text):
    with pytest.raises(ValueError, match=r"^Enter a financial year from 1990/91 to 2100/01$"):
        FinancialYear.parse(text)


def test_checked_bounds_a_start_year_given_as_a_number():
    assert FinancialYear.checked(1990) == FinancialYear(1990)
    with pytest.raises(ValueError, match="1990/91 to 2100/01"):
        FinancialYear.checked(1989)
    assert not FinancialYear(0).in_range
    assert FinancialYear(2100).in_range


@pytest.mark.parametrize(
    ("key", "label"),
    [("1990-04", "April 1990"), ("2101-03", "March 2101"), ("1990/91-Q1", "Q1 1990/91")],
)
def test_period_keys_at_the_edges_are_read(key, label):
    assert Period.from_key(key).label == label


@pytest.mark.parametrize(
    "key", ["1990-03", "2101-04", "0000-01", "9999-12", "1989/90-Q4", "2101/02"]
)
def test_period_keys_outside_the_years_are_refused(key):
    with pytest.raises(ValueError, match="from 1990/91 to 2100/01"):
        Period.from_key(key)


# --- Numbers in targets ----------------------------------------------------------------------


def test_the_largest_amount_is_a_hundred_billion_to_four_places():
    assert parse_target("count", {"value": "100000000000"}).value == LARGEST
    assert parse_target("count", {"value": "99999999999.9999"}).value == Decimal("99999999999.9999")
    assert problems("count", {"value": "100000000000.0001"}) == {
        "value": "Target value must be 100,000,000,000 or less"
    }
    assert problems("count", {"value": "1e26"}) == {
        "value": "Target value must be 100,000,000,000 or less"
    }
    assert problems("count", {"value": "0.00001"}) == {
        "value": "Target value must have 4 decimal places or fewer"
    }


@pytest.mark.parametrize("text", ["NaN", "nan", "sNaN", "Infinity", "-inf", "1e999999999"])
def test_nan_and_infinity_are_not_numbers(text):
    found = problems("count", {"value": text})
    assert found["value"] in {
        "Enter a target value as a number, like 5",
        "Target value must be 100,000,000,000 or less",
    }


def test_float_nan_and_infinity_from_yaml_or_json_are_not_numbers():
    assert problems("share", {"target_percent": float("nan")}) == {
        "target_percent": "Enter a target percentage as a number, like 5"
    }
    assert problems("count", {"value": float("inf")}) == {
        "value": "Enter a target value as a number, like 5"
    }


def test_rates_are_bounded():
    assert problems("growth_on_previous", {"rate_percent": "1e40"}) == {
        "rate_percent": "Rate must be 100 or less"
    }
    assert parse_target("growth_from_baseline", {"baseline_period": "1990/91", "rate_percent": 100})
    assert problems("reduction_from_baseline", {"rate_percent": "100.5"}) == {
        "rate_percent": "Rate must be 100 or less"
    }
    assert problems("growth_on_previous", {"rate_percent": 0}) == {
        "rate_percent": "Rate must be more than 0"
    }


def test_percentages_ratios_baselines_and_levels_are_bounded():
    assert problems("share", {"target_percent": "100.01"}) == {
        "target_percent": "Target percentage must be 100 or less"
    }
    found = problems(
        "ratio_band",
        {
            "lower": "0.8",
            "upper": "101",
            "parts": [{"key": "e", "label": "E", "group_a": "A", "group_b": "B"}],
        },
    )
    assert found == {"upper": "Upper limit must be 100 or less"}
    found = problems(
        "growth_from_baseline",
        {"baseline_period": "2019/20", "rate_percent": 5, "baseline_value": "2e11"},
    )
    assert found == {"baseline_value": "Baseline value must be 100,000,000,000 or less"}
    assert problems("maintain", {"level": -1}) == {"level": "Level must be 0 or more"}
    assert problems(
        "increase_on_benchmark",
        {"benchmark_period": "2022/23", "benchmark_value": "1e13", "measure": "value"},
    ) == {"benchmark_value": "Benchmark value must be 100,000,000,000 or less"}


def test_years_in_targets_are_bounded():
    found = problems("growth_from_baseline", {"baseline_period": "0000/01", "rate_percent": 5})
    assert found == {"baseline_period": "Enter a financial year from 1990/91 to 2100/01"}
    found = problems(
        "increase_on_benchmark", {"benchmark_period": FinancialYear(1800), "measure": "share"}
    )
    assert found == {"benchmark_period": "Enter a financial year from 1990/91 to 2100/01"}
    found = problems("reduction_from_baseline", {"rate_percent": 5, "baseline_period": 2019})
    assert found == {"baseline_period": "Enter a financial year like 2023/24"}


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("2024-02-30", "Enter a due date that exists, like 2024-03-31"),
        ("2023-02-29", "Enter a due date that exists, like 2024-03-31"),
        ("1990-03-31", "Due date must be between 1 April 1990 and 31 March 2101"),
        ("2101-04-01", "Due date must be between 1 April 1990 and 31 March 2101"),
        ("0001-01-01", "Due date must be between 1 April 1990 and 31 March 2101"),
        ("20240331", "Enter a due date like 2024-03-31"),
    ],
)
def test_milestone_dates_must_exist_and_be_in_range(due, message):
    assert problems("milestone", {"due": due}) == {"due": message}


def test_milestone_dates_at_the_edges_are_accepted():
    assert parse_target("milestone", {"due": "1990-04-01"}).due == date(1990, 4, 1)
    assert parse_target("milestone", {"due": "2024-02-29"}).due == date(2024, 2, 29)
    assert parse_target("milestone", {"due": date(2101, 3, 31)}).due == date(2101, 3, 31)


# --- Rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "value", "problem"),
    [
        (bounds.COUNT, Decimal(3), None),
        (bounds.COUNT, Decimal("3.0"), None),
        (bounds.COUNT, Decimal("1.5"), "must be a whole number"),
        (bounds.COUNT, Decimal(-3), "must be 0 or more"),
        (bounds.COUNT, LARGEST, None),
        (bounds.COUNT, LARGEST + 1, "must be 100,000,000,000 or less"),
        (bounds.SIGNED_AMOUNT, Decimal("-12.5"), None),
        (bounds.SIGNED_AMOUNT, -LARGEST - 1, "must be -100,000,000,000 or more"),
        (bounds.THRESHOLD, Decimal("0.0000001"), "must be 0.01 or more"),
        (bounds.THRESHOLD, Decimal("0.0105"), "must have 3 decimal places or fewer"),
        (bounds.THRESHOLD, Decimal("0.01"), None),
        (bounds.THRESHOLD, Decimal("1.000"), None),
        (bounds.GROWTH_RATE, Decimal(0), "must be more than 0"),
        (bounds.COUNT, Decimal("NaN"), "must be a number"),
        (bounds.AMOUNT, Decimal("-Infinity"), "must be a number"),
    ],
)
def test_number_rules(rule, value, problem):
    assert rule.problem(value) == problem


@pytest.mark.parametrize(
    ("unit", "counts"),
    [
        ("people", True),
        ("volunteering opportunities", True),
        ("outpatient appointments", True),
        ("reams", True),
        ("£", False),
        ("£ spend", False),
        ("GBP", False),
        ("% of senior roles", False),
        ("tCO2e", False),
        ("tonnes CO2e", False),
        ("Hours of volunteering", False),
        ("relative likelihood", False),
        ("", False),
    ],
)
def test_a_unit_that_names_things_counts_them(unit, counts):
    assert bounds.unit_counts_things(unit) is counts
    assert (bounds.recorded_rule(unit, may_fall=True) is bounds.COUNT) is counts


# --- Profiles --------------------------------------------------------------------------------


def test_a_profile_is_read_as_fractions():
    assert bounds.read_profile(["10", "30%", " 60 ", "100"], periods=4) == (
        Decimal("0.1"),
        Decimal("0.3"),
        Decimal("0.6"),
        Decimal("1"),
    )
    assert bounds.read_profile(["33.33", "66.67", "100"], periods=3)[0] == Decimal("0.3333")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["NaN", "30", "60", "100"], "Enter each percentage as a number: number 1 is not one"),
        (["10", "Infinity", "60", "100"], "Enter each percentage as a number: number 2 is not one"),
        (["10", "30", "60"], "Enter 4 percentages, one for each period, like 25, 50, 75, 100"),
        (["10", "60", "30", "100"], "Each percentage must be the same as or more than the one"),
        (["10", "30", "60", "90"], "The last percentage must be 100"),
        (["-10", "30", "60", "100"], "Each percentage must be 0 or more: number 1 is -10"),
        (["10", "30", "60", "100.5"], "Each percentage must be 100 or less: number 4 is 100.5"),
        (["10.125", "30", "60", "100"], "Each percentage must have 2 decimal places or fewer"),
    ],
)
def test_a_bad_profile_says_what_is_wrong(values, message):
    with pytest.raises(ValueError) as caught:
        bounds.read_profile(values, periods=4)
    assert str(caught.value).startswith(message)


# --- Figures worked out from the largest inputs ----------------------------------------------


def test_the_largest_compound_goal_is_worked_out_and_shown():
    # 100 billion growing 100% a year from 1990/91 to 2100/01: 10^11 x 2^110.
    target = GrowthFromBaselineTarget(
        baseline_period=FinancialYear(1990), rate_percent=Decimal(100), baseline_value=LARGEST
    )
    goal = target.goal(FinancialYear(2100))
    exact = Decimal(2**110 * 10**11)
    assert abs(goal.value - exact) / exact < Decimal("1e-25")
    text = target.describe(FinancialYear(2100), unit="£")
    assert text.startswith("Up 100% a year from the 1990/91 baseline of £100,000,000,000: £129,807")
    assert text.endswith("for 2100/01")


def test_formatting_never_runs_out_of_digits():
    huge = Decimal(2**110 * 10**11)
    assert format_number(huge).replace(",", "") == str(2**110 * 10**11)
    assert quantize(huge, 4) == huge
    assert strip_zeros(huge) == huge


def test_a_target_field_may_narrow_its_rule_but_never_widen_it():
    from socialvalue.domain.targets import _Reader

    reader = _Reader({"a": "150", "b": "5e12", "c": "0"})
    assert reader.number("a", what="a", required=True, maximum=Decimal(100)) is None
    assert reader.number("b", what="b", required=True, maximum=Decimal(10) ** 20) is None
    assert reader.number("c", what="c", required=True, above_minimum=True) is None
    assert reader.problems == [
        ("a", "A must be 100 or less"),
        ("b", "B must be 100,000,000,000 or less"),
        ("c", "C must be more than 0"),
    ]
