"""LEAD-02 (senior roles, benchmarked on 2022/23) keeps ethnicity and disability apart through
the record form, a values sheet and `socialvalue status --json`, for a trust and for a group
whose members are pooled part by part (issue 11 item 4, ADR 019, docs/targets.md).

Hand-worked: ethnic minority 71 of 500 = 14.2% against 12% (up, achieved); disabled 16 of
516 = 3.1008% against 3.4% (down, missed); LEAD-02 is missed.
"""

import html
import json
import re
from decimal import Decimal

from socialvalue.charters.models import Indicator
from socialvalue.domain.shapes import Shape
from socialvalue.measurements import services
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.sheets import FILL_IN
from tests.helpers import record_approved, table_rows

YEAR = "2023/24"
BENCHMARKS = {
    "benchmark_period": "2022/23",
    "parts": [
        {"key": "ethnic-minority", "label": "ethnic minority", "benchmark_value": 12},
        {"key": "disabled", "label": "disabled", "benchmark_value": 3.4},
    ],
}
URL = "/charters/RXN-SV/indicators/LEAD-02/record/"


def lead02(seeded, owner=None, *, benchmarks=True) -> Indicator:
    indicator = seeded["RXN-SV"].indicators.get(code="LEAD-02")
    if benchmarks:
        indicator.target_params = BENCHMARKS
    indicator.owner = owner
    indicator.save()
    return indicator


def status(run_command, org):
    code, out, err = run_command("status", org, "--year", YEAR, "--as-of", "2024-04-30", "--json")
    assert code == 0, err
    data = json.loads(out)
    return {i["code"]: i for c in data["charters"] for i in c["indicators"]}


def posted(org, em, dis):
    return {
        "organisation": str(org.pk),
        "period": YEAR,
        "part_ethnic-minority_numerator": str(em[0]),
        "part_ethnic-minority_denominator": str(em[1]),
        "part_disabled_numerator": str(dis[0]),
        "part_disabled_denominator": str(dis[1]),
    }


def record_rxn_year(cast, orgs, indicator) -> None:
    """RXN's 2023/24: 71 of 500 ethnic-minority and 16 of 516 disabled, approved."""
    record_approved(
        lead=cast["rxn_lead"],
        recorder=cast["rxn_owner"],
        indicator=indicator,
        organisation=orgs["RXN"],
        key=YEAR,
        parts={
            "ethnic-minority": {"numerator": Decimal(71), "denominator": Decimal(500)},
            "disabled": {"numerator": Decimal(16), "denominator": Decimal(516)},
        },
    )


