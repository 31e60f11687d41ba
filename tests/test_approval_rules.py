"""Approval rules: four eyes (with a charter setting for a one-person team, kept in the
charter's history), only the newest waiting version can be approved, and a value returned
for changes is resubmitted without a correction reason and leaves "Returned to you".

The cast: rxn_lead and rxn_admin (administrator, who may also review) at RXN; rxn_owner
owns EDU-03 (a quarterly count) on the seeded RXN-SV charter.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from socialvalue.charters.models import CharterSettingChange
from socialvalue.charters.services import charter_set_self_approval
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.measurements import services
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.progress import charter_progress

EDIT_CHARTER = "/charters/RXN-SV/edit/"
APPROVALS = "/approvals/"


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


def _review_url(measurement) -> str:
    return f"/values/{measurement.pk}/review/"


def _edit_form(**changes) -> dict:
    form = {
        "title": "Lancashire Teaching Hospitals Social Value Charter",
        "years": "2023/24",
        "at_risk_below": "90",
        "off_track_below": "75",
    }
    form.update(changes)
    return form


# --- Four eyes ----------------------------------------------------------------------------


def test_nobody_approves_a_value_they_recorded(edu03, cast, orgs):
    value = _record(cast["rxn_lead"], edu03, orgs["RXN"])
    assert not services.can_review(cast["rxn_lead"], value)
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        services.measurement_approve(actor=cast["rxn_lead"], measurement=value)
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        services.measurement_return(actor=cast["rxn_lead"], measurement=value, comment="No")
    value.refresh_from_db()
    assert value.state == "submitted"
    services.measurement_approve(actor=cast["rxn_admin"], measurement=value)
    value.refresh_from_db()
    assert value.state == "approved"


def test_the_web_refuses_approving_your_own_value_and_does_not_offer_it(edu03, cast, orgs, sign_in):
    own = _record(cast["rxn_lead"], edu03, orgs["RXN"])
    owners = _record(cast["rxn_owner"], edu03, orgs["RXN"], key="2023/24-Q2")
    client = sign_in(cast["rxn_lead"])
    page = client.get(APPROVALS).content.decode()
    assert _review_url(own) not in page
    assert _review_url(owners) in page
    assert "1 value waiting for your decision" in page
    response = client.post(_review_url(own), {"decision": "approved"})
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.state == "submitted"
    indicator_page = client.get("/charters/RXN-SV/indicators/EDU-03/?year=2023/24").content
    assert _review_url(own).encode() not in indicator_page
    assert _review_url(owners).encode() in indicator_page


def test_a_charter_may_allow_self_approval_and_the_change_is_in_its_history(
    seeded, edu03, cast, orgs, sign_in
):
    client = sign_in(cast["rxn_lead"])
    form = client.get(EDIT_CHARTER).content.decode()
    assert 'name="self_approval_allowed"' in form
    assert "checked" not in form.split('name="self_approval_allowed"', 1)[1].split(">", 1)[0]

    response = client.post(EDIT_CHARTER, _edit_form(self_approval_allowed="on"))
    assert response.status_code == 302
    charter = seeded["RXN-SV"]
    charter.refresh_from_db()
    assert charter.self_approval_allowed is True
    [change] = CharterSettingChange.objects.filter(charter=charter)
    assert (change.setting, change.old_value, change.new_value, change.changed_by) == (
        "self_approval_allowed",
        "no",
        "yes",
        cast["rxn_lead"],
    )
    page = client.get("/charters/RXN-SV/").content.decode()
    assert "A lead may approve a value they recorded themselves" in page
    history = page.split('id="setting-changes"', 1)[1].split("</ul>", 1)[0]
    assert f"{cast['rxn_lead']} allowed leads approving values they recorded themselves" in history

    own = _record(cast["rxn_lead"], edu03, orgs["RXN"])
    assert client.post(_review_url(own), {"decision": "approved"}).status_code == 302
    own.refresh_from_db()
    assert own.state == "approved"

    # Saving again without a change adds nothing; turning it off adds a second entry.
    client.post(EDIT_CHARTER, _edit_form(self_approval_allowed="on"))
    assert CharterSettingChange.objects.filter(charter=charter).count() == 1
    client.post(EDIT_CHARTER, _edit_form())
    charter.refresh_from_db()
    assert charter.self_approval_allowed is False
    assert list(
        CharterSettingChange.objects.filter(charter=charter).values_list("old_value", "new_value")
    ) == [("no", "yes"), ("yes", "no")]
    page = client.get("/charters/RXN-SV/").content.decode()
    assert "stopped leads approving values they recorded themselves" in page
    assert "Each value is approved by someone other than the person who recorded it" in page


def test_only_a_lead_changes_the_setting(seeded, cast):
    with pytest.raises(PermissionDenied):
        charter_set_self_approval(actor=cast["rxn_owner"], charter=seeded["RXN-SV"], allowed=True)
    assert not CharterSettingChange.objects.exists()


def test_a_new_charter_has_four_eyes_and_no_setting_on_its_create_form(cast, sign_in):
    page = sign_in(cast["rxn_lead"]).get("/charters/new/").content.decode()
    assert 'name="self_approval_allowed"' not in page


# --- Only the newest version waiting ------------------------------------------------------


def test_an_older_waiting_version_cannot_be_approved(edu03, cast, orgs, sign_in):
    v1 = _record(cast["rxn_owner"], edu03, orgs["RXN"], value=30)
    v2 = _record(cast["rxn_owner"], edu03, orgs["RXN"], value=33, reason="Three were missed")
    with pytest.raises(ValueError, match="superseded by version 2"):
        services.measurement_approve(actor=cast["rxn_lead"], measurement=v1)

    client = sign_in(cast["rxn_lead"])
    page = client.get(APPROVALS).content.decode()
    v1_row = page.split("EDU-03</a> Q1 2023/24", 1)[1].split("</tr>", 1)[0]
    assert "Superseded" in v1_row and "Version 2 has been recorded since" in v1_row
    assert _review_url(v1) not in page
    assert _review_url(v2) in page
    assert "1 value waiting for your decision" in page
    # The dashboard counts the one value that can be decided, not the superseded one.
    progress = charter_progress(
        edu03.charter, year=FinancialYear(2023), as_of=date(2024, 1, 15), indicators=[edu03]
    )
    assert progress.waiting == 1

    response = client.post(_review_url(v1), {"decision": "approved"}, follow=True)
    assert "only the newest version can be approved" in response.content.decode()
    v1.refresh_from_db()
    assert v1.state == "submitted"
    assert not Measurement.objects.counted().exists()

    assert client.post(_review_url(v2), {"decision": "approved"}).status_code == 302
    assert list(Measurement.objects.counted()) == [v2]
    # Once the newest is decided, the superseded version leaves the list.
    page = client.get(APPROVALS).content.decode()
    assert "Nothing is waiting for approval" in page and "Superseded" not in page


# --- Returned, then resubmitted -----------------------------------------------------------


def test_a_returned_value_is_resubmitted_without_a_reason_and_leaves_the_list(
    edu03, cast, orgs, sign_in
):
    v1 = _record(cast["rxn_owner"], edu03, orgs["RXN"], value=30)
    services.measurement_return(actor=cast["rxn_lead"], measurement=v1, comment="Wrong quarter")
    client = sign_in(cast["rxn_owner"])
    returned = client.get(APPROVALS).content.decode().split("Returned to you", 1)[1]
    assert "EDU-03 Q1 2023/24" in returned and "Wrong quarter" in returned

    page = client.get("/charters/RXN-SV/indicators/EDU-03/record/").content.decode()
    assert "unless it was returned to you for changes" in page
    response = client.post(
        "/charters/RXN-SV/indicators/EDU-03/record/",
        {"organisation": str(orgs["RXN"].pk), "period": "2023/24-Q1", "value": "31"},
    )
    assert response.status_code == 302
    v2 = Measurement.objects.get(indicator=edu03, version=2)
    assert (v2.supersedes, v2.reason, v2.state, v2.value) == (v1, "", "submitted", Decimal(31))

    returned = client.get(APPROVALS).content.decode().split("Returned to you", 1)[1]
    assert "None of your values have been returned" in returned


def test_a_correction_of_an_approved_value_still_needs_a_reason(edu03, cast, orgs):
    v1 = _record(cast["rxn_owner"], edu03, orgs["RXN"], value=30)
    services.measurement_approve(actor=cast["rxn_lead"], measurement=v1)
    with pytest.raises(services.CorrectionNeedsReason):
        _record(cast["rxn_owner"], edu03, orgs["RXN"], value=31)
    with pytest.raises(services.CorrectionNeedsReason):  # nor of one still waiting
        _record(cast["rxn_owner"], edu03, orgs["RXN"], key="2023/24-Q2")
        _record(cast["rxn_owner"], edu03, orgs["RXN"], key="2023/24-Q2", value=31)
