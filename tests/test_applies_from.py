"""An indicator added to a running charter applies from the year it was added unless the lead
says otherwise (issue 11 item 2): set by the form and by charter files, and years before it
are not started, with nothing overdue. The clock is fixed at 1 December 2026 (in 2026/27)."""

import json
import re
from datetime import date
from unittest.mock import patch

import pytest

from socialvalue.charters.models import Indicator
from socialvalue.charters.services import charter_load_spec, charter_to_spec
from socialvalue.domain.charterfile import CharterFileError, dump_charter, parse_charter
from socialvalue.domain.periods import FinancialYear
from socialvalue.domain.status import overdue_periods
from tests.test_charters_web import (  # noqa: F401 (new_charter is a fixture)
    _indicator_data,
    error_summary,
    new_charter,
    text_of,
)

TODAY = date(2026, 12, 1)

FILE = """\
format: socialvalue-charter/1
code: ADD-SV
title: A running charter
organisation: RXN
periods: ["2023/24", "2024/25", "2025/26", "2026/27"]
themes:
  - code: T
    title: Theme
    pledges:
      - code: T-P1
        text: Pledge
        indicators:
          - code: OLD
            title: Here from the start
            unit: events
            frequency: quarterly
            source: manual
            target: {kind: count, value: 4}
          - code: NEW
            title: Added in 2026
            unit: events
            frequency: quarterly
            source: manual
            applies_from: 2026/27
            target: {kind: count, value: 4}
"""


def test_overdue_periods_skip_years_before_the_indicator_applies():
    quarters = dict(year=FinancialYear(2024), frequency="quarterly", recorded=[], as_of=TODAY)
    assert len(overdue_periods(**quarters)) == 4
    assert overdue_periods(**quarters, applies_from=FinancialYear(2026)) == ()
    # Its own year is owed: Q1 (to 30 June) and Q2 (to 30 September) are 30 days past.
    now = overdue_periods(
        **{**quarters, "year": FinancialYear(2026)}, applies_from=FinancialYear(2026)
    )
    assert [p.label for p in now] == ["Q1 2026/27", "Q2 2026/27"]


def test_a_file_sets_it_and_the_export_round_trips(cast):
    spec = parse_charter(FILE, path="add.yaml")
    charter = charter_load_spec(spec=spec).charter
    assert charter.indicators.get(code="NEW").applies_from == 2026
    assert charter.indicators.get(code="OLD").applies_from is None

    text = dump_charter(charter_to_spec(charter))
    assert "applies_from: 2026/27" in text
    assert text.count("applies_from") == 1
    assert parse_charter(text, path="again.yaml") == spec


def test_a_file_year_outside_the_charter_is_refused():
    with pytest.raises(CharterFileError) as error:
        parse_charter(FILE.replace("applies_from: 2026/27", "applies_from: 2027/28"), path="a")
    assert "themes[0].pledges[0].indicators[1].applies_from" in str(error.value)
    assert "2027/28 is not one of the charter's periods" in str(error.value)


def test_status_json_earlier_year_is_not_started_and_never_overdue(cast, run_command):
    charter_load_spec(spec=parse_charter(FILE, path="add.yaml"))

    def status(year):
        code, out, err = run_command(
            "status", "RXN", "--year", year, "--as-of", TODAY.isoformat(), "--json"
        )
        assert code == 0, err
        return {i["code"]: i for c in json.loads(out)["charters"] for i in c["indicators"]}

    earlier = status("2024/25")
    assert earlier["NEW"]["status"] == "not_started"
    assert earlier["NEW"]["explanation"] == "Not started: the indicator applies from 2026/27"
    assert earlier["NEW"]["overdue_periods"] == []
    # The indicator there from the start owes all four quarters of 2024/25.
    assert len(earlier["OLD"]["overdue_periods"]) == 4

    code, out, err = run_command("charter", "show", "ADD-SV", "--json")
    assert code == 0, err
    shown = json.loads(out)["themes"][0]["pledges"][0]["indicators"]
    assert [i.get("applies_from") for i in shown] == [None, "2026/27"]

    now = status("2026/27")
    assert now["NEW"]["status"] != "not_started"
    assert now["NEW"]["overdue_periods"] == ["2026/27-Q1", "2026/27-Q2"]


def test_the_form_offers_the_year_containing_today(new_charter, cast, sign_in):  # noqa: F811
    # RXN-NEW covers 2024/25 and 2025/26; on 1 June 2025 it is running in its second year.
    client = sign_in(cast["rxn_lead"])
    with patch("django.utils.timezone.localdate", return_value=date(2025, 6, 1)):
        page = client.get(
            f"/charters/RXN-NEW/indicators/new/?pledge={new_charter.pk}&target_kind=growth_from_baseline"
        )
    html = _select(page)
    assert '<option value="2025" selected >2025/26</option>' in html
    assert '<option value="" >The charter&#39;s first year (2024/25)</option>' in html

    response = client.post(
        "/charters/RXN-NEW/indicators/new/", _indicator_data(new_charter, applies_from="2025")
    )
    assert response.status_code == 302, error_summary(response)
    assert Indicator.objects.get(code="NEW-01").applies_from == 2025


def test_the_lead_can_choose_the_first_year(new_charter, cast, sign_in):  # noqa: F811
    client = sign_in(cast["rxn_lead"])
    with patch("django.utils.timezone.localdate", return_value=date(2024, 6, 1)):
        page = client.get(
            f"/charters/RXN-NEW/indicators/new/?pledge={new_charter.pk}&target_kind=growth_from_baseline"
        )
    # In the charter's first year there is no earlier year: nothing is preselected.
    assert (
        " selected>"
        not in page.content.decode().split('name="applies_from"')[1].split("</select>")[0]
    )
    response = client.post(
        "/charters/RXN-NEW/indicators/new/", _indicator_data(new_charter, applies_from="")
    )
    assert response.status_code == 302, error_summary(response)
    assert Indicator.objects.get(code="NEW-01").applies_from is None
    refused = client.post(
        "/charters/RXN-NEW/indicators/new/",
        _indicator_data(new_charter, code="NEW-02", applies_from="2030"),
    )
    assert refused.status_code == 400
    assert "Select a valid choice" in text_of(refused)
    assert not Indicator.objects.filter(code="NEW-02").exists()


def _select(page) -> str:
    """The applies_from select of a form page, its whitespace made single spaces."""
    html = re.sub(r"\s+", " ", page.content.decode())
    return html.split('name="applies_from"')[1].split("</select>")[0]
