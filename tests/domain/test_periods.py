import itertools
from datetime import date, timedelta

import pytest

from socialvalue.domain.periods import FinancialYear, Frequency, Period, format_date


@pytest.mark.parametrize(
    "text", ["2023/24", "FY2023/24", "FY 2023/24", "2023-24", "2023/2024", " fy2023/24 "]
)
def test_parse_accepts_the_usual_ways_of_writing_a_financial_year(text):
    assert FinancialYear.parse(text) == FinancialYear(2023)


@pytest.mark.parametrize(
    "text", ["2023/25", "2023/2025", "2023", "23/24", "FY23/24", "", "next year", "2023/24/25"]
)
def test_parse_rejects_anything_else_with_a_clear_message(text):
    with pytest.raises(ValueError, match="Enter a financial year like 2023/24"):
        FinancialYear.parse(text)


def test_parse_handles_the_century_turn():
    assert FinancialYear.parse("1999/00") == FinancialYear(1999)
    assert FinancialYear(1999).label == "1999/00"


def test_financial_year_runs_from_1_april_to_31_march():
    fy = FinancialYear(2023)
    assert fy.label == "2023/24"
    assert str(fy) == "2023/24"
    assert fy.start == date(2023, 4, 1)
    assert fy.end == date(2024, 3, 31)
    assert fy.previous == FinancialYear(2022)
    assert fy.next == FinancialYear(2024)
    assert fy.years_after(FinancialYear(2020)) == 3
    assert FinancialYear(2020).years_after(fy) == -3
    assert FinancialYear(2020) < fy


@pytest.mark.parametrize(
    ("day", "start_year"),
    [(date(2023, 4, 1), 2023), (date(2024, 3, 31), 2023), (date(2024, 4, 1), 2024)],
)
def test_containing_finds_the_year_of_a_day(day, start_year):
    assert FinancialYear.containing(day) == FinancialYear(start_year)


@pytest.mark.parametrize(("frequency", "count"), [("monthly", 12), ("quarterly", 4), ("annual", 1)])
def test_periods_cover_the_year_without_gaps(frequency, count):
    fy = FinancialYear(2023)
    periods = fy.periods(frequency)
    assert len(periods) == count
    assert periods[0].start == fy.start
    assert periods[-1].end == fy.end
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
    assert all(p.financial_year == fy for p in periods)


def test_february_in_a_leap_year_has_29_days():
    february = FinancialYear(2023).periods(Frequency.MONTHLY)[10]
    assert february.end == date(2024, 2, 29)


def test_labels_and_keys():
    fy = FinancialYear(2023)
    april = fy.periods(Frequency.MONTHLY)[0]
    assert (april.label, april.short_label, april.key) == ("April 2023", "Apr 2023", "2023-04")
    q1 = fy.periods(Frequency.QUARTERLY)[0]
    assert (q1.label, q1.short_label, q1.key) == ("Q1 2023/24", "Q1", "2023/24-Q1")
    assert (q1.start, q1.end) == (date(2023, 4, 1), date(2023, 6, 30))
    q4 = fy.periods(Frequency.QUARTERLY)[3]
    assert (q4.label, q4.start, q4.end) == ("Q4 2023/24", date(2024, 1, 1), date(2024, 3, 31))
    whole = fy.periods(Frequency.ANNUAL)[0]
    assert (whole.label, whole.short_label, whole.key) == ("2023/24", "2023/24", "2023/24")


@pytest.mark.parametrize("frequency", list(Frequency))
def test_from_key_inverts_key(frequency):
    for year in (FinancialYear(1999), FinancialYear(2023)):
        for period in year.periods(frequency):
            assert Period.from_key(period.key) == period


@pytest.mark.parametrize("key", ["2023-13", "2023/25-Q1", "2023/24-Q5", "April", "", "2023"])
def test_from_key_rejects_bad_keys(key):
    with pytest.raises(ValueError, match="Enter a period"):
        Period.from_key(key)


def test_period_containing_a_day():
    period = Period.containing(Frequency.QUARTERLY, date(2024, 2, 29))
    assert period.label == "Q4 2023/24"
    month = Period.containing("monthly", date(2024, 2, 29))
    assert (month.start, month.end) == (date(2024, 2, 1), date(2024, 2, 29))


def test_a_period_closes_the_day_after_its_last_day():
    june = Period.containing(Frequency.MONTHLY, date(2023, 6, 15))
    assert not june.is_closed(date(2023, 6, 30))
    assert june.is_closed(date(2023, 7, 1))


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2023, 5, 1), date(2023, 4, 30), Frequency.MONTHLY)


def test_frequency_labels():
    assert [f.label for f in Frequency] == ["Monthly", "Quarterly", "Annual"]


def test_format_date_in_nhs_style():
    assert format_date(date(2024, 3, 1)) == "1 March 2024"


@pytest.mark.parametrize(
    ("text", "start_year"),
    [
        ("2022/23", 2022),
        ("2022-23", 2022),
        ("2022", 2022),
        ("FY2022", 2022),
        ("fy 2022", 2022),
        (" 2023 ", 2023),
        ("2023-03-31", 2022),  # the last day of 2022/23
        ("2023-04-01", 2023),  # the first day of 2023/24
        ("2024-02-29T10:00:00", 2023),  # a leap day, written as a date-time
    ],
)
def test_a_year_as_data_files_write_it(text, start_year):
    assert FinancialYear.written(text) == FinancialYear(start_year)


@pytest.mark.parametrize(
    "text", ["", "   ", "FY9999", "1066", "2023/25", "next year", "31/03/2023"]
)
def test_a_year_written_out_of_range_or_unreadable_is_none(text):
    assert FinancialYear.written(text) is None
