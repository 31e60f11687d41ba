"""Workforce equality formulas, against figures worked out by hand (REFERENCE.md section 3)."""

from decimal import Decimal as D

import pytest

from socialvalue.domain.workforce import (
    MEASURES,
    Characteristic,
    GroupCounts,
    Headcount,
    SurveyResult,
    band_key,
    compare_survey,
    recruitment_likelihood,
    senior_representation,
)

WRES = MEASURES[Characteristic.ETHNICITY]
WDES = MEASURES[Characteristic.DISABILITY]


def test_250_of_1000_against_120_of_800_is_1_67_with_the_declaration_rate():
    # (250 / 1000) / (120 / 800) = 0.25 / 0.15 = 1.6667 -> 1.67.
    # Declared: 1000 + 800 = 1800 of 1900 shortlisted = 94.74%.
    result = recruitment_likelihood(
        WRES,
        reference=GroupCounts(shortlisted=1000, appointed=250),
        comparison=GroupCounts(shortlisted=800, appointed=120),
        not_stated=GroupCounts(shortlisted=100, appointed=20),
    )
    assert result.ratio_2dp == D("1.67")
    assert result.ratio == (D(250) / D(1000)) / (D(120) / D(800))
    assert result.declaration_rate.quantize(D("0.01")) == D("94.74")
    assert not result.unstable
    assert result.reason == ""
    assert "(White appointed 250 ÷ White shortlisted 1000)" in result.method
    assert "100 shortlisted (20 appointed) whose ethnicity is not stated" in result.method
    assert result.to_dict()["ratio"] == "1.67"
    assert result.to_dict()["declaration_rate_percent"] == "94.7"


def test_the_christie_2022_is_3_21():
    # Published as percentages: White 46.99% vs BME 14.65% appointed from shortlisting;
    # per 10,000 shortlisted: 4699 and 1465. 0.4699 / 0.1465 = 3.2075 -> 3.21 (published 3.2).
    result = recruitment_likelihood(
        WRES,
        reference=GroupCounts(shortlisted=10000, appointed=4699),
        comparison=GroupCounts(shortlisted=10000, appointed=1465),
    )
    assert result.ratio_2dp == D("3.21")


def test_nhs_resolution_wdes_2_is_3_24():
    # 19.1% vs 5.9%: per 1,000 shortlisted 191 and 59; 0.191 / 0.059 = 3.2373 -> 3.24.
    result = recruitment_likelihood(
        WDES,
        reference=GroupCounts(shortlisted=1000, appointed=191),
        comparison=GroupCounts(shortlisted=1000, appointed=59),
    )
    assert result.ratio_2dp == D("3.24")
    assert result.measure.code == "WDES 2"
    assert "(Non-disabled appointed 191" in result.method


def test_none_appointed_of_40_in_the_comparison_group_gives_no_ratio_and_says_why():
    result = recruitment_likelihood(
        WRES,
        reference=GroupCounts(shortlisted=50, appointed=10),
        comparison=GroupCounts(shortlisted=40, appointed=0),
    )
    assert result.ratio is None and result.ratio_2dp is None
    assert (
        result.reason == "no ratio: rate for BME candidates is 0 (0 of 40 BME candidates, "
        "against 10 of 50 White candidates)"
    )
    assert result.to_dict()["ratio"] is None
    # 0 appointed is below 10: flagged as unstable, the small count named.
    assert result.small_counts == ("BME appointed 0",)


def test_nobody_shortlisted_gives_no_ratio_and_no_declaration_rate():
    result = recruitment_likelihood(WRES, reference=GroupCounts(0, 0), comparison=GroupCounts(0, 0))
    assert result.ratio is None
    assert result.reason == "no ratio: no White candidates counted"
    assert result.declaration_rate is None
    assert "stated it" not in result.method


def test_small_counts_are_flagged_at_the_threshold():
    # 9 is below 10, 10 is not; the threshold is a setting.
    result = recruitment_likelihood(
        WRES, reference=GroupCounts(100, 10), comparison=GroupCounts(40, 9)
    )
    assert result.small_counts == ("BME appointed 9",)
    assert "Unstable: fewer than 10 in BME appointed 9." in result.method
    stricter = recruitment_likelihood(
        WRES, reference=GroupCounts(100, 10), comparison=GroupCounts(40, 9), threshold=5
    )
    assert not stricter.unstable


