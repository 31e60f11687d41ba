"""`socialvalue import recruitment|staff-survey|workforce|outpatients|factors|paper --dry-run`.

The worked figures of REFERENCE.md section 3 are reproduced through the import. Files are
written inline in the shapes described in tests/domain/test_workforce_files.py; the DESNZ
2024 flat file and the merged staff survey results are the real shared files.
"""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import SHARED_DATA

DESNZ_2024 = SHARED_DATA / "carbon" / "desnz_ghg_conversion_factors_2024_flat_format_v1_1.xlsx"
SURVEY_MERGED = (
    SHARED_DATA / "workforce" / "nhs_staff_survey_2021-2024_org_results_ebmgt_merged.csv"
)
needs_desnz = pytest.mark.skipif(
    not DESNZ_2024.exists(), reason=f"the DESNZ 2024 flat file is not at {DESNZ_2024}"
)


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


def recruitment_csv(tmp_path, name, rows, characteristic="Ethnicity"):
    path = tmp_path / name
    groups = ("White", "BME") if characteristic == "Ethnicity" else ("Non-disabled", "Disabled")
    lines = ["Characteristic,Group,Shortlisted,Appointed"]
    for group, (shortlisted, appointed) in zip(groups, rows, strict=True):
        lines.append(f"{characteristic},{group},{shortlisted},{appointed}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("characteristic", "counts", "ratio", "reason"),
    [
        # The Christie 2022: 46.99% vs 14.65%, as counts per 10,000 shortlisted -> 3.21.
        ("Ethnicity", [(10000, 4699), (10000, 1465)], "3.21", None),
        # NHS Resolution 2021/22 WDES 2: 19.1% vs 5.9% -> 3.24.
        ("Disability", [(1000, 191), (1000, 59)], "3.24", None),
        # (250/1000) / (120/800) = 1.67.
        ("Ethnicity", [(1000, 250), (800, 120)], "1.67", None),
        # None of 40 appointed in the comparison group: no ratio.
        (
            "Ethnicity",
            [(50, 10), (40, 0)],
            None,
            "no ratio: rate for BME candidates is 0 (0 of 40 BME candidates, "
            "against 10 of 50 White candidates)",
        ),
    ],
)
def test_recruitment_worked_figures_through_the_import(
    orgs, tmp_path, characteristic, counts, ratio, reason
):
    path = recruitment_csv(tmp_path, "r.csv", counts, characteristic)
    code, data = run_json("recruitment", str(path), "--org", "RXN", "--dry-run")
    assert code == 0
    assert data["ok"] and data["dry_run"]
    [figure] = data["figures"]
    assert figure["ratio"] == ratio
    assert figure["reason"] == reason
    assert figure["declaration_rate_percent"] == "100.0"
    assert figure["method"].startswith(("WRES 2: (White appointed", "WDES 2: (Non-disabled"))


def test_recruitment_text_report_says_how_it_was_worked_out(orgs, tmp_path):
    path = recruitment_csv(tmp_path, "r.csv", [(1000, 250), (800, 120)])
    code, out, err = run("recruitment", str(path), "--org", "RXN", "--dry-run")
    assert code == 0 and err == ""
    assert f"{path}: 2 rows read (counts by group)" in out
    assert "WRES 2: 1.67; declaration rate 100.0%" in out
    assert (
        "How this was worked out: WRES 2: (White appointed 250 ÷ White shortlisted 1000) ÷ "
        "(BME appointed 120 ÷ BME shortlisted 800) = 1.67." in out
    )
    assert out.rstrip().endswith("Dry run: nothing was saved.")


def test_the_unstable_threshold_is_an_option(orgs, tmp_path):
    path = recruitment_csv(tmp_path, "r.csv", [(100, 20), (40, 8)])
    _, data = run_json("recruitment", str(path), "--org", "RXN", "--dry-run")
    assert data["figures"][0]["small_counts"] == ["BME appointed 8"]
    _, data = run_json("recruitment", str(path), "--org", "RXN", "--dry-run", "--threshold", "5")
    assert data["figures"][0]["unstable"] is False


