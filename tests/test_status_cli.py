"""`status ORG --year --as-of --json`: every indicator's figures, worked out by hand here.

As of 15 January 2024 in 2023/24: Q1 (to 30 June), Q2 (to 30 September) and Q3 (to
31 December) have closed, so 3 of 4 quarters (and 9 of 12 months); the year is not over.
"""

import json
from decimal import Decimal

import pytest

from socialvalue.domain.periods import Period
from socialvalue.measurements import services
from tests.helpers import record_approved

KEYS = {
    "code",
    "title",
    "target_kind",
    "target",
    "actual",
    "expected_to_date",
    "forecast",
    "status",
    "explanation",
}


def status(run_command, org="RXN", as_of="2024-01-15"):
    code, out, err = run_command("status", org, "--year", "2023/24", "--as-of", as_of, "--json")
    assert code == 0, err
    return json.loads(out)


def by_code(data):
    return {i["code"]: i for c in data["charters"] for i in c["indicators"]}


def approved(lead, indicator, organisation, key, recorder=None, **reading):
    return record_approved(
        lead=lead,
        recorder=recorder or lead,
        indicator=indicator,
        organisation=organisation,
        key=key,
        **reading,
    )


def test_every_indicator_is_listed_with_its_figures(seeded, run_command):
    data = status(run_command)
    assert (data["organisation"], data["year"], data["as_of"]) == ("RXN", "2023/24", "2024-01-15")
    [charter] = data["charters"]
    assert charter["code"] == "RXN-SV"
    indicators = charter["indicators"]
    assert len(indicators) == 38
    assert len({i["code"] for i in indicators}) == 38
    for item in indicators:
        assert item.keys() >= KEYS, item["code"]
        assert item["title"] and item["target"] and item["explanation"]
    # Nothing recorded yet: quarterly indicators have closed quarters, so no data.
    edu03 = by_code(data)["EDU-03"]
    assert (edu03["target_kind"], edu03["target"]) == (
        "count",
        "At least 100 opportunities in 2023/24",
    )
    assert (edu03["actual"], edu03["expected_to_date"], edu03["status"]) == (None, 75, "no_data")
    assert edu03["explanation"] == "No value recorded for Q1 2023/24 to Q3 2023/24"
    # An annual indicator has nothing closed before 31 March: not yet due.
    assert by_code(data)["LEAD-03"]["status"] == "not_yet_due"


def test_figures_for_recorded_values(seeded, cast, orgs, run_command):
    charter, rxn, lead = seeded["RXN-SV"], orgs["RXN"], cast["rxn_lead"]
    ind = {i.code: i for i in charter.indicators.all()}

    # Count, at least 100: Q1 30 + Q2 32 = 62. Expected 100 x 3/4 = 75; 62/75 = 0.83 is
    # under 0.9 but not 0.75: at risk. Forecast: the latest figure is for Q2, half the year,
    # so 62 / (2/4) = 124.
    approved(lead, ind["EDU-03"], rxn, "2023/24-Q1", value=Decimal(30))
    approved(lead, ind["EDU-03"], rxn, "2023/24-Q2", value=Decimal(32))

    # Share, at least 25%: April 10 of 100 (10%), May 480 of 1600 (30%). The average of the
    # percentages would be 20% (off track); the pooled share is 490 / 1700 = 28.82%.
    approved(lead, ind["ENV-02"], rxn, "2023-04", numerator=Decimal(10), denominator=Decimal(100))
    approved(lead, ind["ENV-02"], rxn, "2023-05", numerator=Decimal(480), denominator=Decimal(1600))

    # Ratio band 0.8-1.2, two parts: ethnicity (250/1000) / (120/800) = 0.25 / 0.15 = 1.67,
    # outside; disability (30/100) / (40/160) = 0.3 / 0.25 = 1.20, inside. Worst: off track.
    approved(
        lead,
        ind["LEAD-03"],
        rxn,
        "2023/24",
        parts={
            "ethnicity": {
                "events_a": Decimal(250),
                "population_a": Decimal(1000),
                "events_b": Decimal(120),
                "population_b": Decimal(800),
            },
            "disability": {
                "events_a": Decimal(30),
                "population_a": Decimal(100),
                "events_b": Decimal(40),
                "population_b": Decimal(160),
            },
        },
    )

    # Milestone done on 1 November 2023: achieved.
    approved(
        lead,
        ind["HWB-04"],
        rxn,
        "2023/24-Q3",
        milestone_state=services.MilestoneState.DONE,
        achieved_on=Period.from_key("2023-11").start,
    )

    # Counts (2 research, 5 innovation): research 1 + 1 = 2, met: achieved. Innovation
    # 2 + 1 = 3; expected 5 x 3/4 = 3.75; 3 / 3.75 = 0.8: at risk; forecast 3 / (2/4) = 6.
    # Whole indicator: actual 5, expected 1.5 + 3.75 = 5.25, forecast 4 + 6 = 10.
    approved(
        lead,
        ind["SOC-02"],
        rxn,
        "2023/24-Q1",
        parts={"research": Decimal(1), "innovation": Decimal(2)},
    )
    approved(
        lead,
        ind["SOC-02"],
        rxn,
        "2023/24-Q2",
        parts={"research": Decimal(1), "innovation": Decimal(1)},
    )

    # Waiting for approval: counted as waiting, not in the actual.
    services.measurement_record(
        actor=lead,
        indicator=ind["EDU-01"],
        organisation=rxn,
        period=Period.from_key("2023/24-Q1"),
        reading=services.Reading(value=Decimal(9)),
    )

    result = by_code(status(run_command))

    edu03 = result["EDU-03"]
    assert (edu03["actual"], edu03["expected_to_date"], edu03["forecast"]) == (62, 75, 124)
    assert edu03["status"] == "at_risk"
    # The actual and the expected cover the same span, to 31 December; Q3 is a named gap.
    assert edu03["explanation"] == (
        "62 of 100 opportunities by 31 December; 75 expected; forecast 124 by 31 March; "
        "no value for Q3 2023/24"
    )

    env02 = result["ENV-02"]
    # 490 / 1700 = 28.823529…%, given to 4 places, with the sums it comes from.
    assert (env02["actual"], env02["numerator"], env02["denominator"]) == (28.8235, 490, 1700)
    assert (env02["expected_to_date"], env02["forecast"]) == (None, None)
    # 28.8% meets 25%, but June to December closed unreported: at best at risk.
    assert env02["status"] == "at_risk"
    assert env02["explanation"] == (
        "490 of 1,700 outpatient appointments (28.8%) by 31 December; target at least 25%; "
        "no value for June 2023 to December 2023"
    )

    lead03 = result["LEAD-03"]
    assert lead03["actual"] is None  # two parts: no single headline ratio
    assert lead03["status"] == "off_track"
    assert "Ratio 1.67 (250 of 1,000 vs 120 of 800): outside 0.8–1.2" in lead03["explanation"]
    assert "Ratio 1.20 (30 of 100 vs 40 of 160): inside 0.8–1.2" in lead03["explanation"]

    hwb04 = result["HWB-04"]
    assert (hwb04["status"], hwb04["explanation"]) == ("achieved", "Done on 1 November 2023")

    soc02 = result["SOC-02"]
    assert (soc02["actual"], soc02["expected_to_date"], soc02["forecast"]) == (5, 5.25, 10)
    assert soc02["status"] == "at_risk"

    edu01 = result["EDU-01"]
    assert (edu01["waiting_for_approval"], edu01["actual"], edu01["status"]) == (1, None, "no_data")

    # After the year is over the forecast is the actual and the status final.
    after = by_code(status(run_command, as_of="2024-04-01"))
    assert (after["EDU-03"]["forecast"], after["EDU-03"]["status"]) == (62, "missed")
    assert after["EDU-03"]["expected_to_date"] == 100
    # A share with gaps cannot be achieved: June 2023 to March 2024 were never reported.
    assert after["ENV-02"]["status"] == "no_data"
    assert after["LEAD-03"]["status"] == "missed"


