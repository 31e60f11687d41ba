"""The Lancashire charter's local-spend indicator (ECON-02, `computation: spend.local_spend`)
takes its values from spend imports alone, end to end through the CLI and the indicator page.

Hand figures: the ledger of tests/test_spend_summary.py, local area BB5, read quarterly:
  2023-24 Q1 (rows 2, 3): Local Widgets 100.00 (local, row 2); the NHS trust 50.00
    (public body): local spend £100.00 of influenceable £100.00.
  2023-24 Q2 (row 4): Faraway Supplies 200.00, not local: local spend £0.00.
  2023-24 Q4 (rows 5, 6): Mr J Smith 30.00 (never placed), Local Widgets (20.00) (row 6):
    local spend −£20.00; could not be placed £30.00.
  2024-25 Q1 (row 7): Bay Community Kitchen 400.00, local: £400.00.
The corrected file (same name, Local Widgets 100.00 → 120.00 on row 2) makes 2023-24 Q1
£120.00, version 2, "Recomputed from import N".
"""

import html
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from socialvalue.charters.models import Indicator
from socialvalue.measurements.models import Measurement
from socialvalue.sources.models import Kind as SourceKind
from socialvalue.suppliers.models import Supplier
from socialvalue.suppliers.services import local_area_set
from tests.test_spend_summary import LEDGER, run


@pytest.fixture
def econ(seeded, orgs):
    rxn = orgs["RXN"]
    for name, normal, postcode, sme, vcfse in [
        ("Local Widgets Ltd", "local widgets", "BB5 1AA", True, False),
        ("Faraway Supplies Ltd", "faraway supplies", "SW1A 1AA", False, None),
        ("Bay Community Kitchen CIC", "bay community kitchen", "BB5 2XX", True, True),
    ]:
        Supplier.objects.create(
            organisation=rxn,
            name=name,
            normalised_name=normal,
            postcode=postcode,
            sme=sme,
            vcfse=vcfse,
        )
    local_area_set(organisation=rxn, choices=["BB5"], by="Ann Lead")
    indicator = Indicator.objects.get(charter__code="RXN-SV", code="ECON-02")
    assert (indicator.source, indicator.computation) == ("computed", "spend.local_spend")
    return indicator


def values(indicator) -> dict[date, list[Measurement]]:
    out: dict[date, list[Measurement]] = {}
    for m in Measurement.objects.filter(indicator=indicator).order_by("period_start", "version"):
        out.setdefault(m.period_start, []).append(m)
    return out


def test_an_import_alone_fills_the_local_spend_indicator(econ, orgs, tmp_path, cast, sign_in):
    ledger = tmp_path / "hand.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    code, _, err = run(ledger, "--org", "RXN")
    assert code == 0, err
    by_period = values(econ)
    assert {d: [m.value for m in ms] for d, ms in by_period.items()} == {
        date(2023, 4, 1): [D("100.00")],
        date(2023, 7, 1): [D("0")],
        date(2024, 1, 1): [D("-20.00")],
        date(2024, 4, 1): [D("400.00")],
    }
    q1 = by_period[date(2023, 4, 1)][0]
    record = q1.source.import_record
    assert record is not None and record.organisation == orgs["RXN"]
    assert (q1.version, q1.recorded_by, q1.state) == (1, None, "approved")
    assert q1.source.kind == SourceKind.IMPORT
    assert q1.source.computation == "spend.local_spend"
    assert q1.source.label == f"import {record.pk}, hand.csv rows 2–3 (local: 2)"
    inputs = q1.source.inputs
    assert inputs["files"] == [
        {
            "import": record.pk,
            "file": "hand.csv",
            "sha256": record.files.get().sha256,
            "rows": "2–3",
            "local rows": "2",
        }
    ]
    assert inputs["figures"]["influenceable spend"] == "100.00000000"
    # Q1: £100 local of £100 influenceable.
    assert inputs["figures"]["local share of influenceable"] == "100.0%"
    (widgets,) = inputs["local suppliers"]
    local = Supplier.objects.get(normalised_name="local widgets")
    assert widgets["supplier"] == f"no. {local.pk}: Local Widgets Ltd"
    assert (widgets["matched by"], widgets["district"], widgets["lines"]) == ("name", "BB5", 1)
    assert widgets["why local"] == "BB5 is a local postcode district"
    assert inputs["local area"]["chosen"] == ["BB5"]
    q4 = by_period[date(2024, 1, 1)][0]
    assert q4.source.inputs["figures"]["could not be placed"] == "30.00000000"
    assert "Smith" not in str(q4.source.inputs) and "Smith" not in q4.source.label

    # The indicator page lists the values and explains each down to the rows.
    client = sign_in(cast["rxn_lead"])
    page = html.unescape(
        client.get(
            reverse("measurements:view_indicator", args=["RXN-SV", "ECON-02"])
        ).content.decode()
    )
    assert f"From import {record.pk}, hand.csv rows 2–3 (local: 2)" in page
    source_page = html.unescape(
        client.get(reverse("measurements:view_source", args=[q1.pk])).content.decode()
    )
    assert "spend.local_spend, version 1" in source_page
    assert "Local Widgets Ltd" in source_page and "BB5" in source_page
    assert "Smith" not in source_page


