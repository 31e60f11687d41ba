"""`socialvalue values sheet|import|approve`: a year of values from a spreadsheet.

The charter SHEET (RXN, 2023/24) has one indicator of each reading shape. 2023/24 has
ended on the real date the CLI runs on, so every period of it may be recorded.
"""

import csv
import io
import json
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from socialvalue.charters.services import charter_set_self_approval
from socialvalue.domain.periods import Period
from socialvalue.measurements import services
from socialvalue.measurements.models import Measurement, Review, ReviewState
from socialvalue.sources.models import Kind
from tests.factories import (
    CharterFactory,
    IndicatorFactory,
    PledgeFactory,
    ThemeFactory,
    UserFactory,
)


@pytest.fixture
def charter(cast, orgs):
    charter = CharterFactory(code="SHEET", organisation=orgs["RXN"], years=[2023])
    pledge = PledgeFactory(theme=ThemeFactory(charter=charter))
    owner = cast["rxn_owner"]

    def add(code, kind, params, frequency="quarterly", owned=False, position=0, unit="people"):
        return IndicatorFactory(
            pledge=pledge,
            code=code,
            unit=unit,
            target_kind=kind,
            target_params=params,
            frequency=frequency,
            owner=owner if owned else None,
            position=position,
        )

    # Hours are a measure: a figure may have decimals (12.5 below). People are counted whole.
    add("COUNT", "count", {"value": 100}, owned=True, position=1, unit="hours")
    add("SHARE", "share", {"target_percent": 25}, frequency="annual", position=2)
    add(
        "PARTS",
        "counts",
        {"parts": [{"key": "apps", "label": "apprentices", "value": 5},
                   {"key": "jobs", "label": "jobs", "value": 3}]},
        frequency="annual",
        position=3,
    )  # fmt: skip
    add(
        "RATIO",
        "ratio_band",
        {"lower": 0.8, "upper": 1.2,
         "parts": [{"key": "eth", "label": "Ethnicity", "group_a": "White", "group_b": "BME"}]},
        frequency="annual",
        position=4,
    )  # fmt: skip
    add("MILE", "milestone", {}, frequency="annual", position=5)
    add("TALK", "maintain", {}, frequency="annual", position=6)
    return charter


FILLED = {
    ("COUNT", "2023/24-Q1", ""): {"value": 10},
    ("COUNT", "2023/24-Q2", ""): {"value": 12.5, "note": "=SUM(A1:A2)"},
    ("SHARE", "2023/24", ""): {"numerator": 30, "denominator": 120},
    ("PARTS", "2023/24", "apps"): {"value": 4, "note": "from HR"},
    ("PARTS", "2023/24", "jobs"): {"value": 0, "note": "from HR"},
    ("RATIO", "2023/24", "eth"): {
        "events_a": 20,
        "population_a": 80,
        "events_b": 6,
        "population_b": 30,
    },
    ("MILE", "2023/24", ""): {"milestone_state": "done", "achieved_on": "2024-02-29"},
    ("TALK", "2023/24", ""): {"self_status": "on_track", "narrative": "Kept up, with café £5"},
}


def write_sheet(run_command, tmp_path, name, *, by="lead@rxn.test", blank=False):
    path = tmp_path / name
    args = ["values", "sheet", "SHEET", "--year", "2023/24", "--by", by, "-o", str(path)]
    code, out, err = run_command(*args, *(["--blank"] if blank else []))
    assert out == f"Wrote {path}\n"
    assert (code, err) == (0, "")
    return path


def read_rows(path) -> list[dict]:
    """The sheet's rows as text, the way a person sees them."""
    if path.suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))
    sheet = load_workbook(path)["Values"]
    header = [c.value for c in sheet[1]]
    return [
        {h: "" if v is None else str(v) for h, v in zip(header, values, strict=True)}
        for values in sheet.iter_rows(min_row=2, values_only=True)
    ]


