"""The indicator form asks for the kind of target first, then only that kind's parameters,
without JavaScript; once values exist, a change of kind or reading shape is refused by the
form and by a charter file load, which then changes nothing (issue 11 item 4, ADR 019)."""

import html
import re
from decimal import Decimal

import pytest

from socialvalue.charters.models import Indicator
from socialvalue.domain.periods import FinancialYear
from socialvalue.measurements.models import Measurement
from socialvalue.measurements.services import Reading, measurement_record
from tests.conftest import SEEDS
from tests.helpers import charter_rows

RXN_SEED = SEEDS / "lancashire-teaching-hospitals-2023-24.yaml"
FY = FinancialYear(2023)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def error_summary(response) -> str:
    match = re.search(r'class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.DOTALL)
    return html.unescape(match.group(0)) if match else ""


def field_names(response) -> set[str]:
    """The names of the page's form fields."""
    page = response.content.decode()
    return set(re.findall(r'<(?:input|select|textarea)[^>]*?\sname="([a-z_]+)"', page))


def record(cast, indicator, period, reason="", **reading):
    return measurement_record(
        actor=cast["rxn_lead"],
        indicator=indicator,
        organisation=indicator.charter.organisation,
        period=period,
        reading=Reading(**reading),
        reason=reason,
    )


def rxn(code: str) -> Indicator:
    return Indicator.objects.get(charter__code="RXN-SV", code=code)


def edit_data(indicator, **target):
    """The edit form as posted: the indicator's details as they are, and a target."""
    return {
        "code": indicator.code,
        "title": indicator.title,
        "pledge": indicator.pledge_id,
        "unit": indicator.unit,
        "frequency": indicator.frequency,
        "source": indicator.source,
        **target,
    }


TARGET_PARAMETERS = {
    "value", "comparison", "lower", "upper", "baseline_period", "baseline_value", "rate_percent",
    "change", "target_percent", "benchmark_period", "benchmark_value", "measure", "due",
    "recurs", "maintain_description", "level", "direction", "parts", "start_year", "due_year",
    "due_until", "cumulative", "accumulation",
}  # fmt: skip


# Choosing the kind first --------------------------------------------------------------


def test_adding_an_indicator_starts_with_the_kind_of_target(seeded, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    pledge = seeded["RXN-SV"].themes.get(code="ECON").pledges.get()
    url = "/charters/RXN-SV/indicators/new/"

    first = client.get(url, {"pledge": pledge.pk})
    assert first.status_code == 200
    assert "What kind of target does it have?" in text_of(first)
    assert 'method="get"' in first.content.decode()  # choosing saves nothing and needs no JS
    # Only the kind (and the pledge carried along): no details, no parameters yet.
    assert field_names(first) == {"target_kind", "step", "pledge"}
    assert f'name="pledge" value="{pledge.pk}"' in first.content.decode()

    nothing_chosen = client.get(url, {"pledge": pledge.pk, "step": "kind"})
    assert nothing_chosen.status_code == 400
    assert "Select the kind of target" in error_summary(nothing_chosen)

    unknown = client.get(url, {"pledge": pledge.pk, "step": "kind", "target_kind": "guess"})
    assert unknown.status_code == 400
    assert "Select the kind of target" in error_summary(unknown)


def test_the_second_step_asks_only_for_the_chosen_kinds_parameters(seeded, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    pledge = seeded["RXN-SV"].themes.get(code="ECON").pledges.get()
    url = "/charters/RXN-SV/indicators/new/"
    expected = {
        "milestone": {"due", "recurs"},
        "direction": {"direction"},
        "counts": {"parts"},
        "ratio_band": {"lower", "upper", "parts"},
        "growth_on_previous": {"rate_percent", "accumulation"},
        "increase_on_benchmark": {"benchmark_period", "benchmark_value", "measure", "parts"},
        "share": {
            "target_percent", "comparison", "lower", "upper", "baseline_period",
            "baseline_value", "start_year", "due_year", "due_until", "accumulation",
        },
    }  # fmt: skip
    for kind, parameters in expected.items():
        page = client.get(url, {"pledge": pledge.pk, "step": "kind", "target_kind": kind})
        assert page.status_code == 200, kind
        assert field_names(page) & TARGET_PARAMETERS == parameters, kind
        assert f'type="hidden" name="target_kind" value="{kind}"' in page.content.decode()
        assert {"code", "title", "unit", "frequency", "pledge"} <= field_names(page)
        # A link back to the first step, keeping the pledge.
        assert f'href="?choose&amp;pledge={pledge.pk}"' in page.content.decode()

    milestone = client.get(url, {"pledge": pledge.pk, "target_kind": "milestone"})
    assert "Years and how figures add up" not in text_of(milestone)
    assert "Target: milestone" in text_of(milestone)


def test_a_milestone_is_added_in_two_steps_and_other_kinds_fields_are_ignored(
    seeded, cast, sign_in
):
    client = sign_in(cast["rxn_lead"])
    pledge = seeded["RXN-SV"].themes.get(code="ECON").pledges.get()
    response = client.post(
        "/charters/RXN-SV/indicators/new/",
        {
            "code": "ECON-99",
            "title": "Publish a local buying plan",
            "pledge": pledge.pk,
            "unit": "",
            "frequency": "annual",
            "source": "manual",
            "target_kind": "milestone",
            "due": "2024-03-31",
            # Not a milestone's: not asked for, so not read (and not an error).
            "rate_percent": "lots",
        },
    )
    assert response.status_code == 302, error_summary(response)
    saved = Indicator.objects.get(code="ECON-99")
    assert (saved.target_kind, saved.target_params) == ("milestone", {"due": "2024-03-31"})


def test_editing_goes_back_to_the_kind_and_on_to_the_new_kinds_fields(seeded, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    url = "/charters/RXN-SV/indicators/ECON-01/edit/"  # count, value 4; nothing recorded

    edit = client.get(url)
    assert 'name="value"' in edit.content.decode() and 'value="4"' in edit.content.decode()
    assert 'href="?choose"' in edit.content.decode()

    choose = client.get(url, {"choose": ""})
    assert choose.status_code == 200
    assert re.search(r'value="count"\s+checked', choose.content.decode())
    assert "recorded value" not in text_of(choose)  # nothing recorded: the kind may change

    share = client.get(url, {"step": "kind", "target_kind": "share"})
    assert field_names(share) & TARGET_PARAMETERS >= {"target_percent"}
    assert 'name="value"' not in share.content.decode()
    assert 'value="Meet the buyer' in share.content.decode() or "ECON-01" in text_of(share)

    saved = client.post(url, edit_data(rxn("ECON-01"), **{
        "target_kind": "share", "target_percent": "30"}))  # fmt: skip
    assert saved.status_code == 302, error_summary(saved)
    indicator = rxn("ECON-01")
    assert (indicator.target_kind, indicator.target_params) == ("share", {"target_percent": 30})


# Refusing a change once values exist ----------------------------------------------------


def test_the_form_refuses_a_new_kind_once_values_exist(seeded, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    indicator = seeded["RXN-SV"].indicators.get(code="ECON-01")
    q1, q2 = FY.periods("quarterly")[:2]
    record(cast, indicator, q1, value=Decimal(1))
    record(cast, indicator, q1, value=Decimal(2), reason="typo")  # a correction: still one
    record(cast, indicator, q2, value=Decimal(3))
    url = "/charters/RXN-SV/indicators/ECON-01/edit/"
    before = charter_rows()

    choose = client.get(url, {"choose": ""})
    assert "ECON-01 has 2 recorded values: its kind of target cannot change" in text_of(choose)

    refused = client.post(url, edit_data(indicator, target_kind="share", target_percent="30"))

    assert refused.status_code == 400
    summary = error_summary(refused)
    assert (
        "ECON-01 has 2 recorded values: changing its kind from count in the period to share "
        "of a whole would orphan them" in summary
    )
    assert "add a new indicator with the new target to replace ECON-01" in summary
    assert charter_rows() == before
    assert Measurement.objects.filter(indicator=indicator).count() == 3

    # The same kind with a new figure is not a change of shape: saved.
    kept = client.post(url, edit_data(indicator, target_kind="count", value="6"))
    assert kept.status_code == 302, error_summary(kept)
    indicator.refresh_from_db()
    assert (indicator.target_kind, indicator.target_params) == ("count", {"value": 6})


def test_the_form_refuses_a_benchmark_read_another_way_once_values_exist(seeded, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    indicator = seeded["RXN-SV"].indicators.get(code="LEAD-02")  # shares in two parts
    shares = {"numerator": Decimal(3), "denominator": Decimal(40)}
    record(cast, indicator, FY.periods("annual")[0], parts={"ethnic-minority": shares})

    refused = client.post(
        "/charters/RXN-SV/indicators/LEAD-02/edit/",
        edit_data(
            indicator,
            target_kind="increase_on_benchmark",
            benchmark_period="2022/23",
            measure="value",
            parts="ethnic-minority | ethnic minority\ndisabled | disabled",
        ),
    )

    assert refused.status_code == 400
    assert (
        "LEAD-02 has 1 recorded value: changing what it records from a numerator and "
        "denominator for each part to a value for each part would orphan it"
        in error_summary(refused)
    )
    indicator.refresh_from_db()
    assert indicator.target_params["benchmark_period"] == "2022/23"
    assert indicator.target_params.get("measure", "share") == "share"


def _lead02_without_parts(client, indicator):
    """LEAD-02 as it was before it had parts: one share (allowed while it has no values)."""
    response = client.post(
        "/charters/RXN-SV/indicators/LEAD-02/edit/",
        edit_data(indicator, target_kind="increase_on_benchmark", benchmark_period="2022/23"),
    )
    assert response.status_code == 302, error_summary(response)
    indicator.refresh_from_db()
    assert "parts" not in indicator.target_params


def test_the_form_refuses_giving_parts_to_a_benchmark_with_values(seeded, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    indicator = rxn("LEAD-02")
    _lead02_without_parts(client, indicator)
    record(cast, indicator, FY.periods("annual")[0], numerator=Decimal(3), denominator=Decimal(40))

    refused = client.post(
        "/charters/RXN-SV/indicators/LEAD-02/edit/",
        edit_data(
            indicator,
            target_kind="increase_on_benchmark",
            benchmark_period="2022/23",
            parts="ethnic-minority | ethnic minority | 12\ndisabled | disabled | 3.4",
        ),
    )

    assert refused.status_code == 400
    assert (
        "LEAD-02 has 1 recorded value: changing what it records from a numerator and "
        "denominator to a numerator and denominator for each part would orphan it. Keep the "
        "target as it is, or add a new indicator with the new target to replace LEAD-02"
    ) in error_summary(refused)
    assert "parts" not in rxn("LEAD-02").target_params


def test_a_charter_file_giving_parts_to_a_benchmark_with_values_is_refused(
    run_command, seeded, cast, sign_in, tmp_path
):
    indicator = rxn("LEAD-02")
    _lead02_without_parts(sign_in(cast["rxn_lead"]), indicator)
    record(cast, indicator, FY.periods("annual")[0], numerator=Decimal(3), denominator=Decimal(40))
    before = charter_rows()

    code, _out, err = run_command("charter", "load", str(RXN_SEED))  # LEAD-02 with parts

    assert code == 1
    assert (
        "LEAD-02 has 1 recorded value: changing what it records from a numerator and "
        "denominator to a numerator and denominator for each part would orphan it"
    ) in err
    assert charter_rows() == before


def test_the_form_sets_each_parts_benchmark_and_keeps_the_values(seeded, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    indicator = rxn("LEAD-02")
    shares = {"numerator": Decimal(71), "denominator": Decimal(500)}
    record(cast, indicator, FY.periods("annual")[0], parts={"ethnic-minority": shares})
    form = client.get("/charters/RXN-SV/indicators/LEAD-02/edit/")
    assert "ethnic-minority | ethnic minority\ndisabled | disabled/long term condition" in (
        text_of(form)
    )

    saved = client.post(
        "/charters/RXN-SV/indicators/LEAD-02/edit/",
        edit_data(
            indicator,
            target_kind="increase_on_benchmark",
            benchmark_period="2022/23",
            parts=(
                "ethnic-minority | ethnic minority | 12\n"
                "disabled | disabled/long term condition | 3.4"
            ),
        ),
    )

    assert saved.status_code == 302, error_summary(saved)
    assert rxn("LEAD-02").target_params["parts"] == [
        {"key": "ethnic-minority", "label": "ethnic minority", "benchmark_value": 12},
        {"key": "disabled", "label": "disabled/long term condition", "benchmark_value": 3.4},
    ]


def test_the_form_refuses_taking_away_a_part_that_has_values(seeded, cast, sign_in):
    client = sign_in(cast["rxn_lead"])
    indicator = seeded["RXN-SV"].indicators.get(code="LEAD-03")
    counts = {"events_a": 5, "population_a": 50, "events_b": 4, "population_b": 40}
    record(
        cast,
        indicator,
        FY.periods("annual")[0],
        parts={"ethnicity": dict(counts), "disability": dict(counts)},
    )

    refused = client.post(
        "/charters/RXN-SV/indicators/LEAD-03/edit/",
        edit_data(
            indicator,
            target_kind="ratio_band",
            lower="0.8",
            upper="1.2",
            parts="ethnicity | Ethnicity (WRES indicator 2) | White | BME",
        ),
    )

    assert refused.status_code == 400
    assert "changing its parts, taking away the part disability" in error_summary(refused)
    assert len(rxn("LEAD-03").target_params["parts"]) == 2


def test_a_charter_file_that_changes_a_kind_with_values_is_refused_and_changes_nothing(
    run_command, seeded, cast, tmp_path
):
    indicator = seeded["RXN-SV"].indicators.get(code="ECON-01")
    record(cast, indicator, FY.periods("quarterly")[0], value=Decimal(2))
    text = RXN_SEED.read_text(encoding="utf-8")
    assert text.count("target: {kind: count, value: 4}") >= 1
    # ECON-01 becomes a share, and the charter gets a new title: neither may be applied.
    changed = text.replace(
        "target: {kind: count, value: 4}", "target: {kind: share, target_percent: 25}", 1
    )
    changed = changed.replace("\ntitle: ", "\ntitle: Renamed ", 1)
    path = tmp_path / "changed.yaml"
    path.write_text(changed, encoding="utf-8")
    before = charter_rows()

    code, _out, err = run_command("charter", "load", str(path))

    assert code == 1
    assert (
        "indicators: ECON-01 has 1 recorded value: changing its kind from count in the period "
        "to share of a whole would orphan it. Keep the target as it is, or add a new indicator "
        "with the new target to replace ECON-01, which keeps its history"
    ) in err
    assert str(path) in err
    assert charter_rows() == before
    assert rxn("ECON-01").target_kind == "count"


def test_a_charter_file_may_change_a_target_without_changing_its_shape(
    run_command, seeded, cast, tmp_path
):
    indicator = seeded["RXN-SV"].indicators.get(code="ECON-01")
    record(cast, indicator, FY.periods("quarterly")[0], value=Decimal(2))
    text = RXN_SEED.read_text(encoding="utf-8")
    path = tmp_path / "more.yaml"
    path.write_text(
        text.replace("target: {kind: count, value: 4}", "target: {kind: count, value: 6}", 1),
        encoding="utf-8",
    )

    code, _out, err = run_command("charter", "load", str(path))

    assert code == 0, err
    assert rxn("ECON-01").target_params == {"value": 6}


def test_a_charter_file_may_change_the_kind_of_an_indicator_without_values(
    run_command, seeded, tmp_path
):
    text = RXN_SEED.read_text(encoding="utf-8")
    path = tmp_path / "share.yaml"
    path.write_text(
        text.replace(
            "target: {kind: count, value: 4}", "target: {kind: share, target_percent: 25}", 1
        ),
        encoding="utf-8",
    )

    code, _out, err = run_command("charter", "load", str(path))

    assert code == 0, err
    assert rxn("ECON-01").target_kind == "share"


def test_a_reading_with_fields_its_shape_does_not_have_is_refused(seeded, cast):
    share = rxn("LEAD-02")  # a benchmark on shares in parts
    year = FY.periods("annual")[0]
    with pytest.raises(ValueError) as refused:
        record(cast, share, year, value=Decimal(7))
    assert str(refused.value) == (
        "value does not apply to LEAD-02, which records a numerator and denominator for each part"
    )
    assert not Measurement.objects.filter(indicator=share).exists()


def test_a_refused_load_lists_every_refusal_at_once(run_command, seeded, cast, tmp_path):
    for code in ("ECON-01", "ECON-02"):
        record(cast, rxn(code), FY.periods("quarterly")[0], value=Decimal(2))
    text = RXN_SEED.read_text(encoding="utf-8")
    text = text.replace(
        "target: {kind: count, value: 4}", "target: {kind: share, target_percent: 25}", 1
    )
    start, end = text.index("          - code: ECON-02"), text.index("          - code: ECON-03")
    path = tmp_path / "both.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    before = charter_rows()

    code, _out, err = run_command("charter", "load", str(path))

    assert code == 1
    assert "ECON-01 has 1 recorded value: changing its kind" in err
    assert "ECON-02 has recorded values and cannot be removed by a file" in err
    assert charter_rows() == before
