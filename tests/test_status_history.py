"""Status as it stood on any date: `status --as-of D --known-on D` gives what was shown on D.

A year is played out day by day with the clock fixed: a charter file loaded, values recorded,
approved, corrected and returned, a target edited in the web form and by reloading the file,
the thresholds edited in the web form. On each day the JSON `status` printed is captured; at
the end, long after, each day is asked for again with `--as-of D --known-on D` and must come
out exactly the same (ADR 021). The figures are worked out by hand beside each day.
"""

import html
import json
from decimal import Decimal as D

import pytest

from socialvalue.charters.models import CharterSettingChange, IndicatorVersion
from socialvalue.domain.periods import Period
from socialvalue.domain.status import MilestoneState
from socialvalue.measurements import services
from socialvalue.measurements.models import Measurement
from tests.helpers import fixed_clock, table_rows

CHARTER = """\
format: socialvalue-charter/1
code: RXN-H
title: History test charter
organisation: RXN
periods: ["2023/24"]
themes:
  - code: T
    title: A theme
    pledges:
      - code: T-P
        text: A pledge
        indicators:
          - code: EDU
            title: Work experience placements
            unit: placements
            frequency: quarterly
            source: manual
            owner: owner@rxn.test
            target: {kind: count, value: 100}
          - code: SHR
            title: Share of appointments held virtually
            unit: outpatient appointments
            frequency: quarterly
            source: manual
            owner: owner@rxn.test
            target: {kind: share, target_percent: SHARE}
          - code: MS
            title: Adopt the anchor institution plan
            unit: plan
            frequency: annual
            source: manual
            owner: owner@rxn.test
            target: {kind: milestone, due: "2024-02-29"}
"""


def status_json(run_command, *args):
    code, out, err = run_command("status", "RXN", "--year", "2023/24", "--json", *args)
    assert code == 0, err
    return json.loads(out)


def figures(data):
    """What was shown: everything but the moment of knowledge itself."""
    return {k: v for k, v in data.items() if k != "known_on"}


def by_code(data):
    return {i["code"]: i for c in data["charters"] for i in c["indicators"]}