def fill(path, values=FILLED):
    """Fill the downloaded sheet in, as a person would in a spreadsheet program."""
    if path.suffix == ".csv":
        rows = read_rows(path)
        for row in rows:
            row.update(values.get((row["indicator"], row["period"], row["part"]), {}))
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_bytes(out.getvalue().encode("utf-8"))
        return
    book = load_workbook(path)
    sheet = book["Values"]
    header = [c.value for c in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        by_name = dict(zip(header, cells, strict=True))
        key = (by_name["indicator"].value, by_name["period"].value, by_name["part"].value or "")
        for column, value in values.get(key, {}).items():
            by_name[column].value = value
            if isinstance(value, str) and value.startswith("="):
                by_name[column].data_type = "s"  # typed as text, not a formula
    book.save(path)


def import_sheet(run_command, path, *extra, by="lead@rxn.test"):
    return run_command("values", "import", str(path), "--by", by, *extra)


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_round_trip_download_fill_upload_download(run_command, tmp_path, charter, suffix):
    blank = write_sheet(run_command, tmp_path, f"blank.{suffix}", blank=True)
    rows = read_rows(blank)
    # Four quarters of COUNT, one row for each annual indicator, one per part for PARTS.
    assert [(r["indicator"], r["period"], r["part"]) for r in rows] == [
        ("COUNT", "2023/24-Q1", ""),
        ("COUNT", "2023/24-Q2", ""),
        ("COUNT", "2023/24-Q3", ""),
        ("COUNT", "2023/24-Q4", ""),
        ("SHARE", "2023/24", ""),
        ("PARTS", "2023/24", "apps"),
        ("PARTS", "2023/24", "jobs"),
        ("RATIO", "2023/24", "eth"),
        ("MILE", "2023/24", ""),
        ("TALK", "2023/24", ""),
    ]
    assert {r["organisation"] for r in rows} == {"RXN"}
    fill(blank)
    code, out, err = import_sheet(run_command, blank)
    assert (code, err) == (0, "")
    assert f"blank.{suffix}: 10 rows read; recorded 7 new values and 0 corrections" in out

    count = Measurement.objects.get(indicator__code="COUNT", period_start="2023-07-01")
    assert count.value == Decimal("12.5") and count.note == "=SUM(A1:A2)"
    assert count.source.kind == Kind.SHEET and count.state == ReviewState.SUBMITTED
    assert count.source.inputs == {
        "file": f"blank.{suffix}",
        "worksheet": "Values" if suffix == "xlsx" else None,
        "rows": [3],
    }
    parts = Measurement.objects.get(indicator__code="PARTS")
    assert parts.to_domain().parts == {"apps": 4, "jobs": 0} and parts.note == "from HR"
    assert parts.source.inputs["rows"] == [7, 8]
    ratio = Measurement.objects.get(indicator__code="RATIO").to_domain().parts
    assert ratio == {"eth": {"events_a": 20, "population_a": 80, "events_b": 6, "population_b": 30}}
    mile = Measurement.objects.get(indicator__code="MILE")
    assert (mile.milestone_state, str(mile.achieved_on)) == ("done", "2024-02-29")

    again = write_sheet(run_command, tmp_path, f"again.{suffix}")
    after = read_rows(again)
    expected = read_rows(blank)
    if suffix == "csv":
        # Written by the app, a formula-like note is neutralised; it reads back as typed.
        for row in expected:
            if row["note"].startswith("="):
                row["note"] = "'" + row["note"]
    else:
        for row in (*after, *expected):
            row["note"] = row["note"].removeprefix("'")
            for column in ("value", "numerator", "denominator"):
                row[column] = row[column].removesuffix(".0")
    assert after == expected


def test_a_bad_sheet_is_refused_with_every_row_and_column_and_saves_nothing(
    run_command, tmp_path, charter
):
    path = write_sheet(run_command, tmp_path, "bad.csv", blank=True)
    fill(
        path,
        {
            ("COUNT", "2023/24-Q1", ""): {"value": 10},  # good, but the sheet is all or nothing
            ("COUNT", "2023/24-Q2", ""): {"value": "ten"},
            ("SHARE", "2023/24", ""): {"numerator": 5},
            ("PARTS", "2023/24", "apps"): {"value": 4},
            ("MILE", "2023/24", ""): {"milestone_state": "finished"},
        },
    )
    code, out, err = import_sheet(run_command, path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}:3: value: Enter a number, like 12 or 12.5, not ten",
        f"{path}:6: denominator: Enter the denominator",
        f"{path}:7: part: Fill in every part of PARTS for RXN and 2023/24: jobs is missing",
        f"{path}:10: milestone_state: Enter not_started, in_progress or done, not finished",
    ]
    assert "bad.csv: 4 problems; nothing was saved" in out
    assert not Measurement.objects.exists()


