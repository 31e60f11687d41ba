"""Time-bound targets through `socialvalue status ORG --year Y --as-of DATE --json` and
`charter show --json`: the issue's examples loaded from a charter file, year by year."""

import json

import pytest

from socialvalue.charters.models import Charter
from socialvalue.charters.services import charter_load_spec
from socialvalue.domain.charterfile import parse_charter
from tests.domain.test_timed_targets import FILE
from tests.helpers import record_approved


@pytest.fixture
def timed(cast):
    text = FILE.replace("organisation: TMD", "organisation: RXN").replace(
        "source: manual\n", "source: manual\n            owner: owner@rxn.test\n"
    )
    spec = parse_charter(text, path="timed.yaml")
    charter = charter_load_spec(spec=spec).charter
    lead, owner = cast["rxn_lead"], cast["rxn_owner"]
    org = charter.organisation

    def record(code, key, **reading):
        indicator = charter.indicators.get(code=code)
        record_approved(
            lead=lead, recorder=owner, indicator=indicator, organisation=org, key=key, **reading
        )

    record("TEN", "2023/24", value=1)
    record("TEN", "2024/25", value=2)
    record("VOL", "2024/25", value=335)
    record("SHARE", "2024/25", numerator=30, denominator=50)
    return charter


def status(run_command, year, as_of):
    code, out, err = run_command("status", "RXN", "--year", year, "--as-of", as_of, "--json")
    assert code == 0, err
    return {i["code"]: i for c in json.loads(out)["charters"] for i in c["indicators"]}


def test_year_by_year_not_started_on_trajectory_and_due(timed, run_command):
    first = status(run_command, "2023/24", "2024-04-01")
    assert (first["SHARE"]["status"], first["SHARE"]["stage"]) == ("not_started", "not_started")
    assert first["SHARE"]["explanation"] == "Not started: the target starts in 2024/25"

    second = status(run_command, "2024/25", "2025-04-01")
    # All ten: 1 + 2 = 3 in all against 4 on the straight line to 10 by 2027/28.
    assert second["TEN"]["stage"] == "trajectory"
    assert (second["TEN"]["actual"], second["TEN"]["target_value"]) == (3, 4)
    assert second["TEN"]["status"] == "missed"
    # Volunteers: 335 against more than 330 (290 + 60 x 2/3).
    assert (second["VOL"]["target_value"], second["VOL"]["status"]) == (330, "achieved")
    assert second["VOL"]["target"].startswith("More than 350 volunteers")
    # 60% from 2024/25: 30 of 50 is 60%, judged against the target itself.
    assert (second["SHARE"]["stage"], second["SHARE"]["status"]) == ("due", "achieved")
    # 80% lower by 2028/29 to 2032/33: 1000 - 800 x 5/9 allowed in 2024/25.
    assert second["CARBON"]["stage"] == "trajectory"
    assert second["CARBON"]["target_value"] == 555.5556

    third = status(run_command, "2025/26", "2026-04-01")
    assert (third["PEOPLE"]["stage"], third["PEOPLE"]["target_value"]) == ("due", 25000)
    assert third["VOL"]["stage"] == "due"


def test_charter_show_json_reports_the_new_fields(timed, run_command):
    code, out, err = run_command("charter", "show", "TMD-SV", "--json")
    assert code == 0, err
    data = json.loads(out)
    text = json.dumps(data)
    for field in ("due_year", "due_until", "start_year", "cumulative", "accumulation", "change"):
        assert f'"{field}"' in text, field
    assert Charter.objects.filter(code="TMD-SV").exists()
