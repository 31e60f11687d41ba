"""Within a group, a member trust's people see their own values at every state and their
siblings' (and the group's own) approved figures only; the group's people see every member.

The cast (conftest): group LPT-NHFT with members RT5 and RP1; rt5_lead (lead at RT5),
group_lead (lead at the group). Here also rp1_lead (lead at RP1). On the group charter's
RES-01 (a quarterly commitment) in 2023/24:

- RT5 Q1, recorded by rt5_lead, waiting, with a note and evidence.
- RP1 Q1, approved by group_lead with a comment, with a note and evidence.
- RP1 Q2, waiting, with a note and evidence.
- RP1 Q3, returned by group_lead with a comment.
- The group's own Q4, recorded by group_lead, waiting.
"""

from datetime import date
from unittest.mock import patch

import pytest

from socialvalue.domain.periods import Period
from socialvalue.domain.status import Status
from socialvalue.measurements import services
from socialvalue.measurements.models import Evidence, Measurement
from tests.factories import MembershipFactory, UserFactory

# The smallest valid PNG: a 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)

RP1_PRIVATE = [
    "RP1 approved note",
    "RP1 approval comment",
    "rp1-approved.png",
    "RP1 waiting words",
    "RP1 waiting note",
    "rp1-waiting.png",
    "RP1 returned words",
    "RP1 return comment",
]
RT5_OWN = ["RT5 own words", "RT5 own note", "rt5-own.png"]
GROUP_OWN = ["Group waiting words"]


def _record(actor, indicator, organisation, key, words, note="", evidence=None):
    return services.measurement_record(
        actor=actor,
        indicator=indicator,
        organisation=organisation,
        period=Period.from_key(key),
        reading=services.Reading(self_status=Status.ON_TRACK, narrative=words),
        note=note,
        evidence=[services.Upload(name=evidence, content=PNG)] if evidence else [],
    )


@pytest.fixture
def story(seeded, cast, orgs):
    charter = seeded["LPT-NHFT-SV"]
    res01 = charter.indicators.get(code="RES-01")
    res01.owner = cast["rt5_lead"]
    res01.save(update_fields=["owner"])
    rp1_lead = UserFactory(email="lead@rp1.test")
    MembershipFactory(user=rp1_lead, organisation=orgs["RP1"], role="lead")
    group_lead = cast["group_lead"]
    rt5_q1 = _record(
        cast["rt5_lead"],
        res01,
        orgs["RT5"],
        "2023/24-Q1",
        "RT5 own words",
        note="RT5 own note",
        evidence="rt5-own.png",
    )
    rp1_q1 = _record(
        rp1_lead,
        res01,
        orgs["RP1"],
        "2023/24-Q1",
        "RP1 approved words",
        note="RP1 approved note",
        evidence="rp1-approved.png",
    )
    services.measurement_approve(
        actor=group_lead, measurement=rp1_q1, comment="RP1 approval comment"
    )
    rp1_q2 = _record(
        rp1_lead,
        res01,
        orgs["RP1"],
        "2023/24-Q2",
        "RP1 waiting words",
        note="RP1 waiting note",
        evidence="rp1-waiting.png",
    )
    rp1_q3 = _record(rp1_lead, res01, orgs["RP1"], "2023/24-Q3", "RP1 returned words")
    services.measurement_return(actor=group_lead, measurement=rp1_q3, comment="RP1 return comment")
    group_q4 = _record(group_lead, res01, orgs["LPT-NHFT"], "2023/24-Q4", "Group waiting words")
    return {
        "charter": charter,
        "indicator": res01,
        "rp1_lead": rp1_lead,
        "rt5_q1": rt5_q1,
        "rp1_q1": rp1_q1,
        "rp1_q2": rp1_q2,
        "rp1_q3": rp1_q3,
        "group_q4": group_q4,
    }


def _evidence(measurement) -> Evidence:
    return Evidence.objects.get(measurement=measurement)


INDICATOR_PAGE = "/charters/LPT-NHFT-SV/indicators/RES-01/?year=2023/24"


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- The querysets ------------------------------------------------------------------------


def test_a_member_trust_reads_its_own_values_and_its_siblings_approved_ones(story, cast):
    seen = set(Measurement.objects.for_user(cast["rt5_lead"]))
    assert seen == {story["rt5_q1"], story["rp1_q1"]}
    assert set(Evidence.objects.for_user(cast["rt5_lead"])) == {_evidence(story["rt5_q1"])}


def test_the_other_member_reads_all_of_its_own_and_nothing_waiting_of_rt5(story, cast):
    seen = set(Measurement.objects.for_user(story["rp1_lead"]))
    assert seen == {story["rp1_q1"], story["rp1_q2"], story["rp1_q3"]}
    assert set(Evidence.objects.for_user(story["rp1_lead"])) == {
        _evidence(story["rp1_q1"]),
        _evidence(story["rp1_q2"]),
    }


