"""The Django admin: platform administrators see all; an organisation's administrator
manages only the people of the organisations they administer."""

import re

import pytest

from socialvalue.organisations.models import Membership, User
from tests.factories import UserFactory


def _membership_forms(**rows) -> dict:
    data = {
        "memberships-TOTAL_FORMS": str(len(rows.get("rows", []))),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, (organisation, role) in enumerate(rows.get("rows", [])):
        data[f"memberships-{i}-organisation"] = str(organisation.pk)
        data[f"memberships-{i}-role"] = role
    return data


def _new_person(**extra) -> dict:
    return {
        "email": "new.person@rxn.test",
        "username": "new.person@rxn.test",
        "first_name": "New",
        "last_name": "Person",
        "usable_password": "true",
        "password1": "a-long-enough-passphrase-42",
        "password2": "a-long-enough-passphrase-42",
        "_save": "Save",
        **extra,
    }


def test_only_administrators_reach_the_admin(cast, client):
    client.force_login(cast["rxn_lead"])
    assert client.get("/admin/").status_code == 302  # to the admin's sign-in
    client.force_login(cast["rxn_admin"])
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "People and organisations" in response.content.decode()


def test_an_organisation_administrator_sees_only_their_people(cast, client):
    client.force_login(cast["rxn_admin"])
    html = client.get("/admin/organisations/user/").content.decode()
    listed = set(re.findall(r"[\w.]+@[\w.]+\.test", html))
    assert listed == {"lead@rxn.test", "owner@rxn.test", "viewer@rxn.test", "admin@rxn.test"}
    other = cast["group_lead"]
    response = client.get(f"/admin/organisations/user/{other.pk}/change/")
    assert response.status_code == 302  # "does not exist" for them
    organisations = client.get("/admin/organisations/organisation/").content.decode()
    # Attribute values hold random tokens (CSRF, CSP nonces) that may spell "RT5" by chance.
    organisations = re.sub(r'="[^"]*"', '=""', organisations)
    assert "RXN" in organisations and "RT5" not in organisations


def test_an_administrator_adds_a_person_to_their_organisation(cast, orgs, client):
    client.force_login(cast["rxn_admin"])
    response = client.post(
        "/admin/organisations/user/add/",
        {**_new_person(), **_membership_forms(rows=[(orgs["RXN"], "contributor")])},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(email="new.person@rxn.test")
    assert person.check_password("a-long-enough-passphrase-42")
    assert not person.is_superuser and not person.is_staff
    assert list(person.memberships.values_list("organisation__code", "role")) == [
        ("RXN", "contributor")
    ]


def test_a_person_must_join_one_of_their_organisations(cast, orgs, client):
    client.force_login(cast["rxn_admin"])
    response = client.post(
        "/admin/organisations/user/add/", {**_new_person(), **_membership_forms(rows=[])}
    )
    assert response.status_code == 200
    assert "Add the person to one of your organisations" in response.content.decode()
    assert not User.objects.filter(email="new.person@rxn.test").exists()


def test_an_administrator_cannot_add_people_to_another_organisation(cast, orgs, client):
    client.force_login(cast["rxn_admin"])
    response = client.post(
        "/admin/organisations/user/add/",
        {**_new_person(), **_membership_forms(rows=[(orgs["RT5"], "lead")])},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(email="new.person@rxn.test").exists()
    assert (
        not Membership.objects.filter(organisation=orgs["RT5"], role="lead")
        .exclude(user=cast["rt5_lead"])
        .exists()
    )


def test_an_administrator_cannot_grant_platform_powers(cast, client):
    viewer = cast["rxn_viewer"]
    client.force_login(cast["rxn_admin"])
    page = client.get(f"/admin/organisations/user/{viewer.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    membership = viewer.memberships.get()
    client.post(
        f"/admin/organisations/user/{viewer.pk}/change/",
        {
            "email": viewer.email,
            "username": viewer.username,
            "first_name": "Vicky",
            "last_name": viewer.last_name,
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": str(membership.pk),
            "memberships-0-user": str(viewer.pk),
            "memberships-0-organisation": str(membership.organisation_id),
            "memberships-0-role": "lead",
            "_save": "Save",
        },
    )
    viewer.refresh_from_db()
    assert viewer.first_name == "Vicky"
    assert viewer.memberships.get().role == "lead"
    assert not viewer.is_superuser and not viewer.is_staff


@pytest.mark.parametrize("who", ["rxn_admin"])
def test_people_in_other_organisations_too_are_left_to_the_platform(cast, orgs, client, who):
    shared = UserFactory(email="shared@both.test")
    Membership.objects.create(user=shared, organisation=orgs["RXN"], role="viewer")
    Membership.objects.create(user=shared, organisation=orgs["RT5"], role="viewer")
    client.force_login(cast[who])
    response = client.get(f"/admin/organisations/user/{shared.pk}/change/")
    assert response.status_code == 403