@pytest.fixture
def year(cast, orgs, run_command, sign_in, tmp_path):
    """Plays the year out; returns what `status` printed on each day, by date."""
    owner, lead, rxn = cast["rxn_owner"], cast["rxn_lead"], orgs["RXN"]
    path = tmp_path / "rxn-h.yaml"
    shown = {}

    def record(code, key, reason="", **reading):
        return services.measurement_record(
            actor=owner,
            indicator=indicators[code],
            organisation=rxn,
            period=Period.from_key(key),
            reading=services.Reading(**reading),
            reason=reason,
        )

    def capture(day):
        shown[day] = status_json(run_command)
        assert shown[day]["as_of"] == day

    # 3 April 2023: the charter is loaded from its file on the command line.
    with fixed_clock(2023, 4, 3, 10):
        path.write_text(CHARTER.replace("SHARE", "25"), encoding="utf-8")
        code, _, err = run_command("charter", "load", str(path))
        assert code == 0, err
        indicators = {i.code: i for i in rxn.charters.get(code="RXN-H").indicators.all()}
        capture("2023-04-03")

    # 10 July: Q1 recorded. EDU's 30 is approved, SHR's 10 of 100 waits.
    with fixed_clock(2023, 7, 10, 11):
        services.measurement_approve(
            actor=lead, measurement=record("EDU", "2023/24-Q1", value=D(30))
        )
        shr_q1 = record("SHR", "2023/24-Q1", numerator=D(10), denominator=D(100))
        capture("2023-07-10")

    # 1 August: SHR's Q1 approved; the lead raises EDU's target to 120 and tightens the
    # thresholds to 95% and 80%, in the web forms.
    with fixed_clock(2023, 8, 1, 9):
        services.measurement_approve(actor=lead, measurement=shr_q1)
        client = sign_in(lead)
        edu = indicators["EDU"]
        response = client.post(
            "/charters/RXN-H/indicators/EDU/edit/",
            {
                "code": "EDU",
                "title": edu.title,
                "pledge": edu.pledge_id,
                "unit": "placements",
                "frequency": "quarterly",
                "source": "manual",
                "owner": owner.pk,
                "target_kind": "count",
                "value": "120",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        response = client.post(
            "/charters/RXN-H/edit/",
            {
                "title": "History test charter",
                "years": "2023/24",
                "at_risk_below": "95",
                "off_track_below": "80",
            },
        )
        assert response.status_code == 302
        capture("2023-08-01")

    # 9 October: Q2 recorded (20) and approved; Q1 corrected to 35, waiting; SHR Q2 (30 of
    # 100) recorded and returned.
    with fixed_clock(2023, 10, 9, 14):
        services.measurement_approve(
            actor=lead, measurement=record("EDU", "2023/24-Q2", value=D(20))
        )
        record("EDU", "2023/24-Q1", reason="Two placements missed", value=D(35))
        services.measurement_return(
            actor=lead,
            measurement=record("SHR", "2023/24-Q2", numerator=D(30), denominator=D(100)),
            comment="Which clinics?",
        )
        capture("2023-10-09")

    # 10 January 2024: the correction approved; SHR's target raised to 30% by reloading the
    # file; Q3 40 recorded and approved; the milestone is in progress.
    with fixed_clock(2024, 1, 10, 16):
        services.measurement_approve(
            actor=lead, measurement=Measurement.objects.get(indicator=indicators["EDU"], version=2)
        )
        path.write_text(CHARTER.replace("SHARE", "30"), encoding="utf-8")
        code, _, err = run_command("charter", "load", str(path))
        assert code == 0, err
        services.measurement_approve(
            actor=lead, measurement=record("EDU", "2023/24-Q3", value=D(40))
        )
        services.measurement_approve(
            actor=lead,
            measurement=record("MS", "2023/24", milestone_state=MilestoneState.IN_PROGRESS),
        )
        capture("2024-01-10")

    # 20 February: the milestone done on 15 February; the thresholds loosened to 85% and 70%.
    with fixed_clock(2024, 2, 20, 10):
        services.measurement_approve(
            actor=lead,
            measurement=record(
                "MS",
                "2023/24",
                reason="Adopted by the board",
                milestone_state=MilestoneState.DONE,
                achieved_on=Period.from_key("2024-02").start.replace(day=15),
            ),
        )
        response = sign_in(lead).post(
            "/charters/RXN-H/edit/",
            {
                "title": "History test charter",
                "years": "2023/24",
                "at_risk_below": "85",
                "off_track_below": "70",
            },
        )
        assert response.status_code == 302
        capture("2024-02-20")

    # Afterwards, everything changes again: Q3 corrected, Q4 recorded, a new target and
    # thresholds, the milestone's date corrected.
    with fixed_clock(2024, 5, 2, 12):
        services.measurement_approve(
            actor=lead,
            measurement=record("EDU", "2023/24-Q3", reason="Recount", value=D(4)),
        )
        services.measurement_approve(
            actor=lead, measurement=record("EDU", "2023/24-Q4", value=D(9))
        )
        path.write_text(CHARTER.replace("SHARE", "50"), encoding="utf-8")
        assert run_command("charter", "load", str(path))[0] == 0
        client = sign_in(lead)
        assert (
            client.post(
                "/charters/RXN-H/edit/",
                {
                    "title": "Renamed",
                    "years": "2023/24",
                    "at_risk_below": "99",
                    "off_track_below": "98",
                },
            ).status_code
            == 302
        )
    return shown


def test_each_earlier_day_comes_out_exactly_as_it_was_shown(year, run_command):
    assert list(year) == [
        "2023-04-03",
        "2023-07-10",
        "2023-08-01",
        "2023-10-09",
        "2024-01-10",
        "2024-02-20",
    ]
    with fixed_clock(2024, 6, 1, 9):
        for day, captured in year.items():
            again = status_json(run_command, "--as-of", day, "--known-on", day)
            assert again["known_on"].startswith(f"{day}T23:59:59")
            assert figures(again) == figures(captured), day
            # Judged on the same date with all that is known now, most days differ: what
            # changed afterwards shows, so the equality above is not by chance.
        now = {day: figures(status_json(run_command, "--as-of", day)) for day in year}
    assert sum(now[day] != figures(year[day]) for day in year) >= 4
    # 9 October known now: Q1's correction counts and the file's target of 100 stands:
    # 35 + 20 = 55 against 100 × 2/4 = 50 (it was 50 against 60 on the day).
    edu = by_code(now["2023-10-09"])["EDU"]
    assert (edu["actual"], edu["expected_to_date"], edu["waiting_for_approval"]) == (55, 50, 0)


def test_the_figures_of_each_day_by_hand(year):
    july, august = by_code(year["2023-07-10"]), by_code(year["2023-08-01"])
    # 10 July: Q1 closed. EDU 30 against 100 × 1/4 = 25 expected; SHR's value waits.
    assert (july["EDU"]["actual"], july["EDU"]["expected_to_date"]) == (30, 25)
    assert (july["SHR"]["actual"], july["SHR"]["waiting_for_approval"]) == (None, 1)
    assert july["SHR"]["status"] == "no_data"
    # 1 August: EDU's target is 120: 30 against 30 expected; SHR 10% against 25%.
    assert (august["EDU"]["target_value"], august["EDU"]["expected_to_date"]) == (120, 30)
    assert (august["SHR"]["actual"], august["SHR"]["waiting_for_approval"]) == (10, 0)
    october = by_code(year["2023-10-09"])
    # 9 October: Q1's correction waits, so 30 + 20 = 50 against 120 × 2/4 = 60: 0.83 of the
    # pace, under 0.95 but not 0.8: at risk (with the old 0.9 / 0.75 still at risk).
    assert (october["EDU"]["actual"], october["EDU"]["expected_to_date"]) == (50, 60)
    assert october["EDU"]["waiting_for_approval"] == 1
    assert october["SHR"]["overdue_periods"] == []  # Q2 ended 30 September: within grace
    january = by_code(year["2024-01-10"])
    # 10 January: the reloaded file put EDU's target back to 100 (the file wins): 35 + 20 +
    # 40 = 95 against 100 × 3/4 = 75; SHR's target 30%; the milestone in progress.
    assert (january["EDU"]["target_value"], january["EDU"]["actual"]) == (100, 95)
    assert january["EDU"]["expected_to_date"] == 75
    assert january["SHR"]["target"] == "At least 30% of outpatient appointments"
    assert (january["MS"]["status"], january["MS"]["explanation"]) == (
        "on_track",
        "In progress; due 29 February 2024",
    )
    february = by_code(year["2024-02-20"])
    assert (february["MS"]["status"], february["MS"]["explanation"]) == (
        "achieved",
        "Done on 15 February 2024",
    )


def test_every_change_is_a_version_with_who_and_how(year, cast):
    edu = IndicatorVersion.objects.filter(indicator__code="EDU").order_by("version")
    assert [(v.version, v.target_params, v.changed_via) for v in edu] == [
        (1, {"value": 100}, "charter file rxn-h.yaml"),
        (2, {"value": 120}, "web form"),
        (3, {"value": 100}, "charter file rxn-h.yaml"),
    ]
    assert [v.changed_by for v in edu] == [None, cast["rxn_lead"], None]
    shr = IndicatorVersion.objects.filter(indicator__code="SHR").order_by("version")
    assert [v.target_params["target_percent"] for v in shr] == [25, 30, 50]
    thresholds = CharterSettingChange.objects.filter(
        charter__code="RXN-H", setting="at_risk_below"
    ).order_by("changed_at")
    # A file with no thresholds puts the defaults back each time it is loaded.
    file = "charter file rxn-h.yaml"
    assert [(c.old_value, c.new_value, c.changed_via) for c in thresholds] == [
        ("0.900", "0.950", "web form"),
        ("0.950", "0.900", file),
        ("0.900", "0.850", "web form"),
        ("0.850", "0.900", file),
        ("0.900", "0.990", "web form"),
    ]


def test_a_milestone_done_later_is_not_done_on_an_earlier_date(year, run_command):
    with fixed_clock(2024, 6, 1, 9):
        before = by_code(status_json(run_command, "--as-of", "2023-04-01"))["MS"]
        after = by_code(status_json(run_command, "--as-of", "2024-03-01"))["MS"]
    assert "15 February 2024" not in before["explanation"]
    assert before["status"] == "not_yet_due"
    assert (after["status"], after["explanation"]) == ("achieved", "Done on 15 February 2024")


def test_a_charter_created_after_known_on_is_left_out(year, run_command):
    with fixed_clock(2024, 6, 1, 9):
        code, _, err = run_command(
            "status", "RXN", "--year", "2023/24", "--known-on", "2023-04-02", "--json"
        )
    assert code == 1
    assert "RXN-H left out: it was created on 2023-04-03T10:00:00+01:00, after --known-on" in err


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "--known-on: enter a date like 2024-03-31 or a date and time like"),
        ("1900-01-01", "--known-on: the date "),
    ],
)
def test_a_bad_known_on_is_refused(year, run_command, value, message):
    code, out, err = run_command("status", "RXN", "--year", "2023/24", "--known-on", value)
    assert code == 1 and out == ""
    assert message in err