def test_survey_gap_in_points_and_ratio_each_labelled():
    # Colleagues: White 18.0% of 3000, BME 24.5% of 600.
    # Gap 24.5 - 18.0 = 6.5 points; ratio 24.5 / 18.0 = 1.3611 -> 1.36.
    result = compare_survey(
        "Bullying from colleagues",
        WRES,
        reference=SurveyResult("Bullying from colleagues", "White", 3000, D("18.0")),
        comparison=SurveyResult("Bullying from colleagues", "BME", 600, D("24.5")),
    )
    assert result.gap_points == D("6.5")
    assert result.ratio.quantize(D("0.01")) == D("1.36")
    assert result.gap_label == "BME minus White, percentage points"
    assert result.ratio_label == "BME ÷ White"
    data = result.to_dict()
    assert (data["gap_points"], data["ratio"]) == ("6.5", "1.36")


@pytest.mark.parametrize(("respondents", "suppressed"), [(10, True), (11, False)])
def test_survey_groups_under_11_respondents_are_suppressed(respondents, suppressed):
    result = compare_survey(
        "q",
        WDES,
        reference=SurveyResult("q", "Non-disabled", 500, D("20")),
        comparison=SurveyResult("q", "Disabled", respondents, D("30")),
    )
    if suppressed:
        assert result.gap_points is None and result.ratio is None
        assert result.reason == (
            "no comparison: fewer than 11 respondents in Disabled (10), so the result is suppressed"
        )
        assert result.to_dict()["comparison"]["percent"] is None
    else:
        assert result.gap_points == D(10)
        assert result.ratio == D("1.5")


def test_survey_reference_at_zero_has_a_gap_but_no_ratio():
    result = compare_survey(
        "q",
        WRES,
        reference=SurveyResult("q", "White", 100, D(0)),
        comparison=SurveyResult("q", "BME", 50, D(4)),
    )
    assert result.gap_points == D(4)
    assert result.ratio is None
    assert result.reason == "no ratio: White is 0%"


def test_survey_missing_group_is_not_compared():
    result = compare_survey(
        "q", WRES, reference=None, comparison=SurveyResult("q", "BME", 50, D(4))
    )
    assert result.reason == "no comparison: no result for White"


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Band 8c", "8c"),
        ("8C", "8c"),
        ("Band 8 - Range C", "8c"),
        ("Band 9", "9"),
        ("VSM", "vsm"),
        ("Very Senior Manager", "vsm"),
        ("Band 8a", "8a"),
    ],
)
def test_band_keys(written, key):
    assert band_key(written) == key


def _staff(year, counts):
    return [
        Headcount(year=year, band=band, group=group, headcount=n)
        for band, groups in counts.items()
        for group, n in groups.items()
    ]


def test_senior_representation_against_the_benchmark_year():
    # 2022 senior (8c, 8d, 9, VSM): 40+4+6 + 20+2 + 8+0 + 5+1 = 86, BME 4+2+0+1 = 7 -> 8.14%.
    # 2023: 38+8+4 + 20+3 + 7+1 + 5+1 = 87, BME 8+3+1+1 = 13 -> 14.94%.
    # Change 14.9425 - 8.1395 = 6.80 points. Band 8a is not senior and is left out.
    rows = _staff(
        "2022",
        {
            "Band 8a": {"White": 100, "BME": 30},
            "Band 8c": {"White": 40, "BME": 4, "Not stated": 6},
            "Band 8d": {"White": 20, "BME": 2},
            "Band 9": {"White": 8, "BME": 0},
            "VSM": {"White": 5, "BME": 1},
        },
    ) + _staff(
        "2023",
        {
            "Band 8a": {"White": 100, "BME": 35},
            "Band 8 - Range C": {"White": 38, "BME": 8, "Not stated": 4},
            "Band 8d": {"White": 20, "BME": 3},
            "Band 9": {"White": 7, "BME": 1},
            "Very senior manager": {"White": 5, "BME": 1},
        },
    )
    result = senior_representation(WRES, rows, year="2023", benchmark_year="2022")
    assert (result.in_group, result.senior_staff, result.not_stated) == (13, 87, 4)
    assert result.share.quantize(D("0.01")) == D("14.94")
    assert (result.benchmark_in_group, result.benchmark_senior_staff) == (7, 86)
    assert result.benchmark_share.quantize(D("0.01")) == D("8.14")
    assert result.change_points.quantize(D("0.1")) == D("6.8")
    assert "BME staff in band 8c, band 8d, band 9, VSM 13 ÷ all staff in those bands 87" in (
        result.method
    )
    # The bands are a setting: 8d and above only -> 2023: 3+1+1 = 5 of 23+8+6 = 37.
    narrow = senior_representation(WRES, rows, year="2023", bands=("8d", "9", "VSM"))
    assert (narrow.in_group, narrow.senior_staff) == (5, 37)
    assert narrow.change_points is None


def test_senior_representation_with_nobody_in_the_bands():
    result = senior_representation(WDES, [], year="2023", benchmark_year="2022")
    assert result.share is None
    assert result.reason == "no share: no staff in band 8c, band 8d, band 9, VSM in 2023"
