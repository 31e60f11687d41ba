from decimal import Decimal

import pytest

from socialvalue.domain.wording import (
    counts_whole_things,
    figure,
    limit_phrase,
    of_phrase,
    plural,
    share_phrase,
    singular,
    unit_for,
)

D = Decimal


@pytest.mark.parametrize(
    ("many", "one"),
    [("projects", "project"), ("people", "person"), ("opportunities", "opportunity"),
     ("boxes", "box"), ("churches", "church"), ("business", "business"), ("bus", "bus"),
     ("Campaigns", "Campaign"), ("series", "series"), ("premises", "premises")],
)  # fmt: skip
def test_singular(many, one):
    assert singular(many) == one


@pytest.mark.parametrize(
    ("one", "many"),
    [("report", "reports"), ("policy", "policies"), ("strategy", "strategies"),
     ("day", "days"), ("box", "boxes"), ("person", "people"), ("staff", "staff")],
)  # fmt: skip
def test_plural(one, many):
    assert plural(one) == many


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(1, "projects", "project"), (2, "projects", "projects"), (0, "projects", "projects"),
     (1, "colleagues working agile", "colleague working agile"),
     (1, "outpatient appointments", "outpatient appointment"), (1, "people", "person"),
     (2, "report", "reports"), (1, "report", "report"), (2, "relative likelihood",
     "relative likelihood"), (1, "£", "£"), (1, "% of senior roles", "% of senior roles")],
)  # fmt: skip
def test_the_unit_agrees_with_the_figure(value, unit, expected):
    assert unit_for(D(value), unit) == expected


@pytest.mark.parametrize(
    ("unit", "whole"),
    [("people", True), ("projects", True), ("colleagues working agile", True), ("£", False),
     ("", False), ("%", False), ("% of senior roles", False), ("tonnes CO2e", False),
     ("hours", False), ("visits per person", False), ("relative likelihood", False)],
)  # fmt: skip
def test_which_units_count_whole_things(unit, whole):
    assert counts_whole_things(unit) is whole


def test_money_is_rounded_in_summaries_and_exact_on_the_indicator_page():
    assert figure(D("1157625.4"), "£") == "£1,157,625"
    assert figure(D("1157625.4"), "£", summary=False) == "£1,157,625.40"
    # Pence always with two digits; whole pounds without.
    assert figure(D("-0.5"), "£", summary=False) == "-£0.50"
    assert figure(D("1200.00"), "£", summary=False) == "£1,200"
    assert figure(D("0.056"), "£", summary=False) == "£0.06"
    assert figure(D("-12.5"), "GBP") == "-£13"


def test_no_unit_repeated():
    assert of_phrase(D(62), D(100), "people") == "62 of 100 people"
    assert of_phrase(D(1), D(1), "projects") == "1 of 1 project"
    assert of_phrase(D(6200), D(10000), "£") == "£6,200 of £10,000"


def test_whole_things_are_shown_whole():
    assert limit_phrase("at_least", D("79.8"), "opportunities") == "at least 80 opportunities"
    assert limit_phrase("more_than", D("79.8"), "opportunities") == "at least 80 opportunities"
    assert limit_phrase("at_most", D("47.5"), "people") == "at most 47 people"
    assert limit_phrase("less_than", D("47.5"), "people") == "at most 47 people"
    assert limit_phrase("at_least", D("79.8"), "tonnes") == "at least 79.8 tonnes"


def test_shares_give_the_counts_then_the_percentage_with_the_unit():
    assert share_phrase(D(500), D(2100), D(500) / D(2100) * 100) == "500 of 2,100 (23.8%)"
    assert share_phrase(D(500), D(2100), D("23.8"), "people") == "500 of 2,100 people (23.8%)"
    assert share_phrase(D(13), D(100), D(13), "% of senior roles") == (
        "13 of 100 senior roles (13%)"
    )
    assert share_phrase(D(1), D(1), D(100), "% of senior roles") == "1 of 1 senior role (100%)"
