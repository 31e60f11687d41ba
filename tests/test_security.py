"""Site-wide protections: `next` only to this site, a Content-Security-Policy on every
page, no caching of signed-in pages and evidence, limits per upload request, and sign-in
attempts limited per account and per address (django-axes)."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from socialvalue.domain.periods import Period
from socialvalue.measurements import services
from socialvalue.measurements.models import Evidence, Measurement
from socialvalue.organisations.redirects import safe_next
from tests.factories import PASSWORD, UserFactory

SIGN_IN = "/sign-in/"


# --- next ---------------------------------------------------------------------------------

UNSAFE_NEXT = [
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "https://evil.example/",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
    "evil.example/approvals/",
    " //evil.example/",
]


@pytest.mark.parametrize("candidate", UNSAFE_NEXT)
def test_safe_next_refuses_anything_but_a_path_on_this_site(candidate):
    request = RequestFactory().get("/")
    assert safe_next(request, candidate, "/home/") == "/home/"


@pytest.mark.parametrize("candidate", ["/approvals/", "/charters/RXN-SV/?year=2023/24"])
def test_safe_next_keeps_a_path_on_this_site(candidate):
    assert safe_next(RequestFactory().get("/"), candidate, "/home/") == candidate


@pytest.mark.parametrize("candidate", UNSAFE_NEXT)
def test_signing_in_never_leaves_the_site(client, cast, candidate):
    response = client.post(
        SIGN_IN, {"email": "lead@rxn.test", "password": PASSWORD, "next": candidate}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_signing_in_follows_a_path_on_this_site(client, cast):
    response = client.post(
        SIGN_IN, {"email": "lead@rxn.test", "password": PASSWORD, "next": "/approvals/"}
    )
    assert response["Location"] == "/approvals/"


def test_a_review_never_sends_the_reviewer_off_the_site(seeded, cast, orgs, sign_in):
    edu03 = seeded["RXN-SV"].indicators.get(code="EDU-03")
    value = services.measurement_record(
        actor=cast["rxn_admin"],
        indicator=edu03,
        organisation=orgs["RXN"],
        period=Period.from_key("2023/24-Q1"),
        reading=services.Reading(value=Decimal(3)),
    )
    response = sign_in(cast["rxn_lead"]).post(
        f"/values/{value.pk}/review/", {"decision": "approved", "next": "//evil.example/"}
    )
    assert response["Location"] == "/approvals/"
    value.refresh_from_db()
    assert value.state == "approved"


# --- Content-Security-Policy and caching --------------------------------------------------


def _nonce(response) -> str:
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
    [nonce] = re.findall(r"script-src 'self' 'nonce-([^']+)'", policy)
    return nonce


@pytest.mark.parametrize("url", ["/", "/charters/RXN-SV/", "/approvals/", "/no-such-page/"])
def test_every_signed_in_page_has_a_csp_whose_nonce_is_on_every_script(seeded, cast, sign_in, url):
    response = sign_in(cast["rxn_lead"]).get(url)
    nonce = _nonce(response)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert len(scripts) == 2  # the NHS.UK frontend's two: js-enabled and initAll
    assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert "no-store" in response["Cache-Control"]


def test_each_response_has_its_own_nonce(client, db):
    assert _nonce(client.get(SIGN_IN)) != _nonce(client.get(SIGN_IN))


def test_the_sign_in_page_has_a_csp_but_may_be_cached(client, db):
    response = client.get(SIGN_IN)
    _nonce(response)
    assert "no-store" not in response.get("Cache-Control", "")


def test_an_evidence_download_is_never_stored(seeded, cast, orgs, sign_in):
    edu03 = seeded["RXN-SV"].indicators.get(code="EDU-03")
    value = services.measurement_record(
        actor=cast["rxn_lead"],
        indicator=edu03,
        organisation=orgs["RXN"],
        period=Period.from_key("2023/24-Q1"),
        reading=services.Reading(value=Decimal(3)),
        evidence=[services.Upload(name="list.csv", content=b"name,count\nA,3\n")],
    )
    response = sign_in(cast["rxn_lead"]).get(f"/evidence/{value.evidence.get().pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


# --- Upload limits ------------------------------------------------------------------------


def _post_files(client, orgs, files):
    return client.post(
        "/charters/RXN-SV/indicators/EDU-03/record/",
        {
            "organisation": str(orgs["RXN"].pk),
            "period": "2023/24-Q1",
            "value": "3",
            "evidence": files,
        },
    )


def _csv(name, size):
    return SimpleUploadedFile(name, b"a,b\n" + b"1,2\n" * (size // 4), "text/csv")


def test_too_many_files_in_one_upload_are_refused_with_a_message(seeded, orgs, cast, sign_in):
    files = [_csv(f"f{n}.csv", 8) for n in range(11)]
    response = _post_files(sign_in(cast["rxn_lead"]), orgs, files)
    assert response.status_code == 400
    assert "Select up to 10 files at a time (11 were selected)" in response.content.decode()
    assert not Measurement.objects.exists()


def test_far_too_many_files_are_refused_before_the_form(seeded, orgs, cast, sign_in):
    files = [_csv(f"f{n}.csv", 8) for n in range(12)]
    response = _post_files(sign_in(cast["rxn_lead"]), orgs, files)
    assert response.status_code == 400
    assert not Measurement.objects.exists()


def test_files_over_the_total_size_are_refused_with_a_message(
    seeded, orgs, cast, sign_in, settings
):
    settings.UPLOAD_MAX_TOTAL_MB = 1
    # Two files of 600 KB: each under the 10 MB file limit, 1.2 MB together.
    files = [_csv("a.csv", 600 * 1024), _csv("b.csv", 600 * 1024)]
    response = _post_files(sign_in(cast["rxn_lead"]), orgs, files)
    assert response.status_code == 400
    assert "The selected files must be smaller than 1 MB together" in response.content.decode()
    assert not Measurement.objects.exists() and not Evidence.objects.exists()


def test_files_within_the_limits_are_kept(seeded, orgs, cast, sign_in, settings):
    settings.UPLOAD_MAX_TOTAL_MB = 1
    files = [_csv("a.csv", 400 * 1024), _csv("b.csv", 400 * 1024)]
    response = _post_files(sign_in(cast["rxn_lead"]), orgs, files)
    assert response.status_code == 302
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == ["a.csv", "b.csv"]


# --- Sign-in limits -----------------------------------------------------------------------


def _attempt(client, email, password="wrong-password", address="192.0.2.1"):
    return client.post(SIGN_IN, {"email": email, "password": password}, REMOTE_ADDR=address)


LOCKED = "There have been too many failed attempts to sign in. Wait 15 minutes and try again."


def test_an_account_is_locked_after_five_failures_from_any_address(client, cast):
    for n in range(4):
        response = _attempt(client, "lead@rxn.test", address=f"192.0.2.{n + 1}")
        assert response.status_code == 400
        assert "Enter a correct email address and password" in response.content.decode()
    # The fifth failure (typed in capitals: the same account) locks it.
    response = _attempt(client, "LEAD@rxn.test", address="192.0.2.5")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # Now even the right password, from a new address, is refused.
    response = _attempt(client, "lead@rxn.test", password=PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    response = _attempt(client, "owner@rxn.test", password=PASSWORD, address="198.51.100.8")
    assert response.status_code == 302


def test_an_address_is_locked_after_five_failures_on_any_accounts(client, cast):
    for email in ["a@x.test", "b@x.test", "c@x.test", "d@x.test"]:
        assert _attempt(client, email).status_code == 400
    assert _attempt(client, "e@x.test").status_code == 429
    response = _attempt(client, "lead@rxn.test", password=PASSWORD)
    assert response.status_code == 429
    assert (
        _attempt(client, "lead@rxn.test", password=PASSWORD, address="192.0.2.99").status_code
        == 302
    )


def test_a_success_resets_the_accounts_count(client, cast):
    for n in range(4):
        _attempt(client, "lead@rxn.test", address=f"192.0.2.{n + 1}")
    assert (
        _attempt(client, "lead@rxn.test", password=PASSWORD, address="192.0.2.50").status_code
        == 302
    )
    client.post("/sign-out/")
    for n in range(4):
        assert _attempt(client, "lead@rxn.test", address=f"203.0.113.{n + 1}").status_code == 400


def test_the_limits_come_from_settings(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert _attempt(client, "lead@rxn.test").status_code == 400
    assert _attempt(client, "lead@rxn.test", address="192.0.2.2").status_code == 429


def test_the_admin_sites_sign_in_is_limited_too(client, db):
    UserFactory(email="root@platform.test", is_superuser=True, is_staff=True)
    ok = client.post("/admin/login/", {"username": "ROOT@platform.test", "password": PASSWORD})
    assert ok.status_code == 302
    client.post("/sign-out/")
    for _ in range(4):
        response = client.post("/admin/login/", {"username": "root@platform.test", "password": "x"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "root@platform.test", "password": "x"})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
