"""Spend figures after import: the summary page, hand-worked, and totals against an
independent sum of real files.

The hand example (ledger below, amounts in £), local area = postcode district BB5:
  a. 1 Apr 2023    Local Widgets Ltd (register: BB5 1AA, SME yes, VCFSE no)        100.00
  b. 30 Jun 2023   Blackpool Teaching Hospitals NHS Foundation Trust (public body)   50.00
  c. 1 Jul 2023    Faraway Supplies Ltd (register: SW1A 1AA, SME no, VCFSE ?)       200.00
  d. 29 Feb 2024   Mr J Smith (a person: never named, could not be placed)          30.00
  e. 31 Mar 2024   Local Widgets Ltd, a credit                                     (20.00)
  f. 1 Apr 2024    Bay Community Kitchen CIC (register: BB5 2XX, SME yes, VCFSE yes) 400.00
2023-24: total 360, public bodies 50, influenceable 310; local 100 - 20 = 80, 25.8% of 310;
could not be placed 30, 9.7%; SME 80, 25.8%; VCFSE 0, 0.0% (not known 230).
2024-25: total 400; local, SME and VCFSE 400 each, 100.0%.
Growth of 2024-25 on 2023-24: total +40 (+11.1%), local +320 (+400.0%).
"""

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from socialvalue.domain.spend import Period, financial_year, year_label
from socialvalue.spend.services import spend_summary
from socialvalue.suppliers.models import Supplier
from socialvalue.suppliers.services import local_area_set
from tests.conftest import SHARED_DATA
from tests.helpers import table_rows

LEDGER = """Date,Supplier,Amount,Expense Type
01/04/2023,Local Widgets Ltd,100.00,Equipment
30/06/2023,Blackpool Teaching Hospitals NHS Foundation Trust,50.00,Clinical services
01/07/2023,Faraway Supplies Ltd,200.00,Equipment
29/02/2024,Mr J Smith,30.00,Expenses
31/03/2024,Local Widgets Ltd,(20.00),Equipment
01/04/2024,Bay Community Kitchen CIC,400.00,Catering
"""


