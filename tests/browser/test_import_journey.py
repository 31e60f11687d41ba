"""A lead imports payment ledgers in a real browser, on a phone screen, checked by axe."""

from pathlib import Path

import pytest

from socialvalue.imports.models import Import, SpendGroup, State
from socialvalue.imports.services import Upload, import_create
from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

EXCERPT = Path(__file__).parent.parent / "fixtures" / "kico-2020-06-spend-excerpt.csv"


def sign_in(page, base, email):
    page.goto(f"{base}/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")


def fits_a_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide on a 375px screen"


def test_lead_imports_ledgers(live_server, page, accessible, cast, orgs, tmp_path):
    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, base, "lead@rxn.test")
    page.goto(f"{base}/imports/spend/")
    accessible(page)
    fits_a_phone(page)

    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Supplier,Amount\n30/04/2020,Acme Ltd,twelve\n", encoding="utf-8")
    page.set_input_files("input[name=files]", [str(EXCERPT), str(bad)])
    page.click("button:has-text('Import the files')")
    page.wait_for_url("**/imports/*/")
    assert "Failed" in page.inner_text("#state")
    assert "bad.csv, row 2, column C (Amount)" in page.inner_text("#problems")
    assert not SpendGroup.objects.exists()
    accessible(page)
    fits_a_phone(page)

    page.goto(f"{base}/imports/spend/")
    page.set_input_files("input[name=files]", [str(EXCERPT)])
    page.click("button:has-text('Import the files')")
    page.wait_for_url("**/imports/*/")
    assert "Done" in page.inner_text("#state")
    assert "£3,288,104.36" in page.inner_text("#figures")
    accessible(page)
    fits_a_phone(page)

    # A running import: the progress bar with its words, refreshing itself.
    with EXCERPT.open("rb") as handle:
        record = import_create(
            organisation=orgs["RXN"], kind="spend", uploads=[Upload("a.csv", handle)], via="cli"
        )
    Import.objects.filter(pk=record.pk).update(
        state=State.RUNNING, phase="saving", rows_done=10, rows_total=36
    )
    page.goto(f"{base}/imports/{record.pk}/")
    assert page.get_attribute("#import-progress", "value") == "10"
    assert "Saving: 10 of 36 rows" in page.inner_text("#progress")
    fits_a_phone(page)
    # axe flags any timed refresh (WCAG 2.2.1); the page offers to turn it off, which
    # that criterion allows, and without it the page is clean.
    assert [p.split(" ")[0] for p in axe_violations(page)] == ["meta-refresh"]
    page.click("a:has-text('Stop updating this page')")
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert "Saving: 10 of 36 rows" in page.inner_text("#progress")
    accessible(page)
    fits_a_phone(page)
    page.goto(f"{base}/imports/")
    accessible(page)
    fits_a_phone(page)


def test_lead_says_which_column_is_which_on_a_phone(live_server, page, accessible, cast, tmp_path):
    """Without JavaScript-only controls: plain selects and a submit button, at 375px."""
    from socialvalue.imports.models import LedgerLayout

    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, base, "lead@rxn.test")
    renamed = tmp_path / "renamed.csv"
    text = EXCERPT.read_text(encoding="utf-8")
    renamed.write_text(
        text.replace(",Date,", ",Paid On,", 1)
        .replace(",Supplier,", ",Creditor,", 1)
        .replace(",Amount,", ",Gross,", 1),
        encoding="utf-8",
        newline="",
    )
    page.goto(f"{base}/imports/spend/")
    page.set_input_files("input[name=files]", [str(renamed)])
    page.click("button:has-text('Import the files')")
    page.wait_for_url("**/imports/*/")
    assert "Failed" in page.inner_text("#state")
    accessible(page)
    fits_a_phone(page)

    page.click("a:has-text('Tell us which column is which')")
    page.wait_for_url("**/columns/")
    accessible(page)
    fits_a_phone(page)
    # Each select is found by its label, as a screen reader announces it.
    page.get_by_label("Creditor (column H)").select_option("supplier")
    page.get_by_label("Gross (column J)").select_option("supplier")
    page.click("button:has-text('Save the columns and import the files')")
    assert "There is a problem" in page.inner_text(".nhsuk-error-summary")
    assert LedgerLayout.objects.count() == 0
    accessible(page)
    fits_a_phone(page)

    page.get_by_label("Paid On (column E)").select_option("date")
    page.get_by_label("Gross (column J)").select_option("amount")
    page.click("button:has-text('Save the columns and import the files')")
    page.wait_for_url("**/imports/*/")
    assert "Done" in page.inner_text("#state")
    assert "£3,288,104.36" in page.inner_text("#figures")
    accessible(page)
    fits_a_phone(page)

    page.goto(f"{base}/imports/")
    assert "Paid On" in page.inner_text("#layouts")
    accessible(page)
    fits_a_phone(page)
    page.click("#layouts button:has-text('Forget')")
    page.wait_for_url(f"{base}/imports/")
    assert LedgerLayout.objects.count() == 0
    accessible(page)
