"""`socialvalue status` and the progress pages given a year the charter does not report on.

The seed charter RXN-SV reports on 2023/24 only; the group charter LPT-NHFT-SV on 2023/24
and 2024/25.
"""

from __future__ import annotations

import json

import pytest

from tests.factories import CharterFactory


@pytest.mark.parametrize(
    ("org", "year", "message"),
    [
        (
            "RXN",
            "2030/31",
            "--year: 2030/31 is not a reporting year of RXN's charters (RXN-SV: 2023/24)",
        ),
        (
            "RT5",
            "2022/23",
            "--year: 2022/23 is not a reporting year of RT5's charters "
            "(LPT-NHFT-SV: 2023/24, 2024/25)",
        ),
        ("RXN", "9999/00", "--year: Enter a financial year from 1990/91 to 2100/01"),
        ("RXN", "0000/01", "--year: Enter a financial year from 1990/91 to 2100/01"),
    ],
)
def test_a_year_outside_the_charters_is_refused(seeded, run_command, org, year, message):
    code, out, err = run_command("status", org, "--year", year, "--as-of", "2024-04-30", "--json")
    assert code == 1
    assert err == message
    assert out == ""


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1990-03-31"])
def test_an_as_of_date_outside_the_years_is_refused(seeded, run_command, as_of):
    code, _, err = run_command("status", "RXN", "--year", "2023/24", "--as-of", as_of)
    assert code == 1
    assert err == "--as-of: the date must be between 1 April 1990 and 31 March 2101"


def test_a_charter_that_does_not_report_on_the_year_is_left_out_with_a_note(
    seeded, orgs, run_command
):
    CharterFactory(code="RXN-NEXT", organisation=orgs["RXN"], years=[2025, 2026])
    code, out, err = run_command(
        "status", "RXN", "--year", "2023/24", "--as-of", "2024-04-30", "--json"
    )
    assert code == 0
    assert [c["code"] for c in json.loads(out)["charters"]] == ["RXN-SV"]
    assert err.strip() == (
        "RXN-NEXT left out: 2023/24 is not one of its reporting years (2025/26, 2026/27)"
    )

    code, out, err = run_command(
        "status", "RXN", "--year", "2025/26", "--as-of", "2025-04-30", "--json"
    )
    assert code == 0
    assert [c["code"] for c in json.loads(out)["charters"]] == ["RXN-NEXT"]
    assert "RXN-SV left out: 2025/26 is not one of its reporting years (2023/24)" in err


@pytest.mark.parametrize(
    "year", ["2030/31", "9999/00", "0000/01", "1989/90", "nonsense", "2023/25"]
)
def test_pages_given_a_year_outside_the_charter_show_one_of_its_years(seeded, cast, sign_in, year):
    client = sign_in(cast["rxn_lead"])
    dashboard = client.get("/charters/RXN-SV/progress/", {"year": year})
    assert dashboard.status_code == 200
    assert "Indicators by status and theme, 2023/24" in dashboard.content.decode()
    page = client.get("/charters/RXN-SV/indicators/EDU-03/", {"year": year})
    assert page.status_code == 200
    assert "At least 100 opportunities in 2023/24" in page.content.decode()
