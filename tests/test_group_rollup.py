"""A group's charter adds up its member trusts' raw numbers; a member can be seen alone.

On LPT-NHFT-SV, ECON-01 becomes a count (at least 100) and ECON-02 a share (at least 25%).
RT5's values are recorded by rt5_lead, RP1's by rp1_owner as the indicators' owner, and the
group's lead approves them all. The pages run after 2023/24 has ended, so figures are final.
"""

import json
from decimal import Decimal

import pytest

from socialvalue.domain.periods import Period
from socialvalue.measurements import services
from tests.helpers import record_approved, table_rows

YEAR = "2023/24"


@pytest.fixture
def group(seeded, cast, orgs):
    charter = seeded["LPT-NHFT-SV"]
    econ01 = charter.indicators.get(code="ECON-01")  # unit: opportunities, quarterly
    econ01.target_kind, econ01.target_params = "count", {"value": 100}
    econ01.owner = cast["rp1_owner"]
    econ01.save()
    econ02 = charter.indicators.get(code="ECON-02")  # unit: partnerships, quarterly
    econ02.target_kind, econ02.target_params = "share", {"target_percent": 25}
    econ02.owner = cast["rp1_owner"]
    econ02.save()

    lead = cast["group_lead"]
    rt5, rp1 = cast["rt5_lead"], cast["rp1_owner"]
    # The group's own values are recorded and approved by its one lead (the charter allows it).
    charter.self_approval_allowed = True
    charter.save()

    def approved(recorder, indicator, org, key, **reading):
        return record_approved(
            lead=lead, recorder=recorder, indicator=indicator, organisation=org, key=key, **reading
        )

    # Count: RT5 30 and RP1 45 in Q1; the group's own 75 for Q1 too (already held by the
    # members, so not counted again).
    approved(rt5, econ01, orgs["RT5"], f"{YEAR}-Q1", value=Decimal(30))
    approved(rp1, econ01, orgs["RP1"], f"{YEAR}-Q1", value=Decimal(45))
    approved(lead, econ01, orgs["LPT-NHFT"], f"{YEAR}-Q1", value=Decimal(75))
    # Share: RT5 10 of 100 (10%), RP1 270 of 900 (30%). Average of the percentages 20%
    # (would miss 25%); pooled 280 of 1000 = 28% (achieved).
    approved(
        rt5, econ02, orgs["RT5"], f"{YEAR}-Q1", numerator=Decimal(10), denominator=Decimal(100)
    )
    approved(
        rp1, econ02, orgs["RP1"], f"{YEAR}-Q1", numerator=Decimal(270), denominator=Decimal(900)
    )
    return {"charter": charter, "econ01": econ01, "econ02": econ02, "approved": approved}


def status(run_command, org):
    code, out, err = run_command("status", org, "--year", YEAR, "--as-of", "2024-04-30", "--json")
    assert code == 0, err
    data = json.loads(out)
    return {i["code"]: i for c in data["charters"] for i in c["indicators"]}


def row_html(html: str, code: str) -> str:
    start = html.index(f'data-code="{code}"')
    return html[start : html.index("</tr>", start)]


def test_group_adds_members_raw_numbers_without_double_counting(group, orgs, cast, run_command):
    result = status(run_command, "LPT-NHFT")
    econ01 = result["ECON-01"]
    assert econ01["actual"] == 30 + 45  # not 30 + 45 + 75
    assert econ01["status"] == "missed"
    # Each member's unreported quarters show as its own gaps.
    assert econ01["explanation"] == (
        "Target missed: 75 of 100 opportunities; no value from RT5 for Q2 2023/24 to "
        "Q4 2023/24; no value from RP1 for Q2 2023/24 to Q4 2023/24"
    )

    # The group's own value for a period no member reported does count.
    group["approved"](
        cast["group_lead"], group["econ01"], orgs["LPT-NHFT"], f"{YEAR}-Q2", value=Decimal(25)
    )
    econ01 = status(run_command, "LPT-NHFT")["ECON-01"]
    assert (econ01["actual"], econ01["status"]) == (100, "achieved")


def test_group_share_is_pooled_not_averaged(group, run_command):
    econ02 = status(run_command, "LPT-NHFT")["ECON-02"]
    assert econ02["actual"] == 28  # 280 / 1000, not (10% + 30%) / 2 = 20%
    # Q2 to Q4 unreported by both members: a share with gaps cannot be achieved (this test
    # said "achieved" before missing periods stopped counting as success).
    assert econ02["status"] == "no_data"
    assert econ02["explanation"] == (
        "Not achieved: 280 of 1,000 partnerships (28%) by 31 March; target at least 25%, but "
        "no value from RT5 for Q2 2023/24 to Q4 2023/24; no value from RP1 for Q2 2023/24 to "
        "Q4 2023/24"
    )


