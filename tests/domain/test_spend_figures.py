"""Spend figures, against a small example worked by hand.

Six lines (amounts in £):
  1. 1 Apr 2023   100.00  organisation, local, SME, not VCFSE
  2. 30 Jun 2023   50.00  public body (NHS): not influenceable
  3. 1 Jul 2023   200.00  organisation, not local, not SME, VCFSE not known
  4. 31 Mar 2024  -20.00  credit: organisation, local, SME, VCFSE
  5. 29 Feb 2024   30.00  individual: could not be placed, flags not known
  6. 1 Apr 2024   400.00  organisation, local, SME, VCFSE not known

Financial year 2023-24 (lines 1-5): total 360; public bodies 50; influenceable 310;
local 100 - 20 = 80 (80/310 = 25.8%); not local 200; could not be placed 30 (30/310 = 9.7%);
SME 80 (25.8%), SME not known 30; VCFSE -20 (-6.5%), VCFSE not known 200 + 30 = 230.
2024-25 (line 6): total 400, influenceable 400, local 400 (100%), SME 400, VCFSE 0.
Growth of 2024-25 against 2023-24: total (400 - 360) / 360 = 11.1%; local (400 - 80) / 80 =
400%; influenceable 90 / 310.
Quarters: 2023-24 Q1 (lines 1, 2) 150; Q2 (line 3) 200; Q3 none; Q4 (lines 4, 5) 10;
2024-25 Q1 400. Months: April 2023 100, June 2023 50, July 2023 200, February 2024 30,
March 2024 -20, April 2024 400.
"""

from datetime import date
from decimal import Decimal as D

from socialvalue.domain.spend import (
    Period,
    PeriodKey,
    Share,
    SpendItem,
    growth,
    period_of,
    spend_figures,
)

ITEMS = [
    SpendItem(date(2023, 4, 1), D("100.00"), local=True, sme=True, vcfse=False),
    SpendItem(date(2023, 6, 30), D("50.00"), influenceable=False),
    SpendItem(date(2023, 7, 1), D("200.00"), local=False, sme=False),
    SpendItem(date(2024, 3, 31), D("-20.00"), local=True, sme=True, vcfse=True),
    SpendItem(date(2024, 2, 29), D("30.00")),
    SpendItem(date(2024, 4, 1), D("400.00"), local=True, sme=True),
]


def test_years_against_the_hand_figures():
    first, second = spend_figures(ITEMS, Period.YEAR)
    assert first.period == PeriodKey(date(2023, 4, 1), date(2024, 3, 31), "2023-24")
    assert first.lines == 5
    assert (first.total, first.public_bodies, first.influenceable) == (D(360), D(50), D(310))
    assert (first.local, first.not_local, first.unplaced) == (D(80), D(200), D(30))
    assert (first.sme, first.sme_unknown) == (D(80), D(30))
    assert (first.vcfse, first.vcfse_unknown) == (D(-20), D(230))
    assert first.local_share == Share(D(80), D(310))
    assert first.local_share.percent() == "25.8%"
    assert first.unplaced_share.percent() == "9.7%"
    assert first.sme_share.percent() == "25.8%"
    assert first.vcfse_share.percent() == "-6.5%"
    assert second.period.label == "2024-25"
    assert (second.total, second.local, second.sme, second.vcfse) == (D(400),) * 3 + (D(0),)
    assert second.local_share.percent() == "100.0%"


def test_growth_against_the_baseline_year():
    years = spend_figures(ITEMS, Period.YEAR)
    (change,) = growth(years, "2023-24")
    assert (change.year, change.baseline) == ("2024-25", "2023-24")
    assert change.changes["total"] == Share(D(40), D(360))
    assert change.changes["total"].percent() == "11.1%"
    assert change.changes["local"].percent() == "400.0%"
    assert change.changes["influenceable"] == Share(D(90), D(310))
    # A baseline year with no lines gives no growth; a later baseline gives none either.
    assert growth(years, "2019-20") == []
    assert growth(years, "2024-25") == []


def test_a_zero_baseline_has_no_growth_and_a_zero_denominator_no_share():
    years = spend_figures(
        [
            SpendItem(date(2022, 5, 1), D(10), influenceable=False),
            SpendItem(date(2023, 5, 1), D(10), local=True),
        ],
        Period.YEAR,
    )
    assert years[0].local_share.value is None
    assert years[0].local_share.percent() == "no spend"
    (change,) = growth(years, "2022-23")
    assert change.changes["local"].value is None
    assert change.changes["total"].value == 0


def test_no_lines_no_periods():
    assert spend_figures([], Period.MONTH) == []


def test_quarters_and_months_follow_the_financial_year():
    quarters = spend_figures(ITEMS, Period.QUARTER)
    assert [(q.period.label, q.total) for q in quarters] == [
        ("2023-24 Q1", D(150)),
        ("2023-24 Q2", D(200)),
        ("2023-24 Q4", D(10)),
        ("2024-25 Q1", D(400)),
    ]
    assert quarters[2].period.start == date(2024, 1, 1)
    assert quarters[2].period.end == date(2024, 3, 31)
    months = spend_figures(ITEMS, Period.MONTH)
    assert [(m.period.label, m.total) for m in months] == [
        ("April 2023", D(100)),
        ("June 2023", D(50)),
        ("July 2023", D(200)),
        ("February 2024", D(30)),
        ("March 2024", D(-20)),
        ("April 2024", D(400)),
    ]
    assert months[3].period.end == date(2024, 2, 29)


def test_period_edges():
    assert period_of(date(2024, 3, 31), Period.YEAR).label == "2023-24"
    assert period_of(date(2024, 4, 1), Period.YEAR).label == "2024-25"
    assert period_of(date(1999, 12, 31), Period.YEAR).label == "1999-00"
    december = period_of(date(2023, 12, 31), Period.MONTH)
    assert (december.start, december.end) == (date(2023, 12, 1), date(2023, 12, 31))
    q3 = period_of(date(2023, 12, 31), Period.QUARTER)
    assert (q3.label, q3.start, q3.end) == ("2023-24 Q3", date(2023, 10, 1), date(2023, 12, 31))
    q4 = period_of(date(2024, 1, 1), Period.QUARTER)
    assert (q4.label, q4.start, q4.end) == ("2023-24 Q4", date(2024, 1, 1), date(2024, 3, 31))
