"""`status ORG --year --as-of --json`: every indicator's figures, worked out by hand here.

As of 15 January 2024 in 2023/24: Q1 (to 30 June), Q2 (to 30 September) and Q3 (to
31 December) have closed, so 3 of 4 quarters (and 9 of 12 months); the year is not over.
"""

import json
from decimal import Decimal

import pytest

from socialvalue.charters.models import ReportingPeriod
from socialvalue.domain.periods import Period
from socialvalue.domain.status import Status
from socialvalue.measurements import services
from tests.helpers import fixed_clock, record_approved

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


@pytest.fixture(autouse=True)
def _recorded_at_the_start_of_the_year():
    # Values here are recorded (and approved) on 1 April 2023, before every date asked: a
    # figure for a period still running on the date asked counts only if it was recorded by
    # then (ADR 021), as a figure to date recorded during the year is.
    with fixed_clock(2023, 4, 1, 9):
        yield


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
    # A one-person team: the lead records and approves (the charter allows it).
    charter.self_approval_allowed = True
    charter.save()
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


# --- The rules of docs/status.md through the command, with hand-worked figures -----------------

D = Decimal


def retarget(indicator, kind, params, **fields):
    indicator.target_kind, indicator.target_params = kind, params
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.save()
    return indicator


@pytest.fixture
def rxn(seeded, cast, orgs):
    charter = seeded["RXN-SV"]
    indicators = {i.code: i for i in charter.indicators.all()}
    lead, org = cast["rxn_lead"], orgs["RXN"]
    # A one-person team: the lead records and approves (the charter allows it).
    charter.self_approval_allowed = True
    charter.save()

    def record(code, key, **reading):
        return approved(lead, indicators[code], org, key, **reading)

    return indicators, record


def test_rule_same_periods(rxn, run_command):
    indicators, record = rxn
    retarget(indicators["EDU-03"], "count", {"value": 100}, frequency="monthly", unit="people")
    for month, figure in zip(range(4, 13), [7, 7, 7, 7, 7, 7, 7, 7, 6], strict=True):
        record("EDU-03", f"2023-{month:02d}", value=D(figure))
    # 31 December, December recorded: nine months each side, 100 x 9/12 = 75 expected (it used
    # to be 66.67). 62 / 75 = 0.83: at risk; forecast 62 / (9/12) = 82.67, rounded 83.
    item = by_code(status(run_command, as_of="2023-12-31"))["EDU-03"]
    assert (item["actual"], item["expected_to_date"], item["forecast"]) == (62, 75, 83)
    assert item["status"] == "at_risk"
    assert item["explanation"] == (
        "62 of 100 people by 31 December; 75 expected; forecast 83 by 31 March, short of 100"
    )


def test_rule_previous_year_complete(rxn, run_command):
    indicators, record = rxn  # ECON-03: up 5% on the previous year, quarterly
    # 2022/23 reported quarter by quarter: a reporting year of the charter here (a year before
    # the charter's first takes one figure for the whole year: test_earlier_figures.py).
    ReportingPeriod.objects.create(charter=indicators["ECON-03"].charter, start_year=2022)
    for quarter in (1, 2):
        record("ECON-03", f"2022/23-Q{quarter}", value=D(30))
    for quarter in (1, 2, 3, 4):
        record("ECON-03", f"2023/24-Q{quarter}", value=D(20))
    item = by_code(status(run_command, as_of="2024-04-30"))["ECON-03"]
    # Half of 2022/23 recorded: no target (it used to build 63 on 60 and call 80 achieved).
    assert (item["status"], item["target_value"], item["actual"]) == ("no_data", None, 80)
    assert item["explanation"] == (
        "No target for 2023/24: 2022/23 is not complete (no value for Q3 2022/23 to Q4 2022/23)"
    )
    record("ECON-03", "2022/23-Q3", value=D(8))
    record("ECON-03", "2022/23-Q4", value=D(8))
    # 2022/23 complete: 76; 76 x 1.05 = 79.8, so at least 80 whole opportunities; 80 met.
    item = by_code(status(run_command, as_of="2024-04-30"))["ECON-03"]
    assert (item["status"], item["target_value"]) == ("achieved", 79.8)
    assert item["target"] == (
        "Up 5% on 2022/23 (76 opportunities): at least 80 opportunities in 2023/24"
    )


