"""Settings read from the environment: production is safe by default, bad values fail loudly."""

import os
import subprocess
import sys

import pytest

from socialvalue.config.env import ImproperlyConfiguredEnvironment, env_bool, env_int

SCRIPT = os.path.join(os.path.dirname(sys.executable), "socialvalue")


def _run(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SOCIALVALUE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [SCRIPT, *args], env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "SOCIALVALUE_SECRET_KEY": "a" * 20 + "-not-a-real-key-but-long-and-varied-0123456789",
    "SOCIALVALUE_ALLOWED_HOSTS": "sv.example.nhs.uk",
    "SOCIALVALUE_EMAIL_BACKEND": "smtp",
}


def test_production_settings_pass_the_deploy_check(tmp_path):
    static = {"SOCIALVALUE_STATIC_ROOT": str(tmp_path / "static"), **PRODUCTION}
    collected = _run("collectstatic", "--noinput", **static)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    result = _run("check", "--deploy", "--fail-level", "WARNING", **static)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_with_email_on_the_console_fails_the_deploy_check(tmp_path):
    static = {"SOCIALVALUE_STATIC_ROOT": str(tmp_path / "static"), **PRODUCTION}
    assert _run("collectstatic", "--noinput", **static).returncode == 0
    result = _run("check", "--deploy", **{**static, "SOCIALVALUE_EMAIL_BACKEND": "console"})
    assert result.returncode != 0
    assert "socialvalue.E001" in result.stderr + result.stdout
    assert "SOCIALVALUE_EMAIL_BACKEND=smtp" in result.stderr + result.stdout


def test_the_deploy_check_fails_until_static_files_are_collected(tmp_path):
    missing = tmp_path / "static" / "staticfiles.json"
    static = {"SOCIALVALUE_STATIC_ROOT": str(tmp_path / "static"), **PRODUCTION}
    result = _run("check", "--deploy", **static)
    assert result.returncode != 0
    assert (
        f"(socialvalue.E002) Static files have not been collected ({missing} is missing), so "
        "every page would fail: run `socialvalue collectstatic`"
    ) in result.stderr
    # Other commands still run, so that `migrate` can come before `collectstatic`.
    assert _run("check", **static).returncode == 0


def test_the_wsgi_application_refuses_to_start_without_static_files(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SOCIALVALUE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(PRODUCTION, SOCIALVALUE_STATIC_ROOT=str(tmp_path / "static"))
    result = subprocess.run(
        [sys.executable, "-c", "import socialvalue.config.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: Static files have not been collected" in result.stderr
    assert "run `socialvalue collectstatic`" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _run("check")
    assert result.returncode != 0
    assert "Set the environment variable SOCIALVALUE_SECRET_KEY" in result.stderr


def test_bad_values_fail_loudly(monkeypatch):
    monkeypatch.setenv("SOCIALVALUE_X", "perhaps")
    with pytest.raises(
        ImproperlyConfiguredEnvironment, match="SOCIALVALUE_X must be true or false"
    ):
        env_bool("SOCIALVALUE_X", default=False)
    monkeypatch.setenv("SOCIALVALUE_X", "ten")
    with pytest.raises(ImproperlyConfiguredEnvironment, match="must be a whole number, not 'ten'"):
        env_int("SOCIALVALUE_X", default=1)
    monkeypatch.setenv("SOCIALVALUE_X", "no")
    assert env_bool("SOCIALVALUE_X", default=True) is False


def test_production_keeps_database_connections_and_debug_does_not():
    script = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    production = _run("shell", "--no-imports", "-c", script, **PRODUCTION)
    assert production.stdout.split() == ["60", "True"], production.stderr
    debug = _run("shell", "--no-imports", "-c", script, SOCIALVALUE_DEBUG="true")
    assert debug.stdout.split() == ["0", "True"], debug.stderr
    chosen = _run(
        "shell", "--no-imports", "-c", script, SOCIALVALUE_DB_CONN_MAX_AGE="5", **PRODUCTION
    )
    assert chosen.stdout.split()[0] == "5", chosen.stderr


def test_the_wsgi_application_freezes_what_it_loaded_out_of_the_collector(tmp_path):
    """ADR 033: each worker's loaded application (every view module included) is frozen
    out of the garbage collector's passes once, at start-up."""
    static = tmp_path / "static"
    static.mkdir()
    (static / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SOCIALVALUE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(PRODUCTION, SOCIALVALUE_STATIC_ROOT=str(static))
    probe = (
        "import gc, sys; before = gc.get_freeze_count(); import socialvalue.config.wsgi; "
        "print(before, gc.get_freeze_count(), 'socialvalue.measurements.views' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    before, frozen, views = result.stdout.split()
    assert int(frozen) > int(before) + 50_000 and views == "True"


def test_a_process_starts_without_the_ledger_reader_and_status_skips_the_checks():
    """polars (about a tenth of a second to import) is loaded only by what reads ledgers,
    and `socialvalue status`, a read, skips the system checks (which import every view):
    its start-up was about half its time."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SOCIALVALUE_DEBUG="true", DJANGO_SETTINGS_MODULE="socialvalue.config.settings")
    code = (
        "import sys, django; django.setup()\n"
        "from django.core.management import load_command_class\n"
        "status = load_command_class('socialvalue.measurements', 'status')\n"
        "print('polars' in sys.modules, status.requires_system_checks)\n"
        "from socialvalue.domain import ledger\n"
        "print('polars' in sys.modules)\n"
        "print(ledger.parse.__module__, 'polars' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "False []",
        "False",
        "socialvalue.domain.ledger.ledgerfile True",
    ]