def test_the_groups_lead_reads_every_member_at_every_state(story, cast):
    assert Measurement.objects.for_user(cast["group_lead"]).count() == 5
    assert Evidence.objects.for_user(cast["group_lead"]).count() == 3


def test_an_unrelated_trust_reads_nothing_of_the_group(story, cast):
    assert not Measurement.objects.for_user(cast["rxn_lead"]).exists()
    assert not Evidence.objects.for_user(cast["rxn_lead"]).exists()


# --- Pages --------------------------------------------------------------------------------


def test_the_indicator_history_hides_a_siblings_unapproved_values_notes_and_evidence(
    story, cast, sign_in
):
    html = _page(sign_in(cast["rt5_lead"]), INDICATOR_PAGE)
    for text in RT5_OWN:
        assert text in html, text
    assert "RP1 approved words" in html  # the sibling's approved figure
    for text in [*RP1_PRIVATE, *GROUP_OWN]:
        assert text not in html, text


def test_the_groups_lead_sees_every_member_in_the_history(story, cast, sign_in):
    html = _page(sign_in(cast["group_lead"]), INDICATOR_PAGE)
    for text in [*RT5_OWN, *RP1_PRIVATE, *GROUP_OWN, "RP1 approved words"]:
        assert text in html, text


def test_the_other_member_sees_its_own_history_but_not_rt5s(story, cast, sign_in):
    html = _page(sign_in(story["rp1_lead"]), INDICATOR_PAGE)
    for text in RP1_PRIVATE:
        assert text in html, text
    for text in [*RT5_OWN, *GROUP_OWN]:
        assert text not in html, text


def test_evidence_downloads_follow_the_same_rule(story, cast, sign_in):
    client = sign_in(cast["rt5_lead"])
    own = client.get(f"/evidence/{_evidence(story['rt5_q1']).pk}/")
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PNG
    for key in ("rp1_q1", "rp1_q2"):
        assert client.get(f"/evidence/{_evidence(story[key]).pk}/").status_code == 404, key
    group = sign_in(cast["group_lead"])
    assert group.get(f"/evidence/{_evidence(story['rp1_q2']).pk}/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/charters/LPT-NHFT-SV/progress/?year=2023/24",
        "/charters/LPT-NHFT-SV/progress/?year=2023/24&organisation=RP1",
        "/charters/LPT-NHFT-SV/indicators/RES-01/record/",
        "/approvals/",
        "/my-indicators/",
    ],
)
def test_no_other_page_shows_a_siblings_unapproved_words(story, cast, sign_in, url):
    with patch("django.utils.timezone.localdate", return_value=date(2024, 4, 20)):
        html = _page(sign_in(cast["rt5_lead"]), url)
    for text in [*RP1_PRIVATE, *GROUP_OWN]:
        assert text not in html, (url, text)


def test_my_indicators_and_the_dashboard_do_show_the_siblings_approved_figure(story, cast, sign_in):
    # RES-01 rolls up as on track from RP1's approved Q1 alone; RT5's waiting Q1 does not count.
    with patch("django.utils.timezone.localdate", return_value=date(2024, 4, 20)):
        client = sign_in(cast["rt5_lead"])
        mine = _page(client, "/my-indicators/")
        board = _page(client, "/charters/LPT-NHFT-SV/progress/?year=2023/24&organisation=RP1")
    assert "RES-01" in mine
    assert "On track" in board


def test_a_sibling_cannot_review_a_value_it_cannot_see(story, cast, sign_in):
    response = sign_in(cast["rt5_lead"]).post(
        f"/values/{story['rp1_q2'].pk}/review/", {"decision": "approved"}
    )
    assert response.status_code == 404
    story["rp1_q2"].refresh_from_db()
    assert story["rp1_q2"].state == "submitted"


def test_the_dashboards_waiting_count_leaves_out_a_siblings_values(story, cast, sign_in):
    # Waiting on RES-01: RT5's Q1, RP1's Q2 and the group's own Q4. RT5's lead learns of its
    # own value only; the group's lead counts all three.
    def waiting_in_row(user):
        client = sign_in(user)
        with patch("django.utils.timezone.localdate", return_value=date(2024, 4, 20)):
            html = _page(client, "/charters/LPT-NHFT-SV/progress/?year=2023/24")
        row = html[html.index('data-code="RES-01"') :]
        row = row[: row.index("</tr>")]
        return " ".join(row.split())

    assert "1 waiting" in waiting_in_row(cast["rt5_lead"])
    assert "3 waiting" in waiting_in_row(cast["group_lead"])