def test_the_baseline_year_before_the_charter_is_worked_out_as_one_figure(econ, tmp_path):
    """ECON-02 grows 5% a year on 2020/21, a year before the charter's first (ADR 020): a
    ledger of 2020/21 gives that year's local spend as one annual figure (£150.00 + £50.00,
    the NHS trust left out and Faraway not local); the quarters of 2020/21 are not stored."""
    ledger = tmp_path / "2020.csv"
    ledger.write_text(
        "Date,Supplier,Amount,Expense Type\n"
        "01/04/2020,Local Widgets Ltd,150.00,Equipment\n"
        "15/10/2020,Faraway Supplies Ltd,900.00,Equipment\n"
        "31/03/2021,Bay Community Kitchen CIC,50.00,Catering\n"
        "30/06/2020,Blackpool Teaching Hospitals NHS Foundation Trust,70.00,Clinical\n",
        encoding="utf-8",
    )
    code, _, err = run(ledger, "--org", "RXN")
    assert code == 0, err
    [baseline] = Measurement.objects.filter(indicator=econ)
    assert (baseline.period.label, baseline.frequency, baseline.value) == (
        "2020/21",
        "annual",
        D("200.00"),
    )
    assert baseline.source.computation == "spend.local_spend"


def test_a_corrected_file_recomputes_the_indicator_with_a_new_version(econ, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = tmp_path / "a" / "hand.csv"
    first.write_text(LEDGER, encoding="utf-8")
    run(first, "--org", "RXN")
    corrected = tmp_path / "b" / "hand.csv"
    corrected.write_text(LEDGER.replace("Local Widgets Ltd,100.00", "Local Widgets Ltd,120.00"))
    code, _, err = run(corrected, "--org", "RXN")
    assert code == 0, err
    q1 = values(econ)[date(2023, 4, 1)]
    assert [m.value for m in q1] == [D("100.00"), D("120.00")]
    new = q1[1]
    assert new.supersedes == q1[0]
    assert new.reason == f"Recomputed from import {new.source.import_record_id}"
    assert new.source.import_record_id != q1[0].source.import_record_id
    # Importing the same corrected file again changes nothing: no third version.
    run(corrected, "--org", "RXN")
    assert len(values(econ)[date(2023, 4, 1)]) == 2


def test_no_local_area_no_local_spend_values(seeded, orgs, tmp_path):
    ledger = tmp_path / "hand.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    code, _, _ = run(ledger, "--org", "RXN")
    assert code == 0
    assert not Measurement.objects.filter(indicator__code="ECON-02").exists()


def test_a_changed_local_area_recomputes_with_a_reason_the_system_writes(
    econ, tmp_path, orgs, django_capture_on_commit_callbacks
):
    """Faraway Supplies (SW1A) is not local under BB5 alone; adding SW1A to the local area
    makes 2023-24 Q2 £200.00, a new version whose reason names the change."""
    ledger = tmp_path / "hand.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    run(ledger, "--org", "RXN")
    assert [m.value for m in values(econ)[date(2023, 7, 1)]] == [D("0")]
    with django_capture_on_commit_callbacks(execute=True):
        local_area_set(organisation=orgs["RXN"], choices=["BB5", "SW1A"], by="Ann Lead")
    q2 = values(econ)[date(2023, 7, 1)]
    assert [(m.version, m.value) for m in q2] == [(1, D("0")), (2, D("200.00"))]
    assert q2[1].reason == "Recomputed: the local area changed (Ann Lead)"
    assert q2[1].source.inputs["local area"]["chosen"] == ["BB5", "SW1A"]
    # Q1's figure is the same (Local Widgets was local already), but the definition of local
    # it was worked out under changed, so it too has a new version that records it.
    q1 = values(econ)[date(2023, 4, 1)]
    assert [(m.version, m.value) for m in q1] == [(1, D("100.00")), (2, D("100.00"))]


def test_a_source_label_names_rows_or_when_they_do_not_fit_counts_them():
    from socialvalue.spend.indicators import LABEL_LENGTH, source_label

    short = source_label([12], [("hand.csv", "2–3", "2", 2, 1)])
    assert short == "import 12, hand.csv rows 2–3 (local: 2)"
    assert (
        source_label([3, 4], [("a.csv", "2", "", 1, 0)])
        == "imports 3, 4, a.csv rows 2 (local: none)"
    )
    # Every other row of a million-line file: the ranges would run to megabytes.
    ranges = ", ".join(str(n) for n in range(2, 2_000, 2))
    long = source_label([7], [("big.csv", ranges, "4, 8", 999_999, 2)])
    assert long == "import 7, big.csv: 999,999 rows (local: 2)"
    many = source_label([7], [(f"file-{n:03}.csv", ranges, "", 10, 0) for n in range(40)])
    assert len(many) == LABEL_LENGTH and many.endswith("…")
