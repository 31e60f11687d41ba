"""Recording and approving that a person can follow (issue 13 item 3).

The cast (tests/conftest.py): rxn_lead and rxn_admin approve at RXN; rxn_owner (contributor)
owns EDU-03, a quarterly count of opportunities with a target of at least 100 a year;
rxn_viewer only views. Figures worked out by hand in each test.
"""

import re
from datetime import date
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.test import Client

from socialvalue.domain.periods import Period
from socialvalue.measurements import services
from socialvalue.measurements.models import Measurement

APPROVALS = "/approvals/"
BULK = "/approvals/approve/"


@pytest.fixture
def edu03(seeded, cast):
    item = seeded["RXN-SV"].indicators.get(code="EDU-03")
    item.owner = cast["rxn_owner"]
    item.save(update_fields=["owner"])
    return item


def _record(actor, indicator, org, key="2023/24-Q1", value=30, reason=""):
    return services.measurement_record(
        actor=actor,
        indicator=indicator,
        organisation=org,
        period=Period.from_key(key),
        reading=services.Reading(value=Decimal(value)),
        reason=reason,
    )


def _text(response) -> str:
    return " ".join(response.content.decode().split())


# --- The approvals list -------------------------------------------------------------------


def test_each_waiting_value_shows_unit_target_previous_period_and_what_a_correction_changes(
    edu03, cast, orgs, sign_in
):
    q1 = _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q1", 30)
    services.measurement_approve(actor=cast["rxn_lead"], measurement=q1)
    _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q2", 25)
    q2_fix = _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q2", 28, reason="Late forms")
    page = _text(sign_in(cast["rxn_lead"]).get(APPROVALS))
    # Each figure with the indicator's unit.
    assert "28 opportunities" in page and "(opportunities)" not in page
    assert "Target: At least 100 opportunities in 2023/24" in page
    # Q2's previous period is Q1, approved at 30.
    assert "Q1 2023/24: 30 opportunities" in page
    # The correction changes 25 to 28.
    assert "Correction: 25 opportunities → 28 opportunities" in page
    assert "Reason: Late forms" in page
    # Version 1 of Q2 waits too and is superseded: no tick box to approve it.
    assert f'id="tick-{q2_fix.pk}"' in page
    assert f'id="tick-{q2_fix.supersedes_id}"' not in page


def test_the_previous_period_of_a_first_quarter_is_the_last_quarter_of_the_year_before(
    edu03, cast, orgs, sign_in
):
    _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q1", 30)
    page = _text(sign_in(cast["rxn_lead"]).get(APPROVALS))
    assert "Q4 2022/23: None approved" in page


def test_bulk_approve_approves_the_ticked_values_and_lists_the_refused_with_why(
    edu03, cast, orgs, sign_in
):
    q1 = _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q1", 30)
    q2 = _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q2", 25)
    own = _record(cast["rxn_lead"], edu03, orgs["RXN"], "2023/24-Q3", 20)
    old = _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q4", 10)
    _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q4", 12, reason="Recount")
    client = sign_in(cast["rxn_lead"])
    response = client.post(
        BULK, {"measurement": [q1.pk, q2.pk, own.pk, old.pk, 999999]}, follow=True
    )
    page = _text(response)
    assert "2 values approved" in page
    assert "EDU-03 Q3 2023/24 v1 not approved: You recorded this value" in page
    assert "EDU-03 Q4 2023/24 v1 not approved" in page and "superseded by version 2" in page
    assert "1 selected value was not found" in page
    states = dict(Measurement.objects.values_list("pk", "state"))
    assert states[q1.pk] == states[q2.pk] == "approved"
    assert states[own.pk] == states[old.pk] == "submitted"


def test_bulk_approve_with_nothing_ticked_says_so_and_needs_csrf(edu03, cast, orgs, client):
    q1 = _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q1", 30)
    client.force_login(cast["rxn_lead"])
    assert "Select the values to approve" in _text(client.post(BULK, {}, follow=True))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast["rxn_lead"])
    assert strict.post(BULK, {"measurement": [q1.pk]}).status_code == 403
    q1.refresh_from_db()
    assert q1.state == "submitted"


