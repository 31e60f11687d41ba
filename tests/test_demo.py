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
    assert sorted(Charter.objects.values_list("code", flat=True)) == [
        "LPT-NHFT-SV",
        "QE1-NZ",
        "RXN-SV",
    ]
    # The demo carries the charters on to the year containing today (2026/27), with no gap;
    # the net zero example keeps the years its file states, 2019/20 to 2028/29.
    last = {"LPT-NHFT-SV": 2026, "RXN-SV": 2026, "QE1-NZ": 2028}
    for charter in Charter.objects.all():
        years = sorted(p.start_year for p in charter.periods.all())
        assert years == list(range(years[0], last[charter.code] + 1))
    netzero = Charter.objects.get(code="QE1-NZ")
    assert netzero.organisation.code == "QE1"
    assert netzero.organisation.kind == "icb"
    assert not Measurement.objects.filter(indicator__charter=netzero).exists()

    # LEAD-02 keeps ethnicity and disability apart: each part a plausible share of senior
    # roles (about 13% and 4%), never one figure for both.
    lead02 = Measurement.objects.filter(
        indicator__charter__code="RXN-SV", indicator__code="LEAD-02"
    )
    assert lead02.exists()
    for measurement in lead02:
        parts = measurement.to_domain().parts
        assert measurement.numerator is None and measurement.value is None
        assert set(parts) == {"ethnic-minority", "disabled"}
        ethnic, disabled = (
            parts[k]["numerator"] / parts[k]["denominator"] for k in ("ethnic-minority", "disabled")
        )
        assert 0.11 < ethnic < 0.16 and 0.02 < disabled < 0.06

    second = run_demo()
    assert "Demo progress was already loaded; left as it is." in second
    assert Measurement.objects.count() == recorded