def test_reimporting_the_same_sheet_adds_nothing(run_command, tmp_path, charter):
    path = write_sheet(run_command, tmp_path, "year.xlsx", blank=True)
    fill(path)
    assert import_sheet(run_command, path)[0] == 0
    before = list(Measurement.objects.values_list("pk", "version"))
    code, out, _ = import_sheet(run_command, path)
    assert code == 0
    assert "recorded 0 new values and 0 corrections; 7 unchanged" in out
    assert list(Measurement.objects.values_list("pk", "version")) == before


def test_a_changed_figure_becomes_a_correction_naming_the_sheet_and_row(
    run_command, tmp_path, charter
):
    path = write_sheet(run_command, tmp_path, "year.xlsx", blank=True)
    fill(path)
    import_sheet(run_command, path)
    fill(path, {("COUNT", "2023/24-Q2", ""): {"value": 13}})
    code, out, _ = import_sheet(run_command, path)
    assert code == 0
    assert "recorded 0 new values and 1 correction; 6 unchanged" in out
    first, second = Measurement.objects.filter(indicator__code="COUNT", period_start="2023-07-01")
    assert (second.version, second.supersedes, second.value) == (2, first, 13)
    assert second.reason == "Changed by values sheet year.xlsx, worksheet Values, row 3"


def test_approve_leaves_the_importers_own_values_waiting_by_default(run_command, tmp_path, charter):
    path = write_sheet(run_command, tmp_path, "year.csv", blank=True)
    fill(path, {("COUNT", "2023/24-Q1", ""): {"value": 10}})
    code, out, _ = import_sheet(run_command, path, "--approve")
    assert code == 0
    assert "left waiting: COUNT RXN 2023/24-Q1: You recorded this value: someone else" in out
    assert Measurement.objects.get().state == ReviewState.SUBMITTED


def test_approve_records_and_approves_where_the_person_may(run_command, tmp_path, charter, cast):
    # A one-person team: the charter lets its lead approve what they record.
    charter_set_self_approval(actor=cast["rxn_lead"], charter=charter, allowed=True)
    path = write_sheet(run_command, tmp_path, "year.csv", blank=True)
    fill(path, {("COUNT", "2023/24-Q1", ""): {"value": 10}})
    code, out, _ = import_sheet(run_command, path, "--approve")
    assert code == 0 and "approved 1" in out
    value = Measurement.objects.get()
    assert value.state == ReviewState.APPROVED
    review = Review.objects.get(measurement=value)
    assert review.reviewed_by == cast["rxn_lead"]
    assert review.comment == "Approved on import of values sheet year.csv, row 2"


def test_approve_without_the_right_to_approve_leaves_values_waiting(run_command, tmp_path, charter):
    # The indicator owner may record COUNT (their own) but not approve it.
    path = write_sheet(run_command, tmp_path, "mine.csv", by="owner@rxn.test", blank=True)
    assert [r["indicator"] for r in read_rows(path)] == ["COUNT"] * 4
    fill(path, {("COUNT", "2023/24-Q1", ""): {"value": 10}})
    code, out, _ = import_sheet(run_command, path, "--approve", by="OWNER@rxn.test")
    assert code == 0
    assert "left waiting: COUNT RXN 2023/24-Q1: Only a social value lead can approve" in out
    assert Measurement.objects.get().state == ReviewState.SUBMITTED
    assert not Review.objects.exists()