def test_indicator_page_shows_each_member(group, cast, sign_in, client):
    sign_in(cast["group_lead"])
    html = client.get(f"/charters/LPT-NHFT-SV/indicators/ECON-01/?year={YEAR}").content.decode()
    assert "By member trust" in html
    members = html.split('id="members"', 1)[1].split("</table>", 1)[0]
    rows = [row[:2] for row in table_rows(html, "members")]
    assert sorted(rows) == [
        ("Leicestershire Partnership", "30"),
        ("Northamptonshire Healthcare", "45"),
    ]
    assert "Target missed: 30 of 100 opportunities" in members
    assert "Actual to date" in html and "75 opportunities" in html

    html = client.get(f"/charters/LPT-NHFT-SV/indicators/ECON-02/?year={YEAR}").content.decode()
    members = html.split('id="members"', 1)[1].split("</table>", 1)[0]
    assert "10 of 100 partnerships (10%) by 31 March; target at least 25%" in members
    assert "270 of 900 partnerships (30%) by 31 March; target at least 25%" in members
    assert "280 of 1,000 partnerships (28%) by 31 March; target at least 25%" in html


def test_dashboard_for_one_member_shows_only_its_numbers(group, cast, sign_in, client):
    sign_in(cast["group_lead"])
    whole = client.get("/charters/LPT-NHFT-SV/progress/", {"year": YEAR}).content.decode()
    assert "Target missed: 75 of 100 opportunities" in row_html(whole, "ECON-01")
    assert "280 of 1,000 partnerships (28%)" in row_html(whole, "ECON-02")

    html = client.get(
        "/charters/LPT-NHFT-SV/progress/", {"year": YEAR, "organisation": "RT5"}
    ).content.decode()
    assert "Leicestershire Partnership" in html.split("<h1>", 1)[0].rsplit("nhsuk-caption-l", 1)[1]
    econ01 = row_html(html, "ECON-01")
    assert "Target missed: 30 of 100 opportunities" in econ01
    econ02 = row_html(html, "ECON-02")
    assert "10 of 100 partnerships (10%) by 31 March; target at least 25%" in econ02
    assert "Missed" in econ02
    assert "270" not in html.split('id="indicators"', 1)[1]

    assert (
        client.get(
            "/charters/LPT-NHFT-SV/progress/", {"year": YEAR, "organisation": "RXN"}
        ).status_code
        == 404
    )


def test_status_for_a_member_gives_its_figure_only(group, run_command):
    rt5 = status(run_command, "RT5")
    assert (rt5["ECON-01"]["actual"], rt5["ECON-01"]["status"]) == (30, "missed")
    assert (rt5["ECON-02"]["actual"], rt5["ECON-02"]["status"]) == (10, "missed")
    rp1 = status(run_command, "RP1")
    assert (rp1["ECON-01"]["actual"], rp1["ECON-02"]["actual"]) == (45, 30)


def test_a_member_cannot_record_for_the_other_member(group, cast, orgs):
    with pytest.raises(services.PermissionDenied):
        services.measurement_record(
            actor=cast["rt5_lead"],
            indicator=group["econ01"],
            organisation=orgs["RP1"],
            period=Period.from_key(f"{YEAR}-Q2"),
            reading=services.Reading(value=Decimal(1)),
        )


def test_group_lead_sees_member_values_waiting_for_approval(group, orgs, cast, sign_in):
    rt5_value = services.measurement_record(
        actor=cast["rt5_lead"],
        indicator=group["econ01"],
        organisation=orgs["RT5"],
        period=Period.from_key(f"{YEAR}-Q2"),
        reading=services.Reading(value=Decimal(12)),
    )
    client = sign_in(cast["group_lead"])
    html = client.get("/approvals/").content.decode()
    assert "1 value waiting for your decision" in html
    assert f'action="/values/{rt5_value.pk}/review/"' in html
    # An RXN lead, outside the group, sees none of it.
    client = sign_in(cast["rxn_lead"])
    assert f"/values/{rt5_value.pk}/review/" not in client.get("/approvals/").content.decode()


def test_waiting_count_belongs_to_the_year_shown(group, orgs, cast, sign_in):
    services.measurement_record(
        actor=cast["rt5_lead"],
        indicator=group["econ01"],
        organisation=orgs["RT5"],
        period=Period.from_key("2024/25-Q1"),
        reading=services.Reading(value=Decimal(5)),
    )
    client = sign_in(cast["group_lead"])
    page = "/charters/LPT-NHFT-SV/progress/?year="
    assert "<strong>0</strong> values waiting" in client.get(page + "2023/24").content.decode()
    assert "<strong>1</strong> value waiting" in client.get(page + "2024/25").content.decode()
