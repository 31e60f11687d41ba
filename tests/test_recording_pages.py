"""Recording and approving that a person can follow (issue 13 item 3).

The cast (tests/conftest.py): rxn_lead and rxn_admin approve at RXN; rxn_owner (contributor)
owns EDU-03, a quarterly count of opportunities with a target of at least 100 a year;
rxn_viewer only views. Figures worked out by hand in each test.
"""

from decimal import Decimal

import pytest

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
    assert "(opportunities)" in page
    assert "Target: At least 100 opportunities in 2023/24" in page
    # Q2's previous period is Q1, approved at 30.
    assert "Q1 2023/24: 30" in page
    # The correction changes 25 to 28.
    assert "Correction: 25 → 28" in page
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
    from django.test import Client

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