def test_bulk_approve_cannot_reach_values_of_another_organisation(
    edu03, cast, orgs, sign_in, seeded
):
    q1 = _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q1", 30)
    page = _text(sign_in(cast["rt5_lead"]).post(BULK, {"measurement": [q1.pk]}, follow=True))
    assert "1 selected value was not found" in page
    q1.refresh_from_db()
    assert q1.state == "submitted"


# --- Pages that cannot apply to a viewer --------------------------------------------------


def test_a_viewer_is_not_offered_my_indicators_or_approvals_and_gets_a_page_saying_why(
    seeded, cast, sign_in
):
    client = sign_in(cast["rxn_viewer"])
    home = client.get("/").content.decode()
    assert "/my-indicators/" not in home and 'href="/approvals/"' not in home
    mine = client.get("/my-indicators/")
    assert mine.status_code == 403
    assert "your viewer role records no values" in _text(mine)
    approvals = client.get(APPROVALS)
    assert approvals.status_code == 403
    assert "your viewer role does neither" in _text(approvals)


def test_a_contributor_and_a_lead_are_offered_both(seeded, cast, sign_in):
    for who in ("rxn_owner", "rxn_lead"):
        home = sign_in(cast[who]).get("/").content.decode()
        assert 'href="/my-indicators/"' in home and 'href="/approvals/"' in home


def test_a_viewer_who_owns_an_indicator_is_offered_my_indicators(seeded, cast, sign_in):
    item = seeded["RXN-SV"].indicators.get(code="EDU-03")
    item.owner = cast["rxn_viewer"]
    item.save(update_fields=["owner"])
    client = sign_in(cast["rxn_viewer"])
    assert 'href="/my-indicators/"' in client.get("/").content.decode()
    assert "EDU-03" in client.get("/my-indicators/").content.decode()


# --- The record form ----------------------------------------------------------------------


def _record_page(client, charter, code):
    response = client.get(f"/charters/{charter}/indicators/{code}/record/")
    assert response.status_code == 200
    return response.content.decode()


