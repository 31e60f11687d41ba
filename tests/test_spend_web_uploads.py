"""Web uploads added for issue 14 item 5: a supplier file on the suppliers pages, and a
corrected ledger naming the import it replaces."""

from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile

from socialvalue.imports.models import Import, SpendGroup
from socialvalue.suppliers.models import Supplier

SUPPLIERS = (
    "Name,Postcode,Company number,SME,VCFSE\n"
    "Local Widgets Ltd,BB5 1AA,01234567,yes,no\n"
    "Bay Community Kitchen CIC,BB5 2XX,,yes,\n"
)


def test_a_lead_uploads_a_supplier_file(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    page = client.get("/organisations/RXN/suppliers/upload/").content.decode()
    assert 'name="file"' in page and 'enctype="multipart/form-data"' in page
    response = client.post(
        "/organisations/RXN/suppliers/upload/",
        {"file": SimpleUploadedFile("suppliers.csv", SUPPLIERS.encode(), "text/csv")},
    )
    assert response.status_code == 302
    widgets = Supplier.objects.get(normalised_name="local widgets")
    assert (widgets.postcode, widgets.company_number, widgets.sme) == ("BB5 1AA", "01234567", True)
    assert widgets.sme_source == "from the supplier file suppliers.csv row 2"
    kitchen = Supplier.objects.get(normalised_name="bay community kitchen")
    assert kitchen.vcfse is True  # recognised from its name: a CIC
    listing = client.get(response["Location"]).content.decode()
    assert "2 suppliers added, 0 updated" in listing


def test_a_supplier_file_with_a_bad_row_saves_nothing_and_says_where(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    bad = SUPPLIERS + "Acme Ltd,NOWHERE,,,\n"
    response = client.post(
        "/organisations/RXN/suppliers/upload/",
        {"file": SimpleUploadedFile("suppliers.csv", bad.encode(), "text/csv")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "suppliers.csv:4" in html and "Nothing was saved" in html
    assert Supplier.objects.count() == 0


def test_a_supplier_upload_is_checked_and_for_leads_only(cast, sign_in):
    lead = sign_in(cast["rxn_lead"])
    png = SimpleUploadedFile("suppliers.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "text/csv")
    response = lead.post("/organisations/RXN/suppliers/upload/", {"file": png})
    assert response.status_code == 400 and "not a CSV file" in response.content.decode()
    viewer = sign_in(cast["rxn_viewer"])
    ok = SimpleUploadedFile("suppliers.csv", SUPPLIERS.encode(), "text/csv")
    assert viewer.post("/organisations/RXN/suppliers/upload/", {"file": ok}).status_code == 403
    other = sign_in(cast["rt5_lead"])
    assert other.get("/organisations/RXN/suppliers/upload/").status_code == 404
    assert Supplier.objects.count() == 0


FIRST = b"Date,Supplier,Amount\n13/04/2023,Acme Ltd,100.00\n14/04/2023,Bolt Ltd,50.00\n"
CORRECTED = b"Date,Supplier,Amount\n13/04/2023,Acme Ltd,100.00\n14/04/2023,Bolt Ltd,55.00\n"


def _upload(client, name, content, **extra):
    return client.post(
        "/imports/spend/",
        {"organisation": "RXN", "files": [SimpleUploadedFile(name, content, "text/csv")], **extra},
    )


def test_a_web_upload_may_name_the_import_it_corrects(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    _upload(client, "april.csv", FIRST)
    first = Import.objects.get()
    refused = _upload(client, "fixed.csv", CORRECTED, replaces="999")
    assert refused.status_code == 400
    assert "Import 999 is not a finished ledger import" in refused.content.decode()
    response = _upload(client, "fixed.csv", CORRECTED, replaces=str(first.pk))
    second = Import.objects.exclude(pk=first.pk).get()
    assert second.replaces == first
    counted = SpendGroup.objects.counted()
    assert sum(group.amount for group in counted) == D("155.00")
    page = client.get(response["Location"]).content.decode()
    assert f'april.csv of <a href="/imports/{first.pk}/">import {first.pk}</a>' in page
    earlier = client.get(f"/imports/{first.pk}/").content.decode()
    assert f'april.csv was replaced by <a href="/imports/{second.pk}/">' in earlier
    assert "/organisations/RXN/spend/" in page