def test_the_record_form_takes_each_parts_share_and_status_judges_each_part(
    seeded, cast, orgs, sign_in, run_command
):
    indicator = lead02(seeded, cast["rxn_owner"])
    client = sign_in(cast["rxn_owner"])
    page = html.unescape(client.get(URL).content.decode())
    names = set(re.findall(r'<input[^>]*?\sname="(part_[^"]+)"', page))
    assert names == {
        "part_ethnic-minority_numerator",
        "part_ethnic-minority_denominator",
        "part_disabled_numerator",
        "part_disabled_denominator",
    }
    assert "Ethnic minority: out of how many (denominator)" in page
    assert 'name="numerator"' not in page

    refused = client.post(URL, posted(orgs["RXN"], (71, 500), (17, 16)))
    assert refused.status_code == 400
    assert "Disabled: the numerator must not be more than the denominator" in html.unescape(
        refused.content.decode()
    )
    refused = client.post(URL, posted(orgs["RXN"], (71.5, 500), (16, 516)))
    assert refused.status_code == 400
    assert not Measurement.objects.filter(indicator=indicator).exists()

    saved = client.post(URL, posted(orgs["RXN"], (71, 500), (16, 516)))
    assert saved.status_code == 302
    measurement = Measurement.objects.get(indicator=indicator)
    assert measurement.to_domain().parts == {
        "ethnic-minority": {"numerator": 71, "denominator": 500},
        "disabled": {"numerator": 16, "denominator": 516},
    }
    services.measurement_approve(actor=cast["rxn_lead"], measurement=measurement)

    lead = sign_in(cast["rxn_lead"])
    page = lead.get(f"/charters/RXN-SV/indicators/LEAD-02/?year={YEAR}").content.decode()
    assert [row[0] for row in table_rows(page, "parts")] == ["ethnic minority", "disabled"]
    assert [row[2] for row in table_rows(page, "parts")] == ["Achieved", "Missed"]
    assert {row[1] for row in table_rows(page, "trend")} == {"ethnic-minority", "disabled"}

    result = status(run_command, "RXN")["LEAD-02"]
    assert result["status"] == "missed"
    assert result["explanation"] == (
        "ethnic minority: 71 of 500 senior roles (14.2%) against 12% in 2022/23, up; "
        "disabled: 16 of 516 senior roles (3.1%) against 3.4% in 2022/23, down (by 31 March)"
    )
    assert result["actual"] is None  # no one figure stands for both groups
    assert result["parts"] == [
        {
            "key": "ethnic-minority",
            "label": "ethnic minority",
            "actual": 14.2,
            "target": 12,
            "numerator": 71,
            "denominator": 500,
            "status": "achieved",
            "explanation": "71 of 500 senior roles (14.2%) against 12% in 2022/23, up",
        },
        {
            "key": "disabled",
            "label": "disabled",
            "actual": 3.1008,
            "target": 3.4,
            "numerator": 16,
            "denominator": 516,
            "status": "missed",
            "explanation": "16 of 516 senior roles (3.1%) against 3.4% in 2022/23, down",
        },
    ]


def test_the_seed_without_benchmark_figures_says_what_is_missing(seeded, cast, orgs, run_command):
    indicator = lead02(seeded, cast["rxn_owner"], benchmarks=False)
    record_rxn_year(cast, orgs, indicator)
    result = status(run_command, "RXN")["LEAD-02"]
    assert result["status"] == "no_data"
    assert result["explanation"] == (
        "ethnic minority: 71 of 500 senior roles (14.2%); benchmark for 2022/23 not yet "
        "recorded; disabled/long term condition: 16 of 516 senior roles (3.1%); benchmark for "
        "2022/23 not yet recorded (by 31 March)"
    )
    assert [p["numerator"] for p in result["parts"]] == [71, 16]


