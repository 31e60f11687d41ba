"""The shipped seed charters parse, hold what the source documents say, and round-trip."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from socialvalue.domain.charterfile import (
    dump_charter,
    iter_indicators,
    parse_charter,
    spec_from_dict,
    spec_to_dict,
)
from socialvalue.domain.periods import FinancialYear, Frequency
from socialvalue.domain.targets import Direction, Measure, TargetKind

SEEDS = Path(__file__).resolve().parents[2] / "socialvalue" / "charters" / "seeds"
LANCASHIRE = SEEDS / "lancashire-teaching-hospitals-2023-24.yaml"
GROUP = SEEDS / "lpt-nhft-group.yaml"
NETZERO = SEEDS / "nhs-net-zero-qe1-example.yaml"


def load(path: Path):
    return parse_charter(path.read_text("utf-8"), path=str(path))


@pytest.fixture(scope="module")
def lancashire():
    return load(LANCASHIRE)


@pytest.fixture(scope="module")
def group():
    return load(GROUP)


def indicators(spec):
    return {indicator.code: indicator for _theme, _pledge, indicator in iter_indicators(spec)}


@pytest.mark.parametrize("path", [LANCASHIRE, GROUP, NETZERO], ids=lambda p: p.name)
def test_seed_round_trips_through_dump_and_dict(path):
    spec = load(path)
    assert parse_charter(dump_charter(spec)) == spec
    assert spec_from_dict(spec_to_dict(spec)) == spec


def test_lancashire_header(lancashire):
    assert lancashire.code == "RXN-SV"
    assert lancashire.organisation == "RXN"
    assert lancashire.periods == ("2023/24",)
    assert lancashire.definition.startswith("Social value is the opportunity")
    assert lancashire.mission.startswith("Lancashire Teaching Hospitals will carry out")


def test_lancashire_has_seven_themes_in_the_charters_order(lancashire):
    assert [theme.title for theme in lancashire.themes] == [
        "Economic & Procurement",
        "Education & Skills",
        "Volunteering",
        "Environmental",
        "Health & Wellbeing",
        "Leadership",
        "Social & Community",
    ]
    assert all(len(theme.pledges) == 1 for theme in lancashire.themes)


def test_lancashire_has_38_key_value_indicators(lancashire):
    per_theme = [
        sum(len(pledge.indicators) for pledge in theme.pledges) for theme in lancashire.themes
    ]
    assert per_theme == [7, 7, 4, 4, 4, 7, 5]
    assert len(indicators(lancashire)) == 38


def test_lancashire_pledges_keep_the_full_text(lancashire):
    econ = lancashire.themes[0].pledges[0]
    assert econ.text == (
        "We will deliver value for money by working with local communities for maximising "
        "economic opportunities to buy locally to procure good and services."
    )


def test_local_spend_grows_5_percent_a_year_from_2020_21(lancashire):
    local_spend = indicators(lancashire)["ECON-02"]
    assert local_spend.title.startswith("Increase expenditure with local suppliers by 5%")
    assert local_spend.target.kind == TargetKind.GROWTH_FROM_BASELINE
    assert local_spend.target.baseline_period == FinancialYear(2020)
    assert local_spend.target.rate_percent == 5
    assert local_spend.target.baseline_value is None
    assert local_spend.unit == "£"
    assert local_spend.source == "computed"


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("ECON-01", 4),
        ("ECON-06", 3),
        ("ECON-07", 4),
        ("EDU-01", 60),
        ("EDU-02", 10),
        ("EDU-03", 100),
        ("EDU-06", 10),
        ("VOL-01", 3),
        ("VOL-04", 2),
        ("HWB-01", 2),
        ("SOC-01", 3),
    ],
)
def test_lancashire_counts(lancashire, code, value):
    target = indicators(lancashire)[code].target
    assert target.kind == TargetKind.COUNT
    assert target.value == value


def test_lancashire_growth_on_previous(lancashire):
    found = indicators(lancashire)
    assert found["ECON-03"].target.kind == TargetKind.GROWTH_ON_PREVIOUS
    assert found["ECON-03"].target.rate_percent == 5
    assert found["EDU-07"].target.rate_percent == 10
    assert found["ECON-04"].target.kind == TargetKind.GROWTH_ON_PREVIOUS
    assert found["ECON-04"].target.rate_percent is None


def test_lancashire_milestones(lancashire):
    found = indicators(lancashire)
    assert found["ECON-05"].target.kind == TargetKind.MILESTONE
    assert found["ECON-05"].target.recurs is True
    for code in ("HWB-04", "LEAD-01"):
        assert found[code].target.kind == TargetKind.MILESTONE
        assert found[code].target.recurs is False


def test_lancashire_research_and_innovation_counts(lancashire):
    target = indicators(lancashire)["SOC-02"].target
    assert target.kind == TargetKind.COUNTS
    assert [(part.key, part.value) for part in target.parts] == [
        ("research", 2),
        ("innovation", 5),
    ]


def test_lancashire_environment(lancashire):
    found = indicators(lancashire)
    share = found["ENV-02"]
    assert share.target.kind == TargetKind.SHARE
    assert share.target.target_percent == 25
    assert share.frequency is Frequency.MONTHLY
    paper = found["ENV-04"].target
    assert paper.kind == TargetKind.REDUCTION_FROM_BASELINE
    assert paper.rate_percent == 5
    assert paper.baseline_period is None  # the previous year
    assert found["ENV-03"].target.kind == TargetKind.MAINTAIN
    assert found["ENV-01"].target.kind in {TargetKind.MAINTAIN, TargetKind.DIRECTION}


@pytest.mark.parametrize("code", ["LEAD-03", "LEAD-04", "LEAD-05", "LEAD-06"])
def test_lancashire_disparity_ratios(lancashire, code):
    indicator = indicators(lancashire)[code]
    target = indicator.target
    assert target.kind == TargetKind.RATIO_BAND
    assert (target.lower, target.upper) == (Decimal("0.8"), Decimal("1.2"))
    assert [part.key for part in target.parts] == ["ethnicity", "disability"]
    assert indicator.frequency is Frequency.ANNUAL


def test_lancashire_recruitment_ratio_follows_wres_2_and_wdes_2(lancashire):
    ethnicity, disability = indicators(lancashire)["LEAD-03"].target.parts
    assert (ethnicity.group_a, ethnicity.group_b) == ("White", "BME")
    assert (disability.group_a, disability.group_b) == ("Non-disabled", "Disabled")


def test_lancashire_senior_representation_is_benchmarked_on_2022(lancashire):
    target = indicators(lancashire)["LEAD-02"].target
    assert target.kind == TargetKind.INCREASE_ON_BENCHMARK
    assert target.benchmark_period == FinancialYear(2022)
    assert target.measure is Measure.SHARE
    assert target.benchmark_value is None
    # Ethnicity (WRES 1) and disability (WDES 1) are recorded and judged apart.
    assert [(p.key, p.label, p.benchmark_value) for p in target.parts] == [
        ("ethnic-minority", "ethnic minority", None),
        ("disabled", "disabled/long term condition", None),
    ]


def test_lancashire_qualitative_indicators(lancashire):
    found = indicators(lancashire)
    qualitative = {TargetKind.MAINTAIN, TargetKind.DIRECTION}
    for code in ("SOC-03", "SOC-04", "SOC-05", "LEAD-07"):
        assert found[code].target.kind in qualitative


def test_lancashire_tags(lancashire):
    tags = {theme.code: (theme.social_value_model, theme.net_zero) for theme in lancashire.themes}
    assert "fighting-climate-change" in tags["ENV"][0]
    assert "travel-and-transport" in tags["ENV"][1]
    assert tags["HWB"][0] == ("wellbeing",)


def test_group_charter(group):
    assert group.code == "LPT-NHFT-SV"
    assert group.organisation == "LPT-NHFT"
    assert group.periods == ("2023/24", "2024/25")
    assert "no date" in group.source
    assert [theme.title for theme in group.themes] == [
        "Organisational Resilience",
        "Economic Inequality",
        "Climate Change",
        "Equality of opportunity",
        "Volunteering",
    ]


def test_group_commitments_are_directions_without_numbers(group):
    for theme in group.themes:
        assert sum(len(pledge.indicators) for pledge in theme.pledges) >= 1
    for _theme, _pledge, indicator in iter_indicators(group):
        assert indicator.target.kind == TargetKind.DIRECTION
    found = indicators(group)
    assert found["ECON-01"].title == (
        "Increase employment and training opportunities for local people."
    )
    assert found["ECON-01"].target.direction is Direction.INCREASE
    assert found["ECON-02"].target.direction is Direction.DELIVER


def test_every_shipped_seed_is_named_here():
    assert sorted(SEEDS.glob("*.yaml")) == sorted([LANCASHIRE, GROUP, NETZERO])
