import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from socialvalue.domain.numbers import format_number, to_json_number
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.targets import (
    Comparison,
    CountPart,
    CountsTarget,
    CountTarget,
    GrowthFromBaselineTarget,
    MilestoneTarget,
    TargetError,
    TargetKind,
    parse_target,
)

FY23 = FinancialYear(2023)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "targets.md"


def problems(kind, params):
    with pytest.raises(TargetError) as caught:
        parse_target(kind, params)
    return caught.value.problems


def fields(kind, params):
    return [field for field, _ in problems(kind, params)]


# --- Kinds ---------------------------------------------------------------------------------


def test_kinds_match_the_documented_table():
    documented = re.findall(r"^\| `([a-z_]+)` \| [a-z]", DOCS.read_text(), flags=re.MULTILINE)
    assert {kind.value for kind in TargetKind} == set(documented)
    assert len(TargetKind) == 11


def test_every_kind_has_a_plain_label():
    assert TargetKind.COUNT.label == "Count in the period"
    assert TargetKind.GROWTH_FROM_BASELINE.label == "Growth from a baseline year"
    assert TargetKind.DIRECTION.label == "Direction only"
    labels = [kind.label for kind in TargetKind]
    assert len(set(labels)) == len(labels)
    assert all(label[0].isupper() for label in labels)


# --- Goals and descriptions ----------------------------------------------------------------


def test_count():
    target = parse_target("count", {"value": 100})
    assert target == CountTarget(value=Decimal(100))
    goal = target.goal(FY23)
    assert (goal.comparison, goal.value) == (Comparison.AT_LEAST, Decimal(100))
    assert target.describe(FY23) == "At least 100 in 2023/24"
    at_most = parse_target("count", {"value": "1500", "comparison": "at_most"})
    assert at_most.describe(FY23, unit="tonnes") == "At most 1,500 tonnes in 2023/24"


def test_counts_describes_each_part():
    target = parse_target(
        "counts",
        {
            "parts": [
                {"key": "research", "label": "research projects", "value": 2},
                {"key": "innovation", "label": "innovation projects", "value": 5},
            ]
        },
    )
    assert target.parts[0] == CountPart("research", "research projects", Decimal(2))
    assert target.describe(FY23) == "2 research projects and 5 innovation projects in 2023/24"
    goal = target.goal(FY23)
    assert goal.part("innovation") == Decimal(5)
    assert goal.value == Decimal(2) + Decimal(5)


def test_growth_from_baseline_compounds_the_worked_example():
    target = parse_target(
        "growth_from_baseline",
        {"baseline_period": "FY2020/21", "baseline_value": 1000000, "rate_percent": 5},
    )
    expected = Decimal("1000000") * Decimal("1.05") ** 3
    goal = target.goal(FY23)
    assert goal.value == expected
    assert goal.value == Decimal("1157625")
    assert goal.comparison is Comparison.AT_LEAST
    assert target.describe(FY23) == (
        "Up 5% a year from the 2020/21 baseline of 1,000,000: 1,157,625 for 2023/24"
    )
    assert target.describe(FY23, unit="£").endswith("£1,157,625 for 2023/24")
    first_year = target.goal(FinancialYear(2021))
    assert first_year.value == Decimal("1000000") * Decimal("1.05")


def test_growth_from_baseline_without_a_baseline_value_has_no_goal_yet():
    target = parse_target("growth_from_baseline", {"baseline_period": "2020/21", "rate_percent": 5})
    assert target.goal(FY23) is None
    assert target.describe(FY23) == "Up 5% a year from the 2020/21 baseline"


@pytest.mark.parametrize("year", [FinancialYear(2020), FinancialYear(2019)])
def test_growth_from_baseline_has_no_goal_at_or_before_the_baseline_year(year):
    target = GrowthFromBaselineTarget(
        baseline_period=FinancialYear(2020),
        rate_percent=Decimal(5),
        baseline_value=Decimal(1000),
    )
    assert target.goal(year) is None
    assert "no change is due" in target.describe(year)


