"""The Lancashire charter's computed indicators update from imports alone (issue 15 item 4,
ADR 024 and ADR 025): import the files with `socialvalue import KIND FILE --org RXN`, and the
disparity, staff-survey, representation, virtual-consultation and paper indicators hold the
figures, each linked to its import, formula, factors and assumptions on "How this was worked
out". The charter reports on 2023/24; the files are in tests/fixtures/equality."""

import html
import json
from decimal import Decimal as D
from io import StringIO

from django.core.management import call_command

from socialvalue.charters.models import Indicator
from socialvalue.equality.models import EqualitySettings
from socialvalue.imports.models import Import
from socialvalue.measurements.models import Measurement
from tests.test_equality_imports import (
    DESNZ_2024,
    OUTPATIENTS,
    PAPER,
    RECRUITMENT,
    SURVEY,
    WORKFORCE,
    needs_desnz,
    run,
)

CHARTER = "RXN-SV"


def values(code):
    return list(
        Measurement.objects.counted()
        .filter(indicator__code=code, indicator__charter__code=CHARTER)
        .order_by("period_start")
    )


def test_the_charter_names_a_computation_for_each_of_its_computed_indicators(seeded):
    computed = dict(
        Indicator.objects.filter(charter__code=CHARTER, source="computed")
        .exclude(computation="")
        .values_list("code", "computation")
    )
    assert computed == {
        "ECON-02": "spend.local_spend",
        "ENV-02": "outpatients.virtual_share",
        "ENV-04": "paper.reams",
        "LEAD-02": "workforce.senior_representation",
        "LEAD-03": "workforce.recruitment_likelihood",
        "LEAD-04": "survey.harassment_public",
        "LEAD-05": "survey.harassment_colleagues",
        "LEAD-06": "survey.harassment_managers",
    }


def test_recruitment_import_fills_the_disparity_ratio_and_its_page_explains_it(
    seeded, cast, sign_in
):
    code, out, _ = run("recruitment", str(RECRUITMENT), "--org", "RXN")
    assert code == 0, out
    assert "  LEAD-03 2023/24: computed value, version 1" in out
    record = Import.objects.get()
    [m] = values("LEAD-03")
    # 2023/24 (the 2023 submission): The Christie 4699/10000 vs 1465/10000 = 3.21; Disabled
    # 0 of 40 appointed: the counts are kept, the status engine gives no ratio.
    assert m.parts["ethnicity"] == {
        "events_a": "4699",
        "population_a": "10000",
        "events_b": "1465",
        "population_b": "10000",
    }
    assert m.parts["disability"]["events_b"] == "0"
    assert (m.version, m.state, m.recorded_by) == (1, "approved", None)
    source = m.source
    assert source.import_record == record
    assert source.computation == "workforce.recruitment_likelihood"
    assert "= 3.21" in source.method and "no ratio: rate for Disabled" in source.method
    assert source.inputs["files"][0]["file"] == RECRUITMENT.name
    assert source.inputs["assumptions"] == {"unstable_below": 10}
    client = sign_in(cast["rxn_lead"])
    page = client.get(f"/charters/{CHARTER}/indicators/LEAD-03/").content.decode()
    assert f"/values/{m.pk}/source/" in page
    explained = html.unescape(client.get(f"/values/{m.pk}/source/").content.decode())
    assert "How this was worked out" in explained
    assert (
        "WRES 2: (White appointed 4699 ÷ White shortlisted 10000) ÷ (BME appointed 1465 ÷ "
        "BME shortlisted 10000) = 3.21." in explained
    )
    assert f"Import {record.pk}" in explained
    report = client.get(f"/imports/{record.pk}/").content.decode()
    assert "LEAD-03, 2023/24: version 1" in report
    assert "rows 11–14" in explained  # the 2023 rows of the file


def test_the_same_file_twice_adds_no_version_and_a_correction_adds_one(seeded, tmp_path):
    run("recruitment", str(RECRUITMENT), "--org", "RXN")
    run("recruitment", str(RECRUITMENT), "--org", "RXN")
    assert Measurement.objects.filter(indicator__code="LEAD-03").count() == 1
    corrected = tmp_path / "wres-2023-corrected.csv"
    corrected.write_text(
        "Year,Characteristic,Group,Shortlisted,Appointed\n"
        "2023,Ethnicity,White,10000,4600\n2023,Ethnicity,BME,10000,1500\n"
    )
    run("recruitment", str(corrected), "--org", "RXN")
    newest = Import.objects.order_by("-pk").first()
    [m] = values("LEAD-03")
    assert (m.version, m.reason) == (2, f"Recomputed from import {newest.pk}")
    assert m.parts["ethnicity"]["events_a"] == "4600"
    # Disability still comes from the first file: only the ethnicity rows were corrected.
    assert m.parts["disability"]["population_b"] == "40"
    assert newest.report["indicators"] == [
        {"indicator": "LEAD-03", "period": "2023/24", "version": 2}
    ]


