"""The charter and indicator forms refuse what once broke every page of a charter.

Each case once was accepted and then made the charter's pages fail: a count of 1e26, a rate
of 1e40, a year 0000/01 or 9999/00, a threshold of 0.0000001 (0 in the database), a profile
of NaN,30,60,100. Now each is refused with a message, and nothing is saved.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from socialvalue.charters.models import Charter, Indicator
from socialvalue.domain.charterfile import parse_charter
from tests.helpers import charter_rows

CHARTER = """\
format: socialvalue-charter/1
code: RXN-B
title: Bounds
organisation: RXN
periods: ["2023/24"]
themes:
  - code: T
    title: Theme
    pledges:
      - code: T-P1
        text: A pledge.
        indicators:
          - code: T-01
            title: People
            unit: people
            frequency: quarterly
            source: manual
            target: {kind: count, value: 100}
"""


@pytest.fixture
def charter(cast):
    from socialvalue.charters.services import charter_load_spec

    return charter_load_spec(spec=parse_charter(CHARTER)).charter


def errors(response) -> list[str]:
    html = unescape(response.content.decode())
    summary = html.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r">([^<>]+)</a>", summary)]


def charter_data(orgs, **overrides):
    data = {
        "code": "RXN-NEW",
        "title": "New charter",
        "organisation": orgs["RXN"].pk,
        "years": "2023/24",
        "at_risk_below": "90",
        "off_track_below": "75",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"years": "2023/24, 0000/01"},
            "Enter a financial year from 1990/91 to 2100/01 ('0000/01' is not)",
        ),
        ({"years": "9999/00"}, "Enter a financial year from 1990/91 to 2100/01 ('9999/00' is not)"),
        ({"off_track_below": "0.0000001"}, "Off-track threshold must be between 1% and 100%"),
        ({"off_track_below": "1.05"}, "Off-track threshold must have 1 decimal place or fewer"),
        ({"at_risk_below": "NaN"}, "At-risk threshold must be a number, like 90"),
        ({"at_risk_below": "150"}, "At-risk threshold must be between 1% and 100%"),
        # A share typed as before (0.9) is read as 0.9%, below the lowest threshold.
        ({"at_risk_below": "0.9"}, "At-risk threshold must be between 1% and 100%"),
    ],
)
def test_the_charter_form_refuses_years_and_thresholds_out_of_bounds(
    orgs, cast, sign_in, fields, message
):
    client = sign_in(cast["rxn_lead"])
    response = client.post("/charters/new/", charter_data(orgs, **fields))
    assert response.status_code == 400
    assert errors(response) == [message]
    assert not Charter.objects.exists()


def test_the_charter_form_takes_the_edge_years_and_thresholds(orgs, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    data = charter_data(orgs, years="1990/91, 2100/01", at_risk_below="100", off_track_below="1")
    assert client.post("/charters/new/", data).status_code == 302
    charter = Charter.objects.get(code="RXN-NEW")
    assert [p.year.label for p in charter.periods.all()] == ["1990/91", "2100/01"]
    assert (str(charter.at_risk_below), str(charter.off_track_below)) == ("1.000", "0.010")


def indicator_data(charter, **overrides):
    data = {
        "code": "T-01",
        "title": "People",
        "pledge": charter.themes.get().pledges.get().pk,
        "unit": "people",
        "frequency": "quarterly",
        "source": "manual",
        "target_kind": "count",
        "value": "100",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value": "1e26"}, "value", "Target value must be 100,000,000,000 or less"),
        ({"value": "NaN"}, "value", "Enter a target value as a number, like 5"),
        (
            {"target_kind": "growth_on_previous", "rate_percent": "1e40"},
            "rate_percent",
            "Rate must be 100 or less",
        ),
        (
            {
                "target_kind": "growth_from_baseline",
                "rate_percent": "5",
                "baseline_period": "0000/01",
            },
            "baseline_period",
            "Enter a financial year from 1990/91 to 2100/01",
        ),
        (
            {"target_kind": "milestone", "due": "2024-02-30"},
            "due",
            "Enter a due date that exists, like 2024-03-31",
        ),
        (
            {"profile": "NaN, 30, 60, 100"},
            "profile",
            "Enter each percentage as a number: number 1 is not one",
        ),
        (
            {"profile": "10, 30.125, 60, 100"},
            "profile",
            "Each percentage must have 2 decimal places or fewer: number 2 is 30.125",
        ),
        (
            {"profile": "10, 30, 60, 90"},
            "profile",
            "The last percentage must be 100",
        ),
    ],
)
def test_the_indicator_form_refuses_numbers_years_dates_and_profiles_out_of_bounds(
    charter, cast, sign_in, fields, field, message
):
    client = sign_in(cast["rxn_lead"])
    before = charter_rows()
    url = "/charters/RXN-B/indicators/T-01/edit/"
    response = client.post(url, indicator_data(charter, **fields))
    assert response.status_code == 400
    assert errors(response) == [message]
    html = unescape(response.content.decode())
    assert f'id="id_{field}-error"' in html or f'href="#id_{field}"' in html
    assert charter_rows() == before


def test_the_indicator_form_takes_the_largest_values(charter, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    url = "/charters/RXN-B/indicators/T-01/edit/"
    data = indicator_data(charter, value="100000000000", profile="0, 0, 0, 100")
    assert client.post(url, data).status_code == 302
    indicator = Indicator.objects.get(code="T-01")
    assert indicator.target_params == {"value": 100_000_000_000}
    assert indicator.profile == ["0", "0", "0", "1"]
    page = client.get("/charters/RXN-B/").content.decode()
    assert "At least 100,000,000,000 people in 2023/24" in unescape(page)
