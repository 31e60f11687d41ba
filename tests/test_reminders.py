"""`socialvalue remind`: owners' overdue digests, leads' waiting-for-approval summaries, the
switches that turn each off, and the "Email settings" page. Hand-worked with a grace of 30
days: a quarter ending 30 June 2023 is overdue from 31 July 2023."""

from decimal import Decimal

import pytest
from django.core import mail

from socialvalue.domain.periods import Period
from socialvalue.measurements import services
from tests.factories import CharterFactory, IndicatorFactory, PledgeFactory, ThemeFactory
from tests.helpers import record_approved


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SITE_URL = "http://testserver"
    settings.OVERDUE_GRACE_DAYS = 30
    settings.REMIND_OVERDUE = True
    settings.REMIND_APPROVALS = True


@pytest.fixture
def charter(cast, orgs):
    """RXN's charter for 2023/24: a quarterly count (Q1 approved) and an annual milestone-free
    count, both owned by owner@rxn.test."""
    charter = CharterFactory(code="RXN-REM", title="Reminder charter", organisation=orgs["RXN"])
    pledge = PledgeFactory(theme=ThemeFactory(charter=charter))
    quarterly = IndicatorFactory(
        pledge=pledge, code="Q-01", title="Volunteers", owner=cast["rxn_owner"], position=1
    )
    annual = IndicatorFactory(
        pledge=pledge,
        code="A-01",
        title="Apprentices",
        frequency="annual",
        owner=cast["rxn_owner"],
        position=2,
    )
    record_approved(
        lead=cast["rxn_lead"],
        recorder=cast["rxn_owner"],
        indicator=quarterly,
        organisation=orgs["RXN"],
        key="2023/24-Q1",
        value=Decimal(10),
    )
    return {"charter": charter, "quarterly": quarterly, "annual": annual}


def _by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_an_owner_gets_the_overdue_periods_of_their_indicators(charter, run_command):
    # 15 January 2024: Q2 (ended 30 September) is overdue, Q3 (31 December) not yet: its
    # grace runs to 30 January; Q1 is approved; the annual figure is due after 31 March.
    code, out, err = run_command("remind", "--as-of", "2024-01-15")

    assert (code, err) == (0, "")
    (message,) = mail.outbox
    assert message.to == ["owner@rxn.test"]
    assert message.subject == "Social value: 1 overdue period to record"
    assert "- Q-01 Volunteers (Reminder charter): Q2 2023/24\n" in message.body
    assert "http://testserver/charters/RXN-REM/indicators/Q-01/record/" in message.body
    assert "A-01" not in message.body
    assert "as of 15 January 2024" in message.body
    assert "http://testserver/account/email-settings/" in message.body
    assert out.splitlines() == [
        "owner@rxn.test: sent overdue reminder (1 period of 1 indicator)",
        "2024-01-15: sent 1 email",
    ]


def test_a_years_last_quarter_is_overdue_a_month_into_the_next_year(charter, run_command):
    # 30 April 2024 is the last day of Q4's grace; on 1 May Q4 and the annual figure fall due,
    # though 2024/25 is not one of the charter's years.
    run_command("remind", "--as-of", "2024-04-30")
    assert "Q-01 Volunteers (Reminder charter): Q2 2023/24, Q3 2023/24\n" in mail.outbox[0].body
    assert "A-01" not in mail.outbox[0].body

    mail.outbox.clear()
    run_command("remind", "--as-of", "2024-05-01")

    (message,) = mail.outbox
    assert message.subject == "Social value: 4 overdue periods to record"
    assert "- Q-01 Volunteers (Reminder charter): Q2 2023/24, Q3 2023/24, Q4 2023/24\n" in (
        message.body
    )
    assert "- A-01 Apprentices (Reminder charter): 2023/24\n" in message.body


def test_nothing_is_sent_before_anything_is_overdue(charter, run_command):
    code, out, _ = run_command("remind", "--as-of", "2023-10-30")  # Q2's last day of grace
    assert code == 0
    assert mail.outbox == []
    assert out.strip() == "2023-10-30: sent 0 emails"