def _option_values(html, name):
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def test_periods_are_listed_newest_first(seeded, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    # 15 January 2024: all four quarters of 2023/24 have begun (Q4 on 1 January).
    with patch("django.utils.timezone.localdate", return_value=date(2024, 1, 15)):
        html = _record_page(client, "RXN-SV", "EDU-03")
    assert _option_values(html, "period") == [
        "2023/24-Q4",
        "2023/24-Q3",
        "2023/24-Q2",
        "2023/24-Q1",
    ]


def test_the_form_says_whether_the_figure_is_for_the_period_or_stands_for_the_year(
    seeded, cast, sign_in
):
    client = sign_in(cast["rxn_lead"])
    count = _text_of(_record_page(client, "RXN-SV", "EDU-03"))
    assert "for this period alone, not the year to date" in count
    assert "figure is the sum of its periods" in count
    share = _text_of(_record_page(client, "RXN-SV", "ENV-02"))
    assert "for this period alone, not the year to date" in share
    milestone = _text_of(_record_page(client, "RXN-SV", "ECON-05"))
    assert "where it is up to at the end of this period" in milestone
    assert "sum of its periods" not in milestone


def test_a_share_names_its_numerator_and_denominator_in_the_indicators_words(seeded, cast, sign_in):
    html = _text_of(_record_page(sign_in(cast["rxn_lead"]), "RXN-SV", "ENV-02"))
    assert "Outpatient appointments counted in the share (numerator)" in html
    assert "All outpatient appointments (denominator)" in html
    # The charter's method, naming both in its own words, is the numerator's hint.
    assert "Virtual and telephone outpatient appointments (numerator) over all" in html


def test_a_maintain_target_with_a_level_takes_an_optional_figure_and_saves_it(
    seeded, cast, orgs, sign_in
):
    charter = seeded["RXN-SV"]
    soc04 = charter.indicators.get(code="SOC-04")
    client = sign_in(cast["rxn_lead"])
    assert 'name="value"' not in _record_page(client, "RXN-SV", "SOC-04")  # no level: no figure
    soc04.target_params = {**soc04.target_params, "level": 80}
    soc04.save(update_fields=["target_params"])
    html = _record_page(client, "RXN-SV", "SOC-04")
    assert 'name="value"' in html and "Figure for the period (opportunities) (optional)" in html
    base = {"organisation": orgs["RXN"].pk, "self_status": "on_track", "narrative": "Held"}
    client.post("/charters/RXN-SV/indicators/SOC-04/record/", {**base, "period": "2023/24-Q1"})
    client.post(
        "/charters/RXN-SV/indicators/SOC-04/record/",
        {**base, "period": "2023/24-Q2", "value": "78"},
    )
    saved = dict(Measurement.objects.filter(indicator=soc04).values_list("period_start", "value"))
    assert sorted((str(k), v) for k, v in saved.items()) == [
        ("2023-04-01", None),
        ("2023-07-01", Decimal("78.0000")),
    ]


def test_a_direction_takes_a_figure_unless_it_is_to_deliver_something(seeded, cast, sign_in):
    lead = sign_in(cast["rxn_lead"])
    assert 'name="value"' in _record_page(lead, "RXN-SV", "ENV-01")  # increase
    group = sign_in(cast["group_lead"])
    assert 'name="value"' not in _record_page(group, "LPT-NHFT-SV", "RES-01")  # deliver
    assert 'name="value"' in _record_page(group, "LPT-NHFT-SV", "ECON-01")  # increase


def test_a_groups_lead_must_choose_the_organisation_there_is_no_default(
    seeded, cast, orgs, sign_in
):
    client = sign_in(cast["group_lead"])
    html = _record_page(client, "LPT-NHFT-SV", "ECON-01")
    options = _option_values(html, "organisation")
    assert options[0] == ""
    assert set(options[1:]) == {str(orgs[c].pk) for c in ("LPT-NHFT", "RT5", "RP1")}
    assert "selected" not in html.split('name="organisation"')[1].split("</select>")[0]
    response = client.post(
        "/charters/LPT-NHFT-SV/indicators/ECON-01/record/",
        {"period": "2023/24-Q1", "self_status": "on_track", "narrative": "Done"},
    )
    assert response.status_code == 400
    assert "Select which organisation the value is for" in response.content.decode()
    assert not Measurement.objects.exists()
    # Chosen: the value is the member trust's, recorded by the group's lead.
    client.post(
        "/charters/LPT-NHFT-SV/indicators/ECON-01/record/",
        {
            "organisation": orgs["RP1"].pk,
            "period": "2023/24-Q1",
            "self_status": "on_track",
            "narrative": "Done",
        },
    )
    saved = Measurement.objects.get()
    assert (saved.organisation, saved.recorded_by) == (orgs["RP1"], cast["group_lead"])


def test_a_trust_lead_with_one_organisation_is_not_asked(seeded, cast, sign_in):
    html = _record_page(sign_in(cast["rxn_lead"]), "RXN-SV", "EDU-03")
    assert '<select class="nhsuk-select" id="id_organisation"' not in html
    assert 'type="hidden" name="organisation"' in html


def _text_of(html: str) -> str:
    return " ".join(html.split())


# --- A group's overdue flags name the member that is late ---------------------------------


def _report(actor, indicator, org, key):
    from socialvalue.domain.status import Status

    return services.measurement_record(
        actor=actor,
        indicator=indicator,
        organisation=org,
        period=Period.from_key(key),
        reading=services.Reading(self_status=Status.ON_TRACK, narrative="Going well"),
    )


def test_a_groups_overdue_flag_names_the_member_that_is_late(seeded, cast, orgs, sign_in):
    econ01 = seeded["LPT-NHFT-SV"].indicators.get(code="ECON-01")  # quarterly
    _report(cast["rt5_lead"], econ01, orgs["RT5"], "2023/24-Q1")
    _report(cast["rt5_lead"], econ01, orgs["RT5"], "2023/24-Q2")
    _report(cast["group_lead"], econ01, orgs["RP1"], "2023/24-Q1")
    client = sign_in(cast["group_lead"])
    # 15 January 2024, 30 days' grace: Q1 and Q2 are due; Q3 (ended 31 December) not yet.
    # RT5 reported both, RP1 only Q1: RP1 is late for Q2.
    with patch("django.utils.timezone.localdate", return_value=date(2024, 1, 15)):
        board = _text_of(
            client.get("/charters/LPT-NHFT-SV/progress/?year=2023/24").content.decode()
        )
        page = _text_of(
            client.get("/charters/LPT-NHFT-SV/indicators/ECON-01/?year=2023/24").content.decode()
        )
    econ01_row = board.split('data-code="ECON-01"')[1].split("</tr>")[0]
    assert "Overdue: Q2 2023/24 (Northamptonshire Healthcare)</span>" in econ01_row
    # An indicator nobody reported names both members for each period due.
    eq01_row = board.split('data-code="ECON-02"')[1].split("</tr>")[0]
    assert (
        "Overdue: Q1 2023/24 (Leicestershire Partnership), Q1 2023/24 (Northamptonshire "
        "Healthcare), Q2 2023/24 (Leicestershire Partnership), Q2 2023/24 (Northamptonshire "
        "Healthcare)</span>"
    ) in eq01_row
    assert "No value recorded for Q2 2023/24 (Northamptonshire Healthcare)." in page
    # The group's own value for Q2 stands for the group: nobody is late for it any more.
    _report(cast["group_lead"], econ01, orgs["LPT-NHFT"], "2023/24-Q2")
    with patch("django.utils.timezone.localdate", return_value=date(2024, 1, 15)):
        page = _text_of(
            client.get("/charters/LPT-NHFT-SV/indicators/ECON-01/?year=2023/24").content.decode()
        )
    assert "No value recorded for" not in page


# --- Dashboard counts link to their lists -------------------------------------------------


def test_dashboard_counts_link_to_the_waiting_and_overdue_lists(seeded, cast, orgs, sign_in):
    edu01 = seeded["RXN-SV"].indicators.get(code="EDU-01")
    _record(cast["rxn_lead"], edu01, orgs["RXN"], "2023/24-Q1", 10)
    _record(cast["rxn_lead"], edu01, orgs["RXN"], "2023/24-Q2", 12)
    client = sign_in(cast["rxn_admin"])
    with patch("django.utils.timezone.localdate", return_value=date(2024, 1, 15)):
        board = client.get("/charters/RXN-SV/progress/?year=2023/24").content.decode()
        waiting_href = re.search(r'href="([^"]+)" id="waiting-count"', board)[1]
        overdue_href = re.search(r'href="([^"]+)" id="overdue-count"', board)[1]
        overdue_count = int(re.search(r"<strong>(\d+)</strong> indicators overdue", board)[1])
        assert "<strong>2</strong> values waiting for approval" in board
        assert 'href="/approvals/">decide on them' in board
        base = "/charters/RXN-SV/progress/"
        waiting = client.get(base + waiting_href.replace("&amp;", "&")).content.decode()
        overdue = client.get(base + overdue_href.replace("&amp;", "&")).content.decode()
    assert waiting_href == "?year=2023%2F24&amp;status=waiting"
    assert re.findall(r'data-code="([^"]+)"', waiting) == ["EDU-01"]
    overdue_rows = re.findall(r'data-code="([^"]+)"', overdue)
    # EDU-01 has Q1 and Q2 recorded (Q3 is within its grace period): not overdue.
    assert "EDU-01" not in overdue_rows and "EDU-03" in overdue_rows
    assert len(overdue_rows) == overdue_count > 10
    assert '<option value="overdue" selected>Overdue</option>' in overdue


# --- Thresholds as percentages ------------------------------------------------------------


def test_thresholds_are_shown_and_entered_as_percentages(seeded, cast, sign_in):
    charter = seeded["RXN-SV"]
    charter.at_risk_below, charter.off_track_below = Decimal("0.9"), Decimal("0.755")
    charter.save(update_fields=["at_risk_below", "off_track_below"])
    client = sign_in(cast["rxn_lead"])
    form = client.get("/charters/RXN-SV/edit/").content.decode()
    assert re.search(r'name="at_risk_below"[^>]*value="90"', form)
    assert re.search(r'name="off_track_below"[^>]*value="75.5"', form)
    assert "At risk below (% of expected)" in form
    response = client.post(
        "/charters/RXN-SV/edit/",
        {
            "title": charter.title,
            "years": "2023/24",
            "at_risk_below": "85",
            "off_track_below": "60.5",
        },
    )
    assert response.status_code == 302
    charter.refresh_from_db()
    assert (charter.at_risk_below, charter.off_track_below) == (Decimal("0.85"), Decimal("0.605"))


# --- Dates the UK way ---------------------------------------------------------------------


def test_times_shown_are_uk_local_time_day_first(edu03, cast, orgs, sign_in):
    from datetime import UTC, datetime

    value = _record(cast["rxn_owner"], edu03, orgs["RXN"], "2023/24-Q1", 30)
    # 13:05 UTC on 3 July 2024 is 14:05 in London (British Summer Time).
    Measurement.objects.filter(pk=value.pk).update(
        recorded_at=datetime(2024, 7, 3, 13, 5, tzinfo=UTC)
    )
    client = sign_in(cast["rxn_lead"])
    approvals = _text(client.get(APPROVALS))
    assert "on 3 Jul 2024 14:05" in approvals
    history = _text(client.get("/charters/RXN-SV/indicators/EDU-03/?year=2023/24"))
    assert "3 Jul 2024 14:05" in history
    assert "2024-07-03" not in history and "07/03/2024" not in history


def test_a_date_done_is_read_day_first(seeded, cast, orgs, sign_in):
    client = sign_in(cast["rxn_lead"])
    url = "/charters/RXN-SV/indicators/HWB-04/record/"
    fields = {"organisation": orgs["RXN"].pk, "period": "2023/24-Q1", "milestone_state": "done"}
    # 4/7/2023 is 4 July 2023, never 7 April.
    assert client.post(url, {**fields, "achieved_on": "4/7/2023"}).status_code == 302
    assert str(Measurement.objects.get().achieved_on) == "2023-07-04"
    # 7/31/2023 (US order) is not a date.
    response = client.post(url, {**fields, "achieved_on": "7/31/2023", "reason": "US order"})
    assert response.status_code == 400
    assert "like 31/3/2024 or 31 March 2024" in response.content.decode()
    assert "Done on 4 July 2023" in _text(
        client.get("/charters/RXN-SV/indicators/HWB-04/?year=2023/24")
    )


# --- A member trust's own contribution beside the group's figure --------------------------


def test_a_member_trust_sees_its_own_contribution_beside_the_groups_figure(
    seeded, cast, orgs, sign_in
):
    econ01 = seeded["LPT-NHFT-SV"].indicators.get(code="ECON-01")
    econ01.target_kind, econ01.target_params = "count", {"value": 100}
    econ01.owner = cast["rp1_owner"]
    econ01.save(update_fields=["target_kind", "target_params", "owner"])
    rt5 = _record(cast["rt5_lead"], econ01, orgs["RT5"], "2023/24-Q1", 30)
    rp1 = _record(cast["rp1_owner"], econ01, orgs["RP1"], "2023/24-Q1", 20)
    for value in (rt5, rp1):
        services.measurement_approve(actor=cast["group_lead"], measurement=value)
    # Group: 30 + 20 = 50 opportunities; RT5's own contribution: 30.
    client = sign_in(cast["rt5_lead"])
    page = _text(client.get("/charters/LPT-NHFT-SV/indicators/ECON-01/?year=2023/24"))
    assert re.search(r"Actual to date, whole group </dt> <dd[^>]*> 50 opportunities", page)
    assert re.search(
        r"Actual to date, Leicestershire Partnership \(your trust\) </dt> <dd[^>]*> "
        r"30 opportunities",
        page,
    )
    assert "Leicestershire Partnership (your trust):</strong>" in page
    board = _text(client.get("/charters/LPT-NHFT-SV/progress/?year=2023/24"))
    row = board.split('data-code="ECON-01"')[1].split("</tr>")[0]
    assert "<strong>Whole group:</strong>" in row
    assert "<strong>Leicestershire Partnership (your trust):</strong>" in row
    assert "30" in row.split("(your trust):</strong>")[1]
    # The group's own lead sees the group and every member, with no "your trust" line.
    group_page = _text(
        sign_in(cast["group_lead"]).get("/charters/LPT-NHFT-SV/indicators/ECON-01/?year=2023/24")
    )
    assert "your trust" not in group_page
    assert "Actual to date </dt>" in group_page
