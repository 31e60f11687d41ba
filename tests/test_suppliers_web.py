"""The suppliers page (a lead checks matches and flags in bulk) and the local area page.

The clock is fixed at 2026-12-01 for the "set by … on …" sources.
"""

from datetime import date
from decimal import Decimal

import pytest

from socialvalue.domain.ledger import LedgerLine, Source, clean_supplier
from socialvalue.suppliers import services, views
from socialvalue.suppliers.models import LocalArea, Supplier

PERSON = "Mrs Philomena Xanthippe"


def _line(name: str, amount: str, row: int) -> LedgerLine:
    return LedgerLine(
        source=Source("ledger.csv", None, row),
        date=date(2020, 4, 30),
        amount=Decimal(amount),
        supplier=clean_supplier(name),
    )


@pytest.fixture
def register(orgs, monkeypatch):
    monkeypatch.setattr(views, "_today", lambda: date(2026, 12, 1))
    rxn = orgs["RXN"]
    prime = Supplier.objects.create(
        organisation=rxn,
        name="Prime Care Solutions (Kingston) Ltd",
        normalised_name="prime care solutions kingston",
        postcode="BB5 1AB",
    )
    services.suppliers_build_from_ledger(
        organisation=rxn,
        lines=[
            _line("UK0479435601 : Prime Care Solutions (Kingston) Ltd", "100.00", 2),
            _line("KINGS COLLEGE LONDON:03529700", "40000.00", 3),
            _line("PRIME CARE SOLUTIONS KINGSTON BRANCH", "50.00", 4),
            _line(PERSON, "1234.56", 5),
        ],
        file_names=["ledger.csv"],
    )
    added = {s.name: s for s in Supplier.objects.of(rxn).exclude(pk=prime.pk)}
    return {
        "prime": prime,
        "kcl": added["KINGS COLLEGE LONDON"],
        "branch": added["PRIME CARE SOLUTIONS KINGSTON BRANCH"],
    }


def test_a_viewer_sees_the_register_without_the_form(cast, register, sign_in):
    response = sign_in(cast["rxn_viewer"]).get("/organisations/RXN/suppliers/?show=all")
    html = response.content.decode()
    assert "KINGS COLLEGE LONDON" in html and "company 03529700" in html
    assert "Added from the ledger ledger.csv" in html
    assert 'name="csrfmiddlewaretoken"' not in html and "Save these suppliers" not in html
    # The responsive table: each cell carries its column heading for a phone screen.
    assert 'class="nhsuk-table-responsive"' in html
    assert '<span class="nhsuk-table-responsive__heading" aria-hidden="true">SME </span>' in html


def test_another_organisations_people_get_not_found(cast, register, sign_in):
    assert sign_in(cast["rt5_lead"]).get("/organisations/RXN/suppliers/").status_code == 404
    assert sign_in(cast["rt5_lead"]).get("/organisations/RXN/local-area/").status_code == 404


def test_a_viewer_cannot_post(cast, register, sign_in):
    kcl = register["kcl"]
    response = sign_in(cast["rxn_viewer"]).post(
        "/organisations/RXN/suppliers/", {"confirm": [kcl.pk]}
    )
    assert response.status_code == 403
    kcl.refresh_from_db()
    assert kcl.confirmed is False


