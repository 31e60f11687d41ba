"""`socialvalue demo`: the demo app loads the same demo, and says so, twice over."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone

from socialvalue.charters.models import Charter
from socialvalue.domain.periods import FinancialYear
from socialvalue.measurements.citations import citation_of
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.progress import charter_progress
from socialvalue.spend.services import spend_summary

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
    # As of 15 November 2026: every period of RXN-SV's years that has ended, the group's
    # reports, and six figures for years before RXN-SV's first that its targets are built on.
    assert recorded == 488
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


@pytest.mark.django_db
def test_the_demo_records_the_figures_its_targets_are_built_on(fixed_today):
    run_demo()
    rxn = Charter.objects.get(code="RXN-SV")
    earlier = Measurement.objects.filter(indicator__charter=rxn, period_end__lt=date(2023, 4, 1))
    assert sorted((m.indicator.code, m.period.key) for m in earlier) == [
        ("ECON-02", "2020/21"),
        ("ECON-03", "2022/23"),
        ("ECON-04", "2022/23"),
        ("EDU-07", "2022/23"),
        ("ENV-04", "2022/23"),
        ("LEAD-02", "2022/23"),
    ]
    assert all(m.state == "approved" for m in earlier)
    assert all(citation_of(m).startswith("Demo figure:") for m in earlier)
    # ECON-02's baseline is a recorded figure, not written into the charter's target.
    assert "baseline_value" not in rxn.indicators.get(code="ECON-02").target_params
    progress = charter_progress(rxn, year=FinancialYear(2023), as_of=TODAY)
    stuck = [
        i.indicator.code
        for i in progress.indicators
        if "not yet recorded" in i.assessment.explanation
    ]
    assert stuck == []
    econ03 = next(i for i in progress.indicators if i.indicator.code == "ECON-03")
    assert econ03.assessment.target_text.startswith("Up 5% on 2022/23 (")


@pytest.mark.django_db
def test_the_demo_trust_s_local_spend_is_worked_out_from_its_ledger(fixed_today):
    run_demo()
    econ02 = Measurement.objects.filter(
        indicator__charter__code="RXN-SV", indicator__code="ECON-02"
    ).order_by("period_start")
    baseline, *quarters = econ02
    # The 2020/21 baseline is a typed demo figure; every whole quarter from the charter's
    # first year to 30 September 2026 is worked out from the one demo import, approved with
    # no person, its source naming the file and the rows.
    assert (baseline.period.key, baseline.source.kind) == ("2020/21", "typed")
    assert [q.period.key for q in quarters] == [
        f"{year}/{(year + 1) % 100:02d}-Q{n}" for year in (2023, 2024, 2025) for n in (1, 2, 3, 4)
    ] + ["2026/27-Q1", "2026/27-Q2"]
    assert {(q.source.kind, q.state, q.recorded_by_id) for q in quarters} == {
        ("import", "approved", None)
    }
    assert quarters[0].source.label.startswith(
        "import "
    ) and "demo-spend-over-25000.csv rows 2–" in (quarters[0].source.label)
    # By hand from the demo's monthly amounts (before growth and noise): the six suppliers in
    # Lancashire £4.80m of the £13.50m influenceable (NHS bodies and the council left out),
    # 35.6%; the two the register does not know £2.10m of it, 15.6%, not placed.
    rxn = Charter.objects.get(code="RXN-SV").organisation
    year = spend_summary(rxn).years[-2]  # 2025/26, the last whole year
    assert year.period.label == "2025-26"
    assert 0.33 < year.local_share.value < 0.38
    assert 0.13 < year.unplaced_share.value < 0.18
    assert sum(q.value for q in quarters[8:12]) == year.local_share.numerator