def test_text_output_has_a_line_per_indicator(seeded, run_command):
    code, out, _ = run_command("status", "RXN", "--year", "2023/24", "--as-of", "2024-01-15")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "RXN-SV: Lancashire Teaching Hospitals Social Value Charter"
    assert len(lines) == 1 + 38
    assert any(line.split()[:2] == ["EDU-03", "no_data"] for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("RXN", "--year", "2023/25"),
            "--year: Enter a financial year like 2023/24 (the second year must follow the first)",
        ),
        (("RXN", "--year", "last year"), "--year: Enter a financial year like 2023/24"),
        (("ZZZ", "--year", "2023/24"), "No organisation with code ZZZ"),
        (
            ("RXN", "--year", "2023/24", "--as-of", "15/01/2024"),
            "--as-of: enter a date like 2024-03-31, not '15/01/2024'",
        ),
    ],
)
def test_bad_arguments_give_a_clear_message(seeded, run_command, args, message):
    code, out, err = run_command("status", *args, "--json")
    assert code != 0
    assert message in err
    assert out == ""


def test_a_member_trust_gets_its_share_of_the_group_charter(seeded, cast, orgs, run_command):
    group_charter = seeded["LPT-NHFT-SV"]
    econ01 = group_charter.indicators.get(code="ECON-01")
    econ01.target_kind, econ01.target_params = "count", {"value": 20}
    econ01.save()
    econ01.owner = cast["rp1_owner"]
    econ01.save()
    group_lead = cast["group_lead"]
    approved(
        group_lead, econ01, orgs["RT5"], "2023/24-Q1", recorder=cast["rt5_lead"], value=Decimal(4)
    )
    approved(
        group_lead, econ01, orgs["RP1"], "2023/24-Q1", recorder=cast["rp1_owner"], value=Decimal(6)
    )

    rt5 = status(run_command, org="RT5")
    [charter] = rt5["charters"]
    assert (charter["code"], charter["organisation"]) == ("LPT-NHFT-SV", "RT5")
    item = by_code(rt5)["ECON-01"]
    # RT5 alone: 4 of 20; expected 20 x 3/4 = 15; forecast 4 / (1/4) = 16.
    assert (item["actual"], item["expected_to_date"], item["forecast"]) == (4, 15, 16)
    assert item["status"] == "off_track"  # 4 / 15 = 0.27

    assert by_code(status(run_command, org="RP1"))["ECON-01"]["actual"] == 6
    group = by_code(status(run_command, org="LPT-NHFT"))["ECON-01"]
    assert (group["actual"], group["forecast"]) == (10, 40)