def test_rule_gaps_are_never_success(rxn, run_command):
    indicators, record = rxn
    retarget(
        indicators["EDU-01"], "count", {"value": 50, "comparison": "at_most"}, frequency="monthly"
    )
    for month in range(4, 10):
        record("EDU-01", f"2023-{month:02d}", value=D(5))
    item = by_code(status(run_command, as_of="2024-04-30"))["EDU-01"]
    # April to September, 30; October to March unreported: not achieved (it used to be).
    assert (item["actual"], item["status"]) == (30, "no_data")
    assert item["explanation"] == (
        "Not achieved: 30 against at most 50 people, but no value for October 2023 to March 2024"
    )
    assert item["gaps"] == [
        {
            "organisation": "RXN",
            "periods": ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03"],
        }
    ]


def test_rule_yearly_figures(rxn, run_command):
    indicators, record = rxn
    retarget(indicators["EDU-02"], "count", {"value": 100}, frequency="annual")
    record("EDU-02", "2023/24", value=D(80))
    retarget(indicators["EDU-04"], "count", {"value": 100}, frequency="annual")
    record("EDU-04", "2023/24", value=D(45))
    # 31 March: 80 covers the whole year, so it is judged: missed (it used to be on track).
    last_day = by_code(status(run_command, as_of="2024-03-31"))
    assert (last_day["EDU-02"]["status"], last_day["EDU-02"]["expected_to_date"]) == (
        "missed",
        100,
    )
    # 30 September: 183 of 366 days, 100 x 183/366 = 50 expected. 45: 0.9 of the pace and a
    # forecast of 45 / 0.5 = 90, 0.9 of 100: on track.
    mid = by_code(status(run_command, as_of="2023-09-30"))["EDU-04"]
    assert (mid["expected_to_date"], mid["forecast"], mid["status"]) == (50, 90, "on_track")


def test_rule_forecast_speaks_before_anything_closes(rxn, run_command):
    indicators, record = rxn
    retarget(indicators["EDU-05"], "count", {"value": 100})
    record("EDU-05", "2023/24-Q1", value=D(2))
    # 15 May: Q1 (91 days) is 45 days in. Expected 100 x 1/4 x 45/91 = 12.3626; forecast
    # 2 / 0.123626 = 16.18, rounded 16: off track (it used to be "nothing due yet").
    item = by_code(status(run_command, as_of="2023-05-15"))["EDU-05"]
    assert (item["expected_to_date"], item["forecast"], item["status"]) == (
        12.3626,
        16,
        "off_track",
    )


def test_rule_milestones(rxn, run_command):
    indicators, record = rxn
    retarget(indicators["HWB-04"], "milestone", {"due": "2023-09-30"})
    record(
        "HWB-04",
        "2023/24-Q3",
        milestone_state=services.MilestoneState.DONE,
        achieved_on=Period.from_key("2023-10").start.replace(day=15),
    )
    retarget(indicators["LEAD-01"], "milestone", {"due": "2024-02-29"}, frequency="annual")
    data = by_code(status(run_command, as_of="2024-03-01"))
    assert (data["HWB-04"]["status"], data["HWB-04"]["explanation"]) == (
        "done_late",
        "Done late on 15 October 2023: it was due by 30 September 2023",
    )
    # Due on leap day, nothing recorded, reported yearly: overdue from 1 March.
    assert (data["LEAD-01"]["status"], data["LEAD-01"]["explanation"]) == (
        "missed",
        "Overdue: not done by 29 February 2024 (no progress recorded)",
    )
    # Done, so never overdue: Q1, Q2 and Q4 are unreported and past their grace by June,
    # yet none is listed (they were before).
    after = by_code(status(run_command, as_of="2024-06-01"))
    assert after["HWB-04"]["overdue_periods"] == []
    assert after["LEAD-01"]["overdue_periods"] == ["2023/24"]