def test_a_lead_confirms_sets_flags_and_corrects_a_match_in_one_go(cast, register, sign_in):
    kcl, branch, prime = register["kcl"], register["branch"], register["prime"]
    client = sign_in(cast["rxn_lead"])
    page = client.get("/organisations/RXN/suppliers/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and f'name="sme-{kcl.pk}"' in page
    response = client.post(
        "/organisations/RXN/suppliers/?show=unconfirmed",
        {
            "confirm": [kcl.pk],
            f"sme-{kcl.pk}": "no",
            f"vcfse-{kcl.pk}": "keep",
            f"sme-{branch.pk}": "keep",
            f"same-{branch.pk}": str(prime.pk),
            f"sme-{prime.pk}": "yes",
        },
    )
    assert response.status_code == 302
    kcl.refresh_from_db()
    prime.refresh_from_db()
    by = f"set by {cast['rxn_lead'].get_full_name()} on 2026-12-01"
    assert kcl.confirmed and (kcl.sme, kcl.sme_source) == (False, by)
    assert kcl.vcfse is None and kcl.vcfse_source == ""
    assert (prime.sme, prime.sme_source) == (True, by)
    # The branch's name is now an alias of Prime Care, and the next ledger matches it there.
    assert prime.aliases == ["PRIME CARE SOLUTIONS KINGSTON BRANCH"]
    assert not Supplier.objects.filter(pk=branch.pk).exists()
    proposals = services.ledger_proposals(
        organisation=prime.organisation,
        lines=[_line("Prime Care Solutions Kingston Branch", "10.00", 2)],
    )
    assert [(p.supplier_id, p.method) for p in proposals.matched] == [(prime.pk, "alias")]
    followed = client.get(response["Location"]).content.decode()
    assert "3 suppliers saved" in followed


def test_a_wrong_same_as_number_changes_nothing(cast, register, sign_in):
    kcl, prime = register["kcl"], register["prime"]
    response = sign_in(cast["rxn_lead"]).post(
        "/organisations/RXN/suppliers/?show=all",
        {"confirm": [prime.pk], f"same-{kcl.pk}": "99999"},
    )
    assert response.status_code == 400
    assert f"Supplier {kcl.pk}: enter the number of another supplier on this page" in (
        response.content.decode()
    )
    prime.refresh_from_db()
    assert prime.confirmed is False and Supplier.objects.filter(pk=kcl.pk).exists()


def test_a_persons_name_never_reaches_the_register_or_a_page(cast, register, sign_in, caplog):
    assert not Supplier.objects.filter(name__icontains="Xanthippe").exists()
    client = sign_in(cast["rxn_lead"])
    html = "".join(
        client.get(url).content.decode()
        for url in (
            "/organisations/RXN/suppliers/?show=all",
            "/organisations/RXN/suppliers/",
            "/organisations/RXN/local-area/",
        )
    )
    assert "Xanthippe" not in html and "Xanthippe" not in caplog.text
    proposals = services.ledger_proposals(
        organisation=register["prime"].organisation, lines=[_line(PERSON, "1234.56", 5)]
    )
    # Still counted: one line, £1,234.56, under the fixed label.
    assert proposals.individuals is not None
    assert (proposals.individuals.lines, proposals.individuals.amount) == (1, Decimal("1234.56"))
    assert proposals.individuals.name == "Payment to an individual (name withheld)"
    assert "Xanthippe" not in repr(proposals)


def test_the_local_area_page_saves_and_places_suppliers(cast, register, sign_in):
    client = sign_in(cast["rxn_lead"])
    response = client.post("/organisations/RXN/local-area/", {"area": "E07000120, E07000125"})
    assert response.status_code == 302
    area = LocalArea.objects.get(organisation__code="RXN")
    assert area.authorities == ["E07000120", "E07000125"]
    assert area.updated_by == cast["rxn_lead"].get_full_name()
    page = client.get("/organisations/RXN/local-area/").content.decode()
    assert "Hyndburn (E07000120)" in page and "Rossendale (E07000125)" in page
    suppliers = client.get("/organisations/RXN/suppliers/?show=all").content.decode()
    assert "Local: BB5 lies in E07000120, E07000125" in suppliers
    assert "Could not be placed: no postcode" in suppliers


def test_the_local_area_page_refuses_unknown_entries(cast, register, sign_in):
    client = sign_in(cast["rxn_lead"])
    response = client.post("/organisations/RXN/local-area/", {"area": "E07000120\nLancashire"})
    assert response.status_code == 400
    assert "Lancashire&#39; is not a local authority code (such as E07000120)" in (
        response.content.decode()
    )
    assert not LocalArea.objects.exists()


def test_only_a_lead_changes_the_local_area(cast, register, sign_in):
    response = sign_in(cast["rxn_viewer"]).post(
        "/organisations/RXN/local-area/", {"area": "E07000120"}
    )
    assert response.status_code == 403
    assert not LocalArea.objects.exists()
