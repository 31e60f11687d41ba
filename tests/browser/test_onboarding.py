"""Joining by invitation in a real browser: every page on the way is checked by axe and
fits a 375 px phone screen."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fits_a_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide on a 375px screen"


def test_an_invited_lead_joins_and_invites_a_colleague(
    live_server, page, accessible, orgs, settings
):
    settings.SITE_URL = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    call_command("user", "invite", "new.lead@rxn.test", "--org", "RXN", "--role", "lead")
    (link,) = re.findall(r"http://\S+/invitations/\S+/", mail.outbox[0].body)

    page.goto(link)
    assert "Set your password" in page.inner_text("h1")
    accessible(page)
    fits_a_phone(page)
    page.fill("#id_new_password1", "a-long-and-unusual-passphrase")
    page.fill("#id_new_password2", "a-long-and-unusual-passphrase")
    page.click("button:has-text('Save password and sign in')")
    page.wait_for_url(f"{live_server.url}/")
    assert "Your password is set and you are signed in" in page.inner_text("main")

    page.goto(f"{live_server.url}/invitations/new/")
    accessible(page)
    fits_a_phone(page)
    page.fill("#id_email", "owner@rxn.test")
    page.check("input[value='contributor']")
    page.click("button:has-text('Send invitation')")
    page.wait_for_url("**/invitations/new/")
    assert "Sent an invitation link to owner@rxn.test" in page.inner_text("main")
    assert mail.outbox[-1].to == ["owner@rxn.test"]

    page.goto(f"{live_server.url}/account/email-settings/")
    accessible(page)
    fits_a_phone(page)
    page.uncheck("#id_email_approval_reminders")
    page.click("button:has-text('Save')")
    page.wait_for_url("**/account/email-settings/")
    assert not page.is_checked("#id_email_approval_reminders")


def test_the_password_reset_and_add_organisation_pages(live_server, page, accessible, db):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/sign-in/")
    page.click("a:has-text('Forgotten your password?')")
    page.wait_for_url("**/password-reset/")
    accessible(page)
    fits_a_phone(page)
    page.fill("#id_email", "nobody@rxn.test")
    page.click("button:has-text('Email me a link')")
    page.wait_for_url("**/password-reset/sent/")
    accessible(page)

    UserFactory(email="platform@example.org", is_superuser=True, is_staff=True)
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("#id_email", "platform@example.org")
    page.fill("#id_password", "correct-horse-battery-staple")
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{live_server.url}/")
    for path in ("/organisations/add/", "/organisations/add-group/"):
        page.goto(live_server.url + path)
        accessible(page)
        fits_a_phone(page)
    page.goto(f"{live_server.url}/organisations/add/")
    page.fill("#id_codes", "RXN")
    page.click("button:has-text('Add organisation')")
    page.wait_for_url("**/organisations/add/")
    assert "Added Lancashire Teaching Hospitals NHS Foundation Trust (RXN)" in page.inner_text(
        "main"
    )