# Pages --------------------------------------------------------------------------------------


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def test_pages_show_a_day_as_it_was_shown(year, cast, sign_in):
    with fixed_clock(2024, 6, 1, 9):
        client = sign_in(cast["rxn_lead"])
        for day, captured in year.items():
            query = f"?year=2023/24&as_of={day}&known_on={day}"
            dashboard = _page(client, f"/charters/RXN-H/progress/{query}")
            assert (
                "Status judged on" in dashboard and "with only what was known at 23:59" in dashboard
            )
            for code, item in by_code(captured).items():
                page = _page(client, f"/charters/RXN-H/indicators/{code}/{query}")
                assert item["explanation"] in page.split('id="status"', 1)[1], (day, code)
                assert item["explanation"] in dashboard, (day, code)
        # Today (1 June 2024) the figures are the new ones: Q3 corrected to 4.
        today = _page(client, "/charters/RXN-H/indicators/EDU/?year=2023/24")
    assert "Status judged on" not in today
    assert "35 + 20 + 4 + 9" not in today  # no sum is shown, but the actual is 68
    assert "68 of 100 placements" in today


def test_the_indicator_page_lists_every_change_with_who_and_how(year, cast, sign_in):
    with fixed_clock(2024, 6, 1, 9):
        page = sign_in(cast["rxn_lead"]).get("/charters/RXN-H/indicators/EDU/?year=2023/24")
    rows = table_rows(page.content.decode(), "target-history")
    lead = str(cast["rxn_lead"])
    assert rows == [
        (
            "2 May 2024 12:00",
            f"{lead} (web form)",
            "Charter: At risk below: 90% → 99%Charter: Off track below: 75% → 98%",
        ),
        (
            "2 May 2024 12:00",
            "charter file rxn-h.yaml",
            "Charter: At risk below: 85% → 90%Charter: Off track below: 70% → 75%",
        ),
        (
            "20 Feb 2024 10:00",
            f"{lead} (web form)",
            "Charter: At risk below: 90% → 85%Charter: Off track below: 75% → 70%",
        ),
        (
            "10 Jan 2024 16:00",
            "charter file rxn-h.yaml",
            "Target for 2023/24: At least 120 placements in 2023/24 → At least 100 placements "
            "in 2023/24Charter: At risk below: 95% → 90%Charter: Off track below: 80% → 75%",
        ),
        (
            "1 Aug 2023 09:00",
            f"{lead} (web form)",
            "Target for 2023/24: At least 100 placements in 2023/24 → At least 120 placements "
            "in 2023/24Charter: At risk below: 90% → 95%Charter: Off track below: 75% → 80%",
        ),
        (
            "3 Apr 2023 10:00",
            "charter file rxn-h.yaml",
            "Version 1: target for 2023/24: At least 100 placements in 2023/24",
        ),
    ]


