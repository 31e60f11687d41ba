"""`socialvalue demo`: the demo app loads the same demo, and says so, twice over."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone

from socialvalue.charters.models import Charter
from socialvalue.measurements.models import Measurement

TODAY = date(2026, 11, 15)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_command_comes_from_the_demo_app():
    assert get_commands()["demo"] == "socialvalue.demo"


@pytest.mark.django_db
def test_demo_loads_once_then_leaves_its_progress_alone(fixed_today):
    first = run_demo()
    recorded = Measurement.objects.count()
    assert recorded > 0
    assert f"Recorded {recorded} demo values." in first
    assert "(password for all: demo-social-value):" in first
    assert "lead@rxn.example" in first
    assert sorted(Charter.objects.values_list("code", flat=True)) == ["LPT-NHFT-SV", "RXN-SV"]
    # The demo carries both charters on to the year containing today (2026/27).
    for charter in Charter.objects.all():
        assert max(p.start_year for p in charter.periods.all()) == 2026

    second = run_demo()
    assert "Demo progress was already loaded; left as it is." in second
    assert Measurement.objects.count() == recorded