def test_growth_on_previous():
    with_rate = parse_target("growth_on_previous", {"rate_percent": 10})
    assert with_rate.goal(FY23) is None
    goal = with_rate.goal(FY23, previous_actual=Decimal(50))
    assert goal.value == Decimal(50) * Decimal("1.10")
    assert goal.comparison is Comparison.AT_LEAST
    assert with_rate.describe(FY23) == "Up 10% on 2022/23"
    any_rise = parse_target("growth_on_previous", {})
    goal = any_rise.goal(FY23, previous_actual=Decimal(50))
    assert (goal.comparison, goal.value) == (Comparison.MORE_THAN, Decimal(50))
    assert any_rise.describe(FY23) == "Higher than in 2022/23"


def test_reduction_against_the_previous_year():
    target = parse_target("reduction_from_baseline", {"rate_percent": 5})
    assert target.goal(FY23) is None
    goal = target.goal(FY23, previous_actual=Decimal(2000))
    assert goal.value == Decimal(2000) * (1 - Decimal("0.05"))
    assert goal.comparison is Comparison.AT_MOST
    assert target.describe(FY23) == "Down 5% on 2022/23"
    assert target.describe(FY23, previous_actual=Decimal(2000)) == (
        "Down 5% on 2022/23 (2,000): at most 1,900 in 2023/24"
    )


def test_reduction_against_a_fixed_baseline_does_not_compound():
    target = parse_target(
        "reduction_from_baseline",
        {"rate_percent": "5", "baseline_period": "2021/22", "baseline_value": "400"},
    )
    assert target.goal(FY23).value == Decimal(400) * Decimal("0.95")
    assert target.goal(FinancialYear(2025)).value == Decimal(400) * Decimal("0.95")
    assert target.goal(FinancialYear(2021)) is None


def test_share():
    target = parse_target("share", {"target_percent": 25})
    goal = target.goal(FY23)
    assert (goal.value, goal.is_percent) == (Decimal(25), True)
    assert target.describe(FY23) == "At least 25% of the whole"


def test_ratio_band():
    target = parse_target(
        "ratio_band",
        {
            "lower": 0.8,
            "upper": 1.2,
            "parts": [{"key": "wres2", "label": "WRES 2", "group_a": "White", "group_b": "BME"}],
        },
    )
    goal = target.goal(FY23)
    assert (goal.comparison, goal.lower, goal.upper) == (
        Comparison.BETWEEN,
        Decimal("0.8"),
        Decimal("1.2"),
    )
    assert goal.is_met_by(Decimal("1.2"))
    assert not goal.is_met_by(Decimal("1.21"))
    assert target.describe(FY23) == "Ratio between 0.8 and 1.2"


def test_increase_on_benchmark():
    target = parse_target(
        "increase_on_benchmark", {"benchmark_period": "2022/23", "benchmark_value": 12.5}
    )
    goal = target.goal(FY23)
    assert (goal.comparison, goal.value) == (Comparison.MORE_THAN, Decimal("12.5"))
    assert not goal.is_met_by(Decimal("12.5"))
    assert target.describe(FY23) == "Higher than the 2022/23 benchmark of 12.5%"
    assert target.goal(FinancialYear(2022)) is None
    unknown = parse_target("increase_on_benchmark", {"benchmark_period": "2022/23"})
    assert unknown.goal(FY23) is None


def test_milestone():
    target = parse_target("milestone", {})
    assert target.describe(FY23) == "Done by 31 March 2024"
    assert target.goal(FY23).due == date(2024, 3, 31)
    fixed = parse_target("milestone", {"due": "2023-09-30"})
    assert fixed.describe(FY23) == "Done by 30 September 2023"
    assert fixed.due_in(FinancialYear(2025)) == date(2023, 9, 30)


def test_a_recurring_milestone_moves_its_due_date_into_each_year():
    target = MilestoneTarget(due=date(2024, 2, 29), recurs=True)
    assert target.due_in(FinancialYear(2024)) == date(2025, 2, 28)
    assert target.due_in(FinancialYear(2027)) == date(2028, 2, 29)
    july = MilestoneTarget(due=date(2023, 7, 31), recurs=True)
    assert july.due_in(FinancialYear(2025)) == date(2025, 7, 31)
    assert july.describe(FY23) == "Done by 31 July 2023 (every year)"