def test_staff_survey_and_workforce_fill_their_indicators(seeded):
    run("staff-survey", str(SURVEY), "--org", "RXN")
    run("workforce", str(WORKFORCE), "--org", "RXN")
    [public] = values("LEAD-04")
    # BME 30.0% of 700 over White 24.0% of 3,000: 210/700 ÷ 720/3000 = 1.25.
    assert public.parts["ethnicity"] == {
        "events_a": "210.0000",
        "population_a": "700",
        "events_b": "720.0000",
        "population_b": "3000",
    }
    [managers] = values("LEAD-06")
    # 9 Disabled respondents: suppressed, so no disability part, and the method says why.
    assert set(managers.parts) == {"ethnicity"}
    assert "fewer than 11 respondents" in managers.source.method
    [colleagues] = values("LEAD-05")
    assert colleagues.source.computation == "survey.harassment_colleagues"
    benchmark, senior = values("LEAD-02")
    # 7 BME staff in 8c, 9 and VSM of 60 in 2023/24; disabled 4 of 60: each part apart.
    assert senior.parts == {
        "ethnic-minority": {"numerator": "7", "denominator": "60"},
        "disabled": {"numerator": "4", "denominator": "60"},
    }
    # The benchmark year, before the charter's first, worked out from the same import as a
    # whole year (ADR 020): ethnic minority 4 of 60.
    assert benchmark.period.label == "2022/23"
    assert benchmark.parts["ethnic-minority"] == {"numerator": "4", "denominator": "60"}
    assert "benchmark 2022/23: 4 ÷ 60" in senior.source.method
    assert senior.source.inputs["assumptions"] == {"senior_bands": "8c,8d,9,VSM"}


def test_changing_the_senior_bands_recomputes_with_the_new_assumption(seeded, cast, sign_in):
    run("workforce", str(WORKFORCE), "--org", "RXN")
    client = sign_in(cast["rxn_lead"])
    client.post(
        "/equality/settings/?org=RXN",
        {"senior_bands": "8c,8d", "unstable_below": "10", "suppress_below": "11"},
    )
    assert EqualitySettings.objects.get().senior_bands == "8c,8d"
    _, senior = values("LEAD-02")
    assert senior.version == 2
    assert senior.parts["ethnic-minority"] == {"numerator": "5", "denominator": "40"}
    assert senior.source.inputs["assumptions"] == {"senior_bands": "8c,8d"}


@needs_desnz
def test_outpatients_and_paper_fill_env_02_and_env_04_with_their_factor_set(seeded):
    run("outpatients", str(OUTPATIENTS), "--org", "RXN")
    run("paper", str(PAPER), "--org", "RXN")
    months = values("ENV-02")
    assert len(months) == 12
    assert {(m.numerator, m.denominator) for m in months} == {(D(1000), D(4000))}
    # Each month cites its three rows of the file (April: rows 4 to 6; March: 37 to 39).
    april, march = months[0].source, months[-1].source
    assert [f["counted rows"] for f in april.inputs["files"]] == ["4–6"]
    assert [f["counted rows"] for f in march.inputs["files"]] == ["37–39"]
    assert april.label.endswith(f"{OUTPATIENTS.name}, rows 4–6")
    previous, q1, q2 = values("ENV-04")
    assert (q1.value, q2.value) == (D(1500), D(500))
    assert q1.source.factor_set == ""  # no factor set imported yet
    # The target is 5% below the previous year, which is before the charter's first: its
    # whole-year figure is worked out from the same import (4 orders of 525 reams, ADR 020).
    assert (previous.period.label, previous.value, previous.frequency) == (
        "2022/23",
        D(2100),
        "annual",
    )
    assert previous.source.computation == "paper.reams" and previous.recorded_by is None
    out = StringIO()
    call_command(
        "status", "RXN", "--year", "2023/24", "--as-of", "2023-10-15", "--json", stdout=out
    )
    out = out.getvalue()
    env_04 = next(
        i for c in json.loads(out)["charters"] for i in c["indicators"] if i["code"] == "ENV-04"
    )
    assert env_04["target"] == "Down 5% on 2022/23 (2,100 reams): at most 1,995 reams in 2023/24"
    factors_import = run("factors", str(DESNZ_2024), "--org", "RXN")
    assert factors_import[0] == 0
    _, q1, q2 = values("ENV-04")
    # The factors changed how the paper's carbon is worked out: a new version names the set.
    assert q1.version == 2
    assert q1.source.factor_set == "DESNZ GHG conversion factors 2024 (version 1.1)"
    assert "× 1339.31834 kg CO2e per tonne" in q1.source.method


def test_an_indicator_typed_in_by_hand_is_left_alone(seeded):
    Indicator.objects.filter(code="LEAD-03").update(source="manual", computation="")
    run("recruitment", str(RECRUITMENT), "--org", "RXN")
    assert values("LEAD-03") == []
