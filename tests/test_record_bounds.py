"""The record form: a count of things is whole and never negative; every figure is bounded.

Money and measures may have decimals (and a recorded value in them may fall below 0); counts
of people, projects or appointments may not. The seed charter RXN-SV reports on 2023/24.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest

from socialvalue.domain.periods import Period
from socialvalue.domain.status import MilestoneState
from socialvalue.measurements import services
from socialvalue.measurements.models import Measurement


def post(client, org, indicator_code, **fields):
    data = {"organisation": str(org.pk), **fields}
    return client.post(f"/charters/RXN-SV/indicators/{indicator_code}/record/", data)


def errors(response) -> list[str]:
    html = unescape(response.content.decode())
    summary = html.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r">([^<>]+)</a>", summary)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "Value (opportunities) must be 0 or more"),
        ("1.5", "Value (opportunities) must be a whole number"),
        ("100000000001", "Value (opportunities) must be 100,000,000,000 or less"),
        ("1e26", "Value (opportunities) must be 100,000,000,000 or less"),
        ("NaN", "Value (opportunities) must be a number"),
        ("Infinity", "Value (opportunities) must be a number"),
    ],
)
def test_a_count_of_things_is_whole_and_never_negative(seeded, cast, orgs, sign_in, value, message):
    client = sign_in(cast["rxn_lead"])
    response = post(client, orgs["RXN"], "EDU-03", period="2023/24-Q1", value=value)
    assert response.status_code == 400
    assert errors(response) == [message]
    assert not Measurement.objects.exists()


def test_the_largest_count_is_stored_exactly(seeded, cast, orgs, sign_in):
    client = sign_in(cast["rxn_lead"])
    response = post(client, orgs["RXN"], "EDU-03", period="2023/24-Q1", value="100000000000")
    assert response.status_code == 302
    assert Measurement.objects.get().value == Decimal(100_000_000_000)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("-12.50", Decimal("-12.5")),
        ("99999999999.9999", Decimal("99999999999.9999")),
        ("-100000000000", Decimal(-100_000_000_000)),
        ("0.0001", Decimal("0.0001")),
    ],
)
def test_money_may_have_decimals_and_fall_and_is_stored_exactly(
    seeded, cast, orgs, sign_in, value, stored
):
    client = sign_in(cast["rxn_lead"])
    response = post(client, orgs["RXN"], "ECON-02", period="2023/24-Q1", value=value)
    assert response.status_code == 302
    # Read back from the database: SQLite keeps 15 significant digits, and these fit.
    assert Measurement.objects.get().value == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.00001", "Value (£) must have 4 decimal places or fewer"),
        ("-100000000000.5", "Value (£) must be -100,000,000,000 or more"),
    ],
)
def test_money_is_bounded_too(seeded, cast, orgs, sign_in, value, message):
    client = sign_in(cast["rxn_lead"])
    response = post(client, orgs["RXN"], "ECON-02", period="2023/24-Q1", value=value)
    assert response.status_code == 400
    assert errors(response) == [message]


def test_a_share_of_appointments_counts_whole_appointments(seeded, cast, orgs, sign_in):
    client = sign_in(cast["rxn_lead"])
    response = post(
        client, orgs["RXN"], "ENV-02", period="2023-04", numerator="1.5", denominator="-2"
    )
    assert response.status_code == 400
    assert errors(response) == [
        "Outpatient appointments counted in the share (numerator) must be a whole number",
        "All outpatient appointments (denominator) must be 0 or more",
    ]


def test_parts_and_disparity_figures_are_counts(seeded, cast, orgs, sign_in):
    client = sign_in(cast["rxn_lead"])
    response = post(
        client,
        orgs["RXN"],
        "SOC-02",
        period="2023/24-Q1",
        part_research="2.5",
        part_innovation="-1",
    )
    assert response.status_code == 400
    assert errors(response) == [
        "Research projects must be a whole number",
        "Innovation projects must be 0 or more",
    ]


def test_a_date_done_outside_the_years_is_refused(seeded, cast, orgs, sign_in):
    client = sign_in(cast["rxn_lead"])
    fields = {"period": "2023/24-Q1", "milestone_state": "done"}
    response = post(client, orgs["RXN"], "HWB-04", **fields, achieved_on="1980-01-01")
    assert response.status_code == 400
    assert errors(response) == ["Date done must be between 1 April 1990 and 31 March 2101"]
    response = post(client, orgs["RXN"], "HWB-04", **fields, achieved_on="2024-02-30")
    assert errors(response) == [
        "Enter the date done as a real date, like 31/3/2024 or 31 March 2024"
    ]


@pytest.mark.parametrize(
    ("reading", "message"),
    [
        ({"value": Decimal("1e26")}, "value must be 100,000,000,000 or less"),
        ({"value": Decimal("NaN")}, "value must be a number"),
        ({"value": Decimal("0.00001")}, "value must have 4 decimal places or fewer"),
        (
            {"parts": {"research": Decimal("1e40"), "innovation": Decimal(1)}},
            "parts.research must be 100,000,000,000 or less",
        ),
        (
            {"milestone_state": MilestoneState.DONE, "achieved_on": date(9999, 12, 31)},
            "achieved_on must be between 1 April 1990 and 31 March 2101",
        ),
    ],
)
def test_the_service_refuses_what_no_page_could_show(seeded, cast, orgs, reading, message):
    """Imports record through the service without a form: it keeps the same limits."""
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        services.measurement_record(
            actor=cast["rxn_lead"],
            indicator=seeded["RXN-SV"].indicators.get(code="EDU-03"),
            organisation=orgs["RXN"],
            period=Period.from_key("2023/24-Q1"),
            reading=services.Reading(**reading),
        )
    assert not Measurement.objects.exists()
