"""Where each value came from (issue 12 item 1, ADR 025): one Source per value, typed in,
a values-sheet row or computed; a recomputation becomes a new version on its own; the
indicator page links each value to "How this was worked out"."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from socialvalue.charters.models import Indicator
from socialvalue.domain.computations import computation
from socialvalue.domain.numbers import merge_spans, read_spans, row_ranges, spans_of, spans_text
from socialvalue.domain.periods import Period
from socialvalue.imports.models import Import
from socialvalue.measurements import services
from socialvalue.measurements.models import Measurement, ReviewState
from socialvalue.measurements.presenters import inputs_rows
from socialvalue.sources.models import Kind, Source
from socialvalue.sources.services import source_computed
from tests.factories import (
    CharterFactory,
    IndicatorFactory,
    OrganisationFactory,
    PledgeFactory,
    ThemeFactory,
    UserFactory,
)

LOCAL = computation("spend.local_spend")
Q1 = Period.from_key("2023/24-Q1")


@pytest.fixture
def computed(orgs):
    charter = CharterFactory(code="SRC", organisation=orgs["RXN"], years=[2023])
    pledge = PledgeFactory(theme=ThemeFactory(charter=charter))
    return Indicator.objects.create(
        charter=charter,
        pledge=pledge,
        code="LOCAL",
        title="Spend with local suppliers",
        unit="£",
        frequency="quarterly",
        source="computed",
        computation="spend.local_spend",
        target_kind="count",
        target_params={"value": "1000000"},
    )


def _spend_import(org) -> Import:
    return Import.objects.create(organisation=org, kind="spend", via="cli", state="done")


def _compute(indicator, record, amount: str, rows: list[int]):
    return services.measurement_compute(
        indicator=indicator,
        organisation=indicator.charter.organisation,
        period=Q1,
        reading=services.Reading(value=Decimal(amount)),
        source=source_computed(
            organisation=indicator.charter.organisation,
            computation=LOCAL,
            import_record=record,
            label=f"import {record.pk}, rows {row_ranges(rows)}",
            inputs={"import": record.pk, "rows": rows, "local_area": ["E07000123"]},
        ),
    )


def test_a_typed_value_says_who_typed_it_and_where_it_was_published(cast, computed):
    m = services.measurement_record(
        actor=cast["rxn_lead"],
        indicator=computed,
        organisation=computed.charter.organisation,
        period=Q1,
        reading=services.Reading(value=Decimal("5")),
        citation="Annual report 2022/23, page 14",
    )
    assert (m.source.kind, m.source.recorded_by, m.source.citation) == (
        Kind.TYPED,
        cast["rxn_lead"],
        "Annual report 2022/23, page 14",
    )


def test_a_computed_value_is_stored_approved_with_no_person_and_its_inputs(orgs, computed):
    record = _spend_import(orgs["RXN"])
    first = _compute(computed, record, "1200.50", [4, 5, 6, 9])
    assert (first.version, first.state, first.recorded_by, first.reason) == (
        1,
        ReviewState.APPROVED,
        None,
        "",
    )
    source = first.source
    assert (source.kind, source.computation, source.computation_version) == (
        Kind.IMPORT,
        "spend.local_spend",
        "1",
    )
    assert source.import_record == record and source.inputs["rows"] == [4, 5, 6, 9]
    assert Measurement.objects.counted().get().value == Decimal("1200.50")


def test_the_same_figure_from_the_same_inputs_adds_nothing(orgs, computed):
    record = _spend_import(orgs["RXN"])
    _compute(computed, record, "1200.50", [4, 5])
    assert _compute(computed, record, "1200.5", [4, 5]) is None
    assert (Measurement.objects.count(), Source.objects.count()) == (1, 1)


def test_a_changed_source_makes_a_new_version_with_a_reason_the_system_writes(orgs, computed):
    _compute(computed, _spend_import(orgs["RXN"]), "1200.50", [4, 5])
    second_import = _spend_import(orgs["RXN"])
    # Same figure, different rows: still a new version, so the figure points to its rows.
    again = _compute(computed, second_import, "1200.50", [4, 5, 7])
    assert (again.version, again.reason) == (2, f"Recomputed from import {second_import.pk}")
    counted = Measurement.objects.counted().get()
    assert counted == again and counted.supersedes.version == 1


def test_a_recomputation_supersedes_a_typed_value(cast, computed):
    typed = services.measurement_record(
        actor=cast["rxn_lead"],
        indicator=computed,
        organisation=computed.charter.organisation,
        period=Q1,
        reading=services.Reading(value=Decimal("7")),
    )
    record = _spend_import(computed.charter.organisation)
    m = _compute(computed, record, "10", [2])
    assert (m.version, m.supersedes, m.reason) == (2, typed, f"Recomputed from import {record.pk}")


def test_only_the_named_computation_fills_an_indicator(orgs, computed):
    computed.computation = ""
    computed.save()
    with pytest.raises(ValueError, match=r"LOCAL is not computed by spend\.local_spend"):
        _compute(computed, _spend_import(orgs["RXN"]), "1", [2])
    assert not Measurement.objects.exists() and not Source.objects.exists()


def test_the_source_page_shows_method_inputs_version_and_the_import(cast, computed, sign_in):
    record = _spend_import(computed.charter.organisation)
    m = _compute(computed, record, "1200.50", [4, 5, 6, 9])
    client = sign_in(cast["rxn_lead"])
    page = client.get(reverse("measurements:view_indicator", args=["SRC", "LOCAL"]))
    text = page.content.decode()
    url = reverse("measurements:view_source", args=[m.pk])
    assert f'href="{url}"' in text and "Computed by socialvalue" in text
    assert f"From import {record.pk}, rows 4–6, 9" in text
    text = html.unescape(client.get(url).content.decode())
    assert "Computed from an import" in text
    # The figure with its unit, as the indicator gives it.
    assert "<strong>£1,200.50</strong> for " in text
    # Reached the way every charter page is: down to the indicator, in the value's year.
    year = m.period.financial_year.label
    assert (
        f'class="nhsuk-breadcrumb__link" href="/charters/SRC/indicators/LOCAL/?year={year}"' in text
    )
    assert "spend.local_spend, version 1" in text
    assert LOCAL.method in text
    assert f'href="{reverse("imports:view_import", args=[record.pk])}"' in text
    assert "4–6, 9" in text and "E07000123" in text


def test_a_viewer_reads_the_method_but_is_not_sent_to_the_import(cast, computed, sign_in):
    record = _spend_import(computed.charter.organisation)
    m = _compute(computed, record, "1200.50", [4])
    text = sign_in(cast["rxn_viewer"]).get(reverse("measurements:view_source", args=[m.pk]))
    text = html.unescape(text.content.decode())
    assert "spend.local_spend, version 1" in text
    assert reverse("imports:view_import", args=[record.pk]) not in text
    assert "seen by the organisation's leads only" in text


def test_another_organisation_cannot_read_a_source(cast, computed, sign_in):
    m = _compute(computed, _spend_import(computed.charter.organisation), "1", [4])
    page = sign_in(cast["rt5_lead"]).get(reverse("measurements:view_source", args=[m.pk]))
    assert page.status_code == 404


def test_a_sibling_does_not_see_a_waiting_value_s_source(cast, computed, sign_in):
    waiting = services.measurement_record(
        actor=cast["rxn_lead"],
        indicator=computed,
        organisation=computed.charter.organisation,
        period=Q1,
        reading=services.Reading(value=Decimal("3")),
    )
    assert waiting.state == ReviewState.SUBMITTED
    page = sign_in(cast["rt5_lead"]).get(reverse("measurements:view_source", args=[waiting.pk]))
    assert page.status_code == 404


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        ([], ""),
        ([7], "7"),
        ([4, 5, 6, 9], "4–6, 9"),
        ([9, 4, 4, 5], "4–5, 9"),
        ([1, 3, 5], "1, 3, 5"),
    ],
)
def test_row_numbers_read_as_ranges(numbers, text):
    assert row_ranges(numbers) == text
    # The same text from runs of rows, and back.
    assert spans_text(spans_of(numbers)) == text
    assert read_spans(text) == spans_of(numbers)


def test_runs_of_rows_join_where_they_touch_or_overlap_without_listing_rows():
    assert merge_spans([(5, 7), (2, 4), (3, 3), (9, 9)]) == ((2, 7), (9, 9))
    assert merge_spans([(1, 10**9), (10**9 + 1, 10**9 + 5)]) == ((1, 10**9 + 5),)
    assert spans_text([(2, 1001), (2002, 3001), (1002, 1499)]) == "2–1499, 2002–3001"
    assert read_spans("2–1499, 2002–3001") == ((2, 1499), (2002, 3001))
    assert merge_spans([]) == () and spans_text([]) == "" and read_spans(" ") == ()


def test_inputs_read_as_rows_and_long_ones_are_cut():
    rows = inputs_rows({"file": "a.csv", "local_area": {"districts": ["PR1", "PR2"]}, "n": None})
    assert [(r.key, r.text) for r in rows] == [
        ("file", "a.csv"),
        ("local area › districts 1", "PR1"),
        ("local area › districts 2", "PR2"),
        ("n", "–"),
    ]
    # Decimal figures kept as text read with their thousands, exactly, down to two decimals;
    # codes stay as they are.
    kept = {"local": "17289684.65000000", "credit": "-0.50", "share": "0.00880000"}
    figures = inputs_rows({**kept, "whole": "25.0000", "company": "03529700", "code": "E10000017"})
    assert [r.text for r in figures] == [
        "17,289,684.65",
        "-0.50",
        "0.0088",
        "25",
        "03529700",
        "E10000017",
    ]
    many = inputs_rows({"lines": [{"row": n} for n in range(600)]})
    assert len(many) == 501 and many[-1].text == "and 100 more"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_existing_value_a_source_from_its_old_fields():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("measurements", "0004_self_status_done_late")]
    after = [("measurements", "0006_one_vocabulary_of_origins")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        # Only the values' table is rolled back; the rest is as the app has it now.
        old = executor.loader.project_state(before).apps
        org = OrganisationFactory(code="MIG", name="Migrated Trust")
        user = UserFactory(email="m@mig.test", first_name="Mo", last_name="Lee")
        charter = CharterFactory(code="MIG-SV", organisation=org)
        indicator = IndicatorFactory(pledge=PledgeFactory(theme=ThemeFactory(charter=charter)))
        indicator = old.get_model("charters", "Indicator").objects.get(pk=indicator.pk)
        org = old.get_model("organisations", "Organisation").objects.get(pk=org.pk)
        user = old.get_model("organisations", "User").objects.get(pk=user.pk)
        values = old.get_model("measurements", "Measurement")
        common = {"indicator": indicator, "organisation": org, "frequency": "annual"}
        values.objects.create(
            **common,
            period_start="2023-04-01",
            period_end="2024-03-31",
            value=3,
            recorded_by=user,
            origin="sheet",
            source_ref="q3.xlsx row 12",
            source={"kind": "values_sheet", "file": "q3.xlsx", "worksheet": "Values", "rows": [12]},
        )
        values.objects.create(
            **common,
            period_start="2024-04-01",
            period_end="2025-03-31",
            value=4,
            recorded_by=user,
            method="Counted from the HR system",
        )

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        migrated = {
            m.value: m.source
            for m in new.get_model("measurements", "Measurement").objects.select_related("source")
        }
        sheet, typed = migrated[3], migrated[4]
        assert (sheet.kind, sheet.label, sheet.inputs) == (
            "sheet",
            "values sheet q3.xlsx row 12",
            {"file": "q3.xlsx", "worksheet": "Values", "rows": [12]},
        )
        assert (typed.kind, typed.label, typed.method, typed.recorded_by_id) == (
            "typed",
            "Typed in by Mo Lee",
            "Counted from the HR system",
            user.pk,
        )
        assert sheet.organisation_id == typed.organisation_id == org.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
