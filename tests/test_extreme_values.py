"""The largest accepted numbers and the extreme years, stored, and every page still shows them.

A charter reports on 1990/91 and 2100/01, the first and last years bounds.py accepts, with a
target of every kind at its largest and values at the largest a form accepts. Every page of
it renders, for both years, as does the status command. Today is pinned to 31 March 2101,
the last day of the last year.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from html import unescape
from unittest.mock import patch

import pytest

from socialvalue.charters.forms import IndicatorForm
from socialvalue.charters.services import charter_load_spec
from socialvalue.domain.charterfile import parse_charter
from socialvalue.domain.periods import FinancialYear, Period
from socialvalue.domain.status import MilestoneState, Status
from socialvalue.measurements import services
from socialvalue.measurements.models import Measurement
from tests.helpers import record_approved

TODAY = date(2101, 3, 31)
LARGEST = "100,000,000,000"

CHARTER = """\
format: socialvalue-charter/1
code: EDGE-SV
title: Charter at the edges
organisation: RXN
periods: ["1990/91", "2100/01"]
thresholds: {at_risk: 1, off_track: 0.01}
themes:
  - code: ALL
    title: Every kind at its largest
    pledges:
      - code: ALL-P1
        text: We will count very large numbers.
        indicators:
          - code: COUNT
            title: 100 billion people
            unit: people
            frequency: quarterly
            source: manual
            target: {kind: count, value: 100000000000}
          - code: COUNTS
            title: Two hundred billions
            unit: projects
            frequency: annual
            source: manual
            target:
              kind: counts
              parts:
                - {key: a, label: research projects, value: 100000000000}
                - {key: b, label: innovation projects, value: 99999999999.9999}
          - code: GROWTH
            title: Doubling every year for a century
            unit: £
            frequency: quarterly
            source: manual
            target:
              kind: growth_from_baseline
              baseline_period: 1990/91
              baseline_value: 100000000000
              rate_percent: 100
          - code: PREVIOUS
            title: Doubling on last year
            unit: £
            frequency: annual
            source: manual
            target: {kind: growth_on_previous, rate_percent: 100}
          - code: REDUCE
            title: Down to nothing
            unit: tCO2e
            frequency: annual
            source: manual
            target:
              kind: reduction_from_baseline
              rate_percent: 100
              baseline_period: 1990/91
              baseline_value: 100000000000
          - code: SHARE
            title: All of them
            unit: outpatient appointments
            frequency: quarterly
            source: manual
            target: {kind: share, target_percent: 100}
          - code: RATIO
            title: The widest band
            unit: relative likelihood
            frequency: annual
            source: manual
            target:
              kind: ratio_band
              lower: 0
              upper: 100
              parts:
                - {key: e, label: Ethnicity, group_a: White, group_b: BME}
          - code: BENCH
            title: Above a whole benchmark
            unit: "% of senior roles"
            frequency: annual
            source: manual
            target: {kind: increase_on_benchmark, benchmark_period: 1990/91, benchmark_value: 100}
          - code: BENCHV
            title: Above 100 billion
            unit: people
            frequency: annual
            source: manual
            target:
              kind: increase_on_benchmark
              benchmark_period: 1990/91
              benchmark_value: 100000000000
              measure: value
          - code: FIRST
            title: Done on the first day
            unit: report
            frequency: annual
            source: manual
            target: {kind: milestone, due: 1990-04-01}
          - code: LAST
            title: Done on the last day
            unit: report
            frequency: annual
            source: manual
            target: {kind: milestone, due: 2101-03-31, recurs: true}
          - code: LEVEL
            title: Keep 100 billion
            unit: people
            frequency: annual
            source: manual
            target: {kind: maintain, level: 100000000000}
          - code: DIR
            title: More
            unit: people
            frequency: annual
            source: manual
            target: {kind: direction, direction: increase}
