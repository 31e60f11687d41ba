"""`socialvalue status QE1 --year Y --as-of DATE --json` on the shipped net zero example
(QE1-NZ): a year before the start is not started, 2024/25 is judged against the trajectory and
2028/29 against the 80% cut. Figures are worked in tests/domain/test_netzero_charter.py:
trajectory 4,604,210.53 tCO2e in 2024/25; 3,240,000 tCO2e due from 2028/29.
"""

import json
from decimal import Decimal

import pytest

from tests.factories import MembershipFactory, UserFactory
from tests.helpers import record_approved


@pytest.fixture
def netzero(seeded, orgs):
    charter = seeded["QE1-NZ"]
    charter.self_approval_allowed = True
    charter.save()
    lead = UserFactory(email="lead@qe1.test")
    MembershipFactory(user=lead, organisation=orgs["QE1"], role="lead")
    indicator = charter.indicators.get(code="NZ-CF-80")

    def approved(key, value):
        record_approved(
            lead=lead,
            recorder=lead,
            indicator=indicator,
            organisation=orgs["QE1"],
            key=key,
            value=Decimal(value),
        )

    approved("2019/20", "6100000")
    approved("2024/25", "4500000")
    approved("2028/29", "3500000")
    return charter


def status(run_command, year, as_of):
    code, out, err = run_command("status", "QE1", "--year", year, "--as-of", as_of, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [c["code"] for c in data["charters"]] == ["QE1-NZ"]
    return {i["code"]: i for i in data["charters"][0]["indicators"]}


def test_not_started_on_trajectory_then_due(netzero, run_command):
    before = status(run_command, "2019/20", "2020-04-01")["NZ-CF-80"]
    assert before["stage"] == "not_started"
    assert before["target"].endswith("(not started in 2019/20)")

    trajectory = status(run_command, "2024/25", "2025-04-01")["NZ-CF-80"]
    assert trajectory["stage"] == "trajectory"
    assert (trajectory["actual"], trajectory["status"]) == (4500000, "achieved")
    assert trajectory["target_value"] == pytest.approx(4604210.5263, abs=0.0001)
    assert trajectory["target"].startswith(
        "Down 80% on the 1990/91 baseline (16,200,000 tCO2e) by 2028/29 to 2032/33"
    )

    due = status(run_command, "2028/29", "2029-04-01")
    cf80 = due["NZ-CF-80"]
    assert (cf80["stage"], cf80["target_value"]) == ("due", 3240000)
    assert (cf80["actual"], cf80["status"]) == (3500000, "missed")
    # Net zero by 2040/41 is still on its trajectory in 2028/29 and has no figure yet.
    assert due["NZ-CF-NZ"]["stage"] == "trajectory"
    assert due["NZ-CF-NZ"]["status"] == "no_data"
    # The Footprint Plus has no 1990 figure: said, not guessed.
    assert due["NZ-CFP-80"]["actual"] is None
