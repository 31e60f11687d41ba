"""The values sheet page (download, upload, check, confirm) and the status export.

Charter WEB (RXN, 2023/24): COUNT (quarterly count, target 100, owned by owner@rxn.test),
SHARE (annual share, target 25%) and TALK (annual, maintain). 2023/24 has ended on the
real date the pages run on, so each figure is final.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from socialvalue.charters.services import charter_set_self_approval
from socialvalue.domain.periods import Period
from socialvalue.domain.status import Status
from socialvalue.measurements import services
from socialvalue.measurements.models import Measurement, ReviewState
from socialvalue.measurements.sheet_views import PENDING
from tests.factories import CharterFactory, IndicatorFactory, PledgeFactory, ThemeFactory


@pytest.fixture
def charter(cast, orgs):
    charter = CharterFactory(code="WEB", organisation=orgs["RXN"], years=[2023])
    pledge = PledgeFactory(theme=ThemeFactory(charter=charter))
    IndicatorFactory(
        pledge=pledge,
        code="COUNT",
        title='=HYPERLINK("http://evil.example")',
        target_params={"value": 100},
        owner=cast["rxn_owner"],
        position=1,
    )
    IndicatorFactory(
        pledge=pledge,
        code="SHARE",
        target_kind="share",
        target_params={"target_percent": 25},
        frequency="annual",
        position=2,
    )
    IndicatorFactory(
        pledge=pledge,
        code="TALK",
        target_kind="maintain",
        target_params={},
        frequency="annual",
        position=3,
    )
    return charter


def url(name, **query):
    path = reverse(f"measurements:{name}", args=["WEB"])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def record(cast, charter, code, key, *, approve=True, note="", **reading):
    measurement = services.measurement_record(
        actor=cast["rxn_lead"],
        indicator=charter.indicators.get(code=code),
        organisation=charter.organisation,
        period=Period.from_key(key),
        reading=services.Reading(**reading),
        note=note,
    )
    if approve:  # by another person: nobody approves what they recorded
        services.measurement_approve(actor=cast["rxn_admin"], measurement=measurement)
    return measurement


def test_who_may_use_the_values_sheet(sign_in, charter, cast):
    client = sign_in(cast["rxn_viewer"])
    assert client.get(url("view_values_sheet")).status_code == 403
    assert client.get(url("download_values_sheet")).status_code == 403
    page = client.get(reverse("charters:view_charter", args=["WEB"]))
    assert "Values sheet" not in page.content.decode()

    client = sign_in(cast["rt5_lead"])  # another trust: the charter is not even found
    assert client.get(url("view_values_sheet")).status_code == 404

    client = sign_in(cast["rxn_lead"])
    page = client.get(reverse("charters:view_charter", args=["WEB"]) + "?year=2023/24")
    assert url("view_values_sheet", year="2023/24") in page.content.decode()
    page = client.get(url("view_values_sheet"))
    assert page.status_code == 200
    assert url("export_charter", year="2023/24", format="csv").replace("&", "&amp;") in (
        page.content.decode()
    )

    # An indicator owner gets a sheet of their own indicators, and no status export; they
    # are not offered to approve as they record, having no right to approve.
    client = sign_in(cast["rxn_owner"])
    mine = client.get(reverse("measurements:my_indicators")).content.decode()
    assert url("view_values_sheet", year="2023/24") in mine
    page = client.get(url("view_values_sheet"))
    assert page.status_code == 200 and "Status and values" not in page.content.decode()
    content = b"charter,indicator,organisation,period,value\r\nWEB,COUNT,RXN,2023/24-Q1,4\r\n"
    page = client.post(url("check_values_sheet"), {"sheet": SimpleUploadedFile("o.csv", content)})
    assert "Record 1 value" in page.content.decode()
    assert 'name="approve"' not in page.content.decode()
    rows = csv_rows(client.get(url("download_values_sheet", format="csv", fill="blank")))
    assert [(r["indicator"], r["period"]) for r in rows] == [
        ("COUNT", f"2023/24-Q{q}") for q in (1, 2, 3, 4)
    ]
    assert client.get(url("export_charter")).status_code == 403


def test_upload_check_and_confirm_in_the_web_app(sign_in, charter, cast):
    # A one-person team: the lead may approve what they record, so the upload can approve.
    charter_set_self_approval(actor=cast["rxn_lead"], charter=charter, allowed=True)
    client = sign_in(cast["rxn_lead"])
    response = client.get(url("download_values_sheet", year="2023/24", format="xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="WEB-values-2023-24.xlsx"'
    assert "no-store" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Values", "Indicators"]
    sheet = book["Values"]
    header = [c.value for c in sheet[1]]
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "COUNT", "COUNT", "COUNT", "COUNT", "SHARE", "TALK"
    ]  # fmt: skip
    sheet.cell(2, header.index("value") + 1, 40)
    sheet.cell(3, header.index("value") + 1, 25)
    sheet.cell(7, header.index("self_status") + 1, "on_track")
    sheet.cell(7, header.index("narrative") + 1, "Kept up")
    filled = io.BytesIO()
    book.save(filled)

    upload = SimpleUploadedFile("web.xlsx", filled.getvalue())
    page = client.post(url("check_values_sheet"), {"sheet": upload})
    text = page.content.decode()
    assert page.status_code == 200, text
    assert "Record 3 values" in text and 'name="approve"' in text
    summary = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text.split("<dl")[1].split("</dl>")[0]))
    assert "Rows read 6 Empty rows, skipped 3 New values 3 Corrections 0 Unchanged 0" in summary
    assert not Measurement.objects.exists()  # checking saves nothing

    response = client.post(
        url("confirm_values_sheet"),
        {"token": client.session[PENDING]["token"], "approve": "on"},
    )
    assert response.status_code == 302
    assert PENDING not in client.session
    values = Measurement.objects.order_by("pk")
    assert [(m.indicator.code, m.period.key, m.state) for m in values] == [
        ("COUNT", "2023/24-Q1", ReviewState.APPROVED),
        ("COUNT", "2023/24-Q2", ReviewState.APPROVED),
        ("TALK", "2023/24", ReviewState.APPROVED),
    ]
    assert values[0].source.inputs["file"] == "web.xlsx" and values[0].source.inputs["rows"] == [2]
    page = client.get(response["Location"])
    assert "web.xlsx: 3 new values and 0 corrections recorded; 3 approved" in page.content.decode()

    # The indicator's history says where each value came from and that it was approved so.
    history = client.get(reverse("measurements:view_indicator", args=["WEB", "COUNT"]))
    text = history.content.decode()
    assert "From values sheet web.xlsx, worksheet Values, row 2" in text
    # … and links to how it was worked out: the sheet, worksheet and row.
    source_url = reverse("measurements:view_source", args=[values[0].pk])
    assert f'href="{source_url}"' in text
    source_page = client.get(source_url).content.decode()
    assert "A values sheet" in source_page and "values sheet web.xlsx" in source_page
    assert "Approved on import of values sheet web.xlsx, worksheet Values, row 2" in text

    # Downloaded again, the sheet shows what was filled in.
    again = client.get(url("download_values_sheet", year="2023/24", format="xlsx"))
    assert list(load_workbook(io.BytesIO(again.content))["Values"].values) == list(
        load_workbook(io.BytesIO(filled.getvalue()))["Values"].values
    )

    # The same sheet again: nothing to record.
    upload = SimpleUploadedFile("web.xlsx", filled.getvalue())
    page = client.post(url("check_values_sheet"), {"sheet": upload})
    assert "Nothing in the sheet differs from what is recorded" in page.content.decode()
    assert Measurement.objects.count() == 3

    # The status export now shows what the sheet recorded: 40 + 25 = 65 of a target of 100.
    rows = csv_rows(client.get(url("export_charter", year="2023/24", format="csv")))
    count = next(r for r in rows if r["indicator"] == "COUNT")
    assert (count["actual"], count["status"]) == ("65", Status.MISSED.label)


def test_a_bad_sheet_shows_every_problem_with_row_and_column(sign_in, charter, cast):
    client = sign_in(cast["rxn_lead"])
    content = (
        b"charter,indicator,organisation,period,value,numerator,denominator\r\n"
        b"WEB,COUNT,RXN,2023/24-Q1,40,,\r\n"
        b"WEB,COUNT,RXN,2023/24-Q2,lots,,\r\n"
        b"WEB,SHARE,RXN,2023/24,,9,4\r\n"
    )
    page = client.post(url("check_values_sheet"), {"sheet": SimpleUploadedFile("bad.csv", content)})
    text = page.content.decode()
    assert page.status_code == 400
    assert "2 problems in bad.csv: nothing has been saved" in text
    assert "E (value)" in text and "Enter a number, like 12 or 12.5, not lots" in text
    assert "F (numerator)" in text and "numerator must not be more than the denominator" in text
    assert PENDING not in client.session
    response = client.post(url("confirm_values_sheet"), {"token": "anything"})
    assert response.status_code == 302
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sheet.txt", b"charter\r\n", "The values sheet must be an XLSX or CSV file"),
        ("sheet.csv", b"x" * (2 * 1024 * 1024 + 1), "The values sheet must be smaller than 2 MB"),
        ("sheet.xlsx", b"%PDF-1.4 pretending", "sheet.xlsx is not an XLSX workbook"),
    ],
)
def test_uploads_are_checked_by_type_and_size(sign_in, charter, cast, name, content, message):
    client = sign_in(cast["rxn_lead"])
    page = client.post(url("check_values_sheet"), {"sheet": SimpleUploadedFile(name, content)})
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not Measurement.objects.exists()


def test_the_status_export_neutralises_formulas_in_csv_and_xlsx(sign_in, charter, cast):
    record(cast, charter, "COUNT", "2023/24-Q1", value=Decimal("-2"), note="=1+1")
    record(cast, charter, "TALK", "2023/24", self_status=Status.ON_TRACK, narrative="@SUM(A1)")
    record(cast, charter, "COUNT", "2023/24-Q2", value=Decimal(7), approve=False)
    client = sign_in(cast["rxn_lead"])

    status = csv_rows(client.get(url("export_charter", year="2023/24", format="csv")))
    assert status[0]["title"] == '\'=HYPERLINK("http://evil.example")'
    assert (status[0]["actual"], status[0]["waiting_for_approval"]) == ("-2", "1")
    values = csv_rows(
        client.get(url("export_charter", year="2023/24", format="csv", table="values"))
    )
    # Approved values only: the waiting Q2 figure is not counted.
    assert [
        (v["indicator"], v["period"], v["value"], v["note"], v["narrative"]) for v in values
    ] == [
        ("COUNT", "2023/24-Q1", "-2", "'=1+1", ""),
        ("TALK", "2023/24", "", "", "'@SUM(A1)"),
    ]

    response = client.get(url("export_charter", year="2023/24", format="xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="WEB-status-2023-24.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    title = book["Status"]["C2"]
    assert (title.value, title.data_type) == ('\'=HYPERLINK("http://evil.example")', "s")
    cells = {c.value: c for c in book["Values"][2] if c.value is not None}
    assert cells["'=1+1"].data_type == "s"
    assert -2 in cells  # a negative figure stays a number
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)
