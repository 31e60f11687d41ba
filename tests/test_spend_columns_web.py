"""A lead says which column is which in a ledger whose column names we do not know (issue 14
item 1), in the web app; the layout is remembered for the organisation's next files.

The file: the KICO excerpt (tests/fixtures, real lines of King's College Hospital's June 2020
file) with its date, supplier and amount columns renamed `Paid On`, `Creditor` and `Gross`,
as another finance system might name them. Expected totals are summed here with the `csv`
module over the `Gross` column (£3,288,104.36 for the 36 lines, as tests/test_import_jobs.py
has it for the original names), not with the product's reader.
"""

import csv
import io
import json
from decimal import Decimal
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from socialvalue.imports.models import Import, LedgerLayout, SpendGroup, State

EXCERPT = Path(__file__).parent / "fixtures" / "kico-2020-06-spend-excerpt.csv"
ORIGINAL_HEADER = (
    b"Department Family,Entuty,Financial Year,Financial Period,Date,Expense Type,"
    b"Expense Area,Supplier,Transaction Number,Amount,Description"
)
RENAMED_HEADER = (
    b"Department Family,Entuty,Financial Year,Financial Period,Paid On,Expense Type,"
    b"Expense Area,Creditor,Transaction Number,Gross,Description"
)
# Column indexes in the file: E (4) Paid On, H (7) Creditor, J (9) Gross.
PAID_ON, CREDITOR, GROSS = "column_4", "column_7", "column_9"


def renamed() -> bytes:
    content = EXCERPT.read_bytes()
    assert content.startswith(ORIGINAL_HEADER)
    return RENAMED_HEADER + content[len(ORIGINAL_HEADER) :]


def july() -> bytes:
    """The same columns, another file: the excerpt's first ten lines in reverse order."""
    header, *lines = renamed().split(b"\r\n")
    return b"\r\n".join([header, *reversed([line for line in lines if line][:10])]) + b"\r\n"


def gross_total(content: bytes) -> Decimal:
    rows = csv.DictReader(io.StringIO(content.decode("utf-8"), newline=""))
    return sum((Decimal(r["Gross"].replace(",", "").strip()) for r in rows), Decimal(0))


def upload(client, name, content, org="RXN"):
    return client.post(
        "/imports/spend/",
        {"organisation": org, "files": [SimpleUploadedFile(name, content, "text/csv")]},
    )


class Selects(HTMLParser):
    """Each select's id and the value of its selected option."""

    def __init__(self, html):
        super().__init__()
        self.chosen, self.current = {}, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.current = attrs["id"]
            self.chosen[self.current] = None
        elif tag == "option" and "selected" in attrs:
            self.chosen[self.current] = attrs.get("value")


def choices(page_html, **changes) -> dict:
    """The form as the page prefills it, with some selects changed."""
    data = {
        key.removeprefix("id_"): value or "" for key, value in Selects(page_html).chosen.items()
    }
    data["date_order"] = ""
    return data | changes


def refused_import(client) -> Import:
    response = upload(client, "renamed.csv", renamed())
    assert response.status_code == 302
    record = Import.objects.get()
    assert record.state == State.FAILED
    return record


def confirmed_layout(client) -> LedgerLayout:
    """A refused upload's columns confirmed on its page (Paid On, Creditor, Gross)."""
    record = refused_import(client)
    html = client.get(f"/imports/{record.pk}/columns/").content.decode()
    client.post(
        f"/imports/{record.pk}/columns/",
        choices(html, **{PAID_ON: "date", CREDITOR: "supplier", GROSS: "amount"}),
    )
    return LedgerLayout.objects.get()