def test_maintain_and_direction_have_no_numeric_goal():
    maintain = parse_target("maintain", {"description": "Keep Teams use high"})
    assert maintain.goal(FY23) is None
    assert maintain.describe(FY23) == "Keep Teams use high"
    with_level = parse_target("maintain", {"level": 80})
    assert with_level.goal(FY23).value == Decimal(80)
    direction = parse_target("direction", {"direction": "increase"})
    assert direction.goal(FY23) is None
    assert direction.describe(FY23) == "Increase (no number set yet)"
    assert parse_target("direction", {"direction": "deliver"}).describe(FY23).startswith("Deliver")


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("", "At least 2,500 in 2023/24"), ("£", "At least £2,500 in 2023/24"),
     ("GBP", "At least £2,500 in 2023/24"), ("hours", "At least 2,500 hours in 2023/24")],
)  # fmt: skip
def test_units_are_placed_the_way_people_write_them(unit, expected):
    assert parse_target("count", {"value": 2500}).describe(FY23, unit=unit) == expected


def test_numbers_have_no_trailing_zeros():
    assert format_number(Decimal("1157625.000000")) == "1,157,625"
    assert format_number(Decimal("0.80")) == "0.8"
    assert format_number(Decimal("1234.5")) == "1,234.5"
    assert format_number(Decimal("-0.001")) == "0"


# --- Parsing errors --------------------------------------------------------------------------


def test_unknown_kind():
    assert fields("percentage", {}) == ["kind"]


def test_unknown_parameters_are_each_reported():
    assert sorted(fields("count", {"value": 1, "colour": "red", "size": 2})) == ["colour", "size"]


def test_missing_required():
    found = problems("count", {})
    assert found == [("value", "Enter a target value")]
    assert sorted(fields("growth_from_baseline", {})) == ["baseline_period", "rate_percent"]
    assert sorted(fields("ratio_band", {})) == ["lower", "parts", "upper"]
    assert fields("direction", {}) == ["direction"]


def test_wrong_types_use_nhs_wording():
    found = dict(problems("growth_on_previous", {"rate_percent": "five"}))
    assert found == {"rate_percent": "Enter a rate as a number, like 5"}


@pytest.mark.parametrize("value", [True, False])
def test_booleans_are_not_numbers(value):
    assert fields("count", {"value": value}) == ["value"]


def test_negative_counts_are_rejected():
    assert dict(problems("count", {"value": -1})) == {"value": "Target value must be 0 or more"}


def test_every_problem_is_reported_at_once():
    found = fields(
        "counts",
        {
            "parts": [
                {"key": "a", "label": "A", "value": -1},
                {"key": "a", "label": "", "value": "x", "extra": 1},
            ],
            "other": 1,
        },
    )
    assert set(found) == {
        "other",
        "parts[0].value",
        "parts[1].key",
        "parts[1].label",
        "parts[1].value",
        "parts[1].extra",
    }


def test_counts_needs_two_parts():
    assert fields("counts", {"parts": [{"key": "a", "label": "A", "value": 1}]}) == ["parts"]


def test_ratio_band_lower_must_be_less_than_upper():
    found = problems(
        "ratio_band",
        {
            "lower": 1.2,
            "upper": 0.8,
            "parts": [{"key": "x", "label": "X", "group_a": "A", "group_b": "B"}],
        },
    )
    assert found == [("lower", "Lower must be less than upper")]


@pytest.mark.parametrize(
    ("kind", "params", "field"),
    [
        ("growth_from_baseline", {"baseline_period": "2020/21", "rate_percent": 0}, "rate_percent"),
        ("growth_from_baseline", {"baseline_period": "2020/22", "rate_percent": 5},
         "baseline_period"),
        ("reduction_from_baseline", {"rate_percent": 101}, "rate_percent"),
        ("share", {"target_percent": 100.5}, "target_percent"),
        ("share", {"target_percent": 25, "comparison": "about"}, "comparison"),
        ("increase_on_benchmark", {"benchmark_period": "2022/23", "measure": "mean"}, "measure"),
        ("milestone", {"due": "31/03/2024"}, "due"),
        ("milestone", {"recurs": "yes"}, "recurs"),
        ("direction", {"direction": "sideways"}, "direction"),
        ("maintain", {"level": "high"}, "level"),
        ("ratio_band", {"lower": 0.8, "upper": 1.2, "parts": "WRES"}, "parts"),
        ("ratio_band", {"lower": 0.8, "upper": 1.2, "parts": [{"key": "x y", "label": "X",
                        "group_a": "A", "group_b": "B"}]}, "parts[0].key"),
    ],
)  # fmt: skip
def test_bad_values_are_reported_against_their_field(kind, params, field):
    assert fields(kind, params) == [field]


