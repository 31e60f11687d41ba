"""Figures for years before the charter's first, on the web and through `status` (ADR 020).

RXN-SV reports on 2023/24 only. ECON-03 (quarterly opportunities, up 5% on the previous
year) is built on 2022/23; ENV-04 (quarterly reams, down 5% on the previous year) too;
ECON-02 (quarterly £, up 5% a year from 2020/21, no figure given) on 2020/21; LEAD-02
(annual share of senior roles, higher than 2022/23, no figure given) on 2022/23.
Figures worked out by hand in each test.
"""

import csv
import html
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from socialvalue.domain.periods import Period
from socialvalue.measurements import services
from socialvalue.measurements.citations import citation_of
from socialvalue.measurements.models import Measurement, ReviewState

CITATION = "Annual report 2022/23, page 14"


@pytest.fixture
def rxn(seeded):
    charter = seeded["RXN-SV"]
    # LEAD-02 as one share benchmark, without the seed's parts (a benchmark with parts is in
    # tests/domain/test_benchmark_parts.py), so that a share's earlier figure is tried here.
    lead02 = charter.indicators.get(code="LEAD-02")
    lead02.target_params = {"benchmark_period": "2022/23", "measure": "share"}
    lead02.save()
    return charter, {i.code: i for i in charter.indicators.all()}


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _words(response) -> str:
    """The page's text without its tags."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def earlier(actor, indicator, org, key="2022/23", citation=CITATION, **reading):
    return services.measurement_record(
        actor=actor,
        indicator=indicator,
        organisation=org,
        period=Period.from_key(key),
        reading=services.Reading(**{k: Decimal(v) for k, v in reading.items()}),
        citation=citation,
    )


def approved(cast, indicator, org, key, citation=CITATION, **reading):
    """Recorded by the lead, approved by the administrator: four eyes."""
    m = earlier(cast["rxn_lead"], indicator, org, key, citation, **reading)
    services.measurement_approve(actor=cast["rxn_admin"], measurement=m)
    return m


# --- The service: only the years a target is built on, whole, with a source ---------------


def test_an_earlier_figure_is_stored_for_the_whole_year_with_its_source(rxn, cast, orgs):
    _, ind = rxn
    m = earlier(cast["rxn_lead"], ind["ECON-03"], orgs["RXN"], value=120)
    assert (m.period.key, m.frequency, m.value, m.state) == (
        "2022/23",
        "annual",
        Decimal(120),
        ReviewState.SUBMITTED,
    )
    assert citation_of(m) == CITATION
    # Four eyes, as for any value: the lead who recorded it cannot approve it.
    with pytest.raises(PermissionDenied, match="You recorded this value"):
        services.measurement_approve(actor=cast["rxn_lead"], measurement=m)


@pytest.mark.parametrize(
    ("code", "key", "citation", "message"),
    [
        ("ECON-03", "2022/23", "  ", "Enter where the 2022/23 figure was published"),
        ("ECON-03", "2022/23", "x" * 1001, "1,000 characters or fewer"),
        ("ECON-03", "2022/23-Q4", CITATION, "one figure for the whole year"),
        ("ECON-03", "2021/22", CITATION, "built on 2022/23, the previous year only"),
        ("ECON-01", "2022/23", CITATION, "ECON-01's target is built on no earlier year"),
        ("ECON-02", "2022/23", CITATION, "built on 2020/21, the baseline only"),
    ],
)
def test_the_service_refuses_other_earlier_figures(rxn, cast, orgs, code, key, citation, message):
    _, ind = rxn
    with pytest.raises(ValueError, match=message):
        earlier(cast["rxn_lead"], ind[code], orgs["RXN"], key, citation, value=5)
    assert not Measurement.objects.exists()


# --- The web ------------------------------------------------------------------------------


def test_the_indicator_page_offers_the_figure_the_target_is_built_on(rxn, cast, sign_in):
    response = sign_in(cast["rxn_lead"]).get("/charters/RXN-SV/indicators/ECON-03/")
    page = _text(response)
    assert "Figures this target is built on" in page
    assert "2022/23, the previous year: not yet recorded" in _words(response)
    assert (
        '<a href="/charters/RXN-SV/indicators/ECON-03/earlier/2022-23/">'
        "Record the 2022/23 figure this target is built on</a>"
    ) in page
    # A count needs no earlier year: nothing offered.
    count_page = _text(sign_in(cast["rxn_lead"]).get("/charters/RXN-SV/indicators/ECON-01/"))
    assert "Figures this target is built on" not in count_page
    # A viewer sees the section, without the link.
    viewer = _words(sign_in(cast["rxn_viewer"]).get("/charters/RXN-SV/indicators/ECON-03/"))
    assert "2022/23, the previous year: not yet recorded" in viewer
    assert "Record the 2022/23 figure" not in viewer


def test_only_the_years_a_target_needs_have_a_page(rxn, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    assert client.get("/charters/RXN-SV/indicators/ECON-03/earlier/2021-22/").status_code == 404
    assert client.get("/charters/RXN-SV/indicators/ECON-01/earlier/2022-23/").status_code == 404
    assert client.get("/charters/RXN-SV/indicators/ECON-03/earlier/2023-24/").status_code == 404
    assert client.get("/charters/RXN-SV/indicators/ECON-03/earlier/9999-00/").status_code == 404
    assert client.get("/charters/RXN-SV/indicators/ECON-02/earlier/2020-21/").status_code == 200
    viewer = sign_in(cast["rxn_viewer"])
    assert viewer.get("/charters/RXN-SV/indicators/ECON-03/earlier/2022-23/").status_code == 403


def test_recording_on_the_web_needs_the_source_then_the_target_is_built_on_it(
    rxn, cast, orgs, sign_in
):
    url = "/charters/RXN-SV/indicators/ECON-03/earlier/2022-23/"
    org = {"organisation": str(orgs["RXN"].pk)}
    client = sign_in(cast["rxn_lead"])
    form = _text(client.get(url))
    assert "Record the 2022/23 figure this target is built on" in form
    assert "Enter the figure for the whole of 2022/23, as published" in form
    missing = client.post(url, {**org, "period": "2022/23", "value": "120", "citation": ""})
    assert missing.status_code == 400
    assert "Enter where the figure was published" in _text(missing)
    assert not Measurement.objects.exists()
    # A period other than the whole year is not a choice.
    other = client.post(url, {**org, "period": "2022/23-Q4", "value": "120", "citation": CITATION})
    assert other.status_code == 400
    assert not Measurement.objects.exists()

    done = client.post(url, {**org, "period": "2022/23", "value": "120", "citation": CITATION})
    assert done.status_code == 302
    m = Measurement.objects.get()
    assert (m.period.key, m.value, citation_of(m)) == ("2022/23", Decimal(120), CITATION)
    page = _words(client.get("/charters/RXN-SV/indicators/ECON-03/"))
    assert (
        f"2022/23, the previous year: 120 opportunities (source: {CITATION}) (waiting for approval)"
        in page
    )
    # Not counted while it waits.
    assert "Actual for 2022/23 not yet recorded" in page

    services.measurement_approve(actor=cast["rxn_admin"], measurement=m)
    page = _text(client.get("/charters/RXN-SV/indicators/ECON-03/"))
    # 120 × 1.05 = 126.
    assert "Up 5% on 2022/23 (120 opportunities): at least 126 opportunities in 2023/24" in page
    assert "Actual for 2022/23 not yet recorded" not in page

    # The record form for the charter's periods does not list it: it has its own page.
    assert 'id="recorded"' not in _text(client.get("/charters/RXN-SV/indicators/ECON-03/record/"))
    # A correction needs a reason, as for any value.
    again = client.post(url, {**org, "period": "2022/23", "value": "125", "citation": CITATION})
    assert again.status_code == 400
    assert "give a reason for the correction" in _text(again)


def test_a_share_benchmark_is_recorded_as_numerator_and_denominator(rxn, cast, orgs, sign_in):
    client = sign_in(cast["rxn_lead"])
    url = "/charters/RXN-SV/indicators/LEAD-02/earlier/2022-23/"
    response = client.post(
        url,
        {
            "organisation": str(orgs["RXN"].pk),
            "period": "2022/23",
            "numerator": "45",
            "denominator": "600",
            "citation": "WRES 2022",
        },
    )
    assert response.status_code == 302
    m = Measurement.objects.get()
    assert (m.numerator, m.denominator, m.value) == (Decimal(45), Decimal(600), None)


# --- status ORG --year --as-of --json -------------------------------------------------------


def _status(run_command, year="2023/24", as_of="2024-01-15"):
    code, out, err = run_command("status", "RXN", "--year", year, "--as-of", as_of, "--json")
    assert code == 0, err
    return {i["code"]: i for c in json.loads(out)["charters"] for i in c["indicators"]}


def test_status_builds_the_stuck_targets_on_the_approved_earlier_figures(
    rxn, cast, orgs, run_command
):
    _, ind = rxn
    before = _status(run_command)
    assert before["ECON-03"]["explanation"] == "Actual for 2022/23 not yet recorded"
    assert before["ENV-04"]["explanation"] == "Actual for 2022/23 not yet recorded"
    assert before["ECON-02"]["explanation"] == "Baseline for 2020/21 not yet recorded"
    assert before["LEAD-02"]["explanation"] == "Benchmark for 2022/23 not yet recorded"

    org = orgs["RXN"]
    approved(cast, ind["ECON-03"], org, "2022/23", value=120)
    approved(cast, ind["ENV-04"], org, "2022/23", value=4000)
    approved(cast, ind["ECON-02"], org, "2020/21", "Accounts 2020/21, note 4", value=40_000_000)
    approved(cast, ind["LEAD-02"], org, "2022/23", "WRES 2022", numerator=45, denominator=600)
    for key, econ03, env04 in (("2023/24-Q1", 30, 900), ("2023/24-Q2", 32, 900)):
        approved(cast, ind["ECON-03"], org, key, value=econ03)
        approved(cast, ind["ENV-04"], org, key, value=env04)
    approved(cast, ind["ECON-03"], org, "2023/24-Q3", value=34)
    approved(cast, ind["ENV-04"], org, "2023/24-Q3", value=900)

    after = _status(run_command)
    # ECON-03: 120 × 1.05 = 126; by 31 December 3 of 4 quarters: expected 94.5; actual
    # 30 + 32 + 34 = 96; forecast 96 / 3 × 4 = 128: on track.
    econ03 = after["ECON-03"]
    assert econ03["target"] == (
        "Up 5% on 2022/23 (120 opportunities): at least 126 opportunities in 2023/24"
    )
    assert (econ03["target_value"], econ03["actual"], econ03["expected_to_date"]) == (126, 96, 94.5)
    assert (econ03["forecast"], econ03["status"]) == (128, "on_track")
    # ENV-04: at most 4,000 × 0.95 = 3,800; 2,700 by 31 December against 2,850 expected;
    # forecast 3,600: on track.
    env04 = after["ENV-04"]
    assert (env04["target_value"], env04["actual"], env04["forecast"]) == (3800, 2700, 3600)
    assert env04["status"] == "on_track"
    # ECON-02: £40,000,000 × 1.05³ = £46,305,000; nothing recorded for 2023/24 yet.
    econ02 = after["ECON-02"]
    assert econ02["target_value"] == 46_305_000
    assert econ02["target"].startswith("Up 5% a year from the 2020/21 baseline of £40,000,000")
    assert econ02["status"] == "no_data"
    assert econ02["explanation"] == "No value recorded for Q1 2023/24 to Q3 2023/24"
    # LEAD-02: 45 of 600 is 7.5%; annual, nothing due before 31 March.
    lead02 = after["LEAD-02"]
    assert (lead02["target_value"], lead02["status"]) == (7.5, "not_yet_due")
    assert lead02["target"] == "Higher than the 2022/23 benchmark of 7.5%"


def test_earlier_figures_do_not_make_their_year_reportable(rxn, cast, orgs, run_command, sign_in):
    _, ind = rxn
    approved(cast, ind["ECON-03"], orgs["RXN"], "2022/23", value=120)
    code, out, err = run_command("status", "RXN", "--year", "2022/23", "--as-of", "2024-01-15")
    assert code == 1
    assert err == "--year: 2022/23 is not a reporting year of RXN's charters (RXN-SV: 2023/24)"
    assert out == ""
    # The pages do not offer it either: asked for 2022/23, the dashboard shows 2023/24.
    page = _words(sign_in(cast["rxn_lead"]).get("/charters/RXN-SV/progress/?year=2022/23"))
    assert "Progress 2023/24" in page
    assert "Progress 2022/23" not in page


# --- The values sheet and `socialvalue values sheet|import` --------------------------------


def _csv_rows(path):
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_sheet_has_rows_for_the_years_the_targets_are_built_on(
    rxn, cast, orgs, run_command, tmp_path
):
    _, ind = rxn
    earlier(cast["rxn_lead"], ind["ECON-03"], orgs["RXN"], value=120)
    out = tmp_path / "values.csv"
    code, _, err = run_command(
        "values", "sheet", "RXN-SV", "--year", "2023/24", "--by", "lead@rxn.test", "-o", str(out)
    )
    assert code == 0, err
    rows = _csv_rows(out)
    before = {"2020/21", "2021/22", "2022/23"}
    earlier_rows = {(r["indicator"], r["period"]) for r in rows if r["period"] in before}
    # Growth or reduction on the previous year (2022/23), a 2020/21 baseline and a 2022/23
    # benchmark named without their figures.
    assert earlier_rows == {
        ("ECON-02", "2020/21"),
        ("ECON-03", "2022/23"),
        ("ECON-04", "2022/23"),
        ("EDU-07", "2022/23"),
        ("ENV-04", "2022/23"),
        ("LEAD-02", "2022/23"),
    }
    econ03 = [r for r in rows if r["indicator"] == "ECON-03"]
    # The earlier year comes first, prefilled with its figure and source.
    assert [r["period"] for r in econ03] == [
        "2022/23",
        "2023/24-Q1",
        "2023/24-Q2",
        "2023/24-Q3",
        "2023/24-Q4",
    ]
    assert (econ03[0]["value"], econ03[0]["source"]) == ("120", CITATION)


def test_importing_earlier_figures_from_a_sheet(rxn, cast, orgs, run_command, tmp_path):
    header = "charter,indicator,organisation,period,value,numerator,denominator,source"
    sheet = tmp_path / "earlier.csv"
    sheet.write_text(
        "\n".join(
            [
                header,
                'RXN-SV,ECON-03,RXN,2022/23,120,,,"Annual report 2022/23, page 14"',
                "RXN-SV,LEAD-02,RXN,2022/23,,45,600,WRES 2022 submission",
                "RXN-SV,ECON-04,RXN,2021/22,7,,,Annual report 2021/22",
                "RXN-SV,EDU-07,RXN,2022/23,12,,,",
            ]
        ),
        encoding="utf-8",
    )
    code, out, err = run_command("values", "import", str(sheet), "--by", "lead@rxn.test")
    assert code == 1
    assert err.splitlines() == [
        f"{sheet}:4: period: 2021/22 is before the charter's first reporting year, 2023/24; "
        "ECON-04's target is built on 2022/23, the previous year only",
        f"{sheet}:5: source: Enter where the 2022/23 figure was published: the document, "
        "page or link it comes from",
    ]
    assert not Measurement.objects.exists()

    lines = sheet.read_text(encoding="utf-8").splitlines()[:3]
    sheet.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = run_command("values", "import", str(sheet), "--by", "lead@rxn.test", "--json")
    assert code == 0, err
    assert json.loads(out)["new"] == 2
    econ03 = Measurement.objects.get(indicator__code="ECON-03")
    assert (econ03.period.key, econ03.value, citation_of(econ03)) == (
        "2022/23",
        Decimal(120),
        "Annual report 2022/23, page 14",
    )
    assert econ03.source.kind == "sheet"
    assert econ03.state == ReviewState.SUBMITTED
    # The same sheet again adds nothing; a changed source is a correction.
    code, out, _ = run_command("values", "import", str(sheet), "--by", "lead@rxn.test", "--json")
    assert (json.loads(out)["new"], json.loads(out)["unchanged"]) == (0, 2)
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("page 14", "page 15"), encoding="utf-8"
    )
    code, out, _ = run_command("values", "import", str(sheet), "--by", "lead@rxn.test", "--json")
    assert json.loads(out)["corrected"] == 1
    newest = Measurement.objects.filter(indicator__code="ECON-03").order_by("-version").first()
    assert (newest.version, citation_of(newest)) == (2, "Annual report 2022/23, page 15")


def test_the_approvals_page_says_what_an_earlier_figure_is_for_and_its_source(
    rxn, cast, orgs, sign_in
):
    _, ind = rxn
    earlier(cast["rxn_lead"], ind["ECON-03"], orgs["RXN"], value=120)
    page = _words(sign_in(cast["rxn_admin"]).get("/approvals/"))
    assert "Target: the figure ECON-03's target is built on (2022/23, the previous year)" in page
    assert f"120 opportunities (source: {CITATION})" in page
