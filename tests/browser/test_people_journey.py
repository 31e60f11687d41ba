"""An organisation's administrator manages its people in a real browser: from the
navigation, on a phone-sized screen, checked by axe (and the CSP) on every page."""

import pytest

from socialvalue.organisations.models import Membership
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_changes_a_role_and_removes_someone(live_server, page, accessible, cast):
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.fill("#id_email", "admin@rxn.test")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")

    page.click("header a:has-text('People')")
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_url("**/organisations/RXN/people/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    accessible(page)

    lead_row = page.locator("#people tr", has_text="lead@rxn.test")
    lead_row.locator("a:has-text('Change role')").click()
    page.wait_for_url("**/role/")
    accessible(page)
    page.check("input[value='viewer']")
    page.click("button:has-text('Save role')")
    page.wait_for_url("**/organisations/RXN/people/")
    assert Membership.objects.get(user=cast["rxn_lead"]).role == "viewer"
    assert "is now viewer" in page.locator(".nhsuk-notification-banner").inner_text()
    accessible(page)

    row = page.locator("#people tr", has_text="owner@rxn.test")
    row.locator("a:has-text('Remove')").click()
    page.wait_for_url("**/remove/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    accessible(page)
    page.click("button:has-text('Remove')")
    page.wait_for_url("**/organisations/RXN/people/")
    assert not Membership.objects.filter(user=cast["rxn_owner"]).exists()