def test_a_lead_says_which_column_is_which_and_the_file_is_imported(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    record = refused_import(client)
    page = client.get(f"/imports/{record.pk}/").content.decode()
    assert "renamed.csv, row 1" in page and "the header row has no column for date" in page
    assert "Tell us which column is which" in page
    assert f'href="/imports/{record.pk}/columns/"' in page

    form_page = client.get(f"/imports/{record.pk}/columns/")
    assert form_page.status_code == 200
    html = form_page.content.decode()
    # Every named column of the file, labelled, with a few of its values as its hint.
    for label in ("Paid On (column E)", "Creditor (column H)", "Gross (column J)"):
        assert label in html
    assert 'for="id_column_4"' in html and 'id="id_column_4"' in html
    assert "Values in the file: 03-May-20, 01-Jun-20, 04-Jun-20" in html
    assert "Values in the file: 28,300.51, 500,000.00, 26,880.00" in html
    assert 'aria-describedby="id_column_4-hint"' in html
    assert "<fieldset" in html and "<legend" in html and "Columns of renamed.csv" in html
    # Prefilled from the alias list; the unknown names are not guessed.
    chosen = Selects(html).chosen
    assert chosen["id_column_5"] == "expense_type"
    assert chosen["id_column_8"] == "transaction_number"
    assert chosen["id_column_1"] == "body"
    assert chosen[f"id_{PAID_ON}"] == chosen[f"id_{CREDITOR}"] == chosen[f"id_{GROSS}"] == ""

    # Bad choices: no date, no amount, the supplier twice. Nothing is saved.
    bad = client.post(
        f"/imports/{record.pk}/columns/",
        choices(html, **{CREDITOR: "supplier", GROSS: "supplier"}),
    )
    assert bad.status_code == 400
    errors = bad.content.decode()
    assert "There is a problem" in errors
    assert "Select the column that holds the payment date" in errors
    assert "Select the column that holds the amount paid" in errors
    assert (
        "Select supplier for one column only: it is also selected for &#39;Gross&#39; (column J)"
        in errors
    )
    assert (
        "Select supplier for one column only: it is also selected for &#39;Creditor&#39; "
        "(column H)" in errors
    )
    assert 'href="#columns"' in errors and f'href="#id_{GROSS}"' in errors
    assert "<title>Error:" in errors
    assert LedgerLayout.objects.count() == 0 and Import.objects.count() == 1
    # The page keeps what was chosen.
    assert Selects(errors).chosen[f"id_{GROSS}"] == "supplier"

    good = client.post(
        f"/imports/{record.pk}/columns/",
        choices(html, **{PAID_ON: "date", CREDITOR: "supplier", GROSS: "amount"}),
    )
    assert good.status_code == 302
    layout = LedgerLayout.objects.get()
    assert layout.organisation.code == "RXN"
    assert layout.confirmed_in == record
    assert layout.mapping == {
        "columns": {
            "department_family": "Department Family",
            "body": "Entuty",
            "date": "Paid On",
            "expense_type": "Expense Type",
            "expense_area": "Expense Area",
            "supplier": "Creditor",
            "transaction_number": "Transaction Number",
            "amount": "Gross",
            "description": "Description",
        },
        "has_header": True,
        "date_order": None,
    }
    again = Import.objects.exclude(pk=record.pk).get()
    assert good["Location"] == f"/imports/{again.pk}/"
    assert again.retry_of == record and again.created_by == cast["rxn_lead"]
    assert again.state == State.DONE, again.report
    assert [f.name for f in again.files.all()] == ["renamed.csv"]
    assert again.report["files"][0]["layout"]["remembered_layout"] == layout.pk
    expected = gross_total(renamed())
    assert expected == Decimal("3288104.36")
    groups = SpendGroup.objects.filter(import_record=again)
    assert sum(group.lines for group in groups) == 36
    assert sum(group.amount for group in groups) == expected
    assert Decimal(again.report["total_amount"]) == expected
    # The refused import's page now points to the import that read its files again, and no
    # longer asks.
    page = client.get(f"/imports/{record.pk}/").content.decode()
    assert f'imported again as <a href="/imports/{again.pk}/">import {again.pk}</a>' in page
    assert "Tell us which column is which" not in page
    assert client.get(f"/imports/{record.pk}/columns/").status_code == 302
    assert (
        f'The files of <a href="/imports/{record.pk}/">'
        in client.get(good["Location"]).content.decode()
    )

    # The next file with the same column names goes in at once.
    second = july()
    response = upload(client, "renamed-july.csv", second)
    latest = Import.objects.order_by("-pk").first()
    assert response["Location"] == f"/imports/{latest.pk}/"
    assert latest.state == State.DONE and latest.retry_of is None
    assert latest.report["files"][0]["layout"]["remembered_layout"] == layout.pk
    assert sum(group.amount for group in SpendGroup.objects.counted()) == expected + gross_total(
        second
    )
    assert "Tell us which column is which" not in client.get(response["Location"]).content.decode()


def test_a_date_order_given_on_the_page_is_remembered(cast, sign_in):
    content = b"Paid On,Creditor,Gross\n01/04/2023,Acme Ltd,10.00\n02/04/2023,Bolt Ltd,5.50\n"
    client = sign_in(cast["rxn_lead"])
    upload(client, "ambiguous.csv", content)
    record = Import.objects.get()
    form = {"column_0": "date", "column_1": "supplier", "column_2": "amount", "date_order": ""}
    # Every date could be read either way: without a date order the new import is refused,
    # saying so.
    client.post(f"/imports/{record.pk}/columns/", form)
    unsettled = Import.objects.get(retry_of=record)
    assert unsettled.state == State.FAILED
    assert "say which in the column mapping" in json.dumps(unsettled.report)
    LedgerLayout.objects.all().delete()
    # Giving it (a new upload of the file, asked about again):
    upload(client, "ambiguous.csv", content)
    fresh = Import.objects.order_by("-pk").first()
    response = client.post(f"/imports/{fresh.pk}/columns/", form | {"date_order": "month-first"})
    assert response.status_code == 302
    done = Import.objects.get(retry_of=fresh)
    assert done.state == State.DONE
    assert done.report["earliest"] == "2023-01-04" and done.report["latest"] == "2023-02-04"
    assert LedgerLayout.objects.get().mapping["date_order"] == "month-first"


def test_a_column_name_given_twice_cannot_be_remembered(cast, sign_in):
    content = b"Paid On,Creditor,Gross,Gross\n12-May-20,Acme Ltd,10.00,12.00\n"
    client = sign_in(cast["rxn_lead"])
    upload(client, "twice.csv", content)
    record = Import.objects.get()
    html = client.get(f"/imports/{record.pk}/columns/").content.decode()
    assert "Gross (column C)" in html and "Gross (column D)" in html
    response = client.post(
        f"/imports/{record.pk}/columns/",
        {"column_0": "date", "column_1": "supplier", "column_2": "amount", "column_3": ""},
    )
    assert response.status_code == 400
    assert "Columns C and D have the same name, &#39;Gross&#39;" in response.content.decode()
    assert LedgerLayout.objects.count() == 0


def test_a_column_name_that_folds_to_nothing_cannot_be_remembered(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    upload(client, "brackets.csv", b"Paid On,Creditor,(GBP)\n12-May-20,Acme Ltd,10.00\n")
    record = Import.objects.get()
    response = client.post(
        f"/imports/{record.pk}/columns/",
        {"column_0": "date", "column_1": "supplier", "column_2": "amount"},
    )
    assert response.status_code == 400
    assert "The name of column C, &#39;(GBP)&#39;, has no letters" in response.content.decode()
    assert LedgerLayout.objects.count() == 0


def test_sample_values_that_may_be_peoples_names_are_not_shown(cast, sign_in):
    content = (
        b"Paid On,Payee Ref,Gross\n"
        b"12-May-20,Mr J Smith,10.00\n13-May-20,SMITH, JOHN,5.00\n14-May-20,Acme Ltd,1.00\n"
    ).replace(b"SMITH, JOHN", b'"SMITH, JOHN"')
    client = sign_in(cast["rxn_lead"])
    upload(client, "people.csv", content)
    html = client.get(f"/imports/{Import.objects.get().pk}/columns/").content.decode()
    assert "Smith" not in html and "SMITH" not in html
    assert "Values in the file: Acme Ltd (names of people not shown)" in html


def test_only_the_organisations_leads_see_confirm_and_forget(cast, sign_in):
    lead = sign_in(cast["rxn_lead"])
    layout = confirmed_layout(lead)
    record = layout.confirmed_in  # the refused import whose page asked
    listing = lead.get("/imports/").content.decode()
    assert f"Layout {layout.pk}" in listing
    assert "Payment date: &#39;Paid On&#39;; Expense type" in listing
    assert f'action="/imports/layouts/{layout.pk}/forget/"' in listing

    other = sign_in(cast["rt5_lead"])
    assert other.get(f"/imports/{record.pk}/columns/").status_code == 404
    assert other.post(f"/imports/{record.pk}/columns/", {}).status_code == 404
    assert other.post(f"/imports/layouts/{layout.pk}/forget/").status_code == 404
    assert f"Layout {layout.pk}" not in other.get("/imports/").content.decode()
    # Another organisation's file in those columns is not read with RXN's layout.
    upload(other, "renamed.csv", renamed(), org="RT5")
    assert Import.objects.filter(organisation__code="RT5").get().state == State.FAILED

    viewer = sign_in(cast["rxn_viewer"])
    assert viewer.get(f"/imports/{record.pk}/columns/").status_code == 403
    assert viewer.post(f"/imports/layouts/{layout.pk}/forget/").status_code == 403
    assert LedgerLayout.objects.filter(pk=layout.pk).exists()

    lead = sign_in(cast["rxn_lead"])
    assert lead.get(f"/imports/layouts/{layout.pk}/forget/").status_code == 405
    response = lead.post(f"/imports/layouts/{layout.pk}/forget/")
    assert response.status_code == 302 and response["Location"] == "/imports/"
    assert not LedgerLayout.objects.exists()
    assert f"Layout {layout.pk} forgotten" in lead.get("/imports/").content.decode()
    # Forgotten: the next file in those columns is asked about again.
    upload(lead, "renamed-july.csv", july())
    latest = Import.objects.order_by("-pk").first()
    assert latest.state == State.FAILED
    assert "Tell us which column is which" in lead.get(f"/imports/{latest.pk}/").content.decode()


def test_the_columns_page_needs_a_csrf_token(cast, sign_in):
    record = refused_import(sign_in(cast["rxn_lead"]))
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["rxn_lead"])
    html = client.get(f"/imports/{record.pk}/columns/").content.decode()
    form = choices(html, **{PAID_ON: "date", CREDITOR: "supplier", GROSS: "amount"})
    assert client.post(f"/imports/{record.pk}/columns/", form).status_code == 403
    assert not LedgerLayout.objects.exists()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(f"/imports/{record.pk}/columns/", form | {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and LedgerLayout.objects.count() == 1


def test_a_layout_confirmed_in_the_web_is_used_by_the_command(cast, sign_in, tmp_path):
    client = sign_in(cast["rxn_lead"])
    layout = confirmed_layout(client)
    path = tmp_path / "renamed-july.csv"
    path.write_bytes(july())
    # A dry run reads the file as the import will, with the remembered layout; saves nothing.
    imports = Import.objects.count()
    out, err = StringIO(), StringIO()
    call_command(
        "import", "spend", str(path), "--org", "RXN", "--dry-run", "--json", stdout=out, stderr=err
    )
    dry = json.loads(out.getvalue())
    assert dry["problems"] == [] and Decimal(dry["total_amount"]) == gross_total(july())
    assert Import.objects.count() == imports
    out, err = StringIO(), StringIO()
    call_command("import", "spend", str(path), "--org", "RXN", "--json", stdout=out, stderr=err)
    report = json.loads(out.getvalue())
    assert report["state"] == "done"
    assert report["files"][0]["layout"]["remembered_layout"] == layout.pk
    assert Decimal(report["total_amount"]) == gross_total(july())
    # Not for another organisation.
    with pytest.raises(SystemExit):
        call_command("import", "spend", str(path), "--org", "RT5", stdout=StringIO(), stderr=err)


def test_the_row_the_reader_found_is_the_one_asked_about(cast, sign_in):
    # A banner as wordy as the header: the reader's problem names row 2, which has a
    # supplier and an expense type but no date or amount it knows.
    content = (
        b"Spend over threshold report,Trust,April,Published\n"
        b"Paid On,Supplier,Expense Type,Gross\n"
        b"12-May-20,Acme Ltd,Stock,10.00\n"
    )
    client = sign_in(cast["rxn_lead"])
    upload(client, "banner.csv", content)
    record = Import.objects.get()
    assert record.report["problems"][0]["row"] == 2
    html = client.get(f"/imports/{record.pk}/columns/").content.decode()
    assert "look like they are in row 2" in html
    assert "Paid On (column A)" in html and "Gross (column D)" in html
    chosen = Selects(html).chosen
    assert (chosen["id_column_1"], chosen["id_column_2"]) == ("supplier", "expense_type")


@pytest.mark.parametrize(
    "content",
    [
        b"1,2,3\n4,5,6\n",  # no row of names at all
        # a header in the middle of the data: refused for where it is, not for its names
        b"12-May-20,Acme Ltd,1.00\n" * 60 + b"Date,Supplier,Amount\n12-May-20,Acme Ltd,1.00\n",
    ],
    ids=["no-names", "header-too-low"],
)
def test_no_question_when_naming_the_columns_would_not_help(cast, sign_in, content):
    client = sign_in(cast["rxn_lead"])
    upload(client, "odd.csv", content)
    record = Import.objects.get()
    assert record.state == State.FAILED
    page = client.get(f"/imports/{record.pk}/").content.decode()
    assert "Tell us which column is which" not in page
    assert client.get(f"/imports/{record.pk}/columns/").status_code in (302, 404)


def test_the_list_describes_a_layout_given_by_column_letters_on_the_command_line(
    cast, sign_in, orgs
):
    LedgerLayout.objects.create(
        organisation=orgs["RXN"],
        mapping={
            "columns": {"date": "B", "supplier": "C", "amount": "D"},
            "has_header": False,
            "date_order": "day-first",
        },
    )
    html = sign_in(cast["rxn_lead"]).get("/imports/").content.decode()
    assert (
        "Payment date: column B; Supplier: column C; Amount paid: column D; no header row; "
        "dates day first" in html
    )
