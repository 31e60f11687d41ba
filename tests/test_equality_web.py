"""The web pages for workforce equality, outpatient and carbon imports (ADR 024): upload with
the report shown, the organisation's settings, and the computed figures with how each was
worked out. Leads only; every page scoped to the organisations the user leads."""

from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socialvalue.equality.models import EqualitySettingChange, EqualitySettings, RecruitmentCount
from socialvalue.imports.models import Import
from tests.helpers import table_rows

FIXTURES = Path(__file__).parent / "fixtures" / "equality"


def file_upload(name):
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), content_type="text/csv")


def upload(client, kind, *names, org="RXN"):
    return client.post(
        f"/imports/upload/{kind}/",
        {"organisation": org, "files": [file_upload(n) for n in names]},
    )


def test_upload_saves_and_shows_the_report(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    page = client.get("/imports/upload/recruitment/").content.decode()
    assert "Recruitment files (WRES indicator 2, WDES metric 2)" in page
    response = upload(client, "recruitment", "rxn-wres-wdes-recruitment-2022-2023.csv")
    record = Import.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{record.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "The files were imported: saved 10 recruitment counts." in html
    assert table_rows(html, "files")[0][:4] == (
        "rxn-wres-wdes-recruitment-2022-2023.csv",
        "Accepted",
        "counts by group",
        "10",
    )
    assert RecruitmentCount.objects.count() == 10


def test_bad_rows_are_listed_with_file_row_and_column(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    response = upload(
        client,
        "recruitment",
        "rxn-wres-wdes-recruitment-2022-2023.csv",
        "rxn-wres-recruitment-bad-rows.csv",
    )
    html = client.get(response["Location"]).content.decode()
    assert "Nothing was saved: fix the problems listed below" in html
    assert table_rows(html, "problems")[0] == (
        "rxn-wres-recruitment-bad-rows.csv, row 3, column Number of shortlisted applicants",
        "'ten' is not a whole number of people",
    )
    assert RecruitmentCount.objects.count() == 0


def test_upload_pages_are_for_leads_of_the_organisation_only(cast, sign_in, client):
    viewer = sign_in(cast["rxn_viewer"])
    assert viewer.get("/imports/upload/paper/").status_code == 403
    assert viewer.get("/equality/settings/").status_code == 403
    assert viewer.get("/equality/figures/").status_code == 403
    client.logout()
    other = sign_in(cast["rt5_lead"])
    response = upload(other, "paper", "rxn-paper-orders-2022-2024.csv", org="RXN")
    assert response.status_code == 400 and not Import.objects.exists()
    assert other.get("/equality/figures/?org=RXN").status_code == 404
    assert other.get("/imports/upload/spendy/").status_code == 404


def test_the_upload_needs_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["rxn_lead"])
    assert upload(client, "paper", "rxn-paper-orders-2022-2024.csv").status_code == 403


def test_a_lead_sets_the_assumptions_and_the_figures_show_them(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    page = client.get("/equality/settings/?org=RXN").content.decode()
    assert 'value="8c,8d,9,VSM"' in page and 'value="10"' in page
    response = client.post(
        "/equality/settings/?org=RXN",
        {
            "round_trip_km": "48",
            "car_percent": "88",
            "bus_percent": "3",
            "rail_percent": "8",
            "travel_source": "Published audit: 24 km each way",
            "senior_bands": "8c, 8d, 9, VSM",
            "unstable_below": "10",
            "suppress_below": "11",
        },
    )
    assert response.status_code == 302
    saved = EqualitySettings.objects.get(organisation__code="RXN")
    assert (saved.round_trip_km, saved.car_share, saved.rail_share) == (
        D(48),
        D("0.88"),
        D("0.08"),
    )
    assert saved.senior_bands == "8c,8d,9,VSM" and saved.updated_by == cast["rxn_lead"]
    upload(client, "outpatients", "rxn-outpatients-by-medium-2023-24.csv")
    html = client.get("/equality/figures/?org=RXN&year=2023/24").content.decode()
    assert "25.0% virtual (12000 of 48000)" in html
    # No factor set imported yet: the travel figure says what it needs, and shows the settings.
    assert "no avoided travel figure: needs a DESNZ factor set (import factors)" in html
    assert "car 88.0%, bus 3.0%, rail 8.0%" in html
    assert "Published audit: 24 km each way" in html


def test_every_change_of_a_setting_is_kept_with_who_and_when(cast, sign_in, orgs):
    """By hand: the first save changes the round trip ((none) → 48), the car share ((none) →
    88%) and the senior bands (the default 8c,8d,9,VSM → 8c,8d); the second changes the round
    trip again (48 → 52); a third with nothing new adds nothing."""
    client = sign_in(cast["rxn_lead"])
    base = {"senior_bands": "8c,8d", "unstable_below": "10", "suppress_below": "11"}
    first = {**base, "round_trip_km": "48", "car_percent": "88"}
    assert client.post("/equality/settings/?org=RXN", first).status_code == 302
    assert client.post("/equality/settings/?org=RXN", {**first, "round_trip_km": "52.0"})
    client.post("/equality/settings/?org=RXN", {**first, "round_trip_km": "52"})
    changes = EqualitySettingChange.objects.filter(organisation=orgs["RXN"])
    assert [(c.setting, c.old_value, c.new_value, c.changed_by) for c in changes] == [
        ("round_trip_km", "(none)", "48", cast["rxn_lead"]),
        ("car_share", "(none)", "88%", cast["rxn_lead"]),
        ("senior_bands", "8c,8d,9,VSM", "8c,8d", cast["rxn_lead"]),
        ("round_trip_km", "48", "52", cast["rxn_lead"]),
    ]
    rows = table_rows(client.get("/equality/settings/?org=RXN").content.decode(), "setting-changes")
    # Newest first, each naming who and the setting as the form does.
    who = str(cast["rxn_lead"])
    assert [row[1:] for row in rows] == [
        (who, "Round-trip distance per outpatient appointment (km): 48 → 52"),
        (who, "Round-trip distance per outpatient appointment (km): (none) → 48"),
        (who, "Share of journeys by car: (none) → 88%"),
        (who, "Pay bands counted as senior roles: 8c,8d,9,VSM → 8c,8d"),
    ]


def test_a_setting_saved_when_its_figures_cannot_be_worked_out_is_not_kept(
    cast, sign_in, orgs, monkeypatch
):
    """All or nothing: the settings, their history and the figures worked out from them."""
    from socialvalue.equality import services

    def broken(organisation):
        raise RuntimeError("the figures could not be worked out")

    monkeypatch.setattr(services, "refresh_indicators", broken)
    client = sign_in(cast["rxn_lead"])
    data = {"senior_bands": "8c", "unstable_below": "10", "suppress_below": "11"}
    with pytest.raises(RuntimeError):
        client.post("/equality/settings/?org=RXN", {**data, "round_trip_km": "48"})
    assert not EqualitySettings.objects.exists()
    assert not EqualitySettingChange.objects.exists()


@pytest.mark.parametrize(
    ("posted", "error"),
    [
        ({"car_percent": "90", "bus_percent": "20"}, "The shares of journeys add up to more"),
        ({"round_trip_km": "-4"}, "Ensure this value is greater than or equal to 0.01"),
        ({"unstable_below": "0"}, "Ensure this value is greater than or equal to 1"),
    ],
)
def test_settings_that_make_no_sense_are_refused(cast, sign_in, posted, error):
    client = sign_in(cast["rxn_lead"])
    data = {"senior_bands": "8c", "unstable_below": "10", "suppress_below": "11", **posted}
    response = client.post("/equality/settings/?org=RXN", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not EqualitySettings.objects.exists()


def test_the_figures_page_explains_each_figure(cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    upload(client, "recruitment", "rxn-wres-wdes-recruitment-2022-2023.csv")
    record = Import.objects.get()
    html = client.get("/equality/figures/?org=RXN&year=2022/23").content.decode()
    assert "How this was worked out" in html
    assert (
        "WRES 2: (White appointed 250 ÷ White shortlisted 1000) ÷ (BME appointed 120 ÷ BME "
        "shortlisted 800) = 1.67." in html
    )
    assert f'href="/imports/{record.pk}/">import {record.pk}</a>: ' in html
    assert "No figure: nothing imported for 2022/23." in html  # the survey, for one


def test_factor_sets_are_listed_per_year(cast, sign_in):
    from tests.test_equality_imports import DESNZ_2024, run

    if not DESNZ_2024.exists():
        pytest.skip(f"the DESNZ 2024 flat file is not at {DESNZ_2024}")
    run("factors", str(DESNZ_2024), "--org", "RXN")
    record = Import.objects.get()
    html = sign_in(cast["rxn_lead"]).get("/equality/figures/?org=RXN").content.decode()
    assert (
        "DESNZ GHG conversion factors 2024 (version 1.1): " in html
        and f">import {record.pk}</a>" in html
    )
