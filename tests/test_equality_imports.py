"""Saving the workforce equality, outpatient and carbon imports, and the figures worked out
from them (issue 15, ADR 024), end to end through `socialvalue import KIND FILE --org`.

The files are in tests/fixtures/equality (their shapes and sources: tests/fixtures/README.md);
the DESNZ 2024 flat file is the real shared one.
"""

import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command

from socialvalue.domain.periods import FinancialYear
from socialvalue.equality import figures
from socialvalue.equality.models import (
    EqualitySettings,
    Factor,
    FactorSet,
    OutpatientCount,
    PaperPurchase,
    RecruitmentCount,
    StaffCount,
    SurveyResult,
)
from socialvalue.imports.models import Import, ImportFile
from tests.conftest import SHARED_DATA

FIXTURES = Path(__file__).parent / "fixtures" / "equality"
RECRUITMENT = FIXTURES / "rxn-wres-wdes-recruitment-2022-2023.csv"
RECRUITMENT_BAD = FIXTURES / "rxn-wres-recruitment-bad-rows.csv"
SURVEY = FIXTURES / "rxn-staff-survey-wres-wdes-2023.csv"
WORKFORCE = FIXTURES / "rxn-esr-workforce-by-band-2022-2023.csv"
OUTPATIENTS = FIXTURES / "rxn-outpatients-by-medium-2023-24.csv"
PAPER = FIXTURES / "rxn-paper-orders-2022-2024.csv"
PAPER_BAD = FIXTURES / "rxn-paper-orders-bad-rows.csv"
DESNZ_2024 = SHARED_DATA / "carbon" / "desnz_ghg_conversion_factors_2024_flat_format_v1_1.xlsx"
needs_desnz = pytest.mark.skipif(
    not DESNZ_2024.exists(), reason=f"the DESNZ 2024 flat file is not at {DESNZ_2024}"
)
FY22, FY23 = FinancialYear(2022), FinancialYear(2023)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def run_json(*args):
    code, out, _ = run(*args, "--json")
    return code, json.loads(out)


def by_key(found):
    return {f.key: f for f in found}


def test_recruitment_saves_and_reproduces_the_worked_figures(orgs):
    code, data = run_json("recruitment", str(RECRUITMENT), "--org", "RXN")
    assert code == 0, data["problems"]
    assert (data["state"], data["dry_run"]) == ("done", False)
    assert data["files"][0]["rows"] == 10 and data["files"][0]["rows_rejected"] == 0
    assert data["saved"] == {"recruitment counts": 10}
    record = Import.objects.get(pk=data["import"])
    [kept] = record.files.all()
    assert kept.sha256 == __import__("hashlib").sha256(RECRUITMENT.read_bytes()).hexdigest()
    rxn = orgs["RXN"]
    fy22 = by_key(figures.recruitment(rxn, FY22))
    # 250/1000 vs 120/800 = 1.67; 1,800 of 1,850 shortlisted stated their ethnicity.
    assert fy22["recruitment:ethnicity"].value == D("1.67")
    assert fy22["recruitment:ethnicity"].data["declaration_rate_percent"] == "97.3"
    # NHS Resolution 2021/22 WDES 2: 19.1% vs 5.9% = 3.24.
    assert fy22["recruitment:disability"].value == D("3.24")
    assert fy22["recruitment:ethnicity"].imports == (record.pk,)
    assert fy22["recruitment:ethnicity"].files[0]["file"] == RECRUITMENT.name
    fy23 = by_key(figures.recruitment(rxn, FY23))
    # The Christie 2022: 46.99% vs 14.65% = 3.21.
    assert fy23["recruitment:ethnicity"].value == D("3.21")
    # None of 40 Disabled candidates appointed: no ratio, with the reason, flagged unstable.
    no_ratio = fy23["recruitment:disability"]
    assert no_ratio.value is None
    assert no_ratio.headline.startswith("no ratio: rate for Disabled candidates is 0 (0 of 40")
    assert no_ratio.headline.endswith("(unstable: small counts)")


