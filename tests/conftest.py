"""A fixed cast: two unrelated trusts, a group of two member trusts, and people by role.

- RXN (stand-alone trust): rxn_lead, rxn_owner (indicator owner), rxn_viewer, rxn_admin
- RT5 and RP1 (members of group LPT-NHFT): group_lead (lead at the group), rt5_lead, rp1_owner
- QE1 (an ICB) owns the example net zero charter QE1-NZ.
- `seeded` loads every shipped seed charter (RXN-SV with 38 indicators, LPT-NHFT-SV, QE1-NZ).
"""

import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from socialvalue.charters.services import charter_load_spec
from socialvalue.domain.charterfile import parse_charter
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

SEEDS = Path(__file__).resolve().parent.parent / "socialvalue" / "charters" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The public data set beside this checkout (../shared/data), or where SOCIALVALUE_SHARED_DATA
# points. Tests that need it must skip with a clear reason when it is absent.
SHARED_DATA = Path(
    os.environ.get(
        "SOCIALVALUE_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    )
)


_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(items):
    """Mark `once` the tests that use no database: their result cannot depend on which
    database the suite runs on, so scripts/test runs them on SQLite and not again on
    PostgreSQL (the pure domain, file readers and formulas are most of them)."""
    for item in items:
        uses_database = item.get_closest_marker("django_db") or _DATABASE_FIXTURES.intersection(
            getattr(item, "fixturenames", ())
        )
        if not uses_database:
            item.add_marker(pytest.mark.once)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Kept pages (ADR 029, 031) in the test's own folder: none from another test or run.
    settings.CACHES = {
        **settings.CACHES,
        "pages": {**settings.CACHES["pages"], "LOCATION": str(tmp_path / "pages")},
    }
    # Background tasks run at once, in the test's process (tests/test_import_jobs.py runs the
    # database backend's worker once).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def orgs(db):
    group = OrganisationFactory(code="LPT-NHFT", name="LPT and NHFT Group", kind="group")
    return {
        "RXN": OrganisationFactory(code="RXN", name="Lancashire Teaching Hospitals"),
        "LPT-NHFT": group,
        "RT5": OrganisationFactory(code="RT5", name="Leicestershire Partnership", parent=group),
        "RP1": OrganisationFactory(code="RP1", name="Northamptonshire Healthcare", parent=group),
        "QE1": OrganisationFactory(code="QE1", name="Lancashire and South Cumbria ICB", kind="icb"),
    }


def _person(email, org, role):
    user = UserFactory(email=email)
    MembershipFactory(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def cast(orgs):
    return {
        "rxn_lead": _person("lead@rxn.test", orgs["RXN"], "lead"),
        "rxn_owner": _person("owner@rxn.test", orgs["RXN"], "contributor"),
        "rxn_viewer": _person("viewer@rxn.test", orgs["RXN"], "viewer"),
        "rxn_admin": _person("admin@rxn.test", orgs["RXN"], "administrator"),
        "group_lead": _person("lead@group.test", orgs["LPT-NHFT"], "lead"),
        "rt5_lead": _person("lead@rt5.test", orgs["RT5"], "lead"),
        "rp1_owner": _person("owner@rp1.test", orgs["RP1"], "contributor"),
    }


@pytest.fixture
def seeded(cast):
    charters = {}
    for path in sorted(SEEDS.glob("*.yaml")):
        spec = parse_charter(path.read_text(encoding="utf-8"), path=str(path))
        charter = charter_load_spec(spec=spec).charter
        charters[charter.code] = charter
    return charters


@pytest.fixture
def sign_in(client):
    def _sign_in(user):
        client.force_login(user)
        return client

    return _sign_in


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def run_command(capsys):
    """Run a management command as the CLI would; returns (exit code, stdout, stderr)."""

    def _run(*args):
        code, message = 0, ""
        try:
            call_command(*args)
        except SystemExit as exit_:
            code = exit_.code
        except CommandError as error:
            code, message = 1, str(error)
        out, err = capsys.readouterr()
        return code, out, err + message

    return _run