def test_target_error_is_a_value_error_with_a_readable_message():
    with pytest.raises(ValueError, match="value: Enter a target value"):
        parse_target("count", {})


def test_numbers_may_be_written_as_text_or_floats():
    assert parse_target("count", {"value": "1,000,000.50"}).value == Decimal("1000000.50")
    assert parse_target("share", {"target_percent": 0.1}).target_percent == Decimal("0.1")
    assert parse_target("count", {"value": " 12 "}).value == Decimal(12)


# --- Round trip ------------------------------------------------------------------------------

ROUND_TRIPS = [
    ("count", {"value": 100}),
    ("count", {"value": "99999999999.0001", "comparison": "at_most"}),
    ("counts", {"parts": [{"key": "r", "label": "research projects", "value": 2},
                          {"key": "i", "label": "innovation projects", "value": 5.5}]}),
    ("growth_from_baseline", {"baseline_period": "2020/21", "rate_percent": 5}),
    ("growth_from_baseline", {"baseline_period": "FY 2020/21", "rate_percent": "2.5",
                              "baseline_value": "1000000.50"}),
    ("growth_on_previous", {}),
    ("growth_on_previous", {"rate_percent": 10}),
    ("reduction_from_baseline", {"rate_percent": 5}),
    ("reduction_from_baseline", {"rate_percent": 5, "baseline_period": "2019-20",
                                 "baseline_value": 420}),
    ("share", {"target_percent": 25}),
    ("share", {"target_percent": "33.3", "comparison": "at_most"}),
    ("ratio_band", {"lower": 0.8, "upper": 1.25, "parts": [
        {"key": "wres2", "label": "WRES 2", "group_a": "White", "group_b": "BME"},
        {"key": "wdes2", "label": "WDES 2", "group_a": "Non-disabled", "group_b": "Disabled"}]}),
    ("increase_on_benchmark", {"benchmark_period": "2022/23"}),
    ("increase_on_benchmark", {"benchmark_period": "2022/23", "benchmark_value": 40,
                               "measure": "value"}),
    ("milestone", {}),
    ("milestone", {"due": "2024-01-31", "recurs": True}),
    ("maintain", {}),
    ("maintain", {"description": "Keep Teams use high", "level": 80}),
    ("direction", {"direction": "decrease"}),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "params"), ROUND_TRIPS)
def test_to_params_round_trips_through_json(kind, params):
    target = parse_target(kind, params)
    assert target.kind == kind
    emitted = json.loads(json.dumps(target.to_params()))
    assert parse_target(target.kind, emitted) == target


def test_every_kind_is_round_tripped():
    assert {kind for kind, _ in ROUND_TRIPS} == {kind.value for kind in TargetKind}


def test_to_params_omits_defaults():
    assert parse_target("count", {"value": 100, "comparison": "at_least"}).to_params() == {
        "value": 100
    }
    assert parse_target("milestone", {"recurs": False}).to_params() == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("100.00"), 100),
        (Decimal("0.8"), 0.8),
        (Decimal("0.1234567890123456789"), "0.1234567890123456789"),
    ],
)
def test_json_numbers(value, expected):
    emitted = to_json_number(value)
    assert emitted == expected
    assert type(emitted) is type(expected)


def test_targets_are_frozen():
    target = CountsTarget(parts=(CountPart("a", "A", Decimal(1)), CountPart("b", "B", Decimal(2))))
    with pytest.raises(AttributeError):
        target.parts = ()  # type: ignore[misc]