def test_the_same_file_twice_adds_nothing(orgs):
    run("recruitment", str(RECRUITMENT), "--org", "RXN")
    code, data = run_json("recruitment", str(RECRUITMENT), "--org", "RXN")
    assert code == 0
    first = Import.objects.order_by("pk").first()
    assert data["already_imported"] == [
        {"file": RECRUITMENT.name, "sha256": first.files.get().sha256, "import": first.pk}
    ]
    assert data["saved"] == {}
    assert RecruitmentCount.objects.count() == 10
    assert figures.recruitment(orgs["RXN"], FY22)[0].value == D("1.67")


def test_a_corrected_file_replaces_the_year_it_gives(orgs, tmp_path):
    run("recruitment", str(RECRUITMENT), "--org", "RXN")
    corrected = tmp_path / "corrected.csv"
    corrected.write_text(
        "Year,Characteristic,Group,Shortlisted,Appointed\n"
        "2022,Ethnicity,White,1000,200\n2022,Ethnicity,BME,800,160\n"
    )
    assert run("recruitment", str(corrected), "--org", "RXN")[0] == 0
    fy22 = by_key(figures.recruitment(orgs["RXN"], FY22))
    # (200/1000) / (160/800) = 1.00, from the newer import only; WDES 2 is still the first's.
    assert fy22["recruitment:ethnicity"].value == D("1.00")
    assert fy22["recruitment:disability"].value == D("3.24")


def test_bad_rows_are_refused_with_row_and_column_and_nothing_is_saved(orgs):
    code, out, err = run("recruitment", str(RECRUITMENT), str(RECRUITMENT_BAD), "--org", "RXN")
    assert code == 1
    name = RECRUITMENT_BAD.name
    assert f"{name}:3:Number of shortlisted applicants: 'ten' is not a whole number" in err
    assert f"{name}:4:Group: 'Martian' is not a group this reader knows" in err
    assert f"{name}:5:Number appointed from shortlisting: 45 appointed is more than" in err
    assert "failed: nothing was saved" in out
    assert RecruitmentCount.objects.count() == 0
    record = Import.objects.get()
    assert record.state == "failed" and record.report["rows_rejected"] == 3
    # The originals are kept, so the report can be checked against them.
    assert record.files.count() == 2


def test_paper_bad_rows_are_refused(orgs):
    code, data = run_json("paper", str(PAPER_BAD), "--org", "RXN")
    assert code == 1
    assert [(p["row"], p["column"]) for p in data["problems"]] == [
        (3, "Order Date"),
        (4, "Quantity"),
        (5, "UOM"),
    ]
    assert PaperPurchase.objects.count() == 0


def test_staff_survey_gaps_and_ratios_with_suppression(orgs):
    assert run("staff-survey", str(SURVEY), "--org", "RXN")[0] == 0
    assert SurveyResult.objects.count() == 12
    found = by_key(figures.staff_survey(orgs["RXN"], FY23))
    public = found["survey:public:ethnicity"]
    # BME 30.0% − White 24.0% = 6.0 points; 30.0 ÷ 24.0 = 1.25.
    assert (public.data["gap_points"], public.value) == ("6.0", D("1.25"))
    # Staff with a LTC: 31.0 ÷ 22.0 = 1.41.
    assert found["survey:public:disability"].value == D("1.41")
    # 9 respondents is under 11: suppressed, no ratio.
    managers = found["survey:managers:disability"]
    assert managers.value is None
    assert "fewer than 11 respondents" in managers.headline
    assert found["survey:colleagues:ethnicity"].value == D("1.36")


