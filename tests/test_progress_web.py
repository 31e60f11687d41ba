"""Recording, approving and showing progress through the web pages.

The seed charter RXN-SV reports on 2023/24 only. Unless a test pins "today", the pages run
on the real date, after 2023/24 has ended, so a year's figures are final: achieved or missed.
"""

import hashlib
import json
import re
from datetime import date
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialvalue.charters.models import Indicator
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.measurements import services
from socialvalue.measurements.models import Evidence, Measurement, Review
from socialvalue.measurements.progress import charter_progress
from tests.helpers import table_rows


def tiny_pdf() -> bytes:
    """A small but well-formed one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def indicator(charter, code, owner=None) -> Indicator:
    item = charter.indicators.get(code=code)
    if owner is not None:
        item.owner = owner
        item.save(update_fields=["owner"])
    return item


def record_url(code, ind):
    return f"/charters/{code}/indicators/{ind}/record/"


def indicator_url(code, ind, year="2023/24"):
    return f"/charters/{code}/indicators/{ind}/?year={year}"


def dashboard(client, code="RXN-SV", **params):
    params.setdefault("year", "2023/24")
    response = client.get(f"/charters/{code}/progress/", params)
    assert response.status_code == 200
    return response.content.decode()


def row_codes(html: str) -> list[str]:
    table = html.split('id="indicators"', 1)[1]
    return re.findall(r'<tr role="row" class="nhsuk-table__row" data-code="([^"]+)"', table)


def row_html(html: str, code: str) -> str:
    start = html.index(f'data-code="{code}"')
    return html[start : html.index("</tr>", start)]


def status_json(run_command, org="RXN", as_of="2024-04-30"):
    code, out, err = run_command("status", org, "--year", "2023/24", "--as-of", as_of, "--json")
    assert code == 0, err
    data = json.loads(out)
    return {i["code"]: i for c in data["charters"] for i in c["indicators"]}


def post_value(client, charter_code, ind, org, **fields):
    data = {"organisation": str(org.pk), **fields}
    return client.post(record_url(charter_code, ind), data)


def approve(client, measurement, decision="approved", comment=""):
    return client.post(
        f"/values/{measurement.pk}/review/", {"decision": decision, "comment": comment}
    )


def record(actor, ind, org, key, **reading):
    return services.measurement_record(
        actor=actor,
        indicator=ind,
        organisation=org,
        period=Period.from_key(key),
        reading=services.Reading(**reading),
    )


# --- Recording and approval --------------------------------------------------------------


def test_owner_records_with_evidence_and_lead_approval_changes_status(
    seeded, cast, orgs, sign_in, client, run_command
):
    charter = seeded["RXN-SV"]
    owner, lead = cast["rxn_owner"], cast["rxn_lead"]
    edu03 = indicator(charter, "EDU-03", owner=owner)  # count: at least 100, quarterly
    pdf = tiny_pdf()

    sign_in(owner)
    page = client.get(record_url("RXN-SV", "EDU-03"))
    assert page.status_code == 200
    assert "At least 100 opportunities in 2023/24" in page.content.decode()

    response = post_value(
        client,
        "RXN-SV",
        "EDU-03",
        orgs["RXN"],
        period="2023/24-Q1",
        value="120",
        note="Placements from the April intake",
        evidence=SimpleUploadedFile("placements.pdf", pdf, content_type="application/pdf"),
    )
    assert response.status_code == 302
    assert response["Location"] == "/charters/RXN-SV/indicators/EDU-03/?year=2023/24"

    m = Measurement.objects.get(indicator=edu03)
    assert (m.state, m.version, m.value, m.recorded_by) == ("submitted", 1, Decimal(120), owner)
    assert (m.period_start, m.period_end) == (date(2023, 4, 1), date(2023, 6, 30))
    assert m.note == "Placements from the April intake"
    evidence = m.evidence.get()
    assert evidence.original_name == "placements.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(pdf)
    assert evidence.sha256 == hashlib.sha256(pdf).hexdigest()
    with evidence.file.open("rb") as handle:
        assert handle.read() == pdf

    # Waiting: counted on the dashboard and in the status JSON, but not in the actual.
    sign_in(lead)
    html = dashboard(client)
    assert "<strong>1</strong> value waiting for approval" in html
    assert "1 waiting" in row_html(html, "EDU-03")
    assert "No data" in row_html(html, "EDU-03")
    before = status_json(run_command)["EDU-03"]
    assert before["waiting_for_approval"] == 1
    assert before["actual"] is None
    assert before["status"] == "no_data"

    response = approve(client, m)
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.state == "approved"
    review = Review.objects.get(measurement=m)
    assert (review.decision, review.reviewed_by) == ("approved", lead)

    html = dashboard(client)
    assert "<strong>0</strong> values waiting for approval" in html
    row = row_html(html, "EDU-03")
    assert "Achieved" in row and "waiting" not in row
    assert "Target met: 120 of 100 opportunities" in row
    after = status_json(run_command)["EDU-03"]
    # 2023/24 is over as of 30 April 2024: expected is the whole goal, forecast the actual.
    assert after["waiting_for_approval"] == 0
    assert (after["actual"], after["expected_to_date"], after["forecast"]) == (120, 100, 120)
    assert after["status"] == "achieved"


def test_who_may_open_the_record_page(seeded, cast, orgs, sign_in, client):
    charter = seeded["RXN-SV"]
    indicator(charter, "EDU-03")  # no owner

    sign_in(cast["rxn_viewer"])
    assert client.get(record_url("RXN-SV", "EDU-03")).status_code == 403
    response = post_value(client, "RXN-SV", "EDU-03", orgs["RXN"], period="2023/24-Q1", value="5")
    assert response.status_code == 403

    sign_in(cast["rxn_owner"])  # a contributor, but not this indicator's owner
    assert client.get(record_url("RXN-SV", "EDU-03")).status_code == 403

    sign_in(cast["rt5_lead"])  # a lead, but of another trust: the charter is not even shown
    assert client.get(record_url("RXN-SV", "EDU-03")).status_code == 404
    assert client.get(indicator_url("RXN-SV", "EDU-03")).status_code == 404

    assert not Measurement.objects.exists()

    sign_in(cast["rxn_lead"])  # the trust's lead may record for any indicator
    assert client.get(record_url("RXN-SV", "EDU-03")).status_code == 200


def test_correction_needs_a_reason_and_keeps_history(
    seeded, cast, orgs, sign_in, client, run_command
):
    charter = seeded["RXN-SV"]
    owner, lead = cast["rxn_owner"], cast["rxn_lead"]
    edu03 = indicator(charter, "EDU-03", owner=owner)
    v1 = record(owner, edu03, orgs["RXN"], "2023/24-Q1", value=Decimal(40))
    services.measurement_approve(actor=lead, measurement=v1)

    sign_in(owner)
    response = post_value(client, "RXN-SV", "EDU-03", orgs["RXN"], period="2023/24-Q1", value="45")
    assert response.status_code == 400
    assert "give a reason for the correction" in response.content.decode()
    assert Measurement.objects.filter(indicator=edu03).count() == 1

    response = post_value(
        client,
        "RXN-SV",
        "EDU-03",
        orgs["RXN"],
        period="2023/24-Q1",
        value="45",
        reason="Five late placements were missed",
    )
    assert response.status_code == 302
    v2 = Measurement.objects.get(indicator=edu03, version=2)
    assert (v2.state, v2.value, v2.supersedes, v2.recorded_by) == (
        "submitted",
        Decimal(45),
        v1,
        owner,
    )
    assert v2.reason == "Five late placements were missed"

    # Until the correction is approved, the approved first version counts.
    assert list(Measurement.objects.counted().filter(indicator=edu03)) == [v1]
    assert status_json(run_command)["EDU-03"]["actual"] == 40

    html = client.get(indicator_url("RXN-SV", "EDU-03")).content.decode()
    history = html.split('id="history"', 1)[1]
    assert history.index("Version 2") < history.index("Version 1")  # newest first
    assert "Correction: Five late placements were missed" in history
    assert "Corrects version 1, which said: 40" in history
    assert history.count(str(owner)) == 2  # both versions recorded by the owner
    assert f"Approved by {lead}" in history
    assert "Waiting for approval" in history
    assert "Target missed: 40 of 100 opportunities" in html

    services.measurement_approve(actor=lead, measurement=v2)
    assert status_json(run_command)["EDU-03"]["actual"] == 45
    html = client.get(indicator_url("RXN-SV", "EDU-03")).content.decode()
    assert "Target missed: 45 of 100 opportunities" in html


def test_returning_needs_a_comment_and_shows_on_the_recorders_page(
    seeded, cast, orgs, sign_in, client
):
    charter = seeded["RXN-SV"]
    owner, lead = cast["rxn_owner"], cast["rxn_lead"]
    edu03 = indicator(charter, "EDU-03", owner=owner)
    m = record(owner, edu03, orgs["RXN"], "2023/24-Q2", value=Decimal(17))

    sign_in(lead)
    waiting = client.get("/approvals/").content.decode()
    assert "1 value waiting for your decision" in waiting
    assert "EDU-03</a> Q2 2023/24" in waiting

    response = client.post(
        f"/values/{m.pk}/review/", {"decision": "returned", "comment": "  "}, follow=True
    )
    assert "Enter a comment saying what needs to change" in response.content.decode()
    m.refresh_from_db()
    assert m.state == "submitted"
    assert not Review.objects.exists()

    approve(client, m, decision="returned", comment="Split the figure by site please")
    m.refresh_from_db()
    assert m.state == "returned"
    assert Review.objects.get(measurement=m).comment == "Split the figure by site please"

    sign_in(owner)
    page = client.get("/approvals/").content.decode()
    returned = page.split("Returned to you", 1)[1]
    assert "EDU-03 Q2 2023/24</a>: Split the figure by site please" in returned
    # A returned value does not count and is no longer waiting.
    sign_in(lead)
    assert "Nothing is waiting for approval" in client.get("/approvals/").content.decode()


# --- The form for each kind of target ----------------------------------------------------


def test_share_form_takes_numerator_and_denominator(seeded, cast, orgs, sign_in, client):
    env02 = indicator(seeded["RXN-SV"], "ENV-02")  # share, 25%, monthly
    sign_in(cast["rxn_lead"])
    page = client.get(record_url("RXN-SV", "ENV-02")).content.decode()
    assert 'name="numerator"' in page and 'name="denominator"' in page
    assert 'name="value"' not in page

    response = post_value(
        client,
        "RXN-SV",
        "ENV-02",
        orgs["RXN"],
        period="2023-04",
        numerator="300",
        denominator="200",
    )
    assert response.status_code == 400
    assert "The numerator must not be more than the denominator" in response.content.decode()
    assert not Measurement.objects.exists()

    response = post_value(
        client,
        "RXN-SV",
        "ENV-02",
        orgs["RXN"],
        period="2023-04",
        numerator="250",
        denominator="1000",
    )
    assert response.status_code == 302
    m = Measurement.objects.get(indicator=env02)
    assert (m.numerator, m.denominator, m.value, m.frequency) == (
        Decimal(250),
        Decimal(1000),
        None,
        "monthly",
    )
    assert (m.period_start, m.period_end) == (date(2023, 4, 1), date(2023, 4, 30))


def test_counts_form_has_one_field_per_part(seeded, cast, orgs, sign_in, client):
    soc02 = indicator(seeded["RXN-SV"], "SOC-02")  # 2 research and 5 innovation projects
    sign_in(cast["rxn_lead"])
    page = client.get(record_url("RXN-SV", "SOC-02")).content.decode()
    assert 'name="part_research"' in page and 'name="part_innovation"' in page
    assert "Research projects" in page and "Innovation projects" in page

    response = post_value(
        client, "RXN-SV", "SOC-02", orgs["RXN"], period="2023/24-Q1", part_research="1"
    )
    assert response.status_code == 400
    assert "Enter innovation projects" in response.content.decode()

    response = post_value(
        client,
        "RXN-SV",
        "SOC-02",
        orgs["RXN"],
        period="2023/24-Q1",
        part_research="1",
        part_innovation="3",
    )
    assert response.status_code == 302
    m = Measurement.objects.get(indicator=soc02)
    assert m.to_domain().parts == {"research": Decimal(1), "innovation": Decimal(3)}
    assert m.value is None


def test_ratio_band_form_takes_four_counts_per_part(seeded, cast, orgs, sign_in, client):
    lead03 = indicator(seeded["RXN-SV"], "LEAD-03")  # WRES/WDES, 0.8-1.2, annual
    sign_in(cast["rxn_lead"])
    page = client.get(record_url("RXN-SV", "LEAD-03")).content.decode()
    names = re.findall(r'name="(part_[a-z_]+)"', page)
    assert sorted(names) == sorted(
        f"part_{part}_{name}"
        for part in ("ethnicity", "disability")
        for name in ("events_a", "population_a", "events_b", "population_b")
    )
    counts = {
        "part_ethnicity_events_a": "250",
        "part_ethnicity_population_a": "1000",
        "part_ethnicity_events_b": "120",
        "part_ethnicity_population_b": "800",
        "part_disability_events_a": "30",
        "part_disability_population_a": "100",
        "part_disability_events_b": "40",
        "part_disability_population_b": "160",
    }
    too_many = {**counts, "part_disability_events_b": "161"}
    response = post_value(client, "RXN-SV", "LEAD-03", orgs["RXN"], period="2023/24", **too_many)
    assert response.status_code == 400
    assert "how many must not be more than out of how many" in response.content.decode()
    assert not Measurement.objects.exists()

    response = post_value(client, "RXN-SV", "LEAD-03", orgs["RXN"], period="2023/24", **counts)
    assert response.status_code == 302
    m = Measurement.objects.get(indicator=lead03)
    parts = m.to_domain().parts
    assert parts["ethnicity"] == {
        "events_a": 250,
        "population_a": 1000,
        "events_b": 120,
        "population_b": 800,
    }
    assert parts["disability"]["events_b"] == 40
    services.measurement_approve(actor=cast["rxn_admin"], measurement=m)

    # (250/1000) / (120/800) = 0.25 / 0.15 = 1.67, outside the band; (30/100) / (40/160)
    # = 0.3 / 0.25 = 1.20, inside. The year is over, so the worst part's status: missed.
    html = client.get(indicator_url("RXN-SV", "LEAD-03")).content.decode()
    assert "Ratio 1.67 (250 of 1,000 vs 120 of 800): outside 0.8–1.2" in html
    assert "Ratio 1.20 (30 of 100 vs 40 of 160): inside 0.8–1.2" in html
    sign_in(cast["rxn_lead"])
    row = row_html(dashboard(client), "LEAD-03")
    assert "Missed" in row and "Ratio 1.67" in row


def test_indicator_page_shows_the_status_tag(seeded, cast, orgs, sign_in, client):
    lead = cast["rxn_lead"]
    edu03 = indicator(seeded["RXN-SV"], "EDU-03")
    services.measurement_approve(
        actor=cast["rxn_admin"],
        measurement=record(lead, edu03, orgs["RXN"], "2023/24-Q1", value=Decimal(100)),
    )
    sign_in(lead)
    html = client.get(indicator_url("RXN-SV", "EDU-03")).content.decode()
    assert '<p id="status"><strong class="nhsuk-tag nhsuk-tag--green">Achieved</strong>' in html


def test_milestone_form_needs_a_date_when_done(seeded, cast, orgs, sign_in, client):
    hwb04 = indicator(seeded["RXN-SV"], "HWB-04")  # milestone, quarterly
    sign_in(cast["rxn_lead"])
    response = post_value(
        client, "RXN-SV", "HWB-04", orgs["RXN"], period="2023/24-Q3", milestone_state="done"
    )
    assert response.status_code == 400
    assert "Enter the date it was done" in response.content.decode()
    assert not Measurement.objects.exists()

    response = post_value(
        client,
        "RXN-SV",
        "HWB-04",
        orgs["RXN"],
        period="2023/24-Q3",
        milestone_state="done",
        achieved_on="2023-11-01",
    )
    assert response.status_code == 302
    m = Measurement.objects.get(indicator=hwb04)
    assert (m.milestone_state, m.achieved_on) == ("done", date(2023, 11, 1))
    services.measurement_approve(actor=cast["rxn_admin"], measurement=m)
    html = client.get(indicator_url("RXN-SV", "HWB-04")).content.decode()
    assert "Done on 1 November 2023" in html


def test_maintain_form_takes_self_status_and_narrative(seeded, cast, orgs, sign_in, client):
    env03 = indicator(seeded["RXN-SV"], "ENV-03")  # maintain, quarterly
    sign_in(cast["rxn_lead"])
    response = post_value(
        client, "RXN-SV", "ENV-03", orgs["RXN"], period="2023/24-Q2", self_status="on_track"
    )
    assert response.status_code == 400
    assert "Enter what has been done" in response.content.decode()

    response = post_value(
        client,
        "RXN-SV",
        "ENV-03",
        orgs["RXN"],
        period="2023/24-Q2",
        self_status="at_risk",
        narrative="Teams use fell in August. Site visits rose.",
    )
    assert response.status_code == 302
    m = Measurement.objects.get(indicator=env03)
    assert (m.self_status, m.narrative) == (
        "at_risk",
        "Teams use fell in August. Site visits rose.",
    )
    services.measurement_approve(actor=cast["rxn_admin"], measurement=m)
    html = client.get(indicator_url("RXN-SV", "ENV-03")).content.decode()
    # The explanation quotes the narrative's first sentence (HTML-escaped quotes). 2023/24 is
    # over and Q2's word cannot settle it (Q3 and Q4 unreported), so there is no data.
    assert (
        "Last self-assessed as at risk for Q2 2023/24: &#34;Teams use fell in August.&#34;; "
        "no report for Q1 2023/24 and Q3 2023/24 to Q4 2023/24"
    ) in html


# --- Dashboard and lists -----------------------------------------------------------------


def test_dashboard_filters_narrow_the_rows(seeded, cast, orgs, sign_in, client):
    charter = seeded["RXN-SV"]
    owner, lead = cast["rxn_owner"], cast["rxn_lead"]
    edu03 = indicator(charter, "EDU-03", owner=owner)
    indicator(charter, "ENV-02", owner=owner)
    services.measurement_approve(
        actor=lead, measurement=record(owner, edu03, orgs["RXN"], "2023/24-Q1", value=Decimal(100))
    )

    sign_in(lead)
    html = dashboard(client)
    assert len(row_codes(html)) == 38
    assert "Indicators (38 of 38)" in html

    # The seed's Education & Skills theme has EDU-01 to EDU-07.
    html = dashboard(client, theme="Education & Skills")
    assert row_codes(html) == [f"EDU-0{n}" for n in range(1, 8)]
    assert "Indicators (7 of 38)" in html

    html = dashboard(client, owner=str(owner))
    assert sorted(row_codes(html)) == ["EDU-03", "ENV-02"]

    html = dashboard(client, status="achieved")
    assert row_codes(html) == ["EDU-03"]

    html = dashboard(client, theme="Education & Skills", owner=str(owner), status="achieved")
    assert row_codes(html) == ["EDU-03"]
    html = dashboard(client, theme="Environment", status="achieved")
    assert row_codes(html) == []


def test_my_indicators_lists_the_owners_indicators_and_flags_overdue(
    seeded, cast, orgs, sign_in, client
):
    charter = seeded["RXN-SV"]
    owner = cast["rxn_owner"]
    edu01 = indicator(charter, "EDU-01", owner=owner)
    indicator(charter, "EDU-03", owner=owner)
    indicator(charter, "VOL-01", owner=cast["rxn_lead"])
    record(owner, edu01, orgs["RXN"], "2023/24-Q1", value=Decimal(10))
    record(owner, edu01, orgs["RXN"], "2023/24-Q2", value=Decimal(12))

    # 15 January 2024, grace 30 days: Q1 (ended 30 June) and Q2 (30 September) are overdue
    # without a value; Q3 ended 31 December, within the grace period, so not yet.
    sign_in(owner)
    with patch("django.utils.timezone.localdate", return_value=date(2024, 1, 15)):
        html = client.get("/my-indicators/").content.decode()
    rows = re.findall(r'data-code="([^"]+)"', html)
    assert sorted(rows) == ["EDU-01", "EDU-03"]
    overdue_cell = row_html(html, "EDU-03").rsplit("<td", 1)[1]
    assert re.search(r'nhsuk-tag--red"\s*>\s*Overdue\s*</strong>', overdue_cell)
    assert re.search(r"</strong>\s*Q1 2023/24, Q2 2023/24\s*</div>", overdue_cell)
    edu01_cell = row_html(html, "EDU-01").rsplit("<td", 1)[1]
    assert "nhsuk-tag" not in edu01_cell and ">No</div>" in edu01_cell

    # A viewer who owns nothing is refused with a page saying why (tests/test_recording_pages.py).
    sign_in(cast["rxn_viewer"])
    refused = client.get("/my-indicators/")
    assert refused.status_code == 403 and "You own no indicators" in refused.content.decode()


def test_evidence_download_is_scoped(seeded, cast, orgs, sign_in, client):
    owner = cast["rxn_owner"]
    edu03 = indicator(seeded["RXN-SV"], "EDU-03", owner=owner)
    pdf = tiny_pdf()
    m = services.measurement_record(
        actor=owner,
        indicator=edu03,
        organisation=orgs["RXN"],
        period=Period.from_key("2023/24-Q1"),
        reading=services.Reading(value=Decimal(5)),
        evidence=[services.Upload(name="register.pdf", content=pdf)],
    )
    item = Evidence.objects.get(measurement=m)
    services.measurement_record(
        actor=owner,
        indicator=edu03,
        organisation=orgs["RXN"],
        period=Period.from_key("2023/24-Q2"),
        reading=services.Reading(value=Decimal(6)),
    )

    # The history table links the evidence from its value's row alone.
    sign_in(owner)
    html = client.get("/charters/RXN-SV/indicators/EDU-03/?year=2023/24").content.decode()
    history = html.split('id="history"', 1)[1].split("</table>", 1)[0]
    q2, q1 = re.findall(r'<tr role="row" class="nhsuk-table__row">(.*?)</tr>', history, re.S)
    assert "Q2 2023/24" in q2 and "/evidence/" not in q2
    assert f'<a href="/evidence/{item.pk}/">register.pdf</a>' in q1

    sign_in(cast["rt5_lead"])
    assert client.get(f"/evidence/{item.pk}/").status_code == 404

    sign_in(owner)
    response = client.get(f"/evidence/{item.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="register.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("user", ["rxn_viewer", "rxn_lead"])
def test_people_of_the_trust_can_download_its_evidence(seeded, cast, orgs, sign_in, client, user):
    owner = cast["rxn_owner"]
    edu03 = indicator(seeded["RXN-SV"], "EDU-03", owner=owner)
    m = services.measurement_record(
        actor=owner,
        indicator=edu03,
        organisation=orgs["RXN"],
        period=Period.from_key("2023/24-Q1"),
        reading=services.Reading(value=Decimal(5)),
        evidence=[services.Upload(name="r.pdf", content=tiny_pdf())],
    )
    sign_in(cast[user])
    response = client.get(f"/evidence/{m.evidence.get().pk}/")
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


def test_record_page_lists_what_is_already_recorded(seeded, cast, orgs, sign_in, client):
    lead = cast["rxn_lead"]
    edu03 = indicator(seeded["RXN-SV"], "EDU-03")
    v1 = record(lead, edu03, orgs["RXN"], "2023/24-Q1", value=Decimal(30))
    services.measurement_approve(actor=cast["rxn_admin"], measurement=v1)
    services.measurement_record(
        actor=lead,
        indicator=edu03,
        organisation=orgs["RXN"],
        period=Period.from_key("2023/24-Q1"),
        reading=services.Reading(value=Decimal(33)),
        reason="Three were missed",
    )
    record(lead, edu03, orgs["RXN"], "2023/24-Q2", value=Decimal(20))

    sign_in(lead)
    page = client.get(record_url("RXN-SV", "EDU-03")).content.decode()
    rows = table_rows(page, "recorded")
    assert rows == [
        # With the indicator's unit.
        ("Q1 2023/24", "33 opportunities (version 2)", "Waiting for approval"),
        ("Q2 2023/24", "20 opportunities", "Waiting for approval"),
    ]


def test_trend_table_has_a_row_per_part_beside_the_chart(seeded, cast, orgs, sign_in, client):
    lead = cast["rxn_lead"]
    soc02 = indicator(seeded["RXN-SV"], "SOC-02")  # research and innovation projects
    for key, research, innovation in (("2023/24-Q1", 1, 2), ("2023/24-Q2", 0, 1)):
        services.measurement_approve(
            actor=cast["rxn_admin"],
            measurement=record(
                lead,
                soc02,
                orgs["RXN"],
                key,
                parts={"research": Decimal(research), "innovation": Decimal(innovation)},
            ),
        )
    sign_in(lead)
    html = client.get(indicator_url("RXN-SV", "SOC-02")).content.decode()
    table = html.split('id="trend"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">Part</th>' in table
    # Each figure with its unit, agreeing with it.
    assert '<th scope="col" class="nhsuk-table__header--numeric">Figure</th>' in table
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td[^>]*>(.*?)</td></tr>", table)
    assert cells == [
        ("Q1", "research", "1 project"),
        ("Q1", "innovation", "2 projects"),
        ("Q2", "research", "0 projects"),
        ("Q2", "innovation", "1 project"),
    ]
    chart = html.split('class="nhsuk-grid-column-two-thirds sv-chart"', 1)[1][:300]
    assert '<svg role="img" aria-label="SOC-02 by period, 2023/24"' in chart


def test_indicator_page_switches_year(seeded, cast, orgs, sign_in, client):
    lead = cast["rxn_lead"]
    charter = seeded["RXN-SV"]
    charter.periods.create(start_year=2024)
    edu03 = indicator(charter, "EDU-03")
    services.measurement_approve(
        actor=cast["rxn_admin"],
        measurement=record(lead, edu03, orgs["RXN"], "2024/25-Q1", value=Decimal(7)),
    )
    sign_in(lead)
    page = client.get(indicator_url("RXN-SV", "EDU-03", year="2024/25")).content.decode()
    assert '<option value="2024/25" selected>2024/25</option>' in page
    assert "Target for 2024/25" in page and "7 of 100 opportunities" in page
    page = client.get(indicator_url("RXN-SV", "EDU-03", year="2023/24")).content.decode()
    assert '<option value="2023/24" selected>2023/24</option>' in page
    assert "No approved figures for 2023/24 yet" in page


def test_a_returned_value_leaves_its_period_overdue(seeded, cast, orgs):
    lead = cast["rxn_lead"]
    charter = seeded["RXN-SV"]
    edu03 = indicator(charter, "EDU-03")
    q1 = record(lead, edu03, orgs["RXN"], "2023/24-Q1", value=Decimal(30))
    q2 = record(lead, edu03, orgs["RXN"], "2023/24-Q2", value=Decimal(30))
    services.measurement_return(actor=cast["rxn_admin"], measurement=q1, comment="Wrong quarter")

    # 15 January 2024: Q1 and Q2 are past their 30-day grace; Q2 waits for approval.
    progress = charter_progress(
        charter, year=FinancialYear(2023), as_of=date(2024, 1, 15), indicators=[edu03]
    )
    assert [p.key for p in progress.indicators[0].overdue] == ["2023/24-Q1"]
    services.measurement_approve(actor=cast["rxn_admin"], measurement=q2)
    services.measurement_record(
        actor=lead,
        indicator=edu03,
        organisation=orgs["RXN"],
        period=Period.from_key("2023/24-Q1"),
        reading=services.Reading(value=Decimal(28)),
        reason="Corrected quarter",
    )
    progress = charter_progress(
        charter, year=FinancialYear(2023), as_of=date(2024, 1, 15), indicators=[edu03]
    )
    assert progress.indicators[0].overdue == ()


def test_a_milestone_done_late_is_never_shown_in_green(seeded, cast, orgs, sign_in, client):
    lead = cast["rxn_lead"]
    hwb04 = indicator(seeded["RXN-SV"], "HWB-04")
    hwb04.target_params = {"due": "2023-09-30"}
    hwb04.save()
    late = record(
        lead,
        hwb04,
        orgs["RXN"],
        "2023/24-Q3",
        milestone_state=services.MilestoneState.DONE,
        achieved_on=date(2023, 10, 15),
    )
    services.measurement_approve(actor=cast["rxn_admin"], measurement=late)
    sign_in(lead)
    html = dashboard(client)
    row = row_html(html, "HWB-04")
    yellow = r'<strong class="nhsuk-tag nhsuk-tag--yellow"\s*>\s*Done late\s*</strong>'
    assert re.search(yellow, row)
    assert "nhsuk-tag--green" not in row and "Overdue" not in row
    assert "Done late on 15 October 2023: it was due by 30 September 2023" in row
    # The status chart and its table count it under its own name.
    assert "Done late" in html.split('id="indicators"', 1)[0]
    page = client.get(indicator_url("RXN-SV", "HWB-04")).content.decode()
    status = page.split('id="status"', 1)[1].split("</p>", 1)[0]
    assert "nhsuk-tag--yellow" in status and "Done late" in status
    # Done, so none of its unreported quarters (Q1, Q2, Q4, long past) is overdue.
    assert "Overdue" not in page.split('id="status"', 1)[1].split("<h2", 1)[0]


def test_money_is_rounded_in_summaries_and_exact_on_the_indicator_page(
    seeded, cast, orgs, sign_in, client
):
    lead = cast["rxn_lead"]
    econ02 = indicator(seeded["RXN-SV"], "ECON-02")  # unit £, quarterly
    econ02.target_kind = "growth_from_baseline"
    econ02.target_params = {
        "baseline_period": "2020/21",
        "baseline_value": 1000000,
        "rate_percent": 7.5,
    }
    econ02.save()
    value = record(lead, econ02, orgs["RXN"], "2023/24-Q1", value=Decimal("300000.45"))
    services.measurement_approve(actor=cast["rxn_admin"], measurement=value)
    sign_in(lead)
    # 1,000,000 x 1.075^3 = 1,242,296.875: £1,242,297 in a summary, to the penny on the page.
    row = row_html(dashboard(client), "ECON-02")
    assert "£300,000 of £1,242,297" in row
    assert "300,000" in row and "300,000.45" not in row
    page = client.get(indicator_url("RXN-SV", "ECON-02")).content.decode()
    target_figure = page.split("Target figure", 1)[1].split("</dd>", 1)[0]
    assert "£1,242,296.88" in target_figure
    assert "£300,000.45" in page  # the actual to date, exact