def test_a_row_the_person_may_not_record_is_a_problem(run_command, tmp_path, charter):
    path = write_sheet(run_command, tmp_path, "year.csv", blank=True)  # the lead's: every row
    fill(path, {("SHARE", "2023/24", ""): {"numerator": 1, "denominator": 2}})
    code, _, err = import_sheet(run_command, path, by="owner@rxn.test")
    assert code == 1
    assert err.splitlines() == [
        f"{path}:6: organisation: owner@rxn.test cannot record values for SHARE at RXN"
    ]
    assert not Measurement.objects.exists()


def test_by_names_a_member_who_has_never_signed_in(run_command, tmp_path, charter, orgs):
    from tests.factories import MembershipFactory

    newcomer = UserFactory(email="new.lead@rxn.test", last_login=None)
    newcomer.set_unusable_password()
    newcomer.save()
    MembershipFactory(user=newcomer, organisation=orgs["RXN"], role="lead")
    path = write_sheet(run_command, tmp_path, "year.csv", blank=True)
    fill(path, {("COUNT", "2023/24-Q1", ""): {"value": 10}})
    assert import_sheet(run_command, path, by="new.lead@rxn.test")[0] == 0
    assert Measurement.objects.get().recorded_by == newcomer
    code, _, err = import_sheet(run_command, path, by="nobody@rxn.test")
    assert (code, err) == (1, "--by: no person with email nobody@rxn.test")


def test_dry_run_json_reports_and_saves_nothing(run_command, tmp_path, charter, cast):
    path = write_sheet(run_command, tmp_path, "year.xlsx", blank=True)
    fill(path)
    services.measurement_record(
        actor=cast["rxn_lead"],
        indicator=charter.indicators.get(code="COUNT"),
        organisation=charter.organisation,
        period=Period.from_key("2023/24-Q1"),
        reading=services.Reading(value=Decimal(9)),
    )
    code, out, err = import_sheet(run_command, path, "--dry-run", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "file": "year.xlsx",
        "charter": "SHEET",
        "dry_run": True,
        "saved": False,
        "rows_read": 10,
        "rows_blank": 2,
        "rows_changed": 8,
        "new": 6,
        "corrected": 1,
        "unchanged": 0,
        "approved": 0,
        "left_waiting": [],
        "problems": [],
    }
    assert Measurement.objects.count() == 1

    fill(path, {("COUNT", "2023/24-Q3", ""): {"value": "lots"}})
    code, out, _ = import_sheet(run_command, path, "--dry-run", "--json")
    assert code == 1
    assert json.loads(out)["problems"] == [
        {"row": 4, "column": "value", "message": "Enter a number, like 12 or 12.5, not lots"}
    ]


def test_values_approve_approves_what_waits_in_bulk(run_command, charter, cast):
    def record(code, key, **reading):
        return services.measurement_record(
            actor=cast["rxn_owner"] if code == "COUNT" else cast["rxn_lead"],
            indicator=charter.indicators.get(code=code),
            organisation=charter.organisation,
            period=Period.from_key(key),
            reading=services.Reading(**reading),
        )

    q1 = record("COUNT", "2023/24-Q1", value=Decimal(1))
    q2 = record("COUNT", "2023/24-Q2", value=Decimal(2))
    share = record("SHARE", "2023/24", numerator=Decimal(1), denominator=Decimal(2))

    code, out, _ = run_command(
        "values", "approve", "--charter", "SHEET", "--by", "owner@rxn.test", "--json"
    )
    assert (code, json.loads(out)) == (0, {"charter": "SHEET", "approved": [], "refused": []})

    code, out, _ = run_command(
        "values", "approve", "--charter", "sheet", "--indicator", "COUNT", "--by", "lead@rxn.test"
    )
    assert code == 0 and "Approved 2 values on SHEET" in out
    states = dict(Measurement.objects.values_list("pk", "state"))
    assert states == {q1.pk: "approved", q2.pk: "approved", share.pk: "submitted"}
    assert list(Review.objects.values_list("comment", flat=True)) == ["Approved in bulk"] * 2

    # The share was recorded by the lead: the same rules as the approvals page refuse it.
    code, out, _ = run_command(
        "values", "approve", "--charter", "SHEET", "--by", "lead@rxn.test", "--json"
    )
    assert code == 0
    assert json.loads(out)["approved"] == []
    assert [r["reason"] for r in json.loads(out)["refused"]] == []
    assert Measurement.objects.get(pk=share.pk).state == "submitted"
    code, _, err = run_command(
        "values", "approve", "--charter", "SHEET", "--indicator", "NOPE", "--by", "lead@rxn.test"
    )
    assert (code, err) == (1, "SHEET has no indicator NOPE")


