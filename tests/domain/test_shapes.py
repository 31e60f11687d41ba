"""Reading shapes, named once (socialvalue/domain/shapes.py, ADR 019): which fields a kind's
readings have, when a reading says something, which changes of target would orphan recorded
values, counts kept whole in a values sheet, and a disparity's parts kept apart."""

from datetime import date
from decimal import Decimal

import pytest

from socialvalue.domain.periods import FinancialYear, Frequency
from socialvalue.domain.shapes import KIND_SHAPES, Shape, shape_for
from socialvalue.domain.status import MilestoneState, Observation, Status, assess, combine, rollup
from socialvalue.domain.targets import (
    TargetKind,
    orphan_message,
    parse_target,
    reading_change,
    shape_of,
)
from socialvalue.domain.valuesheet import (
    COLUMNS,
    IndicatorSpec,
    SheetContext,
    parse,
    validate,
)

FY = FinancialYear(2023)
YEAR = FY.periods(Frequency.ANNUAL)[0]

ETHNICITY = {"key": "ethnicity", "label": "Ethnicity", "group_a": "White", "group_b": "BME"}
DISABILITY = {
    "key": "disability",
    "label": "Disability",
    "group_a": "Non-disabled",
    "group_b": "Disabled",
}
BAND = {"lower": 0.8, "upper": 1.2, "parts": [ETHNICITY, DISABILITY]}
COUNTS = {
    "parts": [
        {"key": "apps", "label": "apprentices", "value": 5},
        {"key": "jobs", "label": "jobs", "value": 3},
    ]
}


@pytest.mark.parametrize(
    ("kind", "params", "shape"),
    [
        ("count", {"value": 4}, Shape.VALUE),
        ("counts", COUNTS, Shape.PARTS),
        ("growth_from_baseline", {"baseline_period": "2020/21", "rate_percent": 5}, Shape.VALUE),
        ("growth_on_previous", {}, Shape.VALUE),
        ("reduction_from_baseline", {"rate_percent": 5}, Shape.VALUE),
        ("share", {"target_percent": 25}, Shape.SHARE),
        ("ratio_band", BAND, Shape.DISPARITY),
        ("increase_on_benchmark", {"benchmark_period": "2022/23"}, Shape.SHARE),
        (
            "increase_on_benchmark",
            {"benchmark_period": "2022/23", "measure": "value"},
            Shape.VALUE,
        ),
        ("milestone", {}, Shape.MILESTONE),
        ("maintain", {}, Shape.SELF_ASSESSMENT),
        ("direction", {"direction": "increase"}, Shape.SELF_ASSESSMENT),
    ],
)
def test_every_kind_has_one_reading_shape(kind, params, shape):
    assert shape_of(parse_target(kind, params)) is shape


def test_every_kind_is_named_in_the_shapes_table():
    assert set(KIND_SHAPES) == {k.value for k in TargetKind}
    assert shape_for("increase_on_benchmark", measure="share") is Shape.SHARE
    assert [s for s in Shape if s.has_parts] == [Shape.PARTS, Shape.SHARE_PARTS, Shape.DISPARITY]
    assert Shape.SHARE.fields == ("numerator", "denominator")
    assert Shape.MILESTONE.label == "a milestone's state and date"


@pytest.mark.parametrize(
    ("shape", "observation", "holds"),
    [
        (Shape.VALUE, Observation(YEAR, value=Decimal(0)), True),  # 0 is a figure
        (Shape.VALUE, Observation(YEAR, numerator=Decimal(1), denominator=Decimal(2)), False),
        (Shape.SHARE, Observation(YEAR, numerator=Decimal(0), denominator=Decimal(0)), True),
        (Shape.SHARE, Observation(YEAR, numerator=Decimal(1)), False),  # half a share
        (Shape.PARTS, Observation(YEAR, parts={"apps": Decimal(0)}), True),
        (Shape.PARTS, Observation(YEAR, parts={"eth": {"events_a": Decimal(1)}}), False),
        (Shape.DISPARITY, Observation(YEAR, parts={"eth": {"events_a": Decimal(1)}}), True),
        (Shape.DISPARITY, Observation(YEAR, parts={"apps": Decimal(3)}), False),
        (Shape.MILESTONE, Observation(YEAR, milestone_state=MilestoneState.NOT_STARTED), True),
        (Shape.MILESTONE, Observation(YEAR, value=Decimal(1)), False),
        (Shape.SELF_ASSESSMENT, Observation(YEAR, narrative="Two schools visited"), True),
        (Shape.SELF_ASSESSMENT, Observation(YEAR, self_status=Status.AT_RISK), True),
        (Shape.SELF_ASSESSMENT, Observation(YEAR, narrative="   "), False),
    ],
)
def test_a_reading_holds_data_for_its_shape_only(shape, observation, holds):
    assert shape.holds_data(observation) is holds