def test_a_value_waiting_for_approval_reaches_the_leads_and_is_no_longer_overdue(
    charter, cast, orgs, run_command
):
    services.measurement_record(
        actor=cast["rxn_owner"],
        indicator=charter["quarterly"],
        organisation=orgs["RXN"],
        period=Period.from_key("2023/24-Q2"),
        reading=services.Reading(value=Decimal(12)),
    )

    run_command("remind", "--as-of", "2024-01-15")

    sent = _by_recipient()
    # The administrator ranks above a lead, so approves too; RT5's lead and the group's
    # lead do not review RXN's values.
    assert set(sent) == {"lead@rxn.test", "admin@rxn.test"}
    message = sent["lead@rxn.test"]
    assert message.subject == "Social value: 1 value waiting for approval"
    assert "1 value is waiting for your approval (as of 15 January 2024)" in message.body
    assert "- Q-01 Volunteers, RXN, Q2 2023/24: recorded by " in message.body
    assert "http://testserver/approvals/" in message.body


def test_each_person_can_turn_each_reminder_off(charter, cast, orgs, run_command):
    services.measurement_record(
        actor=cast["rxn_owner"],
        indicator=charter["annual"],
        organisation=orgs["RXN"],
        period=Period.from_key("2023/24"),
        reading=services.Reading(value=Decimal(3)),
    )
    cast["rxn_owner"].email_overdue_reminders = False
    cast["rxn_owner"].save()
    cast["rxn_lead"].email_approval_reminders = False
    cast["rxn_lead"].save()

    run_command("remind", "--as-of", "2024-05-01")

    assert set(_by_recipient()) == {"admin@rxn.test"}


def test_inactive_people_get_nothing(charter, cast, run_command):
    cast["rxn_owner"].is_active = False
    cast["rxn_owner"].save()

    run_command("remind", "--as-of", "2024-05-01")

    assert mail.outbox == []


def test_the_settings_turn_each_kind_off_for_everyone(charter, cast, orgs, run_command, settings):
    services.measurement_record(
        actor=cast["rxn_owner"],
        indicator=charter["quarterly"],
        organisation=orgs["RXN"],
        period=Period.from_key("2023/24-Q2"),
        reading=services.Reading(value=Decimal(12)),
    )
    settings.REMIND_APPROVALS = False

    _, out, _ = run_command("remind", "--as-of", "2024-05-01")

    assert set(_by_recipient()) == {"owner@rxn.test"}
    assert "Approval reminders are off (SOCIALVALUE_REMIND_APPROVALS=false)" in out

    mail.outbox.clear()
    settings.REMIND_APPROVALS = True
    settings.REMIND_OVERDUE = False
    _, out, _ = run_command("remind", "--as-of", "2024-05-01")

    assert set(_by_recipient()) == {"lead@rxn.test", "admin@rxn.test"}
    assert "Overdue reminders are off (SOCIALVALUE_REMIND_OVERDUE=false)" in out


def test_a_dry_run_lists_and_sends_nothing(charter, run_command):
    code, out, _ = run_command("remind", "--as-of", "2024-05-01", "--dry-run")

    assert code == 0
    assert mail.outbox == []
    assert out.splitlines() == [
        "owner@rxn.test: would send overdue reminder (4 periods of 2 indicators)",
        "2024-05-01: would send 1 email",
    ]


def test_a_bad_date_is_refused(db, run_command):
    code, _, err = run_command("remind", "--as-of", "2024-02-30")
    assert code == 1
    assert "--as-of: '2024-02-30' is not a date; write it as YYYY-MM-DD" in err


def test_an_indicator_the_owner_can_no_longer_see_is_left_out(charter, cast, run_command):
    cast["rxn_owner"].memberships.all().delete()

    run_command("remind", "--as-of", "2024-05-01")

    assert mail.outbox == []


# The Email settings page --------------------------------------------------------------------


def test_a_person_turns_a_reminder_off_on_their_email_settings_page(cast, client):
    client.force_login(cast["rxn_lead"])

    page = client.get("/account/email-settings/")
    assert page.status_code == 200
    assert page.text.count("checked") == 2
    assert 'href="/account/email-settings/"' in client.get("/").text

    response = client.post(
        "/account/email-settings/", {"email_overdue_reminders": "on"}, follow=True
    )

    assert "Your email settings are saved" in response.text
    cast["rxn_lead"].refresh_from_db()
    assert cast["rxn_lead"].email_overdue_reminders is True
    assert cast["rxn_lead"].email_approval_reminders is False
    cast["rxn_admin"].refresh_from_db()
    assert cast["rxn_admin"].email_approval_reminders is True


def test_the_email_settings_page_needs_signing_in(db, client):
    response = client.get("/account/email-settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
