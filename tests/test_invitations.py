"""Inviting people by email, setting a password from the link, resetting a forgotten one,
and email addresses that are one address whatever their case."""

import re
from datetime import datetime, timedelta
from importlib import import_module

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from socialvalue.charters.models import Indicator
from socialvalue.organisations.invitations.tokens import invitation_token_generator
from socialvalue.organisations.models import Membership, User
from tests.conftest import SEEDS
from tests.factories import PASSWORD, MembershipFactory, UserFactory

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"
LINK = re.compile(r"http://testserver/(?:invitations|password-reset)/[^/\s]+/[^/\s]+/")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def the_link(message) -> str:
    (link,) = LINK.findall(message.body)
    return link.removeprefix("http://testserver")


# One address whatever its case ------------------------------------------------------------


def test_an_email_is_stored_in_lower_case(db):
    user = UserFactory(email="  Lead@RT5.Example ")
    user.refresh_from_db()
    assert user.email == "lead@rt5.example"


def test_a_second_person_with_the_same_address_in_other_case_is_refused(db):
    UserFactory(email="lead@rt5.example", username="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="LEAD@rt5.example", username="second")
    # The database refuses it too when save() is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="LEAD@RT5.example", username="third")])
    assert User.objects.count() == 1


def test_a_form_says_plainly_that_the_address_is_taken(db):
    UserFactory(email="lead@rt5.example", username="first")
    with pytest.raises(ValidationError) as refused:
        User(email="LEAD@RT5.example", username="second").validate_constraints()
    assert refused.value.messages == ["A person with this email address already exists"]


def test_sign_in_ignores_the_case_of_the_address(cast, client):
    response = client.post("/sign-in/", {"email": "LEAD@RXN.Test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast["rxn_lead"].pk)


def test_a_charter_files_owner_is_found_ignoring_case(cast, run_command, tmp_path):
    text = (SEEDS / "lancashire-teaching-hospitals-2023-24.yaml").read_text(encoding="utf-8")
    title = "title: Report each year the social value benefits delivered through Trust contracts."
    assert title in text
    text = text.replace(title, title + "\n            owner: OWNER@Rxn.Test", 1)
    path = tmp_path / "rxn.yaml"
    path.write_text(text, encoding="utf-8")

    code, _, err = run_command("charter", "load", str(path))

    assert (code, err) == (0, "")
    assert Indicator.objects.filter(owner=cast["rxn_owner"]).count() == 1


def test_the_migration_names_addresses_that_differ_only_in_case():
    migration = import_module(
        "socialvalue.organisations.migrations.0002_user_email_unique_ignoring_case"
    )
    rows = [(1, "lead@rt5.example"), (2, "owner@rt5.example"), (3, "LEAD@rt5.example ")]
    assert migration.duplicates_ignoring_case(rows) == {
        "lead@rt5.example": [(1, "lead@rt5.example"), (3, "LEAD@rt5.example ")]
    }
    assert migration.duplicates_ignoring_case([(1, "a@x.org"), (2, "b@x.org")]) == {}


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_duplicates_and_lowers_the_rest():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("organisations", "0001_initial")]
    after = [("organisations", "0002_user_email_unique_ignoring_case")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_user = executor.loader.project_state(before).apps.get_model("organisations", "User")
        old_user.objects.create(username="a", email="lead@rt5.example", password="x")
        duplicate = old_user.objects.create(username="b", email="LEAD@rt5.example", password="x")
        old_user.objects.create(username="c", email="Owner@RP1.example", password="x")

        executor = MigrationExecutor(connection)
        with pytest.raises(RuntimeError) as refused:
            executor.migrate(after)
        assert "lead@rt5.example: 'lead@rt5.example' (user id" in str(refused.value)
        assert "'LEAD@rt5.example' (user id" in str(refused.value)
        assert "socialvalue migrate" in str(refused.value)

        duplicate.delete()
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new_user = executor.loader.project_state(after).apps.get_model("organisations", "User")
        assert sorted(new_user.objects.values_list("email", flat=True)) == [
            "lead@rt5.example",
            "owner@rp1.example",
        ]
    finally:
        executor.loader.project_state(before).apps.get_model(
            "organisations", "User"
        ).objects.all().delete()
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


# Inviting with the command line -----------------------------------------------------------


def test_user_invite_sends_a_link_that_sets_the_password_and_signs_in(orgs, run_command, client):
    code, out, err = run_command(
        "user", "invite", "New.Lead@RXN.test", "--org", "rxn", "--role", "lead"
    )

    assert (code, err) == (0, "")
    assert out.strip() == "new.lead@rxn.test: social value lead at RXN; sent an invitation link"
    person = User.objects.get(email="new.lead@rxn.test")
    assert not person.has_usable_password()
    assert Membership.objects.get(user=person).role == "lead"
    (message,) = mail.outbox
    assert message.to == ["new.lead@rxn.test"]
    assert "Lancashire Teaching Hospitals" in message.subject
    assert "social value lead role at Lancashire Teaching Hospitals (RXN)" in message.body
    assert "works once, for 7 days" in message.body

    link = the_link(message)
    form = client.get(link, follow=True)
    assert "Set your password" in form.text and "new.lead@rxn.test" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your password is set and you are signed in" in done.text
    assert client.session["_auth_user_id"] == str(person.pk)
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)

    # One use: the same link no longer works, even signed out.
    client.post("/sign-out/")
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.text
    assert "new_password1" not in again.text


def test_an_invitation_link_expires(orgs, run_command, client, monkeypatch):
    run_command("user", "invite", "late@rxn.test", "--org", "RXN", "--role", "viewer")
    link = the_link(mail.outbox[0])
    sent = datetime.now()

    monkeypatch.setattr(
        invitation_token_generator, "_now", lambda: sent + timedelta(days=6, hours=23)
    )
    assert "Set your password" in client.get(link, follow=True).text

    client.cookies.clear()
    monkeypatch.setattr(
        invitation_token_generator, "_now", lambda: sent + timedelta(days=7, hours=1)
    )
    assert "This link no longer works" in client.get(link, follow=True).text


def test_a_tampered_link_does_not_work(orgs, run_command, client):
    run_command("user", "invite", "someone@rxn.test", "--org", "RXN", "--role", "viewer")
    link = the_link(mail.outbox[0])
    tampered = link[:-3] + ("0" if link[-3] != "0" else "1") + link[-2:]

    assert "This link no longer works" in client.get(tampered, follow=True).text


def test_user_invite_names_an_organisation_that_is_not_here(db, run_command):
    code, _, err = run_command("user", "invite", "a@rxn.test", "--org", "RXN", "--role", "lead")

    assert code == 1
    assert "No organisation with code RXN; add it first with `socialvalue org add RXN`" in err
    assert not User.objects.exists() and mail.outbox == []


def test_inviting_a_member_again_is_refused_naming_their_role(cast, run_command):
    code, _, err = run_command(
        "user", "invite", "LEAD@rxn.test", "--org", "RXN", "--role", "viewer"
    )

    assert code == 1
    assert "lead@rxn.test is already a member of RXN (social value lead)" in err
    assert mail.outbox == []
    assert Membership.objects.get(user=cast["rxn_lead"]).role == "lead"


def test_inviting_again_someone_who_never_set_a_password_sends_a_fresh_link(orgs, run_command):
    run_command("user", "invite", "slow@rxn.test", "--org", "RXN", "--role", "viewer")

    code, out, _ = run_command(
        "user", "invite", "slow@rxn.test", "--org", "RXN", "--role", "viewer"
    )

    assert code == 0
    assert out.strip() == "slow@rxn.test: viewer at RXN; sent an invitation link again"
    assert len(mail.outbox) == 2 and the_link(mail.outbox[1])
    assert User.objects.filter(email="slow@rxn.test").count() == 1


def test_a_new_person_gets_the_name_given(orgs, run_command):
    run_command(
        "user",
        "invite",
        "nina@rxn.test",
        "--org",
        "RXN",
        "--role",
        "viewer",
        "--first-name",
        " Nina ",
        "--last-name",
        "Brooks",
    )
    assert User.objects.get(email="nina@rxn.test").get_full_name() == "Nina Brooks"


def test_someone_with_a_password_elsewhere_is_told_to_sign_in(cast, orgs, run_command):
    name = cast["rt5_lead"].get_full_name()
    code, out, _ = run_command(
        "user",
        "invite",
        "lead@rt5.test",
        "--org",
        "RXN",
        "--role",
        "viewer",
        "--first-name",
        "Someone",
        "--last-name",
        "Else",
    )

    assert code == 0
    assert out.strip() == "lead@rt5.test: viewer at RXN; sent a note that they can sign in"
    assert set(cast["rt5_lead"].memberships.values_list("organisation__code", "role")) == {
        ("RT5", "lead"),
        ("RXN", "viewer"),
    }
    (message,) = mail.outbox
    assert LINK.findall(message.body) == []
    assert "You already have a password" in message.body
    cast["rt5_lead"].refresh_from_db()
    assert cast["rt5_lead"].get_full_name() == name  # people keep the name they have
    assert "http://testserver/sign-in/" in message.body


def test_a_deactivated_person_is_not_invited(orgs, run_command):
    UserFactory(email="gone@rxn.test", is_active=False)

    code, _, err = run_command("user", "invite", "Gone@rxn.test", "--org", "RXN", "--role", "lead")

    assert code == 1
    assert "gone@rxn.test has been deactivated" in err
    assert not Membership.objects.exists() and mail.outbox == []


def test_a_bad_address_is_refused(orgs, run_command):
    code, _, err = run_command("user", "invite", "not-an-address", "--org", "RXN", "--role", "lead")
    assert code == 1
    assert "not-an-address: enter an email address in the correct format" in err
    assert not User.objects.exists()


# Inviting on the web ----------------------------------------------------------------------


def test_a_lead_invites_a_colleague_on_the_web(cast, client):
    client.force_login(cast["rxn_lead"])

    page = client.get("/invitations/new/")
    assert page.status_code == 200
    assert 'value="contributor"' in page.text and 'value="administrator"' not in page.text
    assert "Invite a colleague" in client.get("/").text

    response = client.post(
        "/invitations/new/",
        {"email": "Colleague@RXN.test", "organisation": "RXN", "role": "contributor"},
        follow=True,
    )

    assert "Sent an invitation link to colleague@rxn.test" in response.text
    (message,) = mail.outbox
    assert message.to == ["colleague@rxn.test"]
    assert message.body.startswith(
        f"{cast['rxn_lead'].get_full_name()} has given you the indicator owner role at "
        "Lancashire Teaching Hospitals (RXN)"
    )
    assert Membership.objects.get(user__email="colleague@rxn.test").role == "contributor"


def test_a_lead_cannot_make_an_administrator(cast, client):
    client.force_login(cast["rxn_lead"])

    response = client.post(
        "/invitations/new/",
        {"email": "boss@rxn.test", "organisation": "RXN", "role": "administrator"},
    )

    assert response.status_code == 400
    assert not User.objects.filter(email="boss@rxn.test").exists()
    assert mail.outbox == []


def test_an_administrator_may_invite_an_administrator(cast, client):
    client.force_login(cast["rxn_admin"])
    client.post(
        "/invitations/new/",
        {"email": "boss@rxn.test", "organisation": "RXN", "role": "administrator"},
    )
    assert Membership.objects.get(user__email="boss@rxn.test").role == "administrator"


def test_a_lead_invites_only_to_their_own_organisation(cast, client):
    client.force_login(cast["rxn_lead"])

    response = client.post(
        "/invitations/new/",
        {"email": "spy@rt5.test", "organisation": "RT5", "role": "viewer"},
    )

    assert response.status_code == 400
    assert not User.objects.filter(email="spy@rt5.test").exists()


def test_viewers_and_owners_do_not_invite(cast, client):
    for person in ("rxn_viewer", "rxn_owner"):
        client.force_login(cast[person])
        assert client.get("/invitations/new/").status_code == 403
        assert (
            client.post(
                "/invitations/new/",
                {"email": "x@rxn.test", "organisation": "RXN", "role": "viewer"},
            ).status_code
            == 403
        )
        assert "Invite a colleague" not in client.get("/").text
    assert mail.outbox == []


def test_the_web_page_names_an_existing_member(cast, client):
    client.force_login(cast["rxn_lead"])

    response = client.post(
        "/invitations/new/",
        {"email": "Viewer@RXN.test", "organisation": "RXN", "role": "viewer"},
    )

    assert response.status_code == 400
    assert "viewer@rxn.test is already a member of RXN (viewer)" in response.text


# A forgotten password ---------------------------------------------------------------------


def test_the_sign_in_page_offers_a_password_reset(db, client):
    page = client.get("/sign-in/")
    assert 'href="/password-reset/">Forgotten your password?</a>' in page.text


def test_a_password_reset_by_email_signs_in_with_the_new_password(cast, client):
    response = client.post("/password-reset/", {"email": "OWNER@rxn.test"}, follow=True)

    assert "Check your email" in response.text
    (message,) = mail.outbox
    assert message.to == ["owner@rxn.test"]
    assert message.subject == "Social value: choose a new password"
    link = the_link(message)
    assert link.startswith("/password-reset/")

    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your new password is set and you are signed in" in done.text
    assert client.session["_auth_user_id"] == str(cast["rxn_owner"].pk)
    client.post("/sign-out/")
    assert (
        client.post("/sign-in/", {"email": "owner@rxn.test", "password": NEW_PASSWORD}).status_code
        == 302
    )
    assert "This link no longer works" in client.get(link, follow=True).text


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(db, client):
    response = client.post("/password-reset/", {"email": "nobody@rxn.test"}, follow=True)
    assert "Check your email" in response.text
    assert mail.outbox == []


def test_someone_invited_whose_link_expired_can_reset(orgs, run_command, client):
    run_command("user", "invite", "late@rxn.test", "--org", "RXN", "--role", "viewer")
    client.post("/password-reset/", {"email": "late@rxn.test"})
    assert len(mail.outbox) == 2
    assert the_link(mail.outbox[1]).startswith("/password-reset/")


def test_an_inactive_person_gets_no_reset(db, client):
    MembershipFactory(user=UserFactory(email="gone@rxn.test", is_active=False))
    client.post("/password-reset/", {"email": "gone@rxn.test"})
    assert mail.outbox == []