def test_the_dry_run_saves_nothing_and_without_it_the_import_is_saved(orgs, tmp_path):
    from socialvalue.imports.models import Import

    path = recruitment_csv(tmp_path, "r.csv", [(1000, 250), (800, 120)])
    run("recruitment", str(path), "--org", "RXN", "--dry-run")
    assert not Import.objects.exists()
    code, out, _ = run("recruitment", str(path), "--org", "RXN")
    assert code == 0
    record = Import.objects.get()
    assert f"Import {record.pk} done: saved 2 recruitment counts." in out


def test_an_unknown_organisation_is_refused(orgs, tmp_path):
    path = recruitment_csv(tmp_path, "r.csv", [(1000, 250), (800, 120)])
    with pytest.raises(CommandError, match="No organisation has the code 'XXX'"):
        call_command("import", "recruitment", str(path), "--org", "XXX", "--dry-run")


def test_one_bad_file_means_no_figures_from_any_file(orgs, tmp_path):
    good = recruitment_csv(tmp_path, "good.csv", [(1000, 250), (800, 120)])
    bad = tmp_path / "bad.csv"
    bad.write_text("Characteristic,Group,Shortlisted,Appointed\nEthnicity,White,10,12\n")
    code, out, err = run("recruitment", str(good), str(bad), "--org", "RXN", "--dry-run")
    assert code == 1
    assert f"{bad}: refused, 1 problem; nothing from it is used" in out
    assert f"{bad}:2: Appointed: 12 appointed is more than the 10 shortlisted" in err
    assert "WRES 2" not in out
    code, data = run_json("recruitment", str(good), str(bad), "--org", "RXN", "--dry-run")
    assert code == 1
    assert data["ok"] is False and data["figures"] == []
    assert data["problems"] == [
        {
            "file": str(bad),
            "sheet": None,
            "row": 2,
            "column": "Appointed",
            "message": "12 appointed is more than the 10 shortlisted",
        }
    ]


def test_a_missing_file_is_a_problem(orgs, tmp_path):
    code, data = run_json("paper", str(tmp_path / "nope.csv"), "--org", "RXN", "--dry-run")
    assert code == 1
    assert data["problems"][0]["message"] == "no such file"


@needs_desnz
def test_factors_report_the_set_and_the_average_car_factor(orgs):
    code, data = run_json(
        "factors", str(DESNZ_2024), "--org", "RXN", "--dry-run", "--show", "4_301_3074_4_1"
    )
    assert code == 0
    [figure] = data["figures"]
    assert (figure["year"], figure["version"]) == (2024, "1.1")
    car = figure["factors"][0]
    assert (car["id"], car["value"], car["unit"], car["row"]) == (
        "25_301_3074_4_1",
        "0.16691",
        "kg CO2e per km",
        5353,
    )
    assert (
        figure["factors"][-1]["path"]
        == "Passenger vehicles › Cars (by size) › Average car › Unknown"
    )
    assert data["files"][0]["notes"][:2] == [
        "sheet 'Sheet1' not read: not part of the official flat file",
        "sheet 'Sheet2' not read: not part of the official flat file",
    ]


OUTPATIENTS_CSV = """\
Month,Consultation medium,Appointments
2023-04,01,3000
2023-04,02,600
2023-04,03,400
"""


@needs_desnz
def test_outpatients_virtual_share_and_avoided_travel(orgs, tmp_path):
    # 1,000 virtual of 4,000 = 25%. Avoided: 1,000 × 48 km × 0.1529714 = 7,342.6272 kg CO2e
    # (the weighted factor is worked in tests/domain/test_carbon.py).
    path = tmp_path / "op.csv"
    path.write_text(OUTPATIENTS_CSV)
    code, data = run_json(
        "outpatients",
        str(path),
        "--org",
        "RXN",
        "--dry-run",
        "--factors",
        str(DESNZ_2024),
        "--round-trip-km",
        "48",
        "--mode",
        "car=0.88",
        "--mode",
        "bus=0.03",
        "--mode",
        "rail=0.08",
        "--assumptions-source",
        "trust travel survey 2023",
    )
    assert code == 0, data["problems"]
    share, travel = data["figures"]
    assert share["virtual_share_percent"] == "25.0"
    assert (share["virtual"], share["all"]) == (1000, 4000)
    assert travel["kg_co2e"] == "7342.63"
    assert travel["assumptions"] == {
        "round_trip_km": "48",
        "mode_shares": {"car": "0.88", "bus": "0.03", "rail": "0.08"},
        "source": "trust travel survey 2023",
    }
    assert travel["factor_set"] == {"year": 2024, "version": "1.1"}