def test_a_values_sheet_records_each_parts_share(seeded, cast, run_command, tmp_path):
    # The workbook's instructions say what to fill in for every shape.
    assert set(FILL_IN) == {shape.value for shape in Shape}
    assert FILL_IN["share_parts"] == "numerator and denominator, on one row per part"
    indicator = lead02(seeded)
    code, _out, err = run_command(
        "values", "sheet", "RXN-SV", "--year", YEAR, "--by", "lead@rxn.test",
        "-o", str(tmp_path / "values.xlsx"),
    )  # fmt: skip
    assert code == 0, err
    path = tmp_path / "values.csv"
    code, _out, err = run_command(
        "values", "sheet", "RXN-SV", "--year", YEAR, "--by", "lead@rxn.test", "-o", str(path)
    )
    assert code == 0, err
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    ours = [line for line in lines if ",LEAD-02," in line]
    assert [line.split(",")[header.index("part")] for line in ours] == [
        "ethnic-minority",
        "disabled",
    ]
    figures = {"ethnic-minority": ("71", "500"), "disabled": ("16", "516")}
    out = [lines[0]]
    for line in ours:
        cells = line.split(",")
        cells[header.index("numerator")], cells[header.index("denominator")] = figures[
            cells[header.index("part")]
        ]
        out.append(",".join(cells))
    path.write_text("\r\n".join(out) + "\r\n", encoding="utf-8")

    code, out_text, err = run_command(
        "values", "import", str(path), "--by", "lead@rxn.test", "--json"
    )

    assert code == 0, err
    assert json.loads(out_text)["new"] == 1
    measurement = Measurement.objects.get(indicator=indicator)
    assert measurement.to_domain().parts == {
        "ethnic-minority": {"numerator": 71, "denominator": 500},
        "disabled": {"numerator": 16, "denominator": 516},
    }

    # A numerator above its denominator is refused, saying where; nothing is saved.
    path.write_text(
        "\r\n".join([out[0], out[1].replace(",71,500,", ",710,500,")]) + "\r\n",
        encoding="utf-8",
    )
    code, _out, err = run_command("values", "import", str(path), "--by", "lead@rxn.test")
    assert code == 1
    assert "numerator must not be more than the denominator" in err
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_a_group_pools_each_part_from_its_members(seeded, cast, orgs, run_command):
    # The group charter gets LEAD-02's target on one of its indicators (no values yet).
    charter = seeded["LPT-NHFT-SV"]
    indicator = charter.indicators.get(code="ECON-02")
    indicator.target_kind, indicator.target_params = "increase_on_benchmark", BENCHMARKS
    indicator.frequency, indicator.unit = "annual", "% of senior roles"
    indicator.save()
    charter.self_approval_allowed = True
    charter.save()
    lead = cast["group_lead"]

    def approved(recorder, org, em, dis):
        record_approved(
            lead=lead,
            recorder=recorder,
            indicator=indicator,
            organisation=orgs[org],
            key=YEAR,
            parts={
                "ethnic-minority": {"numerator": Decimal(em[0]), "denominator": Decimal(em[1])},
                "disabled": {"numerator": Decimal(dis[0]), "denominator": Decimal(dis[1])},
            },
        )

    # RT5 30 of 200 (15%) and 5 of 200 (2.5%); RP1 41 of 300 (13.67%) and 11 of 316 (3.48%).
    approved(cast["rt5_lead"], "RT5", (30, 200), (5, 200))
    approved(cast["group_lead"], "RP1", (41, 300), (11, 316))

    result = status(run_command, "LPT-NHFT")["ECON-02"]
    ethnic, disabled = result["parts"]
    assert (ethnic["numerator"], ethnic["denominator"], ethnic["actual"]) == (71, 500, 14.2)
    assert (disabled["numerator"], disabled["denominator"]) == (16, 516)
    # Not the average of the members' percentages (2.99% for disabled colleagues).
    assert disabled["actual"] == 3.1008
    assert (ethnic["status"], disabled["status"], result["status"]) == (
        "achieved",
        "missed",
        "missed",
    )
    # One member alone: its own figures.
    rt5 = status(run_command, "RT5")["ECON-02"]
    assert [p["actual"] for p in rt5["parts"]] == [15, 2.5]


def test_each_parts_benchmark_is_recorded_for_the_benchmark_year(
    seeded, cast, orgs, sign_in, run_command
):
    # ADR 020: the 2022/23 figures, 60 of 500 (12%) and 17 of 500 (3.4%), recorded on the
    # earlier-year page; the seed gives no benchmark figure.
    indicator = lead02(seeded, cast["rxn_owner"], benchmarks=False)
    client = sign_in(cast["rxn_lead"])
    response = client.post(
        "/charters/RXN-SV/indicators/LEAD-02/earlier/2022-23/",
        {**posted(orgs["RXN"], (60, 500), (17, 500)), "period": "2022/23", "citation": "WRES 2022"},
    )
    assert response.status_code == 302
    earlier = Measurement.objects.get(indicator=indicator)
    services.measurement_approve(actor=cast["rxn_admin"], measurement=earlier)
    record_rxn_year(cast, orgs, indicator)
    result = status(run_command, "RXN")["LEAD-02"]
    assert [p["target"] for p in result["parts"]] == [12, 3.4]
    assert [p["status"] for p in result["parts"]] == ["achieved", "missed"]