# Changes that would orphan recorded values ---------------------------------------------


def test_a_new_kind_orphans_the_readings():
    old = parse_target("count", {"value": 4})
    assert reading_change(old, parse_target("share", {"target_percent": 25})) == (
        "its kind from count in the period to share of a whole"
    )
    # Both read a value, but the kind's rules differ: still refused.
    assert reading_change(old, parse_target("growth_on_previous", {})) == (
        "its kind from count in the period to growth on the previous period"
    )


def test_the_same_kind_with_new_figures_keeps_the_readings():
    old = parse_target("count", {"value": 4})
    assert reading_change(old, parse_target("count", {"value": 6, "comparison": "at_most"})) is None
    assert reading_change(old, old) is None


def test_a_benchmark_read_as_a_value_instead_of_a_share_orphans_the_readings():
    share = parse_target("increase_on_benchmark", {"benchmark_period": "2022/23"})
    value = parse_target(
        "increase_on_benchmark", {"benchmark_period": "2022/23", "measure": "value"}
    )
    assert reading_change(share, value) == (
        "what it records from a numerator and denominator to a value"
    )


def test_taking_a_part_away_orphans_its_readings_and_adding_one_does_not():
    both = parse_target("ratio_band", BAND)
    one = parse_target("ratio_band", {**BAND, "parts": [ETHNICITY]})
    assert reading_change(both, one) == "its parts, taking away the part disability"
    assert reading_change(one, both) is None
    three = {"key": "sex", "label": "Sex", "value": 1}
    counts = parse_target("counts", COUNTS)
    assert reading_change(
        counts, parse_target("counts", {"parts": [COUNTS["parts"][0], three]})
    ) == ("its parts, taking away the part jobs")


def test_the_refusal_says_how_many_values_and_what_to_do_instead():
    assert orphan_message("ECON-01", "its kind from a to b", 1) == (
        "ECON-01 has 1 recorded value: changing its kind from a to b would orphan it. Keep the "
        "target as it is, or add a new indicator with the new target to replace ECON-01, which "
        "keeps its history"
    )
    assert "has 12 recorded values" in orphan_message("X", "c", 12)
    assert "would orphan them" in orphan_message("X", "c", 12)


# A count of things is whole and never negative in a values sheet -------------------------


def _sheet_context(unit: str, shape: Shape = Shape.VALUE, parts=()) -> SheetContext:
    spec = IndicatorSpec(
        code="C",
        shape=shape,
        frequency=Frequency.ANNUAL,
        kind_label="Count in the period",
        periods=frozenset({YEAR.key}),
        organisations=("RXN",),
        recordable=frozenset({"RXN"}),
        parts=parts,
        unit=unit,
    )
    return SheetContext(
        charter="RXN-SV", years=("2023/24",), indicators={"C": spec}, today=date(2024, 6, 1)
    )


def _check(context: SheetContext, cells: dict[str, str]) -> list[str]:
    row = {"charter": "RXN-SV", "indicator": "C", "organisation": "RXN", "period": YEAR.key}
    row.update(cells)
    text = ",".join(COLUMNS) + "\n" + ",".join(row.get(c, "") for c in COLUMNS) + "\n"
    return [str(p) for p in validate(parse("v.csv", text.encode()), context).problems]


