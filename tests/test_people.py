"""People pages: an organisation's administrators see who belongs, change roles and remove
memberships, in the organisation's own terms; nobody else reaches them, and an
organisation always keeps an administrator.

The cast at RXN: rxn_admin (administrator), rxn_lead, rxn_owner (indicator owner),
rxn_viewer. Elsewhere: the group LPT-NHFT with RT5 and RP1.
"""

import pytest
from django.core.exceptions import PermissionDenied

from socialvalue.charters.models import Charter
from socialvalue.organisations.models import Membership
from socialvalue.organisations.people import services
from tests.factories import MembershipFactory, UserFactory

PEOPLE = "/organisations/RXN/people/"


def _membership(user, org) -> Membership:
    return Membership.objects.get(user=user, organisation=org)


def _role_url(m) -> str:
    return f"/organisations/{m.organisation.code}/people/{m.pk}/role/"


def _remove_url(m) -> str:
    return f"/organisations/{m.organisation.code}/people/{m.pk}/remove/"


def test_an_administrator_reaches_people_from_the_navigation(cast, sign_in):
    client = sign_in(cast["rxn_admin"])
    home = client.get("/").content.decode()
    nav = home.split('class="nhsuk-header__navigation', 1)[1].split("</nav>", 1)[0]
    assert 'href="/people/"' in nav and "People" in nav
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"] == PEOPLE


@pytest.mark.parametrize("who", ["rxn_lead", "rxn_owner", "rxn_viewer"])
def test_nobody_else_sees_or_reaches_people(cast, sign_in, who):
    client = sign_in(cast[who])
    assert 'href="/people/"' not in client.get("/").content.decode()
    assert client.get("/people/").status_code == 403
    assert client.get(PEOPLE).status_code == 403
    m = _membership(cast["rxn_viewer"], cast["rxn_viewer"].memberships.get().organisation)
    assert client.post(_role_url(m), {"role": "administrator"}).status_code == 403
    assert client.post(_remove_url(m)).status_code == 403
    m.refresh_from_db()
    assert m.role == "viewer"


def test_the_page_lists_members_by_role_in_the_organisations_terms(cast, sign_in):
    html = sign_in(cast["rxn_admin"]).get(PEOPLE).content.decode()
    table = html.split('id="people"', 1)[1].split("</table>", 1)[0]
    for email, role in [
        ("admin@rxn.test", "Administrator"),
        ("lead@rxn.test", "Social value lead"),
        ("owner@rxn.test", "Indicator owner"),
        ("viewer@rxn.test", "Viewer"),
    ]:
        row = table.split(email, 1)[1].split("</tr>", 1)[0]
        assert role in row, email
    assert table.count('role="row" class="nhsuk-table__row"') == 4
    assert "lead@rt5.test" not in html  # another organisation's people
    for word in ("staff", "superuser", "Staff", "Superuser"):
        assert word not in html
    assert "Records values for the indicators they own" in html


def test_another_organisations_people_are_not_found(cast, orgs, sign_in):
    client = sign_in(cast["rxn_admin"])
    assert client.get("/organisations/RT5/people/").status_code == 404
    rt5 = _membership(cast["rt5_lead"], orgs["RT5"])
    # Through RXN's address, RT5's membership does not exist either.
    assert client.post(f"{PEOPLE}{rt5.pk}/role/", {"role": "viewer"}).status_code == 404
    assert client.post(f"{PEOPLE}{rt5.pk}/remove/").status_code == 404
    rt5.refresh_from_db()
    assert rt5.role == "lead"


def test_an_administrator_changes_a_role(cast, orgs, sign_in):
    client = sign_in(cast["rxn_admin"])
    m = _membership(cast["rxn_owner"], orgs["RXN"])
    page = client.get(_role_url(m)).content.decode()
    assert 'value="contributor" checked' in page
    response = client.post(_role_url(m), {"role": "lead"}, follow=True)
    assert response.redirect_chain == [(PEOPLE, 302)]
    assert "is now social value lead at Lancashire Teaching Hospitals" in response.content.decode()
    m.refresh_from_db()
    assert m.role == "lead"


def test_a_role_that_does_not_exist_is_refused(cast, orgs, sign_in):
    m = _membership(cast["rxn_owner"], orgs["RXN"])
    response = sign_in(cast["rxn_admin"]).post(_role_url(m), {"role": "superuser"})
    assert response.status_code == 400
    assert "Select one of the roles listed" in response.content.decode()
    m.refresh_from_db()
    assert m.role == "contributor"


def test_the_last_administrator_cannot_step_down_or_be_removed(cast, orgs, sign_in):
    client = sign_in(cast["rxn_admin"])
    own = _membership(cast["rxn_admin"], orgs["RXN"])
    response = client.post(_role_url(own), {"role": "lead"})
    assert response.status_code == 400
    message = "Lancashire Teaching Hospitals must keep an administrator"
    assert message in response.content.decode()
    response = client.post(_remove_url(own))
    assert response.status_code == 400 and message in response.content.decode()
    own.refresh_from_db()
    assert own.role == "administrator"

    # With a second administrator, the first may step down.
    MembershipFactory(
        user=UserFactory(email="admin2@rxn.test"), organisation=orgs["RXN"], role="administrator"
    )
    assert client.post(_role_url(own), {"role": "lead"}).status_code == 302
    own.refresh_from_db()
    assert own.role == "lead"


def test_removing_a_membership_takes_away_the_organisations_charters(seeded, cast, orgs, sign_in):
    m = _membership(cast["rxn_viewer"], orgs["RXN"])
    client = sign_in(cast["rxn_admin"])
    confirm = client.get(_remove_url(m)).content.decode()
    assert "Remove Test Person" in confirm and "viewer@rxn.test" in confirm
    assert Charter.objects.for_user(cast["rxn_viewer"]).filter(code="RXN-SV").exists()
    response = client.post(_remove_url(m), follow=True)
    assert response.redirect_chain == [(PEOPLE, 302)]
    assert "no longer belongs to Lancashire Teaching Hospitals" in response.content.decode()
    assert not Membership.objects.filter(pk=m.pk).exists()
    viewer = type(cast["rxn_viewer"]).objects.get(pk=cast["rxn_viewer"].pk)
    assert viewer.is_active  # the account is kept
    assert not Charter.objects.for_user(viewer).exists()


def test_a_platform_administrator_chooses_among_every_organisation(orgs, sign_in):
    root = UserFactory(email="root@platform.test", is_superuser=True, is_staff=True)
    client = sign_in(root)
    html = client.get("/people/").content.decode()
    for code in ("RXN", "RT5", "RP1", "LPT-NHFT"):
        assert f'href="/organisations/{code}/people/"' in html
    assert client.get("/organisations/RT5/people/").status_code == 200


def test_the_services_check_the_actor(cast, orgs):
    m = _membership(cast["rxn_viewer"], orgs["RXN"])
    with pytest.raises(PermissionDenied):
        services.membership_change_role(actor=cast["rxn_lead"], membership=m, role="lead")
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=cast["rt5_lead"], membership=m)
    # An administrator of a group does not administer its member trusts.
    group_admin = UserFactory(email="admin@group.test")
    MembershipFactory(user=group_admin, organisation=orgs["LPT-NHFT"], role="administrator")
    rt5 = _membership(cast["rt5_lead"], orgs["RT5"])
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=group_admin, membership=rt5)
    assert Membership.objects.filter(pk__in=[m.pk, rt5.pk]).count() == 2