def test_senior_representation_against_the_benchmark_year(orgs):
    assert run("workforce", str(WORKFORCE), "--org", "RXN")[0] == 0
    assert StaffCount.objects.count() == 22
    found = by_key(figures.representation(orgs["RXN"], FY23, benchmark=FY22))
    ethnicity = found["representation:ethnicity"]
    # 2023: BME in 8c, 9, VSM = 5 + 2 = 7 of 34+5+1+8+2+10 = 60 -> 11.7%;
    # 2022: 3 + 1 = 4 of 36+3+1+9+1+10 = 60 -> 6.7%; change 5.0 points.
    assert (ethnicity.numerator, ethnicity.denominator) == (D(7), D(60))
    assert ethnicity.data["share_percent"] == "11.7"
    assert ethnicity.data["change_points"] == "5.0"
    # Disabled: 4 of 60 (6.7%) against 2 of 60 (3.3%).
    assert found["representation:disability"].data["change_points"] == "3.3"
    # The senior bands are a setting: without VSM and 9 the whole is 40.
    EqualitySettings.objects.create(organisation=orgs["RXN"], senior_bands="8c,8d")
    ethnicity = by_key(figures.representation(orgs["RXN"], FY23))["representation:ethnicity"]
    assert (ethnicity.numerator, ethnicity.denominator) == (D(5), D(40))
    assert ethnicity.assumptions == {"senior_bands": "8c,8d"}


@needs_desnz
def test_factors_are_kept_per_year_and_the_average_car_factor_reads_0_16691(orgs):
    code, data = run_json("factors", str(DESNZ_2024), "--org", "RXN")
    assert code == 0, data["problems"]
    saved = FactorSet.objects.get()
    assert (saved.year, saved.version) == (2024, "1.1")
    assert data["saved"]["factors"] == Factor.objects.filter(factor_set=saved).count()
    _, domain = figures.factor_set_for(orgs["RXN"], FY23.end)
    from socialvalue.domain.carbon import AVERAGE_CAR_KM

    assert domain.lookup(AVERAGE_CAR_KM).value == D("0.16691")


@needs_desnz
def test_virtual_share_and_avoided_travel_from_imports_and_settings(orgs):
    rxn = orgs["RXN"]
    assert run("outpatients", str(OUTPATIENTS), "--org", "RXN")[0] == 0
    assert OutpatientCount.objects.count() == 36
    found = by_key(figures.outpatients(rxn, FY23.start, FY23.end))
    share = found["outpatients:virtual_share"]
    # 12 months × (800 telephone + 200 telemedicine) = 12,000 of 12 × 4,000 = 48,000: 25.0%.
    assert (share.numerator, share.denominator, share.value) == (D(12000), D(48000), D(25))
    # The counts cite the file's rows they were read from: the header is row 3, the 36
    # counts rows 4 to 39.
    [cited] = share.files
    assert (cited["file"], cited["counted rows"], cited["row_ranges"]) == (
        OUTPATIENTS.name,
        "4–39",
        "4–39",
    )
    assert found["outpatients:avoided_travel"].value is None
    assert "the round-trip distance (settings)" in found["outpatients:avoided_travel"].headline

    assert run("factors", str(DESNZ_2024), "--org", "RXN")[0] == 0
    EqualitySettings.objects.create(
        organisation=rxn,
        round_trip_km=D(48),
        car_share=D("0.88"),
        bus_share=D("0.03"),
        rail_share=D("0.08"),
        travel_source="published audit: 24 km each way",
    )
    travel = by_key(figures.outpatients(rxn, FY23.start, FY23.end))["outpatients:avoided_travel"]
    # By hand: 0.88 × 0.16691 (car) + 0.03 × 0.10846 (bus) + 0.08 × 0.03546 (rail)
    #        = 0.1468808 + 0.0032538 + 0.0028368 = 0.1529714 kg CO2e per km;
    # 12,000 × 48 km × 0.1529714 = 88,111.5264 kg CO2e.
    assert travel.value == D("88111.5264")
    assert travel.factor_set["year"] == 2024
    assert travel.assumptions["round_trip_km"] == "48.00 km"
    assert travel.assumptions["mode_shares"] == "car 88.0%, bus 3.0%, rail 8.0%"
    factors_import = Import.objects.get(kind="factors")
    assert factors_import.pk in travel.imports


@needs_desnz
def test_paper_against_the_previous_year_with_its_carbon(orgs):
    rxn = orgs["RXN"]
    assert run("paper", str(PAPER), "--org", "RXN")[0] == 0
    assert run("factors", str(DESNZ_2024), "--org", "RXN")[0] == 0
    [paper] = figures.paper(rxn, FY23.start, FY23.end, baseline=(FY22.start, FY22.end))
    # 2023/24: 1,500 + 500 = 2,000 reams against 4 × 525 = 2,100 in 2022/23: −4.8%.
    # 2,000 reams × 2.4948 kg = 4.9896 t × 1,339.31834 kg CO2e/t = 6,682.66 kg CO2e.
    assert paper.value == D(2000)
    assert (paper.data["change_percent"], paper.data["kg_co2e"]) == ("-4.8", "6682.66")
    assert "Baseline: paper bought April 2022 to March 2023, 2100" in paper.method