def test_on_a_group_charter_each_lead_gets_and_records_their_own_rows(
    run_command, tmp_path, orgs, cast
):
    group = CharterFactory(code="GRP", organisation=orgs["LPT-NHFT"], years=[2023])
    IndicatorFactory(pledge=PledgeFactory(theme=ThemeFactory(charter=group)), code="COUNT")

    def sheet(by):
        path = tmp_path / f"{by}.csv"
        args = ["values", "sheet", "GRP", "--year", "2023/24", "--by", by, "-o", str(path)]
        assert run_command(*args)[0] == 0
        return {(r["organisation"], r["period"]) for r in read_rows(path)}

    quarters = [f"2023/24-Q{q}" for q in (1, 2, 3, 4)]
    assert sheet("lead@rt5.test") == {("RT5", q) for q in quarters}
    # The group's lead records for the group itself and for each member trust (ADR 016).
    assert sheet("lead@group.test") == {
        (org, q) for org in ("LPT-NHFT", "RT5", "RP1") for q in quarters
    }

    path = tmp_path / "rows.csv"
    path.write_text(
        "charter,indicator,organisation,period,value\n"
        "GRP,COUNT,RT5,2023/24-Q1,3\n"
        "GRP,COUNT,RP1,2023/24-Q1,4\n"
        "GRP,COUNT,RXN,2023/24-Q1,5\n",
        encoding="utf-8",
    )
    code, _, err = import_sheet(run_command, path, by="lead@rt5.test")
    assert code == 1
    assert err.splitlines() == [
        f"{path}:3: organisation: lead@rt5.test cannot record values for COUNT at RP1",
        f"{path}:4: organisation: RXN does not report on GRP: use LPT-NHFT, RT5 or RP1",
    ]
    path.write_text(
        "charter,indicator,organisation,period,value\nGRP,COUNT,rt5,2023/24-Q1,3\n",
        encoding="utf-8",
    )
    assert import_sheet(run_command, path, by="lead@rt5.test")[0] == 0
    assert Measurement.objects.get().organisation == orgs["RT5"]


def test_a_row_the_service_refuses_rolls_the_whole_sheet_back(run_command, tmp_path, charter):
    # The checks run before saving; should a rule of measurement_record still refuse a row
    # (say, a rule added later), the rows already recorded are rolled back too.
    path = write_sheet(run_command, tmp_path, "year.csv", blank=True)
    fill(path)
    real = services.measurement_record

    def refuse_share(**kwargs):
        if kwargs["indicator"].code == "SHARE":
            raise PermissionDenied("You cannot record values for this indicator")
        return real(**kwargs)

    with patch.object(services, "measurement_record", side_effect=refuse_share):
        code, _, err = import_sheet(run_command, path)
    assert code == 1
    assert err.splitlines() == [f"{path}:6: indicator: You cannot record values for this indicator"]
    assert not Measurement.objects.exists()


def test_a_file_that_is_not_a_sheet_is_named_without_a_row(run_command, tmp_path, charter):
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    code, out, err = import_sheet(run_command, path)
    assert (code, err) == (1, "notes.txt: upload an XLSX or CSV file\n")
    assert "notes.txt: 1 problem; nothing was saved" in out
