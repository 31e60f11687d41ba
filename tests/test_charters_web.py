"""Charter pages through the web: signing in, who sees which charter, the charter page's
targets in plain words, and creating and editing charters, themes, pledges and indicators."""

import html
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from socialvalue.charters import services
from socialvalue.charters.models import Charter, Indicator, Pledge, ReportingPeriod, Theme
from socialvalue.domain.periods import FinancialYear
from socialvalue.measurements.progress import charter_progress
from tests.helpers import charter_rows

SCHEMA_FILE = (
    Path(__file__).resolve().parent.parent / "socialvalue" / "domain" / "charter.schema.json"
)
INDICATOR_LINK = re.compile(r'href="/charters/RXN-SV/indicators/([A-Za-z0-9-]+)/\?year=2023/24"')


def text_of(response) -> str:
    """The page as text, entities decoded (so "&amp;" reads "&")."""
    return html.unescape(response.content.decode())


def error_summary(response) -> str:
    """The NHS error summary box's contents, or "" when the page has none."""
    match = re.search(r'class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.DOTALL)
    return html.unescape(match.group(0)) if match else ""


# Signing in and out ----------------------------------------------------------------------


def test_sign_in_with_email_and_password_through_the_form(client, cast, password):
    response = client.post(
        "/sign-in/", {"email": "Lead@RXN.test", "password": password, "next": ""}
    )

    assert response.status_code == 302
    assert response.url == "/"
    assert int(client.session["_auth_user_id"]) == cast["rxn_lead"].pk
    home = client.get("/")
    assert home.status_code == 200
    assert "Sign out" in text_of(home)


def test_sign_in_with_wrong_password_shows_the_nhs_error_summary(client, cast):
    response = client.post("/sign-in/", {"email": "lead@rxn.test", "password": "wrong-password"})

    assert response.status_code == 400
    summary = error_summary(response)
    assert "There is a problem" in summary
    assert "Enter a correct email address and password" in summary
    assert "_auth_user_id" not in client.session
    # Still anonymous: the home page sends them back to sign in.
    assert client.get("/").status_code == 302


def test_sign_in_with_empty_fields_names_each_field(client, cast):
    response = client.post("/sign-in/", {"email": "", "password": ""})

    assert response.status_code == 400
    summary = error_summary(response)
    assert 'href="#id_email"' in summary and "Enter your email address" in summary
    assert 'href="#id_password"' in summary and "Enter your password" in summary


def test_anonymous_home_redirects_to_sign_in(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")
    assert "next=/" in response.url


def test_sign_in_follows_a_local_next_but_not_an_external_one(client, cast, password):
    local = client.post(
        "/sign-in/",
        {"email": "lead@rxn.test", "password": password, "next": "/my-indicators/"},
    )
    assert local.url == "/my-indicators/"
    client.logout()

    external = client.post(
        "/sign-in/",
        {"email": "lead@rxn.test", "password": password, "next": "https://evil.example/"},
    )
    assert external.url == "/"


def test_sign_out_needs_a_post(sign_in, cast):
    client = sign_in(cast["rxn_lead"])

    page = client.get("/sign-out/")
    assert page.status_code == 200
    assert '<form method="post"' in page.content.decode()
    assert "_auth_user_id" in client.session  # a GET signs nobody out

    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert response.url == "/sign-in/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


# Who sees which charter ------------------------------------------------------------------


def test_home_lists_only_the_users_own_charters(seeded, cast, sign_in):
    page = text_of(sign_in(cast["rxn_viewer"]).get("/"))

    assert "Lancashire Teaching Hospitals Social Value Charter" in page
    assert 'href="/charters/RXN-SV/"' in page
    assert "LPT-NHFT-SV" not in page
    assert "Leicestershire Partnership and Northamptonshire Healthcare Group" not in page
    # A viewer cannot create charters.
    assert "Create a charter" not in page


def test_home_shows_a_member_trust_its_groups_charter(seeded, cast, sign_in):
    page = text_of(sign_in(cast["rt5_lead"]).get("/"))

    assert 'href="/charters/LPT-NHFT-SV/"' in page
    assert "LPT and NHFT Group · LPT-NHFT-SV" in page
    assert "RXN-SV" not in page
    assert "Lancashire Teaching Hospitals Social Value Charter" not in page
    assert "Create a charter" in page  # a lead at RT5 may start RT5's own charter


@pytest.mark.parametrize(
    "url",
    [
        "/charters/LPT-NHFT-SV/",
        "/charters/LPT-NHFT-SV/progress/",
        "/charters/LPT-NHFT-SV/indicators/RES-01/",
        "/charters/LPT-NHFT-SV/edit/",
    ],
)
def test_another_trusts_charter_is_not_found(seeded, cast, sign_in, url):
    response = sign_in(cast["rxn_lead"]).get(url)

    assert response.status_code == 404
    assert "Leicestershire" not in text_of(response)


def test_a_group_member_cannot_see_an_unrelated_trusts_charter(seeded, cast, sign_in):
    client = sign_in(cast["rt5_lead"])

    assert client.get("/charters/RXN-SV/").status_code == 404
    assert client.get("/charters/RXN-SV/indicators/ECON-01/").status_code == 404
    # …but sees the group's charter, read only.
    group = client.get("/charters/LPT-NHFT-SV/")
    assert group.status_code == 200
    assert "Organisational Resilience" in text_of(group)
    assert "Edit the charter" not in text_of(group)


# The charter page ------------------------------------------------------------------------


def test_charter_page_shows_every_theme_and_indicator_with_plain_targets(seeded, cast, sign_in):
    response = sign_in(cast["rxn_viewer"]).get("/charters/RXN-SV/?year=2023/24")
    page = text_of(response)

    themes = re.findall(r'<h2 id="theme-([A-Z]+)">', page)
    assert themes == ["ECON", "EDU", "VOL", "ENV", "HWB", "LEAD", "SOC"]
    codes = INDICATOR_LINK.findall(response.content.decode())
    assert len(codes) == 38
    assert len(set(codes)) == 38
    assert set(codes) == set(seeded["RXN-SV"].indicators.values_list("code", flat=True))
    assert "Target for 2023/24" in page
    # Targets as the domain describes them.
    assert "At least 100 opportunities in 2023/24" in page  # EDU-03, work experience
    assert "Up 5% a year from the 2020/21 baseline" in page  # ECON-02, local spend
    assert page.count("Ratio between 0.8 and 1.2") == 4  # LEAD-03 … LEAD-06
    assert "Done by 31 March 2024 (every year)" in page  # ECON-05
    assert "At least 25% of outpatient appointments" in page  # ENV-02, the unit named
    assert "Down 5% on 2022/23" in page  # ENV-04
    assert "Increase (no number set yet)" in page
    assert "Growth from a baseline year · Quarterly" in page


def test_charter_page_row_holds_the_indicators_own_target(seeded, cast, sign_in):
    response = sign_in(cast["rxn_viewer"]).get("/charters/RXN-SV/?year=2023/24")
    rows = re.findall(
        r"<tr role=\"row\" class=\"nhsuk-table__row\">(.*?)</tr>", text_of(response), re.DOTALL
    )
    by_code = {re.search(r">([A-Z]+-\d+)</a>", row).group(1): row for row in rows}

    assert len(by_code) == 38
    assert "At least 100 opportunities in 2023/24" in by_code["EDU-03"]
    assert "Up 5% a year from the 2020/21 baseline" in by_code["ECON-02"]
    assert "Ratio between 0.8 and 1.2" in by_code["LEAD-03"]
    assert "Done by 31 March 2024" in by_code["HWB-04"]
    assert "Not assigned" in by_code["ECON-01"]


def test_charter_page_counts_target_reads_naturally(seeded, cast, sign_in):
    page = text_of(sign_in(cast["rxn_viewer"]).get("/charters/RXN-SV/?year=2023/24"))

    assert "2 research projects and 5 innovation projects in 2023/24" in page


def test_charter_page_shows_the_goal_once_the_baseline_is_known(seeded, cast, sign_in):
    lead = cast["rxn_lead"]
    indicator = (
        seeded["RXN-SV"].indicators.select_related("pledge__theme__charter").get(code="ECON-02")
    )
    services.indicator_save(
        actor=lead,
        pledge=indicator.pledge,
        indicator=indicator,
        code=indicator.code,
        title=indicator.title,
        description=indicator.description,
        unit=indicator.unit,
        frequency=indicator.frequency,
        source=indicator.source,
        method=indicator.method,
        target_kind=indicator.target_kind,
        target_params={**indicator.target_params, "baseline_value": 1000000},
    )
    indicator.refresh_from_db()
    assert indicator.target_params == {
        "baseline_period": "2020/21",
        "rate_percent": 5,
        "baseline_value": 1000000,
    }

    page = text_of(sign_in(cast["rxn_viewer"]).get("/charters/RXN-SV/?year=2023/24"))

    # 1,000,000 × 1.05³ (three years after 2020/21).
    assert "Up 5% a year from the 2020/21 baseline of £1,000,000: £1,157,625 for 2023/24" in page


def test_charter_page_for_a_year_it_does_not_report_falls_back(seeded, cast, sign_in):
    page = text_of(sign_in(cast["rxn_viewer"]).get("/charters/RXN-SV/?year=2031/32"))

    # RXN-SV only reports on 2023/24, so that is the year shown.
    assert "Target for 2023/24" in page
    assert "2031/32" not in page


# Who may edit ----------------------------------------------------------------------------


def _edit_urls(charter):
    indicator = charter.indicators.get(code="ECON-01")
    return [
        (
            "/charters/RXN-SV/edit/",
            {
                "title": "Hijacked",
                "years": "2023/24",
                "at_risk_below": "90",
                "off_track_below": "75",
            },
        ),
        ("/charters/RXN-SV/themes/new/", {"code": "NEW", "title": "New theme"}),
        ("/charters/RXN-SV/themes/ECON/edit/", {"code": "ECON", "title": "Renamed"}),
        ("/charters/RXN-SV/themes/ECON/pledges/new/", {"code": "NEW-P", "text": "A pledge"}),
        (
            "/charters/RXN-SV/indicators/ECON-01/edit/",
            {
                "code": "ECON-01",
                "title": "Renamed",
                "pledge": indicator.pledge_id,
                "frequency": "quarterly",
                "source": "manual",
                "target_kind": "count",
                "value": "999",
            },
        ),
    ]


@pytest.mark.parametrize("person", ["rxn_viewer", "rxn_owner"])
def test_viewers_and_indicator_owners_cannot_edit(seeded, cast, sign_in, person):
    charter = seeded["RXN-SV"]
    if person == "rxn_owner":
        charter.indicators.filter(code="ECON-01").update(owner=cast["rxn_owner"])
    client = sign_in(cast[person])
    before = charter_rows()

    for url, data in _edit_urls(charter):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url

    assert charter_rows() == before


@pytest.mark.parametrize("person", ["rxn_viewer", "rxn_owner"])
def test_charter_page_has_no_edit_links_for_viewers(seeded, cast, sign_in, person):
    page = text_of(sign_in(cast[person]).get("/charters/RXN-SV/?year=2023/24"))

    assert "Edit the" not in page
    assert "Add a theme" not in page
    assert "Add an indicator" not in page
    assert "/edit/" not in page
    assert "/indicators/new/" not in page


def test_charter_page_has_edit_links_for_the_lead(seeded, cast, sign_in):
    page = text_of(sign_in(cast["rxn_lead"]).get("/charters/RXN-SV/?year=2023/24"))

    assert 'href="/charters/RXN-SV/edit/"' in page
    assert page.count("Edit the theme") == 7
    assert page.count("Edit the pledge") == 7
    assert page.count("Add an indicator") == 7
    assert 'href="/charters/RXN-SV/themes/ECON/edit/"' in page
    assert 'href="/charters/RXN-SV/themes/new/"' in page


def test_indicator_page_offers_edit_only_to_the_lead(seeded, cast, sign_in):
    url = "/charters/RXN-SV/indicators/ECON-01/"
    assert "Edit the indicator" in text_of(sign_in(cast["rxn_lead"]).get(url))
    assert "Edit the indicator" not in text_of(sign_in(cast["rxn_viewer"]).get(url))


def test_a_member_trusts_lead_cannot_edit_the_groups_charter(seeded, cast, sign_in):
    client = sign_in(cast["rt5_lead"])
    before = charter_rows()

    response = client.post("/charters/LPT-NHFT-SV/themes/new/", {"code": "X", "title": "X"})

    assert response.status_code == 403
    assert charter_rows() == before


def test_cross_organisation_writes_are_not_found(seeded, cast, sign_in):
    client = sign_in(cast["rt5_lead"])
    before = charter_rows()

    theme = client.post("/charters/RXN-SV/themes/new/", {"code": "EVIL", "title": "Evil"})
    edit = client.post(
        "/charters/RXN-SV/edit/",
        {
            "title": "Hijacked",
            "years": "2023/24",
            "at_risk_below": "90",
            "off_track_below": "75",
        },
    )

    assert theme.status_code == 404
    assert edit.status_code == 404
    assert not Theme.objects.filter(code="EVIL").exists()
    assert charter_rows() == before


def test_create_charter_refuses_an_organisation_the_lead_does_not_lead(orgs, cast, sign_in):
    client = sign_in(cast["rxn_lead"])

    response = client.post(
        "/charters/new/",
        {
            "code": "RT5-SV",
            "title": "Not mine",
            "organisation": orgs["RT5"].pk,
            "years": "2024/25",
            "at_risk_below": "90",
            "off_track_below": "75",
        },
    )

    assert response.status_code == 400
    assert "Select a valid choice" in error_summary(response)
    assert not Charter.objects.exists()


def test_create_charter_page_is_not_found_for_a_viewer(orgs, cast, sign_in):
    client = sign_in(cast["rxn_viewer"])

    assert client.get("/charters/new/").status_code == 404
    response = client.post(
        "/charters/new/",
        {
            "code": "X-SV",
            "title": "X",
            "organisation": orgs["RXN"].pk,
            "years": "2024/25",
            "at_risk_below": "90",
            "off_track_below": "75",
        },
    )
    assert response.status_code == 404
    assert not Charter.objects.exists()


# Creating and editing through the forms ---------------------------------------------------


def _charter_data(orgs, **overrides):
    data = {
        "code": "RXN-NEW",
        "title": "New charter",
        "organisation": orgs["RXN"].pk,
        "years": "2024/25, 2025/26",
        "definition": "",
        "mission": "Do good",
        "at_risk_below": "90",
        "off_track_below": "75",
    }
    return {**data, **overrides}


def _indicator_data(pledge, **overrides):
    data = {
        "code": "NEW-01",
        "title": "Spend with local suppliers",
        "pledge": pledge.pk,
        "unit": "£",
        "frequency": "quarterly",
        "source": "manual",
        "target_kind": "growth_from_baseline",
        "rate_percent": "5",
        "baseline_period": "2020/21",
    }
    return {**data, **overrides}


def test_lead_builds_a_charter_through_the_forms(orgs, cast, sign_in):
    client = sign_in(cast["rxn_lead"])

    form = client.get("/charters/new/")
    assert form.status_code == 200
    assert "Create a charter" in text_of(form)

    response = client.post("/charters/new/", _charter_data(orgs))
    assert response.status_code == 302
    assert response.url == "/charters/RXN-NEW/"
    charter = Charter.objects.get(code="RXN-NEW")
    assert charter.title == "New charter"
    assert charter.organisation == orgs["RXN"]
    assert charter.mission == "Do good"
    assert list(charter.periods.values_list("start_year", flat=True)) == [2024, 2025]

    response = client.post(
        "/charters/RXN-NEW/themes/new/",
        {"code": "ECON", "title": "Economy", "social_value_model": ["fighting-climate-change"]},
    )
    assert response.status_code == 302
    theme = charter.themes.get()
    assert (theme.code, theme.title, theme.social_value_model) == (
        "ECON",
        "Economy",
        ["fighting-climate-change"],
    )

    response = client.post(
        "/charters/RXN-NEW/themes/ECON/pledges/new/", {"code": "ECON-P1", "text": "Buy local"}
    )
    assert response.status_code == 302
    pledge = theme.pledges.get()
    assert (pledge.code, pledge.text) == ("ECON-P1", "Buy local")

    page = text_of(client.get("/charters/RXN-NEW/?year=2024/25"))
    assert "Economy" in page and "Buy local" in page
    assert "Social Value Model: " in page
    assert "2024/25, 2025/26" in page  # the reporting years, listed with the mission


def test_add_an_indicator_page_is_reachable(seeded, cast, sign_in):
    pledge = seeded["RXN-SV"].themes.get(code="ECON").pledges.get()
    url = f"/charters/RXN-SV/indicators/new/?pledge={pledge.pk}"

    lead = sign_in(cast["rxn_lead"]).get(url)
    assert lead.status_code == 200
    assert "Add an indicator" in text_of(lead)
    assert sign_in(cast["rxn_viewer"]).get(url).status_code == 403


@pytest.fixture
def new_charter(orgs, cast, sign_in):
    """RXN-NEW with theme ECON and pledge ECON-P1, made through the forms by the lead."""
    client = sign_in(cast["rxn_lead"])
    client.post("/charters/new/", _charter_data(orgs))
    client.post("/charters/RXN-NEW/themes/new/", {"code": "ECON", "title": "Economy"})
    client.post("/charters/RXN-NEW/themes/ECON/pledges/new/", {"code": "ECON-P1", "text": "Buy"})
    return Pledge.objects.get(theme__charter__code="RXN-NEW", code="ECON-P1")


def test_lead_adds_an_indicator_through_the_form(new_charter, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    pledge = new_charter

    form = client.get(f"/charters/RXN-NEW/indicators/new/?pledge={pledge.pk}")
    assert form.status_code == 200
    assert "Add an indicator" in text_of(form)

    response = client.post(
        "/charters/RXN-NEW/indicators/new/",
        _indicator_data(pledge, owner=cast["rxn_owner"].pk),
    )

    assert response.status_code == 302
    assert response.url == "/charters/RXN-NEW/indicators/NEW-01/"
    indicator = Indicator.objects.get(code="NEW-01")
    assert indicator.charter == pledge.theme.charter
    assert indicator.pledge == pledge
    assert indicator.owner == cast["rxn_owner"]
    assert (indicator.unit, indicator.frequency, indicator.source) == ("£", "quarterly", "manual")
    assert indicator.target_kind == "growth_from_baseline"
    assert indicator.target_params == {"baseline_period": "2020/21", "rate_percent": 5}
    page = text_of(client.get("/charters/RXN-NEW/?year=2024/25"))
    assert "Up 5% a year from the 2020/21 baseline" in page
    assert "Target for 2024/25" in page


def test_add_indicator_form_shows_problems_and_saves_nothing(new_charter, cast, sign_in):
    client = sign_in(cast["rxn_lead"])

    response = client.post(
        "/charters/RXN-NEW/indicators/new/",
        _indicator_data(new_charter, target_kind="count", value=""),
    )

    assert response.status_code == 400
    assert "Enter a target value" in error_summary(response)
    assert not Indicator.objects.exists()


def test_add_indicator_form_refuses_a_viewer(new_charter, cast, sign_in):
    client = sign_in(cast["rxn_viewer"])

    assert client.get("/charters/RXN-NEW/indicators/new/").status_code == 403
    response = client.post("/charters/RXN-NEW/indicators/new/", _indicator_data(new_charter))
    assert response.status_code == 403
    assert not Indicator.objects.exists()


@pytest.fixture
def new_indicator(new_charter, cast):
    """NEW-01 on RXN-NEW, growth from the 2020/21 baseline at 5% a year."""
    return services.indicator_save(
        actor=cast["rxn_lead"],
        pledge=new_charter,
        code="NEW-01",
        title="Spend with local suppliers",
        unit="£",
        frequency="quarterly",
        source="manual",
        target_kind="growth_from_baseline",
        target_params={"baseline_period": "2020/21", "rate_percent": "5"},
    )


def test_lead_edits_an_indicator(new_indicator, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    indicator = new_indicator
    assert indicator.target_params == {"baseline_period": "2020/21", "rate_percent": 5}

    form = client.get("/charters/RXN-NEW/indicators/NEW-01/edit/")
    assert form.status_code == 200
    assert "Edit the indicator" in text_of(form)
    assert 'value="2020/21"' in form.content.decode()

    response = client.post(
        "/charters/RXN-NEW/indicators/NEW-01/edit/",
        _indicator_data(
            indicator.pledge,
            title="Spend with local suppliers, edited",
            rate_percent="7.5",
            baseline_value="1,000,000",
        ),
    )

    assert response.status_code == 302
    assert response.url == "/charters/RXN-NEW/indicators/NEW-01/"
    indicator.refresh_from_db()
    assert indicator.title == "Spend with local suppliers, edited"
    assert indicator.target_params == {
        "baseline_period": "2020/21",
        "rate_percent": 7.5,
        "baseline_value": 1000000,
    }
    assert Indicator.objects.count() == 1
    page = text_of(client.get("/charters/RXN-NEW/?year=2024/25"))
    # 1,000,000 × 1.075⁴ = 1,335,469.14…, rounded to the pound in a summary (docs/status.md).
    assert "Up 7.5% a year from the 2020/21 baseline of £1,000,000: £1,335,469 for" in page


def test_lead_changes_an_indicators_kind(new_indicator, cast, sign_in):
    client = sign_in(cast["rxn_lead"])

    # The growth fields are still filled in; only the chosen kind's are used.
    response = client.post(
        "/charters/RXN-NEW/indicators/NEW-01/edit/",
        _indicator_data(new_indicator.pledge, target_kind="count", value="40"),
    )

    assert response.status_code == 302
    new_indicator.refresh_from_db()
    assert (new_indicator.target_kind, new_indicator.target_params) == ("count", {"value": 40})


def test_lead_edits_the_charter_and_its_years(seeded, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    form = client.get("/charters/RXN-SV/edit/")
    assert 'value="2023/24"' in form.content.decode()

    response = client.post(
        "/charters/RXN-SV/edit/",
        {
            "title": "Renamed charter",
            "years": "2023/24; 2024/25",
            "definition": "",
            "mission": "New mission",
            "at_risk_below": "80",
            "off_track_below": "50",
        },
    )

    assert response.status_code == 302
    charter = Charter.objects.get(code="RXN-SV")
    assert charter.title == "Renamed charter"
    assert charter.mission == "New mission"
    assert list(charter.periods.values_list("start_year", flat=True)) == [2023, 2024]
    assert (charter.at_risk_below, charter.off_track_below) == (Decimal("0.8"), Decimal("0.5"))
    assert charter.indicators.count() == 38


def test_create_charter_saves_the_thresholds_entered(orgs, cast, sign_in):
    client = sign_in(cast["rxn_lead"])

    response = client.post(
        "/charters/new/", _charter_data(orgs, at_risk_below="80", off_track_below="60")
    )

    assert response.status_code == 302
    charter = Charter.objects.get(code="RXN-NEW")
    assert (charter.at_risk_below, charter.off_track_below) == (Decimal("0.8"), Decimal("0.6"))


# Validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title"),
        ({"years": "2024/25, next year"}, "years", "Enter financial years like 2023/24"),
        ({"years": "2024/26"}, "years", "Enter financial years like 2023/24"),
        ({"years": ""}, "years", "Enter at least one reporting year"),
        ({"code": "RXN SV!"}, "code", "Code must only include letters, numbers and hyphens"),
        (
            {"at_risk_below": "50", "off_track_below": "70"},
            "off_track_below",
            "Off-track threshold must be lower than the at-risk one",
        ),
    ],
)
def test_create_charter_rejects_bad_input(orgs, cast, sign_in, overrides, field, message):
    response = sign_in(cast["rxn_lead"]).post("/charters/new/", _charter_data(orgs, **overrides))

    assert response.status_code == 400
    summary = error_summary(response)
    assert "There is a problem" in summary
    assert message in summary
    assert f'href="#id_{field}"' in summary
    assert "<title>Error: " in response.content.decode()
    assert not Charter.objects.exists()
    assert not ReportingPeriod.objects.exists()


def test_create_charter_rejects_a_duplicate_code(seeded, cast, sign_in, orgs):
    before = charter_rows()

    response = sign_in(cast["rxn_lead"]).post(
        "/charters/new/", _charter_data(orgs, code="rxn-sv", title="Another")
    )

    assert response.status_code == 400
    summary = error_summary(response)
    assert "There is a problem" in summary
    assert "A charter with this code already exists" in summary
    assert charter_rows() == before


def test_theme_form_rejects_a_duplicate_code(seeded, cast, sign_in):
    before = charter_rows()

    response = sign_in(cast["rxn_lead"]).post(
        "/charters/RXN-SV/themes/new/", {"code": "econ", "title": "Economy again"}
    )

    assert response.status_code == 400
    assert "This charter already has a theme with this code" in error_summary(response)
    assert charter_rows() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target_kind": "count", "value": ""}, "value", "Enter a target value"),
        ({"rate_percent": "five"}, "rate_percent", "Enter a rate as a number, like 5"),
        ({"rate_percent": "0"}, "rate_percent", "Rate must be more than 0"),
        ({"baseline_period": "2020"}, "baseline_period", "Enter a financial year like 2023/24"),
        (
            {
                "target_kind": "ratio_band",
                "lower": "1.2",
                "upper": "0.8",
                "parts": "ethnicity | Ethnicity | White | BME",
            },
            "lower",
            "Lower must be less than upper",
        ),
        ({"target_kind": ""}, "target_kind", "Select the kind of target"),
        ({"title": ""}, "title", "Enter a title"),
        ({"code": "NEW 01"}, "code", "Code must only include letters, numbers and hyphens"),
    ],
)
def test_indicator_form_rejects_bad_input(new_indicator, cast, sign_in, overrides, field, message):
    before = charter_rows()

    response = sign_in(cast["rxn_lead"]).post(
        "/charters/RXN-NEW/indicators/NEW-01/edit/",
        _indicator_data(new_indicator.pledge, **overrides),
    )

    assert response.status_code == 400
    summary = error_summary(response)
    assert "There is a problem" in summary
    assert message in summary
    assert f'href="#id_{field}"' in summary
    # The field itself is marked and shows the message too.
    page = text_of(response)
    assert page.count(message) >= 2
    assert "<title>Error: " in page
    assert charter_rows() == before


def test_indicator_form_rejects_a_pledge_of_another_charter(seeded, new_indicator, cast, sign_in):
    other_pledge = seeded["RXN-SV"].themes.get(code="ECON").pledges.get()
    before = charter_rows()

    response = sign_in(cast["rxn_lead"]).post(
        "/charters/RXN-NEW/indicators/NEW-01/edit/", _indicator_data(other_pledge)
    )

    assert response.status_code == 400
    assert "Select a valid choice" in error_summary(response)
    assert charter_rows() == before


# The published schema ----------------------------------------------------------------------


def test_schema_is_published_without_signing_in(client, db):
    response = client.get("/schemas/charter-1.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert response.json()["$id"] == "https://socialvalue.example/schemas/charter-1.json"


def test_new_is_not_an_indicator_code(seeded, cast, sign_in):
    charter = seeded["RXN-SV"]
    pledge = charter.themes.get(code="ECON").pledges.get()
    client = sign_in(cast["rxn_lead"])
    before = charter.indicators.count()

    response = client.post(
        "/charters/RXN-SV/indicators/new/",
        {
            "code": "new",
            "title": "x",
            "pledge": pledge.pk,
            "frequency": "annual",
            "source": "manual",
            "target_kind": "count",
            "value": "1",
        },
    )

    assert response.status_code == 400
    assert "Code cannot be new: that word is part of the web address" in response.content.decode()
    assert charter.indicators.count() == before


def test_lead_sets_an_expected_profile_that_the_status_uses(new_indicator, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    url = "/charters/RXN-NEW/indicators/NEW-01/edit/"
    count = {"target_kind": "count", "value": "100"}

    response = client.post(url, _indicator_data(new_indicator.pledge, **count, profile="10, 30"))
    assert response.status_code == 400
    assert "Enter 4 percentages, one for each period, like 25, 50, 75, 100" in error_summary(
        response
    )
    new_indicator.refresh_from_db()
    assert new_indicator.profile == []

    response = client.post(
        url, _indicator_data(new_indicator.pledge, **count, profile="10, 30%, 60, 100")
    )
    assert response.status_code == 302
    new_indicator.refresh_from_db()
    assert [Decimal(f) for f in new_indicator.profile] == [
        Decimal("0.1"),
        Decimal("0.3"),
        Decimal("0.6"),
        Decimal("1"),
    ]
    assert 'value="10, 30, 60, 100"' in client.get(url).content.decode()

    # With Q1 and Q2 of 2024/25 closed, 30% of 100 is expected (pro rata would be 50).
    charter = Charter.objects.get(code="RXN-NEW")
    progress = charter_progress(charter, year=FinancialYear(2024), as_of=date(2024, 10, 15))
    assert progress.indicators[0].assessment.expected_to_date == Decimal(30)


@pytest.mark.parametrize(
    ("kind", "extra", "parts_text", "params"),
    [
        (
            "counts",
            {},
            "research | research projects | 2\ninnovation | innovation projects | 5",
            {
                "parts": [
                    {"key": "research", "label": "research projects", "value": 2},
                    {"key": "innovation", "label": "innovation projects", "value": 5},
                ]
            },
        ),
        (
            "ratio_band",
            {"lower": "0.8", "upper": "1.25"},
            "wres | Ethnicity | White | BME",
            {
                "lower": 0.8,
                "upper": 1.25,
                "parts": [
                    {"key": "wres", "label": "Ethnicity", "group_a": "White", "group_b": "BME"}
                ],
            },
        ),
    ],
)
def test_indicator_parts_are_written_one_per_line(
    new_indicator, cast, sign_in, kind, extra, parts_text, params
):
    client = sign_in(cast["rxn_lead"])
    url = "/charters/RXN-NEW/indicators/NEW-01/edit/"
    response = client.post(
        url,
        _indicator_data(new_indicator.pledge, target_kind=kind, parts=parts_text, **extra),
    )
    assert response.status_code == 302
    new_indicator.refresh_from_db()
    assert (new_indicator.target_kind, new_indicator.target_params) == (kind, params)
    # The edit form gives the parts back in the same one-per-line form.
    form = html.unescape(client.get(url).content.decode())
    assert parts_text in form


def test_a_computed_indicator_names_what_computes_it_and_a_manual_one_cannot(seeded, cast, sign_in):
    pledge = seeded["RXN-SV"].themes.get(code="ECON").pledges.get()
    client = sign_in(cast["rxn_lead"])
    url = f"/charters/RXN-SV/indicators/new/?pledge={pledge.pk}"
    refused = client.post(url, _indicator_data(pledge, computation="spend.local_spend"))
    assert refused.status_code == 400
    assert "Only a computed indicator is computed from an import" in text_of(refused)
    assert not Indicator.objects.filter(code="NEW-01").exists()
    data = _indicator_data(pledge, source="computed", computation="spend.local_spend")
    assert client.post(url, data).status_code == 302
    assert Indicator.objects.get(code="NEW-01").computation == "spend.local_spend"