def test_another_organisation_sees_none_of_it(orgs):
    run("recruitment", str(RECRUITMENT), "--org", "RXN")
    assert figures.recruitment(orgs["RT5"], FY22) == []
    assert ImportFile.objects.count() == 1


# --- What an indicator stores (socialvalue/equality/indicators.py) -------------------------


def indicator(computation, **params):
    from types import SimpleNamespace

    return SimpleNamespace(computation=computation, target_params=params)


RATIO_PARTS = {
    "recruitment": [
        {"key": "ethnicity", "label": "WRES 2", "group_a": "White", "group_b": "BME"},
        {"key": "disability", "label": "WDES 2", "group_a": "Non-disabled", "group_b": "Disabled"},
    ],
    "survey": [
        {"key": "ethnicity", "label": "WRES 5", "group_a": "BME", "group_b": "White"},
        {"key": "disability", "label": "WDES 4a", "group_a": "Disabled", "group_b": "Non-disabled"},
    ],
}


def test_recruitment_parts_are_the_four_counts_per_characteristic(orgs):
    from socialvalue.equality.indicators import compute

    run("recruitment", str(RECRUITMENT), "--org", "RXN")
    period = FY22.periods("annual")[0]
    computed = compute(
        indicator("workforce.recruitment_likelihood", parts=RATIO_PARTS["recruitment"]),
        orgs["RXN"],
        period,
    )
    assert computed.parts == {
        "ethnicity": {
            "events_a": D(250),
            "population_a": D(1000),
            "events_b": D(120),
            "population_b": D(800),
        },
        "disability": {
            "events_a": D(191),
            "population_a": D(1000),
            "events_b": D(59),
            "population_b": D(1000),
        },
    }
    assert computed.source["imports"] == [Import.objects.get().pk]
    assert "= 1.67" in computed.method and "= 3.24" in computed.method


def test_survey_parts_give_the_ratio_of_percentages_and_leave_out_suppressed_groups(orgs):
    from socialvalue.equality.indicators import compute

    run("staff-survey", str(SURVEY), "--org", "RXN")
    period = FY23.periods("annual")[0]
    public = compute(
        indicator("survey.harassment_public", parts=RATIO_PARTS["survey"]),
        orgs["RXN"],
        period,
    )
    part = public.parts["ethnicity"]
    # BME 30.0% of 700 = 210 "events"; White 24.0% of 3,000 = 720: (210/700) / (720/3000) = 1.25.
    assert (part["events_a"], part["population_a"]) == (D(210), D(700))
    assert (part["events_a"] / part["population_a"]) / (
        part["events_b"] / part["population_b"]
    ) == D("1.25")
    managers = compute(
        indicator("survey.harassment_managers", parts=RATIO_PARTS["survey"]),
        orgs["RXN"],
        period,
    )
    assert set(managers.parts) == {"ethnicity"}
    assert "fewer than 11 respondents" in managers.method


def test_virtual_share_per_month_and_paper_per_quarter(orgs):
    from socialvalue.equality.indicators import compute

    run("outpatients", str(OUTPATIENTS), "--org", "RXN")
    run("paper", str(PAPER), "--org", "RXN")
    april = FY23.periods("monthly")[0]
    share = compute(indicator("outpatients.virtual_share"), orgs["RXN"], april)
    assert (share.numerator, share.denominator) == (D(1000), D(4000))
    q1, q2, q3, _ = FY23.periods("quarterly")
    assert compute(indicator("paper.reams"), orgs["RXN"], q1).value == D(1500)
    assert compute(indicator("paper.reams"), orgs["RXN"], q2).value == D(500)
    assert compute(indicator("paper.reams"), orgs["RXN"], q3) is None
