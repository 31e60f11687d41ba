"""`socialvalue charter validate|load|export|show`: charters as files, through the command."""

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from socialvalue.charters.models import Charter, Indicator
from socialvalue.domain.charterfile import parse_charter
from socialvalue.domain.periods import FinancialYear
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.services import Reading, measurement_record
from tests.conftest import SEEDS
from tests.helpers import charter_rows

RXN_SEED = SEEDS / "lancashire-teaching-hospitals-2023-24.yaml"
GROUP_SEED = SEEDS / "lpt-nhft-group.yaml"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding the `occurrence`-th `needle`."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} is not in the text {occurrence} times")


SMALL = """\
format: socialvalue-charter/1
code: SMALL-SV
title: A small charter
organisation: RXN
periods: ["2023/24", "2024/25"]
themes:
  - code: ECON
    title: Economy
    pledges:
      - code: ECON-P1
        text: Buy local
        indicators:
          - code: ECON-01
            title: Meet the buyer events
            unit: events
            frequency: quarterly
            source: manual
            target: {kind: count, value: 4}

          - code: ECON-02
            title: Spend with local suppliers
            unit: £
            frequency: quarterly
            source: computed
            target:
              kind: growth_from_baseline
              baseline_period: 2020/21
              rate_percent: 5

  - code: ENV
    title: Environment
    pledges:
      - code: ENV-P1
        text: Cut carbon
        indicators:
          - code: ENV-01
            title: Travel plan
            unit: plan
            frequency: annual
            source: manual
            target: {kind: milestone, due: 2024-03-31}
"""


