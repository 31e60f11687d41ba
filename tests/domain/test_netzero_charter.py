"""The third shipped example (issue 11): a charter from NHS England's "Delivering a 'Net Zero'
National Health Service" (October 2020), its dated targets read in words and assessed year by
year, with hand-worked figures.

NZ-CF-80: the NHS Carbon Footprint, 16,200,000 tCO2e in 1990/91, down 80% (to 3,240,000) by
2028/29 to 2032/33, starting in 2020/21. Before 2020/21 it is not started. In 2024/25 the
straight line from 1990/91 to 2028/29 has gone 34 of 38 years:
16,200,000 - 12,960,000 x 34/38 = 16,200,000 - 11,595,789.47 = 4,604,210.53.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from socialvalue.domain.charterfile import iter_indicators, parse_charter
from socialvalue.domain.numbers import quantize
from socialvalue.domain.periods import FinancialYear, Frequency
from socialvalue.domain.status import Observation, Status, assess
from socialvalue.domain.timing import Stage

SEED = (
    Path(__file__).resolve().parents[2]
    / "socialvalue"
    / "charters"
    / "seeds"
    / "nhs-net-zero-qe1-example.yaml"
)


@pytest.fixture(scope="module")
def indicators():
    spec = parse_charter(SEED.read_text(encoding="utf-8"), path=str(SEED))
    assert (spec.code, spec.organisation) == ("QE1-NZ", "QE1")
    return {i.code: i for _, _, i in iter_indicators(spec)}


def annual(start: int, value: str) -> Observation:
    period = FinancialYear(start).periods(Frequency.ANNUAL)[0]
    return Observation(period=period, value=Decimal(value))


def run(indicator, start, observations, as_of):
    return assess(
        indicator.target,
        year=FinancialYear(start),
        frequency=Frequency.ANNUAL,
        observations=observations,
        previous_observations=[],
        as_of=as_of,
        unit=indicator.unit,
    )


def test_the_file_cites_its_source_and_says_it_is_an_example():
    text = SEED.read_text(encoding="utf-8")
    spec = parse_charter(text, path=str(SEED))
    assert "Example built from the national strategy" in spec.source
    assert "Delivering a 'Net Zero' National" in spec.source
    assert "October 2020" in spec.source
    assert "net zero by 2040" in " ".join(spec.source.split())


def test_its_four_targets_read_in_words(indicators):
    assert sorted(indicators) == ["NZ-CF-80", "NZ-CF-NZ", "NZ-CFP-80", "NZ-CFP-NZ"]

    def words(code, start):
        indicator = indicators[code]
        return indicator.target.describe(FinancialYear(start), unit=indicator.unit)

    cf80 = "Down 80% on the 1990/91 baseline (16,200,000 tCO2e) by 2028/29 to 2032/33"
    assert words("NZ-CF-80", 2019) == f"{cf80}, starting in 2020/21 (not started in 2019/20)"
    assert words("NZ-CF-80", 2028) == f"{cf80}, starting in 2020/21"
    assert words("NZ-CF-NZ", 2019).startswith(
        "Down 100% on the 1990/91 baseline (16,200,000 tCO2e) by 2040/41, starting in 2020/21"
    )
    # The Footprint Plus has no 1990 figure in the file: no trajectory can be drawn.
    assert words("NZ-CFP-80", 2024) == (
        "Down 80% on the 1990/91 baseline by 2036/37 to 2039/40, starting in 2020/21 "
        "(not judged before 2036/37: no trajectory)"
    )
    assert words("NZ-CFP-NZ", 2045) == (
        "Down 100% on the 1990/91 baseline by 2045/46, starting in 2020/21"
    )


def test_before_the_start_the_target_is_not_started(indicators):
    result = run(indicators["NZ-CF-80"], 2019, [annual(2019, "6100000")], date(2020, 4, 1))
    assert result.stage is Stage.NOT_STARTED


def test_on_the_trajectory_between_the_start_and_the_due_year(indicators):
    indicator = indicators["NZ-CF-80"]
    result = run(indicator, 2024, [annual(2024, "4500000")], date(2025, 4, 1))
    assert result.stage is Stage.TRAJECTORY
    assert quantize(result.goal.value, 2) == Decimal("4604210.53")
    assert result.status is Status.ACHIEVED
    # Above the line is missed.
    above = run(indicator, 2024, [annual(2024, "4700000")], date(2025, 4, 1))
    assert above.status is Status.MISSED


def test_each_year_of_the_due_window_is_judged_against_the_80_percent_cut(indicators):
    indicator = indicators["NZ-CF-80"]
    # 16,200,000 x 20% = 3,240,000 in every year from 2028/29 to 2032/33.
    for start in (2028, 2030, 2032):
        missed = run(indicator, start, [annual(start, "3500000")], date(start + 1, 4, 1))
        assert (missed.stage, missed.goal.value) == (Stage.DUE, Decimal(3240000))
        assert missed.status is Status.MISSED
        met = run(indicator, start, [annual(start, "3240000")], date(start + 1, 4, 1))
        assert met.status is Status.ACHIEVED


def test_net_zero_by_2040_asks_for_nothing_left_when_due(indicators):
    indicator = indicators["NZ-CF-NZ"]
    # 2030/31 is 40 of 50 years from 1990/91 to 2040/41: 16,200,000 x 10/50 = 3,240,000.
    trajectory = run(indicator, 2030, [annual(2030, "3000000")], date(2031, 4, 1))
    assert (trajectory.stage, trajectory.goal.value) == (Stage.TRAJECTORY, Decimal(3240000))
    due = run(indicator, 2040, [annual(2040, "1")], date(2041, 4, 1))
    assert (due.stage, due.goal.value, due.status) == (Stage.DUE, Decimal(0), Status.MISSED)