def run(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("import", "spend", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def hand(orgs, tmp_path):
    rxn = orgs["RXN"]
    for name, normal, postcode, sme, vcfse in [
        ("Local Widgets Ltd", "local widgets", "BB5 1AA", True, False),
        ("Faraway Supplies Ltd", "faraway supplies", "SW1A 1AA", False, None),
        ("Bay Community Kitchen CIC", "bay community kitchen", "BB5 2XX", True, True),
    ]:
        Supplier.objects.create(
            organisation=rxn,
            name=name,
            normalised_name=normal,
            postcode=postcode,
            sme=sme,
            vcfse=vcfse,
        )
    local_area_set(organisation=rxn, choices=["BB5"], by="test")
    ledger = tmp_path / "hand.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    code, _, err = run(ledger, "--org", "RXN")
    assert code == 0, err
    return rxn


def test_the_figures_match_the_hand_example(hand):
    summary = spend_summary(hand)
    first, second = summary.years
    assert first.period.label == "2023-24" and second.period.label == "2024-25"
    assert (first.total, first.public_bodies, first.influenceable) == (D(360), D(50), D(310))
    assert (first.local, first.not_local, first.unplaced) == (D(80), D(200), D(30))
    assert (first.sme, first.vcfse, first.vcfse_unknown) == (D(80), D(0), D(230))
    assert first.local_share.percent() == "25.8%"
    assert first.unplaced_share.percent() == "9.7%"
    assert (second.total, second.local, second.sme, second.vcfse) == (D(400),) * 4
    (change,) = summary.growth
    assert change.changes["total"].percent() == "11.1%"
    assert change.changes["local"].numerator == D(320)
    names = [s.name for s in summary.top_suppliers]
    assert names == [
        "Bay Community Kitchen CIC",
        "Faraway Supplies Ltd",
        "Local Widgets Ltd",
        "Blackpool Teaching Hospitals NHS Foundation Trust",
        "Payment to an individual (name withheld)",
    ]
    assert summary.top_suppliers[2].amount == D(80)
    assert dict(summary.categories)["Equipment"] == D(280)
    # No SIC codes in this register: all the spend is under "no SIC code".
    assert summary.industries == [("No SIC code in the supplier register", D(760))]
    months = spend_summary(hand, period=Period.MONTH).periods
    assert [m.period.label for m in months][3:5] == ["February 2024", "March 2024"]


def test_spend_by_industry_follows_each_suppliers_first_sic_code(hand, cast, sign_in):
    """Bay Community Kitchen (56290, section I) £400; Local Widgets (28990 and 46690: its
    first code, section C) £80 over the year's 100 − 20; the rest has no code."""
    Supplier.objects.filter(normalised_name="bay community kitchen").update(sic_codes=["56290"])
    Supplier.objects.filter(normalised_name="local widgets").update(sic_codes=["28990", "46690"])
    summary = spend_summary(hand)
    assert summary.industries == [
        ("I Accommodation and food service activities", D(400)),
        ("No SIC code in the supplier register", D(280)),
        ("C Manufacturing", D(80)),
    ]
    page = sign_in(cast["rxn_lead"]).get("/organisations/RXN/spend/").content.decode()
    industries = page[page.index('id="industries"') :]
    assert "I Accommodation and food service activities" in industries
    assert "£400.00" in industries and "C Manufacturing" in industries


def test_the_summary_page_shows_the_figures_and_never_the_persons_name(hand, cast, sign_in):
    page = sign_in(cast["rxn_lead"]).get("/organisations/RXN/spend/").content.decode()
    # Each share over the figures it is worked from (two lines, so the columns stay narrow).
    # (table_rows joins a cell's lines without a space.)
    year = next(row for row in table_rows(page, "periods") if row[0].startswith("2023-24"))
    assert year[3] == "25.8%£80.00 of £310.00"  # local share
    assert year[4] == "9.7%£30.00 of £310.00"  # could not be placed, beside it
    assert year[6].startswith("0.0%£0.00 of £310.00")  # VCFSE
    assert '25.8%<br><span class="nhsuk-u-font-size-16">£80.00 of £310.00</span>' in page
    assert "£50.00 to public bodies left out" in page
    # Growth: each piece kept on one line (a sum is never split at its sign).
    assert '<span class="sv-nowrap">+11.1%</span> <span class="sv-nowrap">(+£40.00)</span>' in page
    assert (
        '<span class="sv-nowrap">+400.0%</span> <span class="sv-nowrap">(+£320.00)</span>' in page
    )
    assert "Local (BB5)" in page and "Not local (SW1A)" in page
    assert "Payment to an individual (name withheld)" in page
    assert "Smith" not in page
    quarters = sign_in(cast["rxn_lead"]).get("/organisations/RXN/spend/?period=quarter")
    assert "2023-24 Q4" in quarters.content.decode()


def test_only_the_organisations_leads_see_its_spend(hand, cast, sign_in):
    assert sign_in(cast["rxn_viewer"]).get("/organisations/RXN/spend/").status_code == 404
    assert sign_in(cast["rt5_lead"]).get("/organisations/RXN/spend/").status_code == 404
    assert sign_in(cast["rxn_admin"]).get("/organisations/RXN/spend/").status_code == 200


def test_the_imports_page_links_to_each_led_organisations_spend(cast, sign_in):
    page = sign_in(cast["rxn_lead"]).get("/imports/").content.decode()
    assert 'href="/organisations/RXN/spend/"' in page
    assert "/organisations/RT5/spend/" not in page


def test_no_lines_says_so(cast, sign_in):
    page = sign_in(cast["rxn_lead"]).get("/organisations/RXN/spend/").content.decode()
    assert "No payment lines have been imported" in page


HYNDBURN = SHARED_DATA / "spend" / "hyndburn-council"
FILES = ["1701.csv", "1702.csv", "1703.csv"]


@pytest.mark.skipif(not HYNDBURN.is_dir(), reason="the shared data set is not present")
def test_totals_after_import_equal_an_independent_sum_of_the_real_files(orgs):
    """Hyndburn's 2017 monthly files, summed here with the csv module and Decimal: column G
    (`Net Amount(£)`), dates in column F, day first, cp1252."""
    by_year: dict[str, D] = defaultdict(D)
    by_month: dict[tuple[int, int], D] = defaultdict(D)
    count = 0
    for name in FILES:
        with open(HYNDBURN / name, encoding="cp1252", newline="") as f:
            rows = csv.reader(f)
            next(rows)
            for row in rows:
                if not any(cell.strip() for cell in row):
                    continue
                day, month, year = map(int, row[5].split("/"))
                amount = D(row[6].replace(",", "").strip())
                by_year[year_label(financial_year(date(year, month, day)))] += amount
                by_month[(year, month)] += amount
                count += 1
    code, _, err = run(*(HYNDBURN / n for n in FILES), "--org", "RXN")
    assert code == 0, err
    summary = spend_summary(orgs["RXN"])
    assert {y.period.label: y.total for y in summary.years} == dict(by_year)
    assert sum(y.lines for y in summary.years) == count
    months = spend_summary(orgs["RXN"], period=Period.MONTH).periods
    assert {(m.period.start.year, m.period.start.month): m.total for m in months} == dict(by_month)
    # Every line is influenceable or a public body's, and local + not local + unplaced adds up.
    for y in summary.years:
        assert y.influenceable + y.public_bodies == y.total
        assert y.local + y.not_local + y.unplaced == y.influenceable