def write(tmp_path: Path, text: str, name: str = "charter.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# validate ------------------------------------------------------------------------------------


def test_validate_both_seed_files(run_command):
    code, out, err = run_command("charter", "validate", str(RXN_SEED), str(GROUP_SEED))

    assert code == 0, err
    assert f"{RXN_SEED}: valid (7 themes, 38 indicators)" in out
    assert f"{GROUP_SEED}: valid (5 themes, 8 indicators)" in out
    assert err == ""


def test_validate_reports_every_problem_with_its_line(run_command, tmp_path):
    text = """\
# A charter with four mistakes.
format: socialvalue-charter/1
code: BAD-SV
organisation: RXN
periods: ["2023/24"]
themes:
  - code: ECON
    title: Economy
    pledges:
      - code: ECON-P1
        text: Buy local
        indicators:
          - code: ECON-01
            title: Spend locally
            unit: £
            frequency: quarterly
            source: manual
            target:
              kind: growth_from_baseline
              baseline_period: 2020/21
              rate_percent: five

          - code: ECON-02
            title: Something
            unit: things
            frequency: quarterly
            source: manual
            target:
              kind: magic
              value: 3

          - code: ECON-01
            title: The same code again
            unit: things
            frequency: annual
            source: manual
            target: {kind: count, value: 4}
"""
    path = write(tmp_path, text)

    code, out, err = run_command("charter", "validate", path)

    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    # The missing title belongs to the file's top-level mapping, which starts at `format:`.
    top = line_of(text, "format:")
    rate = line_of(text, "rate_percent: five")
    kind = line_of(text, "kind: magic")
    duplicate = line_of(text, "- code: ECON-01", occurrence=2)
    first = line_of(text, "- code: ECON-01")
    indicators = "themes[0].pledges[0].indicators"
    assert lines[0] == f"{path}:{top}: title: Required field is missing"
    assert lines[1].startswith(f"{path}:{rate}: {indicators}[0].target.rate_percent: ")
    assert "'five'" in lines[1] and "number" in lines[1]
    assert lines[2].startswith(f"{path}:{kind}: {indicators}[1].target.kind: ")
    assert "Unknown target kind 'magic'" in lines[2]
    assert lines[3] == (
        f"{path}:{duplicate}: {indicators}[2].code: Duplicate code 'ECON-01' "
        f"(first used at {indicators}[0].code, line {first})"
    )
    assert len(lines) == 4


def test_validate_reports_a_bad_file_among_good_ones(run_command, tmp_path):
    bad = write(tmp_path, SMALL.replace("value: 4", "value: -4"))

    code, out, err = run_command("charter", "validate", str(RXN_SEED), bad)

    assert code == 1
    assert f"{RXN_SEED}: valid" in out
    assert f"{bad}:{line_of(SMALL, 'value: 4')}: " in err
    assert "0 or more" in err


def test_validate_reports_yaml_syntax_errors_with_the_line(run_command, tmp_path):
    text = SMALL.replace("title: Economy", "title: [Economy")
    path = write(tmp_path, text)

    code, _, err = run_command("charter", "validate", path)

    assert code == 1
    assert err.startswith(f"{path}:")
    assert "(yaml)" in err


def test_validate_a_missing_file(run_command, tmp_path):
    missing = str(tmp_path / "nowhere.yaml")

    code, _, err = run_command("charter", "validate", missing)

    assert code == 1
    assert f"{missing}: no such file" in err


# load ----------------------------------------------------------------------------------------


def test_load_of_a_bad_file_saves_nothing(run_command, seeded, tmp_path):
    before = charter_rows()
    text = SMALL.replace("title: A small charter\n", "").replace(
        "rate_percent: 5", "rate_percent: x"
    )
    path = write(tmp_path, text)

    code, out, err = run_command("charter", "load", path)

    assert code == 1
    assert "created" not in out
    assert f"{path}:{line_of(text, 'format:')}: title: Required field is missing" in err
    assert f"{path}:{line_of(text, 'rate_percent: x')}: " in err
    assert charter_rows() == before
    assert not Charter.objects.filter(code="SMALL-SV").exists()


def test_load_refuses_an_unknown_organisation(run_command, orgs, tmp_path):
    path = write(tmp_path, SMALL.replace("organisation: RXN", "organisation: NOPE"))

    code, _, err = run_command("charter", "load", path)

    assert code == 1
    assert "no organisation with code NOPE" in err
    assert not Charter.objects.exists()
    assert not Indicator.objects.exists()


def test_load_refuses_an_unknown_owner(run_command, orgs, tmp_path):
    text = SMALL.replace(
        "            source: manual\n            target: {kind: count",
        "            source: manual\n            owner: nobody@nowhere.test\n"
        "            target: {kind: count",
    )
    path = write(tmp_path, text)

    code, _, err = run_command("charter", "load", path)

    assert code == 1
    assert "no user with email nobody@nowhere.test" in err
    assert not Charter.objects.exists()


def test_load_creates_the_charter(run_command, cast, tmp_path):
    text = SMALL.replace(
        "            source: manual\n            target: {kind: count",
        "            source: manual\n            owner: OWNER@rxn.test\n"
        "            target: {kind: count",
    )
    path = write(tmp_path, text)

    code, out, err = run_command("charter", "load", path)

    assert code == 0, err
    assert out.startswith(f"{path}: charter SMALL-SV created (")
    charter = Charter.objects.get(code="SMALL-SV")
    assert charter.title == "A small charter"
    assert charter.organisation.code == "RXN"
    assert list(charter.periods.values_list("start_year", flat=True)) == [2023, 2024]
    assert list(charter.themes.values_list("code", flat=True)) == ["ECON", "ENV"]
    assert list(charter.indicators.values_list("code", flat=True)) == [
        "ECON-01",
        "ECON-02",
        "ENV-01",
    ]
    econ_02 = charter.indicators.get(code="ECON-02")
    assert econ_02.pledge.code == "ECON-P1"
    assert (econ_02.unit, econ_02.source, econ_02.target_kind) == (
        "£",
        "computed",
        "growth_from_baseline",
    )
    assert econ_02.target_params == {"baseline_period": "2020/21", "rate_percent": 5}
    assert charter.indicators.get(code="ENV-01").target_params == {"due": "2024-03-31"}
    # The owner is matched by email whatever its case.
    assert charter.indicators.get(code="ECON-01").owner == cast["rxn_owner"]
    assert not charter.thresholds_set
    assert charter.at_risk_below == Decimal("0.9")


def test_loading_the_same_file_again_changes_nothing(run_command, orgs, tmp_path):
    path = write(tmp_path, SMALL)
    assert run_command("charter", "load", path)[0] == 0
    before = charter_rows()

    code, out, err = run_command("charter", "load", path)

    assert code == 0, err
    assert out.strip() == f"{path}: charter SMALL-SV unchanged (0 changes)"
    assert charter_rows() == before


def test_loading_a_seed_again_changes_nothing(run_command, seeded):
    before = charter_rows()

    code, out, err = run_command("charter", "load", str(RXN_SEED), str(GROUP_SEED))

    assert code == 0, err
    assert f"{RXN_SEED}: charter RXN-SV unchanged (0 changes)" in out
    assert f"{GROUP_SEED}: charter LPT-NHFT-SV unchanged (0 changes)" in out
    assert charter_rows() == before


def test_export_then_load_is_lossless(run_command, seeded, tmp_path):
    exported = tmp_path / "rxn.yaml"
    before = charter_rows()

    code, out, err = run_command("charter", "export", "RXN-SV", "-o", str(exported))
    assert code == 0, err
    assert out.strip() == f"Wrote {exported}"

    code, out, err = run_command("charter", "load", str(exported))
    assert code == 0, err
    assert out.strip() == f"{exported}: charter RXN-SV unchanged (0 changes)"
    assert charter_rows() == before
    text = exported.read_text(encoding="utf-8")
    original = parse_charter(RXN_SEED.read_text(encoding="utf-8"), path=str(RXN_SEED))
    assert parse_charter(text, path=str(exported)) == original


def test_export_to_standard_output_round_trips(run_command, seeded):
    code, out, _ = run_command("charter", "export", "LPT-NHFT-SV")

    assert code == 0
    assert out.startswith("# Social value charter")
    original = parse_charter(GROUP_SEED.read_text(encoding="utf-8"), path=str(GROUP_SEED))
    assert parse_charter(out) == original


def test_export_an_unknown_charter(run_command, db):
    code, out, err = run_command("charter", "export", "NOPE")

    assert code == 1
    assert out == ""
    assert "No charter with code NOPE" in err


def test_editing_one_target_updates_exactly_that_indicator(run_command, seeded, tmp_path):
    text = RXN_SEED.read_text(encoding="utf-8")
    assert text.count("target: {kind: count, value: 100}") == 1  # EDU-03
    path = write(
        tmp_path,
        text.replace("target: {kind: count, value: 100}", "target: {kind: count, value: 120}"),
    )
    before = charter_rows()

    code, out, err = run_command("charter", "load", path)

    assert code == 0, err
    assert out.strip() == f"{path}: charter RXN-SV updated (1 changes)"
    after = charter_rows()
    changed = [
        (old["code"], old, new)
        for old, new in zip(before["indicators"], after["indicators"], strict=True)
        if old != new
    ]
    assert [code for code, _, _ in changed] == ["EDU-03"]
    _, old, new = changed[0]
    assert old["target_params"] == {"value": 100}
    assert new["target_params"] == {"value": 120}
    assert {k: v for k, v in old.items() if k != "target_params"} == {
        k: v for k, v in new.items() if k != "target_params"
    }
    for table in ("charters", "periods", "themes", "pledges"):
        assert after[table] == before[table], table


def test_removing_an_indicator_without_values_deletes_it(run_command, orgs, tmp_path):
    path = write(tmp_path, SMALL)
    run_command("charter", "load", path)
    start = SMALL.index("          - code: ECON-02")
    end = SMALL.index("  - code: ENV")
    shorter = write(tmp_path, SMALL[:start] + "\n" + SMALL[end:], name="shorter.yaml")

    code, out, err = run_command("charter", "load", shorter)

    assert code == 0, err
    assert "charter SMALL-SV updated" in out
    assert list(Indicator.objects.values_list("code", flat=True)) == ["ECON-01", "ENV-01"]


def test_removing_an_indicator_with_recorded_values_is_refused(run_command, seeded, cast, tmp_path):
    indicator = seeded["RXN-SV"].indicators.get(code="ECON-02")
    first_quarter = FinancialYear(2023).periods("quarterly")[0]
    assert first_quarter.start == date(2023, 4, 1)
    measurement_record(
        actor=cast["rxn_lead"],
        indicator=indicator,
        organisation=indicator.charter.organisation,
        period=first_quarter,
        reading=Reading(value=Decimal("250000")),
    )
    text = RXN_SEED.read_text(encoding="utf-8")
    start = text.index("          - code: ECON-02")
    end = text.index("          - code: ECON-03")
    path = write(tmp_path, text[:start] + text[end:])
    assert "ECON-02" not in Path(path).read_text(encoding="utf-8")
    before = charter_rows()

    code, out, err = run_command("charter", "load", path)

    assert code == 1
    assert "ECON-02" in err
    assert "has recorded values and cannot be removed" in err
    assert err.startswith(f"{path}: ")
    assert "unchanged" not in out and "updated" not in out
    assert charter_rows() == before
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_load_of_several_files_is_all_or_nothing(run_command, orgs, tmp_path):
    good = write(tmp_path, SMALL, name="good.yaml")
    refused = write(
        tmp_path,
        SMALL.replace("SMALL-SV", "OTHER-SV").replace("organisation: RXN", "organisation: NOPE"),
        name="refused.yaml",
    )

    code, out, err = run_command("charter", "load", good, refused)

    assert code == 1
    assert f"{refused}: organisation: no organisation with code NOPE" in err
    assert "created" not in out
    assert not Charter.objects.exists()
    assert not Indicator.objects.exists()


def test_reloading_a_file_keeps_owners_assigned_in_the_app(run_command, seeded, cast):
    seeded["RXN-SV"].indicators.filter(code="ECON-01").update(owner=cast["rxn_owner"])
    before = charter_rows()

    code, out, err = run_command("charter", "load", str(RXN_SEED))

    assert code == 0, err
    assert "unchanged (0 changes)" in out
    assert charter_rows() == before
    assert seeded["RXN-SV"].indicators.get(code="ECON-01").owner == cast["rxn_owner"]


def test_load_does_not_create_a_second_charter_differing_only_in_case(
    run_command, seeded, tmp_path
):
    text = RXN_SEED.read_text(encoding="utf-8").replace("code: RXN-SV", "code: rxn-sv")
    path = write(tmp_path, text)

    run_command("charter", "load", path)

    assert Charter.objects.filter(code__iexact="RXN-SV").count() == 1


# show ----------------------------------------------------------------------------------------


def test_show_json_prints_the_whole_charter(run_command, seeded):
    code, out, err = run_command("charter", "show", "RXN-SV", "--json")

    assert code == 0, err
    data = json.loads(out)
    assert data["code"] == "RXN-SV"
    assert data["title"] == "Lancashire Teaching Hospitals Social Value Charter"
    assert data["organisation"] == "RXN"
    assert data["periods"] == ["2023/24"]
    assert data["thresholds"] == {"at_risk": 0.9, "off_track": 0.75}
    assert [t["code"] for t in data["themes"]] == [
        "ECON",
        "EDU",
        "VOL",
        "ENV",
        "HWB",
        "LEAD",
        "SOC",
    ]
    assert all(len(t["pledges"]) == 1 for t in data["themes"])
    indicators = {
        i["code"]: i for t in data["themes"] for p in t["pledges"] for i in p["indicators"]
    }
    assert len(indicators) == 38
    for indicator in indicators.values():
        assert {"code", "title", "unit", "frequency", "source", "target"} <= indicator.keys()
        assert indicator["title"].strip()
        assert "kind" in indicator["target"]
    assert indicators["ECON-02"]["unit"] == "£"
    assert indicators["ECON-02"]["target"] == {
        "kind": "growth_from_baseline",
        "baseline_period": "2020/21",
        "rate_percent": 5,
    }
    assert indicators["EDU-03"]["target"] == {"kind": "count", "value": 100}
    assert indicators["LEAD-03"]["target"]["kind"] == "ratio_band"
    assert (indicators["LEAD-03"]["target"]["lower"], indicators["LEAD-03"]["target"]["upper"]) == (
        0.8,
        1.2,
    )
    assert indicators["ECON-05"]["target"] == {"kind": "milestone", "recurs": True}


def test_show_json_of_the_group_charter(run_command, seeded):
    code, out, err = run_command("charter", "show", "LPT-NHFT-SV", "--json")

    assert code == 0, err
    data = json.loads(out)
    assert data["organisation"] == "LPT-NHFT"
    assert data["periods"] == ["2023/24", "2024/25"]
    assert "thresholds" not in data
    targets = [i["target"] for t in data["themes"] for p in t["pledges"] for i in p["indicators"]]
    assert len(targets) == 8
    assert {t["kind"] for t in targets} == {"direction"}
    assert {t["direction"] for t in targets} <= {"increase", "decrease", "maintain", "deliver"}


def test_show_an_unknown_charter_fails_clearly(run_command, db):
    code, out, err = run_command("charter", "show", "NOPE", "--json")

    assert code == 1
    assert out == ""
    assert "No charter with code NOPE" in err


# The installed command -------------------------------------------------------------------------


def test_console_script_validates_a_seed():
    script = Path(sys.executable).parent / "socialvalue"
    assert script.exists()
    env = {**os.environ, "SOCIALVALUE_DEBUG": "true"}

    result = subprocess.run(
        [str(script), "charter", "validate", str(RXN_SEED)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert f"{RXN_SEED}: valid (7 themes, 38 indicators)" in result.stdout


def test_a_file_whose_code_differs_only_in_case_is_refused_clearly(run_command, seeded, tmp_path):
    text = RXN_SEED.read_text(encoding="utf-8").replace("code: RXN-SV", "code: rxn-sv")

    code, _out, err = run_command("charter", "load", write(tmp_path, text))

    assert code == 1
    assert "RXN-SV already exists" in err


def test_load_by_a_lead_names_them_in_the_history(run_command, seeded, cast, tmp_path):
    from socialvalue.charters.models import IndicatorVersion

    text = RXN_SEED.read_text(encoding="utf-8")
    path = write(
        tmp_path,
        text.replace("target: {kind: count, value: 100}", "target: {kind: count, value: 120}"),
    )

    code, out, err = run_command("charter", "load", path, "--by", "LEAD@rxn.test")
    assert out.strip() == f"{path}: charter RXN-SV updated (1 changes)"

    assert code == 0, err
    newest = IndicatorVersion.objects.filter(indicator__code="EDU-03").order_by("-version")[0]
    assert newest.target_params == {"value": 120}
    assert newest.changed_by == cast["rxn_lead"]
    assert newest.changed_via == f"charter file {Path(path).name}"


def test_load_by_someone_who_is_not_a_lead_changes_nothing(run_command, seeded, cast, tmp_path):
    text = RXN_SEED.read_text(encoding="utf-8")
    path = write(
        tmp_path,
        text.replace("target: {kind: count, value: 100}", "target: {kind: count, value: 120}"),
    )
    before = charter_rows()

    # An indicator owner at RXN, and a lead of another organisation, may not.
    for email, who in (("owner@rxn.test", "owner@rxn.test"), ("lead@rt5.test", "lead@rt5.test")):
        code, out, err = run_command("charter", "load", path, "--by", email)
        assert code == 1
        assert f"{path}: --by: {who} is not a lead of RXN" in err
        assert out == ""
    code, _, err = run_command("charter", "load", path, "--by", "nobody@rxn.test")
    assert code == 1 and "--by: no person with email nobody@rxn.test" in err
    assert charter_rows() == before