def test_rule_zero_comparison_rate(rxn, run_command):
    _, record = rxn

    def counts(a, pa, b, pb):
        return {"events_a": D(a), "population_a": D(pa), "events_b": D(b), "population_b": D(pb)}

    record(
        "LEAD-03",
        "2023/24",
        parts={"ethnicity": counts(10, 50, 0, 40), "disability": counts(30, 100, 40, 160)},
    )
    item = by_code(status(run_command))["LEAD-03"]
    assert item["status"] == "off_track"  # it used to be no data
    assert (
        "Ethnicity (WRES indicator 2): No ratio: rate for BME is 0 (0 of 40 BME, against 10 of "
        "50 White): outside 0.8–1.2"
    ) in item["explanation"]
    assert by_code(status(run_command, as_of="2024-04-01"))["LEAD-03"]["status"] == "missed"


def test_rule_maintain_direction_and_self_assessment(rxn, run_command):
    indicators, record = rxn
    retarget(indicators["ENV-03"], "maintain", {"description": "Keep Teams use high", "level": 80})
    for quarter, figure in ((1, 85), (2, 78), (3, 90)):
        record("ENV-03", f"2023/24-Q{quarter}", value=D(figure))
    # 2022/23 a reporting year here, so that its Q4 can be recorded (ADR 020).
    ReportingPeriod.objects.create(charter=indicators["ENV-01"].charter, start_year=2022)
    record("ENV-01", "2022/23-Q4", value=D(100))  # direction: increase
    record("ENV-01", "2023/24-Q1", value=D(110))
    record("LEAD-07", "2023/24", self_status=Status.ON_TRACK, narrative="More chosen. Good.")
    data = by_code(status(run_command))
    assert (data["ENV-03"]["status"], data["ENV-03"]["explanation"]) == (
        "off_track",
        "Under the level of 80 meetings: 78 in Q2 2023/24",
    )
    # ENV-01's Q2 and Q3 are unreported: Q1 is still the last figure, up on 2022/23's Q4.
    assert data["ENV-01"]["explanation"] == (
        "110 colleagues working agile in Q1 2023/24, up from 100 in Q4 2022/23; "
        "no value for Q2 2023/24 to Q3 2023/24"
    )
    assert data["ENV-01"]["status"] == "on_track"
    assert data["LEAD-07"]["status"] == "on_track"
    after = by_code(status(run_command, as_of="2024-04-30"))
    assert after["ENV-03"]["status"] == "missed"
    # The yearly self-assessment covers the year's one period, so it settles it.
    assert (after["LEAD-07"]["status"], after["LEAD-07"]["explanation"]) == (
        "achieved",
        'Achieved: self-assessed as on track for 2023/24: "More chosen."',
    )


def test_rule_groups_member_by_member(seeded, cast, orgs, run_command):
    charter = seeded["LPT-NHFT-SV"]
    indicators = {i.code: i for i in charter.indicators.all()}
    retarget(indicators["ECON-01"], "count", {"value": 200})
    retarget(indicators["ECON-02"], "milestone", {"due": "2024-03-31"})
    group_lead, rt5, rp1 = cast["group_lead"], cast["rt5_lead"], cast["rp1_owner"]
    for code in ("ECON-01", "ECON-02", "RES-01"):
        indicators[code].owner = rp1
        indicators[code].save()

    def record(recorder, code, org, key, **reading):
        approved(group_lead, indicators[code], orgs[org], key, recorder=recorder, **reading)

    for quarter in (1, 2, 3):
        record(rt5, "ECON-01", "RT5", f"2023/24-Q{quarter}", value=D(30))
    record(rp1, "ECON-01", "RP1", "2023/24-Q1", value=D(20))
    record(
        rt5,
        "ECON-02",
        "RT5",
        "2023/24-Q3",
        milestone_state=services.MilestoneState.DONE,
        achieved_on=Period.from_key("2023-11").start,
    )
    record(rp1, "ECON-02", "RP1", "2023/24-Q1", milestone_state=services.MilestoneState.IN_PROGRESS)
    record(rt5, "RES-01", "RT5", "2023/24-Q3", self_status=Status.ON_TRACK, narrative="Fine.")
    record(rp1, "RES-01", "RP1", "2023/24-Q1", self_status=Status.OFF_TRACK, narrative="Late.")

    group = by_code(status(run_command, org="LPT-NHFT", as_of="2024-01-02"))
    econ01 = group["ECON-01"]
    # Actual 90 + 20 = 110; expected 200 x 3/4 = 150; forecast RT5 90 / (3/4) = 120 plus RP1
    # 20 / (1/4) = 80: 200 (pooled it would be 110 / (3/4) = 147). Pace 0.73: off track.
    assert (econ01["actual"], econ01["expected_to_date"], econ01["forecast"]) == (110, 150, 200)
    assert econ01["status"] == "off_track"
    assert econ01["gaps"] == [{"organisation": "RP1", "periods": ["2023/24-Q2", "2023/24-Q3"]}]
    assert econ01["explanation"].endswith("; no value from RP1 for Q2 2023/24 to Q3 2023/24")
    # Each member's own latest word: RP1 is still in progress, so the group is not done.
    assert group["ECON-02"]["status"] == "on_track"
    assert group["RES-01"]["status"] == "off_track"
    assert group["RES-01"]["explanation"].startswith('Self-assessed as off track: "Late."')


