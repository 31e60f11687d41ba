"""A lead records values from a sheet in a real browser, checked by axe, on a phone screen."""

import pytest

from socialvalue.measurements.models import Measurement
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "charter,indicator,organisation,period,value\n"


def sign_in(page, base, email):
    page.goto(f"{base}/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")


def fits_a_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide on a 375px screen"


def test_lead_uploads_a_values_sheet(live_server, page, accessible, seeded, cast, tmp_path):
    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, base, "lead@rxn.test")
    page.goto(f"{base}/charters/RXN-SV/?year=2023/24")
    page.click("a:has-text('Values sheet')")
    page.wait_for_url("**/values-sheet/**")
    accessible(page)
    fits_a_phone(page)
    with page.expect_download() as download:
        page.click("a:has-text('Blank (CSV)')")
    assert download.value.suggested_filename == "RXN-SV-values-2023-24.csv"

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "RXN-SV,EDU-03,RXN,2023/24-Q1,forty\n", encoding="utf-8")
    page.set_input_files("input[name=sheet]", str(bad))
    page.click("button:has-text('Check the sheet')")
    assert "1 problem in bad.csv: nothing has been saved" in page.inner_text(".nhsuk-error-summary")
    assert "Enter a number, like 12 or 12.5, not forty" in page.inner_text("#problems")
    accessible(page)
    fits_a_phone(page)

    good = tmp_path / "good.csv"
    good.write_text(HEADER + "RXN-SV,EDU-03,RXN,2023/24-Q1,40\n", encoding="utf-8")
    page.set_input_files("input[name=sheet]", str(good))
    page.click("button:has-text('Check the sheet')")
    accessible(page)
    page.click("button:has-text('Record 1 value')")
    banner = page.inner_text(".nhsuk-notification-banner")
    assert "good.csv: 1 new value and 0 corrections recorded" in banner
    assert Measurement.objects.get(indicator__code="EDU-03").value == 40