@pytest.mark.parametrize(
    ("unit", "value", "problem"),
    [
        ("people", "1.5", "value must be a whole number"),
        ("people", "-3", "value must be 0 or more"),
        ("people", "12", None),
        ("£", "1.5", None),  # money has decimals
        ("£", "-3", None),  # and a value may fall below 0 (a refund)
        ("tonnes CO2e", "0.25", None),  # a measure has decimals
        ("visits per person", "2.5", None),  # a rate per person is a measure
    ],
)
def test_a_values_sheet_keeps_a_count_of_things_whole(unit, value, problem):
    problems = _check(_sheet_context(unit), {"value": value})
    if problem is None:
        assert problems == []
    else:
        assert problems == [f"Row 2, column E (value): {problem}"]


def test_a_values_sheet_keeps_parts_and_a_share_of_things_whole():
    parts = _sheet_context("", Shape.PARTS, parts=("apps",))
    assert _check(parts, {"part": "apps", "value": "2.5"}) == [
        "Row 2, column E (value): value must be a whole number"
    ]
    share = _sheet_context("people", Shape.SHARE)
    assert _check(share, {"numerator": "2.5", "denominator": "10"}) == [
        "Row 2, column F (numerator): numerator must be a whole number"
    ]
    money = _sheet_context("£", Shape.SHARE)
    assert _check(money, {"numerator": "2.5", "denominator": "10"}) == []


# A disparity's parts (ethnicity and disability) are kept apart ----------------------------


def _counts(a: int, pa: int, b: int, pb: int) -> dict[str, Decimal]:
    return {
        "events_a": Decimal(a),
        "population_a": Decimal(pa),
        "events_b": Decimal(b),
        "population_b": Decimal(pb),
    }


def test_ethnicity_and_disability_are_pooled_each_on_its_own_across_members():
    # Worked by hand. Ethnicity: White 10 + 20 of 100 + 100 = 0.15; BME 4 + 6 of 50 + 50 =
    # 0.10; ratio 1.5. Disability: non-disabled 5 + 7 of 40 + 60 = 0.12; disabled 3 + 2 of
    # 20 + 20 = 0.125; ratio 0.96. Mixed together they would give 42/300 ÷ 15/140 = 1.3067.
    target = parse_target("ratio_band", BAND)
    observations = rollup(
        members={
            "RXN": [
                Observation(
                    YEAR,
                    parts={
                        "ethnicity": _counts(10, 100, 4, 50),
                        "disability": _counts(5, 40, 3, 20),
                    },
                )
            ],
            "RXL": [
                Observation(
                    YEAR,
                    parts={
                        "ethnicity": _counts(20, 100, 6, 50),
                        "disability": _counts(7, 60, 2, 20),
                    },
                )
            ],
        }
    )
    combined = combine(target, observations)
    ethnicity, disability = combined.part("ethnicity"), combined.part("disability")
    assert ethnicity is not None and disability is not None
    assert ethnicity.ratio == Decimal("1.5")
    assert disability.ratio == Decimal("0.96")
    assert (ethnicity.events_a, ethnicity.population_b) == (Decimal(30), Decimal(100))
    assert (disability.events_a, disability.population_b) == (Decimal(12), Decimal(40))

    judged = assess(
        target,
        year=FY,
        frequency=Frequency.ANNUAL,
        observations=observations,
        as_of=date(2024, 4, 1),
        members=("RXN", "RXL"),
    )
    statuses = {p.key: p.status for p in judged.parts}
    assert statuses == {"ethnicity": Status.MISSED, "disability": Status.ACHIEVED}


def test_fields_a_shape_does_not_have_are_named():
    assert Shape.SHARE.stray_fields(Observation(YEAR, value=Decimal(3), numerator=Decimal(1))) == [
        "value"
    ]
    # A self-assessment may carry a figure (a maintain level, a direction).
    assert (
        Shape.SELF_ASSESSMENT.stray_fields(
            Observation(YEAR, value=Decimal(3), self_status=Status.ON_TRACK, narrative="Done")
        )
        == []
    )
    assert (
        Shape.MILESTONE.stray_fields(
            Observation(YEAR, milestone_state=MilestoneState.DONE, achieved_on=date(2024, 1, 2))
        )
        == []
    )
    assert Shape.VALUE.stray_fields(Observation(YEAR, parts={"a": Decimal(1)}, narrative="x")) == [
        "parts",
        "narrative",
    ]