def test_rule_plain_english(rxn, run_command):
    indicators, record = rxn
    retarget(indicators["ECON-06"], "count", {"value": 1})  # unit: forums
    record("ECON-06", "2023/24-Q1", value=D(1))
    record("ECON-01", "2023/24-Q1", value=D(1))  # at least 4 projects
    retarget(
        indicators["ECON-02"],
        "growth_from_baseline",
        {"baseline_period": "2020/21", "baseline_value": 1000000, "rate_percent": 5},
    )
    record("ECON-02", "2023/24-Q1", value=D("300000.45"))
    data = by_code(status(run_command, as_of="2023-07-03"))
    assert data["ECON-06"]["target"] == "At least 1 forum in 2023/24"
    assert data["ECON-06"]["explanation"] == "Target met: 1 of 1 forum"
    assert data["ECON-01"]["explanation"].startswith("1 of 4 projects by 30 June; 1 expected;")
    econ02 = data["ECON-02"]
    # 1,000,000 x 1.05^3 = 1,157,625; a quarter of it, 289,406.25, expected by 30 June. The
    # summary rounds money to the pound; the figures keep the pence.
    assert econ02["target"] == (
        "Up 5% a year from the 2020/21 baseline of £1,000,000: £1,157,625 for 2023/24"
    )
    assert econ02["explanation"].startswith("£300,000 of £1,157,625 by 30 June; £289,406 expected")
    assert (econ02["actual"], econ02["expected_to_date"]) == (300000.45, 289406.25)


def test_seed_charters_with_nothing_recorded(seeded, run_command):
    # Nothing recorded: only what has not come due is "not yet due" (the yearly report and the
    # four yearly ratio bands on 15 January); after the year the three milestones due by
    # 31 March are overdue; nothing is ever achieved or on track.
    def statuses(org, as_of):
        data = by_code(status(run_command, org=org, as_of=as_of))
        return {code: item["status"] for code, item in data.items()}

    during = statuses("RXN", "2024-01-15")
    assert {c for c, s in during.items() if s != "no_data"} == {
        "ECON-05", "LEAD-03", "LEAD-04", "LEAD-05", "LEAD-06",
    }  # fmt: skip
    assert {during[c] for c in ("ECON-05", "LEAD-03")} == {"not_yet_due"}
    after = statuses("RXN", "2024-04-01")
    assert {c for c, s in after.items() if s != "no_data"} == {"ECON-05", "HWB-04", "LEAD-01"}
    assert {after[c] for c in ("ECON-05", "HWB-04", "LEAD-01")} == {"missed"}
    for as_of in ("2024-01-15", "2024-04-01"):
        group = statuses("LPT-NHFT", as_of)
        assert len(group) == 8 and set(group.values()) == {"no_data"}