"""

BIG = Decimal(100_000_000_000)
YEARS = (FinancialYear(1990), FinancialYear(2100))


def _reading(code: str, year: FinancialYear) -> dict:
    return {
        "COUNT": {"value": BIG},
        "COUNTS": {"parts": {"a": BIG, "b": BIG}},
        "GROWTH": {"value": Decimal("99999999999.9999")},
        "PREVIOUS": {"value": BIG},
        "REDUCE": {"value": -BIG},
        "SHARE": {"numerator": BIG, "denominator": BIG},
        "RATIO": {
            "parts": {
                "e": {
                    "events_a": BIG,
                    "population_a": BIG,
                    "events_b": Decimal(1),
                    "population_b": BIG,
                }
            }
        },
        "BENCH": {"numerator": BIG, "denominator": BIG},
        "BENCHV": {"value": BIG},
        "FIRST": {"milestone_state": MilestoneState.DONE, "achieved_on": year.start},
        "LAST": {"milestone_state": MilestoneState.DONE, "achieved_on": year.end},
        "LEVEL": {"self_status": Status.ON_TRACK, "narrative": "Kept"},
        "DIR": {"self_status": Status.ON_TRACK, "narrative": "More than before"},
    }[code]


@pytest.fixture
def edge(cast, orgs):
    spec = parse_charter(CHARTER, path="edge.yaml")
    charter = charter_load_spec(spec=spec).charter
    # The steepest profile accepted: nothing expected until the year's last quarter.
    charter.indicators.filter(code__in=["COUNT", "GROWTH"]).update(profile=["0", "0", "0", "1"])
    lead = cast["rxn_lead"]
    for indicator in charter.indicators.all():
        for year in YEARS:
            for period in year.periods(indicator.frequency):
                record_approved(
                    lead=cast["rxn_admin"],  # nobody approves what they recorded
                    recorder=lead,
                    indicator=indicator,
                    organisation=orgs["RXN"],
                    key=period.key,
                    **_reading(indicator.code, year),
                )
    # A correction waiting for approval, so the approvals page has something to show.
    services.measurement_record(
        actor=lead,
        indicator=charter.indicators.get(code="COUNT"),
        organisation=orgs["RXN"],
        period=Period.from_key("2100/01-Q4"),
        reading=services.Reading(value=BIG),
        reason="Counted again",
    )
    return charter


def _get(client, url: str) -> str:
    with patch("django.utils.timezone.localdate", return_value=TODAY):
        response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_page_of_the_charter_renders_the_largest_figures(edge, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    charter_page = _text(_get(client, "/charters/EDGE-SV/"))
    assert "1990/91" in charter_page and "2100/01" in charter_page
    assert f"At least {LARGEST} people" in charter_page

    for year in ("1990/91", "2100/01"):
        dashboard = _text(_get(client, f"/charters/EDGE-SV/progress/?year={year}"))
        assert f"Indicators by status and theme, {year}" in dashboard
        assert all(code in dashboard for code in ("COUNT", "GROWTH", "RATIO", "LAST"))

    # 100 billion a quarter: 400 billion in a year, against a target of 100 billion.
    count_page = _text(_get(client, "/charters/EDGE-SV/indicators/COUNT/?year=2100/01"))
    assert "400,000,000,000" in count_page
    # 10^11 x 2^110, shown in full on the indicator page.
    growth = _text(_get(client, "/charters/EDGE-SV/indicators/GROWTH/?year=2100/01"))
    assert (
        f"Up 100% a year from the 1990/91 baseline of £{LARGEST}: "
        "£129,807,421,463,370,690,713,262,408,200,000,000,000,000,000 for 2100/01"
    ) in growth
    reduce_page = _text(_get(client, "/charters/EDGE-SV/indicators/REDUCE/?year=2100/01"))
    assert f"-{LARGEST}" in reduce_page
    ratio = _text(_get(client, "/charters/EDGE-SV/indicators/RATIO/?year=1990/91"))
    # (10^11 / 10^11) / (1 / 10^11) = 10^11.
    assert LARGEST in ratio
    last = _text(_get(client, "/charters/EDGE-SV/indicators/LAST/?year=2100/01"))
    assert "31 March 2101" in last
    first = _text(_get(client, "/charters/EDGE-SV/indicators/FIRST/?year=1990/91"))
    assert "1 April 1990" in first

    for indicator in edge.indicators.all():
        for year in ("1990/91", "2100/01"):
            page = _text(
                _get(client, f"/charters/EDGE-SV/indicators/{indicator.code}/?year={year}")
            )
            assert indicator.code in page
        _get(client, f"/charters/EDGE-SV/indicators/{indicator.code}/record/")
        edit = _get(client, f"/charters/EDGE-SV/indicators/{indicator.code}/edit/")
        assert 'name="code"' in edit

    edit_charter = _get(client, "/charters/EDGE-SV/edit/")
    assert 'value="1990/91, 2100/01"' in edit_charter
    assert 'value="1.000"' in edit_charter or 'value="1"' in edit_charter
    _get(client, "/charters/EDGE-SV/themes/ALL/edit/")
    _get(client, "/charters/EDGE-SV/themes/ALL/pledges/ALL-P1/edit/")
    _get(client, "/charters/EDGE-SV/indicators/new/")
    _get(client, "/")

    # The lead recorded the waiting correction: another lead (the administrator) decides it.
    client.force_login(cast["rxn_admin"])
    approvals = _text(_get(client, "/approvals/"))
    assert "COUNT" in approvals
    assert LARGEST in approvals
    _get(client, "/my-indicators/")


def test_values_are_stored_exactly(edge):
    growth = Measurement.objects.filter(indicator__code="GROWTH")
    assert {m.value for m in growth} == {Decimal("99999999999.9999")}
    assert {m.value for m in Measurement.objects.filter(indicator__code="REDUCE")} == {-BIG}
    share = Measurement.objects.filter(indicator__code="SHARE").first()
    assert (share.numerator, share.denominator) == (BIG, BIG)
    last = Measurement.objects.filter(indicator__code="LAST").order_by("period_start").last()
    assert last.achieved_on == date(2101, 3, 31)


def test_every_edit_form_saves_the_extremes_back_unchanged(edge, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    for indicator in edge.indicators.all():
        before = (indicator.target_kind, indicator.target_params)
        data = {
            name: value
            for name, value in IndicatorForm.initial_for(indicator).items()
            if value is not None and value is not False
        }
        url = f"/charters/EDGE-SV/indicators/{indicator.code}/edit/"
        with patch("django.utils.timezone.localdate", return_value=TODAY):
            response = client.post(url, data)
        assert response.status_code == 302, (
            indicator.code,
            re.findall(
                r"error-message[^<]*<[^>]*>[^<]*</span>\s*([^<]+)", response.content.decode()
            ),
        )
        indicator.refresh_from_db()
        assert (indicator.target_kind, indicator.target_params) == before

    data = {
        "title": edge.title,
        "years": "1990/91, 2100/01",
        "at_risk_below": "100",
        "off_track_below": "1",
    }
    response = client.post("/charters/EDGE-SV/edit/", data)
    assert response.status_code == 302
    edge.refresh_from_db()
    assert (edge.at_risk_below, edge.off_track_below) == (Decimal(1), Decimal("0.01"))
    assert [p.start_year for p in edge.periods.all()] == [1990, 2100]


@pytest.mark.parametrize("year", ["1990/91", "2100/01"])
def test_status_command_at_the_extreme_years(edge, run_command, year):
    as_of = "2101-03-31"
    code, out, err = run_command("status", "RXN", "--year", year, "--as-of", as_of, "--json")
    assert code == 0, err
    data = json.loads(out)
    [charter] = [c for c in data["charters"] if c["code"] == "EDGE-SV"]
    items = {i["code"]: i for i in charter["indicators"]}
    assert items["COUNT"]["actual"] == 4 * 10**11
    assert items["COUNT"]["target_value"] == 10**11
    assert items["SHARE"]["numerator"] == 4 * 10**11
    assert items["REDUCE"]["actual"] == -(10**11)
    # Four quarters of 999,999,999,999.9999, exactly.
    assert Decimal(str(items["GROWTH"]["actual"])) == Decimal("399999999999.9996")
    assert items["LAST"]["status"] != "no_data"
    if year == "2100/01":
        assert items["GROWTH"]["target_value"] == pytest.approx(2**110 * 10**11, rel=1e-12)
    assert "RXN-SV" not in [c["code"] for c in data["charters"]]


def test_the_charter_file_round_trips_at_the_extremes(edge, run_command):
    code, out, err = run_command("charter", "export", "EDGE-SV")
    assert code == 0, err
    assert parse_charter(out) == parse_charter(CHARTER)