def test_avoided_travel_needs_every_assumption(orgs, tmp_path):
    path = tmp_path / "op.csv"
    path.write_text(OUTPATIENTS_CSV)
    code, data = run_json(
        "outpatients", str(path), "--org", "RXN", "--dry-run", "--round-trip-km", "48"
    )
    assert code == 1
    assert data["problems"] == [
        {
            "message": "avoided patient travel needs all of --round-trip-km, --mode (one per "
            "mode, e.g. --mode car=0.88) and --factors"
        }
    ]


@needs_desnz
def test_paper_against_the_baseline_with_its_carbon(orgs, tmp_path):
    # 2,000 reams = 4.9896 t × 1,339.31834 = 6,682.66 kg CO2e; baseline 2,100 -> -4.8%.
    path = tmp_path / "paper.csv"
    path.write_text("Order date,Quantity,Unit\n2023-04-03,1500,reams\n2023-09-01,500,reams\n")
    code, data = run_json(
        "paper",
        str(path),
        "--org",
        "RXN",
        "--dry-run",
        "--factors",
        str(DESNZ_2024),
        "--baseline-reams",
        "2100",
    )
    assert code == 0, data["problems"]
    [paper] = data["figures"]
    assert (paper["reams"], paper["tonnes"], paper["change_percent"], paper["kg_co2e"]) == (
        "2000.00",
        "4.9896",
        "-4.8",
        "6682.66",
    )
    assert paper["factor"]["id"] == "19_506_5164_15_1"


def test_paper_without_factors_reports_use_only(orgs, tmp_path):
    path = tmp_path / "paper.csv"
    path.write_text("Month,Quantity,Unit\n2023-04,100,reams\n")
    code, out, _ = run("paper", str(path), "--org", "RXN", "--dry-run")
    assert code == 0
    assert "Paper: 100.00 reams (0.2495 tonnes) (no carbon figure: no factor set given; " in out


@pytest.mark.skipif(not SURVEY_MERGED.exists(), reason=f"no shared file at {SURVEY_MERGED}")
def test_staff_survey_merged_results_for_the_organisation(orgs):
    code, data = run_json("staff-survey", str(SURVEY_MERGED), "--org", "RXN", "--dry-run")
    assert code == 0
    assert len(data["figures"]) == 12
    assert data["figures"][0]["method"].startswith("As published: all staff")


def test_staff_survey_by_group(orgs, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "Question,Characteristic,Group,Respondents,Percent\n"
        "Abuse from colleagues,Ethnicity,White,3000,18.0\n"
        "Abuse from colleagues,Ethnicity,BME,600,24.5\n"
    )
    code, out, _ = run("staff-survey", str(path), "--org", "RXN", "--dry-run")
    assert code == 0
    assert (
        "Abuse from colleagues (ethnicity): gap 6.5 points (BME minus White, percentage points); "
        "ratio 1.36 (BME ÷ White)" in out
    )


def test_workforce_representation_against_the_benchmark_year(orgs, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(
        "Year,Band,Characteristic,Group,Headcount\n"
        "2022,Band 8c,Ethnicity,White,18\n"
        "2022,Band 8c,Ethnicity,BME,2\n"
        "2023,Band 8c,Ethnicity,White,15\n"
        "2023,VSM,Ethnicity,BME,5\n"
        "2023,Band 7,Ethnicity,BME,50\n"
    )
    # 2022: 2 of 20 = 10%; 2023: 5 of 20 = 25%; +15 points. Band 7 is not senior.
    code, data = run_json(
        "workforce", str(path), "--org", "RXN", "--dry-run", "--benchmark-year", "2022"
    )
    assert code == 0
    [figure] = data["figures"]
    assert (
        figure["share_percent"],
        figure["benchmark_share_percent"],
        figure["change_points"],
    ) == ("25.0", "10.0", "15.0")
    code, data = run_json(
        "workforce", str(path), "--org", "RXN", "--dry-run", "--benchmark-year", "2019"
    )
    assert code == 1
    assert data["problems"] == [
        {
            "message": "--benchmark-year 2019: the files have no rows for that year (they have "
            "2022, 2023)"
        }
    ]
