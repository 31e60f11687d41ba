"""Whole journeys in a real browser, checked by axe on every page they pass through."""

import re

import pytest

from socialvalue.measurements.models import Measurement
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base, email):
    page.goto(f"{base}/")
    assert "/sign-in/" in page.url
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")


def sign_out(page):
    page.click("a:has-text('Sign out')")
    page.wait_for_url("**/sign-out/")
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/sign-in/")


def test_owner_records_a_value_and_the_lead_approves_it(
    live_server, page, accessible, seeded, cast, tmp_path
):
    base = live_server.url
    indicator = seeded["RXN-SV"].indicators.get(code="EDU-03")
    indicator.owner = cast["rxn_owner"]
    indicator.save()

    page.goto(f"{base}/")
    accessible(page)  # the sign-in page
    page.click("button:has-text('Sign in')")
    page.wait_for_selector(".nhsuk-error-summary")
    accessible(page)
    sign_in(page, base, "owner@rxn.test")
    accessible(page)  # home

    page.click("a:has-text('My indicators')")
    page.wait_for_url("**/my-indicators/")
    accessible(page)
    page.click("a:has-text('EDU-03')")
    page.wait_for_url("**/indicators/EDU-03/**")
    accessible(page)  # the indicator page
    page.click("a:has-text('Record a value')")
    page.wait_for_url("**/record/")
    accessible(page)

    page.click("button:has-text('Submit for approval')")
    assert "Enter value" in page.locator(".nhsuk-error-summary").inner_text()
    accessible(page)  # the form with its errors

    evidence = tmp_path / "placements.csv"
    evidence.write_text("student,placement\nA,ward 3\nB,pharmacy\n")
    page.select_option("#id_period", label="Q1 2023/24")
    page.fill("#id_value", "40")
    page.set_input_files("input[name=evidence]", str(evidence))
    page.click("button:has-text('Submit for approval')")
    banner = page.inner_text(".nhsuk-notification-banner")
    assert "Value for Q1 2023/24 recorded; it now waits for approval" in banner
    history = page.inner_text("#history")
    assert "Q1 2023/24" in history and "Waiting for approval" in history
    assert "placements.csv" in history
    accessible(page)
    sign_out(page)

    sign_in(page, base, "lead@rxn.test")
    page.click("a:has-text('Waiting for approval')")
    page.wait_for_url("**/approvals/")
    assert "1 value waiting for your decision" in page.inner_text("main")
    accessible(page)
    page.check("input[value='approved']")
    page.click("button:has-text('Save decision')")
    assert "approved" in page.inner_text(".nhsuk-notification-banner")
    assert Measurement.objects.get(indicator=indicator).state == "approved"

    page.goto(f"{base}/charters/RXN-SV/progress/?year=2023/24")
    accessible(page)
    row = page.inner_text("tr[data-code='EDU-03']")
    assert "Missed" in row and "40" in row


def test_lead_builds_a_charter_in_the_browser(live_server, page, accessible, cast):
    base = live_server.url
    sign_in(page, base, "lead@rxn.test")
    page.click("a:has-text('Create a charter')")
    page.wait_for_url("**/charters/new/")
    accessible(page)
    page.fill("#id_code", "RXN-NEW")
    page.fill("#id_title", "A new charter")
    page.fill("#id_years", "2024/25")
    page.click("button:has-text('Save')")
    page.wait_for_url("**/charters/RXN-NEW/")
    page.click("a:has-text('Add a theme')")
    page.fill("#id_code", "ENV")
    page.fill("#id_title", "Environment")
    page.check("input[value='fighting-climate-change']")
    accessible(page)
    page.click("button:has-text('Save')")
    page.wait_for_url("**/charters/RXN-NEW/")
    page.click("a:has-text('Add a pledge')")
    page.fill("#id_code", "ENV-P1")
    page.fill("#id_text", "We will cut our carbon")
    page.click("button:has-text('Save')")
    page.wait_for_url("**/charters/RXN-NEW/")
    page.click("a:has-text('Add an indicator')")
    page.wait_for_url("**/indicators/new/**")
    accessible(page)
    # The kind of target first; then the details and only that kind's figures.
    page.check("input[name='target_kind'][value='reduction_from_baseline']")
    page.click("button:has-text('Continue')")
    page.wait_for_url("**/indicators/new/?**target_kind=reduction_from_baseline**")
    assert page.locator("#id_target_percent").count() == 0
    accessible(page)
    page.fill("#id_code", "ENV-01")
    page.fill("#id_title", "Cut paper use")
    page.check("input[name='frequency'][value='quarterly']")
    page.fill("#id_rate_percent", "five")
    page.click("button:has-text('Save')")
    page.wait_for_selector(".nhsuk-error-summary")
    summary = page.inner_text(".nhsuk-error-summary")
    assert re.search(r"Enter .*rate", summary, re.I), summary
    accessible(page)
    page.fill("#id_rate_percent", "5")
    page.click("button:has-text('Save')")
    assert "Indicator ENV-01 saved" in page.inner_text(".nhsuk-notification-banner")
    page.goto(f"{base}/charters/RXN-NEW/")
    assert "Down 5% on 2023/24" in page.inner_text("main")