def test_a_bad_date_on_a_page_is_said_and_left_out(year, cast, sign_in):
    with fixed_clock(2024, 6, 1, 9):
        page = _page(
            sign_in(cast["rxn_lead"]),
            "/charters/RXN-H/progress/?year=2023/24&as_of=31/03/2024&known_on=soon",
        )
    assert "as_of: enter a date like 2024-03-31, not '31/03/2024'; showing today" in page
    assert "known_on: enter a date like 2024-03-31 or a date and time" in page
    assert "Status judged on" not in page


def test_the_history_table_shows_values_and_decisions_as_they_stood(year, cast, sign_in):
    with fixed_clock(2024, 6, 1, 9):
        client = sign_in(cast["rxn_lead"])
        then = client.get("/charters/RXN-H/indicators/EDU/?year=2023/24&known_on=2023-10-09")
        now = client.get("/charters/RXN-H/indicators/EDU/?year=2023/24")
    then_page = then.content.decode()
    rows = table_rows(then_page, "history")
    # By the end of 9 October 2023: Q1 30 (approved 10 July), Q2 20 (approved 9 October) and
    # the correction of Q1 to 35 (waiting: approved only on 10 January). Q3 and the 10
    # January approval are not shown.
    states = [r[3].split("Approved by")[0].split("Superseded")[0].strip() for r in rows]
    assert [(r[0][:10], state) for r, state in zip(rows, states, strict=True)] == [
        ("Q1 2023/24", "Waiting for approval"),
        ("Q2 2023/24", "Approved"),
        ("Q1 2023/24", "Approved"),
    ]
    assert "10 Jan 2024" not in " ".join(r[3] for r in rows)
    assert "Values and decisions as they stood at 9 Oct 2023 23:59" in then_page
    assert 'name="decision"' not in then_page  # no one reviews in the past
    # Now the correction is approved, and Q3 (and its correction) are listed too.
    now_rows = table_rows(now.content.decode(), "history")
    assert len(now_rows) > len(rows)
    assert now_rows[-1][3].startswith("Approved")
    assert [r[3].split("Approved by")[0].strip() for r in now_rows if r[0].startswith("Q1")] == [
        "Approved",
        "Approved",
    ]
